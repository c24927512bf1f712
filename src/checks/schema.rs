//! JSON Schema validation of configs against the schemas in `schemas/`,
//! embedded in the binary. Violations are OC101, unknown keys OC102.
//!
//! The schemas are prepared at build time and cut into parts
//! (`schema/prepare.rs`); a process parses and compiles a part at most once,
//! and only when a config reaches it (the OpenClaw 2026.9.6 schema is 2.4 MB).
//!
//! Real OpenClaw schemas are full of `anyOf`/`oneOf` (`string | SecretRef`,
//! the secret-provider union, ...). A failed union is not reported as one
//! opaque "not valid under any of the schemas" message: the branch that got
//! furthest is chosen and its own errors are reported, so an unknown key in a
//! union member still surfaces as OC102 naming the key.

use super::RawFinding;
use crate::finding::Severity;
use crate::fix::{Applicability, FixSpec, Op};
use crate::load::escape_pointer_token;
use crate::normalise::{dotted, Dialect};
use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::ValidationError;
use serde_json::Value;
use std::sync::OnceLock;

// The schemas in parts (`OPENCLAW_2026_9_PARTS`, ...), prepared by build.rs.
include!(concat!(env!("OUT_DIR"), "/schema_parts.rs"));

/// Fixing and splitting the schemas: build.rs runs it, the tests compare the
/// parts with the whole schema fixed by it (so only `fix_schema` is used here).
#[cfg(test)]
#[allow(dead_code)]
mod prepare;

/// The schemas as vendored (the tests compare the parts with the whole).
#[cfg(test)]
pub(crate) const POLICY_PROFILE_SCHEMA: &str =
    include_str!("../../schemas/policy-profile.schema.json");
/// `openclaw config schema` of openclaw 2026.9.6 (MIT, github.com/openclaw/openclaw).
#[cfg(test)]
pub(crate) const OPENCLAW_2026_9_SCHEMA: &str =
    include_str!("../../schemas/openclaw/schema-2026.9.6.json");
/// `OpenClawSchema.toJSONSchema()` of openclaw 2026.2.26 (MIT).
#[cfg(test)]
pub(crate) const OPENCLAW_2026_2_SCHEMA: &str =
    include_str!("../../schemas/openclaw/schema-2026.2.26.json");

/// The exact OpenClaw release each real dialect is validated against.
pub fn schema_version(dialect: Dialect) -> Option<&'static str> {
    match dialect {
        Dialect::PolicyProfile => None,
        Dialect::OpenClaw2026_2 => Some("2026.2.26"),
        Dialect::OpenClaw2026_9 => Some("2026.9.6"),
    }
}

/// A compiled validator and the schema it was built from (a part of a
/// dialect's schema), which the "did you mean" suggestions read the valid
/// keys from.
struct Compiled {
    validator: jsonschema::Validator,
    schema: Value,
}

fn compile(name: &str, text: &str, patterns: &jsonschema::PatternCache) -> Compiled {
    let schema: Value = serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("embedded schema {name} is invalid JSON: {e}"));
    compile_value_with(name, schema, Some(patterns))
}

fn compile_value_with(
    name: &str,
    schema: Value,
    patterns: Option<&jsonschema::PatternCache>,
) -> Compiled {
    let mut options = jsonschema::options().should_validate_formats(false);
    if let Some(p) = patterns {
        options = options.with_pattern_cache(p.clone());
    }
    let validator = options
        .build(&schema)
        .unwrap_or_else(|e| panic!("embedded schema {name} does not compile: {e}"));
    Compiled { validator, schema }
}

/// A dialect's schema in the parts build.rs cut it into (see
/// `schema/prepare.rs`): each part is parsed and compiled the first time a
/// config reaches it, so a config pays for the settings it has, not for the
/// whole schema (the OpenClaw 2026.9.6 schema is 2.4 MB, of which a typical
/// config reaches a few percent).
struct Parts {
    name: &'static str,
    /// (JSON pointer in the whole schema, part), sorted by pointer; the
    /// first is the root.
    parts: &'static [(&'static str, &'static str)],
    compiled: Vec<OnceLock<Compiled>>,
    /// The `pattern`s compiled so far, shared by every part of the schema.
    patterns: jsonschema::PatternCache,
    /// The parts' pointers as a tree of their (unescaped) tokens: what
    /// [`Parts::reach`] walks beside a config, one lookup per key.
    tree: Vec<Node>,
}

/// A pointer in [`Parts::tree`] that is, or lies above, a part's.
#[derive(Default)]
struct Node {
    /// The part at exactly this pointer.
    part: Option<usize>,
    /// The nodes one token below.
    children: std::collections::HashMap<&'static str, usize, foldhash::fast::FixedState>,
    /// Tokens that had to be unescaped (`~0`, `~1`): rare, kept owned.
    escaped: Vec<(String, usize)>,
}

