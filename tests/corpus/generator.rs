//! Deterministic synthetic secret corpus for the scanner tests (std +
//! `serde_json` only; no Python, nothing outside the repository).
//!
//! A port of the ideas of the project's `gen_tree.py`: it writes a repository
//! tree (source in a dozen languages, JSON/YAML/TOML/INI/`.env` configs,
//! Dockerfiles, Markdown, logs with non-UTF-8 bytes, minified JS and one-line
//! JSON, lockfiles, key files, binary and UTF-16 files) with **planted
//! secrets** of every family the scanner knows and **decoys** (look-alikes
//! that must not be reported), and returns [`Label`]s saying where each one
//! is (the `labels.jsonl` format of `harness::parse_labels`).
//!
//! Everything comes from templates: the built-in set
//! (`builtin_templates.json` beside this file) and optional extra files in
//! the same schema (`tests/data/extra_templates.json`); `heldout` uses only
//! the extra files. Placeholders are `@@name@@` / `@@name:args@@`; see
//! [`Expander::call`] for the list. Credential-shaped values are only ever
//! assembled here at run time from a prefix and random characters: no
//! template or source line holds a key.
//!
//! Same options, same seed: byte-identical tree. The PRNG is splitmix64 and
//! the only floating-point operations are `+ - * /` and comparisons (no libm
//! calls), so the tree does not depend on the platform either.
#![allow(dead_code)]

use super::harness::{json_str, Label, FAMILIES};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

const BUILTIN: &str = include_str!("builtin_templates.json");

/// What to generate.
#[derive(Clone, Debug)]
pub struct CorpusOptions {
    /// Approximate total size in MiB.
    pub size_mb: f64,
    pub files: usize,
    pub seed: u64,
    /// Secrets to plant (default: max(3 × families, 15 % of `files`)); key
    /// files and two-secret contexts add a few.
    pub secrets: Option<usize>,
    /// Decoys to plant (default: 1.2 × secrets); lockfiles add a few.
    pub decoys: Option<usize>,
    /// Extra template files (JSON, same schema as the built-in set).
    pub templates: Vec<PathBuf>,
    /// Use only `templates`, no built-in templates.
    pub heldout: bool,
}

impl Default for CorpusOptions {
    fn default() -> Self {
        CorpusOptions {
            size_mb: 3.0,
            files: 150,
            seed: 1,
            secrets: None,
            decoys: None,
            templates: Vec::new(),
            heldout: false,
        }
    }
}

/// The generated tree.
pub struct Corpus {
    pub dir: PathBuf,
    /// Sorted by path, line, kind, label.
    pub labels: Vec<Label>,
    pub files: usize,
    pub bytes: u64,
    /// (what, family) that no template could plant, e.g. ("decoy", "vault").
    pub missing: Vec<(String, String)>,
    /// Files with: NUL bytes (`binary`, incl. UTF-16), bytes that are not
    /// UTF-8 (`non_utf8`), `crlf`, `bom`, lines over 30 kB (`long_lines`).
    pub stats: BTreeMap<&'static str, usize>,
}

impl Corpus {
    /// Planted (secrets, decoys) per family, in `FAMILIES` order.
    pub fn counts(&self) -> Vec<(&'static str, usize, usize)> {
        FAMILIES
            .iter()
            .map(|f| {
                let of = |s: bool| {
                    self.labels
                        .iter()
                        .filter(|l| l.kind == *f && l.secret == s)
                        .count()
                };
                (*f, of(true), of(false))
            })
            .collect()
    }
}

/// Writes a fresh tree at `out` (removed first if it exists) and returns it
/// with its labels. Panics on a template error.
pub fn generate(out: &Path, opts: &CorpusOptions) -> Corpus {
    assert!(
        opts.files >= 1 && opts.size_mb > 0.0,
        "files >= 1, size_mb > 0"
    );
    assert!(
        !opts.heldout || !opts.templates.is_empty(),
        "heldout needs at least one templates file"
    );
    let mut tpl = Templates::default();
    if !opts.heldout {
        tpl.load(
            &serde_json::from_str(BUILTIN).unwrap(),
            "built-in templates",
        );
    }
    for p in &opts.templates {
        let text = std::fs::read_to_string(p)
            .unwrap_or_else(|e| panic!("cannot read templates {}: {e}", p.display()));
        let v: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("cannot parse templates {}: {e}", p.display()));
        tpl.load(&v, &p.display().to_string());
    }
    tpl.finalize();
    let (files, pools, missing) = plan_tree(opts, &tpl);

    let _ = std::fs::remove_dir_all(out);
    std::fs::create_dir_all(out).unwrap();
    let mut labels = Vec::new();
    let mut bytes = 0u64;
    let mut stats = BTreeMap::new();
    for fp in &files {
        let (data, labs) = generate_file(fp, &tpl, &pools, opts.seed);
        check_labels(&fp.path, &data, &labs);
        let lines_over = |n: usize| data.split(|b| *b == b'\n').any(|l| l.len() > n);
        for (k, on) in [
            ("binary", data[..data.len().min(8192)].contains(&0)),
            ("non_utf8", std::str::from_utf8(&data).is_err()),
            ("crlf", data.windows(2).any(|w| w == b"\r\n")),
            ("bom", data.starts_with(b"\xef\xbb\xbf")),
            ("long_lines", lines_over(30_000)),
        ] {
            *stats.entry(k).or_insert(0) += on as usize;
        }
        let dest = out.join(&fp.path);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::write(&dest, &data).unwrap();
        bytes += data.len() as u64;
        for l in labs {
            let line = l.line;
            labels.push(Label {
                path: fp.path.clone(),
                line,
                end_line: line + l.count - 1,
                kind: l.kind.to_string(),
                secret: l.value.is_some(),
                value: l.value,
                tag: l.tag,
            });
        }
    }
    labels.sort_by(|a, b| {
        (&a.path, a.line, &a.kind, a.secret).cmp(&(&b.path, b.line, &b.kind, b.secret))
    });
    Corpus {
        dir: out.to_path_buf(),
        labels,
        files: files.len(),
        bytes,
        missing: missing
            .into_iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect(),
        stats,
    }
}

/// `labels.jsonl` text (one JSON object per line, as `gen_tree.py` writes it).
pub fn labels_jsonl(labels: &[Label]) -> String {
    let mut s = String::new();
    for l in labels {
        s.push_str(&format!(
            "{{\"path\": {}, \"line\": {}",
            json_str(&l.path),
            l.line
        ));
        if l.end_line != l.line {
            s.push_str(&format!(", \"end_line\": {}", l.end_line));
        }
        s.push_str(&format!(
            ", \"kind\": {}, \"label\": {}",
            json_str(&l.kind),
            json_str(if l.secret { "secret" } else { "decoy" })
        ));
        if let Some(v) = &l.value {
            s.push_str(&format!(", \"value\": {}", json_str(v)));
        }
        s.push_str(&format!(", \"tag\": {}}}\n", json_str(&l.tag)));
    }
    s
}

// ---------------------------------------------------------------------------
// PRNG: splitmix64, and distributions built from + - * / only
// ---------------------------------------------------------------------------
pub struct Rng(u64);

impl Rng {
    /// A stream for (seed, purpose, index): independent streams per file.
    pub fn new(seed: u64, purpose: &str, index: u64) -> Rng {
        let mut h = 0xcbf2_9ce4_8422_2325u64; // FNV-1a of the purpose
        for b in purpose.bytes() {
            h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
        }
        let mut r = Rng(seed ^ h.rotate_left(17) ^ index.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        r.next_u64();
        r
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in [0, n).
    pub fn below(&mut self, n: usize) -> usize {
        assert!(n > 0);
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }
    /// Uniform in [lo, hi] (inclusive, like Python's randint).
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as usize) as i64
    }
    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
    pub fn pick_weighted<'a, T>(&mut self, xs: &'a [T], weights: &[f64]) -> &'a T {
        let total: f64 = weights.iter().sum();
        let mut x = self.unit() * total;
        for (v, w) in xs.iter().zip(weights) {
            if x < *w {
                return v;
            }
            x -= w;
        }
        xs.last().unwrap()
    }
    pub fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            let j = self.below(i + 1);
            xs.swap(i, j);
        }
    }
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next_u64() as u8).collect()
    }
    pub fn string(&mut self, alphabet: &str, n: usize) -> String {
        let a = alphabet.as_bytes();
        (0..n).map(|_| a[self.below(a.len())] as char).collect()
    }
    /// Standard normal, approximated by the Irwin-Hall sum of 12 uniforms.
    fn normal(&mut self) -> f64 {
        (0..12).map(|_| self.unit()).sum::<f64>() - 6.0
    }
    /// Log-normal(0, 1).
    fn lognormal(&mut self) -> f64 {
        exp(self.normal())
    }
}

/// e^x with basic operations only (|x| ≤ 6 here): range reduction by 2^-8,
/// Taylor series, then squaring.
fn exp(x: f64) -> f64 {
    let mut y = x / 256.0;
    let (mut term, mut sum) = (1.0, 1.0);
    for k in 1..16 {
        term = term * y / k as f64;
        sum += term;
    }
    y = sum;
    for _ in 0..8 {
        y *= y;
    }
    y
}

// ---------------------------------------------------------------------------
// alphabets, word lists, variable names
// ---------------------------------------------------------------------------
const UPPER: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER: &str = "abcdefghijklmnopqrstuvwxyz";
const DIGITS: &str = "0123456789";
const ALNUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const B62: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const B32: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const B64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URLSAFE: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const HEX: &str = "0123456789abcdef";
const PW: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!*+-._~^";
const PW_SYMBOLS: &str = "!*+-._~^";

