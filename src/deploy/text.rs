//! Line-based deployment files (systemd units, `.env` files, Dockerfiles)
//! into the same [`Document`] shape as YAML and JSON5: a JSON value plus the
//! span of every pointer, so their findings have a line and column too.
//!
//! - systemd unit: `{"Service": {"ExecStart": ["..."], "Environment": ["A=b"]}}`,
//!   every key an array of its values in file order (`/Service/Environment/1`);
//!   a line ending in `\` continues on the next one.
//! - `.env`: `{"KEY": "value"}` as Compose reads it (`export` prefix, quotes,
//!   `#` comments); a later assignment of the same key wins.
//! - Dockerfile: `{"ENV": {"KEY": "value"}, "CMD": [...], "ENTRYPOINT": [...],
//!   "FROM": "image"}` (the last CMD, ENTRYPOINT and FROM win, as for Docker).

use crate::load::{escape_pointer_token, Document, ParseFailure, Spans};
use serde_json::{Map, Value};
use std::ops::Range;

/// The lines of `text`, each with its end: CR, LF and CRLF are all line
/// ends (a `.env` written on an old Mac is read as dotenv reads it).
fn lines_inclusive(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let b = rest.as_bytes();
        let end = match memchr::memchr2(b'\n', b'\r', b) {
            Some(i) if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') => i + 2,
            Some(i) => i + 1,
            None => b.len(),
        };
        let (line, tail) = rest.split_at(end);
        rest = tail;
        Some(line)
    })
}

/// How a line ending in `\` joins the next one.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Join {
    /// systemd: the backslash becomes a space, each piece trimmed.
    Space,
    /// Docker: the backslash and the line end are removed, the next line
    /// kept as written (its indentation too).
    Verbatim,
}

/// A logical line: its text with continuations joined, and where each of
/// its pieces was written (`(offset in the text, offset in the file)`),
/// so that a value that runs over several lines has its span in the file.
struct Logical {
    text: String,
    pieces: Vec<(usize, usize)>,
    /// the end, in the file, of its last piece
    end: usize,
}

impl Logical {
    /// The file offset of the text's offset `i`.
    fn at(&self, i: usize) -> usize {
        let k = self.pieces.partition_point(|&(t, _)| t <= i).max(1) - 1;
        let (t, f) = self.pieces.get(k).copied().unwrap_or((0, self.end));
        (f + (i - t)).min(self.end)
    }

    /// The file range of the text's range `r` (over every line between).
    fn span(&self, r: Range<usize>) -> Range<usize> {
        let start = self.at(r.start);
        // the end of the last byte, not the start of the next piece
        let end = if r.end > r.start {
            self.at(r.end - 1) + 1
        } else {
            start
        };
        start..end.max(start)
    }

    /// The file offset where the line starts.
    fn start(&self) -> usize {
        self.pieces.first().map_or(self.end, |p| p.1)
    }
}

/// The logical lines of `text`: comment and blank lines left out (inside a
/// continued line too, as systemd and Docker skip them).
fn logical_lines(text: &str, comment: &[char], join: Join, escape: char) -> Vec<Logical> {
    let mut out = Vec::new();
    let mut pending: Option<Logical> = None;
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut offset = text.len() - body.len();
    for raw in lines_inclusive(body) {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with(comment) {
            continue;
        }
        let (mut piece, mut at) = match (&pending, join) {
            (Some(_), Join::Verbatim) => (line, start),
            _ => (trimmed, start + line.len() - trimmed.len()),
        };
        let more = match piece.trim_end_matches([' ', '\t']).strip_suffix(escape) {
            Some(b) => {
                piece = b;
                true
            }
            None => false,
        };
        if join == Join::Space || !more {
            piece = piece.trim_end();
        }
        let entry = pending.get_or_insert_with(|| Logical {
            text: String::new(),
            pieces: Vec::new(),
            end: at,
        });
        if join == Join::Space {
            let lead = piece.len() - piece.trim_start().len();
            piece = piece.trim_start();
            at += lead;
            if !entry.text.is_empty() {
                entry.text.push(' ');
            }
        }
        entry.pieces.push((entry.text.len(), at));
        entry.text.push_str(piece);
        entry.end = at + piece.len();
        if !more {
            out.extend(pending.take());
        }
    }
    out.extend(pending);
    out
}

