//! OpenClaw 2026.9.6's validator rules beyond its JSON Schema (zod
//! `superRefine` in `dist/zod-schema*.mjs`) that the file alone decides, each
//! an OC106 finding where `openclaw config validate` puts its issue:
//!
//! - `agents.entries`: two keys that are one agent id (ids are
//!   case-insensitive), more than one `default: true`, `ownership: "explicit"`
//!   beside a `default: true` marker, and several agents with neither
//!   `ownership: "explicit"` nor one `default: true`;
//! - `models.providers.<id>`: a provider OpenClaw does not ship needs
//!   `baseUrl` and a `models` list;
//! - a tool policy (`tools`, an agent's `tools`, `byProvider.<p>`,
//!   `toolsBySender.<s>`, a channel's or group's `tools`, `sandbox.tools`)
//!   with both a non-empty `allow` and a non-empty `alsoAllow`;
//! - `tools.exec` (global or an agent's) with `mode` beside the legacy
//!   `security` or `ask`;
//! - Tailscale Serve or Funnel with a gateway not bound to loopback, or
//!   with `auth.mode: "none"` (OpenClaw's checks after the schema).
//!
//! The sandbox refinements are rules of their own (OC246-OC248). Each rule
//! here was checked against the real validator (`openclaw config validate`
//! of 2026.9.6) on configs that break it and configs that do not.

use super::RawFinding;
use crate::load::escape_pointer_token;
use crate::normalise::Dialect;
use serde_json::{json, Map, Value};

/// The provider ids OpenClaw 2026.9.6 ships (`BUILT_IN_MODEL_PROVIDER_OVERLAY_IDS`):
/// an entry for one of them may overlay its settings without `baseUrl` or
/// `models`. Compared in lower case, as OpenClaw normalises ids.
const BUILT_IN_PROVIDERS: &[&str] = &[
    "amazon-bedrock",
    "amazon-bedrock-mantle",
    "anthropic",
    "anthropic-vertex",
    "arcee",
    "azure-openai-responses",
    "byteplus",
    "byteplus-plan",
    "cerebras",
    "chutes",
    "claude-cli",
    "clawrouter",
    "cloudflare-ai-gateway",
    "codex",
    "comfy",
    "copilot-proxy",
    "dashscope",
    "deepinfra",
    "deepseek",
    "fal",
    "fireworks",
    "github-copilot",
    "gmi",
    "gmi-cloud",
    "gmicloud",
    "google",
    "google-antigravity",
    "google-gemini-cli",
    "google-vertex",
    "groq",
    "huggingface",
    "kilocode",
    "kimi",
    "kimi-coding",
    "litellm",
    "lmstudio",
    "meta",
    "microsoft-foundry",
    "minimax",
    "minimax-portal",
    "mistral",
    "modelstudio",
    "moonshot",
    "moonshot-ai",
    "moonshotai",
    "nvidia",
    "novita",
    "novita-ai",
    "novitaai",
    "ollama",
    "ollama-cloud",
    "openai",
    "opencode",
    "opencode-go",
    "openrouter",
    "qianfan",
    "qwen",
    "qwen-token-plan",
    "qwencloud",
    "sglang",
    "stepfun",
    "stepfun-plan",
    "synthetic",
    "tencent-tokenhub",
    "tencent-tokenplan",
    "together",
    "venice",
    "vercel-ai-gateway",
    "vllm",
    "volcengine",
    "volcengine-plan",
    "vydra",
    "x-ai",
    "xai",
    "xiaomi",
    "xiaomi-token-plan",
    "z.ai",
    "z-ai",
    "zai",
];

/// The OC106 findings of a config in `dialect` (`root` is the config object,
/// `base` the pointer it sits at).
pub fn check(root: &Value, base: &str, dialect: Dialect) -> Vec<RawFinding> {
    let mut out = Vec::new();
    let (Dialect::OpenClaw2026_9, Some(root)) = (dialect, root.as_object()) else {
        return out;
    };
    if let Some(agents) = root.get("agents").and_then(Value::as_object) {
        roster(agents, &format!("{base}/agents"), &mut out);
    }
    if let Some(providers) = root
        .get("models")
        .and_then(|m| m.get("providers"))
        .and_then(Value::as_object)
    {
        custom_providers(providers, &format!("{base}/models/providers"), &mut out);
    }
    tool_policies(root, base, &mut base.to_string(), "", 0, &mut out);
    exec_modes(root, base, &mut out);
    if let Some(gateway) = root.get("gateway").and_then(Value::as_object) {
        tailscale(gateway, &format!("{base}/gateway"), &mut out);
    }
    out
}

