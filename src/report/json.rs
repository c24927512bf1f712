//! The JSON report (schema version 1, documented in README "JSON output").

use crate::engine::Report;
use crate::finding::Severity;
use serde_json::{json, Value};

/// `fail_on: None` is `--fail-on never`.
pub fn render(report: &Report, fail_on: Option<Severity>) -> String {
    let (e, w, n) = super::counts(report);
    let findings: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let mut v = json!({
                "rule": f.rule,
                "name": crate::rules::get(&f.rule).map_or("user-policy", |r| r.name),
                "severity": f.severity,
                "path": f.path,
                "line": f.start.line,
                "column": f.start.column,
                "end_line": f.end.line,
                "end_column": f.end.column,
                "message": f.message,
                "fingerprint": f.fingerprint,
            });
            if let Some(p) = &f.pointer {
                v["pointer"] = json!(p);
            }
            if let Some(ev) = &f.evidence {
                v["evidence"] = json!(ev);
            }
            if let Some(h) = &f.secret_hash {
                v["secret_hash"] = json!(h);
            }
            if !f.related.is_empty() {
                v["related"] = json!(f.related);
            }
            v
        })
        .collect();
    let failed = fail_on.is_some_and(|t| report.findings.iter().any(|f| f.severity >= t));
    let doc = json!({
        "version": 1,
        "tool": {"name": "clawcheck", "version": env!("CARGO_PKG_VERSION")},
        "summary": {
            "files_scanned": report.files_scanned,
            "bytes_scanned": report.bytes_scanned,
            "configs": report.configs.len(),
            "findings": report.findings.len(),
            "errors": e,
            "warnings": w,
            "notes": n,
            "fail_on": fail_on.map_or("never", Severity::as_str),
            "failed": failed,
            "skipped": report.skipped,
            "suppressed": report.suppressed.len(),
        },
        "configs": report.configs,
        "findings": findings,
    });
    let mut doc = doc;
    doc["suppressed"] = report
        .suppressed
        .iter()
        .map(|s| {
            let mut v = json!({
                "rule": s.finding.rule,
                "path": s.finding.path,
                "line": s.finding.start.line,
                "column": s.finding.start.column,
                "message": s.finding.message,
                "kind": s.kind,
                "reason": s.reason,
            });
            if let Some(o) = &s.owner {
                v["owner"] = json!(o);
            }
            v
        })
        .collect();
    if let Some(live) = &report.live {
        doc["live"] = super::live_summary(live);
    }
    let mut s = serde_json::to_string_pretty(&doc).expect("JSON values always serialise");
    s.push('\n');
    s
}
