//! JUnit XML (written by `quick-junit`, the crate cargo-nextest writes its
//! JUnit reports with): one test case per checked config and per
//! finding-bearing file; a file with findings at or above the fail level is a
//! failed test case whose `<failure>` lists them, one per line.

use super::escape::markup_line;
use crate::finding::{Finding, Severity};
use crate::report::model::Report;
use quick_junit::{NonSuccessKind, Property, TestCase, TestCaseStatus, TestSuite};
use std::collections::{BTreeMap, BTreeSet};

/// Text as XML 1.0 allows it: control characters other than tab and line
/// feed, and U+FFFE/U+FFFF, become U+FFFD (as in the HTML report). The XML
/// escaping itself is quick-junit's.
fn text(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\n' | '\t' => c,
            '\u{fffe}' | '\u{ffff}' => '\u{fffd}',
            c if c.is_control() => '\u{fffd}',
            c => c,
        })
        .collect()
}

/// A failed test case: one `<failure>` (a JUnit test case has at most one)
/// whose message counts the findings and names their rules, and whose text
/// is one `path:line:col: severity [RULE] message` line per finding.
fn failure(failing: &[&Finding]) -> TestCaseStatus {
    let rules: BTreeSet<&str> = failing.iter().map(|f| f.rule.as_str()).collect();
    let worst = failing.iter().map(|f| f.severity).max();
    let lines: Vec<String> = failing
        .iter()
        .map(|f| {
            format!(
                "{}:{}:{}: {} [{}] {}",
                markup_line(&f.path),
                f.start.line,
                f.start.column,
                f.severity,
                f.rule,
                markup_line(&f.message)
            )
        })
        .collect();
    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
    status
        .set_message(text(&format!(
            "{} finding{}: {}",
            failing.len(),
            super::human::plural(failing.len()),
            rules.into_iter().collect::<Vec<_>>().join(", ")
        )))
        .set_type(worst.map_or("", Severity::as_str))
        .set_description(text(&lines.join("\n")));
    status
}

pub fn render(report: &Report, fail_on: Severity) -> String {
    let mut files: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for c in &report.configs {
        files.entry(&c.path).or_default();
    }
    for f in &report.findings {
        files.entry(&f.path).or_default().push(f);
    }
    let mut suite = TestSuite::new("clawcheck");
    if let Some(live) = &report.live {
        // What the live run exercised: the executor and the configs' limits
        // (the OC4xx failures are its observations).
        suite.add_properties(
            live.exercised.lines().iter().enumerate().map(|(i, line)| {
                Property::new(format!("clawcheck.live.exercised.{i}"), text(line))
            }),
        );
    }
    for (path, findings) in &files {
        let failing: Vec<&Finding> = findings
            .iter()
            .copied()
            .filter(|f| f.severity >= fail_on)
            .collect();
        let status = if failing.is_empty() {
            TestCaseStatus::success()
        } else {
            failure(&failing)
        };
        let mut case = TestCase::new(text(&markup_line(path)), status);
        case.set_classname("clawcheck");
        suite.add_test_case(case);
    }
    let mut junit = quick_junit::Report::new("clawcheck");
    junit.add_test_suite(suite);
    // Writing to memory fails only on an I/O error, which a Vec has none of.
    super::escape::markup_lines(junit.to_string().expect("JUnit XML is written to memory"))
}
