//! Hostile input (issue 17, items 1, 3, 4, 5, 6): symlinks out of the tree,
//! unscanned bytes, broken configs that look like configs, lone-CR line
//! endings, U+2028/U+2029, duplicate keys, nesting depth, oversized configs.
//! Every case runs the built binary on a temporary tree.

mod common;
use common::{clawcheck_env as run, output as all_output};
use serde_json::Value;
use std::path::Path;
use std::process::Output;

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!("not JSON ({e}): {}", all_output(o));
    })
}

fn findings(v: &Value) -> Vec<(String, String, u64, u64)> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn rules_of(v: &Value) -> Vec<String> {
    findings(v).into_iter().map(|f| f.0).collect()
}

/// A GitHub-token-shaped value and a value no scanner recognises, assembled
/// at run time (no key is ever committed).
fn planted() -> (String, String) {
    let body: String = (0..36)
        .map(|i| (b'a' + ((i * 7 + std::process::id() as usize) % 26) as u8) as char)
        .collect();
    let token = ["ghp", "_", &body].concat();
    let plain = format!("plantedvalue{}x{}", std::process::id(), body.len() * 3);
    (token, plain)
}

const FORMATS: &[&str] = &[
    "human", "json", "sarif", "github", "junit", "html", "markdown",
];
const VERBOSITY: &[&[&str]] = &[&[], &["--verbose"], &["--quiet"]];

fn assert_never_printed(args: &[&str], cwd: &Path, env: &[(&str, &str)], secrets: &[&str]) {
    for format in FORMATS {
        for verbosity in VERBOSITY {
            let mut a: Vec<&str> = args.to_vec();
            a.extend(["--format", format]);
            a.extend(verbosity.iter());
            let o = run(&a, cwd, env);
            let out = all_output(&o);
            assert!(
                o.status.code().is_some_and(|c| c <= 1),
                "{a:?}: exit {:?}\n{out}",
                o.status
            );
            for s in secrets {
                assert!(!out.contains(s), "{a:?} printed a planted secret:\n{out}");
                // nor a large part of it
                assert!(
                    !out.contains(&s[4..s.len() - 4]),
                    "{a:?}: part of a secret:\n{out}"
                );
            }
        }
    }
}

#[test]
fn symlinks_out_of_the_root_are_not_followed_and_nothing_leaks() {
    let (token, plain) = planted();
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("outside");
    let repo = tmp.path().join("repo");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::create_dir_all(repo.join("sub")).unwrap();
    // An environment block, as /proc/self/environ holds it: NUL-separated.
    let environ = format!("HOME=/root\0GITHUB_TOKEN={token}\0DB_PASSPHRASE={plain}\0");
    std::fs::write(outside.join("environ"), &environ).unwrap();
    std::fs::write(
        outside.join("passwd"),
        format!("root:x:0:0:{plain}:/root:/bin/sh\n"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.join("environ"), repo.join("env.openclaw.json")).unwrap();
    std::os::unix::fs::symlink("../../outside/passwd", repo.join("sub/passwd.json")).unwrap();
    std::os::unix::fs::symlink(outside.join("passwd"), repo.join("notes.txt")).unwrap();
    // the process's own environment, through /proc
    std::os::unix::fs::symlink("/proc/self/environ", repo.join("proc.openclaw.json")).unwrap();
    std::fs::write(repo.join("openclaw.json"), "{\"agents\": {}}\n").unwrap();
    let env = [
        ("GITHUB_TOKEN", token.as_str()),
        ("DB_PASSPHRASE", plain.as_str()),
    ];

    // Not followed: an OC002 naming each config-named link, the rest listed as skipped.
    let o = run(&["check", "--format", "json", "."], &repo, &env);
    let v = json(&o);
    assert_eq!(o.status.code(), Some(1), "{}", all_output(&o));
    let oc002: Vec<_> = findings(&v)
        .into_iter()
        .filter(|f| f.0 == "OC002")
        .map(|f| f.1)
        .collect();
    assert_eq!(oc002, ["env.openclaw.json", "proc.openclaw.json"]);
    let skipped = v["summary"]["skipped"].to_string();
    for p in ["notes.txt", "sub/passwd.json"] {
        assert!(skipped.contains(p), "{p} not listed as skipped: {skipped}");
    }
    assert!(skipped.contains("outside the scanned root"), "{skipped}");
    assert_never_printed(&["check", "."], &repo, &env, &[&token, &plain]);
    // named on the command line, the link still leaves the tree
    assert_never_printed(
        &["check", "env.openclaw.json"],
        &repo,
        &env,
        &[&token, &plain],
    );

    // Opted in, the files are read; the NUL bytes keep them from the secret
    // scan, so no byte of them is shown (OC001 without a snippet).
    let o = run(
        &[
            "check",
            "--follow-symlinks-outside-root",
            "--format",
            "json",
            ".",
        ],
        &repo,
        &env,
    );
    let rules = rules_of(&json(&o));
    assert!(rules.contains(&"OC001".to_string()), "{rules:?}");
    assert_never_printed(
        &["check", "--follow-symlinks-outside-root", "."],
        &repo,
        &env,
        &[&token, &plain],
    );
}

#[test]
fn a_config_with_nul_bytes_is_never_shown_unscanned() {
    let (token, plain) = planted();
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("openclaw.json"),
        format!("{{\"gateway\": {{\"auth\": {{\"token\": \"{token}\", \"password\": \"{plain}\"}}}} /* \0 */ x"),
    )
    .unwrap();
    assert_never_printed(&["check", "."], tmp.path(), &[], &[&token, &plain]);
}

