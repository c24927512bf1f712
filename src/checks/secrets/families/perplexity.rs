//! OC318: Perplexity API keys, `pplx-` + 48 alphanumerics.

use super::super::util::*;
use super::{Hit, Spec};
use crate::rules::secrets::{SecretRule, HARDCODED, ROTATE};

pub(crate) static SPEC: Spec = Spec {
    rule: SecretRule {
        id: "OC318",
        name: "perplexity-api-key",
        family: "perplexity",
        title: "Hard-coded Perplexity API key",
        description: "Matches Perplexity API keys: `pplx-` followed by 48 letters and digits, as a whole word. Placeholders and masked values are ignored. A leaked key lets others use the Sonar API on the account's credits.",
        help: ROTATE,
        bad_example: concat!("PERPLEXITY_API_KEY=pplx-", "ClawcheckDemoKey0", "nlyNotLivemi7ZCPv", "mW0QdpaJD6oCzf"),
        good_example: "PERPLEXITY_API_KEY=pplx-xxxxxxxx",
        severity: "error",
        security_severity: "8.0",
        controls: HARDCODED,
    },
    anchors: &["pplx-"],
    context: &[],
    verify,
    priority: 2,
};

fn verify(h: &Hit, out: &mut Vec<super::Cand>) {
    if let Some(e) = super::prefixed(h, 5, is_alnum, is_urlsafe, (48, 48), 3.5) {
        let c = classes(&h.b[h.s + 5..e]);
        if c.digit > 0 && c.upper + c.lower > 0 {
            h.push(out, h.s, e);
        }
    }
}
