//! Prepares the embedded JSON Schemas at build time (`build.rs` includes this
//! file; the crate's tests do too). Depends on `serde_json` only.
//!
//! [`prepare`] parses a schema, makes it compile with the Rust engine
//! ([`fix_schema`]), drops the keywords that never decide validity
//! ([`strip_annotations`]) and splits it into *parts*, so that a process compiles
//! only the parts a config uses: the OpenClaw 2026.9.6 schema is 2.4 MB and a
//! config uses a small fraction of it (parsing and compiling all of it took
//! about 100 ms and 40 MB per process).
//!
//! A part is the subschema at a JSON pointer of the whole schema, cut out of
//! its parent (which keeps `true` in its place) and wrapped in the keywords
//! that lead to it (`{"properties": {"gateway": {"properties": {"auth": …}}}}`),
//! so that a part's error and schema paths are those of the whole schema and
//! its absolute `$ref`s resolve. Only an object schema whose keywords all act
//! on the object itself (`type`, `required`, `additionalProperties`, …, no
//! union, `$ref` or `$defs`) is cut: its `properties` are independent checks,
//! so the errors of the parts together are the errors of the whole (the
//! crate's tests compare both on every example config).
//! A map (`additionalProperties: {schema}` and no `properties`) is descended
//! through: the properties of its value schema are cut the same way, at
//! `…/additionalProperties/properties/KEY`.

use serde_json::{Map, Value};

/// Subschemas smaller than this (bytes of compact JSON, annotations removed)
/// stay in their parent: a validator of its own costs more than compiling
/// them with it. Measured on one real 2026.9 config (instructions, callgrind,
/// one thread): 2048 → 66.8 M for the whole run, 512 → 59.2 M, 256 → 54.9 M,
/// 128 → 53.8 M; every fixture config together improves alike (123 → 101 M).
/// Smaller parts cost a config that sets many keys a few more builds, and
/// spare every config the compiling of the settings it does not have.
pub const MIN_PART: usize = 128;

/// Keywords of an object schema whose `properties` may be cut out.
const OBJECT_KEYWORDS: &[&str] = &[
    "type",
    "properties",
    "additionalProperties",
    "required",
    "propertyNames",
    "minProperties",
    "maxProperties",
    "title",
    "description",
    "default",
];

/// The parts of a schema: (JSON pointer of the part in the whole schema,
/// compact JSON of the wrapped part), sorted by pointer. The first is the
/// root (pointer `""`).
pub fn prepare(name: &str, text: &str) -> Vec<(String, String)> {
    let mut schema: Value = serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("embedded schema {name} is invalid JSON: {e}"));
    fix_schema(&mut schema);
    strip_annotations(&mut schema);
    let draft = schema.get("$schema").cloned();
    let whole = schema.clone();
    let mut cut = Vec::new();
    split(&mut schema, &mut String::new(), &mut cut, true);
    cut.push((String::new(), schema));
    let mut parts: Vec<(String, String)> = cut
        .into_iter()
        .map(|(pointer, sub)| {
            let doc = wrap(&pointer, sub, draft.as_ref());
            check_refs(name, &pointer, &doc, &whole);
            (pointer, doc.to_string())
        })
        .collect();
    parts.sort();
    parts
}

/// Keywords that describe a value and never decide whether it is valid
/// (JSON Schema 2020-12, "Meta-Data"). They are a third of the OpenClaw
/// 2026.9.6 schema's bytes (its field guide, in every `description`), which
/// every process parsed and compiled for nothing. The findings' texts read
/// only property names and the validators' errors.
const ANNOTATIONS: &[&str] = &[
    "title",
    "description",
    "default",
    "examples",
    "$comment",
    "deprecated",
    "readOnly",
    "writeOnly",
];

/// Removes the [`ANNOTATIONS`] of `schema` and of every subschema, found by
/// the keywords that hold subschemas (a property *named* `description`, or
/// a `const` or `enum` value with such a key, is kept). Run after
/// [`fix_schema`], which reads `default`.
pub fn strip_annotations(schema: &mut Value) {
    let Value::Object(map) = schema else {
        return;
    };
    map.retain(|k, _| !ANNOTATIONS.contains(&k.as_str()));
    for (k, sub) in map.iter_mut() {
        match (k.as_str(), sub) {
            (
                "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas",
                Value::Object(m),
            ) => m.values_mut().for_each(strip_annotations),
            ("anyOf" | "oneOf" | "allOf" | "prefixItems" | "items", Value::Array(a)) => {
                a.iter_mut().for_each(strip_annotations);
            }
            (
                "additionalProperties"
                | "items"
                | "not"
                | "if"
                | "then"
                | "else"
                | "contains"
                | "propertyNames"
                | "unevaluatedProperties"
                | "unevaluatedItems"
                | "additionalItems",
                s,
            ) => strip_annotations(s),
            _ => {}
        }
    }
}

