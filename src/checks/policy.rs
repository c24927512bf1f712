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

/// Built-in packages that regorus's bytecode VM (0.14.1) would evaluate
/// wrongly, evaluated by its interpreter instead. None now: in a function
/// with an `else` chain, a body whose `some ... in` loop finds nothing ends
/// the chain undefined instead of trying the next `else`, and OC245, which
/// was listed here for it, picks its reason from lists instead. The test
/// `the_vm_and_the_interpreter_agree` compares both on every fixture.
const INTERPRETED: &[&str] = &[];

/// What gives a config's agents one at a time to the function it is
/// passed ([`PolicySet::evaluate_fed`]).
pub type Feed<'a> = dyn FnMut(&mut dyn FnMut(Value)) + 'a;

/// What makes the inputs of one config's runs of agents and passes each
/// to the function it is given ([`PolicySet::judge_stream`]).
type Runs<'a> = dyn FnMut(&mut dyn FnMut(regorus::Value)) -> Result<(), PolicyError> + 'a;

/// The most agents of one config judged in one evaluation
/// ([`PolicySet::evaluate_input`]).
pub const AGENT_RUN: usize = 4096;

/// The deterministic part of the evaluation budget: VM instructions per
/// second of `limits.policy_eval_seconds`, about what the VM executes in a
/// second. The 10 s default is then 250,000,000 instructions, over ten
/// times what the built-in policies take on a profile with 100,000 agents
/// (5 to 20 million), and a runaway stops after the same count of
/// instructions on any machine under any load.
pub const INSTRUCTIONS_PER_SECOND: f64 = 25_000_000.0;

/// The wall clock stays only as a last resort (a single builtin call such
/// as a huge `numbers.range` is one instruction): this many times the
/// budget, and at least [`WALL_CLOCK_FLOOR`].
const WALL_CLOCK_FACTOR: u32 = 10;
const WALL_CLOCK_FLOOR: std::time::Duration = std::time::Duration::from_secs(30);

/// The last-resort wall clock of the VM for a budget.
fn wall_clock_net(budget: std::time::Duration) -> std::time::Duration {
    budget
        .saturating_mul(WALL_CLOCK_FACTOR)
        .max(WALL_CLOCK_FLOOR)
}

/// A compile error kept for every worker that asks again: `(path, message)`.
type Lazy<T> = std::sync::OnceLock<Result<T, (String, String)>>;

fn lazy_error(e: &(String, String)) -> PolicyError {
    PolicyError::Compile {
        path: e.0.clone(),
        message: e.1.clone(),
    }
}

fn keep<T>(r: Result<T, PolicyError>) -> Result<T, (String, String)> {
    r.map_err(|e| match e {
        PolicyError::Compile { path, message } => (path, message),
        other => ("built-in policies".to_string(), other.to_string()),
    })
}

/// What every clone of a [`PolicySet`] shares: the sources, and what is
/// compiled from them on first use (a run that checks no config compiles
/// nothing; deployment rules compile only for a deployment file).
struct Shared {
    /// User policy files `(path, source)`.
    user: Vec<(String, String)>,
    /// The built-in `deny` sets of configs, compiled to RVM bytecode
    /// (entry point [`ALL_DENY`]).
    config: Lazy<std::sync::Arc<regorus::rvm::Program>>,
    /// The same for deployment files ([`DEPLOY_DENY`]).
    deploy: Lazy<std::sync::Arc<regorus::rvm::Program>>,
    /// An interpreter with the helper packages and [`INTERPRETED`].
    narrow: Lazy<regorus::Engine>,
    /// An interpreter with every policy, built in and user (compiled at
    /// once when there are user policies, to report their errors first).
    full: Lazy<regorus::Engine>,
}

/// How one `deny` entrypoint is evaluated.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Route {
    /// Built in, batched in the bytecode of its kind (config or deployment).
    Vm { deploy: bool },
    /// Built in, on the interpreter ([`INTERPRETED`]).
    Narrow { deploy: bool },
    /// A user policy (on the interpreter, every kind of input).
    User,
}

impl Route {
    fn applies(self, deploy: bool) -> bool {
        match self {
            Route::Vm { deploy: d } | Route::Narrow { deploy: d } => d == deploy,
            Route::User => true,
        }
    }
}

pub struct PolicySet {
    shared: std::sync::Arc<Shared>,
    /// `data.<package>.deny` rules to evaluate, sorted, each with the file
    /// of a user policy that declares the package (`None`: built in).
    entrypoints: Vec<(String, Option<String>)>,
    /// How each entrypoint is evaluated (same order).
    routes: Vec<Route>,
    /// Wall-clock budget for all of one file's evaluations (none: unbounded).
    budget: Option<std::time::Duration>,
    /// `crate::evidence::digest_named` of every policy and the built-in
    /// rule metadata, and how many files that is.
    digest: (String, usize),
    /// This worker's VMs and interpreters, made on first use.
    config_vm: Option<regorus::rvm::RegoVM>,
    deploy_vm: Option<regorus::rvm::RegoVM>,
    narrow: Option<regorus::Engine>,
    full: Option<regorus::Engine>,
}

impl Clone for PolicySet {
    /// A worker's copy: it shares what is compiled, not its VMs or
    /// interpreters (each worker makes its own from the shared ones).
    fn clone(&self) -> Self {
        PolicySet {
            shared: self.shared.clone(),
            entrypoints: self.entrypoints.clone(),
            routes: self.routes.clone(),
            budget: self.budget,
            digest: self.digest.clone(),
            config_vm: None,
            deploy_vm: None,
            narrow: None,
            full: None,
        }
    }
}

/// The package a built-in policy file declares, as regorus names it
/// (`data.a.b`), and whether it defines `deny`.
fn builtin_package(src: &str) -> (String, bool) {
    (
        format!("data.{}", package_of(src).unwrap_or_default()),
        defines_deny(src),
    )
}

fn is_deploy_path(path: &str) -> bool {
    path.starts_with("policies/deploy/")
}

