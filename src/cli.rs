//! Command-line interface (clap derive). `main.rs` only calls [`main`].

use crate::config::{self, Settings};
use crate::engine::{self, CheckOptions};
use crate::finding::Severity;
use crate::normalise::Dialect;
use crate::report;
use crate::report::escape::human as esc;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

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
    fn threshold(self) -> Option<Severity> {
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
    fn wanted(&self) -> bool {
        self.fix || self.unsafe_fixes || self.diff || !self.fix_only.is_empty()
    }

    /// The selection, with rule names resolved to ids; an unknown rule is a usage error.
    fn selection(&self) -> Result<crate::fix::Selection, String> {
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

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cli.command {
        Command::History(h) => {
            let mode = Mode::History {
                range: h.range.as_deref(),
                since: h.since.as_deref(),
            };
            match run_check(&h.check, mode).map(|(code, _)| code) {
                Ok(code) => ExitCode::from(code),
                Err(msg) => {
                    eprint_error(&msg);
                    ExitCode::from(2)
                }
            }
        }
        Command::Check(args) => match check(&args) {
            Ok(code) => ExitCode::from(code),
            Err(msg) => {
                eprint_error(&msg);
                ExitCode::from(2)
            }
        },
        Command::Live(mut args) => {
            args.live.live = true;
            args.only = Some(Only::Config);
            match check(&args) {
                Ok(code) => ExitCode::from(code),
                Err(msg) => {
                    eprint_error(&msg);
                    ExitCode::from(2)
                }
            }
        }
        Command::Baseline(b) => match baseline(b) {
            Ok(()) => ExitCode::SUCCESS,
            Err(msg) => {
                eprint_error(&msg);
                ExitCode::from(2)
            }
        },
        Command::Rules { format } => {
            print!("{}", list_rules(format));
            ExitCode::SUCCESS
        }
        Command::Posture {
            file,
            dialect,
            config,
        } => match posture(&file, dialect, config.as_deref()) {
            Ok(text) => {
                print!("{text}");
                ExitCode::SUCCESS
            }
            Err(msg) => {
                eprint_error(&msg);
                ExitCode::from(2)
            }
        },
        Command::Policy(PolicyCommand::Test {
            dirs,
            coverage,
            min_coverage,
        }) => policy_test(&dirs, coverage || min_coverage.is_some(), min_coverage),
        Command::Keygen { key } => match keygen(&key) {
            Ok(msg) => {
                print!("{msg}");
                ExitCode::SUCCESS
            }
            Err(msg) => {
                eprint_error(&msg);
                ExitCode::from(2)
            }
        },
        Command::Merge {
            reports,
            format,
            output,
            fail_on,
            threads,
        } => match merge(&reports, format, output.as_deref(), fail_on, threads) {
            Ok(code) => ExitCode::from(code),
            Err(msg) => {
                eprint_error(&msg);
                ExitCode::from(2)
            }
        },
        Command::Verify { bundle, key } => match verify_bundle(&bundle, &key) {
            Ok(code) => ExitCode::from(code),
            Err(msg) => {
                eprint_error(&msg);
                ExitCode::from(1)
            }
        },
        Command::Explain { rule } => match explain(&rule) {
            Some(text) => {
                print!("{text}");
                ExitCode::SUCCESS
            }
            None => {
                eprint_error(&format!("unknown rule `{rule}` (see `clawcheck rules`)"));
                ExitCode::from(2)
            }
        },
    }
}

/// `clawcheck: error: MSG` on standard error; MSG may quote file names and
/// config text, so control characters are shown as escapes.
/// Errors quote what they reject (a waiver's `expires`, an unknown rule id or
/// settings key, a glob, a regex, a policy's source line), which can be a
/// secret pasted in the wrong place: they pass the redaction gate too, with
/// every secret the scanner finds in the message.
fn eprint_error(msg: &str) {
    eprintln!(
        "clawcheck: error: {}",
        report::escape::human_multiline(&redact_message(msg))
    );
}

/// `msg` with every secret the scanner recognises in it redacted.
fn redact_message(msg: &str) -> String {
    let found = crate::checks::secrets::Scanner::new().scan(msg.as_bytes());
    if found.is_empty() {
        return msg.to_string();
    }
    let secrets = found
        .iter()
        .map(|m| String::from_utf8_lossy(&msg.as_bytes()[m.start..m.end]).into_owned());
    crate::redact::Redactor::new(secrets).text(msg)
}

/// `clawcheck baseline`: a check that writes its findings to the baseline
/// file and succeeds whatever it found.
fn baseline(mut args: CheckArgs) -> Result<(), String> {
    if args.baseline.is_some() {
        return Err(
            "`clawcheck baseline` records every finding: --baseline does not apply (it is for `clawcheck check`)"
                .into(),
        );
    }
    if args.fix.wanted() {
        return Err(
            "`clawcheck baseline` records findings and changes no file: --fix, --unsafe-fixes and --diff are for `clawcheck check`"
                .into(),
        );
    }
    let output = args
        .output
        .get_or_insert_with(|| PathBuf::from("clawcheck-baseline.json"))
        .clone();
    let sarif = args.format == Format::Sarif || output.extension().is_some_and(|e| e == "sarif");
    args.format = if sarif { Format::Sarif } else { Format::Json };
    args.fail_on = FailOn::Never;
    let (_, report) = run_check(&args, Mode::Files)?;
    let (e, w, n) = report::counts(&report);
    let plural = report::human::plural;
    let shown = output.display().to_string();
    let shown = esc(&shown);
    eprintln!(
        "clawcheck: baseline {shown}: {} finding{} recorded ({e} error{}, {w} warning{}, {n} note{}); `clawcheck check --baseline {shown}` reports only new ones",
        report.findings.len(),
        plural(report.findings.len()),
        plural(e),
        plural(w),
        plural(n),
    );
    Ok(())
}

/// What `run_check` checks: the files, or the history of the repository.
#[derive(Clone, Copy)]
enum Mode<'a> {
    Files,
    History {
        range: Option<&'a str>,
        since: Option<&'a str>,
    },
}

