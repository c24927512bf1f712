//! OC330: LINE Messaging API channel access tokens (long-lived: ~172 base64 characters) and channel secrets (32 hex), only on a line that names the LINE channel.

use super::super::{SecretRule, HARDCODED, HARDCODED_FRAMEWORKS, ROTATE};
use super::FamilySpec;

pub static SPEC: FamilySpec = FamilySpec {
    rule: SecretRule {
        id: "OC330",
        name: "line-channel-token",
        family: "line",
        title: "Hard-coded LINE channel access token or secret",
        description: "Looked up on lines that hold a credential key (`…_API_KEY`, `api_key=`, `…_TOKEN`, `…_SECRET`) or the provider's own anchor. Matches LINE Messaging API credentials on a line that names them (`LINE_CHANNEL_ACCESS_TOKEN`, `LINE_CHANNEL_SECRET`, `channelAccessToken`, `channelSecret`): a long-lived channel access token (150 or more base64 characters) or a channel secret (32 hexadecimal digits). The formats are not distinctive, so the context is required. A leaked token sends messages as the official account and reads its users' messages.",
        help: ROTATE,
        bad_example: concat!("# ClawcheckDemo (not live)\nLINE_CHANNEL_SECRET=", "b9db165c231", "15661ffb0df", "9daee36452"),
        good_example: "LINE_CHANNEL_SECRET=${LINE_CHANNEL_SECRET}",
        severity: "error",
        security_severity: "7.5",
        controls: HARDCODED,
        frameworks: HARDCODED_FRAMEWORKS,
    },
    anchors: &[],
    context: &["line_channel", "linechannel", "channelaccesstoken", "channelsecret", "line_access_token"],
    priority: 2,
};
