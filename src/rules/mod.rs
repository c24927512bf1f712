//! The rule registry: one table feeding `clawcheck rules`, `clawcheck explain`,
//! SARIF `rules[]` and the README's rule list.

use crate::finding::Severity;

pub mod live;
pub mod openclaw;
pub mod secrets;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Rule {
    pub id: &'static str,
    /// kebab-case name, stable like the id.
    pub name: &'static str,
    pub category: &'static str,
    pub severity: Severity,
    /// CVSS-like 0.0–10.0 score GitHub shows for `security` rules (a string, as SARIF wants).
    pub security_severity: &'static str,
    /// One line: what is wrong.
    pub title: &'static str,
    /// Why it matters and what fires it.
    pub description: &'static str,
    /// How to fix it.
    pub help: &'static str,
    /// A minimal input that fires the rule.
    pub bad: &'static str,
    /// The same input, fixed.
    pub good: &'static str,
    /// NIST SP 800-53 rev5 controls a finding of this rule evidences as not
    /// satisfied (OSCAL ids: `ac-12`, `ia-5.1` for the enhancement IA-5(1)).
    /// Feeds the compliance reports (html, oscal) and SARIF tags.
    pub controls: &'static [&'static str],
}

macro_rules! rule {
    ($id:literal, $name:literal, $cat:literal, $sev:ident, $ss:literal,
     controls: [$($control:literal),+ $(,)?],
     title: $title:expr, description: $desc:expr, help: $help:expr, bad: $bad:expr, good: $good:expr $(,)?) => {
        $crate::rules::Rule {
            id: $id,
            name: $name,
            category: $cat,
            severity: $crate::finding::Severity::$sev,
            security_severity: $ss,
            title: $title,
            description: $desc,
            help: $help,
            bad: $bad,
            good: $good,
            controls: &[$($control),+],
        }
    };
}
/// Shared with the other rule tables (`crate::openclaw::rules`).
pub(crate) use rule;

