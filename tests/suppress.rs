//! Suppressions: inline `clawcheck:allow` with a reason, clawcheck.toml
//! waivers (path-scoped, expiring), and the rules that keep them honest
//! (OC004 no reason, OC005 expired, OC006 unused).

mod common;
use common::clawcheck;
use std::path::Path;

fn check(dir: &Path, args: &[&str]) -> (Option<i32>, serde_json::Value) {
    let o = clawcheck(
        &[&["check", ".", "--format", "json"][..], args].concat(),
        dir,
    );
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    (o.status.code(), serde_json::from_slice(&o.stdout).unwrap())
}

fn rules(v: &serde_json::Value) -> Vec<(String, u64)> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

const PROFILE: &str = r#"{
  "agents": {
    "ops-admin": {
      "runtime": "thread-bound",
      "auto-destroy": true,
      // clawcheck:allow OC203 nightly migration, approved by security (SEC-112)
      "timeout": 600
    },
    "prod-sync": {
      "runtime": "thread-bound",
      "auto-destroy": true,
      "timeout": 900 // clawcheck:allow OC203
    },
    "routine": {
      "runtime": "thread-bound",
      "auto-destroy": true,
      // clawcheck:allow OC204 leftover from an old incident
      "timeout": 60
    }
  }
}
"#;

#[test]
fn inline_directives_need_a_reason_and_must_be_used() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("openclaw.json"), PROFILE).unwrap();
    let (code, v) = check(dir.path(), &[]);
    assert_eq!(code, Some(1));
    let got = rules(&v);
    // suppressed with a reason: ops-admin's OC203 is gone
    assert!(!got.contains(&("OC203".into(), 7)), "{got:?}");
    // no reason: reported, and the finding stays
    assert!(
        got.contains(&("OC004".into(), 12)) && got.contains(&("OC203".into(), 12)),
        "{got:?}"
    );
    // nothing to suppress: OC006
    assert!(got.contains(&("OC006".into(), 17)), "{got:?}");
    assert_eq!(v["summary"]["suppressed"], 1);
    let s = &v["suppressed"][0];
    assert_eq!(
        (s["rule"].as_str(), s["line"].as_u64(), s["kind"].as_str()),
        (Some("OC203"), Some(7), Some("inline"))
    );
    assert!(s["reason"].as_str().unwrap().contains("SEC-112"));
}

#[test]
fn suppressed_results_are_marked_in_sarif() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("openclaw.json"), PROFILE).unwrap();
    let o = clawcheck(&["check", ".", "--format", "sarif"], dir.path());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    let sup: Vec<_> = results
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(sup.len(), 1);
    assert_eq!(sup[0]["suppressions"][0]["kind"], "inSource");
    assert_eq!(
        sup[0]["locations"][0]["physicalLocation"]["region"]["startLine"],
        7
    );
}

#[test]
fn waivers_scope_by_path_and_expire() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir_all(p.join("legacy")).unwrap();
    let bad = r#"{"agents": {"critical": {"runtime": "thread-bound", "auto-destroy": true, "timeout": 600}}}"#;
    std::fs::write(p.join("legacy/openclaw.json"), bad).unwrap();
    std::fs::write(p.join("openclaw.json"), bad).unwrap();
    std::fs::write(
        p.join("clawcheck.toml"),
        "[[waivers]]\nrule = \"OC203\"\npath = \"legacy/**\"\nreason = \"legacy gateway, retired in Q1\"\nexpires = \"2999-12-31\"\n\n[[waivers]]\nrule = \"OC220\"\nreason = \"monitoring lives in the platform repo\"\n\n[[waivers]]\nrule = \"OC204\"\nreason = \"old\"\n\n[[waivers]]\nrule = \"OC203\"\nreason = \"expired exception\"\nexpires = \"2000-01-01\"\n",
    )
    .unwrap();
    let (code, v) = check(p, &[]);
    assert_eq!(code, Some(1));
    let f: Vec<(String, String, u64)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().into(),
                f["path"].as_str().unwrap().into(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(
        f.contains(&("OC203".into(), "openclaw.json".into(), 1)),
        "outside the waiver's path: {f:?}"
    );
    assert!(
        !f.iter()
            .any(|(r, path, _)| r == "OC203" && path == "legacy/openclaw.json"),
        "{f:?}"
    );
    assert!(!f.iter().any(|(r, _, _)| r == "OC220"), "{f:?}");
    assert!(
        f.contains(&("OC006".into(), "clawcheck.toml".into(), 11)),
        "unused waiver at its line: {f:?}"
    );
    assert!(
        f.contains(&("OC005".into(), "clawcheck.toml".into(), 15)),
        "expired waiver at its line: {f:?}"
    );
    assert_eq!(v["summary"]["suppressed"], 3);
}