fn check(args: &CheckArgs) -> Result<u8, String> {
    run_check(args, Mode::Files).map(|(code, _)| code)
}

/// Runs `check` (or `history`) and prints or writes its reports; returns the
/// exit code and the report.
fn run_check(args: &CheckArgs, mode: Mode<'_>) -> Result<(u8, engine::Report), String> {
    if let Mode::History { .. } = mode {
        if args.live.live
            || args.only == Some(Only::Config)
            || args.staged
            || args.changed_since.is_some()
            || args.fix.wanted()
        {
            return Err("history scans committed blobs for secrets: --live, --only config, --staged, --changed-since and --fix do not apply".into());
        }
    } else if args.live.live && (args.staged || args.changed_since.is_some()) {
        return Err("--live runs the working tree's agents: it cannot be combined with --staged or --changed-since".into());
    } else if args.staged && args.fix.wanted() {
        return Err(
            "--staged checks the index, --fix edits the working tree: use one or the other".into(),
        );
    }
    let started = std::time::SystemTime::now();
    let settings_path = match &args.config {
        Some(p) => {
            if !p.is_file() {
                return Err(if p.exists() {
                    format!("{}: settings file is not a regular file", p.display())
                } else {
                    format!("{}: settings file not found", p.display())
                });
            }
            Some(p.clone())
        }
        None => config::find_upward(args.paths.first().map_or(Path::new("."), PathBuf::as_path)),
    };
    let mut settings = match &settings_path {
        Some(p) => Settings::load(p).map_err(|e| e.to_string())?,
        None => Settings::default(),
    };
    settings.follow_symlinks_outside_root = args.follow_symlinks_outside_root;
    let mut opts = CheckOptions {
        paths: args.paths.clone(),
        settings,
        excludes: args.exclude.clone(),
        threads: args.threads,
        extra_policies: args.policy.clone(),
        dialect: args.dialect,
        config_checks: args.only != Some(Only::Secrets),
        secret_checks: args.only != Some(Only::Config),
        live: args.live.live,
        // the reports that list every checked file with its SHA-256
        hash_inputs: args.bundle.is_some()
            || args
                .report
                .iter()
                .map(|(f, _)| *f)
                .chain([args.format])
                .any(|f| {
                    matches!(
                        f,
                        Format::Json | Format::Sarif | Format::Oscal | Format::Html
                    )
                }),
    };
    // Read before the run: a bad baseline or SOURCE_DATE_EPOCH is a usage
    // error, found before any work (a --live run can take minutes).
    let baseline = match &args.baseline {
        Some(p) => Some(crate::suppress::Baseline::load(p)?),
        None => None,
    };
    let signing_key = match &args.sign {
        Some(k) => Some(crate::bundle::load_signing_key(k)?),
        None => None,
    };
    if let Some(dir) = &args.bundle {
        let occupied = std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_some());
        if occupied || (dir.exists() && !dir.is_dir()) {
            return Err(format!(
                "{}: --bundle needs a new or empty directory",
                dir.display()
            ));
        }
    }
    let dated = args.bundle.is_some()
        || args
            .report
            .iter()
            .map(|(f, _)| *f)
            .chain([args.format])
            .any(|f| matches!(f, Format::Html | Format::Oscal));
    if dated {
        report::Timestamps::from_env(started)?;
    }
    let fixes = if args.fix.wanted() {
        if args.live.live {
            return Err("--fix and --diff cannot be combined with --live".into());
        }
        let selection = args.fix.selection()?;
        let fixes =
            crate::autofix::run(&opts, &selection, args.fix.diff).map_err(|e| e.to_string())?;
        if args.fix.diff {
            return Ok((print_diff(&fixes), engine::Report::default()));
        }
        fixes
    } else {
        Vec::new()
    };
    // The commit of the work tree holding the first checked path, read by
    // `git` processes while the check runs (nothing of the run changes it:
    // --fix has edited the files already).
    let first = args.paths.first().map_or(Path::new("."), PathBuf::as_path);
    let git_dir = if first.is_dir() {
        first
    } else {
        first
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
    }
    .to_path_buf();
    let git_evidence = std::thread::spawn(move || crate::evidence::git(&git_dir));
    let mut report = match mode {
        Mode::History { range, since } => crate::git::history::run(
            opts.paths.first().map_or(Path::new("."), PathBuf::as_path),
            &crate::git::history::Options {
                range,
                since,
                settings: &opts.settings,
                threads: args.threads,
            },
        )?,
        Mode::Files if args.staged || args.changed_since.is_some() => {
            crate::git::changed::run(&mut opts, args.changed_since.as_deref(), args.staged)?
        }
        Mode::Files => engine::run(&opts).map_err(|e| e.to_string())?,
    };
    crate::autofix::attach(&mut report, fixes);
    report.evidence.git = git_evidence.join().unwrap_or(None).map(|mut g| {
        g.remote = g.remote.map(|u| report.redactor.text(&u));
        g
    });
    if args.live.live {
        let l = &args.live;
        let live_opts = crate::checks::live::LiveOptions {
            probes: l.live_probes.clone(),
            requests_per_probe: l.live_requests.max(1),
            concurrency: l.live_concurrency.max(1),
            tolerance_ms: l.live_tolerance_ms,
            metrics_port: Some(l.metrics_port),
            require_strict: l.require_isolation == Isolation::Strict,
            timeout_cap_secs: l.live_timeout_cap,
            metrics_linger_secs: l.metrics_linger,
            metrics_announce: Some(|port| {
                eprintln!("clawcheck: --live: metrics at http://127.0.0.1:{port}/metrics")
            }),
            ..Default::default()
        };
        // Ctrl-C / SIGTERM during the run: the signal thread kills the
        // requests and removes their cgroups and scratch before exiting.
        crate::cleanup::install().map_err(|e| format!("--live: {e}"))?;
        if report.live_targets.is_empty() {
            eprintln!(
                "clawcheck: --live: no agent profiles found in the checked configs; nothing to run"
            );
        }
        engine::run_live(&mut report, &opts.settings, &live_opts)
            .map_err(|e| format!("--live: {e}"))?;
        if args.verbose {
            if let Some(live) = &report.live {
                for layer in &live.layers {
                    eprintln!(
                        "clawcheck: live layer {}: {} ({})",
                        layer.name,
                        if layer.active { "active" } else { "missing" },
                        esc(&layer.detail)
                    );
                }
            }
        }
    }
    if let Some(b) = &baseline {
        report.apply_baseline(b);
    }
    let fail_on = args.fail_on.threshold();
    let threshold = fail_on.unwrap_or(Severity::Error);
    if args.verbose {
        if let Some(p) = &settings_path {
            eprintln!("clawcheck: settings from {}", esc(&p.display().to_string()));
        }
        for c in &report.configs {
            eprintln!(
                "clawcheck: {}: dialect {}",
                esc(&c.path),
                c.dialect.as_str()
            );
        }
        for s in &report.skipped {
            eprintln!("clawcheck: skipped {}: {}", esc(&s.path), esc(&s.reason));
        }
        for s in &report.not_configs {
            eprintln!(
                "clawcheck: not a config: {}: {}",
                esc(&s.path),
                esc(&s.reason)
            );
        }
    }
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            args.output.is_none()
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none()
        }
    };
    // The compliance reports are dated; read the clock (or SOURCE_DATE_EPOCH)
    // once so that every report of the run carries the same times.
    let time = if dated {
        report::Timestamps::from_env(started)?
    } else {
        report::Timestamps { start: 0, end: 0 }
    };
    // GitHub shows only some annotations: the github format says so, and
    // the findings without one go to the step summary when there is one.
    let step_summary = std::env::var_os("GITHUB_STEP_SUMMARY")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    let render = |format: Format, color: bool| match format {
        Format::Human => report::human::render(
            &report,
            &report::human::Style {
                color,
                quiet: args.quiet,
            },
            threshold,
        ),
        Format::Json => report::json::render(&report, fail_on),
        Format::Sarif => report::sarif::render(&report),
        Format::Github => report::github::render(&report, step_summary.is_some()),
        Format::Junit => report::junit::render(&report, threshold),
        Format::Markdown => report::markdown::render(&report, fail_on),
        Format::Html => report::html::render(&report, fail_on, &time),
        Format::Oscal => report::oscal::render(&report, fail_on, &time),
    };
    // Extra reports first: a failure to write one is a tool error before any output.
    for (format, path) in &args.report {
        write_atomic(path, render(*format, false).as_bytes())
            .map_err(|e| format!("{}: cannot write report: {e}", path.display()))?;
    }
    if let (Some(dir), Some(key)) = (&args.bundle, &signing_key) {
        write_bundle(dir, key, &report, &render)?;
    }
    let github = args
        .report
        .iter()
        .map(|(f, _)| *f)
        .chain([args.format])
        .any(|f| f == Format::Github);
    if let (true, Some(path), Some(rest)) =
        (github, &step_summary, report::github::rest_summary(&report))
    {
        // GitHub's step summary is a file each step appends to.
        std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(path)
            .and_then(|mut f| f.write_all(rest.as_bytes()))
            .map_err(|e| format!("{}: cannot write the step summary: {e}", path.display()))?;
    }
    emit(args.output.as_deref(), &render(args.format, color))?;
    let failed = fail_on.is_some_and(|t| report.findings.iter().any(|f| f.severity >= t));
    Ok((u8::from(failed), report))
}