pub static CORE_RULES: &[Rule] = &[
    rule!("OC001", "parse-error", "input", Error, "5.0",
        controls: ["cm-6"],
        title: "The file could not be parsed as JSON or JSON5",
        description: "A configuration file that does not parse cannot be checked, and OpenClaw itself refuses to start with it. clawcheck reports the parser's position instead of stopping the run.",
        help: "Fix the syntax at the reported position. OpenClaw configs are JSON5: comments, trailing commas, unquoted keys and single quotes are allowed.",
        bad: "{ \"agents\": { \"production\": { \"timeout\": 120 } }",
        good: "{ \"agents\": { \"production\": { \"timeout\": 120 } } }"),
    rule!("OC002", "unreadable-file", "input", Error, "5.0",
        controls: ["ca-7", "cm-6"],
        title: "The file could not be read",
        description: "A file named on the command line or found by discovery could not be read (permission denied, not a regular file, I/O error). It was not checked, so the run cannot be called clean.",
        help: "Make the file readable by the user running clawcheck, or exclude it with --exclude or `exclude` in clawcheck.toml.",
        bad: "chmod 000 openclaw.json",
        good: "chmod 600 openclaw.json"),
    rule!("OC003", "invalid-config-root", "input", Error, "5.0",
        controls: ["cm-6"],
        title: "The configuration is not a JSON object",
        description: "An OpenClaw config (either dialect) is an object at the top level. An empty file, an array or a scalar at the top level holds no settings, so none of the policies can be applied.",
        help: "Make the top-level value an object, e.g. `{ \"agents\": { ... } }`.",
        bad: "[]",
        good: "{ \"agents\": {} }"),
    rule!("OC004", "suppression-without-reason", "suppression", Error, "3.0",
        controls: ["ca-7", "cm-6"],
        title: "A suppression comment gives no reason",
        description: "`clawcheck:allow OCxxx` must say why the finding is acceptable (e.g. `clawcheck:allow OC203 batch job, approved by security 2026-11`). Without a reason the comment suppresses nothing, so that every exception in the code base is explained for the next reader and the auditor.",
        help: "Add the reason after the rule ids: `// clawcheck:allow OC203 <why this is acceptable>`.",
        bad: "{\n  \"agents\": { \"ops-admin\": { \"runtime\": \"thread-bound\", \"auto-destroy\": true,\n    // clawcheck:allow OC203\n    \"timeout\": 600 } }\n}",
        good: "{\n  \"agents\": { \"ops-admin\": { \"runtime\": \"thread-bound\", \"auto-destroy\": true,\n    // clawcheck:allow OC203 nightly migration, approved by security (SEC-112)\n    \"timeout\": 600 } }\n}"),
    rule!("OC005", "waiver-expired", "suppression", Warning, "3.0",
        controls: ["ca-7", "cm-6"],
        title: "A waiver in clawcheck.toml has expired",
        description: "A `[[waivers]]` entry with an `expires` date in the past no longer suppresses anything: the findings it covered are reported again, and this rule says why they came back.",
        help: "Fix the findings, or renew the waiver with a new `expires` date and an up-to-date reason.",
        bad: "[[waivers]]\nrule = \"OC203\"\nreason = \"migration\"\nexpires = \"2020-01-31\"",
        good: "[[waivers]]\nrule = \"OC203\"\nreason = \"migration, tracked in SEC-112\"\nexpires = \"2027-01-31\""),
    rule!("OC006", "unused-suppression", "suppression", Warning, "2.0",
        controls: ["ca-7", "cm-6"],
        title: "A suppression matches no finding",
        description: "An inline `clawcheck:allow` comment (for its own line or the next) or a `[[waivers]]` entry that suppresses nothing: the problem was fixed or the rule id is wrong. Stale suppressions hide future findings, so they are reported.",
        help: "Remove the suppression, or correct its rule id or path.",
        bad: "{\n  // clawcheck:allow OC203 reviewed\n  \"agents\": {}\n}",
        good: "{\n  \"agents\": {}\n}"),
    rule!("OC101", "schema-violation", "schema", Error, "5.0",
        controls: ["cm-6"],
        title: "A value does not match the configuration schema",
        description: "The value has the wrong type, is out of range or is not one of the allowed values for its key, as defined by the JSON Schema in clawcheck's `schemas/` directory. The policies read typed values, so a mistyped value can hide a violation.",
        help: "Change the value to the type and range the message names.",
        bad: "{ \"agents\": { \"production\": { \"auto-destroy\": \"yes\" } } }",
        good: "{ \"agents\": { \"production\": { \"auto-destroy\": true } } }"),
    rule!("OC102", "unknown-key", "schema", Warning, "3.0",
        controls: ["cm-6"],
        title: "A key is not known to the configuration schema",
        description: "The key is not part of the dialect's schema. Usually a typo (`auto_destroy` for `auto-destroy`) that silently leaves the intended setting at its default, or a key from a newer version.",
        help: "Correct the spelling, or remove the key. `clawcheck explain OC102` lists nothing more: the message names the key and where it was found.",
        bad: "{ \"agents\": { \"production\": { \"auto_destroy\": true } } }",
        good: "{ \"agents\": { \"production\": { \"auto-destroy\": true } } }"),
    rule!("OC201", "agent-not-thread-bound", "isolation", Error, "7.5",
        controls: ["sc-4", "sc-39"],
        title: "Agent is not thread-bound",
        description: "Each request should run in its own agent instance bound to one thread and released when the request ends; otherwise context from one request can leak into the next (context pollution). Sensitive agents must be thread-bound; routine agents may instead be session-bound. Fires when `runtime` is missing, is not a thread or session binding, or when a sensitive agent is not thread-bound.",
        help: "Set `\"runtime\": \"thread-bound\"` on the agent (routine agents may use `\"session\"` with a `max-concurrent` limit).",
        bad: "{ \"agents\": { \"payments\": { \"runtime\": \"shared\", \"auto-destroy\": true, \"timeout\": 60 } } }",
        good: "{ \"agents\": { \"payments\": { \"runtime\": \"thread-bound\", \"auto-destroy\": true, \"timeout\": 60 } } }"),
    rule!("OC202", "auto-destroy-disabled", "isolation", Error, "7.0",
        controls: ["ac-12", "sc-4", "sc-39"],
        title: "Agent is not destroyed when its request ends",
        description: "Without `auto-destroy: true` the agent instance, its memory and its open resources outlive the request: state leaks into later requests and resources pile up. Fires when `auto-destroy` is missing or not `true`.",
        help: "Set `\"auto-destroy\": true` on the agent.",
        bad: "{ \"agents\": { \"routine-tasks\": { \"runtime\": \"thread-bound\", \"auto-destroy\": false, \"timeout\": 300 } } }",
        good: "{ \"agents\": { \"routine-tasks\": { \"runtime\": \"thread-bound\", \"auto-destroy\": true, \"timeout\": 300 } } }"),
    rule!("OC203", "sensitive-agent-timeout", "timeouts", Error, "7.5",
        controls: ["ac-12", "sc-10"],
        title: "Sensitive agent has no timeout, or one over the sensitive limit",
        description: "Sensitive agents (explicit `sensitive: true`, or a name matching the sensitive pattern, by default `critical|sensitive|secret|prod|payment|admin|finance`) must time out within the sensitive limit (default 120 s) so that a hijacked or stuck run is cut short. Fires when the timeout is missing, 0 (unlimited) or over the limit.",
        help: "Set `\"timeout\"` to at most the sensitive limit (120 s by default, `limits.sensitive_timeout_seconds` in clawcheck.toml).",
        bad: "{ \"agents\": { \"critical-tasks\": { \"runtime\": \"thread-bound\", \"auto-destroy\": true, \"timeout\": 300 } } }",
        good: "{ \"agents\": { \"critical-tasks\": { \"runtime\": \"thread-bound\", \"auto-destroy\": true, \"timeout\": 120 } } }"),
    rule!("OC204", "agent-timeout-unbounded", "timeouts", Error, "6.0",
        controls: ["ac-12", "sc-10"],
        title: "Agent has no timeout, an unlimited one, or one over the routine limit",
        description: "Every agent needs a bounded run time; 0 means unlimited. Routine (non-sensitive) agents must time out within the routine limit (default 300 s). Sensitive agents are judged by OC203 instead.",
        help: "Set `\"timeout\"` (or `\"max-duration\"`) to a value of at most the routine limit (300 s by default, `limits.routine_timeout_seconds` in clawcheck.toml).",
        bad: "{ \"agents\": { \"routine-tasks\": { \"runtime\": \"thread-bound\", \"auto-destroy\": true, \"timeout\": 0 } } }",
        good: "{ \"agents\": { \"routine-tasks\": { \"runtime\": \"thread-bound\", \"auto-destroy\": true, \"timeout\": 300 } } }"),
    rule!("OC205", "concurrency-unlimited", "isolation", Warning, "5.0",
        controls: ["ac-10", "sc-6"],
        title: "Long-running or session-bound agent has no concurrency limit",
        description: "Session-bound and long-running agents keep instances alive across requests; without `max-concurrent` a burst of sessions can exhaust the host. The seed checklist: long-running work uses session binding, but limits concurrency.",
        help: "Set `\"max-concurrent\"` to a positive integer on the agent.",
        bad: "{ \"agents\": { \"research\": { \"runtime\": \"session\", \"auto-destroy\": true, \"timeout\": 300 } } }",
        good: "{ \"agents\": { \"research\": { \"runtime\": \"session\", \"auto-destroy\": true, \"timeout\": 300, \"max-concurrent\": 4 } } }"),
    rule!("OC211", "secret-not-external", "secrets", Error, "8.5",
        controls: ["ia-5", "ia-5.7", "sc-28"],
        title: "Secret is not held in an external secret store",
        description: "Every API key and credential must come from an external secret manager (Vault, a cloud KMS or secrets manager), never from the config file or the code. Fires when a secret's `provider` is not `external`, or when the secret carries a literal `value`.",
        help: "Store the value in your secret manager and declare `\"provider\": \"external\"` with its `source`.",
        bad: "{ \"secrets\": { \"openai\": { \"provider\": \"inline\", \"rotation\": \"weekly\" } } }",
        good: "{ \"secrets\": { \"openai\": { \"provider\": \"external\", \"source\": \"vault\", \"rotation\": \"weekly\" } } }"),
    rule!("OC212", "secret-rotation-too-slow", "secrets", Error, "6.5",
        controls: ["ia-5", "ia-5.1", "sc-12"],
        title: "Secret is not rotated weekly or faster",
        description: "Secrets must rotate at least every 7 days (configurable). Accepted: `hourly`, `daily`, `weekly`, and durations such as `24h`, `7d`, `1w`, `P1W`, `PT12H`. Fires when `rotation` is missing, unparseable, `never`, or longer than the limit (`monthly`, `30d`).",
        help: "Set `\"rotation\"` to `\"weekly\"` or faster, and make sure your secret manager actually rotates on that schedule.",
        bad: "{ \"secrets\": { \"aws\": { \"provider\": \"external\", \"source\": \"vault\", \"rotation\": \"monthly\" } } }",
        good: "{ \"secrets\": { \"aws\": { \"provider\": \"external\", \"source\": \"vault\", \"rotation\": \"daily\" } } }"),
    rule!("OC213", "unknown-secret-source", "secrets", Warning, "4.0",
        controls: ["ia-5", "sc-28"],
        title: "Secret source is missing or not a known secret manager",
        description: "An external secret should name the store it comes from (`vault`, `aws-kms`, `secrets-manager`, ...). An unknown source is often a typo that makes the secret unresolvable at run time. The list of known sources is configurable (`secrets.known_sources`).",
        help: "Set `\"source\"` to one of the known secret stores, or add your store to `secrets.known_sources` in clawcheck.toml.",
        bad: "{ \"secrets\": { \"aws\": { \"provider\": \"external\", \"source\": \"my-notes\", \"rotation\": \"daily\" } } }",
        good: "{ \"secrets\": { \"aws\": { \"provider\": \"external\", \"source\": \"aws-kms\", \"rotation\": \"daily\" } } }"),
    rule!("OC220", "monitoring-absent", "monitoring", Note, "3.0",
        controls: ["au-2", "au-12", "si-4"],
        title: "Config declares agents or secrets but no monitoring section",
        description: "Without metrics nobody sees agents that fail to tear down, time out or leak secrets. A policy profile may keep monitoring in another file, so this is a note by default; raise it with `[rules.OC220] severity = \"error\"` when every profile must be self-contained.",
        help: "Add a `monitoring` section with the agent and secret metrics (see OC221, OC222).",
        bad: "{ \"agents\": { \"routine-tasks\": { \"runtime\": \"thread-bound\", \"auto-destroy\": true, \"timeout\": 300 } } }",
        good: "{ \"agents\": { \"routine-tasks\": { \"runtime\": \"thread-bound\", \"auto-destroy\": true, \"timeout\": 300 } }, \"monitoring\": { \"agents\": { \"metrics\": [\"execution-time\", \"resource-usage\", \"error-rate\", \"timeout-count\"] } } }"),
    rule!("OC221", "agent-metrics-missing", "monitoring", Warning, "4.0",
        controls: ["au-2", "au-12", "si-4"],
        title: "Required agent monitoring metrics are missing",
        description: "The monitoring section must export the agent metrics the seed checklist requires (default: `execution-time`, `resource-usage`, `error-rate`, `timeout-count`). The message names the missing ones.",
        help: "Add the missing names to `monitoring.<agents area>.metrics`.",
        bad: "{ \"monitoring\": { \"agents\": { \"metrics\": [\"execution-time\"] } } }",
        good: "{ \"monitoring\": { \"agents\": { \"metrics\": [\"execution-time\", \"resource-usage\", \"error-rate\", \"timeout-count\"] } } }"),
    rule!("OC222", "secret-metrics-missing", "monitoring", Warning, "4.0",
        controls: ["au-2", "au-12", "si-4"],
        title: "Required secret monitoring metrics are missing",
        description: "The monitoring section must export the secret metrics the seed checklist requires (default: `access-count`, `rotation-status`, `exposure-risk`). The message names the missing ones.",
        help: "Add the missing names to `monitoring.secrets.metrics`.",
        bad: "{ \"monitoring\": { \"secrets\": { \"metrics\": [\"access-count\"] } } }",
        good: "{ \"monitoring\": { \"secrets\": { \"metrics\": [\"access-count\", \"rotation-status\", \"exposure-risk\"] } } }"),
];

