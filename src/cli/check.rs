//! `check`, `live`, `history` and `baseline`: one plan from the arguments
//! and clawcheck.toml, the run, the baseline, the reports.

use super::*;
use crate::config::{self, Settings};
use crate::engine::{self, CheckOptions};
use crate::finding::Severity;
use crate::report;
use crate::report::escape::human as esc;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// `clawcheck baseline`: a check that writes its findings to the baseline
/// file and succeeds whatever it found.
pub(super) fn baseline(mut args: CheckArgs) -> Result<(), String> {
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
pub(super) enum Mode<'a> {
    Files,
    History {
        range: Option<&'a str>,
        since: Option<&'a str>,
    },
}

pub(super) fn check(args: &CheckArgs) -> Result<u8, String> {
    run_check(args, Mode::Files).map(|(code, report)| {
        // The process ends once this returns: its memory goes back whole.
        // Freeing every finding, fix and snippet first, one by one on one
        // thread, was a tenth of the serial tail of 1,000 configs (perf).
        std::mem::forget(report);
        code
    })
}

/// Everything a check run decides before it starts, built once from the
/// arguments and clawcheck.toml and validated: a bad combination of options,
/// settings file, baseline, signing key, bundle directory or
/// SOURCE_DATE_EPOCH is a usage error found before any work (a --live run
/// can take minutes).
pub(super) struct Plan {
    started: std::time::SystemTime,
    /// The clawcheck.toml in effect (given, or found upward from the first path).
    settings_path: Option<PathBuf>,
    opts: CheckOptions,
    baseline: Option<crate::suppress::Baseline>,
    signing_key: Option<ed25519_dalek::SigningKey>,
    /// Some report of the run is dated (HTML, OSCAL, a bundle).
    dated: bool,
}

impl Plan {
    pub(super) fn new(args: &CheckArgs, mode: Mode<'_>) -> Result<Plan, String> {
        if let Mode::History { .. } = mode {
            if args.live.live
                || args.only == Some(Only::Config)
                || args.staged
                || args.changed_since.is_some()
                || args.fix.wanted()
            {
                return Err("history scans committed blobs for secrets: --live, --only config, --staged, --changed-since and --fix do not apply".into());
            }
        } else if args.live.openclaw && !args.live.live {
            return Err(
                "--openclaw needs --live (or run `clawcheck live --openclaw CONFIG`)".into(),
            );
        } else if args.live.live && (args.staged || args.changed_since.is_some()) {
            return Err("--live runs the working tree's agents: it cannot be combined with --staged or --changed-since".into());
        } else if args.staged && args.fix.wanted() {
            return Err(
                "--staged checks the index, --fix edits the working tree: use one or the other"
                    .into(),
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
            None => {
                config::find_upward(args.paths.first().map_or(Path::new("."), PathBuf::as_path))?
            }
        };
        let mut settings = match &settings_path {
            Some(p) => Settings::load(p).map_err(|e| e.to_string())?,
            None => Settings::default(),
        };
        settings.follow_symlinks_outside_root = args.follow_symlinks_outside_root;
        let formats = || args.report.iter().map(|(f, _)| *f).chain([args.format]);
        let opts = CheckOptions {
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
                || formats().any(|f| {
                    matches!(
                        f,
                        Format::Json | Format::Sarif | Format::Oscal | Format::Html
                    )
                }),
            // only `--verbose` lists them
            explain_not_configs: args.verbose,
        };
        let baseline = match &args.baseline {
            Some(p) => Some(crate::suppress::Baseline::load(p)?),
            None => None,
        };
        let signing_key = match &args.sign {
            Some(k) => Some(crate::bundle::load_signing_key(k)?),
            None => None,
        };
        if let Some(dir) = &args.bundle {
            no_symlink_on_the_way(dir)?;
            let occupied = std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_some());
            if occupied || (dir.exists() && !dir.is_dir()) {
                return Err(format!(
                    "{}: --bundle needs a new or empty directory",
                    dir.display()
                ));
            }
        }
        let dated =
            args.bundle.is_some() || formats().any(|f| matches!(f, Format::Html | Format::Oscal));
        if dated {
            report::Timestamps::from_env(started)?;
        }
        Ok(Plan {
            started,
            settings_path,
            opts,
            baseline,
            signing_key,
            dated,
        })
    }
}

