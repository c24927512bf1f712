//! Git-aware checking on repositories built here with the `git` CLI:
//! `check --changed-since`, `check --staged`, `clawcheck history`.

mod common;

use common::{alnum, clawcheck, git, stderr, stdout};
use serde_json::Value;
use std::path::Path;

fn new_repo() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    git(d.path(), &["init", "-q", "-b", "main"]);
    d
}

fn commit_all(dir: &Path, msg: &str) -> String {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "--allow-empty", "-m", msg]);
    git(dir, &["rev-parse", "HEAD"])
}

fn json(out: &std::process::Output) -> Value {
    serde_json::from_str(&stdout(out))
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", stdout(out), stderr(out)))
}

/// A config with three findings (OC220: no monitoring, OC203, OC201) and clean agents.
const BASE: &str = r#"{
  "agents": {
    "critical-tasks": {
      "runtime": "thread-bound",
      "auto-destroy": true,
      "timeout": 300
    },
    "payments": {
      "runtime": "shared",
      "auto-destroy": true,
      "timeout": 60
    },
    "research": {
      "runtime": "thread-bound",
      "auto-destroy": true,
      "timeout": 100
    },
    "docs": {
      "runtime": "thread-bound",
      "auto-destroy": true,
      "timeout": 100
    }
  }
}
"#;

fn rules(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{} {}", f["rule"].as_str().unwrap(), f["line"]))
        .collect()
}

