//! Suppressions, each with a reason: inline `clawcheck:allow OC203 <reason>`
//! comments (any comment syntax: the directive is found in the raw text) and
//! `[[waivers]]` in clawcheck.toml (optionally path-scoped, optionally expiring).
//! A suppression without a reason is OC004, an expired waiver OC005, and one
//! that matches nothing OC006. Suppressed findings leave the verdict but stay
//! in the JSON summary and in SARIF (as `suppressions`), for auditors.

use crate::config::{Settings, Waiver};
use crate::finding::{fingerprint, Finding, Severity};
use crate::source::LineIndex;
use serde::Serialize;
use std::path::Path;

pub const MARKER: &[u8] = b"clawcheck:allow";

/// The reason shown for a directive in a file that was not scanned for
/// secrets (binary, over `max_file_bytes`): none of its bytes is shown.
pub const WITHHELD: &str = "(reason not shown: the file was not scanned for secrets)";

#[derive(Debug, Clone, Serialize)]
pub struct Suppressed {
    #[serde(flatten)]
    pub finding: Finding,
    /// `inline`, `waiver` or `baseline`.
    pub kind: &'static str,
    pub reason: String,
    /// Who approved it (a waiver's `owner`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// The last day the waiver applies (a waiver's `expires`, `YYYY-MM-DD`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
}

#[derive(Debug)]
struct Directive {
    /// 1-based line of the comment.
    line: usize,
    /// Byte offset of `clawcheck`.
    at: usize,
    /// Rule ids it suppresses (ids in any case and rule names, as ids).
    rules: Vec<String>,
    reason: String,
    used: bool,
    /// What is malformed in it (OC007): the byte range in the file and the message.
    problems: Vec<(std::ops::Range<usize>, String)>,
    /// The known rules it names, also when it is malformed: its problems are
    /// reported when one of them ran (or when OC007 itself ran).
    meant: Vec<&'static str>,
}

/// The word a directive starts with, after `clawcheck:`.
const WORD: &str = "allow";

/// Words other tools use for a suppression comment: `clawcheck:` and one of
/// them is meant as a directive, and is reported as a malformed one.
const OTHER_WORDS: &[&str] = &[
    "ignore", "disable", "suppress", "noqa", "nolint", "skip", "waive", "except", "exempt",
];

/// One token of a directive's rule list.
#[derive(Debug, PartialEq)]
enum Token {
    /// A known rule (by id in any case, or by name): its id.
    Rule(&'static str),
    /// Meant as a rule but not one: the message (with a suggestion when one is close).
    Unknown(String),
}

/// Whether `t` is meant as a rule id: `OC` and 2 to 4 more characters,
/// mostly digits (`OC2O3`, `OC999`, `oc20`), not prose like `OCxxx`.
fn id_attempt(t: &str) -> bool {
    t.len() >= 4
        && t.len() <= 6
        && t.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("oc"))
        && t.bytes().all(|b| b.is_ascii_alphanumeric())
        && t.bytes().filter(u8::is_ascii_digit).count() >= 2
}

/// Classifies one token of a rule list; `None` when it is not meant as a rule
/// (the reason starts there).
fn classify(t: &str) -> Option<Token> {
    let rules = crate::rules::all();
    if let Some(r) = rules
        .iter()
        .find(|r| r.id.eq_ignore_ascii_case(t) || r.name.eq_ignore_ascii_case(t))
    {
        return Some(Token::Rule(r.id));
    }
    if id_attempt(t) {
        // Letters typed for digits first (`OC2O3`), then the nearest id.
        let digits: String = t[2..]
            .chars()
            .map(|c| match c {
                'O' | 'o' | 'Q' | 'D' => '0',
                'I' | 'i' | 'l' | 'L' | '|' => '1',
                'Z' | 'z' => '2',
                'S' | 's' => '5',
                'B' => '8',
                c => c,
            })
            .collect();
        let fixed = format!("OC{digits}");
        let suggestion = crate::rules::get(&fixed).map(|r| r.id).or_else(|| {
            let upper = t.to_ascii_uppercase();
            nearest(rules.iter().map(|r| r.id), &upper, 1)
        });
        let what = if t[2..].bytes().all(|b| b.is_ascii_digit()) && t.len() == 5 {
            format!("unknown rule `{t}`")
        } else {
            format!("`{t}` is not a rule id")
        };
        return Some(Token::Unknown(match suggestion {
            Some(id) => format!("{what}: did you mean `{id}`?"),
            None => format!("{what} (see `clawcheck rules`)"),
        }));
    }
    if t.contains('-') && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        let lower = t.to_ascii_lowercase();
        let limit = (t.len() / 5).clamp(1, 3);
        let name = nearest(rules.iter().map(|r| r.name), &lower, limit)?;
        let id = rules.iter().find(|r| r.name == name).map_or("", |r| r.id);
        return Some(Token::Unknown(format!(
            "unknown rule name `{t}`: did you mean `{name}` ({id})?"
        )));
    }
    None
}