/// Every rule clawcheck knows, sorted by id.
pub fn all() -> &'static [Rule] {
    static ALL: std::sync::OnceLock<Vec<Rule>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        let mut v: Vec<Rule> = CORE_RULES.to_vec();
        v.extend_from_slice(openclaw::RULES);
        v.extend(live::RULES.iter().map(live_rule));
        v.extend(secrets::rules().iter().map(secret_rule));
        v.sort_by_key(|r| r.id);
        v
    })
}

/// The registry entry of a live (OC4xx) rule. Live rules are judged by running
/// the profile, so their examples are profiles plus what the executor observes.
fn live_rule(r: &live::LiveRule) -> Rule {
    let (bad, good) = match r.id {
        "OC401" | "OC404" => (
            "{ \"agents\": { \"a\": { \"runtime\": \"thread-bound\", \"auto-destroy\": false, \"timeout\": 60 } } }  (escaper probe: children survive, scratch stays)",
            "{ \"agents\": { \"a\": { \"runtime\": \"thread-bound\", \"auto-destroy\": true, \"timeout\": 60 } } }",
        ),
        "OC402" => (
            "{ \"agents\": { \"a\": { \"runtime\": \"thread-bound\", \"auto-destroy\": true, \"timeout\": 0 } } }  (sleeper probe runs until the cap)",
            "{ \"agents\": { \"a\": { \"runtime\": \"thread-bound\", \"auto-destroy\": true, \"timeout\": 120 } } }",
        ),
        "OC406" => (
            "{ \"monitoring\": { \"agents\": { \"metrics\": [\"queue-depth\"] } } }  (no exported metric family maps to it)",
            "{ \"monitoring\": { \"agents\": { \"metrics\": [\"execution-time\", \"timeout-count\"] } } }",
        ),
        "OC408" => (
            "{ \"agents\": { \"a\": { \"runtime\": \"session\", \"auto-destroy\": true, \"timeout\": 60, \"max-concurrent\": 2 } } }  (3 requests observed at once)",
            "the same profile with at most 2 concurrent requests observed",
        ),
        _ => (
            "clawcheck check --live on a host where the executor cannot isolate or clean up a request",
            "clawcheck check --live --require-isolation strict on a host with every isolation layer",
        ),
    };
    Rule {
        id: r.id,
        name: r.name,
        category: "live",
        severity: Severity::parse(r.severity).unwrap_or(Severity::Warning),
        security_severity: r.security_severity,
        title: r.title,
        description: r.description,
        help: r.help,
        bad,
        good,
        controls: r.controls,
    }
}

