//! `check --fix`: the repairs a rule offers, planned as byte-range text edits
//! of the file as the user wrote it (comments, trailing commas, quoting and
//! indentation kept). `crate::autofix` applies them.
//!
//! A policy describes its fix in the `fix` object of its `deny` entry, beside
//! the finding it repairs (see `policies/*/OCxxx.rego`); the Rust rules
//! (OC101 duplicates, OC104 removed keys) build the same [`FixSpec`].
//! [`edit::plan`] turns a spec into edits against the parsed document.

pub mod edit;

use crate::source::Position;
use serde::Serialize;
use serde_json::Value;

/// Whether a fix may be applied without a human deciding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Cannot stop a working deployment from starting or serving (`--fix`).
    Safe,
    /// Changes behaviour a deployment may rely on (`--unsafe-fixes`).
    Unsafe,
    /// Guidance only: no edit.
    Manual,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
            Applicability::Manual => "manual",
        }
    }
}

/// What to change. Values are kept as canonical JSON text so that a spec is
/// ordered and compared like the raw finding that carries it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Op {
    /// Set the value at the pointer (inserting the key, and missing parent
    /// objects, when absent).
    Set(String),
    /// Remove the member at the pointer.
    Remove,
    /// Rename the member's key (a migration).
    Rename(String),
    /// Replace a literal credential by a reference to an environment variable
    /// named after its path: a SecretRef or `${VAR}` by dialect, or always
    /// `${VAR}` (`true`) for fields that take only strings.
    SecretRef { template: bool },
    /// No edit: the reason says what to do.
    Manual,
}

/// A rule's fix for one finding, as its policy describes it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FixSpec {
    pub op: Op,
    /// The value the fix changes (default: the finding's pointer).
    pub pointer: Option<String>,
    pub applicability: Applicability,
    /// One line: what the fix does and why it is (un)safe.
    pub reason: String,
}

/// Longest `reason` a policy may give.
const MAX_REASON: usize = 300;

impl FixSpec {
    /// Reads a `deny` entry's `fix` object: exactly one of `set` (any value),
    /// `remove: true`, `rename: "newKey"`, `secret_ref: true` (or `"template"`),
    /// `manual: true`;
    /// `applicability` (`safe`, `unsafe`, `manual`); `reason` (one line);
    /// optionally `pointer`.
    pub fn from_json(v: &Value) -> Result<FixSpec, String> {
        let o = v
            .as_object()
            .ok_or("`fix` is not an object: `{\"set\": VALUE, \"applicability\": \"safe\", \"reason\": \"...\"}`")?;
        for k in o.keys() {
            if ![
                "set",
                "remove",
                "rename",
                "secret_ref",
                "manual",
                "pointer",
                "applicability",
                "reason",
            ]
            .contains(&k.as_str())
            {
                return Err(format!("`fix` has an unknown key `{k}`"));
            }
        }
        let mut ops = Vec::new();
        if let Some(v) = o.get("set") {
            ops.push(Op::Set(v.to_string()));
        }
        if o.get("remove") == Some(&Value::Bool(true)) {
            ops.push(Op::Remove);
        }
        if let Some(r) = o.get("rename") {
            let r = r
                .as_str()
                .filter(|s| !s.is_empty())
                .ok_or("`fix.rename` is not a key name")?;
            ops.push(Op::Rename(r.to_string()));
        }
        match o.get("secret_ref") {
            None => {}
            Some(Value::Bool(true)) => ops.push(Op::SecretRef { template: false }),
            Some(Value::String(s)) if s == "template" => ops.push(Op::SecretRef { template: true }),
            Some(_) => return Err("`fix.secret_ref` is `true` or `\"template\"`".into()),
        }
        if o.get("manual") == Some(&Value::Bool(true)) {
            ops.push(Op::Manual);
        }
        if ops.len() != 1 {
            return Err("`fix` needs exactly one of `set`, `remove: true`, `rename`, `secret_ref: true`, `manual: true`".into());
        }
        let applicability = match o.get("applicability").and_then(Value::as_str) {
            Some("safe") => Applicability::Safe,
            Some("unsafe") => Applicability::Unsafe,
            Some("manual") => Applicability::Manual,
            _ => return Err("`fix.applicability` is not one of `safe`, `unsafe`, `manual`".into()),
        };
        let op = ops.remove(0);
        if (op == Op::Manual) != (applicability == Applicability::Manual) {
            return Err(
                "`fix`: `manual: true` goes with `applicability: \"manual\"` and only with it"
                    .into(),
            );
        }
        let reason = o
            .get("reason")
            .and_then(Value::as_str)
            .filter(|r| !r.trim().is_empty() && r.len() <= MAX_REASON && !r.contains('\n'))
            .ok_or("`fix.reason` must be one line of at most 300 bytes")?
            .to_string();
        let pointer = match o.get("pointer") {
            None => None,
            Some(Value::String(p)) if p.is_empty() || p.starts_with('/') => Some(p.clone()),
            Some(_) => return Err("`fix.pointer` is not a JSON pointer".into()),
        };
        Ok(FixSpec {
            op,
            pointer,
            applicability,
            reason,
        })
    }
}

