//! `check --fix`: every rule's fix removes its finding, keeps every comment
//! and every byte it does not touch, is idempotent, and leaves a file that
//! the vendored OpenClaw schemas accept; literal credentials never leave
//! their file; a fix that would break the file is dropped.

mod common;
use clawcheck::engine::{self, CheckOptions};
use clawcheck::finding::Finding;
use clawcheck::fix::{Applicability, Selection};
use common::{clawcheck, stderr, stdout};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Comments of a JSON5 text, in order (jsonc-parser's scanner, the one the
/// loader uses).
fn comments(text: &str) -> Vec<String> {
    use jsonc_parser::tokens::Token;
    let mut sc = jsonc_parser::Scanner::new(text, &jsonc_parser::ScannerOptions::default());
    let mut out = Vec::new();
    while let Ok(Some(t)) = sc.scan() {
        match t {
            Token::CommentLine(c) | Token::CommentBlock(c) => out.push(c.to_string()),
            _ => {}
        }
    }
    out
}

fn auto(f: &Finding) -> bool {
    f.fix
        .as_ref()
        .is_some_and(|x| x.applicability != Applicability::Manual && !x.edits.is_empty())
}

fn check(path: &Path) -> Vec<Finding> {
    engine::run(&CheckOptions::new(vec![path.to_path_buf()]))
        .expect("check runs")
        .findings
}

fn fix(path: &Path, only: &str) -> Vec<clawcheck::fix::FileFixes> {
    clawcheck::autofix::run(
        &CheckOptions::new(vec![path.to_path_buf()]),
        &Selection {
            unsafe_fixes: true,
            only: vec![only.to_string()],
        },
        false,
    )
    .expect("fix runs")
}

const SCHEMA_RULES: &[&str] = &["OC001", "OC003", "OC101", "OC102", "OC103", "OC104"];

fn fixture(rule: &str, kind: &str) -> Vec<PathBuf> {
    let dir = common::repo("tests/fixtures/rules");
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(&format!("{rule}.{kind}."))
        })
        .collect();
    v.sort();
    v
}

/// Fixes one fixture in a temporary directory and checks every promise;
/// returns the number of findings the fix removed.
fn fix_fixture(rule: &str, src: &Path) -> Result<usize, String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(src.file_name().unwrap());
    std::fs::copy(src, &path).unwrap();
    let original = std::fs::read_to_string(&path).unwrap();
    let before = check(&path);
    let fixable: Vec<&Finding> = before
        .iter()
        .filter(|f| f.rule == rule && auto(f))
        .collect();
    if fixable.is_empty() {
        return Ok(0);
    }
    let lo = fixable
        .iter()
        .flat_map(|f| &f.fix.as_ref().unwrap().edits)
        .map(|e| e.range.start)
        .min()
        .unwrap();
    let hi = fixable
        .iter()
        .flat_map(|f| &f.fix.as_ref().unwrap().edits)
        .map(|e| e.range.end)
        .max()
        .unwrap();
    let done = fix(&path, rule);
    let fixed = std::fs::read_to_string(&path).unwrap();
    let name = src.display();
    if done
        .iter()
        .any(|f| !f.dropped.is_empty() || f.error.is_some())
    {
        return Err(format!("{name}: fixes dropped or not written: {done:?}"));
    }
    // The finding is gone.
    let after = check(&path);
    let gone: BTreeSet<&str> = after.iter().map(|f| f.fingerprint.as_str()).collect();
    for f in &fixable {
        if gone.contains(f.fingerprint.as_str()) {
            return Err(format!(
                "{name}: {} at line {} survives its fix:\n{fixed}",
                f.rule, f.start.line
            ));
        }
    }
    // Every comment, and every byte outside the edited span, is kept.
    if comments(&original) != comments(&fixed) {
        return Err(format!("{name}: comments changed:\n{fixed}"));
    }
    let tail = original.len() - hi;
    if !fixed.starts_with(&original[..lo])
        || !fixed.ends_with(&original[hi..])
        || fixed.len() < lo + tail
    {
        return Err(format!(
            "{name}: bytes outside {lo}..{hi} changed:\n{fixed}"
        ));
    }
    // ... and every byte between two edits too: the untouched segments of
    // the original appear in the fixed file in order.
    let mut edits: Vec<std::ops::Range<usize>> = fixable
        .iter()
        .flat_map(|f| &f.fix.as_ref().unwrap().edits)
        .map(|e| e.range.clone())
        .collect();
    edits.sort_by_key(|r| (r.start, r.end));
    let (mut at, mut prev) = (0, 0);
    for r in edits
        .iter()
        .chain(std::iter::once(&(original.len()..original.len())))
    {
        let segment = &original[prev..r.start.max(prev)];
        match fixed[at..].find(segment) {
            Some(i) => at += i + segment.len(),
            None => {
                return Err(format!(
                    "{name}: the untouched bytes {prev}..{} changed:\n{fixed}",
                    r.start
                ))
            }
        }
        prev = prev.max(r.end);
    }
    // The vendored schemas accept the result: no new schema finding.
    let known: BTreeSet<(&str, &str)> = before
        .iter()
        .map(|f| (f.rule.as_str(), f.fingerprint.as_str()))
        .collect();
    if let Some(b) = after.iter().find(|f| {
        SCHEMA_RULES.contains(&f.rule.as_str())
            && !known.contains(&(f.rule.as_str(), f.fingerprint.as_str()))
    }) {
        return Err(format!(
            "{name}: the fixed file has {} `{}`:\n{fixed}",
            b.rule, b.message
        ));
    }
    // Idempotent: a second run changes nothing.
    let again = fix(&path, rule);
    if std::fs::read_to_string(&path).unwrap() != fixed || again.iter().any(|f| !f.fixed.is_empty())
    {
        return Err(format!(
            "{name}: a second --fix changed the file again: {again:?}"
        ));
    }
    Ok(fixable.len())
}

