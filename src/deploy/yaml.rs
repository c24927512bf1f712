//! YAML (one or several documents) into the same [`Document`] shape as the
//! JSON5 loader: a `serde_json` value plus the byte span of every JSON
//! Pointer, so a deployment finding has a line and column like a config one.
//!
//! Parsed with `yaml-rust2`'s event parser (YAML 1.2). The stream is always
//! an array of documents: `/0/services/gateway/ports/0` is the first port of
//! the `gateway` service of the first document. Hostile input is bounded:
//! nesting deeper than [`MAX_DEPTH`] and alias expansion past [`MAX_NODES`]
//! values (an alias bomb) are parse errors at the offending place, never a
//! stack overflow or an unbounded allocation. Merge keys (`<<: *base`, as
//! Compose files use them) are applied; a merged member points at the `<<` key.

use crate::load::{escape_pointer_token, Document, ParseFailure, Spans};
use serde_json::{Map, Number, Value};
use std::collections::HashMap;
use std::ops::Range;
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// Deepest nesting of mappings and sequences accepted.
pub const MAX_DEPTH: usize = 128;
/// Most values a file may expand to, aliases counted at their expanded size.
pub const MAX_NODES: usize = 200_000;

/// A container being built: its value, its pointer, and for a mapping the
/// key waiting for its value.
struct Frame {
    value: Value,
    pointer: String,
    anchor: usize,
    pending_key: Option<(String, Range<usize>)>,
    /// Keys set explicitly (a merge key never overrides them).
    explicit: Vec<String>,
}

/// Converts the parser's character indices into byte offsets. Markers come
/// nearly in order, so a cursor that walks forward or back is linear overall.
struct Offsets<'a> {
    text: &'a str,
    chars: usize,
    bytes: usize,
    /// Bytes before `text` in the file (a byte order mark).
    base: usize,
}

impl Offsets<'_> {
    fn byte(&mut self, m: &Marker) -> usize {
        let target = m.index();
        while self.chars < target && self.bytes < self.text.len() {
            let c = self.text[self.bytes..].chars().next().unwrap_or('\0');
            self.bytes += c.len_utf8().max(1);
            self.chars += 1;
        }
        while self.chars > target && self.bytes > 0 {
            let c = self.text[..self.bytes].chars().next_back().unwrap_or('\0');
            self.bytes -= c.len_utf8().max(1);
            self.chars -= 1;
        }
        self.bytes.min(self.text.len()) + self.base
    }
}

/// The byte range a scalar starting at `start` covers on its line: the
/// quotes included, never past the end of the line.
fn scalar_range(text: &str, start: usize, value: &str, style: TScalarStyle) -> Range<usize> {
    let line_end = text[start..]
        .find(['\n', '\r'])
        .map_or(text.len(), |i| start + i);
    let len = match style {
        // to the closing quote as written: escapes (`\x41`, `''`) make the
        // text longer than the value
        TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted => {
            let line = &text.as_bytes()[start..line_end];
            let q = if style == TScalarStyle::SingleQuoted {
                b'\''
            } else {
                b'"'
            };
            let mut i = 1;
            let mut end = None;
            while i < line.len() {
                match line[i] {
                    b'\\' if q == b'"' => i += 2,
                    c if c == q && q == b'\'' && line.get(i + 1) == Some(&q) => i += 2,
                    c if c == q => {
                        end = Some(i + 1);
                        break;
                    }
                    _ => i += 1,
                }
            }
            end.unwrap_or(value.len() + 2)
        }
        TScalarStyle::Plain => value.len(),
        // a block scalar: its indicator line
        _ => 1,
    };
    start..(start + len.max(1)).min(line_end).max(start)
}

