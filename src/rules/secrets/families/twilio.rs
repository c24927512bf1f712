//! OC334: Twilio API key SIDs (`SK` + 32 hex), account SIDs (`AC` + 32 hex) and auth tokens (32 hex), only on a line that names Twilio.

use super::super::{SecretRule, HARDCODED, HARDCODED_FRAMEWORKS, ROTATE};
use super::FamilySpec;

pub static SPEC: FamilySpec = FamilySpec {
    rule: SecretRule {
        id: "OC334",
        name: "twilio-credential",
        family: "twilio",
        title: "Hard-coded Twilio credential",
        description: "Looked up on lines that hold a credential key (`…_API_KEY`, `api_key=`, `…_TOKEN`, `…_SECRET`) or the provider's own anchor. Matches Twilio credentials on a line that names Twilio (`TWILIO_AUTH_TOKEN=…`, `TWILIO_API_KEY=SK…`, `twilio.Client(\"AC…\", \"…\")`): API key SIDs (`SK` + 32 hex), account SIDs (`AC` + 32 hex) and auth tokens or API key secrets (32 hex). A leaked auth token lets others send SMS and calls billed to the account and read message logs.",
        help: ROTATE,
        bad_example: concat!("TWILIO_AUTH_TOKEN=", "bcf48385971", "f1bba10ef43", "a9e7516072", "  # ClawcheckDemo"),
        good_example: "TWILIO_AUTH_TOKEN=${TWILIO_AUTH_TOKEN}",
        severity: "error",
        security_severity: "8.0",
        controls: HARDCODED,
        frameworks: HARDCODED_FRAMEWORKS,
    },
    anchors: &[],
    context: &["twilio"],
    priority: 2,
};
