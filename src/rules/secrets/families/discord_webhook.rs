//! OC336: Discord webhook URLs, `https://discord.com/api/webhooks/<id>/<token>` (also `discordapp.com`, `ptb.` and `canary.`).

use super::super::{SecretRule, HARDCODED};
use super::FamilySpec;

pub static SPEC: FamilySpec = FamilySpec {
    rule: SecretRule {
        id: "OC336",
        name: "discord-webhook-url",
        family: "discord_webhook",
        title: "Hard-coded Discord webhook URL",
        description: "Matches Discord webhook URLs: `https://discord.com/api/webhooks/` (or `discordapp.com`, `ptb.discord.com`, `canary.discord.com`) followed by the webhook's numeric id (17–20 digits), `/` and its 60–72 character token. The URL is the credential: anyone who has it can post to the channel as the webhook, with any name and avatar. Placeholders and masked tokens are ignored.",
        help: "Delete the webhook in the channel's Integrations settings (that revokes the URL), create a new one, and load its URL from the environment or a secret store at run time.",
        bad_example: concat!("DISCORD_WEBHOOK=https://discord.com/api/webhooks/", "123456789012345678", "/", "ClawcheckDemoWebhookTokenOnlyNotLive", "Kq7Xv2Lm9Pz4Rt8Wn3Bc6Hd1Jf5Gs0Ya"),
        good_example: "DISCORD_WEBHOOK=${DISCORD_WEBHOOK_URL}",
        severity: "error",
        security_severity: "7.0",
        controls: HARDCODED,
    },
    anchors: &["/api/webhooks/"],
    context: &[],
    priority: 2,
};
