//! The commands and options of the command line (clap derive).

use crate::finding::Severity;
use crate::normalise::Dialect;
use crate::report::escape::human as esc;
use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "clawcheck",
    version,
    about = "Policy-as-code linter and CI/compliance checker for OpenClaw AI-agent deployments"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check OpenClaw configs and repository files (default: the current directory).
    Check(CheckArgs),
    /// Run the agent profiles of CONFIG in the reference isolated executor (same as `check --live --only config`).
    Live(CheckArgs),
    /// List every rule.
    Rules {
        #[arg(long, value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
    },
    /// Explain a rule: rationale, what fires it, a bad and a good example, how to fix.
    Explain {
        /// Rule id, e.g. OC203 (or its name, e.g. sensitive-agent-timeout).
        rule: String,
    },
    /// Print the input document the policies see for one config (secrets redacted).
    Posture {
        /// The config file (JSON or JSON5).
        file: PathBuf,
        /// Treat the config as this dialect instead of detecting it.
        #[arg(long, value_enum)]
        dialect: Option<Dialect>,
        /// Settings file (default: clawcheck.toml found upward from FILE).
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Record the current findings as a baseline and exit 0 whatever they are:
    /// a JSON report in `-o FILE` (default clawcheck-baseline.json; a SARIF log
    /// when FILE ends in .sarif). `check --baseline FILE` then reports only new
    /// findings, and the recorded ones that are fixed. Takes `check`'s options.
    Baseline(CheckArgs),
    /// Work with Rego policies.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Make an Ed25519 key pair for signed evidence bundles: KEY (PKCS#8 PEM,
    /// mode 0600) and KEY.pub (SPKI PEM); openssl can make the same.
    Keygen {
        /// Where to write the private key; the public key goes to KEY.pub.
        key: PathBuf,
    },
    /// Merge clawcheck JSON reports (one run per repository) into one report for the
    /// organisation: JSON, SARIF (one run per repository), OSCAL, HTML, ...
    Merge {
        /// The JSON reports (`check --format json`).
        #[arg(required = true)]
        reports: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
        /// Write the merged report to FILE instead of standard output (written atomically).
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
        /// Exit 1 when a merged finding at or above this severity exists.
        #[arg(long, value_enum, default_value_t = FailOn::Warning)]
        fail_on: FailOn,
        /// Threads reading the reports (0 = one per core; at most 256).
        #[arg(long, short = 'j', default_value_t = 0, value_name = "N",
              value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(0..=crate::engine::MAX_THREADS as u64))]
        threads: usize,
    },
    /// Verify a signed evidence bundle (`check --bundle DIR --sign KEY`)
    /// offline: exit 0 when intact, 1 naming every altered, missing or extra file.
    Verify {
        /// The bundle directory.
        bundle: PathBuf,
        /// The signer's public key (SPKI PEM).
        #[arg(long, value_name = "PUB")]
        key: PathBuf,
    },
    /// Scan every blob committed in REV-RANGE (default: every ref) for secrets, once per
    /// unique blob: each secret with the commit that introduced it and whether HEAD still has it.
    #[command(mut_arg("paths", |a| a
        .value_name("PATH")
        .num_args(0..=1)
        .help("Where the repository and clawcheck.toml are looked up (default: .)")))]
    History(HistoryArgs),
}

#[derive(clap::Args, Debug)]
pub struct HistoryArgs {
    /// Commits to scan: a revision (all its history), `A..B`, or `A...B` (default: every ref).
    #[arg(value_name = "REV-RANGE")]
    pub range: Option<String>,
    /// Only commits committed at or after DATE (`2026-01-31`, `2 weeks ago`, …).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Output, settings, baseline and threads as for `check` (PATHS: where the
    /// repository and clawcheck.toml are looked up).
    #[command(flatten)]
    pub check: CheckArgs,
}

