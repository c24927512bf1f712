//! OC333: SendGrid API keys, `SG.` + 22 base64url + `.` + 43 base64url
//! (20–24 and 39–50 accepted: the lengths other scanners accept, so that a
//! key copied with a character too many or too few is still reported).
//! (Rule text, anchors and context words: `crate::rules::secrets::families`.)

use super::super::util::*;
use super::Hit;

pub(crate) fn verify(h: &Hit, out: &mut Vec<super::Cand>) {
    let b = h.b;
    if glued(b, h.s, is_urlsafe) {
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
    if !(20..=24).contains(&(m - h.e)) || byte_at(b, m) != b'.' {
        return;
    }
    let e = run(m + 1);
    if !(39..=50).contains(&(e - (m + 1))) || is_urlsafe(byte_at(b, e)) {
        return;
    }
    if body_ok(&b[h.e..m], 3.0) && body_ok(&b[m + 1..e], 3.5) {
        h.push(out, h.s, e);
    }
}