fn utf8(bytes: &[u8]) -> Result<&str, ParseFailure> {
    std::str::from_utf8(bytes).map_err(|e| ParseFailure {
        offset: e.valid_up_to(),
        end: e.valid_up_to() + 1,
        message: "not UTF-8 text".into(),
    })
}

fn span(spans: &mut crate::load::SpanMap, pointer: String, key: Range<usize>, value: Range<usize>) {
    spans.insert(
        pointer,
        Spans {
            key: Some(key),
            value,
        },
    );
}

/// A systemd unit file.
pub fn systemd(bytes: &[u8]) -> Result<Document, ParseFailure> {
    let text = utf8(bytes)?;
    let mut root = Map::new();
    let mut spans = crate::load::SpanMap::new();
    spans.insert(
        String::new(),
        Spans {
            key: None,
            value: 0..0,
        },
    );
    let mut section: Option<String> = None;
    for l in logical_lines(text, &['#', ';'], Join::Space, '\\') {
        let (line, at) = (l.text.as_str(), l.start());
        let whole = l.span(0..line.len());
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let name = name.trim().to_string();
            span(
                &mut spans,
                format!("/{}", escape_pointer_token(&name)),
                whole.clone(),
                whole.clone(),
            );
            root.entry(name.clone())
                .or_insert_with(|| Value::Object(Map::new()));
            section = Some(name);
            continue;
        }
        let Some(sec) = &section else {
            return Err(ParseFailure {
                offset: at,
                end: at + 1,
                message: "a setting before the first [Section] header".into(),
            });
        };
        let Some((k, v)) = line.split_once('=') else {
            return Err(ParseFailure {
                offset: at,
                end: whole.end.max(at + 1),
                message: "a line that is neither `[Section]` nor `Key=Value`".into(),
            });
        };
        let (k, v) = (k.trim(), v.trim());
        let Some(Value::Object(s)) = root.get_mut(sec) else {
            continue;
        };
        let list = s
            .entry(k.to_string())
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(a) = list {
            let p = format!(
                "/{}/{}/{}",
                escape_pointer_token(sec),
                escape_pointer_token(k),
                a.len()
            );
            let eq = line.find('=').unwrap_or(0);
            let key = l.span(0..eq);
            let lead = line[eq + 1..].len() - line[eq + 1..].trim_start().len();
            span(
                &mut spans,
                p.clone(),
                key.clone(),
                l.span(eq + 1 + lead..line.len()),
            );
            // The key's own span: its first occurrence.
            spans.insert_if_absent(
                format!("/{}/{}", escape_pointer_token(sec), escape_pointer_token(k)),
                Spans {
                    key: Some(key),
                    value: whole.clone(),
                },
            );
            a.push(Value::String(v.to_string()));
        }
    }
    Ok(Document::new(Value::Object(root), spans))
}

/// Removes one level of matching quotes.
fn unquote(v: &str) -> String {
    let v = v.trim();
    for q in ['"', '\''] {
        if v.len() >= 2 && v.starts_with(q) && v.ends_with(q) {
            return v[1..v.len() - 1].to_string();
        }
    }
    // An unquoted value ends at ` #` (an inline comment).
    match v.find(" #") {
        Some(i) => v[..i].trim_end().to_string(),
        None => v.to_string(),
    }
}

