//! In-process validation of clawcheck's SARIF and OSCAL output against the
//! published schemas vendored in `tests/fixtures/reference/` (see the README
//! there for versions, sources and licences). `.ci/run` additionally runs the
//! `../shared/tools` validators, which also apply GitHub's upload rules.
#![allow(dead_code)]

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::OnceLock;

fn load(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/reference")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn compile(name: &str) -> jsonschema::Validator {
    jsonschema::options()
        .should_validate_formats(true)
        .build(&load(name))
        .unwrap_or_else(|e| panic!("{name} does not compile: {e}"))
}

fn errors(validator: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    validator
        .iter_errors(doc)
        .take(50)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// Panics with every schema error (at most 50) unless `doc` is valid SARIF
/// 2.1.0 (OASIS errata01 schema) and follows the structural rules GitHub's
/// upload applies that a test can check without the service.
pub fn assert_valid_sarif(doc: &Value) {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    let v = V.get_or_init(|| compile("sarif-schema-2.1.0.json"));
    let errs = errors(v, doc);
    assert!(errs.is_empty(), "invalid SARIF:\n{}", errs.join("\n"));
    assert_eq!(doc["version"], "2.1.0");
    assert!(
        doc["$schema"].as_str().is_some_and(|s| s.contains("2.1.0")),
        "$schema must name SARIF 2.1.0"
    );
    for run in doc["runs"].as_array().expect("runs") {
        let rules = run["tool"]["driver"]["rules"].as_array();
        let mut ids = BTreeSet::new();
        for r in rules.into_iter().flatten() {
            let id = r["id"].as_str().expect("rule id");
            assert!(ids.insert(id), "duplicate rule id {id}");
            for key in ["shortDescription", "fullDescription"] {
                assert!(r[key]["text"].is_string(), "{id}: {key}.text missing");
            }
            assert!(
                r["help"]["text"].is_string() || r["help"]["markdown"].is_string(),
                "{id}: help missing"
            );
            let tags = r["properties"]["tags"].as_array().map_or(0, Vec::len);
            assert!(tags <= 20, "{id}: {tags} tags, GitHub allows 20");
        }
        for res in run["results"].as_array().into_iter().flatten() {
            let id = res["ruleId"].as_str().expect("ruleId");
            assert!(ids.contains(id), "result for undeclared rule {id}");
        }
    }
}

/// Panics unless `doc` is a valid NIST OSCAL 1.2.1 assessment-results document:
/// the schema, every `uuid` unique, and every reference to a uuid resolving.
pub fn assert_valid_oscal(doc: &Value) {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    let v = V.get_or_init(|| compile("oscal-assessment-results-schema.json"));
    let errs = errors(v, doc);
    assert!(errs.is_empty(), "invalid OSCAL:\n{}", errs.join("\n"));
    assert_eq!(
        doc["assessment-results"]["metadata"]["oscal-version"],
        "1.2.1"
    );

    let mut uuids: BTreeMap<String, usize> = BTreeMap::new();
    let mut refs: Vec<(String, String)> = Vec::new();
    walk(doc, &mut |key, v| {
        let Some(s) = v.as_str() else { return };
        if key == "uuid" {
            *uuids.entry(s.to_string()).or_default() += 1;
        } else if key.ends_with("-uuid") {
            refs.push((key.to_string(), s.to_string()));
        }
    });
    let dup: Vec<_> = uuids.iter().filter(|(_, n)| **n > 1).collect();
    assert!(dup.is_empty(), "duplicate uuids: {dup:?}");
    // Hrefs to back-matter resources (`#uuid`) must resolve too.
    walk(doc, &mut |key, v| {
        if key == "href" {
            if let Some(frag) = v.as_str().and_then(|s| s.strip_prefix('#')) {
                refs.push(("href".into(), frag.to_string()));
            }
        }
    });
    for (key, target) in refs {
        assert!(
            uuids.contains_key(&target),
            "{key} {target} names no uuid in the document"
        );
    }
}

fn walk(v: &Value, f: &mut impl FnMut(&str, &Value)) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                f(k, x);
                walk(x, f);
            }
        }
        Value::Array(a) => {
            for x in a {
                walk(x, f);
            }
        }
        _ => {}
    }
}
