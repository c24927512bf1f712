//! A Markdown summary for humans reading CI: counts, findings per rule, and the
//! first findings with their location (e.g. `$GITHUB_STEP_SUMMARY`).

use super::escape;
use crate::engine::Report;
use crate::finding::Severity;
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
    out.push_str("\n| severity | location | rule | message |\n|---|---|---|---|\n");
    for f in report.findings.iter().take(MAX_ROWS) {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            f.severity,
            escape::markdown_code(&format!("{}:{}:{}", f.path, f.start.line, f.start.column)),
            escape::markdown_text(&f.rule),
            escape::markdown_text(&f.message)
        );
    }
    if report.findings.len() > MAX_ROWS {
        let _ = writeln!(
            out,
            "\n… and {} more (see the SARIF or JSON report).",
            report.findings.len() - MAX_ROWS
        );
    }
    out
}