#[test]
fn a_broken_file_that_looks_like_a_config_is_oc001() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::write(
        d.join("deploy.json"),
        "{\"gateway\": {\"bind\": \"lan\" \"auth\": {\"mode\": \"none\"}}}\n",
    )
    .unwrap();
    std::fs::create_dir(d.join("conf")).unwrap();
    std::fs::write(
        d.join("conf/prod.json"),
        "{\n  \"openclaw\": {\n    \"agents\": {\"prod-x\": {\"runtime\": \"session\",}}\n    \"secrets\": {}\n  }\n}\n",
    )
    .unwrap();
    // Not configs: broken or commented JSON without config keys stays quiet.
    std::fs::write(d.join("package.json"), "{\"name\": \"x\" \"version\": 1}").unwrap();
    std::fs::write(
        d.join("tsconfig.json"),
        "// comment\n{\"compilerOptions\": {\"strict\": true,},}\n",
    )
    .unwrap();
    std::fs::write(d.join("data.json"), "[{\"openclaw\": {}}, {\"a\": ]").unwrap();
    std::fs::write(
        d.join("nested.json"),
        "{\"a\": {\"openclaw\": {\"agents\": }}}",
    )
    .unwrap();

    // named on the command line
    let o = run(&["check", "--format", "json", "deploy.json"], d, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", all_output(&o));
    let f = findings(&json(&o));
    assert_eq!(f, [("OC001".to_string(), "deploy.json".to_string(), 1, 27)]);
    let o = run(&["check", "deploy.json"], d, &[]);
    assert!(all_output(&o).contains("deploy.json:1:27: error[OC001] cannot parse deploy.json"));

    // in a directory scan: the `openclaw`-keyed file is a config, broken or not
    let o = run(&["check", "--format", "json", "."], d, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", all_output(&o));
    let f = findings(&json(&o));
    assert_eq!(
        f,
        [("OC001".to_string(), "conf/prod.json".to_string(), 3, 50)],
        "{f:?}"
    );

    // its valid version is checked as before
    std::fs::write(
        d.join("conf/prod.json"),
        "{\n  \"openclaw\": {\n    \"agents\": {\"prod-x\": {\"runtime\": \"session\",}},\n    \"secrets\": {}\n  }\n}\n",
    )
    .unwrap();
    let rules = rules_of(&json(&run(&["check", "--format", "json", "conf"], d, &[])));
    for r in ["OC201", "OC202", "OC203"] {
        assert!(rules.contains(&r.to_string()), "{rules:?}");
    }
    // the other files are neither configs nor parse errors, named or not
    let o = run(
        &[
            "check",
            "--format",
            "json",
            "package.json",
            "tsconfig.json",
            "data.json",
            "nested.json",
        ],
        d,
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{}", all_output(&o));
}

/// A policy-profile config with findings on several lines and inline directives.
fn line_ending_config(eol: &str) -> String {
    [
        "// clawcheck:allow OC202 reviewed by security (a directive for this line and the next only)",
        "{",
        "  \"agents\": {",
        "    \"legacy\": {",
        "      \"runtime\": \"session\",",
        "      \"auto-destroy\": true,",
        "      \"timeout\": 60,",
        "      \"max-concurrent\": 1,",
        "    },",
        "    \"worker\": {",
        "      \"runtime\": \"session\",",
        "      \"auto-destroy\": false,",
        "      // clawcheck:allow OC204 batch job",
        "      \"timeout\": 0,",
        "    },",
        "  },",
        "}",
        "",
    ]
    .join(eol)
}

#[test]
fn cr_lf_and_crlf_give_the_same_findings_at_the_same_lines() {
    let mut results = Vec::new();
    for (name, eol) in [("lf", "\n"), ("cr", "\r"), ("crlf", "\r\n")] {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join("openclaw.json"), line_ending_config(eol)).unwrap();
        let v = json(&run(&["check", "--format", "json", "."], tmp.path(), &[]));
        let suppressed: Vec<(String, u64, String)> = v["suppressed"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["rule"].as_str().unwrap().to_string(),
                    s["line"].as_u64().unwrap(),
                    s["reason"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        results.push((name, findings(&v), suppressed));
    }
    let (_, lf, lf_suppressed) = &results[0];
    // sanity: OC202 at the worker's `auto-destroy`, the top directive
    // unused (it covers lines 1 and 2 only), the other one used once
    assert!(
        lf.iter().any(|f| f.0 == "OC202" && f.2 == 12 && f.3 == 7),
        "{lf:?}"
    );
    assert!(lf.iter().any(|f| f.0 == "OC006" && f.2 == 1), "{lf:?}");
    assert_eq!(
        lf_suppressed,
        &[("OC204".to_string(), 14, "batch job".to_string())]
    );
    for (name, f, s) in &results[1..] {
        assert_eq!(f, lf, "{name}");
        assert_eq!(s, lf_suppressed, "{name}");
    }
}

#[test]
fn line_separators_do_not_empty_a_config() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("openclaw.json"),
        "// reviewed config\u{2028}{\"agents\": {\"x\": {\"runtime\": \"session\"}},\u{2029}\"note\": \"a\u{2028}b\"}\n",
    )
    .unwrap();
    let rules = rules_of(&json(&run(
        &["check", "--format", "json", "."],
        tmp.path(),
        &[],
    )));
    assert!(!rules.contains(&"OC001".to_string()), "{rules:?}");
    assert!(rules.contains(&"OC202".to_string()), "{rules:?}");
}

#[test]
fn duplicate_keys_are_reported() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("openclaw.json"),
        "{\n  \"gateway\": {\n    \"bind\": \"loopback\",\n    \"auth\": {\"mode\": \"token\"},\n    \"bind\": \"lan\"\n  }\n}\n",
    )
    .unwrap();
    let v = json(&run(&["check", "--format", "json", "."], tmp.path(), &[]));
    let dup: Vec<&Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            f["rule"] == "OC101" && f["message"].as_str().unwrap().contains("duplicate key")
        })
        .collect();
    assert_eq!(dup.len(), 1, "{v}");
    assert_eq!(
        (dup[0]["line"].as_u64(), dup[0]["column"].as_u64()),
        (Some(5), Some(5))
    );
    assert_eq!(dup[0]["severity"], "error");
    assert_eq!(dup[0]["pointer"], "/gateway/bind");
    assert!(dup[0]["message"]
        .as_str()
        .unwrap()
        .contains("first at line 3"));
}

