//! JSON Schema validation of configs against the schemas in `schemas/`,
//! embedded in the binary. Violations are OC101, unknown keys OC102.

use super::RawFinding;
use crate::load::escape_pointer_token;
use crate::normalise::Dialect;
use jsonschema::error::ValidationErrorKind;
use serde_json::Value;
use std::sync::OnceLock;

pub const POLICY_PROFILE_SCHEMA: &str = include_str!("../../schemas/policy-profile.schema.json");

fn compile(name: &str, text: &str) -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("embedded schema {name} is invalid JSON: {e}"));
    jsonschema::options()
        .should_validate_formats(false)
        .build(&schema)
        .unwrap_or_else(|e| panic!("embedded schema {name} does not compile: {e}"))
}

fn validator(dialect: Dialect) -> Option<&'static jsonschema::Validator> {
    static PROFILE: OnceLock<jsonschema::Validator> = OnceLock::new();
    match dialect {
        Dialect::PolicyProfile => {
            Some(PROFILE.get_or_init(|| compile("policy-profile", POLICY_PROFILE_SCHEMA)))
        }
        _ => None,
    }
}

/// Validates `root` (the dialect's root object, found at `base` in the document).
pub fn check(root: &Value, base: &str, dialect: Dialect) -> Vec<RawFinding> {
    let Some(v) = validator(dialect) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for err in v.iter_errors(root) {
        let at = format!("{base}{}", err.instance_path().as_str());
        match err.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                for key in unexpected {
                    out.push(RawFinding {
                        rule: "OC102".into(),
                        pointer: format!("{at}/{}", escape_pointer_token(key)),
                        message: format!("unknown key `{key}` in {}", describe(&at, base)),
                        severity: None,
                    });
                }
            }
            _ => out.push(RawFinding {
                rule: "OC101".into(),
                pointer: at.clone(),
                message: format!("{}: {}", describe(&at, base), clean(&err.to_string())),
                severity: None,
            }),
        }
    }
    out
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
}