/// The JSON value of a scalar under the YAML 1.2 core schema (quoted and
/// block scalars are strings).
fn resolve(s: &str, style: TScalarStyle) -> Value {
    if style != TScalarStyle::Plain {
        return Value::String(s.to_string());
    }
    match s {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(i) = s.parse::<i64>() {
            return Value::Number(i.into());
        }
    }
    if let Some(h) = s.strip_prefix("0x") {
        if let Ok(i) = i64::from_str_radix(h, 16) {
            return Value::Number(i.into());
        }
    }
    if let Some(o) = s.strip_prefix("0o") {
        if let Ok(i) = i64::from_str_radix(o, 8) {
            return Value::Number(i.into());
        }
    }
    let looks_float = digits
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
        && digits.bytes().any(|b| b.is_ascii_digit());
    if looks_float {
        if let Some(n) = s.parse::<f64>().ok().and_then(Number::from_f64) {
            return Value::Number(n);
        }
    }
    Value::String(s.to_string())
}

/// The bytes a file may expand to: its strings (aliases counted at their
/// expanded size) and the JSON Pointers of its values, at most this many
/// times its own size (and at least [`MIN_EXPANSION_BUDGET`]). An alias to
/// a long string repeated, or an aliased long key nested deep, is an alias
/// bomb in bytes rather than in values.
pub const EXPANSION_FACTOR: usize = 16;
pub const MIN_EXPANSION_BUDGET: usize = 16 << 20;

/// The string bytes in `v` (keys and values), stopping once over `limit`.
fn string_bytes(v: &Value, limit: usize) -> usize {
    let mut n = 0;
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            Value::String(s) => n += s.len(),
            Value::Array(a) => stack.extend(a.iter()),
            Value::Object(o) => {
                n += o.keys().map(String::len).sum::<usize>();
                stack.extend(o.values());
            }
            _ => {}
        }
        if n > limit {
            return n;
        }
    }
    n
}

/// Number of values in `v` (itself included), stopping once over `limit`.
fn count(v: &Value, limit: usize) -> usize {
    let mut n = 0;
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        n += 1;
        if n > limit {
            return n;
        }
        match v {
            Value::Array(a) => stack.extend(a.iter()),
            Value::Object(o) => stack.extend(o.values()),
            _ => {}
        }
    }
    n
}

