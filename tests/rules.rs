//! Every rule has a fixture that fires (rule, line and column asserted) and
//! one that does not; every registry example fires (bad) or not (good).

mod common;
use clawcheck::finding::Severity;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn check(path: &Path) -> Vec<(String, usize, usize)> {
    let report = common::check_file(path);
    // Notes (e.g. OC220 "no monitoring section") only count in their own rule's fixtures.
    let own = path
        .file_name()
        .unwrap()
        .to_string_lossy()
        .split('.')
        .next()
        .unwrap()
        .to_string();
    report
        .findings
        .iter()
        .filter(|f| f.severity > Severity::Note || f.rule == own || !own.starts_with("OC"))
        .map(|f| (f.rule.clone(), f.start.line, f.start.column))
        .collect()
}

/// Parses `// expect: OC203 8:7, OC204 3:5` or `// expect: none`.
fn expected(path: &Path) -> BTreeSet<(String, usize, usize)> {
    let text = std::fs::read_to_string(path).unwrap();
    let line = text.lines().next().unwrap();
    let spec = line
        .strip_prefix("// expect:")
        .unwrap_or_else(|| panic!("{}: first line must be `// expect: ...`", path.display()))
        .trim();
    if spec == "none" {
        return BTreeSet::new();
    }
    spec.split(',')
        .map(|item| {
            let (rule, pos) = item.trim().split_once(' ').unwrap();
            let (l, c) = pos.split_once(':').unwrap();
            (rule.to_string(), l.parse().unwrap(), c.parse().unwrap())
        })
        .collect()
}

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules");
    // Directories hold files the fixtures include (`OC105.d/`).
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    v.sort();
    v
}

#[test]
fn fixtures_give_exactly_the_expected_findings() {
    let mut failures = Vec::new();
    for f in fixtures() {
        let got: BTreeSet<_> = check(&f).into_iter().collect();
        let want = expected(&f);
        if got != want {
            failures.push(format!("{}:\n  want {want:?}\n  got  {got:?}", f.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_config_rule_has_a_firing_and_a_passing_fixture() {
    let names: BTreeSet<String> = fixtures()
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    for r in clawcheck::rules::all() {
        // OC002 needs an unreadable file: tested in tests/cli.rs. Secret, live
        // and deployment (tests/deploy.rs) rules have their own suites.
        if r.id == "OC002"
            || ["OC004", "OC005", "OC006"].contains(&r.id)
            || r.id.starts_with("OC3")
            || r.id.starts_with("OC4")
            || r.id.starts_with("OC5")
        {
            continue;
        }
        for kind in ["fires", "passes"] {
            let name = format!("{}.{kind}.openclaw.json", r.id);
            assert!(names.contains(&name), "missing fixture {name}");
        }
        let fires = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("tests/fixtures/rules/{}.fires.openclaw.json", r.id));
        assert!(
            expected(&fires).iter().any(|(id, _, _)| id == r.id),
            "{}: the firing fixture does not expect {}",
            fires.display(),
            r.id
        );
    }
}

#[test]
fn registry_examples_fire_and_pass() {
    let dir = tempfile::tempdir().unwrap();
    for r in clawcheck::rules::all() {
        // Secret (OC3xx) and live (OC4xx) rules are exercised by their own suites.
        if r.id == "OC005" /* a clawcheck.toml example: tests/suppress.rs */ || !r.bad.trim_start().starts_with(['{', '['])
            || r.id.starts_with("OC3")
            || r.id.starts_with("OC4")
        {
            continue;
        }
        let bad = dir.path().join(format!("{}.bad.openclaw.json", r.id));
        std::fs::write(&bad, r.bad).unwrap();
        assert!(
            check(&bad).iter().any(|(id, _, _)| id == r.id),
            "{}: bad example does not fire",
            r.id
        );
        let good = dir.path().join(format!("{}.good.openclaw.json", r.id));
        std::fs::write(&good, r.good).unwrap();
        assert!(
            !check(&good).iter().any(|(id, _, _)| id == r.id),
            "{}: good example fires",
            r.id
        );
    }
}

/// One rule, one place: every policy rule's id is reported by exactly one
/// policy file, `policies/<area>/<ID>.rego`, with its metadata (`<ID>.toml`)
/// and its tests (`<ID>_test.rego`) beside it.
#[test]
fn each_policy_rule_lives_in_exactly_one_rego_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies");
    let mut files = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "rego")
                && !p.to_string_lossy().ends_with("_test.rego")
            {
                files.push(p);
            }
        }
    }
    let id = regex::Regex::new(r#""rule":\s*"(OC\d+)""#).unwrap();
    let mut homes: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        for c in id.captures_iter(&text) {
            let list = homes.entry(c[1].to_string()).or_default();
            let name = f.strip_prefix(&root).unwrap().display().to_string();
            if !list.contains(&name) {
                list.push(name);
            }
        }
    }
    assert!(homes.len() > 20, "{homes:?}");
    for (rule, list) in &homes {
        assert_eq!(list.len(), 1, "{rule} is reported by {list:?}");
        let file = Path::new(&list[0]);
        assert_eq!(
            file.file_stem().unwrap().to_string_lossy(),
            rule.as_str(),
            "{rule} lives in {}",
            list[0]
        );
        let dir = root.join(file.parent().unwrap());
        for sibling in [format!("{rule}.toml"), format!("{rule}_test.rego")] {
            assert!(
                dir.join(&sibling).is_file(),
                "{rule}: {sibling} missing beside it"
            );
        }
    }
}

