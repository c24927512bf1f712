//! Keyword-anchored detection: generic `password` / `secret` / `token` /
//! `api_key` assignments with a high-entropy literal, AWS secret access keys
//! next to an AWS context word, `Bearer <token>` headers, and SQL
//! `INSERT … (…, api_token) VALUES (…, '…')` rows.

use super::util::*;
use super::{Cand, Family};

const IDENT_CAP: usize = 64;
const VALUE_MAX: usize = 512;
const VALUE_MIN: usize = 12;

/// Per-scan state: the end of the last identifier handled, so that
/// `SECRET_TOKEN` (two keywords) is processed once.
#[derive(Default)]
pub(crate) struct State {
    ident_end: usize,
}

#[inline]
fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-' || c == b'.'
}

/// Length of a quote (`"`, `'`, `` ` ``, or a backslash-escaped one) at `p`.
fn quote_at(b: &[u8], p: usize) -> Option<(u8, usize)> {
    match byte_at(b, p) {
        q @ (b'"' | b'\'' | b'`') => Some((q, 1)),
        b'\\' => match byte_at(b, p + 1) {
            q @ (b'"' | b'\'') => Some((q, 2)),
            _ => None,
        },
        _ => None,
    }
}

/// Identifier suffixes that name something that is not the secret itself.
const NON_SECRET_SUFFIX: &[&[u8]] = &[
    b"name",
    b"ref",
    b"url",
    b"uri",
    b"path",
    b"file",
    b"field",
    b"type",
    b"length",
    b"len",
    b"count",
    b"size",
    b"header",
    b"prefix",
    b"id",
    b"ttl",
    b"timeout",
    b"hash",
    b"digest",
    b"checksum",
    b"format",
    b"version",
    b"endpoint",
    b"expiry",
    b"expires",
    b"enabled",
    b"mode",
    b"provider",
    b"regex",
    b"re",
    b"pattern",
    b"policy",
    b"min",
    b"max",
    b"limit",
    b"budget",
    b"sha1",
    b"sha256",
    b"sha512",
    b"md5",
    b"fingerprint",
    b"thumbprint",
];

/// Values that a family-specific verifier owns: if it rejected them, so do we.
const FAMILY_PREFIXES: &[&[u8]] = &[
    b"sk-",
    b"ghp_",
    b"gho_",
    b"ghu_",
    b"ghs_",
    b"ghr_",
    b"github_pat_",
    b"AIza",
    b"xox",
    b"xapp-",
    b"sk_live_",
    b"rk_live_",
    b"pk_live_",
    b"pk_test_",
    b"sk_test_",
    b"hvs.",
    b"hvb.",
    b"hvr.",
    b"AKIA",
    b"ASIA",
    b"ABIA",
    b"ACCA",
    b"-----",
    b"sha1-",
    b"sha256",
    b"sha384",
    b"sha512",
    b"md5",
    b"vault:",
    b"arn:",
    b"secret/",
    b"projects/",
];

/// Is `v` a plausible hard-coded secret literal (not a reference, placeholder,
/// mask, identifier, hash prefix, UUID or low-entropy string)?
pub(crate) fn generic_value_ok(v: &[u8]) -> bool {
    if v.len() < VALUE_MIN || v.len() > VALUE_MAX {
        return false;
    }
    if !v.iter().all(|&c| (0x21..0x7f).contains(&c)) {
        return false; // whitespace, control or non-ASCII bytes
    }
    if matches!(v[0], b'$' | b'%' | b'{' | b'<' | b'[' | b'(' | b'@' | b'#') {
        return false; // ${VAR}, %(name)s, {{ tmpl }}, <your-key>, [REDACTED], #{ref}
    }
    let c = classes(v);
    if c.digit == 0 || c.upper + c.lower == 0 {
        return false;
    }
    if v.len() < 16 && (c.upper == 0 || c.lower == 0) && c.other == 0 {
        return false;
    }
    // Dotted identifiers / module paths (`config.auth.v2`) are not secrets.
    if c.other > 0
        && v.iter().filter(|&&x| x == b'.').count() >= 2
        && c.digit * 4 < v.len()
        && c.upper == 0
    {
        return false;
    }
    let stars = v.iter().filter(|&&c| c == b'*').count();
    if stars * 4 > v.len() || memchr::memmem::find(v, b"**").is_some() {
        return false;
    }
    if is_uuid(v) || is_sequential(v) {
        return false;
    }
    let min_h = if v.len() < 16 { 2.8 } else { 3.0 };
    if shannon(v) < min_h {
        return false;
    }
    if FAMILY_PREFIXES
        .iter()
        .any(|p| v.len() >= p.len() && v[..p.len()].eq_ignore_ascii_case(p))
    {
        return false;
    }
    if memchr::memmem::find(v, b"://").is_some()
        || is_path_like(v)
        || is_slug(v)
        || looks_like_regex(v)
    {
        return false;
    }
    !has_placeholder(v)
}

