//! OC327: Discord bot tokens: base64 of the bot's numeric id, `.`, 6 characters, `.`, 27–38 characters, on a line that names Discord.

use super::super::util::*;
use super::{Hit, Spec};
use crate::rules::secrets::{SecretRule, HARDCODED, ROTATE};

pub(crate) static SPEC: Spec = Spec {
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
    },
    anchors: &["iscord"],
    context: &["discord"],
    verify,
    priority: 2,
};

fn tok(c: u8) -> bool {
    is_urlsafe(c) || c == b'.'
}

fn verify(h: &Hit, out: &mut Vec<super::Cand>) {
    super::in_line(h, out, tok, (59, 72), |v| {
        let p: Vec<&[u8]> = v.split(|&c| c == b'.').collect();
        if p.len() != 3
            || !(23..=28).contains(&p[0].len())
            || p[1].len() != 6
            || !(27..=38).contains(&p[2].len())
        {
            return false;
        }
        let mut id = Vec::new();
        super::b64_decode(p[0], &mut id)
            && (17..=20).contains(&id.len())
            && id.iter().all(u8::is_ascii_digit)
            && body_ok(p[2], 3.5)
    });
}
