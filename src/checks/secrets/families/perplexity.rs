//! OC318: Perplexity API keys, `pplx-` + 48 alphanumerics.
//! (Rule text, anchors and context words: `crate::rules::secrets::families`.)

use super::super::util::*;
use super::Hit;

pub(crate) fn verify(h: &Hit, out: &mut Vec<super::Cand>) {
    if let Some(e) = super::prefixed(h, 5, is_alnum, is_urlsafe, (48, 48), 3.5) {
        let c = classes(&h.b[h.s + 5..e]);
        if c.digit > 0 && c.upper + c.lower > 0 {
            h.push(out, h.s, e);
        }
    }
}
