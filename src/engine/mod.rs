//! The check pipeline, read top to bottom in [`run_with`]: discover the
//! files (classified once, `crate::discover`), check each file on the worker
//! pool ([`file`]: read once, secrets, then [`config_file`] or a deployment
//! file), merge the per-file outcomes in path order, judge the deployments
//! once every config is known ([`deployments`]), apply the waivers, redact
//! every string through the run's one gate ([`gate`]), sort. The report model
//! lives in `crate::report::model`; printers depend on it, not on this module.

mod config_file;
mod deployments;
mod file;
mod gate;
mod live_targets;
mod read;
mod recheck;
mod text;

use config_file::*;
use deployments::*;
use file::*;
use live_targets::*;
use read::*;

pub use config_file::rule_severity;
pub use gate::{decoded_secrets, entity_secrets, file_redactor, settings_secrets, DocKind};
pub use live_targets::run_live;
#[cfg(target_os = "linux")]
pub use live_targets::run_live_openclaw;
pub use recheck::{Rechecked, Rechecker};

use crate::checks::policy::{PolicyError, PolicySet};
use crate::checks::{schema, RawFinding};
use crate::config::Settings;
use crate::discover::{self, Candidate, Kind};
use crate::finding::{canonicalise, fingerprint, Finding, Severity};
use crate::load::{self, Document};
use crate::normalise::{self, Dialect};
use crate::source::LineIndex;
use rayon::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

pub struct CheckOptions {
    pub paths: Vec<PathBuf>,
    pub settings: Settings,
    pub excludes: Vec<String>,
    pub threads: usize,
    pub extra_policies: Vec<PathBuf>,
    pub dialect: Option<Dialect>,
    /// Run the config checks (schema, policies).
    pub config_checks: bool,
    /// Run the hardcoded-secret scanner over every text file.
    pub secret_checks: bool,
    /// Collect the agent profiles `--live` runs ([`Report::live_targets`]):
    /// a config with 100,000 agents costs a profile and several finding
    /// templates per agent, kept until the end of the run, so only when asked.
    pub live: bool,
    /// Hash every checked file (SHA-256) for the evidence of the reports that
    /// carry it (JSON, SARIF, OSCAL, HTML, a signed bundle). About a fifth of
    /// a secrets-only run, so a run that prints none of them skips it.
    pub hash_inputs: bool,
    /// Say why each JSON file was not judged a config
    /// ([`Report::not_configs`], listed by `--verbose`): naming its keys
    /// takes a scan of all of them, where the verdict alone is usually
    /// settled by the first three.
    pub explain_not_configs: bool,
}

impl CheckOptions {
    /// Every check of `paths` with the default settings, on one thread.
    pub fn new(paths: Vec<PathBuf>) -> CheckOptions {
        CheckOptions {
            paths,
            settings: Settings::default(),
            excludes: Vec::new(),
            threads: 1,
            extra_policies: Vec::new(),
            dialect: None,
            config_checks: true,
            secret_checks: true,
            live: false,
            hash_inputs: true,
            explain_not_configs: true,
        }
    }
}

pub use crate::report::model::{ConfigInfo, GitScope, LiveTarget, Origin, Report, Skipped};

