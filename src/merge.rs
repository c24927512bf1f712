//! `clawcheck merge`: many runs (one clawcheck JSON report per repository)
//! combined into one assessment for the organisation.
//!
//! Each input names its repository (the `origin` remote in its `inputs.git`,
//! else the report's file name). Paths become `<repository>/<path>`; a
//! finding reported twice for the same repository (the same run merged
//! twice, or two runs of one commit) is kept once, by rule, path and
//! fingerprint. The result is sorted, so it is the same bytes whatever the
//! order of the inputs and the number of threads that read them.

use crate::engine::{ConfigInfo, Report, Skipped};
use crate::evidence::{Evidence, Git, InputFile};
use crate::finding::{Finding, Severity};
use crate::source::Position;
use crate::suppress::Suppressed;
use rayon::prelude::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Largest report read, and most reports merged.
const MAX_REPORT_BYTES: u64 = 512 << 20;
pub const MAX_REPORTS: usize = 100_000;

/// One input run.
#[derive(Debug)]
pub struct Run {
    /// The repository the run checked (`owner/name`, or the file stem).
    pub repository: String,
    /// SHA-256 of the report file as read.
    pub report_sha256: String,
    pub report: Report,
}

/// The runs by repository (sorted, one per repository) and the merged report.
pub struct Merged {
    pub runs: Vec<Run>,
    pub report: Report,
}

fn err(path: &Path, e: impl std::fmt::Display) -> String {
    format!("{}: {e}", path.display())
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(|e| err(path, e))?;
    if !meta.is_file() {
        return Err(err(path, "not a regular file"));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_REPORT_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| err(path, e))?;
    if bytes.len() as u64 > MAX_REPORT_BYTES {
        return Err(err(path, format!("larger than {MAX_REPORT_BYTES} bytes")));
    }
    Ok(bytes)
}

/// `https://github.com/o/r.git` → `o/r`; `ssh://host/o/r` → `o/r`.
fn repository_name(remote: &str) -> Option<String> {
    let rest = remote.split_once("://").map_or(remote, |(_, r)| r);
    let path = rest.split_once('/').map(|(_, p)| p)?;
    let name = path.trim_end_matches('/').trim_end_matches(".git");
    let safe = !name.is_empty()
        && name
            .split('/')
            .all(|p| !p.is_empty() && p != "." && p != "..");
    safe.then(|| name.to_string())
}

fn string(v: &Value, key: &str, path: &Path) -> Result<String, String> {
    v[key]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| err(path, format!("`{key}` is missing or not a string in {v}")))
}

/// The position at `line`/`column` of `v` (1 when absent). A number that
/// is not a line or column (0, negative, fractional, past 2^32) is an error:
/// carried into SARIF, it would make a log GitHub rejects.
fn position(v: &Value, line: &str, column: &str, path: &Path) -> Result<Position, String> {
    let n = |k: &str| match v.get(k) {
        None | Some(Value::Null) => Ok(1),
        Some(x) => x
            .as_u64()
            .filter(|x| (1..=u64::from(u32::MAX)).contains(x))
            .map(|x| x as usize)
            .ok_or_else(|| {
                err(
                    path,
                    format!("a finding with an invalid `{k}` (a line or column is 1 or more)"),
                )
            }),
    };
    Ok(Position {
        line: n(line)?,
        column: n(column)?,
    })
}

/// A region whose end comes before its start is an error, as above.
fn region(v: &Value, path: &Path) -> Result<(Position, Position), String> {
    let start = position(v, "line", "column", path)?;
    let end = if v.get("end_line").is_none() {
        start
    } else {
        position(v, "end_line", "end_column", path)?
    };
    if (end.line, end.column) < (start.line, start.column) {
        return Err(err(path, "a finding that ends before it starts"));
    }
    Ok((start, end))
}

