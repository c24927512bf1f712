//! The rule registry: one table feeding `clawcheck rules`, `clawcheck explain`,
//! SARIF `rules[]` and the README's rule list.

use crate::finding::Severity;

pub mod frameworks;
pub mod live;
pub mod openclaw;
pub mod secrets;
use serde::Serialize;

/// A rule's framework mapping: `(framework key, entry ids)`.
pub type Mapping = &'static [(&'static str, &'static [&'static str])];

#[derive(Debug, Clone, Serialize)]
pub struct Rule {
    pub id: &'static str,
    /// kebab-case name, stable like the id.
    pub name: &'static str,
    pub category: &'static str,
    pub severity: Severity,
    /// CVSS-like 0.0–10.0 score GitHub shows for `security` rules (a string, as SARIF wants).
    pub security_severity: &'static str,
    /// One line: what is wrong.
    pub title: &'static str,
    /// Why it matters and what fires it.
    pub description: &'static str,
    /// How to fix it.
    pub help: &'static str,
    /// A minimal input that fires the rule.
    pub bad: &'static str,
    /// The same input, fixed.
    pub good: &'static str,
    /// NIST SP 800-53 rev5 controls a finding of this rule evidences as not
    /// satisfied (OSCAL ids: `ac-12`, `ia-5.1` for the enhancement IA-5(1)).
    /// Feeds the compliance reports (html, oscal) and SARIF tags.
    pub controls: &'static [&'static str],
    /// The other frameworks' entries a finding of this rule is evidence for,
    /// by framework key (`crate::rules::frameworks`): `("cwe", &["CWE-306"])`.
    #[serde(skip)]
    pub frameworks: Mapping,
    /// Judged only on real OpenClaw configs (`dialects = ["openclaw"]` in the
    /// metadata): such a rule's controls are assessed only when a real config
    /// was checked.
    #[serde(skip)]
    pub real_config_only: bool,
    /// What `check --fix` does for the rule's findings, as `KIND: what`
    /// parts separated by `; ` (KIND: `safe`, `unsafe`, `manual`); empty
    /// when the rule has no fix. The edits themselves are planned by the
    /// rule's policy (`fix` in its `deny` entries).
    #[serde(skip_serializing_if = "str::is_empty")]
    pub fix: &'static str,
    /// Advice for a real OpenClaw config, when the rule judges both dialects
    /// and `help`/`bad`/`good` above speak the policy profile's keys (the
    /// `[openclaw]` table of the metadata).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub openclaw: Option<Advice>,
}

/// How to fix a finding: what to do, and a minimal bad and good input.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Advice {
    pub help: &'static str,
    pub bad: &'static str,
    pub good: &'static str,
}

macro_rules! rule {
    ($id:literal, $name:literal, $cat:literal, $sev:ident, $ss:literal,
     controls: [$($control:literal),+ $(,)?],
     frameworks: $fw:expr,
     title: $title:expr, description: $desc:expr, help: $help:expr, bad: $bad:expr, good: $good:expr
     $(, fix: $fix:expr)? $(,)?) => {
        $crate::rules::Rule {
            id: $id,
            name: $name,
            category: $cat,
            severity: $crate::finding::Severity::$sev,
            security_severity: $ss,
            title: $title,
            description: $desc,
            help: $help,
            bad: $bad,
            good: $good,
            controls: &[$($control),+],
            frameworks: $fw,
            real_config_only: false,
            fix: {
                #[allow(unused_variables)]
                let fix = "";
                $(let fix = $fix;)?
                fix
            },
            openclaw: None,
        }
    };
}
/// Shared with the other rule tables (`crate::openclaw::rules`).
pub(crate) use rule;