/// The candidate closest to `word` within `limit` edits (the first on a tie).
fn nearest<'a>(
    candidates: impl Iterator<Item = &'a str>,
    word: &str,
    limit: usize,
) -> Option<&'a str> {
    candidates
        .map(|c| (crate::checks::schema::edit_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Finds every directive in `bytes`, and everything that looks like one but
/// is malformed (a misspelt word, `clawcheck: allow`, an unknown rule).
/// `excerpt(range)`: the file's bytes in `range` as they may be shown (its
/// secrets redacted), or `None` when the file was not scanned for secrets.
fn directives(
    bytes: &[u8],
    lines: &LineIndex,
    excerpt: &dyn Fn(std::ops::Range<usize>) -> Option<String>,
) -> Vec<Directive> {
    let mut out = Vec::new();
    for at in memchr::memmem::find_iter(bytes, PREFIX) {
        if at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_') {
            continue; // part of a longer word
        }
        let line_no = lines.line_of(at);
        let line = lines.line_range(bytes, line_no);
        if inside_string(&bytes[line.start..at]) {
            continue; // text in a JSON string (a report, a rule's help), not a comment
        }
        let end = line.end;
        // `clawcheck`, blanks, `:`, blanks, a word.
        let blank = |i: usize| i < end && (bytes[i] == b' ' || bytes[i] == b'\t');
        let mut i = at + PREFIX.len();
        let mut spaced = false;
        while blank(i) {
            i += 1;
            spaced = true;
        }
        if i >= end || bytes[i] != b':' {
            continue;
        }
        i += 1;
        while blank(i) {
            i += 1;
            spaced = true;
        }
        let word_start = i;
        while i < end && (bytes[i].is_ascii_alphabetic() || bytes[i] == b'-') && i - word_start < 24
        {
            i += 1;
        }
        if i < end && bytes[i].is_ascii_alphanumeric() {
            continue; // `clawcheck:v1` and the like
        }
        let word = String::from_utf8_lossy(&bytes[word_start..i]).to_ascii_lowercase();
        let rest_start = i;
        let rest = String::from_utf8_lossy(&bytes[rest_start..end]);
        let (tokens, raw_reason) = split_directive(&rest);
        let exact = !spaced && word == WORD;
        let near = word == WORD
            || OTHER_WORDS.contains(&word.as_str())
            || (!word.is_empty()
                && crate::checks::schema::edit_distance(&word, WORD) <= if spaced { 1 } else { 2 });
        let ruleish = !tokens.is_empty();
        if !exact && !(near && (ruleish || !spaced)) {
            continue; // prose: `clawcheck: error: …`, `clawcheck:v1`
        }
        if exact && !ruleish {
            continue; // prose that mentions the marker, not a directive
        }
        let mut d = Directive {
            line: line_no + 1,
            at,
            rules: Vec::new(),
            reason: String::new(),
            used: false,
            problems: Vec::new(),
            meant: tokens
                .iter()
                .filter_map(|(_, t)| match t {
                    Token::Rule(id) => Some(*id),
                    Token::Unknown(_) => None,
                })
                .collect(),
        };
        if !exact {
            let written = if spaced {
                format!("clawcheck: {word}")
            } else {
                format!("clawcheck:{word}")
            };
            d.problems.push((
                at..rest_start,
                format!("`{written}` is not a clawcheck directive: did you mean `clawcheck:{WORD}`? (as written it suppresses nothing)"),
            ));
            out.push(d);
            continue;
        }
        for (range, token) in tokens {
            match token {
                Token::Rule(id) => {
                    if !d.rules.iter().any(|r| r == id) {
                        d.rules.push(id.to_string());
                    }
                }
                Token::Unknown(message) => d.problems.push((
                    rest_start + range.start..rest_start + range.end,
                    format!("`clawcheck:allow`: {message}"),
                )),
            }
        }
        // The reason is shown in every report: taken from the redacted text
        // of the line (a secret in it is shown only as its redaction, never
        // cut in part by the trimming), withheld when the file was not scanned.
        d.reason = if raw_reason.is_empty() {
            String::new()
        } else {
            match excerpt(rest_start..end) {
                Some(shown) => split_directive(&shown).1.to_string(),
                None => WITHHELD.to_string(),
            }
        };
        out.push(d);
    }
    out
}

/// Whether `bytes` may hold a directive (or a malformed one): `clawcheck`,
/// blanks, `:`. A cheap test before [`apply_inline`].
pub fn may_hold_directives(bytes: &[u8]) -> bool {
    memchr::memmem::find_iter(bytes, PREFIX).any(|at| {
        bytes[at + PREFIX.len()..]
            .iter()
            .find(|b| **b != b' ' && **b != b'\t')
            == Some(&b':')
    })
}

/// The start of a directive; the rest is parsed by hand to tell a
/// misspelt directive from prose.
pub const PREFIX: &[u8] = b"clawcheck";

/// The rule tokens of a directive's text after the marker (each with its
/// byte range in `rest`), and the reason. Rules are separated by commas or
/// blanks; the reason starts at the first token not meant as a rule.
fn split_directive(rest: &str) -> (Vec<(std::ops::Range<usize>, Token)>, &str) {
    let mut tokens = Vec::new();
    let mut pos = rest.len() - rest.trim_start().len();
    loop {
        let tail = &rest[pos..];
        let len = tail
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(tail.len());
        let Some(token) = (len > 0).then(|| classify(&tail[..len])).flatten() else {
            break;
        };
        tokens.push((pos..pos + len, token));
        pos += len;
        let after = &rest[pos..];
        let trimmed = after.trim_start();
        let trimmed = trimmed.strip_prefix(',').map_or(trimmed, str::trim_start);
        pos = rest.len() - trimmed.len();
    }
    let reason = rest[pos..]
        .trim_end()
        .trim_end_matches("*/")
        .trim_end_matches("-->")
        .trim()
        .trim_start_matches(['-', ':', '—'])
        .trim();
    (tokens, reason)
}

/// Whether `before` (a line up to the marker) leaves a double-quoted string
/// open. Directives live in comments; a marker inside a string is data, e.g.
/// the help text in a committed SARIF log. Single quotes are not counted: they
/// are apostrophes in most comments.
fn inside_string(before: &[u8]) -> bool {
    let (mut open, mut escaped) = (false, false);
    for &b in before {
        if escaped {
            escaped = false;
            continue;
        }
        match b {
            b'\\' if open => escaped = true,
            b'"' => open = !open,
            _ => {}
        }
    }
    open
}

/// One file, for its inline directives.
pub struct Source<'a> {
    /// The path as shown.
    pub display: &'a str,
    pub bytes: &'a [u8],
    pub lines: &'a LineIndex,
    /// The bytes of a range as they may be shown (the file's redaction gate),
    /// `None` when the file was not scanned for secrets: directive lines and
    /// reasons are shown only through it.
    pub excerpt: &'a dyn Fn(std::ops::Range<usize>) -> Option<String>,
}