/// A rule that judges both dialects gives a real config advice in its own
/// keys (`[openclaw]` in the metadata); that advice's bad example fires, its
/// good one does not and is valid for OpenClaw 2026.9 (no OC101, OC102, OC104).
#[test]
fn real_config_advice_fires_passes_and_validates() {
    let dir = tempfile::tempdir().unwrap();
    let policies = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies");
    let mut both = Vec::new();
    for area in std::fs::read_dir(&policies).unwrap() {
        for f in std::fs::read_dir(area.unwrap().path()).unwrap() {
            let p = f.unwrap().path();
            // deployment rules (policies/deploy) judge no config dialect
            if p.extension().is_some_and(|e| e == "toml") && !p.starts_with(policies.join("deploy"))
            {
                let t: toml::Value = toml::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
                let d = t
                    .get("dialects")
                    .and_then(|d| d.as_array())
                    .map(|d| d.len());
                if d.is_none() || d == Some(2) {
                    both.push(t["id"].as_str().unwrap().to_string());
                }
            }
        }
    }
    both.sort();
    assert_eq!(both, ["OC201", "OC202", "OC203", "OC211", "OC212", "OC220"]);
    for id in &both {
        let r = clawcheck::rules::get(id).unwrap();
        let a = r
            .openclaw
            .unwrap_or_else(|| panic!("{id}: no [openclaw] advice"));
        if !a.bad.trim_start().starts_with('{') {
            // OC212's advice is a clawcheck.toml inventory.
            assert_eq!(id, "OC212");
            real_rotation_advice(a.bad, a.good);
            continue;
        }
        let bad = dir.path().join(format!("{id}.real-bad.openclaw.json"));
        std::fs::write(&bad, a.bad).unwrap();
        let got = check(&bad);
        assert!(
            got.iter().any(|(r, _, _)| r == id),
            "{id}: real bad example does not fire: {got:?}"
        );
        let good = dir.path().join(format!("{id}.real-good.openclaw.json"));
        std::fs::write(&good, a.good).unwrap();
        let report = common::check_file(&good);
        assert_eq!(
            report.configs[0].dialect,
            clawcheck::normalise::Dialect::OpenClaw2026_9,
            "{id}"
        );
        let got: Vec<_> = report
            .findings
            .iter()
            .map(|f| (f.rule.as_str(), f.message.as_str()))
            .collect();
        assert!(
            !got.iter()
                .any(|(r, _)| r == id || ["OC101", "OC102", "OC104"].contains(r)),
            "{id}: real good example: {got:?}"
        );
    }
}

