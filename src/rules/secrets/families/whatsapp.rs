//! OC328: WhatsApp Cloud API / Meta Graph API access tokens, `EAA` + 90 or more alphanumerics (system-user and page tokens).

use super::super::{SecretRule, HARDCODED, HARDCODED_FRAMEWORKS, ROTATE};
use super::FamilySpec;

pub static SPEC: FamilySpec = FamilySpec {
    rule: SecretRule {
        id: "OC328",
        name: "whatsapp-cloud-api-token",
        family: "whatsapp",
        title: "Hard-coded WhatsApp Cloud API (Meta Graph) access token",
        description: "Matches Meta Graph API access tokens as used by the WhatsApp Cloud API (`EAA` followed by at least 90 letters and digits; the third letter after `EAA` names the app). Placeholders are ignored. A leaked token sends WhatsApp messages as the business number and reads its conversations; page and system-user tokens reach further into the Business account.",
        help: ROTATE,
        bad_example: concat!("WHATSAPP_TOKEN=EAA", "GClawcheckDemoTokenOnlyNotLiveH", "U9LeMjCadWYqnElNPt5XAWZ8R2a3Hs1", "jX9CjnTGSigV8lS9W0Iaa0kpiXdJKmY", "ke9M9ImFW05qAYGUk6niJUo45kYbbOf", "SetYY926KmmQvTfQaBU8Tf7SJe"),
        good_example: "WHATSAPP_TOKEN=EAAxxxxxxxx",
        severity: "error",
        security_severity: "8.0",
        controls: HARDCODED,
        frameworks: HARDCODED_FRAMEWORKS,
    },
    anchors: &["EAA"],
    context: &[],
    priority: 2,
};
