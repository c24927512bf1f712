//! Rules that only real OpenClaw configs have (OC103, OC230–OC244). Their
//! policies are in `policies/<area>/OCxxx.rego`; the shared rules (OC201–OC220)
//! judge real configs too, in a branch of their one policy (docs/openclaw.md).

use super::{rule, Rule};

pub static RULES: &[Rule] = &[rule!("OC103", "openclaw-wrapper", "schema", Note, "2.0",
        controls: ["cm-6"],
        title: "The config is wrapped in a top-level `openclaw` key, which OpenClaw rejects",
        description: "clawcheck accepts `{\"openclaw\": {...}}` (the seed article's policy-profile format) and checks the wrapped object. OpenClaw's own loader does not: `~/.openclaw/openclaw.json` with a top-level `openclaw` key fails validation (`Unrecognized key: \"openclaw\"` at `<root>`) and the gateway does not start. A note on a policy profile (which OpenClaw never loads); an error when the wrapped object is a real OpenClaw config.",
        help: "For a real config, move the wrapped keys to the top level. A policy profile may keep the wrapper; turn the note off with `[rules.OC103] severity = \"off\"`.",
        bad: "{ \"openclaw\": { \"gateway\": { \"bind\": \"loopback\" } } }",
        good: "{ \"gateway\": { \"bind\": \"loopback\" } }")];
