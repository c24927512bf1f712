//! OC324: Together AI API keys: 64 hex (older keys) or `tgp_v1_` + 43 base64url, only on a line that names Together.

use super::super::util::*;
use super::{Hit, Spec};
use crate::rules::secrets::{SecretRule, HARDCODED, ROTATE};

pub(crate) static SPEC: Spec = Spec {
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
    },
    anchors: &[],
    context: &["together"],
    verify,
    priority: 2,
};

fn verify(h: &Hit, out: &mut Vec<super::Cand>) {
    super::in_line(h, out, is_urlsafe, (50, 64), |v| {
        (v.len() == 64 && super::random_hex(v))
            || (v.len() == 50 && v.starts_with(b"tgp_v1_") && body_ok(&v[7..], 3.5))
    });
}
