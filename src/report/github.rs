//! GitHub Actions workflow commands: one `::error`/`::warning`/`::notice`
//! annotation per finding, shown inline on the pull request.

use crate::finding::Severity;
use crate::report::model::Report;
use std::fmt::Write;

/// Escapes the message part of a workflow command.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (also `:` and `,`).
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Annotations GitHub shows per step for each kind (error, warning,
/// notice); a job shows 50 in all (actions/toolkit, "problem matchers":
/// limitations). Past them GitHub drops annotations without a word.
pub const PER_KIND: usize = 10;

fn kind(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    }
}

/// Which findings get an annotation: the first [`PER_KIND`] of each kind in
/// report order, one notice fewer when some are left out (the notice that
/// says so takes its place).
pub fn annotated(report: &Report) -> Vec<bool> {
    let count = |s: Severity| report.findings.iter().filter(|f| f.severity == s).count();
    let overflow = [Severity::Error, Severity::Warning, Severity::Note]
        .into_iter()
        .any(|s| count(s) > PER_KIND);
    // errors, warnings, notices still to annotate
    let mut left = [PER_KIND, PER_KIND, PER_KIND - usize::from(overflow)];
    report
        .findings
        .iter()
        .map(|f| {
            let n = &mut left[match f.severity {
                Severity::Error => 0,
                Severity::Warning => 1,
                Severity::Note => 2,
            }];
            let shown = *n > 0;
            *n = n.saturating_sub(1);
            shown
        })
        .collect()
}

/// The annotations, and when GitHub would not show them all, a notice first
/// that says how many are left out and where they are: the step summary
/// (`in_summary`: `$GITHUB_STEP_SUMMARY` is set and [`rest_summary`] is
/// written to it) or the other reports.
pub fn render(report: &Report, in_summary: bool) -> String {
    let mut out = String::new();
    let shown = annotated(report);
    let left_out = shown.iter().filter(|s| !**s).count();
    if left_out > 0 {
        let where_ = if in_summary {
            "the step summary lists them"
        } else {
            "see the SARIF or JSON report (--report) for them"
        };
        let _ = writeln!(
            out,
            "::notice title=clawcheck::{}",
            escape_data(&format!(
                "{left_out} of {} findings have no annotation: GitHub shows {PER_KIND} annotations of each kind (error, warning, notice) per step and 50 per job; {where_}",
                report.findings.len()
            ))
        );
    }
    for (f, _) in report.findings.iter().zip(&shown).filter(|(_, s)| **s) {
        let name = crate::rules::get(&f.rule).map_or("user-policy", |r| r.name);
        let _ = writeln!(
            out,
            "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            kind(f.severity),
            escape_property(&f.path),
            f.start.line,
            f.start.column,
            f.end.line,
            f.end.column,
            escape_property(&format!("{} {name}", f.rule)),
            escape_data(&f.message)
        );
    }
    out
}

/// The step summary's table of the findings that have no annotation, or
/// `None` when every finding has one.
pub fn rest_summary(report: &Report) -> Option<String> {
    let shown = annotated(report);
    let rest: Vec<&crate::finding::Finding> = report
        .findings
        .iter()
        .zip(&shown)
        .filter(|(_, s)| !**s)
        .map(|(f, _)| f)
        .collect();
    if rest.is_empty() {
        return None;
    }
    let mut out = format!(
        "### clawcheck: {} findings without an annotation\n\nGitHub shows {PER_KIND} annotations of each kind per step and 50 per job.\n\n",
        rest.len()
    );
    out.push_str(&super::markdown::table(
        &rest,
        super::markdown::SUMMARY_BUDGET,
    ));
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_per_the_workflow_command_rules() {
        assert_eq!(escape_data("a%b\nc"), "a%25b%0Ac");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
