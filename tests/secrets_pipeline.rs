//! The secret scanner through the whole pipeline (discovery, binary and size
//! skips, every output format): precision and recall on a generated corpus,
//! and no planted secret in any output.

mod common;
mod corpus;
use clawcheck::checks::secrets::{rules, SecretMatch};
use common::{clawcheck, rule_ids};
use corpus::generator::{self as corpus_gen, CorpusOptions};
use corpus::harness::{self, Finding};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A freshly generated tree under the cargo tmp dir, with its labels.
fn corpus(name: &str, opts: &CorpusOptions) -> (PathBuf, Vec<harness::Label>) {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("pipeline-corpus")
        .join(name);
    let c = corpus_gen::generate(&out, opts);
    (c.dir, c.labels)
}

fn findings_from_json(v: &serde_json::Value) -> Vec<Finding> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"].as_str().unwrap().starts_with("OC3"))
        .map(|f| {
            let rule = rules()
                .iter()
                .find(|r| r.id == f["rule"].as_str().unwrap())
                .unwrap();
            Finding {
                path: f["path"].as_str().unwrap().to_string(),
                line: f["line"].as_u64().unwrap() as usize,
                m: SecretMatch {
                    rule: rule.id,
                    family: rule.family,
                    start: 0,
                    end: 0,
                    redacted: f["evidence"].as_str().unwrap().to_string(),
                    fingerprint: f["secret_hash"].as_str().unwrap().to_string(),
                },
            }
        })
        .collect()
}

#[test]
fn corpus_precision_recall_and_no_secret_in_any_output() {
    let opts = CorpusOptions {
        size_mb: 3.0,
        files: 150,
        seed: 7,
        ..Default::default()
    };
    let (dir, labels) = corpus("seed7", &opts);
    let o = clawcheck(
        &[
            "check",
            ".",
            "--only",
            "secrets",
            "--format",
            "json",
            "--fail-on",
            "never",
        ],
        &dir,
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let findings = findings_from_json(&v);
    let score = harness::score(&labels, &findings);
    eprintln!("{}", harness::format_score(&score));
    for (family, c) in &score.per_family {
        if c.secrets == 0 && c.findings == 0 {
            continue;
        }
        assert!(c.recall() >= 0.98, "{family}: recall {:.3}", c.recall());
        assert!(
            c.precision() >= 0.98,
            "{family}: precision {:.3}",
            c.precision()
        );
    }
    assert!(score.overall.recall() >= 0.98 && score.overall.precision() >= 0.98);
    // Binary files were skipped, and said so.
    let skipped = v["summary"]["skipped"].as_array().unwrap();
    assert!(
        skipped
            .iter()
            .any(|s| s["reason"].as_str().unwrap().starts_with("binary")),
        "{skipped:?}"
    );

    // No planted value, nor any long line of a planted PEM block, in any output.
    let needles: Vec<String> = labels
        .iter()
        .filter(|l| l.secret)
        .filter_map(|l| l.value.clone())
        .flat_map(|v| {
            if v.contains('\n') {
                v.lines()
                    .filter(|l| l.len() >= 24 && !l.starts_with("-----"))
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            } else {
                vec![v]
            }
        })
        .collect();
    assert!(needles.len() > 50);
    for fmt in ["human", "json", "sarif", "github", "junit"] {
        let o = clawcheck(
            &[
                "check",
                ".",
                "--format",
                fmt,
                "--fail-on",
                "never",
                "--verbose",
            ],
            &dir,
        );
        let out = [o.stdout.as_slice(), o.stderr.as_slice()].concat();
        let text = String::from_utf8_lossy(&out);
        assert!(text.contains("OC30"), "{fmt}: no secret findings at all");
        for n in &needles {
            // never print the needle itself: only its length
            assert!(
                !text.contains(n.as_str()),
                "{fmt} output contains a planted secret ({} chars)",
                n.len()
            );
        }
    }
}

#[test]
fn a_key_in_a_config_is_reported_redacted_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    // Assembled at run time so that no source line holds a whole key.
    let key = format!(
        "{}{}{}",
        "sk-proj-",
        "Qx7vLm2Rt9Kp4Wn8Zb3Yc6Hd1Fg5Js0Ae",
        "T3BlbkFJ9Lm2Rt7Kp4Wn8Zb3Yc6Hd1Fg5Js0AeQx7vAbCdEfGh"
    );
    let text = format!("{{\n  \"secrets\": {{\n    \"openai\": {{ \"provider\": \"inline\", \"value\": \"{key}\", \"rotation\": \"weekly\" }}\n  }}\n}}\n");
    std::fs::write(dir.path().join("openclaw.json"), text).unwrap();
    for fmt in ["human", "json", "sarif", "github", "junit"] {
        let o = clawcheck(&["check", ".", "--format", fmt], dir.path());
        assert_eq!(o.status.code(), Some(1));
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(!out.contains(&key), "{fmt} leaks the key");
        assert!(!out.contains(&key[..24]), "{fmt} leaks most of the key");
        assert!(
            out.contains("OC301") && out.contains("OC211"),
            "{fmt}: {out}"
        );
    }
    let o = clawcheck(&["check", ".", "--format", "json"], dir.path());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "OC301")
        .unwrap();
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(3), Some(49))
    );
    assert!(f["evidence"]
        .as_str()
        .unwrap()
        .ends_with(&format!("[{} chars]", key.len())));
}

#[test]
fn placeholders_and_references_are_not_secrets() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("notes.md"),
        "vault kv put secret/openclaw/openai-api-key value=\"sk-...\"\nvault kv put secret/openclaw/aws-access-key value=\"AKIA...\"\nOPENAI_API_KEY=${OPENAI_API_KEY}\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\ntask-1234567890abcdefghij\n",
    )
    .unwrap();
    let o = clawcheck(&["check", "."], dir.path());
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
}

