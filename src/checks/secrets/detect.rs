//! Verifiers for the prefixed token families. Each runs on a bounded window
//! that starts at the anchor found by the Aho-Corasick prefilter.

use super::util::*;
use super::{Cand, Family};
use regex::bytes::Regex;

/// Longest window any token regex may look at.
const TOKEN_WINDOW: usize = 512;

pub(crate) struct Regexes {
    openai: Lazy,
    anthropic: Lazy,
    aws_id: Lazy,
    gh_classic: Lazy,
    gh_pat: Lazy,
    google: Lazy,
    slack_xox: Lazy,
    slack_app: Lazy,
    slack_hook: Lazy,
    stripe: Lazy,
    vault: Lazy,
    pub(crate) pem_header: Lazy,
}

/// A verification regex compiled the first time an anchor needs it: their
/// counted repetitions (`{80,300}`) made compiling all twelve a seventh of a
/// one-config run's instructions (callgrind), and most files hold none of
/// their prefixes. Compiled at most once per process, whichever thread asks.
pub(crate) struct Lazy {
    pattern: &'static str,
    compiled: std::sync::OnceLock<Regex>,
}

impl Lazy {
    const fn new(pattern: &'static str) -> Lazy {
        Lazy {
            pattern,
            compiled: std::sync::OnceLock::new(),
        }
    }
}

impl std::ops::Deref for Lazy {
    type Target = Regex;

    fn deref(&self) -> &Regex {
        self.compiled
            .get_or_init(|| Regex::new(self.pattern).expect("built-in secret regex"))
    }
}

impl Regexes {
    pub(crate) fn new() -> Regexes {
        let re = Lazy::new;
        Regexes {
            openai: re(r"(?-u)^sk-(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_-]{20,300}"),
            anthropic: re(r"(?-u)^sk-ant-[a-z]{2,12}[0-9]{2}-[A-Za-z0-9_-]{80,300}"),
            aws_id: re(r"(?-u)^(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}"),
            gh_classic: re(r"(?-u)^gh[pousr]_[A-Za-z0-9]{36,251}"),
            gh_pat: re(r"(?-u)^github_pat_[A-Za-z0-9_]{70,255}"),
            google: re(r"(?-u)^AIza[0-9A-Za-z_-]{35}"),
            slack_xox: re(r"(?-u)^xox[abposre]-[0-9]+-[0-9A-Za-z-]{10,250}"),
            slack_app: re(r"(?-u)^xapp-[0-9]+-[0-9A-Za-z-]{20,250}"),
            slack_hook: re(
                r"(?-u)^hooks\.slack\.com/services/T[A-Z0-9]{6,14}/B[A-Z0-9]{6,14}/[A-Za-z0-9]{16,48}",
            ),
            stripe: re(r"(?-u)^[rs]k_live_[0-9A-Za-z]{20,247}"),
            vault: re(r"(?-u)^hv[sbr]\.[A-Za-z0-9_-]{24,400}"),
            pem_header: re(r"(?-u)^-----BEGIN (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----"),
        }
    }
}

/// Run `re` anchored at `s`; returns the match end if the token is followed by
/// a byte outside `tok` (the token is not cut out of a longer run).
fn token_end(re: &Regex, b: &[u8], s: usize, tok: fn(u8) -> bool) -> Option<usize> {
    let win = &b[s..(s + TOKEN_WINDOW).min(b.len())];
    let m = re.find(win)?;
    let e = s + m.end();
    if e < b.len() && tok(b[e]) {
        return None;
    }
    Some(e)
}

fn push(out: &mut Vec<Cand>, fam: Family, start: usize, end: usize) {
    out.push(fam.cand(start, end));
}

