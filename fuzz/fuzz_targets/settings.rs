//! clawcheck.toml: any text is either settings whose sensitivity patterns
//! combine into one regex (they are used unchecked later) or an error at a
//! line:col inside the text; never a panic.
#![no_main]
use clawcheck::config::Settings;
use clawcheck::finding::Severity;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Settings::parse(text, "clawcheck.toml") {
        Ok(s) => {
            let _ = s.sensitivity_regex();
            for rule in s.rules.keys() {
                let _ = s.severity_of(rule, Severity::Warning);
            }
            let _ = s.severity_of("OC201", Severity::Error);
        }
        Err(e) => {
            let shown = e.to_string();
            assert!(shown.contains("clawcheck.toml"), "{shown}");
            let lines = text.split(['\n', '\r']).count();
            if let Some((line, _)) = shown
                .split("clawcheck.toml:")
                .nth(1)
                .and_then(|t| t.split_once(':'))
            {
                if let Ok(line) = line.parse::<usize>() {
                    assert!(line >= 1 && line <= lines.max(1), "{shown}");
                }
            }
        }
    }
});
