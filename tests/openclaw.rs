//! Real OpenClaw configs: every example in tests/fixtures/openclaw gives
//! exactly the (rule, line) set its `.expected.md` lists; invalid JSON5, a
//! config of an unknown future version and a wrapped config behave sensibly.

mod common;
use clawcheck::config::Settings;
use clawcheck::engine::{self, CheckOptions, Report};
use clawcheck::finding::Severity;
use clawcheck::normalise::Dialect;
use common::check_file as check;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn run(paths: Vec<PathBuf>, settings: Settings, dialect: Option<Dialect>) -> Report {
    engine::run(&CheckOptions {
        settings,
        dialect,
        ..CheckOptions::new(paths)
    })
    .expect("check runs")
}

fn example(name: &str) -> PathBuf {
    common::repo("tests/fixtures/openclaw").join(name)
}

/// (file, dialect, expected (rule, line) set) — the lines and problems of each
/// `<name>.expected.md`; the rule ids are clawcheck's (docs/openclaw.md).
type Row = (&'static str, &'static str, Vec<(&'static str, usize)>);

fn table() -> Vec<Row> {
    vec![
        ("hardened.json5", "openclaw-2026.9", vec![]),
        (
            "lan-no-auth.json5",
            "openclaw-2026.9",
            vec![("OC233", 7), ("OC230", 8), ("OC232", 12)],
        ),
        (
            "plaintext-keys.json5",
            "openclaw-2026.9",
            vec![
                ("OC211", 10), // gateway.auth.password literal
                ("OC231", 10), // ... and 16 chars < 24
                // models.providers.openai.apiKey: the OpenAI key, one finding
                // (the literal-credential OC211 is folded into it)
                ("OC301", 17),
                ("OC303", 31), // the secret scanner: AWS access key id in env.vars
                ("OC326", 38), // channels.telegram.botToken: Telegram bot token, OC211 folded in
            ],
        ),
        (
            "unbounded-runs.json5",
            "openclaw-2026.9",
            vec![
                ("OC203", 14),
                ("OC203", 17),
                ("OC202", 18),
                ("OC202", 26),
                ("OC201", 32),
                ("OC201", 33),
                ("OC201", 34),
                ("OC220", 38),
            ],
        ),
        (
            "open-exec.json5",
            "openclaw-2026.9",
            vec![("OC241", 14), ("OC242", 28), ("OC239", 31), ("OC240", 36)],
        ),
        (
            "funnel-dangerous-ui.json5",
            "openclaw-2026.9",
            vec![
                ("OC238", 4),
                ("OC234", 12),
                ("OC235", 15),
                ("OC236", 16),
                ("OC237", 18),
            ],
        ),
        (
            "unresolved-refs.json5",
            "openclaw-2026.9",
            vec![("OC244", 20)],
        ),
        (
            "legacy-2026.2.json5",
            "openclaw-2026.2",
            vec![
                ("OC233", 8),
                ("OC211", 10),
                ("OC231", 10),
                ("OC243", 16),
                ("OC203", 21),
                ("OC203", 22),
                ("OC239", 31),
                ("OC201", 36),
                ("OC220", 42),
            ],
        ),
        (
            // The blog profile: the policy-profile dialect, plus OC103 (a note)
            // at the `openclaw` key that OpenClaw itself rejects, and OC222:
            // it declares secrets, and its monitoring section has no area for
            // their metrics.
            "invalid-blog-profile.json5",
            "policy-profile",
            vec![("OC103", 4), ("OC222", 21)],
        ),
    ]
}

#[test]
fn every_example_gives_exactly_its_expected_findings() {
    let mut failures = Vec::new();
    let files: BTreeSet<String> = std::fs::read_dir(example(""))
        .expect("examples directory")
        .filter_map(|e| {
            let n = e.ok()?.file_name().to_string_lossy().into_owned();
            n.ends_with(".json5").then_some(n)
        })
        .collect();
    let listed: BTreeSet<String> = table().iter().map(|t| t.0.to_string()).collect();
    assert_eq!(files, listed, "every example has a row in the table");
    for (name, dialect, want) in table() {
        let report = check(&example(name));
        assert_eq!(report.configs.len(), 1, "{name} is a config");
        assert_eq!(report.configs[0].dialect.as_str(), dialect, "{name}");
        let got: BTreeSet<(String, usize)> = report
            .findings
            .iter()
            .map(|f| (f.rule.clone(), f.start.line))
            .collect();
        let want: BTreeSet<(String, usize)> =
            want.iter().map(|(r, l)| (r.to_string(), *l)).collect();
        if got != want {
            let detail: Vec<String> = report
                .findings
                .iter()
                .map(|f| {
                    format!(
                        "    {}:{} {} {}",
                        f.start.line, f.start.column, f.rule, f.message
                    )
                })
                .collect();
            failures.push(format!(
                "{name}:\n  want {want:?}\n  got  {got:?}\n{}",
                detail.join("\n")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn hardened_is_silent_even_for_notes_and_the_blog_profile_is_clean_as_a_profile() {
    assert!(check(&example("hardened.json5")).findings.is_empty());
    let blog = check(&example("invalid-blog-profile.json5"));
    let blocking: Vec<_> = blog
        .findings
        .iter()
        .filter(|f| f.rule != "OC222" && f.severity >= Severity::Warning)
        .collect();
    assert!(blocking.is_empty(), "{blocking:#?}");
}

#[test]
fn messages_never_print_a_whole_secret_and_templates_are_not_secrets() {
    let report = check(&example("plaintext-keys.json5"));
    for f in &report.findings {
        for secret in [
            // split so that this source file holds no whole key (the repository is scanned too)
            concat!("sk-proj-Fq3xT9vLm2", "Rk8Wd1Yp5Zs7Hn4Jc6Gb0NeA2uQ8tV"),
            "hunter2-openclaw",
            concat!("7312345678:AAHf3kPz", "Qw9xVbN2mLr5TyU8iOp4sDgJk1E"),
        ] {
            assert!(!f.message.contains(secret), "{}", f.message);
        }
    }
    assert!(report
        .findings
        .iter()
        .any(|f| f.rule == "OC301" && f.message.contains("sk-proj-F…[48 chars]")));
    // `${VAR}` and SecretRefs are never literal credentials.
    for name in [
        "funnel-dangerous-ui.json5",
        "unresolved-refs.json5",
        "hardened.json5",
    ] {
        let r = check(&example(name));
        assert!(!r.findings.iter().any(|f| f.rule == "OC211"), "{name}");
    }
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn invalid_json5_is_one_oc001_at_its_position() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "openclaw.json",
        "{\n  gateway: {\n    bind: \"lan\",\n    port: 18789 18790,\n  },\n}\n",
    );
    let r = check(&p);
    assert_eq!(r.findings.len(), 1, "{:#?}", r.findings);
    assert_eq!(r.findings[0].rule, "OC001");
    assert_eq!(
        (r.findings[0].start.line, r.findings[0].start.column),
        (4, 16)
    );
    assert!(r.findings[0].message.contains("Expected comma"));
}

#[test]
fn a_future_version_warns_about_unknown_keys_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(example("hardened.json5"))
        .unwrap()
        .replacen(
            "{\n  gateway: {",
            "{\n  meta: { lastTouchedVersion: \"2027.3.1\" },\n  hologram: { enabled: true },\n  gateway: {\n    quantumAuth: true,",
            1,
        );
    let p = write(dir.path(), "openclaw.json", &text);
    let r = check(&p);
    assert_eq!(r.configs[0].dialect.as_str(), "openclaw-2026.9");
    let got: Vec<(&str, usize, &str)> = r
        .findings
        .iter()
        .map(|f| (f.rule.as_str(), f.start.line, f.message.as_str()))
        .collect();
    assert_eq!(got.len(), 2, "{got:#?}");
    assert!(got.iter().all(|(rule, _, _)| *rule == "OC102"));
    assert!(got[0].2.contains("`hologram`") && got[0].2.contains("2027.3.1"));
    assert_eq!(got[0].1, 4);
    assert!(got[1].2.contains("`quantumAuth`") && got[1].2.contains("`gateway`"));
    assert!(r.findings.iter().all(|f| f.severity == Severity::Warning));
}

#[test]
fn a_wrapped_real_config_is_checked_and_told_it_will_not_load() {
    let dir = tempfile::tempdir().unwrap();
    let inner = std::fs::read_to_string(example("lan-no-auth.json5")).unwrap();
    let p = write(
        dir.path(),
        "wrapped.json5",
        &format!(
            "{{ \"openclaw\": {} }}\n",
            inner.trim_start_matches(|c| c != '{')
        ),
    );
    let r = check(&p);
    assert_eq!(r.configs[0].dialect.as_str(), "openclaw-2026.9");
    let rules: BTreeSet<&str> = r.findings.iter().map(|f| f.rule.as_str()).collect();
    assert_eq!(
        rules,
        ["OC103", "OC230", "OC232", "OC233"].into_iter().collect()
    );
    let w = r.findings.iter().find(|f| f.rule == "OC103").unwrap();
    assert_eq!((w.severity, w.start.line), (Severity::Error, 1));
}

#[test]
fn forced_dialect_validates_against_that_version() {
    let r = run(
        vec![example("legacy-2026.2.json5")],
        Settings::default(),
        Some(Dialect::OpenClaw2026_9),
    );
    let schema: BTreeSet<(String, usize)> = r
        .findings
        .iter()
        .filter(|f| f.rule.starts_with("OC1"))
        .map(|f| (f.rule.clone(), f.start.line))
        .collect();
    // What `openclaw config validate` (2026.9.6) reports: three removed keys
    // (OC104, with their migration), the OTel protocol; plus `agents.list`,
    // which 2026.9.6 migrates in memory instead of rejecting (an OC102
    // warning, not an error).
    let want: BTreeSet<(String, usize)> = [
        ("OC104", 16),
        ("OC102", 25),
        ("OC104", 36),
        ("OC104", 39),
        ("OC101", 42),
    ]
    .iter()
    .map(|(r, l)| (r.to_string(), *l))
    .collect();
    assert_eq!(schema, want, "{:#?}", r.findings);
    let list = r.findings.iter().find(|f| f.rule == "OC102").unwrap();
    assert_eq!(list.severity, clawcheck::finding::Severity::Warning);
    assert!(r
        .findings
        .iter()
        .filter(|f| f.rule == "OC104")
        .all(|f| f.severity == clawcheck::finding::Severity::Error));
}

#[test]
fn rotation_comes_from_the_inventory_only_when_one_is_declared() {
    let inv = Settings::parse(
        "[[secrets.inventory]]\nref = \"env:default:OPENCLAW_GATEWAY_TOKEN\"\nrotation = \"weekly\"\n\
         [[secrets.inventory]]\nid = \"ANTHROPIC_API_KEY\"\nrotation = \"monthly\"\n",
        "clawcheck.toml",
    )
    .unwrap();
    let r = run(vec![example("hardened.json5")], inv, None);
    let got: Vec<(&str, usize)> = r
        .findings
        .iter()
        .map(|f| (f.rule.as_str(), f.start.line))
        .collect();
    // The token is rotated weekly; the Anthropic key monthly (too slow).
    assert_eq!(got, vec![("OC212", 24)], "{:#?}", r.findings);
    assert!(r.findings[0].message.contains("monthly"));
    let only_token = Settings::parse(
        "[[secrets.inventory]]\nref = \"env:default:OPENCLAW_GATEWAY_TOKEN\"\nrotation = \"daily\"\n",
        "clawcheck.toml",
    )
    .unwrap();
    let r = run(vec![example("hardened.json5")], only_token, None);
    assert_eq!(r.findings.len(), 1, "{:#?}", r.findings);
    assert_eq!(r.findings[0].severity, Severity::Warning);
    assert!(r.findings[0]
        .message
        .contains("env:default:ANTHROPIC_API_KEY"));
}

#[test]
fn many_real_configs_compile_the_schema_once() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(example("open-exec.json5")).unwrap();
    let paths: Vec<PathBuf> = (0..200)
        .map(|i| write(dir.path(), &format!("c{i}.openclaw.json"), &text))
        .collect();
    let start = std::time::Instant::now();
    let r = run(vec![dir.path().to_path_buf()], Settings::default(), None);
    assert_eq!(r.configs.len(), paths.len());
    assert_eq!(r.findings.len(), 4 * paths.len());
    // Generous even for a debug build on a loaded machine.
    assert!(start.elapsed().as_secs() < 60, "{:?}", start.elapsed());
}

/// One pasted key is one finding: the OpenAI key in a provider's `apiKey` is
/// OC301 at the value, naming the field, with OC211 as related information
/// (JSON `related`, SARIF `relatedLocations`); the underline covers what is
/// shown (the redaction), and a directive, waiver or baseline entry naming
/// either rule applies to it.
#[test]
fn a_pasted_key_is_one_finding_with_the_other_rule_related() {
    let dir = tempfile::tempdir().unwrap();
    let key = concat!("sk-proj-Fq3xT9vLm2", "Rk8Wd1Yp5Zs7Hn4Jc6Gb0NeA2uQ8tV");
    let cfg = |comment: &str| {
        format!(
            "{{\n  models: {{\n    providers: {{\n      openai: {{\n{comment}        apiKey: \"{key}\",\n      }},\n    }},\n  }},\n}}\n"
        )
    };
    std::fs::write(dir.path().join("openclaw.json5"), cfg("")).unwrap();
    let run = |args: &[&str]| {
        let o = common::clawcheck(
            &[&["check", "openclaw.json5"][..], args].concat(),
            dir.path(),
        );
        (o.status.code(), common::stdout(&o))
    };
    // the findings at the key's line (the config has others: no timeouts, no monitoring)
    let at_key = |v: &serde_json::Value| -> Vec<serde_json::Value> {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["line"] == 5)
            .cloned()
            .collect()
    };
    let (code, out) = run(&["--format", "json"]);
    assert_eq!(code, Some(1));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let found = at_key(&v);
    assert_eq!(found.len(), 1, "{v}");
    let f = &found[0];
    assert_eq!(f["rule"], "OC301");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(5), Some(18))
    );
    assert_eq!(f["pointer"], "/models/providers/openai/apiKey");
    let msg = f["message"].as_str().unwrap();
    assert!(
        msg.contains("in the credential field `models.providers.openai.apiKey`"),
        "{msg}"
    );
    assert!(!msg.contains(key), "{msg}");
    assert_eq!(f["related"][0]["rule"], "OC211", "{v}");
    assert_eq!(f["related"][0]["line"], 5);

    let (_, sarif) = run(&["--format", "sarif"]);
    let log: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let results: Vec<&serde_json::Value> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["locations"][0]["physicalLocation"]["region"]["startLine"] == 5)
        .collect();
    assert_eq!(results.len(), 1);
    assert_eq!(results[0]["ruleId"], "OC301");
    let rel = &results[0]["relatedLocations"][0];
    assert_eq!(rel["properties"]["ruleId"], "OC211", "{sarif}");
    assert!(rel["message"]["text"]
        .as_str()
        .unwrap()
        .starts_with("OC211: literal credential"));
    common::schemas::assert_valid_sarif(&log);

    // human: the caret is under the redacted key, as long as it
    let (_, human) = run(&["--color", "never"]);
    let lines: Vec<&str> = human.lines().collect();
    let shown = lines
        .iter()
        .position(|l| l.contains("apiKey: \"sk-proj-"))
        .unwrap();
    let evidence = "sk-proj-F…[48 chars]";
    let col = lines[shown].find(evidence).unwrap();
    let caret = lines[shown + 1];
    assert_eq!(caret.find('^'), Some(col), "{human}");
    assert_eq!(
        caret.trim_end().len() - col,
        evidence.chars().count(),
        "{human}"
    );
    assert!(human.contains("  = also OC211 "), "{human}");

    // suppressed by a directive for either rule
    for rule in ["OC211", "oc301"] {
        let comment = format!("        // clawcheck:allow {rule} rotated, see SEC-7\n");
        std::fs::write(dir.path().join("openclaw.json5"), cfg(&comment)).unwrap();
        let (_, out) = run(&["--format", "json"]);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert!(at_key(&v).is_empty(), "{rule}: {v}");
        assert_eq!(v["suppressed"][0]["rule"], "OC301", "{v}");
    }
    // ... by a waiver for either rule
    std::fs::write(dir.path().join("openclaw.json5"), cfg("")).unwrap();
    for rule in ["OC211", "OC301"] {
        std::fs::write(
            dir.path().join("clawcheck.toml"),
            format!("[[waivers]]\nrule = \"{rule}\"\nreason = \"rotated, see SEC-7\"\n"),
        )
        .unwrap();
        let (_, out) = run(&["--format", "json"]);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert!(at_key(&v).is_empty(), "{rule}: {v}");
        assert_eq!(v["suppressed"][0]["kind"], "waiver", "{v}");
    }
    std::fs::remove_file(dir.path().join("clawcheck.toml")).unwrap();
    // ... and by a baseline recorded with only one of the checks
    for only in ["config", "secrets"] {
        let o = common::clawcheck(
            &[
                "baseline",
                "openclaw.json5",
                "--only",
                only,
                "-o",
                "base.json",
            ],
            dir.path(),
        );
        assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
        let (_, out) = run(&["--format", "json", "--baseline", "base.json"]);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert!(at_key(&v).is_empty(), "--only {only}: {v}");
        assert_eq!(v["baseline"]["fixed"], serde_json::json!([]), "{v}");
    }
}
