//! SARIF 2.1.0 for GitHub code scanning.
//!
//! Built as `serde_json` values in a fixed key order rather than with
//! `serde-sarif`: clawcheck emits a small, fixed subset of SARIF, and a direct
//! mapping keeps the bytes stable across versions of a third-party model. CI
//! validates every emitted file against the OASIS schema and GitHub's upload
//! rules (`../shared/tools/check-sarif`).

use crate::finding::{Finding, Severity};
use crate::report::model::Report;
use crate::rules::Rule;
use serde_json::{json, Value};
use std::collections::BTreeMap;

pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

fn rule_json(r: &Rule) -> Value {
    let bad = crate::checks::secrets::printable_bad(r);
    let mut help_text = format!("{}\n\nBad:\n{}\n\nGood:\n{}", r.help, bad, r.good);
    let mut help_md = format!(
        "{}\n\n**Bad**\n\n```json\n{}\n```\n\n**Good**\n\n```json\n{}\n```",
        r.help, bad, r.good
    );
    // One rule entry serves both dialects: the real-config advice follows.
    if let Some(a) = &r.openclaw {
        help_text = format!(
            "Policy profile: {help_text}\n\nReal OpenClaw config: {}\n\nBad:\n{}\n\nGood:\n{}",
            a.help, a.bad, a.good
        );
        help_md = format!(
            "**Policy profile.** {help_md}\n\n**Real OpenClaw config (`openclaw.json`).** {}\n\n**Bad**\n\n```json5\n{}\n```\n\n**Good**\n\n```json5\n{}\n```",
            a.help, a.bad, a.good
        );
    }
    let help_md = format!("{help_md}\n\n`clawcheck explain {}`", r.id);
    // GitHub filters alerts by tag: one per framework entry, e.g.
    // `nist-800-53/ac-12`, and CWE the way GitHub shows it
    // (`external/cwe/cwe-306`). The same entries are the rule's taxonomy
    // relationships.
    let mut tags = vec![json!("security"), json!(r.category)];
    let mut relationships = Vec::new();
    for (f, id) in r.mappings() {
        tags.push(json!(match id.strip_prefix("CWE-") {
            Some(n) => format!("external/cwe/cwe-{n}"),
            None => format!("{}/{id}", f.key),
        }));
        let (ti, ei) = taxon_index(f.key, id);
        relationships.push(json!({
            "target": {"id": id, "index": ei, "toolComponent": {"name": f.key, "index": ti}},
            "kinds": ["relevant"],
        }));
    }
    json!({
        "id": r.id,
        "name": r.name,
        "shortDescription": {"text": r.title},
        "fullDescription": {"text": r.description},
        "help": {"text": help_text, "markdown": help_md},
        "defaultConfiguration": {"level": level(r.severity)},
        "relationships": relationships,
        "properties": {
            "tags": tags,
            "precision": "high",
            "problem.severity": match r.severity { Severity::Error => "error", Severity::Warning => "warning", Severity::Note => "recommendation" },
            "security-severity": r.security_severity,
        }
    })
}

/// `(taxonomy index, taxon index)` of a framework entry in `runs[].taxonomies`,
/// which lists every framework table in full, in table order.
fn taxon_index(key: &str, id: &str) -> (usize, usize) {
    let frameworks = crate::rules::frameworks::FRAMEWORKS;
    let ti = frameworks
        .iter()
        .position(|f| f.key == key)
        .expect("mapped frameworks are in the tables (checked by the registry)");
    let ei = frameworks[ti]
        .entries
        .iter()
        .position(|(e, _)| *e == id)
        .expect("mapped entries are in the tables (checked by the registry)");
    (ti, ei)
}

/// The framework tables as SARIF taxonomies: a finding's rule relates to
/// the entries it is evidence for (`kinds: ["relevant"]`, never "equal").
fn taxonomies() -> Vec<Value> {
    crate::rules::frameworks::FRAMEWORKS
        .iter()
        .map(|f| {
            let taxa: Vec<Value> = f
                .entries
                .iter()
                .map(|(id, title)| {
                    json!({
                        "id": id,
                        "name": f.label(id),
                        "shortDescription": {"text": title},
                    })
                })
                .collect();
            json!({
                "name": f.key,
                "fullName": f.name,
                "informationUri": f.uri,
                "isComprehensive": false,
                "shortDescription": {"text": format!("{}: the entries clawcheck's rules are evidence for", f.name)},
                "taxa": taxa,
            })
        })
        .collect()
}

