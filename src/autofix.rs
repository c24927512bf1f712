//! `check --fix`, `--unsafe-fixes`, `--diff`: applies the rules' fixes
//! ([`crate::fix`]) to each file in memory, checks every result again, and
//! replaces the file atomically.
//!
//! Per file, in rounds: check; take the selected fixes whose edits do not
//! overlap; apply them together; check the result. A result that no longer
//! parses, or has a schema, dialect or input finding the file did not have
//! before, is refused: the fixes are then tried one at a time and each one
//! that breaks the file is dropped and reported. The next round starts from
//! the accepted text (a fix can make another applicable, e.g. after a key
//! rename), until nothing is left to fix or [`MAX_ROUNDS`]. A fix whose
//! finding survives it is not applied again, so the result is a fixed point:
//! a second `--fix` changes nothing.
//!
//! Nothing of the file is kept elsewhere: no backup is written (the old text
//! exists only in memory and in the file until the rename replaces it), and
//! every string printed passes the file's redaction gate, the diff included.

use crate::discover::Candidate;
use crate::engine::{CheckError, CheckOptions, Rechecker};
use crate::finding::Finding;
use crate::fix::{Applied, FileFixes, Fix, Selection};
use std::collections::BTreeSet;
use std::path::Path;

/// Puts the fix summaries into the report of the run after the fixes, with
/// the findings left in each file.
pub fn attach(report: &mut crate::engine::Report, mut fixes: Vec<FileFixes>) {
    for f in &mut fixes {
        f.remaining = report.findings.iter().filter(|x| x.path == f.path).count();
    }
    report.fixes = fixes;
}

/// Most fix rounds per file.
pub const MAX_ROUNDS: usize = 8;

/// Most fixes tried one at a time in a round after the batch broke the
/// file; the others wait for the next round.
const MAX_TRIALS: usize = 64;

/// Rules whose new appearance means a fix broke the file: it no longer
/// parses, is not an object, is not checked, or OpenClaw rejects it.
const BREAKING: &[&str] = &[
    "OC001", "OC002", "OC003", "OC101", "OC102", "OC103", "OC104",
];

fn applied(f: &Finding, fix: &Fix, reason: Option<String>) -> Applied {
    Applied {
        rule: f.rule.clone(),
        line: f.start.line,
        applicability: fix.applicability,
        reason: reason.unwrap_or_else(|| fix.reason.clone()),
    }
}

/// Applies the selected fixes to every file the options check; writes the
/// files unless `dry_run`. Files without a fix are not listed.
pub fn run(
    opts: &CheckOptions,
    selection: &Selection,
    dry_run: bool,
) -> Result<Vec<FileFixes>, CheckError> {
    let mut checker = Rechecker::new(opts)?;
    let mut out = Vec::new();
    for c in checker.candidates()? {
        if c.outside_root {
            continue;
        }
        if let Some(f) = fix_file(&mut checker, &c, selection, dry_run, &opts.settings)? {
            out.push(f);
        }
    }
    Ok(out)
}

/// The file as the check reads it (through a symlink too: the fixes are
/// then reported, and [`write_in_place`] refuses to write).
fn read_config(c: &Candidate, max: u64) -> Option<Vec<u8>> {
    let meta = std::fs::metadata(&c.path).ok()?;
    if !meta.is_file() || meta.len() > max {
        return None;
    }
    let bytes = std::fs::read(&c.path).ok()?;
    (bytes.len() as u64 <= max).then_some(bytes)
}