#[cfg(unix)]
#[test]
fn odd_files_are_skipped_with_a_note_and_the_rest_is_scanned() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let key = format!("{}{}", "AKIA", "QWERTYUIOP234567");
    std::fs::write(p.join("creds.env"), format!("AWS_ACCESS_KEY_ID={key}\n")).unwrap();
    std::fs::write(p.join("empty.txt"), "").unwrap();
    std::fs::write(p.join("bad-utf8.txt"), b"\xff\xfe\xfd caf\xe9\n").unwrap();
    std::os::unix::fs::symlink("loop", p.join("loop")).unwrap();
    std::os::unix::fs::symlink(p, p.join("cycle")).unwrap();
    let _ = Command::new("mkfifo").arg(p.join("pipe")).status();
    // a file over the size limit
    std::fs::write(
        p.join("clawcheck.toml"),
        "[secrets]\nmax_file_bytes = 1000\n",
    )
    .unwrap();
    std::fs::write(p.join("big.log"), "x".repeat(5000)).unwrap();
    let o = clawcheck(&["check", ".", "--format", "json", "--verbose"], p);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let rules = rule_ids(&v);
    // The key, and (a `.env` file the walk found, so not git-ignored) the
    // literal credential committed in it.
    assert_eq!(rules, ["OC503", "OC303"], "{:#}", v["findings"]);
    let skipped = v["summary"]["skipped"].to_string();
    assert!(
        skipped.contains("big.log") && skipped.contains("size limit"),
        "{skipped}"
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("skipped big.log"), "{err}");
}

#[test]
fn a_200_mb_single_line_file_is_skipped_by_size_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    let f = std::fs::File::create(dir.path().join("huge.min.js")).unwrap();
    f.set_len(200 * 1024 * 1024).unwrap(); // sparse: costs no disk
    std::fs::write(dir.path().join("small.txt"), "nothing here\n").unwrap();
    let t = std::time::Instant::now();
    let o = clawcheck(&["check", ".", "--format", "json", "--verbose"], dir.path());
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["summary"]["files_scanned"], 1);
    assert!(v["summary"]["skipped"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("size limit"));
    assert!(String::from_utf8_lossy(&o.stderr).contains("skipped huge.min.js"));
    // Not a timing assertion: only a guard against reading 200 MB in a debug build.
    eprintln!("took {:?}", t.elapsed());
}

#[cfg(unix)]
#[test]
fn permission_denied_is_a_note_for_discovered_files_and_oc002_for_explicit_ones() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("locked.txt");
    std::fs::write(&p, "x").unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
    // Root reads through permission bits: then run clawcheck as `nobody`
    // (uid/gid 65534), which they do stop, from a copy of the binary in a
    // directory it may enter (the checkout's own permissions do not matter).
    let as_root = std::fs::read(&p).is_ok();
    let bin_dir = tempfile::tempdir().unwrap();
    let bin = bin_dir.path().join("clawcheck");
    std::fs::copy(env!("CARGO_BIN_EXE_clawcheck"), &bin).unwrap();
    if as_root {
        for d in [dir.path(), bin_dir.path()] {
            std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
    let run = |args: &[&str]| {
        let mut c = Command::new(&bin);
        c.args(args).current_dir(dir.path()).env("NO_COLOR", "1");
        if as_root {
            c.uid(65534).gid(65534);
        }
        c.output()
            .unwrap_or_else(|e| panic!("run clawcheck (as uid 65534: {as_root}): {e}"))
    };
    let o = run(&["check", ".", "--format", "json"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["summary"]["skipped"].to_string().contains("locked.txt"));
    let o = run(&["check", "locked.txt", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["findings"][0]["rule"], "OC002");
}

#[test]
fn a_hit_in_a_minified_line_shows_a_window_not_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let key = format!("{}{}", "AKIA", "QWERTYUIOP234567");
    let filler = "var a=function(b){return b+1};".repeat(20_000); // ~600 KB on one line
    std::fs::write(
        dir.path().join("app.min.js"),
        format!("{filler}var k=\"{key}\";{filler}"),
    )
    .unwrap();
    let o = clawcheck(&["check", ".", "--format", "sarif"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    // The rule metadata and framework taxonomies are the same in every run:
    // measured on a clean directory, the finding adds far less than the line.
    let clean = tempfile::tempdir().unwrap();
    let base = clawcheck(&["check", ".", "--format", "sarif"], clean.path())
        .stdout
        .len();
    assert!(
        o.stdout.len() < base + 100_000,
        "SARIF is {} bytes ({base} without the finding): the whole line was copied",
        o.stdout.len()
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let r = &v["runs"][0]["results"][0];
    let snippet = r["locations"][0]["physicalLocation"]["region"]["snippet"]["text"]
        .as_str()
        .unwrap();
    assert!(
        snippet.len() <= 400 && snippet.contains("AKIA…[20 chars]"),
        "{snippet}"
    );
    let o = clawcheck(&["check", "."], dir.path());
    let human = String::from_utf8_lossy(&o.stdout);
    // the caret sits under the redacted key
    let lines: Vec<&str> = human.lines().collect();
    let src = lines.iter().position(|l| l.starts_with("1 | ")).unwrap();
    let caret = lines[src + 1].chars().position(|c| c == '^').unwrap();
    let under: String = lines[src].chars().skip(caret).take(4).collect();
    assert_eq!(under, "AKIA", "{}\n{}", lines[src], lines[src + 1]);
}
