//! Judging one parsed config: `$include`, dialect, schema, posture,
//! policies; each raw finding placed in the file that wrote its value.

use super::*;

pub(super) fn check_config(
    c: &Candidate,
    ctx: &Context<'_>,
    policies: &mut PolicySet,
    text: &FileText<'_>,
    parsed: Result<(Document, Vec<load::Duplicate>), load::ParseFailure>,
    out: &mut FileOutcome,
) -> Result<(), PolicyError> {
    let (mut doc, duplicates) = match parsed {
        Ok(d) => d,
        Err(e) => {
            if let Some(s) = sev(ctx, "OC001", None) {
                out.findings.push(text.finding(
                    "OC001",
                    s,
                    e.offset..e.end,
                    format!("cannot parse {}: {}", c.display, e.message),
                    None,
                ));
            }
            return Ok(());
        }
    };
    if let Some(s) = sev(ctx, "OC101", None) {
        for d in &duplicates {
            let first = text.lines.position(text.bytes, d.first.start);
            let mut f = text.finding(
                "OC101",
                s,
                d.last.clone(),
                format!(
                    "duplicate key `{}` (first at line {}): OpenClaw's JSON5 parser keeps this later value and ignores the first, which is what a reviewer reads; keep one",
                    d.key, first.line
                ),
                Some(d.pointer.clone()),
            );
            f.fix = crate::fix::duplicate(&doc, text.bytes, &text.lines, d.first.clone());
            out.findings.push(f);
        }
    }
    if !doc.value.is_object() {
        if let Some(s) = sev(ctx, "OC003", None) {
            let what = match &doc.value {
                Value::Array(_) => "an array",
                Value::String(_) => "a string",
                Value::Number(_) => "a number",
                Value::Bool(_) => "a boolean",
                _ => "null",
            };
            out.findings.push(text.finding(
                "OC003",
                s,
                doc.locate(""),
                format!("the top level of {} is {what}, not an object", c.display),
                Some(String::new()),
            ));
        }
        return Ok(());
    }
    // OpenClaw's `$include`: the merged config is judged, and each finding is
    // placed in the file where its value was written.
    let resolved = crate::include::has_include(&doc.value).then(|| {
        crate::include::resolve(&doc, &c.path, &std::env::current_dir().unwrap_or_default())
    });
    let included = Included::new(resolved.as_ref(), ctx.scanner);
    for r in &included.redactors {
        out.secrets.extend_from_slice(r.secrets());
    }
    if let (Some(r), Some(s)) = (&resolved, sev(ctx, "OC105", None)) {
        let places = Places {
            doc: &doc,
            text,
            resolved: resolved.as_ref(),
            texts: included.texts(),
        };
        for issue in &r.issues {
            let (t, range) = match &issue.range {
                Some(range) => (places.text_of(issue.at.file), range.clone()),
                None => places.locate_in(&issue.at),
            };
            out.findings.push(t.finding(
                "OC105",
                s,
                range,
                issue.message.clone(),
                Some(issue.at.pointer.clone()),
            ));
        }
    }
    let value = resolved.as_ref().map_or(&doc.value, |r| &r.value);
    let dialect = ctx.dialect.unwrap_or_else(|| normalise::detect(value));
    out.config = Some(ConfigInfo {
        path: c.display.clone(),
        dialect,
        includes: included.files.iter().map(|f| f.display.clone()).collect(),
    });
    let mut raw = Vec::new();
    let (root, base) = normalise::unwrap(value);
    if base == "/openclaw" {
        raw.push(wrapper_finding(dialect));
    }
    raw.extend(schema::check(root, base, dialect));
    raw.extend(crate::checks::refine::check(root, base, dialect));
    // The agents go to the evaluator's form as they are built, unless the
    // live checks need them in the typed view (small configs only). With
    // the built-in policies only, they are built as the evaluator takes
    // them, a run at a time (`PolicySet::evaluate_fed`).
    let fed = !ctx.live && policies.judges_agents_alone();
    let mut agents = (!ctx.live).then(crate::posture::Agents::new);
    let posture = match agents.as_mut() {
        _ if fed => crate::posture::build_apart(value, dialect, ctx.settings),
        Some(a) => {
            crate::posture::build_with(value, dialect, ctx.settings, &ctx.sensitive_re, &mut |v| {
                a.take(v)
            })
        }
        None => crate::posture::build(value, dialect, ctx.settings, &ctx.sensitive_re),
    };
    let typed = crate::posture::Posture::of(&posture);
    if ctx.live {
        collect_live_targets(&typed, dialect, &doc, text, out);
    }
    out.config_facts = Some(crate::deploy::ConfigFacts::from_posture(
        &c.display,
        &typed,
        value,
        &|pointer| {
            let at = text.lines.position(text.bytes, doc.locate(pointer).start);
            crate::deploy::Place {
                path: c.display.clone(),
                pointer: pointer.to_string(),
                line: at.line,
                column: at.column,
            }
        },
    ));
    drop(typed);
    // The document goes into the input (as `raw`) only for user policies. A
    // large one is then let go while the policies run (the input holds it);
    // it is parsed again below only if a finding plans a fix.
    let reads_raw = policies.reads_raw();
    let taken = !fed && reads_raw && resolved.is_none() && text.bytes.len() > KEEP_PARSED_BYTES;
    let evaluated = if fed {
        let input = crate::posture::RegoInput::new(
            &ctx.policy_input_base,
            None,
            dialect,
            posture,
            agents,
            &c.display,
        );
        input
            .map_err(crate::checks::policy::input_error)
            .and_then(|input| {
                let total = crate::posture::agent_count(value, dialect);
                policies.evaluate_fed(input, total, &mut |each| {
                    crate::posture::for_each_agent(value, dialect, &ctx.sensitive_re, each)
                })
            })
    } else {
        let raw_doc = if !reads_raw {
            None
        } else if taken {
            Some(std::borrow::Cow::Owned(std::mem::take(&mut doc.value)))
        } else {
            Some(std::borrow::Cow::Borrowed(value))
        };
        crate::posture::RegoInput::new(
            &ctx.policy_input_base,
            raw_doc,
            dialect,
            posture,
            agents,
            &c.display,
        )
        .map_err(crate::checks::policy::input_error)
        .and_then(|input| policies.evaluate_input(input))
    };
    match evaluated {
        Ok(found) => raw.extend(found),
        // A broken user policy is a tool error (exit 2), like one that does
        // not compile: it says nothing about this config.
        Err(e @ PolicyError::Malformed { .. }) => return Err(e),
        // Not checked to the end (the budget ran out, or a policy failed on
        // this input): an error finding naming the file, never a silent pass,
        // and the other files are still checked.
        Err(e) => {
            if let Some(s) = sev(ctx, "OC002", None) {
                let hint = match e {
                    PolicyError::Budget { .. } => {
                        " (`limits.policy_eval_seconds` in clawcheck.toml)"
                    }
                    _ => "",
                };
                out.findings.push(text.finding(
                    "OC002",
                    s,
                    doc.locate(""),
                    format!("cannot check {}: {e}{hint}", c.display),
                    None,
                ));
            }
        }
    }
    if taken && raw.iter().any(|r| r.fix.is_some()) {
        // the same bytes parsed the same way: the same value
        doc.value = load::parse_value(text.bytes).unwrap_or_default();
    }
    let places = Places {
        doc: &doc,
        text,
        resolved: resolved.as_ref(),
        texts: included.texts(),
    };
    place(raw, &places, ctx, dialect, &mut out.findings);
    fold_literal_credentials(&mut out.findings, base);
    Ok(())
}

