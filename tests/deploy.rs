//! The deployment rules (OC501–OC512) end to end: each directory under
//! tests/fixtures/deploy/ is a small repository (a config, Compose,
//! Kubernetes or systemd files, `.env`, Prometheus files) whose `EXPECT` file
//! lists every OC5xx finding, its place and the places it names.

mod common;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn cases() -> Vec<PathBuf> {
    let dir = common::repo("tests/fixtures/deploy");
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    v.sort();
    v
}

/// `RULE FILE:LINE:COL [-> RELATED:LINE:COL ...]`, paths relative to the case.
fn findings(case: &Path) -> Vec<String> {
    let report = common::check_paths(vec![case.to_path_buf()]);
    let prefix = format!(
        "{}/",
        clawcheck::discover::display_path(case, &std::env::current_dir().unwrap())
    );
    let rel = |p: &str| p.strip_prefix(&prefix).unwrap_or(p).to_string();
    report
        .findings
        .iter()
        .filter(|f| f.rule.starts_with("OC5"))
        .map(|f| {
            let mut s = format!(
                "{} {}:{}:{}",
                f.rule,
                rel(&f.path),
                f.start.line,
                f.start.column
            );
            for r in &f.places {
                s.push_str(&format!(" -> {}:{}:{}", rel(&r.path), r.line, r.column));
            }
            s
        })
        .collect()
}