pub static CORE_RULES: &[Rule] = &[
    rule!("OC001", "parse-error", "input", Error, "5.0",
        controls: ["cm-6"],
        frameworks: &[("iso-27001", &["A.8.9"]), ("soc2", &["CC7.1"])],
        title: "The file could not be parsed as JSON or JSON5",
        description: "A configuration file that does not parse cannot be checked, and OpenClaw itself refuses to start with it. clawcheck reports the parser's position instead of stopping the run.",
        help: "Fix the syntax at the reported position. OpenClaw configs are JSON5: comments, trailing commas, unquoted keys and single quotes are allowed.",
        bad: "{ \"agents\": { \"production\": { \"timeout\": 120 } }",
        good: "{ \"agents\": { \"production\": { \"timeout\": 120 } } }"),
    rule!("OC002", "unreadable-file", "input", Error, "5.0",
        controls: ["ca-7", "cm-6"],
        frameworks: &[("iso-27001", &["A.8.9"]), ("soc2", &["CC7.1"])],
        title: "The file could not be read",
        description: "A file named on the command line or found by discovery could not be read (permission denied, not a regular file, I/O error). It was not checked, so the run cannot be called clean.",
        help: "Make the file readable by the user running clawcheck, or exclude it with --exclude or `exclude` in clawcheck.toml.",
        bad: "chmod 000 openclaw.json",
        good: "chmod 600 openclaw.json"),
    rule!("OC003", "invalid-config-root", "input", Error, "5.0",
        controls: ["cm-6"],
        frameworks: &[("iso-27001", &["A.8.9"]), ("soc2", &["CC7.1"])],
        title: "The configuration is not a JSON object",
        description: "An OpenClaw config (either dialect) is an object at the top level. An empty file, an array or a scalar at the top level holds no settings, so none of the policies can be applied.",
        help: "Make the top-level value an object, e.g. `{ \"agents\": { ... } }`.",
        bad: "[]",
        good: "{ \"agents\": {} }"),
    rule!("OC004", "suppression-without-reason", "suppression", Error, "3.0",
        controls: ["ca-7", "cm-6"],
        frameworks: &[("iso-27001", &["A.5.36"])],
        title: "A suppression comment gives no reason",
        description: "`clawcheck:allow OCxxx` must say why the finding is acceptable (e.g. `clawcheck:allow OC203 batch job, approved by security 2026-11`). Without a reason the comment suppresses nothing, so that every exception in the code base is explained for the next reader and the auditor.",
        help: "Add the reason after the rule ids: `// clawcheck:allow OC203 <why this is acceptable>`.",
        bad: "{\n  \"agents\": { \"ops-admin\": { \"runtime\": \"thread-bound\", \"auto-destroy\": true,\n    // clawcheck:allow OC203\n    \"timeout\": 600 } }\n}",
        good: "{\n  \"agents\": { \"ops-admin\": { \"runtime\": \"thread-bound\", \"auto-destroy\": true,\n    // clawcheck:allow OC203 nightly migration, approved by security (SEC-112)\n    \"timeout\": 600 } }\n}"),
    rule!("OC005", "waiver-expired", "suppression", Warning, "3.0",
        controls: ["ca-7", "cm-6"],
        frameworks: &[("iso-27001", &["A.5.36"])],
        title: "A waiver in clawcheck.toml has expired",
        description: "A `[[waivers]]` entry with an `expires` date in the past no longer suppresses anything: the findings it covered are reported again, and this rule says why they came back.",
        help: "Fix the findings, or renew the waiver with a new `expires` date and an up-to-date reason.",
        bad: "[[waivers]]\nrule = \"OC203\"\nreason = \"migration\"\nexpires = \"2020-01-31\"",
        good: "[[waivers]]\nrule = \"OC203\"\nreason = \"migration, tracked in SEC-112\"\nexpires = \"2027-01-31\""),
    rule!("OC006", "unused-suppression", "suppression", Warning, "2.0",
        controls: ["ca-7", "cm-6"],
        frameworks: &[("iso-27001", &["A.5.36"])],
        title: "A suppression matches no finding",
        description: "An inline `clawcheck:allow` comment (for its own line or the next) or a `[[waivers]]` entry that suppresses nothing: the problem was fixed or the rule id is wrong. Stale suppressions hide future findings, so they are reported.",
        help: "Remove the suppression, or correct its rule id or path.",
        bad: "{\n  // clawcheck:allow OC203 reviewed\n  \"agents\": {}\n}",
        good: "{\n  \"agents\": {}\n}"),
    rule!("OC007", "malformed-suppression", "suppression", Warning, "2.0",
        controls: ["ca-7", "cm-6"],
        frameworks: &[("iso-27001", &["A.5.36"])],
        title: "A suppression comment is malformed or names an unknown rule",
        description: "Text that is meant as a `clawcheck:allow` directive but is not one suppresses nothing, silently: a misspelt or foreign word (`clawcheck:alow`, `clawcheck:ignore`, `clawcheck: allow` with a blank), a mistyped rule id (`OC2O3`) or an id or name no rule has (`OC999`). Each is reported where it is written, with the closest directive word, rule id or rule name. Rule ids are accepted in any case (`oc203`) and rule names in place of ids (`sensitive-agent-timeout`).",
        help: "Write the directive as the message suggests: `clawcheck:allow`, then rule ids or names separated by commas, then the reason.",
        bad: "{\n  \"agents\": { \"ops-admin\": { \"runtime\": \"thread-bound\", \"auto-destroy\": true,\n    // clawcheck:allow OC2O3 nightly migration, approved by security (SEC-112)\n    \"timeout\": 600 } }\n}",
        good: "{\n  \"agents\": { \"ops-admin\": { \"runtime\": \"thread-bound\", \"auto-destroy\": true,\n    // clawcheck:allow OC203 nightly migration, approved by security (SEC-112)\n    \"timeout\": 600 } }\n}"),
    rule!("OC101", "schema-violation", "schema", Error, "5.0",
        controls: ["cm-6"],
        frameworks: &[("iso-27001", &["A.8.9"]), ("soc2", &["CC7.1"])],
        title: "A value does not match the configuration schema",
        description: "The value has the wrong type, is out of range or is not one of the allowed values for its key, as defined by the JSON Schema in clawcheck's `schemas/` directory. The policies read typed values, so a mistyped value can hide a violation.",
        help: "Change the value to the type and range the message names.",
        bad: "{ \"agents\": { \"production\": { \"auto-destroy\": \"yes\" } } }",
        good: "{ \"agents\": { \"production\": { \"auto-destroy\": true } } }",
        fix: "safe: of a key given twice in one object, removes the earlier member, which OpenClaw ignores"),
    rule!("OC102", "unknown-key", "schema", Warning, "3.0",
        controls: ["cm-6"],
        frameworks: &[("iso-27001", &["A.8.9"]), ("soc2", &["CC7.1"])],
        title: "A key is not known to the configuration schema",
        description: "The key is not part of the dialect's schema. Usually a typo (`auto_destroy` for `auto-destroy`) that silently leaves the intended setting at its default, or a key from a newer version. A warning on a policy profile; an error on a real OpenClaw config, which OpenClaw refuses to load (`Unrecognized key`), unless `meta.lastTouchedVersion` names an OpenClaw newer than the schema. The message suggests the closest key valid at that place (\"did you mean `timeoutSeconds`?\").",
        help: "Correct the spelling (the message suggests the closest valid key), or remove the key.",
        bad: "{ \"agents\": { \"production\": { \"auto_destroy\": true } } }",
        good: "{ \"agents\": { \"production\": { \"auto-destroy\": true } } }",
        fix: "manual: `agents.list` on OpenClaw 2026.9, which `openclaw doctor --fix` moves to keyed `agents.entries`"),
];

