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

/// Visits every SecretRef anywhere in `v` (the config's root), and every
/// string in a credential field: `f(path, value, is_credential_field)`. The same as
/// asking [`is_credential_path`] at every node, without its cost: the
/// patterns are followed down the tree as a trie ([`trie`]), and a path is
/// spelled out only for the values `f` is given.
pub fn walk(v: &Value, f: &mut dyn FnMut(&[String], &Value, bool)) {
    walk_in(trie(), v, &mut Vec::new(), &[0], false, f);
}

/// [`walk`], also giving the numbers and arrays a credential field holds
/// (a config OpenClaw rejects, whose value is shown all the same).
pub fn walk_all(v: &Value, f: &mut dyn FnMut(&[String], &Value, bool)) {
    walk_in(trie(), v, &mut Vec::new(), &[0], true, f);
}

/// One step down the tree: an object's key or an array's index.
#[derive(Clone, Copy)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

fn spelled(steps: &[Step<'_>]) -> Vec<String> {
    steps
        .iter()
        .map(|s| match s {
            Step::Key(k) => (*k).to_string(),
            Step::Index(i) => i.to_string(),
        })
        .collect()
}

fn walk_in<'a>(
    t: &Trie,
    v: &'a Value,
    steps: &mut Vec<Step<'a>>,
    states: &[usize],
    all: bool,
    f: &mut dyn FnMut(&[String], &Value, bool),
) {
    if secret_ref(v).is_some() {
        let path = spelled(steps);
        let cred = t.accepts(states, &path);
        f(&path, v, cred);
        return;
    }
    match v {
        Value::String(_) if t.ends_at(states) => {
            let path = spelled(steps);
            if t.accepts(states, &path) {
                f(&path, v, true);
            }
        }
        Value::Number(_) | Value::Array(_) if all && t.ends_at(states) => {
            let path = spelled(steps);
            if t.accepts(states, &path) {
                f(&path, v, true);
            }
        }
        Value::Object(m) => {
            for (k, sub) in m {
                let next = t.next(states, k);
                steps.push(Step::Key(k));
                walk_in(t, sub, steps, &next, all, f);
                steps.pop();
            }
        }
        Value::Array(a) => {
            for (i, sub) in a.iter().enumerate() {
                let next = if states.is_empty() {
                    Vec::new()
                } else {
                    t.next(states, &i.to_string())
                };
                steps.push(Step::Index(i));
                walk_in(t, sub, steps, &next, all, f);
                steps.pop();
            }
        }
        _ => {}
    }
}

/// The credential-field patterns as a trie: node 0 is the root; each node
/// has its literal children, its `*` child and its `[]` child, and the
/// patterns that end there.
struct Trie {
    nodes: Vec<Node>,
}

#[derive(Default)]
struct Node {
    keys: Vec<(String, usize)>,
    any_key: Option<usize>,
    any_index: Option<usize>,
    ends: Vec<usize>,
}

fn trie() -> &'static Trie {
    static T: OnceLock<Trie> = OnceLock::new();
    T.get_or_init(|| {
        let mut nodes = vec![Node::default()];
        for (id, p) in patterns().iter().enumerate() {
            let mut at = 0;
            for seg in p {
                let existing = match seg {
                    Seg::Key(k) => nodes[at].keys.iter().find(|(n, _)| n == k).map(|&(_, i)| i),
                    Seg::AnyKey => nodes[at].any_key,
                    Seg::AnyIndex => nodes[at].any_index,
                };
                at = match existing {
                    Some(i) => i,
                    None => {
                        let i = nodes.len();
                        nodes.push(Node::default());
                        match seg {
                            Seg::Key(k) => nodes[at].keys.push((k.clone(), i)),
                            Seg::AnyKey => nodes[at].any_key = Some(i),
                            Seg::AnyIndex => nodes[at].any_index = Some(i),
                        }
                        i
                    }
                };
            }
            nodes[at].ends.push(id);
        }
        Trie { nodes }
    })
}

impl Trie {
    /// The nodes reached from `states` by the step `k` (as
    /// [`is_credential_path`] compares it: a key, or an index's digits).
    fn next(&self, states: &[usize], k: &str) -> Vec<usize> {
        let mut out = Vec::new();
        for &s in states {
            let n = &self.nodes[s];
            out.extend(n.keys.iter().filter(|(name, _)| name == k).map(|&(_, i)| i));
            out.extend(n.any_key);
            if k.parse::<usize>().is_ok() {
                out.extend(n.any_index);
            }
        }
        out
    }

    /// Whether a pattern ends at one of `states` (a path of this length
    /// may be a credential field).
    fn ends_at(&self, states: &[usize]) -> bool {
        states.iter().any(|&s| !self.nodes[s].ends.is_empty())
    }

    /// Whether a pattern ends at one of `states` and accepts `path`.
    fn accepts(&self, states: &[usize], path: &[String]) -> bool {
        let p = patterns();
        states
            .iter()
            .flat_map(|&s| &self.nodes[s].ends)
            .any(|&id| header_ok(&p[id], path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Vec<String> {
        s.split('.').map(str::to_string).collect()
    }

    /// The walk before the trie: [`is_credential_path`] at every node.
    fn naive_walk(v: &Value, path: &mut Vec<String>, out: &mut Vec<(Vec<String>, bool)>) {
        if secret_ref(v).is_some() {
            out.push((path.clone(), is_credential_path(path)));
            return;
        }
        match v {
            Value::String(_) if is_credential_path(path) => out.push((path.clone(), true)),
            Value::Object(m) => {
                for (k, sub) in m {
                    path.push(k.clone());
                    naive_walk(sub, path, out);
                    path.pop();
                }
            }
            Value::Array(a) => {
                for (i, sub) in a.iter().enumerate() {
                    path.push(i.to_string());
                    naive_walk(sub, path, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }

    #[test]
    fn the_walk_visits_what_is_credential_path_says() {
        let r = |id: &str| serde_json::json!({"source": "env", "provider": "default", "id": id});
        let mut docs = vec![serde_json::json!({
            "models": {"providers": {"openai": {"apiKey": "sk-x", "baseUrl": "https://x",
                "headers": {"Authorization": "Bearer y", "anthropic-version": "1", "X-Token": r("T")}}}},
            "agents": {"list": [{"memory": {"search": {"remote": {"apiKey": "k"}}}}, {"id": "a"}],
                       "entries": {"0": {"memory": {"search": {"remote": {"apiKey": r("K")}}}}}},
            "gateway": {"auth": {"password": "p", "token": r("G")}},
            "channels": {"telegram": {"botToken": "t", "accounts": [{"botToken": "u"}]}},
            "skills": {"entries": {"x": {"env": {"MY_API_KEY": "v", "PLAIN": "w"}, "apiKey": r("S")}}},
            "env": {"vars": {"AWS_ACCESS_KEY_ID": "z"}},
            "elsewhere": [r("E"), {"deep": [r("F")]}, "text"],
        })];
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/openclaw");
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "json5") {
                let text = std::fs::read(&p).unwrap();
                docs.push(crate::load::parse_value(&text).unwrap());
            }
        }
        let mut credentials = 0;
        for d in &docs {
            let mut theirs = Vec::new();
            naive_walk(d, &mut Vec::new(), &mut theirs);
            let mut ours = Vec::new();
            walk(d, &mut |p, _, c| ours.push((p.to_vec(), c)));
            assert_eq!(ours, theirs, "{d}");
            credentials += ours.iter().filter(|(_, c)| *c).count();
        }
        assert!(credentials >= 12, "{credentials}");
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
