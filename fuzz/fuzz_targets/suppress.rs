//! Inline `clawcheck:allow` directives: never a panic; a reason never runs
//! past its line end (CR, LF or CRLF); every finding a directive raises
//! lies inside the file; a suppressed finding is one that was there.
#![no_main]
use clawcheck::config::Settings;
use clawcheck::finding::{Finding, Severity};
use clawcheck::redact::Redactor;
use clawcheck::source::{LineIndex, Position};
use clawcheck::suppress::{apply_inline, Source, Suppressed};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let lines = LineIndex::new(data);
    let gate = Redactor::new(Vec::<String>::new());
    let excerpt = |r: std::ops::Range<usize>| gate.excerpt(data, r);
    // one finding per line (of a few rules), for directives to suppress
    let mut findings: Vec<Finding> = (0..lines.line_count().min(64))
        .map(|l| {
            let at = Position {
                line: l + 1,
                column: 1,
            };
            Finding {
                rule: ["OC201", "OC203", "OC311", "OC005"][l % 4].into(),
                severity: Severity::Warning,
                path: "f.json".into(),
                start: at,
                end: at,
                message: "m".into(),
                pointer: None,
                evidence: None,
                secret_hash: None,
                fingerprint: format!("fp{l}"),
                snippet: None,
                snippet_column: 1,
            }
        })
        .collect();
    let before = findings.len();
    let mut suppressed: Vec<Suppressed> = Vec::new();
    let settings = Settings::default();
    apply_inline(
        &Source {
            display: "f.json",
            bytes: data,
            lines: &lines,
            excerpt: &excerpt,
        },
        &mut findings,
        &mut suppressed,
        &settings,
        &|_| true,
    );
    for s in &suppressed {
        assert!(!s.reason.contains(['\n', '\r']), "{:?}", s.reason);
        assert!(s.finding.fingerprint.starts_with("fp"));
    }
    let raised = findings.iter().filter(|f| !f.fingerprint.starts_with("fp"));
    assert_eq!(
        findings.len() - raised.clone().count() + suppressed.len(),
        before
    );
    for f in raised {
        assert!(
            ["OC004", "OC006", "OC007"].contains(&f.rule.as_str()),
            "{f:?}"
        );
        assert!(f.start <= f.end, "{f:?}");
        let last = lines.position(data, data.len());
        assert!(f.end <= last, "{f:?}");
        if let Some(s) = &f.snippet {
            assert!(!s.contains(['\n', '\r']), "{s:?}");
        }
    }
});
