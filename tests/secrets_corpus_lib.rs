//! End-to-end precision/recall on trees from `shared/bench/gen_tree.py`.
//!
//! The generator is looked up at `$CLAWCHECK_GEN_TREE`, then at
//! `../shared/bench/gen_tree.py` and `shared/bench/gen_tree.py` relative to
//! the crate; without it (or without `python3`) the tests print a notice
//! and pass.

mod common;
use common::harness;

use clawcheck::checks::secrets::Scanner;
use std::path::{Path, PathBuf};
use std::process::Command;

fn gen_tree_script() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("CLAWCHECK_GEN_TREE") {
        return Some(PathBuf::from(p));
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    [
        root.join("../shared/bench/gen_tree.py"),
        root.join("shared/bench/gen_tree.py"),
    ]
    .into_iter()
    .find(|p| p.is_file())
}

/// Generate a tree (cached by name under the cargo tmp dir); returns its dir.
fn generate(name: &str, args: &[&str]) -> Option<PathBuf> {
    let Some(script) = gen_tree_script() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "{name}: gen_tree.py not found in CI"
        );
        eprintln!("SKIP {name}: gen_tree.py not found (set CLAWCHECK_GEN_TREE)");
        return None;
    };
    let out = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("secrets-corpus")
        .join(name);
    let stamp = out.with_extension("args"); // beside the tree, not in it
    let want = args.join(" ");
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(want.as_str())
        && out.join("labels.jsonl").is_file()
    {
        return Some(out);
    }
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).unwrap();
    let status = Command::new("python3")
        .arg(&script)
        .arg("--out")
        .arg(&out)
        .args(args)
        .arg("--quiet")
        .status();
    match status {
        Ok(s) if s.success() => {}
        Ok(s) => panic!("gen_tree.py failed for {name}: {s}"),
        Err(e) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "{name}: cannot run python3 in CI: {e}"
            );
            eprintln!("SKIP {name}: cannot run python3: {e}");
            return None;
        }
    }
    std::fs::write(&stamp, &want).unwrap();
    Some(out)
}

fn check_tree(name: &str, args: &[&str]) {
    let Some(dir) = generate(name, args) else {
        return;
    };
    let labels = harness::parse_labels(&std::fs::read_to_string(dir.join("labels.jsonl")).unwrap());
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

fn extra_templates() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/extra_templates.json")
        .to_string_lossy()
        .into_owned()
}

#[test]
fn corpus_builtin_seed_7() {
    check_tree(
        "builtin-7",
        &["--size-mb", "3", "--files", "150", "--seed", "7"],
    );
}

#[test]
fn corpus_builtin_dense_seed_31() {
    // Many more planted items than the default, to cover rare contexts.
    check_tree(
        "builtin-dense-31",
        &[
            "--size-mb",
            "3",
            "--files",
            "200",
            "--seed",
            "31",
            "--secrets",
            "400",
            "--decoys",
            "600",
        ],
    );
}

#[test]
fn corpus_extra_templates_seed_8() {
    // Built-in templates plus contexts/decoys written for clawcheck (PHP, XML
    // config, Terraform, Makefiles, CLI flags, JSON-escaped, type annotations…).
    let t = extra_templates();
    check_tree(
        "extra-8",
        &[
            "--size-mb",
            "3",
            "--files",
            "200",
            "--seed",
            "8",
            "--secrets",
            "300",
            "--decoys",
            "400",
            "--templates",
            &t,
        ],
    );
}

#[test]
fn corpus_heldout_only_seed_9() {
    // Only the extra templates: file types, filler and wording unseen by the built-ins.
    let t = extra_templates();
    check_tree(
        "heldout-9",
        &[
            "--size-mb",
            "2",
            "--files",
            "120",
            "--seed",
            "9",
            "--secrets",
            "200",
            "--decoys",
            "250",
            "--heldout",
            "--templates",
            &t,
        ],
    );
}
