//! Printers: one finding model, many formats.

pub mod human;
pub mod json;
pub mod sarif;

use crate::engine::Report;
use crate::finding::Severity;

/// Counts of findings per severity.
pub fn counts(report: &Report) -> (usize, usize, usize) {
    let mut c = (0, 0, 0);
    for f in &report.findings {
        match f.severity {
            Severity::Error => c.0 += 1,
            Severity::Warning => c.1 += 1,
            Severity::Note => c.2 += 1,
        }
    }
    c
}
