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
    /// A `deny` entry of a user policy that is not a well-formed finding, or
    /// that reuses a built-in rule id: the policy is broken, not the config.
    #[error("{path}: package `{package}`: {problem}")]
    Malformed {
        path: String,
        package: String,
        problem: String,
    },
    /// The file's evaluation budget ([`PolicySet::set_budget`]) ran out.
    #[error("policy evaluation exceeded its budget of {seconds} s for this file (in {package})")]
    Budget { package: String, seconds: f64 },
}

/// The generated package that collects every `deny` set in one rule.
const ALL_DENY_PACKAGE: &str = "clawcheck_internal.all_deny";
const ALL_DENY: &str = "data.clawcheck_internal.all_deny.all";
/// The same for the deployment rules (`policies/deploy/`), which judge the
/// input of a deployment file, not a config's.
const DEPLOY_DENY_PACKAGE: &str = "clawcheck_internal.deploy_deny";
const DEPLOY_DENY: &str = "data.clawcheck_internal.deploy_deny.all";

#[derive(Clone)]
pub struct PolicySet {
    engine: regorus::Engine,
    /// `data.<package>.deny` rules to evaluate, sorted, each with the file
    /// of a user policy that declares the package (`None`: built in).
    entrypoints: Vec<(String, Option<String>)>,
    /// The built-in entrypoints of the deployment rules.
    deploy: std::collections::BTreeSet<String>,
    /// Wall-clock budget for all of one file's evaluations (none: unbounded).
    budget: Option<std::time::Duration>,
    /// `crate::evidence::digest_named` of every policy compiled and the
    /// built-in rule metadata, and how many files that is.
    digest: (String, usize),
}

impl PolicySet {
    /// Compiles the built-in policies plus every `*.rego` file under `extra`
    /// (files ending in `_test.rego` are tests, not policies).
    pub fn new(extra: &[&Path]) -> Result<PolicySet, PolicyError> {
        let mut engine = regorus::Engine::new();
        let mut packages: Vec<(String, Option<String>)> = Vec::new();
        let mut builtin = std::collections::BTreeSet::new();
        let mut sources: Vec<(String, String)> = Vec::new();
        let mut deploy = std::collections::BTreeSet::new();
        for (path, src) in BUILTIN {
            let (package, deny) = add(&mut engine, path, src)?;
            if deny {
                packages.push((package.clone(), None));
                if path.starts_with("policies/deploy/") {
                    deploy.insert(format!("{package}.deny"));
                }
            }
            builtin.insert(package);
        }
        for dir in extra {
            for (path, src) in read_rego(dir, false)? {
                let (package, deny) = add(&mut engine, &path, &src)?;
                sources.push((path.clone(), src.clone()));
                // Rules added to a built-in package would pass for built-in ones.
                if builtin.contains(&package) {
                    return Err(PolicyError::Compile {
                        path,
                        message: format!(
                            "package `{}` is a built-in package: a user policy needs a package of its own",
                            package.trim_start_matches("data.")
                        ),
                    });
                }
                if deny {
                    packages.push((package, Some(path)));
                }
            }
        }
        packages.sort();
        packages.dedup_by(|a, b| a.0 == b.0);
        let entrypoints: Vec<(String, Option<String>)> = packages
            .into_iter()
            .map(|(p, path)| (format!("{p}.deny"), path))
            .collect();
        for (package, of_deploy) in [(ALL_DENY_PACKAGE, false), (DEPLOY_DENY_PACKAGE, true)] {
            // One line per package: regorus rejects lines over 1024 columns.
            let all = format!(
                "package {package}\n\nimport rego.v1\n\nall := [\n{}]\n",
                entrypoints
                    .iter()
                    .filter(|(ep, user)| user.is_none() && deploy.contains(ep) == of_deploy)
                    .map(|(ep, _)| format!("\t{ep},\n"))
                    .collect::<String>()
            );
            add(&mut engine, "<all deny sets>", &all)?;
        }
        let named = BUILTIN
            .iter()
            .chain(crate::rules::BUILTIN_RULE_METADATA)
            .map(|(p, s)| (*p, s.as_bytes()))
            .chain(sources.iter().map(|(p, s)| (p.as_str(), s.as_bytes())));
        let count = BUILTIN.len() + crate::rules::BUILTIN_RULE_METADATA.len() + sources.len();
        Ok(PolicySet {
            engine,
            entrypoints,
            deploy,
            budget: None,
            digest: (crate::evidence::digest_named(named), count),
        })
    }

    /// Bounds the time [`PolicySet::evaluate`] may take for one input: past
    /// it, evaluation stops with [`PolicyError::Budget`] (regorus's
    /// cooperative execution timer; a single builtin call is not interrupted).
    /// SHA-256 over the policy set (see `crate::evidence::Evidence`) and the
    /// number of files it covers.
    pub fn digest(&self) -> (&str, usize) {
        (&self.digest.0, self.digest.1)
    }

