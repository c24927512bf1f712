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
use serde::Serialize;
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
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ConfigInfo {
    pub path: String,
    pub dialect: Dialect,
}

#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

#[derive(Debug, Default, Serialize)]
pub struct Report {
    pub files_scanned: usize,
    pub bytes_scanned: u64,
    pub configs: Vec<ConfigInfo>,
    pub skipped: Vec<Skipped>,
    pub findings: Vec<Finding>,
    /// Agent profiles found in the configs, for `--live`.
    #[serde(skip)]
    pub live_targets: Vec<LiveTarget>,
    /// Metric names the configs' monitoring sections declare.
    #[serde(skip)]
    pub declared_metrics: Vec<String>,
    /// Findings suppressed by an inline directive or a waiver, with the reason.
    pub suppressed: Vec<crate::suppress::Suppressed>,
    /// Ids of the registry rules this run applied (the checks that ran, minus
    /// rules turned off): the compliance reports call a control satisfied only
    /// when a rule that evidences it was applied and found nothing.
    #[serde(skip)]
    pub assessed_rules: Vec<&'static str>,
    /// Summary of the `--live` run, when there was one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub live: Option<crate::checks::live::LiveReport>,
    /// The run's redaction gate (every secret of every file and of the
    /// settings): [`run`] has passed every string above through it; text
    /// added to the report later (the live run, logs) goes through it too.
    #[serde(skip)]
    pub redactor: crate::redact::Redactor,
}

impl Report {
    /// Passes every string of the report that any format prints through `r`.
    pub fn redact(&mut self, r: &crate::redact::Redactor) {
        for f in &mut self.findings {
            r.finding(f);
        }
        for s in &mut self.suppressed {
            r.finding(&mut s.finding);
            s.reason = r.text(&s.reason);
            s.owner = s.owner.as_deref().map(|o| r.text(o));
        }
        for c in &mut self.configs {
            c.path = r.text(&c.path);
        }
        for s in &mut self.skipped {
            s.path = r.text(&s.path);
            s.reason = r.text(&s.reason);
        }
        for t in &mut self.live_targets {
            t.profile.name = r.text(&t.profile.name);
            r.finding(&mut t.anchor);
        }
        for m in &mut self.declared_metrics {
            *m = r.text(m);
        }
    }
}

/// One agent profile to run live, and where it is declared.
#[derive(Debug, Clone)]
pub struct LiveTarget {
    pub profile: crate::checks::live::AgentProfile,
    /// The agent's finding template: path, position and snippet of its declaration.
    pub anchor: Finding,
    /// Finding templates at the setting a rule's verdict is about (OC402 at
    /// the timeout, OC401/OC404 at what disabled teardown, OC408 at the
    /// concurrency limit), when that setting is in the config.
    pub rule_anchors: Vec<(&'static str, Finding)>,
    /// The config the limits come from, its dialect, and the limits used.
    pub config: String,
    pub dialect: Dialect,
    pub exercised: crate::checks::live::ExercisedRun,
}

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
    config: Option<ConfigInfo>,
    skipped: Option<Skipped>,
    findings: Vec<Finding>,
}

/// Most worker threads a run starts (`--threads` above it is a usage error;
/// a library caller asking for more gets this many).
pub const MAX_THREADS: usize = 256;

