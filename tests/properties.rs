//! Property tests (issue 17, "Build, beyond the fixes"), on generated configs:
//! (i) redaction never reveals more than its prefix, in any format at any
//! verbosity; (ii) every finding's line and column are inside the file and
//! point at the reported key; (iii) LF, CRLF and CR give the same findings at
//! the same places; (iv) output is byte-identical for `--threads 1` and `8`.
//! Secrets are assembled at run time. Case counts are kept small: the suite
//! runs in seconds in a debug build.

mod common;
use clawcheck::config::Settings;
use clawcheck::engine::{self, CheckOptions, Report};
use clawcheck::finding::Severity;
use clawcheck::report;
use common::alnum;
use proptest::prelude::*;
use std::path::{Path, PathBuf};

// ---- generated configs ---------------------------------------------------

#[derive(Debug, Clone)]
struct Agent {
    name: String,
    runtime: Option<&'static str>,
    auto_destroy: Option<bool>,
    timeout: Option<i64>,
    max_concurrent: Option<u32>,
    unknown_key: bool,
}

#[derive(Debug, Clone)]
struct SecretDecl {
    name: String,
    provider: Option<&'static str>,
    rotation: Option<&'static str>,
    /// A literal `value`: a token the scanner knows, or a passphrase it does not.
    value: Option<String>,
}

#[derive(Debug, Clone)]
struct Layout {
    indent: usize,
    quote_keys: bool,
    comments: bool,
    trailing_commas: bool,
    /// Every agent on one line.
    compact_agents: bool,
}

#[derive(Debug, Clone)]
struct Cfg {
    agents: Vec<Agent>,
    secrets: Vec<SecretDecl>,
    monitoring: bool,
    layout: Layout,
}

fn name() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec![
            "",
            "prod-",
            "critical-",
            "routine-",
            "ops-",
            "résumé-",
            "日本-",
        ]),
        "[a-z]{1,8}",
    )
        .prop_map(|(p, s)| format!("{p}{s}"))
}

fn agent() -> impl Strategy<Value = Agent> {
    (
        name(),
        prop::option::of(prop::sample::select(vec![
            "thread-bound",
            "shared",
            "session",
        ])),
        prop::option::of(any::<bool>()),
        prop::option::of(prop::sample::select(vec![0i64, 30, 120, 300, 900])),
        prop::option::of(1u32..5),
        any::<bool>(),
    )
        .prop_map(
            |(name, runtime, auto_destroy, timeout, max_concurrent, unknown_key)| Agent {
                name,
                runtime,
                auto_destroy,
                timeout,
                max_concurrent,
                unknown_key,
            },
        )
}

/// `ghp_` and 40 characters: a token the scanner recognises.
fn token_from(seed: u64) -> String {
    ["gh", "p_", &alnum(seed, 40)].concat()
}

/// Four short lowercase words: a passphrase no scanner recognises.
fn passphrase_from(seed: u64) -> String {
    (0..4)
        .map(|i| alnum(seed.wrapping_add(i), 5).to_lowercase())
        .collect::<Vec<_>>()
        .join(" ")
}

fn secret_decl() -> impl Strategy<Value = SecretDecl> {
    (
        name(),
        prop::option::of(prop::sample::select(vec!["vault", "plain", "inline"])),
        prop::option::of(prop::sample::select(vec!["daily", "weekly", "yearly"])),
        prop::option::of((any::<bool>(), any::<u64>())),
    )
        .prop_map(|(name, provider, rotation, value)| SecretDecl {
            name,
            provider,
            rotation,
            value: value.map(|(tok, seed)| {
                if tok {
                    token_from(seed)
                } else {
                    passphrase_from(seed)
                }
            }),
        })
}

fn layout() -> impl Strategy<Value = Layout> {
    (
        0usize..4,
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(indent, quote_keys, comments, trailing_commas, compact_agents)| Layout {
                indent,
                quote_keys,
                comments,
                trailing_commas,
                compact_agents,
            },
        )
}