/// `sk-` : OpenAI, or Anthropic when followed by `ant-`.
pub(crate) fn sk(r: &Regexes, b: &[u8], s: usize, out: &mut Vec<Cand>) {
    // `task-`, `disk-`, `risk-`, `mask-`: glued to a word. An Anthropic
    // key's `sk-ant-` is no word's end: only letters and digits glue it
    // (`agent-sk-ant-…` holds one).
    let anthropic = b[s..].starts_with(b"sk-ant-");
    if glued(b, s, if anthropic { is_alnum } else { is_urlsafe }) {
        return;
    }
    if !is_urlsafe(byte_at(b, s + 3)) {
        return;
    }
    if b[s..].starts_with(b"sk-ant-") {
        if let Some(e) = token_end(&r.anthropic, b, s, is_urlsafe) {
            let tok = &b[s..e];
            let body = &tok[tok
                .iter()
                .skip(7)
                .position(|&c| c == b'-')
                .map_or(7, |i| i + 8)..];
            // The published format (93 characters ending in `AA`) is its own
            // check: a body that has it is reported even when it reads like a
            // hand-typed sample (both gitleaks and TruffleHog report
            // `sk-ant-api03-abc123xyz-…AA`); only a body without the
            // structure must look random. A run of one character is still a
            // mask, whatever its length.
            let structured = body.len() == 95 && body.ends_with(b"AA");
            let ok = if structured {
                shannon(body) >= 3.0
            } else {
                body_ok(body, 3.5)
            };
            if ok {
                push(out, Family::Anthropic, s, e);
            }
        }
        return;
    }
    let Some(e) = token_end(&r.openai, b, s, is_urlsafe) else {
        return;
    };
    let tok = &b[s..e];
    let body = [&b"sk-proj-"[..], b"sk-svcacct-", b"sk-admin-"]
        .iter()
        .find(|p| tok.starts_with(p))
        .map_or(&tok[3..], |p| &tok[p.len()..]);
    if memchr::memmem::find(body, b"T3BlbkFJ").is_some() {
        if body_ok(body, 3.0) {
            push(out, Family::OpenAi, s, e);
        }
        return;
    }
    // No marker: accept only long, random-looking, mixed-class bodies.
    let c = classes(body);
    if body.len() >= 32 && c.upper > 0 && c.lower > 0 && c.digit > 0 && body_ok(body, 4.0) {
        push(out, Family::OpenAi, s, e);
    }
}

/// Is the match at `s..e` part of a longer base64 run (e.g. inside a data URI)?
fn inside_b64_blob(b: &[u8], s: usize, e: usize) -> bool {
    let p = prev_byte(b, s);
    if glued(b, s, is_alnum) {
        return true;
    }
    if p == b'+' || p == b'/' {
        let lo = s.saturating_sub(24);
        let run = b[lo..s].iter().rev().take_while(|&&c| is_b64(c)).count();
        if run >= 16 {
            return true;
        }
    }
    let n = byte_at(b, e);
    if is_alnum(n) {
        return true;
    }
    if n == b'+' || n == b'/' {
        let hi = (e + 24).min(b.len());
        let run = b[e..hi]
            .iter()
            .take_while(|&&c| is_b64(c) || c == b'=')
            .count();
        if run >= 16 {
            return true;
        }
    }
    false
}

/// AWS access key id; when valid, also looks for a secret access key on the
/// neighbouring lines.
/// `near_done` is the end of the last neighbourhood already searched, so
/// that many key ids close together do not rescan the same bytes.
pub(crate) fn aws_id(r: &Regexes, b: &[u8], s: usize, near_done: &mut usize, out: &mut Vec<Cand>) {
    if glued(b, s, is_alnum) || !is_b32(byte_at(b, s + 4)) {
        return;
    }
    let win = &b[s..(s + 24).min(b.len())];
    let Some(m) = r.aws_id.find(win) else { return };
    let e = s + m.end();
    if inside_b64_blob(b, s, e) {
        return;
    }
    let body = &b[s + 4..e];
    // AWS's documentation key ids end in `EXAMPLE` (AKIAIOSFODNN7EXAMPLE)
    // or start with it (AKIAEXAMPLE…, in presigned-URL examples); a
    // real-format id that merely contains the word is still reported.
    // The placeholder words apply, except `EXAMPLE` inside a real-format id.
    let without_example = String::from_utf8_lossy(body).replace("EXAMPLE", "");
    if b[s..e].ends_with(b"EXAMPLE") || body.starts_with(b"EXAMPLE") {
        // A documentation key id: not reported itself, but a real secret
        // access key pasted next to it still is.
        let lo = lines_back(b, s, 3, 600).max(*near_done);
        let hi = lines_fwd(b, e, 3, 600);
        if lo < hi {
            aws_secret_near(b, lo, hi, out);
            *near_done = hi;
        }
        return;
    }
    // an id without a digit is one in 30 real ones: it must look random
    // (`AKIADEFAULTKEYNAME` does not)
    let digits = body.iter().any(u8::is_ascii_digit);
    if (!digits && shannon(body) < 3.3)
        || is_sequential(body)
        || shannon(body) < 2.5
        || has_placeholder(without_example.as_bytes())
    {
        return;
    }
    push(out, Family::AwsKeyId, s, e);
    let lo = lines_back(b, s, 3, 600).max(*near_done);
    let hi = lines_fwd(b, e, 3, 600);
    if lo < hi {
        aws_secret_near(b, lo, hi, out);
        *near_done = hi;
    }
}

