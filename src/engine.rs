//! The check pipeline: discover → load → normalise → checks → findings.

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
    let threads = if opts.threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        opts.threads
    }
    .min(MAX_THREADS);
    let mut excludes = opts.settings.exclude.clone();
    excludes.extend(opts.excludes.iter().cloned());
    let extra: Vec<&Path> = opts.extra_policies.iter().map(PathBuf::as_path).collect();
    // Start-up work is independent: compile the policies and build the secret
    // scanner on other threads while discovery walks the tree.
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
    let ctx = Context::new(opts, &scanner)?;
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
                let mut guard = slot.lock().unwrap_or_else(|e| e.into_inner());
                let w = guard.get_or_insert_with(|| Worker {
                    policies: policies.clone(),
                    buf: Vec::new(),
                });
                check_file(c, &ctx, w)
            })
            .collect()
    });
    let mut report = Report::default();
    let mut secrets = std::collections::BTreeSet::new();
    let mut deploy_files = Vec::new();
    let mut config_facts = Vec::new();
    for o in outcomes {
        let o = o?;
        deploy_files.extend(o.deploy);
        config_facts.extend(o.config_facts);
        secrets.extend(o.secrets);
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
    let deployments = !deploy_files.is_empty();
    check_deployments(
        &ctx,
        &mut policies,
        deploy_files,
        &config_facts,
        &mut report,
    )?;
    // The real-config rules judge keys a policy profile does not have: they
    // count as assessed only when a real openclaw.json was checked, so a
    // compliance report never calls a gateway control satisfied on the
    // strength of a file that has no gateway.
    let real_config = report
        .configs
        .iter()
        .any(|c| c.dialect != Dialect::PolicyProfile);
    report.assessed_rules = crate::rules::all()
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
        .collect();
    let (policy_digest, policy_files) = policies.digest();
    report.evidence.policy_set_sha256 = policy_digest.to_string();
    report.evidence.policy_files = policy_files;
    report.evidence.settings_path = opts.settings.source.as_ref().map(|(p, _)| p.clone());
    report.evidence.settings_sha256 = opts
        .settings
        .source
        .as_ref()
        .map(|(_, text)| crate::evidence::sha256_hex(text.as_bytes()));
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
    report.redactor = crate::redact::Redactor::new(secrets);
    let redactor = std::mem::take(&mut report.redactor);
    report.redact(&redactor);
    report.redactor = redactor;
    canonicalise(&mut report.findings);
    report
        .suppressed
        .sort_by(|a, b| a.finding.sort_key().cmp(&b.finding.sort_key()));
    report.declared_metrics.sort();
    report.declared_metrics.dedup();
    Ok(report)
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

/// Checks single files from memory with the settings of a run: `--fix`
/// (`crate::autofix`) checks every fixed version of a file before writing it.
pub struct Rechecker<'a> {
    opts: &'a CheckOptions,
    policies: PolicySet,
    scanner: crate::checks::secrets::Scanner,
}

/// One file's findings after its inline directives and the waivers, and
/// every secret the file holds (for the redaction gate).
pub struct Rechecked {
    pub findings: Vec<Finding>,
    pub secrets: Vec<String>,
    pub dialect: Option<Dialect>,
}

impl<'a> Rechecker<'a> {
    pub fn new(opts: &'a CheckOptions) -> Result<Rechecker<'a>, CheckError> {
        let extra: Vec<&Path> = opts.extra_policies.iter().map(PathBuf::as_path).collect();
        let mut policies = PolicySet::new(&extra)?;
        set_policy_budget(&mut policies, &opts.settings);
        let scanner = crate::checks::secrets::Scanner::new();
        // Fails here, not at the first file, on a bad sensitivity pattern.
        Context::new(opts, &scanner)?;
        Ok(Rechecker {
            opts,
            policies,
            scanner,
        })
    }

    /// The files a run of these options checks.
    pub fn candidates(&self) -> Result<Vec<Candidate>, CheckError> {
        let mut excludes = self.opts.settings.exclude.clone();
        excludes.extend(self.opts.excludes.iter().cloned());
        Ok(discover_candidates(self.opts, &excludes, 1, None)?)
    }

    /// Checks `bytes` as the contents of `c`.
    pub fn check(&mut self, c: &Candidate, bytes: &[u8]) -> Result<Rechecked, CheckError> {
        let ctx = Context::new(self.opts, &self.scanner)?;
        let out = check_bytes(c, &ctx, &mut self.policies, bytes, FileOutcome::default())?;
        let (mut findings, mut suppressed) = (out.findings, out.suppressed);
        let cwd = std::env::current_dir().unwrap_or_default();
        crate::suppress::apply_waivers(
            &mut findings,
            &mut suppressed,
            &self.opts.settings,
            &crate::suppress::today(),
            &crate::suppress::Coverage {
                ran: &|_| true,
                dirs: Vec::new(),
                files: [c.display.clone()].into(),
                root: settings_root(&self.opts.settings, &cwd),
            },
        );
        canonicalise(&mut findings);
        Ok(Rechecked {
            findings,
            secrets: out.secrets,
            dialect: out.config.map(|c| c.dialect),
        })
    }
}

struct Context<'a> {
    settings: &'a Settings,
    dialect: Option<Dialect>,
    policy_input_base: Value,
    sensitive_re: regex::Regex,
    scanner: &'a crate::checks::secrets::Scanner,
    config_checks: bool,
    /// Report secrets (otherwise configs are scanned only to redact snippets).
    secret_checks: bool,
    /// Collect live targets (`CheckOptions::live`).
    live: bool,
    /// Hash every checked file (`CheckOptions::hash_inputs`).
    hash_inputs: bool,
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
            policy_input_base: crate::posture::input_base(&opts.settings),
            sensitive_re: opts
                .settings
                .try_sensitivity_regex()
                .map_err(|(_, pattern, message)| CheckError::Sensitivity { pattern, message })?,
            scanner,
            config_checks: opts.config_checks,
            secret_checks: opts.secret_checks,
            live: opts.live,
            hash_inputs: opts.hash_inputs,
        })
    }
}

