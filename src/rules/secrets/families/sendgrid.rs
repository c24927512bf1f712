//! OC333: SendGrid API keys, `SG.` + 22 base64url + `.` + 43 base64url
//! (20–24 and 39–50 accepted).

use super::super::{SecretRule, HARDCODED, HARDCODED_FRAMEWORKS, ROTATE};
use super::FamilySpec;

pub static SPEC: FamilySpec = FamilySpec {
    rule: SecretRule {
        id: "OC333",
        name: "sendgrid-api-key",
        family: "sendgrid",
        title: "Hard-coded SendGrid API key",
        description: "Matches SendGrid API keys: `SG.`, a key id of 22 characters, `.`, and a secret of 43 (base64url alphabet; 20–24 and 39–50 are accepted, as other scanners do). Placeholders are ignored. A leaked key sends mail as the organisation (phishing from a trusted domain) and can read contacts.",
        help: ROTATE,
        bad_example: concat!("SENDGRID_API_KEY=SG.", "ClawcheckDem", "oId0nlyKlc", ".", "ClawcheckDemoSe", "cretOnlyNotLive", "npLOwrLotCeOK"),
        good_example: "SENDGRID_API_KEY=SG.xxxxxxxx.yyyyyyyy",
        severity: "error",
        security_severity: "8.0",
        controls: HARDCODED,
        frameworks: HARDCODED_FRAMEWORKS,
    },
    anchors: &["SG."],
    context: &[],
    priority: 2,
};
