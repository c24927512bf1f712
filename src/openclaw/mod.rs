//! Real OpenClaw `openclaw.json` (2026.2.x and 2026.9.x): the posture of a real
//! config, and the hardening rules only real configs have.
//!
//! The posture keeps the policy profile's top-level shape (`agents`, `secrets`,
//! `monitoring`) and adds what only real configs have (`timeouts`, `sessions`,
//! `subagents`, `gateway`, `exec`, `elevated`, `channels`, `logging`). Every
//! setting is a *field*: `{present, value, pointer}`; an absent setting points
//! at the key it would have, which the engine resolves to the nearest existing
//! ancestor. The policies in `policies/<area>/OCxxx.rego` judge it; docs/openclaw.md
//! documents the mapping.

mod credentials;

pub use crate::rules::openclaw::RULES;
pub use credentials::{env_vars, is_credential_path, redact, secret_ref};

use crate::config::Settings;
use crate::load::escape_pointer_token as esc;
use crate::normalise::{self, parse_duration_days, Dialect};
use serde_json::{json, Map, Value};

/// Seconds OpenClaw uses when `agents.defaults.timeoutSeconds` is not set.
fn default_turn_timeout(dialect: Dialect) -> u64 {
    match dialect {
        Dialect::OpenClaw2026_2 => 600,
        _ => 172_800,
    }
}

/// A view of the config root with pointer-carrying lookups.
struct Root<'a> {
    val: &'a Value,
    obj: &'a Map<String, Value>,
    base: &'a str,
}

