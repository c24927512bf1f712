//! The deployment around a config: Docker Compose files, Kubernetes
//! manifests (also Helm-rendered and Kustomize output), systemd units,
//! Dockerfiles, `.env` files, `prometheus.yml` and Prometheus rule files.
//!
//! Each file is found by name or content ([`detect`]), parsed into a
//! [`Document`] with spans ([`parse`]: YAML in `yaml`, line formats in
//! `text`), and its workloads are read (`model`). [`input`] links every
//! workload that runs OpenClaw to the config it runs (a mounted config path,
//! `OPENCLAW_CONFIG_PATH`, `OPENCLAW_STATE_DIR`, or the only config of the
//! run) and computes the **effective** gateway posture the way OpenClaw
//! applies its sources (2026.9.6, read off its CLI docs and code):
//!
//! | setting | wins first | then | then | default |
//! |---|---|---|---|---|
//! | bind | `--bind` | `gateway.bind` | | `loopback` |
//! | port | `--port` | `OPENCLAW_GATEWAY_PORT` | `gateway.port` | 18789 |
//! | auth mode | `--auth` | `gateway.auth.mode` | token/password present | |
//! | token | `--token` | `gateway.auth.token` | `OPENCLAW_GATEWAY_TOKEN` | |
//!
//! `OPENCLAW_GATEWAY_BIND` is not read by OpenClaw itself: it is the variable
//! the official `docker-compose.yml` interpolates into `--bind
//! ${OPENCLAW_GATEWAY_BIND:-lan}`, which is resolved here from the `.env`
//! beside the Compose file, else its default. The policies under
//! `policies/deploy/` judge the result (`input.deployment`); every finding
//! is in the deployment file and names the config setting it contradicts or
//! relies on (`related`).

pub mod model;
pub mod text;
pub mod yaml;

use crate::load::{Document, ParseFailure};
use serde::Serialize;
use serde_json::Value;

/// Largest deployment file parsed; a file found by its name that is larger
/// is OC002, one found only by its content is not a deployment file.
pub const MAX_DEPLOY_BYTES: u64 = 4 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Compose,
    Kubernetes,
    Systemd,
    Dockerfile,
    Dotenv,
    Prometheus,
    #[serde(rename = "prometheus-rules")]
    PrometheusRules,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Compose => "compose",
            Format::Kubernetes => "kubernetes",
            Format::Systemd => "systemd",
            Format::Dockerfile => "dockerfile",
            Format::Dotenv => "dotenv",
            Format::Prometheus => "prometheus",
            Format::PrometheusRules => "prometheus-rules",
        }
    }
}

/// The deployment format of a file by its name alone (`None`: look at the content).
pub fn by_name(name: &str) -> Option<Format> {
    let lower = name.to_ascii_lowercase();
    let yaml = lower.ends_with(".yml") || lower.ends_with(".yaml");
    if yaml
        && (lower.starts_with("docker-compose")
            || lower.starts_with("compose.")
            || lower.starts_with("compose-")
            || lower.contains(".compose."))
    {
        return Some(Format::Compose);
    }
    if yaml && lower.starts_with("prometheus") {
        return Some(Format::Prometheus);
    }
    if lower.ends_with(".service") {
        return Some(Format::Systemd);
    }
    if lower == "dockerfile"
        || lower.starts_with("dockerfile.")
        || lower.ends_with(".dockerfile")
        || lower == "containerfile"
    {
        return Some(Format::Dockerfile);
    }
    // A template meant to be committed (`.env.example`) is not the file that
    // is read; a key pasted into one is still found by the secret scan.
    let template = ["example", "sample", "template", "dist", "tpl"]
        .iter()
        .any(|t| lower.ends_with(&format!(".{t}")));
    if !template && (lower == ".env" || lower.starts_with(".env.") || lower.ends_with(".env")) {
        return Some(Format::Dotenv);
    }
    None
}

/// Whether a line of `bytes` starts with `key` at column 1.
fn top_level(bytes: &[u8], key: &[u8]) -> bool {
    // after a UTF-8 byte order mark too; CR, LF and CRLF all end a line
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    bytes.starts_with(key)
        || memchr::memmem::find_iter(bytes, key)
            .any(|i| i > 0 && matches!(bytes[i - 1], b'\n' | b'\r'))
}

