//! OC329: Matrix (Synapse) access tokens, `syt_` + base64 user localpart + `_` + 20 random + `_` + 6-character checksum.
//! (Rule text, anchors and context words: `crate::rules::secrets::families`.)

use super::super::util::*;
use super::Hit;

pub(crate) fn verify(h: &Hit, out: &mut Vec<super::Cand>) {
    let b = h.b;
    if glued(b, h.s, is_urlsafe) {
        return;
    }
    let hi = (h.e + 200).min(b.len());
    let mut e = h.e;
    while e < hi && (is_alnum(b[e]) || matches!(b[e], b'_' | b'-' | b'=' | b'+' | b'/')) {
        e += 1;
    }
    if is_urlsafe(byte_at(b, e)) {
        return;
    }
    let tok = &b[h.e..e];
    let parts: Vec<&[u8]> = tok.rsplitn(3, |&c| c == b'_').collect();
    if parts.len() != 3 {
        return;
    }
    let (sum, rnd, user) = (parts[0], parts[1], parts[2]);
    if sum.len() == 6
        && rnd.len() == 20
        && !user.is_empty()
        && sum.iter().all(|&c| is_alnum(c))
        && rnd.iter().all(|&c| is_alnum(c))
        && body_ok(rnd, 3.3)
    {
        h.push(out, h.s, e);
    }
}
