//! OC320: Fireworks AI API keys, `fw_` + 24 alphanumerics.
//! (Rule text, anchors and context words: `crate::rules::secrets::families`.)

use super::super::util::*;
use super::Hit;

pub(crate) fn verify(h: &Hit, out: &mut Vec<super::Cand>) {
    if let Some(e) = super::prefixed(h, 3, is_alnum, is_urlsafe, (24, 24), 3.3) {
        if super::mixed_alnum(&h.b[h.s + 3..e], 3.3) {
            h.push(out, h.s, e);
        }
    }
}
