//! Planning a fix as text edits at byte ranges of the file, from the spans
//! the loader keeps for every JSON Pointer ([`crate::load::Document`]).
//!
//! Only the bytes of the changed member are touched: comments, the other
//! members, quoting and indentation stay as written. New text follows the
//! file's own style: the quote of the sibling keys and strings, the sibling
//! indentation, trailing commas when the object uses them, CRLF when the
//! file does.

use super::{FixSpec, Op};
use crate::load::{escape_pointer_token, Document};
use crate::normalise::Dialect;
use serde_json::Value;
use std::ops::Range;

/// Replacements: the bytes of each range become the text.
type Edits = Vec<(Range<usize>, String)>;

/// A planned fix: replacements (sorted, not overlapping) and the environment
/// variable a credential fix introduces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub edits: Edits,
    pub env_var: Option<String>,
}

/// The edits of `spec` for a finding at `pointer`, or `None` when the fix
/// does not apply to this document (the value is gone, a parent is not an
/// object, the new key exists already).
pub fn plan(
    spec: &FixSpec,
    pointer: &str,
    doc: &Document,
    bytes: &[u8],
    dialect: Dialect,
) -> Option<Planned> {
    let at = spec.pointer.as_deref().unwrap_or(pointer);
    let t = Text { bytes, doc };
    let edits = match &spec.op {
        Op::Manual => Vec::new(),
        Op::Set(json) => {
            let value: Value = serde_json::from_str(json).ok()?;
            t.set(at, &value)?
        }
        Op::Remove => t.remove(at)?,
        Op::Rename(to) => t.rename(at, to)?,
        Op::SecretRef { template } => {
            let (edits, var) = t.secret_ref(at, dialect, *template)?;
            return Some(Planned {
                edits,
                env_var: Some(var),
            });
        }
    };
    Some(Planned {
        edits,
        env_var: None,
    })
}

/// Removes the earlier of two members with the same key, whose key is at
/// `first_key` (the document keeps only the later one, as OpenClaw does).
pub fn remove_earlier_duplicate(
    doc: &Document,
    bytes: &[u8],
    first_key: Range<usize>,
) -> Option<Edits> {
    let value = value_after_key(bytes, first_key.end)?;
    Some(Text { bytes, doc }.remove_member(first_key, value))
}

/// The range of the value of the member whose key ends at `key_end`: the
/// tokens after its `:` up to the end of one value (balanced brackets).
fn value_after_key(bytes: &[u8], key_end: usize) -> Option<Range<usize>> {
    use jsonc_parser::tokens::Token;
    let text = std::str::from_utf8(bytes.get(key_end..)?).ok()?;
    let mut sc = jsonc_parser::Scanner::new(text, &jsonc_parser::ScannerOptions::default());
    loop {
        match sc.scan().ok()?? {
            Token::CommentLine(_) | Token::CommentBlock(_) => {}
            Token::Colon => break,
            _ => return None,
        }
    }
    let (mut depth, mut start) = (0usize, None);
    loop {
        let t = sc.scan().ok()??;
        let at = sc.token_start();
        match t {
            Token::CommentLine(_) | Token::CommentBlock(_) => continue,
            Token::OpenBrace | Token::OpenBracket => {
                start.get_or_insert(at);
                depth += 1;
                continue;
            }
            Token::CloseBrace | Token::CloseBracket => depth = depth.checked_sub(1)?,
            _ => {
                start.get_or_insert(at);
            }
        }
        if depth == 0 {
            return Some(key_end + start?..key_end + sc.token_end());
        }
    }
}

/// The environment variable named after a config path:
/// `models.providers.openai.apiKey` → `OPENCLAW_MODELS_PROVIDERS_OPENAI_APIKEY`.
pub fn env_var_name(pointer: &str) -> String {
    let mut s = String::from("OPENCLAW");
    for token in pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        s.push('_');
        let mut last_underscore = true;
        for c in token.chars() {
            if c.is_ascii_alphanumeric() {
                s.push(c.to_ascii_uppercase());
                last_underscore = false;
            } else if !last_underscore {
                s.push('_');
                last_underscore = true;
            }
        }
        while s.ends_with('_') {
            s.pop();
        }
    }
    s
}