    pub fn set_budget(&mut self, budget: std::time::Duration) {
        self.budget = Some(budget);
    }

    /// Evaluates every policy against `input`; findings come back sorted.
    ///
    /// The built-in `deny` sets are evaluated in one generated rule
    /// (`[data.a.deny, ...]`), so helpers shared by several rules are
    /// evaluated once per input, not once per package; user packages are
    /// evaluated one at a time, so that a failure or a runaway names its
    /// package.
    ///
    /// The input is taken by value and dropped once converted: a config with
    /// 100,000 agents then holds one copy of its posture during evaluation,
    /// not three (the serde value, a clone, and regorus's).
    pub fn evaluate(&mut self, input: Value) -> Result<Vec<RawFinding>, PolicyError> {
        self.evaluate_kind(input.into(), false)
    }

    /// [`PolicySet::evaluate`] for an input already in the evaluator's form
    /// (`crate::posture::rego`): a config's posture is built into it agent
    /// by agent, never held whole as a `serde_json` tree.
    pub fn evaluate_rego(&mut self, input: regorus::Value) -> Result<Vec<RawFinding>, PolicyError> {
        self.evaluate_kind(Input::Rego(input), false)
    }

    /// [`PolicySet::evaluate`] for the input of a deployment file: the
    /// built-in deployment rules and the user policies.
    pub fn evaluate_deployment(&mut self, input: Value) -> Result<Vec<RawFinding>, PolicyError> {
        self.evaluate_kind(input.into(), true)
    }

    fn evaluate_kind(
        &mut self,
        input: Input,
        deploy: bool,
    ) -> Result<Vec<RawFinding>, PolicyError> {
        // Straight from the tree, freed as it is converted.
        let converted = match input {
            Input::Json(v) => crate::posture::rego::Converter::new()
                .take(v)
                .map_err(|e| PolicyError::Eval {
                    package: "input".into(),
                    message: e.to_string(),
                })?,
            Input::Rego(v) => v,
        };
        self.engine.set_input(converted);
        let started = std::time::Instant::now();
        let n = self.entrypoints.len();
        let mut sets: Vec<Option<regorus::Value>> = vec![None; n];
        // Built-in packages of the other kind are not evaluated at all.
        let other_kind = |s: &Self, i: usize| {
            s.entrypoints[i].1.is_none() && s.deploy.contains(&s.entrypoints[i].0) != deploy
        };
        // The built-in packages, batched (bounded by us, fast together).
        let builtin: Vec<usize> = (0..n)
            .filter(|&i| self.entrypoints[i].1.is_none() && !other_kind(self, i))
            .collect();
        if !builtin.is_empty() {
            let label = "the built-in policies".to_string();
            self.arm_budget(started, &label)?;
            let rule = if deploy { DEPLOY_DENY } else { ALL_DENY };
            let batch = match self.engine.eval_rule(rule.to_string()) {
                Ok(v) => v
                    .as_array()
                    .ok()
                    .map(|a| a.iter().cloned().collect::<Vec<_>>()),
                Err(e) if is_timeout(&e) => return Err(self.budget_error(&label)),
                // Evaluated one by one below, so the failure names its package.
                Err(_) => None,
            };
            if let Some(batch) = batch.filter(|b| b.len() == builtin.len()) {
                for (i, v) in builtin.iter().zip(batch) {
                    sets[*i] = Some(v);
                }
            }
        }
        // User packages one at a time (a failure or a runaway names its
        // package), and the built-in ones too if the batch failed.
        let skip: Vec<bool> = (0..n).map(|i| other_kind(self, i)).collect();
        for (i, slot) in sets.iter_mut().enumerate() {
            if slot.is_some() || skip[i] {
                continue;
            }
            let ep = self.entrypoints[i].0.clone();
            self.arm_budget(started, &ep)?;
            let v = self.engine.eval_rule(ep.clone()).map_err(|e| {
                if is_timeout(&e) {
                    self.budget_error(&ep)
                } else {
                    PolicyError::Eval {
                        package: ep.clone(),
                        message: e.to_string(),
                    }
                }
            })?;
            *slot = Some(v);
        }
        // Free the input now: a huge posture must not stay alive while its
        // findings are converted, placed and rendered.
        self.engine.set_input(regorus::Value::new_object());
        let mut out = Vec::new();
        for ((ep, user_file), result) in self.entrypoints.iter().zip(sets) {
            let json: Value = match result {
                None | Some(regorus::Value::Undefined) => continue,
                // Straight to a tree, without a JSON text in between.
                Some(v) => serde_json::to_value(&v).map_err(|e| PolicyError::Eval {
                    package: ep.clone(),
                    message: e.to_string(),
                })?,
            };
            for f in json.as_array().into_iter().flatten() {
                out.push(deny_entry(f, ep, user_file.as_deref())?);
            }
        }
        out.sort();
        Ok(out)
    }