impl FileText<'_> {
    /// The finding of a hardcoded secret (also `clawcheck history`'s, so that
    /// a baseline of one matches the other).
    pub fn secret_finding(
        &self,
        m: &crate::checks::secrets::SecretMatch,
        severity: Severity,
    ) -> Finding {
        let mut f = self.finding(
            m.rule,
            severity,
            m.start..m.end,
            format!("hardcoded {} ({})", family_title(m.family), m.redacted),
            None,
        );
        f.fingerprint = fingerprint(&[
            m.rule.as_bytes(),
            self.display.as_bytes(),
            m.fingerprint.as_bytes(),
        ]);
        f.evidence = Some(m.redacted.clone());
        f.secret_hash = Some(m.fingerprint.clone());
        f
    }

    fn finding(
        &self,
        rule: &str,
        severity: Severity,
        range: std::ops::Range<usize>,
        message: String,
        pointer: Option<String>,
    ) -> Finding {
        let start = self.lines.position(self.bytes, range.start);
        let end = self.lines.position(self.bytes, range.end.max(range.start));
        let line = self.lines.line_range(self.bytes, start.line - 1);
        let (window, snippet_column) = snippet_window(self.bytes, line, range.start);
        let snippet = self.redactor.excerpt(self.bytes, window);
        let fp = fingerprint(&[
            rule.as_bytes(),
            self.display.as_bytes(),
            pointer.as_deref().unwrap_or(&message).as_bytes(),
        ]);
        Finding {
            rule: rule.to_string(),
            severity,
            path: self.display.to_string(),
            start,
            end,
            message,
            pointer,
            evidence: None,
            secret_hash: None,
            fingerprint: fp,
            fix: None,
            snippet,
            snippet_column,
            related: Vec::new(),
            places: Vec::new(),
        }
    }
}

/// Longest line shown whole; longer ones are cut to a window around the finding
/// so that a hit in a minified file does not put megabytes into every report.
const SNIPPET_MAX: usize = 400;

/// The part of `line` to show for a finding at byte `at`, and the finding's
/// 1-based column (UTF-16 units) within it. Never splits a UTF-8 sequence.
fn snippet_window(
    bytes: &[u8],
    line: std::ops::Range<usize>,
    at: usize,
) -> (std::ops::Range<usize>, usize) {
    let at = at.clamp(line.start, line.end);
    let (mut lo, mut hi) = (line.start, line.end);
    if line.len() > SNIPPET_MAX {
        lo = at.saturating_sub(SNIPPET_MAX / 3).max(line.start);
        hi = (lo + SNIPPET_MAX).min(line.end);
        let continuation = |b: u8| (0x80..0xC0).contains(&b);
        while lo < at && continuation(bytes[lo]) {
            lo += 1;
        }
        while hi > at && hi < line.end && continuation(bytes[hi]) {
            hi -= 1;
        }
    }
    (lo..hi, crate::source::utf16_len(&bytes[lo..at]) + 1)
}

/// Per-thread state: the compiled policies and a read buffer reused across files.
struct Worker {
    policies: PolicySet,
    buf: Vec<u8>,
}

/// File contents: read into the worker's buffer, or memory-mapped when large.
enum Bytes<'a> {
    Buffer(&'a [u8]),
    Mapped(memmap2::Mmap),
}

impl std::ops::Deref for Bytes<'_> {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Buffer(v) => v,
            Bytes::Mapped(m) => m,
        }
    }
}

const MMAP_THRESHOLD: u64 = 4 * 1024 * 1024;

fn read_bytes<'a>(path: &Path, len: u64, buf: &'a mut Vec<u8>) -> std::io::Result<Bytes<'a>> {
    if len >= MMAP_THRESHOLD {
        let f = std::fs::File::open(path)?;
        // SAFETY: the map is read-only and private to this process; a file
        // truncated while we scan it can fault, the same trade-off ripgrep makes
        // for large files.
        if let Ok(m) = unsafe { memmap2::Mmap::map(&f) } {
            return Ok(Bytes::Mapped(m));
        }
    }
    use std::io::Read;
    buf.clear();
    // Bounded even when the size lied (a file that grows, a /proc file).
    std::fs::File::open(path)?
        .take(len.max(MMAP_THRESHOLD) + 1)
        .read_to_end(buf)?;
    // Do not keep a large buffer alive after an unusually large file.
    if buf.capacity() > 2 * MMAP_THRESHOLD as usize && buf.len() < MMAP_THRESHOLD as usize {
        buf.shrink_to(MMAP_THRESHOLD as usize);
    }
    Ok(Bytes::Buffer(buf))
}

fn is_binary(bytes: &[u8]) -> bool {
    memchr::memchr(0, &bytes[..bytes.len().min(8192)]).is_some()
}

fn check_file(
    c: &Candidate,
    ctx: &Context<'_>,
    worker: &mut Worker,
) -> Result<FileOutcome, PolicyError> {
    let Worker { policies, buf } = worker;
    let mut out = FileOutcome::default();
    // A file name can hold a secret too: it is shown with every finding.
    out.secrets.extend(
        ctx.scanner
            .scan(c.display.as_bytes())
            .iter()
            .map(|m| String::from_utf8_lossy(&c.display.as_bytes()[m.start..m.end]).into_owned()),
    );
    let skip = |reason: String, out: &mut FileOutcome| skip(c, reason, out);
    let not_checked = |reason: String, out: &mut FileOutcome| not_checked(c, ctx, reason, out);
    let unreadable = |reason: String, out: &mut FileOutcome| {
        if c.explicit || c.kind == Kind::Config {
            not_checked(reason, out);
        } else {
            skip(reason, out);
        }
    };
    if c.outside_root {
        unreadable(
            "a symlink to a file outside the scanned root: not followed (--follow-symlinks-outside-root checks it)".into(),
            &mut out,
        );
        return Ok(out);
    }
    // Never open FIFOs, sockets or devices: reading them can block forever.
    let meta = match std::fs::metadata(&c.path) {
        Ok(m) => m,
        Err(e) => {
            unreadable(e.to_string(), &mut out);
            return Ok(out);
        }
    };
    if !meta.is_file() {
        unreadable("not a regular file".into(), &mut out);
        return Ok(out);
    }
    let limit = ctx.settings.secrets.max_file_bytes;
    let maybe_config = c.kind == Kind::Config || crate::classify::looks_like_json(&c.path);
    if meta.len() > limit && !maybe_config {
        skip(
            format!(
                "{} bytes, over the size limit of {limit} bytes (secrets.max_file_bytes)",
                meta.len()
            ),
            &mut out,
        );
        return Ok(out);
    }
    let config_limit = ctx.settings.limits.max_config_bytes;
    if c.kind == Kind::Config && meta.len() > config_limit && meta.len() > limit {
        // Neither parsed nor scanned for secrets: not even read.
        oversized_config(c, ctx, meta.len(), &mut out);
        return Ok(out);
    }
    let bytes = match read_bytes(&c.path, meta.len(), buf) {
        Ok(b) => b,
        Err(e) => {
            unreadable(e.to_string(), &mut out);
            return Ok(out);
        }
    };
    check_bytes(c, ctx, policies, &bytes, out)
}

