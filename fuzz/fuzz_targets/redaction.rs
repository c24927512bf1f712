//! The redaction gate, as the engine builds it for one file: with a
//! GitHub-shaped token planted anywhere in fuzzed text (the first two bytes
//! pick where), no excerpt of any line, no pointer, no key and no string
//! value of the parsed document ever shows the token once passed through
//! the gate, and what the gate shows of it is at most its redacted form.
#![no_main]
use clawcheck::checks::secrets::Scanner;
use clawcheck::engine::file_redactor;
use clawcheck::load;
use clawcheck::redact::Redactor;
use clawcheck::source::LineIndex;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static SCANNER: OnceLock<Scanner> = OnceLock::new();

fn token(seed: u8) -> String {
    const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut x = 0x9e37_79b9_7f4a_7c15u64 ^ u64::from(seed);
    let body: String = (0..40)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            ALNUM[(x % 62) as usize] as char
        })
        .collect();
    ["gh", "p_", &body].concat()
}

fuzz_target!(|data: &[u8]| {
    let scanner = SCANNER.get_or_init(Scanner::new);
    let [seed, at, rest @ ..] = data else {
        return;
    };
    let secret = token(*seed);
    let at = (*at as usize * rest.len()) / 255;
    let mut file = rest[..at].to_vec();
    file.extend_from_slice(format!("\"{secret}\"").as_bytes());
    file.extend_from_slice(&rest[at..]);
    let matches = scanner.scan_path(&file, std::path::Path::new("openclaw.json"));
    let parsed = load::parse(&file).ok();
    let gate = file_redactor(&file, &matches, parsed.as_ref(), scanner, true);
    // the run's gate: every secret of the file, applied to every text shown
    let run = Redactor::new(gate.secrets().iter().cloned());
    let lines = LineIndex::new(&file);
    let shown = |what: &str, text: &str| {
        let out = run.text(text);
        assert!(!out.contains(&secret), "{what} shows the secret: {out:?}");
    };
    for l in 0..lines.line_count() {
        let r = lines.line_range(&file, l);
        if let Some(e) = gate.excerpt(&file, r) {
            shown("a line", &e);
        }
    }
    if let Some(e) = gate.excerpt(&file, 0..file.len()) {
        shown("the file", &e);
    }
    if let Some(doc) = parsed {
        for pointer in doc.spans.keys() {
            shown("a pointer", pointer);
            if let Some(serde_json::Value::String(s)) = doc.value.pointer(pointer) {
                shown("a string value", s);
            }
        }
    }
});
