//! `clawcheck posture FILE` (the policy input, redacted, valid against
//! schemas/posture.schema.json) and `clawcheck policy test` (Rego unit tests
//! with coverage), built-in and on a user's own policy directory.

mod common;
use common::{clawcheck, config_fixtures, root};
use serde_json::Value;
use std::path::PathBuf;

/// The config fixtures that parse (the OC001 and OC003 ones are broken on purpose).
fn configs() -> Vec<PathBuf> {
    config_fixtures()
        .into_iter()
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            !name.starts_with("OC001.fires") && !name.starts_with("OC003.fires")
        })
        .collect()
}

#[test]
fn posture_of_every_fixture_matches_the_published_schema() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schemas/posture.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let files = configs();
    assert!(files.len() > 60, "{} configs", files.len());
    let (mut real, mut profile) = (0, 0);
    for f in files {
        let o = clawcheck(&["posture", f.to_str().unwrap()], root());
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}: {}",
            f.display(),
            String::from_utf8_lossy(&o.stderr)
        );
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&v)
            .take(5)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}:\n{}", f.display(), errors.join("\n"));
        if v["posture"]["real"] == true {
            real += 1;
        } else {
            assert_eq!(v["dialect"], "policy-profile");
            profile += 1;
        }
    }
    assert!(
        real > 10 && profile > 10,
        "both dialects covered: {real} real, {profile} profiles"
    );
}

#[test]
fn posture_of_a_profile_and_of_a_real_config() {
    let o = clawcheck(&["posture", "examples/insecure.openclaw.json"], root());
    assert_eq!(o.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["dialect"], "policy-profile");
    let agents = v["posture"]["agents"].as_array().unwrap();
    assert!(!agents.is_empty());
    assert!(agents[0]["pointer"]
        .as_str()
        .unwrap()
        .starts_with("/agents/"));
    assert!(v["limits"]["sensitive_timeout_seconds"].is_number());
    assert!(
        v.get("raw").is_none(),
        "a profile's policies get no raw document"
    );

    let o = clawcheck(
        &["posture", "tests/fixtures/openclaw/unbounded-runs.json5"],
        root(),
    );
    assert_eq!(o.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["dialect"], "openclaw-2026.9");
    assert_eq!(v["posture"]["real"], true);
    assert!(v["posture"]["timeouts"].as_array().unwrap().len() == 2);
    assert!(v["raw"].is_object());

    // The dialect can be forced, and a file that does not parse is a clear error.
    let o = clawcheck(
        &[
            "posture",
            "examples/secure.openclaw.json",
            "--dialect",
            "openclaw-2026.9",
        ],
        root(),
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["dialect"], "openclaw-2026.9");
    let o = clawcheck(
        &["posture", "tests/fixtures/rules/OC001.fires.openclaw.json"],
        root(),
    );
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("OC001.fires.openclaw.json:") && err.contains("cannot parse"),
        "{err}"
    );
    let o = clawcheck(&["posture", "no/such/file.json"], root());
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn posture_never_prints_a_whole_secret() {
    let o = clawcheck(
        &["posture", "tests/fixtures/openclaw/plaintext-keys.json5"],
        root(),
    );
    assert_eq!(o.status.code(), Some(0));
    let out = String::from_utf8(o.stdout).unwrap();
    for secret in [
        // split so that this file holds no whole key
        concat!("sk-proj-Fq3xT9vLm2", "Rk8Wd1Yp5Zs7Hn4Jc6Gb0NeA2uQ8tV"),
        concat!("hunter2-", "openclaw"),
        concat!("7312345678:AAHf3kPz", "Qw9xVbN2mLr5TyU8iOp4sDgJk1E"),
        concat!("AKIA", "IOSFODNN7"),
    ] {
        assert!(!out.contains(secret), "posture printed {secret}");
    }
    assert!(
        out.contains("[48 chars]"),
        "the OpenAI key is shown redacted"
    );
    // a profile's literal secret value too
    let dir = tempfile::tempdir().unwrap();
    let pw = format!("{}{}", "correct-horse-", "battery-staple");
    std::fs::write(
        dir.path().join("p.json"),
        format!(r#"{{"secrets": {{"db": {{"provider": "internal", "value": "{pw}"}}}}}}"#),
    )
    .unwrap();
    let o = clawcheck(&["posture", "p.json"], dir.path());
    assert_eq!(o.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&o.stdout).contains(&pw));
}

