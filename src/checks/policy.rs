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
        let started = std::time::Instant::now();
        for ep in &self.entrypoints {
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

/// Compiles one policy file; returns its package when the file defines
/// `deny` (helper packages such as `policies/lib/` define none).
fn add(engine: &mut regorus::Engine, path: &str, src: &str) -> Result<Option<String>, PolicyError> {
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
        l.strip_prefix("deny").is_some_and(|rest| {
            rest.starts_with([' ', '\t', '[', '{', ':', '=']) || rest.is_empty()
        })
    })
}

/// One `test_*` rule of a `*_test.rego` file and its outcome.
#[derive(Debug, Clone)]
pub struct TestOutcome {
    pub file: String,
    pub name: String,
    pub passed: bool,
    /// Why it failed: `false`, undefined, or an evaluation error.
    pub detail: String,
    pub elapsed: std::time::Duration,
}

/// Line coverage of one policy file (test files are not counted).
#[derive(Debug, Clone)]
pub struct FileCoverage {
    pub path: String,
    pub covered: usize,
    pub not_covered: Vec<u32>,
}

impl FileCoverage {
    pub fn percent(&self) -> f64 {
        let total = self.covered + self.not_covered.len();
        if total == 0 {
            100.0
        } else {
            100.0 * self.covered as f64 / total as f64
        }
    }
}

#[derive(Debug, Default)]
pub struct TestRun {
    pub tests: Vec<TestOutcome>,
    pub coverage: Vec<FileCoverage>,
}

impl TestRun {
    /// Covered lines over coverable lines of every policy file, in percent.
    pub fn total_coverage(&self) -> f64 {
        let covered: usize = self.coverage.iter().map(|c| c.covered).sum();
        let total: usize = self
            .coverage
            .iter()
            .map(|c| c.covered + c.not_covered.len())
            .sum();
        if total == 0 {
            100.0
        } else {
            100.0 * covered as f64 / total as f64
        }
    }
}

/// The `test_*` rules a Rego source defines (rule heads start a line).
fn test_rules(src: &str) -> Vec<String> {
    let mut out: Vec<String> = src
        .lines()
        .filter_map(|l| {
            let name: String = l
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            (name.starts_with("test_") && l[name.len()..].starts_with([' ', '\t', '{', ':']))
                .then_some(name)
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Runs the policy tests: every `test_*` rule of every `*_test.rego` file.
/// Without `dirs`, the built-in policies and their built-in tests; with
/// `dirs`, the built-in policies plus every `.rego` file under `dirs`, and
/// the tests found there. A test passes when its rule evaluates to `true`.
pub fn run_tests(dirs: &[&Path], coverage: bool) -> Result<TestRun, PolicyError> {
    let mut engine = regorus::Engine::new();
    let mut tests: Vec<(String, String)> = Vec::new();
    let mut policy_files: Vec<String> = Vec::new();
    for (path, src) in BUILTIN {
        add(&mut engine, path, src)?;
        if dirs.is_empty() {
            policy_files.push(path.to_string());
        }
    }
    if dirs.is_empty() {
        for (path, src) in BUILTIN_TESTS {
            add(&mut engine, path, src)?;
            tests.push((path.to_string(), src.to_string()));
        }
    }
    for dir in dirs {
        let mut files = Vec::new();
        collect_rego_all(dir, &mut files)?;
        files.sort();
        for f in files {
            let path = f.display().to_string();
            let src = std::fs::read_to_string(&f).map_err(|source| PolicyError::Read {
                path: path.clone(),
                source,
            })?;
            add(&mut engine, &path, &src)?;
            if path.ends_with("_test.rego") {
                tests.push((path, src));
            } else {
                policy_files.push(path);
            }
        }
    }
    engine.set_enable_coverage(coverage);
    let mut run = TestRun::default();
    for (path, src) in &tests {
        let package = package_of(src).ok_or_else(|| PolicyError::Compile {
            path: path.clone(),
            message: "no `package` declaration".into(),
        })?;
        for name in test_rules(src) {
            let t = std::time::Instant::now();
            let result = engine.eval_rule(format!("data.{package}.{name}"));
            let (passed, detail) = match result {
                Ok(regorus::Value::Bool(true)) => (true, String::new()),
                Ok(regorus::Value::Undefined) => (false, "undefined".to_string()),
                Ok(v) => (false, format!("evaluated to {v}")),
                Err(e) => (false, format!("error: {e}")),
            };
            run.tests.push(TestOutcome {
                file: path.clone(),
                name,
                passed,
                detail,
                elapsed: t.elapsed(),
            });
        }
    }
    if coverage {
        let report = engine
            .get_coverage_report()
            .map_err(|e| PolicyError::Eval {
                package: "coverage".into(),
                message: e.to_string(),
            })?;
        for f in report.files {
            if !policy_files.contains(&f.path) {
                continue;
            }
            run.coverage.push(FileCoverage {
                path: f.path,
                covered: f.covered.len(),
                not_covered: f.not_covered.into_iter().collect(),
            });
        }
        run.coverage.sort_by(|a, b| a.path.cmp(&b.path));
    }
    Ok(run)
}

/// The package a Rego source declares.
fn package_of(src: &str) -> Option<String> {
    src.lines()
        .find_map(|l| l.trim().strip_prefix("package "))
        .map(|p| p.trim().to_string())
}

/// Every `.rego` file under `dir` (policies and tests).
fn collect_rego_all(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> Result<(), PolicyError> {
    if dir.is_file() {
        out.push(dir.to_path_buf());
        return Ok(());
    }
    let rd = std::fs::read_dir(dir).map_err(|source| PolicyError::Read {
        path: dir.display().to_string(),
        source,
    })?;
    for entry in rd {
        let p = entry
            .map_err(|source| PolicyError::Read {
                path: dir.display().to_string(),
                source,
            })?
            .path();
        if p.is_dir() {
            collect_rego_all(&p, out)?;
        } else if p.extension().is_some_and(|e| e == "rego") {
            out.push(p);
        }
    }
    Ok(())
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