/// Tailscale Serve or Funnel forwards to the gateway on loopback: a gateway
/// bound elsewhere (`bind` other than `loopback`, unless `custom` on a
/// canonical 127.x.y.z address), or without auth, is rejected
/// (`validateGatewayTailscaleBind`, `validateGatewayTailscaleAuth`).
fn tailscale(gateway: &Map<String, Value>, at: &str, out: &mut Vec<RawFinding>) {
    let mode = gateway
        .get("tailscale")
        .and_then(|t| t.get("mode"))
        .and_then(Value::as_str)
        .unwrap_or("off");
    if mode != "serve" && mode != "funnel" {
        return;
    }
    let bind = gateway
        .get("bind")
        .and_then(Value::as_str)
        .unwrap_or("loopback");
    let host = gateway.get("customBindHost").and_then(Value::as_str);
    // OpenClaw's canonical dotted-decimal IPv4 (no leading zeros, four
    // parts), as std parses it, in 127.0.0.0/8
    let loopback_host = host
        .and_then(|h| h.parse::<std::net::Ipv4Addr>().ok())
        .is_some_and(|ip| ip.is_loopback());
    if bind != "loopback" && !(bind == "custom" && loopback_host) {
        out.push(finding(
            format!("{at}/bind"),
            format!(
                "`gateway.bind: \"{bind}\"` with `gateway.tailscale.mode: \"{mode}\"`: OpenClaw rejects the config; Tailscale forwards to loopback (`bind: \"loopback\"`, or `custom` with `customBindHost: \"127.0.0.1\"`)"
            ),
            None,
        ));
    }
    let auth = gateway
        .get("auth")
        .and_then(|a| a.get("mode"))
        .and_then(Value::as_str);
    if auth == Some("none") {
        out.push(finding(
            format!("{at}/auth/mode"),
            format!(
                "`gateway.auth.mode: \"none\"` with `gateway.tailscale.mode: \"{mode}\"`: OpenClaw rejects the config; {}",
                if mode == "funnel" {
                    "Funnel requires `auth.mode: \"password\"`"
                } else {
                    "use token, password or trusted-proxy auth"
                }
            ),
            None,
        ));
    }
}

/// `tools.exec` and each agent's `tools.exec`: `mode` (2026.9's policy
/// selector) beside the legacy `security` or `ask` in the same object.
fn exec_modes(root: &Map<String, Value>, base: &str, out: &mut Vec<RawFinding>) {
    let entries = root
        .get("agents")
        .and_then(|a| a.get("entries"))
        .and_then(Value::as_object);
    let scopes = std::iter::once((None, root.get("tools"))).chain(
        entries
            .into_iter()
            .flatten()
            .map(|(id, a)| (Some(id), a.get("tools"))),
    );
    for (agent, tools) in scopes {
        let Some(exec) = tools.and_then(|t| t.get("exec")).and_then(Value::as_object) else {
            continue;
        };
        let legacy: Vec<&str> = ["security", "ask"]
            .into_iter()
            .filter(|k| exec.contains_key(*k))
            .collect();
        if exec.contains_key("mode") && !legacy.is_empty() {
            // the pointer is spelled only for a finding (a roster may be huge)
            let at = match agent {
                None => format!("{base}/tools/exec"),
                Some(id) => format!(
                    "{base}/agents/entries/{}/tools/exec",
                    escape_pointer_token(id)
                ),
            };
            out.push(finding(
                format!("{at}/mode"),
                format!(
                    "`{}` sets `mode` beside the legacy {}: OpenClaw rejects the config; keep `mode` and drop {} (`openclaw doctor --fix` migrates a legacy policy to `mode`)",
                    crate::normalise::dotted(&at, base),
                    legacy.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(" and "),
                    if legacy.len() == 1 { "it" } else { "them" }
                ),
                None,
            ));
        }
    }
}

fn finding(pointer: String, message: String, fix: Option<Value>) -> RawFinding {
    RawFinding {
        rule: "OC106".into(),
        pointer,
        message,
        severity: None,
        fix: fix.and_then(|f| crate::fix::FixSpec::from_json(&f).ok()),
        places: Vec::new(),
    }
}