/// `/etc/app/secret.txt`, `./certs/key2.pem`, `~/.ssh/id_rsa`: file paths,
/// told from base64 (which may also start with `/`) by mostly-lowercase letters.
fn is_path_like(v: &[u8]) -> bool {
    if !(v[0] == b'/' || v.starts_with(b"./") || v.starts_with(b"~/") || v.starts_with(b"../")) {
        return false;
    }
    let slashes = v.iter().filter(|&&c| c == b'/').count();
    let c = classes(v);
    slashes >= 2
        && c.lower >= 4 * c.upper.max(1)
        && v.iter().all(|&c| is_urlsafe(c) || c == b'/' || c == b'.')
}

/// Lower-case words joined by separators (`bert-base-uncased-v2`,
/// `my_service_token_2024`): names, not secrets.
fn is_slug(v: &[u8]) -> bool {
    if v.iter().any(|c| c.is_ascii_uppercase()) {
        return false;
    }
    let seps = v
        .iter()
        .filter(|&&c| matches!(c, b'-' | b'_' | b'.' | b'/'))
        .count();
    if seps < 2 {
        return false;
    }
    let (mut words, mut segs) = (0, 0);
    for seg in v.split(|&c| matches!(c, b'-' | b'_' | b'.' | b'/')) {
        if seg.is_empty() {
            continue;
        }
        segs += 1;
        if seg.len() >= 3 && seg.iter().all(u8::is_ascii_lowercase) {
            words += 1;
        }
    }
    words * 2 >= segs
}

fn looks_like_regex(v: &[u8]) -> bool {
    [
        &b"(?"[..],
        b".*",
        b"\\d",
        b"\\w",
        b"[A-Z",
        b"[a-z",
        b"[0-9",
        b"{8,",
        b"{12,",
    ]
    .iter()
    .any(|p| memchr::memmem::find(v, p).is_some())
}