/// The report to FILE (atomically) or to standard output.
fn emit(output: Option<&Path>, text: &str) -> Result<(), String> {
    match output {
        Some(path) => write_atomic(path, text.as_bytes())
            .map_err(|e| format!("{}: cannot write report: {e}", path.display())),
        None => {
            let mut out = std::io::stdout().lock();
            // A closed pipe (`| head`) is not an error worth a panic.
            let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
            Ok(())
        }
    }
}

/// `--diff`: the diffs on standard output, a summary on standard error;
/// exit 1 when a fix would be applied.
fn print_diff(fixes: &[crate::fix::FileFixes]) -> u8 {
    let mut out = std::io::stdout().lock();
    let mut any = false;
    for f in fixes {
        let _ = out.write_all(f.diff.as_bytes());
        any |= !f.fixed.is_empty();
        eprint!("{}", report::human::fix_summary(f, true));
    }
    let _ = out.flush();
    u8::from(any)
}

/// The reports of the run, their manifest and its signature, each file
/// written atomically into `dir`.
fn write_bundle(
    dir: &Path,
    key: &ed25519_dalek::SigningKey,
    report: &engine::Report,
    render: &dyn Fn(Format, bool) -> String,
) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let files: Vec<(String, Vec<u8>)> = [
        ("report.json", Format::Json),
        ("report.sarif", Format::Sarif),
        ("report.oscal.json", Format::Oscal),
        ("report.html", Format::Html),
    ]
    .into_iter()
    .map(|(name, f)| (name.to_string(), render(f, false).into_bytes()))
    .collect();
    let predicate = serde_json::json!({
        "tool": {"name": "clawcheck", "version": env!("CARGO_PKG_VERSION")},
        "inputs": report::inputs_json(report),
    });
    let (manifest, envelope) = crate::bundle::sign(&files, predicate, key);
    let all = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .chain([
            (crate::bundle::MANIFEST, manifest.as_slice()),
            (crate::bundle::ENVELOPE, envelope.as_slice()),
        ]);
    for (name, bytes) in all {
        let path = dir.join(name);
        write_atomic(&path, bytes).map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
    }
    Ok(())
}

