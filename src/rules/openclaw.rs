//! Rules that only real OpenClaw configs have (OC103–OC106; OC230–OC258). Their
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
        good: "{ session: { threadBindings: { idleHours: 24 } } }",
        fix: "safe: renames the key as `openclaw doctor --fix` does (`ttlHours` → `idleHours`, `timeoutSec` → `timeoutSeconds`, `embeddedPi` → `embeddedAgent`, the old key dropped when the new one is set) or deletes a removed key (`logging.redactSensitive`, `allowInsecureAuth`, `channels.webchat`, ...); manual: keys that move elsewhere or change shape (`memorySearch`, `perSession`, `typingMode`, ...)"),
    rule!("OC105", "include-error", "schema", Error, "5.0",
        controls: ["cm-6"],
        frameworks: &[("iso-27001", &["A.8.9"]), ("soc2", &["CC7.1"])],
        title: "An `$include` cannot be resolved, and OpenClaw rejects the config",
        description: "OpenClaw composes a config from other files with `\"$include\": \"./file.json5\"` (or an array of paths, deep-merged in order), in any object. clawcheck follows includes as OpenClaw 2026.9 does and judges the merged config, placing each finding in the file where the value was written. OpenClaw refuses to load the config when an include is missing or unreadable, does not parse, forms a cycle, is more than 10 files deep, leaves the config's directory (lexically or through a symlink), is not a regular file of at most 2 MiB with one hard link, or has sibling keys while its content is not an object. clawcheck reports each such include at its `$include` (a parse error at its place in the included file), treats it as `{}` and judges the rest.",
        help: "Fix the path (relative to the file that names it, inside the config's directory), the included file, or break the cycle.",
        bad: "{ \"$include\": \"../shared/base.json5\", \"gateway\": { \"bind\": \"loopback\" } }",
        good: "{ \"gateway\": { \"bind\": \"loopback\" } }"),
    rule!("OC106", "config-rejected", "schema", Error, "5.0",
        controls: ["cm-6"],
        frameworks: &[("iso-27001", &["A.8.9"]), ("soc2", &["CC7.1"])],
        title: "OpenClaw's validator rejects the config (a rule beyond its JSON Schema)",
        description: "OpenClaw 2026.9 validates a config with rules its exported JSON Schema does not hold, and refuses to load a config that breaks one (`openclaw config validate` fails, the gateway does not start). clawcheck checks those a file decides: `agents.entries` keys that are one agent id (ids are not case-sensitive); more than one `default: true`; `agents.ownership: \"explicit\"` beside a `default: true` marker; several agents with neither `ownership: \"explicit\"` nor one `default: true`; a model provider OpenClaw does not ship without `baseUrl` or without a `models` list; a tool policy (`tools`, an agent's or a channel's `tools`, `byProvider.<p>`, `toolsBySender.<s>`) with both `allow` and `alsoAllow`; `tools.exec` (global or an agent's) with `mode` beside the legacy `security` or `ask`; Tailscale Serve or Funnel with a gateway not bound to loopback, or with `auth.mode: \"none\"`. The sandbox's rules are OC246-OC248.",
        help: "Do what the message says: rename the duplicate agent, keep one default or set `agents.ownership: \"explicit\"` (what `openclaw doctor` does), declare the custom provider's `baseUrl` and `models`, merge `alsoAllow` into `allow`, keep `mode` or the legacy `security`/`ask` pair, not both.",
        bad: "{ agents: { entries: { main: {}, research: {} } } }",
        good: "{ agents: { ownership: \"explicit\", entries: { main: {}, research: {} } } }",
        fix: "unsafe: sets `agents.ownership: \"explicit\"` on a multi-agent roster, as `openclaw doctor` does"),
];
