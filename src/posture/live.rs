//! What `--live` runs: the limits of each agent, read from the posture with
//! typed views (serde) instead of string keys, for either dialect. Every
//! limit says where it came from: a setting of the config (its JSON pointer)
//! or OpenClaw's documented default when the real config leaves it unset, so
//! a live run can state exactly what it exercised.

use super::view::{Field, Posture, ThreadBinding};
use serde::Serialize;
use serde_json::Value;

/// `agents.defaults.maxConcurrent` when unset (OpenClaw's
/// `DEFAULT_AGENT_MAX_CONCURRENT`).
pub const OPENCLAW_DEFAULT_MAX_CONCURRENT: u32 = 4;

/// `agents.defaults.subagents.maxConcurrent` when unset (OpenClaw's
/// `DEFAULT_SUBAGENT_MAX_CONCURRENT`).
pub const OPENCLAW_DEFAULT_SUBAGENT_MAX_CONCURRENT: u32 = 8;

/// `session.threadBindings.idleHours` when unset (2026.9; `ttlHours` of
/// 2026.2 likewise).
pub const OPENCLAW_DEFAULT_IDLE_HOURS: f64 = 24.0;

/// What one request of a live target stands for.
pub const RUN_PROFILE: &str = "agent request";
pub const RUN_TURN: &str = "agent turn";
pub const RUN_SUBAGENT: &str = "sub-agent run";
pub const RUN_SESSION: &str = "thread-bound session";

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
    /// What one request stands for (`RUN_*`): a profile's request, a real
    /// agent's turn, a sub-agent run or a thread-bound session.
    pub run: &'static str,
    /// How the config's sandbox maps onto the executor's isolation (real
    /// configs; `None` for a profile, which has no sandbox setting).
    pub sandbox: Option<Limit<String>>,
    /// Settings of this run the executor does not reproduce, and why.
    pub not_exercised: Vec<NotExercised>,
}

/// A setting that bears on a run but that the reference executor cannot
/// exercise: reported as such, never as passed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotExercised {
    pub setting: String,
    /// Where it is (or would be) in the config.
    pub pointer: String,
    pub text: String,
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

fn profile_agents(posture: &Posture) -> Vec<LiveAgent> {
    posture
        .agents
        .iter()
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
                name: a.name.clone(),
                pointer: a.pointer.clone(),
                run: RUN_PROFILE,
                sandbox: None,
                not_exercised: Vec::new(),
            }
        })
        .collect()
}

// ---- real OpenClaw configs ----

use crate::normalise::dotted;

/// A timeout from the posture's `timeouts` list (`what` = "agent turn" or
/// "sub-agent run"): the setting when present (0 = unlimited), else
/// OpenClaw's default, said so.
fn real_timeout(p: &Posture, what: &str) -> Limit<Option<f64>> {
    match p.timeouts.iter().find(|t| t.what == what) {
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
                text: format!("no {what} timeout in the posture"),
            },
        },
    }
}

/// `agents.defaults.maxConcurrent` / `subagents.maxConcurrent` as OpenClaw
/// resolves them: a finite number floored to at least 1, else the default.
fn real_concurrency(f: &Field, setting: &str, default: u32, what: &str) -> Limit<Option<u32>> {
    match f.value.as_f64().filter(|n| n.is_finite()) {
        Some(n) if f.present => Limit {
            value: Some(n.floor().max(1.0) as u32),
            source: f.source(setting),
        },
        _ => Limit {
            value: Some(default),
            source: LimitSource::Default {
                text: format!(
                    "`{setting}` is not set: OpenClaw runs at most {default} {what} at once"
                ),
            },
        },
    }
}