/// 40-char base64 tokens within 3 lines of an AWS key id.
fn aws_secret_near(b: &[u8], lo: usize, hi: usize, out: &mut Vec<Cand>) {
    let edge = |c: u8| is_b64(c) || c == b'_' || c == b'-' || c == b'.' || c == b'=';
    let mut i = lo;
    while i < hi {
        if !is_b64(b[i]) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < b.len() && is_b64(b[j]) && j - i <= 41 {
            j += 1;
        }
        if j - i == 40 && !glued(b, i, edge) && !edge(byte_at(b, j)) && aws_secret_ok(&b[i..j]) {
            push(out, Family::AwsSecret, i, j);
        }
        while j < b.len() && is_b64(b[j]) {
            j += 1;
        }
        i = j;
    }
}

/// `ghp_` `gho_` `ghu_` `ghs_` `ghr_`.
pub(crate) fn github_classic(r: &Regexes, b: &[u8], s: usize, out: &mut Vec<Cand>) {
    if !is_alnum(byte_at(b, s + 4)) {
        return;
    }
    let Some(e) = token_end(&r.gh_classic, b, s, |c| is_alnum(c) || c == b'_') else {
        return;
    };
    let body = &b[s + 4..e];
    let kind = b[s + 2];
    if glued(b, s, is_urlsafe) {
        // Glued to a word (`xghp_…`, or `\qghp_…` once decoded): a token
        // when its checksum says so (one in 2^32 bodies by chance), an
        // unverified one when its body looks like a token's (never printed
        // whole either way).
        if body.len() == 36 && kind != b'r' {
            classic_36(out, body, s, e);
        }
        return;
    }
    if kind == b's' && body.starts_with(b"eyJ") {
        // `ghs_` + a JWT (GitHub App installation tokens in the newer format)
        let hi = (s + 4096).min(b.len());
        let mut j = s + 4;
        while j < hi && (is_urlsafe(b[j]) || b[j] == b'.') {
            j += 1;
        }
        let tok = &b[s + 4..j];
        if tok.iter().filter(|&&c| c == b'.').count() == 2 && tok.len() >= 60 && body_ok(tok, 4.0) {
            push(out, Family::Github, s, j);
        }
        return;
    }
    if body.len() == 36 && kind != b'r' {
        classic_36(out, body, s, e);
    } else if body_ok(body, 3.5) {
        push(out, Family::Github, s, e);
    }
}

/// A classic token with a 36-character body at `s..e`: a token when its
/// checksum holds, an unverified one when its body looks like a token's.
fn classic_36(out: &mut Vec<Cand>, body: &[u8], s: usize, e: usize) {
    if github_checksum_ok(body) {
        push(out, Family::Github, s, e);
    } else if unverified_github_body(body) {
        out.push(Cand {
            rule: super::families::GITHUB_UNVERIFIED,
            prio: 2,
            start: s,
            end: e,
        });
    }
}

/// A 36-character classic token body whose checksum fails that still
/// looks like a token's: letters and digits, random enough.
fn unverified_github_body(body: &[u8]) -> bool {
    let c = classes(body);
    c.upper + c.lower > 0 && c.digit > 0 && body_ok(body, 3.5)
}

