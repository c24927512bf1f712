//! OC321: Mistral AI API keys: 32 alphanumerics, not distinctive alone, so only on a line that names Mistral.

use super::super::{SecretRule, HARDCODED, HARDCODED_FRAMEWORKS, ROTATE};
use super::FamilySpec;

pub static SPEC: FamilySpec = FamilySpec {
    rule: SecretRule {
        id: "OC321",
        name: "mistral-api-key",
        family: "mistral",
        title: "Hard-coded Mistral AI API key",
        description: "Looked up on lines that hold a credential key (`…_API_KEY`, `api_key=`, `…_TOKEN`, `…_SECRET`) or the provider's own anchor. Matches Mistral AI API keys (32 letters and digits, mixed case) on a line that names Mistral (`MISTRAL_API_KEY=…`, `Mistral(api_key=\"…\")`, `mistral: …`): the key format has no prefix, so the provider's name is required. Placeholders are ignored. A leaked key runs models on the workspace's bill.",
        help: ROTATE,
        bad_example: concat!("MISTRAL_API_KEY=", "ClawcheckDe", "moKey0nlyyC", "PfR2JuSSfm"),
        good_example: "MISTRAL_API_KEY=your_mistral_api_key",
        severity: "error",
        security_severity: "7.5",
        controls: HARDCODED,
        frameworks: HARDCODED_FRAMEWORKS,
    },
    anchors: &[],
    context: &["mistral"],
    priority: 2,
};
