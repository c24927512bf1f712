//! OC327: Discord bot tokens: base64 of the bot's numeric id, `.`, 6 characters, `.`, 27–38 characters, on a line that names Discord.

use super::super::{SecretRule, HARDCODED, HARDCODED_FRAMEWORKS, ROTATE};
use super::FamilySpec;

pub static SPEC: FamilySpec = FamilySpec {
    rule: SecretRule {
        id: "OC327",
        name: "discord-bot-token",
        family: "discord",
        title: "Hard-coded Discord bot token",
        description: "Looked up on lines that hold a credential key (`…_API_KEY`, `api_key=`, `…_TOKEN`, `…_SECRET`) or the provider's own anchor. Matches Discord bot tokens: the base64-encoded numeric bot id (it must decode to 17–20 digits), `.`, a 6-character timestamp, `.`, and a 27–38 character HMAC, on a line that names Discord (`DISCORD_TOKEN=…`, `discord.Client … run(\"…\")`). Placeholders are ignored. A leaked token lets anyone run the bot: read every channel it is in and post as it.",
        help: ROTATE,
        bad_example: concat!("DISCORD_BOT_TOKEN=", "MTIzNDU2Nzg5MDEyMzQ1Njc4", ".", "GcDemo", ".", "ClawcheckDemoTokenOn", "lyNotLiveV7ntWyYYI"),
        good_example: "DISCORD_BOT_TOKEN=your-bot-token",
        severity: "error",
        security_severity: "8.0",
        controls: HARDCODED,
        frameworks: HARDCODED_FRAMEWORKS,
    },
    anchors: &["iscord"],
    context: &["discord"],
    priority: 2,
};
