//! Whether a discovered file is judged as a config, and why: by its name, a
//! glob of clawcheck.toml, or its content (an OpenClaw config named
//! `deploy/prod.json5` is still one). One place for the decision, so that the
//! check and `--verbose` (which lists the JSON files not judged) agree.

use crate::discover::{Candidate, Kind};
use crate::load;
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

/// The top-level keys of a real OpenClaw config: the root `properties` of the
/// 2026.2.26 and 2026.9.6 JSON Schemas (a unit test keeps the list equal to
/// them), plus `$include`; sorted (looked up by binary search).
pub const OPENCLAW_ROOT_KEYS: &[&str] = &[
    "$include",
    "accessGroups",
    "acp",
    "agents",
    "approvals",
    "attachments",
    "audio",
    "auth",
    "bindings",
    "broadcast",
    "browser",
    "canvasHost",
    "channels",
    "cloudWorkers",
    "commands",
    "cron",
    "desktop",
    "diagnostics",
    "discovery",
    "env",
    "gateway",
    "hooks",
    "logging",
    "mcp",
    "media",
    "memory",
    "messages",
    "meta",
    "models",
    "nodeHost",
    "plugins",
    "proxy",
    "secrets",
    "security",
    "session",
    "skills",
    "surfaces",
    "talk",
    "telemetry",
    "tools",
    "transcripts",
    "tts",
    "ui",
    "update",
    "web",
    "wizard",
    "worktreeAcceleration",
    "worktreeRoot",
];

/// How much of a UTF-16 or UTF-32 file is decoded to judge it.
const WIDE_PREFIX: usize = 4 << 20;

/// A verdict and its reason, in words a user reads in `--verbose`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Config(String),
    NotConfig(String),
}

impl Verdict {
    pub fn is_config(&self) -> bool {
        matches!(self, Verdict::Config(_))
    }

    pub fn reason(&self) -> &str {
        match self {
            Verdict::Config(r) | Verdict::NotConfig(r) => r,
        }
    }
}

/// Whether `p` is JSON, JSON5 or JSONC by its extension.
pub fn looks_like_json(p: &Path) -> bool {
    p.extension()
        .is_some_and(|e| e == "json" || e == "json5" || e == "jsonc")
}

/// Whether the candidate `c`, whose content is `bytes`, is judged as a config.
///
/// A JSON/JSON5 file is one by content when its top level (read by a tolerant
/// scan, so that a config with a syntax error is still judged and gets OC001):
/// - has an `openclaw` object (the policy-profile wrapper), or
/// - has a `gateway` object and at least one more OpenClaw top-level key, or
///   three OpenClaw top-level keys, and
/// - has at most one key OpenClaw does not know at the top level (a typo is
///   then OC102), and fewer such keys than OpenClaw ones.
///
/// `package.json`, `tsconfig.json`, lock files, JSON Schemas and data files
/// have top-level keys of their own (`name`, `compilerOptions`, `$schema`
/// with `properties`, …) and are not judged.
pub fn classify(c: &Candidate, bytes: &[u8]) -> Verdict {
    let name = c.path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if c.kind == Kind::Config {
        return Verdict::Config(if crate::discover::is_config_name(name) {
            "named like an OpenClaw config".into()
        } else {
            "matches a `config_globs` glob of clawcheck.toml".into()
        });
    }
    if !looks_like_json(&c.path) {
        return Verdict::NotConfig("not .json, .json5 or .jsonc".into());
    }
    if c.explicit && c.path.extension().is_some_and(|e| e == "json5") {
        return Verdict::Config("a .json5 file named on the command line".into());
    }
    if let Some(text) = load::decode_wide(bytes, WIDE_PREFIX) {
        // UTF-16 or UTF-32: judged by what it says (OpenClaw rejects it, so
        // a config in it is OC001, never a silent pass)
        return classify(c, text.as_bytes());
    }
    let Some(keys) = top_level_keys(bytes, KeyScan::Full) else {
        return Verdict::NotConfig("its top level is not an object".into());
    };
    judge(c, &keys)
}

/// Whether [`classify`] judges the candidate a config, without its reason:
/// the scan of a JSON file's top-level keys stops as soon as the verdict is
/// settled (a data file with thousands of keys is done after its first
/// three), where `classify` reads every key to name them in its reason.
pub fn is_config(c: &Candidate, bytes: &[u8]) -> bool {
    if c.kind == Kind::Config {
        return true;
    }
    if !looks_like_json(&c.path) {
        return false;
    }
    if c.explicit {
        // a file named on the command line: one key anywhere can settle it
        return classify(c, bytes).is_config();
    }
    if let Some(text) = load::decode_wide(bytes, WIDE_PREFIX) {
        return is_config(c, text.as_bytes());
    }
    top_level_keys(bytes, KeyScan::UntilSettled).is_some_and(|keys| judge(c, &keys).is_config())
}