fn finding(v: &Value, path: &Path, prefix: &str) -> Result<Finding, String> {
    let severity = v["severity"]
        .as_str()
        .and_then(Severity::parse)
        .ok_or_else(|| err(path, format!("a finding without a valid `severity`: {v}")))?;
    let (start, end) = region(v, path)?;
    let opt = |k: &str| v[k].as_str().map(str::to_string);
    Ok(Finding {
        rule: string(v, "rule", path)?,
        severity,
        path: format!("{prefix}/{}", string(v, "path", path)?),
        start,
        end,
        message: string(v, "message", path)?,
        pointer: opt("pointer"),
        evidence: opt("evidence"),
        secret_hash: opt("secret_hash"),
        fingerprint: string(v, "fingerprint", path)?,
        snippet: None,
        snippet_column: 1,
        fix: None,
        related: v["related"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| {
                Ok(crate::finding::Related {
                    rule: string(r, "rule", path)?,
                    start: region(r, path)?.0,
                    end: region(r, path)?.1,
                    message: string(r, "message", path)?,
                    fingerprint: string(r, "fingerprint", path)?,
                })
            })
            .collect::<Result<_, String>>()?,
        places: v["places"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| {
                let at = position(p, "line", "column", path)?;
                Ok(crate::finding::Place {
                    path: format!("{prefix}/{}", string(p, "path", path)?),
                    line: at.line,
                    column: at.column,
                    message: string(p, "message", path)?,
                })
            })
            .collect::<Result<_, String>>()?,
    })
}

/// Parses one clawcheck JSON report (schema version 1).
pub fn load(path: &Path) -> Result<Run, String> {
    let bytes = read(path)?;
    let doc: Value = serde_json::from_slice(&bytes).map_err(|e| {
        format!(
            "{}:{}:{}: not a JSON report: {e}",
            path.display(),
            e.line(),
            e.column()
        )
    })?;
    if doc["version"] != 1 || doc["tool"]["name"] != "clawcheck" {
        return Err(err(
            path,
            "not a clawcheck JSON report (version 1); write one with `check --format json`",
        ));
    }
    let inputs = &doc["inputs"];
    let git: Option<Git> = inputs["git"].as_object().map(|g| Git {
        commit: g
            .get("commit")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        dirty: g.get("dirty").and_then(Value::as_bool).unwrap_or(false),
        remote: g.get("remote").and_then(Value::as_str).map(str::to_string),
    });
    let repository = git
        .as_ref()
        .and_then(|g| g.remote.as_deref())
        .and_then(repository_name)
        .unwrap_or_else(|| {
            let stem = path
                .file_stem()
                .map_or("report".into(), |s| s.to_string_lossy().into_owned());
            stem.trim_end_matches(".json").replace(['/', '\\'], "_")
        });
    let prefix = repository.as_str();
    let mut report = Report::default();
    let summary = &doc["summary"];
    report.files_scanned = summary["files_scanned"].as_u64().unwrap_or(0) as usize;
    report.bytes_scanned = summary["bytes_scanned"].as_u64().unwrap_or(0);
    for f in doc["findings"].as_array().into_iter().flatten() {
        report.findings.push(finding(f, path, prefix)?);
    }
    for s in doc["suppressed"].as_array().into_iter().flatten() {
        report.suppressed.push(Suppressed {
            finding: finding(s, path, prefix)?,
            kind: match s["kind"].as_str() {
                Some("inline") => "inline",
                Some("baseline") => "baseline",
                Some("waiver") => "waiver",
                _ => {
                    return Err(err(
                        path,
                        format!("a suppressed finding of unknown `kind`: {s}"),
                    ))
                }
            },
            reason: string(s, "reason", path)?,
            owner: s["owner"].as_str().map(str::to_string),
            expires: s["expires"].as_str().map(str::to_string),
        });
    }
    for c in doc["configs"].as_array().into_iter().flatten() {
        let dialect = c["dialect"]
            .as_str()
            .and_then(|d| <crate::normalise::Dialect as clap::ValueEnum>::from_str(d, true).ok())
            .ok_or_else(|| err(path, format!("a config of unknown `dialect`: {c}")))?;
        report.configs.push(ConfigInfo {
            path: format!("{prefix}/{}", string(c, "path", path)?),
            dialect,
            includes: Vec::new(),
        });
    }
    for s in doc["summary"]["skipped"].as_array().into_iter().flatten() {
        report.skipped.push(Skipped {
            path: format!("{prefix}/{}", string(s, "path", path)?),
            reason: string(s, "reason", path)?,
        });
    }
    // Only registry rules count as assessed (their controls are known).
    report.assessed_rules = doc["assessed_rules"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r.as_str().and_then(crate::rules::get).map(|r| r.id))
        .collect();
    report.evidence = Evidence {
        files: inputs["files"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|f| InputFile {
                path: format!("{prefix}/{}", f["path"].as_str().unwrap_or("")),
                sha256: f["sha256"].as_str().unwrap_or("").to_string(),
                size: f["size"].as_u64().unwrap_or(0),
            })
            .collect(),
        policy_set_sha256: inputs["policy_set"]["sha256"]
            .as_str()
            .unwrap_or("")
            .to_string(),
        policy_files: inputs["policy_set"]["files"].as_u64().unwrap_or(0) as usize,
        settings_path: inputs["settings"]["path"]
            .as_str()
            .map(|p| format!("{prefix}/{p}")),
        settings_sha256: inputs["settings"]["sha256"].as_str().map(str::to_string),
        git,
    };
    // A report is input like any other (hand-written, or from a tool that
    // did not redact): every secret the scanner finds in its strings, once
    // decoded, is redacted wherever the merged outputs show it.
    let gate = crate::redact::Redactor::new(secrets_in(&doc));
    report.redact(&gate);
    Ok(Run {
        repository: gate.text(&repository),
        report_sha256: crate::evidence::sha256_hex(&bytes),
        report,
    })
}

