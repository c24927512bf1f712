//! The commands besides the check: `merge`, `keygen`, `verify`, `rules`,
//! `explain`, `posture`, `policy test`.

use super::check::emit;
use super::*;
use crate::config::{self, Settings};
use crate::finding::Severity;
use crate::normalise::Dialect;
use crate::report;
use crate::report::escape::human as esc;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub(super) fn merge(
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

pub(super) fn keygen(key: &Path) -> Result<String, String> {
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

pub(super) fn verify_bundle(bundle: &Path, key: &Path) -> Result<u8, String> {
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
pub(super) fn indent(s: &str) -> String {
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
pub(super) const POSTURE_MAX_BYTES: u64 = 64 << 20;

pub(super) fn posture(
    file: &Path,
    dialect: Option<Dialect>,
    config: Option<&Path>,
) -> Result<String, String> {
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
        None => config::find_upward(file)?,
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
    // The settings' lists are in the input too (`known_sources`, metrics):
    // their secrets join the gate, as in `check`.
    let scanner = crate::checks::secrets::Scanner::new();
    let mut extra = crate::engine::settings_secrets(&settings, &scanner);
    // the file's name is in the input too (`path`)
    extra.extend(scanner.secrets_in(&shown));
    let gate = crate::engine::file_redactor(
        &bytes,
        &scanner.scan_path(&bytes, file),
        Some((&doc, crate::engine::DocKind::Config)),
        &scanner,
        true,
        extra,
    );
    crate::posture::redact_strings(&mut input, &gate);
    let mut text = serde_json::to_string_pretty(&input).map_err(|e| e.to_string())?;
    text.push('\n');
    Ok(text)
}

pub(super) fn policy_test(dirs: &[PathBuf], coverage: bool, min_coverage: Option<f64>) -> ExitCode {
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