/// Applies the inline directives of one file. `ran` says whether a rule's
/// check ran, so that a directive for a check that did not run is not "unused".
pub fn apply_inline(
    src: &Source<'_>,
    findings: &mut Vec<Finding>,
    suppressed: &mut Vec<Suppressed>,
    settings: &Settings,
    ran: &dyn Fn(&str) -> bool,
) {
    let Source {
        display,
        bytes,
        lines,
        excerpt,
    } = *src;
    let mut ds = directives(bytes, lines, excerpt);
    if ds.is_empty() {
        return;
    }
    let mut kept = Vec::with_capacity(findings.len());
    for f in findings.drain(..) {
        let hit = ds.iter_mut().find(|d| {
            !d.reason.is_empty()
                && (f.start.line == d.line || f.start.line == d.line + 1)
                && f.rules().any(|r| d.rules.iter().any(|x| x == r))
        });
        match hit {
            Some(d) => {
                d.used = true;
                suppressed.push(Suppressed {
                    reason: d.reason.clone(),
                    finding: f,
                    kind: "inline",
                    owner: None,
                    expires: None,
                });
            }
            None => kept.push(f),
        }
    }
    *findings = kept;
    let mut push = |rule: &str, range: std::ops::Range<usize>, d: &Directive, message: String| {
        let Some(severity) = settings.severity_of(
            rule,
            crate::rules::get(rule).map_or(Severity::Warning, |r| r.severity),
        ) else {
            return;
        };
        let line = lines.line_range(bytes, d.line - 1);
        let start = lines.position(bytes, range.start);
        findings.push(Finding {
            rule: rule.into(),
            severity,
            path: display.to_string(),
            start,
            end: lines.position(bytes, range.end.max(range.start)),
            message,
            pointer: None,
            evidence: None,
            secret_hash: None,
            fix: None,
            // OC004 and OC006 keep their fingerprint (rule, file, line); a
            // line can hold several malformed parts (OC007), told by column.
            fingerprint: if rule == "OC007" {
                fingerprint(&[
                    rule.as_bytes(),
                    display.as_bytes(),
                    d.line.to_string().as_bytes(),
                    (range.start - line.start).to_string().as_bytes(),
                ])
            } else {
                fingerprint(&[
                    rule.as_bytes(),
                    display.as_bytes(),
                    d.line.to_string().as_bytes(),
                ])
            },
            snippet: excerpt(line),
            snippet_column: start.column,
            related: Vec::new(),
            places: Vec::new(),
        });
    };
    for d in &ds {
        let at = d.at;
        // Reported when this run lints directives (OC007 ran: the config
        // checks did) or checked a rule it names (`--only secrets` and
        // a misspelt directive for OC303).
        if ran("OC007") || d.meant.iter().any(|r| ran(r)) {
            for (range, message) in &d.problems {
                push("OC007", range.clone(), d, message.clone());
            }
        }
        if d.rules.is_empty() || !d.rules.iter().all(|r| ran(r)) {
            // a check it is about did not run on this file (`--only secrets`,
            // a rule turned off, a config rule in a file that is not a config):
            // its scope was not checked, so it is not called unused
            continue;
        }
        let (rule, message) = if d.reason.is_empty() {
            (
                "OC004",
                format!(
                    "`clawcheck:allow {}` has no reason: it suppresses nothing until it says why",
                    d.rules.join(",")
                ),
            )
        } else if !d.used {
            (
                "OC006",
                format!(
                    "`clawcheck:allow {}` suppresses nothing on this line or the next: remove it",
                    d.rules.join(",")
                ),
            )
        } else {
            continue;
        };
        push(rule, at..at, d, message);
    }
}