impl PolicySet {
    /// The built-in policies plus every `*.rego` file under `extra` (files
    /// ending in `_test.rego` are tests, not policies). User policies are
    /// compiled at once (their errors come first); the built-in ones only
    /// when an evaluation needs them.
    pub fn new(extra: &[&Path]) -> Result<PolicySet, PolicyError> {
        let mut packages: Vec<(String, Option<String>, Route)> = Vec::new();
        for (path, src) in BUILTIN {
            let (package, deny) = builtin_package(src);
            if deny {
                let deploy = is_deploy_path(path);
                let route = if INTERPRETED.contains(&package.as_str()) {
                    Route::Narrow { deploy }
                } else {
                    Route::Vm { deploy }
                };
                packages.push((package, None, route));
            }
        }
        let mut user = Vec::new();
        for dir in extra {
            user.extend(read_rego(dir, false)?);
        }
        let shared = Shared {
            user,
            config: std::sync::OnceLock::new(),
            deploy: std::sync::OnceLock::new(),
            narrow: std::sync::OnceLock::new(),
            full: std::sync::OnceLock::new(),
        };
        if !shared.user.is_empty() {
            let (engine, user_packages) = full_engine(&shared.user)?;
            for (package, path) in user_packages {
                packages.push((package, Some(path), Route::User));
            }
            let _ = shared.full.set(Ok(engine));
        }
        packages.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        packages.dedup_by(|a, b| a.0 == b.0);
        let (entrypoints, routes) = packages
            .into_iter()
            .map(|(p, path, route)| ((format!("{p}.deny"), path), route))
            .unzip();
        let named = BUILTIN
            .iter()
            .chain(crate::rules::BUILTIN_RULE_METADATA)
            .map(|(p, s)| (*p, s.as_bytes()))
            .chain(shared.user.iter().map(|(p, s)| (p.as_str(), s.as_bytes())));
        let count = BUILTIN.len() + crate::rules::BUILTIN_RULE_METADATA.len() + shared.user.len();
        let digest = (crate::evidence::digest_named(named), count);
        Ok(PolicySet {
            shared: std::sync::Arc::new(shared),
            entrypoints,
            routes,
            budget: None,
            digest,
            config_vm: None,
            deploy_vm: None,
            narrow: None,
            full: None,
        })
    }

    /// Whether an evaluation needs the document itself (`input.raw`): only
    /// a user policy may read it. No built-in policy does (a test keeps it
    /// so), and converting the document for nothing cost a tenth of the
    /// time of checking 1,000 real configs (its allocations more than its
    /// 2 % of the instructions).
    pub fn reads_raw(&self) -> bool {
        !self.shared.user.is_empty()
    }

    /// SHA-256 over the policy set (see `crate::evidence::Evidence`) and the
    /// number of files it covers.
    pub fn digest(&self) -> (&str, usize) {
        (&self.digest.0, self.digest.1)
    }

    /// Bounds what [`PolicySet::evaluate`] may spend on one input: past it,
    /// evaluation stops with [`PolicyError::Budget`]. The built-in policies
    /// run on regorus's bytecode VM, bounded by a count of instructions
    /// ([`INSTRUCTIONS_PER_SECOND`] per second of budget: the same findings
    /// on any machine under any load), with the wall clock only as a last
    /// resort ([`WALL_CLOCK_FACTOR`] times the budget, at least
    /// [`WALL_CLOCK_FLOOR`]). User policies run
    /// on regorus's interpreter, bounded by the wall clock (its cooperative
    /// execution timer; a single builtin call is not interrupted).
    pub fn set_budget(&mut self, budget: std::time::Duration) {
        self.budget = Some(budget);
    }

    /// Evaluates every policy against `input`; findings come back sorted.
    ///
    /// The built-in `deny` sets are evaluated in one generated rule
    /// (`[data.a.deny, ...]`) compiled to bytecode, so helpers shared by
    /// several rules are evaluated once per input, not once per package;
    /// user packages are evaluated one at a time, so that a failure or a
    /// runaway names its package.
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

    /// Whether the config rules are the built-in ones only, all on the VM:
    /// they judge each agent alone (`posture.agents` is only ever iterated
    /// element by element, or tested for being empty; the test
    /// `built_in_rules_judge_each_agent_alone` keeps it so), so a config's
    /// agents may be judged a run at a time ([`PolicySet::evaluate_input`]).
    pub fn judges_agents_alone(&self) -> bool {
        self.shared.user.is_empty() && self.routes.iter().all(|r| matches!(r, Route::Vm { .. }))
    }

    /// [`PolicySet::evaluate_rego`] for a config's input whose agents were
    /// taken apart. When [`PolicySet::judges_agents_alone`], a config with
    /// more than [`AGENT_RUN`] agents is judged a run of agents at a time
    /// (`crate::posture::RegoInput::chunks`): the `deny` sets of the whole
    /// input are then the union of the runs' sets, and the findings the
    /// same, sorted, each once. The runs are judged on every core, each on
    /// its own VM with its share of the budget's instructions.
    pub fn evaluate_input(
        &mut self,
        input: crate::posture::RegoInput,
    ) -> Result<Vec<RawFinding>, PolicyError> {
        self.evaluate_input_runs(input, AGENT_RUN)
    }

    /// [`PolicySet::evaluate_input`] with runs of at most `run` agents.
    fn evaluate_input_runs(
        &mut self,
        input: crate::posture::RegoInput,
        run: usize,
    ) -> Result<Vec<RawFinding>, PolicyError> {
        if input.agent_count() <= run || !self.judges_agents_alone() {
            return self.evaluate_rego(input.whole());
        }
        let mut inputs = input.chunks(run);
        let share = inputs.len();
        self.judge_stream(share, &mut |judge| {
            for i in std::mem::take(&mut inputs) {
                judge(i);
            }
            Ok(())
        })
    }

    /// [`PolicySet::evaluate_input`] for an input whose agents were not
    /// taken yet: `feed` gives them one at a time (`total` of them,
    /// `crate::posture::for_each_agent`). A config with more than
    /// [`AGENT_RUN`] agents is judged a run at a time as they come
    /// ([`PolicySet::judge_stream`]), so that its agents are never all held
    /// in the evaluator's form.
    pub fn evaluate_fed(
        &mut self,
        input: crate::posture::RegoInput,
        total: usize,
        feed: &mut Feed<'_>,
    ) -> Result<Vec<RawFinding>, PolicyError> {
        self.evaluate_fed_runs(input, total, feed, AGENT_RUN)
    }

