//! The input the policies judge: `{posture, limits, monitoring, secrets,
//! dialect, path, raw?}`. The posture comes from the dialect's adapter
//! (`normalise` for the policy profile, `openclaw` for real configs); this
//! module is the one place that assembles the whole document, for the engine
//! and for `clawcheck posture`.

pub mod live;
pub mod rego;
pub mod view;

pub use view::Posture;

use crate::config::Settings;
use crate::normalise::{self, Dialect};
use serde_json::{json, Value};

/// The part of the input that depends only on the settings (built once a run).
pub fn input_base(s: &Settings) -> Value {
    json!({
        "limits": s.limits,
        "monitoring": s.monitoring,
        "secrets": {"known_sources": s.secrets.known_sources},
    })
}

/// [`input_base`] in the evaluator's form, converted once a run: every
/// config's input shares these members (a clone of a `regorus::Value` is a
/// reference count), instead of converting them again for each config.
pub struct InputBase(Result<Vec<(regorus::Value, regorus::Value)>, String>);

impl InputBase {
    pub fn new(base: &Value) -> InputBase {
        let mut conv = rego::Converter::new();
        let mut members = Vec::new();
        if let Value::Object(m) = base {
            for (k, v) in m {
                let k = conv.take(Value::String(k.clone()));
                match (k, conv.convert(v)) {
                    (Ok(k), Ok(v)) => members.push((k, v)),
                    (Err(e), _) | (_, Err(e)) => return InputBase(Err(e.0)),
                }
            }
        }
        InputBase(Ok(members))
    }
}

/// The posture of a parsed config in its dialect.
pub fn build(
    doc: &Value,
    dialect: Dialect,
    settings: &Settings,
    sensitive_re: &regex::Regex,
) -> Value {
    build_with(doc, dialect, settings, sensitive_re, &mut Some)
}

/// [`build`], each agent passed through `each_agent` as it is built: what
/// it returns stays in the posture's `agents` (see [`Agents`]).
pub fn build_with(
    doc: &Value,
    dialect: Dialect,
    settings: &Settings,
    sensitive_re: &regex::Regex,
    each_agent: &mut dyn FnMut(Value) -> Option<Value>,
) -> Value {
    match dialect {
        Dialect::PolicyProfile => {
            normalise::policy_profile_posture_with(doc, sensitive_re, each_agent)
        }
        _ => crate::openclaw::posture_with(doc, dialect, sensitive_re, settings, each_agent),
    }
}

/// The posture of a parsed config with no agents (`agents: []`): they
/// come one at a time from [`for_each_agent`].
pub fn build_apart(doc: &Value, dialect: Dialect, settings: &Settings) -> Value {
    match dialect {
        Dialect::PolicyProfile => normalise::policy_profile_posture_apart(doc, Vec::new()),
        _ => crate::openclaw::posture_apart(doc, dialect, settings, Vec::new()),
    }
}

/// How many agents [`for_each_agent`] gives.
pub fn agent_count(doc: &Value, dialect: Dialect) -> usize {
    match dialect {
        Dialect::PolicyProfile => normalise::policy_profile_agent_count(doc),
        _ => crate::openclaw::agent_count(doc),
    }
}

/// Each agent of the posture of a parsed config, in order, as [`build`]
/// has them.
pub fn for_each_agent(
    doc: &Value,
    dialect: Dialect,
    sensitive_re: &regex::Regex,
    each_agent: &mut dyn FnMut(Value),
) {
    match dialect {
        Dialect::PolicyProfile => normalise::policy_profile_agents(doc, sensitive_re, each_agent),
        _ => crate::openclaw::each_agent_of(doc, sensitive_re, each_agent),
    }
}

/// The posture's agents converted for the evaluator as they are built, so
/// that a config with 100,000 agents never holds them all as `serde_json`
/// trees (about four times larger). The posture document then has an empty
/// `agents` list; [`RegoInput`] puts these in its place.
pub struct Agents {
    pub converter: rego::Converter,
    pub agents: Vec<regorus::Value>,
    pub error: Option<rego::ConvertError>,
}

impl Agents {
    pub fn new() -> Agents {
        Agents {
            converter: rego::Converter::new(),
            agents: Vec::new(),
            error: None,
        }
    }

    /// Takes one agent (for [`build_with`]).
    pub fn take(&mut self, agent: Value) -> Option<Value> {
        match self.converter.take(agent) {
            Ok(a) => self.agents.push(a),
            Err(e) => {
                self.error.get_or_insert(e);
            }
        }
        None
    }
}