/// Today's date as `YYYY-MM-DD` (UTC), from the system clock.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_date((secs / 86400) as i64)
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The active waivers of one rule (or of `*`), in file order.
#[derive(Default)]
struct RuleWaivers {
    /// The first waiver without a path: it matches every file.
    pathless: Option<usize>,
    /// Waivers with a path glob, and their glob set (built on first use)
    /// with the waiver index of each glob in it.
    with_path: Vec<(usize, String)>,
    #[allow(clippy::type_complexity)]
    set: std::cell::OnceCell<Option<(globset::GlobSet, Vec<usize>)>>,
}

impl RuleWaivers {
    fn add(&mut self, i: usize, w: &Waiver) {
        match &w.path {
            Some(p) => self.with_path.push((i, p.clone())),
            None => {
                self.pathless.get_or_insert(i);
            }
        }
    }

    /// Index of the first waiver (in file order) whose path matches `path`.
    fn first_match(&self, path: &str) -> Option<usize> {
        let set = self.set.get_or_init(|| {
            let mut b = globset::GlobSetBuilder::new();
            let mut ids = Vec::new();
            for (i, p) in &self.with_path {
                // Validated at load; an invalid glob (settings built in code)
                // matches nothing, as before.
                if let Ok(g) = globset::Glob::new(p) {
                    b.add(g);
                    ids.push(*i);
                }
            }
            b.build().ok().map(|set| (set, ids))
        });
        let globbed = set
            .as_ref()
            .and_then(|(s, ids)| s.matches(path).into_iter().map(|k| ids[k]).min());
        self.pathless.into_iter().chain(globbed).min()
    }
}

/// What one run checked: a suppression is called unused (OC006) only when
/// its whole scope was checked, so that a run over some files (pre-commit
/// passes the staged ones) or some checks (`--only secrets`) says nothing
/// about waivers for the rest.
pub struct Coverage<'a> {
    /// Whether a rule ran in this run (its check ran and it is not turned off).
    pub ran: &'a dyn Fn(&str) -> bool,
    /// Shown paths of the directories walked (`.` for the working directory).
    pub dirs: Vec<String>,
    /// Shown paths of the files checked.
    pub files: std::collections::BTreeSet<String>,
    /// Shown path of the directory the settings apply to (the one holding
    /// clawcheck.toml; `.` for settings built in code): a waiver without a
    /// path covers everything below it.
    pub root: String,
}