impl<'a> Root<'a> {
    fn get(&self, path: &[&str]) -> Option<&'a Value> {
        let mut v = self.obj.get(*path.first()?)?;
        for p in &path[1..] {
            v = match v {
                Value::Object(m) => m.get(*p)?,
                Value::Array(a) => a.get(p.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(v)
    }

    fn pointer(&self, path: &[&str]) -> String {
        pointer(self.base, path)
    }

    /// `{present, value, pointer}` for the setting at `path`.
    fn field(&self, path: &[&str]) -> Value {
        field_of(self.get(path), self.pointer(path))
    }

    fn obj(&self, path: &[&str]) -> Option<&'a Map<String, Value>> {
        self.get(path).and_then(Value::as_object)
    }
}

fn pointer(base: &str, path: &[&str]) -> String {
    let mut p = String::with_capacity(base.len() + path.iter().map(|s| s.len() + 1).sum::<usize>());
    p.push_str(base);
    for s in path {
        p.push('/');
        p.push_str(&esc(s));
    }
    p
}

fn field_of(v: Option<&Value>, pointer: String) -> Value {
    match v {
        Some(v) => object! {"present" => true, "value" => v.clone(), "pointer" => pointer},
        None => object! {"present" => false, "value" => Value::Null, "pointer" => pointer},
    }
}

/// Field of a key inside an object found at `ptr`.
fn sub(obj: Option<&Map<String, Value>>, key: &str, ptr: &str) -> Value {
    field_of(obj.and_then(|o| o.get(key)), format!("{ptr}/{}", esc(key)))
}

/// Builds the posture of a real OpenClaw config.
pub fn posture(
    doc: &Value,
    dialect: Dialect,
    sensitive_re: &regex::Regex,
    settings: &Settings,
) -> Value {
    posture_with(doc, dialect, sensitive_re, settings, &mut Some)
}

/// [`posture`], each agent passed through `each_agent` as it is built:
/// what it returns stays in the posture's `agents`.
pub fn posture_with(
    doc: &Value,
    dialect: Dialect,
    sensitive_re: &regex::Regex,
    settings: &Settings,
    each_agent: &mut dyn FnMut(Value) -> Option<Value>,
) -> Value {
    let mut agents = Vec::new();
    each_agent_of(doc, sensitive_re, &mut |a| agents.extend(each_agent(a)));
    posture_apart(doc, dialect, settings, agents)
}

/// Each agent of the roster, in order, as the posture has it.
pub fn each_agent_of(doc: &Value, sensitive_re: &regex::Regex, each_agent: &mut dyn FnMut(Value)) {
    with_root(doc, |r| agents(r, sensitive_re, each_agent));
}

/// How many agents [`each_agent_of`] gives (the roster's length).
pub fn agent_count(doc: &Value) -> usize {
    with_root(doc, |r| roster(r).count())
}

/// `f` of the document's root (unwrapped from `openclaw`, if it is).
fn with_root<T>(doc: &Value, f: impl FnOnce(&Root<'_>) -> T) -> T {
    let (root, base) = normalise::unwrap(doc);
    let empty = Map::new();
    let r = Root {
        val: root,
        obj: root.as_object().unwrap_or(&empty),
        base,
    };
    f(&r)
}

/// The posture with `agents` as its agents.
pub fn posture_apart(
    doc: &Value,
    dialect: Dialect,
    settings: &Settings,
    agents: Vec<Value>,
) -> Value {
    with_root(doc, |r| posture_of(r, dialect, settings, agents))
}

/// [`posture_apart`] of the document's root.
fn posture_of(r: &Root<'_>, dialect: Dialect, settings: &Settings, agents: Vec<Value>) -> Value {
    let base = r.base;
    let version = match dialect {
        Dialect::OpenClaw2026_2 => "2026.2",
        _ => "2026.9",
    };
    let gateway = gateway(r);
    let (secrets, providers) = secrets(r, settings);
    object! {
        "dialect" => dialect.as_str(),
        "real" => true,
        "version" => version,
        "root" => base,
        "agents" => agents,
        "timeouts" => timeouts(r, dialect),
        "subagents" => object! {
            "archive_after_minutes" => r.field(&["agents", "defaults", "subagents", "archiveAfterMinutes"]),
            "max_concurrent" => r.field(&["agents", "defaults", "subagents", "maxConcurrent"]),
        },
        "concurrency" => object! {"max_concurrent" => r.field(&["agents", "defaults", "maxConcurrent"])},
        "sandbox" => object! {"workspace_access" => r.field(&["agents", "defaults", "sandbox", "workspaceAccess"])},
        "sessions" => object! {"thread_bindings" => thread_bindings(r)},
        "secrets" => secrets,
        "secret_providers" => providers,
        "inventory" => object! {"present" => !settings.secrets.inventory.is_empty()},
        "monitoring" => monitoring(r),
        "gateway" => gateway,
        "exec" => exec_scopes(r),
        "elevated" => elevated(r),
        "channels" => channels(r),
        "tool_profiles" => tool_profiles(r),
        "logging" => object! {"redact_sensitive" => r.field(&["logging", "redactSensitive"])},
        "sandboxes" => sandboxes(r),
        "any_agent_sandboxed" => any_agent_sandboxed(r),
        "hooks" => hooks(r),
        "surface" => surface(r),
    }
}

/// Settings the audit flags on their own: mDNS, MCP Apps, the HTTP tool
/// allowlist and the insecure flags of `config.insecure_or_dangerous_flags`
/// that no other rule judges.
fn surface(r: &Root<'_>) -> Value {
    let mappings: Vec<Value> = match r.get(&["hooks", "mappings"]) {
        Some(Value::Array(a)) => (0..a.len())
            .map(|i| {
                r.field(&[
                    "hooks",
                    "mappings",
                    &i.to_string(),
                    "allowUnsafeExternalContent",
                ])
            })
            .collect(),
        _ => Vec::new(),
    };
    object! {
        "mdns_mode" => r.field(&["discovery", "mdns", "mode"]),
        "mcp_apps_enabled" => r.field(&["mcp", "apps", "enabled"]),
        "http_tools_allow" => r.field(&["gateway", "tools", "allow"]),
        "flags" => object! {
            "apply_patch_workspace_only" => r.field(&["tools", "exec", "applyPatch", "workspaceOnly"]),
            "fs_workspace_only" => r.field(&["tools", "fs", "workspaceOnly"]),
            "browser_private_network" => r.field(&["browser", "ssrfPolicy", "dangerouslyAllowPrivateNetwork"]),
            "gmail_unsafe_external_content" => r.field(&["hooks", "gmail", "allowUnsafeExternalContent"]),
            "mapping_unsafe_external_content" => mappings,
        },
    }
}

/// The roster: `agents.list[]` (2026.2) or `agents.entries` (2026.9); one
/// implicit `main` agent when neither is present.
///
/// An iterator (each entry's id and pointer made as it is read), so that a
/// roster of 100,000 agents is never held whole.
fn roster<'a, 'r>(
    r: &'r Root<'a>,
) -> impl Iterator<Item = (String, String, &'a Map<String, Value>)> + 'r {
    let list = match r.get(&["agents", "list"]) {
        Some(Value::Array(list)) => &list[..],
        _ => &[],
    };
    let list = list.iter().enumerate().filter_map(move |(i, a)| {
        let o = a.as_object()?;
        let id = o
            .get("id")
            .and_then(Value::as_str)
            .map_or_else(|| format!("#{i}"), str::to_string);
        Some((id, r.pointer(&["agents", "list", &i.to_string()]), o))
    });
    let entries = r
        .obj(&["agents", "entries"])
        .into_iter()
        .flatten()
        .filter_map(move |(id, a)| {
            let o = a.as_object()?;
            Some((id.clone(), r.pointer(&["agents", "entries", id]), o))
        });
    list.chain(entries)
}

fn agents(r: &Root<'_>, sensitive_re: &regex::Regex, each_agent: &mut dyn FnMut(Value)) {
    for (id, ptr, a) in roster(r) {
        let runtime = a.get("runtime").and_then(Value::as_object);
        let rptr = format!("{ptr}/runtime");
        let acp = runtime
            .and_then(|rt| rt.get("acp"))
            .and_then(Value::as_object);
        let sensitive = sensitive_re.find(&id).map(|m| m.as_str().to_string());
        each_agent(object! {
            "name" => id,
            "pointer" => ptr,
            "sensitive" => true,
            "sensitive_reason" => match sensitive {
                Some(m) => format!("id matches `{m}`"),
                None => "a real OpenClaw agent runs tools with the gateway's credentials".to_string(),
            },
            "runtime_type" => sub(runtime, "type", &rptr),
            "acp_mode" => sub(acp, "mode", &format!("{rptr}/acp")),
        });
    }
}

/// Run-time limits. OpenClaw has one turn timeout for every agent (no
/// per-agent override in either schema) and one sub-agent run timeout.
fn timeouts(r: &Root<'_>, dialect: Dialect) -> Vec<Value> {
    let mut turn = r.field(&["agents", "defaults", "timeoutSeconds"]);
    turn["setting"] = json!("agents.defaults.timeoutSeconds");
    turn["what"] = json!("agent turn");
    turn["default_seconds"] = json!(default_turn_timeout(dialect));
    turn["default_text"] = json!(format!(
        "OpenClaw {} uses {} s",
        match dialect {
            Dialect::OpenClaw2026_2 => "2026.2",
            _ => "2026.9",
        },
        default_turn_timeout(dialect)
    ));
    let mut sub = r.field(&["agents", "defaults", "subagents", "runTimeoutSeconds"]);
    sub["setting"] = json!("agents.defaults.subagents.runTimeoutSeconds");
    sub["what"] = json!("sub-agent run");
    sub["default_seconds"] = json!(0);
    sub["default_text"] = json!("the default is 0, no timeout");
    vec![turn, sub]
}

fn thread_bindings(r: &Root<'_>) -> Vec<Value> {
    let mut scopes: Vec<(String, Vec<String>)> = vec![(
        "session".into(),
        vec!["session".into(), "threadBindings".into()],
    )];
    if let Some(channels) = r.obj(&["channels"]) {
        for (ch, c) in channels {
            let Some(c) = c.as_object() else { continue };
            if c.contains_key("threadBindings") {
                scopes.push((
                    format!("channels.{ch}"),
                    vec!["channels".into(), ch.clone(), "threadBindings".into()],
                ));
            }
            if let Some(Value::Object(accts)) = c.get("accounts") {
                for (acct, a) in accts {
                    if a.get("threadBindings").is_some() {
                        scopes.push((
                            format!("channels.{ch}.accounts.{acct}"),
                            vec![
                                "channels".into(),
                                ch.clone(),
                                "accounts".into(),
                                acct.clone(),
                                "threadBindings".into(),
                            ],
                        ));
                    }
                }
            }
        }
    }
    scopes
        .into_iter()
        .map(|(scope, path)| {
            let p: Vec<&str> = path.iter().map(String::as_str).collect();
            let tb = r.obj(&p);
            let ptr = r.pointer(&p);
            object! {
                "scope" => scope,
                "setting" => path.join("."),
                "present" => tb.is_some(),
                "pointer" => ptr.clone(),
                "enabled" => sub(tb, "enabled", &ptr),
                "idle_hours" => sub(tb, "idleHours", &ptr),
                "max_age_hours" => sub(tb, "maxAgeHours", &ptr),
                "ttl_hours" => sub(tb, "ttlHours", &ptr),
            }
        })
        .collect()
}

fn gateway(r: &Root<'_>) -> Value {
    let g = ["gateway"];
    let bind = r.get(&["gateway", "bind"]).and_then(Value::as_str);
    let custom_host = r
        .get(&["gateway", "customBindHost"])
        .and_then(Value::as_str)
        .unwrap_or("");
    let loopback_host = custom_host.starts_with("127.") || custom_host == "::1";
    // `loopback` is the default; `custom` on a loopback address is loopback too.
    let exposed = match bind {
        None | Some("loopback") => false,
        Some("custom") => !loopback_host,
        Some(_) => true,
    };
    let funnel = r
        .get(&["gateway", "tailscale", "mode"])
        .and_then(Value::as_str)
        == Some("funnel");
    let f = |rest: &[&str]| {
        let mut p: Vec<&str> = g.to_vec();
        p.extend_from_slice(rest);
        r.field(&p)
    };
    let cred = |key: &str| {
        let mut v = f(&["auth", key]);
        let (kind, length, shown) = classify(r.get(&["gateway", "auth", key]));
        v["kind"] = json!(kind);
        v["length"] = json!(length);
        v["shown"] = json!(shown);
        v["placeholder"] = json!(
            kind == "literal"
                && r.get(&["gateway", "auth", key])
                    .and_then(Value::as_str)
                    .is_some_and(is_placeholder)
        );
        v
    };
    let tailscale = r
        .get(&["gateway", "tailscale", "mode"])
        .and_then(Value::as_str);
    // OpenClaw's own notion (security audit): any bind other than `loopback`,
    // or Tailscale serve/funnel.
    let remote_exposure =
        bind.is_some_and(|b| b != "loopback") || matches!(tailscale, Some("serve" | "funnel"));
    let has = |k: &str| {
        r.get(&["gateway", "auth", k])
            .is_some_and(|v| !matches!(v, Value::String(s) if s.trim().is_empty()))
    };
    let effective_mode = match r.get(&["gateway", "auth", "mode"]).and_then(Value::as_str) {
        Some(m) => Some(m.to_string()),
        None if has("token") => Some("token".into()),
        None if has("password") => Some("password".into()),
        None => None,
    };
    object! {
        "present" => r.obj(&g).is_some(),
        "pointer" => r.pointer(&g),
        "bind" => f(&["bind"]),
        "exposed" => exposed,
        "remote_exposure" => remote_exposure,
        "effective_auth_mode" => effective_mode,
        "funnel" => funnel,
        "auth" => object! {
            "pointer" => r.pointer(&["gateway", "auth"]),
            "mode" => f(&["auth", "mode"]),
            "token" => cred("token"),
            "password" => cred("password"),
            "rate_limit" => f(&["auth", "rateLimit"]),
            "trusted_proxy" => f(&["auth", "trustedProxy"]),
        },
        "control_ui" => object! {
            "enabled" => f(&["controlUi", "enabled"]),
            "allowed_origins" => f(&["controlUi", "allowedOrigins"]),
            "host_header_fallback" => f(&["controlUi", "dangerouslyAllowHostHeaderOriginFallback"]),
            "disable_device_auth" => f(&["controlUi", "dangerouslyDisableDeviceAuth"]),
            "allow_insecure_auth" => f(&["controlUi", "allowInsecureAuth"]),
        },
        "tailscale_mode" => f(&["tailscale", "mode"]),
        "real_ip_fallback" => f(&["allowRealIpFallback"]),
        "trusted_proxies" => f(&["trustedProxies"]),
    }
}

/// A well-known placeholder (`changeme`, `token`, ...), not a secret.
pub fn is_placeholder(s: &str) -> bool {
    let t = s.trim().to_ascii_lowercase();
    [
        "changeme",
        "change-me",
        "change_me",
        "undefined",
        "null",
        "none",
        "password",
        "token",
        "secret",
        "xxx",
        "todo",
        "replace-me",
        "your-token-here",
        "example",
    ]
    .contains(&t.as_str())
}

/// What a credential value is: `literal`, `env-template` (`${VAR}`),
/// `secret-ref`, `empty` or `absent`; its trimmed length; a redacted form.
fn classify(v: Option<&Value>) -> (&'static str, usize, String) {
    match v {
        None => ("absent", 0, String::new()),
        Some(Value::String(s)) => {
            let t = s.trim();
            if t.is_empty() {
                ("empty", 0, String::new())
            } else if !credentials::env_vars(s).is_empty() {
                ("env-template", t.chars().count(), s.clone())
            } else {
                ("literal", t.chars().count(), redact(t))
            }
        }
        Some(v) if credentials::secret_ref(v).is_some() => ("secret-ref", 0, String::new()),
        Some(_) => ("other", 0, String::new()),
    }
}

fn secrets(r: &Root<'_>, settings: &Settings) -> (Vec<Value>, Value) {
    let providers = r.obj(&["secrets", "providers"]);
    let declared: Vec<String> = providers
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default();
    let defaults = r.obj(&["secrets", "defaults"]);
    let mut out = Vec::new();
    credentials::walk(r.val, &mut |path, v, is_cred| {
        let ptr = pointer(r.base, &path.iter().map(String::as_str).collect::<Vec<_>>());
        let name = path.join(".");
        if let Some(sr) = credentials::secret_ref(v) {
            let provider = sr
                .provider
                .clone()
                .or_else(|| {
                    defaults
                        .and_then(|d| d.get(&sr.source))
                        .and_then(Value::as_str)
                        .map(str::to_string)
                })
                .unwrap_or_else(|| "default".into());
            let provider_source = providers
                .and_then(|p| p.get(&provider))
                .and_then(|p| p.get("source"))
                .and_then(Value::as_str);
            let implicit = sr.source == "env" && provider == "default";
            let resolved = match provider_source {
                Some(s) => s == sr.source,
                None => implicit && !declared.contains(&provider),
            };
            let key = format!("{}:{}:{}", sr.source, provider, sr.id);
            out.push(object! {
                "name" => name,
                "pointer" => ptr,
                "kind" => "secret-ref",
                "credential_field" => is_cred,
                "source" => sr.source,
                "provider" => provider.clone(),
                "id" => sr.id.clone(),
                "ref" => key.clone(),
                "provider_declared" => declared.contains(&provider),
                "provider_source" => provider_source,
                "resolved" => resolved,
                "rotation" => rotation(settings, &key, &sr.id),
            });
        } else if let Value::String(s) = v {
            if !is_cred {
                return;
            }
            let vars = credentials::env_vars(s);
            if let Some(var) = vars.first() {
                let key = format!("env:default:{var}");
                out.push(object! {
                    "name" => name.clone(),
                    "pointer" => ptr,
                    "kind" => "env-template",
                    "credential_field" => true,
                    "ref" => key.clone(),
                    "id" => var.clone(),
                    "rotation" => rotation(settings, &key, var),
                });
            } else if !s.trim().is_empty() {
                out.push(object! {
                    "name" => name.clone(),
                    "pointer" => ptr,
                    "kind" => "literal",
                    "credential_field" => true,
                    "shown" => redact(s.trim()),
                    "length" => s.trim().chars().count(),
                });
            }
        }
    });
    let providers = object! {
        "pointer" => r.pointer(&["secrets", "providers"]),
        "declared" => declared,
    };
    (out, providers)
}

/// The rotation declared for a secret in clawcheck.toml's inventory.
fn rotation(settings: &Settings, key: &str, id: &str) -> Value {
    let entry = settings.secrets.inventory.iter().find(|e| {
        e.r#ref.as_deref() == Some(key) || (e.r#ref.is_none() && e.id.as_deref() == Some(id))
    });
    match entry {
        None => object! {"declared" => false},
        Some(e) => {
            let days = match e.rotation.as_deref().map(parse_duration_days) {
                Some(Some(d)) if d.is_finite() => json!(d),
                Some(Some(_)) => json!("never"),
                _ => Value::Null,
            };
            object! {"declared" => true, "value" => e.rotation.clone(), "days" => days}
        }
    }
}

fn monitoring(r: &Root<'_>) -> Value {
    let plugin = r.obj(&["plugins", "entries", "diagnostics-prometheus"]);
    let allowed = match r.get(&["plugins", "allow"]) {
        Some(Value::Array(a)) => a.iter().any(|x| x == "diagnostics-prometheus"),
        _ => true,
    };
    let plugins_on = r.get(&["plugins", "enabled"]) != Some(&Value::Bool(false));
    let prometheus = plugins_on
        && allowed
        && plugin.is_some_and(|p| p.get("enabled") != Some(&Value::Bool(false)));
    object! {
        "present" => true,
        "pointer" => r.pointer(&["diagnostics"]),
        "areas" => Vec::<Value>::new(),
        "diagnostics_enabled" => r.field(&["diagnostics", "enabled"]),
        "otel_enabled" => r.field(&["diagnostics", "otel", "enabled"]),
        "otel_metrics" => r.field(&["diagnostics", "otel", "metrics"]),
        "prometheus_plugin" => prometheus,
    }
}

/// Exec scopes: the global `tools.exec` with `agents.defaults.sandbox`, and
/// every agent that overrides either, with the effective values.
fn exec_scopes(r: &Root<'_>) -> Vec<Value> {
    let keys = ["security", "ask", "mode", "host"];
    let global_exec = r.obj(&["tools", "exec"]);
    let gptr = r.pointer(&["tools", "exec"]);
    let sandbox_ptr = r.pointer(&["agents", "defaults", "sandbox"]);
    let global_sandbox = sub(
        r.obj(&["agents", "defaults", "sandbox"]),
        "mode",
        &sandbox_ptr,
    );
    let mut global = object! {"scope" => "tools.exec", "agent" => Value::Null, "sandbox" => global_sandbox.clone()};
    for k in keys {
        global[k] = sub(global_exec, k, &gptr);
    }
    let mut out = vec![global.clone()];
    for (id, ptr, a) in roster(r) {
        let exec = a
            .get("tools")
            .and_then(|t| t.get("exec"))
            .and_then(Value::as_object);
        let sandbox = a.get("sandbox").and_then(Value::as_object);
        let sandbox_mode = sandbox.and_then(|s| s.get("mode"));
        let own_exec = exec.is_some_and(|e| keys.iter().any(|k| e.contains_key(*k)));
        if !own_exec && sandbox_mode.is_none() {
            continue;
        }
        let eptr = format!("{ptr}/tools/exec");
        let mut s = object! {
            "scope" => format!("agent `{id}`"),
            "agent" => id,
            "agent_pointer" => ptr.clone(),
            "sandbox" => match sandbox_mode {
                Some(v) => object! {"present" => true, "value" => v.clone(), "pointer" => format!("{ptr}/sandbox/mode")},
                None => global_sandbox.clone(),
            },
        };
        for k in keys {
            s[k] = match exec.and_then(|e| e.get(k)) {
                Some(v) => {
                    object! {"present" => true, "value" => v.clone(), "pointer" => format!("{eptr}/{k}")}
                }
                None => global[k].clone(),
            };
        }
        out.push(s);
    }
    out
}

fn elevated(r: &Root<'_>) -> Vec<Value> {
    let mut scopes = vec![("tools".to_string(), vec!["tools".to_string()])];
    for (id, ptr, a) in roster(r) {
        // only an agent with its own `tools.elevated` object is a scope
        if !a
            .get("tools")
            .and_then(|t| t.get("elevated"))
            .is_some_and(Value::is_object)
        {
            continue;
        }
        let rel: Vec<String> = ptr[r.base.len()..]
            .split('/')
            .skip(1)
            .map(|s| s.replace("~1", "/").replace("~0", "~"))
            .chain(["tools".to_string()])
            .collect();
        scopes.push((format!("agent `{id}`"), rel));
    }
    let mut out = Vec::new();
    for (scope, path) in scopes {
        let mut p: Vec<&str> = path.iter().map(String::as_str).collect();
        p.push("elevated");
        let Some(el) = r.obj(&p) else { continue };
        let eptr = r.pointer(&p);
        let enabled = sub(Some(el), "enabled", &eptr);
        if let Some(Value::Object(from)) = el.get("allowFrom") {
            for (ch, list) in from {
                let wildcard = list.as_array().is_some_and(|a| a.iter().any(|x| x == "*"));
                out.push(object! {
                    "scope" => scope.clone(),
                    "channel" => ch.clone(),
                    "pointer" => format!("{eptr}/allowFrom/{}", esc(ch)),
                    "wildcard" => wildcard,
                    "count" => list.as_array().map_or(0, Vec::len),
                    "enabled" => enabled.clone(),
                });
            }
        }
    }
    out
}

fn channels(r: &Root<'_>) -> Vec<Value> {
    let mut out = Vec::new();
    let Some(chs) = r.obj(&["channels"]) else {
        return out;
    };
    for (ch, c) in chs {
        if ch == "defaults" || ch == "modelByChannel" {
            continue;
        }
        let Some(c) = c.as_object() else { continue };
        let ptr = r.pointer(&["channels", ch]);
        let mut push = |name: String, o: &Map<String, Value>, ptr: String| {
            let dm = o.get("dm").and_then(Value::as_object);
            let dptr = format!("{ptr}/dm");
            out.push(object! {
                "name" => name,
                "pointer" => ptr.clone(),
                "enabled" => sub(Some(o), "enabled", &ptr),
                "dm_policy" => sub(Some(o), "dmPolicy", &ptr),
                "group_policy" => sub(Some(o), "groupPolicy", &ptr),
                "allow_from" => sub(Some(o), "allowFrom", &ptr),
                "dm" => object! {
                    "enabled" => sub(dm, "enabled", &dptr),
                    "policy" => sub(dm, "policy", &dptr),
                    "allow_from" => sub(dm, "allowFrom", &dptr),
                },
                "allowlists" => allowlists(o, &ptr),
            });
        };
        push(ch.clone(), c, ptr.clone());
        if let Some(Value::Object(accts)) = c.get("accounts") {
            for (acct, a) in accts {
                if let Some(a) = a.as_object() {
                    push(
                        format!("{ch}.accounts.{acct}"),
                        a,
                        format!("{ptr}/accounts/{}", esc(acct)),
                    );
                }
            }
        }
    }
    out
}

/// Every sender allowlist of a channel or account: `allowFrom`,
/// `groupAllowFrom`, `dm.allowFrom` and `groups.<id>.allowFrom`, with whether
/// it holds `"*"` and how many entries it has.
fn allowlists(o: &Map<String, Value>, ptr: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut add = |setting: String, kind: &str, v: Option<&Value>, p: String| {
        if let Some(Value::Array(a)) = v {
            let wildcard = a
                .iter()
                .position(|x| x.as_str().is_some_and(|s| s.trim() == "*"));
            out.push(object! {
                "setting" => setting,
                "kind" => kind,
                "pointer" => p.clone(),
                "count" => a.len(),
                "wildcard" => wildcard.is_some(),
                "wildcard_pointer" => wildcard.map(|i| format!("{p}/{i}")),
            });
        }
    };
    add(
        "allowFrom".into(),
        "dm",
        o.get("allowFrom"),
        format!("{ptr}/allowFrom"),
    );
    add(
        "groupAllowFrom".into(),
        "group",
        o.get("groupAllowFrom"),
        format!("{ptr}/groupAllowFrom"),
    );
    if let Some(Value::Object(dm)) = o.get("dm") {
        add(
            "dm.allowFrom".into(),
            "dm",
            dm.get("allowFrom"),
            format!("{ptr}/dm/allowFrom"),
        );
    }
    if let Some(Value::Object(groups)) = o.get("groups") {
        for (id, g) in groups {
            add(
                format!("groups.{id}.allowFrom"),
                "group",
                g.get("allowFrom"),
                format!("{ptr}/groups/{}/allowFrom", esc(id)),
            );
        }
    }
    out
}

/// Lexical POSIX normalisation of a host path (`.`, `..`, `//`, trailing
/// `/`), as OpenClaw does before matching its blocked paths; no filesystem.
fn normalize_host_path(raw: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in raw.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    format!("/{}", parts.join("/"))
}

/// The host side of a Docker bind spec `source:target[:mode]` (a Windows
/// drive letter `C:\` stays part of the source).
fn bind_source(spec: &str) -> &str {
    let drive = spec.len() > 2
        && spec.as_bytes()[0].is_ascii_alphabetic()
        && spec.as_bytes()[1] == b':'
        && matches!(spec.as_bytes()[2], b'/' | b'\\');
    let from = if drive { 2 } else { 0 };
    match spec[from..].find(':') {
        Some(i) => &spec[..from + i],
        None => spec,
    }
}

/// Docker sandbox settings: `agents.defaults.sandbox.{docker,browser}` and
/// every agent's own, with the effective sandbox mode of the scope.
fn sandboxes(r: &Root<'_>) -> Vec<Value> {
    let default_mode = r.field(&["agents", "defaults", "sandbox", "mode"]);
    type Scope<'a> = (
        String,
        Option<String>,
        String,
        Option<&'a Map<String, Value>>,
    );
    let mut scopes: Vec<Scope<'_>> = vec![(
        "agents.defaults.sandbox".into(),
        None,
        r.pointer(&["agents", "defaults", "sandbox"]),
        r.obj(&["agents", "defaults", "sandbox"]),
    )];
    for (id, ptr, a) in roster(r) {
        // only an agent with its own sandbox object is a scope
        if !a.get("sandbox").is_some_and(Value::is_object) {
            continue;
        }
        let setting = match ptr.rsplit_once("/agents/list/") {
            Some((_, i)) => format!("agents.list.{i}.sandbox"),
            None => format!("agents.entries.{id}.sandbox"),
        };
        let sb = a.get("sandbox").and_then(Value::as_object);
        scopes.push((setting, Some(id), format!("{ptr}/sandbox"), sb));
    }
    let mut out = Vec::new();
    for (setting, agent, sptr, sb) in scopes {
        let Some(sb) = sb else { continue };
        let mode = match sb.get("mode") {
            Some(v) => {
                object! {"present" => true, "value" => v.clone(), "pointer" => format!("{sptr}/mode")}
            }
            None => default_mode.clone(),
        };
        for kind in ["docker", "browser"] {
            let Some(d) = sb.get(kind).and_then(Value::as_object) else {
                continue;
            };
            let dptr = format!("{sptr}/{kind}");
            let binds: Vec<Value> = match d.get("binds") {
                Some(Value::Array(a)) => a
                    .iter()
                    .enumerate()
                    .filter_map(|(i, b)| {
                        let spec = b.as_str()?;
                        let source = bind_source(spec);
                        let absolute = source.starts_with('/')
                            || (source.len() > 2
                                && source.as_bytes()[1] == b':'
                                && matches!(source.as_bytes()[2], b'/' | b'\\'));
                        Some(object! {
                            "value" => spec,
                            "pointer" => format!("{dptr}/binds/{i}"),
                            "source" => source,
                            "empty" => spec.trim().is_empty(),
                            "absolute" => absolute,
                            "normalized" => if source.starts_with('/') { normalize_host_path(source) } else { source.to_string() },
                        })
                    })
                    .collect(),
                _ => Vec::new(),
            };
            out.push(object! {
                "setting" => format!("{setting}.{kind}"),
                "kind" => kind,
                "agent" => agent.clone(),
                "pointer" => dptr.clone(),
                "mode" => mode.clone(),
                "configured" => !d.is_empty(),
                "binds" => binds,
                "network" => sub(Some(d), "network", &dptr),
                "seccomp_profile" => sub(Some(d), "seccompProfile", &dptr),
                "apparmor_profile" => sub(Some(d), "apparmorProfile", &dptr),
                "allow_container_join" => sub(Some(d), "dangerouslyAllowContainerNamespaceJoin", &dptr),
                "allow_external_binds" => sub(Some(d), "dangerouslyAllowExternalBindSources", &dptr),
                "allow_reserved_targets" => sub(Some(d), "dangerouslyAllowReservedContainerTargets", &dptr),
            });
        }
    }
    out
}

