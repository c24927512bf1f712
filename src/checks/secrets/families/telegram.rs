//! OC326: Telegram bot tokens, `<bot id>:<35-character secret>` (the secret starts with `AA`).
//! (Rule text, anchors and context words: `crate::rules::secrets::families`.)

use super::super::util::*;
use super::Hit;

pub(crate) fn verify(h: &Hit, out: &mut Vec<super::Cand>) {
    let b = h.b;
    // bot id: 8-10 digits before the colon, not part of a longer word
    let lim = h.s.saturating_sub(11);
    let mut a = h.s;
    while a > lim && b[a - 1].is_ascii_digit() {
        a -= 1;
    }
    let n = h.s - a;
    // `…/bot<token>/getMe` in Bot API URLs
    let in_url = a >= 4 && &b[a - 4..a] == b"/bot";
    if !(8..=10).contains(&n) || b[a] == b'0' || (glued(b, a, is_alnum) && !in_url) {
        return;
    }
    let bs = h.s + 1;
    let hi = (bs + 36).min(b.len());
    let mut e = bs;
    while e < hi && is_urlsafe(b[e]) {
        e += 1;
    }
    if e - bs != 35 || is_urlsafe(byte_at(b, e)) {
        return;
    }
    if body_ok(&b[bs + 2..e], 3.5) {
        h.push(out, a, e);
    }
}
