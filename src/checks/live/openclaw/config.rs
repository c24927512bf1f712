//! The copy of the user's config that `--live --openclaw` runs: every model
//! provider redirected to the stub, credentials replaced by dummies, the
//! workspace inside the private state dir. The user's file is only read.

use serde_json::{json, Map, Value};

/// What every credential in the copy becomes. It never leaves the private
/// network namespace (only the stub on its loopback can be reached).
pub const DUMMY: &str = "clawcheck-dummy-credential";

/// What the run needs to know about the copy.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    pub config: Value,
    /// The agent the turns run as (`--agent`).
    pub agent: String,
    /// The agent's `timeoutSeconds` and the setting it came from; None when unset.
    pub timeout: Option<(f64, String)>,
    /// Providers redirected to the stub (name → the model ids kept).
    pub providers: Vec<String>,
    /// Credential-like values replaced by [`DUMMY`] (JSON pointers).
    pub dummied: Vec<String>,
}

/// Replaces every credential of the copy by [`DUMMY`]: SecretRefs (they
/// resolve from the environment or files outside the sandbox), `${VAR}`
/// substitutions (the run passes no such variables) and every string in a
/// credential field of OpenClaw's own matrix
/// ([`crate::openclaw::is_credential_path`]).
fn dummy_credentials(v: &mut Value, path: &mut Vec<String>, out: &mut Vec<String>) {
    use crate::openclaw::{env_vars, is_credential_path, secret_ref};
    if path.len() > crate::load::MAX_DEPTH {
        return;
    }
    let replace = secret_ref(v).is_some()
        || v.as_str().is_some_and(|s| {
            !env_vars(s).is_empty() || (!s.is_empty() && is_credential_path(path))
        });
    if replace {
        *v = Value::String(DUMMY.into());
        out.push(
            path.iter()
                .map(|t| format!("/{}", crate::load::escape_pointer_token(t)))
                .collect(),
        );
        return;
    }
    match v {
        Value::Object(o) => {
            for (k, x) in o.iter_mut() {
                path.push(k.clone());
                dummy_credentials(x, path, out);
                path.pop();
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter_mut().enumerate() {
                path.push(i.to_string());
                dummy_credentials(x, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// `provider/model` references of a model setting (a string or
/// `{primary, fallbacks}`).
fn model_refs(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Object(o)) => {
            let mut r: Vec<String> = o
                .get("primary")
                .and_then(|p| p.as_str())
                .map(|s| vec![s.to_string()])
                .unwrap_or_default();
            if let Some(Value::Array(f)) = o.get("fallbacks") {
                r.extend(f.iter().filter_map(|x| x.as_str().map(String::from)));
            }
            r
        }
        _ => Vec::new(),
    }
}

/// The agent a turn runs as and the JSON pointer of its entry: the
/// `default: true` entry of `agents.entries` (2026.9) or `agents.list`
/// (2026.2), else `main` when there is one, else the first entry, else
/// `main` (OpenClaw's default agent id).
fn default_agent(cfg: &Value) -> (String, Option<String>) {
    let is_default = |a: &Value| a.get("default").and_then(|d| d.as_bool()) == Some(true);
    if let Some(m) = cfg.pointer("/agents/entries").and_then(|l| l.as_object()) {
        let id = m
            .iter()
            .find(|(_, a)| is_default(a))
            .map(|(k, _)| k.clone())
            .or_else(|| m.contains_key("main").then(|| "main".to_string()))
            .or_else(|| m.keys().next().cloned());
        if let Some(id) = id {
            let ptr = format!("/agents/entries/{}", crate::load::escape_pointer_token(&id));
            return (id, Some(ptr));
        }
    }
    if let Some(list) = cfg.pointer("/agents/list").and_then(|l| l.as_array()) {
        let id_of = |a: &Value| a.get("id").and_then(|s| s.as_str()).map(String::from);
        let idx = list
            .iter()
            .position(is_default)
            .or_else(|| {
                list.iter()
                    .position(|a| id_of(a).as_deref() == Some("main"))
            })
            .or(if list.is_empty() { None } else { Some(0) });
        if let Some((i, id)) = idx.and_then(|i| id_of(&list[i]).map(|id| (i, id))) {
            return (id, Some(format!("/agents/list/{i}")));
        }
    }
    ("main".into(), None)
}

/// Builds the copy. `workspace` is the private workspace dir (absolute).
pub fn prepare(user: &Value, workspace: &str) -> Result<Prepared, String> {
    let mut cfg = user.clone();
    if !cfg.is_object() {
        return Err("the config is not an object".into());
    }
    if crate::include::has_include(&cfg) {
        return Err(
            "`$include` is not supported by --openclaw yet: run it on a config without includes"
                .into(),
        );
    }
    let mut dummied = Vec::new();
    dummy_credentials(&mut cfg, &mut Vec::new(), &mut dummied);

    let (agent, agent_ptr) = default_agent(&cfg);

    // Every model the agent may use, so each has a provider entry to redirect.
    let mut refs = model_refs(cfg.pointer("/agents/defaults/model"));
    if let Some(p) = &agent_ptr {
        refs.extend(model_refs(cfg.pointer(&format!("{p}/model"))));
    }
    if refs.is_empty() {
        // No model configured: OpenClaw would pick its built-in default; the
        // run names one of its own so the turn reaches the stub.
        refs.push("clawcheck-stub/stub".into());
        set(
            &mut cfg,
            &["agents", "defaults"],
            "model",
            json!("clawcheck-stub/stub"),
        );
    }
    let root = cfg.as_object_mut().expect("checked above");
    let models = obj(root, "models");
    let providers = obj(models, "providers");
    for r in &refs {
        let (prov, model) = r.split_once('/').unwrap_or(("clawcheck-stub", r));
        let p = obj(providers, prov);
        let list = p.entry("models").or_insert_with(|| json!([]));
        if !list.is_array() {
            *list = json!([]);
        }
        let list = list.as_array_mut().expect("an array");
        if !list
            .iter()
            .any(|m| m.get("id").and_then(|i| i.as_str()) == Some(model))
        {
            list.push(json!({"id": model, "name": model}));
        }
    }
    let names: Vec<String> = providers.keys().cloned().collect();
    for p in providers.values_mut() {
        if let Some(o) = p.as_object_mut() {
            // The port is filled in once the stub listens ([`point_at`]).
            o.insert("baseUrl".into(), json!("http://127.0.0.1:0/v1"));
            o.insert("api".into(), json!("openai-completions"));
            o.insert("apiKey".into(), json!(DUMMY));
            o.remove("headers");
            o.remove("auth");
        }
    }
    confine_paths(&mut cfg, workspace);
    let timeout = agent_ptr
        .as_ref()
        .and_then(|p| {
            cfg.pointer(&format!("{p}/timeoutSeconds"))
                .and_then(|t| t.as_f64())
                .map(|t| {
                    (
                        t,
                        format!(
                            "{}.timeoutSeconds",
                            p.trim_start_matches('/').replace('/', ".")
                        ),
                    )
                })
        })
        .or_else(|| {
            cfg.pointer("/agents/defaults/timeoutSeconds")
                .and_then(|t| t.as_f64())
                .map(|t| (t, "agents.defaults.timeoutSeconds".to_string()))
        });
    Ok(Prepared {
        config: cfg,
        agent,
        timeout,
        providers: names,
        dummied,
    })
}

/// Keeps what the run writes inside the sandbox: every agent's workspace is
/// `workspace`; agent dirs, working dirs, the session store, the log file and
/// the worktree root fall back to their defaults below the private state dir.
fn confine_paths(cfg: &mut Value, workspace: &str) {
    set(cfg, &["agents", "defaults"], "workspace", json!(workspace));
    let mut agents: Vec<&mut Value> = Vec::new();
    if let Some(a) = cfg.get_mut("agents").and_then(|a| a.as_object_mut()) {
        for (k, v) in a.iter_mut() {
            match (k.as_str(), v) {
                ("defaults", v) => agents.push(v),
                ("entries", Value::Object(m)) => agents.extend(m.values_mut()),
                ("list", Value::Array(l)) => agents.extend(l.iter_mut()),
                _ => {}
            }
        }
    }
    for a in agents {
        if let Some(o) = a.as_object_mut() {
            o.remove("agentDir");
            o.remove("cwd");
            if o.contains_key("workspace") {
                o.insert("workspace".into(), json!(workspace));
            }
        }
    }
    for (section, key) in [("session", "store"), ("logging", "file")] {
        if let Some(o) = cfg.get_mut(section).and_then(|s| s.as_object_mut()) {
            o.remove(key);
        }
    }
    if let Some(o) = cfg.as_object_mut() {
        o.remove("worktreeRoot");
    }
}

/// The metrics exporters a config declares (as OC220 reads them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Exporters {
    /// The `diagnostics-prometheus` plugin is enabled (and allowed): the
    /// gateway serves `GET /api/diagnostics/prometheus`.
    pub prometheus: bool,
    /// `diagnostics.otel.enabled` with metrics on: OTLP/HTTP pushes to the
    /// configured endpoint.
    pub otel_metrics: bool,
}

pub fn exporters(cfg: &Value) -> Exporters {
    let t = |p: &str| cfg.pointer(p) == Some(&Value::Bool(true));
    let f = |p: &str| cfg.pointer(p) == Some(&Value::Bool(false));
    let allowed = match cfg.pointer("/plugins/allow") {
        Some(Value::Array(a)) => a.iter().any(|x| x == "diagnostics-prometheus"),
        _ => true,
    };
    let plugin = cfg.pointer("/plugins/entries/diagnostics-prometheus");
    Exporters {
        prometheus: !f("/plugins/enabled")
            && allowed
            && plugin.is_some_and(|p| p.get("enabled") != Some(&Value::Bool(false))),
        otel_metrics: !f("/diagnostics/enabled")
            && t("/diagnostics/otel/enabled")
            && !f("/diagnostics/otel/metrics"),
    }
}

/// `agents.defaults.subagents.runTimeoutSeconds` (OpenClaw 2026.9.6 reads no
/// per-agent value): None when unset or not a number.
pub fn subagent_timeout(cfg: &Value) -> Option<f64> {
    cfg.pointer("/agents/defaults/subagents/runTimeoutSeconds")
        .and_then(|t| t.as_f64())
        .filter(|t| t.is_finite())
}

/// The OTLP flush interval the copy runs with (ms): the config's, at most
/// this, so the metrics probe waits a bounded time for an export.
pub const OTEL_FLUSH_MS: u64 = 5_000;

/// Points every provider of the copy at the stub on `port`; an enabled
/// `diagnostics.otel` exports to the stub too (its OTLP/HTTP paths are
/// recorded), flushing at least every [`OTEL_FLUSH_MS`].
pub fn point_at(cfg: &mut Value, port: u16) {
    if let Some(o) = cfg
        .pointer_mut("/diagnostics/otel")
        .and_then(|o| o.as_object_mut())
    {
        let base = format!("http://127.0.0.1:{port}");
        o.insert("endpoint".into(), json!(base));
        for (key, path) in [
            ("tracesEndpoint", "traces"),
            ("metricsEndpoint", "metrics"),
            ("logsEndpoint", "logs"),
        ] {
            if o.contains_key(key) {
                o.insert(key.into(), json!(format!("{base}/v1/{path}")));
            }
        }
        o.remove("headers");
        let flush = o.get("flushIntervalMs").and_then(|f| f.as_u64());
        if !flush.is_some_and(|f| f > 0 && f <= OTEL_FLUSH_MS) {
            o.insert("flushIntervalMs".into(), json!(OTEL_FLUSH_MS));
        }
    }
    if let Some(ps) = cfg
        .pointer_mut("/models/providers")
        .and_then(|p| p.as_object_mut())
    {
        for p in ps.values_mut() {
            if let Some(o) = p.as_object_mut() {
                o.insert(
                    "baseUrl".into(),
                    json!(format!("http://127.0.0.1:{port}/v1")),
                );
            }
        }
    }
}

/// Makes the copy's gateway a local one on `port` of the namespace's
/// loopback with token auth ([`DUMMY`], passed as `OPENCLAW_GATEWAY_TOKEN`),
/// never a remote one.
pub fn for_gateway(cfg: &mut Value, port: u16) {
    let root = cfg.as_object_mut().expect("an object");
    let g = obj(root, "gateway");
    g.insert("mode".into(), json!("local"));
    g.insert("port".into(), json!(port));
    g.insert("bind".into(), json!("loopback"));
    g.insert("auth".into(), json!({"mode": "token", "token": DUMMY}));
    g.insert("tailscale".into(), json!({"mode": "off"}));
    g.remove("remote");
}

fn obj<'a>(m: &'a mut Map<String, Value>, k: &str) -> &'a mut Map<String, Value> {
    let v = m.entry(k).or_insert_with(|| json!({}));
    if !v.is_object() {
        *v = json!({});
    }
    v.as_object_mut().expect("an object")
}

fn set(cfg: &mut Value, path: &[&str], key: &str, value: Value) {
    let mut m = cfg.as_object_mut().expect("an object");
    for p in path {
        m = obj(m, p);
    }
    m.insert(key.into(), value);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn providers_redirected_and_credentials_dummied() {
        let user = json!({
            "gateway": {"auth": {"mode": "token", "token": {"source": "env", "provider": "default", "id": "OPENCLAW_GATEWAY_TOKEN"}}},
            "models": {"providers": {
                "openai": {"baseUrl": "https://api.openai.com/v1", "apiKey": "sk-live-realkey", "api": "openai-responses",
                           "models": [{"id": "gpt-5.2", "name": "GPT"}]},
            }},
            "channels": {"telegram": {"botToken": "${TELEGRAM_BOT_TOKEN}"}},
            "agents": {"defaults": {"model": {"primary": "anthropic/claude-opus-4-6", "fallbacks": ["openai/gpt-5.2"]},
                                     "timeoutSeconds": 5, "workspace": "/home/u/work"}},
        });
        let p = prepare(&user, "/sandbox/ws").unwrap();
        assert_eq!(p.agent, "main");
        assert_eq!(
            p.timeout,
            Some((5.0, "agents.defaults.timeoutSeconds".into()))
        );
        let mut c = p.config;
        point_at(&mut c, 4242);
        for prov in ["openai", "anthropic"] {
            let o = &c["models"]["providers"][prov];
            assert_eq!(o["baseUrl"], "http://127.0.0.1:4242/v1", "{prov}");
            assert_eq!(o["api"], "openai-completions");
            assert_eq!(o["apiKey"], DUMMY);
        }
        assert_eq!(
            c["models"]["providers"]["anthropic"]["models"][0]["id"],
            "claude-opus-4-6"
        );
        assert_eq!(c["gateway"]["auth"]["token"], DUMMY);
        assert_eq!(c["gateway"]["auth"]["mode"], "token");
        assert_eq!(c["channels"]["telegram"]["botToken"], DUMMY);
        assert_eq!(c["agents"]["defaults"]["workspace"], "/sandbox/ws");
        let text = c.to_string();
        assert!(!text.contains("sk-live-realkey") && !text.contains("api.openai.com"));
        // The user's value is untouched.
        assert_eq!(
            user["models"]["providers"]["openai"]["apiKey"],
            "sk-live-realkey"
        );
    }

    #[test]
    fn default_agent_and_its_timeout() {
        let user = json!({"agents": {"defaults": {"timeoutSeconds": 120},
            "list": [{"id": "ops"}, {"id": "home", "default": true, "timeoutSeconds": 7, "model": "x/y"}]}});
        let p = prepare(&user, "/w").unwrap();
        assert_eq!(p.agent, "home");
        assert_eq!(
            p.timeout,
            Some((7.0, "agents.list.1.timeoutSeconds".into()))
        );
        assert!(p.providers.contains(&"x".to_string()));
        let none = prepare(&json!({}), "/w").unwrap();
        assert_eq!(none.timeout, None);
        assert_eq!(
            none.config["agents"]["defaults"]["model"],
            "clawcheck-stub/stub"
        );
        assert_eq!(none.providers, vec!["clawcheck-stub".to_string()]);
    }

    #[test]
    fn entries_of_2026_9() {
        let user = json!({"agents": {"defaults": {"timeoutSeconds": 5, "model": "anthropic/claude-opus-4-6"},
            "entries": {"ops": {"name": "Ops"}, "main": {"name": "Main", "workspace": "/srv/ws"}}}});
        let p = prepare(&user, "/w").unwrap();
        assert_eq!(p.agent, "main");
        assert_eq!(
            p.timeout,
            Some((5.0, "agents.defaults.timeoutSeconds".into()))
        );
        assert_eq!(p.config["agents"]["entries"]["main"]["workspace"], "/w");
        let confined = prepare(
            &json!({"session": {"store": "/home/u/.openclaw/s.json", "dmScope": "main"},
                    "logging": {"file": "/var/log/oc.log"}, "worktreeRoot": "/srv/wt",
                    "agents": {"defaults": {"cwd": "/srv"}, "entries": {"main": {"agentDir": "/home/u/a", "cwd": "/x"}}}}),
            "/w",
        )
        .unwrap()
        .config;
        let text = confined.to_string();
        for outside in ["/home/u", "/var/log", "/srv"] {
            assert!(!text.contains(outside), "{outside} in {text}");
        }
        assert_eq!(confined["session"]["dmScope"], "main");
        let d = prepare(
            &json!({"agents": {"entries": {"a": {}, "b": {"default": true}}}}),
            "/w",
        )
        .unwrap();
        assert_eq!(d.agent, "b");
    }

    #[test]
    fn gateway_is_local_on_the_given_port() {
        let mut c = json!({"gateway": {"mode": "remote", "bind": "lan", "remote": {"url": "wss://x"},
            "auth": {"mode": "none"}}});
        for_gateway(&mut c, 4711);
        let g = &c["gateway"];
        assert_eq!(g["mode"], "local");
        assert_eq!(g["port"], 4711);
        assert_eq!(g["bind"], "loopback");
        assert_eq!(g["auth"]["token"], DUMMY);
        assert!(g.get("remote").is_none());
    }

    #[test]
    fn exporters_and_otel_redirect() {
        let none = json!({});
        assert_eq!(exporters(&none), Exporters::default());
        let mut c = json!({
            "diagnostics": {"otel": {"enabled": true, "endpoint": "https://otel.example.com",
                "metricsEndpoint": "https://m.example.com/v1/metrics",
                "headers": {"x-api-key": "k"}, "flushIntervalMs": 60000}},
            "plugins": {"entries": {"diagnostics-prometheus": {"enabled": true}}},
            "agents": {"defaults": {"subagents": {"runTimeoutSeconds": 10}}},
        });
        assert_eq!(
            exporters(&c),
            Exporters {
                prometheus: true,
                otel_metrics: true
            }
        );
        assert_eq!(subagent_timeout(&c), Some(10.0));
        point_at(&mut c, 4242);
        let o = &c["diagnostics"]["otel"];
        assert_eq!(o["endpoint"], "http://127.0.0.1:4242");
        assert_eq!(o["metricsEndpoint"], "http://127.0.0.1:4242/v1/metrics");
        assert!(o.get("tracesEndpoint").is_none() && o.get("headers").is_none());
        assert_eq!(o["flushIntervalMs"], OTEL_FLUSH_MS);
        // Off switches, and an allowlist without the plugin.
        for off in [
            json!({"diagnostics": {"enabled": false, "otel": {"enabled": true}}}),
            json!({"diagnostics": {"otel": {"enabled": true, "metrics": false}}}),
            json!({"plugins": {"allow": ["x"], "entries": {"diagnostics-prometheus": {}}}}),
            json!({"plugins": {"entries": {"diagnostics-prometheus": {"enabled": false}}}}),
        ] {
            assert_eq!(exporters(&off), Exporters::default(), "{off}");
        }
        assert_eq!(subagent_timeout(&json!({})), None);
    }

    #[test]
    fn includes_are_refused() {
        let e = prepare(&json!({"$include": "./more.json5"}), "/w").unwrap_err();
        assert!(e.contains("$include"), "{e}");
    }
}