/// A `.env` file (Compose's `KEY=VALUE` syntax).
pub fn dotenv(bytes: &[u8]) -> Result<Document, ParseFailure> {
    let text = utf8(bytes)?;
    let mut root = Map::new();
    let mut spans = crate::load::SpanMap::new();
    spans.insert(
        String::new(),
        Spans {
            key: None,
            value: 0..0,
        },
    );
    // a byte order mark is not part of the first key
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut offset = text.len() - body.len();
    let mut unclosed = [false; 2];
    while offset < text.len() {
        let Some(raw) = lines_inclusive(&text[offset..]).next() else {
            break;
        };
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let lead = line.len() - trimmed.len();
        let body = trimmed.strip_prefix("export ").unwrap_or(trimmed);
        let skip = trimmed.len() - body.len();
        let Some((k, v)) = body.split_once('=') else {
            return Err(ParseFailure {
                offset: start + lead,
                end: start + line.len(),
                message: "a line that is not `KEY=VALUE`".into(),
            });
        };
        let key = k.trim();
        let key_start = start + lead + skip;
        let value_start = key_start + k.len() + 1;
        let v_at = value_start + v.len() - v.trim_start().len();
        // A quoted value runs to its closing quote, on a later line too
        // (Compose reads multi-line values so): its span is every line.
        let quoted = match text[v_at..].chars().next() {
            // a quote that closed nowhere after an earlier one closes
            // nowhere after this one either (the search stays linear)
            Some(q @ ('"' | '\'')) if unclosed[(q == '"') as usize] => None,
            Some(q @ ('"' | '\'')) => {
                let found = quoted_value(text, v_at, q);
                if let Err(true) = found {
                    unclosed[(q == '"') as usize] = true;
                }
                found.ok()
            }
            _ => None,
        };
        let (value, value_span) = match quoted {
            Some((value, span, next)) => {
                offset = offset.max(next);
                (value, span)
            }
            // unquoted, or a quote that does not close as Compose reads it:
            // the rest of the line
            None => (unquote(v), v_at..(start + line.len()).max(v_at)),
        };
        span(
            &mut spans,
            format!("/{}", escape_pointer_token(key)),
            key_start..key_start + key.len(),
            value_span,
        );
        root.insert(key.to_string(), Value::String(value));
    }
    Ok(Document::new(Value::Object(root), spans))
}

/// A quoted `.env` value whose quote `q` opens at `at`: its text, its span
/// (quotes included) and where the next line starts. `Err(true)` when the
/// quote never closes, `Err(false)` when it is followed by more than a `#`
/// comment.
fn quoted_value(text: &str, at: usize, q: char) -> Result<(String, Range<usize>, usize), bool> {
    let close = closing_quote(&text[at + 1..], q).ok_or(true)?;
    let inside = &text[at + 1..at + 1 + close];
    let end = at + close + 2;
    // the rest of the closing quote's line: blank or a comment
    let tail_len = lines_inclusive(&text[end..]).next().map_or(0, str::len);
    let tail = text[end..end + tail_len].trim();
    if !(tail.is_empty() || tail.starts_with('#')) {
        return Err(false);
    }
    let value = if q == '"' {
        unescape_double(inside)
    } else {
        inside.to_string()
    };
    Ok((value, at..end, end + tail_len))
}

/// Where the quote `q` that closes a value starting at `s` is (in double
/// quotes, a backslash escapes the next character).
fn closing_quote(s: &str, q: char) -> Option<usize> {
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if q == '"' => {
                chars.next();
            }
            c if c == q => return Some(i),
            _ => {}
        }
    }
    None
}

/// A double-quoted `.env` value's escapes as Compose expands them: `\n`
/// and `\r` are line ends, `\$` stays, any other `\x` is `x`.
fn unescape_double(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('$') => out.push_str("\\$"),
            Some(n) => out.push(n),
            None => out.push('\\'),
        }
    }
    out
}

/// Words of a shell-form or exec-form (`["a", "b"]`) instruction.
pub fn words(s: &str) -> Vec<String> {
    words_at(s, '\\').into_iter().map(|(w, _)| w).collect()
}

/// [`words`], each with the range of `s` it was written in. Shell words
/// as Docker's shell lexer reads them: quotes, and a backslash that takes
/// the next character literally (in double quotes, only before `"`, `\`,
/// `$` and a backquote).
fn words_at(s: &str, escape: char) -> Vec<(String, Range<usize>)> {
    let t = s.trim();
    let base = s.len() - s.trim_start().len();
    if t.starts_with('[') {
        if let Ok(Value::Array(a)) = serde_json::from_str::<Value>(t) {
            let range = base..base + t.len();
            return a
                .iter()
                .filter_map(|v| v.as_str().map(|w| (w.to_string(), range.clone())))
                .collect();
        }
    }
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    // the current word's start, once it has one
    let mut from: Option<usize> = None;
    let mut chars = t.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let i = base + i;
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some('"'), e)
                if e == escape
                    && matches!(chars.peek(), Some(&(_, n)) if n == '"' || n == escape || n == '$' || n == '`') =>
            {
                cur.extend(chars.next().map(|(_, c)| c));
            }
            (Some(_), c) => cur.push(c),
            (None, c) if c.is_whitespace() => {
                if let Some(f) = from.take() {
                    out.push((std::mem::take(&mut cur), f..i));
                }
            }
            (None, c) => {
                from.get_or_insert(i);
                match c {
                    '"' | '\'' => quote = Some(c),
                    e if e == escape => match chars.next() {
                        Some((_, n)) => cur.push(n),
                        None => cur.push(c),
                    },
                    c => cur.push(c),
                }
            }
        }
    }
    if let Some(f) = from {
        out.push((cur, f..base + t.len()));
    }
    out
}