#[derive(Subcommand, Debug)]
pub enum PolicyCommand {
    /// Run the `test_*` rules of every `*_test.rego` file: the built-in
    /// policies' tests without DIR, else the tests under each DIR (with the
    /// built-in policies and every `.rego` file under DIR loaded).
    Test {
        dirs: Vec<PathBuf>,
        /// Report line coverage per policy file (test files excluded).
        #[arg(long)]
        coverage: bool,
        /// With --coverage: exit 1 when the total line coverage is below PCT.
        #[arg(long, value_name = "PCT", value_parser = parse_percent)]
        min_coverage: Option<f64>,
    },
}

fn parse_percent(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if (0.0..=100.0).contains(&v) => Ok(v),
        _ => Err(format!("`{s}` is not a percentage from 0 to 100")),
    }
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ListFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Sarif,
    /// GitHub Actions annotations (workflow commands).
    Github,
    Junit,
    /// A Markdown summary (e.g. for `$GITHUB_STEP_SUMMARY`).
    Markdown,
    /// A self-contained HTML compliance report (controls, findings, waivers).
    Html,
    /// NIST OSCAL 1.2.1 assessment results (JSON).
    Oscal,
}

/// `FORMAT=FILE` for `--report`.
fn parse_report(s: &str) -> Result<(Format, PathBuf), String> {
    let (f, path) = s
        .split_once('=')
        .ok_or_else(|| format!("expected FORMAT=FILE, got `{s}`"))?;
    let format = Format::from_str(f, true).map_err(|_| format!("unknown report format `{f}`"))?;
    if path.is_empty() {
        return Err(format!("no file given for `{f}`"));
    }
    Ok((format, PathBuf::from(path)))
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Only {
    Config,
    Secrets,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum FailOn {
    Error,
    Warning,
    Note,
    /// Never fail on findings (exit 0 unless a usage or tool error).
    Never,
}

impl FailOn {
    /// `None` for `never`.
    pub(super) fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Note => Some(Severity::Note),
            FailOn::Never => None,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Files and directories to check.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Also write a report in another format, in the same run: `--report sarif=out.sarif`; repeatable.
    #[arg(long, value_name = "FORMAT=FILE", value_parser = parse_report)]
    pub report: Vec<(Format, PathBuf)>,
    /// Write the report to FILE instead of standard output (written atomically).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit 1 when a finding at or above this severity exists.
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,
    /// Settings file (default: clawcheck.toml found upward from the first path).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Report only findings not in this earlier report (a clawcheck JSON report or SARIF log);
    /// the ones in it are listed as suppressed with kind `baseline`.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Exclude paths matching this glob (gitignore syntax); repeatable.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Worker threads (0 = one per core; at most 256).
    #[arg(long, short = 'j', default_value_t = 0, value_name = "N",
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(0..=crate::engine::MAX_THREADS as u64))]
    pub threads: usize,
    /// Extra Rego policies (a file or a directory of *.rego); repeatable.
    #[arg(long, value_name = "DIR")]
    pub policy: Vec<PathBuf>,
    /// Treat every config as this dialect instead of detecting it.
    #[arg(long, value_enum)]
    pub dialect: Option<Dialect>,
    /// Run only one kind of check: `config` (schema and policies) or `secrets` (hardcoded keys).
    #[arg(long, value_enum)]
    pub only: Option<Only>,
    /// Follow file symlinks that point outside the scanned root (by default they are not
    /// opened: a checked-out tree could otherwise make clawcheck read and print any file).
    #[arg(long)]
    pub follow_symlinks_outside_root: bool,
    /// Print only findings at or above --fail-on (human format).
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Also print skipped files and detected dialects to standard error.
    #[arg(long, short = 'v')]
    pub verbose: bool,
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Write a signed evidence bundle to DIR (new or empty): the JSON, SARIF,
    /// OSCAL and HTML reports, a manifest of their SHA-256 and an Ed25519
    /// signature over it (needs --sign).
    #[arg(long, value_name = "DIR", requires = "sign")]
    pub bundle: Option<PathBuf>,
    /// The Ed25519 private key (PKCS#8 PEM) that signs the --bundle.
    #[arg(long, value_name = "KEY", requires = "bundle")]
    pub sign: Option<PathBuf>,
    #[command(flatten)]
    pub fix: FixArgs,
    /// Report only findings the change since REF introduced (REF's merge base with HEAD; see
    /// README, Git): on added or modified lines, or a config value judged differently.
    #[arg(long, value_name = "REF")]
    pub changed_since: Option<String>,
    /// Check the staged content (the index) instead of the working tree: the named files, or the
    /// staged files below the named directories.
    #[arg(long)]
    pub staged: bool,
    #[command(flatten)]
    pub live: LiveArgs,
}