impl Default for Agents {
    fn default() -> Self {
        Agents::new()
    }
}

/// [`input`] in the evaluator's form: `posture` (whose `agents` were taken
/// by `agents`, if given) and `raw` (the document, if given, and if taken
/// the caller parses it again when it needs it) converted without a
/// `serde_json` copy, with the agents taken by [`Agents`] kept apart: the whole input ([`RegoInput::whole`]), or the
/// same input once for each run of at most `n` agents
/// ([`RegoInput::chunks`]), which the built-in policies judge agent by
/// agent (`crate::checks::policy::PolicySet::evaluate_input`).
pub struct RegoInput {
    /// The input's members but `posture`.
    members: std::collections::BTreeMap<regorus::Value, regorus::Value>,
    /// The posture's members but `agents` (when they were taken).
    posture: std::collections::BTreeMap<regorus::Value, regorus::Value>,
    /// The taken agents, in the posture's order.
    agents: Option<Vec<regorus::Value>>,
    /// Whether the posture is an object (else it is among `members`).
    posture_object: bool,
    /// What converted the rest, for agents taken later.
    conv: rego::Converter,
}

impl RegoInput {
    pub fn new(
        base: &InputBase,
        raw: Option<std::borrow::Cow<'_, Value>>,
        dialect: Dialect,
        posture: Value,
        agents: Option<Agents>,
        path: &str,
    ) -> Result<RegoInput, rego::ConvertError> {
        use std::collections::BTreeMap;
        let (mut conv, mut agents) = match agents {
            Some(a) => {
                if let Some(e) = a.error {
                    return Err(e);
                }
                (a.converter, Some(a.agents))
            }
            None => (rego::Converter::new(), None),
        };
        let mut input = BTreeMap::new();
        // the same members, in the same order of precedence, as `input`
        match &base.0 {
            Ok(members) => input.extend(members.iter().cloned()),
            Err(e) => return Err(rego::ConvertError(e.clone())),
        }
        let mut p = BTreeMap::new();
        let posture_object = posture.is_object();
        // the taken agents stand for the posture's `agents` member, if any
        if posture.get("agents").is_none() {
            agents = None;
        }
        match posture {
            Value::Object(m) => {
                for (k, v) in m {
                    if k == "agents" && agents.is_some() {
                        continue;
                    }
                    let v = conv.take(v)?;
                    p.insert(conv.take(Value::String(k))?, v);
                }
            }
            other => {
                input.insert(conv.take(json!("posture"))?, conv.take(other)?);
            }
        }
        match raw {
            Some(raw) if dialect != Dialect::PolicyProfile => {
                let raw = match raw {
                    std::borrow::Cow::Owned(v) => conv.take(v)?,
                    std::borrow::Cow::Borrowed(v) => conv.convert(v)?,
                };
                input.insert(conv.take(json!("raw"))?, raw);
            }
            _ => {}
        }
        input.insert(
            conv.take(json!("dialect"))?,
            conv.take(json!(dialect.as_str()))?,
        );
        input.insert(conv.take(json!("path"))?, regorus::Value::from(path));
        Ok(RegoInput {
            members: input,
            posture: p,
            agents,
            posture_object,
            conv,
        })
    }

    /// Whether the agents are taken apart (the posture has `agents`, and
    /// they were taken, [`Agents`]).
    pub fn takes_agents(&self) -> bool {
        self.agents.is_some()
    }

    /// One agent in the evaluator's form, for [`RegoInput::with_agents`].
    pub fn convert_agent(&mut self, agent: Value) -> Result<regorus::Value, rego::ConvertError> {
        self.conv.take(agent)
    }

    /// Takes one more agent apart (when [`RegoInput::takes_agents`]).
    pub fn push_agent(&mut self, agent: Value) -> Result<(), rego::ConvertError> {
        let agent = self.conv.take(agent)?;
        if let Some(a) = self.agents.as_mut() {
            a.push(agent);
        }
        Ok(())
    }

    /// How many agents were taken apart (0 when none were).
    pub fn agent_count(&self) -> usize {
        self.agents.as_ref().map_or(0, Vec::len)
    }

