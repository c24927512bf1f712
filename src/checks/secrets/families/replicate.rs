//! OC319: Replicate API tokens, `r8_` + 37 characters.
//! (Rule text, anchors and context words: `crate::rules::secrets::families`.)

use super::super::util::*;
use super::Hit;

pub(crate) fn verify(h: &Hit, out: &mut Vec<super::Cand>) {
    if let Some(e) = super::prefixed(h, 3, is_urlsafe, is_urlsafe, (37, 37), 3.5) {
        let c = classes(&h.b[h.s + 3..e]);
        if c.digit > 0 && c.upper > 0 && c.lower > 0 {
            h.push(out, h.s, e);
        }
    }
}
