//! The redaction gate (issue 17 item 2): one regression test per confirmed
//! bypass (a)–(g), each planting secrets (assembled at run time: no key is
//! ever committed) and asserting that no output format, at any verbosity,
//! shows one whole or any 12 characters of it; and malformed user policies
//! (item 12), which are tool errors naming the policy file and the rule.
//!
//! `CLAWCHECK_TEST_BIN=/path/to/clawcheck` runs these tests against another
//! build (to see them fail on one without the fixes).

mod common;
use common::{alnum, output as text};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> PathBuf {
    std::env::var_os("CLAWCHECK_TEST_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_clawcheck")))
}

fn run(args: &[&str], cwd: &Path) -> Output {
    Command::new(bin())
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", "1795867203")
        .output()
        .expect("run clawcheck")
}

/// Writes `text` at `path` under `dir`, its directories made.
fn plant(dir: &Path, path: &str, text: &str) {
    let p = dir.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A GitHub-token-shaped secret the scanner recognises.
fn token(seed: u64) -> String {
    let t = ["gh", "p_", &alnum(seed, 40)].concat();
    let found = clawcheck::checks::secrets::Scanner::new().scan(t.as_bytes());
    assert_eq!(
        found.len(),
        1,
        "the planted token is a token to the scanner"
    );
    t
}

const FORMATS: &[&str] = &[
    "json", "sarif", "github", "junit", "markdown", "html", "oscal",
];

/// Runs `check ARGS` at every verbosity with the human format on standard
/// output and every other format written with `--report`; returns all of
/// it, one entry per run.
fn every_output(args: &[&str], cwd: &Path) -> Vec<(String, String)> {
    let mut outs = Vec::new();
    for verbosity in [None, Some("--verbose"), Some("--quiet")] {
        let reports = tempfile::tempdir().unwrap();
        let mut a: Vec<String> = ["check"].iter().map(|s| s.to_string()).collect();
        a.extend(args.iter().map(|s| s.to_string()));
        a.extend(verbosity.map(str::to_string));
        for f in FORMATS {
            a.push("--report".into());
            a.push(format!("{f}={}", reports.path().join(f).display()));
        }
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let o = run(&a, cwd);
        let what = format!("{a:?}");
        assert!(
            o.status.code().is_some_and(|c| c <= 1),
            "{what}: exit {:?}\n{}",
            o.status,
            text(&o)
        );
        outs.push((format!("{what} (stdout, stderr)"), text(&o)));
        for f in FORMATS {
            let body = std::fs::read_to_string(reports.path().join(f))
                .unwrap_or_else(|e| panic!("{what}: no {f} report: {e}"));
            outs.push((format!("{what} ({f})"), body));
        }
    }
    outs
}

/// No output shows `secret` whole, nor (for a long one) any 12 of its
/// characters in a row: the redaction shows at most a 10-character prefix.
fn assert_hidden(outs: &[(String, String)], secrets: &[&str]) {
    for (what, out) in outs {
        for s in secrets {
            assert!(!out.contains(s), "{what} shows a planted secret:\n{out}");
            let chars: Vec<char> = s.chars().collect();
            for w in chars.windows(12) {
                let w: String = w.iter().collect();
                assert!(
                    !out.contains(&w),
                    "{what} shows `{w}`, 12 characters of a planted secret:\n{out}"
                );
            }
        }
    }
}

/// An agent that breaks OC201 and OC202 (and others), under `name`.
fn agent(name: &str) -> String {
    format!("\"{name}\": {{\"runtime\": \"shared\", \"auto-destroy\": false, \"timeout\": 60}}")
}

/// (a) A waiver's reason in clawcheck.toml: OC005's message when it has
/// expired, the suppressed finding's reason while it is active.
#[test]
fn a_waiver_reason_in_clawcheck_toml_is_redacted() {
    let (t1, t2) = (token(11), token(12));
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("clawcheck.toml"),
        format!(
            "[[waivers]]\nrule = \"OC201\"\nreason = \"approved with {t1}\"\nexpires = \"2000-01-01\"\n\n\
             [[waivers]]\nrule = \"OC202\"\nreason = \"accepted, ticket {t2}\"\n"
        ),
    )
    .unwrap();
    std::fs::write(
        d.join("openclaw.json"),
        format!("{{\"agents\": {{\n  {}\n}}}}\n", agent("worker")),
    )
    .unwrap();
    let outs = every_output(&["."], d);
    assert!(
        outs.iter().any(|(_, o)| o.contains("OC005")),
        "the expired waiver is reported"
    );
    assert_hidden(&outs, &[&t1, &t2]);
}

/// (b) An inline directive's reason: JSON `suppressed[].reason`, SARIF
/// `justification`, HTML, OSCAL.
#[test]
fn an_inline_allow_reason_is_redacted() {
    let t = token(21);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("openclaw.json5"),
        format!(
            "{{\n  agents: {{\n    // clawcheck:allow OC201,OC202 approved in {t} --\n    {}\n  }},\n}}\n",
            agent("worker")
        ),
    )
    .unwrap();
    let outs = every_output(&["."], d);
    let json = &outs[1].1;
    assert!(json.contains("\"kind\": \"inline\""), "{json}");
    assert_hidden(&outs, &[&t]);
}

/// (c) OC004 and OC006 show the directive's line.
#[test]
fn directive_lines_of_oc004_and_oc006_are_redacted() {
    let (t1, t2) = (token(31), token(32));
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("openclaw.json5"),
        format!(
            "{{\n  note: \"{t1}\", // clawcheck:allow OC201\n  // clawcheck:allow OC203 kept for {t2}\n  agents: {{}},\n}}\n"
        ),
    )
    .unwrap();
    let outs = every_output(&["."], d);
    let json = &outs[1].1;
    assert!(
        json.contains("OC004") && json.contains("OC006"),
        "both directives are reported: {json}"
    );
    assert_hidden(&outs, &[&t1, &t2]);
}

/// (d) A secret used as an agent's or a secret's name: the JSON pointer
/// (JSON `pointer`, SARIF `properties.jsonPointer`, OSCAL `json-pointer`)
/// and every message.
#[test]
fn a_secret_used_as_a_name_is_redacted_in_pointers() {
    let (t1, t2) = (token(41), token(42));
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("openclaw.json"),
        format!(
            "{{\"agents\": {{\n  {}\n}},\n \"secrets\": {{\n  \"{t2}\": {{\"provider\": \"plain\", \"rotation\": \"yearly\"}}\n}}}}\n",
            agent(&t1)
        ),
    )
    .unwrap();
    let outs = every_output(&["."], d);
    assert!(outs[1].1.contains("\"pointer\""), "{}", outs[1].1);
    assert_hidden(&outs, &[&t1, &t2]);
}

