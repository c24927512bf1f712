//! OC312: a GitHub token whose shape is right but whose built-in CRC32
//! checksum does not verify. Emitted by the GitHub verifier (OC305) rather
//! than from an anchor of its own: a typo'd, truncated-and-padded or
//! hand-edited token is still worth a look, at a lower severity.

use super::super::{SecretRule, HARDCODED, HARDCODED_FRAMEWORKS, ROTATE};
use super::FamilySpec;

pub static SPEC: FamilySpec = FamilySpec {
    rule: SecretRule {
        id: "OC312",
        name: "github-token-unverified",
        family: "github",
        title: "GitHub token whose checksum does not verify",
        description: "Matches classic GitHub tokens (`ghp_`, `gho_`, `ghu_`, `ghs_` + 36 alphanumerics) whose last six \
characters are not the base62 CRC32 checksum of the first thirty. Real tokens always verify, so this is usually an \
edited, mistyped or made-up value; it is still reported (as a warning) because a token that was changed by one \
character on its way into a file may be one character away from a live credential.",
        help: ROTATE,
        bad_example: concat!("GITHUB_TOKEN", "=ghp_", "ClawcheckDemoTok", "en0nlyNotLive104OXhX"),
        good_example: "GITHUB_TOKEN=${{ secrets.GITHUB_TOKEN }}",
        severity: "warning",
        security_severity: "5.0",
        controls: HARDCODED,
        frameworks: HARDCODED_FRAMEWORKS,
    },
    // Reported by the OC305 verifier (`detect::github_classic`).
    anchors: &[],
    context: &[],
    priority: 2,
};
