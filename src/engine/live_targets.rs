//! The bridge to `--live`: the agents a config runs, with their limits,
//! and the executor's observations turned into findings.

use super::*;

/// Agent profiles (and declared metrics) of a posture, for `--live`: the
/// limits come from the typed view of the posture (`posture::live`), for a
/// policy profile and a real config alike, each with where it came from.
pub(super) fn collect_live_targets(
    posture: &crate::posture::Posture,
    dialect: Dialect,
    doc: &Document,
    text: &FileText<'_>,
    out: &mut FileOutcome,
) {
    use crate::checks::live::{AgentProfile, ExercisedLimit, ExercisedRun};
    use crate::posture::live::{LimitSource, LiveAgent};
    let real = dialect != Dialect::PolicyProfile;
    let line_of = |pointer: &str| {
        let at = text.lines.position(text.bytes, doc.locate(pointer).start);
        format!("{}:{}", text.display, at.line)
    };
    let limit = |name: &str, value: String, src: &LimitSource| -> ExercisedLimit {
        match src {
            LimitSource::Config { pointer, setting } => ExercisedLimit {
                limit: name.into(),
                value: text.redactor.text(&value),
                source: "config".into(),
                setting: Some(text.redactor.text(setting)),
                pointer: text.redactor.text(pointer),
                location: text.redactor.text(&line_of(pointer)),
                text: String::new(),
            },
            LimitSource::Default { text: t } => ExercisedLimit {
                limit: name.into(),
                value: text.redactor.text(&value),
                source: if real { "openclaw-default" } else { "unset" }.into(),
                setting: None,
                pointer: String::new(),
                location: String::new(),
                text: text.redactor.text(t),
            },
        }
    };
    let config_anchor = |rule: &'static str, src: &LimitSource| match src {
        LimitSource::Config { pointer, .. } => Some((
            rule,
            text.finding(
                rule,
                Severity::Error,
                doc.locate(pointer),
                String::new(),
                Some(pointer.clone()),
            ),
        )),
        LimitSource::Default { .. } => None,
    };
    for a in crate::posture::live::live_agents(posture) {
        let LiveAgent {
            name,
            pointer,
            timeout_secs,
            teardown,
            max_concurrent,
            thread_bound,
            run,
            sandbox,
            not_exercised,
        } = a;
        let secs = |v: Option<f64>| match v {
            Some(t) => format!("{t} s"),
            None => "none (unlimited)".to_string(),
        };
        let no_timeout = match (&timeout_secs.source, real) {
            (LimitSource::Config { setting, .. }, true) => Some(format!(
                "`{setting}` is 0 = no timeout: every {run} could run forever"
            )),
            (LimitSource::Default { text: t }, true) => {
                Some(format!("no timeout: {t}; every {run} could run forever"))
            }
            _ => None,
        };
        let no_teardown = (!teardown.value && real).then(|| match &teardown.source {
            LimitSource::Config { setting, .. } => format!(
                "`{setting}` keeps the {run}'s session alive past the task (persistent, not one-shot)"
            ),
            LimitSource::Default { text: t } => t.clone(),
        });
        let profile = AgentProfile {
            name: name.clone(),
            timeout_secs: timeout_secs.value,
            auto_destroy: teardown.value,
            max_concurrent: max_concurrent.value,
            thread_bound: thread_bound.value,
            no_timeout: no_timeout.map(|m| text.redactor.text(&m)),
            no_teardown: no_teardown.map(|m| text.redactor.text(&m)),
        };
        let mut limits = vec![
            limit("timeout", secs(timeout_secs.value), &timeout_secs.source),
            limit(
                "teardown",
                if teardown.value {
                    format!("at the end of each {run}")
                } else {
                    "none (the session outlives the task)".into()
                },
                &teardown.source,
            ),
            limit(
                "max-concurrent",
                max_concurrent
                    .value
                    .map_or("unlimited".to_string(), |n| n.to_string()),
                &max_concurrent.source,
            ),
            limit(
                "thread-bound",
                thread_bound.value.to_string(),
                &thread_bound.source,
            ),
        ];
        if let Some(sb) = &sandbox {
            limits.push(limit("sandbox", sb.value.clone(), &sb.source));
        }
        let not_exercised = not_exercised
            .iter()
            .map(|n| ExercisedLimit {
                limit: text.redactor.text(&n.setting),
                value: String::new(),
                source: "not-exercised".into(),
                setting: Some(text.redactor.text(&n.setting)),
                pointer: text.redactor.text(&n.pointer),
                location: text.redactor.text(&line_of(&n.pointer)),
                text: text.redactor.text(&n.text),
            })
            .collect();
        let mut rule_anchors = Vec::new();
        if let Some(x) = config_anchor("OC402", &timeout_secs.source) {
            rule_anchors.push(x);
        }
        if !teardown.value {
            for rule in ["OC401", "OC404"] {
                if let Some(x) = config_anchor(rule, &teardown.source) {
                    rule_anchors.push(x);
                }
            }
        }
        if let Some(x) = config_anchor("OC408", &max_concurrent.source) {
            rule_anchors.push(x);
        }
        let anchor = text.finding(
            "OC401",
            Severity::Error,
            doc.locate(&pointer),
            String::new(),
            Some(pointer),
        );
        out.live_targets.push(LiveTarget {
            profile,
            anchor,
            rule_anchors,
            config: text.display.to_string(),
            dialect,
            exercised: ExercisedRun {
                agent: text.redactor.text(&name),
                run: run.to_string(),
                limits,
                not_exercised,
            },
        });
    }
    out.declared_metrics
        .extend(posture.declared_metrics().map(|(m, _)| m.to_string()));
}