/// A rule clawcheck does not know (from a user policy): minimal metadata.
fn user_rule_json(id: &str) -> Value {
    json!({
        "id": id,
        "name": "user-policy",
        "shortDescription": {"text": format!("User policy rule {id}")},
        "fullDescription": {"text": format!("Rule {id} comes from a user-supplied Rego policy (--policy).")},
        "help": {"text": "See the Rego policy that defines this rule."},
        "defaultConfiguration": {"level": "warning"},
        "properties": {"tags": ["security", "user-policy"], "precision": "medium", "security-severity": "5.0"}
    })
}

/// Percent-encodes a relative path for a SARIF `uri`.
pub fn encode_uri(path: &str) -> String {
    let mut s = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

/// `(uri, uriBaseId)`: relative display paths are used as they are; paths
/// outside the working directory become absolute paths under the `ROOT` base.
fn artifact(path: &str) -> (String, Option<&'static str>) {
    let clean = !path.starts_with('/') && !path.split('/').any(|p| p == "..");
    if clean {
        return (encode_uri(path), None);
    }
    let abs = std::fs::canonicalize(path)
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_else(|_| path.replace("../", ""));
    (encode_uri(abs.trim_start_matches('/')), Some("ROOT"))
}

/// The SARIF `artifactLocation` of a path (see [`artifact`]).
fn artifact_location(path: &str) -> Value {
    let (uri, base) = artifact(path);
    let mut loc = json!({"uri": uri});
    if let Some(b) = base {
        loc["uriBaseId"] = json!(b);
    }
    loc
}

fn result_json(f: &Finding, index: usize, git: Option<&crate::report::model::GitScope>) -> Value {
    let loc = artifact_location(&f.path);
    let mut region = json!({
        "startLine": f.start.line,
        "startColumn": f.start.column,
        "endLine": f.end.line,
        "endColumn": f.end.column.max(if f.end.line == f.start.line { f.start.column } else { 1 }),
    });
    if let Some(snip) = &f.snippet {
        region["snippet"] = json!({"text": snip});
    }
    let mut props = serde_json::Map::new();
    if let Some(p) = &f.pointer {
        props.insert("jsonPointer".into(), json!(p));
    }
    if let Some(e) = &f.evidence {
        props.insert("evidence".into(), json!(e));
    }
    if let Some(o) = git.and_then(|g| g.origins.get(&f.fingerprint)) {
        props.insert("introduced".into(), json!(o));
    }
    let mut fps = serde_json::Map::new();
    fps.insert("clawcheck/v1".into(), json!(f.fingerprint));
    if let Some(h) = &f.secret_hash {
        fps.insert("secretHash/v1".into(), json!(h));
    }
    let mut r = json!({
        "ruleId": f.rule,
        "ruleIndex": index,
        "level": level(f.severity),
        "message": {"text": f.message},
        "locations": [{"physicalLocation": {"artifactLocation": &loc, "region": region}}],
        "partialFingerprints": fps,
    });
    // The findings folded into this one (each with its rule and fingerprint),
    // then the other places the finding names (a deployment's config).
    let folded = f.related.iter().map(|rel| {
        json!({
            "physicalLocation": {"artifactLocation": loc, "region": {
                "startLine": rel.start.line,
                "startColumn": rel.start.column,
                "endLine": rel.end.line,
                "endColumn": rel.end.column.max(if rel.end.line == rel.start.line { rel.start.column } else { 1 }),
            }},
            "message": {"text": format!("{}: {}", rel.rule, rel.message)},
            "properties": {"ruleId": rel.rule, "fingerprint": rel.fingerprint},
        })
    });
    let places = f.places.iter().map(|p| {
        let place = artifact_location(&p.path);
        json!({
            "physicalLocation": {
                "artifactLocation": place,
                "region": {"startLine": p.line, "startColumn": p.column},
            },
            "message": {"text": p.message},
        })
    });
    let related: Vec<Value> = folded
        .chain(places)
        .enumerate()
        .map(|(i, mut rel)| {
            rel["id"] = json!(i + 1);
            rel
        })
        .collect();
    if !related.is_empty() {
        r["relatedLocations"] = Value::Array(related);
    }
    if !props.is_empty() {
        r["properties"] = Value::Object(props);
    }
    if let Some(fix) = f.fix.as_ref().filter(|x| !x.edits.is_empty()) {
        // SARIF 2.1.0 §3.55: the edits of one artifact, as deleted regions
        // and inserted text (an insertion deletes an empty region).
        let replacements: Vec<Value> = fix
            .edits
            .iter()
            .map(|e| {
                json!({
                    "deletedRegion": {
                        "startLine": e.start.line,
                        "startColumn": e.start.column,
                        "endLine": e.end.line,
                        "endColumn": e.end.column,
                    },
                    "insertedContent": {"text": e.text},
                })
            })
            .collect();
        r["fixes"] = json!([{
            "description": {"text": fix.reason},
            "artifactChanges": [{"artifactLocation": loc, "replacements": replacements}],
            "properties": {"applicability": fix.applicability},
        }]);
    }
    r
}

pub fn render(report: &Report) -> String {
    // The run's results are made one at a time as they are written: a log of
    // 100,000 results never holds their trees all at once (about 12 KB each).
    let (shell, index) = run_shell(report, true);
    let doc = Log {
        runs: &[LazyRun {
            shell: &shell,
            report,
            index: &index,
        }],
    };
    let mut s = serde_json::to_string_pretty(&doc).expect("JSON values always serialise");
    s.push('\n');
    s
}

/// A SARIF log of `runs` (one per repository for `clawcheck merge`).
pub fn document(runs: Vec<Value>) -> String {
    let doc = json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": runs,
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("JSON values always serialise");
    s.push('\n');
    s
}

/// [`document`] of one run whose results are written as they are made.
struct Log<'a> {
    runs: &'a [LazyRun<'a>],
}

