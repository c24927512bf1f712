//! OC331: npm access tokens, `npm_` + 36 alphanumerics (30 random + a 6-character base62 CRC32, the same scheme as GitHub's tokens).

use super::super::{SecretRule, HARDCODED, HARDCODED_FRAMEWORKS, ROTATE};
use super::FamilySpec;

pub static SPEC: FamilySpec = FamilySpec {
    rule: SecretRule {
        id: "OC331",
        name: "npm-access-token",
        family: "npm",
        title: "Hard-coded npm access token",
        description: "Matches npm access tokens (`npm_` followed by 36 letters and digits), as found in `.npmrc` (`//registry.npmjs.org/:_authToken=`), CI files and scripts. Placeholders and masked values are ignored. A leaked publish token lets others publish malicious versions of the owner's packages.",
        help: ROTATE,
        bad_example: concat!("//registry.npmjs.org/:_authToken=npm_", "ClawcheckDemo", "T0kenNotLiveD", "2aSJd7n2Kh"),
        good_example: "//registry.npmjs.org/:_authToken=${NPM_TOKEN}",
        severity: "error",
        security_severity: "8.5",
        controls: HARDCODED,
        frameworks: HARDCODED_FRAMEWORKS,
    },
    anchors: &["npm_"],
    context: &[],
    priority: 2,
};
