//! OC324: Together AI API keys: 64 hex (older keys) or `tgp_v1_` + 43 base64url, only on a line that names Together.

use super::super::{SecretRule, HARDCODED, HARDCODED_FRAMEWORKS, ROTATE};
use super::FamilySpec;

pub static SPEC: FamilySpec = FamilySpec {
    rule: SecretRule {
        id: "OC324",
        name: "together-api-key",
        family: "together",
        title: "Hard-coded Together AI API key",
        description: "Looked up on lines that hold a credential key (`…_API_KEY`, `api_key=`, `…_TOKEN`, `…_SECRET`) or the provider's own anchor. Matches Together AI API keys (64 hexadecimal digits, or `tgp_v1_` followed by 43 base64url characters) on a line that names Together (`TOGETHER_API_KEY=…`, `Together(api_key=\"…\")`). Placeholders are ignored. A leaked key runs inference and fine-tuning billed to the account.",
        help: ROTATE,
        bad_example: concat!("TOGETHER_API_KEY=", "5ffa4d1278220ad2c", "f1337349e455d5261", "3c2813c40d2affbb1", "494978278947b", "  # ClawcheckDemo"),
        good_example: "TOGETHER_API_KEY=${TOGETHER_API_KEY}",
        severity: "error",
        security_severity: "7.5",
        controls: HARDCODED,
        frameworks: HARDCODED_FRAMEWORKS,
    },
    anchors: &[],
    context: &["together"],
    priority: 2,
};