#[rustfmt::skip]
const WORDS: &[&str] = &[
    "account", "action", "adapter", "agent", "alert", "archive", "asset", "audit", "backend",
    "balance", "batch", "billing", "bucket", "buffer", "build", "cache", "catalog", "channel",
    "checkout", "client", "cluster", "config", "connector", "consumer", "context", "counter",
    "customer", "dashboard", "data", "delivery", "device", "digest", "dispatch", "document",
    "domain", "driver", "engine", "entry", "event", "export", "feed", "field", "filter", "gateway",
    "graph", "handler", "health", "history", "index", "invoice", "job", "journal", "kernel",
    "ledger", "limit", "loader", "locale", "lookup", "manager", "metric", "migration", "model",
    "module", "monitor", "notice", "order", "owner", "packet", "page", "parser", "payload",
    "payment", "pipeline", "policy", "pool", "portal", "printer", "profile", "project", "provider",
    "proxy", "queue", "quota", "reader", "record", "region", "registry", "report", "request",
    "resolver", "resource", "result", "router", "runner", "sample", "scheduler", "schema", "scope",
    "search", "sender", "server", "service", "session", "shard", "signal", "snapshot", "source",
    "stage", "status", "storage", "stream", "summary", "task", "template", "tenant", "ticket",
    "timer", "token", "tracker", "upload", "user", "vendor", "version", "viewer", "voucher",
    "webhook", "widget", "worker", "writer", "zone",
];
#[rustfmt::skip]
const VERBS: &[&str] = &[
    "add", "apply", "build", "check", "clean", "collect", "compute", "create", "decode", "delete",
    "deploy", "emit", "encode", "ensure", "fetch", "find", "flush", "format", "handle", "init",
    "load", "merge", "notify", "open", "parse", "patch", "poll", "process", "publish", "read",
    "refresh", "register", "reload", "remove", "render", "resolve", "retry", "run", "save", "scan",
    "send", "serialize", "set", "start", "stop", "sync", "update", "upload", "validate", "watch",
    "write",
];
#[rustfmt::skip]
const ADJ: &[&str] = &[
    "active", "async", "basic", "cached", "cold", "default", "empty", "fast", "final", "global",
    "hot", "inner", "internal", "last", "legacy", "local", "main", "new", "old", "primary",
    "private", "public", "raw", "remote", "safe", "shared", "simple", "slow", "stale", "static",
    "strict", "temp", "valid",
];
#[rustfmt::skip]
const PROSE: &[&str] = &[
    "the", "a", "this", "that", "each", "every", "our", "your", "when", "before", "after", "while",
    "because", "however", "should", "must", "can", "will", "may", "returns", "handles", "stores",
    "configures", "describes", "uses", "requires", "supports", "enables", "ensures", "keeps",
    "runs", "with", "without", "for", "from", "into", "over", "under", "between", "across",
    "during", "service", "request", "data", "value", "result", "config", "file", "cluster", "user",
    "team", "deployment", "release", "changes", "behaviour", "default", "option", "error",
];
const TLDS: &[&str] = &["com", "io", "net", "dev", "org", "internal", "local"];
const LEVELS: &[&str] = &["DEBUG", "INFO", "INFO", "INFO", "WARN", "ERROR"];
const METHODS: &[&str] = &["GET", "GET", "GET", "POST", "PUT", "DELETE", "PATCH"];
#[rustfmt::skip]
const STATUSES: &[&str] = &[
    "200", "200", "200", "201", "204", "301", "400", "401", "403", "404", "409", "500", "503",
];
const LATIN1_PROSE: &[&str] = &[
    "Données mises en cache pour l'accès rapide",
    "Größe des Puffers in Bytes",
    "Configuración del módulo de facturación",
    "Contrôle d'accès à la file d'attente",
    "Überprüfung der Signatur fehlgeschlagen",
    "Número máximo de reintentos",
    "Répertoire de travail temporaire",
    "Schlüsselverwaltung für Dienste",
];

/// Families whose format is not distinctive: the scanner needs the
/// provider's name and a credential key on the line (their variable names
/// above all hold one), so `@@secret:*@@` contexts plant them only
/// where the variable name is on the secret's line.
const NEEDS_NAME: &[&str] = &[
    "mistral",
    "cohere",
    "deepseek",
    "together",
    "azure_openai",
    "line",
    "twilio",
    "discord",
];

/// Variable names per family: `@@VAR@@` (UPPER_SNAKE), `@@var@@`, `@@camelVar@@`, `@@PascalVar@@`.
fn var_names(family: &str) -> &'static [&'static str] {
    match family {
        "openai" => &[
            "OPENAI_API_KEY",
            "OPENAI_KEY",
            "OPENAI_TOKEN",
            "LLM_API_KEY",
        ],
        "anthropic" => &["ANTHROPIC_API_KEY", "CLAUDE_API_KEY", "ANTHROPIC_KEY"],
        "aws_access_key_id" => &["AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY", "AWS_KEY_ID"],
        "aws_secret_access_key" => &["AWS_SECRET_ACCESS_KEY", "AWS_SECRET_KEY", "AWS_SECRET"],
        "github" => &["GITHUB_TOKEN", "GH_TOKEN", "GITHUB_PAT", "GITHUB_API_TOKEN"],
        "google_api_key" => &[
            "GOOGLE_API_KEY",
            "GOOGLE_MAPS_API_KEY",
            "FIREBASE_API_KEY",
            "GCP_API_KEY",
        ],
        "slack" => &["SLACK_BOT_TOKEN", "SLACK_TOKEN", "SLACK_APP_TOKEN"],
        "stripe" => &["STRIPE_SECRET_KEY", "STRIPE_API_KEY", "STRIPE_KEY"],
        "vault" => &["VAULT_TOKEN", "VAULT_CLIENT_TOKEN"],
        "private_key" => &["PRIVATE_KEY", "SSH_PRIVATE_KEY", "TLS_KEY", "SIGNING_KEY"],
        "url_credential" => &["DATABASE_URL", "REDIS_URL", "BROKER_URL"],
        "groq" => &["GROQ_API_KEY", "GROQ_KEY"],
        "xai" => &["XAI_API_KEY", "GROK_API_KEY"],
        "openrouter" => &["OPENROUTER_API_KEY", "OPENROUTER_KEY"],
        "huggingface" => &["HF_TOKEN", "HUGGINGFACE_TOKEN", "HUGGING_FACE_HUB_TOKEN"],
        "perplexity" => &["PERPLEXITY_API_KEY", "PPLX_API_KEY"],
        "replicate" => &["REPLICATE_API_TOKEN", "REPLICATE_TOKEN"],
        "fireworks" => &["FIREWORKS_API_KEY", "FIREWORKS_KEY"],
        "mistral" => &["MISTRAL_API_KEY", "MISTRAL_TOKEN"],
        "cohere" => &["COHERE_API_KEY", "CO_API_KEY"],
        "deepseek" => &["DEEPSEEK_API_KEY", "DEEPSEEK_SECRET"],
        "together" => &["TOGETHER_API_KEY", "TOGETHER_TOKEN"],
        "azure_openai" => &["AZURE_OPENAI_API_KEY", "AZURE_OPENAI_SECRET"],
        "telegram" => &["TELEGRAM_BOT_TOKEN", "TELEGRAM_TOKEN", "BOT_TOKEN"],
        "discord" => &["DISCORD_BOT_TOKEN", "DISCORD_TOKEN"],
        "discord_webhook" => &["DISCORD_WEBHOOK", "DISCORD_WEBHOOK_URL"],
        "whatsapp" => &[
            "WHATSAPP_TOKEN",
            "WHATSAPP_ACCESS_TOKEN",
            "META_ACCESS_TOKEN",
        ],
        "matrix" => &["MATRIX_ACCESS_TOKEN", "MATRIX_TOKEN"],
        "line" => &["LINE_CHANNEL_ACCESS_TOKEN", "LINE_CHANNEL_SECRET"],
        "npm" => &["NPM_TOKEN", "NPM_AUTH_TOKEN", "NODE_AUTH_TOKEN"],
        "pypi" => &["PYPI_API_TOKEN", "PYPI_TOKEN", "TWINE_PASSWORD"],
        "sendgrid" => &["SENDGRID_API_KEY", "SENDGRID_KEY"],
        "stripe_test" => &[
            "STRIPE_TEST_SECRET_KEY",
            "STRIPE_SECRET_KEY",
            "STRIPE_TEST_KEY",
        ],
        "twilio" => &["TWILIO_AUTH_TOKEN", "TWILIO_API_SECRET"],
        "jwt" => &["SUPABASE_SERVICE_KEY", "JWT_TOKEN", "SERVICE_JWT"],
        _ => &[
            "API_KEY",
            "SECRET_KEY",
            "AUTH_TOKEN",
            "DB_PASSWORD",
            "CLIENT_SECRET",
            "ACCESS_TOKEN",
            "API_SECRET",
            "PASSWORD",
            "APP_SECRET",
        ],
    }
}

fn title(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f
            .to_uppercase()
            .chain(c.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

fn snake_to_camel(name: &str) -> String {
    let lower = name.to_lowercase();
    let mut parts = lower.split('_');
    let mut out = parts.next().unwrap_or("").to_string();
    for p in parts {
        out.push_str(&title(p));
    }
    out
}

// ---------------------------------------------------------------------------
// secret generators: the providers' published formats, random content
// ---------------------------------------------------------------------------
/// Random string with upper, lower and digit characters (for n ≥ 12), so that
/// a scanner's character-class checks see a realistic key.
fn mixed(r: &mut Rng, alphabet: &str, n: usize) -> String {
    loop {
        let s = r.string(alphabet, n);
        let b = s.as_bytes();
        if n < 12
            || (b.iter().any(u8::is_ascii_uppercase)
                && b.iter().any(u8::is_ascii_lowercase)
                && b.iter().any(u8::is_ascii_digit))
        {
            return s;
        }
    }
}

fn digits(r: &mut Rng, n: usize) -> String {
    format!("{}{}", r.range(1, 9), r.string(DIGITS, n - 1))
}

fn pick_w<'a>(r: &mut Rng, variants: &[(&'a str, f64)]) -> &'a str {
    let names: Vec<&str> = variants.iter().map(|v| v.0).collect();
    let w: Vec<f64> = variants.iter().map(|v| v.1).collect();
    let v: &&str = r.pick_weighted(&names, &w);
    v
}

/// CRC-32 (IEEE, reflected), as GitHub's token checksum uses.
pub fn crc32(data: &[u8]) -> u32 {
    let mut c = !0u32;
    for &b in data {
        c ^= b as u32;
        for _ in 0..8 {
            c = if c & 1 != 0 {
                (c >> 1) ^ 0xEDB8_8320
            } else {
                c >> 1
            };
        }
    }
    !c
}

fn base62(mut n: u64, width: usize) -> String {
    let a = B62.as_bytes();
    let mut out = Vec::new();
    while n > 0 {
        out.push(a[(n % 62) as usize]);
        n /= 62;
    }
    while out.len() < width {
        out.push(b'0');
    }
    out.reverse();
    String::from_utf8(out).unwrap()
}