    /// Arms regorus's execution timer with what is left of the budget.
    fn arm_budget(&mut self, started: std::time::Instant, what: &str) -> Result<(), PolicyError> {
        let Some(budget) = self.budget else {
            return Ok(());
        };
        let left = budget
            .checked_sub(started.elapsed())
            .filter(|d| !d.is_zero())
            .ok_or_else(|| self.budget_error(what))?;
        self.engine
            .set_execution_timer_config(regorus::utils::limits::ExecutionTimerConfig {
                limit: left,
                // The clock is read every 64 steps: cheap, and still far
                // finer than any budget a user sets.
                check_interval: std::num::NonZeroU32::new(64).expect("non-zero"),
            });
        Ok(())
    }

    fn budget_error(&self, what: &str) -> PolicyError {
        PolicyError::Budget {
            package: what.to_string(),
            seconds: self.budget.map_or(0.0, |b| b.as_secs_f64()),
        }
    }
}

/// The input of one evaluation, as a `serde_json` tree or already converted.
enum Input {
    Json(Value),
    Rego(regorus::Value),
}

impl From<Value> for Input {
    fn from(v: Value) -> Input {
        Input::Json(v)
    }
}

fn is_timeout(e: &anyhow::Error) -> bool {
    e.downcast_ref::<regorus::utils::limits::LimitError>()
        .is_some_and(|l| {
            matches!(
                l,
                regorus::utils::limits::LimitError::TimeLimitExceeded { .. }
            )
        })
        || e.to_string().contains("execution exceeded time limit")
}

/// Compiles one policy file; returns its package and whether the file
/// defines `deny` (helper packages such as `policies/lib/` define none).
fn add(engine: &mut regorus::Engine, path: &str, src: &str) -> Result<(String, bool), PolicyError> {
    let package = engine
        .add_policy(path.to_string(), src.to_string())
        .map_err(|e| PolicyError::Compile {
            path: path.to_string(),
            message: e.to_string(),
        })?;
    Ok((package, defines_deny(src)))
}

/// Whether `id` is a rule id a user policy may report: capital letters then
/// digits (`OC900`, `ACME12`), at most 16 characters.
fn well_formed_rule_id(id: &str) -> bool {
    let digits = id.trim_start_matches(|c: char| c.is_ascii_uppercase());
    id.len() <= 16
        && digits.len() < id.len()
        && !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
}

/// Whether `p` is a JSON pointer (RFC 6901): empty, or `/`-separated tokens
/// in which `~` is only `~0` or `~1`.
fn is_json_pointer(p: &str) -> bool {
    (p.is_empty() || p.starts_with('/'))
        && p.split('~')
            .skip(1)
            .all(|rest| rest.starts_with('0') || rest.starts_with('1'))
}

