//! The in-process SARIF and OSCAL validators (tests/common/schemas.rs) accept
//! clawcheck's real output and reject broken documents: a check that cannot
//! fail would prove nothing.

mod common;
use common::schemas::{assert_valid_oscal, assert_valid_sarif};
use serde_json::{json, Value};

fn report(format: &str) -> Value {
    let o = common::clawcheck_env(
        &[
            "check",
            "examples/insecure.openclaw.json",
            "--format",
            format,
        ],
        common::root(),
        &[("SOURCE_DATE_EPOCH", "1795867203")],
    );
    assert_eq!(o.status.code(), Some(1), "the example has findings");
    serde_json::from_slice(&o.stdout).expect("JSON output")
}

fn rejects(f: fn(&Value), doc: &Value, what: &str) {
    let r = std::panic::catch_unwind(|| f(doc));
    assert!(r.is_err(), "the validator accepted {what}");
}

#[test]
fn sarif_validator_accepts_real_output_and_rejects_broken_documents() {
    let good = report("sarif");
    assert_valid_sarif(&good);
    assert!(!good["runs"][0]["results"].as_array().unwrap().is_empty());

    let mut bad = good.clone();
    bad["runs"][0]["results"][0]["level"] = json!("fatal");
    rejects(assert_valid_sarif, &bad, "a level outside the enum");

    let mut bad = good.clone();
    bad["runs"][0]["tool"]["driver"]
        .as_object_mut()
        .unwrap()
        .remove("name");
    rejects(assert_valid_sarif, &bad, "a driver without a name");

    let mut bad = good.clone();
    let region = &mut bad["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    region.as_object_mut().unwrap().remove("startLine");
    rejects(
        assert_valid_sarif,
        &bad,
        "a region without startLine (errata01)",
    );

    let mut bad = good.clone();
    bad["runs"][0]["results"][0]["ruleId"] = json!("OC999");
    rejects(assert_valid_sarif, &bad, "a result for an undeclared rule");

    let mut bad = good;
    bad["version"] = json!("2.0.0");
    rejects(assert_valid_sarif, &bad, "another SARIF version");
}

#[test]
fn oscal_validator_accepts_real_output_and_rejects_broken_documents() {
    let good = report("oscal");
    assert_valid_oscal(&good);

    let mut bad = good.clone();
    bad["assessment-results"]["uuid"] = json!("not-a-uuid");
    rejects(assert_valid_oscal, &bad, "a malformed uuid");

    let mut bad = good.clone();
    bad["assessment-results"]["metadata"]
        .as_object_mut()
        .unwrap()
        .remove("title");
    rejects(assert_valid_oscal, &bad, "metadata without a title");

    let mut bad = good.clone();
    let results = &mut bad["assessment-results"]["results"][0];
    let first = results["observations"][0]["uuid"].clone();
    results["observations"][1]["uuid"] = first;
    rejects(assert_valid_oscal, &bad, "two observations with one uuid");

    let mut bad = good;
    let findings = &mut bad["assessment-results"]["results"][0]["findings"];
    let f = findings
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|f| f.get("related-observations").is_some())
        .expect("a finding cites an observation");
    f["related-observations"][0]["observation-uuid"] =
        json!("00000000-0000-5000-8000-000000000000");
    rejects(assert_valid_oscal, &bad, "a reference to no observation");
}
