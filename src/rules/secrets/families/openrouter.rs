//! OC316: OpenRouter API keys, `sk-or-v1-` + 64 lower-case hex.

use super::super::{SecretRule, HARDCODED, HARDCODED_FRAMEWORKS, ROTATE};
use super::FamilySpec;

pub static SPEC: FamilySpec = FamilySpec {
    rule: SecretRule {
        id: "OC316",
        name: "openrouter-api-key",
        family: "openrouter",
        title: "Hard-coded OpenRouter API key",
        description: "Matches OpenRouter API keys: `sk-or-v1-` followed by 64 lower-case hexadecimal digits. Takes precedence over the OpenAI rule for the same token. Placeholders and truncated documentation examples (`sk-or-v1-...`) are ignored. A leaked key spends the account's credits on any model OpenRouter routes to.",
        help: ROTATE,
        bad_example: concat!("# ClawcheckDemo (not a live key)\nOPENROUTER_API_KEY=sk-or-v1-", "c90bd5482a90a29b9", "fa5ff5180bc0dbc0e", "15637ebb8e3b91d26", "ab4a829a95249"),
        good_example: "OPENROUTER_API_KEY=sk-or-v1-...",
        severity: "error",
        security_severity: "8.0",
        controls: HARDCODED,
        frameworks: HARDCODED_FRAMEWORKS,
    },
    anchors: &[],
    context: &[],
    priority: 2,
};
