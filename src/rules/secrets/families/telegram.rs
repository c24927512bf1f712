//! OC326: Telegram bot tokens, `<bot id>:<35-character secret>` (the secret starts with `AA`).

use super::super::{SecretRule, HARDCODED, HARDCODED_FRAMEWORKS, ROTATE};
use super::FamilySpec;

pub static SPEC: FamilySpec = FamilySpec {
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
        frameworks: HARDCODED_FRAMEWORKS,
    },
    anchors: &[":AA"],
    context: &[],
    priority: 2,
};