/// A keyword (`secret`, `password`, `token`, `api_key`, …) at `ks..ke`.
pub(crate) fn keyword(b: &[u8], ks: usize, ke: usize, st: &mut State, out: &mut Vec<Cand>) {
    if ks < st.ident_end {
        return;
    }
    let len = b.len();
    let lim_a = ks.saturating_sub(IDENT_CAP);
    let mut a = ks;
    while a > lim_a && is_ident(b[a - 1]) {
        a -= 1;
    }
    let lim_z = (ke + IDENT_CAP).min(len);
    let mut z = ke;
    while z < lim_z && is_ident(b[z]) {
        z += 1;
    }
    st.ident_end = z;
    if (z == lim_z && z < len) || (a == lim_a && a > 0 && is_ident(b[a - 1])) {
        return; // part of a long run (base64 blob, minified code): not a name
    }
    while z > ke && matches!(b[z - 1], b'.' | b'-') {
        z -= 1;
    }
    let ident = &b[a..z];
    // Suffix at a word boundary: `DB_PASSWORD_FILE`, `tokenUrl`, `secret-ref`.
    let ident_lc_ends = |suf: &[u8]| {
        let (n, k) = (ident.len(), suf.len());
        if n <= k || !ident[n - k..].eq_ignore_ascii_case(suf) {
            return false;
        }
        let before = ident[n - k - 1];
        matches!(before, b'_' | b'-' | b'.')
            || (ident[n - k].is_ascii_uppercase() && before.is_ascii_lowercase())
    };
    if NON_SECRET_SUFFIX.iter().any(|s| ident_lc_ends(s)) {
        return;
    }
    let aws_ctx = is_aws_secret_name(ident);

    // --- separator -----------------------------------------------------
    let mut p = z;
    let key_quoted = match quote_at(b, p) {
        Some((_, l)) => {
            p += l;
            true
        }
        None => false,
    };
    if byte_at(b, p) == b']' {
        p += 1; // x["password"] = …
    }
    let before_ws = p;
    p = skip_ws(b, p, 16);
    #[derive(PartialEq)]
    enum Sep {
        Assign,
        Comma,
        Space,
    }
    if key_quoted
        && p > before_ws
        && b.len() - p >= 6
        && b[p..p + 6].eq_ignore_ascii_case(b"value=")
    {
        p += 5; // <add key="ApiKey" value="…" />
    }
    let flag = a + 1 < z
        && b[a] == b'-'
        && (b[a + 1] == b'-' || a == 0 || matches!(b[a - 1], b' ' | b'\t'));
    let sep = match byte_at(b, p) {
        b'!' => return,
        b'?' | b'+' if byte_at(b, p + 1) == b'=' => {
            p += 2; // Makefile `?=` / `+=`
            Sep::Assign
        }
        b'=' => {
            if byte_at(b, p + 1) == b'=' {
                return;
            }
            p += if byte_at(b, p + 1) == b'>' { 2 } else { 1 };
            Sep::Assign
        }
        b':' => {
            if byte_at(b, p + 1) == b':' {
                return;
            }
            p += if byte_at(b, p + 1) == b'=' { 2 } else { 1 };
            p = skip_type_annotation(b, p);
            Sep::Assign
        }
        b',' if key_quoted => {
            p += 1;
            Sep::Comma
        }
        b',' | b')' if !key_quoted => {
            sql_values(b, a, p, out);
            return;
        }
        _ if p > before_ws => Sep::Space,
        _ => return,
    };
    p = skip_ws(b, p, 16);

    // --- value ----------------------------------------------------------
    let (vs, ve) = match quote_at(b, p) {
        Some((q, l)) => {
            let vs = p + l;
            let hi = (vs + VALUE_MAX + 1).min(len);
            let mut i = vs;
            let mut close = None;
            while i < hi {
                let c = b[i];
                if c == b'\n' || c == b'\r' {
                    break;
                }
                if c == q && (l == 1 || b[i - 1] == b'\\') {
                    close = Some(if l == 1 { i } else { i - 1 });
                    break;
                }
                i += 1;
            }
            let Some(ve) = close else {
                st.ident_end = st.ident_end.max(i); // unterminated: do not rescan it
                return;
            };
            (vs, ve)
        }
        None => {
            if sep != Sep::Assign && !(sep == Sep::Space && (aws_ctx || flag)) {
                return; // `token "x"`-style needs quotes; `, value` too
            }
            let hi = (p + VALUE_MAX + 1).min(len);
            let mut i = p;
            while i < hi && !is_value_term(b[i]) {
                i += 1;
            }
            if i == hi && i < len {
                st.ident_end = st.ident_end.max(i); // too long to be a value: do not rescan it
                return;
            }
            if matches!(byte_at(b, i), b'(' | b'[') {
                return; // function call / indexing: `os.getenv(…)`, `os.environ[…]`
            }
            let mut ve = i;
            while ve > p && matches!(b[ve - 1], b'.' | b',' | b';') {
                ve -= 1;
            }
            (p, ve)
        }
    };
    let v = &b[vs..ve];
    if aws_ctx && aws_secret_ok(v) {
        out.push(Cand {
            fam: Family::AwsSecret,
            start: vs,
            end: ve,
        });
    } else if generic_value_ok(v) {
        out.push(Cand {
            fam: Family::Generic,
            start: vs,
            end: ve,
        });
    }
}

#[inline]
fn is_value_term(c: u8) -> bool {
    matches!(
        c,
        b' ' | b'\t'
            | b'\n'
            | b'\r'
            | b'"'
            | b'\''
            | b'`'
            | b','
            | b';'
            | b'('
            | b')'
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'<'
            | b'>'
            | b'&'
            | b'\\'
            | 0
    )
}

/// `aws_secret_access_key`, `AWS_SECRET`, `awsSecretAccessKey`, `SecretAccessKey`, …
fn is_aws_secret_name(ident: &[u8]) -> bool {
    let mut norm = [0u8; 2 * IDENT_CAP + 8];
    let mut n = 0;
    for &c in ident {
        if c.is_ascii_alphanumeric() && n < norm.len() {
            norm[n] = c.to_ascii_lowercase();
            n += 1;
        }
    }
    let norm = &norm[..n];
    memchr::memmem::find(norm, b"awssecret").is_some()
        || memchr::memmem::find(norm, b"secretaccesskey").is_some()
}

