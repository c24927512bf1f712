//! Control status for the compliance reports (html, oscal): which entries of
//! each framework (NIST SP 800-53 controls, OWASP risks, ISO/SOC 2 controls,
//! CWE, ...; `crate::rules::frameworks`) the run assessed, and what the
//! findings say about each.
//!
//! An entry is assessed when a rule that evidences it (`Rule::mappings`) was
//! applied. It is *not satisfied* when such a rule has an active warning or
//! error, *waived* when its only such findings are suppressed (inline or by a
//! waiver, each with a reason; a `--baseline` hides nothing here: baselined
//! findings fail the control), and *satisfied* otherwise: notes are
//! informational (e.g. OC220 "no monitoring section here", which a profile may
//! keep in another file), so they are listed but do not fail a control.

use crate::finding::Severity;
use crate::report::model::Report;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Satisfied,
    NotSatisfied,
    Waived,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Satisfied => "satisfied",
            State::NotSatisfied => "not satisfied",
            State::Waived => "waived",
        }
    }
}

#[derive(Debug)]
pub struct Control {
    /// The entry's id in its framework; for NIST the OSCAL id, e.g. `ia-5.1`.
    pub id: &'static str,
    /// The applied rules that evidence it, in id order.
    pub rules: Vec<&'static str>,
    /// Indices into `Report::findings`.
    pub findings: Vec<usize>,
    /// Indices into `Report::suppressed`.
    pub suppressed: Vec<usize>,
}

impl Control {
    pub fn state(&self, report: &Report) -> State {
        let counts = |s: Severity| s > Severity::Note;
        // A baseline only hides known findings from a pull-request gate; they
        // are still there, so they fail the control like active ones.
        let baselined = |i: &usize| {
            let s = &report.suppressed[*i];
            s.kind == "baseline" && counts(s.finding.severity)
        };
        if self
            .findings
            .iter()
            .any(|&i| counts(report.findings[i].severity))
            || self.suppressed.iter().any(baselined)
        {
            State::NotSatisfied
        } else if self
            .suppressed
            .iter()
            .any(|&i| counts(report.suppressed[i].finding.severity))
        {
            State::Waived
        } else {
            State::Satisfied
        }
    }
}

/// Every assessed NIST SP 800-53 control in NIST order.
pub fn controls(report: &Report) -> Vec<Control> {
    assess(report, crate::rules::frameworks::NIST)
}

/// Every assessed entry of the framework `key`, in its table's order (for
/// NIST, NIST's order). Rules of findings count as applied too, so a report
/// built without `assessed_rules` still names its controls.
pub fn assess(report: &Report, key: &str) -> Vec<Control> {
    let Some(framework) = crate::rules::frameworks::get(key) else {
        return Vec::new();
    };
    let mut applied: Vec<&str> = report.assessed_rules.clone();
    applied.extend(report.findings.iter().map(|f| f.rule.as_str()));
    applied.extend(report.suppressed.iter().map(|s| s.finding.rule.as_str()));
    applied.sort_unstable();
    applied.dedup();
    // Finding indices per rule, built once rather than per (rule, control).
    let mut findings_of: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, f) in report.findings.iter().enumerate() {
        findings_of.entry(&f.rule).or_default().push(i);
    }
    let mut suppressed_of: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, s) in report.suppressed.iter().enumerate() {
        suppressed_of.entry(&s.finding.rule).or_default().push(i);
    }
    let position = |id: &str| framework.entries.iter().position(|(e, _)| *e == id);
    let mut by_id: BTreeMap<usize, Control> = BTreeMap::new();
    for rule in applied.iter().filter_map(|id| crate::rules::get(id)) {
        let ids = rule
            .mappings()
            .into_iter()
            .filter(|(f, _)| f.key == framework.key);
        for (_, id) in ids {
            // The registry's test keeps every mapped id in its table.
            let Some(pos) = position(id) else { continue };
            let c = by_id.entry(pos).or_insert_with(|| Control {
                id,
                rules: Vec::new(),
                findings: Vec::new(),
                suppressed: Vec::new(),
            });
            c.rules.push(rule.id);
            c.findings
                .extend(findings_of.get(rule.id).into_iter().flatten());
            c.suppressed
                .extend(suppressed_of.get(rule.id).into_iter().flatten());
        }
    }
    by_id.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Finding;
    use crate::source::Position;
    use crate::suppress::Suppressed;

    fn finding(rule: &str) -> Finding {
        let at = Position { line: 1, column: 1 };
        Finding {
            rule: rule.into(),
            severity: crate::finding::Severity::Error,
            path: "a.json".into(),
            start: at,
            end: at,
            message: "m".into(),
            pointer: None,
            evidence: None,
            secret_hash: None,
            fingerprint: "f".into(),
            fix: None,
            snippet: None,
            snippet_column: 1,
            related: Vec::new(),
            places: Vec::new(),
        }
    }

    #[test]
    fn findings_decide_the_state() {
        let report = Report {
            assessed_rules: vec!["OC203", "OC212"],
            findings: vec![finding("OC203")],
            suppressed: vec![Suppressed {
                finding: finding("OC212"),
                kind: "waiver",
                reason: "migration".into(),
                owner: None,
                expires: None,
            }],
            ..Report::default()
        };
        let cs = controls(&report);
        let ids: Vec<_> = cs.iter().map(|c| (c.id, c.state(&report))).collect();
        assert_eq!(
            ids,
            [
                ("ac-12", State::NotSatisfied),
                ("ia-5", State::Waived),
                ("ia-5.1", State::Waived),
                ("sc-10", State::NotSatisfied),
                ("sc-12", State::Waived),
            ]
        );
        let mut note = report;
        note.findings[0].severity = Severity::Note;
        assert_eq!(controls(&note)[0].state(&note), State::Satisfied);
    }
}