/// One replacement: the bytes `range` of the file become `text`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    #[serde(skip)]
    pub range: std::ops::Range<usize>,
    /// Where the replaced text starts and ends (1-based, UTF-16 columns).
    pub start: Position,
    pub end: Position,
    pub text: String,
}

/// A finding's fix, planned against the file it was found in.
#[derive(Debug, Clone, Serialize)]
pub struct Fix {
    pub applicability: Applicability,
    pub reason: String,
    /// Empty for a manual fix.
    pub edits: Vec<Edit>,
    /// The environment variable a credential fix makes the config read: the
    /// user sets it to the secret.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub env_var: Option<String>,
}

/// What `--fix` (or `--diff`) did to one file.
#[derive(Debug, Clone, Serialize)]
pub struct FileFixes {
    pub path: String,
    /// Fixes applied (or, with `--diff`, that would be).
    pub fixed: Vec<Applied>,
    /// Fixes refused because the result would not be a valid config.
    pub dropped: Vec<Applied>,
    /// Environment variables the fixed file now reads: set them to the secrets.
    pub env_vars: Vec<String>,
    /// Findings left in the file (filled in from the run's report).
    pub remaining: usize,
    /// Why the file was not written, when it was not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Unified diff of the change (redacted), for `--diff`.
    #[serde(skip)]
    pub diff: String,
}

/// One fix, as reported.
#[derive(Debug, Clone, Serialize)]
pub struct Applied {
    pub rule: String,
    /// Line of the finding in the file the fix was planned against.
    pub line: usize,
    pub applicability: Applicability,
    pub reason: String,
}

/// Which fixes `check` applies.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Also apply unsafe fixes (`--unsafe-fixes`).
    pub unsafe_fixes: bool,
    /// Only these rules (`--fix-only`); empty = every rule.
    pub only: Vec<String>,
}

impl Selection {
    pub fn wants(&self, rule: &str, fix: &Fix) -> bool {
        let level = match fix.applicability {
            Applicability::Safe => true,
            Applicability::Unsafe => self.unsafe_fixes,
            Applicability::Manual => false,
        };
        level
            && !fix.edits.is_empty()
            && (self.only.is_empty() || self.only.iter().any(|r| r.eq_ignore_ascii_case(rule)))
    }
}

/// Positions the planned edits in the file.
fn positioned(
    edits: Vec<(std::ops::Range<usize>, String)>,
    bytes: &[u8],
    lines: &crate::source::LineIndex,
) -> Vec<Edit> {
    edits
        .into_iter()
        .map(|(range, text)| Edit {
            start: lines.position(bytes, range.start),
            end: lines.position(bytes, range.end),
            range,
            text,
        })
        .collect()
}

/// The fix of a duplicate key (OC101): the earlier member, which OpenClaw
/// ignores, is removed.
pub fn duplicate(
    doc: &crate::load::Document,
    bytes: &[u8],
    lines: &crate::source::LineIndex,
    first_key: std::ops::Range<usize>,
) -> Option<Fix> {
    let edits = edit::remove_earlier_duplicate(doc, bytes, first_key)?;
    Some(Fix {
        applicability: Applicability::Safe,
        reason: "removes the earlier member: OpenClaw already ignores it and keeps the later value"
            .into(),
        edits: positioned(edits, bytes, lines),
        env_var: None,
    })
}

/// Plans `spec` for a finding at `pointer` of the parsed file `bytes`.
pub fn plan(
    spec: &FixSpec,
    pointer: &str,
    doc: &crate::load::Document,
    bytes: &[u8],
    lines: &crate::source::LineIndex,
    dialect: crate::normalise::Dialect,
) -> Option<Fix> {
    let planned = edit::plan(spec, pointer, doc, bytes, dialect)?;
    Some(Fix {
        applicability: spec.applicability,
        reason: spec.reason.clone(),
        edits: positioned(planned.edits, bytes, lines),
        env_var: planned.env_var,
    })
}
