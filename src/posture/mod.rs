//! The input the policies judge: `{posture, limits, monitoring, secrets,
//! dialect, path, raw?}`. The posture comes from the dialect's adapter
//! (`normalise` for the policy profile, `openclaw` for real configs); this
//! module is the one place that assembles the whole document, for the engine
//! and for `clawcheck posture`.

pub mod live;
pub mod view;

pub use view::Posture;

use crate::config::Settings;
use crate::normalise::{self, Dialect};
use serde_json::{json, Value};

/// The part of the input that depends only on the settings (built once a run).
pub fn input_base(s: &Settings) -> Value {
    json!({
        "limits": s.limits,
        "monitoring": s.monitoring,
        "secrets": {"known_sources": s.secrets.known_sources},
    })
}

/// The posture of a parsed config in its dialect.
pub fn build(
    doc: &Value,
    dialect: Dialect,
    settings: &Settings,
    sensitive_re: &regex::Regex,
) -> Value {
    match dialect {
        Dialect::PolicyProfile => normalise::policy_profile_posture(doc, sensitive_re),
        _ => crate::openclaw::posture(doc, dialect, sensitive_re, settings),
    }
}

/// The whole input document for one config.
pub fn input(base: &Value, doc: &Value, dialect: Dialect, posture: Value, path: &str) -> Value {
    let mut input = base.clone();
    input["posture"] = posture;
    if dialect != Dialect::PolicyProfile {
        // Dialect-specific policies may read the document itself.
        input["raw"] = doc.clone();
    }
    input["dialect"] = json!(dialect.as_str());
    input["path"] = json!(path);
    input
}

/// Passes every string (keys included) of `v` through the redaction gate.
pub fn redact_strings(v: &mut Value, gate: &crate::redact::Redactor) {
    match v {
        Value::String(s) => *s = gate.text(s),
        Value::Array(a) => a.iter_mut().for_each(|x| redact_strings(x, gate)),
        Value::Object(m) => {
            let old = std::mem::take(m);
            for (k, mut x) in old {
                redact_strings(&mut x, gate);
                m.insert(gate.text(&k), x);
            }
        }
        _ => {}
    }
}