#[test]
fn builtin_policy_tests_pass_with_coverage() {
    let o = clawcheck(
        &["policy", "test", "--coverage", "--min-coverage", "90"],
        root(),
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let summary = out.lines().last().unwrap();
    let passed: usize = summary.split(' ').next().unwrap().parse().unwrap();
    assert!(passed > 50, "{summary}");
    assert!(summary.ends_with(" 0 failed"), "{summary}");
    // every rule's policy file is listed with its coverage, tests excluded
    for id in ["OC201", "OC230", "OC244"] {
        assert!(
            out.contains(&format!("{id}.rego")),
            "{id} missing from coverage:\n{out}"
        );
    }
    assert!(!out
        .lines()
        .any(|l| l.contains('%') && l.contains("_test.rego")));
}

/// The coverage lines of a `policy test --coverage` output.
fn coverage_lines(out: &str) -> Vec<&str> {
    out.lines()
        .skip_while(|l| !l.starts_with("coverage"))
        .filter(|l| l.contains('%'))
        .collect()
}

#[test]
fn policy_test_of_a_directory_with_the_builtin_packages_replaces_them() {
    // `policy test policies/` in this repository: each package is loaded
    // once (the directory's copy), so each file is measured once and the
    // figures are those of the built-in run.
    let builtin = clawcheck(&["policy", "test", "--coverage"], root());
    let dir = clawcheck(&["policy", "test", "--coverage", "policies"], root());
    assert_eq!(dir.status.code(), Some(0), "{}", common::output(&dir));
    let (b, d) = (common::stdout(&builtin), common::stdout(&dir));
    let lines = coverage_lines(&d);
    let files: std::collections::BTreeSet<&str> = lines.iter().copied().collect();
    assert_eq!(files.len(), lines.len(), "a file listed twice:\n{d}");
    assert!(lines.len() > 50, "{d}");
    assert_eq!(lines, coverage_lines(&b));
    assert_eq!(
        d.lines().last(),
        b.lines().last(),
        "same tests, same results"
    );
}

#[test]
fn policy_test_on_a_user_directory_reports_failures_and_coverage() {
    let dir = tempfile::tempdir().unwrap();
    let pol = dir.path().join("pol");
    std::fs::create_dir(&pol).unwrap();
    std::fs::write(
        pol.join("local.rego"),
        "package custom.local\nimport rego.v1\n\ndeny contains \"local model\" if {\n\tsome a in input.posture.agents\n\tstartswith(a.name, \"local\")\n}\n\ndeny contains \"flagged\" if {\n\tinput.flag\n\tinput.other == 1\n}\n",
    )
    .unwrap();
    std::fs::write(
        pol.join("local_test.rego"),
        "package custom.local_test\nimport rego.v1\nimport data.custom.local\n\ntest_fires if {\n\tcount(local.deny) == 1 with input as {\"posture\": {\"agents\": [{\"name\": \"local-llm\"}]}}\n}\n\ntest_wrong if {\n\tcount(local.deny) == 2 with input as {\"posture\": {\"agents\": []}}\n}\n",
    )
    .unwrap();
    let o = clawcheck(&["policy", "test", "pol", "--coverage"], dir.path());
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("PASS pol/local_test.rego: test_fires"),
        "{out}"
    );
    assert!(
        out.contains("FAIL pol/local_test.rego: test_wrong"),
        "{out}"
    );
    // the second rule's body stops at `input.flag`: its head and last line never ran
    assert!(out.contains("pol/local.rego (not covered: 9, 11)"), "{out}");
    assert!(
        !out.contains("policies/"),
        "only the user's files are measured:\n{out}"
    );
    assert!(out.trim_end().ends_with("1 passed, 1 failed"), "{out}");

    // below --min-coverage fails even when every test passes
    std::fs::write(
        pol.join("local_test.rego"),
        "package custom.local_test\nimport rego.v1\nimport data.custom.local\n\ntest_fires if {\n\tcount(local.deny) == 1 with input as {\"posture\": {\"agents\": [{\"name\": \"local-llm\"}]}}\n}\n",
    )
    .unwrap();
    let o = clawcheck(
        &["policy", "test", "pol", "--min-coverage", "99"],
        dir.path(),
    );
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let o = clawcheck(
        &["policy", "test", "pol", "--min-coverage", "60"],
        dir.path(),
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );

    // a directory without tests is an error, not a pass
    std::fs::remove_file(pol.join("local_test.rego")).unwrap();
    let o = clawcheck(&["policy", "test", "pol"], dir.path());
    assert_eq!(o.status.code(), Some(2));
}
