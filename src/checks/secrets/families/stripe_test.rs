//! OC337: Stripe test-mode secret and restricted keys: `sk_test_` or `rk_test_`
//! and 20–247 alphanumerics, the shape of the live keys (OC308) in test mode.
//! (Rule text, anchors and context words: `crate::rules::secrets::families`.)

use super::super::util::*;
use super::Hit;

/// A key ends where its word does: `_` continues an identifier
/// (`sk_test_key_name`), so it is an edge as a letter is.
fn edge(c: u8) -> bool {
    is_alnum(c) || c == b'_'
}

pub(crate) fn verify(h: &Hit, out: &mut Vec<super::Cand>) {
    // random-looking as the live key's body must be (OC308: entropy, not
    // sequential, no placeholder)
    if let Some(e) = super::prefixed(h, 8, is_alnum, edge, (20, 247), 3.5) {
        h.push(out, h.s, e);
    }
}