/// Whether an agent of the roster runs sandboxed (its own `sandbox.mode`, or
/// the default's, is not `off`).
fn any_agent_sandboxed(r: &Root<'_>) -> bool {
    let default = r
        .get(&["agents", "defaults", "sandbox", "mode"])
        .and_then(Value::as_str);
    roster(r).any(|(_, _, a)| {
        let own = a
            .get("sandbox")
            .and_then(|s| s.get("mode"))
            .and_then(Value::as_str);
        own.or(default).unwrap_or("off") != "off"
    })
}

/// Webhook ingress (`hooks.*`) and how its token compares with the gateway's
/// shared secret.
fn hooks(r: &Root<'_>) -> Value {
    let h = r.obj(&["hooks"]);
    let ptr = r.pointer(&["hooks"]);
    let token = r.get(&["hooks", "token"]);
    let (kind, length, shown) = classify(token);
    // The gateway secret OpenClaw compares with: the token in token mode, the
    // password in password/trusted-proxy mode.
    let mode = r.get(&["gateway", "auth", "mode"]).and_then(Value::as_str);
    let gw_key = match mode {
        Some("token") => Some("token"),
        Some("password" | "trusted-proxy") => Some("password"),
        Some(_) => None,
        None if r.get(&["gateway", "auth", "token"]).is_some() => Some("token"),
        None if r.get(&["gateway", "auth", "password"]).is_some() => Some("password"),
        None => None,
    };
    let same = |a: &Value, b: &Value| -> bool {
        let ident = |v: &Value| -> Option<String> {
            match v {
                Value::String(s) if !s.trim().is_empty() => {
                    let vars = credentials::env_vars(s);
                    if vars.len() == 1 && s.trim() == format!("${{{}}}", vars[0]) {
                        Some(format!("env:{}", vars[0]))
                    } else {
                        Some(format!("literal:{}", s.trim()))
                    }
                }
                v => credentials::secret_ref(v)
                    .filter(|sr| sr.source == "env")
                    .map(|sr| format!("env:{}", sr.id)),
            }
        };
        matches!((ident(a), ident(b)), (Some(x), Some(y)) if x == y)
    };
    let reuse = match (token, gw_key) {
        (Some(t), Some(k)) => r
            .get(&["gateway", "auth", k])
            .is_some_and(|g| same(t, g))
            .then_some(k),
        _ => None,
    };
    let allowed: Option<Vec<Value>> = h
        .and_then(|h| h.get("allowedAgentIds"))
        .and_then(Value::as_array)
        .cloned();
    let agents_unrestricted = match &allowed {
        None => true,
        Some(a) => a
            .iter()
            .any(|x| x.as_str().is_some_and(|s| s.trim() == "*")),
    };
    let prefixes = h
        .and_then(|h| h.get("allowedSessionKeyPrefixes"))
        .and_then(Value::as_array)
        .map_or(0, |a| {
            a.iter()
                .filter(|x| x.as_str().is_some_and(|s| !s.trim().is_empty()))
                .count()
        });
    let path = sub(h, "path", &ptr);
    object! {
        "present" => h.is_some(),
        "pointer" => ptr.clone(),
        "enabled" => sub(h, "enabled", &ptr),
        "path" => path,
        "token" => object! {
            "present" => token.is_some(),
            "pointer" => format!("{ptr}/token"),
            "kind" => kind,
            "length" => length,
            "shown" => shown,
            "placeholder" => kind == "literal" && token.and_then(Value::as_str).is_some_and(is_placeholder),
            "reuses_gateway" => reuse,
        },
        "default_session_key" => sub(h, "defaultSessionKey", &ptr),
        "allow_request_session_key" => sub(h, "allowRequestSessionKey", &ptr),
        "allowed_session_key_prefixes" => sub(h, "allowedSessionKeyPrefixes", &ptr),
        "session_key_prefix_count" => prefixes,
        "allowed_agent_ids" => sub(h, "allowedAgentIds", &ptr),
        "agents_unrestricted" => agents_unrestricted,
    }
}