#[test]
fn nesting_up_to_512_levels_as_documented() {
    let tmp = tempfile::tempdir().unwrap();
    let nested = |n: usize| {
        format!(
            "{{\"agents\": {{}},\n\"x\": {}1{}}}\n",
            "{\"a\":".repeat(n - 1),
            "}".repeat(n - 1)
        )
    };
    std::fs::write(tmp.path().join("ok.openclaw.json"), nested(512)).unwrap();
    std::fs::write(tmp.path().join("deep.openclaw.json"), nested(513)).unwrap();
    let v = json(&run(&["check", "--format", "json", "."], tmp.path(), &[]));
    let f: Vec<_> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "OC001")
        .collect();
    assert_eq!(f.len(), 1, "{v}");
    assert_eq!(f[0]["path"], "deep.openclaw.json");
    assert_eq!(f[0]["line"], 2);
    let m = f[0]["message"].as_str().unwrap();
    assert!(m.contains("deep.openclaw.json") && m.contains("512"), "{m}");
}

#[test]
fn an_oversized_config_is_an_error_not_a_pass() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::write(
        d.join("clawcheck.toml"),
        "[limits]\nmax_config_bytes = 4096\n",
    )
    .unwrap();
    let mut big = String::from("{\"agents\": {");
    for i in 0..200 {
        big.push_str(&format!("\"a{i}\": {{\"runtime\": \"thread\"}},"));
    }
    big.push_str("}}\n");
    std::fs::write(d.join("openclaw.json"), &big).unwrap();
    std::fs::write(d.join("wrapped.json"), format!("{{\"openclaw\": {big}}}")).unwrap();
    std::fs::write(d.join("data.json"), format!("[{big}]")).unwrap();
    let o = run(&["check", "--format", "json", "."], d, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", all_output(&o));
    let v = json(&o);
    let f: Vec<&Value> = v["findings"].as_array().unwrap().iter().collect();
    let paths: Vec<&str> = f.iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["openclaw.json", "wrapped.json"], "{v}");
    for f in f {
        assert_eq!(f["rule"], "OC002");
        assert_eq!(f["severity"], "error");
        let m = f["message"].as_str().unwrap();
        assert!(
            m.contains(f["path"].as_str().unwrap())
                && m.contains("4096")
                && m.contains("max_config_bytes"),
            "{m}"
        );
    }
    // the default limit (16 MiB) applies without any settings
    std::fs::remove_file(d.join("clawcheck.toml")).unwrap();
    let huge = format!("{{\"x\": \"{}\"}}", "a".repeat(17 * 1024 * 1024));
    std::fs::write(d.join("openclaw.json"), huge).unwrap();
    let v = json(&run(
        &["check", "--format", "json", "openclaw.json"],
        d,
        &[],
    ));
    assert_eq!(rules_of(&v), ["OC002"], "{v}");
    assert!(v["findings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("16777216"));
}

// The second probe (2026-12-07): fail-open and unbounded cases that the first
// round of fixes did not cover.

/// A repeated top-level key: OpenClaw's JSON5 keeps the last value, so the
/// classifier judges the last one (`"gateway": null` first hid the config).
#[test]
fn a_repeated_top_level_key_is_judged_by_its_last_value() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::write(
        d.join("prod.json"),
        "{\n  \"gateway\": null,\n  \"agents\": {},\n  \"gateway\": {\"mode\": \"local\", \"bind\": \"lan\", \"auth\": {\"mode\": \"none\"}}\n}\n",
    )
    .unwrap();
    let v = json(&run(&["check", "--format", "json", "."], d, &[]));
    let rules = rules_of(&v);
    assert!(rules.contains(&"OC230".to_string()), "{v}");
}

