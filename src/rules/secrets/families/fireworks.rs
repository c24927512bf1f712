//! OC320: Fireworks AI API keys, `fw_` + 24 alphanumerics.

use super::super::{SecretRule, HARDCODED, HARDCODED_FRAMEWORKS, ROTATE};
use super::FamilySpec;

pub static SPEC: FamilySpec = FamilySpec {
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
        frameworks: HARDCODED_FRAMEWORKS,
    },
    anchors: &["fw_"],
    context: &[],
    priority: 2,
};
