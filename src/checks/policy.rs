//! Rego policies evaluated with regorus. The built-in policies are embedded in
//! the binary and compiled once; each worker thread clones the compiled engine.

use super::RawFinding;
use crate::finding::Severity;
use serde_json::Value;
use std::path::Path;

include!(concat!(env!("OUT_DIR"), "/builtin_policies.rs"));

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
}

#[derive(Clone)]
pub struct PolicySet {
    engine: regorus::Engine,
    /// `data.<package>.deny` rules to evaluate, sorted.
    entrypoints: Vec<String>,
}

impl PolicySet {
    /// Compiles the built-in policies plus every `*.rego` file under `extra`
    /// (files ending in `_test.rego` are tests, not policies).
    pub fn new(extra: &[&Path]) -> Result<PolicySet, PolicyError> {
        let mut engine = regorus::Engine::new();
        let mut packages = Vec::new();
        for (path, src) in BUILTIN {
            packages.extend(add(&mut engine, path, src)?);
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
                packages.extend(add(&mut engine, &f.display().to_string(), &src)?);
            }
        }
        packages.sort();
        packages.dedup();
        let entrypoints = packages.into_iter().map(|p| format!("{p}.deny")).collect();
        Ok(PolicySet {
            engine,
            entrypoints,
        })
    }

    /// Evaluates every policy against `input`; findings come back sorted.
    pub fn evaluate(&mut self, input: &Value) -> Result<Vec<RawFinding>, PolicyError> {
        self.engine.set_input(regorus::Value::from(input.clone()));
        let mut out = Vec::new();
        for ep in &self.entrypoints {
            let result = self
                .engine
                .eval_rule(ep.clone())
                .map_err(|e| PolicyError::Eval {
                    package: ep.clone(),
                    message: e.to_string(),
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

/// Compiles one policy file; returns its package when the file defines
/// `deny` (helper packages such as `policies/lib/` define none).
fn add(
    engine: &mut regorus::Engine,
    path: &str,
    src: &str,
) -> Result<Option<String>, PolicyError> {
    let package = engine
        .add_policy(path.to_string(), src.to_string())
        .map_err(|e| PolicyError::Compile {
            path: path.to_string(),
            message: e.to_string(),
        })?;
    Ok(defines_deny(src).then_some(package))
}

/// Whether a Rego source defines a `deny` rule (a rule head starts a line).
fn defines_deny(src: &str) -> bool {
    src.lines().any(|l| {
        l.strip_prefix("deny")
            .is_some_and(|rest| rest.starts_with([' ', '\t', '[', '{', ':', '=']) || rest.is_empty())
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