#[test]
fn every_fixable_rule_fix_removes_its_finding_and_nothing_else() {
    let mut failures = Vec::new();
    let mut exercised = 0;
    for r in clawcheck::rules::all() {
        let kinds = clawcheck::rules::fix_kinds(r.fix).unwrap_or_default();
        let automatic = kinds.iter().any(|k| *k != "manual");
        let mut removed = 0;
        for src in fixture(r.id, "fires") {
            match fix_fixture(r.id, &src) {
                Ok(n) => removed += n,
                Err(e) => failures.push(e),
            }
        }
        match (automatic, removed) {
            (true, 0) => failures.push(format!(
                "{}: has an automatic fix ({}) that no `fires` fixture exercises",
                r.id, r.fix
            )),
            (false, n) if n > 0 => failures.push(format!(
                "{}: its policy fixes, but its metadata has no `fix` text",
                r.id
            )),
            _ => {}
        }
        if removed > 0 {
            exercised += 1;
            // A file the rule passes is not touched by its fix.
            for src in fixture(r.id, "passes") {
                let dir = tempfile::tempdir().unwrap();
                let path = dir.path().join(src.file_name().unwrap());
                std::fs::copy(&src, &path).unwrap();
                fix(&path, r.id);
                if std::fs::read(&path).unwrap() != std::fs::read(&src).unwrap() {
                    failures.push(format!(
                        "{}: --fix changed the passing fixture",
                        src.display()
                    ));
                }
            }
        }
    }
    assert!(exercised >= 30, "only {exercised} rules fixed");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The plaintext-keys example with credentials generated at run time.
fn config_with_literals() -> (String, Vec<String>) {
    let text =
        std::fs::read_to_string(common::repo("tests/fixtures/openclaw/plaintext-keys.json5"))
            .unwrap();
    let password = format!("pw-{}", common::alnum(11, 14));
    let key = format!("sk-proj-{}", common::alnum(12, 40));
    let bot = format!("7312345678:AA{}", common::alnum(13, 33));
    // The fixture's own values, read at their pointers, are replaced.
    let doc = clawcheck::load::parse(text.as_bytes()).unwrap();
    let mut text = text.clone();
    for (pointer, new) in [
        ("/gateway/auth/password", &password),
        ("/models/providers/openai/apiKey", &key),
        ("/channels/telegram/botToken", &bot),
    ] {
        let old = doc.value.pointer(pointer).and_then(|v| v.as_str()).unwrap();
        text = text.replace(old, new);
    }
    for s in [&password, &key, &bot] {
        assert!(text.contains(s.as_str()));
    }
    (text, vec![password, key, bot])
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn a_literal_credential_fix_leaves_no_copy_of_the_value_anywhere() {
    let dir = tempfile::tempdir().unwrap();
    let (text, secrets) = config_with_literals();
    std::fs::write(dir.path().join("openclaw.json"), &text).unwrap();
    let mut outputs = Vec::new();
    for args in [
        &["check", "openclaw.json", "--diff", "--unsafe-fixes"][..],
        &["check", "openclaw.json", "--format", "sarif"][..],
        &["check", "openclaw.json", "--format", "json"][..],
        &[
            "check",
            "openclaw.json",
            "--unsafe-fixes",
            "--format",
            "json",
        ][..],
        &["check", "openclaw.json", "--unsafe-fixes", "--verbose"][..],
    ] {
        let o = clawcheck(args, dir.path());
        outputs.push((args.join(" "), stdout(&o) + &stderr(&o)));
    }
    // The diff shows the change, redacted.
    assert!(outputs[0].1.contains("+      password: { source: \"env\", provider: \"default\", id: \"OPENCLAW_GATEWAY_AUTH_PASSWORD\" }"), "{}", outputs[0].1);
    // SARIF carries the fixes and stays valid.
    let sarif: serde_json::Value = serde_json::from_str(&outputs[1].1).unwrap();
    common::schemas::assert_valid_sarif(&sarif);
    let fixes: Vec<&serde_json::Value> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r.get("fixes"))
        .collect();
    assert!(fixes.len() >= 3, "{sarif:#}");
    // The JSON report of the fixing run lists the variables to set.
    let report: serde_json::Value = serde_json::from_str(&outputs[3].1).unwrap();
    let vars = &report["fixes"][0]["env_vars"];
    assert_eq!(
        vars,
        &serde_json::json!([
            "OPENCLAW_CHANNELS_TELEGRAM_BOTTOKEN",
            "OPENCLAW_GATEWAY_AUTH_PASSWORD",
            "OPENCLAW_MODELS_PROVIDERS_OPENAI_APIKEY"
        ])
    );
    let fixed = std::fs::read_to_string(dir.path().join("openclaw.json")).unwrap();
    assert!(fixed.contains("apiKey: { source: \"env\", provider: \"default\", id: \"OPENCLAW_MODELS_PROVIDERS_OPENAI_APIKEY\" }"), "{fixed}");
    assert_eq!(comments(&fixed), comments(&text));
    // One file in the directory: no backup, no temporary file left.
    let files = files_under(dir.path());
    assert_eq!(files, vec![dir.path().join("openclaw.json")]);
    for s in &secrets {
        for f in &files {
            let bytes = std::fs::read(f).unwrap();
            assert!(
                !String::from_utf8_lossy(&bytes).contains(s.as_str()),
                "{} holds a secret",
                f.display()
            );
        }
        for (args, out) in &outputs {
            assert!(
                !out.contains(s.as_str()),
                "`{args}` printed a secret:\n{out}"
            );
            // Not even a long part of it.
            assert!(
                !out.contains(&s[..s.len() * 2 / 3]),
                "`{args}` printed part of a secret:\n{out}"
            );
        }
    }
    // The second run has nothing left to fix among the credentials.
    let o = clawcheck(
        &[
            "check",
            "openclaw.json",
            "--unsafe-fixes",
            "--fix-only",
            "OC211",
        ],
        dir.path(),
    );
    assert!(
        !stdout(&o).contains("fixed 1") && !stdout(&o).contains("OC211"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_fix_that_would_break_the_file_is_dropped_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let config = "{\n  // keep me\n  gateway: { mode: \"local\", bind: \"loopback\" },\n}\n";
    std::fs::write(dir.path().join("openclaw.json"), config).unwrap();
    std::fs::write(
        dir.path().join("breaks.rego"),
        r#"package acme.breaks

import rego.v1

deny contains f if {
	input.posture.real
	f := {
		"rule": "ACME1",
		"pointer": "/gateway/mode",
		"message": "demo",
		"fix": {"pointer": "/gateway/noSuchKey", "set": 1, "applicability": "safe", "reason": "adds a key OpenClaw does not know"},
	}
}
"#,
    )
    .unwrap();
    let o = clawcheck(
        &["check", "openclaw.json", "--fix", "--policy", "breaks.rego"],
        dir.path(),
    );
    let out = stdout(&o);
    assert!(
        out.contains("fixed 0") && out.contains("1 dropped"),
        "{out}"
    );
    assert!(
        out.contains("dropped ACME1 at line 3: it would make the file invalid (OC102"),
        "{out}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("openclaw.json")).unwrap(),
        config
    );
}

#[cfg(unix)]
#[test]
fn the_fixed_file_keeps_its_mode_and_a_symlink_is_never_written_through() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let src = common::repo("tests/fixtures/rules/OC104.fires.openclaw.json");
    let path = dir.path().join("openclaw.json");
    std::fs::copy(&src, &path).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    let o = clawcheck(&["check", "openclaw.json", "--fix"], dir.path());
    assert!(
        stdout(&o).contains("openclaw.json: fixed 2"),
        "{}",
        stdout(&o)
    );
    let meta = std::fs::metadata(&path).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o640);
    assert!(std::fs::read_to_string(&path)
        .unwrap()
        .contains("idleHours: 24"));

    let target = dir.path().join("real.json");
    std::fs::copy(&src, &target).unwrap();
    let link = dir.path().join("link.openclaw.json");
    std::os::unix::fs::symlink("real.json", &link).unwrap();
    let o = clawcheck(&["check", "link.openclaw.json", "--fix"], dir.path());
    assert!(
        stdout(&o).contains("not written: not a regular file"),
        "{}",
        stdout(&o)
    );
    assert_eq!(
        std::fs::read(&target).unwrap(),
        std::fs::read(&src).unwrap()
    );
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
}

#[test]
fn diff_writes_nothing_and_fix_only_limits_the_rules() {
    let dir = tempfile::tempdir().unwrap();
    let src = common::repo("tests/fixtures/openclaw/unbounded-runs.json5");
    let path = dir.path().join("openclaw.json");
    std::fs::copy(&src, &path).unwrap();
    let o = clawcheck(
        &["check", "openclaw.json", "--diff", "--unsafe-fixes"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("-      timeoutSeconds: 0, // 0 = unlimited turn budget\n+      timeoutSeconds: 120, // 0 = unlimited turn budget"), "{}", stdout(&o));
    assert_eq!(std::fs::read(&path).unwrap(), std::fs::read(&src).unwrap());
    // Safe fixes only: none here (every fix of this file is unsafe).
    let o = clawcheck(&["check", "openclaw.json", "--diff"], dir.path());
    assert_eq!((o.status.code(), stdout(&o)), (Some(0), String::new()));
    let o = clawcheck(
        &[
            "check",
            "openclaw.json",
            "--unsafe-fixes",
            "--fix-only",
            "agent-not-thread-bound",
        ],
        dir.path(),
    );
    assert!(
        stdout(&o).contains("openclaw.json: fixed 3"),
        "{}",
        stdout(&o)
    );
    let after = check(&path);
    assert!(after.iter().all(|f| f.rule != "OC201"));
    assert!(after.iter().any(|f| f.rule == "OC203"));
    let o = clawcheck(
        &["check", "openclaw.json", "--fix-only", "OC999"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--fix-only: unknown rule `OC999`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_malformed_fix_in_a_user_policy_is_a_broken_policy() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("openclaw.json"),
        "{ gateway: { bind: \"loopback\" } }\n",
    )
    .unwrap();
    for (fix, problem) in [
        (
            r#"{"set": 1, "remove": true, "applicability": "safe", "reason": "r"}"#,
            "exactly one of",
        ),
        (
            r#"{"set": 1, "applicability": "sometimes", "reason": "r"}"#,
            "`fix.applicability`",
        ),
        (r#"{"set": 1, "applicability": "safe"}"#, "`fix.reason`"),
        (
            r#"{"manual": true, "applicability": "safe", "reason": "r"}"#,
            "`manual: true` goes with",
        ),
        (
            r#"{"set": 1, "applicability": "safe", "reason": "r", "pointer": "gateway"}"#,
            "`fix.pointer`",
        ),
    ] {
        std::fs::write(
            dir.path().join("p.rego"),
            format!(
                "package acme.p\n\nimport rego.v1\n\ndeny contains {{\"rule\": \"ACME2\", \"pointer\": \"\", \"message\": \"m\", \"fix\": {fix}}} if input.posture.real\n"
            ),
        )
        .unwrap();
        let o = clawcheck(
            &["check", "openclaw.json", "--policy", "p.rego"],
            dir.path(),
        );
        assert_eq!(o.status.code(), Some(2), "{fix}: {}", stderr(&o));
        assert!(stderr(&o).contains(problem), "{fix}: {}", stderr(&o));
    }
}