/// (e) A config that is not scanned as text (a NUL byte in a comment, or
/// larger than `max_file_bytes`): its messages, directive lines and reasons.
#[test]
fn configs_never_scanned_as_text_show_no_secret() {
    let (t1, t2, t3, t4) = (token(51), token(52), token(53), token(54));
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("nul")).unwrap();
    std::fs::write(
        d.join("nul/openclaw.json"),
        format!("{{\"agents\": {{{}}}}} /* \0 */\n", agent(&t1)),
    )
    .unwrap();
    let outs = every_output(&["nul"], d);
    assert!(outs[1].1.contains("OC201"), "the config is checked");
    assert_hidden(&outs, &[&t1]);

    std::fs::create_dir(d.join("big")).unwrap();
    std::fs::write(
        d.join("big/clawcheck.toml"),
        "[secrets]\nmax_file_bytes = 64\n",
    )
    .unwrap();
    std::fs::write(
        d.join("big/openclaw.json5"),
        format!(
            "{{\n  // clawcheck:allow OC201 accepted by {t3}\n  agents: {{{}}},\n  // clawcheck:allow OC203 unused, {t4}\n}}\n",
            agent(&t2)
        ),
    )
    .unwrap();
    std::fs::write(
        d.join("big/data.json"),
        format!("[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20] // clawcheck:allow OC201 {t4}\n"),
    )
    .unwrap();
    let outs = every_output(&["big"], d);
    assert!(outs[1].1.contains("OC006"), "{}", outs[1].1);
    assert_hidden(&outs, &[&t2, &t3, &t4]);
}

/// (f) Literal credentials the scanner does not recognise (a passphrase
/// with spaces, a 6-character password): OC211 and OC231 show their line
/// with the value redacted at its place.
#[test]
fn literal_credentials_are_redacted_at_their_span() {
    let words: Vec<String> = (0..4).map(|i| alnum(61 + i, 5).to_lowercase()).collect();
    let passphrase = words.join(" ");
    let short = alnum(65, 6);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("openclaw.json"),
        format!(
            "{{\n  \"gateway\": {{\n    \"bind\": \"lan\",\n    \"auth\": {{\"mode\": \"password\", \"password\": \"{passphrase}\", \"token\": \"{short}\"}}\n  }},\n  \"channels\": {{\"telegram\": {{\"botToken\": \"{short}\"}}}}\n}}\n"
        ),
    )
    .unwrap();
    let outs = every_output(&["."], d);
    let json = &outs[1].1;
    assert!(
        json.contains("OC211") && json.contains("OC231"),
        "the literals are reported: {json}"
    );
    assert_hidden(&outs, &[&passphrase, &short]);
}

/// (g) A key whose secret is hidden from the scan of the raw bytes by a
/// JSON `\u` escape or a JSON5 line continuation: the decoded key reaches
/// messages and pointers.
#[test]
fn keys_decoded_from_escapes_are_redacted() {
    let (t1, t2) = (token(71), token(72));
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // `\u0067` is `g`: the raw text holds `\u0067hp_…`, the key `ghp_…`.
    let escaped = format!("\\u0067{}", &t1[1..]);
    std::fs::write(
        d.join("openclaw.json"),
        format!("{{\"agents\": {{\n  {}\n}}}}\n", agent(&escaped)),
    )
    .unwrap();
    // A line continuation splits the key over two lines.
    let continued = format!("{}\\\n{}", &t2[..20], &t2[20..]);
    std::fs::write(
        d.join("b.openclaw.json5"),
        format!("{{\n  agents: {{\n    {},\n  }},\n}}\n", agent(&continued)),
    )
    .unwrap();
    let outs = every_output(&["."], d);
    let json = &outs[1].1;
    assert!(
        json.contains("openclaw.json") && json.contains("b.openclaw.json5"),
        "{json}"
    );
    assert!(json.contains("OC201"), "{json}");
    assert_hidden(&outs, &[&t1, &t2]);
}

/// `clawcheck posture` shows the policies' input through the same gate.
#[test]
fn posture_shows_names_redacted() {
    let t = token(81);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let escaped = format!("\\u0067{}", &t[1..]);
    std::fs::write(
        d.join("openclaw.json"),
        format!("{{\"agents\": {{{}}}}}\n", agent(&escaped)),
    )
    .unwrap();
    let o = run(&["posture", "openclaw.json"], d);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_hidden(&[("posture".into(), text(&o))], &[&t]);
}

/// Tool errors on standard error quote what they reject: a secret pasted
/// into the wrong setting of clawcheck.toml (a waiver's `expires` or `rule`,
/// a rule override's key or severity, a regex, a glob, an unknown key) is
/// redacted there too, with the error still naming the file and line.
#[test]
fn settings_errors_on_stderr_are_redacted() {
    let t = token(91);
    let cases = [
        format!("[[waivers]]\nrule = \"OC201\"\nreason = \"r\"\nexpires = \"{t}\"\n"),
        format!("[[waivers]]\nrule = \"{t}\"\nreason = \"r\"\n"),
        format!("[rules.{t}]\nseverity = \"error\"\n"),
        format!("[rules.OC201]\nseverity = \"{t}\"\n"),
        format!("[sensitivity]\npatterns = [\"({t}\"]\n"),
        format!("exclude = [\"[{t}\"]\n"),
        format!("{t} = 1\n"),
    ];
    for case in cases {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("clawcheck.toml"), &case).unwrap();
        std::fs::write(d.join("openclaw.json"), "{\"agents\": {}}\n").unwrap();
        for args in [&["check", "."][..], &["check", "--verbose", "."]] {
            let o = run(args, d);
            assert_eq!(o.status.code(), Some(2), "{case}: {}", text(&o));
            let err = String::from_utf8_lossy(&o.stderr).into_owned();
            assert!(err.contains("clawcheck: error:"), "{case}: {err}");
            assert!(err.contains("ghp_"), "the redacted form is shown: {err}");
            assert_hidden(&[(format!("stderr for {case}"), err)], &[&t]);
        }
    }
}

// ---- item 12: malformed user policies ----------------------------------

fn policy_error(deny: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("pol")).unwrap();
    std::fs::write(
        d.join("pol/custom.rego"),
        format!(
            "package acme.custom\nimport rego.v1\n\ndeny contains f if {{\n\tsome a in input.posture.agents\n\tf := {deny}\n}}\n"
        ),
    )
    .unwrap();
    std::fs::write(
        d.join("openclaw.json"),
        format!("{{\"agents\": {{{}}}}}\n", agent("worker")),
    )
    .unwrap();
    let o = run(&["check", ".", "--policy", "pol"], d);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(2), "{deny}: {}", text(&o));
    assert!(
        err.contains("pol/custom.rego") && err.contains("acme.custom"),
        "{deny}: names the file and package: {err}"
    );
    err
}