/// Lists the file as skipped.
fn skip(c: &Candidate, reason: String, out: &mut FileOutcome) {
    out.skipped = Some(Skipped {
        path: c.display.clone(),
        reason,
    });
}

/// OC002 at the top of a file that was not checked, and the file listed as
/// skipped.
fn not_checked(c: &Candidate, ctx: &Context<'_>, reason: String, out: &mut FileOutcome) {
    if let Some(severity) = sev(ctx, "OC002", None) {
        out.findings.push(Finding {
            rule: "OC002".into(),
            severity,
            path: c.display.clone(),
            start: crate::source::Position { line: 1, column: 1 },
            end: crate::source::Position { line: 1, column: 1 },
            fingerprint: fingerprint(&[b"OC002", c.display.as_bytes()]),
            fix: None,
            message: format!("cannot check {}: {reason}", c.display),
            pointer: None,
            evidence: None,
            secret_hash: None,
            snippet: None,
            snippet_column: 1,
            related: Vec::new(),
            places: Vec::new(),
        });
    }
    skip(c, reason, out);
}

/// Never a silent pass: a config over the size limit was not checked, and says so.
fn oversized_config(c: &Candidate, ctx: &Context<'_>, len: u64, out: &mut FileOutcome) {
    not_checked(
        c,
        ctx,
        format!(
            "{len} bytes, over the config size limit of {} bytes (limits.max_config_bytes): not parsed",
            ctx.settings.limits.max_config_bytes
        ),
        out,
    );
}

/// The checks of one file's contents (read from disk by [`check_file`], or
/// a fixed version held in memory by `crate::autofix`).
fn check_bytes(
    c: &Candidate,
    ctx: &Context<'_>,
    policies: &mut PolicySet,
    bytes: &[u8],
    mut out: FileOutcome,
) -> Result<FileOutcome, PolicyError> {
    let limit = ctx.settings.secrets.max_file_bytes;
    let config_limit = ctx.settings.limits.max_config_bytes;
    out.scanned = true;
    out.bytes = bytes.len() as u64;
    out.input = ctx.hash_inputs.then(|| crate::evidence::InputFile {
        path: c.display.clone(),
        sha256: crate::evidence::sha256_hex(bytes),
        size: out.bytes,
    });
    let verdict = crate::classify::classify(c, bytes);
    let mut is_config = verdict.is_config();
    if !is_config && crate::classify::looks_like_json(&c.path) {
        // `--verbose` lists the JSON files that were not judged as configs
        let checked = if ctx.secret_checks {
            "scanned for secrets only"
        } else {
            "not checked"
        };
        out.not_config = Some(Skipped {
            path: c.display.clone(),
            reason: format!("{}: {checked}", verdict.reason()),
        });
    }
    if is_config && bytes.len() as u64 > config_limit {
        oversized_config(c, ctx, bytes.len() as u64, &mut out);
        is_config = false;
    }

    let binary = is_binary(bytes);
    let over = bytes.len() as u64 > limit;
    // A deployment file (Compose, Kubernetes, systemd, ...), judged with the
    // configs after every file is read.
    let name = c.path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let mut deploy_format = (ctx.config_checks && !is_config && !binary)
        .then(|| crate::deploy::detect(name, bytes))
        .flatten();
    if deploy_format.is_some() && bytes.len() as u64 > crate::deploy::MAX_DEPLOY_BYTES {
        not_checked(
            c,
            ctx,
            format!(
                "{} bytes, over the deployment file size limit of {} bytes: not parsed",
                bytes.len(),
                crate::deploy::MAX_DEPLOY_BYTES
            ),
            &mut out,
        );
        deploy_format = None;
    }
    if deploy_format == Some(crate::deploy::Format::Dotenv)
        && c.explicit
        && crate::deploy::gitignored(&c.path)
    {
        // Discovery skips it; named on the command line it is still not
        // committed, so its literals are not judged (the secret scan still runs).
        skip(
            c,
            ".env file ignored by .gitignore: not committed, so its literal credentials are not judged (OC503)".into(),
            &mut out,
        );
        deploy_format = None;
    }
    let has_directives = crate::suppress::may_hold_directives(bytes);
    // A config that is parsed is always scanned (it is bounded by
    // `max_config_bytes`): its messages and pointers quote it. Other files
    // are scanned when secrets are checked or a directive may be shown.
    let scan = is_config
        || deploy_format.is_some()
        || (!binary && !over && (ctx.secret_checks || has_directives));
    if ctx.secret_checks && !is_config {
        if binary {
            skip(
                c,
                "binary (NUL byte in the first 8 KiB): not scanned for secrets".into(),
                &mut out,
            );
        } else if over {
            skip(
                c,
                format!(
                    "{} bytes, over the size limit of {limit} bytes: not scanned for secrets",
                    bytes.len()
                ),
                &mut out,
            );
        }
    }
    let secrets = if scan {
        ctx.scanner.scan_path(bytes, &c.path)
    } else {
        Vec::new()
    };
    if !is_config && deploy_format.is_none() && secrets.is_empty() && !has_directives {
        return Ok(out);
    }
    let deploy_doc = deploy_format.map(|f| crate::deploy::parse(f, bytes));
    let deploy_literals = match (deploy_format, &deploy_doc) {
        (Some(f), Some(Ok(d))) => crate::deploy::literal_credentials(f, d, &c.display),
        _ => Vec::new(),
    };
    let parsed = is_config.then(|| load::parse_with_duplicates(bytes));
    let doc = parsed
        .as_ref()
        .and_then(|p| p.as_ref().ok())
        .map(|(d, _)| d);
    // A binary file's bytes are never shown, even scanned: only what the
    // scanner recognises would be redacted in them.
    let redactor = file_redactor(
        bytes,
        &secrets,
        doc,
        ctx.scanner,
        scan && !binary,
        deploy_literals,
    );
    out.secrets.extend_from_slice(redactor.secrets());
    let text = FileText {
        display: &c.display,
        bytes,
        lines: LineIndex::new(bytes),
        redactor: &redactor,
    };
    for m in secrets.iter().filter(|_| ctx.secret_checks) {
        if let Some(s) = sev(ctx, m.rule, None) {
            out.findings.push(text.secret_finding(m, s));
        }
    }
    if let (Some(parsed), true) = (parsed, ctx.config_checks) {
        check_config(c, ctx, policies, &text, parsed, &mut out)?;
    }
    if let (Some(format), Some(parsed)) = (deploy_format, deploy_doc) {
        match parsed {
            Ok(doc) => {
                // Directives are applied with the deployment findings.
                out.deploy = Some(crate::deploy::DeployFile {
                    display: c.display.clone(),
                    format,
                    doc,
                    bytes: bytes.to_vec(),
                    redactor: redactor.clone(),
                    pending: std::mem::take(&mut out.findings),
                });
                return Ok(out);
            }
            Err(e) => {
                if let Some(s) = sev(ctx, "OC001", None) {
                    out.findings.push(text.finding(
                        "OC001",
                        s,
                        e.offset..e.end,
                        format!(
                            "cannot parse {} as a {} file: {}",
                            c.display,
                            format.as_str(),
                            e.message
                        ),
                        None,
                    ));
                }
            }
        }
    }
    if has_directives && !binary {
        // Whether a rule ran on this file: its check ran (a config rule only
        // on a config that parsed, a real-config rule only on a real config)
        // and it is not turned off.
        let dialect = out.config.as_ref().map(|c| c.dialect);
        let ran = |rule: &str| {
            let Some(r) = crate::rules::get(rule) else {
                return false;
            };
            let checked = match &rule[..3] {
                // malformed directives are linted with the config checks
                "OC0" => rule != "OC007" || ctx.config_checks,
                "OC1" | "OC2" => {
                    ctx.config_checks
                        && dialect
                            .is_some_and(|d| !r.real_config_only || d != Dialect::PolicyProfile)
                }
                "OC3" => ctx.secret_checks,
                _ => false,
            };
            checked && sev(ctx, rule, None).is_some()
        };
        crate::suppress::apply_inline(
            &crate::suppress::Source {
                display: &c.display,
                bytes,
                lines: &text.lines,
                excerpt: &|range| redactor.excerpt(bytes, range),
            },
            &mut out.findings,
            &mut out.suppressed,
            ctx.settings,
            &ran,
        );
    }
    Ok(out)
}

