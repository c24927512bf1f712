//! OC317: Hugging Face user access tokens, `hf_` + 34 letters.
//! (Rule text, anchors and context words: `crate::rules::secrets::families`.)

use super::super::util::*;
use super::Hit;

pub(crate) fn verify(h: &Hit, out: &mut Vec<super::Cand>) {
    let plen = h.e - h.s;
    let letter = |c: u8| c.is_ascii_alphabetic();
    if let Some(e) = super::prefixed(h, plen, letter, is_urlsafe, (34, 34), 3.5) {
        let c = classes(&h.b[h.s + plen..e]);
        if c.upper >= 2 && c.lower >= 2 {
            h.push(out, h.s, e);
        }
    }
}