#[test]
fn a_deny_entry_without_a_rule_is_a_tool_error() {
    let err = policy_error(r#"{"pointer": a.pointer, "message": "x"}"#);
    assert!(err.contains("no `rule`"), "{err}");
}

#[test]
fn a_deny_pointer_that_is_not_a_string_is_a_tool_error() {
    let err = policy_error(r#"{"rule": "ACME1", "pointer": 7, "message": "x"}"#);
    assert!(
        err.contains("ACME1") && err.contains("`pointer` is not a string"),
        "{err}"
    );
}

#[test]
fn a_deny_pointer_that_is_not_a_json_pointer_is_a_tool_error() {
    let err = policy_error(r#"{"rule": "ACME1", "pointer": "agents/worker", "message": "x"}"#);
    assert!(
        err.contains("ACME1") && err.contains("not a JSON pointer"),
        "{err}"
    );
    // nor is `~` other than `~0` / `~1`
    let err = policy_error(r#"{"rule": "ACME1", "pointer": "/agents/a~2b", "message": "x"}"#);
    assert!(err.contains("not a JSON pointer"), "{err}");
}

#[test]
fn an_unknown_deny_severity_is_a_tool_error() {
    let err = policy_error(
        r#"{"rule": "ACME1", "pointer": a.pointer, "message": "x", "severity": "critical"}"#,
    );
    assert!(err.contains("ACME1") && err.contains("`severity`"), "{err}");
}

#[test]
fn a_user_policy_cannot_reuse_a_built_in_rule_id() {
    let err = policy_error(r#"{"rule": "OC201", "pointer": a.pointer, "message": "x"}"#);
    assert!(err.contains("OC201") && err.contains("built-in"), "{err}");
    let err = policy_error(r#"{"rule": "OC401", "pointer": a.pointer, "message": "x"}"#);
    assert!(err.contains("OC401") && err.contains("built-in"), "{err}");
}

#[test]
fn a_user_policy_cannot_add_to_a_built_in_package() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("pol")).unwrap();
    std::fs::write(
        d.join("pol/sneaky.rego"),
        "package clawcheck.rules.oc201\nimport rego.v1\n\ndeny contains {\"rule\": \"OC201\", \"pointer\": \"\", \"message\": \"forged\"} if {\n\ttrue\n}\n",
    )
    .unwrap();
    std::fs::write(d.join("openclaw.json"), "{\"agents\": {}}\n").unwrap();
    let o = run(&["check", ".", "--policy", "pol"], d);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("pol/sneaky.rego") && err.contains("built-in package"),
        "{err}"
    );
}

#[test]
fn a_well_formed_user_policy_still_reports() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("pol")).unwrap();
    std::fs::write(
        d.join("pol/custom.rego"),
        "package acme.custom\nimport rego.v1\n\ndeny contains {\"rule\": \"ACME1\", \"pointer\": a.pointer, \"message\": \"seen\", \"severity\": \"note\"} if {\n\tsome a in input.posture.agents\n}\n",
    )
    .unwrap();
    std::fs::write(
        d.join("openclaw.json"),
        format!("{{\"agents\": {{\n  {}\n}}}}\n", agent("worker")),
    )
    .unwrap();
    let o = run(&["check", ".", "--policy", "pol", "--format", "json"], d);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "ACME1")
        .expect("the user rule is reported");
    assert_eq!(f["severity"], "note");
    assert_eq!(f["line"], 2);
}

// The second probe (2026-12-07): secrets cut short before the gate, spelled
// otherwise than the gate knew them, or in inputs the scanner never read.

/// A message cut to 200 characters (a schema error quoting a value, an
/// `$include` path) that ends inside a secret: the part left matches no
/// secret whole, but is the start of one.
#[test]
fn a_secret_cut_short_by_a_long_message_is_redacted() {
    let (t1, t2) = (token(61), token(62));
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pad = "pad ".repeat(40);
    std::fs::create_dir(d.join("a")).unwrap();
    std::fs::write(
        d.join("a/openclaw.json5"),
        format!(
            "{{ gateway: {{ auth: {{ mode: \"token\", token: {{ source: \"env\", provider: \"default\", id: \"{pad}{t1}\" }} }} }} }}\n"
        ),
    )
    .unwrap();
    std::fs::create_dir(d.join("b")).unwrap();
    std::fs::write(
        d.join("b/openclaw.json5"),
        format!("{{ \"$include\": \"./{}{t2}.json5\" }}\n", "p/".repeat(80)),
    )
    .unwrap();
    let outs = every_output(&["."], d);
    assert!(
        outs[1].1.contains("OC101") && outs[1].1.contains("OC105"),
        "{}",
        outs[1].1
    );
    assert_hidden(&outs, &[&t1, &t2]);
}

/// A long line shown as a window that cuts a copy of a secret the scanner
/// did not see alone (`x<token>` in a comment; the token itself is the
/// gateway's): the window's edge never shows the rest of it.
#[test]
fn a_snippet_window_never_cuts_a_known_secret_in_two() {
    let t = token(63);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("openclaw.json5"),
        format!(
            "{{ /* x{t} */ \"ui\": {{\"assistant\": {{\"name\": \"{}\"}}}}, \"gateway\": {{\"mode\": \"local\", \"bind\": \"lan\", \"auth\": {{\"mode\": \"token\", \"token\": \"{t}\"}}}}, \"meta\": {{\"lastTouchedVersion\": \"{}\"}}}}\n",
            "a".repeat(55),
            "b".repeat(400)
        ),
    )
    .unwrap();
    assert_hidden(&every_output(&["."], d), &[&t]);
}

/// A literal credential in an included fragment, at a place that is a
/// credential field only in the merged config (`gateway.auth.password`
/// written as the fragment's top-level `password`).
#[test]
fn a_literal_in_an_included_fragment_is_redacted() {
    let pass = "violet tangerine quantum walrus";
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("openclaw.json5"),
        "{ gateway: { mode: \"local\", bind: \"lan\", auth: { \"$include\": \"./auth.json5\" } } }\n",
    )
    .unwrap();
    std::fs::write(
        d.join("auth.json5"),
        format!("{{ mode: \"password\", password: \"{pass}\" }}\n"),
    )
    .unwrap();
    let outs = every_output(&["."], d);
    assert!(outs[1].1.contains("OC211"), "{}", outs[1].1);
    assert_hidden(&outs, &[pass]);
    assert_hidden(&every_output(&["openclaw.json5"], d), &[pass]);
}