fn parent_of(pointer: &str) -> Option<(&str, String)> {
    let i = pointer.rfind('/')?;
    let key = pointer[i + 1..].replace("~1", "/").replace("~0", "~");
    Some((&pointer[..i], key))
}

/// How new text is written in one object.
struct Style {
    /// `None`: keys unquoted where they are identifiers.
    key_quote: Option<u8>,
    string_quote: u8,
    /// Indentation of the object's members (multi-line objects).
    indent: String,
    /// One level of indentation.
    unit: String,
    newline: &'static str,
    /// Members end with a comma, the last one too.
    trailing_comma: bool,
}

struct Text<'a> {
    bytes: &'a [u8],
    doc: &'a Document,
}

impl Text<'_> {
    /// Members of the object at `pointer`: (key range, value range), in file order.
    fn members(&self, pointer: &str) -> Option<Vec<(Range<usize>, Range<usize>)>> {
        let obj = crate::load::lookup(&self.doc.value, pointer)?.as_object()?;
        let mut m: Vec<_> = obj
            .keys()
            .filter_map(|k| {
                let s = self
                    .doc
                    .spans
                    .get(&format!("{pointer}/{}", escape_pointer_token(k)))?;
                Some((s.key.clone()?, s.value.clone()))
            })
            .collect();
        m.sort_by_key(|(k, _)| k.start);
        Some(m)
    }

    /// The start of the line holding `at` (after the last CR or LF before it).
    fn line_start(&self, at: usize) -> usize {
        let breaks = self.doc.line_breaks(self.bytes);
        match breaks.partition_point(|&b| b < at) {
            0 => 0,
            i => breaks[i - 1] + 1,
        }
    }

    /// The first CR or LF at or after `at`, or the end of the text.
    fn line_end(&self, at: usize) -> usize {
        let breaks = self.doc.line_breaks(self.bytes);
        breaks
            .get(breaks.partition_point(|&b| b < at))
            .copied()
            .unwrap_or(self.bytes.len())
    }

    /// The end of the line break at `at` (CRLF, CR or LF), or `at`.
    fn after_newline(&self, at: usize) -> usize {
        match (self.bytes.get(at), self.bytes.get(at + 1)) {
            (Some(b'\r'), Some(b'\n')) => at + 2,
            (Some(b'\r' | b'\n'), _) => at + 1,
            _ => at,
        }
    }

    fn indent_of(&self, at: usize) -> String {
        let ls = self.line_start(at);
        let ws = self.bytes[ls..]
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        String::from_utf8_lossy(&self.bytes[ls..ls + ws]).into_owned()
    }

    fn skip_blanks(&self, mut at: usize) -> usize {
        while matches!(self.bytes.get(at), Some(b' ' | b'\t')) {
            at += 1;
        }
        at
    }

    fn same_line(&self, a: usize, b: usize) -> bool {
        let (a, b) = (a.min(b), a.max(b));
        !self.bytes[a..b].iter().any(|&c| c == b'\n' || c == b'\r')
    }

    fn style(&self, pointer: &str) -> Option<Style> {
        let span = self.doc.spans.get(pointer)?;
        let members = self.members(pointer)?;
        let quote_of = |r: &Range<usize>| match self.bytes.get(r.start) {
            Some(&q @ (b'"' | b'\'')) => Some(q),
            _ => None,
        };
        // The file's first quoted string decides when the object has none.
        let (file_quote, crlf) = self.doc.file_style(self.bytes);
        let file_quote = file_quote.unwrap_or(b'"');
        let key_quote = members.first().map_or_else(
            || {
                // An empty object: as the object's own key, or quoted.
                span.key.as_ref().map_or(Some(b'"'), quote_of)
            },
            |(k, _)| quote_of(k),
        );
        let string_quote = members
            .iter()
            .find_map(|(_, v)| quote_of(v))
            .or(key_quote)
            .unwrap_or(file_quote);
        let own = self.indent_of(span.key.as_ref().map_or(span.value.start, |k| k.start));
        let (indent, unit) = match members.first() {
            Some((k, _)) if !self.same_line(span.value.start, k.start) => {
                let indent = self.indent_of(k.start);
                let unit = indent
                    .strip_prefix(own.as_str())
                    .unwrap_or("  ")
                    .to_string();
                (indent, if unit.is_empty() { "  ".into() } else { unit })
            }
            _ => {
                let unit = if own.starts_with('\t') { "\t" } else { "  " };
                (format!("{own}{unit}"), unit.to_string())
            }
        };
        let newline = if crlf { "\r\n" } else { "\n" };
        let trailing_comma = members.last().is_some_and(|(_, v)| {
            let after = self.skip_blanks(v.end);
            self.bytes.get(after) == Some(&b',')
        });
        Some(Style {
            key_quote,
            string_quote,
            indent,
            unit,
            newline,
            trailing_comma,
        })
    }

    /// Sets the value at `pointer`, inserting the member (and missing parent
    /// objects) when absent.
    fn set(&self, pointer: &str, value: &Value) -> Option<Edits> {
        if let Some(span) = self.doc.spans.get(pointer) {
            let old = crate::load::lookup(&self.doc.value, pointer)?;
            // Never a setting's whole object replaced by a scalar (a policy
            // that names the parent where it meant a missing key).
            if old == value || (old.is_object() && !value.is_object()) {
                return None;
            }
            let (parent, _) = parent_of(pointer)?;
            let style = self.style(parent)?;
            // A string keeps the quote it was written with.
            let style = match self.bytes.get(span.value.start) {
                Some(&q @ (b'"' | b'\'')) => Style {
                    string_quote: q,
                    ..style
                },
                _ => style,
            };
            let multiline = true;
            return Some(vec![(
                span.value.clone(),
                render(value, &style, &style.indent, multiline),
            )]);
        }
        // Wrap the value in the missing parents, up to the nearest object.
        let (mut parent, mut key) = parent_of(pointer)?;
        let mut value = value.clone();
        while !self.doc.spans.contains_key(parent) {
            let mut wrapped = serde_json::Map::new();
            wrapped.insert(key, value);
            value = Value::Object(wrapped);
            let (p, k) = parent_of(parent)?;
            parent = p;
            key = k;
        }
        self.insert(parent, &key, &value)
    }

    /// Inserts `key: value` as the last member of the object at `pointer`.
    fn insert(&self, pointer: &str, key: &str, value: &Value) -> Option<Edits> {
        let obj = crate::load::lookup(&self.doc.value, pointer)?.as_object()?;
        if obj.contains_key(key) {
            return None;
        }
        let span = self.doc.spans.get(pointer)?;
        let style = self.style(pointer)?;
        let members = self.members(pointer)?;
        let close = span.value.end - 1; // the `}`
        let Some((_, last)) = members.last() else {
            // An empty object: `{}` becomes `{ key: value }`; one spanning
            // lines (perhaps holding comments) gets the member on its own line.
            let open = span.value.start + 1;
            let member = format!(
                "{}: {}",
                render_key(key, &style),
                render(value, &style, &style.indent, true)
            );
            return Some(vec![if self.same_line(open, close) {
                (open..open, format!(" {member} "))
            } else {
                let comma = if style.trailing_comma { "," } else { "" };
                (
                    open..open,
                    format!("{}{}{member}{comma}", style.newline, style.indent),
                )
            }]);
        };
        let after = self.skip_blanks(last.end);
        let has_comma = self.bytes.get(after) == Some(&b',');
        let after_comma = if has_comma { after + 1 } else { last.end };
        let multiline =
            !self.same_line(span.value.start, last.end) || !self.same_line(last.end, close);
        if multiline {
            // After the last member's line, past a trailing `//` comment.
            let eol = self.line_end(after_comma);
            let rest = &self.bytes[self.skip_blanks(after_comma)..eol];
            if rest.is_empty() || rest.starts_with(b"//") {
                let member = format!(
                    "{}{}{}: {}{}",
                    style.newline,
                    style.indent,
                    render_key(key, &style),
                    render(value, &style, &style.indent, true),
                    if has_comma { "," } else { "" }
                );
                let mut edits = Vec::new();
                if !has_comma {
                    edits.push((last.end..last.end, ",".to_string()));
                }
                edits.push((eol..eol, member));
                return Some(edits);
            }
        }
        // On one line: `a: 1, key: value` (or after the trailing comma).
        let member = format!(
            "{}: {}",
            render_key(key, &style),
            render(value, &style, &style.indent, false)
        );
        Some(vec![if has_comma {
            (after_comma..after_comma, format!(" {member},"))
        } else {
            (last.end..last.end, format!(", {member}"))
        }])
    }

    /// Removes the member at `pointer` with its comma; its line when it is
    /// alone on it. A comment after it on its line stays.
    fn remove(&self, pointer: &str) -> Option<Edits> {
        let span = self.doc.spans.get(pointer)?;
        Some(self.remove_member(span.key.clone()?, span.value.clone()))
    }

    /// Removes the member `key: value` (byte ranges) with its comma.
    fn remove_member(&self, key: Range<usize>, value: Range<usize>) -> Edits {
        let after = self.skip_blanks(value.end);
        let has_comma = self.bytes.get(after) == Some(&b',');
        let end = if has_comma { after + 1 } else { value.end };
        let ls = self.line_start(key.start);
        let alone_before = self.bytes[ls..key.start]
            .iter()
            .all(|&b| b == b' ' || b == b'\t');
        let rest_at = self.skip_blanks(end);
        let eol = self.line_end(end);
        let mut edits = Vec::new();
        // Without its own comma the member was the last: drop the comma
        // before it too, so a strict JSON file stays strict JSON.
        let before = self.bytes[..key.start]
            .iter()
            .rposition(|b| !b.is_ascii_whitespace());
        let prev_comma = (!has_comma)
            .then_some(before)
            .flatten()
            .filter(|&i| self.bytes[i] == b',');
        if alone_before && rest_at == eol {
            if let Some(c) = prev_comma {
                edits.push((c..c + 1, String::new()));
            }
            edits.push((ls..self.after_newline(eol), String::new()));
        } else if let (Some(c), false) = (prev_comma, alone_before) {
            edits.push((c..end, String::new()));
        } else {
            if let Some(c) = prev_comma {
                edits.push((c..c + 1, String::new()));
            }
            edits.push((key.start..rest_at, String::new()));
        }
        edits
    }

    /// Renames the member's key, quoted as it was.
    fn rename(&self, pointer: &str, to: &str) -> Option<Edits> {
        let span = self.doc.spans.get(pointer)?;
        let key = span.key.clone()?;
        let (parent, _) = parent_of(pointer)?;
        if crate::load::lookup(&self.doc.value, parent)?
            .get(to)
            .is_some()
        {
            return None;
        }
        let quote = match self.bytes.get(key.start) {
            Some(&q @ (b'"' | b'\'')) => Some(q),
            _ => None,
        };
        let style = Style {
            key_quote: quote,
            string_quote: quote.unwrap_or(b'"'),
            indent: String::new(),
            unit: String::new(),
            newline: "\n",
            trailing_comma: false,
        };
        Some(vec![(key, render_key(to, &style))])
    }

    /// Replaces the literal credential at `pointer`: a SecretRef on OpenClaw
    /// 2026.9 (an env provider that is declared, else the implicit
    /// `default`), `${VAR}` on 2026.2 and where the default provider is
    /// taken by another source.
    fn secret_ref(
        &self,
        pointer: &str,
        dialect: Dialect,
        template: bool,
    ) -> Option<(Edits, String)> {
        let span = self.doc.spans.get(pointer)?;
        if !crate::load::lookup(&self.doc.value, pointer)?.is_string() {
            return None;
        }
        let (root, base) = crate::normalise::unwrap(&self.doc.value);
        let var = env_var_name(pointer.strip_prefix(base).unwrap_or(pointer));
        let providers = root
            .pointer("/secrets/providers")
            .and_then(Value::as_object);
        let source_of = |name: &str| {
            providers
                .and_then(|p| p.get(name))
                .map(|p| p.get("source").and_then(Value::as_str).unwrap_or(""))
        };
        let provider = providers
            .and_then(|p| p.keys().find(|k| source_of(k) == Some("env")).cloned())
            .or_else(|| {
                source_of("default")
                    .is_none()
                    .then(|| "default".to_string())
            });
        let (parent, _) = parent_of(pointer)?;
        let style = self.style(parent)?;
        let text = match (dialect, provider) {
            (Dialect::OpenClaw2026_9, Some(provider)) if !template => {
                let mut r = serde_json::Map::new();
                r.insert("source".into(), Value::String("env".into()));
                r.insert("provider".into(), Value::String(provider));
                r.insert("id".into(), Value::String(var.clone()));
                render(&Value::Object(r), &style, &style.indent, false)
            }
            _ => {
                let q = match self.bytes.get(span.value.start) {
                    Some(&q @ (b'"' | b'\'')) => q,
                    _ => style.string_quote,
                };
                quote(&format!("${{{var}}}"), q)
            }
        };
        Some((vec![(span.value.clone(), text)], var))
    }
}

