//! NIST OSCAL 1.2.1 assessment results for auditors and GRC tools.
//!
//! One result per run: the controls the applied rules evidence
//! (`reviewed-controls`), one observation per finding (suppressed ones too,
//! with their reason), a `deviation-approved` risk per suppressed finding, and
//! one OSCAL finding per control whose target is the control's objective
//! (`ac-12_obj`), satisfied or not. The assessment plan (`import-ap`) is a
//! back-matter resource listing the applied rules; every file with a finding
//! is a back-matter resource that observations name as their subject.
//!
//! Determinism: UUIDs are name-based (v5) from stable content (rule, file,
//! position, fingerprint), never random, so the same input gives the same
//! document. Only the timestamps vary, and `SOURCE_DATE_EPOCH` pins them.
//! CI validates the output with `../shared/tools/check-oscal`.

use super::controls::{self, State};
use super::Timestamps;
use crate::finding::{Finding, Severity};
use crate::report::model::Report;
use crate::suppress::Suppressed;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

pub const OSCAL_VERSION: &str = "1.2.1";
/// Namespace of clawcheck's OSCAL props.
const NS: &str = "https://github.com/clawcheck/clawcheck/ns/oscal";

/// Name-based UUIDs, unique within the document: a repeated name (two
/// findings identical in every stable field) gets a counter appended.
struct Ids {
    namespace: Uuid,
    used: BTreeSet<Uuid>,
}

impl Ids {
    fn new() -> Ids {
        Ids {
            namespace: Uuid::new_v5(&Uuid::NAMESPACE_URL, NS.as_bytes()),
            used: BTreeSet::new(),
        }
    }

    fn get(&mut self, parts: &[&str]) -> String {
        let name = parts.join("\0");
        let mut n = 0u32;
        loop {
            let candidate = if n == 0 {
                name.clone()
            } else {
                format!("{name}\0{n}")
            };
            let id = Uuid::new_v5(&self.namespace, candidate.as_bytes());
            if self.used.insert(id) {
                return id.to_string();
            }
            n += 1;
        }
    }
}

