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
/// serialised a bounded batch at a time ([`BATCH`], each batch on every
/// core, in order), never held as one tree nor one string (a report of
/// 100,000 findings is over 100 MB of text).
pub fn write(
    report: &Report,
    fail_on: Option<Severity>,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let doc = skeleton(report, fail_on);
    let empty = serde_json::Map::new();
    let members = doc.as_object().unwrap_or(&empty);
    // The members before `findings` (small: the summary and the configs)
    // printed into memory, the findings batch by batch, and the members
    // after them (the suppressed findings may be many) straight to `w`:
    // the text serde_json's pretty printer makes of the whole document.
    let at = members
        .keys()
        .position(|k| k == "findings")
        .unwrap_or(members.len());
    let part = |range: std::ops::Range<usize>| {
        Members(members.iter().skip(range.start).take(range.len()).collect())
    };
    let head = serde_json::to_vec_pretty(&part(0..at)).map_err(std::io::Error::from)?;
    match head.strip_suffix(b"\n}") {
        // `{` and the members, then the separator before `findings`
        Some(open) => {
            w.write_all(open)?;
            w.write_all(b",")?;
        }
        None => w.write_all(b"{")?, // `{}`: no member before
    }
    w.write_all(b"\n  \"findings\": ")?;
    write_findings(report, w)?;
    if at + 1 >= members.len() {
        w.write_all(b"\n}")?;
    } else {
        // `{\n  "inputs": …\n}` with its `{` turned into the separator
        w.write_all(b",")?;
        let mut rest = SkipFirst { w, skip: 1 };
        serde_json::to_writer_pretty(&mut rest, &part(at + 1..members.len()))
            .map_err(std::io::Error::from)?;
    }
    w.write_all(b"\n")
}

/// Some members of an object, borrowed, printed as an object.
struct Members<'a>(Vec<(&'a String, &'a Value)>);

impl Serialize for Members<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// A writer that drops the first `skip` bytes written to it.
struct SkipFirst<'a> {
    w: &'a mut dyn std::io::Write,
    skip: usize,
}

impl std::io::Write for SkipFirst<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let dropped = self.skip.min(buf.len());
        self.skip -= dropped;
        self.w.write_all(&buf[dropped..])?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.w.flush()
    }
}

/// Findings serialised per batch: enough to keep every core busy, little
/// enough memory (about a kilobyte of text each).
const BATCH: usize = 2048;

/// The `findings` array as serde_json's pretty printer writes it two levels
/// deep: each finding is printed on its own and every line after its first
/// indented by four spaces (a JSON string never holds a raw line break).
fn write_findings(report: &Report, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    use rayon::prelude::*;
    if report.findings.is_empty() {
        return w.write_all(b"[]");
    }
    w.write_all(b"[")?;
    for (n, batch) in report.findings.chunks(BATCH).enumerate() {
        let render = |(i, f): (usize, &crate::finding::Finding)| {
            let mut out = Vec::with_capacity(1280);
            out.extend_from_slice(if n == 0 && i == 0 {
                b"\n    "
            } else {
                b",\n    "
            });
            let mut ser = serde_json::Serializer::with_formatter(&mut out, Nested::at(2));
            serde::Serialize::serialize(&finding(report, f), &mut ser)?;
            Ok::<_, serde_json::Error>(out)
        };
        let texts: Vec<Vec<u8>> = if batch.len() > 64 {
            crate::pool::parallel_phases();
            batch
                .par_iter()
                .enumerate()
                .map(render)
                .collect::<Result<_, _>>()
        } else {
            batch
                .iter()
                .enumerate()
                .map(render)
                .collect::<Result<_, _>>()
        }
        .map_err(std::io::Error::from)?;
        for t in &texts {
            w.write_all(t)?;
        }
    }
    w.write_all(b"\n  ]")
}

/// serde_json's pretty printing (two spaces a level) of a value that sits
/// `depth` levels deep in the document: the text of pretty-printing it alone
/// with every line after the first indented by `depth` levels, written in
/// one pass (the findings of a report are printed on every core, each
/// alone).
struct Nested {
    depth: usize,
    has_value: bool,
}

impl Nested {
    fn at(depth: usize) -> Nested {
        Nested {
            depth,
            has_value: false,
        }
    }

    /// An array or object begins one level deeper.
    fn open<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    /// It ends on a line of its own unless it is empty.
    fn close<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.newline(w, false)?;
        }
        w.write_all(bracket)
    }

    fn newline<W: ?Sized + std::io::Write>(&self, w: &mut W, comma: bool) -> std::io::Result<()> {
        w.write_all(if comma { b",\n" } else { b"\n" })?;
        for _ in 0..self.depth {
            w.write_all(b"  ")?;
        }
        Ok(())
    }
}

