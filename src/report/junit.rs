//! JUnit XML: one test case per checked config and per finding-bearing file,
//! one failure per finding at or above the fail level, for CI systems that
//! render JUnit reports.

use crate::finding::Severity;
use crate::report::model::Report;
use std::collections::BTreeMap;
use std::fmt::Write;

/// XML 1.0 text: the HTML escaper's output is valid XML too (`&#39;`, and
/// control characters, which XML 1.0 forbids, become U+FFFD).
fn xml(s: &str) -> String {
    super::html::escape(s)
}

pub fn render(report: &Report, fail_on: Severity) -> String {
    let mut files: BTreeMap<&str, Vec<&crate::finding::Finding>> = BTreeMap::new();
    for c in &report.configs {
        files.entry(&c.path).or_default();
    }
    for f in &report.findings {
        files.entry(&f.path).or_default().push(f);
    }
    let failures: usize = files
        .values()
        .filter(|v| v.iter().any(|f| f.severity >= fail_on))
        .count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"clawcheck\" tests=\"{}\" failures=\"{failures}\">",
        files.len()
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"clawcheck\" tests=\"{}\" failures=\"{failures}\" errors=\"0\">",
        files.len()
    );
    if let Some(live) = &report.live {
        // What the live run exercised: the executor and the configs' limits
        // (the OC4xx failures below are its observations).
        out.push_str("    <properties>\n");
        for (i, line) in live.exercised.lines().iter().enumerate() {
            let _ = writeln!(
                out,
                "      <property name=\"clawcheck.live.exercised.{i}\" value=\"{}\"/>",
                xml(line)
            );
        }
        out.push_str("    </properties>\n");
    }
    for (path, findings) in &files {
        let _ = write!(
            out,
            "    <testcase classname=\"clawcheck\" name=\"{}\"",
            xml(path)
        );
        let failing: Vec<_> = findings.iter().filter(|f| f.severity >= fail_on).collect();
        if failing.is_empty() {
            out.push_str("/>\n");
            continue;
        }
        out.push_str(">\n");
        for f in failing {
            let _ = writeln!(
                out,
                "      <failure type=\"{}\" message=\"{}\">{}:{}:{}: {} [{}] {}</failure>",
                f.rule,
                xml(&f.message),
                xml(&f.path),
                f.start.line,
                f.start.column,
                f.severity,
                f.rule,
                xml(&f.message)
            );
        }
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}