/// The deployment format of a file, by name or (for YAML) by content.
pub fn detect(name: &str, bytes: &[u8]) -> Option<Format> {
    if let Some(f) = by_name(name) {
        return Some(f);
    }
    let lower = name.to_ascii_lowercase();
    if !(lower.ends_with(".yml") || lower.ends_with(".yaml"))
        || bytes.len() as u64 > MAX_DEPLOY_BYTES
    {
        return None;
    }
    let has = |k: &[u8]| memchr::memmem::find(bytes, k).is_some();
    if top_level(bytes, b"apiVersion:") && has(b"kind:") {
        // A PrometheusRule object is read for its alert rules.
        return Some(if has(b"kind: PrometheusRule") {
            Format::PrometheusRules
        } else {
            Format::Kubernetes
        });
    }
    if top_level(bytes, b"services:") && (has(b"image:") || has(b"build:")) {
        return Some(Format::Compose);
    }
    if top_level(bytes, b"scrape_configs:") {
        return Some(Format::Prometheus);
    }
    if top_level(bytes, b"groups:") && has(b"rules:") && (has(b"alert:") || has(b"record:")) {
        return Some(Format::PrometheusRules);
    }
    None
}

pub fn parse(format: Format, bytes: &[u8]) -> Result<Document, ParseFailure> {
    match format {
        Format::Systemd => text::systemd(bytes),
        Format::Dotenv => text::dotenv(bytes),
        Format::Dockerfile => text::dockerfile(bytes),
        _ => yaml::parse(bytes),
    }
}

/// A credential by its name: tokens, keys, secrets, passwords, cookies. A
/// name for a path or a URL to one (`..._FILE`, `..._PATH`, `..._URL`) is not.
pub fn credential_name(name: &str) -> bool {
    let n = name.to_ascii_uppercase();
    if ["_FILE", "_PATH", "_DIR", "_URL", "_URI", "_ENDPOINT"]
        .iter()
        .any(|s| n.ends_with(s))
    {
        return false;
    }
    [
        "TOKEN",
        "SECRET",
        "PASSWORD",
        "PASSWD",
        "API_KEY",
        "APIKEY",
        "PRIVATE_KEY",
        "ACCESS_KEY",
        "SESSION_KEY",
        "COOKIE",
        "CREDENTIAL",
    ]
    .iter()
    .any(|w| n.contains(w))
}

/// The default of a Compose interpolation (`${VAR:-x}` → `x`), or the text itself.
pub fn interpolate_default(s: &str) -> String {
    interpolate(s, &|_| None)
}

/// Resolves `${VAR}`, `${VAR:-default}`, `${VAR-default}` and `$VAR` with
/// `lookup` (a missing variable without default becomes empty, as in Compose).
pub fn interpolate(s: &str, lookup: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(body) = after.strip_prefix('{') {
            let Some(end) = body.find('}') else {
                out.push_str(&rest[i..]);
                return out;
            };
            let inner = &body[..end];
            let (name, default) = match inner.find([':', '-', '?']) {
                Some(j) => {
                    let op = &inner[j..];
                    let d = op
                        .strip_prefix(":-")
                        .or_else(|| op.strip_prefix('-'))
                        .unwrap_or("");
                    (&inner[..j], Some(d))
                }
                None => (inner, None),
            };
            out.push_str(
                &lookup(name)
                    .filter(|v| !v.is_empty() || default.is_none())
                    .or(default.map(str::to_string))
                    .unwrap_or_default(),
            );
            rest = &body[end + 1..];
        } else if let Some(stripped) = after.strip_prefix('$') {
            out.push('$');
            rest = stripped;
        } else {
            let n = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            if n == 0 {
                out.push('$');
            } else {
                out.push_str(&lookup(&after[..n]).unwrap_or_default());
            }
            rest = &after[n..];
        }
    }
    out.push_str(rest);
    out
}

/// Where a setting is written: a file and a line and column in it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Place {
    pub path: String,
    pub pointer: String,
    pub line: usize,
    pub column: usize,
}

impl Place {
    pub fn label(&self) -> String {
        format!("{}:{}:{}", self.path, self.line, self.column)
    }
}

