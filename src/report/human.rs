//! Human output: `path:line:col: severity[RULE] message`, the source line with
//! a caret under the column, and the rule's help.

use super::escape::human as esc;
use crate::finding::{Finding, Severity};
use crate::report::model::Report;
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
    let real = report.real_config_files();
    for f in &report.findings {
        if style.quiet && f.severity < fail_on {
            continue;
        }
        render_one(&mut out, f, style, real.contains(f.path.as_str()));
    }
    if let Some(live) = &report.live {
        render_live(&mut out, live);
    }
    for f in &report.fixes {
        out.push_str(&fix_summary(f, false));
    }
    let (e, w, n) = super::counts(report);
    if !style.quiet || e + w + n > 0 {
        if let Some(g) = &report.git {
            let _ = writeln!(out, "{}", esc(&g.describe()));
        }
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
    if let Some(b) = report.baseline.as_ref().filter(|b| !b.fixed.is_empty()) {
        if !style.quiet {
            render_fixed(&mut out, b);
        }
    }
    out
}

/// The baseline entries this run no longer found: the file can shrink.
fn render_fixed(out: &mut String, b: &crate::suppress::BaselineStatus) {
    let _ = writeln!(
        out,
        "baseline {}: {} of {} recorded finding{} no longer found (fixed); record it again to shrink it: clawcheck baseline [PATHS] -o {}",
        esc(&b.path),
        b.fixed.len(),
        b.recorded,
        plural(b.recorded),
        esc(&b.path)
    );
    for e in &b.fixed {
        let _ = writeln!(
            out,
            "  fixed: {}:{}: [{}] {}",
            esc(&e.path),
            e.line,
            esc(&e.rule),
            esc(&e.message)
        );
    }
}

pub fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// `real`: the finding is in a real OpenClaw config (its advice names real keys).
fn render_one(out: &mut String, f: &Finding, style: &Style, real: bool) {
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
        let (shown, caret_at) = window(line, f.snippet_column);
        let width = if f.end.line == f.start.line {
            f.end.column.saturating_sub(f.start.column).clamp(1, 60)
        } else {
            1
        };
        // A secret is shown redacted, shorter than it is: underline what is shown.
        let width = match &f.evidence {
            Some(ev)
                if shown
                    .chars()
                    .skip(caret_at)
                    .collect::<String>()
                    .starts_with(ev.as_str()) =>
            {
                ev.chars().count().clamp(1, 60)
            }
            _ => width,
        };
        out.push_str(&snippet(
            &shown,
            f.start.line,
            caret_at,
            width,
            f.severity,
            c,
        ));
        out.push('\n');
    }
    if let Some(ev) = &f.evidence {
        let _ = writeln!(out, "  = evidence: {}", esc(ev));
    }
    for r in &f.related {
        let name = crate::rules::get(&r.rule).map_or("user-policy", |r| r.name);
        let _ = writeln!(
            out,
            "  = also {} {name} (one finding: a suppression of either rule applies)",
            esc(&r.rule)
        );
    }
    for p in &f.places {
        let _ = writeln!(
            out,
            "  = related: {}:{}:{}: {}",
            esc(&p.path),
            p.line,
            p.column,
            esc(&p.message)
        );
    }
    if let Some(rule) = crate::rules::get(&f.rule) {
        let _ = writeln!(out, "  = help: {}", rule.advice(real).help);
        let _ = writeln!(out, "  = see: clawcheck explain {}", rule.id);
    }
    if let Some(fix) = &f.fix {
        let how = match fix.applicability {
            crate::fix::Applicability::Safe => " (clawcheck check --fix)",
            crate::fix::Applicability::Unsafe => " (clawcheck check --unsafe-fixes)",
            crate::fix::Applicability::Manual => "",
        };
        let _ = writeln!(
            out,
            "  = fix ({}): {}{how}",
            fix.applicability.as_str(),
            esc(&fix.reason)
        );
    }
    out.push('\n');
}

