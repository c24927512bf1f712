//! The composite action's shell steps, run locally with the environment GitHub
//! gives them (GITHUB_ACTION_PATH, GITHUB_OUTPUT, GITHUB_PATH,
//! GITHUB_STEP_SUMMARY, INPUT_*), asserting what they write.

mod common;

use common::root;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

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
    let o = gh.step("resolve.sh", root(), &[("INPUT_VERSION", "")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = gh.outputs();
    assert_eq!(out["version"], env!("CARGO_PKG_VERSION"));
    assert!(out["install-root"].ends_with(&format!("clawcheck/{}", env!("CARGO_PKG_VERSION"))));
    let gh = Gh::new();
    gh.step("resolve.sh", root(), &[("INPUT_VERSION", "9.9.9")]);
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
        root(),
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
        root(),
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
        root(),
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
        root(),
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

/// More findings of a kind than GitHub annotates (10 per step): the log
/// says so, and the step summary lists the rest after clawcheck's summary.
#[test]
fn run_puts_the_findings_github_does_not_annotate_in_the_step_summary() {
    let gh = Gh::new();
    let repo = tempfile::tempdir().unwrap();
    let agents: Vec<String> = (0..12)
        .map(|i| format!("\"prod-{i:02}\": {{\"runtime\": \"thread-bound\", \"auto-destroy\": true, \"timeout\": 600, \"max-concurrent\": 1}}"))
        .collect();
    std::fs::write(
        repo.path().join("openclaw.json"),
        format!(
            "{{\"agents\": {{\n{}\n}}, \"monitoring\": {{\"agents\": {{\"metrics\": [\"execution-time\", \"resource-usage\", \"error-rate\", \"timeout-count\"]}}}}}}\n",
            agents.join(",\n")
        ),
    )
    .unwrap();
    let o = gh.step(
        "run.sh",
        repo.path(),
        &[("INPUT_PATHS", "."), ("INPUT_ANNOTATIONS", "true")],
    );
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{stdout}");
    assert_eq!(stdout.matches("::error file=").count(), 10, "{stdout}");
    assert!(
        stdout.contains("::notice title=clawcheck::2 of 12 findings have no annotation"),
        "{stdout}"
    );
    let summary = std::fs::read_to_string(gh.file("summary.md")).unwrap();
    let main = summary
        .find("## clawcheck: ❌ failed")
        .expect("the summary");
    let rest = summary
        .find("### clawcheck: 2 findings without an annotation")
        .unwrap_or_else(|| panic!("the rest: {summary}"));
    assert!(main < rest, "the summary first: {summary}");
    assert!(summary[rest..].contains("`openclaw.json:12:"), "{summary}");
    assert!(summary[rest..].contains("`openclaw.json:13:"), "{summary}");
}

#[test]
fn run_reports_a_tool_error_as_exit_2() {
    let gh = Gh::new();
    let o = gh.step(
        "run.sh",
        root(),
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
        "changed-since",
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

/// On a pull_request event the action reports only what the pull request
/// changed since its base commit; `changed-since: none` reports everything.
#[test]
fn run_on_a_pull_request_reports_only_what_it_changed() {
    let repo = tempfile::tempdir().unwrap();
    let dir = repo.path();
    let git = |args: &[&str]| common::git(dir, args);
    git(&["init", "-q", "-b", "main"]);
    let config = std::fs::read_to_string(root().join("examples/insecure.openclaw.json")).unwrap();
    std::fs::write(dir.join("insecure.openclaw.json"), &config).unwrap();
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "base"]);
    let base = git(&["rev-parse", "HEAD"]);
    git(&["checkout", "-q", "-b", "pr"]);
    let changed = config.replace("timeout: 900,", "timeout: 901,");
    assert_ne!(changed, config);
    std::fs::write(dir.join("insecure.openclaw.json"), changed).unwrap();
    git(&["commit", "-q", "-am", "raise a timeout"]);
    let run = |since: &str| {
        let gh = Gh::new();
        let sarif = gh.file("x.sarif");
        let o = gh.step(
            "run.sh",
            dir,
            &[
                ("INPUT_PATHS", "."),
                ("INPUT_FAIL_ON", "warning"),
                ("INPUT_SARIF_FILE", sarif.to_str().unwrap()),
                ("INPUT_CHANGED_SINCE", since),
                ("GITHUB_EVENT_NAME", "pull_request"),
                ("PR_BASE_SHA", &base),
            ],
        );
        assert_eq!(
            o.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        gh.outputs()["findings"].parse::<usize>().unwrap()
    };
    assert_eq!(run("auto"), 1, "only the raised timeout (OC204)");
    assert!(run("none") > 5, "every finding of the config");
}

/// A fake GitHub release served on 127.0.0.1: `GET /v<version>/<asset>`
/// answers with the file of that name in `dir`, anything else with 404.
struct FakeRelease {
    base: String,
    dir: tempfile::TempDir,
    requests: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl FakeRelease {
    fn start() -> FakeRelease {
        use std::io::{BufRead, BufReader, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        let requests = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = requests.clone();
        std::thread::spawn(move || {
            // Bounded: the tests make a handful of requests each.
            for stream in listener.incoming().take(64) {
                let Ok(mut s) = stream else { continue };
                let mut line = String::new();
                let mut r = BufReader::new(s.try_clone().unwrap());
                if r.read_line(&mut line).is_err() {
                    continue;
                }
                loop {
                    let mut h = String::new();
                    if r.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
                        break;
                    }
                }
                let path = line.split(' ').nth(1).unwrap_or("/").to_string();
                log.lock().unwrap().push(path.clone());
                let file = root.join(path.trim_start_matches('/'));
                let _ = match std::fs::read(&file) {
                    Ok(body) if file.is_file() => write!(
                        s,
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    )
                    .and_then(|_| s.write_all(&body)),
                    _ => s.write_all(
                        b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                    ),
                };
            }
        });
        FakeRelease {
            base,
            dir,
            requests,
        }
    }

    /// Publishes `clawcheck-v<version>-<target>.tar.gz` holding `binary`, and
    /// a SHA256SUMS (with `bad_sum` in place of the real one when given).
    fn publish(&self, version: &str, target: &str, binary: &Path, bad_sum: bool) {
        let name = format!("clawcheck-v{version}-{target}");
        let stage = self.dir.path().join("stage").join(&name);
        std::fs::create_dir_all(&stage).unwrap();
        std::fs::copy(binary, stage.join("clawcheck")).unwrap();
        let out = self.dir.path().join(format!("v{version}"));
        std::fs::create_dir_all(&out).unwrap();
        let asset = out.join(format!("{name}.tar.gz"));
        let ok = Command::new("tar")
            .arg("-C")
            .arg(self.dir.path().join("stage"))
            .args(["-czf", asset.to_str().unwrap(), &name])
            .status()
            .unwrap()
            .success();
        assert!(ok, "tar");
        let sum = {
            use sha2::Digest;
            let d = sha2::Sha256::digest(std::fs::read(&asset).unwrap());
            d.iter().map(|b| format!("{b:02x}")).collect::<String>()
        };
        let sum = if bad_sum { "0".repeat(64) } else { sum };
        std::fs::write(out.join("SHA256SUMS"), format!("{sum}  {name}.tar.gz\n")).unwrap();
    }
}

fn install_env<'a>(root_dir: &'a str, release: &'a FakeRelease) -> Vec<(&'a str, &'a str)> {
    vec![
        ("INSTALL_ROOT", root_dir),
        ("CACHE_HIT", "false"),
        ("CLAWCHECK_RELEASE_BASE", release.base.as_str()),
        ("RUNNER_OS", "Linux"),
        ("RUNNER_ARCH", "X64"),
    ]
}

#[test]
fn install_downloads_the_release_binary_and_verifies_its_checksum() {
    let release = FakeRelease::start();
    let version = env!("CARGO_PKG_VERSION");
    let target = "x86_64-unknown-linux-musl";
    release.publish(
        version,
        target,
        Path::new(env!("CARGO_BIN_EXE_clawcheck")),
        false,
    );
    let gh = Gh::new();
    let root_dir = gh.file("tool");
    let o = gh.step(
        "install.sh",
        root(),
        &install_env(root_dir.to_str().unwrap(), &release),
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        out.contains(&format!(
            "installed the release binary clawcheck-v{version}-{target}.tar.gz"
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!("clawcheck {version}")),
        "the installed binary runs: {out}"
    );
    assert!(root_dir.join("bin/clawcheck").is_file());
    assert_eq!(
        std::fs::read_to_string(gh.file("path")).unwrap().trim(),
        root_dir.join("bin").to_str().unwrap()
    );
    let asked = release.requests.lock().unwrap().clone();
    assert!(
        asked.contains(&format!("/v{version}/SHA256SUMS")),
        "{asked:?}"
    );
}

#[test]
fn install_refuses_a_binary_whose_checksum_does_not_match() {
    let release = FakeRelease::start();
    let version = env!("CARGO_PKG_VERSION");
    release.publish(
        version,
        "x86_64-unknown-linux-musl",
        Path::new(env!("CARGO_BIN_EXE_clawcheck")),
        true,
    );
    let gh = Gh::new();
    let root_dir = gh.file("tool");
    let o = gh.step(
        "install.sh",
        root(),
        &install_env(root_dir.to_str().unwrap(), &release),
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(2), "{out}");
    assert!(
        out.contains("does not match the release's SHA256SUMS"),
        "{out}"
    );
    assert!(
        !root_dir.join("bin/clawcheck").exists(),
        "nothing installed"
    );
    assert!(!gh.file("path").exists(), "nothing put on PATH");
}

#[test]
fn install_builds_from_source_when_there_is_no_release_asset() {
    let release = FakeRelease::start(); // serves nothing: every asset is 404
    let gh = Gh::new();
    let root_dir = gh.file("tool");
    // A stand-in `cargo` that records its arguments and "installs" the binary.
    let shims = gh.file("shims");
    std::fs::create_dir_all(&shims).unwrap();
    let log = gh.file("cargo.log");
    std::fs::write(
        shims.join("cargo"),
        format!(
            "#!/bin/sh\necho \"$@\" > {log}\nmkdir -p {root}/bin && cp {bin} {root}/bin/clawcheck\n",
            log = log.display(),
            root = root_dir.display(),
            bin = env!("CARGO_BIN_EXE_clawcheck"),
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(shims.join("cargo"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        shims.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut env = install_env(root_dir.to_str().unwrap(), &release);
    env.push(("PATH", path.as_str()));
    let o = gh.step("install.sh", root(), &env);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(out.contains("no release asset"), "{out}");
    let args = std::fs::read_to_string(&log).expect("cargo was run");
    assert!(args.starts_with("install --locked --path"), "{args}");
    assert!(root_dir.join("bin/clawcheck").is_file());
}
