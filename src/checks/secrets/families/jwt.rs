//! OC335: JSON Web Tokens with a signature: three base64url parts whose header decodes to a JSON object naming an `alg`. Bearer credentials until they expire.
//! (Rule text, anchors and context words: `crate::rules::secrets::families`.)

use super::super::util::*;
use super::Hit;

pub(crate) fn verify(h: &Hit, out: &mut Vec<super::Cand>) {
    let b = h.b;
    if glued(b, h.s, is_urlsafe) {
        return;
    }
    let hi = (h.s + 8192).min(b.len());
    let mut dots = [0usize; 2];
    let mut nd = 0;
    let mut e = h.s;
    while e < hi && (is_urlsafe(b[e]) || b[e] == b'.') {
        if b[e] == b'.' {
            if nd == 2 {
                break;
            }
            dots[nd] = e;
            nd += 1;
        }
        e += 1;
    }
    if nd != 2 || (e == hi && hi < b.len()) || byte_at(b, e) == b'.' {
        return;
    }
    let (hdr, payload, sig) = (
        &b[h.s..dots[0]],
        &b[dots[0] + 1..dots[1]],
        &b[dots[1] + 1..e],
    );
    if hdr.len() < 16 || payload.len() < 8 || sig.len() < 16 || !body_ok(sig, 3.5) {
        return;
    }
    let mut dec = Vec::with_capacity(hdr.len());
    if !super::b64_decode(hdr, &mut dec) || !dec.starts_with(b"{") {
        return;
    }
    let alg = memchr::memmem::find(&dec, b"\"alg\"").is_some();
    let none = memchr::memmem::find(&dec, b"\"none\"").is_some();
    if alg && !none {
        h.push(out, h.s, e);
    }
}