/// `github_pat_` fine-grained tokens.
pub(crate) fn github_pat(r: &Regexes, b: &[u8], s: usize, out: &mut Vec<Cand>) {
    if glued(b, s, is_urlsafe) {
        return;
    }
    let Some(e) = token_end(&r.gh_pat, b, s, |c| is_alnum(c) || c == b'_') else {
        return;
    };
    if body_ok(&b[s + 11..e], 3.5) {
        push(out, Family::Github, s, e);
    }
}

pub(crate) fn google(r: &Regexes, b: &[u8], s: usize, out: &mut Vec<Cand>) {
    if glued(b, s, is_urlsafe) {
        return;
    }
    if !is_urlsafe(byte_at(b, s + 4)) {
        return;
    }
    let Some(e) = token_end(&r.google, b, s, is_urlsafe) else {
        return;
    };
    if body_ok(&b[s + 4..e], 3.5) {
        push(out, Family::Google, s, e);
    }
}

fn is_b32(c: u8) -> bool {
    c.is_ascii_uppercase() || (b'2'..=b'7').contains(&c)
}

fn slack_tok(c: u8) -> bool {
    is_alnum(c) || c == b'-'
}

/// `xox?-` tokens and `xapp-` app tokens.
pub(crate) fn slack(r: &Regexes, b: &[u8], s: usize, out: &mut Vec<Cand>) {
    // `xox?-` ends no word: only letters and digits glue it (`bot-xoxb-…`
    // holds a token)
    if glued(b, s, is_alnum) {
        return;
    }
    if b[s..].starts_with(b"xoxe") {
        slack_rotating(b, s, out);
        return;
    }
    let re = if b[s..].starts_with(b"xapp-") {
        &r.slack_app
    } else if byte_at(b, s + 4) == b'-' {
        &r.slack_xox
    } else {
        return;
    };
    let Some(e) = token_end(re, b, s, slack_tok) else {
        return;
    };
    let tok = &b[s..e];
    if tok.len() >= 24 && body_ok(&tok[5..], 3.0) && slack_groups_ok(tok) {
        push(out, Family::Slack, s, e);
    }
}

/// Slack's rotating tokens: access tokens `xoxe.xoxp-1-…` / `xoxe.xoxb-1-…`
/// and refresh tokens `xoxe-1-…`, each followed by a long random part.
fn slack_rotating(b: &[u8], s: usize, out: &mut Vec<Cand>) {
    let hi = (s + 512).min(b.len());
    let mut e = s;
    while e < hi && (is_alnum(b[e]) || matches!(b[e], b'-' | b'.')) {
        e += 1;
    }
    if e == hi && hi < b.len() {
        return;
    }
    let tok = &b[s..e];
    let rest = [&b"xoxe.xoxp-1-"[..], b"xoxe.xoxb-1-", b"xoxe-1-"]
        .iter()
        .find_map(|p| tok.strip_prefix(*p));
    if let Some(rest) = rest {
        if rest.len() >= 64 && !rest.contains(&b'.') && body_ok(rest, 3.5) {
            push(out, Family::Slack, s, e);
        }
    }
}

/// The dash-separated groups of Slack's formats: bot `xoxb-<team>-<bot>-<24>`
/// (or the legacy `xoxb-<id>-<24>`), user `xoxp-<n>-<n>-<n>-<32 hex>`, app
/// `xapp-<n>-<A…>-<n>-<hex>`; documentation examples cut short have fewer
/// groups or a short last group.
fn slack_groups_ok(tok: &[u8]) -> bool {
    let g: Vec<&[u8]> = tok.split(|&c| c == b'-').collect();
    let num = |x: &[u8]| !x.is_empty() && x.iter().all(u8::is_ascii_digit);
    let last = g[g.len() - 1];
    let rnd = last.len() >= 16 && last.iter().all(|&c| is_alnum(c));
    match g[0] {
        b"xoxb" => {
            (g.len() == 3 || g.len() == 4)
                && g[1..g.len() - 1].iter().all(|x| num(x) && x.len() >= 6)
                && rnd
                && last.len() >= 18
        }
        b"xoxp" => {
            g.len() >= 4 && g[1..g.len() - 1].iter().all(|x| num(x)) && rnd && last.len() >= 24
        }
        b"xapp" => g.len() == 5 && num(g[1]) && num(g[3]) && rnd && last.len() >= 32,
        _ => g.len() >= 3 && rnd,
    }
}

