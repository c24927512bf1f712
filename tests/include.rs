//! OpenClaw's `$include`: the merged config is judged (OpenClaw's deep merge:
//! siblings over included content, arrays concatenated), each finding sits in
//! the file that wrote the value, and an include that OpenClaw cannot resolve
//! (missing, cyclic, outside the config's directory, unparsable) is OC105 at
//! its `$include`.

mod common;
use clawcheck::engine::Report;
use std::path::Path;

const OPEN_GATEWAY: &str =
    "// a fragment\n{\n  gateway: {\n    bind: \"lan\",\n    auth: { mode: \"none\" },\n  },\n}\n";

fn write(dir: &Path, name: &str, text: &str) {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// (rule, file name, line, column) of every finding.
fn found(r: &Report) -> Vec<(String, String, usize, usize)> {
    r.findings
        .iter()
        .map(|f| {
            let name = Path::new(&f.path)
                .strip_prefix(std::env::temp_dir())
                .map(|p| p.components().skip(1).collect::<std::path::PathBuf>())
                .unwrap_or_else(|_| Path::new(&f.path).to_path_buf());
            (
                f.rule.clone(),
                name.to_string_lossy().into_owned(),
                f.start.line,
                f.start.column,
            )
        })
        .collect()
}

fn has(r: &Report, rule: &str, file: &str, line: usize, col: usize) -> bool {
    found(r)
        .iter()
        .any(|(id, f, l, c)| id == rule && f == file && *l == line && *c == col)
}

#[test]
fn a_finding_in_an_included_file_is_located_there() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "conf/gw.json5", OPEN_GATEWAY);
    write(
        dir.path(),
        "conf/openclaw.json",
        "{\n  \"$include\": \"./gw.json5\",\n  agents: { defaults: { timeoutSeconds: 60 } },\n}\n",
    );
    let r = common::check_file(&dir.path().join("conf/openclaw.json"));
    // OC230 (exposed without auth) at `auth.mode` in the fragment, line 5 col 13.
    assert!(has(&r, "OC230", "conf/gw.json5", 5, 13), "{:?}", found(&r));
    let f = r.findings.iter().find(|f| f.rule == "OC230").unwrap();
    assert_eq!(f.pointer.as_deref(), Some("/gateway/auth/mode"));
    assert!(f.snippet.as_deref().unwrap().contains("mode: \"none\""));
    // `$include` itself is not an unknown key once it is followed.
    assert!(
        !found(&r).iter().any(|x| x.0 == "OC102" || x.0 == "OC105"),
        "{:?}",
        found(&r)
    );
    assert_eq!(r.configs.len(), 1);
}

#[test]
fn siblings_override_included_values_and_arrays_concatenate() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "gw.json5", OPEN_GATEWAY);
    write(
        dir.path(),
        "auth.json5",
        "{ gateway: { auth: { mode: \"token\", token: \"${OPENCLAW_GATEWAY_TOKEN}\" } } }",
    );
    // Included in order: the later file's auth wins over the first's.
    write(
        dir.path(),
        "openclaw.json",
        "{ \"$include\": [\"./gw.json5\", \"./auth.json5\"] }",
    );
    let r = common::check_file(&dir.path().join("openclaw.json"));
    assert!(!found(&r).iter().any(|x| x.0 == "OC230"), "{:?}", found(&r));
    // A sibling key overrides the included one.
    write(
        dir.path(),
        "openclaw.json",
        "{ \"$include\": \"./gw.json5\",\n  gateway: { auth: { mode: \"token\", token: \"${OPENCLAW_GATEWAY_TOKEN}\" } } }",
    );
    let r = common::check_file(&dir.path().join("openclaw.json"));
    assert!(!found(&r).iter().any(|x| x.0 == "OC230"), "{:?}", found(&r));
    // The other way round, the fragment's `none` wins: included files are
    // merged in order, the later one over the earlier.
    write(
        dir.path(),
        "openclaw.json",
        "{ \"$include\": [\"./auth.json5\", \"./gw.json5\"] }",
    );
    let r = common::check_file(&dir.path().join("openclaw.json"));
    assert!(has(&r, "OC230", "gw.json5", 5, 13), "{:?}", found(&r));
    // Arrays concatenate: the wildcard from the fragment reaches the merged
    // allowlist, and is reported where it was written.
    write(
        dir.path(),
        "allow.json5",
        "{\n  channels: { telegram: { dmPolicy: \"allowlist\", allowFrom: [\"*\"] } },\n}\n",
    );
    write(
        dir.path(),
        "openclaw.json",
        "{\n  \"$include\": \"./allow.json5\",\n  channels: { telegram: { allowFrom: [\"tg:123\"] } },\n}\n",
    );
    let r = common::check_file(&dir.path().join("openclaw.json"));
    assert!(
        found(&r)
            .iter()
            .any(|x| x.0 == "OC257" && x.1 == "allow.json5" && x.2 == 2),
        "{:?}",
        found(&r)
    );
}