/// Judges every deployment file with the configs it runs (`crate::deploy`)
/// and applies its inline directives to its findings, secret ones included.
fn check_deployments(
    ctx: &Context<'_>,
    policies: &mut PolicySet,
    files: Vec<crate::deploy::DeployFile>,
    configs: &[crate::deploy::ConfigFacts],
    report: &mut Report,
) -> Result<(), PolicyError> {
    let inputs = crate::deploy::inputs(&files, configs);
    let mut files = files;
    for (i, input) in inputs {
        let f = &mut files[i];
        let mut findings = std::mem::take(&mut f.pending);
        let text = FileText {
            display: &f.display,
            bytes: &f.bytes,
            lines: LineIndex::new(&f.bytes),
            redactor: &f.redactor,
        };
        match policies.evaluate_deployment(input) {
            Ok(raw) => {
                for r in raw {
                    let Some(s) = sev(ctx, &r.rule, r.severity) else {
                        continue;
                    };
                    // Several findings of a rule can share a pointer (the
                    // flags of one systemd `ExecStart=`): the message tells
                    // them apart, without the line numbers it quotes.
                    let fp = fingerprint(&[
                        r.rule.as_bytes(),
                        f.display.as_bytes(),
                        r.pointer.as_bytes(),
                        strip_positions(&r.message).as_bytes(),
                    ]);
                    let mut finding = text.finding(
                        &r.rule,
                        s,
                        f.doc.locate(&r.pointer),
                        r.message,
                        Some(r.pointer),
                    );
                    finding.fingerprint = fp;
                    finding.places = r.places;
                    findings.push(finding);
                }
                // A literal in a credential variable is OC503 on that line; the
                // generic-assignment rule would only say it again.
                let literal_lines: std::collections::HashSet<usize> = findings
                    .iter()
                    .filter(|x| x.rule == "OC503")
                    .map(|x| x.start.line)
                    .collect();
                findings.retain(|x| !(x.rule == "OC311" && literal_lines.contains(&x.start.line)));
            }
            Err(e @ PolicyError::Malformed { .. }) => return Err(e),
            Err(e) => {
                if let Some(s) = sev(ctx, "OC002", None) {
                    findings.push(text.finding(
                        "OC002",
                        s,
                        0..0,
                        format!("cannot check {}: {e}", f.display),
                        None,
                    ));
                }
            }
        }
        if crate::suppress::may_hold_directives(&f.bytes) {
            let ran = |rule: &str| {
                let checked = match rule.get(..3) {
                    Some("OC0") => rule != "OC007" || ctx.config_checks,
                    Some("OC3") => ctx.secret_checks,
                    Some("OC5") => ctx.config_checks,
                    _ => false,
                };
                checked && crate::rules::get(rule).is_some() && sev(ctx, rule, None).is_some()
            };
            let redactor = text.redactor;
            let bytes = text.bytes;
            crate::suppress::apply_inline(
                &crate::suppress::Source {
                    display: text.display,
                    bytes,
                    lines: &text.lines,
                    excerpt: &|range| redactor.excerpt(bytes, range),
                },
                &mut findings,
                &mut report.suppressed,
                ctx.settings,
                &ran,
            );
        }
        report.findings.extend(findings);
    }
    Ok(())
}

/// `text` without the `:LINE:COL` of the places it quotes.
fn strip_positions(text: &str) -> String {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| regex::Regex::new(r":\d+:\d+").expect("static regex"))
        .replace_all(text, "")
        .into_owned()
}

