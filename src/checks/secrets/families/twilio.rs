//! OC334: Twilio API key SIDs (`SK` + 32 hex), account SIDs (`AC` + 32 hex) and auth tokens (32 hex), only on a line that names Twilio.
//! (Rule text, anchors and context words: `crate::rules::secrets::families`.)

use super::super::util::*;
use super::Hit;

pub(crate) fn verify(h: &Hit, out: &mut Vec<super::Cand>) {
    super::in_line(h, out, is_alnum, (32, 34), |v| {
        let hex = if v.len() == 34 && (v.starts_with(b"SK") || v.starts_with(b"AC")) {
            &v[2..]
        } else if v.len() == 32 {
            v
        } else {
            return false;
        };
        super::random_hex(hex)
    });
}
