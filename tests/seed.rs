//! The seed article's config snippets: every one loads (with or without the
//! `{"openclaw": ...}` wrapper) and gets the verdict the article implies.

mod common;
use clawcheck::finding::Severity;
use common::check_file as check;
use std::path::{Path, PathBuf};

const ARTICLE: &str = "tests/fixtures/seed/openclaw-security-architecture-2026.txt";

/// Every top-level `{ ... }` block of the article that is a policy-profile
/// config (keys `agents`, `secrets`, `monitoring`, possibly under `openclaw`).
fn config_snippets() -> Vec<(usize, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(ARTICLE);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i] == "{" {
            let mut depth = 0i32;
            let mut j = i;
            loop {
                depth +=
                    lines[j].matches('{').count() as i32 - lines[j].matches('}').count() as i32;
                if depth == 0 {
                    break;
                }
                j += 1;
            }
            let block = lines[i..=j].join("\n");
            let v: serde_json::Value =
                serde_json::from_str(&block).expect("article snippet is JSON");
            let inner = v.get("openclaw").unwrap_or(&v);
            let keys: Vec<&String> = inner.as_object().unwrap().keys().collect();
            if keys
                .iter()
                .all(|k| ["agents", "secrets", "monitoring"].contains(&k.as_str()))
            {
                out.push((i + 1, block));
            }
            i = j + 1;
        } else {
            i += 1;
        }
    }
    out
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn every_article_snippet_loads_and_passes() {
    let snippets = config_snippets();
    // Six distinct config snippets, each printed twice (Chinese and English halves).
    assert_eq!(
        snippets.len(),
        12,
        "article snippets found: {:?}",
        snippets.iter().map(|s| s.0).collect::<Vec<_>>()
    );
    let dir = tempfile::tempdir().unwrap();
    for (line, block) in &snippets {
        let p = write(dir.path(), &format!("line{line}.openclaw.json"), block);
        let report = check(&p);
        assert_eq!(
            report.configs.len(),
            1,
            "snippet at article line {line} not loaded as a config"
        );
        assert_eq!(report.configs[0].dialect.as_str(), "policy-profile");
        let blocking: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.severity >= Severity::Warning)
            .collect();
        assert!(
            blocking.is_empty(),
            "snippet at article line {line} should pass: {blocking:#?}"
        );
    }
}

#[test]
fn critical_tasks_with_timeout_300_fires_oc203_at_that_line() {
    let (_, block) = config_snippets()
        .into_iter()
        .find(|(_, b)| b.contains("critical-tasks"))
        .unwrap();
    let lines: Vec<&str> = block.lines().collect();
    let critical = lines
        .iter()
        .position(|l| l.contains("critical-tasks"))
        .unwrap();
    let timeout_line = critical
        + lines[critical..]
            .iter()
            .position(|l| l.contains("\"timeout\""))
            .unwrap();
    let mut changed: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    changed[timeout_line] = changed[timeout_line].replace("120", "300");
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "openclaw.json", &changed.join("\n"));
    let report = check(&p);
    let errors: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
        .collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].rule, "OC203");
    assert_eq!(errors[0].start.line, timeout_line + 1);
    assert_eq!(
        errors[0].start.column, 1,
        "the article's snippets are not indented"
    );
    assert!(
        errors[0].message.contains("critical-tasks")
            && errors[0].message.contains("300")
            && errors[0].message.contains("120")
    );
}

#[test]
fn routine_tasks_is_not_sensitive_and_production_is() {
    let (_, block) = config_snippets()
        .into_iter()
        .find(|(_, b)| b.contains("routine-tasks"))
        .unwrap();
    // routine-tasks at 300 s passes; the same agent renamed to a sensitive name fails.
    let dir = tempfile::tempdir().unwrap();
    let renamed = block.replace("routine-tasks", "payments-routine");
    let report = check(&write(dir.path(), "openclaw.json", &renamed));
    assert!(report
        .findings
        .iter()
        .any(|f| f.rule == "OC203" && f.message.contains("payments-routine")));
    let (_, prod) = config_snippets()
        .into_iter()
        .find(|(_, b)| b.contains("\"production\""))
        .unwrap();
    let slow = prod.replace("\"timeout\": 120", "\"timeout\": 121");
    let report = check(&write(dir.path(), "openclaw.json", &slow));
    assert!(report
        .findings
        .iter()
        .any(|f| f.rule == "OC203" && f.message.contains("production")));
}

#[test]
fn the_articles_non_compliant_variants_fail() {
    let (_, secrets) = config_snippets()
        .into_iter()
        .find(|(_, b)| b.contains("api-keys"))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (from, to, rule) in [
        ("\"weekly\"", "\"monthly\"", "OC212"),
        ("\"weekly\"", "\"30d\"", "OC212"),
        (
            "\"provider\": \"external\",\n\"source\": \"hashiCorp-vault\"",
            "\"provider\": \"local\",\n\"source\": \"hashiCorp-vault\"",
            "OC211",
        ),
    ] {
        let changed = secrets.replace(from, to);
        assert_ne!(changed, secrets, "replacement {from} not applied");
        let report = check(&write(dir.path(), "openclaw.json", &changed));
        assert!(
            report.findings.iter().any(|f| f.rule == rule),
            "{to}: {:#?}",
            report.findings
        );
    }
    let (_, agents) = config_snippets()
        .into_iter()
        .find(|(_, b)| b.contains("critical-tasks"))
        .unwrap();
    let changed = agents.replacen("\"auto-destroy\": true", "\"auto-destroy\": false", 1);
    let report = check(&write(dir.path(), "openclaw.json", &changed));
    assert!(report.findings.iter().any(|f| f.rule == "OC202"));
}
