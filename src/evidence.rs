//! What a run checked, in a form an auditor can verify afterwards: every
//! checked file with its SHA-256 and size (clean ones included), the policy
//! set's and the settings' hashes, clawcheck's version and, when the checked
//! paths are in a git work tree, the commit and whether the tree was dirty.
//!
//! Every report format prints this; `sha256sum FILE` reproduces a file's hash.

use serde::Serialize;
use sha2::{Digest, Sha256};
use std::path::Path;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct InputFile {
    /// As the findings show it.
    pub path: String,
    /// Lower-case hex SHA-256 of the bytes that were checked.
    pub sha256: String,
    pub size: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Git {
    /// The `HEAD` commit (full hex id).
    pub commit: String,
    /// Uncommitted changes or untracked files in the work tree.
    pub dirty: bool,
    /// The `origin` remote without credentials, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remote: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// Checked files in path order.
    pub files: Vec<InputFile>,
    /// SHA-256 over every policy the run compiled (built-in and `--policy`)
    /// and the built-in rule metadata: [`digest_named`] of (path, source).
    pub policy_set_sha256: String,
    /// How many policy and metadata files that hash covers.
    pub policy_files: usize,
    /// The settings file as shown, or `None` for the built-in defaults.
    pub settings_path: Option<String>,
    /// SHA-256 of the settings file's bytes (`sha256sum clawcheck.toml`);
    /// `None` with the built-in defaults.
    pub settings_sha256: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub git: Option<Git>,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}

/// SHA-256 over named texts, sorted by name, each as its length-prefixed
/// name and content, so no two different sets hash alike.
pub fn digest_named<'a>(items: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> String {
    let mut items: Vec<(&str, &[u8])> = items.into_iter().collect();
    items.sort();
    let mut h = Sha256::new();
    for (name, text) in items {
        h.update((name.len() as u64).to_be_bytes());
        h.update(name.as_bytes());
        h.update((text.len() as u64).to_be_bytes());
        h.update(text);
    }
    hex(&h.finalize())
}

/// Longest a `git` call may take before the run goes on without provenance.
const GIT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// The git commit and dirty state of the work tree holding `dir`, via the
/// `git` CLI; `None` when `dir` is not in a work tree or git is missing.
///
/// The repository's own configuration could name programs that `git status`
/// runs (`core.fsmonitor`); they are switched off, and no hook, pager or
/// credential helper is involved in these read-only commands.
pub fn git(dir: &Path) -> Option<Git> {
    let run = |args: &[&str]| -> Option<String> {
        let mut cmd = std::process::Command::new("git");
        cmd.arg("-C")
            .arg(dir)
            .args([
                "-c",
                "core.fsmonitor=false",
                "-c",
                "core.untrackedCache=false",
            ])
            .args(args)
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("GIT_OPTIONAL_LOCKS", "0")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null());
        let mut child = cmd.spawn().ok()?;
        let mut out = child.stdout.take()?;
        // Read on another thread so that a hung git can be killed; the end of
        // its output wakes this one at once (a poll of the child every few
        // milliseconds cost each of the three commands up to a poll period:
        // as much as a whole one-config check).
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use std::io::Read;
            let mut s = Vec::new();
            // Bounded: a status listing past 64 MiB only needs to be non-empty.
            let _ = (&mut out).take(64 << 20).read_to_end(&mut s);
            let _ = tx.send(s);
        });
        let deadline = std::time::Instant::now() + GIT_TIMEOUT;
        let kill = |child: &mut std::process::Child| {
            let _ = child.kill();
            let _ = child.wait();
        };
        let Ok(bytes) = rx.recv_timeout(GIT_TIMEOUT) else {
            kill(&mut child);
            return None;
        };
        // Its output has ended: git is exiting.
        let status = loop {
            match child.try_wait() {
                Ok(Some(s)) => break s,
                Ok(None) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_micros(200))
                }
                _ => {
                    kill(&mut child);
                    return None;
                }
            }
        };
        status
            .success()
            .then(|| String::from_utf8_lossy(&bytes).into_owned())
    };
    let commit = run(&["rev-parse", "--verify", "HEAD"])?.trim().to_string();
    if commit.is_empty() || !commit.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let dirty = !run(&["status", "--porcelain", "--untracked-files=normal"])?
        .trim()
        .is_empty();
    let remote = run(&["remote", "get-url", "origin"])
        .map(|u| strip_credentials(u.trim()))
        .filter(|u| !u.is_empty());
    Some(Git {
        commit,
        dirty,
        remote,
    })
}

/// The remote as a URI without credentials (SARIF wants a URI):
/// `https://user:token@host/x` → `https://host/x`, scp-like `git@host:o/r`
/// → `ssh://host/o/r`, a local path → `file:///path`.
fn strip_credentials(url: &str) -> String {
    let without_user = |authority: &str| {
        authority
            .rsplit_once('@')
            .map_or(authority, |(_, h)| h)
            .to_string()
    };
    if let Some((scheme, rest)) = url.split_once("://") {
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        return format!("{scheme}://{}{path}", without_user(authority));
    }
    if url.starts_with('/') {
        return format!("file://{url}");
    }
    match url.split_once(':') {
        Some((host, path)) if !host.contains('/') && !host.is_empty() => {
            format!(
                "ssh://{}/{}",
                without_user(host),
                path.trim_start_matches('/')
            )
        }
        // A relative path: no URI names it without the working directory.
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_matches_the_standard_vectors() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn named_digest_depends_on_names_contents_and_boundaries_not_order() {
        let a = digest_named([("a", &b"xy"[..]), ("b", &b"z"[..])]);
        assert_eq!(a, digest_named([("b", &b"z"[..]), ("a", &b"xy"[..])]));
        assert_ne!(a, digest_named([("a", &b"x"[..]), ("b", &b"yz"[..])]));
        assert_ne!(a, digest_named([("a", &b"xy"[..]), ("c", &b"z"[..])]));
    }

    #[test]
    fn remote_credentials_are_dropped() {
        assert_eq!(
            strip_credentials("https://x-access-token:xxxxxxxx@github.com/o/r.git"),
            "https://github.com/o/r.git"
        );
        assert_eq!(
            strip_credentials("https://github.com/o/r"),
            "https://github.com/o/r"
        );
        assert_eq!(
            strip_credentials("git@github.com:o/r.git"),
            "ssh://github.com/o/r.git"
        );
        assert_eq!(strip_credentials("/srv/r.git"), "file:///srv/r.git");
        assert_eq!(strip_credentials("../r.git"), "");
    }

    #[test]
    fn git_provenance_tells_commit_and_dirty_state() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let git_cmd = |args: &[&str]| crate::test_git(d, args);
        git_cmd(&["init", "-q"]);
        std::fs::write(d.join("a.json"), "{}").unwrap();
        git_cmd(&["add", "a.json"]);
        git_cmd(&["commit", "-q", "-m", "one"]);
        git_cmd(&[
            "remote",
            "add",
            "origin",
            "https://u:secret@example.com/o/r.git",
        ]);
        let clean = git(d).expect("a work tree");
        assert_eq!(clean.commit.len(), 40);
        assert!(!clean.dirty);
        assert_eq!(clean.remote.as_deref(), Some("https://example.com/o/r.git"));
        std::fs::write(d.join("a.json"), "{ }").unwrap();
        let dirty = git(d).expect("a work tree");
        assert!(dirty.dirty);
        assert_eq!(dirty.commit, clean.commit);
    }
}