/// Whether `key` is an agent id as the schema's `propertyNames` takes it
/// (`^[a-z0-9_][a-z0-9_-]{0,63}$`, any case): the others are OC101 already.
fn valid_agent_id(key: &str) -> bool {
    let b = key.as_bytes();
    !b.is_empty()
        && b.len() <= 64
        && (b[0].is_ascii_alphanumeric() || b[0] == b'_')
        && b[1..]
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-')
}

fn roster(agents: &Map<String, Value>, at: &str, out: &mut Vec<RawFinding>) {
    let Some(entries) = agents.get("entries").and_then(Value::as_object) else {
        return;
    };
    let entries_at = format!("{at}/entries");
    let mut first: std::collections::HashMap<String, &str> = std::collections::HashMap::new();
    for key in entries.keys().filter(|k| valid_agent_id(k)) {
        let id = key.to_ascii_lowercase();
        match first.get(&id) {
            None => {
                first.insert(id, key);
            }
            Some(earlier) => out.push(finding(
                format!("{entries_at}/{}", escape_pointer_token(key)),
                format!(
                    "`agents.entries` keys `{earlier}` and `{key}` are the same agent id `{id}` (ids are not case-sensitive): OpenClaw rejects the config; rename one"
                ),
                None,
            )),
        }
    }
    let marked: Vec<&String> = entries
        .iter()
        .filter(|(_, e)| e.get("default") == Some(&Value::Bool(true)))
        .map(|(k, _)| k)
        .collect();
    let explicit = agents.get("ownership").and_then(Value::as_str) == Some("explicit");
    let ownership_at = format!("{at}/ownership");
    if marked.len() > 1 {
        out.push(finding(
            entries_at.clone(),
            format!(
                "{} agents are marked `default: true` ({}): OpenClaw rejects more than one; set `agents.ownership: \"explicit\"` and drop the markers, or keep one",
                marked.len(),
                names(&marked)
            ),
            None,
        ));
    }
    if explicit && !marked.is_empty() {
        out.push(finding(
            ownership_at.clone(),
            format!(
                "`agents.ownership: \"explicit\"` beside the legacy `default: true` marker of `{}`: OpenClaw rejects the combination; drop the marker",
                marked[0]
            ),
            None,
        ));
    }
    if entries.len() > 1 && marked.is_empty() && !explicit {
        out.push(finding(
            ownership_at,
            format!(
                "{} agents in `agents.entries` and no `agents.ownership: \"explicit\"` (nor one legacy `default: true`): OpenClaw rejects a multi-agent roster without an owner (`openclaw doctor` adds it)",
                entries.len()
            ),
            Some(json!({
                "set": "explicit",
                "applicability": "unsafe",
                "reason": "sets `agents.ownership: \"explicit\"`, what `openclaw doctor` adds: no agent owns the ambient surfaces (heartbeats stay off) until one is given them",
            })),
        ));
    }
}

/// At most [`NAMED`] of `keys`, quoted, and how many more (a roster may be
/// huge; a message stays one line).
fn names(keys: &[&String]) -> String {
    let mut s = keys
        .iter()
        .take(NAMED)
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if keys.len() > NAMED {
        s.push_str(&format!(" and {} more", keys.len() - NAMED));
    }
    s
}

const NAMED: usize = 5;

fn custom_providers(providers: &Map<String, Value>, at: &str, out: &mut Vec<RawFinding>) {
    for (id, p) in providers {
        let Some(p) = p.as_object() else { continue };
        let lower = id.trim().to_lowercase();
        if BUILT_IN_PROVIDERS.contains(&lower.as_str()) {
            continue;
        }
        let here = format!("{at}/{}", escape_pointer_token(id));
        // JavaScript's `!provider.baseUrl`: absent, empty, or any falsy value
        let falsy = match p.get("baseUrl") {
            None | Some(Value::Null) | Some(Value::Bool(false)) => true,
            Some(Value::String(s)) => s.is_empty(),
            Some(Value::Number(n)) => n.as_f64() == Some(0.0),
            Some(_) => false,
        };
        if falsy {
            out.push(finding(
                format!("{here}/baseUrl"),
                format!(
                    "model provider `{id}` is not one OpenClaw ships and has no `baseUrl`: OpenClaw rejects the config (a custom provider declares its endpoint)"
                ),
                None,
            ));
        }
        if !p.get("models").is_some_and(Value::is_array) {
            out.push(finding(
                format!("{here}/models"),
                format!(
                    "model provider `{id}` is not one OpenClaw ships and has no `models` list: OpenClaw rejects the config (a custom provider declares its models)"
                ),
                None,
            ));
        }
    }
}

