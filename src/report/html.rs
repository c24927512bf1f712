//! A self-contained HTML compliance report for auditors: summary and verdict,
//! NIST SP 800-53 control status, findings by file with the (redacted) source
//! line, suppressed findings with their reasons, and the live run.
//!
//! One file, inline CSS, no script and no external fetch (a
//! Content-Security-Policy forbids both), so it can be archived as evidence
//! and opened anywhere. Every value from the input is HTML-escaped.

use super::controls::{self, State};
use super::Timestamps;
use crate::finding::{Finding, Severity};
use crate::report::model::Report;
use std::collections::BTreeMap;
use std::fmt::Write;

const CSS: &str = "
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#1f2328}
h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:1.8em;border-bottom:1px solid #d0d7de;padding-bottom:.2em}
h3{font-size:1.05em;margin:1.4em 0 .4em;font-family:ui-monospace,monospace;overflow-wrap:anywhere}h3.t{font-family:inherit}
table#counts{width:auto;min-width:22em}
.wide{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{border:1px solid #d0d7de;padding:.3em .5em;text-align:left;vertical-align:top;overflow-wrap:break-word}
td code{overflow-wrap:anywhere}td.st,th{white-space:nowrap}
th{background:#f6f8fa}td.n{text-align:right;white-space:nowrap}code,pre{font-family:ui-monospace,monospace;font-size:.92em}
td.hash,span.hash{font-family:ui-monospace,monospace;font-size:.8em;word-break:break-all}
pre{background:#f6f8fa;padding:.4em .6em;margin:.3em 0;overflow-x:auto;white-space:pre-wrap;overflow-wrap:anywhere}
.verdict{display:inline-block;padding:.25em .8em;border-radius:4px;font-weight:bold;color:#fff;font-size:1.1em}
.pass{background:#1a7f37}.fail{background:#cf222e}.gap{background:#9a6700}
.error{color:#cf222e;font-weight:bold}.warning{color:#9a6700;font-weight:bold}.note{color:#0969da;font-weight:bold}
.st-satisfied{color:#1a7f37;font-weight:bold}.st-not-satisfied{color:#cf222e;font-weight:bold}.st-waived{color:#9a6700;font-weight:bold}
.muted{color:#59636e}.help{color:#59636e;font-size:.92em;margin-top:.3em}
.chart svg{max-width:100%;height:auto}
.legend span{display:inline-block;margin-right:1em}.sw{display:inline-block;width:.8em;height:.8em;margin-right:.3em;vertical-align:middle}
.sw-error{background:#cf222e}.sw-warning{background:#d4a72c}.sw-note{background:#54aeff}.sw-ns{background:#cf222e}.sw-wv{background:#d4a72c}.sw-ok{background:#4ac26b}
@media print{body{margin:0;max-width:none;font-size:11px}pre{white-space:pre-wrap}.wide{overflow:visible}tr{break-inside:avoid}h2,h3{break-after:avoid}.chart{break-inside:avoid}}
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
            // A line break as a character reference (the same text to a
            // browser, and no text of a checked file starts a line of the
            // document, which a CI log may print); other control
            // characters but tab are not valid HTML text.
            '\n' => o.push_str("&#10;"),
            '\r' => o.push_str("&#13;"),
            c if c.is_control() && c != '\t' => o.push('\u{fffd}'),
            c => o.push(c),
        }
    }
    o
}

/// Escapes prose that marks code the Markdown way (`gateway.bind`): each
/// pair of backticks becomes a `<code>` element, so no raw backtick is
/// printed; an unpaired one stays as text.
pub fn prose(s: &str) -> String {
    let parts: Vec<&str> = s.split('`').collect();
    let paired = parts.len() - 1 - (parts.len() - 1) % 2;
    let mut o = String::with_capacity(s.len() + 16);
    for (i, part) in parts.iter().enumerate() {
        if i > 0 && i > paired {
            o.push('`');
        }
        if i % 2 == 1 && i < paired + 1 {
            let _ = write!(o, "<code>{}</code>", escape(part));
        } else {
            o.push_str(&escape(part));
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

/// `OC301, OC302, OC303, OC305` → `OC301–OC303, OC305`: the secret rules
/// share controls, and a list of thirty ids hides the others.
fn rule_ranges(ids: &[&str]) -> String {
    let num = |id: &str| id.strip_prefix("OC").and_then(|n| n.parse::<u32>().ok());
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < ids.len() {
        let mut j = i;
        while j + 1 < ids.len()
            && matches!((num(ids[j]), num(ids[j + 1])), (Some(a), Some(b)) if b == a + 1)
        {
            j += 1;
        }
        parts.push(if j >= i + 2 {
            format!("{}\u{2013}{}", ids[i], ids[j])
        } else {
            ids[i..=j].join(", ")
        });
        i = j + 1;
    }
    parts.join(", ")
}

/// How an entry's state reads in its framework: NIST controls are
/// satisfied or not (as in the OSCAL report); the other control sets say
/// only whether a gap was found, and the risk lists whether the risk was.
fn state_label(framework: &str, state: State) -> &'static str {
    let risk_list = matches!(
        framework,
        "owasp-asi-2026" | "owasp-llm-2025" | "mitre-atlas" | "cwe"
    );
    match (state, framework) {
        (State::Waived, _) => "waived",
        (State::NotSatisfied, _) if risk_list => "found",
        (State::NotSatisfied, _) => "not satisfied",
        (State::Satisfied, crate::rules::frameworks::NIST) => "satisfied",
        (State::Satisfied, _) if risk_list => "not found",
        (State::Satisfied, _) => "no gap found",
    }
}

/// The two verdicts, stated apart: the gate (`--fail-on`) only looks at
/// active findings, while a control also fails on a baselined finding.
struct Verdict {
    gate_failed: bool,
    not_satisfied: usize,
    waived: usize,
    assessed: usize,
}

impl Verdict {
    fn banner(&self) -> (&'static str, String) {
        if self.gate_failed {
            ("fail", "FAILED".into())
        } else if self.not_satisfied > 0 {
            (
                "gap",
                format!(
                    "GATE PASSED, {} CONTROL{} NOT SATISFIED",
                    self.not_satisfied,
                    if self.not_satisfied == 1 { "" } else { "S" }
                ),
            )
        } else if self.waived > 0 {
            ("gap", "PASSED WITH WAIVERS".into())
        } else {
            ("pass", "PASSED".into())
        }
    }
}

pub fn render(report: &Report, fail_on: Option<Severity>, time: &Timestamps) -> String {
    let (e, w, n) = super::counts(report);
    let gated = fail_on.map_or(0, |t| {
        report.findings.iter().filter(|f| f.severity >= t).count()
    });
    let level = fail_on.map_or("never", Severity::as_str);
    let nist = controls::controls(report);
    let count = |s: State| nist.iter().filter(|c| c.state(report) == s).count();
    let verdict = Verdict {
        gate_failed: gated > 0,
        not_satisfied: count(State::NotSatisfied),
        waived: count(State::Waived),
        assessed: nist.len(),
    };
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">\n\
<meta name=\"referrer\" content=\"no-referrer\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>clawcheck compliance report</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
    );
    let (class, banner) = verdict.banner();
    let _ = writeln!(
        o,
        "<h1>clawcheck compliance report</h1>\n<p><span class=\"verdict {class}\" id=\"verdict\">{banner}</span></p>\n<p class=\"muted\">clawcheck {}, evidence collected {} to {}.</p>",
        env!("CARGO_PKG_VERSION"),
        super::rfc3339(time.start),
        super::rfc3339(time.end),
    );

    o.push_str("<h2 id=\"summary\">Summary</h2>\n<ul>\n");
    let _ = writeln!(
        o,
        "<li><strong>Gate:</strong> {} at <code>--fail-on {level}</code>: <span id=\"gated\">{gated}</span> active finding{} at or above the threshold.</li>",
        if verdict.gate_failed { "<span class=\"error\">failed</span>" } else { "passed" },
        if gated == 1 { "" } else { "s" },
    );
    let _ = writeln!(
        o,
        "<li><strong>Controls (NIST SP 800-53 rev5):</strong> {} assessed: <span class=\"st-not-satisfied\">{} not satisfied</span>, <span class=\"st-waived\">{} waived</span>, <span class=\"st-satisfied\">{} satisfied</span>. A control is assessed when a rule that evidences it was applied; <em>satisfied</em> means those rules found no warning or error, not that the control is implemented in full. Baselined findings do not fail the gate but do fail their controls.</li>",
        verdict.assessed,
        verdict.not_satisfied,
        verdict.waived,
        count(State::Satisfied),
    );
    o.push_str("</ul>\n<table id=\"counts\">\n");
    for (id, label, value) in [
        ("files", "Files checked", report.files_scanned),
        (
            "clean-files",
            "Files without a finding",
            clean_files(report).len(),
        ),
        ("configs", "OpenClaw configs", report.configs.len()),
        ("errors", "Errors", e),
        ("warnings", "Warnings", w),
        ("notes", "Notes", n),
        (
            "suppressed",
            "Suppressed (with a reason)",
            report.suppressed.len(),
        ),
        ("skipped", "Skipped files", report.skipped.len()),
    ] {
        let _ = writeln!(
            o,
            "<tr><th>{label}</th><td class=\"n\" id=\"count-{id}\">{value}</td></tr>"
        );
    }
    o.push_str("</table>\n");
    render_charts(&mut o, report);
    if !report.configs.is_empty() {
        o.push_str("<div class=\"wide\"><table>\n<tr><th>Config</th><th>Dialect</th></tr>\n");
        for c in &report.configs {
            let _ = writeln!(
                o,
                "<tr><td><code>{}</code></td><td>{}</td></tr>",
                escape(&c.path),
                c.dialect.as_str()
            );
        }
        o.push_str("</table></div>\n");
    }

    render_controls(&mut o, report, &nist);
    render_frameworks(&mut o, report);
    render_findings(&mut o, report);
    render_suppressed(&mut o, report);
    if let Some(live) = &report.live {
        render_live(&mut o, live);
    }
    render_inputs(&mut o, report);
    if !report.skipped.is_empty() {
        o.push_str("<h2 id=\"skipped\">Skipped files</h2>\n<div class=\"wide\"><table>\n<tr><th>File</th><th>Reason</th></tr>\n");
        for s in &report.skipped {
            let _ = writeln!(
                o,
                "<tr><td><code>{}</code></td><td>{}</td></tr>",
                escape(&s.path),
                escape(&s.reason)
            );
        }
        o.push_str("</table></div>\n");
    }
    o.push_str("<p class=\"muted\">Secrets are shown redacted. A finding is evidence against the framework entries its rule maps to; the absence of findings is not a claim of compliance. Apart from the timestamps, this report is derived only from the checked files; set SOURCE_DATE_EPOCH to make it byte-identical across runs.</p>\n</body>\n</html>\n");
    super::escape::markup_lines(o)
}

/// Checked files with no finding, active or suppressed.
fn clean_files(report: &Report) -> Vec<&crate::evidence::InputFile> {
    let with: std::collections::BTreeSet<&str> = report
        .findings
        .iter()
        .map(|f| f.path.as_str())
        .chain(report.suppressed.iter().map(|s| s.finding.path.as_str()))
        .collect();
    report
        .evidence
        .files
        .iter()
        .filter(|f| !with.contains(f.path.as_str()))
        .collect()
}

const SEVERITY_COLOURS: [(Severity, &str); 3] = [
    (Severity::Error, "#cf222e"),
    (Severity::Warning, "#d4a72c"),
    (Severity::Note, "#54aeff"),
];

/// A horizontal stacked bar chart: one row per label, one segment per
/// `(count, colour)`, the total at the end. Pure SVG, no script.
fn bar_chart(
    o: &mut String,
    id: &str,
    title: &str,
    rows: &[(String, Vec<(usize, &str)>)],
    keep_end: bool,
) {
    const ROW: usize = 22;
    const LABEL: usize = 300;
    const BAR: usize = 420;
    let max = rows
        .iter()
        .map(|(_, segs)| segs.iter().map(|(n, _)| n).sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1);
    let height = ROW * rows.len().max(1) + 8;
    let _ = writeln!(
        o,
        "<svg id=\"{id}\" role=\"img\" aria-label=\"{t}\" width=\"{w}\" height=\"{height}\" viewBox=\"0 0 {w} {height}\" xmlns=\"http://www.w3.org/2000/svg\" font-family=\"system-ui,sans-serif\" font-size=\"12\"><title>{t}</title>",
        t = escape(title),
        w = LABEL + BAR + 60,
    );
    for (i, (label, segs)) in rows.iter().enumerate() {
        let y = i * ROW + 4;
        // Long labels are cut to fit (a path keeps its end, the file name);
        // the full text is the row's tooltip.
        let count = label.chars().count();
        let shown: String = if count <= 44 {
            label.clone()
        } else if keep_end {
            "\u{2026}".to_string() + &label.chars().skip(count - 43).collect::<String>()
        } else {
            label.chars().take(43).collect::<String>() + "\u{2026}"
        };
        let total: usize = segs.iter().map(|(n, _)| n).sum();
        let _ = write!(
            o,
            "<g class=\"bar\" data-label=\"{l}\" data-total=\"{total}\"><title>{l}: {total}</title><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            LABEL - 6,
            y + 14,
            escape(&shown),
            l = escape(label),
        );
        let mut x = LABEL;
        for (n, colour) in segs {
            if *n == 0 {
                continue;
            }
            let width = (n * BAR).div_ceil(max).max(2);
            let _ = write!(
                o,
                "<rect x=\"{x}\" y=\"{y}\" width=\"{width}\" height=\"{}\" fill=\"{colour}\"/>",
                ROW - 6
            );
            x += width;
        }
        let _ = writeln!(
            o,
            "<text x=\"{}\" y=\"{}\">{total}</text></g>",
            x + 4,
            y + 14
        );
    }
    o.push_str("</svg>\n");
}

fn render_charts(o: &mut String, report: &Report) {
    if report.findings.is_empty() && report.suppressed.is_empty() {
        return;
    }
    o.push_str("<div class=\"charts\">\n");
    // Findings by framework and severity: a finding counts once for every
    // framework its rule maps to.
    let mut rows = Vec::new();
    for f in crate::rules::frameworks::FRAMEWORKS {
        let mut by = [0usize; 3];
        for finding in &report.findings {
            let mapped = crate::rules::get(&finding.rule)
                .is_some_and(|r| r.mappings().iter().any(|(m, _)| m.key == f.key));
            if mapped {
                by[SEVERITY_COLOURS
                    .iter()
                    .position(|(s, _)| *s == finding.severity)
                    .unwrap_or(0)] += 1;
            }
        }
        let segs = SEVERITY_COLOURS
            .iter()
            .zip(by)
            .map(|((_, c), n)| (n, *c))
            .collect();
        rows.push((f.name.to_string(), segs));
    }
    o.push_str("<div class=\"chart\"><h4>Active findings by framework and severity</h4>\n");
    bar_chart(
        o,
        "chart-frameworks",
        "Active findings by framework and severity",
        &rows,
        false,
    );
    o.push_str("<p class=\"legend muted\"><span><i class=\"sw sw-error\"></i>error</span><span><i class=\"sw sw-warning\"></i>warning</span><span><i class=\"sw sw-note\"></i>note</span></p></div>\n");

    // Assessed entries by status, per framework.
    let mut rows = Vec::new();
    for f in crate::rules::frameworks::FRAMEWORKS {
        let cs = controls::assess(report, f.key);
        let n = |s: State| cs.iter().filter(|c| c.state(report) == s).count();
        rows.push((
            f.name.to_string(),
            vec![
                (n(State::NotSatisfied), "#cf222e"),
                (n(State::Waived), "#d4a72c"),
                (n(State::Satisfied), "#4ac26b"),
            ],
        ));
    }
    o.push_str("<div class=\"chart\"><h4>Assessed entries by status</h4>\n");
    bar_chart(
        o,
        "chart-status",
        "Assessed framework entries by status",
        &rows,
        false,
    );
    o.push_str("<p class=\"legend muted\"><span><i class=\"sw sw-ns\"></i>finding / not satisfied</span><span><i class=\"sw sw-wv\"></i>waived</span><span><i class=\"sw sw-ok\"></i>no finding</span></p></div>\n");

    // Findings per file (the 25 with the most).
    let mut per_file: BTreeMap<&str, [usize; 3]> = BTreeMap::new();
    for f in &report.findings {
        per_file.entry(&f.path).or_default()[SEVERITY_COLOURS
            .iter()
            .position(|(s, _)| *s == f.severity)
            .unwrap_or(0)] += 1;
    }
    let mut files: Vec<(&str, [usize; 3])> = per_file.into_iter().collect();
    files.sort_by(|a, b| {
        b.1.iter()
            .sum::<usize>()
            .cmp(&a.1.iter().sum())
            .then(a.0.cmp(b.0))
    });
    let more = files.len().saturating_sub(25);
    files.truncate(25);
    if !files.is_empty() {
        let rows: Vec<(String, Vec<(usize, &str)>)> = files
            .iter()
            .map(|(p, by)| {
                let segs = SEVERITY_COLOURS
                    .iter()
                    .zip(by)
                    .map(|((_, c), n)| (*n, *c))
                    .collect();
                (p.to_string(), segs)
            })
            .collect();
        o.push_str("<div class=\"chart\"><h4>Active findings per file</h4>\n");
        bar_chart(
            o,
            "chart-files",
            "Active findings per file and severity",
            &rows,
            true,
        );
        if more > 0 {
            let _ = writeln!(
                o,
                "<p class=\"muted\">and {more} more files with findings (listed below).</p>"
            );
        }
        o.push_str("</div>\n");
    }
    o.push_str("</div>\n");
}

fn render_controls(o: &mut String, report: &Report, controls: &[controls::Control]) {
    let nist = crate::rules::frameworks::get(crate::rules::frameworks::NIST).expect("NIST table");
    o.push_str("<h2 id=\"controls\">Controls (NIST SP 800-53 rev5)</h2>\n");
    if controls.is_empty() {
        o.push_str("<p>No rule was applied, so no control was assessed.</p>\n");
        return;
    }
    o.push_str("<div class=\"wide\"><table>\n<tr><th>Control</th><th>Title</th><th>Status</th><th>Rules</th><th>Findings</th><th>Suppressed</th></tr>\n");
    for c in controls {
        let state = c.state(report);
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td>{}</td><td class=\"st st-{}\">{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            crate::rules::control_label(c.id),
            escape(nist.title(c.id).unwrap_or("")),
            state.as_str().replace(' ', "-"),
            state.as_str(),
            rule_ranges(&c.rules),
            c.findings.len(),
            c.suppressed.len()
        );
    }
    o.push_str("</table></div>\n");
}

/// One table per other framework: each assessed entry with its title and
/// what the applied rules found.
fn render_frameworks(o: &mut String, report: &Report) {
    o.push_str("<h2 id=\"frameworks\">Other frameworks</h2>\n<p>Each entry is assessed by the rules that map to it; a finding is evidence of the risk or of a gap in the control, for the setting it names. <em>Not found</em> and <em>no gap found</em> mean only that the applied rules found nothing.</p>\n");
    for f in crate::rules::frameworks::FRAMEWORKS {
        if f.key == crate::rules::frameworks::NIST {
            continue;
        }
        let entries = controls::assess(report, f.key);
        let _ = writeln!(
            o,
            "<h3 class=\"t\" id=\"fw-{}\">{}</h3>",
            f.key,
            escape(f.name)
        );
        if entries.is_empty() {
            o.push_str("<p class=\"muted\">No applied rule maps to this framework.</p>\n");
            continue;
        }
        o.push_str("<div class=\"wide\"><table>\n<tr><th>Entry</th><th>Title</th><th>Status</th><th>Rules</th><th>Findings</th><th>Suppressed</th></tr>\n");
        for c in &entries {
            let state = c.state(report);
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td>{}</td><td class=\"st st-{}\">{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                escape(&f.label(c.id)),
                escape(f.title(c.id).unwrap_or("")),
                state.as_str().replace(' ', "-"),
                state_label(f.key, state),
                rule_ranges(&c.rules),
                c.findings.len(),
                c.suppressed.len()
            );
        }
        o.push_str("</table></div>\n");
    }
}

/// What was checked, with the hashes to verify it by.
fn render_inputs(o: &mut String, report: &Report) {
    let e = &report.evidence;
    o.push_str("<h2 id=\"inputs\">Evidence: what was checked</h2>\n<div class=\"wide\"><table>\n");
    let _ = writeln!(
        o,
        "<tr><th>clawcheck</th><td>{}</td></tr>",
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(
        o,
        "<tr><th>Policy set SHA-256</th><td><span class=\"hash\">{}</span> ({} built-in and <code>--policy</code> files)</td></tr>",
        escape(&e.policy_set_sha256),
        e.policy_files
    );
    let settings = match (&e.settings_path, &e.settings_sha256) {
        (Some(p), Some(h)) => format!(
            "<code>{}</code>, SHA-256 <span class=\"hash\">{}</span>",
            escape(p),
            escape(h)
        ),
        _ => "built-in defaults (no clawcheck.toml)".into(),
    };
    let _ = writeln!(o, "<tr><th>Settings</th><td>{settings}</td></tr>");
    let git = match &e.git {
        Some(g) => format!(
            "commit <span class=\"hash\">{}</span>, {}{}",
            escape(&g.commit),
            if g.dirty {
                "<span class=\"warning\">uncommitted changes in the work tree</span>"
            } else {
                "clean work tree"
            },
            g.remote
                .as_ref()
                .map(|r| format!(", remote <code>{}</code>", escape(r)))
                .unwrap_or_default()
        ),
        None => "not a git work tree (or git unavailable)".into(),
    };
    let _ = writeln!(o, "<tr><th>Git</th><td>{git}</td></tr>");
    o.push_str("</table></div>\n");
    if e.files.is_empty() {
        return;
    }
    let mut findings: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &report.findings {
        *findings.entry(&f.path).or_default() += 1;
    }
    let mut suppressed: BTreeMap<&str, usize> = BTreeMap::new();
    for s in &report.suppressed {
        *suppressed.entry(&s.finding.path).or_default() += 1;
    }
    let _ = writeln!(
        o,
        "<h3 class=\"t\" id=\"checked-files\">Checked files ({}; {} without a finding)</h3>\n<p class=\"muted\"><code>sha256sum FILE</code> reproduces each hash.</p>\n<div class=\"wide\"><table>\n<tr><th>File</th><th>Size (bytes)</th><th>SHA-256</th><th>Findings</th><th>Suppressed</th></tr>",
        e.files.len(),
        clean_files(report).len()
    );
    for f in &e.files {
        let active = findings.get(f.path.as_str()).copied().unwrap_or(0);
        let sup = suppressed.get(f.path.as_str()).copied().unwrap_or(0);
        let _ = writeln!(
            o,
            "<tr><td><code>{}</code></td><td class=\"n\">{}</td><td class=\"hash\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            escape(&f.path),
            f.size,
            escape(&f.sha256),
            if active + sup == 0 { "clean".to_string() } else { active.to_string() },
            sup
        );
    }
    o.push_str("</table></div>\n");
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
        prose(&f.message)
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
            prose(r.advice(real).help)
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
            "<div class=\"wide\"><table>\n<tr><th>Severity</th><th>Rule</th><th>Line:col</th><th>Message</th></tr>\n",
        );
        for f in findings {
            finding_row(o, f, real.contains(path));
        }
        o.push_str("</table></div>\n");
    }
}

fn render_suppressed(o: &mut String, report: &Report) {
    if report.suppressed.is_empty() {
        return;
    }
    o.push_str("<h2 id=\"suppressed\">Suppressed findings</h2>\n<p>These do not fail the run. Inline comments and waivers accept a finding with the reason shown; a baseline entry only hides a pre-existing finding from the gate (it still fails its control above).</p>\n<div class=\"wide\"><table>\n<tr><th>Rule</th><th>Location</th><th>By</th><th>Reason</th><th>Owner</th><th>Expires</th><th>Message</th></tr>\n");
    for s in &report.suppressed {
        let f = &s.finding;
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td><code>{}:{}:{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            rule_cell(&f.rule),
            escape(&f.path),
            f.start.line,
            f.start.column,
            match s.kind {
                "inline" => "inline comment",
                "baseline" => "baseline (pre-existing, not waived)",
                _ => "waiver",
            },
            prose(&s.reason),
            s.owner.as_deref().map_or_else(|| "<span class=\"muted\">none</span>".to_string(), escape),
            s.expires.as_deref().map_or_else(
                || if s.kind == "waiver" { "<span class=\"warning\">never</span>".to_string() } else { "<span class=\"muted\">n/a</span>".to_string() },
                escape
            ),
            prose(&f.message)
        );
    }
    o.push_str("</table></div>\n");
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
    o.push_str("</table>\n<div class=\"wide\"><table>\n<tr><th>Agent</th><th>Requests</th><th>Timeouts</th><th>Timeout (s)</th><th>Max overshoot (ms)</th><th>Survivors</th><th>Leaks</th></tr>\n");
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
    o.push_str("</table></div>\n");
    for note in &live.notes {
        let _ = writeln!(o, "<p class=\"muted\">Note: {}</p>", escape(note));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn consecutive_rules_are_ranges() {
        assert_eq!(
            super::rule_ranges(&["OC201", "OC202", "OC203", "OC205", "OC206", "X1"]),
            "OC201\u{2013}OC203, OC205, OC206, X1"
        );
    }

    #[test]
    fn backticks_become_code_elements() {
        assert_eq!(
            super::prose("set `a<b` and `c`"),
            "set <code>a&lt;b</code> and <code>c</code>"
        );
        assert_eq!(super::prose("odd ` one"), "odd ` one");
        assert_eq!(super::prose("`x` then `"), "<code>x</code> then `");
        assert_eq!(super::prose("none"), "none");
    }

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            super::escape("<script>\"a\" & 'b'</script>"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
    }
}