/// The secrets the scanner finds in the keys and strings of `doc`.
fn secrets_in(doc: &Value) -> Vec<String> {
    static SCANNER: std::sync::OnceLock<crate::checks::secrets::Scanner> =
        std::sync::OnceLock::new();
    let scanner = SCANNER.get_or_init(crate::checks::secrets::Scanner::new);
    let mut out = Vec::new();
    let mut scan = |s: &str| {
        for m in scanner.scan(s.as_bytes()) {
            out.push(String::from_utf8_lossy(&s.as_bytes()[m.start..m.end]).into_owned());
        }
    };
    let mut stack = vec![doc];
    while let Some(v) = stack.pop() {
        match v {
            Value::String(s) => scan(s),
            Value::Array(a) => stack.extend(a),
            Value::Object(m) => {
                for (k, x) in m {
                    scan(k);
                    stack.push(x);
                }
            }
            _ => {}
        }
    }
    out
}

/// Orders and deduplicates one run's lists, so equal inputs give equal bytes.
fn normalise(r: &mut Report) {
    let key = |f: &Finding| {
        (
            f.path.clone(),
            f.start.line,
            f.start.column,
            f.rule.clone(),
            f.fingerprint.clone(),
            f.message.clone(),
        )
    };
    r.findings.sort_by_key(key);
    r.findings
        .dedup_by(|a, b| a.rule == b.rule && a.path == b.path && a.fingerprint == b.fingerprint);
    r.suppressed.sort_by_key(|s| key(&s.finding));
    r.suppressed.dedup_by(|a, b| {
        a.finding.rule == b.finding.rule
            && a.finding.path == b.finding.path
            && a.finding.fingerprint == b.finding.fingerprint
    });
    // A finding also listed as suppressed (two runs disagreeing) stays active.
    let active: BTreeSet<(String, String, String)> = r
        .findings
        .iter()
        .map(|f| (f.rule.clone(), f.path.clone(), f.fingerprint.clone()))
        .collect();
    r.suppressed.retain(|s| {
        !active.contains(&(
            s.finding.rule.clone(),
            s.finding.path.clone(),
            s.finding.fingerprint.clone(),
        ))
    });
    r.configs.sort_by(|a, b| a.path.cmp(&b.path));
    r.configs.dedup_by(|a, b| a.path == b.path);
    r.skipped
        .sort_by(|a, b| (&a.path, &a.reason).cmp(&(&b.path, &b.reason)));
    r.skipped.dedup_by(|a, b| a.path == b.path);
    r.assessed_rules.sort_unstable();
    r.assessed_rules.dedup();
    r.evidence
        .files
        .sort_by(|a, b| (&a.path, &a.sha256).cmp(&(&b.path, &b.sha256)));
    r.evidence
        .files
        .dedup_by(|a, b| a.path == b.path && a.sha256 == b.sha256);
}

