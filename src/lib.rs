//! clawcheck: policy-as-code linter and CI/compliance checker for OpenClaw
//! AI-agent deployments. The binary is a thin CLI over this library.

/// A JSON object of `"key" => value` pairs, in that order, each value moved
/// in (`Value::from`). `json!` serialises every value it is given into a
/// copy: a posture's parts were each copied once more for every object
/// around them (a tenth of checking 1,000 real configs, callgrind).
macro_rules! object {
    (@one $k:literal) => {
        ()
    };
    ($($k:literal => $v:expr),* $(,)?) => {{
        // sized for its members: no growing (rehashing) while they go in
        let mut m = serde_json::Map::with_capacity(<[()]>::len(&[$(object!(@one $k)),*]));
        $(m.insert($k.to_string(), serde_json::Value::from($v));)*
        serde_json::Value::Object(m)
    }};
}

pub mod autofix;
pub mod bundle;
pub mod checks;
pub mod classify;
pub mod cleanup;
pub mod cli;
pub mod config;
pub mod deploy;
pub mod discover;
pub mod engine;
pub mod evidence;
pub mod finding;
pub mod fix;
pub mod git;
pub mod include;
pub mod load;
pub mod merge;
pub mod normalise;
pub mod openclaw;
pub mod pool;
pub mod posture;
pub mod redact;
pub mod report;
pub mod rules;
pub mod source;
pub mod suppress;

/// Runs `git` in `dir` for a unit test (a fixed author), asserting success.
#[cfg(test)]
pub(crate) fn test_git(dir: &std::path::Path, args: &[&str]) {
    let ok = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .output()
        .expect("git is installed")
        .status
        .success();
    assert!(ok, "git {args:?}");
}

/// The unit tests' fixed-seed generator of inputs (xorshift): each call
/// gives a number below its argument.
#[cfg(test)]
pub(crate) fn test_rng(seed: u64) -> impl FnMut(usize) -> usize {
    let mut x = seed;
    move |n| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % n as u64) as usize
    }
}
