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