/// The redaction gate of one file: every secret the scanner found in it
/// (`matches`), and for a parsed config every literal credential (a
/// credential field's string, a profile secret's `value`) and every secret
/// the scanner finds in a key or string once its escapes are decoded (a
/// `\u` escape or a line continuation hides it from the scan of the raw
/// bytes), each with its byte span. `showable: false` (a binary file, or
/// one not scanned) shows no excerpt of the file.
pub fn file_redactor(
    bytes: &[u8],
    matches: &[crate::checks::secrets::SecretMatch],
    doc: Option<&Document>,
    scanner: &crate::checks::secrets::Scanner,
    showable: bool,
    // literal credentials found otherwise (a deployment file's variables)
    extra: Vec<String>,
) -> crate::redact::Redactor {
    let mut secrets: Vec<String> = extra;
    let mut spans: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for m in matches {
        secrets.push(String::from_utf8_lossy(&bytes[m.start..m.end]).into_owned());
        spans.push((m.start..m.end, m.redacted.clone()));
    }
    // The inside of a quoted string or key.
    let inner = |r: &std::ops::Range<usize>| {
        let r = r.start.min(bytes.len())..r.end.min(bytes.len());
        match (bytes.get(r.start), r.len() >= 2) {
            (Some(&q @ (b'"' | b'\'')), true) if bytes[r.end - 1] == q => r.start + 1..r.end - 1,
            _ => r,
        }
    };
    if let Some(doc) = doc {
        let (root, base) = normalise::unwrap(&doc.value);
        for (path, value) in crate::openclaw::credential_literal_paths(root) {
            let mut pointer = base.to_string();
            for t in &path {
                pointer.push('/');
                pointer.push_str(&load::escape_pointer_token(t));
            }
            let form = crate::redact::redact(value.as_bytes());
            if let Some(sp) = doc.spans.get(&pointer) {
                spans.push((inner(&sp.value), form));
            }
            if !crate::openclaw::is_placeholder(&value) {
                secrets.push(value);
            }
        }
        if memchr::memchr(b'\\', bytes).is_some() {
            for (pointer, sp) in &doc.spans {
                if let Some(k) = &sp.key {
                    let k = inner(k);
                    if memchr::memchr(b'\\', &bytes[k.clone()]).is_some() {
                        let token = pointer.rsplit('/').next().unwrap_or("");
                        let key = token.replace("~1", "/").replace("~0", "~");
                        for m in scanner.scan(key.as_bytes()) {
                            secrets.push(
                                String::from_utf8_lossy(&key.as_bytes()[m.start..m.end])
                                    .into_owned(),
                            );
                            spans.push((k.clone(), m.redacted.clone()));
                        }
                    }
                }
                let v = inner(&sp.value);
                let quoted = v.start > sp.value.start;
                if quoted && memchr::memchr(b'\\', &bytes[v.clone()]).is_some() {
                    if let Some(Value::String(s)) = doc.value.pointer(pointer) {
                        for m in scanner.scan(s.as_bytes()) {
                            secrets.push(
                                String::from_utf8_lossy(&s.as_bytes()[m.start..m.end]).into_owned(),
                            );
                            spans.push((v.clone(), m.redacted.clone()));
                        }
                    }
                }
            }
        }
    }
    let r = crate::redact::Redactor::new(secrets).with_spans(spans);
    if showable {
        r
    } else {
        r.opaque()
    }
}

/// Every secret clawcheck.toml holds: what the scanner finds in its text and
/// in its waivers' strings once decoded (a reason is shown in every report).
fn settings_secrets(settings: &Settings, scanner: &crate::checks::secrets::Scanner) -> Vec<String> {
    let mut out = Vec::new();
    let mut scan = |s: &str| {
        for m in scanner.scan(s.as_bytes()) {
            out.push(String::from_utf8_lossy(&s.as_bytes()[m.start..m.end]).into_owned());
        }
    };
    if let Some((path, text)) = &settings.source {
        scan(path);
        scan(text);
    }
    for w in &settings.waivers {
        scan(&w.rule);
        scan(&w.reason);
        if let Some(o) = &w.owner {
            scan(o);
        }
        if let Some(p) = &w.path {
            scan(p);
        }
    }
    out
}

fn check_config(
    c: &Candidate,
    ctx: &Context<'_>,
    policies: &mut PolicySet,
    text: &FileText<'_>,
    parsed: Result<(Document, Vec<load::Duplicate>), load::ParseFailure>,
    out: &mut FileOutcome,
) -> Result<(), PolicyError> {
    let (doc, duplicates) = match parsed {
        Ok(d) => d,
        Err(e) => {
            if let Some(s) = sev(ctx, "OC001", None) {
                out.findings.push(text.finding(
                    "OC001",
                    s,
                    e.offset..e.end,
                    format!("cannot parse {}: {}", c.display, e.message),
                    None,
                ));
            }
            return Ok(());
        }
    };
    if let Some(s) = sev(ctx, "OC101", None) {
        for d in &duplicates {
            let first = text.lines.position(text.bytes, d.first.start);
            let mut f = text.finding(
                "OC101",
                s,
                d.last.clone(),
                format!(
                    "duplicate key `{}` (first at line {}): OpenClaw's JSON5 parser keeps this later value and ignores the first, which is what a reviewer reads; keep one",
                    d.key, first.line
                ),
                Some(d.pointer.clone()),
            );
            f.fix = crate::fix::duplicate(&doc, text.bytes, &text.lines, d.first.clone());
            out.findings.push(f);
        }
    }
    if !doc.value.is_object() {
        if let Some(s) = sev(ctx, "OC003", None) {
            let what = match &doc.value {
                Value::Array(_) => "an array",
                Value::String(_) => "a string",
                Value::Number(_) => "a number",
                Value::Bool(_) => "a boolean",
                _ => "null",
            };
            out.findings.push(text.finding(
                "OC003",
                s,
                doc.locate(""),
                format!("the top level of {} is {what}, not an object", c.display),
                Some(String::new()),
            ));
        }
        return Ok(());
    }
    // OpenClaw's `$include`: the merged config is judged, and each finding is
    // placed in the file where its value was written.
    let resolved = crate::include::has_include(&doc.value).then(|| {
        crate::include::resolve(&doc, &c.path, &std::env::current_dir().unwrap_or_default())
    });
    let included = Included::new(resolved.as_ref(), ctx.scanner);
    for r in &included.redactors {
        out.secrets.extend_from_slice(r.secrets());
    }
    let places = Places {
        doc: &doc,
        text,
        resolved: resolved.as_ref(),
        texts: included.texts(),
    };
    if let (Some(r), Some(s)) = (&resolved, sev(ctx, "OC105", None)) {
        for issue in &r.issues {
            let (t, range) = match &issue.range {
                Some(range) => (places.text_of(issue.at.file), range.clone()),
                None => places.locate_in(&issue.at),
            };
            out.findings.push(t.finding(
                "OC105",
                s,
                range,
                issue.message.clone(),
                Some(issue.at.pointer.clone()),
            ));
        }
    }
    let value = resolved.as_ref().map_or(&doc.value, |r| &r.value);
    let dialect = ctx.dialect.unwrap_or_else(|| normalise::detect(value));
    out.config = Some(ConfigInfo {
        path: c.display.clone(),
        dialect,
        includes: included.files.iter().map(|f| f.display.clone()).collect(),
    });
    let mut raw = Vec::new();
    let (root, base) = normalise::unwrap(value);
    if base == "/openclaw" {
        raw.push(wrapper_finding(dialect));
    }
    raw.extend(schema::check(root, base, dialect));
    let posture = crate::posture::build(value, dialect, ctx.settings, &ctx.sensitive_re);
    let typed = crate::posture::Posture::of(&posture);
    if ctx.live {
        collect_live_targets(&typed, dialect, &doc, text, out);
    }
    out.config_facts = Some(crate::deploy::ConfigFacts::from_posture(
        &c.display,
        &typed,
        value,
        &|pointer| {
            let at = text.lines.position(text.bytes, doc.locate(pointer).start);
            crate::deploy::Place {
                path: c.display.clone(),
                pointer: pointer.to_string(),
                line: at.line,
                column: at.column,
            }
        },
    ));
    let input = crate::posture::input(&ctx.policy_input_base, value, dialect, posture, &c.display);
    match policies.evaluate(input) {
        Ok(found) => raw.extend(found),
        // A broken user policy is a tool error (exit 2), like one that does
        // not compile: it says nothing about this config.
        Err(e @ PolicyError::Malformed { .. }) => return Err(e),
        // Not checked to the end (the budget ran out, or a policy failed on
        // this input): an error finding naming the file, never a silent pass,
        // and the other files are still checked.
        Err(e) => {
            if let Some(s) = sev(ctx, "OC002", None) {
                let hint = match e {
                    PolicyError::Budget { .. } => {
                        " (`limits.policy_eval_seconds` in clawcheck.toml)"
                    }
                    _ => "",
                };
                out.findings.push(text.finding(
                    "OC002",
                    s,
                    doc.locate(""),
                    format!("cannot check {}: {e}{hint}", c.display),
                    None,
                ));
            }
        }
    }
    place(&raw, &places, ctx, dialect, &mut out.findings);
    fold_literal_credentials(&mut out.findings, base);
    Ok(())
}

