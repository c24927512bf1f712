//! OC316: OpenRouter API keys, `sk-or-v1-` + 64 lower-case hex.
//! (Rule text, anchors and context words: `crate::rules::secrets::families`.)

use super::super::util::*;
use super::Hit;

pub(crate) fn verify(h: &Hit, out: &mut Vec<super::Cand>) {
    if let Some(e) = super::prefixed(h, 9, super::is_lower_hex, is_urlsafe, (64, 64), 3.0) {
        if super::random_hex(&h.b[h.s + 9..e]) {
            h.push(out, h.s, e);
        }
    }
}
