//! The redaction gates: one file's (its secrets and literal credentials)
//! and the settings' secrets, which join the run's gate.

use super::*;

/// The secrets the scanner finds in a key or quoted string of a parsed
/// config or deployment file (`doc`) once its escapes are decoded, and not
/// in the bytes as written (a `\u` escape or a line continuation hides them
/// from the scan of the raw bytes): each placed at the key's or string's
/// inside as written, sorted. The gate ([`file_redactor`]) redacts the same
/// spans; these are the findings.
pub fn decoded_secrets(
    bytes: &[u8],
    doc: &Document,
    scanner: &crate::checks::secrets::Scanner,
    found: &[crate::checks::secrets::SecretMatch],
) -> Vec<crate::checks::secrets::SecretMatch> {
    let mut out = Vec::new();
    if memchr::memchr(b'\\', bytes).is_none() {
        return out;
    }
    let inner = |r: &std::ops::Range<usize>| {
        let r = r.start.min(bytes.len())..r.end.min(bytes.len());
        match (bytes.get(r.start), r.len() >= 2) {
            (Some(&q @ (b'"' | b'\'')), true) if bytes[r.end - 1] == q => {
                Some(r.start + 1..r.end - 1)
            }
            _ => None,
        }
    };
    for (pointer, sp) in doc.spans.iter() {
        let key = sp.key.as_ref().and_then(inner).map(|k| {
            let token = pointer.rsplit('/').next().unwrap_or("");
            (k, load::unescape_pointer_token(token).into_owned())
        });
        let value = inner(&sp.value).and_then(|v| match crate::load::lookup(&doc.value, pointer) {
            Some(Value::String(s)) => Some((v, s.clone())),
            _ => None,
        });
        for (range, text) in key.into_iter().chain(value) {
            if memchr::memchr(b'\\', &bytes[range.clone()]).is_none()
                || found
                    .iter()
                    .any(|m| m.start < range.end && range.start < m.end)
            {
                continue;
            }
            for m in scanner.scan(text.as_bytes()) {
                out.push(crate::checks::secrets::SecretMatch {
                    start: range.start,
                    end: range.end,
                    ..m
                });
            }
        }
    }
    out.sort_by(|a, b| (a.start, a.end, a.rule).cmp(&(b.start, b.end, b.rule)));
    out.dedup_by(|a, b| (a.start, a.end, a.rule) == (b.start, b.end, b.rule));
    out
}