/// `--diff` shows the file's lines: a secret written with escapes is
/// redacted there as written, not only as decoded.
#[test]
fn diff_lines_redact_secrets_as_written() {
    let t = token(64);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("openclaw.json5"),
        format!(
            "{{\n  gateway: {{\n    mode: \"local\",\n    bind: \"\\x67{}\",\n    auth: {{ mode: \"password\", password: \"violet\\x20tangerine quantum walrus\" }},\n  }},\n}}\n",
            &t[1..]
        ),
    )
    .unwrap();
    let o = run(&["check", "--diff", "--unsafe-fixes", "."], d);
    let out = text(&o);
    assert!(out.contains("@@"), "a diff is shown: {out}");
    let outs = vec![("--diff".to_string(), out)];
    assert_hidden(
        &outs,
        &[
            &t[1..],
            "violet\\x20tangerine quantum walrus",
            "tangerine quantum walrus",
        ],
    );
}

/// A deployment file: a literal credential spelled with YAML escapes or
/// doubled quotes, and a token decoded from a `\x` escape.
#[test]
fn deployment_yaml_secrets_are_redacted_however_spelled() {
    let t = token(65);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("docker-compose.yml"),
        format!(
            "services:\n  openclaw:\n    image: ghcr.io/openclaw/openclaw:latest\n    command: [\"openclaw\", \"gateway\", \"--bind\", \"\\x67{}\"]\n    volumes: [\"./openclaw.json:/home/node/.openclaw/openclaw.json:ro\"]\n    environment:\n      OPENCLAW_GATEWAY_PASSWORD: 'it''s-my-very-long-passphrase-kept-here'\n      OPENCLAW_GATEWAY_TOKEN: \"violet tangerine\\x41quantum walrus\"\n",
            &t[1..]
        ),
    )
    .unwrap();
    std::fs::write(
        d.join("openclaw.json"),
        "{\"gateway\": {\"mode\": \"local\", \"bind\": \"loopback\"}}\n",
    )
    .unwrap();
    let outs = every_output(&["."], d);
    assert!(outs[1].1.contains("OC503"), "{}", outs[1].1);
    assert_hidden(
        &outs,
        &[
            &t[1..],
            "s-my-very-long-passphrase-kept-here",
            "tangerine\\x41quantum walrus",
        ],
    );
}

/// clawcheck.toml's strings once decoded (`\u0067hp_…` as a metric's name,
/// quoted in OC221's message), a baseline's recorded findings, and the
/// reports `merge` reads: each is input, scanned like a file.
#[test]
fn settings_baselines_and_merged_reports_are_scanned() {
    let (t1, t2, t3) = (token(66), token(67), token(68));
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("clawcheck.toml"),
        format!("[monitoring]\nagent_metrics = [\"\\u0067{}\"]\n", &t1[1..]),
    )
    .unwrap();
    std::fs::write(
        d.join("openclaw.json"),
        "{\"agents\": {\"worker\": {\"runtime\": \"shared\", \"auto-destroy\": false, \"timeout\": 60}}, \"monitoring\": {\"metrics\": [\"x\"]}}\n",
    )
    .unwrap();
    std::fs::write(
        d.join("clawcheck-baseline.json"),
        format!(
            "{{\"findings\": [{{\"rule\": \"OC230\", \"fingerprint\": \"0000000000000000\", \"path\": \"old.json\", \"start\": {{\"line\": 1, \"column\": 1}}, \"message\": \"token \\u0067{}\"}}]}}\n",
            &t2[1..]
        ),
    )
    .unwrap();
    let outs = every_output(&["--baseline", "clawcheck-baseline.json", "."], d);
    assert!(outs[1].1.contains("OC221"), "{}", outs[1].1);
    assert!(outs[1].1.contains("\"fixed\""), "{}", outs[1].1);
    assert_hidden(&outs, &[&t1, &t2]);

    let json = outs[1]
        .1
        .replacen("\"message\": \"", &format!("\"message\": \"{t3} "), 1);
    std::fs::write(d.join("r.json"), json).unwrap();
    for format in ["json", "sarif", "markdown", "html", "oscal"] {
        let o = run(&["merge", "--format", format, "r.json"], d);
        assert!(o.status.code().is_some_and(|c| c <= 1), "{}", text(&o));
        assert_hidden(&[(format!("merge {format}"), text(&o))], &[&t3]);
    }
}

// The third probe (2026-12-07): `history`, `posture` with settings, and
// deployment files' decoded strings and credential-named keys.

/// `clawcheck history` knows a blob's literal credentials as `check` does
/// (a config's credential fields, a `.env`'s credential variables).
#[test]
fn history_redacts_literal_credentials() {
    let pass = "orange-giraffe-sings-loudly-tonight";
    let env_pass = "mysuperlongpassphrasegoeshere";
    let t = token(71);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let git = |args: &[&str]| {
        let o = Command::new("git")
            .args(["-c", "user.email=a@b", "-c", "user.name=a"])
            .args(args)
            .current_dir(d)
            .output()
            .expect("git");
        assert!(o.status.success(), "{}", text(&o));
    };
    git(&["init", "-q", "."]);
    std::fs::write(
        d.join("openclaw.json"),
        format!("{{\"gateway\": {{\"auth\": {{\"mode\": \"password\", \"password\": \"{pass}\", \"x\": \"{t}\"}}}}}}\n"),
    )
    .unwrap();
    std::fs::write(
        d.join(".env"),
        format!("OPENCLAW_GATEWAY_TOKEN={env_pass} # {t}\n"),
    )
    .unwrap();
    git(&["add", "-A"]);
    git(&["commit", "-qm", "c"]);
    let mut outs = Vec::new();
    for format in ["human", "json", "sarif"] {
        let o = run(&["history", "--fail-on", "never", "--format", format], d);
        assert!(o.status.success(), "{}", text(&o));
        outs.push((format!("history {format}"), text(&o)));
    }
    assert!(outs[1].1.contains("\"findings\""), "{}", outs[1].1);
    assert_hidden(&outs, &[pass, env_pass, &t]);
}

/// `clawcheck posture` shows the settings' lists too: their secrets are
/// redacted as in `check`.
#[test]
fn posture_redacts_the_settings_secrets() {
    let (t1, t2) = (token(72), token(73));
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("openclaw.json"),
        "{\"gateway\": {\"mode\": \"local\"}}\n",
    )
    .unwrap();
    std::fs::write(
        d.join("clawcheck.toml"),
        format!(
            "[secrets]\nknown_sources = [\"{t1}\"]\n[monitoring]\nsecret_metrics = [\"{t2}\"]\n"
        ),
    )
    .unwrap();
    let o = run(&["posture", "openclaw.json"], d);
    assert!(o.status.success(), "{}", text(&o));
    assert_hidden(&[("posture".into(), text(&o))], &[&t1, &t2]);
}