fn cfg() -> impl Strategy<Value = Cfg> {
    (
        prop::collection::vec(agent(), 0..4),
        prop::collection::vec(secret_decl(), 0..3),
        any::<bool>(),
        layout(),
    )
        .prop_map(|(mut agents, mut secrets, monitoring, layout)| {
            // Unique names: a duplicate key is its own finding (OC101).
            let mut seen = std::collections::BTreeSet::new();
            agents.retain(|a| seen.insert(a.name.clone()));
            let mut seen = std::collections::BTreeSet::new();
            secrets.retain(|s| seen.insert(s.name.clone()));
            Cfg {
                agents,
                secrets,
                monitoring,
                layout,
            }
        })
}

fn key(k: &str, l: &Layout) -> String {
    let ident = k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !k.starts_with(|c: char| c.is_ascii_digit());
    if l.quote_keys || !ident {
        serde_json::to_string(k).unwrap()
    } else {
        k.to_string()
    }
}

/// The config as JSON5 lines (joined by the caller with a line-ending style).
fn lines(c: &Cfg) -> Vec<String> {
    let l = &c.layout;
    let pad = |depth: usize| " ".repeat(depth * (l.indent + 1));
    let comma = |last: bool| if !last || l.trailing_commas { "," } else { "" };
    let mut out = vec!["{".to_string()];
    if l.comments {
        out.push(format!("{}// agents and their limits", pad(1)));
    }
    out.push(format!("{}{}: {{", pad(1), key("agents", l)));
    for (i, a) in c.agents.iter().enumerate() {
        let mut fields = Vec::new();
        if let Some(r) = a.runtime {
            fields.push(format!("{}: \"{r}\"", key("runtime", l)));
        }
        if let Some(d) = a.auto_destroy {
            fields.push(format!("{}: {d}", key("auto-destroy", l)));
        }
        if let Some(t) = a.timeout {
            fields.push(format!("{}: {t}", key("timeout", l)));
        }
        if let Some(m) = a.max_concurrent {
            fields.push(format!("{}: {m}", key("max-concurrent", l)));
        }
        if a.unknown_key {
            fields.push(format!("{}: \"x\"", key("colour", l)));
        }
        let last = i + 1 == c.agents.len();
        if l.compact_agents {
            out.push(format!(
                "{}{}: {{{}}}{}",
                pad(2),
                key(&a.name, l),
                fields.join(", "),
                comma(last)
            ));
        } else {
            out.push(format!("{}{}: {{", pad(2), key(&a.name, l)));
            let n = fields.len();
            for (j, f) in fields.into_iter().enumerate() {
                out.push(format!("{}{f}{}", pad(3), comma(j + 1 == n)));
                if l.comments && j == 0 {
                    out.push(format!("{}/* a comment */", pad(3)));
                }
            }
            out.push(format!("{}}}{}", pad(2), comma(last)));
        }
    }
    let rest = !c.secrets.is_empty() || c.monitoring;
    out.push(format!("{}}}{}", pad(1), comma(!rest)));
    if !c.secrets.is_empty() {
        out.push(format!("{}{}: {{", pad(1), key("secrets", l)));
        for (i, s) in c.secrets.iter().enumerate() {
            let mut fields = Vec::new();
            if let Some(p) = s.provider {
                fields.push(format!("{}: \"{p}\"", key("provider", l)));
            }
            if let Some(r) = s.rotation {
                fields.push(format!("{}: \"{r}\"", key("rotation", l)));
            }
            if let Some(v) = &s.value {
                fields.push(format!("{}: \"{v}\"", key("value", l)));
            }
            out.push(format!(
                "{}{}: {{{}}}{}",
                pad(2),
                key(&s.name, l),
                fields.join(", "),
                comma(i + 1 == c.secrets.len())
            ));
        }
        out.push(format!("{}}}{}", pad(1), comma(!c.monitoring)));
    }
    if c.monitoring {
        out.push(format!(
            "{}{}: {{{}: {{{}: [\"execution-time\"]}}}}{}",
            pad(1),
            key("monitoring", l),
            key("agents", l),
            key("metrics", l),
            comma(true)
        ));
    }
    out.push("}".to_string());
    out
}

// ---- running -------------------------------------------------------------

fn options(paths: Vec<PathBuf>, settings: Settings, threads: usize) -> CheckOptions {
    CheckOptions {
        paths,
        settings,
        excludes: Vec::new(),
        threads,
        extra_policies: Vec::new(),
        dialect: None,
        config_checks: true,
        secret_checks: true,
        live: false,
        hash_inputs: true,
        explain_not_configs: true,
    }
}

