//! OC322: Cohere API keys: 40 alphanumerics, only on a line that names Cohere.
//! (Rule text, anchors and context words: `crate::rules::secrets::families`.)

use super::super::util::*;
use super::Hit;

pub(crate) fn verify(h: &Hit, out: &mut Vec<super::Cand>) {
    super::in_line(h, out, is_alnum, (40, 40), |v| super::mixed_alnum(v, 3.5));
}
