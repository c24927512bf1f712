//! What `--live` runs: the limits of each agent, read from the posture with
//! typed views (serde) instead of string keys, for either dialect. Every
//! limit says where it came from: a setting of the config (its JSON pointer)
//! or OpenClaw's documented default when the real config leaves it unset, so
//! a live run can state exactly what it exercised.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `agents.defaults.maxConcurrent` when unset (OpenClaw's
/// `DEFAULT_AGENT_MAX_CONCURRENT`).
pub const OPENCLAW_DEFAULT_MAX_CONCURRENT: u32 = 4;

/// Where a live limit came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum LimitSource {
    /// A setting of the checked config, at this JSON pointer (the setting
    /// name is given for readers: `agents.defaults.timeoutSeconds`).
    Config { pointer: String, setting: String },
    /// Not set in the config: the default named here applies.
    Default { text: String },
}

/// One limit the executor applies, and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Limit<T> {
    pub value: T,
    pub source: LimitSource,
}

/// The limits of one agent as the executor runs it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LiveAgent {
    pub name: String,
    /// Where the agent is declared (findings of its run are reported there).
    pub pointer: String,
    /// Seconds; `None` = unlimited (0 or not set without a default).
    pub timeout_secs: Limit<Option<f64>>,
    /// Whether the request's processes and scratch are destroyed when it ends.
    pub teardown: Limit<bool>,
    pub max_concurrent: Limit<Option<u32>>,
    pub thread_bound: Limit<bool>,
}

/// A posture field as the adapters write it: `{present, value, pointer}`.
#[derive(Debug, Clone, Default, Deserialize)]
struct Field {
    #[serde(default)]
    present: bool,
    #[serde(default)]
    value: Value,
    #[serde(default)]
    pointer: String,
}

impl Field {
    fn source(&self, setting: &str) -> LimitSource {
        LimitSource::Config {
            pointer: self.pointer.clone(),
            setting: setting.to_string(),
        }
    }
}

// ---- the policy profile ----

#[derive(Debug, Deserialize)]
struct ProfileAgent {
    name: String,
    pointer: String,
    #[serde(default)]
    binding: String,
    #[serde(default)]
    auto_destroy: Field,
    #[serde(default)]
    timeout: ProfileTimeout,
    #[serde(default)]
    max_concurrent: ProfileNumber,
}

