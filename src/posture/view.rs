//! The typed view of the posture: the one place Rust code reads what the
//! dialect adapters built (`normalise::policy_profile_posture` for a policy
//! profile, `openclaw::posture` for a real config). The policies read the same
//! document as JSON through Rego's `input.posture`; Rust consumers (the live
//! targets, the declared metrics, the deployment rules' config facts) read
//! these structs, deserialised once per config by [`Posture::of`], instead of
//! string keys.
//!
//! Every section is optional (`#[serde(default)]`): a dialect that has no such
//! section (a profile has no gateway, a real config no profile timeouts) reads
//! as its default, and an absent setting is a [`Field`] with `present: false`
//! that still says where it would be written.

use serde::Deserialize;
use serde_json::Value;

/// A setting as the adapters write it: `{present, value, pointer}`. An
/// absent setting has `present: false` and `value: null`; its pointer is the
/// key it would have (real configs) or the object it would be written in
/// (policy profiles).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Field {
    #[serde(default)]
    pub present: bool,
    #[serde(default)]
    pub value: Value,
    #[serde(default)]
    pub pointer: String,
}

/// The posture of one config, both dialects.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Posture {
    #[serde(default)]
    pub dialect: String,
    /// A real OpenClaw config (not a policy profile).
    #[serde(default)]
    pub real: bool,
    /// `2026.2` or `2026.9` (real configs).
    #[serde(default)]
    pub version: String,
    /// Pointer of the config root (`""`, or `/openclaw` for a wrapped profile).
    #[serde(default)]
    pub root: String,
    #[serde(default)]
    pub agents: Vec<Agent>,
    #[serde(default)]
    pub monitoring: Monitoring,
    /// Real configs: `gateway`.
    #[serde(default)]
    pub gateway: Option<Gateway>,
    /// Real configs: the turn and sub-agent run timeouts.
    #[serde(default)]
    pub timeouts: Vec<Timeout>,
    #[serde(default)]
    pub subagents: Subagents,
    /// Real configs: the global exec scope and each agent's override.
    #[serde(default)]
    pub exec: Vec<ExecScope>,
    #[serde(default)]
    pub sandbox: Sandbox,
    #[serde(default)]
    pub concurrency: Concurrency,
    #[serde(default)]
    pub sessions: Sessions,
}

impl Posture {
    /// The typed view of a posture document. The adapters always write a
    /// document of this shape; one that is not (a bug) reads as empty.
    pub fn of(posture: &Value) -> Posture {
        Posture::deserialize(posture).unwrap_or_default()
    }

    /// Metric names the monitoring section declares, with the pointer of
    /// each (in area order, then list order).
    pub fn declared_metrics(&self) -> impl Iterator<Item = (&str, String)> + '_ {
        self.monitoring.areas.iter().flat_map(|a| {
            a.metrics
                .iter()
                .enumerate()
                .map(move |(i, m)| (m.as_str(), format!("{}/{i}", a.metrics_pointer)))
        })
    }
}

/// One agent. A profile's agent has `binding`, `auto_destroy`, `timeout` and
/// `max_concurrent`; a real agent has `acp_mode` (its limits are the config's
/// defaults, in [`Posture::timeouts`] and [`Posture::concurrency`]).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Agent {
    pub name: String,
    /// Where the agent is declared.
    pub pointer: String,
    /// Profile: `thread`, `session`, `other` or `missing`.
    #[serde(default)]
    pub binding: String,
    #[serde(default)]
    pub auto_destroy: Field,
    #[serde(default)]
    pub timeout: ProfileTimeout,
    #[serde(default)]
    pub max_concurrent: ProfileNumber,
    /// Real: `runtime.acp.mode`.
    #[serde(default)]
    pub acp_mode: Field,
}

/// A profile agent's `timeout` (or `max-duration`): the setting, the key it
/// was read from and its value in seconds (`None`: not a duration).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ProfileTimeout {
    #[serde(flatten)]
    pub field: Field,
    #[serde(default)]
    pub key: String,
    #[serde(default)]
    pub seconds: Option<f64>,
}

/// A profile setting with its numeric value (`None`: not a number).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ProfileNumber {
    #[serde(flatten)]
    pub field: Field,
    #[serde(default)]
    pub number: Option<f64>,
}

/// The monitoring section (a profile's `monitoring`, a real config's
/// `diagnostics`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Monitoring {
    #[serde(default)]
    pub present: bool,
    #[serde(default)]
    pub pointer: String,
    #[serde(default)]
    pub areas: Vec<MonitoringArea>,
}

/// One area of a profile's monitoring section.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MonitoringArea {
    #[serde(default)]
    pub name: String,
    /// `agents`, `secrets` or `other`.
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub pointer: String,
    /// The area's `metrics` list (the area itself when it has none).
    #[serde(default)]
    pub metrics_pointer: String,
    #[serde(default)]
    pub metrics: Vec<String>,
}