/// Applies non-overlapping edits of `fixes` to `bytes`; returns the new text
/// and the indices of the fixes taken (the others overlap one taken).
fn apply_edits(bytes: &[u8], fixes: &[&Fix]) -> (Vec<u8>, Vec<usize>) {
    let mut taken: Vec<std::ops::Range<usize>> = Vec::new();
    let mut chosen = Vec::new();
    // Two insertions at one place, or an insertion at the edge of a
    // replacement, would make the order matter: they conflict too.
    let conflicts = |a: &std::ops::Range<usize>, b: &std::ops::Range<usize>| {
        a.start < b.end && b.start < a.end
            || a.start == b.start
            || a.end == b.end
            || (a.is_empty() && b.contains(&a.start))
            || (b.is_empty() && a.contains(&b.start))
            || a.start == b.end && (a.is_empty() || b.is_empty())
            || b.start == a.end && (a.is_empty() || b.is_empty())
    };
    for (i, f) in fixes.iter().enumerate() {
        let ok = f
            .edits
            .iter()
            .all(|e| e.range.end <= bytes.len() && !taken.iter().any(|t| conflicts(t, &e.range)));
        if ok {
            taken.extend(f.edits.iter().map(|e| e.range.clone()));
            chosen.push(i);
        }
    }
    let mut edits: Vec<(&std::ops::Range<usize>, &str)> = chosen
        .iter()
        .flat_map(|&i| fixes[i].edits.iter().map(|e| (&e.range, e.text.as_str())))
        .collect();
    edits.sort_by_key(|(r, _)| (r.start, r.end));
    let mut out = Vec::with_capacity(bytes.len() + 256);
    let mut at = 0;
    for (r, text) in edits {
        out.extend_from_slice(&bytes[at..r.start]);
        out.extend_from_slice(text.as_bytes());
        at = r.end;
    }
    out.extend_from_slice(&bytes[at..]);
    (out, chosen)
}

/// A breaking finding of `after` that `before` did not have.
fn breaks<'a>(before: &[Finding], after: &'a [Finding]) -> Option<&'a Finding> {
    let known: BTreeSet<(&str, &str)> = before
        .iter()
        .map(|f| (f.rule.as_str(), f.fingerprint.as_str()))
        .collect();
    after.iter().find(|f| {
        BREAKING.contains(&f.rule.as_str())
            && !known.contains(&(f.rule.as_str(), f.fingerprint.as_str()))
    })
}

/// Identity of a fix across rounds: the rule and the value it is about.
fn key(f: &Finding) -> (String, String) {
    (f.rule.clone(), f.pointer.clone().unwrap_or_default())
}

fn fix_file(
    checker: &mut Rechecker<'_>,
    c: &Candidate,
    selection: &Selection,
    dry_run: bool,
    settings: &crate::config::Settings,
) -> Result<Option<FileFixes>, CheckError> {
    let Some(original) = read_config(c, settings.limits.max_config_bytes) else {
        return Ok(None);
    };
    let first = checker.check(c, &original)?;
    let mut secrets = first.secrets.clone();
    let mut current = original.clone();
    let mut findings = first.findings;
    let mut dialect = first.dialect;
    let mut done: BTreeSet<(String, String)> = BTreeSet::new();
    let mut result = FileFixes {
        path: c.display.clone(),
        fixed: Vec::new(),
        dropped: Vec::new(),
        env_vars: Vec::new(),
        remaining: 0,
        error: None,
        diff: String::new(),
    };
    for _ in 0..MAX_ROUNDS {
        let wanted: Vec<&Finding> = findings
            .iter()
            .filter(|f| {
                f.fix.as_ref().is_some_and(|x| selection.wants(&f.rule, x))
                    && !done.contains(&key(f))
            })
            .collect();
        if wanted.is_empty() {
            break;
        }
        let fixes: Vec<&Fix> = wanted.iter().filter_map(|f| f.fix.as_ref()).collect();
        let (next, chosen) = apply_edits(&current, &fixes);
        let after = checker.check(c, &next)?;
        let valid = |a: &crate::engine::Rechecked| {
            breaks(&findings, &a.findings).is_none() && a.dialect == dialect
        };
        let (next, after, accepted) = if valid(&after) {
            (next, after, chosen)
        } else {
            // One at a time: keep the fixes that leave a valid file.
            let mut good = Vec::new();
            for &i in chosen.iter().take(MAX_TRIALS) {
                let (alone, _) = apply_edits(&current, &fixes[i..=i]);
                let a = checker.check(c, &alone)?;
                if valid(&a) {
                    good.push(i);
                } else {
                    let why = breaks(&findings, &a.findings).map_or_else(
                        || "it would change the file's dialect".to_string(),
                        |b| format!("it would make the file invalid ({}: {})", b.rule, b.message),
                    );
                    result.dropped.push(applied(wanted[i], fixes[i], Some(why)));
                    done.insert(key(wanted[i]));
                }
            }
            let Some(&one) = good.first() else {
                continue;
            };
            let subset: Vec<&Fix> = good.iter().map(|&i| fixes[i]).collect();
            let (together, _) = apply_edits(&current, &subset);
            let a = checker.check(c, &together)?;
            if valid(&a) {
                (together, a, good)
            } else {
                let (alone, _) = apply_edits(&current, &fixes[one..=one]);
                let a = checker.check(c, &alone)?;
                (alone, a, vec![one])
            }
        };
        for &i in &accepted {
            result.fixed.push(applied(wanted[i], fixes[i], None));
            result.env_vars.extend(fixes[i].env_var.clone());
            done.insert(key(wanted[i]));
        }
        secrets.extend(after.secrets.iter().cloned());
        current = next;
        findings = after.findings;
        dialect = after.dialect;
    }
    if result.fixed.is_empty() && result.dropped.is_empty() {
        return Ok(None);
    }
    result.env_vars.sort();
    result.env_vars.dedup();
    let redactor = crate::redact::Redactor::new(secrets);
    for a in result.fixed.iter_mut().chain(result.dropped.iter_mut()) {
        a.reason = redactor.text(&a.reason);
    }
    for v in &mut result.env_vars {
        *v = redactor.text(v);
    }
    if current != original {
        if dry_run {
            result.diff = redactor.text(&unified_diff(&c.display, &original, &current));
        } else if let Err(e) = write_in_place(&c.path, &original, &current) {
            result.error = Some(redactor.text(&e.to_string()));
        }
    }
    result.path = redactor.text(&result.path);
    Ok(Some(result))
}