impl Node {
    fn child(&self, token: &str) -> Option<usize> {
        self.children.get(token).copied().or_else(|| {
            self.escaped
                .iter()
                .find(|(t, _)| t == token)
                .map(|(_, i)| *i)
        })
    }
}

/// The tree of `parts`' pointers (the root is node 0).
fn pointer_tree(parts: &[(&'static str, &'static str)]) -> Vec<Node> {
    let mut tree = vec![Node::default()];
    for (i, (pointer, _)) in parts.iter().enumerate() {
        let mut at = 0;
        if !pointer.is_empty() {
            for token in pointer[1..].split('/') {
                let next = match tree[at].child(&crate::load::unescape_pointer_token(token)) {
                    Some(n) => n,
                    None => {
                        tree.push(Node::default());
                        let n = tree.len() - 1;
                        if token.contains('~') {
                            tree[at]
                                .escaped
                                .push((crate::load::unescape_pointer_token(token).into_owned(), n));
                        } else {
                            tree[at].children.insert(token, n);
                        }
                        n
                    }
                };
                at = next;
            }
        }
        // the first part at a pointer (the root part is the first)
        tree[at].part.get_or_insert(i);
    }
    tree
}

impl Parts {
    fn new(name: &'static str, parts: &'static [(&'static str, &'static str)]) -> Parts {
        Parts {
            name,
            parts,
            compiled: parts.iter().map(|_| OnceLock::new()).collect(),
            patterns: jsonschema::PatternCache::new(),
            tree: pointer_tree(parts),
        }
    }

    fn part(&self, i: usize) -> &Compiled {
        self.compiled[i].get_or_init(|| compile(self.name, self.parts[i].1, &self.patterns))
    }

    /// The validators that judge `root`: the root part's and those of every
    /// part the config reaches.
    fn validators(&self, root: &Value) -> Vec<&Compiled> {
        let mut reached = std::collections::BTreeSet::from([0]);
        self.reach(0, root, &mut reached);
        reached.into_iter().map(|i| self.part(i)).collect()
    }

    /// Adds the parts below the tree's `node` that `value` reaches. The
    /// depth is that of the parts, not of the config.
    fn reach(&self, node: usize, value: &Value, out: &mut std::collections::BTreeSet<usize>) {
        let Some(object) = value.as_object() else {
            return;
        };
        let tree = &self.tree;
        let properties = tree[node].child("properties");
        let additional = tree[node].child("additionalProperties");
        if properties.is_none() && additional.is_none() {
            return;
        }
        for (key, sub) in object {
            // A key is judged by its property's schema or, in a map, by the
            // value schema (prepare.rs descends maps without `properties`).
            let by_name = properties.and_then(|p| tree[p].child(key));
            for next in [by_name, additional].into_iter().flatten() {
                if let Some(i) = tree[next].part {
                    out.insert(i);
                }
                self.reach(next, sub, out);
            }
        }
    }
}

/// The validators of a dialect for `root`. Each part is compiled at most once
/// per process, and only when a config reaches it.
fn validators(root: &Value, dialect: Dialect) -> Vec<&'static Compiled> {
    static PROFILE: OnceLock<Parts> = OnceLock::new();
    static OC_2026_2: OnceLock<Parts> = OnceLock::new();
    static OC_2026_9: OnceLock<Parts> = OnceLock::new();
    let (cell, name, parts) = match dialect {
        Dialect::PolicyProfile => (&PROFILE, "policy-profile.schema.json", POLICY_PROFILE_PARTS),
        Dialect::OpenClaw2026_2 => (
            &OC_2026_2,
            "openclaw/schema-2026.2.26.json",
            OPENCLAW_2026_2_PARTS,
        ),
        Dialect::OpenClaw2026_9 => (
            &OC_2026_9,
            "openclaw/schema-2026.9.6.json",
            OPENCLAW_2026_9_PARTS,
        ),
    };
    cell.get_or_init(|| Parts::new(name, parts))
        .validators(root)
}

/// Validates `root` (the dialect's root object, found at `base` in the document).
pub fn check(root: &Value, base: &str, dialect: Dialect) -> Vec<RawFinding> {
    findings(&validators(root, dialect), root, base, dialect)
}

