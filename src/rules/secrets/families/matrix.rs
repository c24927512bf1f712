//! OC329: Matrix (Synapse) access tokens, `syt_` + base64 user localpart + `_` + 20 random + `_` + 6-character checksum.

use super::super::{SecretRule, HARDCODED, HARDCODED_FRAMEWORKS, ROTATE};
use super::FamilySpec;

pub static SPEC: FamilySpec = FamilySpec {
    rule: SecretRule {
        id: "OC329",
        name: "matrix-access-token",
        family: "matrix",
        title: "Hard-coded Matrix access token",
        description: "Matches Matrix homeserver (Synapse) access tokens: `syt_`, the base64-encoded user localpart, `_`, 20 random letters and digits, `_`, and a 6-character checksum. Placeholders are ignored. A leaked token acts as the user or bot: reads its rooms, including end-to-end encrypted ones where it holds keys, and posts as it.",
        help: ROTATE,
        bad_example: concat!("MATRIX_ACCESS_TOKEN=syt_", "Q2xhd2NoZWNr", "_", "ClawcheckDe", "moOnlyD5I", "_", "0aBc9Z"),
        good_example: "MATRIX_ACCESS_TOKEN=syt_...",
        severity: "error",
        security_severity: "7.5",
        controls: HARDCODED,
        frameworks: HARDCODED_FRAMEWORKS,
    },
    anchors: &["syt_"],
    context: &[],
    priority: 2,
};