impl serde::Serialize for Log<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(3))?;
        m.serialize_entry("$schema", SCHEMA_URI)?;
        m.serialize_entry("version", "2.1.0")?;
        m.serialize_entry("runs", self.runs)?;
        m.end()
    }
}

/// A run ([`run_shell`]) with its `results` made while they are written.
struct LazyRun<'a> {
    shell: &'a Value,
    report: &'a Report,
    index: &'a BTreeMap<String, usize>,
}

impl serde::Serialize for LazyRun<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        struct Results<'a>(&'a LazyRun<'a>);
        impl serde::Serialize for Results<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let r = self.0;
                let mut seq = s.serialize_seq(Some(result_count(r.report, r.index)))?;
                for v in results(r.report, r.index) {
                    seq.serialize_element(&v)?;
                }
                seq.end()
            }
        }
        let empty = serde_json::Map::new();
        let obj = self.shell.as_object().unwrap_or(&empty);
        let mut m = s.serialize_map(Some(obj.len()))?;
        for (k, v) in obj {
            if k == "results" {
                m.serialize_entry(k, &Results(self))?;
            } else {
                m.serialize_entry(k, v)?;
            }
        }
        m.end()
    }
}

/// The SARIF run of one report: with `every_rule`, every rule clawcheck has
/// (what code scanning wants for one repository), else only the rules of
/// the run's results (`clawcheck merge`: hundreds of runs in one log).
pub fn run(report: &Report, every_rule: bool) -> Value {
    let (mut run, index) = run_shell(report, every_rule);
    run["results"] = Value::Array(results(report, &index).collect());
    run
}

/// How many results [`results`] makes.
fn result_count(report: &Report, index: &BTreeMap<String, usize>) -> usize {
    report.findings.len()
        + report
            .suppressed
            .iter()
            .filter(|s| index.contains_key(&s.finding.rule))
            .count()
}

