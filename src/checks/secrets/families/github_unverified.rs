//! OC312: a GitHub token whose shape is right but whose built-in CRC32
//! checksum does not verify. Emitted by the GitHub verifier (OC305) rather
//! than from an anchor of its own: a typo'd, truncated-and-padded or
//! hand-edited token is still worth a look, at a lower severity.
//! (Rule text, anchors and context words: `crate::rules::secrets::families`.)

use super::Hit;

pub(crate) fn verify(_: &Hit, _: &mut Vec<super::Cand>) {}
