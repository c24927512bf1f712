//! GitHub Actions workflow commands: one `::error`/`::warning`/`::notice`
//! annotation per finding, shown inline on the pull request.

use crate::engine::Report;
use crate::finding::Severity;
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

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.findings {
        let kind = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "notice",
        };
        let name = crate::rules::get(&f.rule).map_or("user-policy", |r| r.name);
        let _ = writeln!(
            out,
            "::{kind} file={},line={},col={},endLine={},endColumn={},title={}::{}",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_per_the_workflow_command_rules() {
        assert_eq!(escape_data("a%b\nc"), "a%25b%0Ac");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