fn merge(
    reports: &[PathBuf],
    format: Format,
    output: Option<&Path>,
    fail_on: FailOn,
    threads: usize,
) -> Result<u8, String> {
    let started = std::time::SystemTime::now();
    let time = report::Timestamps::from_env(started)?;
    let threads = if threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        threads
    };
    let merged = crate::merge::merge(reports, threads)?;
    if format == Format::Sarif && merged.runs.len() > 20 {
        eprintln!(
            "clawcheck: merge: {} SARIF runs; GitHub code scanning accepts at most 20 per file (upload each repository's own SARIF there)",
            merged.runs.len()
        );
    }
    let fail_on = fail_on.threshold();
    let all = &merged.report;
    let text = match format {
        Format::Json => {
            let mut doc: serde_json::Value =
                serde_json::from_str(&report::json::render(all, fail_on)).expect("our JSON parses");
            doc["repositories"] = crate::merge::repositories_json(&merged.runs);
            let mut s = serde_json::to_string_pretty(&doc).expect("JSON values serialise");
            s.push('\n');
            s
        }
        Format::Sarif => report::sarif::document(
            merged
                .runs
                .iter()
                .map(|r| {
                    let mut run = report::sarif::run(&r.report, false);
                    run["automationDetails"]["id"] =
                        serde_json::json!(format!("clawcheck/{}/", r.repository));
                    run["properties"]["repository"] = serde_json::json!(r.repository);
                    run
                })
                .collect(),
        ),
        Format::Human => report::human::render(
            all,
            &report::human::Style {
                color: false,
                quiet: false,
            },
            fail_on.unwrap_or(Severity::Error),
        ),
        Format::Github => report::github::render(all, false),
        Format::Junit => report::junit::render(all, fail_on.unwrap_or(Severity::Error)),
        Format::Markdown => report::markdown::render(all, fail_on),
        Format::Html => report::html::render(all, fail_on, &time),
        Format::Oscal => report::oscal::render(all, fail_on, &time),
    };
    emit(output, &text)?;
    let failed = fail_on.is_some_and(|t| all.findings.iter().any(|f| f.severity >= t));
    Ok(u8::from(failed))
}

