//! Checking one discovered file: read it once, scan it for secrets, judge
//! it as a config or collect it as a deployment file, apply its inline
//! directives.

use super::*;

pub(super) fn check_file(
    c: &Candidate,
    ctx: &Context<'_>,
    worker: &mut Worker,
) -> Result<FileOutcome, PolicyError> {
    let Worker { policies, buf } = worker;
    let mut out = FileOutcome::default();
    // A file name can hold a secret too: it is shown with every finding.
    out.secrets.extend(ctx.scanner.secrets_in(&c.display));
    let skip = |reason: String, out: &mut FileOutcome| skip(c, reason, out);
    let not_checked = |reason: String, out: &mut FileOutcome| not_checked(c, ctx, reason, out);
    let unreadable = |reason: String, out: &mut FileOutcome| {
        if c.explicit || c.kind == Kind::Config {
            not_checked(reason, out);
        } else {
            skip(reason, out);
        }
    };
    if let Some(err) = &c.walk_error {
        // What the walk could not enter may hold configs: never a silent pass.
        not_checked(format!("the walk could not read it: {err}"), &mut out);
        return Ok(out);
    }
    if c.outside_root {
        unreadable(
            "a symlink to a file outside the scanned root: not followed (--follow-symlinks-outside-root checks it)".into(),
            &mut out,
        );
        return Ok(out);
    }
    // Never open FIFOs, sockets or devices: reading them can block forever
    // (and opening a device can act on it). See [`open_regular`].
    let (file, meta) = match open_regular(&c.path, c.regular) {
        Ok(Some(f)) => f,
        Ok(None) => {
            unreadable("not a regular file".into(), &mut out);
            return Ok(out);
        }
        Err(e) => {
            unreadable(e.to_string(), &mut out);
            return Ok(out);
        }
    };
    let limit = ctx.settings.secrets.max_file_bytes;
    let maybe_config = c.kind == Kind::Config || crate::classify::looks_like_json(&c.path);
    if meta.len() > limit && !maybe_config {
        skip(
            format!(
                "{} bytes, over the size limit of {limit} bytes (secrets.max_file_bytes)",
                meta.len()
            ),
            &mut out,
        );
        return Ok(out);
    }
    let config_limit = ctx.settings.limits.max_config_bytes;
    if c.kind == Kind::Config && meta.len() > config_limit && meta.len() > limit {
        // Neither parsed nor scanned for secrets: not even read.
        oversized_config(c, ctx, meta.len(), &mut out);
        return Ok(out);
    }
    let bytes = match read_bytes(file, meta.len(), buf) {
        Ok(b) => b,
        Err(e) => {
            unreadable(e.to_string(), &mut out);
            return Ok(out);
        }
    };
    check_bytes(c, ctx, policies, &bytes, out)
}

/// Lists the file as skipped.
pub(super) fn skip(c: &Candidate, reason: String, out: &mut FileOutcome) {
    out.skipped = Some(Skipped {
        path: c.display.clone(),
        reason,
    });
}

/// OC002 at the top of a file that was not checked, and the file listed as
/// skipped.
pub(super) fn not_checked(c: &Candidate, ctx: &Context<'_>, reason: String, out: &mut FileOutcome) {
    if let Some(severity) = sev(ctx, "OC002", None) {
        out.findings.push(Finding {
            rule: "OC002".into(),
            severity,
            path: c.display.clone(),
            start: crate::source::Position { line: 1, column: 1 },
            end: crate::source::Position { line: 1, column: 1 },
            fingerprint: fingerprint(&[b"OC002", c.display.as_bytes()]),
            fix: None,
            message: format!("cannot check {}: {reason}", c.display),
            pointer: None,
            evidence: None,
            secret_hash: None,
            snippet: None,
            snippet_column: 1,
            related: Vec::new(),
            places: Vec::new(),
        });
    }
    skip(c, reason, out);
}

/// Never a silent pass: a config over the size limit was not checked, and says so.
pub(super) fn oversized_config(c: &Candidate, ctx: &Context<'_>, len: u64, out: &mut FileOutcome) {
    not_checked(
        c,
        ctx,
        format!(
            "{len} bytes, over the config size limit of {} bytes (limits.max_config_bytes): not parsed",
            ctx.settings.limits.max_config_bytes
        ),
        out,
    );
}