#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error(transparent)]
    Discover(#[from] discover::DiscoverError),
    #[error(transparent)]
    Policy(#[from] PolicyError),
    #[error("sensitivity pattern `{pattern}` cannot be combined with the others: {message}")]
    Sensitivity { pattern: String, message: String },
    #[error("cannot start {threads} worker threads: {message}")]
    Threads { threads: usize, message: String },
}

/// Per-file outcome, merged in path order.
#[derive(Default)]
struct FileOutcome {
    /// Every secret and literal credential of the file, for the run's gate.
    secrets: Vec<String>,
    suppressed: Vec<crate::suppress::Suppressed>,
    live_targets: Vec<LiveTarget>,
    declared_metrics: Vec<String>,
    scanned: bool,
    bytes: u64,
    /// The checked file with its hash, when `scanned`.
    input: Option<crate::evidence::InputFile>,
    config: Option<ConfigInfo>,
    skipped: Option<Skipped>,
    not_config: Option<Skipped>,
    findings: Vec<Finding>,
    /// A deployment file, judged once every config is known.
    deploy: Option<crate::deploy::DeployFile>,
    /// What the deployment rules need from a config.
    config_facts: Option<crate::deploy::ConfigFacts>,
}

/// Most worker threads a run starts (`--threads` above it is a usage error;
/// a library caller asking for more gets this many).
pub const MAX_THREADS: usize = 256;

pub fn run(opts: &CheckOptions) -> Result<Report, CheckError> {
    run_with(opts, None)
}

/// [`run`], showing files as `display` names them (see
/// [`discover::Options::display`]).
pub fn run_with(
    opts: &CheckOptions,
    display: Option<&discover::DisplayFn<'_>>,
) -> Result<Report, CheckError> {
    let threads = thread_count(opts);
    crate::pool::set_run_threads(threads);
    let (candidates, mut policies, scanner) = start(opts, threads, display)?;
    let ctx = Context::new(opts, &scanner)?;
    let outcomes = std::thread::scope(|scope| {
        // The built-in policies compile on first use: with a config among
        // the candidates, that starts now on another thread, beside the
        // workers reading, parsing and validating (a one-config run would
        // otherwise compile after its parse, on the same thread).
        if opts.config_checks && candidates.iter().any(|c| matches!(c.kind, Kind::Config)) {
            scope.spawn(|| policies.prepare_for_configs());
        }
        check_files(&candidates, &ctx, &policies, threads)
    })?;
    let Merged {
        mut report,
        mut secrets,
        deploy_files,
        config_facts,
    } = merge(outcomes);
    let deployments = !deploy_files.is_empty();
    check_deployments(
        &ctx,
        &mut policies,
        deploy_files,
        &config_facts,
        &mut report,
    )?;
    report.assessed_rules = assessed_rules(opts, &report, deployments);
    record_evidence(&mut report, opts, &policies);
    let cwd = std::env::current_dir().unwrap_or_default();
    let assessed = &report.assessed_rules;
    let coverage = crate::suppress::Coverage {
        ran: &|rule: &str| assessed.contains(&rule),
        dirs: opts
            .paths
            .iter()
            .filter(|p| p.is_dir())
            .map(|p| {
                display
                    .and_then(|d| d(p))
                    .unwrap_or_else(|| discover::display_path(p, &cwd))
            })
            .collect(),
        files: candidates.iter().map(|c| c.display.clone()).collect(),
        root: settings_root(&opts.settings, &cwd),
    };
    // Inline directives were applied per file; the waivers of
    // clawcheck.toml apply here, to the whole run (the baseline, a
    // separate input, is applied by the CLI to the finished report).
    crate::suppress::apply_waivers(
        &mut report.findings,
        &mut report.suppressed,
        &opts.settings,
        &crate::suppress::today(),
        &coverage,
    );
    // The one gate: every string of the report, whatever format prints it,
    // is redacted here against every secret of every file and of the
    // settings (a secret found in one file is redacted where another file
    // shows it too).
    secrets.extend(settings_secrets(&opts.settings, &scanner));
    report.seal(secrets);
    report.declared_metrics.sort();
    report.declared_metrics.dedup();
    Ok(report)
}

/// The worker threads of a run: `--threads`, or one per core (0), capped.
fn thread_count(opts: &CheckOptions) -> usize {
    if opts.threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        opts.threads
    }
    .min(MAX_THREADS)
}

/// Discovery, with the independent start-up work beside it: the policies
/// compile and the secret scanner is built on other threads while discovery
/// walks the tree.
fn start(
    opts: &CheckOptions,
    threads: usize,
    display: Option<&discover::DisplayFn<'_>>,
) -> Result<(Vec<Candidate>, PolicySet, crate::checks::secrets::Scanner), CheckError> {
    let mut excludes = opts.settings.exclude.clone();
    excludes.extend(opts.excludes.iter().cloned());
    let extra: Vec<&Path> = opts.extra_policies.iter().map(PathBuf::as_path).collect();
    let (candidates, policies, scanner) = std::thread::scope(|scope| {
        let policies = scope.spawn(|| PolicySet::new(&extra));
        // Built even for `--only config`: a secret on a line a finding shows
        // must still be redacted.
        let scanner = scope.spawn(crate::checks::secrets::Scanner::new);
        let candidates = discover_candidates(opts, &excludes, threads, display);
        let policies = policies.join().expect("policy compilation panicked");
        let scanner = scanner.join().expect("scanner construction panicked");
        (candidates, policies, scanner)
    });
    let candidates = candidates?;
    let mut policies = policies?;
    set_policy_budget(&mut policies, &opts.settings);
    Ok((candidates, policies, scanner))
}

