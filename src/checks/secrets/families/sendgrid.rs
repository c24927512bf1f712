//! OC333: SendGrid API keys, `SG.` + 22 base64url + `.` + 43 base64url.
//! (Rule text, anchors and context words: `crate::rules::secrets::families`.)

use super::super::util::*;
use super::Hit;

pub(crate) fn verify(h: &Hit, out: &mut Vec<super::Cand>) {
    let b = h.b;
    if is_urlsafe(prev_byte(b, h.s)) {
        return;
    }
    let run = |from: usize| {
        let hi = (from + 64).min(b.len());
        let mut i = from;
        while i < hi && is_urlsafe(b[i]) {
            i += 1;
        }
        i
    };
    let m = run(h.e);
    if m - h.e != 22 || byte_at(b, m) != b'.' {
        return;
    }
    let e = run(m + 1);
    if e - (m + 1) != 43 || is_urlsafe(byte_at(b, e)) {
        return;
    }
    if body_ok(&b[h.e..m], 3.0) && body_ok(&b[m + 1..e], 3.5) {
        h.push(out, h.s, e);
    }
}
