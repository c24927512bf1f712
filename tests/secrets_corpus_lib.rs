//! End-to-end precision/recall of the library scanner on synthetic trees
//! from `corpus::generator` (deterministic, generated in-process: no Python,
//! nothing outside the repository).

mod corpus;
use corpus::generator::{self as corpus_gen, CorpusOptions};
use corpus::harness;

use clawcheck::checks::secrets::Scanner;
use std::path::{Path, PathBuf};

/// Generate a fresh tree under the cargo tmp dir (its labels, as
/// `labels.jsonl`, beside it); returns the dir and the labels.
fn generate(name: &str, opts: &CorpusOptions) -> (PathBuf, Vec<harness::Label>) {
    let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join("secrets-corpus");
    let t = std::time::Instant::now();
    let c = corpus_gen::generate(&base.join(name), opts);
    let counts: Vec<String> = c
        .counts()
        .iter()
        .map(|(f, s, d)| format!("{f}={s}/{d}"))
        .collect();
    eprintln!(
        "== {name}: generated {} files, {} bytes in {:?}; {:?}\nsecrets/decoys: {}",
        c.files,
        c.bytes,
        t.elapsed(),
        c.stats,
        counts.join(" ")
    );
    // Every family gets secrets; held-out templates have decoys for only some.
    assert!(
        c.missing.iter().all(|(what, _)| what == "decoy"),
        "{name}: no template to plant {:?}",
        c.missing
    );
    if !c.missing.is_empty() {
        eprintln!("{name}: no decoy template for {:?}", c.missing);
    }
    let labels_path = base.join(format!("{name}.labels.jsonl"));
    std::fs::write(&labels_path, corpus_gen::labels_jsonl(&c.labels)).unwrap();
    // The labels round-trip through the labels.jsonl parser.
    let parsed = harness::parse_labels(&std::fs::read_to_string(&labels_path).unwrap());
    assert_eq!(parsed.len(), c.labels.len());
    for (a, b) in parsed.iter().zip(&c.labels) {
        assert_eq!(
            (&a.path, a.line, a.end_line, &a.kind, a.secret, &a.value, &a.tag),
            (&b.path, b.line, b.end_line, &b.kind, b.secret, &b.value, &b.tag)
        );
    }
    (c.dir, parsed)
}

fn check_tree(name: &str, opts: CorpusOptions) {
    let (dir, labels) = generate(name, &opts);
    let scanner = Scanner::new();
    let r = harness::scan_tree(&scanner, &dir, 2);
    let s = harness::score(&labels, &r.findings);
    let report = harness::format_score(&s);
    eprintln!("== {name} ({} files, {} bytes)\n{report}", r.files, r.bytes);

    let o = s.overall;
    assert!(o.secrets > 0, "{name}: no secrets planted");
    assert!(
        o.precision() >= 0.98 && o.recall() >= 0.98,
        "{name}: overall below 0.98\n{report}"
    );
    for (fam, c) in &s.per_family {
        if c.secrets > 0 {
            assert!(
                c.recall() >= 0.98,
                "{name}: recall of {fam} below 0.98\n{report}"
            );
        }
        if c.findings > 0 {
            assert!(
                c.precision() >= 0.98,
                "{name}: precision of {fam} below 0.98\n{report}"
            );
        }
    }
    // No planted value may leak into the output.
    let values: Vec<&str> = labels.iter().filter_map(|l| l.value.as_deref()).collect();
    for f in &r.findings {
        let dbg = format!("{:?}", f.m);
        for v in &values {
            assert!(
                !f.m.redacted.contains(v),
                "{name}: a planted value appears in a redacted string ({}:{})",
                f.path,
                f.line
            );
            assert!(
                !dbg.contains(v),
                "{name}: a planted value appears in Debug output ({}:{})",
                f.path,
                f.line
            );
        }
        // And no more than a short prefix of any value.
        let shown = f.m.redacted.split('…').next().unwrap_or("");
        assert!(
            shown.len() <= 10 || shown.starts_with("-----BEGIN "),
            "{name}: redaction shows too much"
        );
    }
}