#[test]
fn a_waiver_without_a_reason_is_a_settings_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("clawcheck.toml"),
        "[[waivers]]\nrule = \"OC203\"\n",
    )
    .unwrap();
    let o = clawcheck(&["check", "."], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("clawcheck.toml:1:"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    std::fs::write(
        dir.path().join("clawcheck.toml"),
        "[[waivers]]\nrule = \"OC203\"\nreason = \"x\"\nexpires = \"next year\"\n",
    )
    .unwrap();
    let o = clawcheck(&["check", "."], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a date"));
}

/// `--baseline`: only findings not in an earlier report fail the run; the
/// match survives line moves (fingerprints, not positions).
#[test]
fn baseline_reports_only_new_findings() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = |agents: &str| format!("{{\n  \"agents\": {{\n{agents}\n  }}\n}}\n");
    let old_agent =
        "    \"payments\": { \"runtime\": \"shared\", \"auto-destroy\": true, \"timeout\": 60 }";
    std::fs::write(dir.path().join("openclaw.json"), cfg(old_agent)).unwrap();
    let o = clawcheck(
        &["check", ".", "--format", "json", "--only", "config"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    std::fs::write(dir.path().join("baseline.json"), &o.stdout).unwrap();
    let before: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let n_before = before["findings"].as_array().unwrap().len();
    assert!(n_before > 0);

    // unchanged: everything is in the baseline
    let (code, v) = check(
        dir.path(),
        &["--only", "config", "--baseline", "baseline.json"],
    );
    assert_eq!(code, Some(0), "{v}");
    assert!(rules(&v).is_empty());
    let sup = v["suppressed"].as_array().unwrap();
    assert_eq!(sup.len(), n_before);
    assert!(sup.iter().all(|s| s["kind"] == "baseline"));

    // a new agent above the old one: the old findings move down a line, the
    // new agent's finding is the only one reported
    let new_agent = "    \"admin-tools\": { \"runtime\": \"thread-bound\", \"auto-destroy\": false, \"timeout\": 60 },";
    std::fs::write(
        dir.path().join("openclaw.json"),
        cfg(&format!("{new_agent}\n{old_agent}")),
    )
    .unwrap();
    let (code, v) = check(
        dir.path(),
        &["--only", "config", "--baseline", "baseline.json"],
    );
    assert_eq!(code, Some(1));
    assert_eq!(rules(&v), vec![("OC202".to_string(), 3)], "{v}");
    assert_eq!(v["suppressed"].as_array().unwrap().len(), n_before);

    // a SARIF log works as a baseline too
    let s = clawcheck(
        &["check", ".", "--format", "sarif", "--only", "config"],
        dir.path(),
    );
    std::fs::write(dir.path().join("baseline.sarif"), &s.stdout).unwrap();
    let (code, v) = check(
        dir.path(),
        &["--only", "config", "--baseline", "baseline.sarif"],
    );
    assert_eq!(code, Some(0), "{v}");
    assert!(rules(&v).is_empty());
}

#[test]
fn bad_baseline_is_a_usage_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("openclaw.json"), "{}").unwrap();
    std::fs::write(dir.path().join("b.json"), "{\n  \"findings\": [,]\n}").unwrap();
    std::fs::write(dir.path().join("other.json"), "{\"x\": 1}").unwrap();
    for (file, want) in [
        ("b.json", "b.json:2:"),
        (
            "other.json",
            "other.json: not a clawcheck JSON report or SARIF log",
        ),
        ("missing.json", "missing.json: cannot read baseline"),
    ] {
        let o = clawcheck(&["check", ".", "--baseline", file], dir.path());
        assert_eq!(o.status.code(), Some(2), "{file}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(want), "{file}: {err}");
        assert!(o.stdout.is_empty(), "no report on a usage error");
    }
}

/// Suppressed results in a SARIF baseline are not findings: a baseline taken
/// from a run with inline suppressions matches exactly the active findings.
#[test]
fn sarif_baseline_skips_suppressed_results() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("openclaw.json"), PROFILE).unwrap();
    let run = |args: &[&str]| {
        clawcheck(
            &[&["check", "openclaw.json", "--only", "config"][..], args].concat(),
            dir.path(),
        )
    };
    let sarif = run(&["--format", "sarif"]);
    let log: serde_json::Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    let suppressed = results
        .iter()
        .filter(|r| r["suppressions"].as_array().is_some_and(|s| !s.is_empty()))
        .count();
    assert!(suppressed > 0, "the fixture has inline suppressions");
    std::fs::write(dir.path().join("base.sarif"), &sarif.stdout).unwrap();
    let o = run(&["--baseline", "base.sarif", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let active = results.len() - suppressed;
    assert_eq!(v["baseline"]["recorded"], active, "{v}");
    assert_eq!(v["baseline"]["matched"], active, "{v}");
    assert_eq!(v["baseline"]["fixed"], serde_json::json!([]), "{v}");
}

/// `clawcheck baseline` records and exits 0; `check --baseline` gates only
/// new findings and lists the recorded ones that are fixed, without failing.
#[test]
fn baseline_command_records_and_check_lists_what_is_fixed() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let agents = |a: &str| format!("{{\n  \"agents\": {{\n{a}\n  }}\n}}\n");
    let shared =
        "    \"payments\": { \"runtime\": \"shared\", \"auto-destroy\": true, \"timeout\": 60 },";
    let kept = "    \"reports\": { \"runtime\": \"thread-bound\", \"auto-destroy\": false, \"timeout\": 60 }";
    std::fs::write(
        p.join("openclaw.json"),
        agents(&format!("{shared}\n{kept}")),
    )
    .unwrap();
    let bin = |args: &[&str]| clawcheck(args, p);
    let o = bin(&["baseline", ".", "-o", "clawcheck-baseline.json"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(o.stdout.is_empty());
    let recorded: serde_json::Value =
        serde_json::from_slice(&std::fs::read(p.join("clawcheck-baseline.json")).unwrap()).unwrap();
    let n = recorded["findings"].as_array().unwrap().len();
    assert!(n >= 3, "{recorded}");
    assert!(
        err.contains(&format!(
            "baseline clawcheck-baseline.json: {n} findings recorded"
        )),
        "{err}"
    );
    // the baseline file, in the tree, is no finding itself
    let (code, v) = check(p, &["--baseline", "clawcheck-baseline.json"]);
    assert_eq!(code, Some(0), "{v}");
    assert!(rules(&v).is_empty(), "{v}");
    assert_eq!(v["baseline"]["fixed"], serde_json::json!([]));

    // the shared runtime is fixed: the run passes and names what is fixed
    let fixed = shared.replace("\"shared\"", "\"thread-bound\"");
    std::fs::write(p.join("openclaw.json"), agents(&format!("{fixed}\n{kept}"))).unwrap();
    let (code, v) = check(p, &["--baseline", "clawcheck-baseline.json"]);
    assert_eq!(code, Some(0), "{v}");
    let gone: Vec<&str> = v["baseline"]["fixed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["rule"].as_str().unwrap())
        .collect();
    assert_eq!(gone, ["OC201"], "{v}");
    assert_eq!(v["baseline"]["fixed"][0]["path"], "openclaw.json");
    assert_eq!(v["baseline"]["fixed"][0]["line"], 3);
    let o = bin(&["check", ".", "--baseline", "clawcheck-baseline.json"]);
    assert_eq!(o.status.code(), Some(0));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains(&format!(
            "baseline clawcheck-baseline.json: 1 of {n} recorded findings no longer found (fixed)"
        )),
        "{out}"
    );
    assert!(out.contains("  fixed: openclaw.json:3: [OC201] "), "{out}");
    // recorded again, the baseline shrinks and nothing is fixed any more
    assert_eq!(
        bin(&["baseline", "-o", "clawcheck-baseline.json"])
            .status
            .code(),
        Some(0)
    );
    let (code, v) = check(p, &["--baseline", "clawcheck-baseline.json"]);
    assert_eq!(
        (code, v["baseline"]["recorded"].as_u64()),
        (Some(0), Some(n as u64 - 1))
    );
    assert_eq!(v["baseline"]["fixed"], serde_json::json!([]));
    // recording against a baseline makes no sense: a usage error
    let o = bin(&["baseline", "--baseline", "clawcheck-baseline.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--baseline does not apply"));
    // a SARIF baseline, by its name
    assert_eq!(
        bin(&["baseline", "-o", "base.sarif"]).status.code(),
        Some(0)
    );
    let (code, v) = check(p, &["--baseline", "base.sarif"]);
    assert_eq!(
        (code, v["baseline"]["recorded"].as_u64()),
        (Some(0), Some(n as u64 - 1))
    );
}

/// Pre-commit passes the staged files only: a waiver (or directive) whose
/// scope this run did not check in full is not called unused.
#[test]
fn unused_suppressions_are_judged_only_where_the_run_checked_everything() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir_all(p.join("legacy")).unwrap();
    let bad = r#"{"agents": {"critical": {"runtime": "thread-bound", "auto-destroy": true, "timeout": 600}}}"#;
    std::fs::write(p.join("legacy/openclaw.json"), bad).unwrap();
    std::fs::write(p.join("clean.txt"), "nothing to see\n").unwrap();
    std::fs::write(
        p.join("clawcheck.toml"),
        "[[waivers]]\nrule = \"OC203\"\npath = \"legacy/**\"\nreason = \"legacy gateway, retired in Q1\"\n\n[[waivers]]\nrule = \"OC220\"\nreason = \"monitoring lives in the platform repo\"\n",
    )
    .unwrap();
    let run = |args: &[&str]| {
        let o = clawcheck(&[&["check", "--format", "json"][..], args].concat(), p);
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        (o.status.code(), rules(&v))
    };
    // one clean file, as both pre-commit hooks run it: nothing to say
    for args in [
        &["clean.txt", "--quiet"][..],
        &["--only", "secrets", "--quiet", "clean.txt"],
        &["--only", "secrets", "."],
    ] {
        assert_eq!(run(args), (Some(0), vec![]), "{args:?}");
    }
    // the waived file itself: its waiver is used; the pathless OC220 waiver
    // covers files that were not checked
    let (code, got) = run(&["legacy/openclaw.json"]);
    assert!(!got.iter().any(|(r, _)| r == "OC006"), "{got:?}");
    assert_eq!(code, Some(0), "{got:?}");
    // the directory the glob names, walked: judged (OC220 is used there, OC203 too)
    let (_, got) = run(&["legacy"]);
    assert!(!got.iter().any(|(r, _)| r == "OC006"), "{got:?}");
    // the whole tree: a waiver that matches nothing is reported
    std::fs::write(p.join("legacy/openclaw.json"), "{}").unwrap();
    let (code, got) = run(&["."]);
    assert_eq!(code, Some(1));
    assert_eq!(
        got.iter().filter(|(r, _)| r == "OC006").count(),
        2,
        "{got:?}"
    );
    // a path-scoped waiver is judged once its directory was walked, even
    // when the rest of the tree was not
    let (_, got) = run(&["legacy"]);
    assert_eq!(got, vec![("OC006".to_string(), 1)], "{got:?}");
    // a rule turned off does not run: its waiver is not judged
    std::fs::write(
        p.join("clawcheck.toml"),
        "[rules.OC203]\nseverity = \"off\"\n\n[[waivers]]\nrule = \"OC203\"\npath = \"legacy/**\"\nreason = \"legacy gateway\"\n",
    )
    .unwrap();
    assert_eq!(run(&["."]), (Some(0), vec![]));
}

/// An inline directive is judged only when every rule it names ran on its file.
#[test]
fn inline_directives_are_judged_only_when_their_rules_ran() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(
        p.join("notes.md"),
        "<!-- clawcheck:allow OC203 documented exception for the batch agent -->\n",
    )
    .unwrap();
    std::fs::write(
        p.join("openclaw.json"),
        "{\n  // clawcheck:allow OC203,OC301 reviewed\n  \"agents\": {}\n}\n",
    )
    .unwrap();
    let (code, v) = check(p, &["--only", "config"]);
    assert_eq!(code, Some(0), "OC301 did not run: {v}");
    let (code, v) = check(p, &[]);
    assert_eq!(code, Some(1));
    assert_eq!(rules(&v), vec![("OC006".to_string(), 2)], "{v}");
}

/// `expires` as a TOML date, and `owner` shown wherever waived findings are.
#[test]
fn waivers_take_toml_dates_and_show_their_owner() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let bad = r#"{"agents": {"critical": {"runtime": "thread-bound", "auto-destroy": true, "timeout": 600}}}"#;
    std::fs::write(p.join("openclaw.json"), bad).unwrap();
    std::fs::write(
        p.join("clawcheck.toml"),
        "[[waivers]]\nrule = \"OC203\"\nreason = \"nightly migration\"\nexpires = 2999-03-31\nowner = \"security (SEC-112)\"\n\n[[waivers]]\nrule = \"OC220\"\nreason = \"monitoring lives elsewhere\"\n",
    )
    .unwrap();
    let (code, v) = check(p, &["--only", "config"]);
    assert_eq!(code, Some(0), "{v}");
    let sup = v["suppressed"].as_array().unwrap();
    let oc203 = sup.iter().find(|s| s["rule"] == "OC203").unwrap();
    assert_eq!(oc203["owner"], "security (SEC-112)");
    let oc220 = sup.iter().find(|s| s["rule"] == "OC220").unwrap();
    assert!(oc220.get("owner").is_none(), "no owner, no key: {oc220}");
    let o = clawcheck(&["check", ".", "--only", "config", "--format", "sarif"], p);
    let log: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let r = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "OC203")
        .unwrap();
    assert_eq!(
        r["suppressions"][0]["properties"]["owner"],
        "security (SEC-112)"
    );
    // an impossible date is a settings error at its position
    std::fs::write(
        p.join("clawcheck.toml"),
        "[[waivers]]\nrule = \"OC203\"\nreason = \"x\"\nexpires = \"2027-02-30\"\n",
    )
    .unwrap();
    let o = clawcheck(&["check", "."], p);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("clawcheck.toml:4:11: waiver expiry `2027-02-30` is not a date"),
        "{err}"
    );
}