/// After `name:`, skip a type annotation that is followed by `=`
/// (`const KEY: &str = "…"`, `let key: String = "…"`, `apiKey: string = "…"`).
fn skip_type_annotation(b: &[u8], p: usize) -> usize {
    let q = skip_ws(b, p, 8);
    if quote_at(b, q).is_some() {
        return p;
    }
    let hi = (q + 48).min(b.len());
    let mut i = q;
    while i < hi
        && (b[i].is_ascii_alphanumeric()
            || matches!(
                b[i],
                b'_' | b'&' | b'\'' | b'<' | b'>' | b'[' | b']' | b':' | b' ' | b'?'
            ))
    {
        i += 1;
    }
    if i > q && i < hi && b[i] == b'=' && byte_at(b, i + 1) != b'=' && byte_at(b, i + 1) != b'>' {
        let ty = &b[q..i];
        // A type is short words; a YAML value would not be followed by `=`.
        if ty.iter().filter(|&&c| c == b' ').count() <= 3 {
            return i + 1;
        }
    }
    p
}

/// `INSERT INTO t (name, api_token) VALUES ('x', '…')`: the keyword is a
/// column; check the literal at the same position in the VALUES tuple.
fn sql_values(b: &[u8], ident_start: usize, after: usize, out: &mut Vec<Cand>) {
    // Column list start: '(' on the same line, only names/commas/spaces between.
    let lo = ident_start.saturating_sub(256);
    let mut i = ident_start;
    let mut col = 0usize;
    loop {
        if i <= lo {
            return;
        }
        i -= 1;
        match b[i] {
            b'(' => break,
            b',' => col += 1,
            c if is_ident(c) || matches!(c, b' ' | b'\t' | b'"' | b'`') => {}
            _ => return,
        }
    }
    // End of the column list.
    let hi = (after + 256).min(b.len());
    let Some(close) = memchr::memchr(b')', &b[after..hi]).map(|j| after + j) else {
        return;
    };
    let mut p = skip_ws(b, close + 1, 8);
    if !(p + 6 <= b.len() && b[p..p + 6].eq_ignore_ascii_case(b"VALUES")) {
        return;
    }
    p = skip_ws(b, p + 6, 8);
    if byte_at(b, p) != b'(' {
        return;
    }
    p += 1;
    // Walk the tuple to the col-th literal.
    let hi = (p + 1024).min(b.len());
    let mut idx = 0usize;
    while p < hi {
        p = skip_ws(b, p, 8);
        let (vs, ve, next) = if byte_at(b, p) == b'\'' || byte_at(b, p) == b'"' {
            let q = b[p];
            let Some(j) = memchr::memchr(q, &b[p + 1..hi]) else {
                return;
            };
            (p + 1, p + 1 + j, p + 2 + j)
        } else {
            let mut j = p;
            while j < hi && b[j] != b',' && b[j] != b')' && b[j] != b'\n' {
                j += 1;
            }
            (p, j, j)
        };
        if idx == col {
            if generic_value_ok(&b[vs..ve]) {
                out.push(Cand {
                    fam: Family::Generic,
                    start: vs,
                    end: ve,
                });
            }
            return;
        }
        p = skip_ws(b, next, 8);
        if byte_at(b, p) != b',' {
            return;
        }
        p += 1;
        idx += 1;
    }
}

/// `Bearer <token>`.
pub(crate) fn bearer(b: &[u8], s: usize, e: usize, out: &mut Vec<Cand>) {
    if prev_byte(b, s).is_ascii_alphanumeric() || byte_at(b, e) != b' ' {
        return;
    }
    let p = skip_ws(b, e, 8);
    let hi = (p + 2048).min(b.len());
    let tok = |c: u8| {
        c.is_ascii_alphanumeric()
            || matches!(
                c,
                b'.' | b'_' | b'~' | b'+' | b'/' | b'=' | b'-' | b'!' | b'*' | b'^'
            )
    };
    let mut i = p;
    while i < hi && tok(b[i]) {
        i += 1;
    }
    if i == hi && i < b.len() {
        return;
    }
    let v = &b[p..i];
    if v.len() >= 16 && generic_value_ok(v) {
        out.push(Cand {
            fam: Family::Generic,
            start: p,
            end: i,
        });
    }
}