/// The checks of one file's contents (read from disk by [`check_file`], or
/// a fixed version held in memory by `crate::autofix`).
pub(super) fn check_bytes(
    c: &Candidate,
    ctx: &Context<'_>,
    policies: &mut PolicySet,
    bytes: &[u8],
    mut out: FileOutcome,
) -> Result<FileOutcome, PolicyError> {
    let limit = ctx.settings.secrets.max_file_bytes;
    let config_limit = ctx.settings.limits.max_config_bytes;
    out.scanned = true;
    out.bytes = bytes.len() as u64;
    out.input = ctx.hash_inputs.then(|| crate::evidence::InputFile {
        path: c.display.clone(),
        sha256: crate::evidence::sha256_hex(bytes),
        size: out.bytes,
    });
    let verdict = if ctx.explain_not_configs {
        Some(crate::classify::classify(c, bytes))
    } else {
        None
    };
    let mut is_config = match &verdict {
        Some(v) => v.is_config(),
        None => crate::classify::is_config(c, bytes),
    };
    if let Some(verdict) =
        verdict.filter(|v| !v.is_config() && crate::classify::looks_like_json(&c.path))
    {
        // `--verbose` lists the JSON files that were not judged as configs
        let checked = if ctx.secret_checks {
            "scanned for secrets only"
        } else {
            "not checked"
        };
        out.not_config = Some(Skipped {
            path: c.display.clone(),
            reason: format!("{}: {checked}", verdict.reason()),
        });
    }
    if is_config && bytes.len() as u64 > config_limit {
        oversized_config(c, ctx, bytes.len() as u64, &mut out);
        is_config = false;
    }

    // A text file in UTF-16 or UTF-32 (a byte order mark says so; what
    // Windows PowerShell 5 writes) is scanned as the text it holds, decoded:
    // its lines are the file's, and its columns (UTF-16 units) too. It is
    // not judged as a deployment file (its fixes would be edits of other
    // bytes). A config in it is OC001 (OpenClaw reads UTF-8 only).
    let decoded: Option<Vec<u8>> = (!is_config && bytes.len() as u64 <= limit)
        .then(|| load::decode_wide(bytes, bytes.len()))
        .flatten()
        .map(String::into_bytes);
    let wide = decoded.is_some();
    let bytes = decoded.as_deref().unwrap_or(bytes);
    let binary = is_binary(bytes);
    let over = bytes.len() as u64 > limit;
    // A deployment file (Compose, Kubernetes, systemd, ...), judged with the
    // configs after every file is read.
    let name = c.path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let mut deploy_format = (ctx.config_checks && !is_config && !binary && !wide)
        .then(|| crate::deploy::detect(name, bytes))
        .flatten();
    if deploy_format.is_some() && bytes.len() as u64 > crate::deploy::MAX_DEPLOY_BYTES {
        not_checked(
            c,
            ctx,
            format!(
                "{} bytes, over the deployment file size limit of {} bytes: not parsed",
                bytes.len(),
                crate::deploy::MAX_DEPLOY_BYTES
            ),
            &mut out,
        );
        deploy_format = None;
    }
    if deploy_format == Some(crate::deploy::Format::Dotenv)
        && c.explicit
        && crate::deploy::gitignored(&c.path)
    {
        // Discovery skips it; named on the command line it is still not
        // committed, so its literals are not judged (the secret scan still runs).
        skip(
            c,
            ".env file ignored by .gitignore: not committed, so its literal credentials are not judged (OC503)".into(),
            &mut out,
        );
        deploy_format = None;
    }
    let has_directives = crate::suppress::may_hold_directives(bytes);
    // A config that is parsed is always scanned (it is bounded by
    // `max_config_bytes`): its messages and pointers quote it. Other files
    // are scanned when secrets are checked or a directive may be shown.
    let scan = is_config
        || deploy_format.is_some()
        || (!binary && !over && (ctx.secret_checks || has_directives));
    if ctx.secret_checks && !is_config {
        if binary {
            skip(
                c,
                "binary (NUL byte in the first 8 KiB): not scanned for secrets".into(),
                &mut out,
            );
        } else if over {
            skip(
                c,
                format!(
                    "{} bytes, over the size limit of {limit} bytes: not scanned for secrets",
                    bytes.len()
                ),
                &mut out,
            );
        }
    }
    let secrets = if scan {
        let mut found = ctx.scanner.scan_path(bytes, &c.path);
        // a key spelled with character references (`&#115;k-ant-…`)
        if !binary {
            let more = super::entity_secrets(bytes, &c.path, ctx.scanner, &found);
            if !more.is_empty() {
                found.extend(more);
                found.sort_by_key(|m| (m.start, m.end));
            }
        }
        found
    } else {
        Vec::new()
    };
    if !is_config && deploy_format.is_none() && secrets.is_empty() && !has_directives {
        return Ok(out);
    }
    let deploy_doc = deploy_format.map(|f| crate::deploy::parse(f, bytes));
    let deploy_literals = match (deploy_format, &deploy_doc) {
        (Some(f), Some(Ok(d))) => crate::deploy::literal_credentials(f, d, &c.display),
        _ => Vec::new(),
    };
    let parsed = is_config.then(|| load::parse_with_duplicates(bytes));
    let doc = parsed
        .as_ref()
        .and_then(|p| p.as_ref().ok())
        .map(|(d, _)| d);
    // A binary file's bytes are never shown, even scanned: only what the
    // scanner recognises would be redacted in them.
    let gate_doc = match (doc, &deploy_doc) {
        (Some(d), _) => Some((d, DocKind::Config)),
        (None, Some(Ok(d))) => deploy_format.map(|f| (d, DocKind::of(f))),
        _ => None,
    };
    // a secret spelled with escapes in a key or string (`\u0073k-ant-…`)
    let mut secrets = secrets;
    if let Some((d, _)) = gate_doc.filter(|_| scan && !binary) {
        let decoded = super::decoded_secrets(bytes, d, ctx.scanner, &secrets);
        if !decoded.is_empty() {
            secrets.extend(decoded);
            secrets.sort_by_key(|m| (m.start, m.end));
        }
    }
    // a credential field written twice: its first value is a secret too
    let mut extra = deploy_literals;
    if let Some(Ok((d, duplicates))) = &parsed {
        extra.extend(gate::duplicate_credentials(bytes, d, duplicates));
    }
    let redactor = file_redactor(
        bytes,
        &secrets,
        gate_doc,
        ctx.scanner,
        scan && !binary,
        extra,
    );
    // A config or deployment file that does not parse: its literal
    // credentials are not known, so its excerpts show no word that may be one.
    let unparsed = matches!(parsed, Some(Err(_))) || matches!(deploy_doc, Some(Err(_)));
    let redactor = redactor.masked(unparsed);
    out.secrets.extend_from_slice(redactor.secrets());
    let text = FileText {
        display: &c.display,
        bytes,
        lines: LineIndex::new(bytes),
        redactor: &redactor,
    };
    for m in secrets.iter().filter(|_| ctx.secret_checks) {
        if let Some(s) = sev(ctx, m.rule, None) {
            out.findings.push(text.secret_finding(m, s));
        }
    }
    if let (Some(parsed), true) = (parsed, ctx.config_checks) {
        check_config(c, ctx, policies, &text, parsed, &mut out)?;
    }
    if let (Some(format), Some(parsed)) = (deploy_format, deploy_doc) {
        match parsed {
            Ok(doc) => {
                // Directives are applied with the deployment findings.
                out.deploy = Some(crate::deploy::DeployFile {
                    display: c.display.clone(),
                    format,
                    doc,
                    bytes: bytes.to_vec(),
                    redactor: redactor.clone(),
                    pending: std::mem::take(&mut out.findings),
                });
                return Ok(out);
            }
            Err(e) => {
                if let Some(s) = sev(ctx, "OC001", None) {
                    out.findings.push(text.finding(
                        "OC001",
                        s,
                        e.offset..e.end,
                        format!(
                            "cannot parse {} as a {} file: {}",
                            c.display,
                            format.as_str(),
                            e.message
                        ),
                        None,
                    ));
                }
            }
        }
    }
    if has_directives && !binary {
        // Whether a rule ran on this file: its check ran (a config rule only
        // on a config that parsed, a real-config rule only on a real config)
        // and it is not turned off.
        let dialect = out.config.as_ref().map(|c| c.dialect);
        let ran = |rule: &str| {
            let Some(r) = crate::rules::get(rule) else {
                return false;
            };
            let checked = match &rule[..3] {
                // malformed directives are linted with the config checks
                "OC0" => rule != "OC007" || ctx.config_checks,
                "OC1" | "OC2" => {
                    ctx.config_checks
                        && dialect
                            .is_some_and(|d| !r.real_config_only || d != Dialect::PolicyProfile)
                }
                "OC3" => ctx.secret_checks,
                _ => false,
            };
            checked && sev(ctx, rule, None).is_some()
        };
        crate::suppress::apply_inline(
            &crate::suppress::Source {
                display: &c.display,
                bytes,
                lines: &text.lines,
                excerpt: &|range| redactor.excerpt(bytes, range),
            },
            &mut out.findings,
            &mut out.suppressed,
            ctx.settings,
            &ran,
        );
    }
    Ok(out)
}