/// How an agent's sandbox maps onto the executor, and what that leaves
/// unexercised.
fn real_sandbox(
    p: &Posture,
    agent: &str,
    agent_pointer: &str,
    not_exercised: &mut Vec<NotExercised>,
) -> Limit<String> {
    let own = p
        .exec
        .iter()
        .find(|s| s.agent.as_deref() == Some(agent) && s.sandbox.present);
    let global = p.exec.iter().find(|s| s.agent.is_none());
    let unset = Field::default();
    let (field, setting) = match own {
        Some(s) => (&s.sandbox, format!("agents `{agent}` sandbox.mode")),
        None => (
            global.map_or(&unset, |g| &g.sandbox),
            "agents.defaults.sandbox.mode".to_string(),
        ),
    };
    let mode = if field.present {
        field.value.as_str().unwrap_or("")
    } else {
        "off"
    };
    let sandboxed = mode == "all" || (mode == "non-main" && agent != "main");
    let value = if sandboxed {
        format!("`{mode}`: the executor's isolation layers stand in for OpenClaw's sandbox (namespaces, read-only root, tmpfs scratch, no network)")
    } else {
        not_exercised.push(NotExercised {
            setting: setting.clone(),
            pointer: if field.present {
                field.pointer.clone()
            } else {
                format!("{agent_pointer}/sandbox/mode")
            },
            text: format!(
                "sandbox.mode `{mode}`: OpenClaw runs this agent's tools on the host without a sandbox; the executor isolates every request anyway, so the live run cannot show what an unsandboxed run reaches (the static rules judge this setting)"
            ),
        });
        format!("`{mode}`: not sandboxed in OpenClaw; the executor isolated the probes anyway")
    };
    let source = if field.present {
        field.source(&setting)
    } else {
        LimitSource::Default {
            text:
                "`agents.defaults.sandbox.mode` is not set: OpenClaw does not sandbox tools (`off`)"
                    .into(),
        }
    };
    if sandboxed {
        let wa = &p.sandbox.workspace_access;
        let access = if wa.present {
            wa.value.as_str().unwrap_or("")
        } else {
            "none"
        };
        if access == "rw" {
            not_exercised.push(NotExercised {
                setting: "agents.defaults.sandbox.workspaceAccess".into(),
                pointer: wa.pointer.clone(),
                text: "workspaceAccess `rw`: the executor mounts no agent workspace (its probes see a read-only root and their own scratch), so writes to the workspace are not exercised".into(),
            });
        }
    }
    Limit { value, source }
}

fn real_agents(p: &Posture) -> Vec<LiveAgent> {
    // One turn timeout for every agent (neither schema has a per-agent one).
    let timeout_secs = real_timeout(p, "agent turn");
    let max_concurrent = real_concurrency(
        &p.concurrency.max_concurrent,
        "agents.defaults.maxConcurrent",
        OPENCLAW_DEFAULT_MAX_CONCURRENT,
        "turns",
    );
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
    let mut roster: Vec<(String, String, Field)> = p
        .agents
        .iter()
        .map(|a| (a.name.clone(), a.pointer.clone(), a.acp_mode.clone()))
        .collect();
    if roster.is_empty() {
        // Neither `agents.list` nor `agents.entries`: OpenClaw runs its
        // implicit `main` agent with the defaults.
        roster.push((
            "main".into(),
            format!("{}/agents", p.root),
            Field::default(),
        ));
    }
    let mut out = Vec::new();
    for (name, pointer, acp_mode) in roster {
        // A turn's work ends with the turn, except an ACP harness in
        // persistent mode, whose session outlives the task (OC202).
        let persistent = acp_mode.value == Value::String("persistent".into());
        let teardown = if acp_mode.present {
            Limit {
                value: !persistent,
                source: acp_mode.source(&dotted(&acp_mode.pointer, &p.root)),
            }
        } else {
            Limit {
                value: true,
                source: LimitSource::Default {
                    text: "OpenClaw ends a turn's work with the turn".into(),
                },
            }
        };
        let mut not_exercised = Vec::new();
        let sandbox = real_sandbox(p, &name, &pointer, &mut not_exercised);
        out.push(LiveAgent {
            name,
            pointer,
            timeout_secs: timeout_secs.clone(),
            teardown,
            max_concurrent: max_concurrent.clone(),
            thread_bound: thread_bound.clone(),
            run: RUN_TURN,
            sandbox: Some(sandbox),
            not_exercised,
        });
    }
    // Sub-agent runs: one target for the config (the settings are
    // `agents.defaults.subagents`, shared by every agent).
    let sub_pointer = format!("{}/agents/defaults/subagents", p.root);
    let mut sub_not = Vec::new();
    let archive = &p.subagents.archive_after_minutes;
    sub_not.push(NotExercised {
        setting: "agents.defaults.subagents.archiveAfterMinutes".into(),
        pointer: archive.pointer.clone(),
        text: "archiving finished sub-agent sessions concerns OpenClaw's stored transcripts, which the executor does not keep (the static rules judge this setting)".into(),
    });
    let sub_sandbox = real_sandbox(p, "", &sub_pointer, &mut sub_not);
    out.push(LiveAgent {
        name: "sub-agent runs".into(),
        pointer: sub_pointer,
        timeout_secs: real_timeout(p, "sub-agent run"),
        teardown: Limit {
            value: true,
            source: LimitSource::Default {
                text: "a sub-agent run's work ends with the run".into(),
            },
        },
        max_concurrent: real_concurrency(
            &p.subagents.max_concurrent,
            "agents.defaults.subagents.maxConcurrent",
            OPENCLAW_DEFAULT_SUBAGENT_MAX_CONCURRENT,
            "sub-agent runs",
        ),
        thread_bound: Limit {
            value: false,
            source: LimitSource::Default {
                text: "a sub-agent run is not bound to a thread".into(),
            },
        },
        run: RUN_SUBAGENT,
        sandbox: Some(sub_sandbox),
        not_exercised: sub_not,
    });
    // Thread-bound sessions: their lifetime (idle expiry, hard max age;
    // `ttlHours` on 2026.2) is exercised as a timeout, scaled like one.
    if thread_bound.value {
        if let Some(agent) = session_target(p, session, &max_concurrent, &thread_bound) {
            out.push(agent);
        }
    }
    out
}

