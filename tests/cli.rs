//! The binary: subcommands, exit codes, bad input, output files, determinism.

mod common;
use common::{clawcheck, root, stderr, stdout};
use std::collections::BTreeSet;

/// (And tests/cmd/: `check` exits 0 on a clean profile, 1 on examples/, 0
/// with `--fail-on never`, 2 on usage errors.)
#[test]
fn exit_codes_follow_fail_on() {
    // warnings only → passes with --fail-on error
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("openclaw.json"),
        r#"{"secrets": {"a": {"provider": "external", "source": "nowhere", "rotation": "daily"}}}"#,
    )
    .unwrap();
    let d = dir.path().to_str().unwrap();
    assert_eq!(clawcheck(&["check", d], root()).status.code(), Some(1));
    assert_eq!(
        clawcheck(&["check", d, "--fail-on", "error"], root())
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn bad_settings_name_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("clawcheck.toml"),
        "[limits]\nsensitive_timeout_seconds = 60\nrotation = 7\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("openclaw.json"), "{}").unwrap();
    let o = clawcheck(&["check", "."], dir.path());
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("clawcheck.toml:3:1"), "{err}");
    assert!(err.contains("rotation"), "{err}");
    std::fs::write(
        dir.path().join("clawcheck.toml"),
        "[limits]\nrotation_max_days = \"weekly\"\n",
    )
    .unwrap();
    let o = clawcheck(&["check", "."], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("clawcheck.toml:2:"), "{}", stderr(&o));
}

#[test]
fn settings_change_the_limits() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("openclaw.json"), r#"{"agents": {"critical-tasks": {"runtime": "thread-bound", "auto-destroy": true, "timeout": 90}}}"#).unwrap();
    assert_eq!(
        clawcheck(&["check", "."], dir.path()).status.code(),
        Some(0)
    );
    std::fs::write(
        dir.path().join("clawcheck.toml"),
        "[limits]\nsensitive_timeout_seconds = 60\n",
    )
    .unwrap();
    let o = clawcheck(&["check", "."], dir.path());
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("over the limit of 60s"),
        "{}",
        stdout(&o)
    );
    std::fs::write(
        dir.path().join("clawcheck.toml"),
        "[limits]\nsensitive_timeout_seconds = 60\n[rules.OC203]\nseverity = \"off\"\n",
    )
    .unwrap();
    assert_eq!(
        clawcheck(&["check", "."], dir.path()).status.code(),
        Some(0)
    );
}

#[test]
fn bad_input_is_a_finding_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("empty.openclaw.json"), "").unwrap();
    std::fs::write(p.join("array.openclaw.json"), "[]").unwrap();
    let deep = format!("{{\"a\": {}{}}}", "[".repeat(1000), "]".repeat(1000));
    std::fs::write(p.join("deep.openclaw.json"), deep).unwrap();
    std::fs::create_dir(p.join("openclaw.json")).unwrap(); // a directory named like a config
    std::fs::write(p.join("openclaw.json").join("inner.txt"), "hello").unwrap();
    std::fs::write(p.join("latin1.openclaw.json"), b"{\"a\": \"caf\xe9\"}").unwrap();
    let o = clawcheck(&["check", ".", "--format", "json"], p);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let findings = v["findings"].as_array().unwrap();
    let find = |path: &str| {
        findings
            .iter()
            .find(|f| f["path"] == path)
            .unwrap_or_else(|| panic!("no finding for {path}: {findings:#?}"))
    };
    assert_eq!(find("empty.openclaw.json")["rule"], "OC001");
    assert!(find("empty.openclaw.json")["message"]
        .as_str()
        .unwrap()
        .contains("empty"));
    assert_eq!(find("array.openclaw.json")["rule"], "OC003");
    assert!(find("array.openclaw.json")["message"]
        .as_str()
        .unwrap()
        .contains("array"));
    assert_eq!(find("deep.openclaw.json")["rule"], "OC001");
    assert!(find("deep.openclaw.json")["message"]
        .as_str()
        .unwrap()
        .to_lowercase()
        .contains("nesting"));
    assert_eq!(find("latin1.openclaw.json")["rule"], "OC001");
    assert!(find("latin1.openclaw.json")["message"]
        .as_str()
        .unwrap()
        .contains("UTF-8"));
    assert_eq!(v["summary"]["files_scanned"], 5, "{:#}", v["summary"]);
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
}