/// One pasted key is one finding: a literal in a credential field (OC211)
/// that the secret scanner also recognises (OC3xx, inside the OC211 key and
/// value) is reported once. The specific family wins, at the value, with the
/// field named in its message and OC211 folded in as related information;
/// for the generic assignment rule (OC311), which says no more than OC211,
/// OC211 stays, moved to the value, and OC311 is folded into it. The finding keeps the higher
/// severity of the two and the winner's fingerprint.
fn fold_literal_credentials(findings: &mut Vec<Finding>, base: &str) {
    let literal: Vec<usize> = (0..findings.len())
        .filter(|&i| findings[i].rule == "OC211")
        .collect();
    let mut gone = vec![false; findings.len()];
    for i in literal {
        let (start, end) = (findings[i].start, findings[i].end);
        let Some(j) = (0..findings.len()).find(|&j| {
            let f = &findings[j];
            !gone[j]
                && f.rule.starts_with("OC3")
                && f.path == findings[i].path
                && f.start >= start
                && f.end <= end
        }) else {
            continue;
        };
        let (keep, fold) = if findings[j].rule == "OC311" {
            (i, j)
        } else {
            (j, i)
        };
        gone[fold] = true;
        let folded = findings[fold].clone();
        let kept = &mut findings[keep];
        if keep == j {
            // `literal credential in `X` (`shown`): FIX` → `… in `X`: FIX`
            let field = findings_field(&folded, base);
            let fix = folded
                .message
                .split_once("): ")
                .map_or(folded.message.as_str(), |(_, fix)| fix);
            kept.message = format!("{} in the credential field `{field}`: {fix}", kept.message);
            kept.pointer = folded.pointer.clone();
            // the credential field's fix (a SecretRef) repairs this finding too
            if kept.fix.is_none() {
                kept.fix.clone_from(&folded.fix);
            }
        } else {
            // OC211 stays, at the value the scanner found (not the whole
            // member), with its redacted evidence
            kept.start = folded.start;
            kept.end = folded.end;
            kept.snippet.clone_from(&folded.snippet);
            kept.snippet_column = folded.snippet_column;
            kept.evidence.clone_from(&folded.evidence);
            kept.secret_hash.clone_from(&folded.secret_hash);
        }
        kept.severity = kept.severity.max(folded.severity);
        kept.related.push(crate::finding::Related {
            rule: folded.rule,
            start: folded.start,
            end: folded.end,
            message: folded.message,
            fingerprint: folded.fingerprint,
        });
    }
    let mut k = 0;
    findings.retain(|_| {
        k += 1;
        !gone[k - 1]
    });
}

/// The dotted path of a config finding's pointer (`models.providers.openai.apiKey`).
fn findings_field(f: &Finding, base: &str) -> String {
    normalise::dotted(f.pointer.as_deref().unwrap_or(""), base)
}

/// The files a config includes, each with its line index and redaction gate.
struct Included<'a> {
    files: &'a [crate::include::Included],
    redactors: Vec<crate::redact::Redactor>,
}

impl<'a> Included<'a> {
    fn new(
        resolved: Option<&'a crate::include::Resolved>,
        scanner: &crate::checks::secrets::Scanner,
    ) -> Self {
        let files = resolved.map_or(&[][..], |r| &r.files[..]);
        Included {
            files,
            redactors: files
                .iter()
                .map(|f| {
                    let matches = scanner.scan_path(&f.bytes, &f.path);
                    file_redactor(
                        &f.bytes,
                        &matches,
                        f.doc.as_ref(),
                        scanner,
                        true,
                        Vec::new(),
                    )
                })
                .collect(),
        }
    }

    fn texts(&self) -> Vec<FileText<'_>> {
        self.files
            .iter()
            .zip(&self.redactors)
            .map(|(f, redactor)| FileText {
                display: &f.display,
                bytes: &f.bytes,
                lines: LineIndex::new(&f.bytes),
                redactor,
            })
            .collect()
    }
}

/// Where a finding about a pointer of the judged config goes: the config
/// itself, or the file it includes that wrote the value.
struct Places<'a> {
    doc: &'a Document,
    text: &'a FileText<'a>,
    resolved: Option<&'a crate::include::Resolved>,
    texts: Vec<FileText<'a>>,
}

impl Places<'_> {
    fn text_of(&self, file: usize) -> &FileText<'_> {
        match file {
            0 => self.text,
            i => &self.texts[i - 1],
        }
    }

    /// The file and byte range of `loc`.
    fn locate_in(&self, loc: &crate::include::Loc) -> (&FileText<'_>, std::ops::Range<usize>) {
        let doc = match loc.file {
            0 => Some(self.doc),
            i => self.resolved.and_then(|r| r.files[i - 1].doc.as_ref()),
        };
        let range = doc.map_or(0..0, |d| d.locate(&loc.pointer));
        (self.text_of(loc.file), range)
    }

    /// A finding about `pointer` of the judged (merged) config, at the place
    /// the value was written; its pointer is the one inside that file, and
    /// its fix (when the rule plans one) edits that file.
    fn finding(
        &self,
        rule: &str,
        s: Severity,
        pointer: &str,
        message: String,
        fix: Option<&crate::fix::FixSpec>,
        dialect: Dialect,
    ) -> Finding {
        let loc = match self.resolved {
            Some(r) => r.origin(pointer),
            None => crate::include::Loc {
                file: 0,
                pointer: pointer.to_string(),
            },
        };
        let (t, range) = self.locate_in(&loc);
        let mut f = t.finding(rule, s, range, message, Some(loc.pointer.clone()));
        let doc = match loc.file {
            0 => Some(self.doc),
            i => self.resolved.and_then(|r| r.files[i - 1].doc.as_ref()),
        };
        if let (Some(spec), Some(doc)) = (fix, doc) {
            f.fix = crate::fix::plan(spec, &loc.pointer, doc, t.bytes, &t.lines, dialect);
        }
        f
    }
}

