//! Dialect detection and the posture model: one shape that the policies judge,
//! whatever dialect the config was written in. Every value carries the JSON
//! Pointer it came from, so a policy's finding maps back to a line.

use crate::load::escape_pointer_token as esc;
use serde::Serialize;
use serde_json::{json, Map, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
pub enum Dialect {
    /// The seed article's policy profile: `agents.<name>.{runtime, auto-destroy, timeout}`, `secrets`, `monitoring`.
    #[serde(rename = "policy-profile")]
    #[value(name = "policy-profile")]
    PolicyProfile,
    /// Real OpenClaw `openclaw.json`, 2026.2.x shape (`agents.list[]`).
    #[serde(rename = "openclaw-2026.2")]
    #[value(name = "openclaw-2026.2")]
    OpenClaw2026_2,
    /// Real OpenClaw `openclaw.json`, 2026.9.x shape (`agents.entries`).
    #[serde(rename = "openclaw-2026.9")]
    #[value(name = "openclaw-2026.9")]
    OpenClaw2026_9,
}

impl Dialect {
    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::PolicyProfile => "policy-profile",
            Dialect::OpenClaw2026_2 => "openclaw-2026.2",
            Dialect::OpenClaw2026_9 => "openclaw-2026.9",
        }
    }
}

/// Top-level keys that exist only in real OpenClaw configs.
const REAL_KEYS: &[&str] = &[
    "gateway",
    "session",
    "models",
    "channels",
    "tools",
    "diagnostics",
    "meta",
    "plugins",
    "hooks",
    "logging",
    "env",
    "acp",
    "auth",
    "browser",
    "commands",
    "cron",
    "discovery",
    "skills",
    "messages",
    "ui",
    "wizard",
    "update",
    "talk",
    "approvals",
    "bindings",
    "broadcast",
    "nodeHost",
    "memory",
    "audio",
    "canvasHost",
    "media",
    "web",
    "$schema",
    "accessGroups",
    "attachments",
    "cloudWorkers",
    "desktop",
    "mcp",
    "proxy",
    "security",
    "surfaces",
    "telemetry",
    "transcripts",
    "tts",
    "worktreeAcceleration",
    "worktreeRoot",
];

/// The document root the dialect's keys live under: `/openclaw` for a
/// wrapped config, else the document root.
pub fn unwrap(doc: &Value) -> (&Value, &'static str) {
    match doc.get("openclaw") {
        Some(inner @ Value::Object(_)) if doc.as_object().is_some_and(|o| o.len() == 1) => {
            (inner, "/openclaw")
        }
        _ => (doc, ""),
    }
}

pub fn detect(doc: &Value) -> Dialect {
    let (root, _) = unwrap(doc);
    let Some(obj) = root.as_object() else {
        return Dialect::PolicyProfile;
    };
    let agents = obj.get("agents").and_then(Value::as_object);
    let has = |k: &str| agents.is_some_and(|a| a.contains_key(k));
    let is_real = obj.keys().any(|k| REAL_KEYS.contains(&k.as_str()))
        || has("entries")
        || has("defaults")
        || agents.is_some_and(|a| a.get("list").is_some_and(Value::is_array))
        || obj
            .get("secrets")
            .and_then(Value::as_object)
            .is_some_and(|s| s.contains_key("providers") || s.contains_key("defaults"));
    if !is_real {
        return Dialect::PolicyProfile;
    }
    if looks_2026_2(obj) {
        Dialect::OpenClaw2026_2
    } else {
        Dialect::OpenClaw2026_9
    }
}

fn looks_2026_2(obj: &Map<String, Value>) -> bool {
    let at = |path: &[&str]| {
        let mut v = obj.get(path[0]);
        for p in &path[1..] {
            v = v.and_then(|x| x.get(*p));
        }
        v
    };
    if at(&["agents", "entries"]).is_some() {
        return false;
    }
    at(&["agents", "list"]).is_some()
        || at(&["session", "threadBindings", "ttlHours"]).is_some()
        || at(&["logging", "redactSensitive"]).is_some()
        || at(&["tools", "exec", "timeoutSec"]).is_some()
        || ["audio", "canvasHost", "media", "web"]
            .iter()
            .any(|k| obj.contains_key(*k))
        || at(&["meta", "lastTouchedVersion"])
            .and_then(Value::as_str)
            .is_some_and(|v| v.starts_with("2026.2") || v.starts_with("2026.1."))
}