/// OSCAL markup (Markdown) from arbitrary text: HTML-special characters become
/// entities so that no renderer turns a file name into markup.
fn markup(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A one-line markup value (`^[^\n]+$`): never empty, no line breaks.
fn markup_line(s: &str) -> String {
    let one: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let one = one.trim();
    if one.is_empty() {
        "(empty)".into()
    } else {
        markup(one)
    }
}

/// The framework entries a finding of `rule` is evidence for, one prop each
/// in the framework's namespace (`class` = the framework's key); NIST
/// controls are the findings' targets instead.
fn framework_props(rule: &str) -> Vec<Value> {
    let Some(r) = crate::rules::get(rule) else {
        return Vec::new();
    };
    r.mappings()
        .into_iter()
        .filter(|(f, _)| f.key != crate::rules::frameworks::NIST)
        .map(|(f, id)| json!({"name": "evidence-for", "ns": f.uri, "class": f.key, "value": id}))
        .collect()
}

/// A prop: the value must be a non-empty single line without outer whitespace.
fn prop(name: &str, value: &str) -> Option<Value> {
    let v: String = value.split_whitespace().collect::<Vec<_>>().join(" ");
    (!v.is_empty()).then(|| json!({"name": name, "ns": NS, "value": v}))
}

fn props(list: &[(&str, &str)]) -> Vec<Value> {
    list.iter().filter_map(|(n, v)| prop(n, v)).collect()
}

fn location(f: &Finding) -> String {
    format!("{}:{}:{}", f.path, f.start.line, f.start.column)
}

fn rule_title(rule: &str) -> String {
    match crate::rules::get(rule) {
        Some(r) => format!("{rule} {}: {}", r.name, r.title),
        None => format!("{rule} (user policy)"),
    }
}

/// Everything the findings and the scope are made of, hashed: it names the
/// document and the result, so different scans get different UUIDs.
fn content_digest(report: &Report) -> String {
    let mut parts: Vec<String> = vec![env!("CARGO_PKG_VERSION").into()];
    parts.extend(report.configs.iter().map(|c| c.path.clone()));
    parts.extend(report.assessed_rules.iter().map(|r| r.to_string()));
    let all = report
        .findings
        .iter()
        .chain(report.suppressed.iter().map(|s| &s.finding));
    parts.extend(all.map(|f| format!("{}\0{}\0{}", f.rule, location(f), f.fingerprint)));
    let refs: Vec<&[u8]> = parts.iter().map(|p| p.as_bytes()).collect();
    crate::finding::fingerprint(&refs)
}

pub fn render(report: &Report, fail_on: Option<Severity>, time: &Timestamps) -> String {
    let mut ids = Ids::new();
    let (start, end) = (super::rfc3339(time.start), super::rfc3339(time.end));
    let digest = content_digest(report);
    let doc_uuid = ids.get(&["document", &digest, &start, &end]);
    let result_uuid = ids.get(&["result", &digest, &start, &end]);
    let tool_uuid = ids.get(&["tool", env!("CARGO_PKG_VERSION")]);
    let plan_uuid = ids.get(&["assessment-plan", env!("CARGO_PKG_VERSION"), &digest]);
    let origins = json!([{"actors": [{"type": "tool", "actor-uuid": tool_uuid}]}]);

    // Files with findings, as back-matter resources the observations name.
    let all_findings: Vec<(&Finding, Option<&Suppressed>)> = report
        .findings
        .iter()
        .map(|f| (f, None))
        .chain(report.suppressed.iter().map(|s| (&s.finding, Some(s))))
        .collect();
    // Every checked file (clean ones too) and every file with a finding.
    let mut files: BTreeMap<&str, String> = BTreeMap::new();
    let paths = report
        .evidence
        .files
        .iter()
        .map(|f| f.path.as_str())
        .chain(all_findings.iter().map(|(f, _)| f.path.as_str()));
    for path in paths {
        if !files.contains_key(path) {
            let id = ids.get(&["file", path]);
            files.insert(path, id);
        }
    }

    // One observation per finding (active ones first, then the suppressed, as
    // in `all_findings`); a risk per suppressed one. The observations are
    // made one at a time as the document is written (`observation`): only
    // their UUIDs are kept.
    let mut observations = Vec::new();
    let mut observation_uuids = Vec::new();
    let mut risks = Vec::new();
    let mut risk_uuids = Vec::new();
    for (f, sup) in &all_findings {
        let pos = format!("{}:{}", f.start.line, f.start.column);
        let uuid = ids.get(&[
            "observation",
            &f.rule,
            &f.path,
            &pos,
            &f.fingerprint,
            &f.message,
        ]);
        if let Some(s) = sup.filter(|s| s.kind != "baseline") {
            let risk_uuid = ids.get(&["risk", &uuid]);
            let by = if s.kind == "inline" {
                "an inline clawcheck:allow comment"
            } else {
                "a waiver in clawcheck.toml"
            };
            risks.push(json!({
                "uuid": risk_uuid,
                "title": markup_line(&format!("Accepted: {} at {}", f.rule, location(f))),
                "description": markup(&f.message),
                "statement": markup(&format!(
                    "Suppressed by {by} with the reason: {}{}",
                    s.reason,
                    s.owner
                        .as_ref()
                        .map(|o| format!(" (approved by {o})"))
                        .unwrap_or_default()
                )),
                "status": "deviation-approved",
                "origins": origins,
                "related-observations": [{"observation-uuid": uuid}],
            }));
            risk_uuids.push(Some(risk_uuid));
        }
        if sup.is_some_and(|s| s.kind == "baseline") {
            risk_uuids.push(None);
        }
        observation_uuids.push(uuid);
    }
    let observation = |(f, sup): &(&Finding, Option<&Suppressed>), uuid: &String| {
        let mut evidence = format!("{} ({} {}): {}", location(f), f.severity, f.rule, f.message);
        if let Some(ev) = &f.evidence {
            evidence.push_str(&format!("\n\nRedacted evidence: {ev}"));
        }
        let mut p = props(&[
            ("rule-id", &f.rule),
            ("severity", f.severity.as_str()),
            ("fingerprint", &f.fingerprint),
        ]);
        p.extend(
            f.pointer
                .as_deref()
                .and_then(|ptr| prop("json-pointer", ptr)),
        );
        p.extend(sup.and_then(|s| prop("suppression", s.kind)));
        p.extend(framework_props(&f.rule));
        let mut obs = json!({
            "uuid": uuid,
            "title": markup_line(&rule_title(&f.rule)),
            "description": markup(&f.message),
            "props": p,
            "methods": ["TEST"],
            "types": ["finding"],
            "origins": origins,
            "subjects": [{
                "subject-uuid": files[f.path.as_str()],
                "type": "resource",
                "title": markup_line(&f.path),
            }],
            "relevant-evidence": [{
                "href": super::sarif::encode_uri(&f.path),
                "description": markup(&evidence),
            }],
            "collected": end,
        });
        if let Some(s) = sup.filter(|s| s.kind == "baseline") {
            // known before, not accepted: no risk with an approved deviation
            obs["remarks"] = json!(markup(&format!(
                "Pre-existing finding ({}); not a waiver",
                s.reason
            )));
        } else if let Some(s) = sup {
            obs["remarks"] = json!(markup(&format!("Suppressed ({}): {}", s.kind, s.reason)));
        }
        obs
    };
    // What was checked: every file as a subject, with the hashes in the
    // resources it names.
    if !report.evidence.files.is_empty() {
        let e = &report.evidence;
        let subjects: Vec<Value> = e
            .files
            .iter()
            .map(|f| json!({"subject-uuid": files[f.path.as_str()], "type": "resource", "title": markup_line(&f.path)}))
            .collect();
        let mut text = format!(
            "{} files checked; each file's SHA-256 and size are in its back-matter resource. Policy set SHA-256 {} ({} files). Settings: {}.",
            e.files.len(),
            e.policy_set_sha256,
            e.policy_files,
            match (&e.settings_path, &e.settings_sha256) {
                (Some(p), Some(h)) => format!("{p}, SHA-256 {h}"),
                _ => "built-in defaults".to_string(),
            }
        );
        if let Some(g) = &e.git {
            text.push_str(&format!(
                " Git commit {}{}.",
                g.commit,
                if g.dirty {
                    " with uncommitted changes"
                } else {
                    ", clean work tree"
                }
            ));
        }
        let uuid = ids.get(&["inputs", &result_uuid]);
        observations.push(json!({
            "uuid": uuid,
            "title": "Files checked",
            "description": markup(&text),
            "methods": ["EXAMINE"],
            "types": ["control-objective"],
            "origins": origins,
            "subjects": subjects,
            "collected": end,
        }));
    }
    // Suppressed finding i is observation `first_suppressed + i` and risk i
    // (none for a baselined finding: it is not an approved deviation).
    let first_suppressed = report.findings.len();
    // The `--live` run as one observation: what the executor measured, which
    // the controls judged by live rules cite next to the OC4xx findings.
    let live_observation = report.live.as_ref().map(|live| {
        let uuid = ids.get(&["live-run", &result_uuid]);
        observations.push(json!({
            "uuid": uuid,
            "title": "Live run: clawcheck's reference isolated executor under the configs' limits (not the OpenClaw gateway)",
            "description": markup(&live_text(live)),
            "methods": ["TEST"],
            "types": ["control-objective"],
            "origins": origins,
            "relevant-evidence": [{"description": markup(&live_layers(live))}],
            "collected": end,
        }));
        uuid
    });

    // One OSCAL finding per assessed control.
    let controls = controls::controls(report);
    let mut findings = Vec::new();
    for c in &controls {
        let label = crate::rules::control_label(c.id);
        let state = c.state(report);
        let (oscal_state, reason) = match state {
            State::Satisfied => ("satisfied", "pass"),
            State::NotSatisfied => ("not-satisfied", "fail"),
            State::Waived => ("not-satisfied", "other"),
        };
        let rules = c.rules.join(", ");
        let (active, suppressed) = (c.findings.len(), c.suppressed.len());
        let description = match state {
            State::Satisfied if active + suppressed == 0 => {
                format!("Rules {rules} were applied and found nothing.")
            }
            State::Satisfied => format!(
                "Rules {rules} were applied: no warning or error, only {} informational note(s).",
                active + suppressed
            ),
            State::NotSatisfied => {
                format!("{active} active and {suppressed} suppressed finding(s) of rules {rules}.")
            }
            State::Waived => format!(
                "Rules {rules} found only suppressed problems: {suppressed} deviation(s) approved with a reason."
            ),
        };
        let mut finding = json!({
            "uuid": ids.get(&["finding", &result_uuid, c.id]),
            "title": format!("{label} {}", state.as_str()),
            "description": description,
            "props": props(&[("control-id", c.id), ("rules", &c.rules.join(" "))]),
            "origins": origins,
            "target": {
                "type": "objective-id",
                "target-id": format!("{}_obj", c.id),
                "status": {"state": oscal_state, "reason": reason},
            },
        });
        let related: Vec<Value> = c
            .findings
            .iter()
            .copied()
            .chain(c.suppressed.iter().map(|i| first_suppressed + i))
            .map(|i| json!({"observation-uuid": observation_uuids[i]}))
            .chain(
                live_observation
                    .iter()
                    .filter(|_| c.rules.iter().any(|r| r.starts_with("OC4")))
                    .map(|u| json!({"observation-uuid": u})),
            )
            .collect();
        if !related.is_empty() {
            finding["related-observations"] = json!(related);
        }
        let related_risks: Vec<Value> = c
            .suppressed
            .iter()
            .filter_map(|&i| risk_uuids[i].as_ref())
            .map(|r| json!({"risk-uuid": r}))
            .collect();
        if !related_risks.is_empty() {
            finding["related-risks"] = json!(related_risks);
        }
        findings.push(finding);
    }

    let selection = if controls.is_empty() {
        json!({"description": "No rule was applied, so no control was assessed.", "include-all": {}})
    } else {
        let ids: Vec<Value> = controls
            .iter()
            .map(|c| json!({"control-id": c.id}))
            .collect();
        json!({"include-controls": ids})
    };
    let (e, w, n) = super::counts(report);
    let failed = fail_on.is_some_and(|t| report.findings.iter().any(|f| f.severity >= t));
    let counts = [
        report.files_scanned.to_string(),
        report.configs.len().to_string(),
        e.to_string(),
        w.to_string(),
        n.to_string(),
        report.suppressed.len().to_string(),
    ];
    let mut result = json!({
        "uuid": result_uuid,
        "title": "clawcheck check",
        "description": format!(
            "Static policy check of {} files ({} OpenClaw configs) by clawcheck {}: {} errors, {} warnings, {} notes, {} suppressed; {} with --fail-on {}.",
            report.files_scanned,
            report.configs.len(),
            env!("CARGO_PKG_VERSION"),
            e, w, n,
            report.suppressed.len(),
            if failed { "fails" } else { "passes" },
            fail_on.map_or("never", Severity::as_str),
        ),
        "start": start,
        "end": end,
        "props": props(&[
            ("files-scanned", &counts[0]),
            ("configs", &counts[1]),
            ("errors", &counts[2]),
            ("warnings", &counts[3]),
            ("notes", &counts[4]),
            ("suppressed", &counts[5]),
            ("fail-on", fail_on.map_or("never", Severity::as_str)),
            ("verdict", if failed { "fail" } else { "pass" }),
            ("policy-set-sha256", &report.evidence.policy_set_sha256),
            ("git-commit", report.evidence.git.as_ref().map_or("", |g| g.commit.as_str())),
            ("git-dirty", match &report.evidence.git { Some(g) if g.dirty => "true", Some(_) => "false", None => "" }),
        ]),
        "local-definitions": {"components": [{
            "uuid": tool_uuid,
            "type": "software",
            "title": "clawcheck",
            "description": "Policy-as-code linter for OpenClaw AI-agent configs.",
            "props": props(&[("version", env!("CARGO_PKG_VERSION"))]),
            "status": {"state": "operational"},
        }]},
        "reviewed-controls": {
            "description": "NIST SP 800-53 rev5 controls evidenced by the rules clawcheck applied.",
            "control-selections": [selection],
        },
    });
    // (a placeholder: written by `Spliced` below)
    let observation_count = all_findings.len() + observations.len();
    if observation_count > 0 {
        result["observations"] = Value::Null;
    }
    if !risks.is_empty() {
        result["risks"] = json!(risks);
    }
    if !findings.is_empty() {
        result["findings"] = json!(findings);
    }

    let mut resources = vec![plan_resource(report, &plan_uuid)];
    let hashed: BTreeMap<&str, &crate::evidence::InputFile> = report
        .evidence
        .files
        .iter()
        .map(|f| (f.path.as_str(), f))
        .collect();
    for (path, uuid) in &files {
        let mut r = Map::new();
        r.insert("uuid".into(), json!(uuid));
        r.insert("title".into(), json!(markup_line(path)));
        let mut p = Vec::new();
        if let Some(c) = report.configs.iter().find(|c| c.path == *path) {
            p.extend(prop("dialect", c.dialect.as_str()));
        }
        let mut rlink = json!({"href": super::sarif::encode_uri(path)});
        if let Some(f) = hashed.get(path) {
            p.extend(prop("size", &f.size.to_string()));
            rlink["hashes"] = json!([{"algorithm": "SHA-256", "value": f.sha256}]);
        } else {
            // A file with a finding that was not read (OC002).
            p.extend(prop("checked", "false"));
        }
        if !p.is_empty() {
            r.insert("props".into(), json!(p));
        }
        r.insert("rlinks".into(), json!([rlink]));
        resources.push(Value::Object(r));
    }
    if let (Some(path), Some(hash)) = (
        &report.evidence.settings_path,
        &report.evidence.settings_sha256,
    ) {
        resources.push(json!({
            "uuid": ids.get(&["settings", path]),
            "title": markup_line(&format!("Settings {path}")),
            "rlinks": [{"href": super::sarif::encode_uri(path), "hashes": [{"algorithm": "SHA-256", "value": hash}]}],
        }));
    }
    let doc = json!({"assessment-results": {
        "uuid": doc_uuid,
        "metadata": {
            "title": "clawcheck assessment results",
            "last-modified": end,
            "version": env!("CARGO_PKG_VERSION"),
            "oscal-version": OSCAL_VERSION,
            "remarks": "Generated by clawcheck. UUIDs are derived from the scanned content; only the timestamps vary between runs, and SOURCE_DATE_EPOCH pins them.",
        },
        "import-ap": {"href": format!("#{plan_uuid}")},
        "results": [result],
        "back-matter": {"resources": resources},
    }});
    let items = std::cell::RefCell::new(Some(
        all_findings
            .iter()
            .zip(&observation_uuids)
            .map(|(f, uuid)| observation(f, uuid))
            .chain(observations),
    ));
    let path = [
        super::Step::Key("assessment-results"),
        super::Step::Key("results"),
        super::Step::Index(0),
        super::Step::Key("observations"),
    ];
    let spliced = super::Spliced {
        value: &doc,
        path: if observation_count > 0 { &path } else { &[] },
        items: &items,
        len: observation_count,
    };
    let mut s = if observation_count > 0 {
        serde_json::to_string_pretty(&spliced)
    } else {
        serde_json::to_string_pretty(&doc)
    }
    .expect("JSON values always serialise");
    s.push('\n');
    s
}

/// Per agent: what the live run did and measured.
fn live_text(live: &crate::checks::live::LiveReport) -> String {
    let mut t = String::from("Method: each agent profile was run with hostile probe workloads in clawcheck's reference isolated executor; teardown, timeouts and isolation were verified after every request. OpenClaw and its gateway were not run.\n");
    for line in live.exercised.lines() {
        t.push_str(&format!("\n{line}"));
    }
    t.push('\n');
    for a in &live.agents {
        t.push_str(&format!(
            "\n- Agent {}: {} requests, {} killed at the effective timeout of {} s (max overshoot {:.1} ms, p99 {:.1} ms), {} surviving processes, {} leaks",
            a.name, a.requests, a.timeouts, a.effective_timeout_secs, a.max_overshoot_ms, a.p99_overshoot_ms, a.survivors, a.leaks
        ));
    }
    for n in &live.notes {
        t.push_str(&format!("\n- Note: {n}"));
    }
    t
}

/// The isolation layers the executor found active and missing.
fn live_layers(live: &crate::checks::live::LiveReport) -> String {
    let names = |active: bool| {
        let v: Vec<&str> = live
            .layers
            .iter()
            .filter(|l| l.active == active)
            .map(|l| l.name)
            .collect();
        if v.is_empty() {
            "none".to_string()
        } else {
            v.join(", ")
        }
    };
    format!(
        "Isolation layers active: {}. Missing: {}.",
        names(true),
        names(false)
    )
}

/// The assessment plan: the rules this run applied and the controls each evidences.
fn plan_resource(report: &Report, uuid: &str) -> Value {
    let mut text = String::from("The clawcheck rules applied in this run, each with the framework entries a finding of it is evidence for (NIST SP 800-53 rev5 controls, OWASP, MITRE ATLAS, ISO/IEC, SOC 2, CWE, EU AI Act):\n");
    let mut applied: Vec<&str> = report.assessed_rules.clone();
    if applied.is_empty() {
        applied = crate::rules::all().iter().map(|r| r.id).collect();
    }
    for r in applied.iter().filter_map(|id| crate::rules::get(id)) {
        text.push_str(&format!(
            "\n- {} `{}` ({}): {} ({})",
            r.id,
            r.name,
            r.severity,
            r.title,
            r.mapping_labels()
        ));
    }
    json!({
        "uuid": uuid,
        "title": format!("clawcheck {} rule set (assessment plan)", env!("CARGO_PKG_VERSION")),
        "description": text,
        "props": props(&[("rule-count", &applied.len().to_string())]),
        "rlinks": [{"href": "https://github.com/clawcheck/clawcheck#rules"}],
    })
}