/// Runs of the same repository become one (two runs of one repository
/// merged twice, or re-runs); the runs are sorted by repository.
fn combine(a: &mut Report, b: Report) {
    a.findings.extend(b.findings);
    a.suppressed.extend(b.suppressed);
    a.configs.extend(b.configs);
    a.skipped.extend(b.skipped);
    a.assessed_rules.extend(b.assessed_rules);
    a.evidence.files.extend(b.evidence.files);
    // The larger count: the same files checked twice are not more files.
    a.files_scanned = a.files_scanned.max(b.files_scanned);
    a.bytes_scanned = a.bytes_scanned.max(b.bytes_scanned);
    let mut hashes: BTreeSet<&str> = a
        .evidence
        .policy_set_sha256
        .split(", ")
        .filter(|s| !s.is_empty())
        .collect();
    hashes.insert(&b.evidence.policy_set_sha256);
    a.evidence.policy_set_sha256 = hashes.into_iter().collect::<Vec<_>>().join(", ");
    if a.evidence.git.as_ref().map(|g| &g.commit) != b.evidence.git.as_ref().map(|g| &g.commit) {
        // Different commits of one repository: keep the later-sorting one
        // named, deterministically.
        a.evidence.git = std::cmp::max(a.evidence.git.take(), b.evidence.git);
    }
}

/// Reads `paths` on `threads` threads and merges them.
pub fn merge(paths: &[PathBuf], threads: usize) -> Result<Merged, String> {
    if paths.is_empty() {
        return Err("merge: no report given".into());
    }
    if paths.len() > MAX_REPORTS {
        return Err(format!(
            "merge: {} reports, at most {MAX_REPORTS}",
            paths.len()
        ));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| format!("cannot start {threads} worker threads: {e}"))?;
    let loaded: Vec<Result<Run, String>> =
        pool.install(|| paths.par_iter().map(|p| load(p)).collect());
    let mut by_repo: BTreeMap<String, Run> = BTreeMap::new();
    for run in loaded {
        let run = run?;
        match by_repo.get_mut(&run.repository) {
            Some(existing) => {
                existing.report_sha256 =
                    std::cmp::min(existing.report_sha256.clone(), run.report_sha256.clone());
                combine(&mut existing.report, run.report);
            }
            None => {
                by_repo.insert(run.repository.clone(), run);
            }
        }
    }
    let mut runs: Vec<Run> = by_repo.into_values().collect();
    pool.install(|| runs.par_iter_mut().for_each(|r| normalise(&mut r.report)));
    let mut all = Report::default();
    let mut policy: BTreeSet<String> = BTreeSet::new();
    for r in &runs {
        let rep = &r.report;
        all.files_scanned += rep.files_scanned;
        all.bytes_scanned += rep.bytes_scanned;
        all.findings.extend(rep.findings.iter().cloned());
        all.suppressed.extend(rep.suppressed.iter().cloned());
        all.configs.extend(rep.configs.iter().cloned());
        all.skipped.extend(rep.skipped.iter().cloned());
        all.assessed_rules
            .extend(rep.assessed_rules.iter().copied());
        all.evidence
            .files
            .extend(rep.evidence.files.iter().cloned());
        policy.extend(
            rep.evidence
                .policy_set_sha256
                .split(", ")
                .filter(|s| !s.is_empty())
                .map(str::to_string),
        );
        all.evidence.policy_files = all.evidence.policy_files.max(rep.evidence.policy_files);
    }
    all.evidence.policy_set_sha256 = policy.into_iter().collect::<Vec<_>>().join(", ");
    normalise(&mut all);
    Ok(Merged { runs, report: all })
}

/// The per-repository part of the merged JSON report.
pub fn repositories_json(runs: &[Run]) -> Value {
    Value::Array(
        runs.iter()
            .map(|r| {
                let (e, w, n) = crate::report::counts(&r.report);
                serde_json::json!({
                    "repository": r.repository,
                    "report_sha256": r.report_sha256,
                    "git": r.report.evidence.git,
                    "policy_set_sha256": r.report.evidence.policy_set_sha256,
                    "settings_sha256": r.report.evidence.settings_sha256,
                    "files_scanned": r.report.files_scanned,
                    "errors": e,
                    "warnings": w,
                    "notes": n,
                    "suppressed": r.report.suppressed.len(),
                })
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn repository_names_come_from_the_remote() {
        use super::repository_name as n;
        assert_eq!(n("https://github.com/o/r.git").as_deref(), Some("o/r"));
        assert_eq!(n("ssh://github.com/o/r").as_deref(), Some("o/r"));
        assert_eq!(n("https://github.com/o/../r"), None);
        assert_eq!(n("https://github.com"), None);
    }
}