/// When the evaluator's input holds the document (`raw`, for user
/// policies), a config up to this size keeps its parsed document as well,
/// so that planning its fixes does not parse it again (the second parse was
/// a twentieth of checking 1,000 real configs, callgrind); a larger one
/// lets it go, which bounds the peak of a huge config.
const KEEP_PARSED_BYTES: usize = 1 << 20;

/// One pasted key is one finding: a literal in a credential field (OC211)
/// that the secret scanner also recognises (OC3xx, inside the OC211 key and
/// value) is reported once. The specific family wins, at the value, with the
/// field named in its message and OC211 folded in as related information;
/// for the generic assignment rule (OC311), which says no more than OC211,
/// OC211 stays, moved to the value, and OC311 is folded into it. The finding keeps the higher
/// severity of the two and the winner's fingerprint.
pub(super) fn fold_literal_credentials(findings: &mut Vec<Finding>, base: &str) {
    let literal: Vec<usize> = (0..findings.len())
        .filter(|&i| findings[i].rule == "OC211")
        .collect();
    let mut gone = vec![false; findings.len()];
    for i in literal {
        let (start, end) = (findings[i].start, findings[i].end);
        let Some(j) = (0..findings.len()).find(|&j| {
            let f = &findings[j];
            !gone[j]
                && f.rule.starts_with("OC3")
                && f.path == findings[i].path
                && f.start >= start
                && f.end <= end
        }) else {
            continue;
        };
        let (keep, fold) = if findings[j].rule == "OC311" {
            (i, j)
        } else {
            (j, i)
        };
        gone[fold] = true;
        let folded = findings[fold].clone();
        let kept = &mut findings[keep];
        if keep == j {
            // `literal credential in `X` (`shown`): FIX` → `… in `X`: FIX`
            let field = findings_field(&folded, base);
            let fix = folded
                .message
                .split_once("): ")
                .map_or(folded.message.as_str(), |(_, fix)| fix);
            kept.message = format!("{} in the credential field `{field}`: {fix}", kept.message);
            kept.pointer = folded.pointer.clone();
            // the credential field's fix (a SecretRef) repairs this finding too
            if kept.fix.is_none() {
                kept.fix.clone_from(&folded.fix);
            }
        } else {
            // OC211 stays, at the value the scanner found (not the whole
            // member), with its redacted evidence
            kept.start = folded.start;
            kept.end = folded.end;
            kept.snippet.clone_from(&folded.snippet);
            kept.snippet_column = folded.snippet_column;
            kept.evidence.clone_from(&folded.evidence);
            kept.secret_hash.clone_from(&folded.secret_hash);
        }
        kept.severity = kept.severity.max(folded.severity);
        kept.related.push(crate::finding::Related {
            rule: folded.rule,
            start: folded.start,
            end: folded.end,
            message: folded.message,
            fingerprint: folded.fingerprint,
        });
    }
    let mut k = 0;
    findings.retain(|_| {
        k += 1;
        !gone[k - 1]
    });
}