/// One entry of a `deny` set as a finding. A malformed entry (no rule id, a
/// pointer that is not a JSON pointer, an unknown severity, no message) is
/// an error naming the policy file, its package and the rule, never a
/// silently defaulted finding; so is a user policy reporting a built-in rule
/// id. The problem names the offending key but never quotes its value,
/// which may come from the checked config.
fn deny_entry(f: &Value, ep: &str, user_file: Option<&str>) -> Result<RawFinding, PolicyError> {
    let package = ep
        .trim_start_matches("data.")
        .trim_end_matches(".deny")
        .to_string();
    let fail = |problem: String| PolicyError::Malformed {
        path: user_file.unwrap_or("built-in policy").to_string(),
        package: package.clone(),
        problem,
    };
    let Some(o) = f.as_object() else {
        return Err(fail(
            "a `deny` entry is not an object: report `{\"rule\": ..., \"pointer\": ..., \"message\": ...}`".into(),
        ));
    };
    let rule = match o.get("rule") {
        Some(Value::String(r)) if well_formed_rule_id(r) => r.clone(),
        Some(Value::String(_)) => {
            return Err(fail(
                "a `deny` entry's `rule` is not a rule id (capital letters then digits, e.g. `OC900`, at most 16 characters)".into(),
            ))
        }
        _ => {
            return Err(fail(
                "a `deny` entry has no `rule` (a string such as `OC900`)".into(),
            ))
        }
    };
    if user_file.is_some() && crate::rules::get(&rule).is_some() {
        return Err(fail(format!(
            "rule `{rule}` is a built-in rule (`clawcheck rules`): a user policy needs a rule id of its own"
        )));
    }
    let pointer = match o.get("pointer") {
        Some(Value::String(p)) if is_json_pointer(p) => p.clone(),
        Some(Value::String(_)) => {
            return Err(fail(format!(
                "rule `{rule}`: `pointer` is not a JSON pointer (\"\" for the whole file, or `/` then keys, `~` written `~0` or `~1`)"
            )))
        }
        Some(_) => {
            return Err(fail(format!(
                "rule `{rule}`: `pointer` is not a string (report a field's `pointer`, or \"\" for the whole file)"
            )))
        }
        None => {
            return Err(fail(format!(
                "rule `{rule}`: a `deny` entry has no `pointer` (report a field's `pointer`, or \"\" for the whole file)"
            )))
        }
    };
    let message = match o.get("message") {
        Some(Value::String(m)) if !m.trim().is_empty() => m.clone(),
        _ => {
            return Err(fail(format!(
                "rule `{rule}`: a `deny` entry has no `message` (a non-empty string)"
            )))
        }
    };
    let severity = match o.get("severity") {
        None => None,
        Some(Value::String(s)) if matches!(s.as_str(), "error" | "warning" | "note") => {
            Severity::parse(s)
        }
        Some(_) => {
            return Err(fail(format!(
                "rule `{rule}`: unknown `severity` (one of `error`, `warning`, `note`)"
            )))
        }
    };
    let fix = match o.get("fix") {
        None => None,
        Some(v) => Some(
            crate::fix::FixSpec::from_json(v).map_err(|e| fail(format!("rule `{rule}`: {e}")))?,
        ),
    };
    let places = match o.get("related") {
        None => Vec::new(),
        Some(Value::Array(a)) => {
            let mut out = Vec::new();
            for r in a {
                out.push(place_entry(r).ok_or_else(|| {
                    fail(format!(
                        "rule `{rule}`: a `related` entry is not `{{\"path\": string, \"line\": n >= 1, \"column\": n >= 1, \"message\": string}}`"
                    ))
                })?);
            }
            out
        }
        Some(_) => {
            return Err(fail(format!(
                "rule `{rule}`: `related` is not an array of places"
            )))
        }
    };
    Ok(RawFinding {
        rule,
        pointer,
        message,
        severity,
        fix,
        places,
    })
}

/// One place of a `deny` entry's `related` list.
fn place_entry(r: &Value) -> Option<crate::finding::Place> {
    let pos = |k: &str| r.get(k)?.as_u64().filter(|n| *n >= 1).map(|n| n as usize);
    Some(crate::finding::Place {
        path: r.get("path")?.as_str()?.to_string(),
        line: pos("line")?,
        column: pos("column")?,
        message: r.get("message")?.as_str()?.to_string(),
    })
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
    let mut loaded = Vec::new();
    for dir in dirs {
        loaded.extend(read_rego(dir, true)?);
    }
    // A package the directories declare replaces the built-in one (testing
    // an edited copy of policies/, or the repository's own policies/ as a
    // directory): loading both would merge two versions of every rule and
    // count each file twice in the coverage.
    let replaced: Vec<String> = loaded
        .iter()
        .filter(|(path, _)| !path.ends_with("_test.rego"))
        .filter_map(|(_, src)| package_of(src))
        .collect();
    for (path, src) in BUILTIN {
        if package_of(src).is_some_and(|p| replaced.contains(&p)) {
            continue;
        }
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
    {
        for (path, src) in loaded {
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
/// Every `.rego` file under `dir` (or `dir` itself when it is a file), read,
/// sorted by path: `(path, source)`. Test files (`*_test.rego`) only when
/// `with_tests`.
fn read_rego(dir: &Path, with_tests: bool) -> Result<Vec<(String, String)>, PolicyError> {
    fn walk(
        dir: &Path,
        with_tests: bool,
        out: &mut Vec<std::path::PathBuf>,
    ) -> Result<(), PolicyError> {
        let err = |source| PolicyError::Read {
            path: dir.display().to_string(),
            source,
        };
        if dir.is_file() {
            out.push(dir.to_path_buf());
            return Ok(());
        }
        for entry in std::fs::read_dir(dir).map_err(err)? {
            let p = entry.map_err(err)?.path();
            if p.is_dir() {
                walk(&p, with_tests, out)?;
            } else if p.extension().is_some_and(|e| e == "rego")
                && (with_tests || !p.to_string_lossy().ends_with("_test.rego"))
            {
                out.push(p);
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    walk(dir, with_tests, &mut files)?;
    files.sort();
    files
        .into_iter()
        .map(|f| {
            let path = f.display().to_string();
            let src = std::fs::read_to_string(&f).map_err(|source| PolicyError::Read {
                path: path.clone(),
                source,
            })?;
            Ok((path, src))
        })
        .collect()
}
