//! OC320: Fireworks AI API keys, `fw_` + 24 alphanumerics.

use super::super::util::*;
use super::{Hit, Spec};
use crate::rules::secrets::{SecretRule, HARDCODED, ROTATE};

pub(crate) static SPEC: Spec = Spec {
    rule: SecretRule {
        id: "OC320",
        name: "fireworks-api-key",
        family: "fireworks",
        title: "Hard-coded Fireworks AI API key",
        description: "Matches Fireworks AI API keys: `fw_` followed by 24 letters and digits, as a whole word with upper, lower case and digits mixed. Placeholders are ignored. A leaked key runs inference and fine-tuning on the account.",
        help: ROTATE,
        bad_example: concat!("FIREWORKS_API_KEY=fw_", "Clawcheck", "0nlyDemoy", "aGKbXJ"),
        good_example: "FIREWORKS_API_KEY=fw_your_api_key",
        severity: "error",
        security_severity: "7.5",
        controls: HARDCODED,
    },
    anchors: &["fw_"],
    context: &[],
    verify,
    priority: 2,
};

fn verify(h: &Hit, out: &mut Vec<super::Cand>) {
    if let Some(e) = super::prefixed(h, 3, is_alnum, is_urlsafe, (24, 24), 3.3) {
        if super::mixed_alnum(&h.b[h.s + 3..e], 3.3) {
            h.push(out, h.s, e);
        }
    }
}