/// The secrets the scanner finds in `bytes` once its numeric character
/// references (`&#115;`, `&#x67;`: HTML, XML, SVG) are decoded, and not as
/// written (`found`): each placed over the bytes it was written with. Only
/// for a file with a reference that stands for a character a token may
/// hold (a letter, a digit, `-`, `_`), at most 16 MiB.
pub fn entity_secrets(
    bytes: &[u8],
    path: &std::path::Path,
    scanner: &crate::checks::secrets::Scanner,
    found: &[crate::checks::secrets::SecretMatch],
) -> Vec<crate::checks::secrets::SecretMatch> {
    // (start, end, character) of each reference
    let reference = |at: usize| -> Option<(usize, char)> {
        let rest = bytes.get(at + 2..bytes.len().min(at + 12))?;
        let (hex, digits) = match rest.first() {
            Some(b'x' | b'X') => (true, &rest[1..]),
            _ => (false, rest),
        };
        let n = digits
            .iter()
            .take_while(|b| {
                if hex {
                    b.is_ascii_hexdigit()
                } else {
                    b.is_ascii_digit()
                }
            })
            .count();
        if n == 0 || digits.get(n) != Some(&b';') {
            return None;
        }
        let text = std::str::from_utf8(&digits[..n]).ok()?;
        let c = char::from_u32(u32::from_str_radix(text, if hex { 16 } else { 10 }).ok()?)?;
        Some((at + 2 + usize::from(hex) + n + 1, c))
    };
    let token_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    if bytes.len() > 16 << 20
        || !memchr::memmem::find_iter(bytes, b"&#")
            .any(|at| reference(at).is_some_and(|(_, c)| token_char(c)))
    {
        return Vec::new();
    }
    // the decoded text, and for each of its bytes where it was written
    let mut text = Vec::with_capacity(bytes.len());
    let mut from: Vec<(u32, u32)> = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i] == b'&' && bytes.get(i + 1) == Some(&b'#'))
            .then(|| reference(i))
            .flatten()
        {
            Some((end, c)) => {
                let mut buf = [0u8; 4];
                for &b in c.encode_utf8(&mut buf).as_bytes() {
                    text.push(b);
                    from.push((i as u32, end as u32));
                }
                i = end;
            }
            None => {
                text.push(bytes[i]);
                from.push((i as u32, i as u32 + 1));
                i += 1;
            }
        }
    }
    let mut out = Vec::new();
    for m in scanner.scan_path(&text, path) {
        let (start, end) = (from[m.start].0 as usize, from[m.end - 1].1 as usize);
        // written as decoded: the scan of the bytes found it, or not a secret
        if end - start == m.end - m.start || found.iter().any(|f| f.start < end && start < f.end) {
            continue;
        }
        out.push(crate::checks::secrets::SecretMatch { start, end, ..m });
    }
    out
}

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
        // The generic rule ends an unquoted value at `&`, `;`, `,`, ... (a
        // URL's query, a list); a YAML, INI or `.env` value may go on: its
        // excerpt is redacted up to the next blank or quote (more, never
        // less; at most 256 bytes on).
        let mut end = m.end;
        if m.family == "generic" {
            while end < bytes.len()
                && end - m.end < 256
                && !bytes[end].is_ascii_whitespace()
                && !matches!(bytes[end], b'"' | b'\'' | b'`')
            {
                end += 1;
            }
        }
        spans.push((m.start..end, m.redacted.clone()));
    }
    // both passes below search the strings for the same literals
    let literals = Literals::new(&extra, bytes.len());
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
        let escaped = memchr::memchr(b'\\', bytes).is_some();
        // the bytes the extents of multi-line YAML scalars may look at in
        // all: past it, an extent runs to the end of the file (redacting
        // more, never less)
        let mut extent_budget = bytes.len().saturating_mul(4).max(1 << 20);
        // every span's start, sorted (made when a YAML extent needs it)
        let starts: std::cell::OnceCell<Vec<usize>> = std::cell::OnceCell::new();
        if escaped || !literals.is_empty() {
            for (pointer, sp) in doc.spans.iter() {
                if let Some(k) = sp.key.as_ref().filter(|_| escaped) {
                    let k = inner(k);
                    if memchr::memchr(b'\\', &bytes[k.clone()]).is_some() {
                        let token = pointer.rsplit('/').next().unwrap_or("");
                        let key = load::unescape_pointer_token(token);
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
                // in a quoted string (`'it''s'`, `"\x41"`) or, in a
                // deployment file, written over several lines (a YAML block
                // scalar, a continued Dockerfile line, a multi-line `.env`
                // value): the string's inside is its span (every line it
                // runs over), and its text as written a secret (as written
                // verbatim on one line, the gate's needles find it anyway)
                if !(quoted || kind != DocKind::Config) {
                    continue;
                }
                let mut held = literals.held(s);
                if held.is_empty() && kind != DocKind::Config {
                    // a deployment file's command line holds its literals
                    // as the shell reads its words (`--token 'a'\''b'`)
                    held = literals.held(&crate::deploy::text::words(s).join(" "));
                }
                if held.is_empty() {
                    continue;
                }
                let v = if kind == DocKind::YamlDeployment && !quoted {
                    let anchor = sp.key.as_ref().map_or(sp.value.start, |k| k.start);
                    let lines =
                        yaml_scalar_extent(bytes, sp.value.start, anchor, &mut extent_budget);
                    // in a flow collection (`{K: a\n  b, L: c}`) a scalar's
                    // lines may be indented less than its key: it runs to
                    // where the next value or key starts
                    let starts = starts.get_or_init(|| {
                        let mut all: Vec<usize> = doc
                            .spans
                            .iter()
                            .flat_map(|(_, s)| {
                                [s.key.as_ref().map(|k| k.start), Some(s.value.start)]
                            })
                            .flatten()
                            .collect();
                        all.sort_unstable();
                        all
                    });
                    let next = starts
                        .get(starts.partition_point(|&x| x <= sp.value.start))
                        .copied()
                        .unwrap_or(lines.end)
                        .min(bytes.len());
                    let mut end = next.max(lines.start);
                    while end > lines.start
                        && matches!(bytes[end - 1], b' ' | b'\t' | b'\n' | b'\r' | b',')
                    {
                        end -= 1;
                    }
                    lines.start..lines.end.max(end)
                } else {
                    v
                };
                // not as written, or over several lines (a line's excerpt
                // holds only part of it)
                if let Some(l) = literals.not_verbatim(&held, &bytes[v.clone()]) {
                    spans.push((v.clone(), crate::redact::redact(l.as_bytes())));
                    raw.push(v.clone());
                }
            }
        }
    }
    // A deployment file's strings are all scanned once decoded (a
    // Dockerfile's JSON-form `CMD ["\u0078oxb-…"]` has no span per word): a
    // secret not written verbatim redacts the span of its nearest value.
    // So is a literal credential in a string without a span of its own (a
    // word of a continued exec-form `CMD`) that its nearest value does not
    // hold verbatim on one line.
    if let Some((doc, DocKind::Deployment | DocKind::YamlDeployment)) = doc {
        let nearest = |pointer: &str| {
            let mut p = pointer;
            loop {
                if let Some(sp) = doc.spans.get(p) {
                    break Some(sp.value.clone());
                }
                match p.rfind('/') {
                    Some(i) => p = &p[..i],
                    None => break None,
                }
            }
            .filter(|r| r.start < r.end && r.end <= bytes.len())
        };
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
                        if let Some(r) = nearest(&pointer) {
                            spans.push((r.clone(), m.redacted.clone()));
                            raw.push(r);
                        }
                    }
                    if doc.spans.get(&pointer).is_some() {
                        continue; // its own span is judged above
                    }
                    let held = literals.held(s);
                    if held.is_empty() {
                        continue;
                    }
                    let Some(r) = nearest(&pointer) else { continue };
                    if let Some(l) = literals.not_verbatim(&held, &bytes[r.clone()]) {
                        spans.push((r.clone(), crate::redact::redact(l.as_bytes())));
                        raw.push(r);
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
    // a password in a URL (`scheme://user:password@host`), whether or not
    // the scanner judged it one. A placeholder or a short lower-case word
    // (`joe:password@`) is redacted at its place only: as a needle of the
    // run's gate it would cut the same word out of every path and message.
    for (at, pw) in url_passwords(bytes) {
        let word = pw.len() <= 12 && pw.bytes().all(|b| b.is_ascii_lowercase());
        if word || crate::openclaw::is_placeholder(&pw) {
            spans.push((at, crate::redact::redact(pw.as_bytes())));
        } else {
            secrets.push(pw);
        }
    }
    // A secret longer than an excerpt looks around itself for: every place
    // it is written is a span (an excerpt of its middle shows its form).
    let long: Vec<&str> = secrets
        .iter()
        .map(String::as_str)
        .filter(|s| s.len() > crate::redact::EXCERPT_REACH)
        .collect();
    let matcher = (!long.is_empty())
        .then(|| {
            aho_corasick::AhoCorasick::builder()
                .match_kind(aho_corasick::MatchKind::LeftmostLongest)
                .build(&long)
                .ok()
        })
        .flatten();
    if let Some(m) = matcher {
        for hit in m.find_iter(bytes) {
            let form = crate::redact::redact(long[hit.pattern().as_usize()].as_bytes());
            spans.push((hit.start()..hit.end(), form));
        }
    }
    let r = crate::redact::Redactor::new(secrets)
        .with_spans(spans)
        .for_one_file();
    if showable {
        r
    } else {
        r.opaque()
    }
}

/// The first values, as written, of a config's credential fields written
/// twice (`token: "<secret>", token: "${T}"`): OpenClaw keeps the last, a
/// reader sees both, so the first is a secret of the gate too.
pub fn duplicate_credentials(
    bytes: &[u8],
    doc: &Document,
    duplicates: &[load::Duplicate],
) -> Vec<String> {
    if duplicates.is_empty() {
        return Vec::new();
    }
    let (root, base) = normalise::unwrap(&doc.value);
    let creds = crate::openclaw::credential_pointers(root, base);
    duplicates
        .iter()
        .filter(|d| creds.contains(&d.pointer) || crate::deploy::credential_name(&d.key))
        .filter_map(|d| first_value_text(bytes, d.first.end))
        .collect()
}

/// The text as written of the value after a key that ends at `at` (`: "x"`,
/// `: 'x'`, `: x`): a quoted string's inside, else up to `,`, `}` or the
/// line's end. `None` for anything else (an object, an array).
fn first_value_text(bytes: &[u8], at: usize) -> Option<String> {
    let mut i = at.min(bytes.len());
    // the key's closing quote, blanks, `:`, blanks
    while i < bytes.len() && matches!(bytes[i], b'"' | b'\'' | b' ' | b'\t' | b'\r' | b'\n') {
        i += 1;
    }
    if bytes.get(i) != Some(&b':') {
        return None;
    }
    i += 1;
    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\r' | b'\n') {
        i += 1;
    }
    let text = match bytes.get(i)? {
        &q @ (b'"' | b'\'') => {
            let mut j = i + 1;
            while j < bytes.len() && bytes[j] != q {
                j += if bytes[j] == b'\\' { 2 } else { 1 };
            }
            &bytes[i + 1..j.min(bytes.len())]
        }
        b'{' | b'[' => return None,
        _ => {
            let end = bytes[i..]
                .iter()
                .position(|&b| matches!(b, b',' | b'}' | b'\n' | b'\r'))
                .map_or(bytes.len(), |k| i + k);
            &bytes[i..end]
        }
    };
    let text = String::from_utf8_lossy(text).trim().to_string();
    (text.len() >= crate::redact::MIN_SECRET_LEN).then_some(text)
}