/// The dotted path of a config finding's pointer (`models.providers.openai.apiKey`).
pub(super) fn findings_field(f: &Finding, base: &str) -> String {
    normalise::dotted(f.pointer.as_deref().unwrap_or(""), base)
}

/// The files a config includes, each with its line index and redaction gate.
pub(super) struct Included<'a> {
    files: &'a [crate::include::Included],
    redactors: Vec<crate::redact::Redactor>,
}

impl<'a> Included<'a> {
    pub(super) fn new(
        resolved: Option<&'a crate::include::Resolved>,
        scanner: &crate::checks::secrets::Scanner,
    ) -> Self {
        let files = resolved.map_or(&[][..], |r| &r.files[..]);
        // A fragment's literal credential is one where the merged config
        // puts it (a fragment of `gateway.auth` holds `password` at its top
        // level): every fragment's gate knows the merged config's literals.
        let literals: Vec<String> = resolved.map_or_else(Vec::new, |r| {
            crate::openclaw::credential_literal_paths(normalise::unwrap(&r.value).0)
                .into_iter()
                .map(|(_, v)| v)
                .filter(|v| !crate::openclaw::is_placeholder(v))
                .collect()
        });
        Included {
            files,
            redactors: files
                .iter()
                .map(|f| {
                    let matches = scanner.scan_path(&f.bytes, &f.path);
                    // a fragment that does not parse: its literals are unknown
                    file_redactor(
                        &f.bytes,
                        &matches,
                        f.doc.as_ref().map(|d| (d, DocKind::Config)),
                        scanner,
                        true,
                        literals.clone(),
                    )
                    .masked(f.doc.is_none())
                })
                .collect(),
        }
    }

    pub(super) fn texts(&self) -> Vec<FileText<'_>> {
        self.files
            .iter()
            .zip(&self.redactors)
            .map(|(f, redactor)| FileText {
                display: &f.display,
                bytes: &f.bytes,
                lines: LineIndex::new(&f.bytes),
                redactor,
            })
            .collect()
    }
}

/// Where a finding about a pointer of the judged config goes: the config
/// itself, or the file it includes that wrote the value.
pub(super) struct Places<'a> {
    doc: &'a Document,
    text: &'a FileText<'a>,
    resolved: Option<&'a crate::include::Resolved>,
    texts: Vec<FileText<'a>>,
}