fn keygen(key: &Path) -> Result<String, String> {
    let public = PathBuf::from(format!("{}.pub", key.display()));
    for p in [key, public.as_path()] {
        if std::fs::symlink_metadata(p).is_ok() {
            return Err(format!("{}: already exists; not overwritten", p.display()));
        }
    }
    let (private_pem, public_pem) = crate::bundle::generate()?;
    // Created exclusively (never through a planted symlink), owner-only.
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
        .open(key)
        .and_then(|mut f| f.write_all(private_pem.as_bytes()))
        .map_err(|e| format!("{}: {e}", key.display()))?;
    write_atomic(&public, public_pem.as_bytes())
        .map_err(|e| format!("{}: {e}", public.display()))?;
    Ok(format!(
        "wrote {} (private, keep it secret) and {} (public, give it to verifiers)\n",
        key.display(),
        public.display()
    ))
}

fn verify_bundle(bundle: &Path, key: &Path) -> Result<u8, String> {
    let key = crate::bundle::load_verifying_key(key)?;
    let v = crate::bundle::verify(bundle, &key)?;
    if v.problems.is_empty() {
        println!(
            "{}: signature verified (key {}); {} files match the manifest",
            esc(&bundle.display().to_string()),
            crate::bundle::key_id(&key),
            v.files
        );
        Ok(0)
    } else {
        for p in &v.problems {
            println!("{}: {}", esc(&bundle.display().to_string()), esc(p));
        }
        println!(
            "{} problem(s): the bundle is not what was signed",
            v.problems.len()
        );
        Ok(1)
    }
}