fn is_identifier(k: &str) -> bool {
    let mut c = k.chars();
    c.next()
        .is_some_and(|f| f.is_ascii_alphabetic() || f == '_' || f == '$')
        && c.all(|x| x.is_ascii_alphanumeric() || x == '_' || x == '$')
}

fn render_key(k: &str, style: &Style) -> String {
    match style.key_quote {
        None if is_identifier(k) => k.to_string(),
        None => quote(k, style.string_quote),
        Some(q) => quote(k, q),
    }
}

/// A string literal in quote `q` (`"` or `'`), escaped for JSON5.
fn quote(s: &str, q: u8) -> String {
    let json = serde_json::to_string(s).expect("a string serialises");
    if q == b'"' {
        return json;
    }
    // JSON escapes, with `\"` unescaped and `'` escaped instead.
    let inner = &json[1..json.len() - 1];
    format!("'{}'", inner.replace("\\\"", "\"").replace('\'', "\\'"))
}

/// `value` as JSON5 in `style`; objects and arrays on several lines at
/// `indent` when `multiline`, else on one line.
fn render(value: &Value, style: &Style, indent: &str, multiline: bool) -> String {
    match value {
        Value::String(s) => quote(s, style.string_quote),
        Value::Object(o) if o.is_empty() => "{}".into(),
        Value::Array(a) if a.is_empty() => "[]".into(),
        Value::Object(o) if multiline => {
            let inner = format!("{indent}{}", style.unit);
            let mut s = String::from("{");
            let n = o.len();
            for (i, (k, v)) in o.iter().enumerate() {
                let comma = if i + 1 < n || style.trailing_comma {
                    ","
                } else {
                    ""
                };
                s.push_str(&format!(
                    "{}{inner}{}: {}{comma}",
                    style.newline,
                    render_key(k, style),
                    render(v, style, &inner, true)
                ));
            }
            s.push_str(&format!("{}{indent}}}", style.newline));
            s
        }
        Value::Object(o) => {
            let members: Vec<String> = o
                .iter()
                .map(|(k, v)| {
                    format!(
                        "{}: {}",
                        render_key(k, style),
                        render(v, style, indent, false)
                    )
                })
                .collect();
            format!("{{ {} }}", members.join(", "))
        }
        Value::Array(a) => {
            let items: Vec<String> = a.iter().map(|v| render(v, style, indent, false)).collect();
            format!("[{}]", items.join(", "))
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::Applicability;

    /// Line starts and ends from the document's cached line breaks agree
    /// with a scan of the text, at every offset, for CR, LF and CRLF line
    /// ends and for one-line text; a text of another length is not served
    /// the cached breaks of the first.
    #[test]
    fn line_start_and_end_agree_with_a_scan() {
        let naive_start = |b: &[u8], at: usize| {
            b[..at]
                .iter()
                .rposition(|&c| c == b'\n' || c == b'\r')
                .map_or(0, |i| i + 1)
        };
        let naive_end = |b: &[u8], at: usize| {
            b[at..]
                .iter()
                .position(|&c| c == b'\n' || c == b'\r')
                .map_or(b.len(), |i| at + i)
        };
        for src in [
            "{\"a\": 1,\r\n  \"b\": {\"c\": 2}\r\n}",
            "{\"a\": 1,\r  \"b\": 2\r}\r",
            "{\n\"a\": 1,\n\n  \"b\": 2\n}\n",
            "{\"a\": 1, \"b\": [1, 2, 3]}",
        ] {
            let doc = crate::load::parse(src.as_bytes()).unwrap();
            let t = Text {
                bytes: src.as_bytes(),
                doc: &doc,
            };
            for at in 0..=src.len() {
                assert_eq!(
                    t.line_start(at),
                    naive_start(src.as_bytes(), at),
                    "{src:?} {at}"
                );
                assert_eq!(
                    t.line_end(at),
                    naive_end(src.as_bytes(), at),
                    "{src:?} {at}"
                );
            }
            let longer = format!("\n{src}");
            let t = Text {
                bytes: longer.as_bytes(),
                doc: &doc,
            };
            assert_eq!(t.line_end(0), 0);
            assert_eq!(t.line_start(1), 1);
        }
    }

    fn spec(op: Op, pointer: Option<&str>) -> FixSpec {
        FixSpec {
            op,
            pointer: pointer.map(str::to_string),
            applicability: Applicability::Safe,
            reason: "test".into(),
        }
    }

    fn apply(src: &str, s: &FixSpec, at: &str) -> String {
        let doc = crate::load::parse(src.as_bytes()).unwrap();
        let p = plan(s, at, &doc, src.as_bytes(), Dialect::OpenClaw2026_9).expect("applies");
        let mut out = src.to_string();
        for (r, t) in p.edits.iter().rev() {
            out.replace_range(r.clone(), t);
        }
        crate::load::parse(out.as_bytes()).expect("still parses");
        out
    }

    #[test]
    fn set_replaces_in_place_keeping_quote_and_comment() {
        let src = "{\n  // keep\n  a: { b: 'x', c: 1 }, // tail\n}\n";
        let s = spec(Op::Set("\"y\"".into()), None);
        assert_eq!(
            apply(src, &s, "/a/b"),
            "{\n  // keep\n  a: { b: 'y', c: 1 }, // tail\n}\n"
        );
    }

    #[test]
    fn insert_follows_indentation_quotes_and_trailing_commas() {
        let src = "{\n    \"a\": {\n        \"x\": 1, // one\n        \"y\": \"s\"\n    }\n}\n";
        let s = spec(Op::Set("true".into()), None);
        assert_eq!(
            apply(src, &s, "/a/z"),
            "{\n    \"a\": {\n        \"x\": 1, // one\n        \"y\": \"s\",\n        \"z\": true\n    }\n}\n"
        );
        let src = "{\n  a: {\n    x: 1, // one\n  },\n}\n";
        assert_eq!(
            apply(src, &s, "/a/z"),
            "{\n  a: {\n    x: 1, // one\n    z: true,\n  },\n}\n"
        );
        // Missing parents are created, inline where the object is inline.
        let src = "{ a: { x: 1 } }";
        assert_eq!(apply(src, &s, "/a/b/c"), "{ a: { x: 1, b: { c: true } } }");
        let src = "{\r\n  'a': {}\r\n}";
        assert_eq!(apply(src, &s, "/a/z"), "{\r\n  'a': { 'z': true }\r\n}");
    }

    #[test]
    fn remove_takes_the_line_and_keeps_comments() {
        let s = spec(Op::Remove, None);
        let src = "{\n  a: 1, // note\n  b: 2,\n  c: 3\n}\n";
        assert_eq!(apply(src, &s, "/b"), "{\n  a: 1, // note\n  c: 3\n}\n");
        assert_eq!(apply(src, &s, "/c"), "{\n  a: 1, // note\n  b: 2\n}\n");
        assert_eq!(apply(src, &s, "/a"), "{\n  // note\n  b: 2,\n  c: 3\n}\n");
        assert_eq!(apply("{ \"a\": 1, \"b\": 2 }", &s, "/b"), "{ \"a\": 1 }");
        assert_eq!(apply("{ \"a\": 1, \"b\": 2 }", &s, "/a"), "{ \"b\": 2 }");
    }

    #[test]
    fn the_earlier_duplicate_goes_with_its_comments_kept() {
        let src = "{\n  a: { x: [1, {y: 2}] }, // first\n  b: 1,\n  a: 3,\n}\n";
        let (doc, dups) = crate::load::parse_with_duplicates(src.as_bytes()).unwrap();
        let edits = remove_earlier_duplicate(&doc, src.as_bytes(), dups[0].first.clone()).unwrap();
        let mut out = src.to_string();
        for (r, t) in edits.iter().rev() {
            out.replace_range(r.clone(), t);
        }
        assert_eq!(out, "{\n  // first\n  b: 1,\n  a: 3,\n}\n");
    }

    #[test]
    fn rename_keeps_the_quote_and_refuses_a_clash() {
        let s = spec(Op::Rename("idleHours".into()), None);
        assert_eq!(
            apply("{ 'ttlHours': 4 }", &s, "/ttlHours"),
            "{ 'idleHours': 4 }"
        );
        let doc = crate::load::parse(b"{ ttlHours: 4, idleHours: 2 }").unwrap();
        assert!(plan(
            &s,
            "/ttlHours",
            &doc,
            b"{ ttlHours: 4, idleHours: 2 }",
            Dialect::OpenClaw2026_9
        )
        .is_none());
    }

    #[test]
    fn secret_ref_never_carries_the_value() {
        let src = "{ models: { providers: { openai: { apiKey: \"sk-secret-value\" } } } }";
        let doc = crate::load::parse(src.as_bytes()).unwrap();
        let s = spec(Op::SecretRef { template: false }, None);
        let p = plan(
            &s,
            "/models/providers/openai/apiKey",
            &doc,
            src.as_bytes(),
            Dialect::OpenClaw2026_9,
        )
        .unwrap();
        assert_eq!(
            p.env_var.as_deref(),
            Some("OPENCLAW_MODELS_PROVIDERS_OPENAI_APIKEY")
        );
        assert_eq!(
            p.edits[0].1,
            "{ source: \"env\", provider: \"default\", id: \"OPENCLAW_MODELS_PROVIDERS_OPENAI_APIKEY\" }"
        );
        let p = plan(
            &s,
            "/models/providers/openai/apiKey",
            &doc,
            src.as_bytes(),
            Dialect::OpenClaw2026_2,
        )
        .unwrap();
        assert_eq!(
            p.edits[0].1,
            "\"${OPENCLAW_MODELS_PROVIDERS_OPENAI_APIKEY}\""
        );
    }
}