#[test]
fn a_pull_request_that_adds_one_unsafe_setting_reports_only_it() {
    let d = new_repo();
    let dir = d.path();
    std::fs::write(dir.join("openclaw.json"), BASE).unwrap();
    commit_all(dir, "base");
    let all = json(&clawcheck(&["check", "--format", "json"], dir));
    assert_eq!(all["findings"].as_array().unwrap().len(), 3, "{all}");
    git(dir, &["checkout", "-q", "-b", "feature"]);
    // The unsafe setting: the clean agent's timeout goes to unlimited.
    std::fs::write(
        dir.join("openclaw.json"),
        BASE.replace("\"timeout\": 100\n    }\n  }", "\"timeout\": 0\n    }\n  }"),
    )
    .unwrap();
    commit_all(dir, "docs agent: no timeout");
    let out = clawcheck(
        &["check", "--changed-since", "main", "--format", "json"],
        dir,
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let r = json(&out);
    assert_eq!(rules(&r), ["OC204 21"], "{r}");
    assert_eq!(r["git"]["pre_existing"], 3, "{r}");
    assert_eq!(r["git"]["base"], "main");
    assert_eq!(r["git"]["base_commit"], git(dir, &["rev-parse", "main"]));
    // Human and SARIF say the same.
    let human = stdout(&clawcheck(&["check", "--changed-since", "main"], dir));
    assert!(
        human.contains("base main") && human.contains("3 pre-existing finding(s) left out"),
        "{human}"
    );
    let sarif: Value = serde_json::from_str(&stdout(&clawcheck(
        &["check", "--changed-since", "main", "--format", "sarif"],
        dir,
    )))
    .unwrap();
    let run = &sarif["runs"][0];
    assert_eq!(run["results"].as_array().unwrap().len(), 1);
    assert_eq!(run["properties"]["gitScope"]["pre_existing"], 3);
}

#[test]
fn a_value_judged_differently_elsewhere_and_a_rename_are_followed() {
    let d = new_repo();
    let dir = d.path();
    std::fs::create_dir(dir.join("conf")).unwrap();
    std::fs::write(dir.join("conf/openclaw.json"), BASE).unwrap();
    commit_all(dir, "base");
    git(dir, &["checkout", "-q", "-b", "feature"]);
    // Renamed, and the `payments` agent loses its timeout: the finding this
    // causes (OC203, no timeout) sits on the agent's unchanged first line.
    git(
        dir,
        &["mv", "conf/openclaw.json", "conf/prod.openclaw.json"],
    );
    let changed = BASE.replace(
        "\"runtime\": \"shared\",\n      \"auto-destroy\": true,\n      \"timeout\": 60",
        "\"runtime\": \"shared\",\n      \"auto-destroy\": true",
    );
    assert_ne!(changed, BASE);
    std::fs::write(dir.join("conf/prod.openclaw.json"), &changed).unwrap();
    commit_all(dir, "rename, drop a timeout");
    let all = json(&clawcheck(&["check", "--format", "json"], dir));
    let r = json(&clawcheck(
        &["check", "--changed-since", "main", "--format", "json"],
        dir,
    ));
    let new = rules(&r);
    assert_eq!(
        new.len() + r["git"]["pre_existing"].as_u64().unwrap() as usize,
        all["findings"].as_array().unwrap().len()
    );
    // OC203 (no timeout) on the unchanged line `"payments": {`: new by
    // fingerprint; the renamed file's three old findings are not new.
    assert_eq!(new, ["OC203 8"], "{all}");
    assert_eq!(r["git"]["pre_existing"], 3);
}

#[test]
fn a_secret_counts_only_on_an_added_line() {
    let d = new_repo();
    let dir = d.path();
    let old = ["ghp_", &alnum(11, 36)].concat();
    let new = ["ghp_", &alnum(12, 36)].concat();
    std::fs::write(dir.join("notes.txt"), format!("token = {old}\n")).unwrap();
    commit_all(dir, "old secret");
    std::fs::write(
        dir.join("notes.txt"),
        format!("token = {old}\nother = {new}\n"),
    )
    .unwrap();
    let out = clawcheck(
        &["check", "--changed-since", "HEAD", "--format", "json"],
        dir,
    );
    let r = json(&out);
    assert_eq!(rules(&r).len(), 1, "{r}");
    assert_eq!(r["findings"][0]["line"], 2);
    assert_eq!(r["git"]["pre_existing"], 1);
    assert!(!stdout(&out).contains(&new) && !stdout(&out).contains(&old));
}

#[test]
fn a_staged_secret_is_caught_though_the_working_tree_copy_is_gone() {
    let d = new_repo();
    let dir = d.path();
    std::fs::write(dir.join("README.md"), "hello\n").unwrap();
    commit_all(dir, "first");
    let secret = ["ghp_", &alnum(21, 36)].concat();
    std::fs::write(dir.join("deploy.sh"), format!("GITHUB_TOKEN={secret}\n")).unwrap();
    git(dir, &["add", "deploy.sh"]);
    // The working tree no longer has it; the commit would.
    std::fs::write(dir.join("deploy.sh"), "GITHUB_TOKEN=\n").unwrap();
    let plain = clawcheck(&["check", "--format", "json"], dir);
    assert_eq!(json(&plain)["findings"].as_array().unwrap().len(), 0);
    let staged = clawcheck(&["check", "--staged", "--format", "json"], dir);
    assert_eq!(staged.status.code(), Some(1), "{}", stderr(&staged));
    let r = json(&staged);
    assert_eq!(r["findings"][0]["path"], "deploy.sh", "{r}");
    assert_eq!(r["findings"][0]["rule"], "OC312", "{r}");
    assert_eq!(r["git"]["staged_files"], 1);
    assert!(!stdout(&staged).contains(&secret));
    // As a pre-commit hook names it.
    let named = clawcheck(&["check", "--staged", "--format", "json", "deploy.sh"], dir);
    assert_eq!(json(&named)["findings"].as_array().unwrap().len(), 1);
    // Unstaged: nothing staged, nothing found.
    git(dir, &["reset", "-q", "deploy.sh"]);
    let none = clawcheck(&["check", "--staged", "--format", "json"], dir);
    assert_eq!(none.status.code(), Some(0), "{}", stderr(&none));
}

#[test]
fn history_reports_a_deleted_secret_at_the_commit_that_added_it() {
    let d = new_repo();
    let dir = d.path();
    let secret = ["ghp_", &alnum(31, 36)].concat();
    let kept = ["ghp_", &alnum(32, 36)].concat();
    let mut ids = Vec::new();
    for i in 1..=10 {
        std::fs::write(dir.join("log.txt"), format!("commit {i}\n")).unwrap();
        if i == 3 {
            std::fs::write(dir.join("app.env"), format!("A=1\nTOKEN={secret}\n")).unwrap();
        }
        if i == 5 {
            std::fs::write(dir.join("app.env"), "A=1\nTOKEN=\n").unwrap();
        }
        if i == 7 {
            std::fs::write(dir.join("ci.env"), format!("TOKEN={kept}\n")).unwrap();
        }
        ids.push(commit_all(dir, &format!("c{i}")));
    }
    let out = clawcheck(&["history", "--format", "json"], dir);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(!text.contains(&secret) && !text.contains(&kept));
    let r = json(&out);
    let f = r["findings"].as_array().unwrap();
    assert_eq!(f.len(), 2, "{r}");
    let gone = f.iter().find(|f| f["path"] == "app.env").unwrap();
    assert_eq!(gone["line"], 2);
    assert_eq!(gone["introduced"]["commit"], ids[2].as_str());
    assert_eq!(gone["introduced"]["present_at_head"], false);
    assert!(gone["message"]
        .as_str()
        .unwrap()
        .contains("not present at HEAD"));
    let still = f.iter().find(|f| f["path"] == "ci.env").unwrap();
    assert_eq!(still["introduced"]["commit"], ids[6].as_str());
    assert_eq!(still["introduced"]["present_at_head"], true);
    assert_eq!(r["git"]["commits"], 10);
    // A range: commits 6..10 only hold the kept one.
    let range = json(&clawcheck(
        &["history", &format!("{}..HEAD", ids[4]), "--format", "json"],
        dir,
    ));
    assert_eq!(range["findings"].as_array().unwrap().len(), 1, "{range}");
    assert_eq!(range["git"]["commits"], 5);
    // Human output names the commit.
    let human = stdout(&clawcheck(&["history"], dir));
    assert!(
        human.contains(&ids[2][..12]) && human.contains("not present at HEAD"),
        "{human}"
    );
    // The same output whatever the thread count.
    let one = stdout(&clawcheck(
        &["history", "--format", "sarif", "-j", "1"],
        dir,
    ));
    let four = stdout(&clawcheck(
        &["history", "--format", "sarif", "-j", "4"],
        dir,
    ));
    assert_eq!(one, four);
    // A baseline of this run leaves nothing new.
    let base = dir.join("base.json");
    std::fs::write(&base, &text).unwrap();
    let again = clawcheck(
        &[
            "history",
            "--format",
            "json",
            "--baseline",
            base.to_str().unwrap(),
        ],
        dir,
    );
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert_eq!(json(&again)["suppressed"].as_array().unwrap().len(), 2);
}

#[test]
fn history_finds_the_first_commit_across_a_merge_a_move_and_a_revert() {
    let d = new_repo();
    let dir = d.path();
    let moved = ["ghp_", &alnum(33, 36)].concat();
    let branched = ["ghp_", &alnum(34, 36)].concat();
    std::fs::write(dir.join("README"), "1\n").unwrap();
    commit_all(dir, "c1");
    std::fs::write(dir.join("keys.env"), format!("TOKEN={moved}\n")).unwrap();
    let added = commit_all(dir, "c2");
    // On a branch, merged into main later: the merge adds the blob against
    // its first parent, but the branch commit came first.
    git(dir, &["checkout", "-q", "-b", "side"]);
    std::fs::write(dir.join("side.env"), format!("KEY={branched}\n")).unwrap();
    let on_branch = commit_all(dir, "c3");
    git(dir, &["checkout", "-q", "main"]);
    std::fs::write(dir.join("README"), "2\n").unwrap();
    commit_all(dir, "c4");
    git(dir, &["merge", "-q", "--no-ff", "side", "-m", "merge"]);
    // The same blob under a new path, then deleted and committed again.
    std::fs::create_dir(dir.join("conf")).unwrap();
    git(dir, &["mv", "keys.env", "conf/keys.env"]);
    commit_all(dir, "c6");
    std::fs::remove_file(dir.join("side.env")).unwrap();
    commit_all(dir, "c7");
    std::fs::write(dir.join("side.env"), format!("KEY={branched}\n")).unwrap();
    commit_all(dir, "c8");
    let mut outputs = Vec::new();
    for threads in ["1", "2", "4"] {
        let out = clawcheck(&["history", "--format", "json", "-j", threads], dir);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let r = json(&out);
        let f = r["findings"].as_array().unwrap();
        assert_eq!(f.len(), 2, "{r}");
        let first = f.iter().find(|f| f["path"] == "keys.env").unwrap();
        assert_eq!(first["introduced"]["commit"], added.as_str(), "{r}");
        assert_eq!(first["introduced"]["present_at_head"], true);
        let side = f.iter().find(|f| f["path"] == "side.env").unwrap();
        assert_eq!(side["introduced"]["commit"], on_branch.as_str(), "{r}");
        assert_eq!(side["introduced"]["present_at_head"], true);
        assert_eq!(r["git"]["commits"], 8);
        outputs.push(stdout(&clawcheck(
            &["history", "--format", "sarif", "-j", threads],
            dir,
        )));
    }
    assert!(outputs.windows(2).all(|w| w[0] == w[1]));
}

#[test]
fn history_applies_waivers_and_inline_directives() {
    let d = new_repo();
    let dir = d.path();
    let a = ["ghp_", &alnum(41, 36)].concat();
    let b = ["ghp_", &alnum(42, 36)].concat();
    let c = ["ghp_", &alnum(43, 36)].concat();
    std::fs::write(dir.join("a.env"), format!("T={a}\n")).unwrap();
    std::fs::write(
        dir.join("b.env"),
        format!("# clawcheck:allow OC312 a revoked test token\nT={b}\n"),
    )
    .unwrap();
    std::fs::write(dir.join("c.env"), format!("T={c}\n")).unwrap();
    commit_all(dir, "three tokens");
    std::fs::write(
        dir.join("clawcheck.toml"),
        "[[waivers]]\nrule = \"OC312\"\npath = \"a.env\"\nreason = \"revoked in 2026\"\n",
    )
    .unwrap();
    let r = json(&clawcheck(&["history", "--format", "json"], dir));
    let paths: Vec<&str> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["c.env"], "{r}");
    let kinds: Vec<&str> = r["suppressed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["waiver", "inline"], "{r}");
}

#[test]
fn a_shallow_clone_gets_a_clear_error() {
    let d = new_repo();
    let dir = d.path();
    for i in 0..3 {
        std::fs::write(dir.join("f.txt"), format!("{i}\n")).unwrap();
        commit_all(dir, &format!("c{i}"));
    }
    let base = git(dir, &["rev-parse", "HEAD~2"]);
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", dir.display());
    git(
        clone.path(),
        &["clone", "-q", "--depth", "1", &url, "shallow"],
    );
    let shallow = clone.path().join("shallow");
    let out = clawcheck(&["check", "--changed-since", &base], &shallow);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("shallow clone") && err.contains("fetch-depth: 0"),
        "{err}"
    );
}

#[test]
fn outside_a_repository_is_a_clear_error() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("openclaw.json"), "{}").unwrap();
    for args in [
        &["check", "--changed-since", "main"][..],
        &["check", "--staged"][..],
        &["history"][..],
    ] {
        let out = clawcheck(args, d.path());
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            stderr(&out).contains("not inside a git repository"),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    let repo = new_repo();
    let out = clawcheck(&["check", "--changed-since", "no-such-branch"], repo.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no-such-branch"), "{}", stderr(&out));
}