/// `hooks.slack.com/services/T…/B…/…`; the finding starts at `https://` when present.
pub(crate) fn slack_hook(r: &Regexes, b: &[u8], s: usize, out: &mut Vec<Cand>) {
    let Some(e) = token_end(&r.slack_hook, b, s, is_alnum) else {
        return;
    };
    let last = b[s..e].rsplit(|&c| c == b'/').next().unwrap_or(b"");
    if !body_ok(last, 3.0) {
        return;
    }
    let start = if s >= 8 && &b[s - 8..s] == b"https://" {
        s - 8
    } else {
        s
    };
    push(out, Family::Slack, start, e);
}

pub(crate) fn stripe(r: &Regexes, b: &[u8], s: usize, out: &mut Vec<Cand>) {
    if glued(b, s, is_urlsafe) {
        return;
    }
    let Some(e) = token_end(&r.stripe, b, s, |c| is_alnum(c) || c == b'_') else {
        return;
    };
    if body_ok(&b[s + 8..e], 3.5) {
        push(out, Family::Stripe, s, e);
    }
}

/// Legacy Vault service tokens (`s.` + 24 alphanumerics, before Vault 1.10),
/// only on a line that names Vault: `s.` alone is far too common.
pub(crate) fn vault_legacy(b: &[u8], s: usize, e: usize, out: &mut Vec<Cand>) {
    let (lo, hi) = super::families::line_around(b, s);
    let tok = |c: u8| is_urlsafe(c) || c == b'.';
    super::families::runs_in(b, lo, hi, tok, (26, 26), |i, j| {
        let v = &b[i..j];
        if (i < s || i >= e) && v.starts_with(b"s.") && super::families::mixed_alnum(&v[2..], 3.5) {
            push(out, Family::Vault, i, j);
        }
    });
}

