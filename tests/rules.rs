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
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
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