/// Parses a YAML stream. A syntax error, too deep a nesting or an alias
/// expansion past the budget is a [`ParseFailure`] at its byte offset.
pub fn parse(bytes: &[u8]) -> Result<Document, ParseFailure> {
    let text = std::str::from_utf8(bytes).map_err(|e| ParseFailure {
        offset: e.valid_up_to(),
        end: e.valid_up_to() + 1,
        message: "not UTF-8 text".into(),
    })?;
    // A UTF-8 byte order mark is not content (yaml-rust2 would read it as
    // the start of the first key, and `services:` would not be found).
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut parser = Parser::new_from_str(body);
    let mut at = Offsets {
        text: body,
        chars: 0,
        bytes: 0,
        base: text.len() - body.len(),
    };
    let mut docs: Vec<Value> = Vec::new();
    let mut spans = crate::load::SpanMap::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, Value> = HashMap::new();
    let mut nodes = 0usize;
    let fail = |offset: usize, message: String| ParseFailure {
        offset,
        end: offset + 1,
        message,
    };
    // the bytes expanded so far (see EXPANSION_FACTOR)
    let budget = MIN_EXPANSION_BUDGET.max(text.len().saturating_mul(EXPANSION_FACTOR));
    let mut expanded = 0usize;
    let too_big = |here: usize| {
        fail(
            here,
            format!(
                "aliases and keys expand to more than {} MB (an alias bomb?)",
                budget >> 20
            ),
        )
    };
    loop {
        let (event, mark) = parser.next_token().map_err(|e| {
            let offset = at.byte(e.marker());
            fail(offset, e.info().to_string())
        })?;
        let here = at.byte(&mark);
        // A complete value: (value, its range, anchor to record).
        let done: Option<(Value, Range<usize>, usize)> = match event {
            Event::StreamEnd => break,
            Event::StreamStart | Event::Nothing | Event::DocumentEnd => None,
            Event::DocumentStart => {
                spans.insert(
                    format!("/{}", docs.len()),
                    Spans {
                        key: None,
                        value: here..here,
                    },
                );
                None
            }
            Event::Scalar(s, style, anchor, _tag) => {
                let range = scalar_range(text, here, &s, style);
                // A scalar in key position is the key of the next value.
                if let Some(top) = stack.last_mut() {
                    if top.value.is_object() && top.pending_key.is_none() {
                        top.pending_key = Some((s, range));
                        continue;
                    }
                }
                Some((resolve(&s, style), range, anchor))
            }
            Event::Alias(id) => {
                let Some(v) = anchors.get(&id) else {
                    return Err(fail(here, "alias to an unknown anchor".into()));
                };
                expanded += string_bytes(v, budget);
                if expanded > budget {
                    return Err(too_big(here));
                }
                nodes += count(v, MAX_NODES);
                if nodes > MAX_NODES {
                    return Err(fail(
                        here,
                        format!("aliases expand to more than {MAX_NODES} values (an alias bomb?)"),
                    ));
                }
                let v = v.clone();
                if let Some(top) = stack.last_mut() {
                    if top.value.is_object() && top.pending_key.is_none() {
                        // An aliased key: only scalars make sense as keys.
                        let key = match &v {
                            Value::String(s) => s.clone(),
                            Value::Number(n) => n.to_string(),
                            Value::Bool(b) => b.to_string(),
                            _ => return Err(fail(here, "a mapping key is not a scalar".into())),
                        };
                        top.pending_key = Some((key, here..here + 1));
                        continue;
                    }
                }
                Some((v, here..here + 1, 0))
            }
            Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(fail(
                        here,
                        format!("nesting deeper than {MAX_DEPTH} levels"),
                    ));
                }
                let is_map = matches!(event, Event::MappingStart(..));
                let pointer = match stack.last_mut() {
                    None => format!("/{}", docs.len()),
                    Some(top) => match &mut top.value {
                        Value::Array(a) => format!("{}/{}", top.pointer, a.len()),
                        _ => match &top.pending_key {
                            Some((k, _)) => {
                                format!("{}/{}", top.pointer, escape_pointer_token(k))
                            }
                            None => return Err(fail(here, "a mapping key is not a scalar".into())),
                        },
                    },
                };
                nodes += 1;
                if nodes > MAX_NODES {
                    return Err(fail(here, format!("more than {MAX_NODES} values")));
                }
                expanded += pointer.len();
                if expanded > budget {
                    return Err(too_big(here));
                }
                stack.push(Frame {
                    value: if is_map {
                        Value::Object(Map::new())
                    } else {
                        Value::Array(Vec::new())
                    },
                    pointer,
                    anchor,
                    pending_key: None,
                    explicit: Vec::new(),
                });
                // The container's own span starts here; its key (if any) is
                // recorded when it is inserted into its parent.
                spans.insert(
                    stack.last().map(|f| f.pointer.clone()).unwrap_or_default(),
                    Spans {
                        key: None,
                        value: here..here + 1,
                    },
                );
                None
            }
            Event::MappingEnd | Event::SequenceEnd => {
                let f = stack.pop().expect("balanced events");
                let range = spans
                    .get(&f.pointer)
                    .map_or(here..here + 1, |s| s.value.clone());
                Some((f.value, range, f.anchor))
            }
        };
        let Some((value, range, anchor)) = done else {
            continue;
        };
        if !matches!(value, Value::Array(_) | Value::Object(_)) {
            nodes += 1;
            if nodes > MAX_NODES {
                return Err(fail(here, format!("more than {MAX_NODES} values")));
            }
        }
        if anchor != 0 {
            anchors.insert(anchor, value.clone());
        }
        match stack.last_mut() {
            None => docs.push(value),
            Some(top) => {
                let base = top.pointer.clone();
                // each value's pointer is its parent's and one more token
                expanded += base.len() + 1 + top.pending_key.as_ref().map_or(8, |(k, _)| k.len());
                if expanded > budget {
                    return Err(too_big(here));
                }
                match &mut top.value {
                    Value::Array(a) => {
                        let p = format!("{base}/{}", a.len());
                        spans.insert_if_absent(
                            p,
                            Spans {
                                key: None,
                                value: range,
                            },
                        );
                        a.push(value);
                    }
                    Value::Object(o) => {
                        let (key, key_range) = top.pending_key.take().expect("key before value");
                        if key == "<<" {
                            // Merge key: the mapping(s) it names fill the keys
                            // not set explicitly, each located at the `<<`.
                            let sources: Vec<Value> = match value {
                                Value::Array(a) => a,
                                v => vec![v],
                            };
                            for src in sources {
                                let Value::Object(m) = src else {
                                    return Err(fail(
                                        key_range.start,
                                        "a merge key (`<<`) names something other than a mapping"
                                            .into(),
                                    ));
                                };
                                for (k, v) in m {
                                    if top.explicit.contains(&k) || o.contains_key(&k) {
                                        continue;
                                    }
                                    spans.insert(
                                        format!("{base}/{}", escape_pointer_token(&k)),
                                        Spans {
                                            key: Some(key_range.clone()),
                                            value: key_range.clone(),
                                        },
                                    );
                                    o.insert(k, v);
                                }
                            }
                        } else {
                            let p = format!("{base}/{}", escape_pointer_token(&key));
                            spans.insert(
                                p,
                                Spans {
                                    key: Some(key_range),
                                    value: range,
                                },
                            );
                            top.explicit.push(key.clone());
                            o.insert(key, value);
                        }
                    }
                    _ => unreachable!("only containers are on the stack"),
                }
            }
        }
    }
    Ok(Document::new(Value::Array(docs), spans))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_point_at_keys_and_values() {
        let src = "services:\n  gw:\n    image: openclaw\n    ports:\n      - \"18789:18789\"\n";
        let d = parse(src.as_bytes()).unwrap();
        assert_eq!(d.value[0]["services"]["gw"]["ports"][0], "18789:18789");
        let r = d.locate("/0/services/gw/image");
        assert_eq!(&src[r.start..r.start + 5], "image");
        let r = d.locate("/0/services/gw/ports/0");
        assert_eq!(&src[r], "\"18789:18789\"");
    }

    #[test]
    fn several_documents_and_scalars() {
        let d = parse(b"a: 1\nb: true\nc: ~\nd: '1'\n---\nkind: Service\n").unwrap();
        assert_eq!(d.value[0]["a"], 1);
        assert_eq!(d.value[0]["b"], true);
        assert!(d.value[0]["c"].is_null());
        assert_eq!(d.value[0]["d"], "1");
        assert_eq!(d.value[1]["kind"], "Service");
    }

    #[test]
    fn merge_keys_fill_unset_keys() {
        let src = "x: &base\n  privileged: true\n  image: a\ns:\n  <<: *base\n  image: b\n";
        let d = parse(src.as_bytes()).unwrap();
        assert_eq!(d.value[0]["s"]["privileged"], true);
        assert_eq!(d.value[0]["s"]["image"], "b");
        let r = d.locate("/0/s/privileged");
        assert_eq!(&src[r.start..r.start + 2], "<<");
    }

    #[test]
    fn alias_bombs_and_deep_nesting_are_errors() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..8 {
            let prev = if i == 0 {
                "a".to_string()
            } else {
                format!("b{}", i - 1)
            };
            bomb.push_str(&format!(
                "b{i}: &b{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        let e = parse(bomb.as_bytes()).unwrap_err();
        assert!(e.message.contains("alias"), "{}", e.message);
        let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
        let e = parse(deep.as_bytes()).unwrap_err();
        assert!(
            e.message.contains("deeper") || e.message.contains("recursion"),
            "{}",
            e.message
        );
    }

    #[test]
    fn syntax_errors_have_a_place() {
        let e = parse(b"a: [1, 2\nb: 3\n").unwrap_err();
        assert!(e.offset > 0);
    }
}