/// The passwords of the URLs written in `bytes` (`scheme://user:pw@host`),
/// as written, with their spans; a `${VAR}` alone is no password.
fn url_passwords(bytes: &[u8]) -> Vec<(std::ops::Range<usize>, String)> {
    let mut out = Vec::new();
    for at in memchr::memmem::find_iter(bytes, b"://") {
        let from = at + 3;
        let rest = &bytes[from..bytes.len().min(from + 1024)];
        let end = rest
            .iter()
            .position(|&b| {
                b.is_ascii_whitespace()
                    || matches!(
                        b,
                        b'"' | b'\''
                            | b'`'
                            | b'/'
                            | b'?'
                            | b'#'
                            | b'<'
                            | b'>'
                            | b')'
                            | b']'
                            | b'}'
                            | b','
                            | b';'
                            | b'\\'
                    )
            })
            .unwrap_or(rest.len());
        let authority = &rest[..end];
        let Some(at_sign) = authority.iter().rposition(|&b| b == b'@') else {
            continue;
        };
        let userinfo = &authority[..at_sign];
        let Some(colon) = userinfo.iter().position(|&b| b == b':') else {
            continue;
        };
        let pw = String::from_utf8_lossy(&userinfo[colon + 1..]).into_owned();
        if pw.len() >= crate::redact::MIN_SECRET_LEN
            && crate::redact::literal_remainder(&pw, true) >= 4
        {
            out.push((from + colon + 1..from + at_sign, pw));
        }
    }
    out
}

