//! A self-contained HTML compliance report for auditors: summary and verdict,
//! NIST SP 800-53 control status, findings by file with the (redacted) source
//! line, suppressed findings with their reasons, and the live run.
//!
//! One file, inline CSS, no script and no external fetch (a
//! Content-Security-Policy forbids both), so it can be archived as evidence
//! and opened anywhere. Every value from the input is HTML-escaped.

use super::controls::{self, State};
use super::Timestamps;
use crate::engine::Report;
use crate::finding::{Finding, Severity};
use std::collections::BTreeMap;
use std::fmt::Write;

const CSS: &str = "
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#1f2328}
h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:1.8em;border-bottom:1px solid #d0d7de;padding-bottom:.2em}
h3{font-size:1.05em;margin:1.4em 0 .4em;font-family:ui-monospace,monospace;word-break:break-all}
table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{border:1px solid #d0d7de;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.n{text-align:right;white-space:nowrap}code,pre{font-family:ui-monospace,monospace;font-size:.92em}
pre{background:#f6f8fa;padding:.4em .6em;margin:.3em 0;overflow-x:auto;white-space:pre}
.verdict{display:inline-block;padding:.2em .7em;border-radius:4px;font-weight:bold;color:#fff}
.pass{background:#1a7f37}.fail{background:#cf222e}
.error{color:#cf222e;font-weight:bold}.warning{color:#9a6700;font-weight:bold}.note{color:#0969da;font-weight:bold}
.st-satisfied{color:#1a7f37;font-weight:bold}.st-not-satisfied{color:#cf222e;font-weight:bold}.st-waived{color:#9a6700;font-weight:bold}
.muted{color:#59636e}.help{color:#59636e;font-size:.92em;margin-top:.3em}
@media print{body{margin:0;max-width:none}pre{white-space:pre-wrap}}
";

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            // Control characters other than tab/newline are not valid HTML text.
            c if c.is_control() && c != '\n' && c != '\t' => o.push('\u{fffd}'),
            c => o.push(c),
        }
    }
    o
}

fn severity_cell(s: Severity) -> String {
    format!("<span class=\"{0}\">{0}</span>", s.as_str())
}

fn rule_cell(rule: &str) -> String {
    let name = crate::rules::get(rule).map_or("user-policy", |r| r.name);
    format!("{} <code>{}</code>", escape(rule), escape(name))
}

pub fn render(report: &Report, fail_on: Option<Severity>, time: &Timestamps) -> String {
    let (e, w, n) = super::counts(report);
    let failed = fail_on.is_some_and(|t| report.findings.iter().any(|f| f.severity >= t));
    let level = fail_on.map_or("never", Severity::as_str);
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>clawcheck compliance report</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
    );
    let _ = writeln!(
        o,
        "<h1>clawcheck compliance report</h1>\n<p><span class=\"verdict {}\">{}</span> at <code>--fail-on {level}</code></p>\n<p class=\"muted\">clawcheck {}, evidence collected {} to {}.</p>",
        if failed { "fail" } else { "pass" },
        if failed { "FAILED" } else { "PASSED" },
        env!("CARGO_PKG_VERSION"),
        super::rfc3339(time.start),
        super::rfc3339(time.end),
    );

    o.push_str("<h2 id=\"summary\">Summary</h2>\n<table>\n");
    for (label, value) in [
        ("Files checked", report.files_scanned),
        ("OpenClaw configs", report.configs.len()),
        ("Errors", e),
        ("Warnings", w),
        ("Notes", n),
        ("Suppressed (with a reason)", report.suppressed.len()),
        ("Skipped files", report.skipped.len()),
    ] {
        let _ = writeln!(o, "<tr><th>{label}</th><td class=\"n\">{value}</td></tr>");
    }
    o.push_str("</table>\n");
    if !report.configs.is_empty() {
        o.push_str("<table>\n<tr><th>Config</th><th>Dialect</th></tr>\n");
        for c in &report.configs {
            let _ = writeln!(
                o,
                "<tr><td><code>{}</code></td><td>{}</td></tr>",
                escape(&c.path),
                c.dialect.as_str()
            );
        }
        o.push_str("</table>\n");
    }

    render_controls(&mut o, report);
    render_findings(&mut o, report);
    render_suppressed(&mut o, report);
    if let Some(live) = &report.live {
        render_live(&mut o, live);
    }
    if !report.skipped.is_empty() {
        o.push_str("<h2 id=\"skipped\">Skipped files</h2>\n<table>\n<tr><th>File</th><th>Reason</th></tr>\n");
        for s in &report.skipped {
            let _ = writeln!(
                o,
                "<tr><td><code>{}</code></td><td>{}</td></tr>",
                escape(&s.path),
                escape(&s.reason)
            );
        }
        o.push_str("</table>\n");
    }
    o.push_str("<p class=\"muted\">Secrets are shown redacted. Apart from the timestamps, this report is derived only from the checked files; set SOURCE_DATE_EPOCH to make it byte-identical across runs.</p>\n</body>\n</html>\n");
    o
}

fn render_controls(o: &mut String, report: &Report) {
    let controls = controls::controls(report);
    o.push_str("<h2 id=\"controls\">Controls (NIST SP 800-53 rev5)</h2>\n");
    if controls.is_empty() {
        o.push_str("<p>No rule was applied, so no control was assessed.</p>\n");
        return;
    }
    let count = |s: State| controls.iter().filter(|c| c.state(report) == s).count();
    let _ = writeln!(
        o,
        "<p>{} controls assessed: {} not satisfied, {} waived, {} satisfied.</p>",
        controls.len(),
        count(State::NotSatisfied),
        count(State::Waived),
        count(State::Satisfied)
    );
    o.push_str("<table>\n<tr><th>Control</th><th>Status</th><th>Rules</th><th>Findings</th><th>Suppressed</th></tr>\n");
    for c in &controls {
        let state = c.state(report);
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td class=\"st-{}\">{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            crate::rules::control_label(c.id),
            state.as_str().replace(' ', "-"),
            state.as_str(),
            c.rules.join(", "),
            c.findings.len(),
            c.suppressed.len()
        );
    }
    o.push_str("</table>\n");
}

/// `real`: the finding is in a real OpenClaw config (its advice names real keys).
fn finding_row(o: &mut String, f: &Finding, real: bool) {
    let _ = write!(
        o,
        "<tr><td>{}</td><td>{}</td><td class=\"n\">{}:{}</td><td>{}",
        severity_cell(f.severity),
        rule_cell(&f.rule),
        f.start.line,
        f.start.column,
        escape(&f.message)
    );
    if let Some(snippet) = &f.snippet {
        let _ = write!(o, "<pre>{}</pre>", escape(snippet));
    }
    if let Some(ev) = &f.evidence {
        let _ = write!(o, "<div>Evidence: <code>{}</code></div>", escape(ev));
    }
    if let Some(r) = crate::rules::get(&f.rule) {
        let _ = write!(
            o,
            "<div class=\"help\">Fix: {}</div>",
            escape(r.advice(real).help)
        );
    }
    o.push_str("</td></tr>\n");
}

fn render_findings(o: &mut String, report: &Report) {
    o.push_str("<h2 id=\"findings\">Findings</h2>\n");
    if report.findings.is_empty() {
        o.push_str("<p>No findings.</p>\n");
        return;
    }
    let real = report.real_config_files();
    let mut by_file: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in &report.findings {
        by_file.entry(&f.path).or_default().push(f);
    }
    for (path, findings) in by_file {
        let _ = writeln!(
            o,
            "<h3>{} <span class=\"muted\">({} finding{})</span></h3>",
            escape(path),
            findings.len(),
            if findings.len() == 1 { "" } else { "s" }
        );
        o.push_str(
            "<table>\n<tr><th>Severity</th><th>Rule</th><th>Line:col</th><th>Message</th></tr>\n",
        );
        for f in findings {
            finding_row(o, f, real.contains(path));
        }
        o.push_str("</table>\n");
    }
}

fn render_suppressed(o: &mut String, report: &Report) {
    if report.suppressed.is_empty() {
        return;
    }
    o.push_str("<h2 id=\"suppressed\">Suppressed findings</h2>\n<p>These do not fail the run. Inline comments and waivers accept a finding with the reason shown; a baseline entry only hides a pre-existing finding from the gate (it still fails its control above).</p>\n<table>\n<tr><th>Rule</th><th>Location</th><th>By</th><th>Reason</th><th>Message</th></tr>\n");
    for s in &report.suppressed {
        let f = &s.finding;
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td><code>{}:{}:{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            rule_cell(&f.rule),
            escape(&f.path),
            f.start.line,
            f.start.column,
            match s.kind {
                "inline" => "inline comment",
                "baseline" => "baseline (pre-existing, not waived)",
                _ => "waiver",
            },
            escape(&s.reason)
                + &s.owner
                    .as_ref()
                    .map(|o| format!(" (owner: {})", escape(o)))
                    .unwrap_or_default(),
            escape(&f.message)
        );
    }
    o.push_str("</table>\n");
}

fn render_live(o: &mut String, live: &crate::checks::live::LiveReport) {
    o.push_str("<h2 id=\"live\">Live run</h2>\n");
    let ex = &live.exercised;
    let _ = writeln!(o, "<p class=\"exercised\">{}</p>", escape(&ex.statement));
    for c in &ex.configs {
        let _ = writeln!(
            o,
            "<h3>{}</h3>\n<table>\n<tr><th>Agent</th><th>Run</th><th>Limit</th><th>Value</th><th>From</th></tr>",
            escape(&c.statement)
        );
        for r in &c.runs {
            for l in r.limits.iter().chain(&r.not_exercised) {
                let from = match l.source.as_str() {
                    "config" => format!(
                        "<code>{}</code> at {}",
                        escape(l.setting.as_deref().unwrap_or(&l.pointer)),
                        escape(&l.location)
                    ),
                    "openclaw-default" => format!("OpenClaw default: {}", escape(&l.text)),
                    "not-exercised" => format!(
                        "<span class=\"warning\">not exercised</span> ({}): {}",
                        escape(&l.location),
                        escape(&l.text)
                    ),
                    _ => escape(&l.text),
                };
                let _ = writeln!(
                    o,
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{from}</td></tr>",
                    escape(&r.agent),
                    escape(&r.run),
                    escape(&l.limit),
                    escape(&l.value)
                );
            }
        }
        o.push_str("</table>\n");
    }
    o.push_str("<table>\n<tr><th>Isolation layer</th><th>Active</th><th>Detail</th></tr>\n");
    for l in &live.layers {
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(l.name),
            if l.active {
                "yes"
            } else {
                "<span class=\"error\">no</span>"
            },
            escape(&l.detail)
        );
    }
    o.push_str("</table>\n<table>\n<tr><th>Agent</th><th>Requests</th><th>Timeouts</th><th>Timeout (s)</th><th>Max overshoot (ms)</th><th>Survivors</th><th>Leaks</th></tr>\n");
    for a in &live.agents {
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{:.1}</td><td class=\"n\">{:.1}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            escape(&a.name),
            a.requests,
            a.timeouts,
            a.effective_timeout_secs,
            a.max_overshoot_ms,
            a.survivors,
            a.leaks
        );
    }
    o.push_str("</table>\n");
    for note in &live.notes {
        let _ = writeln!(o, "<p class=\"muted\">Note: {}</p>", escape(note));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            super::escape("<script>\"a\" & 'b'</script>"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
    }
}
