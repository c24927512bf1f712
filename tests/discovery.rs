//! Content-based discovery: a real OpenClaw config is judged whatever its
//! name, and the JSON files around it (package manifests, tsconfig, schemas)
//! are not.

mod common;
use common::{clawcheck, stdout};

#[test]
fn a_config_named_anything_is_judged_by_content() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::create_dir_all(p.join("deploy")).unwrap();
    std::fs::write(
        p.join("deploy/prod.json5"),
        "// production\n{\n  gateway: {\n    bind: \"lan\",\n    auth: { mode: \"none\" },\n  },\n  agents: { defaults: { timeoutSeconds: 60 } },\n}\n",
    )
    .unwrap();
    std::fs::write(
        p.join("openclaw.prod.json"),
        "{\"gateway\": {\"bind\": \"lan\", \"auth\": {\"mode\": \"none\"}}, \"channels\": {}}",
    )
    .unwrap();
    // Not configs: a package manifest (an OpenClaw plugin's, with an
    // `openclaw` section), a tsconfig, a JSON Schema of the config.
    std::fs::write(
        p.join("package.json"),
        "{\"name\": \"@openclaw/x\", \"version\": \"1.0.0\", \"openclaw\": {\"extensions\": [\"./index.js\"]}, \"dependencies\": {}}",
    )
    .unwrap();
    std::fs::write(
        p.join("tsconfig.json"),
        "{\"compilerOptions\": {\"strict\": true}}",
    )
    .unwrap();
    std::fs::write(
        p.join("schema.json"),
        "{\"$schema\": \"x\", \"type\": \"object\", \"properties\": {\"gateway\": {}, \"agents\": {}}}",
    )
    .unwrap();
    let o = clawcheck(&["check", ".", "--format", "json"], p);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let mut configs: Vec<&str> = r["configs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["path"].as_str().unwrap())
        .collect();
    configs.sort();
    assert_eq!(configs, ["deploy/prod.json5", "openclaw.prod.json"]);
    let oc230: Vec<(String, u64)> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "OC230")
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(
        oc230.contains(&("deploy/prod.json5".to_string(), 5)),
        "{oc230:?}"
    );
    assert!(
        oc230.iter().any(|(p, _)| p == "openclaw.prod.json"),
        "{oc230:?}"
    );
}
