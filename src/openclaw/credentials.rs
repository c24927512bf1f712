//! Credential fields of a real config (OpenClaw's own SecretRef matrix), SecretRef
//! and `${VAR}` recognition, and redaction.

use serde_json::Value;
use std::sync::OnceLock;

const MATRIX: &str =
    include_str!("../../schemas/openclaw/secretref-credential-paths-2026.9.6.json");

#[derive(Debug, Clone, PartialEq)]
enum Seg {
    Key(String),
    AnyKey,
    AnyIndex,
}

/// Credential-field patterns from the matrix, plus the 2026.2 roster alias
/// (`agents.list[]` for `agents.entries.*`). Certificates (`tls.ca`,
/// `tls.cert`) are public and left out.
fn patterns() -> &'static [Vec<Seg>] {
    static P: OnceLock<Vec<Vec<Seg>>> = OnceLock::new();
    P.get_or_init(|| {
        let m: Value = serde_json::from_str(MATRIX).expect("embedded credential matrix is JSON");
        let mut out = Vec::new();
        for e in m["entries"].as_array().into_iter().flatten() {
            if e["configFile"] != "openclaw.json" {
                continue;
            }
            let Some(path) = e["path"].as_str() else {
                continue;
            };
            if path.ends_with(".tls.ca") || path.ends_with(".tls.cert") {
                continue;
            }
            let segs = parse(path);
            if path.starts_with("agents.entries.*.") {
                let mut alias = vec![
                    Seg::Key("agents".into()),
                    Seg::Key("list".into()),
                    Seg::AnyIndex,
                ];
                alias.extend_from_slice(&segs[3..]);
                out.push(alias);
            }
            out.push(segs);
        }
        out
    })
}

fn parse(path: &str) -> Vec<Seg> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (name, arr) = match part.strip_suffix("[]") {
            Some(n) => (n, true),
            None => (part, false),
        };
        out.push(if name == "*" {
            Seg::AnyKey
        } else {
            Seg::Key(name.to_string())
        });
        if arr {
            out.push(Seg::AnyIndex);
        }
    }
    out
}

/// Whether `path` (keys and array indices from the config root) is a field
/// that holds a credential. Header maps only count for auth-like header names.
pub fn is_credential_path(path: &[String]) -> bool {
    patterns().iter().any(|p| {
        p.len() == path.len()
            && p.iter().zip(path).all(|(s, k)| match s {
                Seg::Key(n) => n == k,
                Seg::AnyKey => true,
                Seg::AnyIndex => k.parse::<usize>().is_ok(),
            })
            && header_ok(p, path)
    })
}

fn header_ok(p: &[Seg], path: &[String]) -> bool {
    let n = p.len();
    if n >= 2 && p[n - 2] == Seg::Key("headers".into()) && p[n - 1] == Seg::AnyKey {
        let h = path[n - 1].to_ascii_lowercase();
        return [
            "auth",
            "key",
            "token",
            "secret",
            "cookie",
            "password",
            "signature",
        ]
        .iter()
        .any(|w| h.contains(w));
    }
    if n >= 2 && p[n - 2] == Seg::Key("env".into()) && p[n - 1] == Seg::AnyKey {
        let h = path[n - 1].to_ascii_uppercase();
        return [
            "KEY",
            "TOKEN",
            "SECRET",
            "PASSWORD",
            "PASS",
            "AUTH",
            "CREDENTIAL",
        ]
        .iter()
        .any(|w| h.contains(w));
    }
    true
}

/// A SecretRef: `{source, provider, id}` and nothing else.
#[derive(Debug, Clone)]
pub struct SecretRef {
    pub source: String,
    pub provider: Option<String>,
    pub id: String,
}

pub fn secret_ref(v: &Value) -> Option<SecretRef> {
    let o = v.as_object()?;
    if o.keys()
        .any(|k| !matches!(k.as_str(), "source" | "provider" | "id"))
    {
        return None;
    }
    let source = o.get("source")?.as_str()?;
    if !matches!(source, "env" | "file" | "exec" | "store") {
        return None;
    }
    Some(SecretRef {
        source: source.to_string(),
        provider: o
            .get("provider")
            .and_then(Value::as_str)
            .map(str::to_string),
        id: o.get("id")?.as_str()?.to_string(),
    })
}

/// The `${VAR}` names in a string (`[A-Z_][A-Z0-9_]*`; `$${VAR}` is an escape).
pub fn env_vars(s: &str) -> Vec<String> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = s[i..].find("${") {
        let at = i + off;
        let escaped = at > 0 && b[at - 1] == b'$';
        let rest = &s[at + 2..];
        let end = rest
            .find(|c: char| !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
            .unwrap_or(rest.len());
        let name = &rest[..end];
        if !escaped
            && !name.is_empty()
            && !name.starts_with(|c: char| c.is_ascii_digit())
            && rest[end..].starts_with('}')
        {
            out.push(name.to_string());
        }
        i = at + 2;
    }
    out
}

/// A secret as it may appear in a message: the one redaction of
/// [`crate::redact::redact`] (a prefix scaled to the length, and the length).
pub fn redact(s: &str) -> String {
    crate::redact::redact(s.as_bytes())
}

/// Visits every SecretRef anywhere in the config, and every string in a
/// credential field: `f(path, value, is_credential_field)`.
pub fn walk(v: &Value, path: &mut Vec<String>, f: &mut dyn FnMut(&[String], &Value, bool)) {
    if secret_ref(v).is_some() {
        let cred = is_credential_path(path);
        f(path, v, cred);
        return;
    }
    match v {
        Value::String(_) if is_credential_path(path) => f(path, v, true),
        Value::Object(m) => {
            for (k, sub) in m {
                path.push(k.clone());
                walk(sub, path, f);
                path.pop();
            }
        }
        Value::Array(a) => {
            for (i, sub) in a.iter().enumerate() {
                path.push(i.to_string());
                walk(sub, path, f);
                path.pop();
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Vec<String> {
        s.split('.').map(str::to_string).collect()
    }

    #[test]
    fn credential_paths() {
        assert!(is_credential_path(&p("models.providers.openai.apiKey")));
        assert!(is_credential_path(&p("gateway.auth.password")));
        assert!(is_credential_path(&p("channels.telegram.botToken")));
        assert!(is_credential_path(&p(
            "agents.list.1.memory.search.remote.apiKey"
        )));
        assert!(is_credential_path(&p(
            "models.providers.x.headers.Authorization"
        )));
        assert!(!is_credential_path(&p(
            "models.providers.x.headers.anthropic-version"
        )));
        assert!(!is_credential_path(&p("models.providers.x.baseUrl")));
        assert!(!is_credential_path(&p("env.vars.AWS_ACCESS_KEY_ID")));
    }

    #[test]
    fn env_templates_and_refs() {
        assert_eq!(env_vars("${A_B}"), vec!["A_B"]);
        assert_eq!(env_vars("Bearer ${TOKEN}x"), vec!["TOKEN"]);
        assert!(env_vars("$${ESCAPED}").is_empty());
        assert!(env_vars("${lower}").is_empty());
        assert!(env_vars("${1A}").is_empty());
        assert!(secret_ref(
            &serde_json::json!({"source": "env", "provider": "default", "id": "X"})
        )
        .is_some());
        assert!(secret_ref(&serde_json::json!({"source": "env", "id": "X", "extra": 1})).is_none());
        assert_eq!(redact("hunter2-openclaw"), "hun…[16 chars]");
        assert_eq!(redact("s3cret"), "s…[6 chars]");
    }
}
