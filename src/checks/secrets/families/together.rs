//! OC324: Together AI API keys: 64 hex (older keys) or `tgp_v1_` + 43 base64url, only on a line that names Together.
//! (Rule text, anchors and context words: `crate::rules::secrets::families`.)

use super::super::util::*;
use super::Hit;

pub(crate) fn verify(h: &Hit, out: &mut Vec<super::Cand>) {
    super::in_line(h, out, is_urlsafe, (50, 64), |v| {
        (v.len() == 64 && super::random_hex(v))
            || (v.len() == 50 && v.starts_with(b"tgp_v1_") && body_ok(&v[7..], 3.5))
    });
}