/// Deepest level the walk for tool policies descends (the deepest policy of
/// the schema is 7 levels down: `channels.<c>.accounts.<a>.guilds.<g>.tools`,
/// one more for `toolsBySender.<s>`).
const TOOL_POLICY_DEPTH: usize = 10;

fn tool_policies(
    v: &Map<String, Value>,
    base: &str,
    at: &mut String,
    key: &str,
    depth: usize,
    out: &mut Vec<RawFinding>,
) {
    let nonempty = |k: &str| {
        v.get(k)
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty())
    };
    if (key == "tools" || depth > 0 && at_policy_map(at))
        && nonempty("allow")
        && nonempty("alsoAllow")
    {
        out.push(finding(
            at.clone(),
            format!(
                "`{}` sets both `allow` and `alsoAllow`: OpenClaw rejects the config; merge `alsoAllow` into `allow`, or remove `allow` and use `profile` + `alsoAllow`",
                crate::normalise::dotted(at, base)
            ),
            None,
        ));
    }
    if depth >= TOOL_POLICY_DEPTH {
        return;
    }
    // one pointer buffer for the whole walk: no allocation per object
    let len = at.len();
    for (k, x) in v {
        if let Some(o) = x.as_object() {
            at.push('/');
            at.push_str(&escape_pointer_token(k));
            tool_policies(o, base, at, k, depth + 1, out);
            at.truncate(len);
        }
    }
}