/// Checks every candidate on a pool of `threads` workers; the outcomes come
/// back in candidate (path) order whatever the thread count.
fn check_files(
    candidates: &[Candidate],
    ctx: &Context<'_>,
    policies: &PolicySet,
    threads: usize,
) -> Result<Vec<FileOutcome>, CheckError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| CheckError::Threads {
            threads,
            message: e.to_string(),
        })?;
    // One worker state per pool thread: rayon's `map_init` would re-create it
    // for every split of the work, and an engine clone is not free.
    let workers: Vec<std::sync::Mutex<Option<Worker>>> =
        (0..threads).map(|_| std::sync::Mutex::new(None)).collect();
    let outcomes: Vec<Result<FileOutcome, PolicyError>> = pool.install(|| {
        candidates
            .par_iter()
            .map(|c| {
                let slot = &workers[rayon::current_thread_index().unwrap_or(0) % threads];
                let fresh = || Worker {
                    policies: policies.clone(),
                    buf: Vec::new(),
                };
                match slot.try_lock() {
                    Ok(mut guard) => check_file(c, ctx, guard.get_or_insert_with(fresh)),
                    Err(std::sync::TryLockError::Poisoned(e)) => {
                        check_file(c, ctx, e.into_inner().get_or_insert_with(fresh))
                    }
                    // Only this thread uses its slot: it is held when a file
                    // whose findings are placed in parallel (`place`) waits
                    // and this thread takes another file meanwhile. That
                    // file gets a worker of its own.
                    Err(std::sync::TryLockError::WouldBlock) => check_file(c, ctx, &mut fresh()),
                }
            })
            .collect()
    });
    Ok(outcomes.into_iter().collect::<Result<_, _>>()?)
}

/// The per-file outcomes merged into one report, and what the later phases
/// need: every secret (for the gate), the deployment files and the config
/// facts they are judged with.
struct Merged {
    report: Report,
    secrets: std::collections::BTreeSet<String>,
    deploy_files: Vec<crate::deploy::DeployFile>,
    config_facts: Vec<crate::deploy::ConfigFacts>,
}

fn merge(outcomes: Vec<FileOutcome>) -> Merged {
    let mut m = Merged {
        report: Report::default(),
        secrets: std::collections::BTreeSet::new(),
        deploy_files: Vec::new(),
        config_facts: Vec::new(),
    };
    let report = &mut m.report;
    // sized once: 1,000 configs' findings appended one file at a time grew
    // (and copied) the vector a dozen times on the serial path
    report
        .findings
        .reserve_exact(outcomes.iter().map(|o| o.findings.len()).sum());
    for o in outcomes {
        m.deploy_files.extend(o.deploy);
        m.config_facts.extend(o.config_facts);
        m.secrets.extend(o.secrets);
        if o.scanned {
            report.files_scanned += 1;
            report.bytes_scanned += o.bytes;
            report.evidence.files.extend(o.input);
        }
        report.configs.extend(o.config);
        report.skipped.extend(o.skipped);
        report.not_configs.extend(o.not_config);
        report.findings.extend(o.findings);
        report.live_targets.extend(o.live_targets);
        report.suppressed.extend(o.suppressed);
        report.declared_metrics.extend(o.declared_metrics);
    }
    m
}

/// The rules this run assessed (what a compliance report may call
/// satisfied): the checks that ran, minus the rules turned off.
fn assessed_rules(opts: &CheckOptions, report: &Report, deployments: bool) -> Vec<&'static str> {
    // The real-config rules judge keys a policy profile does not have: they
    // count as assessed only when a real openclaw.json was checked, so a
    // compliance report never calls a gateway control satisfied on the
    // strength of a file that has no gateway.
    let real_config = report
        .configs
        .iter()
        .any(|c| c.dialect != Dialect::PolicyProfile);
    crate::rules::all()
        .iter()
        .filter(|r| real_config || !r.real_config_only)
        .filter(|r| match &r.id[..3] {
            "OC0" => r.id != "OC007" || opts.config_checks,
            "OC1" | "OC2" => opts.config_checks,
            "OC3" => opts.secret_checks,
            "OC5" => opts.config_checks && deployments,
            _ => false, // OC4xx: added by `run_live`
        })
        .filter(|r| opts.settings.severity_of(r.id, r.severity).is_some())
        .map(|r| r.id)
        .collect()
}

