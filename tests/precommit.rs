//! The pre-commit hooks, installed for real with `pre-commit try-repo` against
//! this repository: a staged planted key fails (finding printed, redacted), a
//! clean commit passes. Needs `pre-commit` (PyPI) and git, so it is ignored by
//! default; `.ci/run` installs pre-commit, sets CLAWCHECK_PRE_COMMIT and runs
//! the ignored tests, where a missing pre-commit fails it.

mod common;
use common::{git, output};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

fn pre_commit() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CLAWCHECK_PRE_COMMIT") {
        return Some(PathBuf::from(p));
    }
    let found = Command::new("pre-commit")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    found.then(|| PathBuf::from("pre-commit"))
}

/// pre-commit (a missing one fails the test: it is ignored unless asked
/// for), and a scratch git repository for it to run in.
fn setup() -> (PathBuf, tempfile::TempDir) {
    let pc = pre_commit().expect(
        "pre-commit is not installed (pip install pre-commit, or set CLAWCHECK_PRE_COMMIT)",
    );
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["config", "user.email", "ci@example.invalid"]);
    git(dir.path(), &["config", "user.name", "ci"]);
    (pc, dir)
}

fn try_repo(pc: &Path, dir: &Path, hook: &str) -> Output {
    let root = env!("CARGO_MANIFEST_DIR");
    Command::new(pc)
        .args(["try-repo", root, hook, "--verbose"])
        .current_dir(dir)
        // Keep pre-commit's environments (the cargo-installed hook) between runs.
        .env(
            "PRE_COMMIT_HOME",
            Path::new(root).join("target/pre-commit-home"),
        )
        .env(
            "CARGO_TARGET_DIR",
            Path::new(root).join("target/pre-commit-build"),
        )
        // try-repo installs the hook afresh on every call (`cargo install` from a
        // new clone): build it unoptimised so that each install takes seconds, not
        // minutes, on CI's two cores. The hook itself is unchanged.
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "256")
        .env("CARGO_PROFILE_RELEASE_INCREMENTAL", "true")
        // `clawcheck-system` runs the clawcheck on PATH: this build's.
        .env(
            "PATH",
            format!(
                "{}:{}",
                Path::new(env!("CARGO_BIN_EXE_clawcheck"))
                    .parent()
                    .unwrap()
                    .display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .output()
        .unwrap()
}

#[test]
#[ignore = "needs pre-commit (pip install pre-commit) and git: cargo test -- --ignored"]
fn hooks_fail_on_a_staged_key_and_pass_a_clean_commit() {
    let (pc, dir) = setup();
    let d = dir.path();
    // assembled at run time: no source line holds the whole key
    let key = format!("{}{}", "AKIA", "QWERTYUIOP234567");
    std::fs::write(
        d.join("deploy.env"),
        format!("AWS_ACCESS_KEY_ID={key}\nREGION=eu-west-1\n"),
    )
    .unwrap();
    git(d, &["add", "deploy.env"]);

    for hook in ["clawcheck-secrets", "clawcheck", "clawcheck-system"] {
        let o = try_repo(&pc, d, hook);
        let out = output(&o);
        assert!(
            !o.status.success(),
            "{hook} should fail on the staged key:\n{out}"
        );
        assert!(
            out.contains("deploy.env:1:19") && out.contains("OC303"),
            "{hook}: finding not printed:\n{out}"
        );
        assert!(
            out.contains("AKIA…[20 chars]"),
            "{hook}: redacted evidence missing:\n{out}"
        );
        assert!(!out.contains(&key), "{hook} printed the whole key");
    }

    git(d, &["rm", "-q", "--cached", "deploy.env"]);
    std::fs::remove_file(d.join("deploy.env")).unwrap();
    std::fs::write(
        d.join("openclaw.json"),
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/secure.openclaw.json"))
            .unwrap(),
    )
    .unwrap();
    std::fs::write(d.join("README.md"), "# a clean change\n").unwrap();
    git(d, &["add", "openclaw.json", "README.md"]);
    let o = try_repo(&pc, d, "clawcheck-system");
    assert!(
        o.status.success(),
        "clawcheck-system must pass a clean commit:\n{}",
        output(&o)
    );
    let started = Instant::now();
    let o = try_repo(&pc, d, "clawcheck");
    let took = started.elapsed();
    let out = output(&o);
    assert!(o.status.success(), "a clean commit must pass:\n{out}");
    eprintln!("pre-commit try-repo incl. hook install, 2 staged files: {took:?}");
}

/// A repository with waivers (one path-scoped, one for every file): committing
/// one clean file passes both hooks, because a waiver whose scope the hook did
/// not check is not called unused (OC006).
#[test]
#[ignore = "needs pre-commit (pip install pre-commit) and git: cargo test -- --ignored"]
fn hooks_pass_a_clean_commit_in_a_repository_with_waivers() {
    let (pc, dir) = setup();
    let d = dir.path();
    std::fs::create_dir_all(d.join("legacy")).unwrap();
    std::fs::write(
        d.join("legacy/openclaw.json"),
        r#"{"agents": {"critical": {"runtime": "thread-bound", "auto-destroy": true, "timeout": 600}}}"#,
    )
    .unwrap();
    std::fs::write(
        d.join("clawcheck.toml"),
        "[[waivers]]\nrule = \"OC203\"\npath = \"legacy/**\"\nreason = \"legacy gateway, retired in Q1\"\n\n[[waivers]]\nrule = \"OC220\"\nreason = \"monitoring lives in the platform repo\"\n",
    )
    .unwrap();
    git(d, &["add", "."]);
    git(d, &["commit", "-q", "-m", "legacy config with waivers"]);
    std::fs::write(d.join("CHANGELOG.md"), "# a clean change\n").unwrap();
    git(d, &["add", "CHANGELOG.md"]);
    for hook in ["clawcheck", "clawcheck-secrets"] {
        let o = try_repo(&pc, d, hook);
        let out = output(&o);
        assert!(
            o.status.success(),
            "{hook} must pass a clean commit:\n{out}"
        );
        assert!(!out.contains("OC006"), "{hook}:\n{out}");
    }
}
