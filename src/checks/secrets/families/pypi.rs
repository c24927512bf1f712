//! OC332: PyPI API tokens: macaroons, `pypi-` + base64url that starts with the encoded `pypi.org` location (`AgEIcHlwaS5vcmc`).
//! (Rule text, anchors and context words: `crate::rules::secrets::families`.)

use super::super::util::*;
use super::Hit;

pub(crate) fn verify(h: &Hit, out: &mut Vec<super::Cand>) {
    let b = h.b;
    let rest = &b[h.e..(h.e + 24).min(b.len())];
    if !(rest.starts_with(b"IcHlwaS5vcmc") || rest.starts_with(b"NdGVzdC5weXBpLm9yZw")) {
        return;
    }
    if let Some(e) = super::prefixed(h, 5, is_urlsafe, is_urlsafe, (70, 400), 4.0) {
        h.push(out, h.s, e);
    }
}