#[cfg(unix)]
#[test]
fn fifo_is_reported_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("openclaw.json");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
    let o = clawcheck(&["check", ".", "--format", "json", "--verbose"], dir.path());
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["findings"][0]["rule"], "OC002");
    assert!(v["findings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("not a regular file"));
    assert!(
        stderr(&o).contains("skipped openclaw.json: not a regular file"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn rules_and_explain() {
    let o = clawcheck(&["rules"], root());
    assert_eq!(o.status.code(), Some(0));
    for r in clawcheck::rules::all() {
        assert!(stdout(&o).contains(r.id), "{} missing from `rules`", r.id);
    }
    // every title starts in the same column, long names included
    let out = stdout(&o);
    let columns: BTreeSet<usize> = clawcheck::rules::all()
        .iter()
        .map(|r| {
            let line = out.lines().find(|l| l.starts_with(r.id)).unwrap();
            line.find(r.title).unwrap()
        })
        .collect();
    assert_eq!(columns.len(), 1, "titles are not aligned:\n{out}");
    let o = clawcheck(&["rules", "--format", "json"], root());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), clawcheck::rules::all().len());
    let o = clawcheck(&["explain", "OC203"], root());
    assert_eq!(o.status.code(), Some(0));
    let t = stdout(&o);
    for part in [
        "OC203 sensitive-agent-timeout",
        "Why:",
        "Bad:",
        "Good:",
        "Fix:",
        "120",
    ] {
        assert!(t.contains(part), "explain lacks {part}: {t}");
    }
    assert_eq!(
        clawcheck(&["explain", "sensitive-agent-timeout"], root())
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn output_is_identical_across_runs_and_thread_counts() {
    let run = |threads: &str, fmt: &str| {
        clawcheck(
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
        )
        .stdout
    };
    for fmt in ["sarif", "json", "human"] {
        let one = run("1", fmt);
        assert!(!one.is_empty());
        assert_eq!(
            one,
            run("4", fmt),
            "{fmt} differs between --threads 1 and 4"
        );
        assert_eq!(one, run("1", fmt), "{fmt} differs between runs");
    }
}

/// A config with thousands of findings has them placed on every core
/// (`PLACE_IN_PARALLEL`), beside small configs on the same pool: the same
/// report for any thread count, and no worker waits on itself.
#[test]
fn a_huge_configs_findings_are_the_same_for_every_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let agents: serde_json::Map<String, serde_json::Value> = (0..2500)
        .map(|i| {
            (
                format!("critical-{i}"),
                serde_json::json!({"runtime": "shared", "auto-destroy": false, "timeout": 0}),
            )
        })
        .collect();
    let big = serde_json::json!({"openclaw": {"agents": agents}});
    std::fs::write(
        dir.path().join("big.openclaw.json"),
        serde_json::to_vec_pretty(&big).unwrap(),
    )
    .unwrap();
    for i in 0..6 {
        std::fs::copy(
            root().join("examples/insecure.openclaw.json"),
            dir.path().join(format!("small{i}.openclaw.json")),
        )
        .unwrap();
    }
    let run = |threads: &str| {
        let o = clawcheck(
            &["check", ".", "--format", "json", "--threads", threads],
            dir.path(),
        );
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        o.stdout
    };
    let one = run("1");
    let v: serde_json::Value = serde_json::from_slice(&one).unwrap();
    let big_findings = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["path"] == "big.openclaw.json")
        .count();
    assert!(big_findings >= 3 * 2500, "{big_findings}");
    assert!(one == run("2"), "--threads 1 and 2 differ");
    assert!(one == run("8"), "--threads 1 and 8 differ");
}

#[test]
fn output_file_is_written_whole() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.sarif");
    let o = clawcheck(
        &[
            "check",
            "examples/",
            "--format",
            "sarif",
            "-o",
            out.to_str().unwrap(),
        ],
        root(),
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "temporary files left: {leftovers:?}");
    // an unwritable destination is a tool error, not a partial file
    let o = clawcheck(
        &["check", "examples/", "-o", "/nonexistent-dir/x.sarif"],
        root(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("/nonexistent-dir/x.sarif"));
}

#[test]
fn gitignore_and_exclude_are_honoured_and_explicit_files_always_checked() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let bad = r#"{"agents": {"x": {"runtime": "shared"}}}"#;
    std::fs::create_dir_all(p.join("ignored")).unwrap();
    std::fs::create_dir_all(p.join("vendor")).unwrap();
    std::fs::write(p.join(".gitignore"), "ignored/\n").unwrap();
    std::fs::write(p.join("ignored/openclaw.json"), bad).unwrap();
    std::fs::write(p.join("vendor/openclaw.json"), bad).unwrap();
    std::fs::write(p.join("wrapped.json"), r#"{"openclaw": {"agents": {}}}"#).unwrap();
    std::fs::write(p.join("package.json"), r#"{"name": "x"}"#).unwrap();
    let o = clawcheck(
        &["check", ".", "--exclude", "vendor/", "--format", "json"],
        p,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let configs: Vec<&str> = v["configs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        configs,
        ["wrapped.json"],
        "a top-level `openclaw` key makes a config"
    );
    let o = clawcheck(&["check", "ignored/openclaw.json"], p);
    assert_eq!(
        o.status.code(),
        Some(1),
        "explicit files are always checked"
    );
}

/// The README's rule table is generated from the registry; this fails when it is stale.
#[test]
fn readme_rule_table_is_current() {
    let readme_path = root().join("README.md");
    let readme = std::fs::read_to_string(&readme_path).unwrap();
    let (head, rest) = readme
        .split_once("<!-- rules:start -->\n")
        .expect("README has the rules:start marker");
    let (_, tail) = rest
        .split_once("<!-- rules:end -->")
        .expect("README has the rules:end marker");
    let mut table = String::from(
        "| id | name | severity | what it finds | fix | NIST SP 800-53 |\n|---|---|---|---|---|---|\n",
    );
    for r in clawcheck::rules::all() {
        table.push_str(&format!(
            "| {} | `{}` | {} | {} | {} | {} |\n",
            r.id,
            r.name,
            r.severity,
            r.title,
            clawcheck::rules::fix_kinds(r.fix)
                .filter(|k| !k.is_empty())
                .map_or_else(|| "—".to_string(), |k| k.join(", ")),
            r.control_labels()
        ));
    }
    let want = format!("{head}<!-- rules:start -->\n{table}<!-- rules:end -->{tail}");
    if std::env::var_os("UPDATE_README").is_some() {
        std::fs::write(&readme_path, &want).unwrap();
    }
    assert!(
        readme == want,
        "README rule table is stale: run `UPDATE_README=1 cargo test --test cli readme`"
    );
}

#[test]
fn user_policies_add_rules() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir(p.join("pol")).unwrap();
    std::fs::write(
        p.join("pol/local.rego"),
        r#"package clawcheck.custom
import rego.v1

deny contains {"rule": "OC900", "pointer": a.runtime.pointer, "message": sprintf("agent `%s` uses a local model", [a.name]), "severity": "warning"} if {
	some a in input.posture.agents
	a.binding == "thread"
}
"#,
    )
    .unwrap();
    std::fs::write(p.join("openclaw.json"), "{\"agents\": {\"r\": {\n  \"runtime\": \"thread-bound\", \"auto-destroy\": true, \"timeout\": 60}}}").unwrap();
    let o = clawcheck(&["check", ".", "--policy", "pol", "--format", "sarif"], p);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    common::schemas::assert_valid_sarif(&v);
    let results = v["runs"][0]["results"].as_array().unwrap();
    let r = results
        .iter()
        .find(|r| r["ruleId"] == "OC900")
        .expect("user rule reported");
    assert_eq!(
        r["locations"][0]["physicalLocation"]["region"]["startLine"],
        2
    );
    let idx = r["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(v["runs"][0]["tool"]["driver"]["rules"][idx]["id"], "OC900");
    // a broken policy is a tool error naming the file
    std::fs::write(
        p.join("pol/broken.rego"),
        "package clawcheck.broken\ndeny contains x if {",
    )
    .unwrap();
    let o = clawcheck(&["check", ".", "--policy", "pol"], p);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("broken.rego"), "{}", stderr(&o));
}

/// Dogfooding: this repository holds no hardcoded secret, not even in rule
/// examples, snapshots or `rules`/`explain` output.
#[test]
fn the_repository_and_rule_docs_are_free_of_secrets() {
    // The one exception: the real-config fixture whose point is plaintext
    // keys (fake, in the providers' formats); tests/openclaw.rs checks that
    // each of them is found there.
    let o = clawcheck(
        &[
            "check",
            ".",
            "--only",
            "secrets",
            "--format",
            "json",
            "--exclude",
            "tests/fixtures/openclaw/plaintext-keys.json5",
        ],
        root(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        v["summary"]["files_scanned"].as_u64().unwrap() > 100,
        "the repository was scanned: {:#}",
        v["summary"]
    );
    let dir = tempfile::tempdir().unwrap();
    let mut docs = stdout(&clawcheck(&["rules", "--format", "json"], root()));
    for r in clawcheck::rules::all() {
        docs.push_str(&stdout(&clawcheck(&["explain", r.id], root())));
    }
    std::fs::write(dir.path().join("docs.txt"), docs).unwrap();
    let o = clawcheck(&["check", ".", "--only", "secrets"], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}

/// The README's "First run" shows real output: its first finding and its summary line.
#[test]
fn readme_first_run_matches_the_real_output() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let o = clawcheck(&["check", "examples/"], root());
    let out = stdout(&o);
    let head: Vec<&str> = out.lines().take(6).collect();
    for line in &head {
        assert!(
            readme.contains(line),
            "README first run lacks the real line:\n{line}"
        );
    }
    let summary = out.lines().last().unwrap();
    assert!(
        readme.contains(summary),
        "README first run lacks the summary line:\n{summary}"
    );
}

/// A user policy reads the whole document as `input.raw` (the built-in
/// policies do not, so the input carries it only when a user policy is
/// loaded); without `--policy` the same config has no such finding.
#[test]
fn a_user_policy_reads_the_raw_document() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir(p.join("pol")).unwrap();
    std::fs::write(
        p.join("pol/raw.rego"),
        "package custom.raw\nimport rego.v1\n\ndeny contains {\"rule\": \"OC902\", \"pointer\": \"/gateway/customBindHost\", \"message\": sprintf(\"bound to %s\", [input.raw.gateway.customBindHost])} if {\n\tinput.raw.gateway.customBindHost != \"127.0.0.1\"\n}\n",
    )
    .unwrap();
    std::fs::write(
        p.join("openclaw.json"),
        "{\n  gateway: { mode: \"local\", bind: \"custom\", customBindHost: \"10.1.2.3\" },\n}\n",
    )
    .unwrap();
    let o = clawcheck(
        &[
            "check",
            "openclaw.json",
            "--policy",
            "pol",
            "--format",
            "json",
            "--fail-on",
            "never",
        ],
        p,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let ours: Vec<_> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "OC902")
        .collect();
    assert_eq!(ours.len(), 1, "{v:#}");
    assert_eq!(ours[0]["message"], "bound to 10.1.2.3");
    assert_eq!(ours[0]["line"], 2);
}

/// A policy that fails on one file's input (a type error in a built-in call)
/// is an OC002 error on that file; the other files are still checked.
#[test]
fn a_policy_error_on_one_file_is_a_finding_not_an_aborted_run() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir(p.join("pol")).unwrap();
    std::fs::write(
        p.join("pol/strict.rego"),
        "package custom.strict\nimport rego.v1\n\ndeny contains {\"rule\": \"OC901\", \"pointer\": \"\", \"message\": \"x\"} if {\n\tlower(input.posture.agents[0].name) == \"never\"\n\tlower(input.raw_number) == \"x\"\n}\n\ndeny contains {\"rule\": \"OC901\", \"pointer\": \"\", \"message\": sprintf(\"%v\", [lower(input.posture.agents[0].auto_destroy.value)])} if {\n\tcount(input.posture.agents) > 0\n}\n",
    )
    .unwrap();
    // `lower(true)` is an evaluation error on a.openclaw.json only.
    std::fs::write(
        p.join("a.openclaw.json"),
        r#"{"agents": {"x": {"runtime": "thread-bound", "auto-destroy": true, "timeout": 60}}}"#,
    )
    .unwrap();
    std::fs::write(
        p.join("b.openclaw.json"),
        r#"{"agents": {"y": {"runtime": "shared", "auto-destroy": "yes"}}}"#,
    )
    .unwrap();
    let o = clawcheck(&["check", ".", "--policy", "pol", "--format", "json"], p);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let findings = v["findings"].as_array().unwrap();
    let oc002: Vec<_> = findings.iter().filter(|f| f["rule"] == "OC002").collect();
    assert_eq!(oc002.len(), 1, "{findings:#?}");
    assert_eq!(oc002[0]["path"], "a.openclaw.json");
    assert!(oc002[0]["message"]
        .as_str()
        .unwrap()
        .contains("cannot check a.openclaw.json"));
    assert!(
        findings
            .iter()
            .any(|f| f["path"] == "b.openclaw.json" && f["rule"] == "OC201"),
        "the other file was still checked: {findings:#?}"
    );
}

/// `--verbose` names the JSON and JSON5 files that were not judged as
/// configs, and why.
#[test]
fn verbose_lists_json_files_that_are_not_configs() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(
        p.join("package.json"),
        r#"{"name": "x", "version": "1.0.0"}"#,
    )
    .unwrap();
    std::fs::write(p.join("agents.json"), r#"{"agents": {}}"#).unwrap();
    std::fs::write(p.join("openclaw.json"), r#"{"agents": {}}"#).unwrap();
    let o = clawcheck(&["check", ".", "--verbose", "--fail-on", "never"], p);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("clawcheck: not a config: package.json: no OpenClaw top-level key"),
        "{err}"
    );
    assert!(err.contains("not a config: agents.json: "), "{err}");
    assert!(!err.contains("not a config: openclaw.json"), "{err}");
    // named on the command line, a `.json` file is a config only with OpenClaw keys
    let o = clawcheck(
        &[
            "check",
            "package.json",
            "agents.json",
            "--verbose",
            "--only",
            "config",
        ],
        p,
    );
    let err = stderr(&o);
    assert!(
        err.contains("not a config: package.json: no OpenClaw top-level key"),
        "{err}"
    );
    assert!(err.contains(": not checked"), "{err}");
    assert!(!err.contains("not a config: agents.json"), "{err}");
}

/// An inner object that misses its `}` is reported where it opened, not at
/// the top of the file.
#[test]
fn an_unclosed_inner_object_is_oc001_where_it_opened() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("openclaw.json5"),
        "// laptop\n{\n  gateway: {\n    auth: {\n      mode: 'token',\n  },\n}\n",
    )
    .unwrap();
    let o = clawcheck(&["check", "openclaw.json5", "--color", "never"], dir.path());
    let out = stdout(&o);
    assert!(
        out.contains("openclaw.json5:4:11: error[OC001] cannot parse openclaw.json5: Unterminated object: the object opened here is not closed"),
        "{out}"
    );
}

