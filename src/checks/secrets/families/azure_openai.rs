//! OC325: Azure OpenAI / Azure AI services keys: 32 hex (classic) or 84 alphanumerics (current), only on a line that names Azure OpenAI or Cognitive Services.
//! (Rule text, anchors and context words: `crate::rules::secrets::families`.)

use super::super::util::*;
use super::Hit;

pub(crate) fn verify(h: &Hit, out: &mut Vec<super::Cand>) {
    super::in_line(h, out, is_alnum, (32, 84), |v| {
        (v.len() == 32 && super::random_hex(v)) || (v.len() == 84 && super::mixed_alnum(v, 4.0))
    });
}