pub fn run(opts: &CheckOptions) -> Result<Report, CheckError> {
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
        let candidates = discover::discover(
            &opts.paths,
            &discover::Options {
                excludes: &excludes,
                config_globs: &opts.settings.configs,
                threads,
                follow_symlinks_outside_root: opts.settings.follow_symlinks_outside_root,
            },
        );
        let policies = policies.join().expect("policy compilation panicked");
        let scanner = scanner.join().expect("scanner construction panicked");
        (candidates, policies, scanner)
    });
    let candidates = candidates?;
    let mut policies = policies?;
    policies.set_budget(std::time::Duration::from_secs_f64(
        // validated at load; a Settings built in code gets a sane bound too
        if opts.settings.limits.policy_eval_seconds.is_finite() {
            opts.settings
                .limits
                .policy_eval_seconds
                .clamp(0.001, 3600.0)
        } else {
            10.0
        },
    ));
    let ctx = Context {
        settings: &opts.settings,
        dialect: opts.dialect,
        policy_input_base: crate::posture::input_base(&opts.settings),
        sensitive_re: opts
            .settings
            .try_sensitivity_regex()
            .map_err(|(_, pattern, message)| CheckError::Sensitivity { pattern, message })?,
        scanner: &scanner,
        config_checks: opts.config_checks,
        secret_checks: opts.secret_checks,
        live: opts.live,
    };
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
    for o in outcomes {
        let o = o?;
        secrets.extend(o.secrets);
        if o.scanned {
            report.files_scanned += 1;
            report.bytes_scanned += o.bytes;
        }
        report.configs.extend(o.config);
        report.skipped.extend(o.skipped);
        report.findings.extend(o.findings);
        report.live_targets.extend(o.live_targets);
        report.suppressed.extend(o.suppressed);
        report.declared_metrics.extend(o.declared_metrics);
    }
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
            _ => false, // OC4xx: added by `run_live`
        })
        .filter(|r| opts.settings.severity_of(r.id, r.severity).is_some())
        .map(|r| r.id)
        .collect();
    let cwd = std::env::current_dir().unwrap_or_default();
    let assessed = &report.assessed_rules;
    let coverage = crate::suppress::Coverage {
        ran: &|rule: &str| assessed.contains(&rule),
        dirs: opts
            .paths
            .iter()
            .filter(|p| p.is_dir())
            .map(|p| discover::display_path(p, &cwd))
            .collect(),
        files: candidates.iter().map(|c| c.display.clone()).collect(),
        root: opts
            .settings
            .source
            .as_ref()
            .and_then(|(p, _)| Path::new(p).parent().map(Path::to_path_buf))
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| ".".to_string(), |p| discover::display_path(&p, &cwd)),
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
}

/// What a finding's location and text are built from.
struct FileText<'a> {
    display: &'a str,
    bytes: &'a [u8],
    lines: LineIndex,
    /// The file's redaction gate: snippets are its excerpts (none when the
    /// file was not scanned); the run's gate redacts every string at the end.
    redactor: &'a crate::redact::Redactor,
}