/// The escape character of a Dockerfile: `\\`, or what a `# escape=`
/// parser directive at its top names (`` ` `` on Windows images).
fn escape_directive(text: &str) -> char {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    for line in lines_inclusive(body) {
        // directives come first: `# name=value`, nothing else before
        let Some(d) = line.trim().strip_prefix('#') else {
            break;
        };
        let Some((name, value)) = d.split_once('=') else {
            break;
        };
        if name.trim().eq_ignore_ascii_case("escape") {
            if let v @ ("`" | "\\") = value.trim() {
                return v.chars().next().unwrap_or('\\');
            }
        }
    }
    '\\'
}

/// The value of a legacy `ENV KEY value`: the rest of the line (a ` #` in
/// it is part of it, not a comment), without one level of enclosing quotes.
fn legacy_env_value(v: &str) -> String {
    let v = v.trim();
    for q in ['"', '\''] {
        if v.len() >= 2 && v.starts_with(q) && v.ends_with(q) {
            return v[1..v.len() - 1].to_string();
        }
    }
    v.to_string()
}

/// A Dockerfile.
pub fn dockerfile(bytes: &[u8]) -> Result<Document, ParseFailure> {
    let text = utf8(bytes)?;
    let mut root = Map::new();
    let mut env = Map::new();
    let mut spans = crate::load::SpanMap::new();
    spans.insert(
        String::new(),
        Spans {
            key: None,
            value: 0..0,
        },
    );
    let escape = escape_directive(text);
    for l in logical_lines(text, &['#'], Join::Verbatim, escape) {
        let line = l.text.as_str();
        let (instr, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        // where `rest` starts in the line
        let rest_at = line.len() - rest.len();
        let instr = instr.to_ascii_uppercase();
        let whole = l.span(0..line.len());
        match instr.as_str() {
            "ENV" => {
                // `ENV KEY value` (legacy) or `ENV K1=v1 K2="v 2"`: each
                // key's span from the instruction, its value's where the
                // value was written (over every line it runs on)
                let trimmed = rest.trim_start();
                let lead = rest_at + rest.len() - trimmed.len();
                let legacy = !trimmed
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .contains('=');
                let pairs: Vec<(String, String, Range<usize>, Range<usize>)> = if legacy {
                    let (k, v) = trimmed
                        .split_once(char::is_whitespace)
                        .unwrap_or((trimmed, ""));
                    let v_at = lead + trimmed.len() - v.len();
                    let v_at = v_at + v.len() - v.trim_start().len();
                    let v_end = lead + trimmed.trim_end().len();
                    vec![(
                        k.to_string(),
                        legacy_env_value(v),
                        l.span(0..lead + k.len()),
                        l.span(v_at..v_end.max(v_at)),
                    )]
                } else {
                    words_at(rest, escape)
                        .into_iter()
                        .filter_map(|(w, r)| {
                            let (k, v) = w.split_once('=')?;
                            let raw = &rest[r.clone()];
                            let eq = raw.find('=').unwrap_or(0);
                            Some((
                                k.to_string(),
                                v.to_string(),
                                l.span(0..rest_at + r.start + eq),
                                l.span(rest_at + r.start + eq + 1..rest_at + r.end),
                            ))
                        })
                        .collect()
                };
                for (k, v, key, value) in pairs {
                    span(
                        &mut spans,
                        format!("/ENV/{}", escape_pointer_token(&k)),
                        key,
                        value,
                    );
                    env.insert(k, Value::String(v));
                }
            }
            "CMD" | "ENTRYPOINT" | "FROM" => {
                let v = if instr == "FROM" {
                    Value::String(rest.split_whitespace().next().unwrap_or("").to_string())
                } else {
                    Value::Array(words(rest).into_iter().map(Value::String).collect())
                };
                span(
                    &mut spans,
                    format!("/{instr}"),
                    whole.clone(),
                    whole.clone(),
                );
                root.insert(instr, v);
            }
            _ => {}
        }
    }
    if !env.is_empty() {
        spans.insert_if_absent(
            "/ENV",
            Spans {
                key: None,
                value: 0..0,
            },
        );
        root.insert("ENV".into(), Value::Object(env));
    }
    Ok(Document::new(Value::Object(root), spans))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn systemd_units_keep_every_value_and_its_line() {
        let src = "[Unit]\nDescription=gw\n\n[Service]\nEnvironment=A=1\nEnvironment=OPENCLAW_GATEWAY_TOKEN=abc\nExecStart=/usr/bin/openclaw gateway \\\n  --bind lan\n";
        let d = systemd(src.as_bytes()).unwrap();
        assert_eq!(
            d.value["Service"]["Environment"][1],
            "OPENCLAW_GATEWAY_TOKEN=abc"
        );
        assert_eq!(
            d.value["Service"]["ExecStart"][0],
            "/usr/bin/openclaw gateway --bind lan"
        );
        let r = d.locate("/Service/Environment/1");
        assert_eq!(&src[r.start..r.start + 11], "Environment");
        assert!(systemd(b"ExecStart=x\n").is_err());
    }

    #[test]
    fn dotenv_and_dockerfile() {
        let d = dotenv(b"# c\nexport A=\"x y\"\nB=z # note\n").unwrap();
        assert_eq!(d.value["A"], "x y");
        assert_eq!(d.value["B"], "z");
        let src = "FROM node:24\nENV OPENCLAW_GATEWAY_TOKEN=abc HOME=/home/node\nCMD [\"node\", \"openclaw.mjs\", \"gateway\", \"--allow-unconfigured\"]\n";
        let d = dockerfile(src.as_bytes()).unwrap();
        assert_eq!(d.value["ENV"]["OPENCLAW_GATEWAY_TOKEN"], "abc");
        assert_eq!(d.value["CMD"][3], "--allow-unconfigured");
        assert_eq!(d.locate("/CMD").start, src.find("CMD").unwrap());
    }

    #[test]
    fn continued_dockerfile_lines_join_as_docker_joins_them() {
        let src = "FROM node:24\nENV A=abc\\\n# note\ndef B=\"x\\\"y\" \\\n  C='q r'\nCMD [\"a\", \\\n  \"b\"]\n";
        let d = dockerfile(src.as_bytes()).unwrap();
        assert_eq!(d.value["ENV"]["A"], "abcdef");
        assert_eq!(d.value["ENV"]["B"], "x\"y");
        assert_eq!(d.value["ENV"]["C"], "q r");
        assert_eq!(d.value["CMD"][1], "b");
        // each value's span is where it was written, over every line
        let value = |p: &str| {
            let r = d.spans.get(p).unwrap().value.clone();
            src[r].to_string()
        };
        assert_eq!(value("/ENV/A"), "abc\\\n# note\ndef");
        assert_eq!(value("/ENV/B"), "\"x\\\"y\"");
        assert_eq!(value("/ENV/C"), "'q r'");
        assert_eq!(words("a\\ b \"c\\d\" 'e\\f'"), ["a b", "c\\d", "e\\f"]);
    }

    #[test]
    fn dotenv_values_in_quotes_run_over_lines() {
        let src = "A=\"one\ntwo\"\nB='x\ny' # c\nC=\"a\\\"b\\nc\"\nD=\"open\nE=1\n";
        let d = dotenv(src.as_bytes()).unwrap();
        assert_eq!(d.value["A"], "one\ntwo");
        assert_eq!(d.value["B"], "x\ny");
        assert_eq!(d.value["C"], "a\"b\nc");
        // a quote that never closes is the rest of its line, as before
        assert_eq!(d.value["D"], "\"open");
        assert_eq!(d.value["E"], "1");
        let r = d.spans.get("/A").unwrap().value.clone();
        assert_eq!(&src[r], "\"one\ntwo\"");
        // a closed quote followed by more than a comment: the line alone
        assert!(dotenv(b"A=\"x\ny\" z\n").is_err());
    }
}
