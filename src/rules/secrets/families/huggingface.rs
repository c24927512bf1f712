//! OC317: Hugging Face user access tokens, `hf_` + 34 letters (digits accepted), and legacy `api_org_` tokens.

use super::super::{SecretRule, HARDCODED, ROTATE};
use super::FamilySpec;

pub static SPEC: FamilySpec = FamilySpec {
    rule: SecretRule {
        id: "OC317",
        name: "huggingface-token",
        family: "huggingface",
        title: "Hard-coded Hugging Face token",
        description: "Matches Hugging Face user access tokens (`hf_` followed by 34 letters; digits are accepted) and legacy organisation tokens (`api_org_` + 34), as whole words, with upper- and lower-case letters mixed. Placeholders (`hf_xxx`, `hf_...`) are ignored. A leaked write token can push to or delete the owner's models, datasets and Spaces; a read token exposes private and gated repositories.",
        help: ROTATE,
        bad_example: concat!("HF_TOKEN=hf_", "ClawcheckDem", "oTokenOnlyNo", "tLiveeKuDF"),
        good_example: "HF_TOKEN=hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        severity: "error",
        security_severity: "7.5",
        controls: HARDCODED,
    },
    anchors: &["hf_", "api_org_"],
    context: &[],
    priority: 2,
};
