//! The redaction gates: one file's (its secrets and literal credentials)
//! and the settings' secrets, which join the run's gate.

use super::*;

/// The redaction gate of one file: every secret the scanner found in it
/// (`matches`), for a parsed config every literal credential (a credential
/// field's string, a profile secret's `value`), the literal credentials
/// found otherwise (`extra`: a deployment file's variables, an included
/// fragment's literals as the merged config places them) at every string
/// that holds one, and every secret the scanner finds in a key or string of
/// the config or deployment file (`doc`) once its escapes are decoded (a
/// `\u` escape or a line continuation hides it from the scan of the raw
/// bytes), each with its byte span. Each span's text as written (escapes
/// and all) is a secret of the gate too, so that a diff line or any other
/// copy of the raw text is redacted. `showable: false` (a binary file, or
/// one not scanned) shows no excerpt of the file.
pub fn file_redactor(
    bytes: &[u8],
    matches: &[crate::checks::secrets::SecretMatch],
    doc: Option<(&Document, DocKind)>,
    scanner: &crate::checks::secrets::Scanner,
    showable: bool,
    extra: Vec<String>,
) -> crate::redact::Redactor {
    let mut secrets: Vec<String> = Vec::new();
    let mut spans: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    // the spans whose text as written is a secret too
    let mut raw: Vec<std::ops::Range<usize>> = Vec::new();
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
    if let Some((doc, kind)) = doc {
        if kind == DocKind::Config {
            let (root, base) = normalise::unwrap(&doc.value);
            for (path, value) in crate::openclaw::credential_literal_paths(root) {
                let mut pointer = base.to_string();
                for t in &path {
                    pointer.push('/');
                    pointer.push_str(&load::escape_pointer_token(t));
                }
                let form = crate::redact::redact(value.as_bytes());
                let secret = !crate::openclaw::is_placeholder(&value);
                if let Some(sp) = doc.spans.get(&pointer) {
                    spans.push((inner(&sp.value), form));
                    if secret {
                        raw.push(inner(&sp.value));
                    }
                }
                if secret {
                    secrets.push(value);
                }
            }
        }
        let literals: Vec<&str> = extra
            .iter()
            .map(|x| x.trim())
            .filter(|x| x.len() >= crate::redact::MIN_SECRET_LEN)
            .collect();
        let escaped = memchr::memchr(b'\\', bytes).is_some();
        if escaped || !literals.is_empty() {
            for (pointer, sp) in doc.spans.iter() {
                if let Some(k) = sp.key.as_ref().filter(|_| escaped) {
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
                            raw.push(k.clone());
                        }
                    }
                }
                let v = inner(&sp.value);
                let quoted = v.start > sp.value.start;
                let has_escape = quoted && memchr::memchr(b'\\', &bytes[v.clone()]).is_some();
                if !has_escape && literals.is_empty() {
                    continue;
                }
                let Some(Value::String(s)) = crate::load::lookup(&doc.value, pointer) else {
                    continue;
                };
                if has_escape {
                    for m in scanner.scan(s.as_bytes()) {
                        secrets.push(
                            String::from_utf8_lossy(&s.as_bytes()[m.start..m.end]).into_owned(),
                        );
                        spans.push((v.clone(), m.redacted.clone()));
                        raw.push(v.clone());
                    }
                }
                // a literal credential found otherwise, spelled with escapes
                // in a quoted string (`'it''s'`, `"\x41"`): the string's
                // inside is its span, and its text as written a secret (as
                // written verbatim, the gate's needles find it anyway)
                if quoted {
                    let raw_text = &bytes[v.clone()];
                    if let Some(l) = literals
                        .iter()
                        .filter(|l| s.contains(**l))
                        .find(|l| memchr::memmem::find(raw_text, l.as_bytes()).is_none())
                    {
                        spans.push((v.clone(), crate::redact::redact(l.as_bytes())));
                        raw.push(v.clone());
                    }
                }
            }
        }
    }
    // A deployment file's strings are all scanned once decoded (a
    // Dockerfile's JSON-form `CMD ["\u0078oxb-…"]` has no span per word): a
    // secret not written verbatim redacts the span of its nearest value.
    if let Some((doc, DocKind::Deployment)) = doc {
        let mut stack = vec![(String::new(), &doc.value)];
        while let Some((pointer, v)) = stack.pop() {
            match v {
                Value::String(s) => {
                    for m in scanner.scan(s.as_bytes()) {
                        let found = &s.as_bytes()[m.start..m.end];
                        secrets.push(String::from_utf8_lossy(found).into_owned());
                        if memchr::memmem::find(bytes, found).is_some() {
                            continue; // the scan of the raw bytes has it
                        }
                        let mut p = pointer.as_str();
                        let span = loop {
                            if let Some(sp) = doc.spans.get(p) {
                                break Some(sp.value.clone());
                            }
                            match p.rfind('/') {
                                Some(i) => p = &p[..i],
                                None => break None,
                            }
                        };
                        if let Some(r) = span.filter(|r| r.start < r.end) {
                            spans.push((r.clone(), m.redacted.clone()));
                            raw.push(r);
                        }
                    }
                }
                Value::Array(a) => stack.extend(
                    a.iter()
                        .enumerate()
                        .map(|(i, x)| (format!("{pointer}/{i}"), x)),
                ),
                Value::Object(o) => stack.extend(
                    o.iter()
                        .map(|(k, x)| (format!("{pointer}/{}", load::escape_pointer_token(k)), x)),
                ),
                _ => {}
            }
        }
    }
    secrets.extend(extra);
    for r in raw {
        if let Ok(text) = std::str::from_utf8(&bytes[r]) {
            secrets.push(text.to_string());
        }
    }
    let r = crate::redact::Redactor::new(secrets).with_spans(spans);
    if showable {
        r
    } else {
        r.opaque()
    }
}

/// What a document given to [`file_redactor`] is: an OpenClaw config or
/// policy profile (its credential fields are known), or a deployment file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    Config,
    Deployment,
}

/// Every secret clawcheck.toml holds: what the scanner finds in its text and
/// in its waivers' strings once decoded (a reason is shown in every report).
pub fn settings_secrets(
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
        // every key and string once its escapes are decoded (`\u0067hp_…`
        // is a token in a metric's name, quoted in OC221's message)
        if text.contains('\\') {
            if let Ok(table) = text.parse::<toml::Table>() {
                let mut stack: Vec<(Option<&str>, &toml::Value)> = Vec::new();
                for (k, v) in &table {
                    stack.push((Some(k), v));
                }
                while let Some((key, v)) = stack.pop() {
                    if let Some(k) = key {
                        scan(k);
                    }
                    match v {
                        toml::Value::String(s) => scan(s),
                        toml::Value::Array(a) => stack.extend(a.iter().map(|x| (None, x))),
                        toml::Value::Table(t) => {
                            stack.extend(t.iter().map(|(k, x)| (Some(k.as_str()), x)))
                        }
                        _ => {}
                    }
                }
            }
        }
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