#[derive(clap::Args, Debug, Clone, Default)]
pub struct FixArgs {
    /// Apply the safe fixes of the findings to the files (comments and formatting kept), then
    /// report what is left.
    #[arg(long)]
    pub fix: bool,
    /// Also apply unsafe fixes (they change behaviour a deployment may rely on); implies --fix.
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print the fixes as a unified diff and write nothing (exit 1 when there is one).
    #[arg(long)]
    pub diff: bool,
    /// Only fix these rules (comma-separated ids or names); implies --fix.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub fix_only: Vec<String>,
}

impl FixArgs {
    pub(super) fn wanted(&self) -> bool {
        self.fix || self.unsafe_fixes || self.diff || !self.fix_only.is_empty()
    }

    /// The selection, with rule names resolved to ids; an unknown rule is a usage error.
    pub(super) fn selection(&self) -> Result<crate::fix::Selection, String> {
        let only = self
            .fix_only
            .iter()
            .map(|r| {
                crate::rules::all()
                    .iter()
                    .find(|x| x.id.eq_ignore_ascii_case(r) || x.name == r)
                    .map(|x| x.id.to_string())
                    .ok_or_else(|| format!("--fix-only: unknown rule `{}`", esc(r)))
            })
            .collect::<Result<_, _>>()?;
        Ok(crate::fix::Selection {
            unsafe_fixes: self.unsafe_fixes,
            only,
        })
    }
}