/// The literal credentials a file's strings are searched for, all at once,
/// with a budget of work in proportion to the file: past it, every string
/// that holds one is taken not to hold it as written (its span redacted:
/// more, never less).
struct Literals<'a> {
    list: Vec<&'a str>,
    matcher: Option<aho_corasick::AhoCorasick>,
    budget: std::cell::Cell<usize>,
}

/// What a string holds: the literals found in it (at most [`HELD_MAX`]),
/// and whether there were more, or the budget ran out, on the way.
struct Held<'a> {
    found: Vec<&'a str>,
    overflow: bool,
}

impl Held<'_> {
    fn is_empty(&self) -> bool {
        self.found.is_empty() && !self.overflow
    }
}

/// The most literals of one string judged one by one.
const HELD_MAX: usize = 64;

impl<'a> Literals<'a> {
    fn new(extra: &'a [String], file_len: usize) -> Literals<'a> {
        let list: Vec<&str> = extra
            .iter()
            .map(|x| x.trim())
            .filter(|x| x.len() >= crate::redact::MIN_SECRET_LEN)
            .collect();
        let matcher = (!list.is_empty())
            .then(|| {
                // an NFA: a DFA's build costs more than searching one
                // file's strings saves
                aho_corasick::AhoCorasick::builder()
                    .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
                    .build(&list)
                    .ok()
            })
            .flatten();
        Literals {
            list,
            matcher,
            // both passes of a file's gate take from it
            budget: std::cell::Cell::new(file_len.saturating_mul(32).max(2 << 20)),
        }
    }

    fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    fn spend(&self, n: usize) -> bool {
        let left = self.budget.get();
        self.budget.set(left.saturating_sub(n));
        left >= n
    }

    /// The literals `text` holds.
    fn held(&self, text: &str) -> Held<'a> {
        let Some(m) = &self.matcher else {
            return Held {
                found: Vec::new(),
                overflow: false,
            };
        };
        if !self.spend(text.len()) {
            // the budget is spent: a string may hold one as well as not
            return Held {
                found: Vec::new(),
                overflow: true,
            };
        }
        let mut ids: Vec<usize> = Vec::new();
        let mut overflow = false;
        for hit in m.find_overlapping_iter(text) {
            if !self.spend(1) {
                overflow = true;
                break;
            }
            let id = hit.pattern().as_usize();
            if !ids.contains(&id) {
                if ids.len() == HELD_MAX {
                    overflow = true;
                    break;
                }
                ids.push(id);
            }
        }
        Held {
            found: ids.into_iter().map(|i| self.list[i]).collect(),
            overflow,
        }
    }