/// One gateway setting of a config: its value (`null`: not set) and where it
/// is written (or would be: the nearest enclosing key).
#[derive(Debug, Clone, Serialize)]
pub struct ConfigSetting {
    pub value: Value,
    pub present: bool,
    pub place: Place,
}

/// What the deployment rules need from one checked config.
#[derive(Debug, Clone, Serialize)]
pub struct ConfigFacts {
    pub path: String,
    pub real: bool,
    pub bind: ConfigSetting,
    pub port: ConfigSetting,
    pub auth_mode: ConfigSetting,
    /// `absent`, `empty`, `literal`, `secret-ref`, `env-template`.
    pub token_kind: String,
    pub token_weak: bool,
    pub token: ConfigSetting,
    pub password_kind: String,
    /// Metric names the config's monitoring section declares, each at its place.
    pub metrics: Vec<(String, Place)>,
}

impl ConfigFacts {
    /// Reads the facts off a config's posture; `place` maps a pointer to
    /// where it is (or the nearest enclosing key that is).
    pub fn from_posture(
        path: &str,
        posture: &crate::posture::Posture,
        raw: &Value,
        place: &dyn Fn(&str) -> Place,
    ) -> ConfigFacts {
        let (root, base) = crate::normalise::unwrap(raw);
        // A profile has no gateway: every setting is absent, reported at the
        // key it would have.
        let absent = crate::posture::view::Gateway::default();
        let gateway = posture.gateway.as_ref().unwrap_or(&absent);
        let field = |f: &crate::posture::view::Field, fallback: &str| {
            let pointer = if f.pointer.is_empty() {
                fallback
            } else {
                f.pointer.as_str()
            };
            ConfigSetting {
                value: if f.present {
                    f.value.clone()
                } else {
                    Value::Null
                },
                present: f.present,
                place: place(pointer),
            }
        };
        let port_value = root.get("gateway").and_then(|g| g.get("port")).cloned();
        let token = &gateway.auth.token;
        let token_literal = raw
            .pointer(if token.field.pointer.is_empty() {
                "/gateway/auth/token"
            } else {
                &token.field.pointer
            })
            .and_then(Value::as_str)
            .unwrap_or("");
        let kind = |k: &str| if k.is_empty() { "absent" } else { k }.to_string();
        let metrics = posture
            .declared_metrics()
            .map(|(m, pointer)| (m.to_string(), place(&pointer)))
            .collect();
        ConfigFacts {
            path: path.to_string(),
            real: posture.real,
            bind: field(&gateway.bind, &format!("{base}/gateway")),
            port: ConfigSetting {
                present: port_value.is_some(),
                value: port_value.unwrap_or(Value::Null),
                place: place(&format!("{base}/gateway/port")),
            },
            auth_mode: field(&gateway.auth.mode, &format!("{base}/gateway/auth")),
            token_kind: kind(&token.kind),
            token_weak: token.kind == "literal"
                && (token.placeholder || token_literal.trim().chars().count() < 24),
            token: field(&token.field, &format!("{base}/gateway/auth")),
            password_kind: kind(&gateway.auth.password.kind),
            metrics,
        }
    }
}

/// A parsed deployment file, kept until every file of the run is read.
pub struct DeployFile {
    pub display: String,
    pub format: Format,
    pub doc: Document,
    pub bytes: Vec<u8>,
    pub redactor: crate::redact::Redactor,
    /// Findings of the per-file pass (secrets), placed with the deployment
    /// findings so that inline directives see both.
    pub pending: Vec<crate::finding::Finding>,
}