#[test]
fn nested_includes_resolve_relative_to_the_including_file() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "parts/gateway/open.json5", OPEN_GATEWAY);
    // parts/all.json5 names its include relative to parts/, and includes it
    // at the top level of its own content.
    write(
        dir.path(),
        "parts/all.json5",
        "{ \"$include\": \"./gateway/open.json5\" }",
    );
    write(
        dir.path(),
        "openclaw.json",
        "{ \"$include\": \"./parts/all.json5\" }",
    );
    let r = common::check_file(&dir.path().join("openclaw.json"));
    assert!(
        has(&r, "OC230", "parts/gateway/open.json5", 5, 13),
        "{:?}",
        found(&r)
    );
    // An include inside an object: the file's content is that object.
    write(dir.path(), "auth.json5", "{ mode: \"none\" }");
    write(
        dir.path(),
        "openclaw.json",
        "{ gateway: { bind: \"lan\", auth: { \"$include\": \"./auth.json5\" } } }",
    );
    let r = common::check_file(&dir.path().join("openclaw.json"));
    assert!(found(&r).iter().any(|x| x.0 == "OC230"), "{:?}", found(&r));
}

#[test]
fn a_missing_include_is_a_finding_at_the_include() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "openclaw.json",
        "{\n  gateway: { bind: \"loopback\" },\n  \"$include\": [\"./missing.json5\"],\n}\n",
    );
    let r = common::check_file(&dir.path().join("openclaw.json"));
    assert!(has(&r, "OC105", "openclaw.json", 3, 16), "{:?}", found(&r));
    let f = r.findings.iter().find(|f| f.rule == "OC105").unwrap();
    assert!(f.message.contains("missing.json5"), "{}", f.message);
    assert!(
        f.message.contains("Failed to read include file"),
        "{}",
        f.message
    );
}

#[test]
fn a_cycle_is_a_finding_naming_the_chain() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.json5",
        "{ \"$include\": \"./b.json5\", gateway: { mode: \"local\" } }",
    );
    write(
        dir.path(),
        "b.json5",
        "{\n  \"$include\": \"./a.json5\",\n}\n",
    );
    write(
        dir.path(),
        "openclaw.json",
        "{ gateway: { \"$include\": \"./a.json5\" } }",
    );
    let r = common::check_file(&dir.path().join("openclaw.json"));
    // The include that closes the cycle, in b.json5, line 2 col 3.
    assert!(has(&r, "OC105", "b.json5", 2, 3), "{:?}", found(&r));
    let f = r.findings.iter().find(|f| f.rule == "OC105").unwrap();
    assert!(
        f.message.contains("a.json5 -> ") && f.message.contains("b.json5 -> "),
        "{}",
        f.message
    );
    // A file including itself.
    write(
        dir.path(),
        "openclaw.json",
        "{ \"$include\": \"./openclaw.json\" }",
    );
    let r = common::check_file(&dir.path().join("openclaw.json"));
    assert!(has(&r, "OC105", "openclaw.json", 1, 3), "{:?}", found(&r));
}