/// The findings of the validators `vs` (all of one dialect) on `root`.
fn findings(vs: &[&Compiled], root: &Value, base: &str, dialect: Dialect) -> Vec<RawFinding> {
    if vs.iter().all(|c| c.validator.is_valid(root)) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for c in vs {
        let ctx = Ctx {
            base,
            suffix: unknown_key_hint(root, dialect),
            schema: &c.schema,
            dialect,
            newer: newer_than_schema(root, dialect),
        };
        for err in c.validator.iter_errors(root) {
            ctx.report(&err, &mut out);
        }
    }
    out.sort();
    out.dedup();
    out
}

struct Ctx<'a> {
    base: &'a str,
    /// Appended to unknown-key messages (e.g. "written by a newer OpenClaw").
    suffix: String,
    schema: &'a Value,
    dialect: Dialect,
    /// The config names a newer OpenClaw than the schema.
    newer: bool,
}

impl Ctx<'_> {
    fn report(&self, err: &ValidationError<'_>, out: &mut Vec<RawFinding>) {
        let at = format!("{}{}", self.base, err.instance_path().as_str());
        let msg = |text: String| RawFinding {
            rule: "OC101".into(),
            pointer: at.clone(),
            message: format!("{}: {text}", describe(&at, self.base)),
            severity: None,
            fix: None,
            places: Vec::new(),
        };
        match err.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                let parent = dotted(&at, self.base);
                for key in unexpected {
                    let pointer = format!("{at}/{}", escape_pointer_token(key));
                    if let Some((m, migration)) = removed_key(self.dialect, &parent, key) {
                        out.push(RawFinding {
                            rule: "OC104".into(),
                            pointer,
                            message: format!(
                                "`{key}` in {} was removed in OpenClaw {} and the config is rejected: {}",
                                describe(&at, self.base),
                                schema_version(self.dialect).unwrap_or(""),
                                m
                            ),
                            severity: None,
                            fix: Some(migration.fix(Some(err.instance().as_ref()))),
                            places: Vec::new(),
                        });
                        continue;
                    }
                    // 2026.9 still loads `agents.list` (migrated in memory to
                    // `agents.entries`, with a warning): not a rejection.
                    let migrated = self.dialect == Dialect::OpenClaw2026_9
                        && parent == "agents"
                        && key == "list";
                    let valid = valid_keys(self.schema, err.schema_path().as_str());
                    let hint = if migrated {
                        "; OpenClaw 2026.9 still loads it, moved to `agents.entries` in memory (`openclaw doctor --fix` rewrites the file)".to_string()
                    } else {
                        did_you_mean(key, &valid)
                            .map(|k| format!("; did you mean `{k}`?"))
                            .unwrap_or_default()
                    };
                    out.push(RawFinding {
                        rule: "OC102".into(),
                        pointer,
                        message: format!(
                            "unknown key `{key}` in {}{}{hint}",
                            describe(&at, self.base),
                            self.suffix
                        ),
                        // OpenClaw refuses to load a real config with an
                        // unknown key; only a config written by a newer
                        // OpenClaw may hold a setting this schema lacks.
                        severity: (self.dialect != Dialect::PolicyProfile
                            && !self.newer
                            && !migrated)
                            .then_some(Severity::Error),
                        // doctor's projection (ids normalised and made
                        // unique, the first agent's workspace pinned) is
                        // left to doctor.
                        fix: migrated.then(|| FixSpec {
                            op: Op::Manual,
                            pointer: None,
                            applicability: Applicability::Manual,
                            reason: "run `openclaw doctor --fix`: it moves `agents.list` to keyed `agents.entries`".into(),
                        }),
                        places: Vec::new(),
                    });
                }
            }
            ValidationErrorKind::AnyOf { context }
            | ValidationErrorKind::OneOfNotValid { context } => {
                self.report_union(err, context, out);
            }
            ValidationErrorKind::Type { kind } => out.push(msg(format!(
                "expected {}, found {}",
                type_names(kind),
                json_type(err.instance())
            ))),
            ValidationErrorKind::Enum { options } => out.push(msg(format!(
                "{} is not one of {}",
                short(err.instance()),
                list(options)
            ))),
            ValidationErrorKind::Constant { expected_value } => out.push(msg(format!(
                "{} is not {}",
                short(err.instance()),
                short(expected_value)
            ))),
            ValidationErrorKind::Required { property } => out.push(msg(format!(
                "required key {} is missing",
                property
                    .as_str()
                    .map_or_else(|| short(property), |p| format!("`{p}`"))
            ))),
            ValidationErrorKind::PropertyNames { error } => {
                let name = error.instance();
                out.push(RawFinding {
                    rule: "OC101".into(),
                    pointer: match name.as_str() {
                        Some(k) => format!("{at}/{}", escape_pointer_token(k)),
                        None => at.clone(),
                    },
                    message: format!(
                        "{}: key {} is not allowed here ({})",
                        describe(&at, self.base),
                        short(name),
                        clean(&error.to_string())
                    ),
                    severity: None,
                    fix: None,
                    places: Vec::new(),
                })
            }
            _ => out.push(msg(clean(&err.to_string()))),
        }
    }

    /// A failed `anyOf`/`oneOf`: report the errors of the branch that matched
    /// best. When no branch even has the right type or discriminator, one
    /// short message lists what was expected.
    fn report_union(
        &self,
        err: &ValidationError<'_>,
        context: &[Vec<ValidationError<'static>>],
        out: &mut Vec<RawFinding>,
    ) {
        let here = err.instance_path().as_str();
        let best = context
            .iter()
            .filter(|errs| !errs.is_empty())
            .min_by_key(|errs| branch_cost(here, errs));
        match best {
            Some(errs) if branch_cost(here, errs).0 == 0 => {
                for e in errs {
                    self.report(e, out);
                }
            }
            _ => {
                // Every branch fails at the value itself: say what it could be.
                let mut expected: Vec<String> = Vec::new();
                for errs in context {
                    for e in errs {
                        if e.instance_path().as_str() != here {
                            continue;
                        }
                        let s = match e.kind() {
                            ValidationErrorKind::Type { kind } => type_names(kind),
                            ValidationErrorKind::Constant { expected_value } => {
                                short(expected_value)
                            }
                            ValidationErrorKind::Enum { options } => list(options),
                            _ => continue,
                        };
                        if !expected.contains(&s) {
                            expected.push(s);
                        }
                    }
                }
                let at = format!("{}{}", self.base, here);
                let text = if expected.is_empty() {
                    // Fall back to the first branch's first error.
                    match context.iter().flatten().next() {
                        Some(e) => {
                            self.report(e, out);
                            return;
                        }
                        None => "does not match any allowed form".to_string(),
                    }
                } else {
                    format!(
                        "{} does not match any allowed form (expected {})",
                        short(err.instance()),
                        expected.join(" or ")
                    )
                };
                out.push(RawFinding {
                    rule: "OC101".into(),
                    pointer: at.clone(),
                    message: format!("{}: {text}", describe(&at, self.base)),
                    severity: None,
                    fix: None,
                    places: Vec::new(),
                });
            }
        }
    }
}

