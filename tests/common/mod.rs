//! Support shared by the integration tests: running the binary, running the
//! library, validating SARIF and OSCAL. (The secret corpus is `tests/corpus`.)
#![allow(dead_code)]

pub mod schemas;

use clawcheck::engine::{self, CheckOptions, Report};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A file or directory of the repository.
pub fn repo(rel: &str) -> PathBuf {
    root().join(rel)
}

/// Every config fixture of the repository (the rule fixtures, the real
/// OpenClaw configs and the examples), sorted; some rule fixtures are broken
/// on purpose (OC001, OC003).
pub fn config_fixtures() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in [
        "tests/fixtures/rules",
        "tests/fixtures/openclaw",
        "examples",
    ] {
        for e in std::fs::read_dir(repo(dir)).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            if name.ends_with(".json") || name.ends_with(".json5") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Runs the built binary in `cwd` (colours off).
pub fn clawcheck(args: &[&str], cwd: &Path) -> Output {
    clawcheck_env(args, cwd, &[])
}

/// Runs the built binary in `cwd` with extra environment variables.
pub fn clawcheck_env(args: &[&str], cwd: &Path, env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_clawcheck"));
    c.args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env_remove("SOURCE_DATE_EPOCH");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("run clawcheck")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Checks `paths` with the library: default settings, one thread.
pub fn check_paths(paths: Vec<PathBuf>) -> Report {
    engine::run(&CheckOptions::new(paths)).expect("check runs")
}

/// Checks one file with the library: default settings, one thread.
pub fn check_file(path: &Path) -> Report {
    check_paths(vec![path.to_path_buf()])
}

/// The rule id of each finding of a JSON report, in report order.
pub fn rule_ids(report: &serde_json::Value) -> Vec<&str> {
    report["findings"]
        .as_array()
        .expect("a JSON report has findings")
        .iter()
        .map(|f| f["rule"].as_str().expect("a finding has a rule"))
        .collect()
}

/// Pseudo-random alphanumerics from `seed` (xorshift), mixed case, without
/// look-alike characters: credential-shaped test values assembled at run
/// time, so that no source file holds one.
pub fn alnum(seed: u64, n: usize) -> String {
    const A: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            A[(x % A.len() as u64) as usize] as char
        })
        .collect()
}

/// Runs git in `dir` with no user or system configuration (an empty global
/// file of our own, not /dev/null, which a shared machine may have broken)
/// and a fixed author; its trimmed standard output.
pub fn git(dir: &Path, args: &[&str]) -> String {
    static EMPTY: std::sync::OnceLock<tempfile::NamedTempFile> = std::sync::OnceLock::new();
    let empty = EMPTY.get_or_init(|| tempfile::NamedTempFile::new().unwrap());
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", empty.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Standard output then standard error of a run, as one text.
pub fn output(o: &Output) -> String {
    stdout(o) + &stderr(o)
}

/// A profile `openclaw.json` with one agent, `name`, that is thread-bound
/// with a 60 s timeout but disables teardown (`auto-destroy: false`, line 5),
/// and that declares every agent metric: the live run's OC404 case.
pub fn keeper_profile(name: &str) -> String {
    format!(
        "{{\n  \"agents\": {{\n    \"{name}\": {{\n      \"runtime\": \"thread-bound\",\n      \"auto-destroy\": false,\n      \"timeout\": 60\n    }}\n  }},\n  \"monitoring\": {{ \"agents\": {{ \"metrics\": [\"execution-time\", \"resource-usage\", \"error-rate\", \"timeout-count\"] }} }}\n}}\n"
    )
}

/// The arguments of a quick `live` run of `config` with `probes`: timeouts
/// capped at 0.3 s, 250 ms of tolerance, a free metrics port; then `extra`.
pub fn live_args<'a>(config: &'a str, probes: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "live",
        config,
        "--live-probes",
        probes,
        "--live-timeout-cap",
        "0.3",
        "--live-tolerance-ms",
        "250",
        "--metrics-port",
        "0",
    ];
    args.extend_from_slice(extra);
    args
}