/// Cuts the large `properties` out of `node` (at `pointer`) and its
/// descendants, deepest first, into `out`.
/// The root may also name its draft (`$schema`).
fn split(node: &mut Value, pointer: &mut String, out: &mut Vec<(String, Value)>, root: bool) {
    let Some(map) = node.as_object_mut() else {
        return;
    };
    if map
        .keys()
        .any(|k| !(OBJECT_KEYWORDS.contains(&k.as_str()) || (root && k == "$schema")))
    {
        return;
    }
    let len = pointer.len();
    if let Some(Value::Object(props)) = map.get_mut("properties") {
        for (key, sub) in props.iter_mut() {
            pointer.push_str("/properties/");
            pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
            split(sub, pointer, out, false);
            if compact_len(sub) >= MIN_PART {
                out.push((pointer.clone(), std::mem::replace(sub, Value::Bool(true))));
            }
            pointer.truncate(len);
        }
    } else if let Some(sub @ Value::Object(_)) = map.get_mut("additionalProperties") {
        pointer.push_str("/additionalProperties");
        split(sub, pointer, out, false);
        pointer.truncate(len);
    }
}

fn compact_len(v: &Value) -> usize {
    serde_json::to_vec(v).map_or(0, |b| b.len())
}

/// `sub` placed at `pointer` of a document that has only the keywords
/// leading to it (and the schema's `$schema`).
fn wrap(pointer: &str, sub: Value, draft: Option<&Value>) -> Value {
    let tokens: Vec<String> = pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect();
    let mut doc = sub;
    for t in tokens.iter().rev() {
        let mut m = Map::new();
        m.insert(t.clone(), doc);
        doc = Value::Object(m);
    }
    if !pointer.is_empty() {
        if let (Some(d), Value::Object(m)) = (draft, &mut doc) {
            m.insert("$schema".into(), d.clone());
        }
    }
    doc
}

/// Every `$ref` of a part must resolve inside it to what it names in the
/// whole schema (the references are absolute pointers; a target, or a schema
/// around it, cut out of the part would leave `true` or a smaller schema in
/// its place, and the build stops).
fn check_refs(name: &str, pointer: &str, doc: &Value, whole: &Value) {
    fn walk(v: &Value, doc: &Value, whole: &Value, bad: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(r)) = m.get("$ref") {
                    let target = r.strip_prefix('#').and_then(|p| doc.pointer(p));
                    let want = r.strip_prefix('#').and_then(|p| whole.pointer(p));
                    if target.is_none() || target != want {
                        bad.push(r.clone());
                    }
                }
                m.values().for_each(|s| walk(s, doc, whole, bad));
            }
            Value::Array(a) => a.iter().for_each(|s| walk(s, doc, whole, bad)),
            _ => {}
        }
    }
    let mut bad = Vec::new();
    walk(doc, doc, whole, &mut bad);
    assert!(
        bad.is_empty(),
        "embedded schema {name}: the part at `{pointer}` has references it does not hold: {bad:?}"
    );
}

/// Makes OpenClaw's schemas compile with the Rust engine:
/// - they come from zod and use ECMAScript regexes; the one construct the Rust
///   engines reject is `\\0` (NUL), which becomes `\\x00`;
/// - plugin config schemas are embedded whole, with `$defs` and `#/$defs/...`
///   references relative to the plugin schema, not to the document: those
///   references are rewritten to absolute pointers;
/// - the 2026.2.26 schema was exported in zod's "output" mode, which lists
///   every key that has a `default` as `required`: OpenClaw fills those in,
///   so they are optional in a config file (the top level's `commands` is one).
pub fn fix_schema(v: &mut Value) {
    fix_at(v, &mut String::new(), None);
}

fn fix_at(v: &mut Value, path: &mut String, defs_base: Option<&str>) {
    fn fix(p: &str) -> Option<String> {
        p.contains("\\0").then(|| p.replace("\\0", "\\x00"))
    }
    match v {
        Value::Object(map) => {
            if let Some(Value::String(p)) = map.get_mut("pattern") {
                if let Some(f) = fix(p) {
                    *p = f;
                }
            }
            if let Some(Value::Object(pp)) = map.get_mut("patternProperties") {
                let keys: Vec<String> = pp.keys().filter(|k| fix(k).is_some()).cloned().collect();
                for k in keys {
                    if let Some(sub) = pp.remove(&k) {
                        pp.insert(fix(&k).unwrap_or(k), sub);
                    }
                }
            }
            let defaulted: Vec<String> = match map.get("properties") {
                Some(Value::Object(props)) => props
                    .iter()
                    .filter(|(_, p)| p.get("default").is_some())
                    .map(|(k, _)| k.clone())
                    .collect(),
                _ => Vec::new(),
            };
            if !defaulted.is_empty() {
                if let Some(Value::Array(req)) = map.get_mut("required") {
                    req.retain(|r| r.as_str().is_none_or(|r| !defaulted.iter().any(|d| d == r)));
                }
            }
            if let Some(base) = defs_base {
                if let Some(Value::String(r)) = map.get_mut("$ref") {
                    if let Some(rest) = r.strip_prefix("#/$defs/") {
                        *r = format!("#{base}/$defs/{rest}");
                    }
                }
            }
            // A nested schema with its own `$defs` is the base of its references.
            let own_base = (!path.is_empty() && map.contains_key("$defs")).then(|| path.clone());
            let base = own_base.as_deref().or(defs_base).map(str::to_string);
            for (k, sub) in map.iter_mut() {
                let len = path.len();
                path.push('/');
                path.push_str(&k.replace('~', "~0").replace('/', "~1"));
                fix_at(sub, path, base.as_deref());
                path.truncate(len);
            }
        }
        Value::Array(a) => {
            for (i, sub) in a.iter_mut().enumerate() {
                let len = path.len();
                path.push('/');
                path.push_str(&i.to_string());
                fix_at(sub, path, defs_base);
                path.truncate(len);
            }
        }
        _ => {}
    }
}
