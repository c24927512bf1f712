//! OC333: SendGrid API keys, `SG.` + 22 base64url + `.` + 43 base64url.

use super::super::util::*;
use super::{Hit, Spec};
use crate::rules::secrets::{SecretRule, HARDCODED, ROTATE};

pub(crate) static SPEC: Spec = Spec {
    rule: SecretRule {
        id: "OC333",
        name: "sendgrid-api-key",
        family: "sendgrid",
        title: "Hard-coded SendGrid API key",
        description: "Matches SendGrid API keys: `SG.`, a 22-character key id, `.`, and a 43-character secret (base64url alphabet). Placeholders are ignored. A leaked key sends mail as the organisation (phishing from a trusted domain) and can read contacts.",
        help: ROTATE,
        bad_example: concat!("SENDGRID_API_KEY=SG.", "ClawcheckDem", "oId0nlyKlc", ".", "ClawcheckDemoSe", "cretOnlyNotLive", "npLOwrLotCeOK"),
        good_example: "SENDGRID_API_KEY=SG.xxxxxxxx.yyyyyyyy",
        severity: "error",
        security_severity: "8.0",
        controls: HARDCODED,
    },
    anchors: &["SG."],
    context: &[],
    verify,
    priority: 2,
};

fn verify(h: &Hit, out: &mut Vec<super::Cand>) {
    let b = h.b;
    if is_urlsafe(prev_byte(b, h.s)) {
        return;
    }
    let run = |from: usize| {
        let hi = (from + 64).min(b.len());
        let mut i = from;
        while i < hi && is_urlsafe(b[i]) {
            i += 1;
        }
        i
    };
    let m = run(h.e);
    if m - h.e != 22 || byte_at(b, m) != b'.' {
        return;
    }
    let e = run(m + 1);
    if e - (m + 1) != 43 || is_urlsafe(byte_at(b, e)) {
        return;
    }
    if body_ok(&b[h.e..m], 3.0) && body_ok(&b[m + 1..e], 3.5) {
        h.push(out, h.s, e);
    }
}
