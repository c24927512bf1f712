//! PEM private keys: a `-----BEGIN … PRIVATE KEY-----` header followed by a
//! base64 body. The body may be on following lines (optionally indented, as in
//! YAML block scalars), or JSON-escaped on the same line (`\n` separators).
//! Headers without a body (constants, placeholders) are not reported.

use super::detect::Regexes;
use super::util::*;
use super::{Cand, Family};

/// Base64 characters of body needed to call it a key.
const MIN_BODY: usize = 64;
/// Base64 characters sampled for the entropy check.
const SAMPLE: usize = 128;
/// How far the body may start / be scanned.
const BODY_SCAN: usize = 1024;
/// How far to look for the END marker (RSA-8192 PEM is ~6.3 KB).
const END_SCAN: usize = 16 * 1024;

pub(crate) fn private_key(r: &Regexes, b: &[u8], s: usize, out: &mut Vec<Cand>) {
    let win = &b[s..(s + 80).min(b.len())];
    let Some(m) = r.pem_header.find(win) else {
        return;
    };
    let hdr_end = s + m.end();
    let Some(body_end) = body(b, hdr_end) else {
        return;
    };
    // The finding spans the block up to the END marker when we can see it.
    // Only the first `-----` after the body is considered (it is the END
    // marker, or the next BEGIN of a truncated key), so repeated headers
    // cannot make this quadratic.
    let hi = (hdr_end + END_SCAN).min(b.len());
    let end = match memchr::memmem::find(&b[body_end..hi], b"-----") {
        Some(i) if b[body_end + i..].starts_with(b"-----END ") => {
            let p = body_end + i + 9;
            let lim = (p + 48).min(b.len());
            match memchr::memmem::find(&b[p..lim], b"-----") {
                Some(j) => p + j + 5,
                None => p,
            }
        }
        _ => body_end,
    };
    out.push(Family::PrivateKey.cand(s, end));
}

/// Validate the body after the header; returns where the body scan stopped.
fn body(b: &[u8], mut p: usize) -> Option<usize> {
    let hi = (p + BODY_SCAN).min(b.len());
    let mut sample = [0u8; SAMPLE];
    let mut n = 0usize;
    let mut line_start = true;
    while p < hi && n < SAMPLE {
        let c = b[p];
        match c {
            b'\n' | b'\r' => {
                line_start = true;
                p += 1;
            }
            b' ' | b'\t' => p += 1,
            b'\\' if matches!(byte_at(b, p + 1), b'n' | b'r' | b't') => {
                line_start = true;
                p += 2;
            }
            _ if is_b64(c) || c == b'=' => {
                if line_start && is_rfc1421_header(b, p, hi) {
                    // Proc-Type: / DEK-Info: / Version: header line: skip it.
                    while p < hi && b[p] != b'\n' && !(b[p] == b'\\' && byte_at(b, p + 1) == b'n') {
                        p += 1;
                    }
                    continue;
                }
                line_start = false;
                if c != b'=' {
                    sample[n] = c;
                    n += 1;
                }
                p += 1;
            }
            _ if n >= MIN_BODY => break, // short key, END marker or closing quote
            _ => return None,            // "...", "<your key>", a closing quote, -----END
        }
    }
    let sample = &sample[..n];
    // OpenSSH bodies start with a structured, low-entropy header.
    if n < MIN_BODY || shannon(sample) < 3.3 || is_sequential(sample) {
        return None;
    }
    Some(p)
}

/// `Name: value` at the start of a body line (RFC 1421 encapsulated header).
fn is_rfc1421_header(b: &[u8], p: usize, hi: usize) -> bool {
    let lim = (p + 24).min(hi);
    let mut i = p;
    while i < lim && (b[i].is_ascii_alphanumeric() || b[i] == b'-') {
        i += 1;
    }
    i > p && i < lim && b[i] == b':'
}

/// A PEM private key base64-encoded as a whole (`LS0tLS1CRUdJTi…` is
/// base64 of `-----BEGIN`), as Kubernetes Secrets, JSON and `.env` files
/// hold them: the run must decode to a private-key header.
pub(crate) fn base64_private_key(b: &[u8], s: usize, out: &mut Vec<Cand>) {
    if is_b64(prev_byte(b, s)) {
        return;
    }
    let hi = (s + END_SCAN).min(b.len());
    let mut e = s;
    while e < hi && (is_b64(b[e]) || b[e] == b'=') {
        e += 1;
    }
    if e - s < 200 || (e == hi && hi < b.len()) {
        return;
    }
    let mut dec = Vec::with_capacity(96);
    if !super::families::b64_decode(&b[s..s + 128], &mut dec) {
        return;
    }
    let hdr = &dec[..dec.len().min(64)];
    if hdr.starts_with(b"-----BEGIN ") && memchr::memmem::find(hdr, b"PRIVATE KEY-----").is_some() {
        out.push(Family::PrivateKey.cand(s, e));
    }
}
