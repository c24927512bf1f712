//! OC330: LINE Messaging API channel access tokens (long-lived: ~172 base64 characters) and channel secrets (32 hex), only on a line that names the LINE channel.
//! (Rule text, anchors and context words: `crate::rules::secrets::families`.)

use super::super::util::*;
use super::Hit;

pub(crate) fn verify(h: &Hit, out: &mut Vec<super::Cand>) {
    super::in_line(h, out, is_b64, (32, 300), |v| {
        (v.len() == 32 && super::random_hex(v))
            || (v.len() >= 150 && super::mixed_alnum(&v[..100], 4.0) && body_ok(v, 4.5))
    });
}
