//! OC323: DeepSeek API keys, `sk-` + 32 lower-case hex, only on a line that names DeepSeek (the shape alone is not distinctive).
//! (Rule text, anchors and context words: `crate::rules::secrets::families`.)

use super::super::util::*;
use super::Hit;

pub(crate) fn verify(h: &Hit, out: &mut Vec<super::Cand>) {
    super::in_line(h, out, is_urlsafe, (35, 35), |v| {
        v.starts_with(b"sk-")
            && v[3..].iter().all(|&c| super::is_lower_hex(c))
            && super::random_hex(&v[3..])
    });
}
