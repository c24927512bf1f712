//! `clawcheck.toml`: every limit and list the policies use. Defaults reproduce
//! the seed article's checklist exactly. Unknown or ill-typed keys are errors
//! that name the file, line and column.

use crate::finding::Severity;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "clawcheck.toml";

/// Default `limits.max_config_bytes`: 16 MiB, far above any real config.
pub const DEFAULT_MAX_CONFIG_BYTES: u64 = 16 * 1024 * 1024;

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// Glob patterns (gitignore syntax) excluded from discovery.
    pub exclude: Vec<String>,
    /// Extra glob patterns for files that are OpenClaw configs.
    pub configs: Vec<String>,
    pub sensitivity: Sensitivity,
    pub limits: Limits,
    pub monitoring: Monitoring,
    pub secrets: Secrets,
    /// Per-rule overrides: `[rules.OC220] severity = "error"` or `"off"`.
    pub rules: BTreeMap<String, RuleOverride>,
    /// Suppressions with a reason: `[[waivers]] rule = "OC203" path = "deploy/**" reason = "..." expires = "2027-01-31"`.
    pub waivers: Vec<Waiver>,
    /// Where these settings came from: (path as shown, text), for positions in findings.
    #[serde(skip)]
    pub source: Option<(String, String)>,
    /// Follow file symlinks whose target lies outside the scanned root
    /// (`--follow-symlinks-outside-root`). Command line only: a checked-out
    /// tree must not be able to turn it on.
    #[serde(skip)]
    pub follow_symlinks_outside_root: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    /// A rule id, or `*` for every rule.
    pub rule: String,
    /// Glob over the shown path (e.g. `deploy/**`); every file when absent.
    #[serde(default)]
    pub path: Option<String>,
    /// Why this is acceptable: required and shown in reports.
    pub reason: String,
    /// `YYYY-MM-DD`: the waiver stops applying after this day (OC005). A
    /// TOML date (`expires = 2027-03-31`) or a quoted one; an impossible
    /// date (`2027-02-30`) is an error at its position.
    #[serde(default, deserialize_with = "de_date")]
    pub expires: Option<String>,
    /// Who approved the exception (a name, a team, a ticket): shown with
    /// the waiver wherever suppressed findings are reported.
    #[serde(default)]
    pub owner: Option<String>,
}

/// A waiver's `expires`: a TOML local date or a string holding one, as
/// `YYYY-MM-DD`. Errors carry the value's span, so they name file:line:col.
fn de_date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    use serde::de::Error;
    let v = toml::Value::deserialize(d)?;
    let text = match &v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
            (Some(_), None, None) => dt.to_string(),
            _ => {
                return Err(D::Error::custom(format!(
                    "waiver expiry `{dt}` is a date and time: expected a date (YYYY-MM-DD)"
                )))
            }
        },
        other => {
            return Err(D::Error::custom(format!(
                "waiver expiry must be a date (YYYY-MM-DD), got a TOML {}",
                other.type_str()
            )))
        }
    };
    check_date(&text).map_err(D::Error::custom)?;
    Ok(Some(text))
}