include!(concat!(env!("OUT_DIR"), "/builtin_rule_metadata.rs"));

/// A policy rule's metadata as written beside its policy
/// (`policies/<area>/OCxxx.toml`): what build.rs reads into
/// [`BUILTIN_RULES`], checked here by [`parse_metadata`] in the tests.
#[cfg(test)]
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleMetadata {
    id: String,
    name: String,
    category: String,
    severity: Severity,
    security_severity: String,
    controls: Vec<String>,
    title: String,
    description: String,
    help: String,
    bad: String,
    good: String,
    /// The dialects the rule judges: `policy-profile`, `openclaw` (default both).
    #[serde(default)]
    dialects: Vec<String>,
    /// Framework key → entry ids (`crate::rules::frameworks`).
    #[serde(default)]
    frameworks: std::collections::BTreeMap<String, Vec<String>>,
    /// What `check --fix` does (see [`Rule::fix`]).
    #[serde(default)]
    fix: String,
    /// Advice in a real config's keys, for a rule that judges both dialects.
    #[serde(default)]
    openclaw: Option<AdviceMetadata>,
}

#[cfg(test)]
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct AdviceMetadata {
    help: String,
    bad: String,
    good: String,
}

/// Parses and validates one metadata file, as the tests check every
/// built-in one. Its strings are leaked to give a `'static` entry.
#[cfg(test)]
pub fn parse_metadata(path: &str, text: &str) -> Result<Rule, String> {
    let m: RuleMetadata = toml::from_str(text).map_err(|e| format!("{path}: {e}"))?;
    let stem = path.rsplit('/').next().unwrap_or(path);
    if stem.strip_suffix(".toml") != Some(m.id.as_str()) {
        return Err(format!(
            "{path}: id `{}` does not match the file name",
            m.id
        ));
    }
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    let controls: Vec<&'static str> = m.controls.into_iter().map(leak).collect();
    for d in &m.dialects {
        if !["policy-profile", "openclaw"].contains(&d.as_str()) {
            return Err(format!(
                "{path}: unknown dialect `{d}` (policy-profile, openclaw)"
            ));
        }
    }
    let real_config_only = m.dialects == ["openclaw"];
    if !m.fix.is_empty() && fix_kinds(&m.fix).is_none() {
        return Err(format!(
            "{path}: `fix` is not `KIND: what` parts separated by `; ` (KIND: safe, unsafe, manual)"
        ));
    }
    if real_config_only && m.openclaw.is_some() {
        return Err(format!(
            "{path}: an [openclaw] table is for a rule that judges both dialects; this one's help is already a real config's"
        ));
    }
    let openclaw = m.openclaw.map(|a| Advice {
        help: leak(a.help),
        bad: leak(a.bad),
        good: leak(a.good),
    });
    let mut mapping: Vec<(&'static str, &'static [&'static str])> = m
        .frameworks
        .into_iter()
        .map(|(key, ids)| {
            let ids: Vec<&'static str> = ids.into_iter().map(leak).collect();
            (leak(key), &*Box::leak(ids.into_boxed_slice()))
        })
        .collect();
    // In the tables' framework order, so every output lists them alike.
    mapping.sort_by_key(|(key, _)| frameworks::FRAMEWORKS.iter().position(|f| f.key == *key));
    frameworks::check(&mapping).map_err(|e| format!("{path}: [frameworks]: {e}"))?;
    Ok(Rule {
        id: leak(m.id),
        name: leak(m.name),
        category: leak(m.category),
        severity: m.severity,
        security_severity: leak(m.security_severity),
        title: leak(m.title),
        description: leak(m.description),
        help: leak(m.help),
        bad: leak(m.bad),
        good: leak(m.good),
        controls: Box::leak(controls.into_boxed_slice()),
        frameworks: Box::leak(mapping.into_boxed_slice()),
        real_config_only,
        fix: leak(m.fix),
        openclaw,
    })
}

/// Every rule clawcheck knows, sorted by id.
pub fn all() -> &'static [Rule] {
    static ALL: std::sync::OnceLock<Vec<Rule>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        let mut v: Vec<Rule> = CORE_RULES.to_vec();
        // The policy rules' metadata, turned into entries by build.rs.
        v.extend_from_slice(BUILTIN_RULES);
        v.extend(openclaw::RULES.iter().map(|r| Rule {
            real_config_only: true,
            ..r.clone()
        }));
        v.extend(live::RULES.iter().map(live_rule));
        v.extend(secrets::rules().iter().map(secret_rule));
        v.sort_by_key(|r| r.id);
        v
    })
}

