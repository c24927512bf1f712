//! Embeds every built-in policy (`policies/**/*.rego`) and its tests
//! (`*_test.rego`) in the binary, so that adding a rule is adding files:
//! no Rust change, no list to keep in step. Also prepares the embedded JSON
//! Schemas (fixed and split into parts, see `src/checks/schema/prepare.rs`),
//! so that a process parses and compiles only the parts a config uses.

use std::path::{Path, PathBuf};

#[path = "src/checks/schema/prepare.rs"]
mod prepare;

/// The schemas of `src/checks/schema.rs`: (constant, file under `schemas/`).
const SCHEMAS: &[(&str, &str)] = &[
    ("POLICY_PROFILE_PARTS", "policy-profile.schema.json"),
    ("OPENCLAW_2026_2_PARTS", "openclaw/schema-2026.2.26.json"),
    ("OPENCLAW_2026_9_PARTS", "openclaw/schema-2026.9.6.json"),
];

fn schema_parts(root: &Path, out_dir: &Path) {
    let mut src = String::new();
    for (constant, file) in SCHEMAS {
        let path = root.join("schemas").join(file);
        println!("cargo:rerun-if-changed={}", path.display());
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        src.push_str(&format!(
            "/// `schemas/{file}` in parts: (JSON pointer, part), sorted by pointer.\n\
             pub const {constant}: &[(&str, &str)] = &[\n"
        ));
        for (pointer, part) in prepare::prepare(file, &text) {
            src.push_str(&format!("    ({pointer:?}, {part:?}),\n"));
        }
        src.push_str("];\n");
    }
    std::fs::write(out_dir.join("schema_parts.rs"), src).unwrap();
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("readable policies/ entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|e| e == "rego" || e == "toml") {
            out.push(p);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    println!("cargo:rerun-if-changed=src/checks/schema/prepare.rs");
    schema_parts(&root, &PathBuf::from(std::env::var("OUT_DIR").unwrap()));
    let policies = root.join("policies");
    println!("cargo:rerun-if-changed=policies");
    let mut files = Vec::new();
    collect(&policies, &mut files);
    let mut dirs = vec![policies.clone()];
    for f in &files {
        let d = f.parent().unwrap().to_path_buf();
        if !dirs.contains(&d) {
            dirs.push(d);
        }
    }
    for d in dirs {
        println!("cargo:rerun-if-changed={}", d.display());
    }
    let (mut policies_src, mut tests_src, mut meta_src) =
        (String::new(), String::new(), String::new());
    for f in &files {
        let rel = f
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let entry = format!(
            "    ({rel:?}, include_str!({:?})),\n",
            f.display().to_string()
        );
        if rel.ends_with(".toml") {
            meta_src.push_str(&entry);
        } else if rel.ends_with("_test.rego") {
            tests_src.push_str(&entry);
        } else {
            policies_src.push_str(&entry);
        }
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("builtin_policies.rs");
    std::fs::write(
        out,
        format!(
            "/// The built-in policies: (path shown in errors, source), sorted by path.\n\
             pub const BUILTIN: &[(&str, &str)] = &[\n{policies_src}];\n\
             /// The built-in policies' tests (`*_test.rego`), sorted by path.\n\
             pub const BUILTIN_TESTS: &[(&str, &str)] = &[\n{tests_src}];\n"
        ),
    )
    .unwrap();
    let meta = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("builtin_rule_metadata.rs");
    std::fs::write(
        meta,
        format!(
            "/// Metadata of the policy rules (`policies/<area>/OCxxx.toml`), sorted by path.\n\
             pub const BUILTIN_RULE_METADATA: &[(&str, &str)] = &[\n{meta_src}];\n\
             /// The same metadata as registry entries, in path order (see build.rs).\n\
             pub static BUILTIN_RULES: &[Rule] = &[\n{}];\n",
            builtin_rules(&root, &files)
        ),
    )
    .unwrap();
}

/// The policy rules' metadata (`OCxxx.toml`) as `Rule` literals, so that no
/// run parses TOML to list its rules (parsing the 58 files was a tenth of a
/// one-config run's instructions). The registry's test
/// `built_in_rules_are_their_metadata` checks every literal against
/// `parse_metadata` of its file, which also validates what this trusts.
fn builtin_rules(root: &Path, files: &[PathBuf]) -> String {
    // The framework keys in the tables' order: a rule lists its mappings so.
    let tables = root.join("src/rules/frameworks.rs");
    println!("cargo:rerun-if-changed={}", tables.display());
    let tables = std::fs::read_to_string(&tables).unwrap();
    let order: Vec<&str> = tables
        .lines()
        .filter_map(|l| l.trim().strip_prefix("key: \""))
        .filter_map(|l| l.strip_suffix("\","))
        .collect();
    let mut out = String::new();
    for f in files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "toml"))
    {
        let name = f.display();
        let t: toml::Table = std::fs::read_to_string(f)
            .unwrap()
            .parse()
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let s = |t: &toml::Table, k: &str| -> String {
            match t.get(k) {
                Some(toml::Value::String(v)) => format!("{v:?}"),
                None => "\"\"".into(),
                Some(_) => panic!("{name}: `{k}` is not a string"),
            }
        };
        let list = |v: Option<&toml::Value>, k: &str| -> Vec<String> {
            match v {
                Some(toml::Value::Array(a)) => a
                    .iter()
                    .map(|x| match x.as_str() {
                        Some(x) => x.to_string(),
                        None => panic!("{name}: `{k}` holds a non-string"),
                    })
                    .collect(),
                None => Vec::new(),
                Some(_) => panic!("{name}: `{k}` is not an array"),
            }
        };
        let strs = |v: &[String]| -> String {
            let items: Vec<String> = v.iter().map(|x| format!("{x:?}")).collect();
            format!("&[{}]", items.join(", "))
        };
        let severity = match t.get("severity").and_then(|v| v.as_str()) {
            Some("error") => "Error",
            Some("warning") => "Warning",
            Some("note") => "Note",
            other => panic!("{name}: severity {other:?}"),
        };
        let dialects = list(t.get("dialects"), "dialects");
        let mut frameworks: Vec<(String, Vec<String>)> = match t.get("frameworks") {
            Some(toml::Value::Table(m)) => m
                .iter()
                .map(|(k, v)| (k.clone(), list(Some(v), k)))
                .collect(),
            None => Vec::new(),
            Some(_) => panic!("{name}: `frameworks` is not a table"),
        };
        frameworks.sort_by_key(|(k, _)| order.iter().position(|o| o == k));
        let frameworks: Vec<String> = frameworks
            .iter()
            .map(|(k, ids)| format!("({k:?}, {})", strs(ids)))
            .collect();
        let openclaw = match t.get("openclaw") {
            Some(toml::Value::Table(a)) => format!(
                "Some(Advice {{ help: {}, bad: {}, good: {} }})",
                s(a, "help"),
                s(a, "bad"),
                s(a, "good")
            ),
            None => "None".into(),
            Some(_) => panic!("{name}: `openclaw` is not a table"),
        };
        out.push_str(&format!(
            "    Rule {{ id: {}, name: {}, category: {}, severity: Severity::{severity}, \
             security_severity: {}, title: {}, description: {}, help: {}, bad: {}, good: {}, \
             controls: {}, frameworks: &[{}], real_config_only: {}, fix: {}, openclaw: {openclaw} }},\n",
            s(&t, "id"),
            s(&t, "name"),
            s(&t, "category"),
            s(&t, "security_severity"),
            s(&t, "title"),
            s(&t, "description"),
            s(&t, "help"),
            s(&t, "bad"),
            s(&t, "good"),
            strs(&list(t.get("controls"), "controls")),
            frameworks.join(", "),
            dialects == ["openclaw"],
            s(&t, "fix"),
        ));
    }
    out
}