/// How badly a union branch failed: (fails at the value itself on type or
/// discriminator, number of errors, minus the depth reached).
fn branch_cost(here: &str, errs: &[ValidationError<'static>]) -> (usize, usize, isize) {
    let mut root_fail = 0;
    let mut depth = 0;
    for e in errs {
        let p = e.instance_path().as_str();
        let d = p.matches('/').count() as isize;
        depth = depth.max(d);
        let at_root = p == here;
        let discriminator = p.len() > here.len()
            && matches!(e.kind(), ValidationErrorKind::Constant { .. })
            && p[here.len()..].matches('/').count() == 1;
        let kind_at_root = matches!(
            e.kind(),
            ValidationErrorKind::Type { .. }
                | ValidationErrorKind::Constant { .. }
                | ValidationErrorKind::Enum { .. }
        );
        if (at_root && kind_at_root) || discriminator {
            root_fail += 1;
        }
    }
    (root_fail, errs.len(), -depth)
}

/// When a real config names a newer OpenClaw than the vendored schema, unknown
/// keys are probably new settings, not typos: say so.
fn unknown_key_hint(root: &Value, dialect: Dialect) -> String {
    let Some(schema) = schema_version(dialect) else {
        return String::new();
    };
    let touched = root
        .pointer("/meta/lastTouchedVersion")
        .and_then(Value::as_str);
    match touched {
        Some(v) if version_key(v) > version_key(schema) => format!(
            " (not in the OpenClaw {schema} schema; this config was last written by OpenClaw {v}, so it may be a newer setting)"
        ),
        _ => format!(" (not in the OpenClaw {schema} schema)"),
    }
}

fn newer_than_schema(root: &Value, dialect: Dialect) -> bool {
    let (Some(schema), Some(v)) = (
        schema_version(dialect),
        root.pointer("/meta/lastTouchedVersion")
            .and_then(Value::as_str),
    ) else {
        return false;
    };
    version_key(v) > version_key(schema)
}

fn version_key(v: &str) -> Vec<u64> {
    v.split(|c: char| !c.is_ascii_digit())
        .take(3)
        .map(|p| p.parse().unwrap_or(0))
        .collect()
}

fn type_names(kind: &TypeKind) -> String {
    match kind {
        TypeKind::Single(t) => t.to_string(),
        TypeKind::Multiple(set) => set
            .iter()
            .map(|t| t.to_string())
            .collect::<Vec<_>>()
            .join(" or "),
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A value for a message: scalars as JSON, containers by kind only (they can be
/// large and may hold secrets).
fn short(v: &Value) -> String {
    match v {
        Value::Array(_) | Value::Object(_) => json_type(v).to_string(),
        // a random-looking string may be a credential in the wrong field
        Value::String(s) if crate::openclaw::pasted_credential(s) => {
            format!("\"{}\"", crate::redact::redact(s.as_bytes()))
        }
        // a long string may be a credential in the wrong field: no more of
        // it than a redaction would show (a fifth, at most 10 bytes)
        Value::String(s) if s.chars().count() > 40 => {
            format!("\"{}…\"", s.chars().take(8).collect::<String>())
        }
        _ => v.to_string(),
    }
}

fn list(options: &Value) -> String {
    match options.as_array() {
        Some(a) => a.iter().map(short).collect::<Vec<_>>().join(", "),
        None => short(options),
    }
}

fn describe(pointer: &str, base: &str) -> String {
    let rel = pointer.strip_prefix(base).unwrap_or(pointer);
    if rel.is_empty() {
        "the top level".into()
    } else {
        let dotted: Vec<String> = rel[1..]
            .split('/')
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
            .collect();
        format!("`{}`", dotted.join("."))
    }
}

/// What `openclaw doctor --fix` does with a removed key (its legacy-config
/// migrations, `dist/legacy-*.mjs` of 2026.9.6), as far as clawcheck repeats it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Migration {
    /// Moved to a sibling key; dropped when that key is already set.
    Rename(&'static str),
    /// Deleted.
    Delete,
    /// Moved elsewhere or reshaped: left to `openclaw doctor --fix`.
    Manual,
}

impl Migration {
    /// The fix of an OC104 finding for `key` in the object `parent` (the
    /// config's value there).
    fn fix(self, parent: Option<&Value>) -> FixSpec {
        let (op, applicability, reason) = match self {
            // doctor merges an object into the one already there: by hand.
            Migration::Rename(to)
                if parent
                    .and_then(|p| p.get(to))
                    .is_some_and(Value::is_object) =>
            {
                return Migration::Manual.fix(parent)
            }
            Migration::Rename(to) if parent.and_then(|p| p.get(to)).is_some() => (
                Op::Remove,
                Applicability::Safe,
                format!("`{to}` is already set, so the old key is dropped, as `openclaw doctor --fix` does"),
            ),
            Migration::Rename(to) => (
                Op::Rename(to.to_string()),
                Applicability::Safe,
                format!("renames the key to `{to}`, the migration `openclaw doctor --fix` applies"),
            ),
            Migration::Delete => (
                Op::Remove,
                Applicability::Safe,
                "deletes the key, as `openclaw doctor --fix` does: OpenClaw 2026.9 does not read it and rejects the file while it is there".to_string(),
            ),
            Migration::Manual => (
                Op::Manual,
                Applicability::Manual,
                "the setting moves or changes shape: run `openclaw doctor --fix` or apply the migration by hand".to_string(),
            ),
        };
        FixSpec {
            op,
            pointer: None,
            applicability,
            reason,
        }
    }
}

/// Keys OpenClaw 2026.9 refuses to load that its `openclaw doctor --fix`
/// migrates (legacy-config rules of 2026.9.6): (parent path, `*` = any one
/// key, removed key, the migration's text, what `--fix` does).
const REMOVED_2026_9: &[(&str, &str, &str, Migration)] = {
    use Migration::{Delete, Manual, Rename};
    &[
    ("session.threadBindings", "ttlHours", "renamed to `idleHours` (`openclaw doctor --fix` migrates it)", Rename("idleHours")),
    ("channels.*.threadBindings", "ttlHours", "renamed to `idleHours` (`openclaw doctor --fix` migrates it)", Rename("idleHours")),
    ("channels.*.accounts.*.threadBindings", "ttlHours", "renamed to `idleHours` (`openclaw doctor --fix` migrates it)", Rename("idleHours")),
    ("session.threadBindings", "spawnSubagentSessions", "replaced by `spawnSessions` (`openclaw doctor --fix` migrates it)", Manual),
    ("session.threadBindings", "spawnAcpSessions", "replaced by `spawnSessions` (`openclaw doctor --fix` migrates it)", Manual),
    ("logging", "redactSensitive", "redaction is always on; remove the key (`logging.redactPatterns` adds patterns)", Delete),
    ("tools.exec", "timeoutSec", "renamed to `timeoutSeconds` (`openclaw doctor --fix` migrates it)", Rename("timeoutSeconds")),
    ("agents.entries.*.tools.exec", "timeoutSec", "renamed to `timeoutSeconds` (`openclaw doctor --fix` migrates it)", Rename("timeoutSeconds")),
    ("agents.list.*.tools.exec", "timeoutSec", "renamed to `timeoutSeconds` (`openclaw doctor --fix` migrates it)", Rename("timeoutSeconds")),
    ("gateway.controlUi", "allowInsecureAuth", "removed; delete the key (use device pairing)", Delete),
    ("commands", "useAccessGroups", "removed; delete the key", Delete),
    ("meta", "lastTouchedAt", "removed; delete the key", Delete),
    ("agents.defaults.sandbox", "perSession", "replaced by `scope` (`openclaw doctor --fix` migrates it)", Manual),
    ("agents.entries.*.sandbox", "perSession", "replaced by `scope` (`openclaw doctor --fix` migrates it)", Manual),
    ("", "memorySearch", "moved to `memory.search` (`openclaw doctor --fix` migrates it)", Manual),
    ("agents.defaults", "memorySearch", "moved to `memory.search` (`openclaw doctor --fix` migrates it)", Manual),
    ("agents.entries.*", "memorySearch", "moved to `agents.entries.<id>.memory.search` (`openclaw doctor --fix` migrates it)", Manual),
    ("", "heartbeat", "use `agents.defaults.heartbeat` (cadence, target, model) or `channels.defaults.heartbeat` (showOk, showAlerts)", Manual),
    ("session", "typingMode", "moved to `agents.defaults.typingMode` (`openclaw doctor --fix` migrates it)", Manual),
    ("agents.defaults", "embeddedPi", "renamed to `embeddedAgent` (`openclaw doctor --fix` migrates it)", Rename("embeddedAgent")),
    ("agents.defaults", "llm", "use `models.providers.<id>.timeoutSeconds` (`openclaw doctor --fix` migrates it)", Manual),
    ("agents.defaults", "systemPromptOverride", "removed: OpenClaw owns the system prompt; delete the key", Delete),
    ("agents.defaults", "silentReplyRewrite", "removed; delete the key", Delete),
    ("routing", "allowFrom", "use `channels.whatsapp.allowFrom` (`openclaw doctor --fix` migrates it)", Manual),
    ("channels", "webchat", "retired; delete it (`openclaw doctor --fix`)", Delete),
    ]
};

/// The migration of a key the dialect's OpenClaw no longer accepts at `parent`.
fn removed_key(dialect: Dialect, parent: &str, key: &str) -> Option<(&'static str, Migration)> {
    if dialect != Dialect::OpenClaw2026_9 {
        return None;
    }
    let segs: Vec<&str> = if parent.is_empty() {
        Vec::new()
    } else {
        parent.split('.').collect()
    };
    REMOVED_2026_9.iter().find_map(|(p, k, m, fix)| {
        let pat: Vec<&str> = if p.is_empty() {
            Vec::new()
        } else {
            p.split('.').collect()
        };
        (*k == key
            && pat.len() == segs.len()
            && pat.iter().zip(&segs).all(|(a, b)| *a == "*" || a == b))
        .then_some((*m, *fix))
    })
}

/// The keys the schema allows where an `additionalProperties: false` failed
/// (the sibling `properties` of the failing keyword).
fn valid_keys(schema: &Value, schema_path: &str) -> Vec<String> {
    let Some(parent) = schema_path.strip_suffix("/additionalProperties") else {
        return Vec::new();
    };
    let node = if parent.is_empty() {
        Some(schema)
    } else {
        schema.pointer(parent)
    };
    node.and_then(|n| n.get("properties"))
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default()
}

/// The closest valid key by edit distance (case-insensitive), when it is close
/// enough to be a typo: at most 1 edit for short keys, a third of the length
/// for longer ones.
fn did_you_mean<'a>(key: &str, valid: &'a [String]) -> Option<&'a str> {
    let k = key.to_lowercase();
    let limit = (key.chars().count() / 3).clamp(1, 4);
    valid
        .iter()
        .map(|v| (edit_distance(&k, &v.to_lowercase()), v))
        .filter(|(d, _)| *d <= limit)
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, v)| v.as_str())
}