/// Runs every agent profile of the report in the reference executor and adds
/// what it observed as OC4xx findings at the agent's declaration.
pub fn run_live(
    report: &mut Report,
    settings: &Settings,
    opts: &crate::checks::live::LiveOptions,
) -> Result<(), crate::checks::live::LiveError> {
    // Names must be unique per run: qualify duplicates with their file.
    let mut targets = report.live_targets.clone();
    let mut seen = std::collections::BTreeMap::<String, usize>::new();
    for t in &targets {
        *seen.entry(t.profile.name.clone()).or_default() += 1;
    }
    for t in &mut targets {
        if seen[&t.profile.name] > 1 {
            t.profile.name = format!("{} ({})", t.profile.name, t.anchor.path);
        }
    }
    let profiles: Vec<_> = targets.iter().map(|t| t.profile.clone()).collect();
    let mut opts = opts.clone();
    opts.declared_metrics = report.declared_metrics.clone();
    let mut live = crate::checks::live::run(&profiles, &opts)?;
    live.exercised = exercised(&targets, &live.agents);
    apply_live(report, settings, &targets, live, !profiles.is_empty());
    Ok(())
}

/// `--live --openclaw`: runs the real OpenClaw on a copy of the config at
/// `path` (the report's `display` name for it) and adds what its probes
/// observed as OC4xx findings, anchored like the executor's.
#[cfg(target_os = "linux")]
pub fn run_live_openclaw(
    report: &mut Report,
    settings: &Settings,
    path: &std::path::Path,
    display: &str,
    opts: &crate::checks::live::openclaw::OpenClawOptions,
) -> Result<(), crate::checks::live::LiveError> {
    use crate::checks::live::LiveError;
    let bytes = crate::config::read_regular_file(path, settings.limits.max_config_bytes)
        .map_err(|e| LiveError::Setup(format!("{display}: {e}")))?;
    let doc = crate::load::parse(&bytes).map_err(|e| {
        let p = crate::source::LineIndex::new(&bytes).position(&bytes, e.offset);
        LiveError::Setup(format!("{display}:{}:{}: {}", p.line, p.column, e.message))
    })?;
    let mut live = crate::checks::live::openclaw::run(&doc.value, display, opts)?;
    // Everything in the statement passes the run's redaction gate.
    live.exercised.statement = report.redactor.text(&live.exercised.statement);
    for n in &mut live.notes {
        *n = report.redactor.text(n);
    }
    let targets: Vec<LiveTarget> = report
        .live_targets
        .iter()
        .filter(|t| t.config == display)
        .cloned()
        .collect();
    let fallback = LiveTarget {
        profile: crate::checks::live::AgentProfile {
            name: live
                .agents
                .first()
                .map(|a| a.name.clone())
                .unwrap_or_default(),
            ..Default::default()
        },
        anchor: Finding {
            rule: String::new(),
            severity: Severity::Error,
            path: display.to_string(),
            start: crate::source::Position { line: 1, column: 1 },
            end: crate::source::Position { line: 1, column: 1 },
            message: String::new(),
            pointer: Some(String::new()),
            evidence: None,
            secret_hash: None,
            fingerprint: String::new(),
            fix: None,
            snippet: None,
            snippet_column: 0,
            related: Vec::new(),
            places: Vec::new(),
        },
        rule_anchors: Vec::new(),
        config: display.to_string(),
        dialect: Dialect::OpenClaw2026_9,
        exercised: Default::default(),
    };
    let targets = if targets.is_empty() {
        vec![fallback]
    } else {
        targets
    };
    apply_live(report, settings, &targets, live, true);
    Ok(())
}

