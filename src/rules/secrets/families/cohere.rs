//! OC322: Cohere API keys: 40 alphanumerics, only on a line that names Cohere.

use super::super::{SecretRule, HARDCODED, HARDCODED_FRAMEWORKS, ROTATE};
use super::FamilySpec;

pub static SPEC: FamilySpec = FamilySpec {
    rule: SecretRule {
        id: "OC322",
        name: "cohere-api-key",
        family: "cohere",
        title: "Hard-coded Cohere API key",
        description: "Looked up on lines that hold a credential key (`…_API_KEY`, `api_key=`, `…_TOKEN`, `…_SECRET`) or the provider's own anchor. Matches Cohere API keys (40 letters and digits, mixed case) on a line that names Cohere (`COHERE_API_KEY=…`, `cohere.Client(\"…\")`, `CO_API_KEY`): the format has no prefix, so the provider's name is required. Placeholders are ignored. A leaked key runs Cohere models on the account.",
        help: ROTATE,
        bad_example: concat!("COHERE_API_KEY=", "ClawcheckDemoK", "ey0nlyNotLivee", "hp3m4v5HBwIT"),
        good_example: "COHERE_API_KEY=<your-cohere-key>",
        severity: "error",
        security_severity: "7.5",
        controls: HARDCODED,
        frameworks: HARDCODED_FRAMEWORKS,
    },
    anchors: &["ohere"],
    context: &["cohere"],
    priority: 2,
};