impl FileText<'_> {
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
            snippet,
            snippet_column,
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
    let skip = |reason: String, out: &mut FileOutcome| {
        out.skipped = Some(Skipped {
            path: c.display.clone(),
            reason,
        });
    };
    // OC002 at the top of a file that was not checked, and the file listed
    // as skipped.
    let not_checked = |reason: String, out: &mut FileOutcome| {
        if let Some(severity) = sev(ctx, "OC002", None) {
            out.findings.push(Finding {
                rule: "OC002".into(),
                severity,
                path: c.display.clone(),
                start: crate::source::Position { line: 1, column: 1 },
                end: crate::source::Position { line: 1, column: 1 },
                fingerprint: fingerprint(&[b"OC002", c.display.as_bytes()]),
                message: format!("cannot check {}: {reason}", c.display),
                pointer: None,
                evidence: None,
                secret_hash: None,
                snippet: None,
                snippet_column: 1,
            });
        }
        skip(reason, out);
    };
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
    let maybe_config = c.kind == Kind::Config || looks_like_json(&c.path);
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
    let oversized_config = |len: u64, out: &mut FileOutcome| {
        // Never a silent pass: the config was not checked, and says so.
        not_checked(
            format!(
                "{len} bytes, over the config size limit of {config_limit} bytes (limits.max_config_bytes): not parsed"
            ),
            out,
        );
    };
    if c.kind == Kind::Config && meta.len() > config_limit && meta.len() > limit {
        // Neither parsed nor scanned for secrets: not even read.
        oversized_config(meta.len(), &mut out);
        return Ok(out);
    }
    let bytes = match read_bytes(&c.path, meta.len(), buf) {
        Ok(b) => b,
        Err(e) => {
            unreadable(e.to_string(), &mut out);
            return Ok(out);
        }
    };
    out.scanned = true;
    out.bytes = bytes.len() as u64;
    let mut is_config = c.kind == Kind::Config
        || has_openclaw_root(&c.path, &bytes)
        || (c.explicit && explicit_config(&c.path, &bytes));
    if is_config && bytes.len() as u64 > config_limit {
        oversized_config(bytes.len() as u64, &mut out);
        is_config = false;
    }

    let binary = is_binary(&bytes);
    let over = bytes.len() as u64 > limit;
    let has_directives = crate::suppress::may_hold_directives(&bytes);
    // A config that is parsed is always scanned (it is bounded by
    // `max_config_bytes`): its messages and pointers quote it. Other files
    // are scanned when secrets are checked or a directive may be shown.
    let scan = is_config || (!binary && !over && (ctx.secret_checks || has_directives));
    if ctx.secret_checks && !is_config {
        if binary {
            skip(
                "binary (NUL byte in the first 8 KiB): not scanned for secrets".into(),
                &mut out,
            );
        } else if over {
            skip(
                format!(
                    "{} bytes, over the size limit of {limit} bytes: not scanned for secrets",
                    bytes.len()
                ),
                &mut out,
            );
        }
    }
    let secrets = if scan {
        ctx.scanner.scan_path(&bytes, &c.path)
    } else {
        Vec::new()
    };
    if !is_config && secrets.is_empty() && !has_directives {
        return Ok(out);
    }
    let parsed = is_config.then(|| load::parse_with_duplicates(&bytes));
    let doc = parsed
        .as_ref()
        .and_then(|p| p.as_ref().ok())
        .map(|(d, _)| d);
    // A binary file's bytes are never shown, even scanned: only what the
    // scanner recognises would be redacted in them.
    let redactor = file_redactor(&bytes, &secrets, doc, ctx.scanner, scan && !binary);
    out.secrets.extend_from_slice(redactor.secrets());
    let text = FileText {
        display: &c.display,
        bytes: &bytes,
        lines: LineIndex::new(&bytes),
        redactor: &redactor,
    };
    for m in secrets.iter().filter(|_| ctx.secret_checks) {
        if let Some(s) = sev(ctx, m.rule, None) {
            let mut f = text.finding(
                m.rule,
                s,
                m.start..m.end,
                format!("hardcoded {} ({})", family_title(m.family), m.redacted),
                None,
            );
            f.fingerprint = fingerprint(&[
                m.rule.as_bytes(),
                c.display.as_bytes(),
                m.fingerprint.as_bytes(),
            ]);
            f.evidence = Some(m.redacted.clone());
            f.secret_hash = Some(m.fingerprint.clone());
            out.findings.push(f);
        }
    }
    if let (Some(parsed), true) = (parsed, ctx.config_checks) {
        check_config(c, ctx, policies, &text, parsed, &mut out)?;
        // A literal in a credential field is already OC211 on that line; the
        // generic-assignment rule would only say it again.
        let literal_lines: std::collections::HashSet<usize> = out
            .findings
            .iter()
            .filter(|f| f.rule == "OC211")
            .map(|f| f.start.line)
            .collect();
        out.findings
            .retain(|f| !(f.rule == "OC311" && literal_lines.contains(&f.start.line)));
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
                bytes: &bytes,
                lines: &text.lines,
                excerpt: &|range| redactor.excerpt(&bytes, range),
            },
            &mut out.findings,
            &mut out.suppressed,
            ctx.settings,
            &ran,
        );
    }
    Ok(out)
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
) -> crate::redact::Redactor {
    let mut secrets: Vec<String> = Vec::new();
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
            out.findings.push(text.finding(
                "OC101",
                s,
                d.last.clone(),
                format!(
                    "duplicate key `{}` (first at line {}): OpenClaw's JSON5 parser keeps this later value and ignores the first, which is what a reviewer reads; keep one",
                    d.key, first.line
                ),
                Some(d.pointer.clone()),
            ));
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
    let dialect = ctx.dialect.unwrap_or_else(|| normalise::detect(&doc.value));
    out.config = Some(ConfigInfo {
        path: c.display.clone(),
        dialect,
    });
    let mut raw = Vec::new();
    let (root, base) = normalise::unwrap(&doc.value);
    if base == "/openclaw" {
        raw.push(wrapper_finding(dialect));
    }
    raw.extend(schema::check(root, base, dialect));
    let posture = crate::posture::build(&doc.value, dialect, ctx.settings, &ctx.sensitive_re);
    if ctx.live {
        collect_live_targets(&posture, dialect, &doc, text, out);
    }
    let input = crate::posture::input(
        &ctx.policy_input_base,
        &doc.value,
        dialect,
        posture,
        &c.display,
    );
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
    place(&raw, &doc, text, ctx, &mut out.findings);
    Ok(())
}

