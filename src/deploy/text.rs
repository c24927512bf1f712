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

/// Logical lines: (text with continuations joined, byte range of its first
/// physical line's content), comments and blank lines left out.
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

fn logical_lines(text: &str, comment: &[char]) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut pending: Option<(String, usize)> = None;
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut offset = text.len() - body.len();
    for raw in lines_inclusive(body) {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim_start();
        let lead = line.len() - trimmed.len();
        if pending.is_none() && (trimmed.is_empty() || trimmed.starts_with(comment)) {
            continue;
        }
        let (body, more) = match trimmed.trim_end().strip_suffix('\\') {
            Some(b) => (b, true),
            None => (trimmed, false),
        };
        let entry = pending.get_or_insert_with(|| (String::new(), start + lead));
        if !entry.0.is_empty() {
            entry.0.push(' ');
        }
        entry.0.push_str(body.trim());
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
    for (line, at) in logical_lines(text, &['#', ';']) {
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let name = name.trim().to_string();
            span(
                &mut spans,
                format!("/{}", escape_pointer_token(&name)),
                at..at + line.len(),
                at..at + line.len(),
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
                end: at + line.len().max(1),
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
            let key_end = at + line.find('=').unwrap_or(0);
            span(
                &mut spans,
                p.clone(),
                at..key_end,
                key_end + 1..at + line.len(),
            );
            // The key's own span: its first occurrence.
            spans.insert_if_absent(
                format!("/{}/{}", escape_pointer_token(sec), escape_pointer_token(k)),
                Spans {
                    key: Some(at..key_end),
                    value: at..at + line.len(),
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
    for raw in lines_inclusive(body) {
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
        span(
            &mut spans,
            format!("/{}", escape_pointer_token(key)),
            key_start..key_start + key.len(),
            value_start..start + line.len(),
        );
        root.insert(key.to_string(), Value::String(unquote(v)));
    }
    Ok(Document::new(Value::Object(root), spans))
}

/// Words of a shell-form or exec-form (`["a", "b"]`) instruction.
pub fn words(s: &str) -> Vec<String> {
    let t = s.trim();
    if t.starts_with('[') {
        if let Ok(Value::Array(a)) = serde_json::from_str::<Value>(t) {
            return a
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect();
        }
    }
    // Shell words with simple quoting; enough to find flags and their values.
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    for c in t.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                any = true;
            }
            (None, c) if c.is_whitespace() => {
                if any || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                any = false;
            }
            (None, c) => cur.push(c),
        }
    }
    if any || !cur.is_empty() {
        out.push(cur);
    }
    out
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
    for (line, at) in logical_lines(text, &['#']) {
        let (instr, rest) = line.split_once(char::is_whitespace).unwrap_or((&line, ""));
        let instr = instr.to_ascii_uppercase();
        let whole = at..at + line.lines().next().unwrap_or("").len();
        match instr.as_str() {
            "ENV" => {
                let rest = rest.trim();
                // `ENV KEY value` (legacy) or `ENV K1=v1 K2="v 2"`.
                let pairs: Vec<(String, String)> =
                    if !rest.split_whitespace().next().unwrap_or("").contains('=') {
                        let (k, v) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
                        vec![(k.to_string(), unquote(v))]
                    } else {
                        words(rest)
                            .into_iter()
                            .filter_map(|w| {
                                w.split_once('=')
                                    .map(|(k, v)| (k.to_string(), v.to_string()))
                            })
                            .collect()
                    };
                for (k, v) in pairs {
                    span(
                        &mut spans,
                        format!("/ENV/{}", escape_pointer_token(&k)),
                        whole.clone(),
                        whole.clone(),
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
}
