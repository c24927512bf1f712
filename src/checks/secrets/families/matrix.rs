//! OC329: Matrix (Synapse) access tokens, `syt_` + base64 user localpart + `_` + 20 random + `_` + 6-character checksum.

use super::super::util::*;
use super::{Hit, Spec};
use crate::rules::secrets::{SecretRule, HARDCODED, ROTATE};

pub(crate) static SPEC: Spec = Spec {
    rule: SecretRule {
        id: "OC329",
        name: "matrix-access-token",
        family: "matrix",
        title: "Hard-coded Matrix access token",
        description: "Matches Matrix homeserver (Synapse) access tokens: `syt_`, the base64-encoded user localpart, `_`, 20 random letters and digits, `_`, and a 6-character checksum. Placeholders are ignored. A leaked token acts as the user or bot: reads its rooms, including end-to-end encrypted ones where it holds keys, and posts as it.",
        help: ROTATE,
        bad_example: concat!("MATRIX_ACCESS_TOKEN=syt_", "Q2xhd2NoZWNr", "_", "ClawcheckDe", "moOnlyD5I", "_", "0aBc9Z"),
        good_example: "MATRIX_ACCESS_TOKEN=syt_...",
        severity: "error",
        security_severity: "7.5",
        controls: HARDCODED,
    },
    anchors: &["syt_"],
    context: &[],
    verify,
    priority: 2,
};

fn verify(h: &Hit, out: &mut Vec<super::Cand>) {
    let b = h.b;
    if is_urlsafe(prev_byte(b, h.s)) {
        return;
    }
    let hi = (h.e + 200).min(b.len());
    let mut e = h.e;
    while e < hi && (is_alnum(b[e]) || matches!(b[e], b'_' | b'-' | b'=' | b'+' | b'/')) {
        e += 1;
    }
    if is_urlsafe(byte_at(b, e)) {
        return;
    }
    let tok = &b[h.e..e];
    let parts: Vec<&[u8]> = tok.rsplitn(3, |&c| c == b'_').collect();
    if parts.len() != 3 {
        return;
    }
    let (sum, rnd, user) = (parts[0], parts[1], parts[2]);
    if sum.len() == 6
        && rnd.len() == 20
        && !user.is_empty()
        && sum.iter().all(|&c| is_alnum(c))
        && rnd.iter().all(|&c| is_alnum(c))
        && body_ok(rnd, 3.3)
    {
        h.push(out, h.s, e);
    }
}