/// Runs `check` (or `history`) and prints or writes its reports; returns the
/// exit code and the report.
pub(super) fn run_check(args: &CheckArgs, mode: Mode<'_>) -> Result<(u8, engine::Report), String> {
    let Plan {
        started,
        settings_path,
        mut opts,
        baseline,
        signing_key,
        dated,
    } = Plan::new(args, mode)?;
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
    // Only the reports that carry the evidence show it (`opts.hash_inputs`
    // names them): three `git` processes cost a human or annotation run
    // CPU that its own checks need.
    let git_evidence = opts
        .hash_inputs
        .then(|| std::thread::spawn(move || crate::evidence::git(&git_dir)));
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
    report.evidence.git = git_evidence
        .and_then(|t| t.join().unwrap_or(None))
        .map(|mut g| {
            g.remote = g.remote.map(|u| report.redactor.text(&u));
            g
        });
    if args.live.live {
        run_live(args, &mut report, &opts)?;
    }
    // The baseline: the last suppression, of the finished report (inline
    // directives and waivers were applied by the engine).
    if let Some(b) = &baseline {
        report.apply_baseline(b);
    }
    let fail_on = args.fail_on.threshold();
    let threshold = fail_on.unwrap_or(Severity::Error);
    if args.verbose {
        print_verbose(settings_path.as_deref(), &report);
    }
    write_reports(
        args,
        &report,
        fail_on,
        threshold,
        dated,
        started,
        signing_key.as_ref(),
    )?;
    let failed = fail_on.is_some_and(|t| report.findings.iter().any(|f| f.severity >= t));
    Ok((u8::from(failed), report))
}

/// `--live`: runs the agents of the checked configs in the reference
/// executor and adds what it observed to the report.
fn run_live(
    args: &CheckArgs,
    report: &mut engine::Report,
    opts: &CheckOptions,
) -> Result<(), String> {
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
    if l.openclaw {
        run_openclaw(report, &opts.settings, args)?;
    } else {
        if report.live_targets.is_empty() {
            eprintln!(
                "clawcheck: --live: no agent profiles found in the checked configs; nothing to run"
            );
        }
        engine::run_live(report, &opts.settings, &live_opts).map_err(|e| format!("--live: {e}"))?;
    }
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
    Ok(())
}

/// `--verbose`: the settings file, each config's dialect, what was skipped.
fn print_verbose(settings_path: Option<&Path>, report: &engine::Report) {
    if let Some(p) = settings_path {
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

/// Renders the report in every format asked for: the extra `--report`
/// files and the bundle first (a failure to write one is a tool error before
/// any output), the GitHub step summary, then the main output.
fn write_reports(
    args: &CheckArgs,
    checked: &engine::Report,
    fail_on: Option<Severity>,
    threshold: Severity,
    dated: bool,
    started: std::time::SystemTime,
    signing_key: Option<&ed25519_dalek::SigningKey>,
) -> Result<(), String> {
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
            checked,
            &report::human::Style {
                color,
                quiet: args.quiet,
            },
            threshold,
        ),
        Format::Json => report::json::render(checked, fail_on),
        Format::Sarif => report::sarif::render(checked),
        Format::Github => report::github::render(checked, step_summary.is_some()),
        Format::Junit => report::junit::render(checked, threshold),
        Format::Markdown => report::markdown::render(checked, fail_on),
        Format::Html => report::html::render(checked, fail_on, &time),
        Format::Oscal => report::oscal::render(checked, fail_on, &time),
    };
    // Extra reports first: a failure to write one is a tool error before any output.
    for (format, path) in &args.report {
        write_atomic(path, render(*format, false).as_bytes())
            .map_err(|e| format!("{}: cannot write report: {e}", path.display()))?;
    }
    if let (Some(dir), Some(key)) = (&args.bundle, signing_key) {
        write_bundle(dir, key, checked, &render)?;
    }
    let github = args
        .report
        .iter()
        .map(|(f, _)| *f)
        .chain([args.format])
        .any(|f| f == Format::Github);
    // (the rest is only worked out for a github run with a step summary)
    if let Some((path, rest)) = step_summary
        .as_ref()
        .filter(|_| github)
        .and_then(|p| Some((p, report::github::rest_summary(checked)?)))
    {
        // GitHub's step summary is a file each step appends to.
        std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(path)
            .and_then(|mut f| f.write_all(rest.as_bytes()))
            .map_err(|e| format!("{}: cannot write the step summary: {e}", path.display()))?;
    }
    match (args.format, &args.output) {
        // The JSON report is streamed: a report of 100,000 findings is never
        // held whole in memory.
        (Format::Json, None) => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            stdout_result(
                report::json::write(checked, fail_on, &mut out).and_then(|_| out.flush()),
            )?;
        }
        _ => emit(args.output.as_deref(), &render(args.format, color))?,
    }
    Ok(())
}

