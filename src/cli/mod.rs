//! Command-line interface (clap derive). `main.rs` only calls [`main`]:
//! [`args`] declares the commands and options, [`check`] runs `check`,
//! `live`, `history` and `baseline` (a plan built once from the arguments and
//! clawcheck.toml, then the run, the baseline, the reports), [`commands`] the
//! others (`merge`, `keygen`, `verify`, `rules`, `explain`, `posture`,
//! `policy test`).

mod args;
mod check;
mod commands;

pub use args::*;
pub use commands::{explain, list_rules, write_atomic};

use crate::report;
use check::{baseline, check, run_check, Mode};
use clap::Parser;
use commands::{keygen, merge, policy_test, posture, verify_bundle};
use std::process::ExitCode;

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
