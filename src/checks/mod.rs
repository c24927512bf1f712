//! Checks: independent modules that turn a loaded file into raw findings.

pub mod live;
pub mod policy;
pub mod refine;
pub mod schema;
pub mod secrets;

use crate::finding::Severity;

/// A finding before it is placed: the pointer is mapped to a line and column
/// by the engine, which also applies severity overrides.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RawFinding {
    pub rule: String,
    pub pointer: String,
    pub message: String,
    /// Overrides the rule's default severity (user policies, dialect-specific levels).
    pub severity: Option<Severity>,
    /// The rule's repair for this finding (`check --fix`).
    pub fix: Option<crate::fix::FixSpec>,
    /// Other places the finding names (`related` in a `deny` entry).
    pub places: Vec<crate::finding::Place>,
}