/// Agent profiles (and declared metrics) of a posture, for `--live`: the
/// limits come from the typed view of the posture (`posture::live`), for a
/// policy profile and a real config alike, each with where it came from.
fn collect_live_targets(
    posture: &Value,
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
    for area in posture["monitoring"]["areas"]
        .as_array()
        .into_iter()
        .flatten()
    {
        for m in area["metrics"].as_array().into_iter().flatten() {
            if let Some(m) = m.as_str() {
                out.declared_metrics.push(m.to_string());
            }
        }
    }
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
                .filter(|r| {
                    let default = Severity::parse(r.severity).unwrap_or(Severity::Warning);
                    settings.severity_of(r.id, default).is_some()
                })
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
    }
}

fn place(
    raw: &[RawFinding],
    doc: &Document,
    text: &FileText<'_>,
    ctx: &Context<'_>,
    out: &mut Vec<Finding>,
) {
    for r in raw {
        let Some(s) = sev(ctx, &r.rule, r.severity) else {
            continue;
        };
        out.push(text.finding(
            &r.rule,
            s,
            doc.locate(&r.pointer),
            r.message.clone(),
            Some(r.pointer.clone()),
        ));
    }
}

/// The effective severity of `rule`, or `None` when it is turned off.
fn sev(ctx: &Context<'_>, rule: &str, explicit: Option<Severity>) -> Option<Severity> {
    let default = explicit
        .or_else(|| crate::rules::get(rule).map(|r| r.severity))
        .unwrap_or(Severity::Warning);
    ctx.settings.severity_of(rule, default)
}

fn looks_like_json(p: &Path) -> bool {
    p.extension()
        .is_some_and(|e| e == "json" || e == "json5" || e == "jsonc")
}

/// A file named on the command line (e.g. by a pre-commit hook) that is not
/// named like a config: a `.json5` file is one; a `.json` file is one when its
/// top level holds OpenClaw keys, so that `package.json` is not judged.
fn explicit_config(p: &Path, bytes: &[u8]) -> bool {
    const KEYS: &[&str] = &[
        "agents",
        "secrets",
        "monitoring",
        "gateway",
        "session",
        "models",
        "channels",
        "diagnostics",
    ];
    if p.extension().is_some_and(|e| e == "json5") {
        return true;
    }
    // A tolerant scan, not a parse: a config with a syntax error is still a
    // config (and gets OC001), not silently "0 configs".
    looks_like_json(p) && load::has_top_level_key(bytes, |k, _| KEYS.contains(&k))
}

/// A JSON file not named like a config is one when its top level has an
/// `openclaw` object, by a tolerant scan: one with a syntax error is still a
/// config (OC001), and a large data file costs one pass, not a parse.
fn has_openclaw_root(p: &Path, bytes: &[u8]) -> bool {
    if !looks_like_json(p)
        || (memchr::memmem::find(bytes, b"openclaw").is_none()
            && memchr::memchr(b'\\', bytes).is_none())
    {
        return false;
    }
    load::has_top_level_key(bytes, |k, object| k == "openclaw" && object)
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