/// A value in the posture: what was found, where, and its parsed form.
fn field(obj: &Map<String, Value>, key: &str, parent: &str) -> Value {
    match obj.get(key) {
        Some(v) => {
            object! {"present" => true, "value" => v.clone(), "pointer" => format!("{parent}/{}", esc(key))}
        }
        None => object! {"present" => false, "value" => Value::Null, "pointer" => parent},
    }
}

/// Seconds from a number or a duration string (`90`, `"120s"`, `"2m"`, `"1h"`, `"PT2M"`).
pub fn parse_seconds(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => parse_duration_days(s).map(|d| d * 86400.0),
        _ => None,
    }
}

/// A duration in days from a rotation keyword or a duration string.
/// `never`/`none`/`manual` are `Some(f64::INFINITY)`; unparseable is `None`.
pub fn parse_duration_days(s: &str) -> Option<f64> {
    let t = s.trim().to_ascii_lowercase();
    let keyword = match t.as_str() {
        "hourly" => Some(1.0 / 24.0),
        "daily" | "nightly" => Some(1.0),
        "weekly" => Some(7.0),
        "biweekly" | "fortnightly" => Some(14.0),
        "monthly" => Some(30.0),
        "quarterly" => Some(91.0),
        "yearly" | "annually" | "annual" => Some(365.0),
        "never" | "none" | "manual" | "off" | "disabled" => Some(f64::INFINITY),
        _ => None,
    };
    if keyword.is_some() {
        return keyword;
    }
    if let Some(iso) = t.strip_prefix('p') {
        return parse_iso8601(iso);
    }
    // A sum of number+unit parts, e.g. "7d", "24h", "1d12h", "90s", "1w".
    let mut total = 0.0;
    let mut rest = t.as_str();
    let mut any = false;
    while !rest.is_empty() {
        let num_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if num_end == 0 {
            return None;
        }
        let n: f64 = rest[..num_end].parse().ok()?;
        rest = rest[num_end..].trim_start();
        let unit_end = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        let unit = &rest[..unit_end];
        rest = rest[unit_end..].trim_start();
        let days = match unit {
            "s" | "sec" | "secs" | "second" | "seconds" => 1.0 / 86400.0,
            "m" | "min" | "mins" | "minute" | "minutes" => 1.0 / 1440.0,
            "h" | "hr" | "hrs" | "hour" | "hours" => 1.0 / 24.0,
            "d" | "day" | "days" => 1.0,
            "w" | "wk" | "week" | "weeks" => 7.0,
            "mo" | "month" | "months" => 30.0,
            "y" | "year" | "years" => 365.0,
            "" if rest.is_empty() && !any => 1.0 / 86400.0, // a bare number is seconds
            _ => return None,
        };
        total += n * days;
        any = true;
    }
    any.then_some(total)
}

fn parse_iso8601(s: &str) -> Option<f64> {
    let (date, time) = match s.split_once('t') {
        Some((d, t)) => (d, t),
        None => (s, ""),
    };
    let mut total = 0.0;
    let mut any = false;
    for (part, units) in [
        (
            date,
            &[('y', 365.0), ('m', 30.0), ('w', 7.0), ('d', 1.0)][..],
        ),
        (
            time,
            &[('h', 1.0 / 24.0), ('m', 1.0 / 1440.0), ('s', 1.0 / 86400.0)][..],
        ),
    ] {
        let mut rest = part;
        while !rest.is_empty() {
            let i = rest.find(|c: char| c.is_ascii_alphabetic())?;
            let n: f64 = rest[..i].parse().ok()?;
            let u = rest[i..].chars().next()?;
            let days = units.iter().find(|(c, _)| *c == u)?.1;
            total += n * days;
            any = true;
            rest = &rest[i + 1..];
        }
    }
    any.then_some(total)
}

/// Builds the posture of a policy-profile document.
pub fn policy_profile_posture(doc: &Value, sensitive_re: &regex::Regex) -> Value {
    policy_profile_posture_with(doc, sensitive_re, &mut Some)
}

