//! OC315: xAI (Grok) API keys, `xai-` + 80 alphanumerics.

use super::super::util::*;
use super::{Hit, Spec};
use crate::rules::secrets::{SecretRule, HARDCODED, ROTATE};

pub(crate) static SPEC: Spec = Spec {
    rule: SecretRule {
        id: "OC315",
        name: "xai-api-key",
        family: "xai",
        title: "Hard-coded xAI API key",
        description: "Matches xAI (Grok) API keys: `xai-` followed by 80 letters and digits (underscores allowed), as a whole word. Placeholders and masked values are ignored. A leaked key lets others use the Grok API on the team's credits.",
        help: ROTATE,
        bad_example: concat!("XAI_API_KEY=xai-", "ClawcheckDemoKey0nlyN", "otLive3PYiGkPAuNaRL63", "xYKwzEInncIIA3ANxN9K3", "KSU9Mi4roNL89sM99"),
        good_example: "XAI_API_KEY=xai-...",
        severity: "error",
        security_severity: "8.0",
        controls: HARDCODED,
    },
    anchors: &["xai-"],
    context: &[],
    verify,
    priority: 2,
};

fn verify(h: &Hit, out: &mut Vec<super::Cand>) {
    let tok = |c: u8| is_alnum(c) || c == b'_';
    if let Some(e) = super::prefixed(h, 4, tok, is_urlsafe, (80, 80), 3.5) {
        let c = classes(&h.b[h.s + 4..e]);
        if c.upper > 0 && c.lower > 0 && c.digit > 0 {
            h.push(out, h.s, e);
        }
    }
}
