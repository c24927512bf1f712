//! OC332: PyPI API tokens: macaroons, `pypi-` + base64url that starts with the encoded `pypi.org` location (`AgEIcHlwaS5vcmc`).

use super::super::util::*;
use super::{Hit, Spec};
use crate::rules::secrets::{SecretRule, HARDCODED, ROTATE};

pub(crate) static SPEC: Spec = Spec {
    rule: SecretRule {
        id: "OC332",
        name: "pypi-api-token",
        family: "pypi",
        title: "Hard-coded PyPI API token",
        description: "Matches PyPI (and TestPyPI) API tokens: `pypi-` followed by a base64url macaroon that starts with the encoded issuer (`AgEIcHlwaS5vcmc` for pypi.org, `AgENdGVzdC5weXBpLm9yZw` for test.pypi.org) and is at least 70 characters long. A leaked token uploads releases of the owner's projects.",
        help: ROTATE,
        bad_example: concat!("TWINE_PASSWORD=pypi-AgEIcHlwaS5vcmc", "ClawcheckDemoTokenOnlyN", "otLive6-o9jl8zSOwW_rXL-", "iuItEnuj-hlrWB8gpj7ktsj", "s0sW5uqSVZu9kK1V1miDZ"),
        good_example: "TWINE_PASSWORD=${{ secrets.PYPI_API_TOKEN }}",
        severity: "error",
        security_severity: "8.5",
        controls: HARDCODED,
    },
    anchors: &["pypi-AgE"],
    context: &[],
    verify,
    priority: 2,
};

fn verify(h: &Hit, out: &mut Vec<super::Cand>) {
    let b = h.b;
    let rest = &b[h.e..(h.e + 24).min(b.len())];
    if !(rest.starts_with(b"IcHlwaS5vcmc") || rest.starts_with(b"NdGVzdC5weXBpLm9yZw")) {
        return;
    }
    if let Some(e) = super::prefixed(h, 5, is_urlsafe, is_urlsafe, (70, 400), 4.0) {
        h.push(out, h.s, e);
    }
}