/// The thread-bound session target: a request lives until the session's
/// lifetime, the smaller of its idle expiry and its hard max age.
fn session_target(
    p: &Posture,
    tb: Option<&ThreadBinding>,
    max_concurrent: &Limit<Option<u32>>,
    thread_bound: &Limit<bool>,
) -> Option<LiveAgent> {
    let pointer = tb
        .map(|t| t.pointer.clone())
        .unwrap_or_else(|| format!("{}/session/threadBindings", p.root));
    let setting = tb
        .map(|t| t.setting.clone())
        .unwrap_or_else(|| "session.threadBindings".into());
    let legacy = p.version == "2026.2";
    // (hours, source) of every lifetime limit; None hours = no limit.
    let mut limits: Vec<(Option<f64>, LimitSource)> = Vec::new();
    let hours = |f: &Field, key: &str, default: f64, default_text: &str| {
        if f.present {
            (
                f.value.as_f64().filter(|h| *h > 0.0),
                f.source(&format!("{setting}.{key}")),
            )
        } else {
            (
                Some(default).filter(|h| *h > 0.0),
                LimitSource::Default {
                    text: format!("`{setting}.{key}` is not set: {default_text}"),
                },
            )
        }
    };
    let empty = Field::default();
    let tbf = |f: fn(&ThreadBinding) -> &Field| tb.map(f).unwrap_or(&empty);
    if legacy {
        limits.push(hours(
            tbf(|t| &t.ttl_hours),
            "ttlHours",
            OPENCLAW_DEFAULT_IDLE_HOURS,
            "OpenClaw 2026.2 expires a thread-bound session after 24 h",
        ));
    } else {
        limits.push(hours(
            tbf(|t| &t.idle_hours),
            "idleHours",
            OPENCLAW_DEFAULT_IDLE_HOURS,
            "OpenClaw expires an idle thread-bound session after 24 h",
        ));
        limits.push(hours(
            tbf(|t| &t.max_age_hours),
            "maxAgeHours",
            0.0,
            "OpenClaw sets no hard max age (0)",
        ));
    }
    let shortest = limits
        .iter()
        .filter_map(|(h, s)| h.map(|h| (h, s)))
        .min_by(|a, b| a.0.total_cmp(&b.0));
    let timeout_secs = match shortest {
        Some((h, s)) => Limit {
            value: Some(h * 3600.0),
            source: s.clone(),
        },
        None => Limit {
            value: None,
            // every limit is 0 / unset-without-default: name the first
            source: limits.first().map(|l| l.1.clone())?,
        },
    };
    let mut not_exercised = Vec::new();
    if !legacy {
        not_exercised.push(NotExercised {
            setting: format!("{setting}.idleHours"),
            pointer: format!("{pointer}/idleHours"),
            text: "idle expiry is exercised as a lifetime: the executor kills the session's processes at the (scaled) limit whether or not they are idle".into(),
        });
    }
    Some(LiveAgent {
        name: "thread-bound sessions".into(),
        pointer,
        timeout_secs,
        teardown: Limit {
            value: true,
            source: LimitSource::Default {
                text: "OpenClaw unbinds the thread and ends the session when it expires".into(),
            },
        },
        max_concurrent: max_concurrent.clone(),
        thread_bound: thread_bound.clone(),
        run: RUN_SESSION,
        sandbox: None,
        not_exercised,
    })
}