/// The verdict on a JSON file of `c` (not a config by name) from its
/// top-level keys.
fn judge(c: &Candidate, keys: &[(Cow<'_, str>, bool)]) -> Verdict {
    // The policy-profile wrapper `{"openclaw": {...}}`. An npm package of an
    // OpenClaw plugin has an `openclaw` object too, beside `name`, `version`…
    if keys.iter().any(|(k, object)| k == "openclaw" && *object) {
        if keys.len() <= 2 {
            return Verdict::Config("its top level has an `openclaw` object".into());
        }
        return Verdict::NotConfig(format!(
            "an `openclaw` object beside {} other top-level keys (a package manifest's plugin section, not a config)",
            keys.len() - 1
        ));
    }
    // Named on the command line (e.g. by a pre-commit hook): one key of a
    // real config or of a policy profile is enough.
    const EXPLICIT_KEYS: &[&str] = &[
        "agents",
        "secrets",
        "monitoring",
        "gateway",
        "session",
        "models",
        "channels",
        "diagnostics",
    ];
    if c.explicit {
        if let Some((k, _)) = keys
            .iter()
            .find(|(k, _)| EXPLICIT_KEYS.contains(&k.as_ref()))
        {
            return Verdict::Config(format!(
                "named on the command line, with a top-level `{k}` key"
            ));
        }
    }
    let (known, unknown): (Vec<_>, Vec<_>) = keys
        .iter()
        .partition(|(k, _)| OPENCLAW_ROOT_KEYS.binary_search(&k.as_ref()).is_ok());
    let gateway = known.iter().any(|(k, object)| k == "gateway" && *object);
    let names = |v: &[&(Cow<str>, bool)]| {
        // a key written with an escape is shown as its redacted form: the
        // file's gate knows the secrets of its bytes as written, not of the
        // decoded key
        let mut n: Vec<String> = v
            .iter()
            .take(5)
            .map(|(k, _)| match k {
                Cow::Borrowed(k) => format!("`{k}`"),
                Cow::Owned(k) => format!("`{}`", crate::redact::redact(k.as_bytes())),
            })
            .collect();
        if v.len() > 5 {
            n.push(format!("… ({} in all)", v.len()));
        }
        n.join(", ")
    };
    let enough = (gateway && known.len() >= 2) || known.len() >= 3;
    if !enough {
        return Verdict::NotConfig(if known.is_empty() {
            "no OpenClaw top-level key".into()
        } else {
            format!(
                "too few OpenClaw top-level keys ({}): a config by content needs `gateway` and one more, or three",
                names(&known)
            )
        });
    }
    if unknown.len() > 1 || unknown.len() >= known.len() {
        return Verdict::NotConfig(format!(
            "top-level keys OpenClaw does not have: {}",
            names(&unknown)
        ));
    }
    Verdict::Config(format!(
        "its top-level keys are OpenClaw's ({})",
        names(&known)
    ))
}

/// Every top-level key of `bytes` (the first 1000 distinct ones, in the
/// order first seen) and whether its last value is an object (OpenClaw
/// keeps the last of repeated keys), or `None`
/// when the top level is not an object. Tolerant of syntax errors. Keys are
/// borrowed from `bytes` unless they hold an escape.
fn top_level_keys(bytes: &[u8], scan: KeyScan) -> Option<Vec<(Cow<'_, str>, bool)>> {
    let body = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    // A comment may come before the object; anything else but `{` is not one.
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    if !matches!(first, Some(b'{' | b'/')) {
        return None;
    }
    // The keys in first-seen order, and the set of them (a data file can
    // have many thousands of keys at its top level).
    let mut keys: Vec<(Cow<'_, str>, bool)> = Vec::new();
    let mut seen: HashMap<Cow<'_, str>, usize> = HashMap::new();
    // Bounded: one linear pass; at most this many keys are kept.
    const MAX_KEYS: usize = 1000;
    let mut unknown = 0usize;
    load::top_level_key_until(bytes, |k, object| {
        if let Some(&i) = seen.get(&k) {
            // a repeated key: OpenClaw's JSON5 keeps the last value
            keys[i].1 = object;
        } else if keys.len() < MAX_KEYS {
            if OPENCLAW_ROOT_KEYS.binary_search(&k.as_ref()).is_err() {
                unknown += 1;
            }
            seen.insert(k.clone(), keys.len());
            keys.push((k, object));
        }
        // Settled for a candidate not named on the command line: three keys
        // rule out the `openclaw` wrapper (at most two), and two unknown
        // ones a config by content (at most one); more keys change neither.
        scan == KeyScan::UntilSettled && keys.len() >= 3 && unknown >= 2
    });
    Some(keys)
}

/// How far [`top_level_keys`] reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum KeyScan {
    /// Every key (up to the cap), for the reason of a verdict.
    Full,
    /// Until the verdict on a candidate not named on the command line is
    /// settled ([`is_config`]).
    UntilSettled,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn cand(name: &str, explicit: bool) -> Candidate {
        Candidate {
            path: PathBuf::from(name),
            display: name.into(),
            kind: Kind::Other,
            explicit,
            outside_root: false,
            regular: false,
            walk_error: None,
        }
    }

    fn judged(name: &str, text: &str) -> bool {
        classify(&cand(name, false), text.as_bytes()).is_config()
    }

    #[test]
    fn real_configs_by_content() {
        assert!(judged(
            "deploy/prod.json5",
            "// prod\n{ gateway: { bind: \"lan\", auth: { mode: \"none\" } }, agents: {} }"
        ));
        assert!(judged(
            "openclaw.prod.json",
            "{\"channels\": {}, \"session\": {}, \"tools\": {}}"
        ));
        // a syntax error does not hide it: it is judged and gets OC001
        assert!(judged(
            "x.json",
            "{ gateway: { bind: \"lan\" \"auth\": {} }, models: {"
        ));
        // one typo among OpenClaw keys is still a config (then OC102)
        assert!(judged("x.json", "{ gateway: {}, agents: {}, sesion: {} }"));
        assert!(judged(
            "wrapped.json",
            "{ \"openclaw\": { \"agents\": {} } }"
        ));
    }

    /// The early-stopping verdict of [`is_config`] is the one [`classify`]
    /// reaches reading every key, on objects of known, unknown, repeated
    /// and `openclaw` keys (objects or not) from a fixed-seed generator.
    #[test]
    fn is_config_agrees_with_classify() {
        let pool = [
            "gateway", "agents", "models", "channels", "session", "tools", "openclaw", "name",
            "version", "sesion", "x", "y",
        ];
        let mut rnd = crate::test_rng(0x2545_f491_4f6c_dd1d);
        let mut configs = 0;
        for i in 0..4000 {
            let mut text = String::from("{");
            for _ in 0..rnd(8) {
                let v = if rnd(2) == 0 { "{\"a\": 1}" } else { "[1, {}]" };
                text.push_str(&format!("\"{}\": {v}, ", pool[rnd(pool.len())]));
            }
            text.push('}');
            let name = ["a.json", "b.json5", "c.jsonc", "d.txt"][i % 4];
            for explicit in [false, true] {
                let c = cand(name, explicit);
                let full = classify(&c, text.as_bytes()).is_config();
                assert_eq!(
                    is_config(&c, text.as_bytes()),
                    full,
                    "{name} {explicit} {text}"
                );
                configs += usize::from(full);
            }
        }
        // both verdicts were reached often
        assert!(configs > 400 && configs < 7600, "{configs}");
    }

    #[test]
    fn other_json_is_not_judged_and_says_why() {
        for (name, text, why) in [
            ("package.json", "{\"name\": \"x\", \"version\": \"1.0.0\", \"scripts\": {}, \"dependencies\": {}}", "no OpenClaw"),
            ("tsconfig.json", "{\"compilerOptions\": {}, \"include\": [\"src\"]}", "no OpenClaw"),
            ("a.json", "[1, 2]", "not an object"),
            ("b.json", "{\"gateway\": \"x\", \"models\": []}", "too few"),
            ("c.json", "{\"gateway\": {}, \"models\": {}, \"name\": 1, \"version\": 2}", "does not have"),
            ("d.json", "{\"models\": {}, \"tools\": [], \"$schema\": \"x\", \"properties\": {}}", "too few"),
            ("e.txt", "{\"gateway\": {}, \"agents\": {}}", "not .json"),
            ("package.json", "{\"name\": \"@openclaw/x\", \"version\": \"1\", \"type\": \"module\", \"openclaw\": {\"extensions\": []}}", "package manifest"),
        ] {
            let v = classify(&cand(name, false), text.as_bytes());
            assert!(!v.is_config(), "{name}: {v:?}");
            assert!(v.reason().contains(why), "{name}: {v:?}");
        }
    }

    /// The list is the union of the root keys of both embedded schemas.
    #[test]
    fn root_keys_are_the_schemas_root_keys() {
        let mut want: Vec<String> = vec!["$include".into()];
        for text in [
            crate::checks::schema::OPENCLAW_2026_9_SCHEMA,
            crate::checks::schema::OPENCLAW_2026_2_SCHEMA,
        ] {
            let v: serde_json::Value = serde_json::from_str(text).unwrap();
            let v = v.get("schema").unwrap_or(&v);
            for k in v["properties"].as_object().unwrap().keys() {
                if k != "$schema" && !want.contains(k) {
                    want.push(k.clone());
                }
            }
        }
        want.sort();
        let have: Vec<String> = OPENCLAW_ROOT_KEYS.iter().map(|s| s.to_string()).collect();
        // sorted, as `classify` looks keys up by binary search
        assert_eq!(have, want);
    }
}
