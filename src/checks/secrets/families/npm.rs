//! OC331: npm access tokens, `npm_` + 36 alphanumerics (30 random + a 6-character base62 CRC32, the same scheme as GitHub's tokens).
//! (Rule text, anchors and context words: `crate::rules::secrets::families`.)

use super::super::util::*;
use super::Hit;

pub(crate) fn verify(h: &Hit, out: &mut Vec<super::Cand>) {
    if let Some(e) = super::prefixed(h, 4, is_alnum, is_urlsafe, (36, 36), 3.5) {
        let body = &h.b[h.s + 4..e];
        // The checksum (as GitHub's) or, unverified, a random-looking body
        // with letters and digits (masked and sequential values fail it).
        let c = classes(body);
        if github_checksum_ok(body) || (c.upper + c.lower > 0 && c.digit > 0 && body_ok(body, 3.5))
        {
            h.push(out, h.s, e);
        }
    }
}
