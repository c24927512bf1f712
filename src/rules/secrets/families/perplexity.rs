//! OC318: Perplexity API keys, `pplx-` + 48 alphanumerics.

use super::super::{SecretRule, HARDCODED, HARDCODED_FRAMEWORKS, ROTATE};
use super::FamilySpec;

pub static SPEC: FamilySpec = FamilySpec {
    rule: SecretRule {
        id: "OC318",
        name: "perplexity-api-key",
        family: "perplexity",
        title: "Hard-coded Perplexity API key",
        description: "Matches Perplexity API keys: `pplx-` followed by 48 letters and digits, as a whole word. Placeholders and masked values are ignored. A leaked key lets others use the Sonar API on the account's credits.",
        help: ROTATE,
        bad_example: concat!("PERPLEXITY_API_KEY=pplx-", "ClawcheckDemoKey0", "nlyNotLivemi7ZCPv", "mW0QdpaJD6oCzf"),
        good_example: "PERPLEXITY_API_KEY=pplx-xxxxxxxx",
        severity: "error",
        security_severity: "8.0",
        controls: HARDCODED,
        frameworks: HARDCODED_FRAMEWORKS,
    },
    anchors: &["pplx-"],
    context: &[],
    priority: 2,
};
