//! OC326: Telegram bot tokens, `<bot id>:<35-character secret>` (the secret starts with `AA`).

use super::super::util::*;
use super::{Hit, Spec};
use crate::rules::secrets::{SecretRule, HARDCODED, ROTATE};

pub(crate) static SPEC: Spec = Spec {
    rule: SecretRule {
        id: "OC326",
        name: "telegram-bot-token",
        family: "telegram",
        title: "Hard-coded Telegram bot token",
        description: "Matches Telegram Bot API tokens: the bot's numeric id (8–10 digits), `:`, and a 35-character secret of letters, digits, `-` and `_` that starts with `AA`, as in `.env` files, compose files, scripts and URLs (`api.telegram.org/bot<token>/`). Placeholders are ignored. A leaked token lets anyone act as the bot: read the messages sent to it and post in its chats.",
        help: ROTATE,
        bad_example: concat!("# ClawcheckDemo bot (not live)\nTELEGRAM_BOT_TOKEN=", "7123456409:AA", "ClawcheckDemoToke", "nOnlyBHqn9cPSCyI"),
        good_example: "TELEGRAM_BOT_TOKEN=123456789:your-bot-token",
        severity: "error",
        security_severity: "8.0",
        controls: HARDCODED,
    },
    anchors: &[":AA"],
    context: &[],
    verify,
    priority: 2,
};

fn verify(h: &Hit, out: &mut Vec<super::Cand>) {
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
    if !(8..=10).contains(&n)
        || b[a] == b'0'
        || (prev_byte(b, a).is_ascii_alphanumeric() && !in_url)
    {
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