#[derive(clap::Args, Debug, Clone)]
pub struct LiveArgs {
    /// Also run every agent profile in the reference isolated executor (Linux) and report OC4xx findings.
    #[arg(long)]
    pub live: bool,
    /// Probe workloads to run (comma-separated; default all): well-behaved, sleeper, escaper, fork-bomb, scratch-writer, state-leak, fd-holder.
    #[arg(long, value_delimiter = ',', value_name = "PROBES")]
    pub live_probes: Vec<String>,
    /// Requests per probe and agent (1 to 1000).
    #[arg(long, default_value_t = 1, value_name = "N",
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=1000))]
    pub live_requests: usize,
    /// Concurrent requests per agent (capped by the profile's max-concurrent; 1 to 256).
    #[arg(long, default_value_t = 2, value_name = "N",
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=256))]
    pub live_concurrency: usize,
    /// Longest effective timeout of a live request: configured timeouts are scaled down to it
    /// (seconds, 0.01 to 3600).
    #[arg(long, default_value_t = 2.0, value_name = "SECS", value_parser = parse_timeout_cap)]
    pub live_timeout_cap: f64,
    /// Kill tolerance after the effective timeout (ms, at most 60000).
    #[arg(long, default_value_t = 50, value_name = "MS",
          value_parser = clap::value_parser!(u64).range(0..=60_000))]
    pub live_tolerance_ms: u64,
    /// Port of the Prometheus /metrics endpoint on 127.0.0.1 while --live runs (default 0 = any free
    /// port, printed to standard error; 18789 is OpenClaw's gateway port).
    #[arg(long, default_value_t = 0, value_name = "PORT")]
    pub metrics_port: u16,
    /// Keep /metrics up this many seconds after the live run (for scraping; 0 to 3600).
    #[arg(long, default_value_t = 0.0, value_name = "SECS", value_parser = parse_linger)]
    pub metrics_linger: f64,
    /// `strict`: exit 2 when an isolation layer is missing; `best-effort`: report OC405 instead.
    #[arg(long, value_enum, default_value_t = Isolation::BestEffort)]
    pub require_isolation: Isolation,
    /// With --live: run the real OpenClaw on a copy of the one CONFIG instead of the reference
    /// executor: turns through `openclaw gateway` (or embedded, `openclaw agent --local`) against
    /// clawcheck's stub model provider, in a private network namespace with loopback only (Linux;
    /// needs CAP_SYS_ADMIN). Probes (--live-probes): turn-timeout, carry-over, teardown,
    /// subagent-timeout, metrics.
    #[arg(long)]
    pub openclaw: bool,
    /// The `openclaw` executable --openclaw runs (default: `openclaw` on PATH; Node must be on
    /// PATH, where `openclaw` itself looks for it).
    #[arg(long, default_value = "openclaw", value_name = "PATH")]
    pub openclaw_bin: PathBuf,
    /// --openclaw carry-over probe: `routed` = two senders (`--to`) as OpenClaw routes them;
    /// `per-request` = each turn with its own `--session-key`.
    #[arg(long, value_enum, default_value_t = OpenClawSessions::Routed)]
    pub openclaw_sessions: OpenClawSessions,
    /// --openclaw: `gateway` = start `openclaw gateway` once and send the turns through it
    /// (falls back to embedded when it does not come up, and says so); `embedded` = each turn
    /// with `openclaw agent --local`.
    #[arg(long, value_enum, default_value_t = OpenClawMode::Gateway)]
    pub openclaw_mode: OpenClawMode,
    /// --openclaw: allowed overshoot of the turn timeout (ms, at most 600000).
    #[arg(long, default_value_t = 10_000, value_name = "MS",
          value_parser = clap::value_parser!(u64).range(0..=600_000))]
    pub openclaw_tolerance_ms: u64,
    /// --openclaw: longest turn timeout exercised; a longer or unset `timeoutSeconds` is lowered
    /// to it with `openclaw agent --timeout` and reported (seconds, 1 to 3600).
    #[arg(long, default_value_t = 60.0, value_name = "SECS", value_parser = parse_openclaw_cap)]
    pub openclaw_timeout_cap: f64,
}

/// How `--openclaw` turns reach OpenClaw.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenClawMode {
    Gateway,
    Embedded,
}

/// How the `--openclaw` carry-over probe picks the session of its two turns.
#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenClawSessions {
    Routed,
    PerRequest,
}

fn parse_openclaw_cap(s: &str) -> Result<f64, String> {
    parse_secs(s, false, 1.0, 3600.0)
}

/// A number of seconds in `min..=max` (`min` itself only when `zero_ok`):
/// NaN, infinities, negatives and huge values are usage errors, never a
/// panic in `Duration::from_secs_f64` or a silently disabled limit.
fn parse_secs(s: &str, zero_ok: bool, min: f64, max: f64) -> Result<f64, String> {
    let v: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a number of seconds"))?;
    if !v.is_finite() {
        return Err(format!("`{s}` is not a finite number of seconds"));
    }
    if (zero_ok && v == 0.0) || (min..=max).contains(&v) {
        Ok(v)
    } else {
        let low = if zero_ok {
            "0".to_string()
        } else {
            min.to_string()
        };
        Err(format!(
            "`{s}` is out of range: expected {low} to {max} seconds"
        ))
    }
}

/// `--live-timeout-cap`: 0 would time every request out at once (a false
/// OC405), so the smallest cap is 10 ms.
fn parse_timeout_cap(s: &str) -> Result<f64, String> {
    parse_secs(s, false, 0.01, 3600.0)
}

/// `--metrics-linger`: 0 (no linger) up to an hour.
fn parse_linger(s: &str) -> Result<f64, String> {
    parse_secs(s, true, 0.0, 3600.0)
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Isolation {
    Strict,
    BestEffort,
}
