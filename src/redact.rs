//! The one redaction function: every secret or literal credential that a
//! message, snippet, report or log shows passes through [`redact`], so all
//! outputs agree on how much of a value may be seen.

/// Redacted form of a secret: a short prefix (at most 10 bytes and at most a
/// fifth of the value) and the length, e.g. `sk-proj-Ab…[164 chars]`. For PEM
/// blocks the (non-secret) `-----BEGIN … -----` header is shown instead.
/// Bytes outside printable ASCII are shown as `?`.
pub fn redact(secret: &[u8]) -> String {
    let n = secret.len();
    let shown: &[u8] = if secret.starts_with(b"-----BEGIN ") {
        let hdr_end = memchr::memmem::find(&secret[11..secret.len().min(80)], b"-----")
            .map_or(11, |i| 16 + i);
        &secret[..hdr_end]
    } else {
        &secret[..(n / 5).min(10)]
    };
    let mut s = String::with_capacity(shown.len() + 20);
    for &c in shown {
        s.push(if (0x20..0x7f).contains(&c) {
            c as char
        } else {
            '?'
        });
    }
    s.push('…');
    s.push('[');
    s.push_str(&n.to_string());
    s.push_str(" chars]");
    s
}