/// Agent profiles (and declared metrics) of a posture, for `--live`: the
/// limits come from the typed view of the posture (`posture::live`), for a
/// policy profile and a real config alike, each with where it came from.
fn collect_live_targets(
    posture: &crate::posture::Posture,
    dialect: Dialect,
    doc: &Document,
    text: &FileText<'_>,
    out: &mut FileOutcome,
) {
    use crate::checks::live::{AgentProfile, ExercisedLimit, ExercisedRun};
    use crate::posture::live::{LimitSource, LiveAgent};
    let real = dialect != Dialect::PolicyProfile;
    let line_of = |pointer: &str| {
        let at = text.lines.position(text.bytes, doc.locate(pointer).start);
        format!("{}:{}", text.display, at.line)
    };
    let limit = |name: &str, value: String, src: &LimitSource| -> ExercisedLimit {
        match src {
            LimitSource::Config { pointer, setting } => ExercisedLimit {
                limit: name.into(),
                value: text.redactor.text(&value),
                source: "config".into(),
                setting: Some(text.redactor.text(setting)),
                pointer: text.redactor.text(pointer),
                location: text.redactor.text(&line_of(pointer)),
                text: String::new(),
            },
            LimitSource::Default { text: t } => ExercisedLimit {
                limit: name.into(),
                value: text.redactor.text(&value),
                source: if real { "openclaw-default" } else { "unset" }.into(),
                setting: None,
                pointer: String::new(),
                location: String::new(),
                text: text.redactor.text(t),
            },
        }
    };
    let config_anchor = |rule: &'static str, src: &LimitSource| match src {
        LimitSource::Config { pointer, .. } => Some((
            rule,
            text.finding(
                rule,
                Severity::Error,
                doc.locate(pointer),
                String::new(),
                Some(pointer.clone()),
            ),
        )),
        LimitSource::Default { .. } => None,
    };
    for a in crate::posture::live::live_agents(posture) {
        let LiveAgent {
            name,
            pointer,
            timeout_secs,
            teardown,
            max_concurrent,
            thread_bound,
            run,
            sandbox,
            not_exercised,
        } = a;
        let secs = |v: Option<f64>| match v {
            Some(t) => format!("{t} s"),
            None => "none (unlimited)".to_string(),
        };
        let no_timeout = match (&timeout_secs.source, real) {
            (LimitSource::Config { setting, .. }, true) => Some(format!(
                "`{setting}` is 0 = no timeout: every {run} could run forever"
            )),
            (LimitSource::Default { text: t }, true) => {
                Some(format!("no timeout: {t}; every {run} could run forever"))
            }
            _ => None,
        };
        let no_teardown = (!teardown.value && real).then(|| match &teardown.source {
            LimitSource::Config { setting, .. } => format!(
                "`{setting}` keeps the {run}'s session alive past the task (persistent, not one-shot)"
            ),
            LimitSource::Default { text: t } => t.clone(),
        });
        let profile = AgentProfile {
            name: name.clone(),
            timeout_secs: timeout_secs.value,
            auto_destroy: teardown.value,
            max_concurrent: max_concurrent.value,
            thread_bound: thread_bound.value,
            no_timeout: no_timeout.map(|m| text.redactor.text(&m)),
            no_teardown: no_teardown.map(|m| text.redactor.text(&m)),
        };
        let mut limits = vec![
            limit("timeout", secs(timeout_secs.value), &timeout_secs.source),
            limit(
                "teardown",
                if teardown.value {
                    format!("at the end of each {run}")
                } else {
                    "none (the session outlives the task)".into()
                },
                &teardown.source,
            ),
            limit(
                "max-concurrent",
                max_concurrent
                    .value
                    .map_or("unlimited".to_string(), |n| n.to_string()),
                &max_concurrent.source,
            ),
            limit(
                "thread-bound",
                thread_bound.value.to_string(),
                &thread_bound.source,
            ),
        ];
        if let Some(sb) = &sandbox {
            limits.push(limit("sandbox", sb.value.clone(), &sb.source));
        }
        let not_exercised = not_exercised
            .iter()
            .map(|n| ExercisedLimit {
                limit: text.redactor.text(&n.setting),
                value: String::new(),
                source: "not-exercised".into(),
                setting: Some(text.redactor.text(&n.setting)),
                pointer: text.redactor.text(&n.pointer),
                location: text.redactor.text(&line_of(&n.pointer)),
                text: text.redactor.text(&n.text),
            })
            .collect();
        let mut rule_anchors = Vec::new();
        if let Some(x) = config_anchor("OC402", &timeout_secs.source) {
            rule_anchors.push(x);
        }
        if !teardown.value {
            for rule in ["OC401", "OC404"] {
                if let Some(x) = config_anchor(rule, &teardown.source) {
                    rule_anchors.push(x);
                }
            }
        }
        if let Some(x) = config_anchor("OC408", &max_concurrent.source) {
            rule_anchors.push(x);
        }
        let anchor = text.finding(
            "OC401",
            Severity::Error,
            doc.locate(&pointer),
            String::new(),
            Some(pointer),
        );
        out.live_targets.push(LiveTarget {
            profile,
            anchor,
            rule_anchors,
            config: text.display.to_string(),
            dialect,
            exercised: ExercisedRun {
                agent: text.redactor.text(&name),
                run: run.to_string(),
                limits,
                not_exercised,
            },
        });
    }
    out.declared_metrics
        .extend(posture.declared_metrics().map(|(m, _)| m.to_string()));
}

