//! The built-in policies run on regorus's bytecode VM; its interpreter (what
//! `clawcheck policy test` runs) is the reference. Both must find the same
//! on every config fixture, and the evaluation budget of the VM is a count
//! of instructions: the same outcome whatever the machine's load.

mod common;

use clawcheck::checks::policy::PolicySet;
use common::*;

/// The policies' input for `file`, as `clawcheck posture` prints it.
fn posture(file: &std::path::Path) -> Option<serde_json::Value> {
    let o = clawcheck(&["posture", file.to_str().unwrap()], root());
    // Some rule fixtures are broken on purpose (OC001): no input.
    o.status
        .success()
        .then(|| serde_json::from_str(&stdout(&o)).unwrap())
}

#[test]
fn the_vm_and_the_interpreter_agree() {
    let mut vm = PolicySet::new(&[]).unwrap();
    let mut interpreter = vm.clone();
    let mut compared = 0;
    let mut with_findings = 0;
    for file in config_fixtures() {
        let Some(input) = posture(&file) else {
            continue;
        };
        let a = vm.evaluate(input.clone()).unwrap();
        let b = interpreter.evaluate_interpreted(input, false).unwrap();
        assert_eq!(a, b, "{}", file.display());
        compared += 1;
        with_findings += usize::from(!a.is_empty());
    }
    // Every rule fixture that fires fires on both.
    assert!(compared > 100, "{compared}");
    assert!(with_findings > 70, "{with_findings}");
}