    /// The input with `agents` (if taken) as the posture's agents.
    pub fn with_agents(&self, agents: Option<Vec<regorus::Value>>) -> regorus::Value {
        let mut input = self.members.clone();
        if self.posture_object {
            let mut p = self.posture.clone();
            if let Some(a) = agents {
                p.insert(regorus::Value::from("agents"), regorus::Value::from(a));
            }
            input.insert(regorus::Value::from("posture"), regorus::Value::from(p));
        }
        regorus::Value::from(input)
    }

    /// The whole input.
    pub fn whole(mut self) -> regorus::Value {
        let agents = self.agents.take();
        self.with_agents(agents)
    }

    /// The input once for each run of at most `n` (at least 1) of the agents, in
    /// order; once, with no agents, when there are none. Each holds the
    /// same members but its agents (a clone of a `regorus::Value` is a
    /// reference count).
    pub fn chunks(mut self, n: usize) -> Vec<regorus::Value> {
        let n = n.max(1);
        let Some(mut agents) = self.agents.take() else {
            return vec![self.with_agents(None)];
        };
        if agents.len() <= n {
            return vec![self.with_agents(Some(agents))];
        }
        let mut out = Vec::with_capacity(agents.len().div_ceil(n));
        // from the end, so that each run is moved out once
        let mut runs = Vec::with_capacity(out.capacity());
        while !agents.is_empty() {
            let at = (agents.len() - 1) / n * n;
            runs.push(agents.split_off(at));
        }
        for run in runs.into_iter().rev() {
            out.push(self.with_agents(Some(run)));
        }
        out
    }
}

/// The whole input document for one config.
pub fn input(base: &Value, doc: &Value, dialect: Dialect, posture: Value, path: &str) -> Value {
    let mut input = base.clone();
    input["posture"] = posture;
    if dialect != Dialect::PolicyProfile {
        // Dialect-specific policies may read the document itself.
        input["raw"] = doc.clone();
    }
    input["dialect"] = json!(dialect.as_str());
    input["path"] = json!(path);
    input
}

/// Passes every string (keys included) of `v` through the redaction gate.
pub fn redact_strings(v: &mut Value, gate: &crate::redact::Redactor) {
    match v {
        Value::String(s) => *s = gate.text(s),
        // a number in a credential field is a secret too: shown as its form
        Value::Number(n) => {
            let text = n.to_string();
            let shown = gate.text(&text);
            if shown != text {
                *v = Value::String(shown);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| redact_strings(x, gate)),
        Value::Object(m) => {
            let old = std::mem::take(m);
            for (k, mut x) in old {
                redact_strings(&mut x, gate);
                m.insert(gate.text(&k), x);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    /// The evaluator's input built from the run's pre-converted base and the
    /// agents taken as they are built is the value regorus reads from
    /// [`input`], for both dialects of real configs (with `raw`) and the
    /// policy profile (whose input has none).
    #[test]
    fn rego_input_is_input() {
        let mut settings = Settings::default();
        settings.secrets.known_sources = vec!["vault".into(), "aws-secrets-manager".into()];
        let re = settings.sensitivity_regex();
        let base = input_base(&settings);
        let pre = InputBase::new(&base);
        let docs = [
            (
                include_str!("../../tests/fixtures/openclaw/hardened.json5"),
                Dialect::OpenClaw2026_9,
            ),
            (
                include_str!("../../tests/fixtures/openclaw/legacy-2026.2.json5"),
                Dialect::OpenClaw2026_2,
            ),
            (
                r#"{"openclaw": {"agents": {"payments": {"runtime": "session", "timeout": 0},
                    "helper": {"auto-destroy": true}}, "monitoring": {}}}"#,
                Dialect::PolicyProfile,
            ),
        ];
        for (text, dialect) in docs {
            let doc = crate::load::parse(text.as_bytes()).unwrap().value;
            let want = input(
                &base,
                &doc,
                dialect,
                build(&doc, dialect, &settings, &re),
                "c.json",
            );
            let want = regorus::Value::deserialize(&want).unwrap();
            let mut agents = Agents::new();
            let posture = build_with(&doc, dialect, &settings, &re, &mut |v| agents.take(v));
            let got = RegoInput::new(
                &pre,
                Some(std::borrow::Cow::Borrowed(&doc)),
                dialect,
                posture,
                Some(agents),
                "c.json",
            )
            .unwrap()
            .whole();
            assert_eq!(got, want, "{dialect:?}");
            assert!(!got["posture"]["agents"].as_array().unwrap().is_empty());
            assert!(!got["limits"].as_object().unwrap().is_empty());
        }
    }
}