/// Runs every agent profile of the report in the reference executor and adds
/// what it observed as OC4xx findings at the agent's declaration.
pub fn run_live(
    report: &mut Report,
    settings: &Settings,
    opts: &crate::checks::live::LiveOptions,
) -> Result<(), crate::checks::live::LiveError> {
    // Names must be unique per run: qualify duplicates with their file.
    let mut targets = report.live_targets.clone();
    let mut seen = std::collections::BTreeMap::<String, usize>::new();
    for t in &targets {
        *seen.entry(t.profile.name.clone()).or_default() += 1;
    }
    for t in &mut targets {
        if seen[&t.profile.name] > 1 {
            t.profile.name = format!("{} ({})", t.profile.name, t.anchor.path);
        }
    }
    let profiles: Vec<_> = targets.iter().map(|t| t.profile.clone()).collect();
    let mut opts = opts.clone();
    opts.declared_metrics = report.declared_metrics.clone();
    let mut live = crate::checks::live::run(&profiles, &opts)?;
    live.exercised = exercised(&targets, &live.agents);
    for lf in &live.findings {
        let default = Severity::parse(lf.severity).unwrap_or(Severity::Warning);
        let Some(severity) = settings.severity_of(lf.rule, default) else {
            continue;
        };
        let target = targets.iter().find(|t| t.profile.name == lf.agent);
        // At the setting the verdict is about when the config has it, else
        // at the agent's declaration (or the first agent's, for run-wide ones).
        let anchor = target
            .and_then(|t| {
                t.rule_anchors
                    .iter()
                    .find(|(r, _)| *r == lf.rule)
                    .map(|(_, f)| f.clone())
            })
            .or_else(|| target.or_else(|| targets.first()).map(|t| t.anchor.clone()));
        let Some(mut f) = anchor else { continue };
        f.rule = lf.rule.to_string();
        f.severity = severity;
        f.message = if lf.probe.is_empty() || lf.probe == "*" {
            lf.message.clone()
        } else {
            format!("live probe `{}`: {}", lf.probe, lf.message)
        };
        // Through the run's gate whole: an anchor at a setting holds its
        // pointer (an agent's name) and snippet as the file gave them.
        report.redactor.finding(&mut f);
        f.fingerprint = fingerprint(&[
            lf.rule.as_bytes(),
            f.path.as_bytes(),
            lf.agent.as_bytes(),
            lf.probe.as_bytes(),
        ]);
        report.findings.push(f);
    }
    canonicalise(&mut report.findings);
    // Live rules judge what the executor observed: with no profile to run they assessed nothing.
    if !profiles.is_empty() {
        report.assessed_rules.extend(
            crate::checks::live::rules()
                .iter()
                .filter(|r| settings.severity_of(r.id, r.severity).is_some())
                .map(|r| r.id),
        );
        report.assessed_rules.sort_unstable();
        report.assessed_rules.dedup();
    }
    report.live = Some(live);
    Ok(())
}

/// What the live run exercised: per config, "reference executor under the
/// limits of <config>", with every limit, its effective value and its origin.
fn exercised(
    targets: &[LiveTarget],
    agents: &[crate::checks::live::AgentSummary],
) -> crate::checks::live::Exercised {
    use crate::checks::live::{Exercised, ExercisedConfig};
    let mut configs: Vec<ExercisedConfig> = Vec::new();
    for t in targets {
        let mut run = t.exercised.clone();
        run.agent = t.profile.name.clone();
        if let Some(a) = agents.iter().find(|a| a.name == t.profile.name) {
            if let Some(l) = run.limits.iter_mut().find(|l| l.limit == "timeout") {
                let eff = a.effective_timeout_secs;
                l.value = match a.configured_timeout_secs {
                    Some(c) if c > eff => {
                        format!("{c} s, run at {eff} s (scaled to --live-timeout-cap)")
                    }
                    Some(c) => format!("{c} s"),
                    None => format!("none (unlimited), run with a cap of {eff} s"),
                };
            }
            if let Some(l) = run.limits.iter_mut().find(|l| l.limit == "max-concurrent") {
                l.value = format!(
                    "{} ({} worker(s) used, at most {} observed at once)",
                    l.value, a.concurrency_used, a.max_observed_concurrency
                );
            }
        }
        match configs.iter_mut().find(|c| c.config == t.config) {
            Some(c) => c.runs.push(run),
            None => configs.push(ExercisedConfig {
                config: t.config.clone(),
                dialect: t.dialect.as_str().to_string(),
                statement: format!("reference executor under the limits of {}", t.config),
                runs: vec![run],
            }),
        }
    }
    Exercised {
        statement: "clawcheck ran its probe workloads (hostile and well-behaved) in its own reference isolated executor, under the limits read from each config below; OpenClaw and its gateway were not run, so this is evidence about the configured limits, not a test of the gateway".into(),
        configs,
    }
}

/// OC103: OpenClaw itself rejects a top-level `openclaw` key. A note on a
/// policy profile (OpenClaw never loads it), an error on a real config.
fn wrapper_finding(dialect: Dialect) -> RawFinding {
    let (severity, message) = match dialect {
        Dialect::PolicyProfile => (
            None,
            "checked as a clawcheck policy profile; as ~/.openclaw/openclaw.json this file would be rejected by OpenClaw (`Unrecognized key: \"openclaw\"` at the top level)".to_string(),
        ),
        d => (
            Some(Severity::Error),
            format!(
                "OpenClaw rejects a top-level `openclaw` key (`Unrecognized key: \"openclaw\"`) and will not load this file; clawcheck checked the wrapped object as {}: move its keys to the top level",
                d.as_str()
            ),
        ),
    };
    RawFinding {
        rule: "OC103".into(),
        pointer: "/openclaw".into(),
        message,
        severity,
        fix: None,
        places: Vec::new(),
    }
}

fn place(
    raw: &[RawFinding],
    places: &Places<'_>,
    ctx: &Context<'_>,
    dialect: Dialect,
    out: &mut Vec<Finding>,
) {
    for r in raw {
        let Some(s) = sev(ctx, &r.rule, r.severity) else {
            continue;
        };
        out.push(places.finding(
            &r.rule,
            s,
            &r.pointer,
            r.message.clone(),
            r.fix.as_ref(),
            dialect,
        ));
    }
}

/// The effective severity of `rule`, or `None` when it is turned off.
fn sev(ctx: &Context<'_>, rule: &str, explicit: Option<Severity>) -> Option<Severity> {
    rule_severity(ctx.settings, rule, explicit)
}

/// A rule's severity under `settings` (`None`: turned off); `explicit` is
/// the severity a policy gave, else the registry's.
pub fn rule_severity(
    settings: &Settings,
    rule: &str,
    explicit: Option<Severity>,
) -> Option<Severity> {
    let default = explicit
        .or_else(|| crate::rules::get(rule).map(|r| r.severity))
        .unwrap_or(Severity::Warning);
    settings.severity_of(rule, default)
}

fn family_title(family: &str) -> &str {
    match family {
        "openai" => "OpenAI API key",
        "anthropic" => "Anthropic API key",
        "aws_access_key_id" => "AWS access key id",
        "aws_secret_access_key" => "AWS secret access key",
        "github" => "GitHub token",
        "google_api_key" => "Google API key",
        "slack" => "Slack token or webhook",
        "stripe" => "Stripe secret key",
        "vault" => "HashiCorp Vault token",
        "private_key" => "private key",
        "generic" => "secret assigned to a credential variable",
        other => crate::checks::secrets::rules()
            .iter()
            .find(|r| r.family == other)
            .map_or(other, |r| r.title.trim_start_matches("Hard-coded ")),
    }
}