    /// [`PolicySet::evaluate_fed`] with runs of at most `run` agents.
    fn evaluate_fed_runs(
        &mut self,
        mut input: crate::posture::RegoInput,
        total: usize,
        feed: &mut Feed<'_>,
        run_len: usize,
    ) -> Result<Vec<RawFinding>, PolicyError> {
        let run_len = run_len.max(1);
        if !input.takes_agents() || total <= run_len || !self.judges_agents_alone() {
            let mut failed = None;
            feed(&mut |a| {
                if failed.is_none() {
                    failed = input.push_agent(a).err();
                }
            });
            return match failed {
                Some(e) => Err(input_error(e)),
                None => self.evaluate_input_runs(input, run_len),
            };
        }
        let share = total.div_ceil(run_len);
        self.judge_stream(share, &mut |judge| {
            let mut run = Vec::with_capacity(run_len);
            let mut failed = None;
            let mut sent = false;
            feed(&mut |a| {
                if failed.is_some() {
                    return;
                }
                match input.convert_agent(a) {
                    Ok(a) => run.push(a),
                    Err(e) => {
                        failed = Some(input_error(e));
                        return;
                    }
                }
                if run.len() == run_len {
                    let full = std::mem::replace(&mut run, Vec::with_capacity(run_len));
                    judge(input.with_agents(Some(full)));
                    sent = true;
                }
            });
            // the last run; with no agents at all, once without them
            if !run.is_empty() || !sent {
                judge(input.with_agents(Some(run)));
            }
            failed.map_or(Ok(()), Err)
        })
    }

    /// Judges the inputs `produce` makes, which differ only in their runs of
    /// agents, each with a `share`th of the budget's instructions; the
    /// findings of all, sorted, each once.
    ///
    /// The runs are judged while the next ones are made: the other threads
    /// of the pool take them from a queue of a few, each on its own VM, and
    /// this thread judges a run itself when the queue is full (and what is
    /// left once all are made). At most a few runs are held at once. The
    /// findings do not depend on which thread judged what; a run that fails
    /// (the budget: every run of a config fails alike) stops the rest.
    fn judge_stream(
        &mut self,
        share: usize,
        produce: &mut Runs<'_>,
    ) -> Result<Vec<RawFinding>, PolicyError> {
        use std::sync::{mpsc, Mutex};
        let program = self
            .shared
            .config
            .get_or_init(|| keep(builtin_program(false)))
            .as_ref()
            .map_err(lazy_error)?
            .clone();
        let batched: Vec<usize> = (0..self.entrypoints.len())
            .filter(|&i| self.routes[i] == Route::Vm { deploy: false })
            .collect();
        let (entrypoints, budget) = (&self.entrypoints, self.budget);
        let vm = || {
            let mut vm = regorus::rvm::RegoVM::new();
            vm.load_program(program.clone());
            vm
        };
        // A run's findings, or (failed on the VM) its input, to be judged
        // again one package at a time so that the failure names its package.
        type Judged = Result<Result<Vec<RawFinding>, regorus::Value>, PolicyError>;
        let judge = |vm: &mut regorus::rvm::RegoVM, input: regorus::Value| -> Judged {
            let Some(batch) =
                run_vm(vm, false, &input, budget, share)?.filter(|b| b.len() == batched.len())
            else {
                return Ok(Err(input));
            };
            let mut sets = vec![None; entrypoints.len()];
            for (i, v) in batched.iter().zip(batch) {
                sets[*i] = Some(v);
            }
            findings_in(entrypoints, sets).map(Ok)
        };
        let helpers = rayon::current_num_threads().max(1) - 1;
        let (tx, rx) = mpsc::sync_channel::<(usize, regorus::Value)>(helpers.max(1));
        let rx = Mutex::new(rx);
        let judged: Mutex<Vec<(usize, Judged)>> = Mutex::new(Vec::new());
        let stop = std::sync::atomic::AtomicBool::new(false);
        let record = |i: usize, j: Judged| {
            if j.is_err() {
                stop.store(true, std::sync::atomic::Ordering::Relaxed);
            }
            judged
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((i, j));
        };
        // what the other threads take from the queue, and this one once
        // every run is made
        let drain = |vm: &mut regorus::rvm::RegoVM| loop {
            let next = rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
            let Ok((i, input)) = next else { break };
            if !stop.load(std::sync::atomic::Ordering::Relaxed) {
                record(i, judge(vm, input));
            }
        };
        let produced = rayon::in_place_scope(|scope| {
            for _ in 0..helpers {
                scope.spawn(|_| drain(&mut vm()));
            }
            let mut own = vm();
            let mut made = 0;
            let produced = produce(&mut |input| {
                let i = made;
                made += 1;
                if stop.load(std::sync::atomic::Ordering::Relaxed) {
                    return;
                }
                if helpers == 0 {
                    return record(i, judge(&mut own, input));
                }
                match tx.try_send((i, input)) {
                    Ok(()) => {}
                    Err(mpsc::TrySendError::Full((i, input)))
                    | Err(mpsc::TrySendError::Disconnected((i, input))) => {
                        record(i, judge(&mut own, input));
                    }
                }
            });
            drop(tx);
            drain(&mut own);
            produced
        });
        let mut judged = judged.into_inner().unwrap_or_else(|e| e.into_inner());
        judged.sort_by_key(|(i, _)| *i);
        let mut out = Vec::new();
        for (_, j) in judged {
            match j? {
                Ok(found) => out.extend(found),
                Err(input) => out.extend(self.evaluate_rego(input)?),
            }
        }
        produced?;
        out.sort();
        out.dedup();
        Ok(out)
    }

    /// [`PolicySet::evaluate`] for the input of a deployment file: the
    /// built-in deployment rules and the user policies.
    pub fn evaluate_deployment(&mut self, input: Value) -> Result<Vec<RawFinding>, PolicyError> {
        self.evaluate_kind(input.into(), true)
    }

    /// Evaluates every package on regorus's interpreter, as before the VM
    /// (for tests that compare the two).
    #[doc(hidden)]
    pub fn evaluate_interpreted(
        &mut self,
        input: Value,
        deploy: bool,
    ) -> Result<Vec<RawFinding>, PolicyError> {
        let input = to_rego(input)?;
        let started = std::time::Instant::now();
        let picked: Vec<usize> = (0..self.entrypoints.len())
            .filter(|&i| self.routes[i].applies(deploy))
            .collect();
        let mut sets = vec![None; self.entrypoints.len()];
        for i in picked {
            sets[i] = Some(self.eval_interpreted(i, true, &input, started)?);
        }
        self.findings(sets)
    }

