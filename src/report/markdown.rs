//! A Markdown summary for humans reading CI: counts, findings per rule, and the
//! first findings with their location (e.g. `$GITHUB_STEP_SUMMARY`).

use super::escape;
use crate::finding::{Finding, Severity};
use crate::report::model::Report;
use std::collections::BTreeMap;
use std::fmt::Write;

const MAX_ROWS: usize = 50;

/// `fail_on: None` is `--fail-on never`.
pub fn render(report: &Report, fail_on: Option<Severity>) -> String {
    let (e, w, n) = super::counts(report);
    let failed = fail_on.is_some_and(|t| report.findings.iter().any(|f| f.severity >= t));
    let level = fail_on.map_or("never", Severity::as_str);
    let mut out = String::new();
    let verdict = if failed { "❌ failed" } else { "✅ passed" };
    let _ = writeln!(out, "## clawcheck: {verdict}\n");
    let _ = writeln!(
        out,
        "{} files checked ({} configs): **{e}** errors, **{w}** warnings, **{n}** notes (fail level: {level}).\n",
        report.files_scanned,
        report.configs.len()
    );
    if let Some(g) = &report.git {
        let _ = writeln!(out, "{}\n", escape::markdown_text(&g.describe()));
    }
    if !report.skipped.is_empty() {
        let _ = writeln!(
            out,
            "{} files skipped (binary, too large or unreadable).\n",
            report.skipped.len()
        );
    }
    if let Some(b) = report.baseline.as_ref().filter(|b| !b.fixed.is_empty()) {
        let _ = writeln!(
            out,
            "Baseline {}: {} of {} recorded findings no longer found (fixed): record it again to shrink it.\n",
            escape::markdown_code(&b.path),
            b.fixed.len(),
            b.recorded
        );
    }
    if let Some(live) = &report.live {
        let lines = live.exercised.lines();
        let _ = writeln!(out, "**Live run:** {}\n", escape::markdown_text(&lines[0]));
        for l in &lines[1..] {
            let _ = writeln!(out, "- {}", escape::markdown_text(l.trim_start()));
        }
        out.push('\n');
    }
    if report.findings.is_empty() {
        return out;
    }
    let mut per_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &report.findings {
        *per_rule.entry(&f.rule).or_default() += 1;
    }
    out.push_str("| rule | name | findings |\n|---|---|---|\n");
    for (rule, count) in &per_rule {
        let name = crate::rules::get(rule).map_or("user-policy", |r| r.name);
        let _ = writeln!(
            out,
            "| {} | {} | {count} |",
            escape::markdown_text(rule),
            escape::markdown_code(name)
        );
    }
    out.push('\n');
    let first: Vec<&Finding> = report.findings.iter().take(MAX_ROWS).collect();
    out.push_str(&table(&first, SUMMARY_BUDGET));
    if report.findings.len() > MAX_ROWS {
        let _ = writeln!(
            out,
            "\n… and {} more (see the SARIF or JSON report).",
            report.findings.len() - MAX_ROWS
        );
    }
    out
}

/// Bytes a findings table may take: GitHub takes at most 1 MiB of step
/// summary per step.
pub const SUMMARY_BUDGET: usize = 900 * 1024;

/// A table of findings, one row each, until the rows would pass `budget`
/// bytes; then a line counting the rest.
pub fn table(findings: &[&Finding], budget: usize) -> String {
    let mut out = String::from("| severity | location | rule | message |\n|---|---|---|---|\n");
    for (i, f) in findings.iter().enumerate() {
        let row = format!(
            "| {} | {} | {} | {} |\n",
            f.severity,
            escape::markdown_code(&format!("{}:{}:{}", f.path, f.start.line, f.start.column)),
            escape::markdown_text(&f.rule),
            escape::markdown_text(&f.message)
        );
        if out.len() + row.len() > budget {
            let _ = writeln!(
                out,
                "\n… and {} more (see the SARIF or JSON report).",
                findings.len() - i
            );
            break;
        }
        out.push_str(&row);
    }
    out
}