/// A one-line secret of `family` (`variant` as in the template's `variant=`).
pub fn secret(r: &mut Rng, family: &str, variant: Option<&str>) -> String {
    match family {
        "openai" => {
            let v = variant.unwrap_or_else(|| {
                pick_w(
                    r,
                    &[
                        ("legacy", 40.0),
                        ("proj", 45.0),
                        ("svcacct", 10.0),
                        ("admin", 5.0),
                    ],
                )
            });
            // The `T3BlbkFJ` marker is base64 of "OpenAI".
            let marker = ["T3Blb", "kFJ"].concat();
            if v == "legacy" {
                return format!("sk-{}{marker}{}", mixed(r, ALNUM, 20), mixed(r, ALNUM, 20));
            }
            let n = *r.pick(&[74, 58]);
            format!(
                "sk-{v}-{}{marker}{}",
                mixed(r, URLSAFE, n),
                mixed(r, URLSAFE, n)
            )
        }
        "anthropic" => {
            let v = variant.unwrap_or_else(|| pick_w(r, &[("api03", 85.0), ("admin01", 15.0)]));
            format!("sk-ant-{v}-{}AA", mixed(r, URLSAFE, 93))
        }
        "aws_access_key_id" => {
            let prefix = variant.unwrap_or_else(|| pick_w(r, &[("AKIA", 80.0), ("ASIA", 20.0)]));
            loop {
                let body = r.string(B32, 16);
                if body.bytes().any(|c| c.is_ascii_digit()) {
                    return format!("{prefix}{body}");
                }
            }
        }
        "aws_secret_access_key" => mixed(r, B64, 40),
        "github" => {
            let v = variant.unwrap_or_else(|| {
                pick_w(
                    r,
                    &[
                        ("ghp", 40.0),
                        ("gho", 10.0),
                        ("ghu", 8.0),
                        ("ghs", 8.0),
                        ("ghr", 4.0),
                        ("github_pat", 30.0),
                    ],
                )
            });
            match v {
                "github_pat" => format!(
                    "github_pat_11{}_{}",
                    r.string(&format!("{UPPER}{DIGITS}"), 20),
                    mixed(r, ALNUM, 59)
                ),
                "ghr" => format!("ghr_{}", mixed(r, ALNUM, 76)),
                // right shape, checksum not verified: reported as OC312 (issue 13)
                "ghp-badsum" => format!("ghp_{}", mixed(r, ALNUM, 36)),
                _ => {
                    // classic tokens end in base62(CRC32(random part)), 6 chars
                    let entropy = mixed(r, ALNUM, 30);
                    let sum = base62(crc32(entropy.as_bytes()) as u64, 6);
                    format!("{v}_{entropy}{sum}")
                }
            }
        }
        "google_api_key" => format!("{}{}", ["AI", "zaSy"].concat(), mixed(r, URLSAFE, 33)),
        "slack" => {
            let v = variant
                .unwrap_or_else(|| pick_w(r, &[("xoxb", 55.0), ("xoxp", 30.0), ("xapp", 15.0)]));
            match v {
                "xoxb" => {
                    let n = *r.pick(&[11, 12]);
                    format!(
                        "xoxb-{}-{}-{}",
                        digits(r, n),
                        digits(r, 13),
                        mixed(r, ALNUM, 24)
                    )
                }
                "xoxp" => format!(
                    "xoxp-{}-{}-{}-{}",
                    digits(r, 12),
                    digits(r, 12),
                    digits(r, 12),
                    r.string(HEX, 32)
                ),
                _ => format!(
                    "xapp-1-A{}-{}-{}",
                    r.string(&format!("{UPPER}{DIGITS}"), 10),
                    digits(r, 13),
                    r.string(HEX, 64)
                ),
            }
        }
        "stripe" => {
            let v = variant.unwrap_or_else(|| pick_w(r, &[("sk_live", 80.0), ("rk_live", 20.0)]));
            if r.chance(0.4) {
                format!("{v}_{}", mixed(r, ALNUM, 24))
            } else {
                format!("{v}_51{}", mixed(r, ALNUM, 97))
            }
        }
        "vault" => {
            let v = variant.unwrap_or_else(|| {
                pick_w(r, &[("hvs-short", 35.0), ("hvs-long", 45.0), ("hvb", 20.0)])
            });
            match v {
                "hvs-short" => format!("hvs.{}", mixed(r, ALNUM, 24)),
                "hvs-long" => format!("hvs.CAESI{}", mixed(r, URLSAFE, 86)),
                _ => format!("hvb.AAAAAQ{}", mixed(r, URLSAFE, 128)),
            }
        }
        "generic" => {
            let v =
                variant.unwrap_or_else(|| *r.pick(&["hex32", "hex40", "alnum", "password", "b64"]));
            match v {
                "hex32" => loop {
                    let s = r.string(HEX, 32);
                    let d = s.bytes().filter(u8::is_ascii_digit).count();
                    if d >= 4 && 32 - d >= 4 {
                        return s;
                    }
                },
                "hex40" => r.string(HEX, 40),
                "alnum" => {
                    let n = r.range(24, 40) as usize;
                    mixed(r, ALNUM, n)
                }
                "password" => loop {
                    let n = r.range(16, 24) as usize;
                    let s = mixed(r, PW, n);
                    if s.chars().any(|c| PW_SYMBOLS.contains(c)) {
                        return s;
                    }
                },
                _ => {
                    let n = r.range(32, 44) as usize;
                    mixed(r, B64, n)
                }
            }
        }
        // Families OC312 onwards: formats from the providers' documentation
        // and other scanners' public rule sets (see tests/secrets_families.rs).
        "url_credential" => loop {
            // the password part of `scheme://user:PASSWORD@host`
            let n = r.range(12, 20) as usize;
            let s = format!("{}{}", mixed(r, ALNUM, n), r.string("!*~", 1));
            if s.bytes().any(|c| c.is_ascii_digit()) {
                return s;
            }
        },
        "discord_webhook" => {
            let host = ["discord.com", "discordapp.com"][r.range(0, 1) as usize];
            let len = r.range(64, 68) as usize;
            format!(
                "https://{host}/api/webhooks/{}/{}",
                digits(r, 18),
                mixed(r, URLSAFE, len)
            )
        }
        "groq" => format!("gsk_{}", mixed(r, ALNUM, 52)),
        "xai" => format!("xai-{}", mixed(r, ALNUM, 80)),
        "openrouter" => format!("sk-or-v1-{}", r.string(HEX, 64)),
        "huggingface" => {
            let letters = format!("{UPPER}{LOWER}");
            loop {
                let s = r.string(&letters, 34);
                let up = s.bytes().filter(u8::is_ascii_uppercase).count();
                if (2..=32).contains(&up) {
                    return format!("hf_{s}");
                }
            }
        }
        "perplexity" => format!("pplx-{}", mixed(r, ALNUM, 48)),
        "replicate" => format!("r8_{}", mixed(r, ALNUM, 37)),
        "fireworks" => format!("fw_{}", mixed(r, ALNUM, 24)),
        "mistral" => mixed(r, ALNUM, 32),
        "cohere" => mixed(r, ALNUM, 40),
        "deepseek" => format!("sk-{}", r.string(HEX, 32)),
        "together" => r.string(HEX, 64),
        "azure_openai" => {
            if r.chance(0.5) {
                r.string(HEX, 32)
            } else {
                mixed(r, ALNUM, 84)
            }
        }
        "telegram" => format!("{}:AA{}", digits(r, 10), mixed(r, URLSAFE, 33)),
        "discord" => {
            let id = digits(r, 18);
            let b = base64(id.as_bytes());
            format!(
                "{}.{}.{}",
                b.trim_end_matches('='),
                mixed(r, URLSAFE, 6),
                mixed(r, URLSAFE, 38)
            )
        }
        "whatsapp" => {
            let n = r.range(150, 220) as usize;
            format!("EAA{}{}", r.string("GIJKQU", 1), mixed(r, ALNUM, n))
        }
        "matrix" => {
            let user = base64(r.string(LOWER, 8).as_bytes());
            format!(
                "syt_{}_{}_{}",
                user.trim_end_matches('='),
                mixed(r, ALNUM, 20),
                mixed(r, ALNUM, 6)
            )
        }
        "line" => {
            if r.chance(0.5) {
                r.string(HEX, 32)
            } else {
                format!("{}=", mixed(r, &format!("{ALNUM}+/"), 171))
            }
        }
        "npm" => {
            let e = mixed(r, ALNUM, 30);
            let sum = base62(crc32(e.as_bytes()) as u64, 6);
            format!("npm_{e}{sum}")
        }
        "pypi" => {
            let n = r.range(120, 180) as usize;
            format!("pypi-AgEIcHlwaS5vcmc{}", mixed(r, URLSAFE, n))
        }
        "sendgrid" => format!("SG.{}.{}", mixed(r, URLSAFE, 22), mixed(r, URLSAFE, 43)),
        "stripe_test" => {
            let v = pick_w(r, &[("sk_test", 80.0), ("rk_test", 20.0)]);
            if r.chance(0.4) {
                format!("{v}_{}", mixed(r, ALNUM, 24))
            } else {
                format!("{v}_51{}", mixed(r, ALNUM, 97))
            }
        }
        "twilio" => r.string(HEX, 32),
        "jwt" => {
            let hdr = base64(br#"{"alg":"HS256","typ":"JWT"}"#);
            let body = format!(
                r#"{{"iss":"{}","sub":"{}","exp":{}}}"#,
                r.string(LOWER, 8),
                digits(r, 8),
                digits(r, 10)
            );
            let url = |s: String| s.trim_end_matches('=').replace('+', "-").replace('/', "_");
            format!(
                "{}.{}.{}",
                url(hdr),
                url(base64(body.as_bytes())),
                mixed(r, URLSAFE, 43)
            )
        }
        other => panic!("no one-line generator for family {other}"),
    }
}

fn base64(data: &[u8]) -> String {
    let a = B64.as_bytes();
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for c in data.chunks(3) {
        let n = (c[0] as u32) << 16
            | (*c.get(1).unwrap_or(&0) as u32) << 8
            | *c.get(2).unwrap_or(&0) as u32;
        for i in 0..4 {
            if i <= c.len() {
                out.push(a[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn b64lines(data: &[u8], width: usize) -> Vec<String> {
    let s = base64(data);
    s.as_bytes()
        .chunks(width)
        .map(|c| String::from_utf8(c.to_vec()).unwrap())
        .collect()
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn pem(label: &str, der: &[u8], width: usize) -> Vec<String> {
    let mut v = vec![format!("-----BEGIN {label}-----")];
    v.extend(b64lines(der, width));
    v.push(format!("-----END {label}-----"));
    v
}

/// The lines of a PEM private key block: DER-shaped RSA (PKCS#1), EC (SEC1),
/// PKCS#8 or OpenSSH (ed25519) key with random key material.
pub fn pem_private(r: &mut Rng, variant: Option<&str>) -> Vec<String> {
    let v = variant.unwrap_or_else(|| {
        pick_w(
            r,
            &[
                ("rsa", 35.0),
                ("ec", 20.0),
                ("openssh", 25.0),
                ("pkcs8", 20.0),
            ],
        )
    });
    let key = ["PRIVATE", "KEY"].join(" ");
    match v {
        "rsa" => {
            let mut der = hex("308204a40201000282010100");
            der.extend(r.bytes(1192 - 12));
            pem(&format!("RSA {key}"), &der, 64)
        }
        "ec" => {
            let mut der = hex("30770201010420");
            der.extend(r.bytes(32));
            der.extend(hex("a00a06082a8648ce3d030107a14403420004"));
            der.extend(r.bytes(64));
            pem(&format!("EC {key}"), &der, 64)
        }
        "pkcs8" => {
            let mut der =
                hex("308204bd020100300d06092a864886f70d0101010500048204a7308204a30201000282010100");
            der.extend(r.bytes(1217 - 38));
            pem(&key, &der, 64)
        }
        _ => {
            let be = |n: usize| (n as u32).to_be_bytes();
            let pubk = r.bytes(32);
            let mut blob = b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x20".to_vec();
            blob.extend(&pubk);
            let check = r.bytes(4);
            let comment = format!("{}@{}", r.pick(WORDS), r.pick(WORDS));
            let mut privk = [check.clone(), check].concat();
            privk.extend(&blob);
            privk.extend(b"\x00\x00\x00\x40");
            privk.extend(r.bytes(32));
            privk.extend(&pubk);
            privk.extend(be(comment.len()));
            privk.extend(comment.as_bytes());
            let pad = (8 - privk.len() % 8) % 8;
            privk.extend(1..=pad as u8);
            let mut data = b"openssh-key-v1\x00".to_vec();
            data.extend(b"\x00\x00\x00\x04none".repeat(2));
            data.extend(b"\x00\x00\x00\x00\x00\x00\x00\x01");
            data.extend(be(blob.len()));
            data.extend(&blob);
            data.extend(be(privk.len()));
            data.extend(&privk);
            pem(&format!("OPENSSH {key}"), &data, 70)
        }
    }
}

/// Non-secret PEM blocks (decoys): public keys, certificates, CSRs.
fn pem_public(r: &mut Rng, label: &str) -> Vec<String> {
    let der = match label {
        "PUBLIC KEY" => [
            hex("30820122300d06092a864886f70d01010105000382010f003082010a0282010100"),
            r.bytes(256),
            hex("0203010001"),
        ]
        .concat(),
        "RSA PUBLIC KEY" => [hex("3082010a0282010100"), r.bytes(256), hex("0203010001")].concat(),
        "CERTIFICATE REQUEST" => [hex("308202a130820189020100"), r.bytes(680)].concat(),
        _ => [hex("3082037130820259a0030201020214"), r.bytes(870)].concat(),
    };
    pem(label, &der, 64)
}

// ---------------------------------------------------------------------------
// template engine
// ---------------------------------------------------------------------------
enum Part {
    Lit(String),
    Ph(String, Option<String>),
}

/// Splits `@@name@@` / `@@name:args@@` placeholders (args hold no `@@`) from literal text.
fn parse_template(t: &str) -> Vec<Part> {
    let b = t.as_bytes();
    let mut parts = Vec::new();
    let (mut lit_start, mut i) = (0, 0);
    while i + 1 < b.len() {
        if &b[i..i + 2] != b"@@" {
            i += 1;
            continue;
        }
        let ns = i + 2;
        let mut j = ns;
        if j < b.len() && (b[j].is_ascii_alphabetic() || b[j] == b'_') {
            j += 1;
            while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
                j += 1;
            }
        }
        let matched = if j == ns {
            None
        } else if t[j..].starts_with("@@") {
            Some((j + 2, None))
        } else if b.get(j) == Some(&b':') {
            t[j + 1..]
                .find("@@")
                .map(|k| (j + 1 + k + 2, Some(t[j + 1..j + 1 + k].to_string())))
        } else {
            None
        };
        match matched {
            Some((end, args)) => {
                if i > lit_start {
                    parts.push(Part::Lit(t[lit_start..i].to_string()));
                }
                parts.push(Part::Ph(t[ns..j].to_string(), args));
                i = end;
                lit_start = end;
            }
            None => i += 1,
        }
    }
    if lit_start < t.len() {
        parts.push(Part::Lit(t[lit_start..].to_string()));
    }
    parts
}

fn placeholders(t: &str) -> Vec<(String, Option<String>)> {
    parse_template(t)
        .into_iter()
        .filter_map(|p| match p {
            Part::Ph(n, a) => Some((n, a)),
            Part::Lit(_) => None,
        })
        .collect()
}

struct Pools {
    svc: Vec<String>,
    pkg: Vec<String>,
}

/// Expands template lines with one RNG; secrets made while expanding a line
/// are collected in `produced` as (family, value).
struct Expander<'a> {
    r: &'a mut Rng,
    pools: &'a Pools,
    family: &'static str,
    varname: &'static str,
    produced: Vec<(&'static str, String)>,
}

fn family_name(f: &str) -> &'static str {
    FAMILIES
        .iter()
        .find(|x| **x == f)
        .unwrap_or_else(|| panic!("unknown secret family {f:?}"))
}

impl<'a> Expander<'a> {
    fn new(r: &'a mut Rng, pools: &'a Pools) -> Self {
        Expander {
            r,
            pools,
            family: "generic",
            varname: "API_KEY",
            produced: Vec::new(),
        }
    }

    fn begin(&mut self, family: &str) {
        self.family = family_name(family);
        self.varname = *self.r.pick(var_names(family));
    }

    fn words(&mut self, n: usize) -> Vec<&'static str> {
        (0..n)
            .map(|i| {
                if i % 2 == 1 {
                    *self.r.pick(WORDS)
                } else {
                    let k = self.r.below(VERBS.len() + ADJ.len() + WORDS.len());
                    VERBS
                        .iter()
                        .chain(ADJ)
                        .chain(WORDS)
                        .nth(k)
                        .copied()
                        .unwrap()
                }
            })
            .collect()
    }

    fn ident(&mut self) -> String {
        let n = *self.r.pick(&[1, 2, 2, 3]);
        self.words(n).join("_")
    }

    fn sentence(&mut self) -> String {
        let n = self.r.range(6, 14);
        let ws: Vec<&str> = (0..n)
            .map(|_| {
                if self.r.chance(0.55) {
                    *self.r.pick(PROSE)
                } else {
                    *self.r.pick(WORDS)
                }
            })
            .collect();
        format!("{} {}.", title(ws[0]), ws[1..].join(" "))
    }

    fn date(&mut self) -> String {
        format!(
            "20{:02}-{:02}-{:02}",
            self.r.range(18, 26),
            self.r.range(1, 12),
            self.r.range(1, 28)
        )
    }

    fn time(&mut self) -> String {
        format!(
            "{:02}:{:02}:{:02}",
            self.r.range(0, 23),
            self.r.range(0, 59),
            self.r.range(0, 59)
        )
    }

    fn host(&mut self) -> String {
        format!(
            "{}.{}.{}",
            self.r.pick(WORDS),
            self.r.pick(WORDS),
            self.r.pick(TLDS)
        )
    }

    /// One placeholder. Identifiers: `ident Ident camel IDENT mini`; prose:
    /// `word verb adj words sentence latin1`; values: `int[:lo:hi] float bool
    /// pybool hex:N HEX:N alnum:N lower:N digits:N b64:N b32up:N uuid sha1
    /// sha256 ip port host url email path date time iso clf semver pkg svc
    /// level method status choice:a|b repeat:STR:N at`; the planted family's
    /// name: `VAR var camelVar PascalVar`; `secret:FAMILY[:json|:indent=N]
    /// [:variant=V]` (`*` = the family being planted) and
    /// `pem:LABEL[:json|:indent=N]` for non-secret PEM blocks.
    fn call(&mut self, name: &str, a: Option<&str>) -> String {
        let n = |d: usize| a.map_or(d, |s| s.parse().expect("count"));
        match name {
            "ident" => self.ident(),
            "Ident" => {
                let k = *self.r.pick(&[1, 2, 2]);
                self.words(k).iter().map(|w| title(w)).collect()
            }
            "camel" => {
                let k = *self.r.pick(&[1, 2, 2]);
                let ws = self.words(k);
                let mut s = ws[0].to_string();
                ws[1..].iter().for_each(|w| s.push_str(&title(w)));
                s
            }
            "IDENT" => self.ident().to_uppercase(),
            "mini" => {
                let k = *self.r.pick(&[0, 1, 1]);
                format!(
                    "{}{}",
                    self.r.string(LOWER, 1),
                    self.r.string(&format!("{LOWER}$_"), k)
                )
            }
            "word" => self.r.pick(WORDS).to_string(),
            "verb" => self.r.pick(VERBS).to_string(),
            "adj" => self.r.pick(ADJ).to_string(),
            "words" => {
                let k = self.r.range(3, 8);
                (0..k)
                    .map(|_| {
                        let i = self.r.below(PROSE.len() + WORDS.len());
                        PROSE.iter().chain(WORDS).nth(i).copied().unwrap()
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            }
            "sentence" => self.sentence(),
            "latin1" => self.r.pick(LATIN1_PROSE).to_string(),
            "int" => {
                let (lo, hi) = match a {
                    Some(s) => {
                        let (l, h) = s.split_once(':').expect("int:lo:hi");
                        (l.parse().unwrap(), h.parse().unwrap())
                    }
                    None => (0, 9999),
                };
                self.r.range(lo, hi).to_string()
            }
            "float" => format!("{:.2}", self.r.unit() * 100.0),
            "bool" => self.r.pick(&["true", "false"]).to_string(),
            "pybool" => self.r.pick(&["True", "False"]).to_string(),
            "hex" => self.r.string(HEX, n(16)),
            "HEX" => self.r.string("0123456789ABCDEF", n(16)),
            "alnum" => self.r.string(ALNUM, n(16)),
            "lower" => self.r.string(&format!("{LOWER}{DIGITS}"), n(16)),
            "digits" => self.r.string(DIGITS, n(8)),
            "b64" => self.r.string(B64, n(40)),
            "b32up" => self.r.string(B32, n(16)),
            "uuid" => {
                let h = self.r.string(HEX, 32);
                let v = self.r.pick(&["8", "9", "a", "b"]);
                format!(
                    "{}-{}-4{}-{v}{}-{}",
                    &h[..8],
                    &h[8..12],
                    &h[13..16],
                    &h[17..20],
                    &h[20..]
                )
            }
            "sha1" => self.r.string(HEX, 40),
            "sha256" => self.r.string(HEX, 64),
            "ip" => format!(
                "10.{}.{}.{}",
                self.r.range(0, 255),
                self.r.range(0, 255),
                self.r.range(1, 254)
            ),
            "port" => self
                .r
                .pick(&[80, 443, 3000, 5432, 6379, 8000, 8080, 8443, 9090, 9200])
                .to_string(),
            "host" => self.host(),
            "url" => {
                let h = self.host();
                format!("https://{h}/{}/{}", self.r.pick(WORDS), self.r.pick(VERBS))
            }
            "email" => {
                let (a, b) = (self.r.pick(WORDS), self.r.pick(WORDS));
                format!("{a}.{b}@{}", self.host())
            }
            "path" => {
                let k = self.r.range(1, 3);
                (0..k)
                    .map(|_| *self.r.pick(WORDS))
                    .collect::<Vec<_>>()
                    .join("/")
            }
            "date" => self.date(),
            "time" => self.time(),
            "iso" => {
                let (d, t) = (self.date(), self.time());
                format!("{d}T{t}.{:03}Z", self.r.range(0, 999))
            }
            "clf" => {
                let mon = [
                    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                    "Dec",
                ];
                let (d, m, y) = (self.r.range(1, 28), self.r.pick(&mon), self.r.range(18, 26));
                format!("{d:02}/{m}/20{y:02}:{} +0000", self.time())
            }
            "semver" => format!(
                "{}.{}.{}",
                self.r.range(0, 9),
                self.r.range(0, 30),
                self.r.range(0, 40)
            ),
            "pkg" => self.r.pick(&self.pools.pkg).clone(),
            "svc" => self.r.pick(&self.pools.svc).clone(),
            "level" => self.r.pick(LEVELS).to_string(),
            "method" => self.r.pick(METHODS).to_string(),
            "status" => self.r.pick(STATUSES).to_string(),
            "choice" => {
                let opts: Vec<&str> = a.expect("choice:a|b").split('|').collect();
                self.r.pick(&opts).to_string()
            }
            "at" => "@".to_string(),
            "repeat" => {
                let (s, k) = a.expect("repeat:STR:N").rsplit_once(':').unwrap();
                s.repeat(k.parse().unwrap())
            }
            "VAR" => self.varname.to_string(),
            "var" => self.varname.to_lowercase(),
            "camelVar" => snake_to_camel(self.varname),
            "PascalVar" => self.varname.split('_').map(title).collect(),
            "secret" => self.secret(a.unwrap_or("*")),
            "pem" => {
                let bits: Vec<&str> = a.unwrap_or("CERTIFICATE").split(':').collect();
                let lines = pem_public(self.r, bits[0]);
                render_block(&lines, &bits[1..])
            }
            other => panic!("unknown placeholder @@{other}@@"),
        }
    }

    fn secret(&mut self, a: &str) -> String {
        let bits: Vec<&str> = a.split(':').collect();
        let family = if bits[0] == "*" {
            self.family
        } else {
            family_name(bits[0])
        };
        let mods = &bits[1..];
        let variant = mods.iter().find_map(|m| m.strip_prefix("variant="));
        let (value, text) = if family == "private_key" {
            let lines = pem_private(self.r, variant);
            (lines.join("\n"), render_block(&lines, mods))
        } else {
            let v = secret(self.r, family, variant);
            (v.clone(), v)
        };
        self.produced.push((family, value));
        text
    }

    fn expand(&mut self, t: &str) -> String {
        let mut out = String::new();
        for p in parse_template(t) {
            match p {
                Part::Lit(s) => out.push_str(&s),
                Part::Ph(n, a) => out.push_str(&self.call(&n, a.as_deref())),
            }
        }
        out
    }

    fn expand_list(&mut self, lines: &[String]) -> Vec<String> {
        lines
            .iter()
            .flat_map(|t| {
                self.expand(t)
                    .split('\n')
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
            .collect()
    }
}

/// A PEM block as JSON-escaped one-liner (`json`) or lines joined with a
/// newline and `indent=N` spaces.
fn render_block(lines: &[String], mods: &[&str]) -> String {
    if mods.contains(&"json") {
        return lines.join("\\n") + "\\n";
    }
    let indent = mods
        .iter()
        .find_map(|m| m.strip_prefix("indent="))
        .map_or(0, |n| n.parse().unwrap());
    lines.join(&format!("\n{}", " ".repeat(indent)))
}

// ---------------------------------------------------------------------------
// template sets
// ---------------------------------------------------------------------------
#[derive(Clone, Debug)]
struct FileType {
    name: String,
    syntax: Option<String>,
    special: Option<String>,
    weight: f64,
    size: f64,
    paths: Vec<String>,
    header: Vec<String>,
    footer: Vec<String>,
    comment: String,
    crlf: f64,
    bom: f64,
    latin1: f64,
    garbage: f64,
    no_final_newline: f64,
}

#[derive(Debug)]
struct Entry {
    syntax: Vec<String>,
    lines: Vec<String>,
    tag: String,
    /// contexts: families it can plant
    supports: BTreeSet<&'static str>,
    /// decoys: family it imitates, and the template lines that are labelled
    kind: &'static str,
    mark: Vec<usize>,
    origin: String,
}

#[derive(Default)]
struct Templates {
    file_types: Vec<FileType>,
    filler: BTreeMap<String, Vec<Vec<String>>>,
    contexts: Vec<Entry>,
    decoys: Vec<Entry>,
}

const SPECIALS: [&str; 7] = [
    "log", "minjs", "jsonmin", "lockfile", "keyfile", "binary", "utf16",
];
const ONE_LINE_SPECIALS: [&str; 2] = ["minjs", "jsonmin"];

fn strs(v: &Value, what: &str) -> Vec<String> {
    match v {
        Value::Null => Vec::new(),
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a
            .iter()
            .map(|x| {
                x.as_str()
                    .unwrap_or_else(|| panic!("{what}: expected strings"))
                    .to_string()
            })
            .collect(),
        _ => panic!("{what}: expected a string or a list of strings"),
    }
}

impl Templates {
    fn load(&mut self, data: &Value, origin: &str) {
        let obj = data
            .as_object()
            .unwrap_or_else(|| panic!("{origin}: expected a JSON object"));
        for k in obj.keys() {
            assert!(
                [
                    "file_types",
                    "filler",
                    "contexts",
                    "decoys",
                    "comment",
                    "description"
                ]
                .contains(&k.as_str()),
                "{origin}: unknown top-level key {k:?}"
            );
        }
        let num = |o: &Value, k: &str, d: f64| o.get(k).and_then(Value::as_f64).unwrap_or(d);
        for (i, ft) in obj
            .get("file_types")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let where_ = format!("{origin}: file_types[{i}]");
            let s = |k: &str| ft.get(k).and_then(Value::as_str).map(str::to_string);
            let special = s("special");
            let paths = strs(ft.get("paths").unwrap_or(&Value::Null), &where_);
            assert!(
                s("name").is_some() && !paths.is_empty(),
                "{where_}: needs 'name' and a non-empty 'paths' list"
            );
            if let Some(sp) = &special {
                assert!(
                    SPECIALS.contains(&sp.as_str()),
                    "{where_}: unknown special {sp:?}"
                );
            }
            assert!(
                s("syntax").is_some()
                    || matches!(special.as_deref(), Some("lockfile" | "binary" | "utf16")),
                "{where_}: needs 'syntax'"
            );
            let weight = num(ft, "weight", 1.0);
            assert!(weight > 0.0, "{where_}: weight must be > 0");
            self.file_types.push(FileType {
                name: s("name").unwrap(),
                syntax: s("syntax"),
                special,
                weight,
                size: num(ft, "size", 1.0),
                paths,
                header: strs(ft.get("header").unwrap_or(&Value::Null), &where_),
                footer: strs(ft.get("footer").unwrap_or(&Value::Null), &where_),
                comment: s("comment").unwrap_or_else(|| "#".to_string()),
                crlf: num(ft, "crlf", 0.02),
                bom: num(ft, "bom", 0.0),
                latin1: num(ft, "latin1", 0.0),
                garbage: num(ft, "garbage", 0.0),
                no_final_newline: num(ft, "no_final_newline", 0.03),
            });
        }
        if let Some(f) = obj.get("filler").and_then(Value::as_object) {
            for (syntax, blocks) in f {
                let blocks = blocks
                    .as_array()
                    .unwrap_or_else(|| panic!("{origin}: filler[{syntax}]: expected a list"));
                for (j, b) in blocks.iter().enumerate() {
                    let where_ = format!("{origin}: filler[{syntax}][{j}]");
                    let b = strs(b, &where_);
                    assert!(
                        !b.iter()
                            .any(|l| placeholders(l).iter().any(|(n, _)| n == "secret")),
                        "{where_}: filler may not plant secrets"
                    );
                    self.filler.entry(syntax.clone()).or_default().push(b);
                }
            }
        }
        for (i, c) in obj
            .get("contexts")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            self.contexts
                .push(Self::entry(c, &format!("{origin}: contexts[{i}]"), true));
        }
        for (i, d) in obj
            .get("decoys")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            self.decoys
                .push(Self::entry(d, &format!("{origin}: decoys[{i}]"), false));
        }
    }

    fn entry(e: &Value, where_: &str, context: bool) -> Entry {
        let lines = strs(e.get("lines").unwrap_or(&Value::Null), where_);
        let syntax = strs(e.get("syntax").unwrap_or(&Value::Null), where_);
        assert!(
            !lines.is_empty() && !syntax.is_empty(),
            "{where_}: needs non-empty 'lines' and 'syntax'"
        );
        let tag = e
            .get("tag")
            .and_then(Value::as_str)
            .unwrap_or(if context { "context" } else { "decoy" })
            .to_string();
        let mut entry = Entry {
            syntax,
            lines,
            tag,
            supports: BTreeSet::new(),
            kind: "generic",
            mark: Vec::new(),
            origin: where_.to_string(),
        };
        if context {
            let (mut explicit, mut star) = (BTreeSet::new(), false);
            for line in &entry.lines {
                let secrets: Vec<String> = placeholders(line)
                    .into_iter()
                    .filter(|(n, _)| n == "secret")
                    .map(|(_, a)| a.unwrap_or_else(|| "*".into()))
                    .collect();
                assert!(
                    secrets.len() <= 1,
                    "{where_}: at most one @@secret@@ per line"
                );
                for a in secrets {
                    match a.split(':').next().unwrap() {
                        "*" => star = true,
                        f => {
                            explicit.insert(family_name(f));
                        }
                    }
                }
            }
            assert!(
                star || !explicit.is_empty(),
                "{where_}: a context needs a @@secret:FAMILY@@ placeholder"
            );
            entry.supports = if star {
                match e.get("families") {
                    Some(f) => strs(f, where_).iter().map(|f| family_name(f)).collect(),
                    None => {
                        let named = entry.lines.iter().any(|l| {
                            l.contains("@@secret:*")
                                && ["@@VAR@@", "@@var@@", "@@camelVar@@", "@@PascalVar@@"]
                                    .iter()
                                    .any(|v| l.contains(v))
                        });
                        FAMILIES
                            .iter()
                            .copied()
                            .filter(|f| *f != "private_key" && *f != "url_credential")
                            .filter(|f| named || !NEEDS_NAME.contains(f))
                            .collect()
                    }
                }
            } else {
                explicit
            };
        } else {
            entry.kind = family_name(e.get("kind").and_then(Value::as_str).unwrap_or("?"));
            for line in &entry.lines {
                assert!(
                    !placeholders(line).iter().any(|(n, _)| n == "secret"),
                    "{where_}: a decoy may not plant secrets"
                );
            }
            entry.mark = match e.get("mark") {
                Some(Value::Array(m)) => m
                    .iter()
                    .map(|x| x.as_u64().expect("mark index") as usize)
                    .collect(),
                _ => (0..entry.lines.len()).collect(),
            };
            assert!(
                !entry.mark.is_empty() && entry.mark.iter().all(|m| *m < entry.lines.len()),
                "{where_}: bad 'mark' indices"
            );
        }
        entry
    }

    /// Entries for minified / one-line file types must expand to one line.
    fn finalize(&self) {
        assert!(!self.file_types.is_empty(), "no file types to generate");
        let one_line: HashSet<&str> = self
            .file_types
            .iter()
            .filter(|f| ONE_LINE_SPECIALS.contains(&f.special.as_deref().unwrap_or("")))
            .filter_map(|f| f.syntax.as_deref())
            .collect();
        for e in self.contexts.iter().chain(&self.decoys) {
            if !e.syntax.iter().any(|s| one_line.contains(s.as_str())) {
                continue;
            }
            let raw_block = placeholders(&e.lines[0]).iter().any(|(n, a)| {
                let bits: Vec<&str> = a.as_deref().unwrap_or("").split(':').collect();
                !bits[1..].contains(&"json")
                    && (n == "pem" || (n == "secret" && bits[0] == "private_key"))
            });
            assert!(
                e.lines.len() == 1 && !e.lines[0].contains('\n') && !raw_block,
                "{}: entries for one-line syntaxes must expand to one line",
                e.origin
            );
        }
    }
}

// ---------------------------------------------------------------------------
// planning
// ---------------------------------------------------------------------------
#[derive(Clone, Copy)]
enum Plant<'t> {
    Secret(&'t Entry, &'static str),
    Decoy(&'t Entry),
}

struct FilePlan<'t> {
    index: usize,
    ft: &'t FileType,
    path: String,
    size: usize,
    plants: Vec<Plant<'t>>,
    /// Features that are otherwise left to chance, forced on the first file
    /// of each type that can have them so that every tree has some.
    force_latin1: bool,
    force_garbage: bool,
    force_bom: bool,
    force_crlf: bool,
}

type Missing = Vec<(&'static str, &'static str)>;

fn make_pools(r: &mut Rng) -> Pools {
    let kinds = ["api", "svc", "worker", "gateway", "web", "sync"];
    let svc: BTreeSet<String> = (0..24)
        .map(|_| format!("{}-{}", r.pick(WORDS), r.pick(&kinds)))
        .collect();
    let pkg: BTreeSet<String> = (0..40)
        .map(|_| format!("{}-{}", r.pick(ADJ), r.pick(WORDS)))
        .collect();
    Pools {
        svc: svc.into_iter().collect(),
        pkg: pkg.into_iter().collect(),
    }
}

fn plan_tree<'t>(opts: &CorpusOptions, tpl: &'t Templates) -> (Vec<FilePlan<'t>>, Pools, Missing) {
    let mut r = Rng::new(opts.seed, "plan", 0);
    let pools = make_pools(&mut r);
    let types = &tpl.file_types;
    let weights: Vec<f64> = types.iter().map(|t| t.weight).collect();

    // one file of each common type first, so that small trees still cover them
    let mut common: Vec<&FileType> = types.iter().filter(|t| t.weight >= 0.5).collect();
    common.sort_by(|a, b| b.weight.total_cmp(&a.weight));
    let mut chosen: Vec<&FileType> = common.into_iter().take(opts.files).collect();
    while chosen.len() < opts.files {
        chosen.push(r.pick_weighted(types, &weights));
    }
    r.shuffle(&mut chosen);
    let mut files: Vec<FilePlan> = chosen
        .into_iter()
        .enumerate()
        .map(|(index, ft)| FilePlan {
            index,
            ft,
            path: String::new(),
            size: 0,
            plants: Vec::new(),
            force_latin1: false,
            force_garbage: false,
            force_bom: false,
            force_crlf: false,
        })
        .collect();
    let mut seen: HashSet<(&str, &str)> = HashSet::new();
    for (i, f) in files.iter_mut().enumerate() {
        if f.ft.special.as_deref().is_some_and(|s| s != "log") {
            continue;
        }
        let name = f.ft.name.as_str();
        f.force_latin1 = f.ft.latin1 > 0.0 && seen.insert((name, "latin1"));
        f.force_garbage = f.ft.garbage > 0.0 && seen.insert((name, "garbage"));
        f.force_bom = f.ft.bom > 0.0 && seen.insert((name, "bom"));
        f.force_crlf = i % 50 == 0 && f.ft.crlf > 0.0;
    }

    // paths: unique, and no file where another file needs a directory
    {
        let mut used_files: HashSet<String> = HashSet::new();
        let mut used_dirs: HashSet<String> = HashSet::new();
        used_files.insert("labels.jsonl".into());
        let mut ex = Expander::new(&mut r, &pools);
        ex.begin("generic");
        for f in &mut files {
            let mut found = None;
            for attempt in 0..60 {
                let t = ex.r.pick(&f.ft.paths).clone();
                let mut p = ex
                    .expand(&t)
                    .replace('\\', "/")
                    .trim_matches('/')
                    .to_string();
                if attempt >= 20 {
                    let (d, b) = p.rsplit_once('/').unwrap_or(("", &p));
                    let mid = format!("{}{attempt}", ex.r.pick(WORDS));
                    p = [d, &mid, b]
                        .iter()
                        .filter(|x| !x.is_empty())
                        .copied()
                        .collect::<Vec<_>>()
                        .join("/");
                }
                let parts: Vec<&str> = p.split('/').collect();
                let parents: Vec<String> = (1..parts.len()).map(|k| parts[..k].join("/")).collect();
                if !used_files.contains(&p)
                    && !used_dirs.contains(&p)
                    && !parents.iter().any(|d| used_files.contains(d))
                {
                    found = Some((p, parents));
                    break;
                }
            }
            let (p, parents) =
                found.unwrap_or_else(|| panic!("no free path for a {} file", f.ft.name));
            used_files.insert(p.clone());
            used_dirs.extend(parents);
            f.path = p;
        }
    }

    // sizes: log-normal spread scaled to the requested total, large files capped
    let target = opts.size_mb * 1024.0 * 1024.0;
    let raw: Vec<f64> = files
        .iter()
        .map(|f| {
            if f.ft.special.as_deref() == Some("keyfile") {
                0.0
            } else {
                r.lognormal() * f.ft.size
            }
        })
        .collect();
    let cap = (target * 0.05).max(256.0 * 1024.0);
    let mut sizes = vec![0.0; files.len()];
    let mut free: Vec<usize> = (0..files.len()).filter(|i| raw[*i] > 0.0).collect();
    let mut budget = target - 1800.0 * raw.iter().filter(|w| **w == 0.0).count() as f64;
    let mut settled = false;
    for _ in 0..4 {
        let total_w: f64 = free.iter().map(|i| raw[*i]).sum::<f64>().max(1e-9);
        let scale = budget.max(0.0) / total_w;
        let capped: Vec<usize> = free
            .iter()
            .copied()
            .filter(|i| raw[*i] * scale > cap)
            .collect();
        if capped.is_empty() {
            for i in &free {
                sizes[*i] = raw[*i] * scale;
            }
            settled = true;
            break;
        }
        for i in &capped {
            sizes[*i] = cap;
            budget -= cap;
        }
        free.retain(|i| !capped.contains(i));
    }
    if !settled {
        let total_w: f64 = free.iter().map(|i| raw[*i]).sum::<f64>().max(1e-9);
        for i in &free {
            sizes[*i] = raw[*i] * budget.max(0.0) / total_w;
        }
    }
    for (f, s) in files.iter_mut().zip(sizes) {
        f.size = (s as usize).max(96);
    }

    // plants
    let mut by_syntax: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, f) in files.iter().enumerate() {
        if let Some(s) = f.ft.syntax.as_deref() {
            if !matches!(
                f.ft.special.as_deref(),
                Some("binary" | "utf16" | "lockfile")
            ) {
                by_syntax.entry(s).or_default().push(i);
            }
        }
    }
    let key_ctx: Vec<&Entry> = tpl
        .contexts
        .iter()
        .filter(|c| c.syntax.iter().any(|s| s == "keyfile"))
        .collect();
    let key_dec: Vec<&Entry> = tpl
        .decoys
        .iter()
        .filter(|c| c.syntax.iter().any(|s| s == "keyfile"))
        .collect();
    for i in by_syntax.get("keyfile").cloned().unwrap_or_default() {
        if !key_ctx.is_empty() && (r.chance(0.6) || key_dec.is_empty()) {
            files[i].plants.push(Plant::Secret(
                key_ctx[r.below(key_ctx.len())],
                "private_key",
            ));
        } else if !key_dec.is_empty() {
            files[i]
                .plants
                .push(Plant::Decoy(key_dec[r.below(key_dec.len())]));
        }
    }

    let cycle = |r: &mut Rng, n: usize| {
        let mut out = Vec::new();
        while out.len() < n {
            let mut fams = FAMILIES.to_vec();
            r.shuffle(&mut fams);
            out.extend(fams);
        }
        out.truncate(n);
        out
    };
    let usable = |s: &str| s != "keyfile" && by_syntax.contains_key(s);
    let place = |r: &mut Rng, files: &mut Vec<FilePlan<'t>>, secret: bool, fam: &'static str| {
        let pool = if secret { &tpl.contexts } else { &tpl.decoys };
        let cands: Vec<&'t Entry> = pool
            .iter()
            .filter(|e| {
                (if secret {
                    e.supports.contains(fam)
                } else {
                    e.kind == fam
                }) && e.syntax.iter().any(|s| usable(s))
            })
            .collect();
        if cands.is_empty() {
            return false;
        }
        let e = *r.pick(&cands);
        let syns: Vec<&str> = e
            .syntax
            .iter()
            .map(String::as_str)
            .filter(|s| usable(s))
            .collect();
        let syn = *r.pick(&syns);
        let fi = *r.pick(&by_syntax[syn]);
        files[fi].plants.push(if secret {
            Plant::Secret(e, fam)
        } else {
            Plant::Decoy(e)
        });
        true
    };
    let n_sec = opts
        .secrets
        .unwrap_or_else(|| (3 * FAMILIES.len()).max((opts.files as f64 * 0.15).round() as usize));
    let n_dec = opts
        .decoys
        .unwrap_or_else(|| (n_sec as f64 * 1.2).round() as usize);
    let mut missing = BTreeSet::new();
    for fam in cycle(&mut r, n_sec) {
        if !place(&mut r, &mut files, true, fam) {
            missing.insert(("secret", fam));
        }
    }
    for fam in cycle(&mut r, n_dec) {
        if !place(&mut r, &mut files, false, fam) {
            missing.insert(("decoy", fam));
        }
    }
    (files, pools, missing.into_iter().collect())
}

// ---------------------------------------------------------------------------
// file generation
// ---------------------------------------------------------------------------
/// A label: `line` is first the 0-based offset inside its block, then (after
/// `finish`) the 1-based line in the file.
struct Lab {
    line: usize,
    count: usize,
    kind: &'static str,
    value: Option<String>,
    tag: String,
}

enum Line {
    Text(String),
    Raw(Vec<u8>),
}

impl Line {
    fn len(&self) -> usize {
        match self {
            Line::Text(s) => s.len(),
            Line::Raw(b) => b.len(),
        }
    }
}

fn texts(v: Vec<String>) -> Vec<Line> {
    v.into_iter().map(Line::Text).collect()
}

/// Expands one plant: (physical lines, labels relative to the block).
fn plant_block(ex: &mut Expander, plant: Plant) -> (Vec<String>, Vec<Lab>) {
    let (entry, kind) = match plant {
        Plant::Secret(e, f) => (e, f),
        Plant::Decoy(e) => (e, e.kind),
    };
    ex.begin(kind);
    let mut phys = Vec::new();
    let mut spans = Vec::new();
    let mut produced = Vec::new();
    for t in &entry.lines {
        ex.produced.clear();
        let text = ex.expand(t);
        let chunk: Vec<String> = text.split('\n').map(str::to_string).collect();
        spans.push((phys.len(), chunk.len()));
        phys.extend(chunk);
        produced.push(std::mem::take(&mut ex.produced));
    }
    let mut labels = Vec::new();
    match plant {
        Plant::Secret(..) => {
            for (i, items) in produced.into_iter().enumerate() {
                for (fam, value) in items {
                    labels.push(Lab {
                        line: spans[i].0,
                        count: spans[i].1,
                        kind: fam,
                        value: Some(value),
                        tag: entry.tag.clone(),
                    });
                }
            }
        }
        Plant::Decoy(_) => {
            // contiguous marked lines form one decoy item (e.g. a placeholder PEM block)
            let marks: BTreeSet<usize> = entry.mark.iter().copied().collect();
            let mut runs: Vec<(usize, usize)> = Vec::new();
            for i in marks {
                match runs.last_mut() {
                    Some(r) if r.1 + 1 == i => r.1 = i,
                    _ => runs.push((i, i)),
                }
            }
            for (a, b) in runs {
                let start = spans[a].0;
                let end = spans[b].0 + spans[b].1;
                labels.push(Lab {
                    line: start,
                    count: end - start,
                    kind,
                    value: None,
                    tag: entry.tag.clone(),
                });
            }
        }
    }
    (phys, labels)
}

/// A line with bytes that are not valid UTF-8 (no NUL, CR or LF).
fn garbage_line(r: &mut Rng) -> Vec<u8> {
    let mut out = b"\xff\xfe".to_vec();
    let plain = format!("{ALNUM} =:;,.");
    for _ in 0..r.range(12, 60) {
        if r.chance(0.4) {
            out.push(r.range(0x80, 0xff) as u8);
        } else {
            out.push(r.string(&plain, 1).as_bytes()[0]);
        }
    }
    out
}

fn encode_lines(
    lines: &[Line],
    latin1: bool,
    eol: &str,
    bom: bool,
    final_newline: bool,
) -> Vec<u8> {
    let mut data = Vec::new();
    if bom {
        data.extend(b"\xef\xbb\xbf");
    }
    for (i, l) in lines.iter().enumerate() {
        if i > 0 {
            data.extend(eol.as_bytes());
        }
        match l {
            Line::Raw(b) => data.extend(b),
            Line::Text(s) if latin1 => {
                data.extend(s.chars().map(|c| u8::try_from(c as u32).unwrap_or(b'?')))
            }
            Line::Text(s) => data.extend(s.as_bytes()),
        }
    }
    if final_newline && !lines.is_empty() {
        data.extend(eol.as_bytes());
    }
    data
}

fn finish(labels: &mut Vec<Lab>, mut labs: Vec<Lab>, base: usize) {
    for l in &mut labs {
        l.line += base + 1;
    }
    labels.append(&mut labs);
}

fn filler<'t>(tpl: &'t Templates, syntax: &str, default: &'t [Vec<String>]) -> &'t [Vec<String>] {
    tpl.filler
        .get(syntax)
        .map(Vec::as_slice)
        .filter(|f| !f.is_empty())
        .unwrap_or(default)
}

fn gen_text(fp: &FilePlan, tpl: &Templates, ex: &mut Expander) -> (Vec<u8>, Vec<Lab>) {
    let ft = fp.ft;
    let default = [vec!["@@sentence@@".to_string()]];
    let fill = filler(tpl, ft.syntax.as_deref().unwrap_or(""), &default);
    ex.begin("generic");
    let header = ex.expand_list(&ft.header);
    let footer = ex.expand_list(&ft.footer);
    let mut size: usize = header.iter().chain(&footer).map(|l| l.len() + 1).sum();
    let mut blocks: Vec<(Vec<Line>, Vec<Lab>)> = Vec::new();
    while size < fp.size {
        let t = ex.r.pick(fill).clone();
        let blk = ex.expand_list(&t);
        size += blk.iter().map(|l| l.len() + 1).sum::<usize>();
        blocks.push((texts(blk), Vec::new()));
    }
    let latin1 = ex.r.chance(ft.latin1) || fp.force_latin1;
    if latin1 {
        for _ in 0..ex.r.range(2, 5) {
            let at = ex.r.below(blocks.len() + 1);
            let l = format!("{} {}", ft.comment, ex.r.pick(LATIN1_PROSE));
            blocks.insert(at, (vec![Line::Text(l)], Vec::new()));
        }
    }
    if ex.r.chance(ft.garbage) || fp.force_garbage {
        for _ in 0..ex.r.range(1, 3) {
            let at = ex.r.below(blocks.len() + 1);
            let g = garbage_line(ex.r);
            blocks.insert(at, (vec![Line::Raw(g)], Vec::new()));
        }
    }
    for plant in &fp.plants {
        let (phys, labs) = plant_block(ex, *plant);
        let at = ex.r.below(blocks.len() + 1);
        blocks.insert(at, (texts(phys), labs));
    }
    let mut lines = texts(header);
    let mut labels = Vec::new();
    for (blk, labs) in blocks {
        finish(&mut labels, labs, lines.len());
        lines.extend(blk);
    }
    lines.extend(texts(footer));
    let eol = if ex.r.chance(ft.crlf) || fp.force_crlf {
        "\r\n"
    } else {
        "\n"
    };
    let bom = ex.r.chance(ft.bom) || fp.force_bom;
    let final_nl = !ex.r.chance(ft.no_final_newline);
    (encode_lines(&lines, latin1, eol, bom, final_nl), labels)
}

/// Minified JS (joiner `;`) or one-line JSON (joiner `,`): lines of tens to
/// hundreds of kB, at most one planted item per line.
fn gen_long_lines(
    fp: &FilePlan,
    tpl: &Templates,
    ex: &mut Expander,
    joiner: &str,
) -> (Vec<u8>, Vec<Lab>) {
    let default = [vec!["@@word@@".to_string()]];
    let fill = filler(tpl, fp.ft.syntax.as_deref().unwrap_or(""), &default);
    ex.begin("generic");
    let mut items: Vec<(String, Vec<Lab>)> = Vec::new();
    let mut size = 0;
    while size < fp.size {
        let t = ex.r.pick(fill)[0].clone();
        let s = ex.expand(&t);
        size += s.len() + 1;
        items.push((s, Vec::new()));
    }
    for plant in &fp.plants {
        let (mut phys, labs) = plant_block(ex, *plant);
        let at = ex.r.below(items.len() + 1);
        items.insert(at, (phys.swap_remove(0), labs));
    }
    let mut lines: Vec<String> = Vec::new();
    if joiner == ";" {
        lines.push(ex.expand("/*! @@pkg@@ v@@semver@@ | (c) @@Ident@@ | MIT License */"));
    }
    let mut labels = Vec::new();
    let (mut cur, mut cur_len, mut cur_labels): (Vec<String>, usize, Vec<Lab>) =
        (Vec::new(), 0, Vec::new());
    let mut target = ex.r.range(30_000, 400_000) as usize;
    let flush = |lines: &mut Vec<String>,
                 labels: &mut Vec<Lab>,
                 cur: &mut Vec<String>,
                 cur_len: &mut usize,
                 cur_labels: &mut Vec<Lab>| {
        if !cur.is_empty() {
            finish(labels, std::mem::take(cur_labels), lines.len());
            lines.push(cur.join(joiner));
        }
        cur.clear();
        *cur_len = 0;
    };
    for (text, mut labs) in items {
        if (!labs.is_empty() && !cur_labels.is_empty()) || cur_len > target {
            flush(
                &mut lines,
                &mut labels,
                &mut cur,
                &mut cur_len,
                &mut cur_labels,
            );
            target = ex.r.range(30_000, 400_000) as usize;
        }
        for l in &mut labs {
            l.line = 0;
            l.count = 1;
        }
        cur_labels.extend(labs);
        cur_len += text.len() + 1;
        cur.push(text);
    }
    flush(
        &mut lines,
        &mut labels,
        &mut cur,
        &mut cur_len,
        &mut cur_labels,
    );
    if joiner == ";" {
        lines.push(ex.expand("//# sourceMappingURL=@@word@@.min.js.map"));
    } else {
        let n = lines.len();
        lines[0].insert(0, '{');
        for l in &mut lines[..n - 1] {
            l.push(',');
        }
        lines[n - 1].push('}');
    }
    let final_nl = ex.r.chance(0.5);
    (
        encode_lines(&texts(lines), false, "\n", false, final_nl),
        labels,
    )
}

fn gen_lockfile(fp: &FilePlan, ex: &mut Expander) -> (Vec<u8>, Vec<Lab>) {
    let name = fp.path.rsplit('/').next().unwrap();
    ex.begin("generic");
    let mut lines = LockLines::default();
    let tag;
    match name {
        "package-lock.json" => {
            lines.add("{".into(), false);
            let l = ex.expand("  \"name\": \"@@word@@\",");
            lines.add(l, false);
            let l = ex.expand("  \"version\": \"@@semver@@\",");
            lines.add(l, false);
            lines.add("  \"lockfileVersion\": 3,".into(), false);
            lines.add("  \"requires\": true,".into(), false);
            lines.add("  \"packages\": {".into(), false);
            let l = ex.expand("    \"\": { \"name\": \"@@word@@\", \"version\": \"@@semver@@\" },");
            lines.add(l, false);
            while lines.size < fp.size {
                let (pkg, ver) = (ex.expand("@@pkg@@"), ex.expand("@@semver@@"));
                lines.add(format!("    \"node_modules/{pkg}\": {{"), false);
                lines.add(format!("      \"version\": \"{ver}\","), false);
                lines.add(
                    format!("      \"resolved\": \"https://registry.npmjs.org/{pkg}/-/{pkg}-{ver}.tgz\","),
                    false,
                );
                let h = ex.r.string(B64, 86);
                lines.add(format!("      \"integrity\": \"sha512-{h}==\","), true);
                let d = ex.r.pick(&["true", "false"]);
                lines.add(format!("      \"dev\": {d}"), false);
                lines.add("    },".into(), false);
            }
            *lines.lines.last_mut().unwrap() = "    }".into();
            lines.add("  }".into(), false);
            lines.add("}".into(), false);
            tag = "lockfile-integrity";
        }
        "yarn.lock" => {
            lines.add(
                "# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.".into(),
                false,
            );
            lines.add("# yarn lockfile v1".into(), false);
            lines.add(String::new(), false);
            while lines.size < fp.size {
                let (pkg, ver) = (ex.expand("@@pkg@@"), ex.expand("@@semver@@"));
                lines.add(String::new(), false);
                lines.add(format!("\"{pkg}@^{ver}\":"), false);
                lines.add(format!("  version \"{ver}\""), false);
                let h = ex.r.string(HEX, 40);
                lines.add(
                    format!(
                        "  resolved \"https://registry.yarnpkg.com/{pkg}/-/{pkg}-{ver}.tgz#{h}\""
                    ),
                    false,
                );
                let h = ex.r.string(B64, 86);
                lines.add(format!("  integrity sha512-{h}=="), true);
            }
            tag = "lockfile-integrity";
        }
        "Cargo.lock" => {
            lines.add(
                "# This file is automatically @generated by Cargo.".into(),
                false,
            );
            lines.add("# It is not intended for manual editing.".into(), false);
            lines.add("version = 3".into(), false);
            while lines.size < fp.size {
                lines.add(String::new(), false);
                lines.add("[[package]]".into(), false);
                let l = ex.expand("name = \"@@pkg@@\"");
                lines.add(l, false);
                let l = ex.expand("version = \"@@semver@@\"");
                lines.add(l, false);
                lines.add(
                    "source = \"registry+https://github.com/rust-lang/crates.io-index\"".into(),
                    false,
                );
                let h = ex.r.string(HEX, 64);
                lines.add(format!("checksum = \"{h}\""), true);
            }
            tag = "lockfile-checksum";
        }
        _ => {
            lines.add(
                "# This file is automatically @generated by Poetry and should not be changed by hand."
                    .into(),
                false,
            );
            while lines.size < fp.size {
                let (pkg, ver) = (ex.expand("@@pkg@@"), ex.expand("@@semver@@"));
                lines.add(String::new(), false);
                lines.add("[[package]]".into(), false);
                lines.add(format!("name = \"{pkg}\""), false);
                lines.add(format!("version = \"{ver}\""), false);
                lines.add("optional = false".into(), false);
                lines.add("python-versions = \">=3.8\"".into(), false);
                lines.add("files = [".into(), false);
                let h = ex.r.string(HEX, 64);
                lines.add(
                    format!(
                        "    {{file = \"{pkg}-{ver}-py3-none-any.whl\", hash = \"sha256:{h}\"}},"
                    ),
                    true,
                );
                lines.add("]".into(), false);
            }
            tag = "lockfile-checksum";
        }
    }
    let mut picks = lines.decoys.clone();
    ex.r.shuffle(&mut picks);
    picks.truncate(3);
    picks.sort_unstable();
    let labels = picks
        .into_iter()
        .map(|i| Lab {
            line: i + 1,
            count: 1,
            kind: "generic",
            value: None,
            tag: tag.to_string(),
        })
        .collect();
    (
        encode_lines(&texts(lines.lines), false, "\n", false, true),
        labels,
    )
}

#[derive(Default)]
struct LockLines {
    lines: Vec<String>,
    decoys: Vec<usize>,
    size: usize,
}

impl LockLines {
    fn add(&mut self, l: String, decoy: bool) {
        if decoy {
            self.decoys.push(self.lines.len());
        }
        self.size += l.len() + 1;
        self.lines.push(l);
    }
}

fn gen_keyfile(fp: &FilePlan, ex: &mut Expander) -> (Vec<u8>, Vec<Lab>) {
    let mut lines: Vec<String> = Vec::new();
    let mut labels = Vec::new();
    if ex.r.chance(0.2) {
        let id: Vec<String> = (0..8).map(|_| ex.r.string("0123456789ABCDEF", 2)).collect();
        lines.push("Bag Attributes".into());
        lines.push(format!("    localKeyID: {}", id.join(" ")));
        lines.push("Key Attributes: <No Attributes>".into());
    }
    for plant in &fp.plants {
        let (phys, labs) = plant_block(ex, *plant);
        finish(&mut labels, labs, lines.len());
        lines.extend(phys);
    }
    (
        encode_lines(&texts(lines), false, "\n", false, true),
        labels,
    )
}

fn gen_binary(fp: &FilePlan, r: &mut Rng) -> Vec<u8> {
    let n = fp.size.max(64);
    let ext = fp
        .path
        .rsplit('.')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let (head, tail): (Vec<u8>, Vec<u8>) = match ext.as_str() {
        "png" => {
            let mut h = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec();
            h.extend((r.range(16, 2048) as u32).to_be_bytes());
            h.extend((r.range(16, 2048) as u32).to_be_bytes());
            h.extend(b"\x08\x06\x00\x00\x00");
            h.extend(r.bytes(4));
            h.extend(((n - 41) as u32).to_be_bytes());
            h.extend(b"IDAT");
            (h, b"\x00\x00\x00\x00IEND\xaeB`\x82".to_vec())
        }
        "woff2" => (b"wOF2\x00\x01\x00\x00".to_vec(), Vec::new()),
        "jar" => (
            b"PK\x03\x04\x14\x00\x08\x08\x08\x00".to_vec(),
            [b"PK\x05\x06".as_slice(), &[0u8; 18]].concat(),
        ),
        "sqlite" => (
            b"SQLite format 3\x00\x10\x00\x01\x01\x00@  ".to_vec(),
            Vec::new(),
        ),
        _ => (
            [b"\x7fELF\x02\x01\x01\x00".as_slice(), &[0u8; 8]].concat(),
            Vec::new(),
        ),
    };
    let body = r.bytes(n.saturating_sub(head.len() + tail.len()).max(16));
    [head, body, tail].concat()
}

fn gen_utf16(fp: &FilePlan, tpl: &Templates, ex: &mut Expander) -> Vec<u8> {
    let default = [vec!["@@sentence@@".to_string()]];
    let fill = filler(tpl, "utf16", &default);
    ex.begin("generic");
    let mut lines = Vec::new();
    let mut size = 0;
    while size * 2 < fp.size {
        let t = ex.r.pick(fill).clone();
        for l in ex.expand_list(&t) {
            size += l.len() + 2;
            lines.push(l);
        }
    }
    let text = lines.join("\r\n") + "\r\n";
    let mut out = b"\xff\xfe".to_vec();
    out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    out
}

fn generate_file(fp: &FilePlan, tpl: &Templates, pools: &Pools, seed: u64) -> (Vec<u8>, Vec<Lab>) {
    let mut r = Rng::new(seed, "file", fp.index as u64);
    let mut ex = Expander::new(&mut r, pools);
    match fp.ft.special.as_deref() {
        Some("binary") => (gen_binary(fp, ex.r), Vec::new()),
        Some("utf16") => (gen_utf16(fp, tpl, &mut ex), Vec::new()),
        Some("lockfile") => gen_lockfile(fp, &mut ex),
        Some("keyfile") => gen_keyfile(fp, &mut ex),
        Some("minjs") => gen_long_lines(fp, tpl, &mut ex, ";"),
        Some("jsonmin") => gen_long_lines(fp, tpl, &mut ex, ","),
        _ => gen_text(fp, tpl, &mut ex),
    }
}

/// Self-checks: each one-line secret value sits on its labelled line, and no
/// line is both a secret and a decoy.
fn check_labels(path: &str, data: &[u8], labels: &[Lab]) {
    let lines: Vec<&[u8]> = data.split(|b| *b == b'\n').collect();
    let mut seen: BTreeMap<usize, bool> = BTreeMap::new();
    for l in labels {
        for ln in l.line..l.line + l.count {
            let s = *seen.entry(ln).or_insert(l.value.is_some());
            assert_eq!(s, l.value.is_some(), "{path}:{ln} is both secret and decoy");
        }
        if let Some(v) = &l.value {
            if !v.contains('\n') {
                let line = lines[l.line - 1];
                assert!(
                    line.windows(v.len()).any(|w| w == v.as_bytes()),
                    "{path}:{} does not hold its {} value",
                    l.line,
                    l.kind
                );
            }
        }
    }
}