fn unified_diff(display: &str, old: &[u8], new: &[u8]) -> String {
    let (old, new) = (String::from_utf8_lossy(old), String::from_utf8_lossy(new));
    similar::TextDiff::from_lines(old.as_ref(), new.as_ref())
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{display}"), &format!("b/{display}"))
        .to_string()
}

/// Replaces the file at `path` by `bytes`: written to a new temporary file
/// beside it (exclusive, unpredictable name) with the file's permissions,
/// then renamed over it. Refused when `path` is a symlink (the link would be
/// replaced, or written through) or when the file changed since it was read.
fn write_in_place(path: &Path, original: &[u8], bytes: &[u8]) -> std::io::Result<()> {
    let meta = std::fs::symlink_metadata(path)?;
    if !meta.is_file() {
        return Err(std::io::Error::other(
            "not a regular file (a symlink is never written through): not fixed",
        ));
    }
    if std::fs::read(path)? != original {
        return Err(std::io::Error::other(
            "the file changed while it was being fixed: not written",
        ));
    }
    crate::cleanup::write_atomic(path, bytes, Some(meta.permissions()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::{Applicability, Edit};
    use crate::source::Position;

    fn fix(edits: &[(std::ops::Range<usize>, &str)]) -> Fix {
        let p = Position { line: 1, column: 1 };
        Fix {
            applicability: Applicability::Safe,
            reason: "r".into(),
            edits: edits
                .iter()
                .map(|(r, t)| Edit {
                    range: r.clone(),
                    start: p,
                    end: p,
                    text: t.to_string(),
                })
                .collect(),
            env_var: None,
        }
    }

    #[test]
    fn overlapping_fixes_wait_for_the_next_round() {
        let a = fix(&[(0..1, "A")]);
        let b = fix(&[(0..2, "B")]);
        let c = fix(&[(3..3, "c")]);
        let d = fix(&[(3..3, "d")]);
        let (out, chosen) = apply_edits(b"0123", &[&a, &b, &c, &d]);
        assert_eq!(chosen, vec![0, 2]);
        assert_eq!(out, b"A12c3");
    }
}