#[test]
fn includes_outside_the_config_directory_are_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "outside.json5", OPEN_GATEWAY);
    write(
        dir.path(),
        "conf/openclaw.json",
        "{ \"$include\": \"../outside.json5\" }",
    );
    let r = common::check_file(&dir.path().join("conf/openclaw.json"));
    assert!(
        has(&r, "OC105", "conf/openclaw.json", 1, 3),
        "{:?}",
        found(&r)
    );
    assert!(!found(&r).iter().any(|x| x.0 == "OC230"), "{:?}", found(&r));
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(
            dir.path().join("outside.json5"),
            dir.path().join("conf/link.json5"),
        )
        .unwrap();
        write(
            dir.path(),
            "conf/openclaw.json",
            "{ \"$include\": \"./link.json5\" }",
        );
        let r = common::check_file(&dir.path().join("conf/openclaw.json"));
        let f = r
            .findings
            .iter()
            .find(|f| f.rule == "OC105")
            .expect("OC105");
        assert!(f.message.contains("symlink"), "{}", f.message);
        assert!(!found(&r).iter().any(|x| x.0 == "OC230"), "{:?}", found(&r));
    }
}

#[test]
fn an_unparsable_include_is_located_in_that_file() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad.json5", "{\n  gateway: { bind: \"lan\" \n");
    write(
        dir.path(),
        "openclaw.json",
        "{ \"$include\": \"./bad.json5\" }",
    );
    let r = common::check_file(&dir.path().join("openclaw.json"));
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == "OC105")
        .expect("OC105");
    assert!(f.path.ends_with("bad.json5"), "{}", f.path);
    assert!(f.message.contains("cannot parse"), "{}", f.message);
}

#[test]
fn deep_chains_stop_at_openclaws_limit() {
    let dir = tempfile::tempdir().unwrap();
    // openclaw.json -> f0 -> f1 -> ... -> f11: OpenClaw allows 10 included files in a chain.
    for i in 0..12 {
        write(
            dir.path(),
            &format!("f{i}.json5"),
            &format!("{{ \"$include\": \"./f{}.json5\" }}", i + 1),
        );
    }
    write(dir.path(), "f12.json5", "{}");
    write(
        dir.path(),
        "openclaw.json",
        "{ \"$include\": \"./f0.json5\" }",
    );
    let r = common::check_file(&dir.path().join("openclaw.json"));
    let oc105: Vec<_> = found(&r).into_iter().filter(|x| x.0 == "OC105").collect();
    assert_eq!(oc105.len(), 1, "{oc105:?}");
    // f9 is the tenth included file: its include of f10 is the eleventh.
    assert_eq!(oc105[0].1, "f9.json5", "{oc105:?}");
}

#[test]
fn many_repeated_includes_are_bounded() {
    let dir = tempfile::tempdir().unwrap();
    // Each level includes the next one 8 times: 8^5 loads without a bound.
    for i in 0..5 {
        let list: Vec<String> = (0..8).map(|_| format!("\"./l{}.json5\"", i + 1)).collect();
        write(
            dir.path(),
            &format!("l{i}.json5"),
            &format!("{{ \"$include\": [{}] }}", list.join(", ")),
        );
    }
    write(
        dir.path(),
        "l5.json5",
        "{ tools: { elevated: { allowFrom: { telegram: [\"1\"] } } } }",
    );
    write(
        dir.path(),
        "openclaw.json",
        "{ \"$include\": \"./l0.json5\" }",
    );
    let r = common::check_file(&dir.path().join("openclaw.json"));
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == "OC105")
        .expect("the bound is reported");
    assert!(f.message.contains("not fully checked"), "{}", f.message);
}