/// [`policy_profile_posture`], each agent passed through `each_agent` as it
/// is built: what it returns stays in the posture's `agents`.
pub fn policy_profile_posture_with(
    doc: &Value,
    sensitive_re: &regex::Regex,
    each_agent: &mut dyn FnMut(Value) -> Option<Value>,
) -> Value {
    let mut agents = Vec::new();
    policy_profile_agents(doc, sensitive_re, &mut |a| agents.extend(each_agent(a)));
    policy_profile_posture_apart(doc, agents)
}

/// How many agents [`policy_profile_agents`] gives.
pub fn policy_profile_agent_count(doc: &Value) -> usize {
    match unwrap(doc).0.get("agents") {
        Some(Value::Object(map)) => map.values().filter(|a| a.is_object()).count(),
        _ => 0,
    }
}

/// Each agent of a policy-profile document, in order, as the posture has it.
pub fn policy_profile_agents(
    doc: &Value,
    sensitive_re: &regex::Regex,
    each_agent: &mut dyn FnMut(Value),
) {
    let (root, base) = unwrap(doc);
    if let Some(Value::Object(map)) = root.get("agents") {
        for (name, a) in map {
            let Some(a) = a.as_object() else { continue };
            let ptr = format!("{base}/agents/{}", esc(name));
            let runtime = field(a, "runtime", &ptr);
            let binding = match runtime["value"]
                .as_str()
                .map(|s| s.to_ascii_lowercase().replace('_', "-"))
            {
                None => "missing",
                Some(r)
                    if matches!(
                        r.as_str(),
                        "thread" | "thread-bound" | "threadbound" | "per-thread"
                    ) =>
                {
                    "thread"
                }
                Some(r)
                    if matches!(
                        r.as_str(),
                        "session" | "session-bound" | "sessionbound" | "per-session"
                    ) =>
                {
                    "session"
                }
                Some(_) => "other",
            };
            let explicit_sensitive = a.get("sensitive").and_then(Value::as_bool);
            let (sensitive, reason) = match explicit_sensitive {
                Some(b) => (b, format!("`sensitive: {b}`")),
                None => match sensitive_re.find(name) {
                    Some(m) => (true, format!("name matches `{}`", m.as_str())),
                    None => (false, "name matches no sensitive pattern".to_string()),
                },
            };
            let timeout_key = if a.contains_key("timeout") || !a.contains_key("max-duration") {
                "timeout"
            } else {
                "max-duration"
            };
            let mut timeout = field(a, timeout_key, &ptr);
            timeout["key"] = json!(timeout_key);
            timeout["seconds"] = json!(a.get(timeout_key).and_then(parse_seconds));
            let mut max_concurrent = field(a, "max-concurrent", &ptr);
            max_concurrent["number"] = json!(a.get("max-concurrent").and_then(Value::as_f64));
            let long_running = a
                .get("long-running")
                .and_then(Value::as_bool)
                .unwrap_or(false)
                || binding == "session";
            each_agent(object! {
                "name" => name.as_str(),
                "pointer" => ptr.clone(),
                "sensitive" => sensitive,
                "sensitive_reason" => reason,
                "runtime" => runtime,
                "binding" => binding,
                "auto_destroy" => field(a, "auto-destroy", &ptr),
                "timeout" => timeout,
                "max_concurrent" => max_concurrent,
                "long_running" => long_running,
            });
        }
    }
}

