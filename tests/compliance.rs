//! Compliance reports: NIST SP 800-53 controls in the registry, `--format
//! oscal` (valid OSCAL 1.2.1 assessment results, checked against NIST's
//! schema in-process) and `--format html`: deterministic, escaped,
//! never a whole secret, same exit codes as every other format.

mod common;
use common::root;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;

/// 2026-11-28T12:00:03Z
const EPOCH: &str = "1795867203";

/// The binary with the timestamps pinned (colours off).
fn clawcheck(args: &[&str], cwd: &Path) -> Output {
    common::clawcheck_env(args, cwd, &[("SOURCE_DATE_EPOCH", EPOCH)])
}

fn text(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 output")
}

/// Validates an OSCAL file in-process against NIST's 1.2.1 schema (vendored
/// in tests/fixtures/reference) plus uuid uniqueness and references.
fn check_oscal(file: &Path) {
    let text = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let doc: Value = serde_json::from_slice(&text).expect("OSCAL is JSON");
    common::schemas::assert_valid_oscal(&doc);
}

fn oscal_file(dir: &Path, name: &str, doc: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, doc).unwrap();
    p
}

fn result(doc: &Value) -> &Value {
    &doc["assessment-results"]["results"][0]
}

#[test]
fn every_rule_names_well_formed_controls() {
    let id = regex::Regex::new(r"^[a-z]{2}-\d+(\.\d+)?$").unwrap();
    for r in clawcheck::rules::all() {
        assert!(!r.controls.is_empty(), "{} maps to no control", r.id);
        for c in r.controls {
            assert!(id.is_match(c), "{}: malformed control id `{c}`", r.id);
        }
        let mut sorted = r.controls.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(
            sorted.len(),
            r.controls.len(),
            "{}: duplicate control",
            r.id
        );
    }
}

#[test]
fn explain_rules_json_and_sarif_show_controls() {
    let o = clawcheck(&["explain", "OC203"], root());
    assert!(
        text(&o).contains("Controls (NIST SP 800-53 rev5): AC-12, SC-10"),
        "{}",
        text(&o)
    );
    let o = clawcheck(&["explain", "OC212"], root());
    assert!(text(&o).contains("IA-5(1)"), "{}", text(&o));
    let v: Value =
        serde_json::from_slice(&clawcheck(&["rules", "--format", "json"], root()).stdout).unwrap();
    let oc301 = v
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "OC301")
        .unwrap();
    assert_eq!(oc301["controls"], serde_json::json!(["ia-5.7", "sc-28"]));
    let o = clawcheck(&["check", "examples/", "--format", "sarif"], root());
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let rules = v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    let oc202 = rules.iter().find(|r| r["id"] == "OC202").unwrap();
    let tags = oc202["properties"]["tags"].as_array().unwrap();
    assert!(
        tags.contains(&serde_json::json!("nist-800-53/ac-12")),
        "{tags:?}"
    );
    assert!(tags.contains(&serde_json::json!("security")), "{tags:?}");
    assert!(
        tags.contains(&serde_json::json!("external/cwe/cwe-459")),
        "{tags:?}"
    );
    common::schemas::assert_valid_sarif(&v);
}

