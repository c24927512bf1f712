//! The redaction gates: one file's (its secrets and literal credentials)
//! and the settings' secrets, which join the run's gate.

use super::*;

/// The redaction gate of one file: every secret the scanner found in it
/// (`matches`), and for a parsed config every literal credential (a
/// credential field's string, a profile secret's `value`) and every secret
/// the scanner finds in a key or string once its escapes are decoded (a
/// `\u` escape or a line continuation hides it from the scan of the raw
/// bytes), each with its byte span. `showable: false` (a binary file, or
/// one not scanned) shows no excerpt of the file.
pub fn file_redactor(
    bytes: &[u8],
    matches: &[crate::checks::secrets::SecretMatch],
    doc: Option<&Document>,
    scanner: &crate::checks::secrets::Scanner,
    showable: bool,
    // literal credentials found otherwise (a deployment file's variables)
    extra: Vec<String>,
) -> crate::redact::Redactor {
    let mut secrets: Vec<String> = extra;
    let mut spans: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for m in matches {
        secrets.push(String::from_utf8_lossy(&bytes[m.start..m.end]).into_owned());
        spans.push((m.start..m.end, m.redacted.clone()));
    }
    // The inside of a quoted string or key.
    let inner = |r: &std::ops::Range<usize>| {
        let r = r.start.min(bytes.len())..r.end.min(bytes.len());
        match (bytes.get(r.start), r.len() >= 2) {
            (Some(&q @ (b'"' | b'\'')), true) if bytes[r.end - 1] == q => r.start + 1..r.end - 1,
            _ => r,
        }
    };
    if let Some(doc) = doc {
        let (root, base) = normalise::unwrap(&doc.value);
        for (path, value) in crate::openclaw::credential_literal_paths(root) {
            let mut pointer = base.to_string();
            for t in &path {
                pointer.push('/');
                pointer.push_str(&load::escape_pointer_token(t));
            }
            let form = crate::redact::redact(value.as_bytes());
            if let Some(sp) = doc.spans.get(&pointer) {
                spans.push((inner(&sp.value), form));
            }
            if !crate::openclaw::is_placeholder(&value) {
                secrets.push(value);
            }
        }
        if memchr::memchr(b'\\', bytes).is_some() {
            for (pointer, sp) in doc.spans.iter() {
                if let Some(k) = &sp.key {
                    let k = inner(k);
                    if memchr::memchr(b'\\', &bytes[k.clone()]).is_some() {
                        let token = pointer.rsplit('/').next().unwrap_or("");
                        let key = token.replace("~1", "/").replace("~0", "~");
                        for m in scanner.scan(key.as_bytes()) {
                            secrets.push(
                                String::from_utf8_lossy(&key.as_bytes()[m.start..m.end])
                                    .into_owned(),
                            );
                            spans.push((k.clone(), m.redacted.clone()));
                        }
                    }
                }
                let v = inner(&sp.value);
                let quoted = v.start > sp.value.start;
                if quoted && memchr::memchr(b'\\', &bytes[v.clone()]).is_some() {
                    if let Some(Value::String(s)) = crate::load::lookup(&doc.value, pointer) {
                        for m in scanner.scan(s.as_bytes()) {
                            secrets.push(
                                String::from_utf8_lossy(&s.as_bytes()[m.start..m.end]).into_owned(),
                            );
                            spans.push((v.clone(), m.redacted.clone()));
                        }
                    }
                }
            }
        }
    }
    let r = crate::redact::Redactor::new(secrets).with_spans(spans);
    if showable {
        r
    } else {
        r.opaque()
    }
}

/// Every secret clawcheck.toml holds: what the scanner finds in its text and
/// in its waivers' strings once decoded (a reason is shown in every report).
pub(super) fn settings_secrets(
    settings: &Settings,
    scanner: &crate::checks::secrets::Scanner,
) -> Vec<String> {
    let mut out = Vec::new();
    let mut scan = |s: &str| {
        for m in scanner.scan(s.as_bytes()) {
            out.push(String::from_utf8_lossy(&s.as_bytes()[m.start..m.end]).into_owned());
        }
    };
    if let Some((path, text)) = &settings.source {
        scan(path);
        scan(text);
    }
    for w in &settings.waivers {
        scan(&w.rule);
        scan(&w.reason);
        if let Some(o) = &w.owner {
            scan(o);
        }
        if let Some(p) = &w.path {
            scan(p);
        }
    }
    out
}
