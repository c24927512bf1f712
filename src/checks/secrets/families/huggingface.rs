//! OC317: Hugging Face user access tokens, `hf_` + 34 letters.

use super::super::util::*;
use super::{Hit, Spec};
use crate::rules::secrets::{SecretRule, HARDCODED, ROTATE};

pub(crate) static SPEC: Spec = Spec {
    rule: SecretRule {
        id: "OC317",
        name: "huggingface-token",
        family: "huggingface",
        title: "Hard-coded Hugging Face token",
        description: "Matches Hugging Face user access tokens (`hf_` followed by 34 letters), as whole words, with upper- and lower-case letters mixed. Placeholders (`hf_xxx`, `hf_...`) are ignored. A leaked write token can push to or delete the owner's models, datasets and Spaces; a read token exposes private and gated repositories.",
        help: ROTATE,
        bad_example: concat!("HF_TOKEN=hf_", "ClawcheckDem", "oTokenOnlyNo", "tLiveeKuDF"),
        good_example: "HF_TOKEN=hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        severity: "error",
        security_severity: "7.5",
        controls: HARDCODED,
    },
    anchors: &["hf_"],
    context: &[],
    verify,
    priority: 2,
};

fn verify(h: &Hit, out: &mut Vec<super::Cand>) {
    let plen = h.e - h.s;
    let letter = |c: u8| c.is_ascii_alphabetic();
    if let Some(e) = super::prefixed(h, plen, letter, is_urlsafe, (34, 34), 3.5) {
        let c = classes(&h.b[h.s + plen..e]);
        if c.upper >= 2 && c.lower >= 2 {
            h.push(out, h.s, e);
        }
    }
}
