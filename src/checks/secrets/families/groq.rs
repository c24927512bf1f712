//! OC314: Groq API keys, `gsk_` + 52 alphanumerics (Groq console keys; the format other scanners' Groq rules use).
//! (Rule text, anchors and context words: `crate::rules::secrets::families`.)

use super::super::util::*;
use super::Hit;

pub(crate) fn verify(h: &Hit, out: &mut Vec<super::Cand>) {
    if let Some(e) = super::prefixed(h, 4, is_alnum, is_urlsafe, (52, 52), 3.5) {
        if super::mixed_alnum(&h.b[h.s + 4..e], 3.5) {
            h.push(out, h.s, e);
        }
    }
}