fn check(dir: &Path, settings: Settings, threads: usize) -> Report {
    engine::run(&options(vec![dir.to_path_buf()], settings, threads)).expect("the run succeeds")
}

/// Every format, as `check` prints it (human in both styles).
fn render_all(r: &Report) -> Vec<(&'static str, String)> {
    let fail_on = Some(Severity::Warning);
    let time = report::Timestamps {
        start: 1_795_867_203,
        end: 1_795_867_203,
    };
    let human = |quiet| {
        report::human::render(
            r,
            &report::human::Style {
                color: false,
                quiet,
            },
            Severity::Warning,
        )
    };
    vec![
        ("human", human(false)),
        ("human --quiet", human(true)),
        ("json", report::json::render(r, fail_on)),
        ("sarif", report::sarif::render(r)),
        ("github", report::github::render(r, false)),
        ("junit", report::junit::render(r, Severity::Warning)),
        ("markdown", report::markdown::render(r, fail_on)),
        ("html", report::html::render(r, fail_on, &time)),
        ("oscal", report::oscal::render(r, fail_on, &time)),
    ]
}

/// Lines of `text` split at LF, CRLF and CR.
fn split_lines(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let (mut start, mut i) = (0, 0);
    while i < b.len() {
        if b[i] == b'\n' || b[i] == b'\r' {
            out.push(&text[start..i]);
            if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') {
                i += 1;
            }
            start = i + 1;
        }
        i += 1;
    }
    out.push(&text[start..]);
    out
}

fn utf16(s: &str) -> usize {
    s.encode_utf16().count()
}

/// The part of `line` from a 1-based UTF-16 column on.
fn from_column(line: &str, column: usize) -> &str {
    let mut units = 0;
    for (i, c) in line.char_indices() {
        if units + 1 >= column {
            return &line[i..];
        }
        units += c.len_utf16();
    }
    ""
}

// ---- (i) redaction -------------------------------------------------------

/// Where a planted secret goes.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Place {
    /// A non-credential value (an agent's unknown key).
    Value,
    /// An agent's name.
    AgentName,
    /// A secret's name.
    SecretName,
    /// A comment.
    Comment,
    /// The reason of an inline `clawcheck:allow`.
    AllowReason,
    /// The reason of a waiver in clawcheck.toml (active and expired).
    WaiverReason,
    /// A key written with a `\u` escape (tokens only).
    EscapedKey,
}

const PLACES: [Place; 7] = [
    Place::Value,
    Place::AgentName,
    Place::SecretName,
    Place::Comment,
    Place::AllowReason,
    Place::WaiverReason,
    Place::EscapedKey,
];