#[derive(Debug, Default, Deserialize)]
struct ProfileTimeout {
    #[serde(flatten)]
    field: Field,
    #[serde(default)]
    key: String,
    #[serde(default)]
    seconds: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
struct ProfileNumber {
    #[serde(flatten)]
    field: Field,
    #[serde(default)]
    number: Option<f64>,
}

fn profile_agents(posture: &Value) -> Vec<LiveAgent> {
    let agents: Vec<ProfileAgent> = posture
        .get("agents")
        .and_then(|a| Vec::<ProfileAgent>::deserialize(a).ok())
        .unwrap_or_default();
    agents
        .into_iter()
        .map(|a| {
            let unset = |what: &str| LimitSource::Default {
                text: format!("the profile sets no `{what}`"),
            };
            let key = if a.timeout.key.is_empty() {
                "timeout"
            } else {
                a.timeout.key.as_str()
            };
            LiveAgent {
                timeout_secs: Limit {
                    value: a.timeout.seconds.filter(|t| *t > 0.0),
                    source: if a.timeout.field.present {
                        a.timeout.field.source(key)
                    } else {
                        unset(key)
                    },
                },
                teardown: Limit {
                    value: a.auto_destroy.value == Value::Bool(true),
                    source: if a.auto_destroy.present {
                        a.auto_destroy.source("auto-destroy")
                    } else {
                        unset("auto-destroy")
                    },
                },
                max_concurrent: Limit {
                    value: a
                        .max_concurrent
                        .number
                        .filter(|n| *n >= 1.0)
                        .map(|n| n as u32),
                    source: if a.max_concurrent.field.present {
                        a.max_concurrent.field.source("max-concurrent")
                    } else {
                        unset("max-concurrent")
                    },
                },
                thread_bound: Limit {
                    value: a.binding == "thread",
                    source: LimitSource::Config {
                        pointer: format!("{}/runtime", a.pointer),
                        setting: "runtime".into(),
                    },
                },
                name: a.name,
                pointer: a.pointer,
            }
        })
        .collect()
}

// ---- real OpenClaw configs ----

#[derive(Debug, Deserialize)]
struct RealPosture {
    #[serde(default)]
    agents: Vec<RealAgent>,
    #[serde(default)]
    timeouts: Vec<RealTimeout>,
    #[serde(default)]
    concurrency: RealConcurrency,
    #[serde(default)]
    sessions: RealSessions,
}

#[derive(Debug, Deserialize)]
struct RealAgent {
    name: String,
    pointer: String,
    #[serde(default)]
    acp_mode: Field,
}

#[derive(Debug, Deserialize)]
struct RealTimeout {
    #[serde(flatten)]
    field: Field,
    setting: String,
    what: String,
    #[serde(default)]
    default_seconds: f64,
    #[serde(default)]
    default_text: String,
}

#[derive(Debug, Default, Deserialize)]
struct RealConcurrency {
    #[serde(default)]
    max_concurrent: Field,
}

#[derive(Debug, Default, Deserialize)]
struct RealSessions {
    #[serde(default)]
    thread_bindings: Vec<RealThreadBinding>,
}

#[derive(Debug, Deserialize)]
struct RealThreadBinding {
    scope: String,
    setting: String,
    #[serde(default)]
    enabled: Field,
}

fn real_agents(posture: &Value) -> Vec<LiveAgent> {
    let Ok(p) = RealPosture::deserialize(posture) else {
        return Vec::new();
    };
    // One turn timeout for every agent (neither schema has a per-agent one).
    let turn = p.timeouts.iter().find(|t| t.what == "agent turn");
    let timeout_secs = match turn {
        Some(t) if t.field.present => Limit {
            value: t.field.value.as_f64().filter(|s| *s > 0.0),
            source: t.field.source(&t.setting),
        },
        Some(t) => Limit {
            value: Some(t.default_seconds).filter(|s| *s > 0.0),
            source: LimitSource::Default {
                text: format!("`{}` is not set: {}", t.setting, t.default_text),
            },
        },
        None => Limit {
            value: None,
            source: LimitSource::Default {
                text: "no turn timeout in the posture".into(),
            },
        },
    };
    let mc = &p.concurrency.max_concurrent;
    let max_concurrent = if mc.present {
        Limit {
            value: mc
                .value
                .as_f64()
                .filter(|n| n.is_finite())
                .map(|n| n.floor().max(1.0) as u32),
            source: mc.source("agents.defaults.maxConcurrent"),
        }
    } else {
        Limit {
            value: Some(OPENCLAW_DEFAULT_MAX_CONCURRENT),
            source: LimitSource::Default {
                text: format!(
                    "`agents.defaults.maxConcurrent` is not set: OpenClaw runs at most {OPENCLAW_DEFAULT_MAX_CONCURRENT} turns at once"
                ),
            },
        }
    };
    let session = p
        .sessions
        .thread_bindings
        .iter()
        .find(|t| t.scope == "session");
    let thread_bound = match session {
        Some(tb) if tb.enabled.present => Limit {
            value: tb.enabled.value != Value::Bool(false),
            source: tb.enabled.source(&format!("{}.enabled", tb.setting)),
        },
        _ => Limit {
            value: true,
            source: LimitSource::Default {
                text: "`session.threadBindings.enabled` is not set: thread bindings are on".into(),
            },
        },
    };
    p.agents
        .into_iter()
        .map(|a| {
            // A turn's work ends with the turn, except an ACP harness in
            // persistent mode, whose session outlives the task (OC202).
            let persistent = a.acp_mode.value == Value::String("persistent".into());
            let teardown = if a.acp_mode.present {
                Limit {
                    value: !persistent,
                    source: a.acp_mode.source("runtime.acp.mode"),
                }
            } else {
                Limit {
                    value: true,
                    source: LimitSource::Default {
                        text: "OpenClaw ends a turn's work with the turn".into(),
                    },
                }
            };
            LiveAgent {
                name: a.name,
                pointer: a.pointer,
                timeout_secs: timeout_secs.clone(),
                teardown,
                max_concurrent: max_concurrent.clone(),
                thread_bound: thread_bound.clone(),
            }
        })
        .collect()
}

/// The agents `--live` runs for a config, with their limits and the
/// origin of each.
pub fn live_agents(posture: &Value) -> Vec<LiveAgent> {
    if posture.get("real") == Some(&Value::Bool(true)) {
        real_agents(posture)
    } else {
        profile_agents(posture)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn profile_limits_come_from_the_profile_or_say_they_are_unset() {
        let posture = json!({"dialect": "policy-profile", "agents": [{
            "name": "pay", "pointer": "/agents/pay", "binding": "thread",
            "auto_destroy": {"present": true, "value": true, "pointer": "/agents/pay/auto-destroy"},
            "timeout": {"present": true, "value": "2m", "pointer": "/agents/pay/timeout", "key": "timeout", "seconds": 120.0},
            "max_concurrent": {"present": false, "value": null, "pointer": "/agents/pay", "number": null},
        }]});
        let a = &live_agents(&posture)[0];
        assert_eq!(a.timeout_secs.value, Some(120.0));
        assert_eq!(
            a.timeout_secs.source,
            LimitSource::Config {
                pointer: "/agents/pay/timeout".into(),
                setting: "timeout".into()
            }
        );
        assert!(a.teardown.value && a.thread_bound.value);
        assert_eq!(a.max_concurrent.value, None);
        assert!(matches!(
            a.max_concurrent.source,
            LimitSource::Default { .. }
        ));
    }

    #[test]
    fn real_limits_use_the_config_and_openclaw_defaults() {
        let posture = json!({"dialect": "openclaw-2026.9", "real": true,
            "agents": [{"name": "main", "pointer": "/agents/entries/main",
                        "acp_mode": {"present": false, "value": null, "pointer": "/agents/entries/main/runtime/acp/mode"}},
                       {"name": "coder", "pointer": "/agents/entries/coder",
                        "acp_mode": {"present": true, "value": "persistent", "pointer": "/agents/entries/coder/runtime/acp/mode"}}],
            "timeouts": [{"present": true, "value": 120, "pointer": "/agents/defaults/timeoutSeconds",
                          "setting": "agents.defaults.timeoutSeconds", "what": "agent turn",
                          "default_seconds": 172800, "default_text": "OpenClaw 2026.9 uses 172800 s"}],
            "sessions": {"thread_bindings": [{"scope": "session", "setting": "session.threadBindings",
                          "enabled": {"present": false, "value": null, "pointer": "/session/threadBindings/enabled"}}]}});
        let agents = live_agents(&posture);
        assert_eq!(agents.len(), 2);
        let main = &agents[0];
        assert_eq!(main.timeout_secs.value, Some(120.0));
        assert!(main.teardown.value, "a turn ends its work");
        assert!(main.thread_bound.value);
        assert_eq!(
            main.max_concurrent.value,
            Some(OPENCLAW_DEFAULT_MAX_CONCURRENT)
        );
        assert!(matches!(
            main.max_concurrent.source,
            LimitSource::Default { .. }
        ));
        assert!(
            !agents[1].teardown.value,
            "a persistent ACP session outlives the task"
        );

        // unset turn timeout: OpenClaw's default, said so; 0: unlimited
        let mut p = posture.clone();
        p["timeouts"][0]["present"] = json!(false);
        p["timeouts"][0]["value"] = Value::Null;
        let a = &live_agents(&p)[0];
        assert_eq!(a.timeout_secs.value, Some(172800.0));
        assert!(
            matches!(&a.timeout_secs.source, LimitSource::Default { text } if text.contains("172800"))
        );
        p["timeouts"][0]["present"] = json!(true);
        p["timeouts"][0]["value"] = json!(0);
        assert_eq!(live_agents(&p)[0].timeout_secs.value, None);
    }
}