/// Whether the object at `at` is a member of a `byProvider` or
/// `toolsBySender` map (a tool policy per provider or sender).
fn at_policy_map(at: &str) -> bool {
    let parent = at.rsplit_once('/').map_or("", |(p, _)| p);
    parent.ends_with("/byProvider") || parent.ends_with("/toolsBySender")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(doc: Value) -> Vec<(String, String)> {
        check(&doc, "", Dialect::OpenClaw2026_9)
            .into_iter()
            .map(|f| (f.pointer, f.message))
            .collect()
    }

    /// The cases `openclaw config validate` (2026.9.6) was run on: what it
    /// rejects is found at its path, what it accepts gives nothing.
    #[test]
    fn what_the_validator_rejects_and_accepts() {
        let pointers =
            |doc: Value| -> Vec<String> { rules(doc).into_iter().map(|(p, _)| p).collect() };
        // accepted
        for ok in [
            json!({"agents": {"defaults": {"timeoutSeconds": 60}}}),
            json!({"agents": {"ownership": "explicit", "entries": {"a": {}, "b": {}}}}),
            json!({"agents": {"entries": {"a": {"default": true}, "b": {}}}}),
            json!({"agents": {"entries": {"a": {}}}}),
            json!({"agents": {"entries": {}}}),
            json!({"tools": {"exec": {"mode": "full"}}}),
            json!({"gateway": {"tailscale": {"mode": "serve"}}}),
            json!({"gateway": {"bind": "custom", "customBindHost": "127.0.0.2", "tailscale": {"mode": "funnel"}}}),
            json!({"gateway": {"bind": "lan", "tailscale": {"mode": "off"}, "auth": {"mode": "none"}}}),
            json!({"tools": {"exec": {"security": "allowlist", "ask": "on-miss"}}}),
            json!({"models": {"providers": {"custom": {"baseUrl": "http://127.0.0.1:8080/v1", "models": []}}}}),
            json!({"models": {"providers": {"OpenAI": {"apiKey": "${OPENAI_API_KEY}"}, "lmstudio": {"apiKey": "x"}}}}),
            json!({"tools": {"allow": ["read"], "alsoAllow": []}, "plugins": {"entries": {"x": {"config": {"allow": ["a"], "alsoAllow": ["b"]}}}}}),
        ] {
            assert_eq!(pointers(ok.clone()), Vec::<String>::new(), "{ok}");
        }
        // rejected, at the validator's paths
        let cases = [
            (
                json!({"agents": {"entries": {"a": {}, "b": {}}}}),
                vec!["/agents/ownership"],
            ),
            (
                json!({"agents": {"entries": {"a": {"default": true}, "b": {"default": true}}}}),
                vec!["/agents/entries"],
            ),
            (
                json!({"agents": {"ownership": "explicit", "entries": {"a": {"default": true}}}}),
                vec!["/agents/ownership"],
            ),
            (
                json!({"agents": {"entries": {"Main": {}, "main": {}}}}),
                vec!["/agents/entries/main", "/agents/ownership"],
            ),
            (
                json!({"models": {"providers": {"custom": {"apiKey": "${CUSTOM_API_KEY}"}}}}),
                vec![
                    "/models/providers/custom/baseUrl",
                    "/models/providers/custom/models",
                ],
            ),
            (
                json!({"models": {"providers": {"custom": {"baseUrl": "", "models": []}}}}),
                vec!["/models/providers/custom/baseUrl"],
            ),
            (
                json!({"tools": {"allow": ["read"], "alsoAllow": ["exec"]}}),
                vec!["/tools"],
            ),
            (
                json!({"gateway": {"bind": "lan", "tailscale": {"mode": "serve"}}}),
                vec!["/gateway/bind"],
            ),
            (
                json!({"gateway": {"bind": "lan", "tailscale": {"mode": "funnel"}}}),
                vec!["/gateway/bind"],
            ),
            (
                json!({"gateway": {"bind": "custom", "customBindHost": "127.0.0.01", "tailscale": {"mode": "serve"}}}),
                vec!["/gateway/bind"],
            ),
            (
                json!({"gateway": {"bind": "custom", "customBindHost": "10.0.0.1", "tailscale": {"mode": "serve"}}}),
                vec!["/gateway/bind"],
            ),
            (
                json!({"gateway": {"tailscale": {"mode": "serve"}, "auth": {"mode": "none"}}}),
                vec!["/gateway/auth/mode"],
            ),
            (
                json!({"tools": {"exec": {"mode": "allowlist", "security": "allowlist"}}}),
                vec!["/tools/exec/mode"],
            ),
            (
                json!({"tools": {"exec": {"mode": "ask", "ask": "on-miss"}}}),
                vec!["/tools/exec/mode"],
            ),
            (
                json!({"agents": {"entries": {"main": {"tools": {"exec": {"mode": "deny", "security": "deny", "ask": "off"}}}}}}),
                vec!["/agents/entries/main/tools/exec/mode"],
            ),
            (
                json!({"agents": {"entries": {"a": {"tools": {"byProvider": {"openai": {"allow": ["x"], "alsoAllow": ["y"]}}}}}},
                       "channels": {"slack": {"channels": {"C1": {"tools": {"allow": ["x"], "alsoAllow": ["y"]}}}}}}),
                vec![
                    "/agents/entries/a/tools/byProvider/openai",
                    "/channels/slack/channels/C1/tools",
                ],
            ),
        ];
        for (doc, want) in cases {
            assert_eq!(pointers(doc.clone()), want, "{doc}");
        }
        // other dialects: nothing
        let multi = json!({"agents": {"entries": {"a": {}, "b": {}}}});
        assert!(check(&multi, "", Dialect::OpenClaw2026_2).is_empty());
        assert!(check(&multi, "", Dialect::PolicyProfile).is_empty());
    }

    #[test]
    fn a_huge_roster_is_one_short_message() {
        let entries: Map<String, Value> = (0..10_000)
            .map(|i| (format!("agent{i}"), json!({"default": true})))
            .collect();
        let r = rules(json!({"agents": {"entries": entries}}));
        assert_eq!(r.len(), 1, "one finding");
        assert!(r[0].1.len() < 300, "{}", r[0].1);
        assert!(r[0].1.contains("`agent4` and 9995 more"), "{}", r[0].1);
    }

    #[test]
    fn messages_name_the_setting_and_the_fix_is_the_doctors() {
        let r = check(
            &json!({"agents": {"entries": {"a": {}, "b": {}}}}),
            "",
            Dialect::OpenClaw2026_9,
        );
        assert!(r[0].message.contains("2 agents"), "{}", r[0].message);
        let fix = r[0].fix.as_ref().expect("a fix");
        assert_eq!(fix.pointer, None);
        let m = rules(
            json!({"tools": {"byProvider": {"openai": {"allow": ["x"], "alsoAllow": ["y"]}}}}),
        );
        assert_eq!(m[0].0, "/tools/byProvider/openai");
        assert!(
            m[0].1.starts_with("`tools.byProvider.openai` sets both"),
            "{}",
            m[0].1
        );
        // a config wrapped in `openclaw` names its settings from its root
        let wrapped = check(
            &json!({"tools": {"exec": {"mode": "ask", "ask": "always"}}}),
            "/openclaw",
            Dialect::OpenClaw2026_9,
        );
        assert_eq!(wrapped[0].pointer, "/openclaw/tools/exec/mode");
        assert!(
            wrapped[0].message.starts_with("`tools.exec` sets `mode`"),
            "{}",
            wrapped[0].message
        );
    }
}
