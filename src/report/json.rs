//! The JSON report (schema version 1, documented in README "JSON output").

use crate::finding::Severity;
use crate::report::model::Report;
use serde::Serialize;
use serde_json::{json, Value};

/// `fail_on: None` is `--fail-on never`.
pub fn render(report: &Report, fail_on: Option<Severity>) -> String {
    let mut out = Vec::new();
    write(report, fail_on, &mut out).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// [`render`], written to `w` as it is produced: the findings are
/// serialised one at a time, never held as one tree nor one string (a
/// report of 100,000 findings is over 100 MB of text).
pub fn write(
    report: &Report,
    fail_on: Option<Severity>,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let doc = skeleton(report, fail_on);
    let mut ser = serde_json::Serializer::pretty(&mut *w);
    Streamed { doc: &doc, report }
        .serialize(&mut ser)
        .map_err(std::io::Error::from)?; // keeps an io error's kind (a closed pipe)
    w.write_all(b"\n")
}

/// The report's top-level object, its `findings` serialised in place one by one.
struct Streamed<'a> {
    doc: &'a Value,
    report: &'a Report,
}

impl serde::Serialize for Streamed<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let empty = serde_json::Map::new();
        let doc = self.doc.as_object().unwrap_or(&empty);
        let mut map = s.serialize_map(Some(doc.len()))?;
        for (k, v) in doc {
            if k == "findings" {
                map.serialize_entry(k, &Findings(self.report))?;
            } else {
                map.serialize_entry(k, v)?;
            }
        }
        map.end()
    }
}

struct Findings<'a>(&'a Report);

impl serde::Serialize for Findings<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(self.0.findings.len()))?;
        for f in &self.0.findings {
            seq.serialize_element(&finding(self.0, f))?;
        }
        seq.end()
    }
}

/// The report without its findings (`"findings": []`, filled by [`Streamed`]).
fn skeleton(report: &Report, fail_on: Option<Severity>) -> Value {
    let (e, w, n) = super::counts(report);
    let findings: Vec<Value> = Vec::new();
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
        "inputs": super::inputs_json(report),
    });
    let mut doc = doc;
    doc["suppressed"] = report
        .suppressed
        .iter()
        .map(|s| {
            let mut v = json!({
                "rule": s.finding.rule,
                "severity": s.finding.severity,
                "path": s.finding.path,
                "line": s.finding.start.line,
                "column": s.finding.start.column,
                "end_line": s.finding.end.line,
                "end_column": s.finding.end.column,
                "message": s.finding.message,
                "fingerprint": s.finding.fingerprint,
                "kind": s.kind,
                "reason": s.reason,
            });
            if let Some(o) = &s.owner {
                v["owner"] = json!(o);
            }
            if let Some(e) = &s.expires {
                v["expires"] = json!(e);
            }
            v
        })
        .collect();
    if let Some(b) = &report.baseline {
        doc["baseline"] = json!(b);
    }
    if let Some(g) = &report.git {
        doc["git"] = super::git_summary(g);
    }
    if let Some(live) = &report.live {
        doc["live"] = super::live_summary(live);
    }
    if !report.fixes.is_empty() {
        doc["fixes"] = json!(report.fixes);
    }
    // The rules that ran, so that `clawcheck merge` can tell the controls
    // assessed from those that were not.
    doc["assessed_rules"] = json!(report.assessed_rules);
    doc
}

/// One finding of the report as JSON.
fn finding(report: &Report, f: &crate::finding::Finding) -> Value {
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
        v["related"] = f
            .related
            .iter()
            .map(|r| {
                json!({
                    "rule": r.rule,
                    "line": r.start.line,
                    "column": r.start.column,
                    "end_line": r.end.line,
                    "end_column": r.end.column,
                    "message": r.message,
                    "fingerprint": r.fingerprint,
                })
            })
            .collect();
    }
    if !f.places.is_empty() {
        v["places"] = json!(f.places);
    }
    if let Some(fix) = &f.fix {
        v["fix"] = json!(fix);
    }
    if let Some(o) = super::origin(report, f) {
        v["introduced"] = json!(o);
    }
    v
}