/// The agents `--live` runs for a config, with their limits and the
/// origin of each.
pub fn live_agents(posture: &Posture) -> Vec<LiveAgent> {
    if posture.real {
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
        let a = &live_agents(&Posture::of(&posture))[0];
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
        let agents = live_agents(&Posture::of(&posture));
        // two agent turns, the sub-agent runs, the thread-bound sessions
        assert_eq!(
            agents.iter().map(|a| a.run).collect::<Vec<_>>(),
            [RUN_TURN, RUN_TURN, RUN_SUBAGENT, RUN_SESSION]
        );
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
        let a = &live_agents(&Posture::of(&p))[0];
        assert_eq!(a.timeout_secs.value, Some(172800.0));
        assert!(
            matches!(&a.timeout_secs.source, LimitSource::Default { text } if text.contains("172800"))
        );
        p["timeouts"][0]["present"] = json!(true);
        p["timeouts"][0]["value"] = json!(0);
        assert_eq!(live_agents(&Posture::of(&p))[0].timeout_secs.value, None);
    }

    #[test]
    fn sub_agent_runs_sessions_and_the_implicit_main_agent() {
        let f = |present: bool, value: Value, pointer: &str| json!({"present": present, "value": value, "pointer": pointer});
        let mut sub = f(
            true,
            json!(0),
            "/agents/defaults/subagents/runTimeoutSeconds",
        );
        sub["setting"] = json!("agents.defaults.subagents.runTimeoutSeconds");
        sub["what"] = json!("sub-agent run");
        sub["default_seconds"] = json!(0);
        let posture = json!({"real": true, "root": "", "version": "2026.9",
            "agents": [],
            "timeouts": [sub],
            "subagents": {"max_concurrent": f(false, Value::Null, "/agents/defaults/subagents/maxConcurrent"),
                          "archive_after_minutes": f(false, Value::Null, "/agents/defaults/subagents/archiveAfterMinutes")},
            "exec": [{"agent": null, "sandbox": f(true, json!("off"), "/agents/defaults/sandbox/mode")}],
            "sessions": {"thread_bindings": [{"scope": "session", "setting": "session.threadBindings",
                "pointer": "/session/threadBindings",
                "enabled": f(false, Value::Null, "/session/threadBindings/enabled"),
                "idle_hours": f(true, json!(2), "/session/threadBindings/idleHours"),
                "max_age_hours": f(true, json!(1), "/session/threadBindings/maxAgeHours")}]}});
        let agents = live_agents(&Posture::of(&posture));
        let main = &agents[0];
        assert_eq!(
            (main.name.as_str(), main.run),
            ("main", RUN_TURN),
            "implicit main"
        );
        assert_eq!(main.pointer, "/agents");
        assert!(
            main.not_exercised
                .iter()
                .any(|n| n.text.contains("without a sandbox")),
            "sandbox off is reported as not exercised: {:?}",
            main.not_exercised
        );
        let sub = agents.iter().find(|a| a.run == RUN_SUBAGENT).unwrap();
        assert_eq!(sub.timeout_secs.value, None, "0 = no timeout");
        assert_eq!(
            sub.max_concurrent.value,
            Some(OPENCLAW_DEFAULT_SUBAGENT_MAX_CONCURRENT)
        );
        let session = agents.iter().find(|a| a.run == RUN_SESSION).unwrap();
        assert_eq!(
            session.timeout_secs.value,
            Some(3600.0),
            "the shorter lifetime"
        );
        assert_eq!(
            session.timeout_secs.source,
            LimitSource::Config {
                pointer: "/session/threadBindings/maxAgeHours".into(),
                setting: "session.threadBindings.maxAgeHours".into()
            }
        );
        // thread bindings off: no session run
        let mut off = posture.clone();
        off["sessions"]["thread_bindings"][0]["enabled"] =
            f(true, json!(false), "/session/threadBindings/enabled");
        assert!(live_agents(&Posture::of(&off))
            .iter()
            .all(|a| a.run != RUN_SESSION));
    }
}