/// A Dockerfile's JSON-form `CMD` with a `\u` escape, a Kubernetes Secret's
/// `stringData` and Prometheus's `basic_auth.password`: decoded strings are
/// scanned, and credential-named keys hold literal credentials.
#[test]
fn deployment_strings_decoded_and_credential_keys_are_redacted() {
    let t = token(74);
    let (k8s, prom) = (
        "violet tangerine quantum walrus",
        "charlie2 delta2 echo2 foxtrot2",
    );
    let aws = ["AKIA", "ZDOCIS2JHTLGMXGE"].concat();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("openclaw.json"),
        "{\"gateway\": {\"bind\": \"loopback\"}}\n",
    )
    .unwrap();
    std::fs::write(
        d.join("Dockerfile"),
        format!(
            "FROM ghcr.io/openclaw/openclaw:latest\nCMD [\"openclaw\", \"gateway\", \"--bind\", \"\\u0067{}\"]\n",
            &t[1..]
        ),
    )
    .unwrap();
    std::fs::write(
        d.join("secret.yaml"),
        format!("apiVersion: v1\nkind: Secret\nmetadata: {{name: s}}\nstringData:\n  OPENCLAW_GATEWAY_TOKEN: \"{k8s}\"  # {aws}\n"),
    )
    .unwrap();
    std::fs::write(
        d.join("prometheus.yml"),
        format!("scrape_configs:\n  - job_name: oc\n    basic_auth: {{username: u, password: \"{prom}\"}}  # {aws}\n"),
    )
    .unwrap();
    let outs = every_output(&["--fail-on", "never", "."], d);
    assert!(outs[1].1.contains("OC502"), "{}", outs[1].1);
    assert_hidden(&outs, &[&t, &t[1..], k8s, prom]);
}

/// A literal credential in a YAML scalar that runs over several lines (a
/// double-quoted one continued with `\`, a folded `>-` one): every line of it
/// is redacted in a snippet, not only the first.
#[test]
fn multi_line_yaml_literals_are_redacted_on_every_line() {
    let aws = ["AKIA", "ZDOCIS2JHTLGMXGB"].concat();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (name, value) in [
        (
            "quoted",
            "\"sk_live_wMFLZDe1\\\n        f8rESQedUStPKR0C\"".to_string(),
        ),
        (
            "folded",
            format!(">-\n        purple elephant\n        dancing-slowly-at-night {aws}"),
        ),
    ] {
        std::fs::create_dir(d.join(name)).unwrap();
        std::fs::write(
            d.join(name).join("pod.yaml"),
            format!(
                "apiVersion: v1\nkind: Pod\nmetadata: {{name: x}}\nspec:\n  containers:\n  - name: app\n    image: ghcr.io/openclaw/openclaw:2026.9\n    env:\n    - name: OPENCLAW_GATEWAY_PASSWORD\n      value: {value}\n"
            ),
        )
        .unwrap();
    }
    let outs = every_output(&["--fail-on", "never", "."], d);
    assert!(outs[1].1.contains("OC503"), "{}", outs[1].1);
    assert_hidden(
        &outs,
        &[
            "sk_live_wMFLZDe1",
            "f8rESQedUStPKR0C",
            "purple elephant",
            "dancing-slowly-at-night",
        ],
    );
}

/// A literal credential that a Dockerfile continues over lines or writes
/// with an escaped quote, and a multi-line `.env` value, are redacted on
/// every line they run over.
#[test]
fn continued_and_escaped_deployment_literals_are_redacted() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let cases = [
        (
            "quoted-continued",
            "Dockerfile",
            "FROM node:22\nENV OPENCLAW_GATEWAY_PASSWORD=\"abcdefghij\\\nklmnopqrstuvwxyz0123456789\"\nCMD [\"openclaw\", \"gateway\"]\n".to_string(),
        ),
        (
            "escaped-quote",
            "Dockerfile",
            "FROM node:22\nENV OPENCLAW_GATEWAY_PASSWORD=\"ab\\\"cdefghijklmnopqrstuvwxyz0123456789\"\nCMD [\"openclaw\", \"gateway\"]\n".to_string(),
        ),
        (
            "continued-exec-form",
            "Dockerfile",
            "FROM node:22\nCMD [\"openclaw\", \"gateway\", \"--token\", \"zyxwvutsrq\\\nponmlkjihgf98765\"]\n"
                .to_string(),
        ),
        (
            "multi-line-env",
            ".env",
            // built here so that the repository's own scan finds no secret
            format!(
                "A=1\nOPENCLAW_GATEWAY_TOKEN=\"abc\n{}\"\nOTHER=1\n",
                ["hunter2-very-", "secret-Passphrase-xyz"].concat()
            ),
        ),
    ];
    for (name, file, text) in cases {
        plant(d, &format!("{name}/{file}"), &text);
    }
    let outs = every_output(&["--fail-on", "never", "."], d);
    // the human report on stdout
    let human = &outs[0].1;
    assert_eq!(human.matches("error[OC503]").count(), 4, "{human}");
    assert!(!human.contains("[OC001]"), "{human}");
    assert_hidden(
        &outs,
        &[
            "abcdefghij",
            "klmnopqrstuvwxyz",
            "hunter2-very-secret",
            "Passphrase-xyz",
            "zyxwvutsrq",
            "ponmlkjihgf",
        ],
    );
}