/// Levenshtein distance over chars.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Keeps messages short: jsonschema quotes whole instances, which can be large.
fn clean(msg: &str) -> String {
    let mut s: String = msg.chars().take(200).collect();
    if s.len() < msg.len() {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The configs the comparison below runs on: every example and rule
    /// fixture, the differential corpus, and each of them with every scalar
    /// replaced in turn by a value of the wrong type (so that every part
    /// reached reports something).
    fn corpus() -> Vec<(String, Value)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in [
            "tests/fixtures/openclaw",
            "tests/fixtures/rules",
            "bench/openclaw-diff/corpus/2026.9",
            "examples",
        ] {
            for e in std::fs::read_dir(root.join(dir)).unwrap() {
                let p = e.unwrap().path();
                if p.extension().is_some_and(|x| x == "json" || x == "json5") {
                    files.push(p);
                }
            }
        }
        files.sort();
        let mut out = Vec::new();
        for p in files {
            let Ok(doc) = crate::load::parse(&std::fs::read(&p).unwrap()) else {
                continue;
            };
            let name = p.display().to_string();
            let mut edits = Vec::new();
            mutations(&doc.value, &mut String::new(), &mut edits);
            // At most 40 per file, spread over the whole file.
            let step = edits.len().div_ceil(40).max(1);
            for (at, replacement) in edits.into_iter().step_by(step) {
                let mut d = doc.value.clone();
                *d.pointer_mut(&at).unwrap() = replacement;
                out.push((format!("{name} {at}"), d));
            }
            out.push((name, doc.value));
        }
        out
    }

    /// (pointer, replacement): each scalar swapped for a value of another
    /// type, each object with an unknown key added.
    fn mutations(v: &Value, at: &mut String, out: &mut Vec<(String, Value)>) {
        fn descend(token: String, sub: &Value, at: &mut String, out: &mut Vec<(String, Value)>) {
            let len = at.len();
            at.push('/');
            at.push_str(&token);
            mutations(sub, at, out);
            at.truncate(len);
        }
        match v {
            Value::Object(m) => {
                let mut extra = v.clone();
                extra["zzUnknownKey"] = json!(1);
                out.push((at.clone(), extra));
                for (k, sub) in m {
                    descend(escape_pointer_token(k).into_owned(), sub, at, out);
                }
            }
            Value::Array(a) => {
                for (i, sub) in a.iter().enumerate() {
                    descend(i.to_string(), sub, at, out);
                }
            }
            Value::String(_) => out.push((at.clone(), json!(7))),
            _ => out.push((at.clone(), json!("zz"))),
        }
    }

    /// The parts report exactly what the whole schema reports.
    /// The parts a config reaches, by a key written with `/` or `~` (escaped
    /// in the parts' pointers), by name and through a map's value schema.
    #[test]
    fn reach_follows_escaped_keys_and_maps() {
        const PARTS: &[(&str, &str)] = &[
            ("", "{}"),
            ("/properties/a~1b", "{}"),
            ("/properties/a~1b/properties/c~0d", "{}"),
            ("/properties/m/additionalProperties", "{}"),
            ("/properties/m/additionalProperties/properties/x", "{}"),
            ("/properties/plain", "{}"),
        ];
        let parts = Parts::new("test", PARTS);
        let reached = |v: Value| {
            let mut out = std::collections::BTreeSet::from([0]);
            parts.reach(0, &v, &mut out);
            out.into_iter().collect::<Vec<_>>()
        };
        assert_eq!(reached(serde_json::json!({"a/b": {"c~d": 1}})), [0, 1, 2]);
        assert_eq!(reached(serde_json::json!({"a~1b": {"c~0d": 1}})), [0]);
        assert_eq!(
            reached(serde_json::json!({"m": {"k1": {"x": 1}, "k2": 2}})),
            [0, 3, 4]
        );
        assert_eq!(
            reached(serde_json::json!({"plain": {"x": 1}, "other": {}})),
            [0, 5]
        );
        assert_eq!(reached(serde_json::json!([{"plain": 1}])), [0]);
    }

    #[test]
    fn parts_report_what_the_whole_schema_reports() {
        let whole = |name: &str, text: &str| {
            let mut v: Value = serde_json::from_str(text).unwrap();
            prepare::fix_schema(&mut v);
            compile_value_with(name, v, None)
        };
        let schemas = [
            (
                Dialect::PolicyProfile,
                whole("profile", POLICY_PROFILE_SCHEMA),
            ),
            (
                Dialect::OpenClaw2026_2,
                whole("2026.2", OPENCLAW_2026_2_SCHEMA),
            ),
            (
                Dialect::OpenClaw2026_9,
                whole("2026.9", OPENCLAW_2026_9_SCHEMA),
            ),
        ];
        let corpus = corpus();
        assert!(corpus.len() > 1000, "{}", corpus.len());
        let mut reported = 0;
        for (name, doc) in &corpus {
            let (root, base) = crate::normalise::unwrap(doc);
            for (dialect, whole) in &schemas {
                let want = findings(&[whole], root, base, *dialect);
                assert_eq!(check(root, base, *dialect), want, "{name} as {dialect:?}");
                reported += want.len();
            }
        }
        assert!(reported > 1000, "{reported}");
        // The 2026.9 schema is cut, and a config compiles a small part of it.
        assert!(OPENCLAW_2026_9_PARTS.len() > 50);
        assert_eq!(OPENCLAW_2026_9_PARTS[0].0, "");
    }

    #[test]
    fn type_errors_and_unknown_keys() {
        let doc = json!({"agents": {"p": {"auto-destroy": "yes", "auto_destroy": true}}});
        let f = check(&doc, "", Dialect::PolicyProfile);
        assert!(
            f.iter()
                .any(|f| f.rule == "OC101" && f.pointer == "/agents/p/auto-destroy"),
            "{f:?}"
        );
        assert!(
            f.iter()
                .any(|f| f.rule == "OC102" && f.pointer == "/agents/p/auto_destroy"),
            "{f:?}"
        );
    }

    #[test]
    fn the_seed_profile_is_valid() {
        let doc = json!({"agents": {"critical-tasks": {"runtime": "thread-bound", "model": "m", "auto-destroy": true, "timeout": 120}}});
        assert!(check(&doc, "", Dialect::PolicyProfile).is_empty());
    }

    #[test]
    fn real_configs_unknown_keys_inside_unions() {
        // SecretRef with an extra key: the union is string | SecretRef.
        let doc = json!({"gateway": {"auth": {"token": {"source": "env", "provider": "default", "id": "T", "extra": 1}}}});
        let f = check(&doc, "", Dialect::OpenClaw2026_9);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].rule, "OC102");
        assert_eq!(f[0].pointer, "/gateway/auth/token/extra");
        // A wrong discriminator: one short message at the value.
        let doc = json!({"gateway": {"auth": {"token": {"source": "vault", "provider": "v", "id": "T"}}}});
        let f = check(&doc, "", Dialect::OpenClaw2026_9);
        assert!(!f.is_empty(), "{f:?}");
        assert!(f.iter().all(|f| f.message.len() < 300), "{f:?}");
        // Unknown top-level key, and a newer writer.
        let doc = json!({"meta": {"lastTouchedVersion": "2027.1.3"}, "hologram": {"on": true}});
        let f = check(&doc, "", Dialect::OpenClaw2026_9);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].rule, "OC102");
        assert!(f[0].message.contains("`hologram`") && f[0].message.contains("2027.1.3"));
    }

    #[test]
    fn enum_and_range_messages_are_short() {
        let doc = json!({"gateway": {"bind": "public", "port": 0}});
        let f = check(&doc, "", Dialect::OpenClaw2026_9);
        assert!(
            f.iter()
                .any(|f| f.pointer == "/gateway/bind" && f.message.contains("\"public\"")),
            "{f:?}"
        );
        assert!(f.iter().any(|f| f.pointer == "/gateway/port"), "{f:?}");
    }

    #[test]
    fn unknown_keys_suggest_the_closest_valid_key() {
        let f = check(
            &json!({"agents": {"defaults": {"timeoutSecond": 120}}, "gatway": {}}),
            "",
            Dialect::OpenClaw2026_9,
        );
        let m = |p: &str| f.iter().find(|x| x.pointer == p).unwrap().message.clone();
        assert!(m("/agents/defaults/timeoutSecond").ends_with("did you mean `timeoutSeconds`?"));
        assert!(m("/gatway").ends_with("did you mean `gateway`?"));
        let f = check(&json!({"zzzzqqqq": 1}), "", Dialect::OpenClaw2026_9);
        assert!(!f[0].message.contains("did you mean"));
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn removed_keys_are_errors_with_their_migration() {
        let f = check(
            &json!({"agents": {"entries": {"main": {}}}, "session": {"threadBindings": {"ttlHours": 1}}, "logging": {"redactSensitive": "off"}}),
            "",
            Dialect::OpenClaw2026_9,
        );
        let ttl = f
            .iter()
            .find(|x| x.pointer == "/session/threadBindings/ttlHours")
            .unwrap();
        assert_eq!(ttl.rule, "OC104");
        assert!(
            ttl.message.contains("renamed to `idleHours`"),
            "{}",
            ttl.message
        );
        assert!(f
            .iter()
            .any(|x| x.rule == "OC104" && x.pointer == "/logging/redactSensitive"));
        // 2026.2 still has both keys.
        let f = check(
            &json!({"session": {"threadBindings": {"ttlHours": 1}}}),
            "",
            Dialect::OpenClaw2026_2,
        );
        assert!(f.is_empty(), "{f:?}");
    }
}
