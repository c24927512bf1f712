//! OC321: Mistral AI API keys: 32 alphanumerics, not distinctive alone, so only on a line that names Mistral.
//! (Rule text, anchors and context words: `crate::rules::secrets::families`.)

use super::super::util::*;
use super::Hit;

pub(crate) fn verify(h: &Hit, out: &mut Vec<super::Cand>) {
    super::in_line(h, out, is_alnum, (32, 32), |v| super::mixed_alnum(v, 3.5));
}