/// GitHub shows 10 annotations of each kind per step: the github format
/// annotates that many, says how many it left out, and lists those in the
/// step summary when `$GITHUB_STEP_SUMMARY` is set.
#[test]
fn github_format_keeps_to_what_github_shows_and_lists_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    // 14 sensitive agents with a long timeout: 14 OC203 errors
    let agents: Vec<String> = (0..14)
        .map(|i| format!("\"prod-{i:02}\": {{\"runtime\": \"thread-bound\", \"auto-destroy\": true, \"timeout\": 600, \"max-concurrent\": 1}}"))
        .collect();
    std::fs::write(
        p.join("openclaw.json"),
        format!(
            "{{\"agents\": {{\n{}\n}}, \"monitoring\": {{\"agents\": {{\"metrics\": [\"execution-time\", \"resource-usage\", \"error-rate\", \"timeout-count\"]}}}}}}\n",
            agents.join(",\n")
        ),
    )
    .unwrap();
    let summary = p.join("summary.md");
    let run = |env: &[(&str, &str)]| {
        common::clawcheck_env(&["check", "openclaw.json", "--format", "github"], p, env)
    };
    let o = run(&[("GITHUB_STEP_SUMMARY", summary.to_str().unwrap())]);
    let out = stdout(&o);
    let errors = out.lines().filter(|l| l.starts_with("::error ")).count();
    assert_eq!(errors, 10, "{out}");
    let first = out.lines().next().unwrap();
    assert!(
        first.starts_with("::notice title=clawcheck::4 of 14 findings have no annotation: GitHub shows 10 annotations of each kind"),
        "{out}"
    );
    assert!(first.contains("the step summary lists them"), "{first}");
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(
        md.contains("### clawcheck: 4 findings without an annotation"),
        "{md}"
    );
    let rows: Vec<&str> = md.lines().filter(|l| l.starts_with("| error |")).collect();
    assert_eq!(rows.len(), 4, "{md}");
    assert!(rows[0].contains("openclaw.json:12:"), "{md}");
    // without a step summary: the notice points to the other reports
    let o = run(&[("GITHUB_STEP_SUMMARY", "")]);
    assert!(stdout(&o)
        .lines()
        .next()
        .unwrap()
        .contains("see the SARIF or JSON report"));
}
