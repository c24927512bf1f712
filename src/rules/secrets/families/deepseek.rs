//! OC323: DeepSeek API keys, `sk-` + 32 lower-case hex, only on a line that names DeepSeek (the shape alone is not distinctive).

use super::super::{SecretRule, HARDCODED, HARDCODED_FRAMEWORKS, ROTATE};
use super::FamilySpec;

pub static SPEC: FamilySpec = FamilySpec {
    rule: SecretRule {
        id: "OC323",
        name: "deepseek-api-key",
        family: "deepseek",
        title: "Hard-coded DeepSeek API key",
        description: "Looked up on lines that hold a credential key (`…_API_KEY`, `api_key=`, `…_TOKEN`, `…_SECRET`) or the provider's own anchor. Matches DeepSeek API keys (`sk-` followed by 32 lower-case hexadecimal digits) on a line that names DeepSeek (`DEEPSEEK_API_KEY=…`, `base_url=\"https://api.deepseek.com\"`). Placeholders and truncated examples (`sk-...`) are ignored. A leaked key spends the account's balance.",
        help: ROTATE,
        bad_example: concat!("DEEPSEEK_API_KEY=sk-", "9a90ebb4108", "e360ddfcfc6", "9e290d9f94", "  # ClawcheckDemo"),
        good_example: "DEEPSEEK_API_KEY=sk-...",
        severity: "error",
        security_severity: "7.5",
        controls: HARDCODED,
        frameworks: HARDCODED_FRAMEWORKS,
    },
    anchors: &[],
    context: &["deepseek"],
    priority: 2,
};
