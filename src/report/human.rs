//! Human output: `path:line:col: severity[RULE] message`, the source line with
//! a caret under the column, and the rule's help.

use super::escape::human as esc;
use crate::engine::Report;
use crate::finding::{Finding, Severity};
use std::fmt::Write;

pub struct Style {
    pub color: bool,
    pub quiet: bool,
}

fn paint(s: &str, code: &str, color: bool) -> String {
    if color {
        format!("\x1b[{code}m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}

/// Every input-derived string (path, message, snippet, evidence, agent and
/// probe names) is shown through [`super::escape::human`], and the finished
/// text through [`super::escape::human_lines`].
pub fn render(report: &Report, style: &Style, fail_on: Severity) -> String {
    super::escape::human_lines(render_raw(report, style, fail_on))
}

fn render_raw(report: &Report, style: &Style, fail_on: Severity) -> String {
    let mut out = String::new();
    for f in &report.findings {
        if style.quiet && f.severity < fail_on {
            continue;
        }
        render_one(&mut out, f, style);
    }
    if let Some(live) = &report.live {
        render_live(&mut out, live);
    }
    let (e, w, n) = super::counts(report);
    if !style.quiet || e + w + n > 0 {
        let _ = writeln!(
            out,
            "{} file{} checked ({} config{}), {} error{}, {} warning{}, {} note{}{}",
            report.files_scanned,
            plural(report.files_scanned),
            report.configs.len(),
            plural(report.configs.len()),
            e,
            plural(e),
            w,
            plural(w),
            n,
            plural(n),
            {
                let mut extra = String::new();
                if !report.suppressed.is_empty() {
                    extra.push_str(&format!(", {} suppressed", report.suppressed.len()));
                }
                if !report.skipped.is_empty() {
                    extra.push_str(&format!(
                        ", {} skipped (see --verbose)",
                        report.skipped.len()
                    ));
                }
                extra
            }
        );
    }
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn render_one(out: &mut String, f: &Finding, style: &Style) {
    let c = style.color;
    let (label, code) = match f.severity {
        Severity::Error => ("error", "1;31"),
        Severity::Warning => ("warning", "1;33"),
        Severity::Note => ("note", "1;36"),
    };
    let _ = writeln!(
        out,
        "{}:{}:{}: {}[{}] {}",
        paint(&super::escape::human_line_start(&f.path), "1", c),
        f.start.line,
        f.start.column,
        paint(label, code, c),
        esc(&f.rule),
        esc(&f.message)
    );
    if let Some(line) = &f.snippet {
        let gutter = f.start.line.to_string();
        let pad = " ".repeat(gutter.len());
        let (shown, caret_at) = window(line, f.snippet_column);
        let _ = writeln!(out, "{pad} {}", paint("|", "34", c));
        let _ = writeln!(
            out,
            "{} {} {}",
            paint(&gutter, "34", c),
            paint("|", "34", c),
            shown
        );
        let width = if f.end.line == f.start.line {
            f.end.column.saturating_sub(f.start.column).clamp(1, 60)
        } else {
            1
        };
        let _ = writeln!(
            out,
            "{pad} {} {}{}",
            paint("|", "34", c),
            " ".repeat(caret_at),
            paint(&"^".repeat(width), code, c)
        );
    }
    if let Some(ev) = &f.evidence {
        let _ = writeln!(out, "  = evidence: {}", esc(ev));
    }
    for r in &f.related {
        let _ = writeln!(
            out,
            "  = related: {}:{}:{}: {}",
            esc(&r.path),
            r.line,
            r.column,
            esc(&r.message)
        );
    }
    if let Some(rule) = crate::rules::get(&f.rule) {
        let _ = writeln!(out, "  = help: {}", rule.help);
        let _ = writeln!(out, "  = see: clawcheck explain {}", rule.id);
    }
    out.push('\n');
}

/// At most ~120 characters of a (possibly minified) line around the column;
/// returns the text and the caret offset within it. Tabs are shown as a
/// space, other control characters as escapes (`\x1b`), the caret moved to match.
fn window(line: &str, column: usize) -> (String, usize) {
    let mut chars: Vec<char> = Vec::with_capacity(line.len());
    // where each character of `line` starts in `chars`
    let mut starts: Vec<usize> = Vec::with_capacity(line.len());
    let mut escaped = String::new();
    for c in line.chars() {
        starts.push(chars.len());
        if c == '\t' {
            chars.push(' ');
        } else if super::escape::needs_escape(c) {
            escaped.clear();
            super::escape::push_escape(&mut escaped, c);
            chars.extend(escaped.chars());
        } else {
            chars.push(c);
        }
    }
    let col = starts
        .get(column.saturating_sub(1))
        .copied()
        .unwrap_or(chars.len());
    if chars.len() <= 120 {
        return (chars.into_iter().collect(), col);
    }
    let start = col.saturating_sub(40);
    let end = (start + 120).min(chars.len());
    let mut s = String::new();
    if start > 0 {
        s.push('…');
    }
    s.extend(&chars[start..end]);
    if end < chars.len() {
        s.push('…');
    }
    (s, col - start + usize::from(start > 0))
}

fn render_live(out: &mut String, live: &crate::checks::live::LiveReport) {
    for (i, line) in live.exercised.lines().iter().enumerate() {
        let _ = writeln!(
            out,
            "{}{}",
            if i == 0 { "live run: " } else { "  " },
            esc(line)
        );
    }
    let active: Vec<&str> = live
        .layers
        .iter()
        .filter(|l| l.active)
        .map(|l| l.name)
        .collect();
    let missing: Vec<&str> = live
        .layers
        .iter()
        .filter(|l| !l.active)
        .map(|l| l.name)
        .collect();
    let _ = writeln!(
        out,
        "live run: isolation layers active: {}",
        active.join(", ")
    );
    if !missing.is_empty() {
        let _ = writeln!(out, "          missing: {}", missing.join(", "));
    }
    let _ = writeln!(
        out,
        "  {:<24} {:>8} {:>8} {:>12} {:>12} {:>9} {:>6}",
        "agent", "requests", "timeouts", "timeout (s)", "max over ms", "survivors", "leaks"
    );
    for a in &live.agents {
        let _ = writeln!(
            out,
            "  {:<24} {:>8} {:>8} {:>12} {:>12.1} {:>9} {:>6}",
            esc(&a.name),
            a.requests,
            a.timeouts,
            format!("{:.1}", a.effective_timeout_secs),
            a.max_overshoot_ms,
            a.survivors,
            a.leaks
        );
        for t in &a.timeouts_by_probe {
            let _ = writeln!(
                out,
                "    {:<22} {:>4} killed at the timeout: overshoot median {:.1} ms, p99 {:.1} ms, max {:.1} ms (kill sent p99 {:.1} ms)",
                esc(&t.probe), t.timeouts, t.median_overshoot_ms, t.p99_overshoot_ms, t.max_overshoot_ms, t.p99_kill_latency_ms
            );
        }
    }
    for n in &live.notes {
        let _ = writeln!(out, "  note: {}", esc(n));
    }
    out.push('\n');
}