    /// A literal of `held` that `raw` (the text as written) does not hold
    /// on one line, or, when that could not be judged, the first one.
    fn not_verbatim(&self, held: &Held<'a>, raw: &[u8]) -> Option<&'a str> {
        let judged = held.found.iter().copied().find(|l| {
            !self.spend(raw.len())
                || memchr::memmem::find(raw, l.as_bytes()).is_none()
                || l.contains(['\n', '\r'])
        });
        judged.or_else(|| {
            held.overflow
                .then(|| held.found.first().or(self.list.first()).copied())
                .flatten()
        })
    }
}

/// What a document given to [`file_redactor`] is: an OpenClaw config or
/// policy profile (its credential fields are known), or a deployment file
/// (YAML, whose scalars may run over several lines, or line-based text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    Config,
    Deployment,
    YamlDeployment,
}

impl DocKind {
    /// The kind of a deployment file of `format`.
    pub fn of(format: crate::deploy::Format) -> DocKind {
        use crate::deploy::Format;
        match format {
            Format::Systemd | Format::Dockerfile | Format::Dotenv => DocKind::Deployment,
            _ => DocKind::YamlDeployment,
        }
    }
}

/// The lines a YAML scalar that starts at `start` may run over: its own
/// line, and every following line indented deeper than the column of
/// `anchor` (its key, or itself) or blank: the continuation lines of a block
/// (`|`, `>`), plain or quoted scalar.
/// Every byte looked at is taken from `budget`; once it is spent, the
/// extent runs to the end of the file (flow collections can indent lines
/// freely, so extents may overlap: the budget keeps the whole linear).
fn yaml_scalar_extent(
    bytes: &[u8],
    start: usize,
    anchor: usize,
    budget: &mut usize,
) -> std::ops::Range<usize> {
    let start = start.min(bytes.len());
    let anchor = anchor.min(start);
    let exhausted = |budget: &mut usize| {
        *budget = 0;
        start..bytes.len()
    };
    // the column of `anchor`: the bytes back to its line's start
    let Some(own) = bytes[..anchor]
        .iter()
        .rev()
        .take(*budget)
        .position(|&b| b == b'\n' || b == b'\r')
        .or((anchor <= *budget).then_some(anchor))
    else {
        return exhausted(budget);
    };
    let line_end = |from: usize| {
        bytes[from..]
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
            .map_or(bytes.len(), |i| from + i)
    };
    let mut end = line_end(start);
    let mut next = end;
    // the furthest byte looked at
    let mut seen = end;
    loop {
        if seen - start + own > *budget {
            return exhausted(budget);
        }
        // past this line's end (CRLF, CR or LF)
        while next < bytes.len() && (bytes[next] == b'\r' || bytes[next] == b'\n') {
            next += 1;
            if bytes[next - 1] == b'\n' {
                break;
            }
        }
        if next >= bytes.len() {
            break;
        }
        let e = line_end(next);
        seen = e;
        let line = &bytes[next..e];
        let blank = line.iter().all(|&b| b == b' ' || b == b'\t');
        if !blank && line.iter().take_while(|&&b| b == b' ').count() <= own {
            break;
        }
        if !blank {
            end = e;
        }
        next = e;
    }
    *budget = budget.saturating_sub(seen.max(next) - start + own);
    start..end
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

#[cfg(test)]
mod tests {
    use super::yaml_scalar_extent;

    fn extent(text: &str, value: &str, key: &str) -> String {
        let start = text.find(value).unwrap();
        let anchor = text.find(key).unwrap();
        let mut budget = usize::MAX;
        text[yaml_scalar_extent(text.as_bytes(), start, anchor, &mut budget)].to_string()
    }

    #[test]
    fn literals_are_found_at_once_and_a_spent_budget_redacts_more_never_less() {
        let extra: Vec<String> = vec!["hunter2-hunter2".into(), "zzzz-9999-zzzz".into()];
        let lits = super::Literals::new(&extra, 0);
        let held = lits.held("a hunter2-hunter2 b zzzz-9999-zzzz");
        assert_eq!(held.found, ["hunter2-hunter2", "zzzz-9999-zzzz"]);
        assert!(lits.held("nothing here").is_empty());
        // as written on one line: nothing to add; escaped: its span
        assert_eq!(
            lits.not_verbatim(&held, b"x hunter2-hunter2 zzzz-9999-zzzz"),
            None
        );
        assert_eq!(
            lits.not_verbatim(&held, b"hunter2-\\\nhunter2 zzzz-9999-zzzz"),
            Some("hunter2-hunter2")
        );
        // past the budget every string may hold one: redacted
        lits.budget.set(0);
        let spent = lits.held("nothing here");
        assert!(spent.overflow && !spent.is_empty());
        assert_eq!(
            lits.not_verbatim(&spent, b"nothing here"),
            Some("hunter2-hunter2")
        );
    }

    #[test]
    fn a_scalar_runs_over_the_lines_indented_deeper_than_its_key() {
        let text = "a:\n  k: one\n    two\r\n\n    three\n  l: four\n";
        assert_eq!(extent(text, "one", "k:"), "one\n    two\r\n\n    three");
        assert_eq!(extent(text, "four", "l:"), "four");
        let block = "k: >-\n  folded\n  text\nm: x";
        assert_eq!(extent(block, ">-", "k:"), ">-\n  folded\n  text");
    }

    #[test]
    fn a_spent_budget_runs_the_extent_to_the_end_and_stays_linear() {
        // many scalars on one line of a flow sequence, each followed by the
        // same long indented lines: each extent covers them all
        let mut text = String::from("[");
        for _ in 0..1000 {
            text.push_str("ab, ");
        }
        text.push('\n');
        for _ in 0..1000 {
            text.push_str(&" ".repeat(5000));
            text.push_str("x,\n");
        }
        text.push(']');
        let bytes = text.as_bytes();
        let mut budget = bytes.len() * 4;
        let mut whole = 0;
        for i in 0..1000 {
            let start = 1 + 4 * i;
            let r = yaml_scalar_extent(bytes, start, start, &mut budget);
            assert!(r.start == start && r.end > start);
            if r.end == bytes.len() {
                whole += 1;
            }
        }
        // the budget ran out after a few extents; every later one is whole
        assert_eq!(budget, 0);
        assert!(whole > 990, "{whole}");
    }
}