/// A tree with `secret` planted at `places`. A passphrase (which no scanner
/// recognises) is always also a literal credential of a config, the only
/// way the gate can know it; a token is recognised wherever it is.
fn plant(dir: &Path, secret: &str, is_token: bool, places: &[Place], crlf: bool) -> Settings {
    let at = |p: Place| places.contains(&p);
    let q = |s: &str| serde_json::to_string(s).unwrap();
    let mut agent_name = "prod-worker".to_string();
    if at(Place::AgentName) {
        agent_name = format!("a {secret}");
    }
    let mut key = q(&agent_name);
    if at(Place::EscapedKey) && is_token {
        // `\u0067` is `g`: the raw text never holds the token whole.
        key = format!("\"x \\u0067{}\"", &secret[1..]);
    }
    let secret_name = if at(Place::SecretName) {
        q(&format!("k {secret}"))
    } else {
        "\"db\"".to_string()
    };
    let comment = if at(Place::Comment) {
        format!("// rotated from {secret} last week")
    } else {
        "// nothing here".to_string()
    };
    let allow = if at(Place::AllowReason) {
        format!("// clawcheck:allow OC201 reviewed, see {secret}")
    } else {
        "// clawcheck:allow OC201 reviewed".to_string()
    };
    let value = if at(Place::Value) {
        q(&format!("v {secret} v"))
    } else {
        "\"blue\"".to_string()
    };
    let literal = if is_token {
        "\"s3cr3t-plain\"".to_string()
    } else {
        q(secret)
    };
    let eol = if crlf { "\r\n" } else { "\n" };
    let profile = [
        "{".to_string(),
        format!("  {comment}"),
        "  agents: {".to_string(),
        format!("    {key}: {{"),
        format!("      {allow}"),
        "      runtime: \"shared\",".to_string(),
        "      \"auto-destroy\": false,".to_string(),
        format!("      colour: {value}, timeout: 600,"),
        "    },".to_string(),
        "  },".to_string(),
        format!("  secrets: {{{secret_name}: {{provider: \"plain\", value: {literal}, rotation: \"yearly\"}}}},"),
        "}".to_string(),
    ]
    .join(eol);
    std::fs::write(dir.join("openclaw.json5"), profile).unwrap();
    // A real config with the secret as the gateway password (a passphrase
    // only: a token there would be found by the scanner anyway).
    let password = if is_token {
        "correct-plain".to_string()
    } else {
        secret.to_string()
    };
    std::fs::write(
        dir.join("gw.openclaw.json5"),
        format!(
            "{{\n  gateway: {{bind: \"lan\", auth: {{mode: \"password\", password: {}}}}},\n}}\n",
            q(&password)
        ),
    )
    .unwrap();
    let reason = if at(Place::WaiverReason) {
        format!("accepted: {secret}")
    } else {
        "accepted".to_string()
    };
    let toml = format!(
        "[[waivers]]\nrule = \"OC202\"\nreason = {r}\n\n[[waivers]]\nrule = \"OC212\"\nreason = {r}\nexpires = \"2001-01-01\"\n",
        r = q(&reason)
    );
    let path = dir.join("clawcheck.toml");
    std::fs::write(&path, &toml).unwrap();
    Settings::parse(&toml, &path.display().to_string()).expect("valid settings")
}

