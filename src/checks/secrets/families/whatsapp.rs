//! OC328: WhatsApp Cloud API / Meta Graph API access tokens, `EAA` + 90 or more alphanumerics (system-user and page tokens).
//! (Rule text, anchors and context words: `crate::rules::secrets::families`.)

use super::super::util::*;
use super::Hit;

pub(crate) fn verify(h: &Hit, out: &mut Vec<super::Cand>) {
    if let Some(e) = super::prefixed(h, 3, is_alnum, is_urlsafe, (90, 400), 4.0) {
        if super::mixed_alnum(&h.b[h.s + 3..e], 4.0) {
            h.push(out, h.s, e);
        }
    }
}
