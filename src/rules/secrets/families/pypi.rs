//! OC332: PyPI API tokens: macaroons, `pypi-` + base64url that starts with the encoded `pypi.org` location (`AgEIcHlwaS5vcmc`).

use super::super::{SecretRule, HARDCODED, HARDCODED_FRAMEWORKS, ROTATE};
use super::FamilySpec;

pub static SPEC: FamilySpec = FamilySpec {
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
        frameworks: HARDCODED_FRAMEWORKS,
    },
    anchors: &["pypi-AgE"],
    context: &[],
    priority: 2,
};
