//! The module graph of `src/` has no cycle, and the rule registry is a leaf:
//! it imports nothing of the pipeline (only the finding model's severity).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The module a source file belongs to: its top-level module, except that
/// each `checks/<name>` counts as its own module.
fn module_of(rel: &str) -> Option<String> {
    let rel = rel.strip_suffix(".rs")?;
    let parts: Vec<&str> = rel.split('/').collect();
    let m = match parts.as_slice() {
        ["main"] | ["lib"] => return None,
        ["checks", "mod"] => "checks".to_string(),
        ["checks", sub, ..] => format!("checks/{sub}"),
        [top, ..] => top.to_string(),
        [] => return None,
    };
    Some(m)
}

fn strip_comments_and_tests(src: &str) -> String {
    let code = src.split("#[cfg(test)]\nmod tests").next().unwrap_or(src);
    code.lines()
        .map(|l| match l.find("//") {
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let re = regex::Regex::new(r"crate::(\w+)(?:::(\w+))?").unwrap();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![src.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let rel = p
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let Some(from) = module_of(&rel) else {
                continue;
            };
            let text = strip_comments_and_tests(&std::fs::read_to_string(&p).unwrap());
            let node = edges.entry(from.clone()).or_default();
            for c in re.captures_iter(&text) {
                let mut to = c[1].to_string();
                if to == "checks" {
                    if let Some(sub) = c.get(2) {
                        to = format!("checks/{}", sub.as_str());
                    }
                }
                if to != from {
                    node.insert(to);
                }
            }
        }
    }
    edges
}

#[test]
fn src_modules_form_no_import_cycle() {
    let g = graph();
    assert!(g.len() > 10, "the walk found the modules: {g:?}");
    // Depth-first search with colours: grey = on the current path.
    fn visit(
        n: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match state.get(n) {
            Some(2) => return None,
            Some(1) => {
                let at = path.iter().position(|p| p == n).unwrap();
                let mut cycle = path[at..].to_vec();
                cycle.push(n.to_string());
                return Some(cycle);
            }
            _ => {}
        }
        state.insert(n.to_string(), 1);
        path.push(n.to_string());
        for m in g.get(n).into_iter().flatten() {
            if let Some(c) = visit(m, g, state, path) {
                return Some(c);
            }
        }
        path.pop();
        state.insert(n.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in g.keys() {
        if let Some(cycle) = visit(n, &g, &mut state, &mut Vec::new()) {
            panic!("import cycle: {}", cycle.join(" -> "));
        }
    }
}

#[test]
fn the_rule_registry_is_a_leaf() {
    let g = graph();
    let deps = g.get("rules").cloned().unwrap_or_default();
    let allowed: BTreeSet<String> = ["finding".to_string()].into_iter().collect();
    assert!(
        deps.is_subset(&allowed),
        "src/rules imports {deps:?}: the registry may import only the finding model"
    );
}

#[test]
fn the_printers_depend_on_the_report_model_not_the_orchestrator() {
    let g = graph();
    let deps = g.get("report").cloned().unwrap_or_default();
    assert!(
        !deps.is_empty(),
        "the walk found the printers' imports: {g:?}"
    );
    assert!(
        !deps.contains("engine"),
        "src/report imports the pipeline (crate::engine): {deps:?}; the printers read \
         the report model (crate::report::model)"
    );
}
