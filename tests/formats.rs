//! Every output format of `clawcheck check examples/`: one insta snapshot per
//! format (`tests/snapshots/formats__FORMAT.snap`), and the structured ones
//! read back by a parser or validator of their format. After a deliberate
//! change of output, `INSTA_UPDATE=always cargo test --test formats` rewrites
//! the snapshots (or `cargo insta review`): review the diff.

mod common;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::OnceLock;

/// A copy of examples/ outside any git repository (so that no report holds
/// the commit, which changes with every commit).
fn examples() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("examples")).unwrap();
        for e in std::fs::read_dir(common::repo("examples")).unwrap() {
            let p = e.unwrap().path();
            std::fs::copy(&p, dir.path().join("examples").join(p.file_name().unwrap())).unwrap();
        }
        dir
    })
    .path()
}

/// `check examples/ --format FORMAT` there, timestamps pinned: exit code and
/// standard output, with clawcheck's version as `VERSION`.
fn render(format: &str) -> (Option<i32>, String) {
    let o = common::clawcheck_env(
        &["check", "examples/", "--format", format],
        examples(),
        &[
            ("SOURCE_DATE_EPOCH", "1767225600"),
            ("GITHUB_STEP_SUMMARY", ""),
        ],
    );
    let out = common::stdout(&o).replace(env!("CARGO_PKG_VERSION"), "VERSION");
    (o.status.code(), out)
}

#[test]
fn junit_is_one_test_case_per_file_failing_with_its_findings() {
    let (code, xml) = render("junit");
    assert_eq!(code, Some(1));
    let junit = quick_junit::Report::deserialize_from_str(&xml).expect("JUnit XML reads back");
    let (_, json) = render("json");
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    // What the JSON report says, per file: the lines a failure must list.
    let mut want: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for c in json["configs"].as_array().unwrap() {
        want.entry(c["path"].as_str().unwrap().to_string())
            .or_default();
    }
    for f in json["findings"].as_array().unwrap() {
        let path = f["path"].as_str().unwrap().to_string();
        let line = format!(
            "{path}:{}:{}: {} [{}] {}",
            f["line"],
            f["column"],
            f["severity"].as_str().unwrap(),
            f["rule"].as_str().unwrap(),
            f["message"].as_str().unwrap()
        );
        // --fail-on warning: notes do not fail a test case.
        let failing = f["severity"] != "note";
        let lines = want.entry(path).or_default();
        if failing {
            lines.push(line);
        }
    }
    assert!(
        want.values().any(|l| !l.is_empty()),
        "examples/ has findings"
    );
    let failed = want.values().filter(|l| !l.is_empty()).count();
    assert_eq!(junit.tests, want.len());
    assert_eq!(junit.failures, failed);
    assert_eq!(junit.errors, 0);
    assert_eq!(junit.test_suites.len(), 1);
    let suite = &junit.test_suites[0];
    assert_eq!((suite.tests, suite.failures), (want.len(), failed));
    let mut seen = BTreeSet::new();
    for case in &suite.test_cases {
        let name = case.name.as_str().to_string();
        let lines = want
            .get(&name)
            .unwrap_or_else(|| panic!("unexpected test case {name}"));
        match &case.status {
            quick_junit::TestCaseStatus::Success { .. } => assert!(lines.is_empty(), "{name}"),
            quick_junit::TestCaseStatus::NonSuccess {
                kind: quick_junit::NonSuccessKind::Failure,
                message,
                description,
                ..
            } => {
                let text = description.as_ref().expect("the findings").as_str();
                assert_eq!(text.lines().collect::<Vec<_>>(), *lines, "{name}");
                let message = message.as_ref().unwrap().as_str();
                assert!(
                    message.starts_with(&format!("{} finding", lines.len())),
                    "{message}"
                );
            }
            other => panic!("{name}: {other:?}"),
        }
        seen.insert(name);
    }
    assert_eq!(seen.len(), want.len(), "one test case per file");
}

/// One test per format: its exit code, its snapshot, and (where the format
/// has one) its validator.
macro_rules! snapshot {
    ($($test:ident: $format:literal => $check:expr;)*) => {$(
        #[test]
        fn $test() {
            let (code, text) = render($format);
            assert_eq!(code, Some(1), "examples/ has findings at the fail level");
            let check: fn(&str) = $check;
            check(&text);
            insta::assert_snapshot!($format, text);
        }
    )*};
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).expect("valid JSON")
}

snapshot! {
    human_snapshot: "human" => |t| assert!(t.contains("  = help: "), "{t}");
    json_snapshot: "json" => |t| assert_eq!(json(t)["version"], 1);
    sarif_snapshot: "sarif" => |t| common::schemas::assert_valid_sarif(&json(t));
    github_snapshot: "github" => |t| assert!(t.lines().all(|l| l.starts_with("::")), "{t}");
    junit_snapshot: "junit" => |t| {
        quick_junit::Report::deserialize_from_str(t).expect("JUnit XML");
    };
    markdown_snapshot: "markdown" => |t| assert!(t.starts_with('#') || t.contains('|'), "{t}");
    html_snapshot: "html" => |t| assert!(t.starts_with("<!DOCTYPE html>"), "{t}");
    oscal_snapshot: "oscal" => |t| common::schemas::assert_valid_oscal(&json(t));
}
