//! The secret scanner: never panics, every match lies inside the input with
//! start < end, and its redacted form never holds the whole value.
#![no_main]
use clawcheck::checks::secrets::{Scanner, Syntax};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static SCANNER: OnceLock<Scanner> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let scanner = SCANNER.get_or_init(Scanner::new);
    // the first byte picks the syntax the generic rule assumes
    let (syntax, text) = match data.split_first() {
        Some((b, rest)) => (
            match b % 3 {
                0 => Syntax::Unknown,
                1 => Syntax::Code,
                _ => Syntax::Config,
            },
            rest,
        ),
        None => (Syntax::Unknown, data),
    };
    for m in scanner.scan_as(text, syntax) {
        assert!(m.start < m.end && m.end <= text.len(), "{m:?}");
        let value = &text[m.start..m.end];
        if value.len() >= clawcheck::redact::MIN_SECRET_LEN {
            let shown = String::from_utf8_lossy(value);
            assert!(!m.redacted.contains(&*shown), "{m:?}");
        }
        assert!(m.fingerprint.starts_with("sha256:"));
    }
});