/// What the evidence says about the run's inputs besides the files: the
/// policy set and the settings, each with its digest.
fn record_evidence(report: &mut Report, opts: &CheckOptions, policies: &PolicySet) {
    let (policy_digest, policy_files) = policies.digest();
    report.evidence.policy_set_sha256 = policy_digest.to_string();
    report.evidence.policy_files = policy_files;
    report.evidence.settings_path = opts.settings.source.as_ref().map(|(p, _)| p.clone());
    report.evidence.settings_sha256 = opts
        .settings
        .source
        .as_ref()
        .map(|(_, text)| crate::evidence::sha256_hex(text.as_bytes()));
}

fn discover_candidates(
    opts: &CheckOptions,
    excludes: &[String],
    threads: usize,
    display: Option<&discover::DisplayFn<'_>>,
) -> Result<Vec<Candidate>, discover::DiscoverError> {
    discover::discover(
        &opts.paths,
        &discover::Options {
            excludes,
            config_globs: &opts.settings.configs,
            threads,
            follow_symlinks_outside_root: opts.settings.follow_symlinks_outside_root,
            display,
        },
    )
}

fn set_policy_budget(policies: &mut PolicySet, settings: &Settings) {
    policies.set_budget(std::time::Duration::from_secs_f64(
        // validated at load; a Settings built in code gets a sane bound too
        if settings.limits.policy_eval_seconds.is_finite() {
            settings.limits.policy_eval_seconds.clamp(0.001, 3600.0)
        } else {
            10.0
        },
    ));
}

/// Shown path of the directory the settings apply to (waivers' paths are
/// relative to it).
fn settings_root(settings: &Settings, cwd: &Path) -> String {
    settings
        .source
        .as_ref()
        .and_then(|(p, _)| Path::new(p).parent().map(Path::to_path_buf))
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| ".".to_string(), |p| discover::display_path(&p, cwd))
}

struct Context<'a> {
    settings: &'a Settings,
    dialect: Option<Dialect>,
    policy_input_base: crate::posture::InputBase,
    sensitive_re: regex::Regex,
    scanner: &'a crate::checks::secrets::Scanner,
    config_checks: bool,
    /// Report secrets (otherwise configs are scanned only to redact snippets).
    secret_checks: bool,
    /// Collect live targets (`CheckOptions::live`).
    live: bool,
    /// Hash every checked file (`CheckOptions::hash_inputs`).
    hash_inputs: bool,
    /// `CheckOptions::explain_not_configs`.
    explain_not_configs: bool,
}

/// What a finding's location and text are built from.
pub struct FileText<'a> {
    pub display: &'a str,
    pub bytes: &'a [u8],
    pub lines: LineIndex,
    /// The file's redaction gate: snippets are its excerpts (none when the
    /// file was not scanned); the run's gate redacts every string at the end.
    pub redactor: &'a crate::redact::Redactor,
}

impl<'a> Context<'a> {
    fn new(
        opts: &'a CheckOptions,
        scanner: &'a crate::checks::secrets::Scanner,
    ) -> Result<Context<'a>, CheckError> {
        Ok(Context {
            settings: &opts.settings,
            dialect: opts.dialect,
            policy_input_base: crate::posture::InputBase::new(&crate::posture::input_base(
                &opts.settings,
            )),
            sensitive_re: opts
                .settings
                .try_sensitivity_regex()
                .map_err(|(_, pattern, message)| CheckError::Sensitivity { pattern, message })?,
            scanner,
            config_checks: opts.config_checks,
            secret_checks: opts.secret_checks,
            live: opts.live,
            hash_inputs: opts.hash_inputs,
            explain_not_configs: opts.explain_not_configs,
        })
    }
}