/// The registry entry of a live (OC4xx) rule: judged by running the profile,
/// so its examples (beside the rule in `live.rs`) are profiles plus what the
/// executor observes.
fn live_rule(r: &live::LiveRule) -> Rule {
    Rule {
        id: r.id,
        name: r.name,
        category: "live",
        severity: r.severity,
        security_severity: r.security_severity,
        title: r.title,
        description: r.description,
        help: r.help,
        bad: r.bad,
        good: r.good,
        controls: r.controls,
        frameworks: r.frameworks,
        real_config_only: false,
        fix: "",
        openclaw: None,
    }
}

fn secret_rule(r: &secrets::SecretRule) -> Rule {
    Rule {
        id: r.id,
        name: r.name,
        category: "secrets",
        severity: Severity::parse(r.severity).unwrap_or(Severity::Error),
        security_severity: r.security_severity,
        title: r.title,
        description: r.description,
        help: r.help,
        bad: r.bad_example,
        good: r.good_example,
        controls: r.controls,
        frameworks: r.frameworks,
        real_config_only: false,
        fix: "",
        openclaw: None,
    }
}

/// The kinds of fix a `fix` text names (`safe`, `unsafe`, `manual`), in
/// that order, or `None` when the text is not `KIND: what; KIND: what`.
pub fn fix_kinds(text: &str) -> Option<Vec<&'static str>> {
    let mut kinds = Vec::new();
    for part in text.split("; ") {
        let (kind, what) = part.split_once(": ")?;
        let kind = ["safe", "unsafe", "manual"]
            .into_iter()
            .find(|k| *k == kind)?;
        if what.trim().is_empty() {
            return None;
        }
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    kinds.sort_by_key(|k| ["safe", "unsafe", "manual"].iter().position(|x| x == k));
    Some(kinds)
}