fn expected(case: &Path) -> Vec<String> {
    std::fs::read_to_string(case.join("EXPECT"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && *l != "none" && !l.trim().is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn fixtures_give_exactly_the_expected_findings() {
    let mut failures = Vec::new();
    for case in cases() {
        let mut got = findings(&case);
        let mut want = expected(&case);
        got.sort();
        want.sort();
        if got != want {
            failures.push(format!(
                "{}:\n  want {want:#?}\n  got  {got:#?}",
                case.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every deployment rule fires in a fixture of each platform it applies to,
/// and that platform's passing fixture has none of it.
#[test]
fn every_rule_fires_and_passes_on_each_platform() {
    let kinds: &[(&str, &str, &[&str])] = &[
        (
            "compose",
            "docker-compose.yml",
            &[
                "OC501", "OC502", "OC503", "OC504", "OC505", "OC506", "OC507", "OC508", "OC509",
                "OC510", "OC511",
            ],
        ),
        (
            "kubernetes",
            "rendered.yaml",
            &[
                "OC501", "OC502", "OC503", "OC504", "OC505", "OC506", "OC507", "OC508", "OC509",
                "OC510",
            ],
        ),
        (
            "systemd",
            "openclaw-gateway.service",
            &["OC501", "OC502", "OC503", "OC509", "OC510"],
        ),
        ("prometheus", "prometheus.yml", &["OC512"]),
    ];
    let root = common::repo("tests/fixtures/deploy");
    let mut covered = BTreeSet::new();
    for (platform, _, rules) in kinds {
        let fires = expected(&root.join(format!("{platform}.fires")));
        for rule in *rules {
            assert!(
                fires.iter().any(|l| l.starts_with(&format!("{rule} "))),
                "{platform}.fires does not fire {rule}"
            );
            covered.insert(rule.to_string());
        }
    }
    for platform in ["compose", "kubernetes", "systemd"] {
        assert!(
            expected(&root.join(format!("{platform}.passes"))).is_empty(),
            "{platform}.passes expects findings"
        );
    }
    // compose.passes has a prometheus.yml with a gateway job and an alert per
    // declared metric: the passing case of OC511 and OC512.
    assert!(root.join("compose.passes/prometheus.yml").is_file());
    let all: BTreeSet<String> = clawcheck::rules::all()
        .iter()
        .filter(|r| r.id.starts_with("OC5"))
        .map(|r| r.id.to_string())
        .collect();
    assert_eq!(covered, all, "every OC5xx rule has a firing fixture");
}

/// The effective-posture merge: the config says loopback, the Compose file
/// runs `--bind ${OPENCLAW_GATEWAY_BIND:-lan}`; one finding, at the override,
/// naming the config setting.
#[test]
fn config_loopback_compose_lan_is_one_finding_naming_both() {
    let case = common::repo("tests/fixtures/deploy/compose.fires");
    let report = common::check_paths(vec![case]);
    let oc502: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule == "OC502")
        .collect();
    assert_eq!(oc502.len(), 1, "{oc502:#?}");
    let f = oc502[0];
    assert!(f.path.ends_with("compose.fires/docker-compose.yml"));
    assert_eq!((f.start.line, f.start.column), (27, 9));
    assert!(
        f.message
            .contains("`--bind lan` overrides `gateway.bind: loopback`"),
        "{}",
        f.message
    );
    assert!(
        f.message
            .contains("compose.fires/openclaw/openclaw.json:5:5"),
        "{}",
        f.message
    );
    assert_eq!(f.places.len(), 1);
    assert!(f.places[0]
        .path
        .ends_with("compose.fires/openclaw/openclaw.json"));
    assert_eq!((f.places[0].line, f.places[0].column), (5, 5));
}

#[test]
fn a_tracked_env_file_fires_and_an_ignored_one_does_not() {
    let root = common::repo("tests/fixtures/deploy");
    let tracked = common::check_paths(vec![root.join("compose.fires")]);
    assert!(tracked
        .findings
        .iter()
        .any(|f| f.rule == "OC503" && f.path.ends_with("compose.fires/.env")));
    // Walking the tree: the ignored .env is never read.
    let ignored = common::check_paths(vec![root.join("compose.passes")]);
    assert!(!ignored.findings.iter().any(|f| f.path.ends_with(".env")));
    // Named on the command line (a pre-commit hook): skipped, and it says why.
    let explicit = common::check_paths(vec![root.join("compose.passes/.env")]);
    assert!(
        !explicit.findings.iter().any(|f| f.rule == "OC503"),
        "{:#?}",
        explicit.findings
    );
    assert!(
        explicit
            .skipped
            .iter()
            .any(|s| s.reason.contains("ignored by .gitignore")),
        "{:#?}",
        explicit.skipped
    );
}

/// `clawcheck check` on a repository with a config, a Compose file and a
/// prometheus.yml reports them together in every format, never with a
/// literal credential in clear.
#[test]
fn every_format_reports_config_compose_and_prometheus_together() {
    let case = common::repo("tests/fixtures/deploy/compose.fires");
    let secrets = [
        "fixture-literal-not-a-secret-0001",
        "fixture-literal-not-a-secret-0002",
    ];
    for format in [
        "human", "json", "sarif", "github", "junit", "markdown", "html", "oscal",
    ] {
        let o = common::clawcheck(&["check", ".", "--format", format], &case);
        assert_eq!(o.status.code(), Some(1), "{format}: {}", common::stderr(&o));
        let out = common::stdout(&o);
        for needle in [
            "OC501",
            "OC502",
            "OC511",
            "docker-compose.yml",
            "prometheus.yml",
            "openclaw.json",
        ] {
            assert!(out.contains(needle), "{format} output lacks {needle}");
        }
        for s in secrets {
            assert!(
                !out.contains(s),
                "{format} output holds a literal credential"
            );
        }
        match format {
            "sarif" => {
                let doc: Value = serde_json::from_str(&out).unwrap();
                common::schemas::assert_valid_sarif(&doc);
                let r = doc["runs"][0]["results"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|r| r["ruleId"] == "OC502")
                    .unwrap();
                let rel = &r["relatedLocations"][0]["physicalLocation"];
                assert_eq!(rel["artifactLocation"]["uri"], "openclaw/openclaw.json");
                assert_eq!(rel["region"]["startLine"], 5);
            }
            "oscal" => common::schemas::assert_valid_oscal(&serde_json::from_str(&out).unwrap()),
            "json" => {
                let doc: Value = serde_json::from_str(&out).unwrap();
                let f = doc["findings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|f| f["rule"] == "OC501")
                    .unwrap();
                assert_eq!(f["places"][0]["path"], "openclaw/openclaw.json");
            }
            _ => {}
        }
    }
}

#[test]
fn hostile_yaml_is_a_finding_with_a_place_never_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    // An alias bomb: 10^9 values once expanded.
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 0..9 {
        let prev = if i == 0 {
            "a".to_string()
        } else {
            format!("b{}", i - 1)
        };
        let refs = vec![format!("*{prev}"); 10].join(", ");
        bomb.push_str(&format!("b{i}: &b{i} [{refs}]\n"));
    }
    std::fs::write(dir.path().join("docker-compose.yml"), &bomb).unwrap();
    std::fs::write(
        dir.path().join("compose.deep.yml"),
        format!("services: {}1{}\n", "[".repeat(5000), "]".repeat(5000)),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("docker-compose.broken.yml"),
        "services:\n  gw: [1, 2\n",
    )
    .unwrap();
    let report = common::check_paths(vec![dir.path().to_path_buf()]);
    let oc001: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule == "OC001")
        .collect();
    assert_eq!(oc001.len(), 3, "{oc001:#?}");
    let bomb_finding = oc001
        .iter()
        .find(|f| f.path.ends_with("docker-compose.yml"))
        .unwrap();
    assert!(
        bomb_finding.message.contains("alias"),
        "{}",
        bomb_finding.message
    );
    assert!(bomb_finding.start.line > 1);
    // Over the size limit and named like a deployment file: OC002, not parsed.
    let big = dir.path().join("big");
    std::fs::create_dir(&big).unwrap();
    let mut text = String::from("services:\n");
    while (text.len() as u64) <= clawcheck::deploy::MAX_DEPLOY_BYTES {
        text.push_str("  # padding padding padding padding padding padding padding padding\n");
    }
    std::fs::write(big.join("docker-compose.yml"), text).unwrap();
    let report = common::check_paths(vec![big]);
    assert!(report.findings.iter().any(|f| f.rule == "OC002"));
}

#[test]
fn inline_directives_in_deployment_files_suppress_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("docker-compose.yml"),
        "services:\n  # clawcheck:allow OC509 limits are set by the orchestrator (OPS-12)\n  openclaw-gateway:\n    image: ghcr.io/openclaw/openclaw:2026.9.6\n    privileged: true # clawcheck:allow OC505\n",
    )
    .unwrap();
    let report = common::check_paths(vec![dir.path().to_path_buf()]);
    let rules: Vec<&str> = report.findings.iter().map(|f| f.rule.as_str()).collect();
    assert!(!rules.contains(&"OC509"), "{rules:?}");
    // A directive without a reason suppresses nothing (OC004).
    assert!(
        rules.contains(&"OC505") && rules.contains(&"OC004"),
        "{rules:?}"
    );
    assert!(report
        .suppressed
        .iter()
        .any(|s| s.finding.rule == "OC509" && s.reason.contains("OPS-12")));
}

#[test]
fn reports_are_byte_identical_whatever_the_thread_count() {
    let root = common::repo("tests/fixtures/deploy");
    let run = |threads: &str| {
        let o = common::clawcheck(
            &["check", ".", "--format", "sarif", "--threads", threads],
            &root,
        );
        o.stdout
    };
    let one = run("1");
    assert!(!one.is_empty());
    assert_eq!(one, run("4"));
}
