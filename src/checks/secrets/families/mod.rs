//! Verifiers of the credential families from OC312 on, one file each; the
//! family's rule text, anchors and context words are in the file of the same
//! name under `crate::rules::secrets::families`, whose `LIST` is the one
//! registry that the rule table, the docs, the tests and the benchmarks
//! iterate ([`VERIFY`] follows its order).
//!
//! A verifier runs on a bounded window at its anchor (never past
//! [`LINE_CAP`] bytes for context families), so the scan stays linear.

use super::util::*;
use super::Cand;

mod azure_openai;
mod cohere;
mod deepseek;
mod discord;
mod discord_webhook;
mod fireworks;
mod github_unverified;
mod groq;
mod huggingface;
mod jwt;
mod line;
mod matrix;
mod mistral;
mod npm;
pub(crate) mod openrouter;
mod perplexity;
mod pypi;
mod replicate;
mod sendgrid;
mod stripe_test;
mod telegram;
mod together;
mod twilio;
mod url_credential;
mod whatsapp;
mod xai;

pub(crate) use crate::rules::secrets::families::LIST;

/// A family verifier: checks the bytes around an anchor or context word.
pub(crate) type Verify = fn(&Hit, &mut Vec<Cand>);

/// An anchor occurrence handed to a verifier.
pub(crate) struct Hit<'a> {
    pub b: &'a [u8],
    /// Anchor start and end.
    pub s: usize,
    pub e: usize,
    /// This family's rule index (for [`Hit::push`]).
    pub rule: u16,
    pub prio: u8,
}

impl Hit<'_> {
    pub(crate) fn push(&self, out: &mut Vec<Cand>, start: usize, end: usize) {
        out.push(Cand {
            rule: self.rule,
            prio: self.prio,
            start,
            end,
        });
    }
}

/// The verifiers, in the order of the registry
/// `crate::rules::secrets::families::LIST` (OC312 …).
pub(crate) static VERIFY: &[Verify] = &[
    github_unverified::verify,
    url_credential::verify,
    groq::verify,
    xai::verify,
    openrouter::verify,
    huggingface::verify,
    perplexity::verify,
    replicate::verify,
    fireworks::verify,
    mistral::verify,
    cohere::verify,
    deepseek::verify,
    together::verify,
    azure_openai::verify,
    telegram::verify,
    discord::verify,
    whatsapp::verify,
    matrix::verify,
    line::verify,
    npm::verify,
    pypi::verify,
    sendgrid::verify,
    twilio::verify,
    jwt::verify,
    discord_webhook::verify,
    stripe_test::verify,
];

/// Rule index of the first family of [`LIST`] (after OC301–OC311).
pub(crate) const FIRST: u16 = 11;
/// Rule index of `github-token-unverified` (first in [`LIST`]).
pub(crate) const GITHUB_UNVERIFIED: u16 = FIRST;
/// Rule index of `openrouter-api-key` (dispatched from the `sk-` anchor).
pub(crate) const OPENROUTER: u16 = FIRST + 4;

// ---------------------------------------------------------------------------
// helpers shared by the family files
// ---------------------------------------------------------------------------

/// How far a context family looks around its context word.
pub(crate) const LINE_CAP: usize = 400;

/// The line around `pos` (at most [`LINE_CAP`] bytes either side).
pub(crate) fn line_around(b: &[u8], pos: usize) -> (usize, usize) {
    let lo_cap = pos.saturating_sub(LINE_CAP);
    let lo = memchr::memrchr(b'\n', &b[lo_cap..pos]).map_or(lo_cap, |i| lo_cap + i + 1);
    let hi_cap = (pos + LINE_CAP).min(b.len());
    let hi = memchr::memchr(b'\n', &b[pos..hi_cap]).map_or(hi_cap, |i| pos + i);
    (lo, hi)
}

