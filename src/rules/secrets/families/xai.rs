//! OC315: xAI (Grok) API keys, `xai-` + 80 alphanumerics.

use super::super::{SecretRule, HARDCODED, HARDCODED_FRAMEWORKS, ROTATE};
use super::FamilySpec;

pub static SPEC: FamilySpec = FamilySpec {
    rule: SecretRule {
        id: "OC315",
        name: "xai-api-key",
        family: "xai",
        title: "Hard-coded xAI API key",
        description: "Matches xAI (Grok) API keys: `xai-` followed by 80 letters and digits (underscores allowed), as a whole word. Placeholders and masked values are ignored. A leaked key lets others use the Grok API on the team's credits.",
        help: ROTATE,
        bad_example: concat!("XAI_API_KEY=xai-", "ClawcheckDemoKey0nlyN", "otLive3PYiGkPAuNaRL63", "xYKwzEInncIIA3ANxN9K3", "KSU9Mi4roNL89sM99"),
        good_example: "XAI_API_KEY=xai-...",
        severity: "error",
        security_severity: "8.0",
        controls: HARDCODED,
        frameworks: HARDCODED_FRAMEWORKS,
    },
    anchors: &["xai-"],
    context: &[],
    priority: 2,
};