/// Every framework the rules map to, with ids and titles, in all outputs:
/// each SARIF relationship resolves to a taxon whose id and title agree
/// with `rules --format json` and `explain`.
#[test]
fn framework_mappings_agree_across_explain_rules_json_and_sarif() {
    let o = clawcheck(&["explain", "OC230"], root());
    let explained = text(&o);
    for line in [
        "ASI03 Identity and Privilege Abuse",
        "AML.T0049 Exploit Public-Facing Application",
        "CWE-306 Missing Authentication for Critical Function",
        "A.8.20 Networks security",
        "Art. 15 Accuracy, robustness and cybersecurity",
        "AC-17 Remote Access",
    ] {
        assert!(explained.contains(line), "{line} missing:\n{explained}");
    }
    let rules: Value =
        serde_json::from_slice(&clawcheck(&["rules", "--format", "json"], root()).stdout).unwrap();
    let sarif: Value = serde_json::from_slice(
        &clawcheck(&["check", "examples/", "--format", "sarif"], root()).stdout,
    )
    .unwrap();
    let run = &sarif["runs"][0];
    let taxonomies = run["taxonomies"].as_array().unwrap();
    let keys: Vec<&str> = taxonomies
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    for k in [
        "owasp-asi-2026",
        "owasp-llm-2025",
        "mitre-atlas",
        "iso-42001",
        "iso-27001",
        "soc2",
        "cwe",
        "eu-ai-act",
        "nist-800-53",
    ] {
        assert!(keys.contains(&k), "{k} missing from {keys:?}");
    }
    let driver_rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let mut relations = 0;
    for r in rules.as_array().unwrap() {
        let id = r["id"].as_str().unwrap();
        let sr = driver_rules.iter().find(|x| x["id"] == id).unwrap();
        let mut from_sarif: Vec<(String, String, String)> = Vec::new();
        for rel in sr["relationships"].as_array().unwrap() {
            assert_eq!(rel["kinds"], serde_json::json!(["relevant"]));
            let t = &rel["target"];
            let tax = &taxonomies[t["toolComponent"]["index"].as_u64().unwrap() as usize];
            assert_eq!(tax["name"], t["toolComponent"]["name"]);
            let taxon = &tax["taxa"][t["index"].as_u64().unwrap() as usize];
            assert_eq!(taxon["id"], t["id"]);
            from_sarif.push((
                tax["name"].as_str().unwrap().into(),
                taxon["name"].as_str().unwrap().into(),
                taxon["shortDescription"]["text"].as_str().unwrap().into(),
            ));
            relations += 1;
        }
        let mut from_json: Vec<(String, String, String)> = Vec::new();
        for (key, entries) in r["frameworks"].as_object().unwrap() {
            for e in entries.as_array().unwrap() {
                from_json.push((
                    key.clone(),
                    e["id"].as_str().unwrap().into(),
                    e["title"].as_str().unwrap().into(),
                ));
            }
        }
        from_sarif.sort();
        from_json.sort();
        assert_eq!(from_sarif, from_json, "{id}");
        assert!(from_json.iter().any(|(k, _, _)| k == "nist-800-53"), "{id}");
    }
    assert!(relations > 300, "{relations} relationships");
}