/// A token with a fixed prefix at the anchor: `prefix_len` bytes of prefix,
/// then a body of `body` characters whose length is within `lens`, not cut
/// out of a longer run of `edge` characters on either side, and random
/// looking (entropy `min_h`, not sequential, no placeholder). Returns its end.
pub(crate) fn prefixed(
    h: &Hit,
    prefix_len: usize,
    body: fn(u8) -> bool,
    edge: fn(u8) -> bool,
    lens: (usize, usize),
    min_h: f64,
) -> Option<usize> {
    let b = h.b;
    if glued(b, h.s, edge) || in_b64_run(b, h.s) {
        return None;
    }
    let bs = h.s + prefix_len;
    let hi = (bs + lens.1 + 1).min(b.len());
    let mut e = bs;
    while e < hi && body(b[e]) {
        e += 1;
    }
    let n = e - bs;
    if n < lens.0 || n > lens.1 || (e < b.len() && edge(b[e])) {
        return None;
    }
    if matches!(byte_at(b, e), b'+' | b'/') && !body(b'+') {
        return None; // continues as base64: part of a blob
    }
    body_ok(&b[bs..e], min_h).then_some(e)
}

/// Is `s` preceded by a long base64 run ending in `+` or `/` (a match inside
/// a data URI or an embedded blob)?
pub(crate) fn in_b64_run(b: &[u8], s: usize) -> bool {
    if !matches!(prev_byte(b, s), b'+' | b'/') {
        return false;
    }
    let lo = s.saturating_sub(24);
    b[lo..s].iter().rev().take_while(|&&c| is_b64(c)).count() >= 16
}

/// Maximal runs of `tok` characters in `lo..hi` whose length is within
/// `lens` and for which `ok` holds; calls `found(start, end)` for each.
pub(crate) fn runs_in(
    b: &[u8],
    lo: usize,
    hi: usize,
    tok: fn(u8) -> bool,
    lens: (usize, usize),
    mut found: impl FnMut(usize, usize),
) {
    let mut i = lo;
    while i < hi {
        if !tok(b[i]) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < hi && tok(b[j]) {
            j += 1;
        }
        if (lens.0..=lens.1).contains(&(j - i)) {
            found(i, j);
        }
        i = j;
    }
}

/// A context family: somewhere on the line of the context word, a whole
/// token (a maximal run of `tok` characters) of a length in `lens` that
/// `ok` accepts. Reports each one.
pub(crate) fn in_line(
    h: &Hit,
    out: &mut Vec<Cand>,
    tok: fn(u8) -> bool,
    lens: (usize, usize),
    ok: fn(&[u8]) -> bool,
) {
    let (lo, hi) = line_around(h.b, h.s);
    runs_in(h.b, lo, hi, tok, lens, |s, e| {
        // the context word itself is not the token
        if !(s <= h.s && h.e <= e) && ok(&h.b[s..e]) {
            h.push(out, s, e);
        }
    });
}

pub(crate) fn is_lower_hex(c: u8) -> bool {
    c.is_ascii_digit() || (b'a'..=b'f').contains(&c)
}

/// Random-looking alphanumerics: upper, lower and digits, entropy ≥ `h`.
pub(crate) fn mixed_alnum(v: &[u8], h: f64) -> bool {
    let c = classes(v);
    c.other == 0 && c.upper > 0 && c.lower > 0 && c.digit > 0 && body_ok(v, h)
}

/// Random-looking hex (digits and letters both present).
pub(crate) fn random_hex(v: &[u8]) -> bool {
    let c = classes(v);
    v.iter().all(|c| c.is_ascii_hexdigit())
        && c.digit >= 2
        && c.upper + c.lower >= 2
        && (c.upper == 0 || c.lower == 0)
        && body_ok(v, 3.0)
}

/// Decodes standard or URL-safe base64 (padding optional) into `out`;
/// `false` on an invalid character.
pub(crate) fn b64_decode(s: &[u8], out: &mut Vec<u8>) -> bool {
    let mut acc = 0u32;
    let mut bits = 0u32;
    for &c in s {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            _ => return false,
        };
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    true
}

/// `true` when the rule text of every family has the fields the registry
/// needs (used by tests and `debug_assert`s).
pub(crate) fn specs_ok() -> bool {
    LIST.iter()
        .enumerate()
        .all(|(i, s)| s.rule.id == format!("OC{}", 312 + i))
        && LIST[(OPENROUTER - FIRST) as usize].rule.name == "openrouter-api-key"
        && LIST.len() == VERIFY.len()
}
