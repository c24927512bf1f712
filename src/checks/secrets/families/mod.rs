//! Credential families added one file each: a family is its rule metadata
//! (id, name, docs, examples, severity), its Aho-Corasick anchors and its
//! verifier, in one `Spec`. [`LIST`] is the one registry: the rule table
//! (`crate::rules::secrets::rules`), the docs, the tests and the benchmark
//! all iterate it. Adding a family is a new file here plus one line in
//! `LIST`.
//!
//! A verifier runs on a bounded window at its anchor (never past
//! [`LINE_CAP`] bytes for context families), so the scan stays linear.

use super::util::*;
use super::Cand;
use crate::rules::secrets::SecretRule;

mod azure_openai;
mod cohere;
mod deepseek;
mod discord;
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
mod telegram;
mod together;
mod twilio;
mod url_credential;
mod whatsapp;
mod xai;

/// One credential family.
pub(crate) struct Spec {
    pub rule: SecretRule,
    /// Case-sensitive literal anchors (several spellings where needed).
    pub anchors: &'static [&'static str],
    /// Lower-case words that give a non-distinctive format its context:
    /// looked up (ASCII case-insensitively) on each line where the generic
    /// rule found a key naming a credential, and on the lines of the
    /// anchors; the verifier then runs at the word.
    pub context: &'static [&'static str],
    pub verify: fn(&Hit, &mut Vec<Cand>),
    /// Higher wins when two findings overlap (generic 0, most families 2).
    pub priority: u8,
}

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

/// The registry of the families defined in this folder, in rule-id order
/// (they follow OC301–OC311 of `crate::rules::secrets`).
pub(crate) static LIST: &[&Spec] = &[
    &github_unverified::SPEC, // OC312
    &url_credential::SPEC,    // OC313
    &groq::SPEC,              // OC314
    &xai::SPEC,               // OC315
    &openrouter::SPEC,        // OC316
    &huggingface::SPEC,       // OC317
    &perplexity::SPEC,        // OC318
    &replicate::SPEC,         // OC319
    &fireworks::SPEC,         // OC320
    &mistral::SPEC,           // OC321
    &cohere::SPEC,            // OC322
    &deepseek::SPEC,          // OC323
    &together::SPEC,          // OC324
    &azure_openai::SPEC,      // OC325
    &telegram::SPEC,          // OC326
    &discord::SPEC,           // OC327
    &whatsapp::SPEC,          // OC328
    &matrix::SPEC,            // OC329
    &line::SPEC,              // OC330
    &npm::SPEC,               // OC331
    &pypi::SPEC,              // OC332
    &sendgrid::SPEC,          // OC333
    &twilio::SPEC,            // OC334
    &jwt::SPEC,               // OC335
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
    if edge(prev_byte(b, h.s)) || in_b64_run(b, h.s) {
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
}