/// Writes to a temporary file beside `path`, then renames: a reader never sees
/// a half-written report, and a failure leaves the old file in place.
///
/// The temporary file has an unpredictable name and is created exclusively
/// (`O_CREAT|O_EXCL`, which also refuses to follow a symlink planted at that
/// name) by `tempfile`, with the mode a plain `File::create` would give
/// (0666 less the umask). It is removed on every path that does not rename it:
/// an error (the `NamedTempFile` drop), a panic (unwinding drops it), and
/// SIGINT/SIGTERM/SIGHUP/SIGQUIT ([`crate::cleanup`]).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    #[cfg(unix)]
    let mode = {
        use std::os::unix::fs::PermissionsExt;
        Some(std::fs::Permissions::from_mode(0o666))
    };
    #[cfg(not(unix))]
    let mode = None;
    crate::cleanup::write_atomic(path, bytes, mode)
}

pub fn list_rules(format: ListFormat) -> String {
    let rules = crate::rules::all();
    match format {
        ListFormat::Json => {
            let printable: Vec<crate::rules::Rule> = rules.to_vec();
            let mut values: Vec<serde_json::Value> = Vec::new();
            for r in &printable {
                let mut v = serde_json::to_value(r).expect("rules serialise");
                v["bad"] = serde_json::json!(crate::checks::secrets::printable_bad(r));
                v["frameworks"] = r.mappings_json();
                values.push(v);
            }
            let mut s = serde_json::to_string_pretty(&values).expect("rules serialise");
            s.push('\n');
            s
        }
        ListFormat::Human => {
            // Columns as wide as their longest entry.
            let name_width = rules.iter().map(|r| r.name.len()).max().unwrap_or(0);
            let mut s = String::new();
            for r in rules {
                s.push_str(&format!(
                    "{}  {:<8} {:<name_width$}  {}\n",
                    r.id,
                    r.severity.as_str(),
                    r.name,
                    r.title
                ));
            }
            s
        }
    }
}

/// A multi-line example indented like the first line of `explain`'s blocks.
fn indent(s: &str) -> String {
    s.replace('\n', "\n    ")
}

pub fn explain(id: &str) -> Option<String> {
    let r = crate::rules::all()
        .iter()
        .find(|r| r.id.eq_ignore_ascii_case(id) || r.name == id)?;
    // A rule that judges both dialects with real-config advice shows both.
    let (profile, real) = match &r.openclaw {
        Some(a) => (
            "In a policy profile:\n\n",
            format!(
                "In a real OpenClaw config (openclaw.json):\n\nBad:\n    {}\n\nGood:\n    {}\n\nFix: {}\n\n",
                indent(a.bad),
                indent(a.good),
                a.help
            ),
        ),
        None => ("", String::new()),
    };
    // One line per framework entry: a finding is evidence against it.
    let mut evidence = String::new();
    let mut last = "";
    for (f, entry) in r.mappings() {
        if f.key != last {
            evidence.push_str(&format!("  {}:\n", f.name));
            last = f.key;
        }
        evidence.push_str(&format!(
            "    {} {}\n",
            f.label(entry),
            f.title(entry).unwrap_or("")
        ));
    }
    Some(format!(
        "{id} {name} ({sev}, {cat}, security-severity {ss})\n\n{title}\n\nWhy: {desc}\n\n{profile}Bad:\n    {bad}\n\nGood:\n    {good}\n\nFix: {help}\n\n{real}{auto}Controls (NIST SP 800-53 rev5): {controls}\n\nA finding is evidence against (never a claim of compliance when absent):\n{evidence}",
        id = r.id,
        name = r.name,
        sev = r.severity,
        cat = r.category,
        ss = r.security_severity,
        title = r.title,
        desc = r.description,
        bad = indent(&crate::checks::secrets::printable_bad(r)),
        good = indent(r.good),
        help = r.help,
        auto = if r.fix.is_empty() {
            "clawcheck check --fix: no automatic fix.\n\n".to_string()
        } else {
            format!(
                "clawcheck check --fix (safe fixes) / --unsafe-fixes (all): {}.\n\n",
                r.fix
            )
        },
        controls = r.control_labels()
    ))
}

/// Largest config `clawcheck posture` reads.
const POSTURE_MAX_BYTES: u64 = 64 << 20;