/// A config in UTF-16 or UTF-32 (OpenClaw rejects it) is OC001 by content,
/// named on the command line or found in a directory.
#[test]
fn a_config_in_utf16_or_utf32_is_oc001() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let text =
        "{ gateway: { mode: \"local\", bind: \"lan\", auth: { mode: \"none\" } }, agents: {} }\n";
    let le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    let wide: Vec<u8> = [0xFF, 0xFE, 0, 0]
        .into_iter()
        .chain(text.chars().flat_map(|c| (c as u32).to_le_bytes()))
        .collect();
    std::fs::write(d.join("prod.json"), le).unwrap();
    std::fs::write(d.join("stage.json5"), be).unwrap();
    std::fs::write(d.join("dev.json"), wide).unwrap();
    // not a config in UTF-16: stays quiet
    let data: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "{\"name\": \"x\"}"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    std::fs::write(d.join("data.json"), data).unwrap();
    let o = run(&["check", "--format", "json", "."], d, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", all_output(&o));
    let f = findings(&json(&o));
    let expect: Vec<(String, String, u64, u64)> = ["dev.json", "prod.json", "stage.json5"]
        .iter()
        .map(|p| ("OC001".to_string(), p.to_string(), 1, 1))
        .collect();
    assert_eq!(f, expect);
    let o = run(&["check", "prod.json"], d, &[]);
    assert!(all_output(&o).contains("UTF-16LE"), "{}", all_output(&o));
}

