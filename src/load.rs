//! Loading JSON and JSON5 while keeping the byte range of every key and value,
//! so that any JSON Pointer maps back to a line and column.

use jsonc_parser::ast::{ObjectPropName, Value as Ast};
use jsonc_parser::{CollectOptions, ParseOptions};
use serde_json::{Map, Number, Value};
use std::collections::HashMap;
use std::ops::Range;

/// Where a value sits in its file: the key's range (object members only) and
/// the value's range.
#[derive(Debug, Clone)]
pub struct Spans {
    pub key: Option<Range<usize>>,
    pub value: Range<usize>,
}

/// A parsed document plus the span of every JSON Pointer in it.
#[derive(Debug)]
pub struct Document {
    pub value: Value,
    pub spans: HashMap<String, Spans>,
}

/// A parse failure at a byte offset.
#[derive(Debug, Clone)]
pub struct ParseFailure {
    pub offset: usize,
    pub end: usize,
    pub message: String,
}

impl Document {
    /// The byte range to report for `pointer`: the key when the value is an
    /// object member (that is the line a reader looks for), else the value.
    /// A pointer that does not exist resolves to its nearest existing ancestor.
    pub fn locate(&self, pointer: &str) -> Range<usize> {
        let mut p = pointer;
        loop {
            if let Some(s) = self.spans.get(p) {
                return match &s.key {
                    Some(k) => k.start..s.value.end.max(k.end),
                    None => s.value.clone(),
                };
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return 0..0,
            }
        }
    }

    /// Whether `pointer` names a value that is present in the document.
    pub fn has(&self, pointer: &str) -> bool {
        self.spans.contains_key(pointer)
    }
}

pub fn escape_pointer_token(token: &str) -> String {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1")
    } else {
        token.to_string()
    }
}

/// Parses JSON or JSON5 text. Nesting deeper than 512 levels is a parse
/// failure (the parser's limit), never a stack overflow.
pub fn parse(bytes: &[u8]) -> Result<Document, ParseFailure> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.valid_up_to();
            return Err(ParseFailure {
                offset: at,
                end: at + 1,
                message: "the file is not valid UTF-8".into(),
            });
        }
    };
    // A UTF-8 byte order mark is allowed; keep offsets relative to the bytes.
    let (text, base) = match text.strip_prefix('\u{feff}') {
        Some(rest) => (rest, 3),
        None => (text, 0),
    };
    let options = ParseOptions {
        allow_missing_commas: false,
        ..ParseOptions::default()
    };
    let parsed =
        jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &options).map_err(|e| {
            let r = e.range();
            ParseFailure {
                offset: base + r.start,
                end: base + r.end.max(r.start + 1),
                message: e.kind().to_string(),
            }
        })?;
    let Some(root) = parsed.value else {
        return Err(ParseFailure {
            offset: base,
            end: base,
            message: "the file is empty: expected a JSON object".into(),
        });
    };
    let mut spans = HashMap::new();
    let mut pointer = String::new();
    let value = convert(&root, None, &mut pointer, &mut spans, base);
    Ok(Document { value, spans })
}

fn convert(
    ast: &Ast<'_>,
    key: Option<Range<usize>>,
    pointer: &mut String,
    spans: &mut HashMap<String, Spans>,
    base: usize,
) -> Value {
    let r = ast_range(ast);
    spans.insert(
        pointer.clone(),
        Spans {
            key,
            value: base + r.start..base + r.end,
        },
    );
    match ast {
        Ast::StringLit(s) => Value::String(s.value.to_string()),
        Ast::NumberLit(n) => number(n.value),
        Ast::BooleanLit(b) => Value::Bool(b.value),
        Ast::NullKeyword(_) => Value::Null,
        Ast::Array(a) => {
            let len = pointer.len();
            let mut out = Vec::with_capacity(a.elements.len());
            for (i, el) in a.elements.iter().enumerate() {
                pointer.push('/');
                pointer.push_str(&i.to_string());
                out.push(convert(el, None, pointer, spans, base));
                pointer.truncate(len);
            }
            Value::Array(out)
        }
        Ast::Object(o) => {
            let len = pointer.len();
            let mut out = Map::with_capacity(o.properties.len());
            for prop in &o.properties {
                let (name, krange) = match &prop.name {
                    ObjectPropName::String(s) => (s.value.to_string(), s.range),
                    ObjectPropName::Word(w) => (w.value.to_string(), w.range),
                };
                pointer.push('/');
                pointer.push_str(&escape_pointer_token(&name));
                let v = convert(
                    &prop.value,
                    Some(base + krange.start..base + krange.end),
                    pointer,
                    spans,
                    base,
                );
                pointer.truncate(len);
                out.insert(name, v);
            }
            Value::Object(out)
        }
    }
}

fn ast_range(ast: &Ast<'_>) -> jsonc_parser::common::Range {
    match ast {
        Ast::StringLit(v) => v.range,
        Ast::NumberLit(v) => v.range,
        Ast::BooleanLit(v) => v.range,
        Ast::NullKeyword(v) => v.range,
        Ast::Array(v) => v.range,
        Ast::Object(v) => v.range,
    }
}

/// JSON5 numbers: decimal, hex, leading `+`, bare decimal points, Infinity, NaN.
/// Non-finite numbers have no JSON form and are kept as their text.
fn number(text: &str) -> Value {
    let (neg, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if let Some(hex) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        if let Ok(v) = i64::from_str_radix(hex, 16) {
            return Value::Number(Number::from(if neg { -v } else { v }));
        }
    }
    if let Ok(v) = digits.parse::<u64>() {
        if !neg {
            return Value::Number(Number::from(v));
        }
        if let Ok(v) = i64::try_from(v) {
            return Value::Number(Number::from(-v));
        }
    }
    match digits.parse::<f64>() {
        Ok(v) if v.is_finite() => Number::from_f64(if neg { -v } else { v })
            .map(Value::Number)
            .unwrap_or_else(|| Value::String(text.to_string())),
        _ => Value::String(text.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json5_with_spans() {
        let text = "// c\n{\n  agents: { 'a-b': { timeout: 0x78, x: +1, },\n  },\n}\n";
        let doc = parse(text.as_bytes()).unwrap();
        assert_eq!(doc.value["agents"]["a-b"]["timeout"], 120);
        assert_eq!(doc.value["agents"]["a-b"]["x"], 1);
        let r = doc.locate("/agents/a-b/timeout");
        assert_eq!(&text[r.start..r.start + 7], "timeout");
        // missing pointer resolves to the nearest ancestor
        let r2 = doc.locate("/agents/a-b/missing");
        assert_eq!(&text[r2.start..r2.start + 5], "'a-b'");
    }

    #[test]
    fn failures_are_positions_not_panics() {
        assert!(parse(b"").is_err());
        assert!(parse(b"{").is_err());
        assert!(parse(b"\xff{}").is_err());
        let deep = format!("{}{}", "[".repeat(1000), "]".repeat(1000));
        let err = parse(deep.as_bytes()).unwrap_err();
        assert!(
            err.message.to_lowercase().contains("nesting"),
            "{}",
            err.message
        );
        assert!(parse(b"[]").is_ok());
    }
}