fn extra_templates() -> Vec<PathBuf> {
    vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/extra_templates.json")]
}

#[test]
fn corpus_builtin_seed_7() {
    let opts = CorpusOptions {
        size_mb: 3.0,
        files: 150,
        seed: 7,
        ..Default::default()
    };
    check_tree("builtin-7", opts);
}

#[test]
fn corpus_builtin_dense_seed_31() {
    // Many more planted items than the default, to cover rare contexts.
    let opts = CorpusOptions {
        size_mb: 3.0,
        files: 200,
        seed: 31,
        secrets: Some(400),
        decoys: Some(600),
        ..Default::default()
    };
    check_tree("builtin-dense-31", opts);
}

#[test]
fn corpus_extra_templates_seed_8() {
    // Built-in templates plus contexts/decoys written for clawcheck (PHP, XML
    // config, Terraform, Makefiles, CLI flags, JSON-escaped, type annotations…).
    let opts = CorpusOptions {
        size_mb: 3.0,
        files: 200,
        seed: 8,
        secrets: Some(300),
        decoys: Some(400),
        templates: extra_templates(),
        ..Default::default()
    };
    check_tree("extra-8", opts);
}

#[test]
fn corpus_heldout_only_seed_9() {
    // Only the extra templates: file types, filler and wording unseen by the built-ins.
    let opts = CorpusOptions {
        size_mb: 2.0,
        files: 120,
        seed: 9,
        secrets: Some(200),
        decoys: Some(250),
        templates: extra_templates(),
        heldout: true,
    };
    check_tree("heldout-9", opts);
}

#[test]
fn corpus_generator_is_deterministic_and_its_checksums_are_right() {
    // CRC-32 check value, and a GitHub classic token's base62 checksum.
    assert_eq!(corpus_gen::crc32(b"123456789"), 0xCBF4_3926);
    let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join("secrets-corpus-determinism");
    let opts = CorpusOptions {
        size_mb: 0.3,
        files: 40,
        seed: 42,
        templates: extra_templates(),
        ..Default::default()
    };
    let a = corpus_gen::generate(&base.join("a"), &opts);
    let b = corpus_gen::generate(&base.join("b"), &opts);
    let files = |d: &Path| -> Vec<(PathBuf, Vec<u8>)> {
        harness::walk(d)
            .into_iter()
            .map(|p| {
                (
                    p.strip_prefix(d).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                )
            })
            .collect()
    };
    let (fa, fb) = (files(&a.dir), files(&b.dir));
    assert_eq!(fa.len(), 40);
    assert!(fa == fb, "same options, different trees");
    assert_eq!(
        corpus_gen::labels_jsonl(&a.labels),
        corpus_gen::labels_jsonl(&b.labels)
    );
    let c = corpus_gen::generate(&base.join("c"), &CorpusOptions { seed: 43, ..opts });
    assert!(files(&c.dir) != fa, "the seed changes nothing");
    // Every GitHub classic token planted carries a valid checksum.
    let gh: Vec<&str> = a
        .labels
        .iter()
        .chain(&c.labels)
        .filter(|l| l.kind == "github" && l.tag != "x-gh-bad-checksum")
        .filter_map(|l| l.value.as_deref())
        .filter(|v| v.len() == 40 && v.as_bytes()[3] == b'_')
        .collect();
    assert!(!gh.is_empty());
    for t in gh {
        let (body, sum) = t[4..].split_at(30);
        let mut n = corpus_gen::crc32(body.as_bytes()) as u64;
        let mut want = Vec::new();
        for _ in 0..6 {
            want.push(
                b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                    [(n % 62) as usize],
            );
            n /= 62;
        }
        want.reverse();
        assert_eq!(
            sum.as_bytes(),
            want,
            "bad checksum in a planted GitHub token"
        );
    }
    let _ = std::fs::remove_dir_all(&base);
}