/// The report to FILE (atomically) or to standard output.
pub(super) fn emit(output: Option<&Path>, text: &str) -> Result<(), String> {
    match output {
        Some(path) => write_atomic(path, text.as_bytes())
            .map_err(|e| format!("{}: cannot write report: {e}", path.display())),
        None => {
            let mut out = std::io::stdout().lock();
            stdout_result(out.write_all(text.as_bytes()).and_then(|_| out.flush()))
        }
    }
}

/// The outcome of writing a report to standard output: a closed pipe
/// (`| head`) is the reader's choice, not an error; any other failure (a full
/// disk behind `>`) is, so that a truncated report never passes for whole.
fn stdout_result(r: std::io::Result<()>) -> Result<(), String> {
    match r {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("standard output: cannot write report: {e}"))
        }
        _ => Ok(()),
    }
}

/// `--diff`: the diffs on standard output, a summary on standard error;
/// exit 1 when a fix would be applied.
pub(super) fn print_diff(fixes: &[crate::fix::FileFixes]) -> u8 {
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
/// A bundle directory is never reached through a symbolic link a scanned
/// repository may have planted (`evidence -> /somewhere/else`): the
/// directory itself, and for a relative path every directory on the way to
/// it, must not be one. (An absolute path's parents are the user's own.)
fn no_symlink_on_the_way(dir: &Path) -> Result<(), String> {
    let is_link = |p: &Path| std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink());
    let link = if is_link(dir) {
        Some(dir)
    } else {
        crate::cleanup::linked_directory(dir)
    };
    match link {
        Some(p) => Err(format!(
            "{}: --bundle does not write through a symbolic link ({} is one)",
            dir.display(),
            p.display()
        )),
        None => Ok(()),
    }
}

pub(super) fn write_bundle(
    dir: &Path,
    key: &ed25519_dalek::SigningKey,
    report: &engine::Report,
    render: &dyn Fn(Format, bool) -> String,
) -> Result<(), String> {
    no_symlink_on_the_way(dir)?;
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    no_symlink_on_the_way(dir)?;
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

/// `--live --openclaw`: the one CONFIG through the real OpenClaw.
#[cfg(target_os = "linux")]
fn run_openclaw(
    report: &mut engine::Report,
    settings: &crate::config::Settings,
    args: &CheckArgs,
) -> Result<(), String> {
    let l = &args.live;
    let [path] = args.paths.as_slice() else {
        return Err("--live --openclaw runs one config: name exactly one CONFIG file".into());
    };
    if !path.is_file() {
        return Err(format!(
            "--live --openclaw: {} is not a config file",
            esc(&path.display().to_string())
        ));
    }
    // The name the report gives the file (its live targets carry it).
    let display = report
        .live_targets
        .first()
        .map(|t| t.config.clone())
        .unwrap_or_else(|| path.to_string_lossy().replace('\\', "/"));
    let opts = crate::checks::live::openclaw::OpenClawOptions {
        bin: l.openclaw_bin.clone(),
        probes: l.live_probes.clone(),
        sessions: match l.openclaw_sessions {
            OpenClawSessions::Routed => crate::checks::live::openclaw::Sessions::Routed,
            OpenClawSessions::PerRequest => crate::checks::live::openclaw::Sessions::PerRequest,
        },
        mode: match l.openclaw_mode {
            OpenClawMode::Gateway => crate::checks::live::openclaw::Mode::Gateway,
            OpenClawMode::Embedded => crate::checks::live::openclaw::Mode::Embedded,
        },
        tolerance_ms: l.openclaw_tolerance_ms,
        timeout_cap_secs: l.openclaw_timeout_cap,
        ..Default::default()
    };
    engine::run_live_openclaw(report, settings, path, &display, &opts)
        .map_err(|e| format!("--live --openclaw: {e}"))
}

#[cfg(not(target_os = "linux"))]
fn run_openclaw(
    _report: &mut engine::Report,
    _settings: &crate::config::Settings,
    _args: &CheckArgs,
) -> Result<(), String> {
    Err("--live --openclaw is supported on Linux only".into())
}
