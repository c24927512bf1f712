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

#[test]
fn the_budget_of_the_built_in_policies_counts_instructions() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("big.openclaw.json"), profile(2000)).unwrap();
    // 2,000 agents take hundreds of thousands of instructions: 1 ms of
    // budget is too few instructions, however fast the machine.
    std::fs::write(
        d.join("clawcheck.toml"),
        "[limits]\npolicy_eval_seconds = 0.001\n",
    )
    .unwrap();
    let mut outputs = Vec::new();
    for threads in ["1", "2"] {
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
        let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
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
        outputs.push(stdout(&o));
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