/// Every literal value of a credential-named variable a deployment file
/// sets (for the redaction gate: such a value may match no secret pattern).
pub fn literal_credentials(format: Format, doc: &Document, display: &str) -> Vec<String> {
    let mut out = Vec::new();
    if format == Format::Dotenv {
        for (k, v) in doc.value.as_object().into_iter().flatten() {
            if let Some(v) = v.as_str() {
                if credential_name(k) && redactable(v) {
                    out.push(v.to_string());
                }
            }
        }
    } else {
        // Any string under a credential-named key, wherever it is: a
        // Kubernetes Secret's `stringData`, a ConfigMap, Prometheus's
        // `basic_auth.password` and `authorization.credentials`.
        let mut stack = vec![&doc.value];
        while let Some(v) = stack.pop() {
            match v {
                Value::Object(m) => {
                    for (k, x) in m {
                        match x.as_str() {
                            Some(s) if credential_name(k) && redactable(s) => {
                                out.push(s.to_string())
                            }
                            _ => stack.push(x),
                        }
                    }
                }
                Value::Array(a) => stack.extend(a),
                _ => {}
            }
        }
    }
    for w in model::workloads(format, &doc.value, display) {
        for e in &w.env {
            if let Some(v) = &e.value {
                if credential_name(&e.name) && (e.kind == "literal" || redactable(v)) {
                    out.push(v.clone());
                }
            }
        }
        // `--token x` / `--password x` on a command line.
        for pair in w.args.windows(2) {
            if matches!(pair[0].word.as_str(), "--token" | "--password") {
                out.push(pair[1].word.clone());
            }
        }
        for a in &w.args {
            for flag in ["--token=", "--password="] {
                if let Some(v) = a.word.strip_prefix(flag) {
                    out.push(v.to_string());
                }
            }
        }
    }
    out.retain(|v| !v.trim().is_empty());
    out
}

/// Whether a credential-named value is redacted wherever it is shown: a
/// literal, or one that interpolates a variable among literal text long
/// enough to be (part of) a secret (`abc…${X}…xyz`: the variable is
/// substituted, the rest is committed as written).
fn redactable(v: &str) -> bool {
    model::env_kind(v) == "literal" || crate::redact::literal_remainder(v, true) >= 8
}

/// Whether a `.gitignore` in the file's directory or above excludes `path`
/// (the nearest one that has a say wins, as in git). Discovery never reads
/// an ignored file; this is for a file named on the command line.
pub fn gitignored(path: &std::path::Path) -> bool {
    let Ok(abs) = std::fs::canonicalize(path) else {
        return false;
    };
    // Bounded: at most 64 directories up, each .gitignore at most 1 MiB.
    for dir in abs.ancestors().skip(1).take(64) {
        let file = dir.join(".gitignore");
        if std::fs::metadata(&file).is_ok_and(|m| m.is_file() && m.len() <= 1 << 20) {
            let mut b = ignore::gitignore::GitignoreBuilder::new(dir);
            b.add(&file);
            if let Ok(gi) = b.build() {
                match gi.matched_path_or_any_parents(&abs, false) {
                    ignore::Match::Ignore(_) => return true,
                    ignore::Match::Whitelist(_) => return false,
                    ignore::Match::None => {}
                }
            }
        }
        if dir.join(".git").exists() {
            break;
        }
    }
    false
}

mod link;
pub use link::inputs;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_name_and_content() {
        assert_eq!(by_name("docker-compose.prod.yml"), Some(Format::Compose));
        assert_eq!(by_name("compose.yaml"), Some(Format::Compose));
        assert_eq!(by_name("openclaw-gateway.service"), Some(Format::Systemd));
        assert_eq!(by_name("Dockerfile.gateway"), Some(Format::Dockerfile));
        assert_eq!(by_name(".env.production"), Some(Format::Dotenv));
        assert_eq!(by_name(".env.example"), None);
        assert_eq!(by_name("README.md"), None);
        assert_eq!(
            detect("k.yaml", b"---\n# Source: x\napiVersion: v1\nkind: Pod\n"),
            Some(Format::Kubernetes)
        );
        assert_eq!(
            detect(
                "r.yaml",
                b"groups:\n  - name: a\n    rules:\n      - alert: A\n"
            ),
            Some(Format::PrometheusRules)
        );
        assert_eq!(
            detect("ci.yml", b"jobs:\n  x:\n    services:\n      image: a\n"),
            None
        );
    }

    #[test]
    fn interpolation_and_credential_names() {
        let env = |k: &str| (k == "B").then(|| "lan".to_string());
        assert_eq!(interpolate("${B:-x}/${C:-d}/$B/$$", &env), "lan/d/lan/$");
        assert_eq!(
            interpolate_default("${OPENCLAW_GATEWAY_PORT:-18789}"),
            "18789"
        );
        assert!(credential_name("OPENCLAW_GATEWAY_TOKEN"));
        assert!(credential_name("anthropic_api_key"));
        assert!(!credential_name("OPENCLAW_GATEWAY_TOKEN_FILE"));
        assert!(!credential_name("HOME"));
    }
}