/// A UTF-8 byte order mark does not hide a Compose or Kubernetes file, and
/// a `.env` with CR line ends is read line by line (dotenv does).
#[test]
fn byte_order_marks_and_cr_line_ends_in_deployment_files() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::create_dir(d.join("c")).unwrap();
    std::fs::write(
        d.join("c/docker-compose.yml"),
        "\u{feff}services:\n  gateway:\n    image: ghcr.io/openclaw/openclaw\n    privileged: true\n",
    )
    .unwrap();
    std::fs::create_dir(d.join("k")).unwrap();
    std::fs::write(
        d.join("k/pod.yaml"),
        "\u{feff}apiVersion: v1\nkind: Pod\nmetadata:\n  name: oc\nspec:\n  hostNetwork: true\n  containers:\n    - name: gateway\n      image: ghcr.io/openclaw/openclaw:2026.9\n",
    )
    .unwrap();
    std::fs::create_dir(d.join("e")).unwrap();
    std::fs::write(
        d.join("e/.env"),
        "FOO=bar\rOPENCLAW_GATEWAY_TOKEN=abc123def456\r",
    )
    .unwrap();
    let v = json(&run(&["check", "--format", "json", "."], d, &[]));
    let f = findings(&v);
    let has = |rule: &str, path: &str, line: u64, col: u64| {
        f.contains(&(rule.to_string(), path.to_string(), line, col))
    };
    assert!(has("OC505", "c/docker-compose.yml", 4, 5), "{v}");
    assert!(has("OC506", "k/pod.yaml", 6, 3), "{v}");
    assert!(has("OC503", "e/.env", 2, 1), "{v}");
    assert!(!rules_of(&v).contains(&"OC001".to_string()), "{v}");
}

/// YAML aliases to long strings, or aliased long keys nested deep, are an
/// alias bomb in bytes: OC001, in bounded time and memory.
#[test]
fn yaml_aliases_that_expand_in_bytes_are_oc001() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let long = "x".repeat(1_000_000);
    std::fs::create_dir(d.join("a")).unwrap();
    std::fs::write(
        d.join("a/docker-compose.yml"),
        format!(
            "x-big: &b \"{long}\"\nservices:\n  web:\n    image: openclaw\n    command: [{}]\n",
            vec!["*b"; 1000].join(",")
        ),
    )
    .unwrap();
    std::fs::create_dir(d.join("b")).unwrap();
    std::fs::write(
        d.join("b/docker-compose.yml"),
        format!(
            "x-k: &k \"{long}\"\nservices:\n  web:\n    image: openclaw\n    labels: {}1{}\n",
            "{*k : ".repeat(40),
            "}".repeat(40)
        ),
    )
    .unwrap();
    let start = std::time::Instant::now();
    let v = json(&run(&["check", "--format", "json", "."], d, &[]));
    let f = findings(&v);
    for p in ["a/docker-compose.yml", "b/docker-compose.yml"] {
        assert!(f.iter().any(|x| x.0 == "OC001" && x.1 == p), "{p}: {v}");
    }
    assert!(
        v.to_string().contains("alias bomb"),
        "the message says why: {v}"
    );
    assert!(start.elapsed() < std::time::Duration::from_secs(60));
}

