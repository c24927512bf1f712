//! The one finding model every check produces and every printer consumes.

use crate::source::Position;
use serde::Serialize;
use std::fmt;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "note" | "info" => Some(Severity::Note),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem at one place. `path` is relative to the working directory when
/// possible, always with `/` separators, so that output is the same on every
/// machine and SARIF URIs are relative.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    pub path: String,
    pub start: Position,
    pub end: Position,
    pub message: String,
    /// JSON Pointer of the config value the finding is about (config checks only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    /// Redacted evidence (secret findings): a short prefix and the length.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    /// Hash of the secret value (secret findings): the same key in two files
    /// has the same `secret_hash`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_hash: Option<String>,
    /// Stable identity across runs and line moves (hash of the rule, the file and
    /// the pointer, or of the secret value for secret findings).
    pub fingerprint: String,
    /// The rule's repair, planned against this file (`check --fix`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<crate::fix::Fix>,
    /// The source line, with any secret on it replaced by its redaction.
    #[serde(skip)]
    pub snippet: Option<String>,
    /// 1-based column (UTF-16 units) of the finding within `snippet`: a long
    /// (e.g. minified) line is shown as a window around the finding, not whole.
    #[serde(skip)]
    pub snippet_column: usize,
    /// Findings of other rules about the same problem at the same place,
    /// folded into this one (a pasted key is one finding, not two): SARIF
    /// `relatedLocations`, JSON `related`. A suppression, waiver or baseline
    /// entry naming a related rule applies to this finding too.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Related>,
    /// Other places the finding is about: a deployment finding names the
    /// config setting it overrides or relies on (SARIF `relatedLocations`,
    /// JSON `places`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub places: Vec<Place>,
}

/// A place a finding refers to besides its own.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Place {
    pub path: String,
    pub line: usize,
    pub column: usize,
    /// What is there (`gateway.bind: "loopback"`).
    pub message: String,
}

/// A finding folded into another (same file).
#[derive(Debug, Clone, Serialize)]
pub struct Related {
    pub rule: String,
    pub start: Position,
    pub end: Position,
    pub message: String,
    pub fingerprint: String,
}

impl Finding {
    /// This finding's rule and the rules folded into it.
    pub fn rules(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.rule.as_str()).chain(self.related.iter().map(|r| r.rule.as_str()))
    }

    /// (rule, fingerprint) of this finding and of the findings folded into it.
    pub fn identities(&self) -> impl Iterator<Item = (&str, &str)> {
        std::iter::once((self.rule.as_str(), self.fingerprint.as_str())).chain(
            self.related
                .iter()
                .map(|r| (r.rule.as_str(), r.fingerprint.as_str())),
        )
    }

    pub fn sort_key(&self) -> (&str, Position, &str, &str) {
        (&self.path, self.start, &self.rule, &self.message)
    }
}

/// Sorts findings into the one canonical order and drops exact duplicates.
pub fn canonicalise(findings: &mut Vec<Finding>) {
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings.dedup_by(|a, b| a.sort_key() == b.sort_key());
}

/// Hex SHA-256 prefix (16 bytes) of the given parts, separated by NUL.
pub fn fingerprint(parts: &[&[u8]]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            h.update([0u8]);
        }
        h.update(p);
    }
    let digest = h.finalize();
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(32);
    for b in &digest[..16] {
        s.push(HEX[usize::from(b >> 4)] as char);
        s.push(HEX[usize::from(b & 15)] as char);
    }
    s
}