    fn evaluate_kind(
        &mut self,
        input: Input,
        deploy: bool,
    ) -> Result<Vec<RawFinding>, PolicyError> {
        let input = match input {
            Input::Json(v) => to_rego(v)?,
            Input::Rego(v) => v,
        };
        let started = std::time::Instant::now();
        let n = self.entrypoints.len();
        let mut sets: Vec<Option<regorus::Value>> = vec![None; n];
        let batched: Vec<usize> = (0..n)
            .filter(|&i| self.routes[i] == Route::Vm { deploy })
            .collect();
        let mut batch_failed = false;
        if !batched.is_empty() {
            match self.eval_vm(deploy, &input)? {
                Some(batch) if batch.len() == batched.len() => {
                    for (i, v) in batched.iter().zip(batch) {
                        sets[*i] = Some(v);
                    }
                }
                // Evaluated one by one below, so the failure names its package.
                _ => batch_failed = true,
            }
        }
        // User packages and [`INTERPRETED`] one at a time (a failure or a
        // runaway names its package), and the batched ones too if the
        // batch failed.
        for (i, slot) in sets.iter_mut().enumerate() {
            if slot.is_some() || !self.routes[i].applies(deploy) {
                continue;
            }
            let full = batch_failed || self.routes[i] == Route::User;
            *slot = Some(self.eval_interpreted(i, full, &input, started)?);
        }
        // Free the input now: a huge posture must not stay alive while its
        // findings are converted, placed and rendered.
        drop(input);
        for e in [&mut self.narrow, &mut self.full].into_iter().flatten() {
            e.set_input(regorus::Value::new_object());
        }
        self.findings(sets)
    }

    /// Compiles what evaluating a config needs (the bytecode of the
    /// built-in config rules, the interpreter for [`INTERPRETED`]) now, on
    /// the calling thread, so that a run can do it beside reading and
    /// parsing its configs; evaluation would otherwise compile it on first
    /// use. An error is kept and reported by that first use.
    pub fn prepare_for_configs(&self) {
        let _ = self
            .shared
            .config
            .get_or_init(|| keep(builtin_program(false)));
        if self.shared.user.is_empty() && !INTERPRETED.is_empty() {
            let _ = self.shared.narrow.get_or_init(|| keep(narrow_engine()));
        }
    }

    /// The batched built-in `deny` sets of one kind on the VM: `None` when
    /// the evaluation failed (not for the budget).
    fn eval_vm(
        &mut self,
        deploy: bool,
        input: &regorus::Value,
    ) -> Result<Option<Vec<regorus::Value>>, PolicyError> {
        let slot = if deploy {
            &mut self.deploy_vm
        } else {
            &mut self.config_vm
        };
        if slot.is_none() {
            let lock = if deploy {
                &self.shared.deploy
            } else {
                &self.shared.config
            };
            let program = lock
                .get_or_init(|| keep(builtin_program(deploy)))
                .as_ref()
                .map_err(lazy_error)?;
            let mut vm = regorus::rvm::RegoVM::new();
            vm.load_program(program.clone());
            *slot = Some(vm);
        }
        let vm = slot.as_mut().expect("made above");
        run_vm(vm, deploy, input, self.budget, 1)
    }

    /// One `deny` entrypoint on an interpreter: the full one (`full`, or
    /// for user policies) or the narrow one.
    fn eval_interpreted(
        &mut self,
        i: usize,
        full: bool,
        input: &regorus::Value,
        started: std::time::Instant,
    ) -> Result<regorus::Value, PolicyError> {
        let ep = self.entrypoints[i].0.clone();
        let budget = self.budget;
        let user = self.routes[i] == Route::User;
        let over = |what: &str| PolicyError::Budget {
            package: what.to_string(),
            seconds: budget.map_or(0.0, |b| {
                if user {
                    b.as_secs_f64()
                } else {
                    wall_clock_net(b).as_secs_f64()
                }
            }),
        };
        // The full interpreter when there are user policies (it has every
        // package), else the narrow one for [`INTERPRETED`].
        let full = full || !self.shared.user.is_empty();
        let (slot, lock) = if full {
            (&mut self.full, &self.shared.full)
        } else {
            (&mut self.narrow, &self.shared.narrow)
        };
        if slot.is_none() {
            let shared = &self.shared;
            let engine = lock
                .get_or_init(|| {
                    keep(if full {
                        full_engine(&shared.user).map(|(e, _)| e)
                    } else {
                        narrow_engine()
                    })
                })
                .as_ref()
                .map_err(lazy_error)?;
            *slot = Some(engine.clone());
        }
        let engine = slot.as_mut().expect("made above");
        if let Some(budget) = budget {
            // A user policy has what is left of the wall-clock budget; a
            // built-in one (linear in its input) only the last resort.
            let left = if user {
                budget
                    .checked_sub(started.elapsed())
                    .filter(|d| !d.is_zero())
                    .ok_or_else(|| over(&ep))?
            } else {
                wall_clock_net(budget)
            };
            engine.set_execution_timer_config(regorus::utils::limits::ExecutionTimerConfig {
                limit: left,
                // The clock is read every 64 steps: cheap, and still far
                // finer than any budget a user sets.
                check_interval: std::num::NonZeroU32::new(64).expect("non-zero"),
            });
        }
        engine.set_input(input.clone());
        engine.eval_rule(ep.clone()).map_err(|e| {
            if is_timeout(&e) {
                over(&ep)
            } else {
                PolicyError::Eval {
                    package: ep.clone(),
                    message: e.to_string(),
                }
            }
        })
    }

    /// The `deny` sets as findings, sorted.
    fn findings(&self, sets: Vec<Option<regorus::Value>>) -> Result<Vec<RawFinding>, PolicyError> {
        findings_in(&self.entrypoints, sets)
    }
}

/// Runs the batched built-in `deny` sets of one kind on `vm`: `None` when
/// the evaluation failed (not for the budget). The VM may spend a `share`th
/// of the budget's instructions (one run of a config's agents among
/// `share`, [`PolicySet::judge_stream`]).
fn run_vm(
    vm: &mut regorus::rvm::RegoVM,
    deploy: bool,
    input: &regorus::Value,
    budget: Option<std::time::Duration>,
    share: usize,
) -> Result<Option<Vec<regorus::Value>>, PolicyError> {
    let label = "the built-in policies";
    let (instructions, net) = match budget {
        Some(b) => (
            (b.as_secs_f64() * INSTRUCTIONS_PER_SECOND / share.max(1) as f64) as usize,
            Some(regorus::utils::limits::ExecutionTimerConfig {
                limit: wall_clock_net(b),
                check_interval: std::num::NonZeroU32::new(1024).expect("non-zero"),
            }),
        ),
        None => (usize::MAX, None),
    };
    vm.set_max_instructions(instructions);
    vm.set_execution_timer_config(net);
    vm.set_input(input.clone());
    let result = vm.execute_entry_point_by_name(if deploy { DEPLOY_DENY } else { ALL_DENY });
    vm.set_input(regorus::Value::Null);
    match result {
        Ok(v) => Ok(v.as_array().ok().map(|a| a.to_vec())),
        Err(regorus::rvm::vm::VmError::InstructionLimitExceeded { .. }) => {
            Err(PolicyError::Budget {
                package: label.to_string(),
                seconds: budget.map_or(0.0, |b| b.as_secs_f64()),
            })
        }
        Err(regorus::rvm::vm::VmError::TimeLimitExceeded { .. }) => Err(PolicyError::Budget {
            package: format!("{label}, on the wall clock"),
            seconds: budget.map_or(0.0, |b| wall_clock_net(b).as_secs_f64()),
        }),
        Err(_) => Ok(None),
    }
}