impl Rule {
    /// The advice for a finding in a real OpenClaw config (`real`) or in a
    /// policy profile: the `[openclaw]` advice when the rule has one.
    pub fn advice(&self, real: bool) -> Advice {
        match (real, self.openclaw) {
            (true, Some(a)) => a,
            _ => Advice {
                help: self.help,
                bad: self.bad,
                good: self.good,
            },
        }
    }

    /// Every framework entry a finding of this rule is evidence for, in the
    /// tables' order, NIST SP 800-53 (`controls`) last.
    pub fn mappings(&self) -> Vec<(&'static frameworks::Framework, &'static str)> {
        let mut out = Vec::new();
        for f in frameworks::FRAMEWORKS {
            let ids: &[&'static str] = if f.key == frameworks::NIST {
                self.controls
            } else {
                self.frameworks
                    .iter()
                    .find(|(k, _)| *k == f.key)
                    .map_or(&[], |(_, ids)| ids)
            };
            out.extend(ids.iter().map(|id| (f, *id)));
        }
        out
    }

    /// The mapping on one line: `NIST SP 800-53 Rev. 5: AC-17, IA-2; CWE: CWE-306`.
    pub fn mapping_labels(&self) -> String {
        let mut groups: Vec<(&str, Vec<String>)> = Vec::new();
        for (f, id) in self.mappings() {
            match groups.last_mut() {
                Some((name, ids)) if *name == f.name => ids.push(f.label(id)),
                _ => groups.push((f.name, vec![f.label(id)])),
            }
        }
        let parts: Vec<String> = groups
            .into_iter()
            .map(|(name, ids)| format!("{name}: {}", ids.join(", ")))
            .collect();
        parts.join("; ")
    }

    /// The mapping as JSON: `{framework key: [{id, title}]}` in table order.
    pub fn mappings_json(&self) -> serde_json::Value {
        let mut map = serde_json::Map::new();
        for (f, id) in self.mappings() {
            let entry = serde_json::json!({"id": f.label(id), "title": f.title(id).unwrap_or("")});
            map.entry(f.key)
                .or_insert_with(|| serde_json::json!([]))
                .as_array_mut()
                .expect("an array")
                .push(entry);
        }
        serde_json::Value::Object(map)
    }

    /// The controls as NIST prints them, comma-separated: `AC-12, IA-5(1)`.
    pub fn control_labels(&self) -> String {
        let labels: Vec<String> = self.controls.iter().map(|c| control_label(c)).collect();
        labels.join(", ")
    }
}

/// The way NIST prints a control id: `ac-12` → `AC-12`, `ia-5.1` → `IA-5(1)`.
pub fn control_label(id: &str) -> String {
    let upper = id.to_ascii_uppercase();
    match upper.split_once('.') {
        Some((base, enhancement)) => format!("{base}({enhancement})"),
        None => upper,
    }
}

/// Orders control ids as NIST does (`ac-2` before `ac-12`, `ia-5` before `ia-5.1`).
pub fn control_sort_key(id: &str) -> (&str, u32, u32) {
    let (family, rest) = id.split_once('-').unwrap_or((id, ""));
    let (number, enhancement) = rest.split_once('.').unwrap_or((rest, "0"));
    (
        family,
        number.parse().unwrap_or(u32::MAX),
        enhancement.parse().unwrap_or(u32::MAX),
    )
}