/// The advice a real config gets (its rule's `[openclaw]` advice, or the help
/// of a real-config-only rule) never names a key only the policy profile has:
/// OpenClaw rejects them.
#[test]
fn real_config_help_never_names_a_profile_only_key() {
    let profile_only = regex::Regex::new(
        r#"thread-bound|auto-destroy|max-concurrent|max-duration|"runtime"\s*:\s*"(session|shared)|"?provider"?\s*:\s*"(external|inline)"|[`"]timeout[`"]|\btimeout\s*:|[`"]monitoring[`"]|\bmonitoring\s*:|a `?monitoring`? section"#,
    )
    .unwrap();
    let mut checked = 0;
    for r in clawcheck::rules::all() {
        if !(r.real_config_only || r.openclaw.is_some()) {
            continue;
        }
        let a = r.advice(true);
        for (what, text) in [("help", a.help), ("bad", a.bad), ("good", a.good)] {
            assert!(
                !profile_only.is_match(text),
                "{} real-config {what} names a profile-only key: {text}",
                r.id
            );
        }
        checked += 1;
    }
    assert!(checked >= 30, "{checked}");
    // and the profile's advice does name them (the pattern is not vacuous)
    let r = clawcheck::rules::get("OC201").unwrap();
    assert!(profile_only.is_match(r.advice(false).help));
    assert!(profile_only.is_match(clawcheck::rules::get("OC220").unwrap().advice(false).help));
}

/// OC212's real-config advice is an inventory in clawcheck.toml: the bad one
/// fires on a config referencing the secret, the good one does not.
fn real_rotation_advice(bad: &str, good: &str) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("openclaw.json"),
        "{ gateway: { auth: { mode: \"token\", token: \"${OPENCLAW_GATEWAY_TOKEN}\" } } }",
    )
    .unwrap();
    let oc212 = |toml: &str| {
        std::fs::write(dir.path().join("clawcheck.toml"), toml).unwrap();
        let o = common::clawcheck(&["check", "openclaw.json", "--format", "json"], dir.path());
        let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "OC212")
    };
    assert!(oc212(bad), "OC212 real bad example does not fire");
    assert!(!oc212(good), "OC212 real good example fires");
}

/// A finding in a real config shows the real-config help (human, HTML), one
/// in a policy profile the profile's; SARIF's rule help carries both, and
/// `explain` prints both.
#[test]
fn advice_follows_the_dialect_of_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir_all(p.join("inc")).unwrap();
    std::fs::write(
        p.join("inc/openclaw.json"),
        "{ \"$include\": \"./agents.json5\", gateway: { bind: \"loopback\" } }",
    )
    .unwrap();
    // The finding sits in the included file: still a real config's.
    std::fs::write(
        p.join("inc/agents.json5"),
        "{ agents: { defaults: { timeoutSeconds: 0 } } }",
    )
    .unwrap();
    std::fs::write(
        p.join("profile.openclaw.json"),
        "{ \"agents\": { \"payments\": { \"runtime\": \"thread-bound\", \"auto-destroy\": true } } }",
    )
    .unwrap();
    let real = clawcheck::rules::get("OC203")
        .unwrap()
        .openclaw
        .unwrap()
        .help;
    let profile = clawcheck::rules::get("OC203").unwrap().help;
    let human = common::stdout(&common::clawcheck(&["check", "."], p));
    let block = |file: &str| -> String {
        human
            .split("\n\n")
            .filter(|b| b.contains(file) && b.contains("OC203"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(block("inc/agents.json5").contains(real), "{human}");
    assert!(!block("inc/agents.json5").contains(profile), "{human}");
    assert!(block("profile.openclaw.json").contains(profile), "{human}");
    let html = common::stdout(&common::clawcheck(&["check", ".", "--format", "html"], p));
    assert!(
        html.contains(&clawcheck::report::html::prose(real)),
        "real help missing from HTML"
    );
    let sarif: serde_json::Value =
        serde_json::from_slice(&common::clawcheck(&["check", ".", "--format", "sarif"], p).stdout)
            .unwrap();
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let oc203 = rules.iter().find(|r| r["id"] == "OC203").unwrap();
    let text = oc203["help"]["text"].as_str().unwrap();
    assert!(text.contains(real) && text.contains(profile), "{text}");
    let explain = common::stdout(&common::clawcheck(&["explain", "OC203"], p));
    assert!(
        explain.contains(real) && explain.contains(profile),
        "{explain}"
    );
}