pub(crate) fn vault(r: &Regexes, b: &[u8], s: usize, out: &mut Vec<Cand>) {
    let p = prev_byte(b, s);
    if glued(b, s, is_urlsafe) || p == b'.' {
        return;
    }
    if !is_urlsafe(byte_at(b, s + 4)) {
        return;
    }
    let Some(e) = token_end(&r.vault, b, s, is_urlsafe) else {
        return;
    };
    let body = &b[s + 4..e];
    let c = classes(body);
    if c.digit + c.upper > 0 && c.lower > 0 && body_ok(body, 3.5) {
        push(out, Family::Vault, s, e);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Compiled on first use, so a pattern that does not compile would only
    /// fail when a file holds its prefix: every one is compiled here.
    #[test]
    fn every_verification_regex_compiles() {
        let r = Regexes::new();
        let all = [
            &r.openai,
            &r.anthropic,
            &r.aws_id,
            &r.gh_classic,
            &r.gh_pat,
            &r.google,
            &r.slack_xox,
            &r.slack_app,
            &r.slack_hook,
            &r.stripe,
            &r.vault,
            &r.pem_header,
        ];
        for lazy in all {
            let re: &Regex = lazy;
            assert_eq!(re.as_str(), lazy.pattern);
        }
        assert!(r.aws_id.is_match(b"AKIAIOSFODNN7EXAMPLE"));
    }

    /// A token right after an escape that stands for a blank (`\n`, `\t`,
    /// `\u0020` in a JSON string holding several keys) or after a shell or
    /// Compose default (`${NAME:-`) is not glued to a word; after an escaped
    /// backslash, or an escape that stands for a letter, it is.
    #[test]
    fn a_token_after_an_escape_or_a_default_is_found() {
        // assembled here, so that the repository's own scan finds no key
        let anthropic = [
            "sk-",
            "ant-api03-odJFCrnl2edlBDdz1C5Jau2RJtBRnlWmTSHf6pWkLUyifDLkDm",
            "WJ6UuVTAIjvFu7WICPhDeOZIiBOB_Y6sHrFH2ZUCr_lAA",
        ]
        .concat();
        let openai = [
            "sk-",
            "proj-Xb3kQ9vT2mW8rN4pL6sJ1hF5dG7cA0zY9uE2iO3qR8tK6wM4nB1vC7xZ5lH2jP0g",
            "T3Blbk",
            "FJaQ4sD8fG2hJ6kL0zX3cV7bN1mQ5wE9rT4yU",
        ]
        .concat();
        let slack = [
            "xo",
            "xb-051834738299-7376311656670-RPPgdzUvZ3gpmmICiBlrDp37",
        ]
        .concat();
        let scanner = crate::checks::secrets::Scanner::new();
        let found = |t: String| scanner.scan(t.as_bytes()).len();
        for (text, want) in [
            (format!(r#"{{"keys": "first\n{anthropic}"}}"#), 1),
            (format!(r#"{{"keys": "first\t{slack}"}}"#), 1),
            (format!(r#"{{"keys": "first\u0020{anthropic}"}}"#), 1),
            (format!("KEY=${{OPENAI_API_KEY:-{openai}}}"), 1),
            (format!("KEY: ${{ANTHROPIC_API_KEY-{anthropic}}}"), 1),
            (format!("name: agent-{slack}"), 1),
            (format!("name: agent-{anthropic}"), 1),
            // escaped backslash, then a word: glued
            (format!(r#"{{"path": "C:\\n{anthropic}"}}"#), 0),
            // an escape that stands for a letter: glued
            (format!(r#"{{"keys": "\u0041{anthropic}"}}"#), 0),
            // a word's end
            (format!("mytask-{openai}"), 0),
            (format!("KEY=${{:-{openai}}}"), 0),
        ] {
            assert_eq!(found(text.clone()), want, "{text}");
        }
    }

    /// Names the verifier takes for credentials are reached from every
    /// spelling (`ENCRYPTION_KEY`, `AccountKey`, `openai.api.key`,
    /// `ADMIN_PASS`), also numbered or aged (`DB_PASSWORD_2`,
    /// `API_KEY_OLD`), and a random `sk-` value no family owns is a key under
    /// such a name; names that are no credential's stay text.
    #[test]
    fn credential_names_in_every_spelling_are_read() {
        let v = "Qm7vT2xK9pL4wR8sN3jH6cF1";
        let hex = "9f3c2a7b8e1d4f6a0c5b2e9d7a3f1c8e";
        let scanner = crate::checks::secrets::Scanner::new();
        let found = |t: String| scanner.scan(t.as_bytes()).len();
        for (text, want) in [
            (format!("ENCRYPTION_KEY={v}\n"), 1),
            (format!("SIGNING_KEY: \"{v}\"\n"), 1),
            (
                format!("DefaultEndpointsProtocol=https;AccountKey=\"{v}\"\n"),
                1,
            ),
            (format!("service.mistral.api.key={v}\n"), 1),
            (format!("ADMIN_PASS={v}\n"), 1),
            (format!("DB_PASSWORD_2={v}\n"), 1),
            (format!("API_KEY_OLD={v}\n"), 1),
            (format!("DEEPSEEK_API_KEY=sk-{hex}\n"), 1),
            (format!("CACHE_KEY={v}\n"), 0),
            (format!("raise KeyError(\"{v}\")\n"), 0),
            (format!("bypass = \"{v}\"\n"), 0),
        ] {
            assert_eq!(found(text.clone()), want, "{text}");
        }
    }

    /// A `name`/`value` pair (Kubernetes `env`, ECS task definitions): the
    /// value of a credential's name is read; AWS documentation ids that
    /// start with `EXAMPLE` are not keys, a random id without a digit is.
    #[test]
    fn name_value_pairs_and_aws_ids_are_read() {
        let v = "Qm7vT2xK9pL4wR8sN3jH6cF1";
        let scanner = crate::checks::secrets::Scanner::new();
        let found = |t: String| scanner.scan(t.as_bytes()).len();
        for (text, want) in [
            (
                format!("        - name: DB_PASSWORD\n          value: \"{v}\"\n"),
                1,
            ),
            (
                format!("{{\"name\": \"DB_PASSWORD\", \"value\": \"{v}\"}}\n"),
                1,
            ),
            (
                format!("{{\"Name\": \"SIGNING_KEY\", \"Value\": \"{v}\"}}\n"),
                1,
            ),
            (format!("{{\"name\": \"REGION\", \"value\": \"{v}\"}}\n"), 0),
            (
                "- name: DB_PASSWORD\n  valueFrom:\n    secretKeyRef: {name: db}\n".to_string(),
                0,
            ),
            (["AKIA", "EXAMPLE", "7QWERTYZ2"].concat(), 0),
            (["id = AKIA", "QXWVTRZPLMKJHGFD"].concat(), 1),
            (["id = AKIA", "DEFAULTKEYNAMEAA"].concat(), 0),
        ] {
            assert_eq!(found(text.clone()), want, "{text}");
        }
    }

    /// `Authorization: Basic <base64 of user:password>` and `curl -u
    /// user:password` with a password that reads as a secret.
    #[test]
    fn basic_auth_and_curl_user_passwords_are_found() {
        use base64::Engine;
        let pw = "Qm7vT2xK9pL4wR8sN3jH6cF1";
        let b64 = |t: &str| base64::engine::general_purpose::STANDARD.encode(t);
        let scanner = crate::checks::secrets::Scanner::new();
        let found = |t: String| scanner.scan(t.as_bytes()).len();
        for (text, want) in [
            (
                format!(
                    "-H \"Authorization: Basic {}\"\n",
                    b64(&format!("deploy:{pw}"))
                ),
                1,
            ),
            (format!("curl -sS -u admin:{pw} https://x.example/api\n"), 1),
            (
                format!("curl --user \"admin:{pw}\" https://x.example/api\n"),
                1,
            ),
            (
                format!("Authorization: Basic {}\n", b64("user:password")),
                0,
            ),
            (
                "curl -u admin:password https://x.example/api\n".to_string(),
                0,
            ),
            (
                "curl -u \"$USER:$PASS\" https://x.example/api\n".to_string(),
                0,
            ),
            ("Basic authentication is described below\n".to_string(), 0),
        ] {
            assert_eq!(found(text.clone()), want, "{text}");
        }
    }

    /// A GitHub classic token glued to a word (`xghp_…`, or a JSON5 `\q`
    /// escape decoded to `q`) is found when its checksum holds, and only
    /// then: an unverified body glued to a word stays text.
    #[test]
    fn a_github_token_glued_to_a_word_is_found() {
        const B62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        let head = "iK2ZWeqhFWCEPyYngFb51yBMWXaSCr";
        let mut n = crate::checks::secrets::util::crc32(head.as_bytes()) as u64;
        let mut sum = [b'0'; 6];
        for c in sum.iter_mut().rev() {
            *c = B62[(n % 62) as usize];
            n /= 62;
        }
        let valid = format!("ghp_{head}{}", std::str::from_utf8(&sum).unwrap());
        let invalid = format!("ghp_{head}ZZZZZ9");
        let scanner = crate::checks::secrets::Scanner::new();
        let found = |t: &str| scanner.scan(t.as_bytes()).len();
        assert_eq!(found(&format!("bind: {valid}")), 1);
        assert_eq!(
            found(&format!("bind: q{valid}")),
            1,
            "checksum-valid, glued"
        );
        assert_eq!(found(&format!("bind: {invalid}")), 1, "unverified, alone");
        // glued and unverified: still found (its text is never printed)
        let glued = scanner.scan(format!("bind: q{invalid}").as_bytes());
        assert_eq!(glued.len(), 1, "unverified, glued");
        assert_eq!(glued[0].rule, "OC312", "unverified");
        // a word that only looks like one: no digits, not random
        assert_eq!(found("x = fooghp_abcdefghijabcdefghijabcdefghijabcdef"), 0);
    }
}