pub fn get(id: &str) -> Option<&'static Rule> {
    let all = all();
    all.binary_search_by_key(&id, |r| r.id)
        .ok()
        .map(|i| &all[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// build.rs's entries are what the metadata files say, field for field,
    /// and every file passes the checks of [`parse_metadata`].
    #[test]
    fn built_in_rules_are_their_metadata() {
        assert_eq!(BUILTIN_RULES.len(), BUILTIN_RULE_METADATA.len());
        assert!(BUILTIN_RULES.len() > 50);
        for ((path, text), built) in BUILTIN_RULE_METADATA.iter().zip(BUILTIN_RULES) {
            let parsed = parse_metadata(path, text).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(format!("{built:?}"), format!("{parsed:?}"), "{path}");
        }
        // the framework order and a real-config-only rule are carried over
        let mixed = BUILTIN_RULES
            .iter()
            .find(|r| r.frameworks.len() > 2)
            .unwrap();
        assert_eq!(mixed.frameworks, parse_metadata_of(mixed.id).frameworks);
        assert!(BUILTIN_RULES.iter().any(|r| r.real_config_only));
        assert!(BUILTIN_RULES.iter().any(|r| r.openclaw.is_some()));
    }

    fn parse_metadata_of(id: &str) -> Rule {
        let (path, text) = BUILTIN_RULE_METADATA
            .iter()
            .find(|(p, _)| p.ends_with(&format!("/{id}.toml")))
            .unwrap();
        parse_metadata(path, text).unwrap()
    }

    #[test]
    fn ids_and_names_are_unique_and_well_formed() {
        let all = all();
        for w in all.windows(2) {
            assert_ne!(w[0].id, w[1].id, "duplicate rule id");
        }
        let mut names: Vec<_> = all.iter().map(|r| r.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), all.len(), "duplicate rule name");
        for r in all {
            assert!(r.id.len() == 5 && r.id.starts_with("OC"), "{}", r.id);
            assert!(
                r.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit()),
                "{}",
                r.name
            );
            let s: f64 = r.security_severity.parse().unwrap();
            assert!((0.0..=10.0).contains(&s));
            assert!(!r.title.is_empty() && !r.description.is_empty() && !r.help.is_empty());
        }
    }

    #[test]
    fn framework_tables_and_rule_mappings_agree() {
        let mut used = std::collections::BTreeSet::new();
        for r in all() {
            frameworks::check(r.frameworks).unwrap_or_else(|e| panic!("{}: {e}", r.id));
            let mapped = r.mappings();
            assert!(
                mapped.iter().any(|(f, _)| f.key != frameworks::NIST),
                "{} maps to no framework besides NIST SP 800-53",
                r.id
            );
            for (f, id) in mapped {
                assert!(
                    f.title(id).is_some(),
                    "{}: {} {id} has no title",
                    r.id,
                    f.key
                );
                used.insert((f.key, id));
            }
        }
        for f in frameworks::FRAMEWORKS {
            for (id, title) in f.entries {
                assert!(!title.is_empty(), "{} {id}: empty title", f.key);
                assert!(
                    used.contains(&(f.key, *id)),
                    "{} {id} is in the table but no rule maps to it",
                    f.key
                );
            }
        }
    }

    #[test]
    fn metadata_with_an_unknown_framework_entry_is_refused() {
        let base = |extra: &str| {
            format!(
                "id = \"OC999\"\nname = \"x\"\ncategory = \"c\"\nseverity = \"error\"\nsecurity_severity = \"5.0\"\ncontrols = [\"cm-6\"]\ntitle = \"t\"\ndescription = \"d\"\nhelp = \"h\"\nbad = \"b\"\ngood = \"g\"\n{extra}"
            )
        };
        let ok =
            parse_metadata("p/OC999.toml", &base("[frameworks]\ncwe = [\"CWE-306\"]\n")).unwrap();
        assert_eq!(ok.frameworks, &[("cwe", &["CWE-306"][..])]);
        let e = parse_metadata("p/OC999.toml", &base("[frameworks]\ncwe = [\"CWE-79\"]\n"))
            .err()
            .unwrap();
        assert!(e.contains("`CWE-79` is not in the CWE"), "{e}");
        let e = parse_metadata("p/OC999.toml", &base("[frameworks]\nowasp = [\"A01\"]\n"))
            .err()
            .unwrap();
        assert!(e.contains("unknown framework `owasp`"), "{e}");
        let e = parse_metadata(
            "p/OC999.toml",
            &base("[frameworks]\nnist-800-53 = [\"ac-3\"]\n"),
        )
        .err()
        .unwrap();
        assert!(e.contains("go in `controls`"), "{e}");
    }

    #[test]
    fn control_ids_print_and_sort_like_nist() {
        assert_eq!(control_label("ia-5.1"), "IA-5(1)");
        assert_eq!(control_label("ac-12"), "AC-12");
        let mut ids = ["ac-12", "ia-5.1", "ac-2", "ia-5"];
        ids.sort_by_key(|c| control_sort_key(c));
        assert_eq!(ids, ["ac-2", "ac-12", "ia-5", "ia-5.1"]);
    }
}