/// The source line with the line number in a gutter and `width` carets
/// under it from character `caret_at` on, drawn by `annotate-snippets` (the
/// renderer of rustc and ruff) without a title: the header line above it is
/// clawcheck's own `path:line:col: severity[RULE] message`.
fn snippet(
    shown: &str,
    line: usize,
    caret_at: usize,
    width: usize,
    severity: Severity,
    color: bool,
) -> String {
    use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
    // `annotate-snippets` takes a byte range; a caret past the end of the
    // line (a finding at its end) is an empty range there.
    let byte_at = |chars: usize| {
        shown
            .char_indices()
            .nth(chars)
            .map_or(shown.len(), |(i, _)| i)
    };
    let span = byte_at(caret_at)..byte_at(caret_at + width);
    let level = match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Note => Level::NOTE,
    };
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
    // `window` has already cut the line to ~120 characters around the
    // caret; wide characters must not make the renderer cut it again.
    .term_width(100_000);
    let group = Group::with_level(level).element(
        Snippet::source(shown)
            .line_start(line)
            .annotation(AnnotationKind::Primary.span(span)),
    );
    renderer.render(&[group])
}

/// What `--fix` did to one file (`would`: what `--diff` would do).
pub fn fix_summary(f: &crate::fix::FileFixes, would: bool) -> String {
    let mut out = String::new();
    let verb = if would { "would fix" } else { "fixed" };
    let _ = write!(out, "{}: {verb} {}", esc(&f.path), f.fixed.len());
    if !would {
        let _ = write!(out, ", {} remaining", f.remaining);
    }
    if !f.dropped.is_empty() {
        let _ = write!(out, ", {} dropped", f.dropped.len());
    }
    out.push('\n');
    for a in &f.fixed {
        let _ = writeln!(
            out,
            "  {verb} {} at line {} ({}): {}",
            esc(&a.rule),
            a.line,
            a.applicability.as_str(),
            esc(&a.reason)
        );
    }
    for a in &f.dropped {
        let _ = writeln!(
            out,
            "  dropped {} at line {}: {}",
            esc(&a.rule),
            a.line,
            esc(&a.reason)
        );
    }
    for v in &f.env_vars {
        let _ = writeln!(
            out,
            "  set {} in OpenClaw's environment to the secret: the config now reads it from there",
            esc(v)
        );
    }
    if let Some(e) = &f.error {
        let _ = writeln!(out, "  not written: {}", esc(e));
    }
    out
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
        #[cfg(target_os = "linux")]
        if live.openclaw.is_some() {
            // OpenClaw ends its own turns: nothing was killed at the timeout.
            for t in &a.timeouts_by_probe {
                let _ = writeln!(
                    out,
                    "    {:<22} {:>4} turn(s) timed out: ended {:.1} ms after the deadline",
                    esc(&t.probe),
                    t.timeouts,
                    t.max_overshoot_ms
                );
            }
            continue;
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_snippet_has_a_gutter_and_carets_under_the_place() {
        let s = snippet("  timeout: 300,", 8, 2, 12, Severity::Error, false);
        assert_eq!(s, "  |\n8 |   timeout: 300,\n  |   ^^^^^^^^^^^^");
    }

    #[test]
    fn carets_follow_display_width_and_stop_at_the_end_of_the_shown_line() {
        // Three double-width characters before `key`: six columns, not three.
        let s = snippet("日本語 key: 1", 2, 4, 3, Severity::Warning, false);
        assert_eq!(s, "  |\n2 | 日本語 key: 1\n  |        ^^^");
        // A redacted secret is shorter than its columns: the underline ends
        // with the line, not past it.
        let s = snippet("KEY=abc…[40 chars]", 10, 0, 60, Severity::Error, false);
        assert_eq!(s, "   |\n10 | KEY=abc…[40 chars]\n   | ^^^^^^^^^^^^^^^^^^");
        // A finding at the end of a line: one caret after it.
        let s = snippet("abc", 1, 3, 1, Severity::Note, false);
        assert_eq!(s, "  |\n1 | abc\n  |    ^");
    }
}