fn secret_rule(r: &secrets::SecretRule) -> Rule {
    Rule {
        id: r.id,
        name: r.name,
        category: "secrets",
        severity: Severity::parse(r.severity).unwrap_or(Severity::Error),
        security_severity: r.security_severity,
        title: r.title,
        description: r.description,
        help: r.help,
        bad: r.bad_example,
        good: r.good_example,
        controls: r.controls,
    }
}

impl Rule {
    /// The controls as NIST prints them, comma-separated: `AC-12, IA-5(1)`.
    pub fn control_labels(&self) -> String {
        let labels: Vec<String> = self.controls.iter().map(|c| control_label(c)).collect();
        labels.join(", ")
    }
}

/// The way NIST prints a control id: `ac-12` → `AC-12`, `ia-5.1` → `IA-5(1)`.
pub fn control_label(id: &str) -> String {
    let upper = id.to_ascii_uppercase();
    match upper.split_once('.') {
        Some((base, enhancement)) => format!("{base}({enhancement})"),
        None => upper,
    }
}

/// Orders control ids as NIST does (`ac-2` before `ac-12`, `ia-5` before `ia-5.1`).
pub fn control_sort_key(id: &str) -> (&str, u32, u32) {
    let (family, rest) = id.split_once('-').unwrap_or((id, ""));
    let (number, enhancement) = rest.split_once('.').unwrap_or((rest, "0"));
    (
        family,
        number.parse().unwrap_or(u32::MAX),
        enhancement.parse().unwrap_or(u32::MAX),
    )
}

