//! The differential harness's checkId <-> rule table
//! (`bench/openclaw-diff/checkids.tsv`) is the source of docs/openclaw.md's
//! audit table: every mapped checkId has a row there naming the same rules,
//! and every rule the table names exists.

use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn docs_audit_table_matches_the_harness_table() {
    let tsv = std::fs::read_to_string(root().join("bench/openclaw-diff/checkids.tsv")).unwrap();
    let docs = std::fs::read_to_string(root().join("docs/openclaw.md")).unwrap();
    let rows: Vec<(&str, &str)> = docs
        .lines()
        .filter(|l| l.starts_with("| `"))
        .filter_map(|l| {
            let mut cells = l.split('|').skip(1);
            Some((cells.next()?, cells.next()?))
        })
        .collect();
    let mut n = 0;
    for line in tsv
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let mut cols = line.split('\t');
        let (cid, rules) = (cols.next().unwrap(), cols.next().unwrap_or(""));
        let rules: Vec<&str> = rules
            .split_whitespace()
            .map(|r| r.split(['~', '@']).next().unwrap())
            .collect();
        for r in &rules {
            assert!(
                clawcheck::rules::get(r).is_some(),
                "{cid}: unknown rule {r}"
            );
        }
        if cid == "validate" {
            continue;
        }
        let needle = format!("`{cid}`");
        let row = rows
            .iter()
            .find(|(c, _)| c.contains(&needle))
            .unwrap_or_else(|| panic!("docs/openclaw.md has no audit-table row for {cid}"));
        for r in &rules {
            assert!(
                row.1.contains(r),
                "docs/openclaw.md maps {cid} to `{}`, the harness to {r}",
                row.1.trim()
            );
        }
        n += 1;
    }
    assert!(n > 30, "{n} checkIds mapped");
}

#[test]
fn mutation_corpus_is_generated_from_mutations_json() {
    let spec: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("bench/openclaw-diff/mutations.json")).unwrap(),
    )
    .unwrap();
    let mut per_version = std::collections::BTreeMap::new();
    for m in spec["mutations"].as_array().unwrap() {
        let name = m["name"].as_str().unwrap();
        let versions = m["versions"]
            .as_array()
            .unwrap_or_else(|| panic!("{name}: no `versions`"));
        assert!(!versions.is_empty(), "{name}: no version");
        for v in versions {
            let v = v.as_str().unwrap();
            assert!(
                root()
                    .join(format!("bench/openclaw-diff/base-{v}.json"))
                    .exists(),
                "{name}: no base for {v}"
            );
            let p = root().join(format!("bench/openclaw-diff/corpus/{v}/{name}.json"));
            assert!(p.exists(), "{}: run bench/openclaw-diff.sh", p.display());
            *per_version.entry(v.to_string()).or_insert(0) += 1;
        }
    }
    // Both versions the peer runs have a corpus of their own.
    assert!(per_version["2026.9"] > 50, "{per_version:?}");
    assert!(per_version["2026.2"] > 30, "{per_version:?}");
}

/// `*` (any run of characters) glob, as the harness's `fnmatch` uses it.
fn glob(pat: &str, s: &str) -> bool {
    match pat.split_once('*') {
        None => pat == s,
        Some((head, rest)) => {
            s.starts_with(head)
                && (head.len()..=s.len()).any(|i| s.is_char_boundary(i) && glob(rest, &s[i..]))
        }
    }
}

#[test]
fn every_explained_divergence_has_a_row_in_the_docs() {
    let tsv = std::fs::read_to_string(root().join("bench/openclaw-diff/explained.tsv")).unwrap();
    let docs = std::fs::read_to_string(root().join("docs/openclaw.md")).unwrap();
    let section = docs
        .split("## Differential harness")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("docs/openclaw.md has a Differential harness section");
    let spec: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("bench/openclaw-diff/mutations.json")).unwrap(),
    )
    .unwrap();
    let names: Vec<&str> = spec["mutations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap())
        .collect();
    let mut n = 0;
    for line in tsv
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 5, "explained.tsv: {line}");
        let (version, mutation, cid, kind, why) = (cols[0], cols[1], cols[2], cols[3], cols[4]);
        assert!(["*", "2026.9", "2026.2"].contains(&version), "{line}");
        assert!(["ours", "peer", "sev"].contains(&kind), "{line}");
        assert!(!why.trim().is_empty(), "{line}: no reason");
        assert!(
            names.iter().any(|m| glob(mutation, m)),
            "explained.tsv: `{mutation}` matches no mutation of mutations.json"
        );
        let needle = format!("`{cid}`");
        assert!(
            section
                .lines()
                .any(|l| l.starts_with("| ") && l.contains(&needle)),
            "docs/openclaw.md's divergence table has no row for {cid} (explained.tsv: {mutation})"
        );
        n += 1;
    }
    assert!(n > 10, "{n} explained divergences");
}

#[test]
fn glob_matches_like_fnmatch() {
    assert!(glob("hooks-*", "hooks-ok"));
    assert!(glob(
        "channel-*-wildcard*",
        "channel-dm-allowlist-wildcard-implicit"
    ));
    assert!(glob("a", "a"));
    assert!(!glob("hooks-*", "gateway-funnel"));
    assert!(!glob("a*b", "ac"));
}
