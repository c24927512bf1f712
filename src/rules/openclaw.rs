//! Rules that only real OpenClaw configs have (OC103, OC104; OC230–OC258). Their
//! policies are in `policies/<area>/OCxxx.rego`; the shared rules (OC201–OC220)
//! judge real configs too, in a branch of their one policy (docs/openclaw.md).

use super::{rule, Rule};

pub static RULES: &[Rule] = &[
    rule!("OC103", "openclaw-wrapper", "schema", Note, "2.0",
        controls: ["cm-6"],
        frameworks: &[("iso-27001", &["A.8.9"]), ("soc2", &["CC7.1"])],
        title: "The config is wrapped in a top-level `openclaw` key, which OpenClaw rejects",
        description: "clawcheck accepts `{\"openclaw\": {...}}` (the seed article's policy-profile format) and checks the wrapped object. OpenClaw's own loader does not: `~/.openclaw/openclaw.json` with a top-level `openclaw` key fails validation (`Unrecognized key: \"openclaw\"` at `<root>`) and the gateway does not start. A note on a policy profile (which OpenClaw never loads); an error when the wrapped object is a real OpenClaw config.",
        help: "For a real config, move the wrapped keys to the top level. A policy profile may keep the wrapper; turn the note off with `[rules.OC103] severity = \"off\"`.",
        bad: "{ \"openclaw\": { \"gateway\": { \"bind\": \"loopback\" } } }",
        good: "{ \"gateway\": { \"bind\": \"loopback\" } }"),
    rule!("OC104", "removed-key", "schema", Error, "5.0",
        controls: ["cm-6"],
        frameworks: &[("iso-27001", &["A.8.9"]), ("soc2", &["CC7.1"])],
        title: "A key was removed in this OpenClaw version and the config is rejected",
        description: "The key existed in an earlier OpenClaw (`session.threadBindings.ttlHours`, `logging.redactSensitive`, `tools.exec.timeoutSec`, `agents.defaults.sandbox.perSession`, ...) and OpenClaw 2026.9 refuses to load a config that still has it: `openclaw config validate` fails and the gateway does not start. The message gives the migration `openclaw doctor --fix` applies (the new key, or that the key is simply gone).",
        help: "Apply the migration the message names (rename the key, or delete it), or run `openclaw doctor --fix`.",
        bad: "{ agents: { entries: { main: {} } }, session: { threadBindings: { ttlHours: 24 } } }",
        good: "{ session: { threadBindings: { idleHours: 24 } } }"),
];