/// OC245 judges each sandbox bind by an ordered list of reasons (it was
/// interpreted while it used an `else` chain the VM evaluates wrongly): on
/// binds that reach every reason, none, and several at once, the VM and the
/// interpreter find the same, and the most specific reason is the one shown.
#[test]
fn sandbox_binds_judged_alike_by_the_vm_and_the_interpreter() {
    let sources = [
        "/var/run/docker.sock",
        "/run/podman/podman.sock",
        "/home/u/.local/containerd.sock",
        "/",
        "/home/alice/.ssh",
        "/Users/bob/.config/gcloud",
        "/var/home/c/.kube/config",
        "/home/alice",
        "/Users/bob",
        "/home",
        "/Users",
        "/var/home",
        "/run/containerd/x",
        "/var/run",
        "/etc/ssl",
        "/etc",
        "/proc/1",
        "/sys",
        "/dev/sda",
        "/root/.ssh",
        "/boot",
        "/private/etc/hosts",
        "/private",
        "/var",
        "/srv/data",
        "/home/alice/projects/x",
        "/etcetera",
        "/srv/../etc",
        "/home/alice/.sshx",
        "/tmp/docker.sock.bak",
    ];
    let binds: Vec<String> = sources.iter().map(|s| format!("\"{s}:/mnt\"")).collect();
    let config = format!(
        "{{agents: {{defaults: {{sandbox: {{mode: \"all\", docker: {{binds: [{}]}}}}}}}}}}",
        binds.join(", ")
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("openclaw.json5");
    std::fs::write(&file, config).unwrap();
    let input = posture(&file).expect("a valid config");
    let mut vm = PolicySet::new(&[]).unwrap();
    let mut interpreter = vm.clone();
    let a = vm.evaluate(input.clone()).unwrap();
    let b = interpreter.evaluate_interpreted(input, false).unwrap();
    assert_eq!(a, b);
    let messages: Vec<&str> = a
        .iter()
        .filter(|f| f.rule == "OC245")
        .map(|f| f.message.as_str())
        .collect();
    let of = |source: &str| {
        let prefix = format!("sandbox bind `{source}:/mnt` ");
        let found: Vec<&&str> = messages.iter().filter(|m| m.starts_with(&prefix)).collect();
        assert!(found.len() <= 1, "{source}: {found:?}");
        found.first().map(|m| m[prefix.len()..].to_string())
    };
    let has = |source: &str, want: &str| {
        let got = of(source).unwrap_or_else(|| panic!("{source}: no OC245"));
        assert!(got.contains(want), "{source}: {got}");
    };
    has(
        "/var/run/docker.sock",
        "runtime socket `/var/run/docker.sock`",
    );
    has("/run/podman/podman.sock", "runtime socket");
    has("/", "root filesystem");
    has(
        "/home/alice/.ssh",
        "credential directory `/home/alice/.ssh`",
    );
    has("/var/home/c/.kube/config", "credential directory");
    has("/home/alice", "home directory `/home/alice`");
    has("/Users", "every user's home directory");
    has("/run/containerd/x", "`/run` (runtime sockets live under");
    has("/var/run", "blocked host path `/var/run` (runtime sockets");
    has("/etc/ssl", "targets the blocked host path `/etc`");
    has("/root/.ssh", "blocked host path `/root`");
    has("/private/etc/hosts", "blocked host path `/private/etc`");
    // covers two blocked paths: the first of OpenClaw's list is named
    has("/private", "covers the blocked host path `/private/etc`");
    has("/var", "covers the blocked host path `/var/run`");
    has("/srv/../etc", "blocked host path `/etc`");
    for safe in [
        "/srv/data",
        "/home/alice/projects/x",
        "/etcetera",
        "/home/alice/.sshx",
        "/tmp/docker.sock.bak",
    ] {
        assert_eq!(of(safe), None, "{safe}");
    }
}

/// A config the built-in policies take many instructions on: a policy
/// profile with `agents` agents, each judged by several rules.
fn profile(agents: usize) -> String {
    let list: Vec<String> = (0..agents)
        .map(|i| {
            format!(
                "\"critical-{i}\": {{\"runtime\": \"shared\", \"auto-destroy\": false, \"timeout\": 0}}"
            )
        })
        .collect();
    format!("{{\"openclaw\": {{\"agents\": {{{}}}}}}}", list.join(", "))
}

/// A config with more agents than one run (4,096) is judged a run at a
/// time, each with its share of the budget: too small a budget fails the
/// file the same way whatever the thread count.
#[test]
fn runs_of_agents_share_the_budget() {
    let (_dir, runs) = over_budget(9000, &["1", "2", "3"]);
    let mut outputs = Vec::new();
    for (v, out) in runs {
        let rules = rule_ids(&v);
        assert!(rules.contains(&"OC002"), "{rules:?}");
        // nothing of a run that was cut off is reported
        assert!(!rules.contains(&"OC203"), "{rules:?}");
        outputs.push(out);
    }
    assert_eq!(outputs[0], outputs[1]);
    assert_eq!(outputs[0], outputs[2]);
}

/// `check --format json big.openclaw.json` on a profile of `agents` agents
/// with a budget of 1 ms, once per thread count: each exits 1; the parsed
/// report and its text, with the directory (kept while it is held).
fn over_budget(
    agents: usize,
    threads: &[&str],
) -> (tempfile::TempDir, Vec<(serde_json::Value, String)>) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("big.openclaw.json"), profile(agents)).unwrap();
    std::fs::write(
        d.join("clawcheck.toml"),
        "[limits]\npolicy_eval_seconds = 0.001\n",
    )
    .unwrap();
    let runs = threads
        .iter()
        .map(|threads| {
            let o = clawcheck(
                &[
                    "check",
                    "--format",
                    "json",
                    "--threads",
                    threads,
                    "big.openclaw.json",
                ],
                d,
            );
            assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
            (serde_json::from_str(&stdout(&o)).unwrap(), stdout(&o))
        })
        .collect();
    (dir, runs)
}

#[test]
fn the_budget_of_the_built_in_policies_counts_instructions() {
    // 2,000 agents take hundreds of thousands of instructions: 1 ms of
    // budget is too few instructions, however fast the machine.
    let (dir, runs) = over_budget(2000, &["1", "2"]);
    let d = dir.path();
    let mut outputs = Vec::new();
    for (v, out) in runs {
        let f = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == "OC002")
            .unwrap_or_else(|| panic!("no OC002: {}", v["summary"]));
        let msg = f["message"].as_str().unwrap();
        assert!(
            msg.contains("budget of 0.001 s") && msg.contains("in the built-in policies"),
            "{msg}"
        );
        outputs.push(out);
    }
    assert_eq!(outputs[0], outputs[1]);
    // With the default budget the same file is checked to the end.
    std::fs::remove_file(d.join("clawcheck.toml")).unwrap();
    let o = clawcheck(&["check", "--format", "json", "big.openclaw.json"], d);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let rules = rule_ids(&v);
    assert!(!rules.contains(&"OC002"), "{rules:?}");
    assert!(
        rules.iter().filter(|r| **r == "OC203").count() >= 2000,
        "{rules:?}"
    );
}
