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
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

pub struct CheckOptions {
    pub paths: Vec<PathBuf>,
    pub settings: Settings,
    pub excludes: Vec<String>,
    pub threads: usize,
    pub extra_policies: Vec<PathBuf>,
    pub dialect: Option<Dialect>,
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
}

#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error(transparent)]
    Discover(#[from] discover::DiscoverError),
    #[error(transparent)]
    Policy(#[from] PolicyError),
    #[error("cannot start {threads} worker threads: {message}")]
    Threads { threads: usize, message: String },
}

/// Per-file outcome, merged in path order.
#[derive(Default)]
struct FileOutcome {
    scanned: bool,
    bytes: u64,
    config: Option<ConfigInfo>,
    skipped: Option<Skipped>,
    findings: Vec<Finding>,
}

pub fn run(opts: &CheckOptions) -> Result<Report, CheckError> {
    let threads = if opts.threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        opts.threads
    };
    let mut excludes = opts.settings.exclude.clone();
    excludes.extend(opts.excludes.iter().cloned());
    let candidates = discover::discover(
        &opts.paths,
        &discover::Options {
            excludes: &excludes,
            config_globs: &opts.settings.configs,
            threads,
        },
    )?;
    let extra: Vec<&Path> = opts.extra_policies.iter().map(PathBuf::as_path).collect();
    let policies = PolicySet::new(&extra)?;
    let ctx = Context {
        settings: &opts.settings,
        dialect: opts.dialect,
        policy_input_base: policy_input_base(&opts.settings),
        sensitive_re: opts.settings.sensitivity_regex(),
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| CheckError::Threads {
            threads,
            message: e.to_string(),
        })?;
    let outcomes: Vec<Result<FileOutcome, PolicyError>> = pool.install(|| {
        candidates
            .par_iter()
            .map_init(
                || policies.clone(),
                |policies, c| check_file(c, &ctx, policies),
            )
            .collect()
    });
    let mut report = Report::default();
    for o in outcomes {
        let o = o?;
        if o.scanned {
            report.files_scanned += 1;
            report.bytes_scanned += o.bytes;
        }
        report.configs.extend(o.config);
        report.skipped.extend(o.skipped);
        report.findings.extend(o.findings);
    }
    canonicalise(&mut report.findings);
    Ok(report)
}

struct Context<'a> {
    settings: &'a Settings,
    dialect: Option<Dialect>,
    policy_input_base: Value,
    sensitive_re: regex::Regex,
}

fn policy_input_base(s: &Settings) -> Value {
    json!({
        "limits": s.limits,
        "monitoring": s.monitoring,
        "secrets": {"known_sources": s.secrets.known_sources},
    })
}

/// What a finding's location and text are built from.
struct FileText<'a> {
    display: &'a str,
    bytes: &'a [u8],
    lines: LineIndex,
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
        let snippet = String::from_utf8_lossy(&self.bytes[line]).into_owned();
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
            fingerprint: fp,
            snippet: Some(snippet),
        }
    }
}

fn check_file(
    c: &Candidate,
    ctx: &Context<'_>,
    policies: &mut PolicySet,
) -> Result<FileOutcome, PolicyError> {
    let mut out = FileOutcome::default();
    let unreadable = |reason: String, out: &mut FileOutcome| {
        if c.explicit || c.kind == Kind::Config {
            let msg = format!("cannot check {}: {reason}", c.display);
            out.findings.push(Finding {
                rule: "OC002".into(),
                severity: sev(ctx, "OC002", None).unwrap_or(Severity::Error),
                path: c.display.clone(),
                start: crate::source::Position { line: 1, column: 1 },
                end: crate::source::Position { line: 1, column: 1 },
                fingerprint: fingerprint(&[b"OC002", c.display.as_bytes()]),
                message: msg,
                pointer: None,
                evidence: None,
                snippet: None,
            });
        }
        out.skipped = Some(Skipped {
            path: c.display.clone(),
            reason,
        });
    };
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
    let bytes = match std::fs::read(&c.path) {
        Ok(b) => b,
        Err(e) => {
            unreadable(e.to_string(), &mut out);
            return Ok(out);
        }
    };
    out.scanned = true;
    out.bytes = bytes.len() as u64;
    let is_config = c.kind == Kind::Config
        || (c.explicit && looks_like_json(&c.path))
        || has_openclaw_root(&c.path, &bytes);
    if !is_config {
        return Ok(out);
    }
    let text = FileText {
        display: &c.display,
        bytes: &bytes,
        lines: LineIndex::new(&bytes),
    };
    let doc = match load::parse(&bytes) {
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
            return Ok(out);
        }
    };
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
        return Ok(out);
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
    let posture = match dialect {
        Dialect::PolicyProfile => normalise::policy_profile_posture(&doc.value, &ctx.sensitive_re),
        _ => crate::openclaw::posture(&doc.value, dialect, &ctx.sensitive_re, ctx.settings),
    };
    let mut input = ctx.policy_input_base.clone();
    input["posture"] = posture;
    if dialect != Dialect::PolicyProfile {
        // Dialect-specific policies may read the document itself.
        input["raw"] = doc.value.clone();
    }
    input["dialect"] = json!(dialect.as_str());
    input["path"] = json!(c.display);
    raw.extend(policies.evaluate(&input)?);
    place(&raw, &doc, &text, ctx, &mut out.findings);
    Ok(out)
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

/// A JSON file not named like a config is one when its top level has an `openclaw` key.
fn has_openclaw_root(p: &Path, bytes: &[u8]) -> bool {
    if !looks_like_json(p) || memchr::memmem::find(bytes, b"openclaw").is_none() {
        return false;
    }
    load::parse(bytes).is_ok_and(|d| d.value.get("openclaw").is_some_and(Value::is_object))
}