/// Checks that `s` is a real calendar date written `YYYY-MM-DD`.
pub fn check_date(s: &str) -> Result<(), String> {
    let b = s.as_bytes();
    let shape = s.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && s.chars()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return Err(format!("waiver expiry `{s}` is not a date (YYYY-MM-DD)"));
    }
    let (y, m, d): (u32, u32, u32) = (
        s[..4].parse().unwrap_or(0),
        s[5..7].parse().unwrap_or(0),
        s[8..].parse().unwrap_or(0),
    );
    if !(1..=12).contains(&m) {
        return Err(format!(
            "waiver expiry `{s}` has no month {m} (YYYY-MM-DD: year, month, day)"
        ));
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if !(1..=days).contains(&d) {
        return Err(format!(
            "waiver expiry `{s}` is not a date: {y:04}-{m:02} has {days} days"
        ));
    }
    Ok(())
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Sensitivity {
    /// Regular expressions matched (case-insensitively) against agent names.
    pub patterns: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    pub sensitive_timeout_seconds: f64,
    pub routine_timeout_seconds: f64,
    pub rotation_max_days: f64,
    /// Configs larger than this are not parsed: an OC002 error naming the
    /// file and the limit (never a silent pass). Not part of the policy input.
    #[serde(skip_serializing)]
    pub max_config_bytes: u64,
    /// Wall-clock budget for evaluating the Rego policies against one file
    /// (seconds); past it the file gets OC002 instead of hanging the run.
    /// Not part of the policies' input.
    #[serde(skip_serializing)]
    pub policy_eval_seconds: f64,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Monitoring {
    pub agent_metrics: Vec<String>,
    pub secret_metrics: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Secrets {
    /// Secret stores accepted as an external `source` (compared case-insensitively).
    pub known_sources: Vec<String>,
    /// Files larger than this are not scanned for hardcoded secrets (reported as skipped).
    pub max_file_bytes: u64,
    /// The secrets a real OpenClaw config references, with their rotation
    /// (OpenClaw itself has no rotation setting): `[[secrets.inventory]]`.
    pub inventory: Vec<InventoryEntry>,
}

/// One `[[secrets.inventory]]` entry: a SecretRef (`ref = "env:default:OPENAI_API_KEY"`,
/// i.e. `source:provider:id`; `${VAR}` counts as `env:default:VAR`) or a bare
/// `id = "OPENAI_API_KEY"` matching any source, and how often it is rotated.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct InventoryEntry {
    #[serde(rename = "ref")]
    pub r#ref: Option<String>,
    pub id: Option<String>,
    /// `hourly`, `daily`, `weekly`, `7d`, `P1W`, ... or `never`.
    pub rotation: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RuleOverride {
    /// `error`, `warning`, `note` or `off`.
    pub severity: String,
}

impl Default for Sensitivity {
    fn default() -> Self {
        Sensitivity {
            patterns: [
                "critical",
                "sensitive",
                "secret",
                "prod",
                "payment",
                "admin",
                "finance",
            ]
            .map(String::from)
            .to_vec(),
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            sensitive_timeout_seconds: 120.0,
            routine_timeout_seconds: 300.0,
            rotation_max_days: 7.0,
            max_config_bytes: DEFAULT_MAX_CONFIG_BYTES,
            policy_eval_seconds: 10.0,
        }
    }
}

impl Default for Monitoring {
    fn default() -> Self {
        Monitoring {
            agent_metrics: [
                "execution-time",
                "resource-usage",
                "error-rate",
                "timeout-count",
            ]
            .map(String::from)
            .to_vec(),
            secret_metrics: ["access-count", "rotation-status", "exposure-risk"]
                .map(String::from)
                .to_vec(),
        }
    }
}

impl Default for Secrets {
    fn default() -> Self {
        Secrets {
            known_sources: [
                "vault",
                "hashicorp-vault",
                "openbao",
                "aws-kms",
                "aws-secrets-manager",
                "secrets-manager",
                "aws-ssm",
                "gcp-kms",
                "gcp-secret-manager",
                "azure-key-vault",
                "1password",
                "doppler",
                "infisical",
                "kubernetes",
                "sops",
                "cyberark",
                "akeyless",
                "bitwarden",
            ]
            .map(String::from)
            .to_vec(),
            max_file_bytes: 100 * 1024 * 1024,
            inventory: Vec::new(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
}

impl Settings {
    pub fn load(path: &Path) -> Result<Settings, ConfigError> {
        let shown = path.display().to_string();
        let bytes =
            read_regular_file(path, MAX_SETTINGS_BYTES).map_err(|source| ConfigError::Read {
                path: shown.clone(),
                source,
            })?;
        let text = String::from_utf8(bytes).map_err(|_| ConfigError::Read {
            path: shown.clone(),
            source: std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "stream did not contain valid UTF-8",
            ),
        })?;
        Settings::parse(&text, &shown)
    }

    pub fn parse(text: &str, shown: &str) -> Result<Settings, ConfigError> {
        let settings: Settings = toml::from_str(text).map_err(|e| {
            let (line, column) = e
                .span()
                .map(|s| {
                    let idx = crate::source::LineIndex::new(text.as_bytes());
                    let p = idx.position(text.as_bytes(), s.start);
                    (p.line, p.column)
                })
                .unwrap_or((1, 1));
            ConfigError::Invalid {
                path: shown.to_string(),
                line,
                column,
                message: e.message().trim().to_string(),
            }
        })?;
        let mut settings = settings;
        settings.validate(text, shown)?;
        settings.source = Some((shown.to_string(), text.to_string()));
        Ok(settings)
    }

    /// Checks what serde cannot: rule ids, severities, regexes and ranges.
    fn validate(&self, text: &str, shown: &str) -> Result<(), ConfigError> {
        let at = |needle: &str, message: String| {
            let offset = text.find(needle).unwrap_or(0);
            let idx = crate::source::LineIndex::new(text.as_bytes());
            let p = idx.position(text.as_bytes(), offset);
            ConfigError::Invalid {
                path: shown.to_string(),
                line: p.line,
                column: p.column,
                message,
            }
        };
        for (id, o) in &self.rules {
            if crate::rules::get(id).is_none() {
                return Err(at(
                    id,
                    format!("unknown rule id `{id}` (see `clawcheck rules`)"),
                ));
            }
            if o.severity != "off" && Severity::parse(&o.severity).is_none() {
                return Err(at(
                    &o.severity,
                    format!(
                        "invalid severity `{}` for {id}: expected error, warning, note or off",
                        o.severity
                    ),
                ));
            }
        }
        for w in &self.waivers {
            if w.rule != "*" && crate::rules::get(&w.rule).is_none() {
                return Err(at(
                    &w.rule,
                    format!("waiver for unknown rule id `{}`", w.rule),
                ));
            }
            if w.reason.trim().is_empty() {
                return Err(at(
                    "reason",
                    format!("waiver for {} needs a non-empty reason", w.rule),
                ));
            }
            if let Some(p) = &w.path {
                if let Err(e) = globset::Glob::new(p) {
                    return Err(at(p, format!("invalid waiver path glob `{p}`: {e}")));
                }
            }
            if let Some(o) = &w.owner {
                if o.trim().is_empty() {
                    return Err(at(
                        "owner",
                        format!("waiver for {} has an empty owner", w.rule),
                    ));
                }
            }
        }
        for p in &self.sensitivity.patterns {
            if let Err(e) = regex::Regex::new(p) {
                return Err(at(p, format!("invalid sensitivity pattern `{p}`: {e}")));
            }
        }
        // Each pattern can be valid alone and the combined regex still fail
        // (an `(?x)` comment swallowing the next alternative, the size limit).
        if let Err((i, p, e)) = self.try_sensitivity_regex() {
            // Point at this occurrence when the same text is listed twice.
            let k = self.sensitivity.patterns[..i]
                .iter()
                .filter(|q| **q == p)
                .count();
            let offset = text.match_indices(p.as_str()).nth(k).map_or(0, |(o, _)| o);
            let pos =
                crate::source::LineIndex::new(text.as_bytes()).position(text.as_bytes(), offset);
            return Err(ConfigError::Invalid {
                path: shown.to_string(),
                line: pos.line,
                column: pos.column,
                message: format!(
                    "sensitivity pattern `{p}` breaks the combined regex (each pattern is wrapped in `(?:…)` and joined with `|`): {e}"
                ),
            });
        }
        for e in &self.secrets.inventory {
            if e.r#ref.is_none() && e.id.is_none() {
                return Err(at(
                    "[[secrets.inventory]]",
                    "each [[secrets.inventory]] entry needs `ref` (source:provider:id) or `id`"
                        .into(),
                ));
            }
            if let Some(r) = &e.r#ref {
                if r.splitn(3, ':').count() != 3 {
                    return Err(at(
                        r,
                        format!("secrets.inventory ref `{r}` is not `source:provider:id`"),
                    ));
                }
            }
        }
        let l = &self.limits;
        for (name, v) in [
            ("sensitive_timeout_seconds", l.sensitive_timeout_seconds),
            ("routine_timeout_seconds", l.routine_timeout_seconds),
            ("rotation_max_days", l.rotation_max_days),
            ("policy_eval_seconds", l.policy_eval_seconds),
        ] {
            if !(v.is_finite() && v > 0.0) {
                return Err(at(
                    name,
                    format!("limits.{name} must be a positive number, got {v}"),
                ));
            }
        }
        if l.policy_eval_seconds > 3600.0 {
            return Err(at(
                "policy_eval_seconds",
                format!(
                    "limits.policy_eval_seconds must be at most 3600, got {}",
                    l.policy_eval_seconds
                ),
            ));
        }
        Ok(())
    }

    /// The effective severity of a rule: the override, or the rule's default.
    /// `None` means the rule is turned off.
    pub fn severity_of(&self, rule: &str, default: Severity) -> Option<Severity> {
        match self.rules.get(rule) {
            Some(o) if o.severity == "off" => None,
            Some(o) => Severity::parse(&o.severity).or(Some(default)),
            None => Some(default),
        }
    }

    /// The sensitivity patterns as one case-insensitive regex. Settings read
    /// by [`Settings::parse`] always have one; for settings built in code use
    /// [`Settings::try_sensitivity_regex`].
    pub fn sensitivity_regex(&self) -> regex::Regex {
        self.try_sensitivity_regex()
            .expect("sensitivity patterns validated at load")
    }

    /// The sensitivity patterns as one case-insensitive regex, or the first
    /// pattern whose addition makes the combination fail: (index, pattern, error).
    pub fn try_sensitivity_regex(&self) -> Result<regex::Regex, (usize, String, String)> {
        let combine = |patterns: &[String]| {
            if patterns.is_empty() {
                return regex::Regex::new("$^");
            }
            let joined = patterns
                .iter()
                .map(|p| format!("(?:{p})"))
                .collect::<Vec<_>>()
                .join("|");
            regex::Regex::new(&format!("(?i){joined}"))
        };
        let patterns = &self.sensitivity.patterns;
        combine(patterns).map_err(|whole| {
            // Name the pattern: the last one of the shortest failing prefix.
            (1..=patterns.len())
                .find_map(|n| combine(&patterns[..n]).err().map(|e| (n - 1, e)))
                .map_or_else(
                    || {
                        let i = patterns.len().saturating_sub(1);
                        let p = patterns.get(i).cloned().unwrap_or_default();
                        (i, p, one_line(&whole.to_string()))
                    },
                    |(i, e)| (i, patterns[i].clone(), one_line(&e.to_string())),
                )
        })
    }
}

/// A regex error on one line (regex's own messages draw a caret diagram).
fn one_line(s: &str) -> String {
    s.lines()
        .map(str::trim)
        .rfind(|l| !l.is_empty())
        .unwrap_or(s)
        .to_string()
}

/// Largest `clawcheck.toml` read (tens of thousands of waivers fit easily).
pub const MAX_SETTINGS_BYTES: u64 = 64 * 1024 * 1024;

/// Reads a file the user named (settings, baseline) that must be a regular
/// file of at most `max` bytes. A FIFO, a device (`/dev/zero`) or a directory
/// is an error at once: opened non-blocking, checked with `fstat` on the open
/// descriptor, and read with a bound, so nothing blocks or grows without limit.
pub fn read_regular_file(path: &Path, max: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Opening a FIFO for reading blocks until a writer comes: not with O_NONBLOCK.
        opts.custom_flags(libc::O_NONBLOCK);
    }
    let f = opts.open(path)?;
    let meta = f.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    let too_large = || {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("larger than the limit of {max} bytes"),
        )
    };
    if meta.len() > max {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    f.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(too_large());
    }
    Ok(bytes)
}

/// `clawcheck.toml` in `start` or the nearest ancestor directory. The
/// nearest entry of that name decides: one that is not a regular file (a
/// FIFO, a directory, a symlink, dangling or not) is an error, never passed
/// over for a settings file further up (`--config` names a symlink's target).
pub fn find_upward(start: &Path) -> Result<Option<PathBuf>, String> {
    let start = if start.is_file() {
        // `openclaw.json` has the parent "": the current directory
        start
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
    } else {
        start
    };
    let Ok(abs) = std::path::absolute(start) else {
        return Ok(None);
    };
    for p in abs.ancestors().map(|d| d.join(FILE_NAME)) {
        let Ok(meta) = std::fs::symlink_metadata(&p) else {
            continue;
        };
        if meta.is_file() {
            return Ok(Some(p));
        }
        let what = if meta.file_type().is_symlink() {
            "a symlink (not followed: pass the file with --config)"
        } else {
            "not a regular file"
        };
        return Err(format!("{}: settings file is {what}", p.display()));
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_seed_checklist() {
        let s = Settings::parse("", "clawcheck.toml").unwrap();
        assert_eq!(s.limits.sensitive_timeout_seconds, 120.0);
        assert_eq!(s.limits.routine_timeout_seconds, 300.0);
        assert_eq!(s.limits.rotation_max_days, 7.0);
        assert!(s.sensitivity_regex().is_match("critical-tasks"));
        assert!(s.sensitivity_regex().is_match("production"));
        assert!(!s.sensitivity_regex().is_match("routine-tasks"));
    }

    #[test]
    fn secrets_inventory() {
        let s = Settings::parse(
            "[[secrets.inventory]]\nref = \"env:default:OPENAI_API_KEY\"\nrotation = \"weekly\"\n[[secrets.inventory]]\nid = \"X\"\n",
            "c.toml",
        )
        .unwrap();
        assert_eq!(s.secrets.inventory.len(), 2);
        let e =
            Settings::parse("[[secrets.inventory]]\nrotation = \"daily\"\n", "c.toml").unwrap_err();
        assert!(e.to_string().contains("needs `ref`"), "{e}");
        let e = Settings::parse("[[secrets.inventory]]\nref = \"X\"\n", "c.toml").unwrap_err();
        assert!(e.to_string().contains("source:provider:id"), "{e}");
        let e = Settings::parse("[[secrets.inventory]]\nid = \"X\"\nrotate = 1\n", "c.toml")
            .unwrap_err();
        assert!(e.to_string().contains("rotate"), "{e}");
    }

    #[test]
    fn waiver_dates_are_real_dates_quoted_or_not() {
        let w = |expires: &str| {
            Settings::parse(
                &format!("[[waivers]]\nrule = \"OC203\"\nreason = \"x\"\nexpires = {expires}\nowner = \"sec-team\"\n"),
                "c.toml",
            )
        };
        for (given, want) in [
            ("2027-03-31", "2027-03-31"),
            ("\"2027-03-31\"", "2027-03-31"),
            ("2028-02-29", "2028-02-29"),
        ] {
            let s = w(given).unwrap_or_else(|e| panic!("{given}: {e}"));
            assert_eq!(s.waivers[0].expires.as_deref(), Some(want));
            assert_eq!(s.waivers[0].owner.as_deref(), Some("sec-team"));
        }
        for (given, want) in [
            (
                "\"2027-31-03\"",
                "c.toml:4:11: waiver expiry `2027-31-03` has no month 31",
            ),
            (
                "\"2027-02-30\"",
                "c.toml:4:11: waiver expiry `2027-02-30` is not a date: 2027-02 has 28 days",
            ),
            ("\"2100-02-29\"", "2100-02 has 28 days"),
            (
                "\"next year\"",
                "c.toml:4:11: waiver expiry `next year` is not a date (YYYY-MM-DD)",
            ),
            (
                "2027-03-31T10:00:00",
                "c.toml:4:11: waiver expiry `2027-03-31T10:00:00` is a date and time",
            ),
            (
                "20270331",
                "c.toml:4:11: waiver expiry must be a date (YYYY-MM-DD), got a TOML integer",
            ),
            ("2027-02-30", "c.toml:4:"),
        ] {
            let e = w(given).unwrap_err().to_string();
            assert!(e.contains(want), "{given}: {e}");
        }
    }

    #[test]
    fn unknown_and_ill_typed_keys_name_the_line() {
        let e = Settings::parse("exclude = []\n[limits]\nsensitive_timeout = 5\n", "c.toml")
            .unwrap_err();
        let msg = e.to_string();
        assert!(msg.starts_with("c.toml:3:"), "{msg}");
        assert!(msg.contains("sensitive_timeout"), "{msg}");
        let e =
            Settings::parse("[limits]\nrotation_max_days = \"weekly\"\n", "c.toml").unwrap_err();
        assert!(e.to_string().starts_with("c.toml:2:"), "{e}");
        let e = Settings::parse("[rules.OC999]\nseverity = \"error\"\n", "c.toml").unwrap_err();
        assert!(e.to_string().contains("unknown rule id"), "{e}");
    }
}