/// Adds the live run's findings at the setting (or agent) they are about and
/// keeps the run for the outputs.
fn apply_live(
    report: &mut Report,
    settings: &Settings,
    targets: &[LiveTarget],
    live: crate::checks::live::LiveReport,
    assessed: bool,
) {
    for lf in &live.findings {
        let default = Severity::parse(lf.severity).unwrap_or(Severity::Warning);
        let Some(severity) = settings.severity_of(lf.rule, default) else {
            continue;
        };
        let target = targets.iter().find(|t| t.profile.name == lf.agent);
        // At the setting the verdict is about when the config has it, else
        // at the agent's declaration (or the first agent's, for run-wide ones).
        let anchor = target
            .and_then(|t| {
                t.rule_anchors
                    .iter()
                    .find(|(r, _)| *r == lf.rule)
                    .map(|(_, f)| f.clone())
            })
            .or_else(|| target.or_else(|| targets.first()).map(|t| t.anchor.clone()));
        let Some(mut f) = anchor else { continue };
        f.rule = lf.rule.to_string();
        f.severity = severity;
        f.message = if lf.probe.is_empty() || lf.probe == "*" {
            lf.message.clone()
        } else {
            format!("live probe `{}`: {}", lf.probe, lf.message)
        };
        // Through the run's gate whole: an anchor at a setting holds its
        // pointer (an agent's name) and snippet as the file gave them.
        report.redactor.finding(&mut f);
        f.fingerprint = fingerprint(&[
            lf.rule.as_bytes(),
            f.path.as_bytes(),
            lf.agent.as_bytes(),
            lf.probe.as_bytes(),
        ]);
        report.findings.push(f);
    }
    canonicalise(&mut report.findings);
    // Live rules judge what the executor observed: with no profile to run they assessed nothing.
    if assessed {
        report.assessed_rules.extend(
            crate::checks::live::rules()
                .iter()
                .filter(|r| settings.severity_of(r.id, r.severity).is_some())
                .map(|r| r.id),
        );
        report.assessed_rules.sort_unstable();
        report.assessed_rules.dedup();
    }
    report.live = Some(live);
}

/// What the live run exercised: per config, "reference executor under the
/// limits of <config>", with every limit, its effective value and its origin.
pub(super) fn exercised(
    targets: &[LiveTarget],
    agents: &[crate::checks::live::AgentSummary],
) -> crate::checks::live::Exercised {
    use crate::checks::live::{Exercised, ExercisedConfig};
    let mut configs: Vec<ExercisedConfig> = Vec::new();
    for t in targets {
        let mut run = t.exercised.clone();
        run.agent = t.profile.name.clone();
        if let Some(a) = agents.iter().find(|a| a.name == t.profile.name) {
            if let Some(l) = run.limits.iter_mut().find(|l| l.limit == "timeout") {
                let eff = a.effective_timeout_secs;
                l.value = match a.configured_timeout_secs {
                    Some(c) if c > eff => {
                        format!("{c} s, run at {eff} s (scaled to --live-timeout-cap)")
                    }
                    Some(c) => format!("{c} s"),
                    None => format!("none (unlimited), run with a cap of {eff} s"),
                };
            }
            if let Some(l) = run.limits.iter_mut().find(|l| l.limit == "max-concurrent") {
                l.value = format!(
                    "{} ({} worker(s) used, at most {} observed at once)",
                    l.value, a.concurrency_used, a.max_observed_concurrency
                );
            }
        }
        match configs.iter_mut().find(|c| c.config == t.config) {
            Some(c) => c.runs.push(run),
            None => configs.push(ExercisedConfig {
                config: t.config.clone(),
                dialect: t.dialect.as_str().to_string(),
                statement: format!("reference executor under the limits of {}", t.config),
                runs: vec![run],
            }),
        }
    }
    Exercised {
        statement: "clawcheck ran its probe workloads (hostile and well-behaved) in its own reference isolated executor, under the limits read from each config below; OpenClaw and its gateway were not run, so this is evidence about the configured limits, not a test of the gateway".into(),
        configs,
    }
}
