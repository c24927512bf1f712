//! SARIF 2.1.0 for GitHub code scanning.
//!
//! Built as `serde_json` values in a fixed key order rather than with
//! `serde-sarif`: clawcheck emits a small, fixed subset of SARIF, and a direct
//! mapping keeps the bytes stable across versions of a third-party model. CI
//! validates every emitted file against the OASIS schema and GitHub's upload
//! rules (`../shared/tools/check-sarif`).

use crate::engine::Report;
use crate::finding::{Finding, Severity};
use crate::rules::Rule;
use serde_json::{json, Value};
use std::collections::BTreeMap;

pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

fn rule_json(r: &Rule) -> Value {
    let bad = crate::checks::secrets::printable_bad(r);
    let help_text = format!("{}\n\nBad:\n{}\n\nGood:\n{}", r.help, bad, r.good);
    let help_md = format!(
        "{}\n\n**Bad**\n\n```json\n{}\n```\n\n**Good**\n\n```json\n{}\n```\n\n`clawcheck explain {}`",
        r.help, bad, r.good, r.id
    );
    // GitHub filters alerts by tag: one per control, e.g. `nist-800-53/ac-12`.
    let mut tags = vec![json!("security"), json!(r.category)];
    tags.extend(r.controls.iter().map(|c| json!(format!("nist-800-53/{c}"))));
    json!({
        "id": r.id,
        "name": r.name,
        "shortDescription": {"text": r.title},
        "fullDescription": {"text": r.description},
        "help": {"text": help_text, "markdown": help_md},
        "defaultConfiguration": {"level": level(r.severity)},
        "properties": {
            "tags": tags,
            "precision": "high",
            "problem.severity": match r.severity { Severity::Error => "error", Severity::Warning => "warning", Severity::Note => "recommendation" },
            "security-severity": r.security_severity,
        }
    })
}

/// A rule clawcheck does not know (from a user policy): minimal metadata.
fn user_rule_json(id: &str) -> Value {
    json!({
        "id": id,
        "name": "user-policy",
        "shortDescription": {"text": format!("User policy rule {id}")},
        "fullDescription": {"text": format!("Rule {id} comes from a user-supplied Rego policy (--policy).")},
        "help": {"text": "See the Rego policy that defines this rule."},
        "defaultConfiguration": {"level": "warning"},
        "properties": {"tags": ["security", "user-policy"], "precision": "medium", "security-severity": "5.0"}
    })
}

/// Percent-encodes a relative path for a SARIF `uri`.
pub fn encode_uri(path: &str) -> String {
    let mut s = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

/// `(uri, uriBaseId)`: relative display paths are used as they are; paths
/// outside the working directory become absolute paths under the `ROOT` base.
fn artifact(path: &str) -> (String, Option<&'static str>) {
    let clean = !path.starts_with('/') && !path.split('/').any(|p| p == "..");
    if clean {
        return (encode_uri(path), None);
    }
    let abs = std::fs::canonicalize(path)
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_else(|_| path.replace("../", ""));
    (encode_uri(abs.trim_start_matches('/')), Some("ROOT"))
}

fn result_json(f: &Finding, index: usize) -> Value {
    let (uri, base) = artifact(&f.path);
    let mut loc = json!({"uri": uri});
    if let Some(b) = base {
        loc["uriBaseId"] = json!(b);
    }
    let mut region = json!({
        "startLine": f.start.line,
        "startColumn": f.start.column,
        "endLine": f.end.line,
        "endColumn": f.end.column.max(if f.end.line == f.start.line { f.start.column } else { 1 }),
    });
    if let Some(snip) = &f.snippet {
        region["snippet"] = json!({"text": snip});
    }
    let mut props = serde_json::Map::new();
    if let Some(p) = &f.pointer {
        props.insert("jsonPointer".into(), json!(p));
    }
    if let Some(e) = &f.evidence {
        props.insert("evidence".into(), json!(e));
    }
    let mut fps = serde_json::Map::new();
    fps.insert("clawcheck/v1".into(), json!(f.fingerprint));
    if let Some(h) = &f.secret_hash {
        fps.insert("secretHash/v1".into(), json!(h));
    }
    let mut r = json!({
        "ruleId": f.rule,
        "ruleIndex": index,
        "level": level(f.severity),
        "message": {"text": f.message},
        "locations": [{"physicalLocation": {"artifactLocation": loc, "region": region}}],
        "partialFingerprints": fps,
    });
    if !f.related.is_empty() {
        r["relatedLocations"] = f
            .related
            .iter()
            .enumerate()
            .map(|(i, rel)| {
                let (uri, base) = artifact(&rel.path);
                let mut loc = json!({"uri": uri});
                if let Some(b) = base {
                    loc["uriBaseId"] = json!(b);
                }
                json!({
                    "id": i + 1,
                    "physicalLocation": {
                        "artifactLocation": loc,
                        "region": {"startLine": rel.line, "startColumn": rel.column},
                    },
                    "message": {"text": rel.message},
                })
            })
            .collect();
    }
    if !props.is_empty() {
        r["properties"] = Value::Object(props);
    }
    r
}

pub fn render(report: &Report) -> String {
    let mut rules: Vec<Value> = crate::rules::all().iter().map(rule_json).collect();
    let mut index: BTreeMap<String, usize> = crate::rules::all()
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.to_string(), i))
        .collect();
    let mut unknown: Vec<&str> = report
        .findings
        .iter()
        .map(|f| f.rule.as_str())
        .filter(|id| !index.contains_key(*id))
        .collect();
    unknown.sort_unstable();
    unknown.dedup();
    for id in unknown {
        index.insert(id.to_string(), rules.len());
        rules.push(user_rule_json(id));
    }
    let mut results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| result_json(f, index[&f.rule]))
        .collect();
    // Suppressed findings stay visible to auditors, marked as suppressed with the reason.
    for sup in &report.suppressed {
        let Some(&idx) = index.get(&sup.finding.rule) else {
            continue;
        };
        let mut r = result_json(&sup.finding, idx);
        r["suppressions"] = json!([{
            "kind": if sup.kind == "inline" { "inSource" } else { "external" },
            "justification": sup.reason,
        }]);
        if let Some(o) = &sup.owner {
            // SARIF has no approver field: the suppression's property bag.
            r["suppressions"][0]["properties"] = json!({"owner": o});
        }
        results.push(r);
    }
    let dialects: Vec<Value> = report
        .configs
        .iter()
        .map(|c| json!({"path": c.path, "dialect": c.dialect}))
        .collect();
    let mut run = json!({
        "tool": {"driver": {
            "name": "clawcheck",
            "version": env!("CARGO_PKG_VERSION"),
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "informationUri": "https://github.com/clawcheck/clawcheck",
            "rules": rules,
        }},
        "automationDetails": {"id": "clawcheck/"},
        "columnKind": "utf16CodeUnits",
        "invocations": [{"executionSuccessful": true}],
        "results": results,
        "properties": {
            "filesScanned": report.files_scanned,
            "configs": dialects,
            "skipped": report.skipped,
        },
    });
    if let Some(live) = &report.live {
        run["properties"]["live"] = super::live_summary(live);
    }
    if report
        .findings
        .iter()
        .any(|f| artifact(&f.path).1.is_some())
    {
        run["originalUriBaseIds"] = json!({"ROOT": {"uri": "file:///"}});
    }
    let doc = json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [run],
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("JSON values always serialise");
    s.push('\n');
    s
}
