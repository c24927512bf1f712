//! OC337: Stripe test-mode secret and restricted keys: `sk_test_` or `rk_test_`
//! and 20–247 alphanumerics (the live keys are OC308).

use super::super::{SecretRule, HARDCODED, HARDCODED_FRAMEWORKS, ROTATE};
use super::FamilySpec;

pub static SPEC: FamilySpec = FamilySpec {
    rule: SecretRule {
        id: "OC337",
        name: "stripe-test-key",
        family: "stripe_test",
        title: "Hard-coded Stripe test-mode secret key",
        description: "Matches Stripe test-mode secret and restricted keys (`sk_test_`, `rk_test_` followed by 20 to 247 \
letters and digits, as a whole word); live keys are OC308. A test key cannot move money, but it reads and changes \
everything in the account's test mode (customers, webhooks, products, logs of API requests) and is the same kind of \
credential as the live key beside it, so it is reported as a warning: keep it out of the repository too. \
Placeholders (`sk_test_xxxx…`, `sk_test_...`) and masked or sequential values are ignored.",
        help: ROTATE,
        bad_example: concat!("STRIPE_SECRET_KEY=sk_test_", "ClawcheckDemoKey0nlyNotLive99"),
        good_example: "STRIPE_SECRET_KEY=${STRIPE_SECRET_KEY}",
        severity: "warning",
        security_severity: "4.0",
        controls: HARDCODED,
        frameworks: HARDCODED_FRAMEWORKS,
    },
    anchors: &["sk_test_", "rk_test_"],
    context: &[],
    priority: 2,
};
