//! Printers: one finding model, many formats.

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
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

/// The live run in every format: layers, per-agent figures, notes (not the
/// metrics text, which is only for scraping).
pub fn live_summary(live: &crate::checks::live::LiveReport) -> serde_json::Value {
    serde_json::json!({
        "layers": live.layers,
        "agents": live.agents,
        "metrics_port": live.metrics_port,
        "isolated_well_behaved_median_ms": live.isolated_well_behaved_median_ms,
        "plain_well_behaved_median_ms": live.plain_well_behaved_median_ms,
        "notes": live.notes,
    })
}
