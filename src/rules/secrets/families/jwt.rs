//! OC335: JSON Web Tokens with a signature: three base64url parts whose header decodes to a JSON object naming an `alg`. Bearer credentials until they expire.

use super::super::{SecretRule, HARDCODED, HARDCODED_FRAMEWORKS};
use super::FamilySpec;

pub static SPEC: FamilySpec = FamilySpec {
    rule: SecretRule {
        id: "OC335",
        name: "jwt",
        family: "jwt",
        title: "Hard-coded JSON Web Token",
        description: "Matches signed JSON Web Tokens: three base64url parts separated by dots, whose header decodes to a JSON object with an `alg` (not `none`) and whose signature is at least 16 characters. JWTs are bearer credentials (session, API, service-account and Supabase/Firebase keys) valid until they expire, which for service keys is often years. Reported as a warning: many are expired test vectors.",
        help: "Treat the token as compromised until it expires: revoke the session, or rotate the signing key if it cannot be revoked, and load tokens at run time instead of committing them. A test vector signed with a published test key may stay; suppress it with a reason.",
        bad_example: concat!("Authorization: ", "Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9", ".eyJzdWIiOiJDbGF3Y2hlY2tEZW1vIn0", ".", "ClawcheckDemoSignature", "OnlyNotLive0ZAeijRP7e"),
        good_example: "Authorization: Bearer ${ACCESS_TOKEN}",
        severity: "warning",
        security_severity: "6.0",
        controls: HARDCODED,
        frameworks: HARDCODED_FRAMEWORKS,
    },
    anchors: &["eyJ"],
    context: &[],
    priority: 2,
};
