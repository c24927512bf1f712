//! OC315: xAI (Grok) API keys, `xai-` + 80 alphanumerics.
//! (Rule text, anchors and context words: `crate::rules::secrets::families`.)

use super::super::util::*;
use super::Hit;

pub(crate) fn verify(h: &Hit, out: &mut Vec<super::Cand>) {
    let tok = |c: u8| is_alnum(c) || c == b'_';
    if let Some(e) = super::prefixed(h, 4, tok, is_urlsafe, (80, 80), 3.5) {
        let c = classes(&h.b[h.s + 4..e]);
        if c.upper > 0 && c.lower > 0 && c.digit > 0 {
            h.push(out, h.s, e);
        }
    }
}
