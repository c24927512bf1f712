//! OC319: Replicate API tokens, `r8_` + 37 characters.

use super::super::{SecretRule, HARDCODED, HARDCODED_FRAMEWORKS, ROTATE};
use super::FamilySpec;

pub static SPEC: FamilySpec = FamilySpec {
    rule: SecretRule {
        id: "OC319",
        name: "replicate-api-token",
        family: "replicate",
        title: "Hard-coded Replicate API token",
        description: "Matches Replicate API tokens: `r8_` followed by 37 letters, digits, `-` or `_`, as a whole word with mixed character classes. Placeholders (`r8_...`, `r8_your_token`) are ignored. A leaked token runs models and trainings billed to the account and reads its predictions.",
        help: ROTATE,
        bad_example: concat!("REPLICATE_API_TOKEN=r8_", "ClawcheckDemo", "Key0nlyNotLiv", "eV1NIuk8Io5"),
        good_example: "REPLICATE_API_TOKEN=r8_your_token_here",
        severity: "error",
        security_severity: "7.5",
        controls: HARDCODED,
        frameworks: HARDCODED_FRAMEWORKS,
    },
    anchors: &["r8_"],
    context: &[],
    priority: 2,
};
