//! `clawcheck merge`: 200 generated runs (one per repository) merged into one
//! JSON, SARIF, OSCAL and HTML report, byte-identical whatever the thread
//! count and the order of the inputs; duplicates kept once.

mod common;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;

fn clawcheck(args: &[&str], cwd: &Path) -> Output {
    common::clawcheck_env(args, cwd, &[("SOURCE_DATE_EPOCH", "1795867203")])
}

use common::root;

/// Two real reports, then 200 runs made from them: each a repository of its
/// own (its `origin` remote and commit), some with findings left out, as
/// runs of different repositories would differ.
fn generate(dir: &Path) -> Vec<PathBuf> {
    let real: Vec<Value> = ["examples/", "tests/fixtures/openclaw"]
        .iter()
        .map(|p| {
            let o = clawcheck(&["check", p, "--format", "json"], root());
            serde_json::from_slice(&o.stdout).expect("a JSON report")
        })
        .collect();
    (0..200)
        .map(|i| {
            let mut doc = real[i % 2].clone();
            doc["inputs"]["git"] = serde_json::json!({
                "commit": format!("{:040x}", i * 7919 + 1),
                "dirty": i % 5 == 0,
                "remote": format!("https://github.com/example-org/repo-{i:03}.git"),
            });
            let findings = doc["findings"].as_array_mut().unwrap();
            let keep = findings.len() - (i % findings.len().max(1));
            findings.truncate(keep.max(1));
            let path = dir.join(format!("run-{i:03}.json"));
            std::fs::write(&path, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
            path
        })
        .collect()
}

fn merge(inputs: &[PathBuf], format: &str, threads: &str) -> Vec<u8> {
    let mut args: Vec<String> = vec![
        "merge".into(),
        "--format".into(),
        format.into(),
        "-j".into(),
        threads.into(),
    ];
    args.extend(inputs.iter().map(|p| p.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = clawcheck(&args, root());
    assert_eq!(
        o.status.code(),
        Some(1),
        "findings fail the merged gate: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o.stdout
}

#[test]
fn two_hundred_runs_merge_byte_identically_across_threads_and_order() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = generate(dir.path());
    let mut reversed = inputs.clone();
    reversed.reverse();
    // The first run merged twice: kept once.
    let mut doubled = inputs.clone();
    doubled.push(inputs[0].clone());
    let mut outputs = std::collections::BTreeMap::new();
    for format in ["json", "sarif", "oscal", "html"] {
        let one = merge(&inputs, format, "1");
        assert_eq!(
            one,
            merge(&reversed, format, "4"),
            "{format}: order or threads"
        );
        outputs.insert(format, one);
    }
    let json = &outputs["json"];
    assert_eq!(json, &merge(&doubled, "json", "8"), "a duplicate run");
    assert_eq!(json, &merge(&inputs, "json", "1"), "a second run");

    let merged: Value = serde_json::from_slice(json).unwrap();
    let repos = merged["repositories"].as_array().unwrap();
    assert_eq!(repos.len(), 200);
    let expected: u64 = (0..200)
        .map(|i| {
            let doc: Value = serde_json::from_slice(&std::fs::read(&inputs[i]).unwrap()).unwrap();
            doc["findings"].as_array().unwrap().len() as u64
        })
        .sum();
    assert_eq!(merged["summary"]["findings"].as_u64(), Some(expected));
    // Paths name their repository.
    let first = merged["findings"][0]["path"].as_str().unwrap();
    assert!(first.starts_with("example-org/repo-"), "{first}");
    // Every checked file of every repository, with its hash.
    assert!(merged["inputs"]["files"].as_array().unwrap().len() >= 200 * 2);

    let sarif: Value = serde_json::from_slice(&outputs["sarif"]).unwrap();
    let runs = sarif["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 200, "one SARIF run per repository");
    let ids: std::collections::BTreeSet<&str> = runs
        .iter()
        .map(|r| r["automationDetails"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 200, "each run its own category");

    let oscal: Value = serde_json::from_slice(&outputs["oscal"]).unwrap();
    common::schemas::assert_valid_oscal(&oscal);
    // A few runs are valid SARIF as GitHub takes it (at most 20 runs a file).
    let sarif: Value = serde_json::from_slice(&merge(&inputs[..3], "sarif", "2")).unwrap();
    common::schemas::assert_valid_sarif(&sarif);
}

#[test]
fn a_broken_report_is_named_with_its_position() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\n  \"version\": 1,\n  oops\n}").unwrap();
    let o = clawcheck(&["merge", bad.to_str().unwrap()], root());
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("bad.json:3:3"), "{err}");
    std::fs::write(&bad, "{\"version\": 2}").unwrap();
    let o = clawcheck(&["merge", bad.to_str().unwrap()], root());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("not a clawcheck JSON report"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// A finding whose line or column is not one (0, negative, past 2^32) or
/// that ends before it starts would make SARIF GitHub rejects: the report
/// is refused, named, instead of the numbers being made up.
#[test]
fn a_report_with_impossible_positions_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let o = clawcheck(&["check", "examples/", "--format", "json"], root());
    let good: Value = serde_json::from_slice(&o.stdout).expect("a JSON report");
    assert!(!good["findings"].as_array().unwrap().is_empty());
    let bad = dir.path().join("bad.json");
    for (key, value) in [
        ("line", serde_json::json!(0)),
        ("column", serde_json::json!(-1)),
        ("end_line", serde_json::json!(18446744073709551615u64)),
        ("end_line", serde_json::json!(0.5)),
    ] {
        let mut doc = good.clone();
        doc["findings"][0][key] = value.clone();
        std::fs::write(&bad, serde_json::to_vec(&doc).unwrap()).unwrap();
        let o = clawcheck(&["merge", bad.to_str().unwrap()], root());
        assert_eq!(o.status.code(), Some(2), "{key} = {value}");
        let e = String::from_utf8_lossy(&o.stderr);
        assert!(
            e.contains("bad.json") && e.contains(&format!("`{key}`")),
            "{e}"
        );
    }
    let mut doc = good.clone();
    let line = doc["findings"][0]["line"].as_u64().unwrap();
    doc["findings"][0]["line"] = serde_json::json!(line + 5);
    doc["findings"][0]["end_line"] = serde_json::json!(line + 1);
    std::fs::write(&bad, serde_json::to_vec(&doc).unwrap()).unwrap();
    let o = clawcheck(&["merge", bad.to_str().unwrap()], root());
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("ends before it starts"));
}