/// The posture of a policy-profile document with `agents` as its agents.
pub fn policy_profile_posture_apart(doc: &Value, agents: Vec<Value>) -> Value {
    let (root, base) = unwrap(doc);
    let empty = Map::new();
    let root = root.as_object().unwrap_or(&empty);
    let mut secrets = Vec::new();
    if let Some(Value::Object(map)) = root.get("secrets") {
        for (name, s) in map {
            let Some(s) = s.as_object() else { continue };
            let ptr = format!("{base}/secrets/{}", esc(name));
            let mut rotation = field(s, "rotation", &ptr);
            rotation["days"] = match s.get("rotation") {
                Some(Value::String(r)) => match parse_duration_days(r) {
                    Some(d) if d.is_finite() => json!(d),
                    Some(_) => json!("never"),
                    None => Value::Null,
                },
                Some(Value::Number(n)) => json!(n.as_f64().map(|secs| secs / 86400.0)),
                _ => Value::Null,
            };
            let provider = field(s, "provider", &ptr);
            let literal = field(s, "value", &ptr);
            let external = provider["value"]
                .as_str()
                .is_some_and(|p| p.eq_ignore_ascii_case("external"));
            secrets.push(object! {
                "name" => name.as_str(),
                "pointer" => ptr.clone(),
                "provider" => provider,
                "source" => field(s, "source", &ptr),
                "rotation" => rotation,
                "external" => external,
                "literal" => literal,
            });
        }
    }

    let monitoring = match root.get("monitoring") {
        Some(Value::Object(m)) => {
            let ptr = format!("{base}/monitoring");
            let areas: Vec<Value> = m
                .iter()
                .filter_map(|(area, v)| {
                    let obj = v.as_object()?;
                    let lower = area.to_ascii_lowercase();
                    let kind = if lower.contains("secret") {
                        "secrets"
                    } else if lower.contains("agent") || lower.contains("thread") || lower.contains("session") {
                        "agents"
                    } else {
                        "other"
                    };
                    let metrics: Vec<&str> = obj
                        .get("metrics")
                        .and_then(Value::as_array)
                        .map(|a| a.iter().filter_map(Value::as_str).collect())
                        .unwrap_or_default();
                    let aptr = format!("{ptr}/{}", esc(area));
                    let mptr = if obj.contains_key("metrics") { format!("{aptr}/metrics") } else { aptr.clone() };
                    Some(object! {"name" => area.as_str(), "kind" => kind, "pointer" => aptr, "metrics_pointer" => mptr, "metrics" => metrics})
                })
                .collect();
            object! {"present" => true, "pointer" => ptr, "areas" => areas}
        }
        _ => object! {"present" => false, "pointer" => base, "areas" => Vec::<Value>::new()},
    };

    object! {
        "dialect" => Dialect::PolicyProfile.as_str(),
        "root" => base,
        "agents" => agents,
        "secrets" => secrets,
        "monitoring" => monitoring,
    }
}

/// The dotted path of a pointer relative to the root `base` (`""` for the
/// root): `/agents/entries/coder/timeout` → `agents.entries.coder.timeout`.
pub fn dotted(pointer: &str, base: &str) -> String {
    let rel = pointer.strip_prefix(base).unwrap_or(pointer);
    rel.split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotation_durations() {
        assert_eq!(parse_duration_days("daily"), Some(1.0));
        assert_eq!(parse_duration_days("weekly"), Some(7.0));
        assert_eq!(parse_duration_days("7d"), Some(7.0));
        assert_eq!(parse_duration_days("24h"), Some(1.0));
        assert_eq!(parse_duration_days("P1W"), Some(7.0));
        assert_eq!(parse_duration_days("PT12H"), Some(0.5));
        assert_eq!(parse_duration_days("30d"), Some(30.0));
        assert_eq!(parse_duration_days("monthly"), Some(30.0));
        assert_eq!(parse_duration_days("never"), Some(f64::INFINITY));
        assert_eq!(parse_duration_days("soonish"), None);
        assert_eq!(parse_duration_days("P"), None);
        assert_eq!(parse_seconds(&json!("2m")), Some(120.0));
        assert_eq!(parse_seconds(&json!(90)), Some(90.0));
    }

    #[test]
    fn detects_dialects() {
        assert_eq!(
            detect(&json!({"openclaw": {"agents": {"x": {"runtime": "thread"}}}})),
            Dialect::PolicyProfile
        );
        assert_eq!(
            detect(&json!({"agents": {"list": [{"id": "main"}]}})),
            Dialect::OpenClaw2026_2
        );
        assert_eq!(
            detect(&json!({"agents": {"entries": {"main": {}}}})),
            Dialect::OpenClaw2026_9
        );
        assert_eq!(
            detect(&json!({"gateway": {"bind": "loopback"}})),
            Dialect::OpenClaw2026_9
        );
    }
}
