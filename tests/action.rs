//! The composite action's shell steps, run locally with the environment GitHub
//! gives them (GITHUB_ACTION_PATH, GITHUB_OUTPUT, GITHUB_PATH,
//! GITHUB_STEP_SUMMARY, INPUT_*), asserting what they write.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

struct Gh {
    dir: tempfile::TempDir,
}

impl Gh {
    fn new() -> Gh {
        Gh {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    fn step(&self, script: &str, cwd: &Path, env: &[(&str, &str)]) -> Output {
        let mut c = Command::new("bash");
        c.arg(root().join("scripts/action").join(script))
            .current_dir(cwd)
            .env("GITHUB_ACTION_PATH", root())
            .env("GITHUB_OUTPUT", self.file("output"))
            .env("GITHUB_PATH", self.file("path"))
            .env("GITHUB_STEP_SUMMARY", self.file("summary.md"))
            .env("RUNNER_TEMP", self.file("runner-temp"))
            .env("CLAWCHECK", env!("CARGO_BIN_EXE_clawcheck"));
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().unwrap()
    }
    fn outputs(&self) -> BTreeMap<String, String> {
        std::fs::read_to_string(self.file("output"))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| {
                l.split_once('=')
                    .map(|(k, v)| (k.to_string(), v.to_string()))
            })
            .collect()
    }
}

#[test]
fn resolve_names_the_crate_version_and_an_install_root() {
    let gh = Gh::new();
    let o = gh.step("resolve.sh", &root(), &[("INPUT_VERSION", "")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = gh.outputs();
    assert_eq!(out["version"], env!("CARGO_PKG_VERSION"));
    assert!(out["install-root"].ends_with(&format!("clawcheck/{}", env!("CARGO_PKG_VERSION"))));
    let gh = Gh::new();
    gh.step("resolve.sh", &root(), &[("INPUT_VERSION", "9.9.9")]);
    assert_eq!(gh.outputs()["version"], "9.9.9");
}

#[test]
fn install_uses_a_cached_binary_and_puts_it_on_path() {
    let gh = Gh::new();
    let bin = gh.file("tool/bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_clawcheck"), bin.join("clawcheck")).unwrap();
    let root_dir = gh.file("tool");
    let o = gh.step(
        "install.sh",
        &root(),
        &[
            ("INSTALL_ROOT", root_dir.to_str().unwrap()),
            ("CACHE_HIT", "true"),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("clawcheck "));
    assert_eq!(
        std::fs::read_to_string(gh.file("path")).unwrap().trim(),
        bin.to_str().unwrap()
    );
}

#[test]
fn run_writes_sarif_outputs_annotations_and_summary_and_fails_per_fail_on() {
    let gh = Gh::new();
    let sarif = gh.file("out.sarif");
    let o = gh.step(
        "run.sh",
        &root(),
        &[
            (
                "INPUT_PATHS",
                "examples/insecure.openclaw.json examples/secure.openclaw.json",
            ),
            ("INPUT_FAIL_ON", "warning"),
            ("INPUT_FORMAT", "human"),
            ("INPUT_SARIF_FILE", sarif.to_str().unwrap()),
            ("INPUT_ANNOTATIONS", "true"),
        ],
    );
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{stdout}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        stdout.contains("::error file=examples/insecure.openclaw.json,line=8,col=7"),
        "{stdout}"
    );
    let out = gh.outputs();
    assert_eq!(out["sarif-file"], sarif.to_str().unwrap());
    let n: usize = out["findings"].parse().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&sarif).unwrap()).unwrap();
    assert_eq!(v["runs"][0]["results"].as_array().unwrap().len(), n);
    assert!(n >= 10);
    let summary = std::fs::read_to_string(gh.file("summary.md")).unwrap();
    assert!(summary.contains("## clawcheck: ❌ failed"), "{summary}");
    assert!(
        summary.contains("| OC203 | `sensitive-agent-timeout` |"),
        "{summary}"
    );

    // the same paths pass with fail-on never; annotations can be turned off
    let gh = Gh::new();
    let o = gh.step(
        "run.sh",
        &root(),
        &[
            ("INPUT_PATHS", "examples/"),
            ("INPUT_FAIL_ON", "never"),
            ("INPUT_ANNOTATIONS", "false"),
            ("INPUT_SARIF_FILE", gh.file("x.sarif").to_str().unwrap()),
        ],
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&o.stdout).contains("::error"));

    // extra reports are written; with every finding in the baseline the job passes
    let gh2 = Gh::new();
    let (html, base) = (gh2.file("r.html"), gh2.file("base.sarif"));
    std::fs::copy(gh.file("x.sarif"), &base).unwrap();
    let o = gh2.step(
        "run.sh",
        &root(),
        &[
            ("INPUT_PATHS", "examples/"),
            ("INPUT_FAIL_ON", "warning"),
            ("INPUT_BASELINE", base.to_str().unwrap()),
            ("INPUT_REPORTS", &format!("html={}", html.display())),
            ("INPUT_SARIF_FILE", gh2.file("y.sarif").to_str().unwrap()),
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(std::fs::read_to_string(&html)
        .unwrap()
        .starts_with("<!DOCTYPE html>"));
    assert_eq!(gh2.outputs()["findings"], "0");
    assert!(std::fs::read_to_string(gh.file("summary.md"))
        .unwrap()
        .contains("✅ passed"));
}

#[test]
fn run_reports_a_tool_error_as_exit_2() {
    let gh = Gh::new();
    let o = gh.step(
        "run.sh",
        &root(),
        &[
            ("INPUT_PATHS", "no/such/path"),
            ("INPUT_SARIF_FILE", gh.file("x.sarif").to_str().unwrap()),
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stdout).contains("::error title=clawcheck::"));
    assert_eq!(gh.outputs()["sarif-file"], "");
}

/// The action declares every input its steps read, and the steps exist.
#[test]
fn action_inputs_match_the_scripts() {
    let action = std::fs::read_to_string(root().join("action.yml")).unwrap();
    for input in [
        "paths",
        "config",
        "fail-on",
        "format",
        "sarif-file",
        "upload-sarif",
        "live",
        "baseline",
        "reports",
        "annotations",
        "version",
    ] {
        assert!(
            action.contains(&format!("\n  {input}:\n")),
            "input {input} not declared"
        );
    }
    for script in ["resolve.sh", "install.sh", "run.sh"] {
        assert!(action.contains(&format!("scripts/action/{script}")));
        assert!(root().join("scripts/action").join(script).is_file());
    }
}