/// The results of a run, made one at a time: every finding, then the
/// suppressed ones (visible to auditors, marked with the reason).
fn results<'a>(
    report: &'a Report,
    index: &'a BTreeMap<String, usize>,
) -> impl Iterator<Item = Value> + 'a {
    let found = report
        .findings
        .iter()
        .map(move |f| result_json(f, index[&f.rule], report.git.as_ref()));
    let suppressed = report.suppressed.iter().filter_map(move |sup| {
        let &idx = index.get(&sup.finding.rule)?;
        let mut r = result_json(&sup.finding, idx, report.git.as_ref());
        r["suppressions"] = json!([{
            "kind": if sup.kind == "inline" { "inSource" } else { "external" },
            "justification": sup.reason,
        }]);
        if let Some(o) = &sup.owner {
            // SARIF has no approver field: the suppression's property bag.
            r["suppressions"][0]["properties"] = json!({"owner": o});
        }
        Some(r)
    });
    found.chain(suppressed)
}

/// The run without its results (`"results": null`, in its place), and the
/// index of each rule id in the run's rules.
fn run_shell(report: &Report, every_rule: bool) -> (Value, BTreeMap<String, usize>) {
    let used: std::collections::BTreeSet<&str> = report
        .findings
        .iter()
        .chain(report.suppressed.iter().map(|s| &s.finding))
        .map(|f| f.rule.as_str())
        .collect();
    let registry: Vec<&Rule> = crate::rules::all()
        .iter()
        .filter(|r| every_rule || used.contains(r.id))
        .collect();
    let mut rules: Vec<Value> = registry.iter().map(|r| rule_json(r)).collect();
    let mut index: BTreeMap<String, usize> = registry
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.to_string(), i))
        .collect();
    let mut unknown: Vec<&str> = report
        .findings
        .iter()
        .map(|f| f.rule.as_str())
        .filter(|id| !index.contains_key(*id))
        .collect();
    unknown.sort_unstable();
    unknown.dedup();
    for id in unknown {
        index.insert(id.to_string(), rules.len());
        rules.push(user_rule_json(id));
    }
    let dialects: Vec<Value> = report
        .configs
        .iter()
        .map(|c| json!({"path": c.path, "dialect": c.dialect}))
        .collect();
    let mut run = json!({
        "tool": {"driver": {
            "name": "clawcheck",
            "version": env!("CARGO_PKG_VERSION"),
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "informationUri": "https://github.com/clawcheck/clawcheck",
            "rules": rules,
            "supportedTaxonomies": crate::rules::frameworks::FRAMEWORKS
                .iter()
                .enumerate()
                .map(|(i, f)| json!({"name": f.key, "index": i}))
                .collect::<Vec<_>>(),
        }},
        "taxonomies": taxonomies(),
        "automationDetails": {"id": "clawcheck/"},
        "columnKind": "utf16CodeUnits",
        "invocations": [{"executionSuccessful": true}],
        "results": Value::Null,
        "properties": {
            "filesScanned": report.files_scanned,
            "configs": dialects,
            "skipped": report.skipped,
        },
    });
    if let Some(g) = &report.git {
        run["properties"]["gitScope"] = super::git_summary(g);
    }
    if let Some(live) = &report.live {
        run["properties"]["live"] = super::live_summary(live);
    }
    // Every checked file, clean ones too, with its hash; the policy set, the
    // settings and the commit the run judged.
    let e = &report.evidence;
    if !e.files.is_empty() {
        let artifacts: Vec<Value> = e
            .files
            .iter()
            .map(|f| {
                let loc = artifact_location(&f.path);
                json!({"location": loc, "length": f.size, "hashes": {"sha-256": f.sha256}})
            })
            .collect();
        run["artifacts"] = json!(artifacts);
    }
    run["properties"]["policySetSha256"] = json!(e.policy_set_sha256);
    run["properties"]["settings"] = json!({"path": e.settings_path, "sha256": e.settings_sha256});
    if let Some(g) = &e.git {
        run["properties"]["git"] = json!(g);
        // SARIF requires a repository URI: without a remote, only the
        // property above names the commit.
        if let Some(remote) = &g.remote {
            run["versionControlProvenance"] = json!([{
                "repositoryUri": remote,
                "revisionId": g.commit,
                "properties": {"dirty": g.dirty},
            }]);
        }
    }
    if report
        .findings
        .iter()
        .map(|f| &f.path)
        .chain(e.files.iter().map(|f| &f.path))
        .any(|p| artifact(p).1.is_some())
    {
        run["originalUriBaseIds"] = json!({"ROOT": {"uri": "file:///"}});
    }
    (run, index)
}