/// The same calls as serde_json's `PrettyFormatter`, from `depth`.
impl serde_json::ser::Formatter for Nested {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.newline(w, !first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.newline(w, !first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// The report without its findings (`"findings": []`, filled by [`write`]).
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

/// One finding of the report as JSON (the member order is the schema's).
#[derive(Serialize)]
struct FindingJson<'a> {
    rule: &'a str,
    name: &'a str,
    severity: Severity,
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a str,
    fingerprint: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pointer: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    secret_hash: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<RelatedJson<'a>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    places: &'a [crate::finding::Place],
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<&'a crate::fix::Fix>,
    #[serde(skip_serializing_if = "Option::is_none")]
    introduced: Option<&'a crate::report::model::Origin>,
}

#[derive(Serialize)]
struct RelatedJson<'a> {
    rule: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    message: &'a str,
    fingerprint: &'a str,
}

fn finding<'a>(report: &'a Report, f: &'a crate::finding::Finding) -> FindingJson<'a> {
    FindingJson {
        rule: &f.rule,
        name: crate::rules::get(&f.rule).map_or("user-policy", |r| r.name),
        severity: f.severity,
        path: &f.path,
        line: f.start.line,
        column: f.start.column,
        end_line: f.end.line,
        end_column: f.end.column,
        message: &f.message,
        fingerprint: &f.fingerprint,
        pointer: f.pointer.as_deref(),
        evidence: f.evidence.as_deref(),
        secret_hash: f.secret_hash.as_deref(),
        related: f
            .related
            .iter()
            .map(|r| RelatedJson {
                rule: &r.rule,
                line: r.start.line,
                column: r.start.column,
                end_line: r.end.line,
                end_column: r.end.column,
                message: &r.message,
                fingerprint: &r.fingerprint,
            })
            .collect(),
        places: &f.places,
        fix: f.fix.as_ref(),
        introduced: super::origin(report, f),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Finding, Place, Related};
    use crate::source::Position;

    fn finding(i: usize) -> Finding {
        let at = |line| Position { line, column: 3 };
        Finding {
            rule: ["OC203", "OC311", "OC900"][i % 3].into(),
            severity: Severity::Warning,
            path: format!("dir/{i}.json"),
            start: at(i + 1),
            end: at(i + 2),
            message: format!("message {i} with \"quotes\", a\nline break and ü"),
            pointer: (i % 2 == 0).then(|| format!("/agents/a{i}")),
            evidence: (i % 5 == 0).then(|| "sk-…[40 chars]".into()),
            secret_hash: (i % 5 == 0).then(|| "abc".into()),
            fingerprint: format!("{i:032x}"),
            fix: (i % 4 == 0).then(|| crate::fix::Fix {
                applicability: crate::fix::Applicability::Safe,
                reason: "why".into(),
                edits: vec![crate::fix::Edit {
                    range: 0..1,
                    start: at(1),
                    end: at(1),
                    text: "\n  x: 1,".into(),
                }],
                env_var: None,
            }),
            snippet: None,
            snippet_column: 1,
            related: (i % 7 == 0)
                .then(|| Related {
                    rule: "OC211".into(),
                    start: at(1),
                    end: at(2),
                    message: "folded".into(),
                    fingerprint: "f".into(),
                })
                .into_iter()
                .collect(),
            places: (i % 6 == 0)
                .then(|| Place {
                    path: "compose.yaml".into(),
                    line: 4,
                    column: 5,
                    message: "there".into(),
                })
                .into_iter()
                .collect(),
        }
    }

    /// The report written batch by batch, each finding printed on its own
    /// and indented, is what serde_json's pretty printer makes of the same
    /// document: with no finding, fewer than a batch, and several batches.
    #[test]
    fn batched_findings_are_serde_jsons_pretty_text() {
        for n in [0, 1, 70, BATCH, 2 * BATCH + 5] {
            let report = Report {
                findings: (0..n).map(finding).collect(),
                ..Report::default()
            };
            let text = render(&report, Some(Severity::Error));
            let doc: Value = serde_json::from_str(&text).expect("valid JSON");
            assert_eq!(doc["findings"].as_array().map(Vec::len), Some(n));
            let pretty = serde_json::to_string_pretty(&doc).unwrap() + "\n";
            assert!(text == pretty, "{n} findings: not serde_json's pretty text");
        }
        let one = render(
            &Report {
                findings: vec![finding(0)],
                ..Report::default()
            },
            None,
        );
        for member in [
            "\"fix\"",
            "\"related\"",
            "\"places\"",
            "\"evidence\"",
            "\"pointer\"",
        ] {
            assert!(one.contains(member), "{member}");
        }
    }
}
