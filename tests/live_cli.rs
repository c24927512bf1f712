//! `check --live` and `live` through the binary: the executor's observations
//! come back as OC4xx findings at the agent's line, with a live summary in
//! JSON and SARIF. (The executor itself is tested in src/checks/live/tests.rs.)

mod common;
use common::{clawcheck, keeper_profile, live_args};
use std::path::Path;

#[cfg(target_os = "linux")]
#[test]
fn live_catches_a_profile_without_auto_destroy() {
    assert!(
        Path::new("/bin/sh").exists(),
        "the live probes need /bin/sh"
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("openclaw.json"), keeper_profile("keeper")).unwrap();
    let o = clawcheck(
        &live_args(
            "openclaw.json",
            "scratch-writer,sleeper",
            &["--format", "json"],
        ),
        dir.path(),
    );
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let findings = v["findings"].as_array().unwrap();
    let oc404 = findings
        .iter()
        .find(|f| f["rule"] == "OC404")
        .unwrap_or_else(|| panic!("no OC404: {findings:#?}"));
    // At the setting that disabled teardown, where the static rule judges it
    // too (it was the agent's declaration, line 3, before issue 16).
    assert_eq!(oc404["line"], 5, "at `auto-destroy: false`");
    let oc202 = findings
        .iter()
        .find(|f| f["rule"] == "OC202")
        .expect("the static rule fires too");
    assert_eq!(oc202["line"], oc404["line"], "same setting, same line");
    let live = &v["live"];
    assert!(live["layers"].as_array().unwrap().len() >= 5, "{live:#}");
    let agent = &live["agents"][0];
    assert_eq!(agent["name"], "keeper");
    assert_eq!(agent["survivors"], 0);
    assert!(
        agent["timeouts"].as_u64().unwrap() >= 1,
        "the sleeper must time out: {agent:#}"
    );
    // every declared agent metric maps to an exported family: no OC406
    assert!(
        !findings.iter().any(|f| f["rule"] == "OC406"),
        "{findings:#?}"
    );

    let o = clawcheck(
        &[
            "check",
            ".",
            "--live",
            "--live-probes",
            "well-behaved",
            "--metrics-port",
            "0",
            "--format",
            "sarif",
        ],
        dir.path(),
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v["runs"][0]["properties"]["live"]["agents"].is_array());
}

/// A live finding anchored at a setting (OC404 at `auto-destroy: false`)
/// carries that setting's pointer, which holds the agent's name: a secret
/// used as the name is redacted there as in every static finding, in JSON
/// and SARIF (issue 17: every string that leaves the process).
#[cfg(target_os = "linux")]
#[test]
fn live_findings_pass_the_redaction_gate() {
    let t = ["gh", "p_", &common::alnum(4242, 40)].concat();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("openclaw.json"), keeper_profile(&t)).unwrap();
    for format in ["json", "sarif"] {
        let o = clawcheck(
            &live_args(
                "openclaw.json",
                "scratch-writer,sleeper",
                &["--verbose", "--format", format],
            ),
            dir.path(),
        );
        let out = String::from_utf8_lossy(&o.stdout);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(out.contains("OC404"), "{out}");
        assert!(out.contains("/auto-destroy"), "{out}");
        assert!(
            !out.contains(&t) && !err.contains(&t),
            "{format} shows the planted secret:\n{out}\n{err}"
        );
    }
}