/// Each tool profile with the sandbox mode of its scope (the agent's own
/// `sandbox.mode`, else `agents.defaults.sandbox.mode`; `null` when unset).
fn tool_profiles(r: &Root<'_>) -> Vec<Value> {
    let default_sandbox = r.get(&["agents", "defaults", "sandbox", "mode"]);
    let mut out = vec![{
        let mut f = r.field(&["tools", "profile"]);
        f["scope"] = json!("tools");
        f["sandbox"] = json!(default_sandbox);
        f
    }];
    for (id, ptr, a) in roster(r) {
        if let Some(p) = a.get("tools").and_then(|t| t.get("profile")) {
            let sandbox = a
                .get("sandbox")
                .and_then(|s| s.get("mode"))
                .or(default_sandbox);
            out.push(object! {"present" => true, "value" => p.clone(), "pointer" => format!("{ptr}/tools/profile"), "scope" => format!("agent `{id}`"), "sandbox" => sandbox.cloned()});
        }
    }
    out
}

/// The strings of `v` (at `path`) that read as credentials pasted into the
/// wrong field ([`pasted_credential`]); `named` when a key on the way names
/// authentication or a credential.
fn pasted_credentials<'a>(
    v: &'a Value,
    path: &mut Vec<Result<&'a str, usize>>,
    named: bool,
    out: &mut Vec<(Vec<String>, String)>,
) {
    match v {
        Value::String(s) if named && pasted_credential(s) => {
            let at = path
                .iter()
                .map(|t| match t {
                    Ok(k) => (*k).to_string(),
                    Err(i) => i.to_string(),
                })
                .collect();
            out.push((at, s.trim().to_string()));
        }
        Value::Object(m) => {
            for (k, sub) in m {
                path.push(Ok(k));
                pasted_credentials(sub, path, named || names_a_credential(k), out);
                path.pop();
            }
        }
        Value::Array(a) => {
            for (i, sub) in a.iter().enumerate() {
                path.push(Err(i));
                pasted_credentials(sub, path, named, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// A key that names authentication or a credential (ASCII case aside):
/// `auth`, `*Auth`, `*token*`, `*secret*`, `*password*`, `*passwd*`,
/// `*apikey*`, `*api_key*`, `*credential*`.
fn names_a_credential(key: &str) -> bool {
    let k = key.as_bytes();
    let has = |w: &[u8]| k.windows(w.len()).any(|x| x.eq_ignore_ascii_case(w));
    (k.len() >= 4 && k[k.len() - 4..].eq_ignore_ascii_case(b"auth"))
        || [
            &b"token"[..],
            b"secret",
            b"password",
            b"passwd",
            b"apikey",
            b"api_key",
            b"credential",
        ]
        .iter()
        .any(|w| has(w))
}

/// Whether `s`, under a key that names a credential but outside every
/// credential field, reads as a credential pasted into the wrong field:
/// random-looking (no blank, 2 digits and 6 letters or more, 12 to 4,096
/// bytes, 3.5 bits of entropy per byte or more), not a URL, path, pointer or
/// `${VAR}` reference.
pub fn pasted_credential(s: &str) -> bool {
    let t = s.trim();
    (12..=4096).contains(&t.len())
        && !t.bytes().any(|b| b.is_ascii_whitespace() || b == b'/')
        && !t.contains("${")
        && t.bytes().filter(u8::is_ascii_digit).count() >= 2
        && t.bytes().filter(u8::is_ascii_alphabetic).count() >= 6
        && crate::checks::secrets::entropy(t.as_bytes()) >= 3.5
}

/// Every literal credential written in the config (strings in credential
/// fields that are not `${VAR}` templates, and a policy profile's secret
/// `value`s): what a redaction gate must never let out whole. Each with its
/// path (keys and array indices from `root`), trimmed, in document order.
pub fn credential_literal_paths(root: &Value) -> Vec<(Vec<String>, String)> {
    let mut out = Vec::new();
    // a string (not a bare `${VAR}` template), a number, or either in an
    // array: what OpenClaw would take, or rejects but the file still holds
    let literal = |s: &str| {
        let t = s.trim();
        (!t.is_empty()
            && (credentials::env_vars(s).is_empty()
                || crate::redact::literal_remainder(t, false) >= 8))
            .then(|| t.to_string())
    };
    // a credential pasted where it does not belong (`auth: "<token>"`,
    // `auth: { mode: "<token>" }`): OpenClaw rejects the file, which still
    // holds it
    pasted_credentials(root, &mut Vec::new(), false, &mut out);
    credentials::walk_all(root, &mut |p, v, is_cred| {
        if !is_cred {
            return;
        }
        match v {
            Value::String(s) => out.extend(literal(s).map(|t| (p.to_vec(), t))),
            Value::Number(n) => out.push((p.to_vec(), n.to_string())),
            Value::Array(a) => {
                for (i, e) in a.iter().enumerate() {
                    let mut at = p.to_vec();
                    at.push(i.to_string());
                    match e {
                        Value::String(s) => out.extend(literal(s).map(|t| (at, t))),
                        Value::Number(n) => out.push((at, n.to_string())),
                        _ => {}
                    }
                }
            }
            // a SecretRef from the environment whose `id` is no variable's
            // name: a secret pasted where the name goes
            Value::Object(o) => {
                if let (Some("env"), Some(id)) = (
                    o.get("source").and_then(Value::as_str),
                    o.get("id").and_then(Value::as_str),
                ) {
                    let name = id.len() <= 128
                        && id.starts_with(|c: char| c.is_ascii_uppercase())
                        && id
                            .bytes()
                            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
                    if !name && id.trim().len() >= crate::redact::MIN_SECRET_LEN {
                        let mut at = p.to_vec();
                        at.push("id".into());
                        out.push((at, id.trim().to_string()));
                    }
                }
            }
            _ => {}
        }
    });
    if let Some(Value::Object(secrets)) = root.get("secrets") {
        for (name, s) in secrets {
            let at = vec!["secrets".into(), name.clone(), "value".into()];
            match s.get("value") {
                Some(Value::String(v)) if !v.trim().is_empty() => {
                    out.push((at, v.trim().to_string()));
                }
                Some(Value::Number(n)) => out.push((at, n.to_string())),
                Some(Value::Array(a)) => {
                    for (i, e) in a.iter().enumerate() {
                        let mut at = at.clone();
                        at.push(i.to_string());
                        match e {
                            Value::String(v) if !v.trim().is_empty() => {
                                out.push((at, v.trim().to_string()))
                            }
                            Value::Number(n) => out.push((at, n.to_string())),
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// The JSON Pointers (under `base`) of every credential field of a config,
/// whatever its value: the fields whose earlier duplicate is a secret too.
pub fn credential_pointers(root: &Value, base: &str) -> std::collections::HashSet<String> {
    let mut out = std::collections::HashSet::new();
    credentials::walk(root, &mut |p, _, is_cred| {
        if is_cred {
            let mut pointer = base.to_string();
            for t in p {
                pointer.push('/');
                pointer.push_str(&crate::load::escape_pointer_token(t));
            }
            out.insert(pointer);
        }
    });
    if let Some(Value::Object(secrets)) = root.get("secrets") {
        for name in secrets.keys() {
            out.insert(format!(
                "{base}/secrets/{}/value",
                crate::load::escape_pointer_token(name)
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gateway_exposure() {
        let s = Settings::default();
        let re = s.sensitivity_regex();
        let p = posture(
            &json!({"gateway": {"bind": "custom", "customBindHost": "127.0.0.1"}}),
            Dialect::OpenClaw2026_9,
            &re,
            &s,
        );
        assert_eq!(p["gateway"]["exposed"], false);
        let p = posture(
            &json!({"gateway": {"bind": "lan"}}),
            Dialect::OpenClaw2026_9,
            &re,
            &s,
        );
        assert_eq!(p["gateway"]["exposed"], true);
        assert_eq!(
            p["gateway"]["auth"]["rate_limit"]["pointer"],
            "/gateway/auth/rateLimit"
        );
    }

    #[test]
    fn secret_refs_resolve_against_declared_providers() {
        let s = Settings::default();
        let re = s.sensitivity_regex();
        let doc = json!({
            "secrets": {"providers": {"files": {"source": "file", "path": "/x"}}},
            "models": {"providers": {
                "a": {"apiKey": {"source": "env", "provider": "default", "id": "A"}},
                "b": {"apiKey": {"source": "file", "provider": "vault", "id": "/b"}},
                "c": {"apiKey": {"source": "env", "provider": "files", "id": "C"}},
                "d": {"apiKey": "${D_KEY}"},
                "e": {"apiKey": "sk-live-abcdefgh"},
            }},
        });
        let p = posture(&doc, Dialect::OpenClaw2026_9, &re, &s);
        let by = |n: &str| {
            p["secrets"]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["name"] == n)
                .cloned()
                .unwrap()
        };
        assert_eq!(by("models.providers.a.apiKey")["resolved"], true);
        assert_eq!(by("models.providers.b.apiKey")["resolved"], false);
        assert_eq!(by("models.providers.c.apiKey")["resolved"], false);
        assert_eq!(by("models.providers.d.apiKey")["kind"], "env-template");
        let e = by("models.providers.e.apiKey");
        assert_eq!(e["kind"], "literal");
        assert_eq!(e["shown"], "sk-…[16 chars]");
    }
}