/// The `deny` sets of `entrypoints` (one per entrypoint, `None` when not
/// evaluated) as findings, sorted.
fn findings_in(
    entrypoints: &[(String, Option<String>)],
    sets: Vec<Option<regorus::Value>>,
) -> Result<Vec<RawFinding>, PolicyError> {
    let mut out = Vec::new();
    for ((ep, user_file), result) in entrypoints.iter().zip(sets) {
        let json: Value = match result {
            None | Some(regorus::Value::Undefined) => continue,
            // `deny := {...}`, `deny := "x"`: never a silent pass
            Some(v) if !matches!(v, regorus::Value::Set(_) | regorus::Value::Array(_)) => {
                return Err(PolicyError::Malformed {
                    path: user_file
                        .as_deref()
                        .unwrap_or("built-in policy")
                        .to_string(),
                    package: ep
                        .trim_start_matches("data.")
                        .trim_end_matches(".deny")
                        .to_string(),
                    problem: "`deny` is not a set: write `deny contains f if { ... }`".into(),
                });
            }
            // A built-in policy's well-formed entries are read as they are
            // (the 100,000 findings of a huge profile were 6% of its run
            // through a `serde_json` tree); anything else goes through the
            // tree, which says what is wrong with it.
            Some(v) if user_file.is_none() => {
                let entries: Vec<&regorus::Value> = match &v {
                    regorus::Value::Set(s) => s.iter().collect(),
                    regorus::Value::Array(a) => a.iter().collect(),
                    _ => Vec::new(),
                };
                let mut rest = Vec::new();
                for e in entries {
                    match built_in_entry(e) {
                        Some(f) => out.push(f),
                        None => rest.push(e),
                    }
                }
                let mut json = Vec::with_capacity(rest.len());
                for e in rest {
                    json.push(serde_json::to_value(e).map_err(|e| PolicyError::Eval {
                        package: ep.clone(),
                        message: e.to_string(),
                    })?);
                }
                Value::Array(json)
            }
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

/// A config's input that could not be converted for the evaluator.
pub(crate) fn input_error(e: crate::posture::rego::ConvertError) -> PolicyError {
    PolicyError::Eval {
        package: "input".into(),
        message: e.to_string(),
    }
}

/// The policies' input as regorus's value: the one conversion of the input
/// (straight from the tree, freed as it is converted; `crate::posture::rego`).
fn to_rego(input: Value) -> Result<regorus::Value, PolicyError> {
    crate::posture::rego::Converter::new()
        .take(input)
        .map_err(|e| PolicyError::Eval {
            package: "input".into(),
            message: e.to_string(),
        })
}

/// The generated package that lists the built-in `deny` sets of one kind
/// evaluated on the VM, in entrypoint (sorted package) order.
fn all_deny_source(deploy: bool) -> String {
    let mut eps: Vec<String> = BUILTIN
        .iter()
        .filter(|(path, _)| is_deploy_path(path) == deploy)
        .map(|(_, src)| builtin_package(src))
        .filter(|(p, deny)| *deny && !INTERPRETED.contains(&p.as_str()))
        .map(|(p, _)| p)
        .collect();
    // The order of `PolicySet::entrypoints`: sorted by package.
    eps.sort();
    eps.dedup();
    let package = if deploy {
        DEPLOY_DENY_PACKAGE
    } else {
        ALL_DENY_PACKAGE
    };
    // One line per package: regorus rejects lines over 1024 columns.
    format!(
        "package {package}\n\nimport rego.v1\n\nall := [\n{}]\n",
        eps.iter()
            .map(|p| format!("\t{p}.deny,\n"))
            .collect::<String>()
    )
}

/// The built-in programs compiled ahead of time (`policies/compiled/`):
/// each file is the hex SHA-256 of the sources it was compiled from
/// ([`sources_digest`]), a newline, and regorus's binary form of the
/// program. A test (`compiled_programs_are_current`) compiles them again
/// and compares; `UPDATE_POLICIES=1 cargo test --lib compiled_programs`
/// writes them.
const PRECOMPILED_CONFIG: &[u8] = include_bytes!("../../policies/compiled/config.rvm");
const PRECOMPILED_DEPLOY: &[u8] = include_bytes!("../../policies/compiled/deploy.rvm");

/// What a precompiled program must have been compiled from: every
/// built-in policy file (and the entry point that lists the `deny` sets).
fn sources_digest(deploy: bool) -> String {
    let all = all_deny_source(deploy);
    crate::evidence::digest_named(
        BUILTIN
            .iter()
            .map(|(p, s)| (*p, s.as_bytes()))
            .chain([("<all deny sets>", all.as_bytes())]),
    )
}

/// The precompiled program of one kind, when it was compiled from exactly
/// these sources and regorus reads all of it back; otherwise `None`, and
/// the sources are compiled (slower, never wrong).
fn precompiled(deploy: bool) -> Option<regorus::rvm::Program> {
    let file = if deploy {
        PRECOMPILED_DEPLOY
    } else {
        PRECOMPILED_CONFIG
    };
    read_precompiled(file, deploy)
}

fn read_precompiled(file: &[u8], deploy: bool) -> Option<regorus::rvm::Program> {
    let nl = file.iter().position(|&b| b == b'\n')?;
    if file[..nl] != *sources_digest(deploy).as_bytes() {
        return None;
    }
    match regorus::rvm::Program::deserialize_binary(&file[nl + 1..]).ok()? {
        regorus::rvm::program::DeserializationResult::Complete(p) => Some(p),
        regorus::rvm::program::DeserializationResult::Partial(_) => None,
    }
}

/// The bytes of `policies/compiled/{config,deploy}.rvm` for these sources.
#[cfg(test)]
fn precompiled_file(deploy: bool) -> Result<Vec<u8>, PolicyError> {
    let program = compile_builtin_program(deploy)?;
    let bytes = program
        .serialize_binary()
        .map_err(|message| PolicyError::Compile {
            path: "<all deny sets>".into(),
            message,
        })?;
    let mut out = sources_digest(deploy).into_bytes();
    out.push(b'\n');
    out.extend_from_slice(&bytes);
    Ok(out)
}

/// The built-in policies of one kind (and the helpers) as RVM bytecode,
/// with the entry point that lists their `deny` sets: the precompiled
/// program (well under a millisecond to read) or, if that does not match
/// the sources, compiled now (about 20 ms for the config rules).
fn builtin_program(deploy: bool) -> Result<std::sync::Arc<regorus::rvm::Program>, PolicyError> {
    match precompiled(deploy) {
        Some(p) => Ok(std::sync::Arc::new(p)),
        None => compile_builtin_program(deploy),
    }
}

/// [`builtin_program`] from the sources.
fn compile_builtin_program(
    deploy: bool,
) -> Result<std::sync::Arc<regorus::rvm::Program>, PolicyError> {
    let mut engine = regorus::Engine::new();
    add_with_helpers(&mut engine, |path, _| {
        !path.starts_with("policies/lib/") && is_deploy_path(path) == deploy
    })?;
    add(&mut engine, "<all deny sets>", &all_deny_source(deploy))?;
    let rule = if deploy { DEPLOY_DENY } else { ALL_DENY };
    let fail = |e: anyhow::Error| PolicyError::Compile {
        path: "<all deny sets>".into(),
        message: e.to_string(),
    };
    let compiled = engine.compile_with_entrypoint(&rule.into()).map_err(fail)?;
    regorus::languages::rego::compiler::Compiler::compile_from_policy(&compiled, &[rule])
        .map_err(|e| fail(e.into()))
}

/// An interpreter with the helper packages and the [`INTERPRETED`] ones.
fn narrow_engine() -> Result<regorus::Engine, PolicyError> {
    let mut engine = regorus::Engine::new();
    add_with_helpers(&mut engine, |_, src| {
        INTERPRETED.contains(&builtin_package(src).0.as_str())
    })?;
    Ok(engine)
}

/// Adds the built-in policies `pick` selects, and the helper packages
/// (`policies/lib/`) they name: nothing else is parsed.
fn add_with_helpers(
    engine: &mut regorus::Engine,
    pick: impl Fn(&str, &str) -> bool,
) -> Result<(), PolicyError> {
    let picked: Vec<&(&str, &str)> = BUILTIN.iter().filter(|(p, s)| pick(p, s)).collect();
    for (path, src) in BUILTIN {
        let helper = path.starts_with("policies/lib/") && {
            let named = builtin_package(src).0;
            picked.iter().any(|(_, s)| s.contains(named.as_str()))
        };
        if helper || pick(path, src) {
            add(engine, path, src)?;
        }
    }
    Ok(())
}

/// An interpreter with every built-in policy and the user's: the engine and
/// the user packages that define `deny`, each with its file.
fn full_engine(
    user: &[(String, String)],
) -> Result<(regorus::Engine, Vec<(String, String)>), PolicyError> {
    let mut engine = regorus::Engine::new();
    let mut builtin = std::collections::BTreeSet::new();
    for (path, src) in BUILTIN {
        let (package, _) = add(&mut engine, path, src)?;
        builtin.insert(package);
    }
    let mut packages = Vec::new();
    for (path, src) in user {
        let (package, deny) = add(&mut engine, path, src)?;
        // a user's rule head may be indented
        let deny = deny || defines_deny_indented(src);
        // Rules added to a built-in package would pass for built-in ones.
        if builtin.contains(&package) {
            return Err(PolicyError::Compile {
                path: path.clone(),
                message: format!(
                    "package `{}` is a built-in package: a user policy needs a package of its own",
                    package.trim_start_matches("data.")
                ),
            });
        }
        if deny {
            packages.push((package, path.clone()));
        }
    }
    Ok((engine, packages))
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

/// A built-in policy's `deny` entry read without a `serde_json` tree: the
/// finding [`deny_entry`] makes of it when it is well formed and has no
/// `related` places, else `None` (and [`deny_entry`] reads it).
fn built_in_entry(e: &regorus::Value) -> Option<RawFinding> {
    let regorus::Value::Object(o) = e else {
        return None;
    };
    let field = |k: &str| o.get(&regorus::Value::from(k));
    let string = |k: &str| match field(k) {
        Some(regorus::Value::String(s)) => Some(s.to_string()),
        _ => None,
    };
    if field("related").is_some() {
        return None;
    }
    let rule = string("rule").filter(|r| well_formed_rule_id(r))?;
    let pointer = string("pointer").filter(|p| is_json_pointer(p))?;
    let message = string("message").filter(|m| !m.trim().is_empty())?;
    let severity = match field("severity") {
        None => None,
        Some(regorus::Value::String(s)) if matches!(&**s, "error" | "warning" | "note") => {
            Severity::parse(s)
        }
        Some(_) => return None,
    };
    let fix = match field("fix") {
        None => None,
        Some(f) => Some(crate::fix::FixSpec::from_json(&serde_json::to_value(f).ok()?).ok()?),
    };
    Some(RawFinding {
        rule,
        pointer,
        message,
        severity,
        fix,
        places: Vec::new(),
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

/// [`defines_deny`] with rule heads indented by spaces or tabs (a user's
/// policy; the built-in ones start every head at the line's start).
fn defines_deny_indented(src: &str) -> bool {
    defines_deny(
        &src.lines()
            .map(|l| l.trim_start_matches([' ', '\t']))
            .collect::<Vec<_>>()
            .join("\n"),
    )
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
    // `--policy DIR` with nothing to add is a mistake (a wrong path, `.REGO`
    // files), not a run with no policy of the user's
    if files.is_empty() {
        return Err(PolicyError::Read {
            path: dir.display().to_string(),
            source: std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "no `.rego` policy file in it",
            ),
        });
    }
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

#[cfg(test)]
mod tests {
    /// The precompiled programs are what the sources compile to (so they are
    /// reproducible from the repository), and they are the ones used.
    #[test]
    fn compiled_programs_are_current() {
        for (deploy, file, embedded) in [
            (false, "config.rvm", super::PRECOMPILED_CONFIG),
            (true, "deploy.rvm", super::PRECOMPILED_DEPLOY),
        ] {
            let fresh = super::precompiled_file(deploy).unwrap();
            if std::env::var_os("UPDATE_POLICIES").is_some() {
                let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("policies/compiled")
                    .join(file);
                std::fs::write(path, &fresh).unwrap();
                continue;
            }
            assert!(
                fresh == embedded,
                "policies/compiled/{file} is stale: run `UPDATE_POLICIES=1 cargo test --lib compiled_programs`"
            );
            assert!(
                super::precompiled(deploy).is_some(),
                "{file} is not read back"
            );
        }
    }

    /// The input has `raw` only when a user policy is loaded
    /// ([`PolicySet::reads_raw`]): a built-in policy that read the document
    /// would find nothing there in a run without one, so none may.
    #[test]
    fn no_built_in_policy_reads_the_raw_document() {
        let bare = regex::Regex::new(r"\binput\b([^.]|$)").unwrap();
        let lookup = regex::Regex::new(r#"^object\.get\(input, \["([a-z_]+)""#).unwrap();
        for (path, src) in BUILTIN {
            let code: String = src
                .lines()
                .map(|l| l.split('#').next().unwrap_or(""))
                .collect::<Vec<_>>()
                .join("\n");
            for read in ["input.raw", "input[\"raw\"]", "input[k]", "walk(input"] {
                assert!(!code.contains(read), "{path} reads `{read}`");
            }
            // `input` on its own is only a path lookup whose first key is not `raw`
            for m in bare.find_iter(&code) {
                let at = code[..m.start()].rfind("object.get(").unwrap_or(m.start());
                let key = lookup.captures(&code[at..]).map(|c| c[1].to_string());
                assert!(
                    key.as_deref().is_some_and(|k| k != "raw"),
                    "{path} reads the whole input: {}",
                    &code[at..(m.end() + 20).min(code.len())]
                );
            }
        }
        let none = PolicySet::new(&[]).unwrap();
        assert!(!none.reads_raw());
    }

    /// What lets [`PolicySet::evaluate_input`] judge a config's agents a run
    /// at a time: in the built-in policies, `input.posture.agents` is only
    /// iterated one agent at a time (`some a in input.posture.agents`, once
    /// in a `deny` rule's body), or tested for being empty (`has_agents`),
    /// and the input is never read whole. A rule that compared two agents,
    /// or counted them, would fail this test (and would need the whole list).
    #[test]
    fn built_in_rules_judge_each_agent_alone() {
        let iterate = regex::Regex::new(r"^some [a-z_]+ in input\.posture\.agents$").unwrap();
        let mut iterations = 0;
        for (path, src) in BUILTIN {
            let mut head = "";
            let mut in_body = 0;
            for line in src.lines() {
                let code = line.split('#').next().unwrap_or("").trim();
                if !line.starts_with([' ', '\t', '}', ']', ')']) && !code.is_empty() {
                    head = code;
                    in_body = 0;
                }
                if code.contains("posture.agents") {
                    if iterate.is_match(code) {
                        assert!(
                            head.starts_with("deny contains "),
                            "{path}: `{code}` outside a deny rule"
                        );
                        in_body += 1;
                        assert_eq!(in_body, 1, "{path}: two agents in one body (`{head}`)");
                        iterations += 1;
                    } else {
                        assert_eq!(
                            code, "has_agents if count(input.posture.agents) > 0",
                            "{path}: the agents read as a whole"
                        );
                    }
                }
                for (at, _) in code.match_indices("input") {
                    let before = code[..at].chars().last();
                    let after = &code[at + 5..];
                    if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                        continue;
                    }
                    assert!(
                        after.starts_with('.') && !after.starts_with(".posture[")
                            || after.starts_with(", [\"monitoring\""),
                        "{path}: the input read as a whole: `{code}`"
                    );
                    assert!(
                        !after.starts_with(".posture ") && after != ".posture",
                        "{path}: `{code}`"
                    );
                }
            }
        }
        assert!(iterations >= 9, "{iterations}");
    }

    /// Judging a config's agents a run at a time finds exactly what judging
    /// them all at once finds, on every config fixture with two agents or
    /// more and on a roster of every kind of agent, in runs of 1, 2 and 7:
    /// taken apart after the posture was built, and fed as they are built
    /// (in waves of runs, [`PolicySet::evaluate_fed`]).
    #[test]
    fn agents_judged_a_run_at_a_time_find_what_all_at_once_finds() {
        let settings = crate::config::Settings::default();
        let re = settings.sensitivity_regex();
        let base = crate::posture::InputBase::new(&crate::posture::input_base(&settings));
        let mut set = PolicySet::new(&[]).unwrap();
        assert!(set.judges_agents_alone());
        let mut texts = Vec::new();
        let mut dirs = vec![std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures"
        ))];
        while let Some(dir) = dirs.pop() {
            for e in std::fs::read_dir(&dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    dirs.push(p);
                } else if p.extension().is_some_and(|x| x == "json" || x == "json5") {
                    texts.push((p.display().to_string(), std::fs::read(&p).unwrap()));
                }
            }
        }
        let kinds = [
            "critical", "routine", "prod", "batch", "research", "payments",
        ];
        let runtimes = ["\"thread-bound\"", "\"session\"", "\"shared\"", "7", "null"];
        let roster: Vec<String> = (0..60)
            .map(|i| {
                format!(
                    "\"{}-{i}\": {{\"runtime\": {}, \"auto-destroy\": {}, \"timeout\": {}{}}}",
                    kinds[i % 6],
                    runtimes[i % 5],
                    ["true", "false", "\"yes\""][i % 3],
                    ["60", "120", "300", "900", "0", "\"1h\"", "-5"][i % 7],
                    [", \"max-concurrent\": 2", "", ", \"max-concurrent\": 0"][i % 3],
                )
            })
            .collect();
        texts.push((
            "roster".into(),
            format!(
                "{{\"openclaw\": {{\"agents\": {{{}}}, \"monitoring\": {{}}}}}}",
                roster.join(",")
            )
            .into_bytes(),
        ));
        let mut compared = 0;
        for (name, bytes) in &texts {
            let Ok(doc) = crate::load::parse(bytes) else {
                continue;
            };
            if !doc.value.is_object() {
                continue;
            }
            let dialect = crate::normalise::detect(&doc.value);
            let input = || {
                let mut agents = crate::posture::Agents::new();
                let posture =
                    crate::posture::build_with(&doc.value, dialect, &settings, &re, &mut |v| {
                        agents.take(v)
                    });
                crate::posture::RegoInput::new(
                    &base,
                    None,
                    dialect,
                    posture,
                    Some(agents),
                    "c.json",
                )
                .unwrap()
            };
            if input().agent_count() < 2 {
                continue;
            }
            let mut whole = set.evaluate_rego(input().whole()).unwrap();
            whole.dedup();
            // the agents built apart, as the evaluator takes them
            let apart = || {
                let posture = crate::posture::build_apart(&doc.value, dialect, &settings);
                let agents = Some(crate::posture::Agents::new());
                crate::posture::RegoInput::new(&base, None, dialect, posture, agents, "c.json")
                    .unwrap()
            };
            let mut fed = 0;
            crate::posture::for_each_agent(&doc.value, dialect, &re, &mut |_| fed += 1);
            assert_eq!(
                crate::posture::agent_count(&doc.value, dialect),
                fed,
                "{name}"
            );
            for run in [1, 2, 7] {
                let runs = set.evaluate_input_runs(input(), run).unwrap();
                assert_eq!(runs, whole, "{name}, runs of {run}");
                let runs = set
                    .evaluate_fed_runs(
                        apart(),
                        fed,
                        &mut |each| crate::posture::for_each_agent(&doc.value, dialect, &re, each),
                        run,
                    )
                    .unwrap();
                assert_eq!(runs, whole, "{name}, fed in runs of {run}");
            }
            compared += 1;
        }
        assert!(compared >= 10, "{compared}");
    }

    /// No built-in rule reads a helper rule through an import alias
    /// (`p.profile`): regorus 0.14.1's VM compiles that as a lookup of the
    /// whole helper package, every rule of it evaluated, which was a quarter
    /// of the evaluation time on 1,000 real configs. The built-in rules name
    /// helper rules by their `data.` path (functions may use the alias).
    #[test]
    fn built_in_rules_read_no_whole_package() {
        for deploy in [false, true] {
            let p = super::compile_builtin_program(deploy).unwrap();
            let lookups: Vec<String> = p
                .instructions
                .iter()
                .enumerate()
                .filter(|(_, i)| {
                    matches!(
                        i,
                        regorus::rvm::instructions::Instruction::VirtualDataDocumentLookup { .. }
                    )
                })
                .map(|(at, _)| {
                    p.instruction_spans.get(at).cloned().flatten().map_or_else(
                        || format!("instruction {at}"),
                        |s| format!("{}:{}", p.sources[s.source_index].name, s.line),
                    )
                })
                .collect();
            assert!(lookups.is_empty(), "whole-package lookups at {lookups:?}");
        }
    }

    /// A precompiled program compiled from other sources, of the other
    /// kind, cut short or damaged is not used (and reading it never panics).
    #[test]
    fn a_stale_or_damaged_precompiled_program_is_never_used() {
        let good = super::PRECOMPILED_CONFIG;
        assert!(super::read_precompiled(good, false).is_some());
        // compiled from other sources: another digest
        let mut stale = good.to_vec();
        stale[0] = if stale[0] == b'0' { b'1' } else { b'0' };
        assert!(super::read_precompiled(&stale, false).is_none());
        // the deployment program's digest is not the config program's
        assert!(super::read_precompiled(good, true).is_none());
        assert!(super::read_precompiled(b"", false).is_none());
        let header = good.iter().position(|&b| b == b'\n').unwrap() + 1;
        for cut in [
            header,
            header + 9,
            header + 100,
            good.len() / 2,
            good.len() - 1,
        ] {
            assert!(
                super::read_precompiled(&good[..cut], false).is_none(),
                "cut at {cut}"
            );
        }
        // a flipped byte in the body: read back only if regorus still reads
        // a whole program from it; never a panic
        for at in (header..good.len()).step_by(997) {
            let mut bad = good.to_vec();
            bad[at] ^= 0x5a;
            let _ = super::read_precompiled(&bad, false);
        }
    }

    use super::*;

    /// The entrypoints are listed without compiling anything: the package
    /// each built-in file declares must be the one regorus compiles.
    #[test]
    fn built_in_packages_are_named_as_regorus_names_them() {
        for (path, src) in BUILTIN {
            let mut engine = regorus::Engine::new();
            let (compiled, deny) = add(&mut engine, path, src).unwrap();
            assert_eq!(builtin_package(src), (compiled, deny), "{path}");
        }
    }

    /// A set of policies is only read when it is made: the built-in ones
    /// compile on first use, each kind on its own.
    #[test]
    fn built_in_policies_compile_on_first_use_each_kind_on_its_own() {
        let mut set = PolicySet::new(&[]).unwrap();
        assert!(set.shared.config.get().is_none() && set.shared.deploy.get().is_none());
        let found = set
            .evaluate(serde_json::json!({"posture": {"real": false}}))
            .unwrap();
        assert!(found.is_empty(), "{found:?}");
        assert!(set.shared.config.get().is_some());
        assert!(set.shared.deploy.get().is_none());
        // A clone shares what is compiled.
        let clone = set.clone();
        assert!(std::sync::Arc::ptr_eq(&set.shared, &clone.shared));
    }

    /// Why [`INTERPRETED`] exists: regorus's VM ends an `else` chain when a
    /// body's loop finds nothing. When this test fails, regorus evaluates
    /// OC245 right on its VM: empty [`INTERPRETED`] (the test
    /// `the_vm_and_the_interpreter_agree` then still compares both).
    #[test]
    fn the_vm_still_gets_an_else_after_a_failed_loop_wrong() {
        let src = "package t\n\nimport rego.v1\n\npaths := [\"/etc\", \"/run\"]\n\n\
                   r(n) := \"root\" if {\n\tn == \"/\"\n} else := \"run\" if {\n\tsome b in paths\n\tb == n\n\tb == \"/run\"\n\
                   } else := \"blocked\" if {\n\tsome b in paths\n\tb == n\n}\n\nout := r(input.n)\n";
        let mut engine = regorus::Engine::new();
        engine.add_policy("t.rego".into(), src.into()).unwrap();
        let input = regorus::Value::from_json_str(r#"{"n": "/etc"}"#).unwrap();
        engine.set_input(input.clone());
        let interpreted = engine.eval_rule("data.t.out".into()).unwrap();
        assert_eq!(interpreted, regorus::Value::from("blocked"));
        let compiled = engine
            .compile_with_entrypoint(&"data.t.out".into())
            .unwrap();
        let program = regorus::languages::rego::compiler::Compiler::compile_from_policy(
            &compiled,
            &["data.t.out"],
        )
        .unwrap();
        let mut vm = regorus::rvm::RegoVM::new();
        vm.load_program(program);
        vm.set_input(input);
        let on_vm = vm.execute_entry_point_by_name("data.t.out").unwrap();
        assert_eq!(on_vm, regorus::Value::Undefined);
    }
}
