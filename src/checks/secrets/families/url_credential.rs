//! OC313: a password in the user-info part of a URL,
//! `scheme://user:password@host` (RFC 3986 §3.2.1). Connection strings
//! (`postgres://`, `mongodb+srv://`, `amqp://`, `redis://`, `https://`) are
//! where these usually are. Placeholders (`user:password@`, `${PASS}`,
//! `<password>`, `***`, `:@`) and dictionary-like passwords are not reported.
//! (Rule text, anchors and context words: `crate::rules::secrets::families`.)

use super::super::util::*;
use super::Hit;

fn userinfo(c: u8) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            b'-' | b'.'
                | b'_'
                | b'~'
                | b'%'
                | b'!'
                | b'$'
                | b'&'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b':'
                | b'^'
                | b'('
                | b')'
                | b'#'
                | b'?'
        )
}

const WEAK: &[&[u8]] = &[
    b"password",
    b"passwd",
    b"pass",
    b"pwd",
    b"secret",
    b"pa55word",
    b"passw0rd",
    b"p4ssw0rd",
    b"p@ssw0rd",
    b"token",
    b"user",
    b"username",
    b"admin",
    b"guest",
    b"root",
    b"test",
    b"foo",
    b"bar",
    b"baz",
];

pub(crate) fn verify(h: &Hit, out: &mut Vec<super::Cand>) {
    let b = h.b;
    // scheme: letters (digits, + - . after the first)
    let mut a = h.s;
    let lim = h.s.saturating_sub(32);
    while a > lim && (b[a - 1].is_ascii_alphanumeric() || matches!(b[a - 1], b'+' | b'-' | b'.')) {
        a -= 1;
    }
    if a == h.s || !b[a].is_ascii_alphabetic() {
        return;
    }
    let us = h.e;
    let hi = (us + 256).min(b.len());
    let mut i = us;
    while i < hi && userinfo(b[i]) {
        i += 1;
    }
    if byte_at(b, i) != b'@' || !byte_at(b, i + 1).is_ascii_alphanumeric() {
        return;
    }
    let info = &b[us..i];
    let Some(colon) = memchr::memchr(b':', info) else {
        return;
    };
    let (user, pw) = (&info[..colon], &info[colon + 1..]);
    if pw.len() < 6 || pw.len() > 128 || pw == user || memchr::memchr(b'@', pw).is_some() {
        return;
    }
    if matches!(pw[0], b'$' | b'%' | b'*' | b'(' | b'#') || pw.contains(&b'$') {
        return; // $VAR, %s, %(x)s, ***, $(cmd)
    }
    let lc = pw.to_ascii_lowercase();
    if WEAK.iter().any(|w| lc == *w) || has_placeholder(pw) || is_sequential(pw) {
        return;
    }
    // Demo words, also percent-encoded (`pass%20word`, `p%40ss%3Aword`)
    let plain = percent_decoded(pw);
    if crate::checks::secrets::generic::is_dictionary_phrase(&plain) {
        return;
    }
    let c = classes(pw);
    let kinds =
        (c.upper > 0) as u8 + (c.lower > 0) as u8 + (c.digit > 0) as u8 + (c.other > 0) as u8;
    if kinds < 2 || c.digit + c.other == 0 || shannon(pw) < 2.5 {
        return;
    }
    // `host:port@` of a proxy-less URL cannot happen here (the `@` is required),
    // but `user:1234@`-style numeric-only passwords are ports in disguise.
    if pw.iter().all(u8::is_ascii_digit) {
        return;
    }
    h.push(out, us + colon + 1, i);
}

/// `pw` with `%XX` escapes decoded and the blanks and colons they stood
/// for dropped (the words are what matters).
fn percent_decoded(pw: &[u8]) -> Vec<u8> {
    let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(pw.len());
    let mut i = 0;
    while i < pw.len() {
        let c = match (
            pw[i],
            pw.get(i + 1).copied().and_then(hex),
            pw.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                i += 3;
                h << 4 | l
            }
            (c, _, _) => {
                i += 1;
                c
            }
        };
        if !matches!(c, b' ' | b':' | b'+') {
            out.push(c);
        }
    }
    out
}