impl Places<'_> {
    pub(super) fn text_of(&self, file: usize) -> &FileText<'_> {
        match file {
            0 => self.text,
            i => &self.texts[i - 1],
        }
    }

    /// The file and byte range of `loc`.
    pub(super) fn locate_in(
        &self,
        loc: &crate::include::Loc,
    ) -> (&FileText<'_>, std::ops::Range<usize>) {
        let doc = match loc.file {
            0 => Some(self.doc),
            i => self.resolved.and_then(|r| r.files[i - 1].doc.as_ref()),
        };
        let range = doc.map_or(0..0, |d| d.locate(&loc.pointer));
        (self.text_of(loc.file), range)
    }

    /// A finding about `pointer` of the judged (merged) config, at the place
    /// the value was written; its pointer is the one inside that file, and
    /// its fix (when the rule plans one) edits that file.
    pub(super) fn finding(
        &self,
        rule: &str,
        s: Severity,
        pointer: &str,
        message: String,
        fix: Option<&crate::fix::FixSpec>,
        dialect: Dialect,
    ) -> Finding {
        let loc = match self.resolved {
            Some(r) => r.origin(pointer),
            None => crate::include::Loc {
                file: 0,
                pointer: pointer.to_string(),
            },
        };
        let (t, range) = self.locate_in(&loc);
        let mut f = t.finding(rule, s, range, message, Some(loc.pointer.clone()));
        let doc = match loc.file {
            0 => Some(self.doc),
            i => self.resolved.and_then(|r| r.files[i - 1].doc.as_ref()),
        };
        if let (Some(spec), Some(doc)) = (fix, doc) {
            f.fix = crate::fix::plan(spec, &loc.pointer, doc, t.bytes, &t.lines, dialect);
        }
        f
    }
}

/// OC103: OpenClaw itself rejects a top-level `openclaw` key. A note on a
/// policy profile (OpenClaw never loads it), an error on a real config.
pub(super) fn wrapper_finding(dialect: Dialect) -> RawFinding {
    let (severity, message) = match dialect {
        Dialect::PolicyProfile => (
            None,
            "checked as a clawcheck policy profile; as ~/.openclaw/openclaw.json this file would be rejected by OpenClaw (`Unrecognized key: \"openclaw\"` at the top level)".to_string(),
        ),
        d => (
            Some(Severity::Error),
            format!(
                "OpenClaw rejects a top-level `openclaw` key (`Unrecognized key: \"openclaw\"`) and will not load this file; clawcheck checked the wrapped object as {}: move its keys to the top level",
                d.as_str()
            ),
        ),
    };
    RawFinding {
        rule: "OC103".into(),
        pointer: "/openclaw".into(),
        message,
        severity,
        fix: None,
        places: Vec::new(),
    }
}

/// Places each raw finding, consumed as it is placed (its message moves
/// into the finding, its other strings are freed).
pub(super) fn place(
    raw: Vec<RawFinding>,
    places: &Places<'_>,
    ctx: &Context<'_>,
    dialect: Dialect,
    out: &mut Vec<Finding>,
) {
    let one = |r: RawFinding| {
        let s = sev(ctx, &r.rule, r.severity)?;
        Some(places.finding(&r.rule, s, &r.pointer, r.message, r.fix.as_ref(), dialect))
    };
    if raw.len() < PLACE_IN_PARALLEL {
        out.extend(raw.into_iter().filter_map(one));
    } else {
        // A huge config's findings (each located, fingerprinted and its fix
        // planned) on every core, in order, a batch at a time.
        use rayon::prelude::*;
        out.reserve(raw.len());
        let mut raw = raw.into_iter();
        loop {
            let batch: Vec<RawFinding> = raw.by_ref().take(PLACE_IN_PARALLEL).collect();
            if batch.is_empty() {
                break;
            }
            let placed: Vec<Option<Finding>> =
                batch.into_par_iter().with_min_len(256).map(one).collect();
            out.extend(placed.into_iter().flatten());
        }
    }
}

/// From this many findings in one config, they are placed in parallel.
const PLACE_IN_PARALLEL: usize = 2048;

/// The effective severity of `rule`, or `None` when it is turned off.
pub(super) fn sev(ctx: &Context<'_>, rule: &str, explicit: Option<Severity>) -> Option<Severity> {
    rule_severity(ctx.settings, rule, explicit)
}

/// A rule's severity under `settings` (`None`: turned off); `explicit` is
/// the severity a policy gave, else the registry's.
pub fn rule_severity(
    settings: &Settings,
    rule: &str,
    explicit: Option<Severity>,
) -> Option<Severity> {
    let default = explicit
        .or_else(|| crate::rules::get(rule).map(|r| r.severity))
        .unwrap_or(Severity::Warning);
    settings.severity_of(rule, default)
}