#[test]
fn oscal_report_of_the_examples_is_valid_assessment_results() {
    let o = clawcheck(
        &[
            "check",
            "examples/insecure.openclaw.json",
            "--format",
            "oscal",
        ],
        root(),
    );
    assert_eq!(o.status.code(), Some(1), "findings still fail the run");
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let dir = tempfile::tempdir().unwrap();
    check_oscal(&oscal_file(dir.path(), "insecure.json", &o.stdout));

    let ar = &doc["assessment-results"];
    assert_eq!(ar["metadata"]["oscal-version"], "1.2.1");
    assert_eq!(ar["metadata"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(ar["metadata"]["last-modified"], "2026-11-28T12:00:03Z");
    // import-ap names the back-matter resource that lists the rules
    let href = ar["import-ap"]["href"].as_str().unwrap();
    let plan = ar["back-matter"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| format!("#{}", r["uuid"].as_str().unwrap()) == href)
        .expect("import-ap resolves");
    assert!(plan["description"].as_str().unwrap().contains("OC203"));

    let res = result(&doc);
    assert_eq!(res["start"], "2026-11-28T12:00:03Z");
    let reviewed: Vec<&str> = res["reviewed-controls"]["control-selections"][0]["include-controls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["control-id"].as_str().unwrap())
        .collect();
    for c in ["ac-12", "ia-5.1", "sc-28", "si-4"] {
        assert!(reviewed.contains(&c), "{c} not reviewed: {reviewed:?}");
    }
    // a policy profile has no gateway: the gateway controls were not assessed,
    // so they are not reviewed (and never reported satisfied)
    assert!(!reviewed.contains(&"sc-7"), "{reviewed:?}");
    // one observation per finding, with the location and the file as subject
    let json: Value = serde_json::from_slice(
        &clawcheck(
            &[
                "check",
                "examples/insecure.openclaw.json",
                "--format",
                "json",
            ],
            root(),
        )
        .stdout,
    )
    .unwrap();
    let observations = res["observations"].as_array().unwrap();
    // one per finding, then the checked files with their hashes
    assert_eq!(
        observations.len(),
        json["findings"].as_array().unwrap().len() + 1
    );
    let inputs = observations.last().unwrap();
    assert_eq!(inputs["title"], "Files checked");
    let subject = inputs["subjects"][0]["subject-uuid"].as_str().unwrap();
    let resources = doc["assessment-results"]["back-matter"]["resources"]
        .as_array()
        .unwrap();
    let file = resources.iter().find(|r| r["uuid"] == subject).unwrap();
    assert_eq!(
        file["rlinks"][0]["hashes"][0]["value"],
        json["inputs"]["files"][0]["sha256"]
    );
    // a finding's observation carries its framework entries in their namespaces
    let props = observations[0]["props"].as_array().unwrap();
    assert!(
        props
            .iter()
            .any(|p| p["class"] == "cwe" && p["ns"] == "https://cwe.mitre.org/"),
        "{props:?}"
    );
    let obs = &observations[0];
    assert_eq!(obs["methods"][0], "TEST");
    assert_eq!(obs["types"][0], "finding");
    assert_eq!(
        obs["subjects"][0]["title"],
        "examples/insecure.openclaw.json"
    );
    assert!(obs["relevant-evidence"][0]["description"]
        .as_str()
        .unwrap()
        .starts_with("examples/insecure.openclaw.json:8:7 (error OC203)"));
    // one OSCAL finding per control; a control no finding touches is satisfied
    let state = |control: &str| {
        let f = res["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["target"]["target-id"] == format!("{control}_obj"))
            .unwrap_or_else(|| panic!("no finding for {control}"));
        assert_eq!(f["target"]["type"], "objective-id");
        (
            f["target"]["status"]["state"].as_str().unwrap().to_string(),
            f["related-observations"].as_array().map_or(0, Vec::len),
        )
    };
    assert_eq!(state("ac-12"), ("not-satisfied".to_string(), 4));
    assert_eq!(state("cm-6"), ("satisfied".to_string(), 0));
}

#[test]
fn compliance_reports_are_byte_identical_across_runs_and_thread_counts() {
    let run = |threads: &str, fmt: &str| {
        let o = clawcheck(
            &[
                "check",
                "examples/",
                "tests/fixtures/rules",
                "--format",
                fmt,
                "--threads",
                threads,
            ],
            root(),
        );
        assert_eq!(o.status.code(), Some(1));
        o.stdout
    };
    for fmt in ["oscal", "html"] {
        let one = run("1", fmt);
        assert_eq!(
            one,
            run("4", fmt),
            "{fmt} differs between --threads 1 and 4"
        );
        assert_eq!(one, run("1", fmt), "{fmt} differs between runs");
    }
    let dir = tempfile::tempdir().unwrap();
    check_oscal(&oscal_file(dir.path(), "fixtures.json", &run("4", "oscal")));
}

#[test]
fn source_date_epoch_must_be_a_time() {
    for bad in ["yesterday", "-5", "99999999999"] {
        let o = common::clawcheck_env(
            &["check", "examples/", "--format", "oscal"],
            root(),
            &[("SOURCE_DATE_EPOCH", bad)],
        );
        assert_eq!(o.status.code(), Some(2), "{bad}");
        assert!(String::from_utf8_lossy(&o.stderr).contains("SOURCE_DATE_EPOCH"));
    }
    // without it the reports are still valid, dated now
    let o = common::clawcheck(&["check", "examples/", "--format", "oscal"], root());
    assert_eq!(o.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_ne!(result(&doc)["start"], "2026-11-28T12:00:03Z");
}

#[test]
fn markup_in_file_names_and_keys_is_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let name = "<script>alert(1)<b>.openclaw.json";
    std::fs::write(
        dir.path().join(name),
        r#"{"agents": {"<script>alert('x')</script>": {"runtime": "shared", "auto-destroy": true, "timeout": 60}}}"#,
    )
    .unwrap();
    let o = clawcheck(&["check", ".", "--format", "html"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    let html = text(&o);
    assert!(!html.to_lowercase().contains("<script"), "{html}");
    assert!(!html.contains("<b>"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;b&gt;.openclaw.json"),
        "{html}"
    );
    assert!(
        html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"),
        "{html}"
    );

    let o = clawcheck(&["check", ".", "--format", "oscal"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    // Markup fields are Markdown, which may carry raw HTML: it is entity-escaped.
    let obs = &result(&doc)["observations"][0];
    assert!(!obs["description"].as_str().unwrap().contains("<script"));
    assert!(obs["subjects"][0]["title"]
        .as_str()
        .unwrap()
        .starts_with("&lt;script&gt;"));
    assert!(!obs["relevant-evidence"][0]["href"]
        .as_str()
        .unwrap()
        .contains('<'));
    check_oscal(&oscal_file(dir.path(), "out.json", &o.stdout));
}

#[test]
fn no_report_holds_a_whole_secret() {
    let dir = tempfile::tempdir().unwrap();
    // Assembled at run time so that no source line holds a whole key.
    let key = format!(
        "{}{}{}",
        "sk-proj-",
        "Qx7vLm2Rt9Kp4Wn8Zb3Yc6Hd1Fg5Js0Ae",
        "T3BlbkFJ9Lm2Rt7Kp4Wn8Zb3Yc6Hd1Fg5Js0AeQx7vAbCdEfGh"
    );
    std::fs::write(
        dir.path().join("openclaw.json"),
        format!("{{\n  \"secrets\": {{\n    \"openai\": {{ \"provider\": \"inline\", \"value\": \"{key}\", \"rotation\": \"weekly\" }}\n  }}\n}}\n"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("deploy.env"),
        format!("OPENAI_API_KEY={key}\n"),
    )
    .unwrap();
    for only in [None, Some("config"), Some("secrets")] {
        for fmt in ["html", "oscal"] {
            let mut args = vec!["check", ".", "--format", fmt];
            if let Some(o) = only {
                args.extend(["--only", o]);
            }
            let o = clawcheck(&args, dir.path());
            assert_eq!(o.status.code(), Some(1));
            let out = text(&o);
            assert!(!out.contains(&key[..24]), "{fmt} {only:?} leaks the key");
            if only != Some("config") {
                assert!(out.contains("OC301"), "{fmt}: {out}");
            }
        }
    }
}

#[test]
fn suppressed_findings_carry_their_reason() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("openclaw.json"),
        "{\n  \"agents\": {\n    \"ops-admin\": {\n      \"runtime\": \"thread-bound\",\n      \"auto-destroy\": true,\n      // clawcheck:allow OC203 nightly migration <SEC-112>\n      \"timeout\": 600\n    }\n  }\n}\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("clawcheck.toml"),
        "[[waivers]]\nrule = \"OC220\"\npath = \"openclaw.json\"\nreason = \"monitoring lives in the platform repo\"\n",
    )
    .unwrap();
    // An active (informational) finding before the suppressed ones in the report.
    std::fs::write(
        dir.path().join("a.openclaw.json"),
        "{\"openclaw\": {\"agents\": {}}}",
    )
    .unwrap();
    let o = clawcheck(&["check", ".", "--format", "html"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let html = text(&o);
    assert!(html.contains("Suppressed findings"), "{html}");
    assert!(html.contains("nightly migration &lt;SEC-112&gt;"), "{html}");
    assert!(html.contains("class=\"st-waived\""), "{html}");
    assert!(html.contains("PASSED"), "{html}");

    let o = clawcheck(&["check", ".", "--format", "oscal"], dir.path());
    assert_eq!(o.status.code(), Some(0));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let res = result(&doc);
    let risks = res["risks"].as_array().unwrap();
    assert!(risks.iter().all(|r| r["status"] == "deviation-approved"));
    assert!(risks.iter().any(|r| r["statement"]
        .as_str()
        .unwrap()
        .contains("nightly migration")));
    let waived = res["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["target"]["target-id"] == "ac-12_obj")
        .unwrap();
    assert_eq!(waived["target"]["status"]["state"], "not-satisfied");
    assert_eq!(waived["target"]["status"]["reason"], "other");
    assert!(waived["related-risks"].is_array());
    // its evidence is the suppressed finding's observation, which says why
    let uuid = &waived["related-observations"][0]["observation-uuid"];
    let obs = res["observations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| &o["uuid"] == uuid)
        .unwrap();
    assert_eq!(
        obs["remarks"],
        "Suppressed (inline): nightly migration &lt;SEC-112&gt;"
    );
    check_oscal(&oscal_file(dir.path(), "out.json", &o.stdout));
}

#[test]
fn exit_codes_and_report_files_are_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("report.html");
    let oscal = dir.path().join("assessment-results.json");
    let o = clawcheck(
        &[
            "check",
            "examples/",
            "--format",
            "html",
            "--report",
            &format!("oscal={}", oscal.display()),
            "--report",
            &format!("html={}", html.display()),
        ],
        root(),
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        std::fs::read(&html).unwrap(),
        o.stdout,
        "same run, same HTML"
    );
    let doc: Value = serde_json::from_slice(&std::fs::read(&oscal).unwrap()).unwrap();
    assert!(result(&doc)["findings"].is_array());
    for fmt in ["html", "oscal"] {
        let o = clawcheck(
            &["check", "examples/secure.openclaw.json", "--format", fmt],
            root(),
        );
        assert_eq!(o.status.code(), Some(0), "{fmt}");
        let o = clawcheck(
            &["check", "examples/", "--format", fmt, "--fail-on", "never"],
            root(),
        );
        assert_eq!(o.status.code(), Some(0), "{fmt}");
    }
    // A clean run: every reviewed control satisfied; the one observation is
    // an informational note (OC103), which fails no control.
    let o = clawcheck(
        &[
            "check",
            "examples/secure.openclaw.json",
            "--format",
            "oscal",
        ],
        root(),
    );
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let observations = result(&doc)["observations"].as_array().unwrap();
    assert_eq!(observations.len(), 2, "the note and the checked files");
    assert_eq!(observations[0]["props"][0]["value"], "OC103");
    assert_eq!(observations[1]["title"], "Files checked");
    assert!(result(&doc)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["target"]["status"]["state"] == "satisfied"));
    check_oscal(&oscal_file(dir.path(), "clean.json", &o.stdout));
}

#[cfg(target_os = "linux")]
#[test]
fn live_runs_show_up_in_both_reports() {
    assert!(
        Path::new("/bin/sh").exists(),
        "the live probes need /bin/sh"
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("openclaw.json"),
        common::keeper_profile("keeper"),
    )
    .unwrap();
    let o = clawcheck(
        &common::live_args(
            "openclaw.json",
            "scratch-writer",
            &["--format", "html", "--report", "oscal=out.json"],
        ),
        dir.path(),
    );
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let html = text(&o);
    assert!(html.contains("<h2 id=\"live\">Live run</h2>"), "{html}");
    assert!(html.contains("keeper"), "{html}");
    let doc: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("out.json")).unwrap()).unwrap();
    let plan = doc["assessment-results"]["back-matter"]["resources"][0]["description"]
        .as_str()
        .unwrap();
    assert!(
        plan.contains("OC404"),
        "live rules are part of the plan: {plan}"
    );
    // the live run is an observation, cited by the controls live rules judge
    let res = result(&doc);
    let live = res["observations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["title"].as_str().unwrap().starts_with("Live run"))
        .expect("live observation");
    // issue 16: the observation says what ran (the reference executor under
    // the config's limits), never that the gateway was tested
    assert_eq!(
        live["title"],
        "Live run: clawcheck's reference isolated executor under the configs' limits (not the OpenClaw gateway)"
    );
    assert!(live["description"]
        .as_str()
        .unwrap()
        .contains("reference executor under the limits of"));
    assert!(live["description"]
        .as_str()
        .unwrap()
        .contains("Agent keeper"));
    let sc39 = res["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["target"]["target-id"] == "sc-39_obj")
        .expect("sc-39 assessed");
    assert!(sc39["related-observations"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["observation-uuid"] == live["uuid"]));
    check_oscal(&dir.path().join("out.json"));
}

#[test]
fn gateway_controls_are_assessed_only_on_real_configs() {
    let o = clawcheck(
        &[
            "check",
            "tests/fixtures/rules/OC230.fires.openclaw.json",
            "--format",
            "oscal",
        ],
        root(),
    );
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let reviewed: Vec<&str> = result(&doc)["reviewed-controls"]["control-selections"][0]
        ["include-controls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["control-id"].as_str().unwrap())
        .collect();
    assert!(reviewed.contains(&"sc-7"), "{reviewed:?}");
    let sc7 = result(&doc)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["target"]["target-id"] == "sc-7_obj")
        .expect("an OSCAL finding for sc-7");
    assert_eq!(sc7["target"]["status"]["state"], "not-satisfied");
}

#[test]
fn a_baseline_hides_findings_from_the_gate_but_not_from_the_controls() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("openclaw.json"),
        "{ \"agents\": { \"worker\": { \"runtime\": \"thread-bound\", \"auto-destroy\": false, \"timeout\": 60 } } }\n",
    )
    .unwrap();
    let base = clawcheck(
        &["check", ".", "--only", "config", "--format", "json"],
        dir.path(),
    );
    std::fs::write(dir.path().join("baseline.json"), &base.stdout).unwrap();
    let o = clawcheck(
        &[
            "check",
            "openclaw.json",
            "--only",
            "config",
            "--baseline",
            "baseline.json",
            "--format",
            "oscal",
        ],
        dir.path(),
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "baselined findings do not fail the run"
    );
    check_oscal(&oscal_file(dir.path(), "ar.json", &o.stdout));
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    let ac12 = result(&doc)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["target"]["target-id"] == "ac-12_obj")
        .expect("ac-12 assessed");
    assert_eq!(ac12["target"]["status"]["state"], "not-satisfied");
    assert!(
        result(&doc).get("risks").is_none_or(|r| r
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"] != "deviation-approved")),
        "a baseline is not an approved deviation"
    );
    // The HTML states both verdicts: the gate passed, the controls did not.
    let o = clawcheck(
        &[
            "check",
            "openclaw.json",
            "--only",
            "config",
            "--baseline",
            "baseline.json",
            "--format",
            "html",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0));
    let html = text(&o);
    assert!(
        html.contains("id=\"verdict\">GATE PASSED, ") && html.contains("NOT SATISFIED</span>"),
        "{html}"
    );
    assert!(!html.contains(">PASSED<"), "{html}");
    assert!(
        html.contains("baseline (pre-existing, not waived)"),
        "{html}"
    );
}