/// Long keys nested deep in a JSON config: the span map would grow with
/// depth times size; past the budget the config is OC001.
#[test]
fn long_keys_nested_deep_are_oc001() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let k = format!("\"{}\"", "k".repeat(4000));
    std::fs::write(
        d.join("openclaw.json"),
        format!(
            "{{\"gateway\":{{\"bind\":\"lan\"}},\"agents\":{}1{}}}",
            format!("{{{k}:").repeat(500),
            "}".repeat(500)
        ),
    )
    .unwrap();
    let v = json(&run(&["check", "--format", "json", "."], d, &[]));
    assert_eq!(rules_of(&v), ["OC001"], "{v}");
    assert!(v["findings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("JSON Pointers"));
}

/// A user policy whose rule heads are indented still runs; a `deny` that is
/// not a set, or a `--policy` directory without a policy, is a tool error.
#[test]
fn user_policies_never_fail_open() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::write(
        d.join("openclaw.json"),
        "{\"gateway\": {\"mode\": \"local\", \"bind\": \"loopback\"}}\n",
    )
    .unwrap();
    std::fs::create_dir(d.join("indented")).unwrap();
    std::fs::write(
        d.join("indented/p.rego"),
        "package acme.custom\nimport rego.v1\n  deny contains {\"rule\": \"OC900\", \"pointer\": \"\", \"message\": \"always\"} if { true }\n",
    )
    .unwrap();
    let v = json(&run(
        &[
            "check",
            "--format",
            "json",
            "--policy",
            "indented",
            "openclaw.json",
        ],
        d,
        &[],
    ));
    assert!(rules_of(&v).contains(&"OC900".to_string()), "{v}");
    for (name, deny) in [
        (
            "object",
            "deny := {\"rule\": \"OC900\", \"pointer\": \"\", \"message\": \"m\"}",
        ),
        ("string", "deny := \"OC900\""),
        ("number", "deny := 0"),
    ] {
        std::fs::create_dir(d.join(name)).unwrap();
        std::fs::write(
            d.join(name).join("p.rego"),
            format!("package acme.{name}\nimport rego.v1\n{deny}\n"),
        )
        .unwrap();
        let o = run(&["check", "--policy", name, "openclaw.json"], d, &[]);
        assert_eq!(o.status.code(), Some(2), "{name}: {}", all_output(&o));
        assert!(all_output(&o).contains("not a set"), "{}", all_output(&o));
    }
    std::fs::create_dir(d.join("empty")).unwrap();
    std::fs::write(d.join("empty/p.REGO"), "package x\n").unwrap();
    let o = run(&["check", "--policy", "empty", "openclaw.json"], d, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", all_output(&o));
    assert!(
        all_output(&o).contains("no `.rego` policy file"),
        "{}",
        all_output(&o)
    );
}

/// A directory the walk cannot read may hold configs: OC002 names it, and
/// the run fails (it passed clean before). Run as an unprivileged user: as
/// root through `setpriv` (util-linux), which every Linux CI image has.
#[cfg(unix)]
#[test]
fn an_unreadable_directory_is_oc002_not_a_silent_pass() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o755)).unwrap();
    let bin = d.join("clawcheck");
    std::fs::copy(env!("CARGO_BIN_EXE_clawcheck"), &bin).unwrap();
    std::fs::create_dir_all(d.join("tree/locked")).unwrap();
    std::fs::write(
        d.join("tree/locked/openclaw.json"),
        "{\"gateway\": {\"bind\": \"lan\", \"auth\": {\"mode\": \"none\"}}}\n",
    )
    .unwrap();
    std::fs::set_permissions(
        d.join("tree/locked"),
        std::fs::Permissions::from_mode(0o000),
    )
    .unwrap();
    let root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    let mut cmd = if root {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&bin);
        c
    } else {
        std::process::Command::new(&bin)
    };
    let o = cmd
        .args(["check", "--format", "json", "tree"])
        .current_dir(d)
        .env("NO_COLOR", "1")
        .output()
        .expect("run clawcheck (as root: through setpriv, from util-linux)");
    std::fs::set_permissions(
        d.join("tree/locked"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", all_output(&o));
    let v = json(&o);
    assert_eq!(
        findings(&v),
        [("OC002".to_string(), "tree/locked".to_string(), 1, 1)],
        "{v}"
    );
    assert!(v["findings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("Permission denied"));
}

/// The nearest `clawcheck.toml` decides: a directory, a FIFO or a symlink
/// of that name is an error (exit 2), never passed over for one further up
/// nor followed out of the tree.
#[cfg(unix)]
#[test]
fn a_settings_file_that_is_not_a_regular_file_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::write(d.join("clawcheck.toml"), "[limits]\n").unwrap();
    let sub = d.join("repo");
    std::fs::create_dir(&sub).unwrap();
    std::fs::write(
        sub.join("openclaw.json"),
        "{\"gateway\": {\"mode\": \"local\", \"bind\": \"loopback\"}}\n",
    )
    .unwrap();
    type Make<'a> = &'a dyn Fn(&Path);
    let cases: [(&str, Make); 3] = [
        ("a directory", &|p| std::fs::create_dir(p).unwrap()),
        ("a FIFO", &|p| {
            let c = std::ffi::CString::new(p.to_str().unwrap()).unwrap();
            assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        }),
        ("a symlink", &|p| {
            std::os::unix::fs::symlink("/etc/passwd", p).unwrap()
        }),
    ];
    for (what, make) in cases {
        let p = sub.join("clawcheck.toml");
        make(&p);
        let start = std::time::Instant::now();
        let o = run(&["check", "."], &sub, &[]);
        assert_eq!(o.status.code(), Some(2), "{what}: {}", all_output(&o));
        assert!(
            all_output(&o).contains("settings file is"),
            "{what}: {}",
            all_output(&o)
        );
        assert!(
            !all_output(&o).contains("root:"),
            "{what}: {}",
            all_output(&o)
        );
        assert!(start.elapsed() < std::time::Duration::from_secs(30));
        if p.is_dir() {
            std::fs::remove_dir(&p).unwrap();
        } else {
            std::fs::remove_file(&p).unwrap();
        }
    }
    // gone: the parent's settings apply again (a check that runs)
    let o = run(&["check", "."], &sub, &[]);
    assert!(
        o.status.code().is_some_and(|c| c <= 1),
        "{}",
        all_output(&o)
    );
}

/// U+FEFF inside a JSON5 file is whitespace (JSON5's `WhiteSpace`; OpenClaw
/// reads it so), not OC001; inside a string it stays a character.
#[test]
fn a_zero_width_no_break_space_is_whitespace() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::write(
        d.join("openclaw.json5"),
        "{\n  gateway: {\u{feff} mode: \"local\", bind: \"lan\" },\n  ui: { assistant: { name: \"a\u{feff}b\" } },\n}\n",
    )
    .unwrap();
    let v = json(&run(&["check", "--format", "json", "."], d, &[]));
    let f = findings(&v);
    assert!(!rules_of(&v).contains(&"OC001".to_string()), "{v}");
    assert!(
        f.contains(&("OC230".to_string(), "openclaw.json5".to_string(), 2, 3)),
        "{v}"
    );
}