impl Coverage<'_> {
    /// Whether every path below `prefix` (a shown path, `""` for any
    /// relative path) lies below a walked directory.
    fn walked(&self, prefix: &str) -> bool {
        let relative = !prefix.starts_with('/') && prefix != ".." && !prefix.starts_with("../");
        self.dirs.iter().any(|d| {
            (d == "." && relative)
                || prefix == d
                || prefix
                    .strip_prefix(d.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
        })
    }

    /// Whether every file a waiver's path glob can match was checked: the
    /// glob's literal leading directories lie below a walked directory, or
    /// the glob is a plain path to a file that was checked.
    pub fn covers_glob(&self, glob: &str) -> bool {
        let meta = |c: char| matches!(c, '*' | '?' | '[' | ']' | '{' | '}' | '\\');
        if !glob.contains(meta) {
            return self.files.contains(glob) || self.walked(glob);
        }
        let literal: Vec<&str> = glob
            .split('/')
            .take_while(|part| !part.contains(meta))
            .collect();
        self.walked(&literal.join("/"))
    }

    /// Whether the scope of `w` was fully checked in this run.
    fn judges(&self, w: &Waiver) -> bool {
        let ran = w.rule == "*" || (self.ran)(&w.rule);
        ran && match &w.path {
            Some(glob) => self.covers_glob(glob),
            None => self.walked(&self.root),
        }
    }
}