fn assert_hidden(what: &str, out: &str, secret: &str) -> Result<(), TestCaseError> {
    prop_assert!(!out.contains(secret), "{} shows the secret:\n{}", what, out);
    let chars: Vec<char> = secret.chars().collect();
    for w in chars.windows(12) {
        let w: String = w.iter().collect();
        prop_assert!(
            !out.contains(&w),
            "{} shows `{}`, 12 characters of the secret:\n{}",
            what,
            w,
            out
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn redaction_never_reveals_more_than_its_prefix(
        seed in any::<u64>(),
        is_token in any::<bool>(),
        places in prop::sample::subsequence(PLACES.to_vec(), 1..=PLACES.len()),
        crlf in any::<bool>(),
        cli in 0u8..4,
    ) {
        let secret = if is_token { token_from(seed) } else { passphrase_from(seed) };
        let dir = tempfile::tempdir().unwrap();
        let settings = plant(dir.path(), &secret, is_token, &places, crlf);
        let r = check(dir.path(), settings, 2);
        prop_assert!(!r.findings.is_empty());
        for (what, out) in render_all(&r) {
            assert_hidden(what, &out, &secret)?;
        }
        // and the binary, with its logs, once in a while (it is slower)
        if cli == 0 {
            for v in ["--verbose", "--quiet"] {
                let o = common::clawcheck(&["check", ".", v, "--format", "sarif"], dir.path());
                prop_assert!(o.status.code().is_some_and(|c| c <= 1));
                let all = common::output(&o);
                assert_hidden(v, &all, &secret)?;
            }
        }
    }
}

// ---- (ii) positions, (iii) line endings, (iv) threads --------------------

/// Every finding is inside its file, and one about a key (the pointer's
/// nearest present key) is at that key.
fn assert_positions(r: &Report, text_of: &dyn Fn(&str) -> String) -> Result<(), TestCaseError> {
    for f in &r.findings {
        let text = text_of(&f.path);
        let ls = split_lines(&text);
        for p in [f.start, f.end] {
            prop_assert!(
                p.line >= 1 && p.line <= ls.len(),
                "{:?} outside {} lines",
                f,
                ls.len()
            );
            let len = utf16(ls[p.line - 1]);
            prop_assert!(
                p.column >= 1 && p.column <= len + 1,
                "{:?}: column outside `{}`",
                f,
                ls[p.line - 1]
            );
        }
        let line = ls[f.start.line - 1];
        let here = from_column(line, f.start.column);
        if let Some(ev) = f.evidence.as_deref() {
            // a finding about a secret points at the secret (also a config
            // finding with OC211 folded in: at the value, not the key)
            let prefix = ev.split('…').next().unwrap_or("");
            prop_assert!(
                here.starts_with(prefix),
                "{:?} not at the secret: `{}`",
                f,
                line
            );
        } else if let Some(ptr) = f.pointer.as_deref().filter(|p| !p.is_empty()) {
            let doc = clawcheck::load::parse(text.as_bytes()).expect("a checked config parses");
            let mut q = ptr;
            while !doc.has(q) {
                q = &q[..q.rfind('/').unwrap_or(0)];
            }
            if q.is_empty() {
                continue;
            }
            let k = q
                .rsplit('/')
                .next()
                .unwrap()
                .replace("~1", "/")
                .replace("~0", "~");
            prop_assert!(
                here.starts_with(&k) || here.starts_with(&serde_json::to_string(&k).unwrap()),
                "{} at {}:{} does not point at key `{}`: `{}`",
                f.rule,
                f.start.line,
                f.start.column,
                k,
                line
            );
        } else {
            prop_assert!(!f.rule.starts_with("OC3"), "{:?} has no evidence", f);
        }
    }
    Ok(())
}

/// Findings of one file as comparable tuples, without the path.
fn shape(r: &Report, path: &str) -> Vec<String> {
    r.findings
        .iter()
        .filter(|f| f.path == path)
        .map(|f| {
            format!(
                "{} {}:{}-{}:{} {:?} {} | {}",
                f.rule,
                f.start.line,
                f.start.column,
                f.end.line,
                f.end.column,
                f.pointer,
                f.message.replace(path, "FILE"),
                f.snippet.as_deref().unwrap_or("-")
            )
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 20, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn findings_are_inside_the_file_and_line_endings_do_not_move_them(
        cfgs in prop::collection::vec(cfg(), 1..4),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut texts = std::collections::BTreeMap::new();
        for (i, c) in cfgs.iter().enumerate() {
            let ls = lines(c);
            for (eol, tag) in [("\n", "lf"), ("\r\n", "crlf"), ("\r", "cr")] {
                let name = format!("c{i}-{tag}.openclaw.json");
                let text = ls.join(eol) + eol;
                std::fs::write(dir.path().join(&name), &text).unwrap();
                texts.insert(name, text);
            }
        }
        let r = check(dir.path(), Settings::default(), 2);
        let text_of = |p: &str| {
            let name = Path::new(p).file_name().unwrap().to_string_lossy().into_owned();
            texts[&name].clone()
        };
        assert_positions(&r, &text_of)?;
        let shown = |name: &str| {
            r.findings
                .iter()
                .map(|f| f.path.clone())
                .find(|p| p.ends_with(&format!("/{name}")))
        };
        for i in 0..cfgs.len() {
            let lf = shown(&format!("c{i}-lf.openclaw.json"));
            let Some(lf) = lf else { continue };
            let want = shape(&r, &lf);
            for tag in ["crlf", "cr"] {
                let other = lf.replace("-lf.", &format!("-{tag}."));
                prop_assert_eq!(&shape(&r, &other).iter().map(|s| s.replace(&other, "FILE")).collect::<Vec<_>>(), &want, "{} vs LF", tag);
            }
        }
    }

    #[test]
    fn output_is_the_same_for_one_thread_and_eight(
        cfgs in prop::collection::vec(cfg(), 2..6),
        seed in any::<u64>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        for (i, c) in cfgs.iter().enumerate() {
            let sub = dir.path().join(format!("d{}", i % 3));
            std::fs::create_dir_all(&sub).unwrap();
            std::fs::write(sub.join(format!("c{i}.openclaw.json")), lines(c).join("\n")).unwrap();
        }
        std::fs::write(dir.path().join("notes.txt"), format!("token = \"{}\"\n", token_from(seed))).unwrap();
        let one = render_all(&check(dir.path(), Settings::default(), 1));
        let eight = render_all(&check(dir.path(), Settings::default(), 8));
        for ((what, a), (_, b)) in one.iter().zip(&eight) {
            prop_assert!(a == b, "{} differs between --threads 1 and 8", what);
        }
    }
}