/// A fourth probe's leaks, each through the excerpt under a finding: a file
/// that does not parse (its literals unknown), a Dockerfile's legacy `ENV`
/// with ` #` in the value or a `# escape=` directive, a YAML scalar over
/// several lines of a flow collection, a command line whose token the
/// shell's quoting splits, and a credential that interpolates a variable
/// among literal text.
#[test]
fn unparsed_files_flow_scalars_shell_words_and_partly_interpolated_values_are_redacted() {
    // built here so that the repository's own scan finds no secret
    let a = "abcdefghij";
    let b = ["KLMNOPQRST", "uvwxyz0123456789"].concat();
    let t = format!("{a}{b}");
    let compose = "services:\n  gw:\n    image: ghcr.io/openclaw/openclaw:2026.9\n";
    let cases: Vec<(&str, &str, String)> = vec![
        (
            "config-syntax-error",
            "openclaw.json",
            format!("{{\n  gateway: {{\n    auth: {{ token: \"{t}\" x }},\n  }},\n}}\n"),
        ),
        (
            "compose-syntax-error",
            "docker-compose.yml",
            format!("{compose}    environment:\n      OPENCLAW_GATEWAY_TOKEN: \"{t}\n"),
        ),
        (
            "env-unclosed",
            ".env",
            format!("OPENCLAW_GATEWAY_TOKEN=\"{a}\n{b}\n"),
        ),
        (
            "legacy-env-hash",
            "Dockerfile",
            format!("FROM ghcr.io/openclaw/openclaw:2026.9\nENV OPENCLAW_GATEWAY_TOKEN {a} #{b}\nCMD [\"openclaw\",\"gateway\"]\n"),
        ),
        (
            "escape-directive",
            "Dockerfile",
            format!("# escape=`\nFROM ghcr.io/openclaw/openclaw:2026.9\nENV OPENCLAW_GATEWAY_TOKEN={a}` {b}\nCMD [\"openclaw\",\"gateway\"]\n"),
        ),
        (
            "flow-mapping",
            "docker-compose.yml",
            format!("{compose}    environment: {{A_TOKEN: {a}\n      {b}, B_PASSWORD: zzzzzzzzzzzzzzzzzz}}\n"),
        ),
        (
            "flow-command",
            "docker-compose.yml",
            format!("{compose}    command: [openclaw, gateway, --token, {a}\n      {b}, --allow-unconfigured]\n"),
        ),
        (
            "shell-quoted-command",
            "docker-compose.yml",
            format!("{compose}    command: openclaw gateway --password \"{a}\"{b}\n"),
        ),
        (
            "systemd-shell-quoted",
            "gw.service",
            format!("[Service]\nExecStart=/usr/bin/openclaw gateway --password '{a}'\"'\"'{b}'\n"),
        ),
        (
            "compose-dollar-escape",
            "docker-compose.yml",
            format!("{compose}    environment: {{OPENCLAW_GATEWAY_TOKEN: \"{a}$${{KLMNOPQRST}}uvwxyz0123456789\", ANTHROPIC_API_KEY: zzzzzzzzzzzzzzzzzzzz}}\n"),
        ),
        (
            "config-partly-interpolated",
            "openclaw.json",
            format!("{{\n  gateway: {{\n    auth: {{ mode: \"token\", token: \"{a}KLMNOPQRST${{OC_T}}uvwxyz0123456789\" }}, bind: \"lan\",\n  }},\n}}\n"),
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (name, file, text) in &cases {
        plant(d, &format!("{name}/{file}"), text);
    }
    // an `$include`d fragment that does not parse (OC105 shows its line)
    let inc = d.join("include-syntax-error");
    std::fs::create_dir(&inc).unwrap();
    std::fs::write(
        inc.join("openclaw.json"),
        "{\n  gateway: { bind: \"loopback\", auth: { $include: \"./auth.json5\" } },\n}\n",
    )
    .unwrap();
    std::fs::write(
        inc.join("auth.json5"),
        format!("{{ mode: \"token\", token: \"{t}\" x }}\n"),
    )
    .unwrap();
    let outs = every_output(&["--fail-on", "never", "."], d);
    assert!(outs[0].1.contains("[OC105]"), "{}", outs[0].1);
    // every case has a finding with an excerpt on the planted line
    let human = &outs[0].1;
    for (name, _, _) in &cases {
        assert!(human.contains(&format!("{name}/")), "{name}: {human}");
    }
    assert_hidden(&outs, &["KLMNOPQRST", "uvwxyz0123"]);
}

/// A fifth probe's leaks: a credential whose `${VAR}` sits among text
/// OpenClaw does not substitute (`$(…)`, `$${…}`, `${lower}`), a profile
/// secret's `value` written twice (the first one literal), a token split by
/// a JSON5 line continuation in `--diff`, a secret used as a key in the
/// environment variable an unsafe fix names, a secret in a directory's name
/// in `--diff` and `posture`.
#[test]
fn templates_duplicates_continued_keys_and_paths_are_redacted_in_fixes_and_posture() {
    // built here so that the repository's own scan finds no secret
    let r = ["u8jzPde0IgxLd6Gnc", "fBAepfJBd0Kh8oOOL8d"].concat();
    let gw = |token: &str| {
        format!("{{gateway:{{mode:\"local\",bind:\"lan\",auth:{{mode:\"token\",token:\"{token}\"}}}}}}\n")
    };
    let sk = ["sk-proj-Fq3xT9vLm2Rk8Wd1", "Yp5Zs7Hn4Jc6Gb0NeA2uQ8tV"].concat();
    let cases: Vec<(String, String)> = vec![
        ("sub/openclaw.json".into(), gw(&format!("${{A}}$({r})"))),
        ("dollar/openclaw.json".into(), gw(&format!("${{A}}$${{{r}}}"))),
        ("lower/openclaw.json".into(), gw(&format!("${{A}}${{{r}}}"))),
        (
            "dup/x.openclaw.json".into(),
            format!("{{\n  agents: {{\n    \"prod-a\": {{ runtime: \"thread-bound\", \"auto-destroy\": true, timeout: 300 }},\n  }},\n  secrets: {{\n    openai: {{ provider: \"inline\", value: \"{r}\", value: \"${{X}}\", rotation: \"never\" }},\n  }},\n}}\n"),
        ),
        (
            "continued/openclaw.json".into(),
            format!(
                "{{\n  gateway: {{\n    mode: \"local\",\n    bind: \"lan\",\n    auth: {{\n      mode: \"token\",\n      token: \"{}\\\n{}\",\n    }},\n  }},\n}}\n",
                &r[..16],
                &r[16..]
            ),
        ),
        (
            "key/openclaw.json".into(),
            format!("{{gateway:{{mode:\"local\",bind:\"lan\",auth:{{mode:\"token\",token:\"${{OC_T}}\"}}}}, skills:{{entries:{{\"ghp_{r}\":{{apiKey:\"{sk}\"}}}}}}}}\n"),
        ),
        (format!("dir/ghp_{r}/openclaw.json"), gw("${OC_T}")),
    ];
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (path, text) in &cases {
        plant(d, path, text);
    }
    let mut outs = every_output(&["--fail-on", "never", "."], d);
    for fix in ["--fix", "--unsafe-fixes"] {
        let o = run(&["check", "--fail-on", "never", fix, "--diff", "."], d);
        let shown = text(&o);
        assert!(shown.contains("+++ b/"), "{fix}: {shown}");
        outs.push((format!("{fix} --diff"), shown));
    }
    for (path, _) in &cases {
        let o = run(&["posture", path], d);
        outs.push((format!("posture {path}"), text(&o)));
    }
    let upper = r.to_ascii_uppercase();
    assert_hidden(&outs, &[&r[..16], &r[16..], &r[8..28], &upper[8..28]]);
}

/// A sixth probe's leaks: a credential field holding a number or an array
/// (a config OpenClaw rejects, still shown), a secret pasted as a
/// SecretRef's `id`, a URL's password the scanner does not judge one, and a
/// literal longer than an excerpt looks around itself for.
#[test]
fn numbers_arrays_secret_ref_ids_url_passwords_and_long_literals_are_redacted() {
    // built here so that the repository's own scan finds no secret
    let r = ["u8jzPde0IgxLd6Gnc", "fBAepfJBd0Kh8oOOL8d"].concat();
    let num = ["83749283", "74928374"].concat();
    let letters = ["uJzPdeIgxLdGncfB", "AepfJBdKhoOOLdqWkRtY"].concat();
    // 4,500 characters, none repeated in a run of 12
    let long: String = (0..4500u32)
        .map(|i| {
            let x = i.wrapping_mul(2_654_435_761) >> 7;
            char::from(
                b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"[(x % 57) as usize],
            )
        })
        .collect();
    let cases: Vec<(&str, String)> = vec![
        (
            "number/openclaw.json",
            format!("{{ gateway: {{ bind: \"lan\", auth: {{ mode: \"password\", password: {num} }} }} }}\n"),
        ),
        (
            "array/openclaw.json",
            format!("{{ gateway: {{ bind: \"lan\", auth: {{ mode: \"token\", token: [\"{r}\"] }} }} }}\n"),
        ),
        (
            "profile/a.openclaw.json",
            format!("{{ secrets: {{ s: {{ value: {num}, provider: \"inline\" }} }} }}\n"),
        ),
        (
            "ref-id/openclaw.json",
            format!("{{ gateway: {{ bind: \"lan\", auth: {{ mode: \"token\", token: {{ source: \"env\", provider: \"default\", id: \"{r}\" }} }} }} }}\n"),
        ),
        (
            "url/openclaw.json",
            format!("{{\n  gateway: {{\n    bind: \"lan\",\n    remote: {{ url: \"wss://admin:{letters}@gw.example.com\" }},\n  }},\n}}\n"),
        ),
        (
            "long/docker-compose.yml",
            format!("services:\n  gw:\n    image: openclaw/openclaw\n    environment:\n      OPENCLAW_GATEWAY_PASSWORD: \"{long}\"\n"),
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (path, text) in &cases {
        plant(d, path, text);
    }
    let mut outs = every_output(&["--fail-on", "never", "."], d);
    for fix in ["--fix", "--unsafe-fixes"] {
        let o = run(&["check", "--fail-on", "never", fix, "--diff", "."], d);
        outs.push((format!("{fix} --diff"), text(&o)));
    }
    for (path, _) in cases.iter().filter(|(p, _)| p.ends_with(".json")) {
        let o = run(&["posture", path], d);
        outs.push((format!("posture {path}"), text(&o)));
    }
    assert_hidden(
        &outs,
        &[&r[8..28], &num, &letters[8..28], &long[2000..2030]],
    );
}

/// An Anthropic-key-shaped secret the scanner recognises.
fn anthropic(seed: u64) -> String {
    let t = ["sk-ant-", "api03-", &alnum(seed, 93), "AA"].concat();
    let found = clawcheck::checks::secrets::Scanner::new().scan(t.as_bytes());
    assert_eq!(found.len(), 1, "the planted key is a key to the scanner");
    t
}

/// The rules of `check --format json` on `dir`'s tree, by file name and line.
fn found_at(dir: &Path, args: &[&str]) -> Vec<(String, String, u64)> {
    let mut a = vec!["check", "--format", "json", "--fail-on", "never"];
    a.extend_from_slice(args);
    a.push(".");
    let o = run(&a, dir);
    let v: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&o)));
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["path"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// Fourth probe round: a key after an escape that stands for a blank (`\n`,
/// `\t`) or in a shell or Compose default (`${VAR:-<key>}`), a key spelled
/// with an escape in a config string, a UTF-16 text file, a default that is
/// a literal gateway token: each found (no silent pass) and never shown.
#[test]
fn keys_after_escapes_in_defaults_escaped_and_in_utf16_files_are_found_and_hidden() {
    let (a1, a2, a3, a4) = (anthropic(41), anthropic(42), anthropic(43), anthropic(44));
    let (a5, a6) = (anthropic(45), anthropic(46));
    let gh = token(47);
    let literal = alnum(48, 32);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    plant(
        d,
        "keys.json",
        &format!("{{\"keys\": \"{a1}\\n{a2}\", \"note\": \"rotate\"}}\n"),
    );
    plant(
        d,
        "notes.json",
        &format!("{{\"only\": \"first line\\n{a3}\"}}\n"),
    );
    plant(
        d,
        "run.sh",
        &format!(
            "#!/bin/sh\nexport ANTHROPIC_API_KEY=\"${{ANTHROPIC_API_KEY:-{a4}}}\"\nexec app\n"
        ),
    );
    plant(
        d,
        "docker-compose.yml",
        &format!(
            "services:\n  openclaw:\n    image: ghcr.io/openclaw/openclaw:latest\n    environment:\n      OPENCLAW_GATEWAY_TOKEN: ${{OPENCLAW_GATEWAY_TOKEN:-{literal}}}\n"
        ),
    );
    // a config string that is no credential field, its key spelled with a `\u` escape
    plant(
        d,
        "openclaw.json",
        &format!(
            "{{\n  gateway: {{ mode: \"local\" }},\n  agents: {{ defaults: {{ timeoutSeconds: 60 }} }},\n  env: {{ vars: {{ NOTE: \"\\u0073{}\" }} }},\n}}\n",
            &a5[1..]
        ),
    );
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            format!("GITHUB_TOKEN={gh}\r\nKEY={a6}\r\n")
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    std::fs::write(d.join("creds.txt"), utf16).unwrap();
    let found = found_at(d, &[]);
    let at = |file: &str, line: u64| found.iter().any(|(_, f, l)| f == file && *l == line);
    for (file, line) in [
        ("keys.json", 1),
        ("notes.json", 1),
        ("run.sh", 2),
        ("openclaw.json", 4),
        ("creds.txt", 1),
        ("creds.txt", 2),
    ] {
        assert!(at(file, line), "no finding at {file}:{line}: {found:?}");
    }
    assert!(
        found
            .iter()
            .any(|(r, f, l)| r == "OC503" && f == "docker-compose.yml" && *l == 5),
        "the literal default of a gateway token is OC503: {found:?}"
    );
    let outs = every_output(&["--fail-on", "never", "."], d);
    assert_hidden(
        &outs,
        &[
            &a2[13..],
            &a3[13..],
            &a4[13..],
            &a5[13..],
            &a6[13..],
            &literal,
        ],
    );
}

/// Fourth probe round: a random password in a config that does not parse
/// (letters only), a token pasted into a field that is not a credential's
/// (`auth: "<token>"`, `auth: { mode: "<token>" }`), a token spelled with an
/// escape in a key of a JSON file that is not a config (`--verbose` lists
/// its keys), a bundle file named after a token (`verify`), and a bundle
/// directory the repository planted as a symbolic link.
#[test]
fn unparsed_letters_misplaced_tokens_escaped_keys_and_bundle_names_are_hidden() {
    let letters: String = alnum(51, 40)
        .chars()
        .filter(char::is_ascii_alphabetic)
        .take(22)
        .collect();
    let misplaced = alnum(52, 32);
    let gh = token(53);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    plant(
        d,
        "broken/openclaw.json",
        &format!("{{\n  gateway: {{ mode: \"local\" \"auth\": {{ \"password\": \"{letters}\" }} }},\n}}\n"),
    );
    plant(
        d,
        "a/openclaw.json",
        &format!("{{\n  gateway: {{ mode: \"local\", bind: \"lan\", auth: \"{misplaced}\" }},\n  agents: {{ defaults: {{ timeoutSeconds: 60 }} }},\n}}\n"),
    );
    plant(
        d,
        "b/openclaw.json",
        &format!("{{\n  gateway: {{ mode: \"local\", bind: \"lan\", auth: {{ mode: \"{misplaced}\" }} }},\n  agents: {{ defaults: {{ timeoutSeconds: 60 }} }},\n}}\n"),
    );
    plant(
        d,
        "data.json",
        &format!(
            "{{\"\\u0067{}\": 1, \"other\": 2, \"gateway\": {{}}, \"agents\": {{}}}}\n",
            &gh[1..]
        ),
    );
    let mut outs = every_output(&["--fail-on", "never", "."], d);
    for path in ["a/openclaw.json", "b/openclaw.json"] {
        let o = run(&["posture", path], d);
        outs.push((format!("posture {path}"), text(&o)));
    }
    // a signed bundle, and a file named after a token put in it
    let key = d.join("k.key");
    assert!(run(&["keygen", key.to_str().unwrap()], d).status.success());
    let ev = tempfile::tempdir().unwrap();
    let bundle = ev.path().join("ev");
    let o = run(
        &[
            "check",
            "--fail-on",
            "never",
            "a",
            "--bundle",
            bundle.to_str().unwrap(),
            "--sign",
            key.to_str().unwrap(),
        ],
        d,
    );
    assert!(o.status.success(), "{}", text(&o));
    std::fs::write(bundle.join(&gh), "").unwrap();
    let pubkey = format!("{}.pub", key.display());
    let o = run(&["verify", bundle.to_str().unwrap(), "--key", &pubkey], d);
    assert!(text(&o).contains("extra: "), "{}", text(&o));
    outs.push(("verify".into(), text(&o)));
    assert_hidden(&outs, &[&letters, &misplaced, &gh]);
    // `--bundle` through a symbolic link the repository planted: refused,
    // nothing written where it points
    #[cfg(unix)]
    {
        let outside = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), d.join("evidence")).unwrap();
        let o = run(
            &[
                "check",
                "a",
                "--bundle",
                "evidence",
                "--sign",
                key.to_str().unwrap(),
            ],
            d,
        );
        assert_eq!(o.status.code(), Some(2), "{}", text(&o));
        assert!(text(&o).contains("symbolic link"), "{}", text(&o));
        assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
    }
}

/// Fifth probe round: the rest of an unquoted password after a `&`, `;` or
/// `,` (where the generic rule ends a value), a key spelled with an HTML
/// character reference, and a file name that would start a workflow
/// command on a line of the JUnit or HTML report (which the Action prints).
#[test]
fn value_tails_character_references_and_file_names_in_markup_are_hidden() {
    let pw = alnum(61, 33);
    let (head, tail) = pw.split_at(16);
    let key = anthropic(62);
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    plant(
        d,
        "settings.yaml",
        &format!("db:\n  host: db.internal\n  password: {head}&{tail}\n"),
    );
    plant(
        d,
        "settings.ini",
        &format!("[db]\npassword = {head};{tail}\n"),
    );
    plant(d, "app.properties", &format!("db.password={head},{tail}\n"));
    plant(
        d,
        "page.html",
        &format!("<p data-k=\"&#115;{}\">hi</p>\n", &key[1..]),
    );
    let found = found_at(d, &[]);
    assert!(
        found.iter().any(|(_, f, l)| f == "page.html" && *l == 1),
        "a key spelled with a character reference is found: {found:?}"
    );
    let outs = every_output(&["--fail-on", "never", "."], d);
    assert_hidden(&outs, &[tail, &key[13..]]);
    #[cfg(unix)]
    {
        let name = "notes\n::error file=README.md,line=1::forged\n.txt";
        plant(d, name, &format!("token = {}\n", token(63)));
        for format in ["junit", "html"] {
            let o = run(&["check", "--format", format, "--fail-on", "never", "."], d);
            let out = text(&o);
            assert!(
                !out.lines().any(|l| l.trim_start().starts_with("::")),
                "{format}: a line starts a workflow command:\n{out}"
            );
        }
    }
}

/// Fifth probe round: reports, baselines and fixes are never written
/// through a directory the repository planted as a symbolic link.
#[cfg(unix)]
#[test]
fn reports_and_fixes_are_not_written_through_a_planted_directory_link() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let outside = tempfile::tempdir().unwrap();
    let config = "{\n  gateway: { mode: \"local\", bind: \"lan\", auth: { mode: \"token\", token: \"${GW}\" } },\n  agents: { defaults: { timeoutSeconds: 6000 } },\n  logging: { redactSensitive: \"off\" },\n}\n";
    std::fs::write(outside.path().join("openclaw.json"), config).unwrap();
    plant(d, "repo/openclaw.json", config);
    std::os::unix::fs::symlink(outside.path(), d.join("repo/reports")).unwrap();
    std::os::unix::fs::symlink(outside.path(), d.join("repo/deploy")).unwrap();
    let repo = d.join("repo");
    for args in [
        &[
            "check",
            "openclaw.json",
            "--fail-on",
            "never",
            "-o",
            "reports/r.json",
            "--format",
            "json",
        ][..],
        &[
            "check",
            "openclaw.json",
            "--fail-on",
            "never",
            "--report",
            "sarif=reports/r.sarif",
        ],
        &["baseline", "openclaw.json", "-o", "reports/b.json"],
        &["check", "--fix", "--unsafe-fixes", "deploy/openclaw.json"],
    ] {
        let o = run(args, &repo);
        assert_ne!(o.status.code(), Some(101), "{args:?}: {}", text(&o));
        let names: Vec<String> = std::fs::read_dir(outside.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            ["openclaw.json"],
            "{args:?} wrote through the link: {}",
            text(&o)
        );
        assert_eq!(
            std::fs::read_to_string(outside.path().join("openclaw.json")).unwrap(),
            config,
            "{args:?} rewrote a file outside the repository"
        );
    }
}