/// Applies clawcheck.toml's waivers to the whole report; reports expired
/// ones, and unused ones whose scope this run checked in full, at their line
/// in the settings file.
pub fn apply_waivers(
    findings: &mut Vec<Finding>,
    suppressed: &mut Vec<Suppressed>,
    settings: &Settings,
    today: &str,
    coverage: &Coverage<'_>,
) {
    if settings.waivers.is_empty() {
        return;
    }
    let active = |w: &Waiver| w.expires.as_deref().is_none_or(|e| e >= today);
    // Indexed by rule (`*` apart), the paths of each rule's waivers in one
    // glob set built on first use: a finding costs one set lookup, so
    // thousands of waivers take linear time, not findings × waivers.
    let mut by_rule: std::collections::HashMap<&str, RuleWaivers> =
        std::collections::HashMap::new();
    for (i, w) in settings.waivers.iter().enumerate() {
        if active(w) {
            by_rule.entry(w.rule.as_str()).or_default().add(i, w);
        }
    }
    let mut used = vec![false; settings.waivers.len()];
    let mut kept = Vec::with_capacity(findings.len());
    for f in findings.drain(..) {
        // The first matching waiver in file order wins.
        // a waiver for a rule folded into the finding applies too
        let specific = f
            .rules()
            .filter(|r| *r != "*")
            .filter_map(|r| by_rule.get(r))
            .filter_map(|r| r.first_match(&f.path))
            .min();
        let wildcard = by_rule.get("*").and_then(|r| r.first_match(&f.path));
        let hit = specific
            .into_iter()
            .chain(wildcard)
            .min()
            .map(|i| (i, &settings.waivers[i]));
        match hit {
            Some((i, w)) => {
                used[i] = true;
                suppressed.push(Suppressed {
                    reason: w.reason.clone(),
                    finding: f,
                    kind: "waiver",
                    owner: w.owner.clone(),
                    expires: w.expires.clone(),
                });
            }
            None => kept.push(f),
        }
    }
    *findings = kept;
    let (path, text) = settings
        .source
        .clone()
        .unwrap_or_else(|| ("clawcheck.toml".into(), String::new()));
    let path = crate::discover::display_path(
        Path::new(&path),
        &std::env::current_dir().unwrap_or_default(),
    );
    let idx = LineIndex::new(text.as_bytes());
    let starts: Vec<usize> = text.match_indices("[[waivers]]").map(|(i, _)| i).collect();
    for (i, w) in settings.waivers.iter().enumerate() {
        let (rule, message) = if !active(w) {
            ("OC005", format!("waiver for {} expired on {} (reason: {}{}): renew it with a new date, or fix the findings", w.rule, w.expires.as_deref().unwrap_or(""), w.reason, w.owner.as_ref().map(|o| format!("; owner: {o}")).unwrap_or_default()))
        } else if !used[i] && coverage.judges(w) {
            (
                "OC006",
                format!(
                    "waiver for {}{} matches no finding: remove it",
                    w.rule,
                    w.path
                        .as_ref()
                        .map(|p| format!(" on `{p}`"))
                        .unwrap_or_default()
                ),
            )
        } else {
            continue;
        };
        let Some(severity) = settings.severity_of(
            rule,
            crate::rules::get(rule).map_or(Severity::Warning, |r| r.severity),
        ) else {
            continue;
        };
        let at = starts.get(i).copied().unwrap_or(0);
        let start = idx.position(text.as_bytes(), at);
        findings.push(Finding {
            rule: rule.into(),
            severity,
            path: path.clone(),
            start,
            end: start,
            message,
            pointer: None,
            evidence: None,
            secret_hash: None,
            fix: None,
            fingerprint: fingerprint(&[
                rule.as_bytes(),
                path.as_bytes(),
                w.rule.as_bytes(),
                w.reason.as_bytes(),
            ]),
            snippet: Some(
                String::from_utf8_lossy(
                    &text.as_bytes()[idx.line_range(text.as_bytes(), start.line - 1)],
                )
                .into_owned(),
            ),
            snippet_column: start.column,
            related: Vec::new(),
            places: Vec::new(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(bytes: &[u8]) -> impl Fn(std::ops::Range<usize>) -> Option<String> + '_ {
        |r| Some(String::from_utf8_lossy(&bytes[r]).into_owned())
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(20_000), "2024-10-04");
        assert_eq!(civil_date(11_016), "2000-02-29");
    }

    #[test]
    fn a_marker_inside_a_string_is_not_a_directive() {
        let text = concat!(
            "{\"help\": \"add `// clawcheck:allow OC203 reason`\",\n",
            "  \"a\": \"x\\\"y\", // clawcheck:allow OC203 real comment\n",
            "  \"b\": \"c:\\\\\" // clawcheck:allow OC204 after an escaped backslash\n}\n"
        );
        let ds = directives(
            text.as_bytes(),
            &LineIndex::new(text.as_bytes()),
            &raw(text.as_bytes()),
        );
        let got: Vec<(usize, &str)> = ds.iter().map(|d| (d.line, d.rules[0].as_str())).collect();
        assert_eq!(got, vec![(2, "OC203"), (3, "OC204")], "{text}");
    }

    #[test]
    fn parses_directives_in_any_comment_syntax() {
        for (text, rules, reason) in [
            (
                "// @allow OC203 batch job, reviewed by sec",
                vec!["OC203"],
                "batch job, reviewed by sec",
            ),
            (
                "# @allow OC301,OC311 -- test fixture",
                vec!["OC301", "OC311"],
                "test fixture",
            ),
            ("/* @allow OC204: legacy */", vec!["OC204"], "legacy"),
            ("<!-- @allow OC220 -->", vec!["OC220"], ""),
            ("// @allow oc203 any case", vec!["OC203"], "any case"),
            (
                "// @allow sensitive-agent-timeout, OC204 by name",
                vec!["OC203", "OC204"],
                "by name",
            ),
            (
                "# @allow OC301 OC311 blank-separated",
                vec!["OC301", "OC311"],
                "blank-separated",
            ),
        ] {
            // `@` stands for the marker, so this file holds no directive itself.
            let text = text.replace('@', "clawcheck:");
            let idx = LineIndex::new(text.as_bytes());
            let d = directives(text.as_bytes(), &idx, &raw(text.as_bytes()));
            assert_eq!(d.len(), 1, "{text}");
            assert!(d[0].problems.is_empty(), "{text}: {:?}", d[0].problems);
            assert_eq!(d[0].rules, rules);
            assert_eq!(d[0].reason, reason, "{text}");
        }
        for prose in [
            "docs mention the clawcheck marker comments",
            "clawcheck: error: settings file not found",
            "clawcheck: all files were checked",
            "see `@allow OCxxx <reason>` in the README",
            "\"partialFingerprints\": {\"clawcheck:v1\": \"x\"}, clawcheck:v1",
            "myclawcheck:alow OC203",
        ] {
            let prose = prose.replace('@', "clawcheck:");
            let b = prose.as_bytes();
            let d = directives(b, &LineIndex::new(b), &raw(b));
            assert!(d.is_empty(), "{prose}: {d:?}");
        }
    }

    /// Malformed directives: each problem with its suggestion.
    #[test]
    fn malformed_directives_say_what_was_meant() {
        for (text, want) in [
            ("// @alow OC203 reviewed", "did you mean `clawcheck:allow`?"),
            (
                "// clawcheck:ignore OC203 reviewed",
                "`clawcheck:ignore` is not a clawcheck directive",
            ),
            (
                "// clawcheck: allow OC203 reviewed",
                "`clawcheck: allow` is not",
            ),
            (
                "// @allow OC2O3 reviewed",
                "`OC2O3` is not a rule id: did you mean `OC203`?",
            ),
            ("// @allow OC999 reviewed", "unknown rule `OC999`"),
            (
                "// @allow sensitiv-agent-timeout reviewed",
                "did you mean `sensitive-agent-timeout` (OC203)?",
            ),
        ] {
            let text = text.replace('@', "clawcheck:");
            let b = text.as_bytes();
            let d = directives(b, &LineIndex::new(b), &raw(b));
            assert_eq!(d.len(), 1, "{text}");
            assert_eq!(d[0].problems.len(), 1, "{text}: {:?}", d[0].problems);
            assert!(
                d[0].problems[0].1.contains(want),
                "{text}: {:?}",
                d[0].problems
            );
            assert!(d[0].rules.is_empty(), "{text}: suppresses nothing");
        }
        assert!(may_hold_directives(b"x clawcheck :allow"));
        assert!(!may_hold_directives(b"run clawcheck check ."));
    }
}

/// Findings recorded in an earlier report, to report only new ones
/// (`--baseline FILE`). Matched by rule and fingerprint, which do not depend
/// on line numbers, as a multiset: a baseline entry absorbs one finding, so
/// a second copy of a baselined problem is still new.
/// Largest baseline read: a JSON report of a few hundred thousand findings.
pub const MAX_BASELINE_BYTES: u64 = 256 * 1024 * 1024;

/// One finding recorded in a baseline, as the baseline file states it (the
/// fixed ones are reported so that the file can shrink).
#[derive(Debug, Clone, Serialize)]
pub struct BaselineEntry {
    pub rule: String,
    pub fingerprint: String,
    pub path: String,
    pub line: u64,
    pub message: String,
}

/// What `--baseline` did in a run: how many findings the file recorded and
/// which of them this run no longer found (fixed).
#[derive(Debug, Clone, Serialize)]
pub struct BaselineStatus {
    pub path: String,
    pub recorded: usize,
    pub matched: usize,
    pub fixed: Vec<BaselineEntry>,
}

impl BaselineStatus {
    /// The file's text passes the run's redaction gate like any other, and
    /// a gate of its own: the baseline is input too (a stranger's pull
    /// request may write it), so what the scanner finds in its strings
    /// once decoded is redacted even when this run found it nowhere else.
    pub fn redact(&mut self, r: &crate::redact::Redactor) {
        let scanner = crate::checks::secrets::Scanner::new();
        let mut own = Vec::new();
        let strings = std::iter::once(&self.path).chain(
            self.fixed
                .iter()
                .flat_map(|e| [&e.rule, &e.fingerprint, &e.path, &e.message]),
        );
        for s in strings {
            for m in scanner.scan(s.as_bytes()) {
                own.push(String::from_utf8_lossy(&s.as_bytes()[m.start..m.end]).into_owned());
            }
        }
        let own = crate::redact::Redactor::new(own);
        let gate = |s: &mut String| *s = own.text(&r.text(s));
        gate(&mut self.path);
        for e in &mut self.fixed {
            gate(&mut e.rule);
            gate(&mut e.fingerprint);
            gate(&mut e.path);
            gate(&mut e.message);
        }
    }
}

#[derive(Debug, Default)]
pub struct Baseline {
    pub path: String,
    /// Recorded findings by (rule, fingerprint), in file order.
    entries: std::collections::BTreeMap<(String, String), Vec<BaselineEntry>>,
}

impl Baseline {
    /// Reads a clawcheck JSON report (`--format json`) or a SARIF log from
    /// clawcheck (`--format sarif`).
    pub fn load(path: &std::path::Path) -> Result<Baseline, String> {
        let shown = path.display().to_string();
        let bytes = crate::config::read_regular_file(path, MAX_BASELINE_BYTES)
            .map_err(|e| format!("{shown}: cannot read baseline: {e}"))?;
        let doc: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| {
            format!(
                "{shown}:{}:{}: baseline is not JSON: {e}",
                e.line(),
                e.column()
            )
        })?;
        let mut b = Baseline {
            path: shown.clone(),
            ..Default::default()
        };
        let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
        let mut add = |rule: Option<&str>,
                       fp: Option<&str>,
                       file: &serde_json::Value,
                       line: &serde_json::Value,
                       message: &serde_json::Value,
                       at: String| match (rule, fp) {
            (Some(r), Some(f)) => {
                b.entries
                    .entry((r.to_string(), f.to_string()))
                    .or_default()
                    .push(BaselineEntry {
                        rule: r.to_string(),
                        fingerprint: f.to_string(),
                        path: text(file),
                        line: line.as_u64().unwrap_or(0),
                        message: text(message),
                    });
                Ok(())
            }
            _ => Err(format!(
                "{shown}: {at}: baseline entry without a rule id and a clawcheck fingerprint"
            )),
        };
        if let Some(findings) = doc.get("findings").and_then(|v| v.as_array()) {
            for (i, f) in findings.iter().enumerate() {
                add(
                    f["rule"].as_str(),
                    f["fingerprint"].as_str(),
                    &f["path"],
                    &f["line"],
                    &f["message"],
                    format!("/findings/{i}"),
                )?;
            }
        } else if let Some(runs) = doc.get("runs").and_then(|v| v.as_array()) {
            for (r, run) in runs.iter().enumerate() {
                let results = run["results"].as_array().map_or(&[][..], Vec::as_slice);
                for (i, res) in results.iter().enumerate() {
                    // "absent" results describe fixed findings; suppressed ones are
                    // not findings (as in the JSON report, which lists them apart)
                    let suppressed = res["suppressions"]
                        .as_array()
                        .is_some_and(|s| !s.is_empty());
                    if res["baselineState"] == "absent" || suppressed {
                        continue;
                    }
                    let loc = &res["locations"][0]["physicalLocation"];
                    add(
                        res["ruleId"].as_str(),
                        res["partialFingerprints"]["clawcheck/v1"].as_str(),
                        &loc["artifactLocation"]["uri"],
                        &loc["region"]["startLine"],
                        &res["message"]["text"],
                        format!("/runs/{r}/results/{i}"),
                    )?;
                }
            }
        } else {
            return Err(format!(
                "{shown}: not a clawcheck JSON report or SARIF log (no `findings` or `runs`)"
            ));
        }
        Ok(b)
    }

    /// Number of recorded findings.
    pub fn len(&self) -> usize {
        self.entries.values().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Moves findings present in the baseline to `suppressed`; returns what
    /// matched and the entries that matched nothing (fixed since), in the
    /// canonical order of findings.
    pub fn apply(
        &self,
        findings: &mut Vec<Finding>,
        suppressed: &mut Vec<Suppressed>,
    ) -> BaselineStatus {
        let mut used: std::collections::BTreeMap<(String, String), usize> = Default::default();
        let mut matched = 0;
        // Takes the finding's entry and the entries of the rules folded into
        // it (a baseline recorded with `--only`, or before the fold), each
        // one still available, so an old baseline that recorded both does
        // not call one of them fixed. Whether any was taken.
        let mut take = |f: &Finding| {
            let mut hit = false;
            for (rule, fp) in f.identities() {
                let key = (rule.to_string(), fp.to_string());
                let recorded = self.entries.get(&key).map_or(0, Vec::len);
                let n = used.entry(key).or_default();
                if *n < recorded {
                    *n += 1;
                    hit = true;
                }
            }
            hit
        };
        // A recorded finding that is now suppressed otherwise (a waiver, a
        // directive) is still there: its entry is not called fixed.
        for s in suppressed.iter() {
            take(&s.finding);
        }
        let mut kept = Vec::with_capacity(findings.len());
        for f in findings.drain(..) {
            if take(&f) {
                matched += 1;
                suppressed.push(Suppressed {
                    finding: f,
                    kind: "baseline",
                    reason: format!("present in the baseline {}", self.path),
                    owner: None,
                    expires: None,
                });
            } else {
                kept.push(f);
            }
        }
        *findings = kept;
        suppressed.sort_by(|a, b| a.finding.sort_key().cmp(&b.finding.sort_key()));
        let mut fixed: Vec<BaselineEntry> = self
            .entries
            .iter()
            .flat_map(|(key, list)| list.iter().skip(used.get(key).copied().unwrap_or(0)))
            .cloned()
            .collect();
        fixed.sort_by(|a, b| {
            (&a.path, a.line, &a.rule, &a.message).cmp(&(&b.path, b.line, &b.rule, &b.message))
        });
        BaselineStatus {
            path: self.path.clone(),
            recorded: self.len(),
            matched,
            fixed,
        }
    }
}
