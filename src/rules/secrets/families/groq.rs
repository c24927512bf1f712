//! OC314: Groq API keys, `gsk_` + 52 alphanumerics (Groq console keys; the format other scanners' Groq rules use).

use super::super::{SecretRule, HARDCODED, HARDCODED_FRAMEWORKS, ROTATE};
use super::FamilySpec;

pub static SPEC: FamilySpec = FamilySpec {
    rule: SecretRule {
        id: "OC314",
        name: "groq-api-key",
        family: "groq",
        title: "Hard-coded Groq API key",
        description: "Matches Groq API keys: `gsk_` followed by 52 letters and digits, as a whole word. Placeholders (`gsk_...`, `gsk_your_key`) and masked or sequential values are ignored. A leaked key lets others run inference billed to the account.",
        help: ROTATE,
        bad_example: concat!("GROQ_API_KEY=gsk_", "ClawcheckDemoKey0n", "lyNotLivenQvWys81v", "p7hB1dx8PpD5KHXe"),
        good_example: "GROQ_API_KEY=gsk_your_groq_api_key",
        severity: "error",
        security_severity: "8.0",
        controls: HARDCODED,
        frameworks: HARDCODED_FRAMEWORKS,
    },
    anchors: &["gsk_"],
    context: &[],
    priority: 2,
};
