//! Real OpenClaw `openclaw.json` (2026.2.x and 2026.9.x): the posture of a real
//! config, and the hardening rules only real configs have.

use crate::config::Settings;
use crate::normalise::Dialect;
use crate::rules::Rule;
use serde_json::{json, Value};

/// Rules that only apply to real OpenClaw configs.
pub static RULES: &[Rule] = &[];

/// Builds the posture of a real OpenClaw config.
pub fn posture(
    _doc: &Value,
    dialect: Dialect,
    _sensitive_re: &regex::Regex,
    _settings: &Settings,
) -> Value {
    json!({
        "dialect": dialect.as_str(),
        "root": "",
        "agents": [],
        "secrets": [],
        "monitoring": {"present": true, "pointer": "", "areas": []},
    })
}