fn posture(file: &Path, dialect: Option<Dialect>, config: Option<&Path>) -> Result<String, String> {
    let shown = file.display().to_string();
    let meta = std::fs::metadata(file).map_err(|e| format!("{shown}: {e}"))?;
    if !meta.is_file() {
        return Err(format!("{shown}: not a regular file"));
    }
    if meta.len() > POSTURE_MAX_BYTES {
        return Err(format!(
            "{shown}: {} bytes, over the {POSTURE_MAX_BYTES}-byte limit",
            meta.len()
        ));
    }
    let bytes = std::fs::read(file).map_err(|e| format!("{shown}: {e}"))?;
    let settings_path = match config {
        Some(p) => Some(p.to_path_buf()),
        None => config::find_upward(file),
    };
    let settings = match &settings_path {
        Some(p) => Settings::load(p).map_err(|e| e.to_string())?,
        None => Settings::default(),
    };
    let doc = crate::load::parse(&bytes).map_err(|e| {
        let lines = crate::source::LineIndex::new(&bytes);
        let at = lines.position(&bytes, e.offset);
        format!(
            "{shown}:{}:{}: cannot parse: {}",
            at.line, at.column, e.message
        )
    })?;
    if !doc.value.is_object() {
        return Err(format!("{shown}: the top level is not an object"));
    }
    let dialect = dialect.unwrap_or_else(|| crate::normalise::detect(&doc.value));
    let posture = crate::posture::build(
        &doc.value,
        dialect,
        &settings,
        &settings.sensitivity_regex(),
    );
    let mut input = crate::posture::input(
        &crate::posture::input_base(&settings),
        &doc.value,
        dialect,
        posture,
        &shown,
    );
    // Nothing leaves the process unredacted: the file's redaction gate, as
    // `check` builds it (the secrets the scanner finds in the file, in its
    // decoded keys and strings, and every literal in a credential field).
    let scanner = crate::checks::secrets::Scanner::new();
    let gate = crate::engine::file_redactor(
        &bytes,
        &scanner.scan_path(&bytes, file),
        Some(&doc),
        &scanner,
        true,
        Vec::new(),
    );
    crate::posture::redact_strings(&mut input, &gate);
    let mut text = serde_json::to_string_pretty(&input).map_err(|e| e.to_string())?;
    text.push('\n');
    Ok(text)
}

fn policy_test(dirs: &[PathBuf], coverage: bool, min_coverage: Option<f64>) -> ExitCode {
    let dirs: Vec<&Path> = dirs.iter().map(PathBuf::as_path).collect();
    let run = match crate::checks::policy::run_tests(&dirs, coverage) {
        Ok(r) => r,
        Err(e) => {
            eprint_error(&e.to_string());
            return ExitCode::from(2);
        }
    };
    let mut out = String::new();
    let failed = run.tests.iter().filter(|t| !t.passed).count();
    for t in &run.tests {
        let verdict = if t.passed { "PASS" } else { "FAIL" };
        out.push_str(&format!(
            "{verdict} {}: {} ({:.1} ms){}\n",
            t.file,
            t.name,
            t.elapsed.as_secs_f64() * 1000.0,
            if t.passed {
                String::new()
            } else {
                format!(": {}", t.detail)
            }
        ));
    }
    let mut below = false;
    if coverage {
        out.push_str("\ncoverage (lines evaluated / lines that can be):\n");
        for c in &run.coverage {
            let missed: Vec<String> = c.not_covered.iter().map(u32::to_string).collect();
            out.push_str(&format!(
                "{:6.1}% {}{}\n",
                c.percent(),
                c.path,
                if missed.is_empty() {
                    String::new()
                } else {
                    format!(" (not covered: {})", missed.join(", "))
                }
            ));
        }
        let total = run.total_coverage();
        out.push_str(&format!("{total:6.1}% total\n"));
        if let Some(min) = min_coverage {
            if total < min {
                below = true;
                out.push_str(&format!(
                    "coverage {total:.1}% is below --min-coverage {min}\n"
                ));
            }
        }
    }
    out.push_str(&format!(
        "{} passed, {failed} failed\n",
        run.tests.len() - failed
    ));
    print!("{out}");
    if run.tests.is_empty() {
        eprintln!("clawcheck: error: no `test_*` rule found in any `*_test.rego` file");
        return ExitCode::from(2);
    }
    if failed > 0 || below {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