/// A real config's `gateway`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Gateway {
    #[serde(default)]
    pub bind: Field,
    #[serde(default)]
    pub auth: GatewayAuth,
}

/// `gateway.auth`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct GatewayAuth {
    #[serde(default)]
    pub mode: Field,
    #[serde(default)]
    pub token: Credential,
    #[serde(default)]
    pub password: Credential,
}

/// `gateway.auth.token` / `.password`: the setting and what its value is.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Credential {
    #[serde(flatten)]
    pub field: Field,
    /// `absent`, `empty`, `literal`, `secret-ref` or `env-template`.
    #[serde(default)]
    pub kind: String,
    /// A literal that is a well-known placeholder (`changeme`).
    #[serde(default)]
    pub placeholder: bool,
}

/// A real config's turn or sub-agent run timeout.
#[derive(Debug, Clone, Deserialize)]
pub struct Timeout {
    #[serde(flatten)]
    pub field: Field,
    /// The setting's dotted name (`agents.defaults.timeoutSeconds`).
    pub setting: String,
    /// `agent turn` or `sub-agent run`.
    pub what: String,
    /// OpenClaw's default when the setting is absent.
    #[serde(default)]
    pub default_seconds: f64,
    #[serde(default)]
    pub default_text: String,
}

/// `agents.defaults.subagents`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Subagents {
    #[serde(default)]
    pub max_concurrent: Field,
    #[serde(default)]
    pub archive_after_minutes: Field,
}

/// An exec scope: the global one (`agent: None`) or an agent's override.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ExecScope {
    #[serde(default)]
    pub agent: Option<String>,
    /// The scope's effective `sandbox.mode`.
    #[serde(default)]
    pub sandbox: Field,
}

/// `agents.defaults.sandbox`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Sandbox {
    #[serde(default)]
    pub workspace_access: Field,
}

/// `agents.defaults.maxConcurrent`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Concurrency {
    #[serde(default)]
    pub max_concurrent: Field,
}

/// `session.threadBindings` and the channels' overrides.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Sessions {
    #[serde(default)]
    pub thread_bindings: Vec<ThreadBinding>,
}

/// One thread-binding scope (`session`, or a channel's).
#[derive(Debug, Clone, Deserialize)]
pub struct ThreadBinding {
    pub scope: String,
    /// The setting's dotted name (`session.threadBindings`).
    pub setting: String,
    #[serde(default)]
    pub pointer: String,
    #[serde(default)]
    pub enabled: Field,
    #[serde(default)]
    pub idle_hours: Field,
    #[serde(default)]
    pub max_age_hours: Field,
    /// 2026.2's name for the idle expiry.
    #[serde(default)]
    pub ttl_hours: Field,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn both_dialects_read_into_one_view() {
        let re = regex::Regex::new("pay").unwrap();
        let profile = crate::normalise::policy_profile_posture(
            &json!({"agents": {"pay": {"runtime": "thread-bound", "timeout": "2m"}},
                    "monitoring": {"agents": {"metrics": ["error-rate", "timeout-count"]}}}),
            &re,
        );
        let p = Posture::of(&profile);
        assert!(!p.real);
        assert_eq!(p.agents[0].binding, "thread");
        assert_eq!(p.agents[0].timeout.seconds, Some(120.0));
        assert!(!p.agents[0].auto_destroy.present);
        // (a profile's absent setting points at its object, a real config's
        // at the key it would have: the two adapters still differ here)
        assert_eq!(p.agents[0].auto_destroy.pointer, "/agents/pay");
        assert!(p.gateway.is_none());
        assert_eq!(
            p.declared_metrics().collect::<Vec<_>>(),
            [
                ("error-rate", "/monitoring/agents/metrics/0".to_string()),
                ("timeout-count", "/monitoring/agents/metrics/1".to_string())
            ]
        );

        let settings = crate::config::Settings::default();
        let real = crate::openclaw::posture(
            &json!({"gateway": {"bind": "lan", "auth": {"token": "changeme"}},
                    "agents": {"defaults": {"timeoutSeconds": 90}, "entries": {"main": {}}}}),
            crate::normalise::Dialect::OpenClaw2026_9,
            &re,
            &settings,
        );
        let p = Posture::of(&real);
        assert!(p.real);
        assert_eq!(p.version, "2026.9");
        assert_eq!(p.agents[0].name, "main");
        let g = p.gateway.expect("a real config has a gateway section");
        assert_eq!(g.bind.value, json!("lan"));
        assert_eq!(g.auth.token.kind, "literal");
        assert!(g.auth.token.placeholder);
        assert!(!g.auth.mode.present);
        let turn = p.timeouts.iter().find(|t| t.what == "agent turn").unwrap();
        assert_eq!(turn.field.value, json!(90));
        assert_eq!(turn.setting, "agents.defaults.timeoutSeconds");
    }
}