pub fn get(id: &str) -> Option<&'static Rule> {
    let all = all();
    all.binary_search_by_key(&id, |r| r.id)
        .ok()
        .map(|i| &all[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_names_are_unique_and_well_formed() {
        let all = all();
        for w in all.windows(2) {
            assert_ne!(w[0].id, w[1].id, "duplicate rule id");
        }
        let mut names: Vec<_> = all.iter().map(|r| r.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), all.len(), "duplicate rule name");
        for r in all {
            assert!(r.id.len() == 5 && r.id.starts_with("OC"), "{}", r.id);
            assert!(
                r.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit()),
                "{}",
                r.name
            );
            let s: f64 = r.security_severity.parse().unwrap();
            assert!((0.0..=10.0).contains(&s));
            assert!(!r.title.is_empty() && !r.description.is_empty() && !r.help.is_empty());
        }
    }

    #[test]
    fn control_ids_print_and_sort_like_nist() {
        assert_eq!(control_label("ia-5.1"), "IA-5(1)");
        assert_eq!(control_label("ac-12"), "AC-12");
        let mut ids = ["ac-12", "ia-5.1", "ac-2", "ia-5"];
        ids.sort_by_key(|c| control_sort_key(c));
        assert_eq!(ids, ["ac-2", "ac-12", "ia-5", "ia-5.1"]);
    }
}
