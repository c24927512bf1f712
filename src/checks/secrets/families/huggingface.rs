//! OC317: Hugging Face user access tokens, `hf_` + 34 letters (digits accepted), and legacy `api_org_` tokens.
//! (Rule text, anchors and context words: `crate::rules::secrets::families`.)

use super::super::util::*;
use super::Hit;

pub(crate) fn verify(h: &Hit, out: &mut Vec<super::Cand>) {
    let plen = h.e - h.s;
    // Issued tokens are letters; digits are accepted too (older tokens and
    // other scanners' vectors have them), the mixed case is still required.
    if let Some(e) = super::prefixed(h, plen, is_alnum, is_urlsafe, (34, 34), 3.5) {
        let c = classes(&h.b[h.s + plen..e]);
        if c.upper >= 2 && c.lower >= 2 {
            h.push(out, h.s, e);
        }
    }
}
