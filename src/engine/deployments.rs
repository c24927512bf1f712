//! The deployment rules (OC5xx), judged once every config of the run is
//! known.

use super::*;

/// Judges every deployment file with the configs it runs (`crate::deploy`)
/// and applies its inline directives to its findings, secret ones included.
pub(super) fn check_deployments(
    ctx: &Context<'_>,
    policies: &mut PolicySet,
    files: Vec<crate::deploy::DeployFile>,
    configs: &[crate::deploy::ConfigFacts],
    report: &mut Report,
) -> Result<(), PolicyError> {
    let inputs = crate::deploy::inputs(&files, configs);
    let mut files = files;
    for (i, input) in inputs {
        let f = &mut files[i];
        let mut findings = std::mem::take(&mut f.pending);
        let text = FileText {
            display: &f.display,
            bytes: &f.bytes,
            lines: LineIndex::new(&f.bytes),
            redactor: &f.redactor,
        };
        match policies.evaluate_deployment(input) {
            Ok(raw) => {
                for r in raw {
                    let Some(s) = sev(ctx, &r.rule, r.severity) else {
                        continue;
                    };
                    // Several findings of a rule can share a pointer (the
                    // flags of one systemd `ExecStart=`): the message tells
                    // them apart, without the line numbers it quotes.
                    let fp = fingerprint(&[
                        r.rule.as_bytes(),
                        f.display.as_bytes(),
                        r.pointer.as_bytes(),
                        strip_positions(&r.message).as_bytes(),
                    ]);
                    let mut finding = text.finding(
                        &r.rule,
                        s,
                        f.doc.locate(&r.pointer),
                        r.message,
                        Some(r.pointer),
                    );
                    finding.fingerprint = fp;
                    finding.places = r.places;
                    findings.push(finding);
                }
                // A literal in a credential variable is OC503 on that line; the
                // generic-assignment rule would only say it again.
                let literal_lines: std::collections::HashSet<usize> = findings
                    .iter()
                    .filter(|x| x.rule == "OC503")
                    .map(|x| x.start.line)
                    .collect();
                findings.retain(|x| !(x.rule == "OC311" && literal_lines.contains(&x.start.line)));
            }
            Err(e @ PolicyError::Malformed { .. }) => return Err(e),
            Err(e) => {
                if let Some(s) = sev(ctx, "OC002", None) {
                    findings.push(text.finding(
                        "OC002",
                        s,
                        0..0,
                        format!("cannot check {}: {e}", f.display),
                        None,
                    ));
                }
            }
        }
        if crate::suppress::may_hold_directives(&f.bytes) {
            let ran = |rule: &str| {
                let checked = match rule.get(..3) {
                    Some("OC0") => rule != "OC007" || ctx.config_checks,
                    Some("OC3") => ctx.secret_checks,
                    Some("OC5") => ctx.config_checks,
                    _ => false,
                };
                checked && crate::rules::get(rule).is_some() && sev(ctx, rule, None).is_some()
            };
            let redactor = text.redactor;
            let bytes = text.bytes;
            crate::suppress::apply_inline(
                &crate::suppress::Source {
                    display: text.display,
                    bytes,
                    lines: &text.lines,
                    excerpt: &|range| redactor.excerpt(bytes, range),
                },
                &mut findings,
                &mut report.suppressed,
                ctx.settings,
                &ran,
            );
        }
        report.findings.extend(findings);
    }
    Ok(())
}

/// `text` without the `:LINE:COL` of the places it quotes.
pub(super) fn strip_positions(text: &str) -> String {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| regex::Regex::new(r":\d+:\d+").expect("static regex"))
        .replace_all(text, "")
        .into_owned()
}
