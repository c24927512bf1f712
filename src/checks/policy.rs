//! Rego policies evaluated with regorus. The built-in policies are embedded in
//! the binary and compiled once; each worker thread clones the compiled engine.

use super::RawFinding;
use crate::finding::Severity;
use serde_json::Value;
use std::path::Path;

/// The built-in policies: (path shown in errors, source).
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "policies/profile/agents.rego",
        include_str!("../../policies/profile/agents.rego"),
    ),
    (
        "policies/profile/secrets.rego",
        include_str!("../../policies/profile/secrets.rego"),
    ),
    (
        "policies/profile/monitoring.rego",
        include_str!("../../policies/profile/monitoring.rego"),
    ),
    (
        "policies/openclaw/lifecycle.rego",
        include_str!("../../policies/openclaw/lifecycle.rego"),
    ),
    (
        "policies/openclaw/secrets.rego",
        include_str!("../../policies/openclaw/secrets.rego"),
    ),
    (
        "policies/openclaw/monitoring.rego",
        include_str!("../../policies/openclaw/monitoring.rego"),
    ),
    (
        "policies/openclaw/gateway.rego",
        include_str!("../../policies/openclaw/gateway.rego"),
    ),
    (
        "policies/openclaw/tools.rego",
        include_str!("../../policies/openclaw/tools.rego"),
    ),
];

#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    #[error("{path}: {message}")]
    Compile { path: String, message: String },
    #[error("{path}: cannot read policy: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("policy evaluation failed for {package}: {message}")]
    Eval { package: String, message: String },
    /// The file's evaluation budget ([`PolicySet::set_budget`]) ran out.
    #[error("policy evaluation exceeded its budget of {seconds} s for this file (in {package})")]
    Budget { package: String, seconds: f64 },
}

#[derive(Clone)]
pub struct PolicySet {
    engine: regorus::Engine,
    /// `data.<package>.deny` rules to evaluate, sorted.
    entrypoints: Vec<String>,
    /// Wall-clock budget for all of one file's evaluations (none: unbounded).
    budget: Option<std::time::Duration>,
}

impl PolicySet {
    /// Compiles the built-in policies plus every `*.rego` file under `extra`
    /// (files ending in `_test.rego` are tests, not policies).
    pub fn new(extra: &[&Path]) -> Result<PolicySet, PolicyError> {
        let mut engine = regorus::Engine::new();
        let mut packages = Vec::new();
        for (path, src) in BUILTIN {
            packages.push(add(&mut engine, path, src)?);
        }
        for dir in extra {
            let mut files = Vec::new();
            collect_rego(dir, &mut files)?;
            files.sort();
            for f in files {
                let src = std::fs::read_to_string(&f).map_err(|source| PolicyError::Read {
                    path: f.display().to_string(),
                    source,
                })?;
                packages.push(add(&mut engine, &f.display().to_string(), &src)?);
            }
        }
        packages.sort();
        packages.dedup();
        let entrypoints = packages.into_iter().map(|p| format!("{p}.deny")).collect();
        Ok(PolicySet {
            engine,
            entrypoints,
            budget: None,
        })
    }

    /// Bounds the time [`PolicySet::evaluate`] may take for one input: past
    /// it, evaluation stops with [`PolicyError::Budget`] (regorus's
    /// cooperative execution timer; a single builtin call is not interrupted).
    pub fn set_budget(&mut self, budget: std::time::Duration) {
        self.budget = Some(budget);
    }

    /// Evaluates every policy against `input`; findings come back sorted.
    pub fn evaluate(&mut self, input: &Value) -> Result<Vec<RawFinding>, PolicyError> {
        self.engine.set_input(regorus::Value::from(input.clone()));
        let mut out = Vec::new();
        // The built-in real-config packages have nothing to say about a policy
        // profile: skip their evaluation (user packages always run).
        let profile = input.get("dialect").and_then(Value::as_str) == Some("policy-profile");
        let started = std::time::Instant::now();
        for ep in &self.entrypoints {
            if profile && ep.starts_with("data.clawcheck.openclaw.") {
                continue;
            }
            if let Some(budget) = self.budget {
                let exceeded = || PolicyError::Budget {
                    package: ep.clone(),
                    seconds: budget.as_secs_f64(),
                };
                let left = budget
                    .checked_sub(started.elapsed())
                    .filter(|d| !d.is_zero())
                    .ok_or_else(exceeded)?;
                self.engine.set_execution_timer_config(
                    regorus::utils::limits::ExecutionTimerConfig {
                        limit: left,
                        check_interval: std::num::NonZeroU32::MIN,
                    },
                );
            }
            let result = self.engine.eval_rule(ep.clone()).map_err(|e| {
                let timed_out = e
                    .downcast_ref::<regorus::utils::limits::LimitError>()
                    .is_some_and(|l| {
                        matches!(
                            l,
                            regorus::utils::limits::LimitError::TimeLimitExceeded { .. }
                        )
                    })
                    || e.to_string().contains("execution exceeded time limit");
                match self.budget {
                    Some(budget) if timed_out => PolicyError::Budget {
                        package: ep.clone(),
                        seconds: budget.as_secs_f64(),
                    },
                    _ => PolicyError::Eval {
                        package: ep.clone(),
                        message: e.to_string(),
                    },
                }
            })?;
            let json: Value = match result {
                regorus::Value::Undefined => continue,
                v => serde_json::from_str(&v.to_json_str().map_err(|e| PolicyError::Eval {
                    package: ep.clone(),
                    message: e.to_string(),
                })?)
                .unwrap_or(Value::Null),
            };
            for f in json.as_array().into_iter().flatten() {
                out.push(RawFinding {
                    rule: f
                        .get("rule")
                        .and_then(Value::as_str)
                        .unwrap_or("OC299")
                        .to_string(),
                    pointer: f
                        .get("pointer")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string(),
                    message: f
                        .get("message")
                        .and_then(Value::as_str)
                        .unwrap_or("policy violation")
                        .to_string(),
                    severity: f
                        .get("severity")
                        .and_then(Value::as_str)
                        .and_then(Severity::parse),
                });
            }
        }
        out.sort();
        Ok(out)
    }
}

fn add(engine: &mut regorus::Engine, path: &str, src: &str) -> Result<String, PolicyError> {
    engine
        .add_policy(path.to_string(), src.to_string())
        .map_err(|e| PolicyError::Compile {
            path: path.to_string(),
            message: e.to_string(),
        })
}

fn collect_rego(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> Result<(), PolicyError> {
    let read = |p: &Path| {
        std::fs::read_dir(p).map_err(|source| PolicyError::Read {
            path: p.display().to_string(),
            source,
        })
    };
    if dir.is_file() {
        out.push(dir.to_path_buf());
        return Ok(());
    }
    for entry in read(dir)? {
        let entry = entry.map_err(|source| PolicyError::Read {
            path: dir.display().to_string(),
            source,
        })?;
        let p = entry.path();
        if p.is_dir() {
            collect_rego(&p, out)?;
        } else if p.extension().is_some_and(|e| e == "rego")
            && !p.to_string_lossy().ends_with("_test.rego")
        {
            out.push(p);
        }
    }
    Ok(())
}
