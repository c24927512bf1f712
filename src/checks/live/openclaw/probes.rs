//! The probes that script more than one model answer:
//! - `teardown`: the model asks the exec tool to start a background process
//!   carrying the canary in its environment; what still carries it after the
//!   turn (a grace period later) survived it (OC401), and is killed;
//! - `subagent-timeout`: the model spawns a sub-agent (`sessions_spawn`,
//!   directly or through OpenClaw's `tool_call`) whose model request hangs;
//!   OpenClaw must end that run within `runTimeoutSeconds` + tolerance (OC402);
//! - `metrics`: the exporters the config declares, as the gateway serves or
//!   pushes them (OC406), and what a stock gateway's `GET /metrics` is.
//!
//! A probe whose precondition the config or the mode does not meet reports
//! `not-exercised` with the reason, never a verdict.

use super::{
    canary, config, finding, ms, survivor_finding, Behaviour, Ctx, LiveError, ProbeOutcome,
    ProbeRun, ProbeTimeouts, Turn,
};
use serde_json::json;
use std::time::{Duration, Instant};

/// How long a sub-agent may take to reach the stub after the spawning turn.
const CHILD_WAIT: Duration = Duration::from_secs(60);
/// How long the parent's completion event may take after the sub-agent run
/// ended (measured: ~22 s on 2 loaded cores).
const ANNOUNCE_WAIT: Duration = Duration::from_secs(60);
/// Longest excerpt of OpenClaw's text quoted in a detail.
const EXCERPT: usize = 240;

fn not_exercised(probe: &str, t0: Instant, turns: Vec<Turn>, detail: String) -> ProbeOutcome {
    (
        ProbeRun::with_outcome(
            probe,
            "not-exercised",
            t0,
            turns.into_iter().map(|t| t.run).collect(),
            detail,
        ),
        Vec::new(),
        None,
    )
}

/// One line of at most [`EXCERPT`] characters.
fn excerpt(s: &str) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = flat.chars().take(EXCERPT).collect();
    if flat.chars().count() > EXCERPT {
        out.push('…');
    }
    out
}

/// The text of the last tool result the model was sent in `requests`.
fn last_tool_result(requests: &[super::stub::Recorded]) -> Option<String> {
    requests.iter().rev().find_map(|r| {
        let v: serde_json::Value = serde_json::from_str(&r.body).ok()?;
        let msgs = v.get("messages")?.as_array()?;
        let m = msgs.iter().rev().find(|m| m["role"] == "tool")?;
        match &m["content"] {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Array(a) => Some(
                a.iter()
                    .filter_map(|p| p["text"].as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            _ => None,
        }
    })
}

/// Whether the turn's first model request offered `tool` (directly, or
/// OpenClaw's `tool_call`, which reaches deferred tools), and the names offered.
fn offered(t: &Turn, tool: &str) -> (bool, String) {
    let Some(first) = t.requests.first() else {
        return (false, "no model request".into());
    };
    let yes = first.tools.iter().any(|n| n == tool || n == "tool_call");
    let mut names = first.tools.clone();
    names.truncate(24);
    (yes, names.join(", "))
}

/// `teardown`: exec starts `sleep 300 &` with the canary in its environment.
pub(super) fn teardown(
    ctx: &mut Ctx,
    _prepared: &config::Prepared,
) -> Result<ProbeOutcome, LiveError> {
    const PROBE: &str = "teardown";
    const RAN: &str = "CLAWCHECK-EXEC-42";
    let t0 = Instant::now();
    let c = canary(PROBE, 1);
    // The output (RAN) differs from the command text, so the stub can tell
    // that the command ran from the tool result it is sent.
    let command =
        format!("CLAWCHECK_CANARY={c} sleep 300 >/dev/null 2>&1 & echo CLAWCHECK-EXEC-$((40+2))");
    ctx.stub.route(
        &c,
        Some(Behaviour::ToolCall {
            name: "exec".into(),
            arguments: json!({ "command": command }).to_string(),
        }),
        Behaviour::Answer("done".into()),
    );
    let key = format!("clawcheck-{PROBE}-{}", std::process::id());
    let msg = format!("Start the background job. Reference {c}.");
    ctx.marker = Some(c.clone());
    // The turn's own timeout is not what this probe judges: a long one.
    let t = ctx.turn_msg(
        PROBE,
        1,
        c.clone(),
        &msg,
        &["--session-key", &key, "--timeout", "120"],
        None,
    );
    ctx.marker = None;
    let t = t?;
    let ran = t.requests.iter().any(|r| r.body.contains(RAN));
    let grace = ctx.opts.teardown_grace_ms;
    if !ran && t.marked.is_empty() {
        let (yes, names) = offered(&t, "exec");
        let detail = if !yes {
            format!("not exercised: the model was offered no exec tool (the config does not allow it to agent `{}`; tools offered: {names})", ctx.agent)
        } else {
            format!(
                "not exercised: the exec tool did not run the command; its result: {}",
                last_tool_result(&t.requests)
                    .map(|s| excerpt(&s))
                    .unwrap_or_else(|| "none reached the model".into())
            )
        };
        return Ok(not_exercised(PROBE, t0, vec![t], detail));
    }
    let mut findings = Vec::new();
    let failed = !t.marked.is_empty();
    let detail = if failed {
        format!(
            "the exec tool started `sleep 300 &` (the canary in its environment); {} process(es) carrying it were still running {grace} ms after `openclaw agent` ended: {} (killed)",
            t.marked.len(),
            t.marked.join(", ")
        )
    } else {
        format!("the exec tool ran `sleep 300 &` (the canary in its environment); no process carrying it was left {grace} ms after the turn")
    };
    if failed {
        findings.push(finding("OC401", &ctx.agent, PROBE, detail.clone()));
    }
    if t.survivors > 0 {
        findings.push(survivor_finding(&ctx.agent, PROBE, &t.survivor_names));
    }
    Ok((
        ProbeRun::judged(PROBE, failed, t0, vec![t.run], detail),
        findings,
        None,
    ))
}

/// The effective sub-agent run timeout (s) and whether the spawn passes it
/// (`runTimeoutSeconds` unset, 0 = none, or above the cap).
pub(super) fn effective_subagent_timeout(configured: Option<f64>, cap: f64) -> (f64, bool) {
    match configured {
        // OpenClaw floors the value; below 1 s it is 0: no timeout.
        Some(t) if t >= 1.0 && t <= cap => (t.floor(), false),
        _ => (cap.max(1.0).ceil(), true),
    }
}

/// The `status: …` OpenClaw's completion event gives the child whose task
/// carries `child`, and its `runtime …` when stated.
fn announced_status(body: &str, child: &str) -> Option<String> {
    let at = body.find(child)?;
    let rest = &body[at..];
    let s = rest.find("status: ")? + "status: ".len();
    let end = rest[s..]
        .find(['\\', '"', '\n'])
        .map(|e| s + e)
        .unwrap_or(rest.len());
    let status = rest[s..end].trim();
    (!status.is_empty() && status.len() <= 64).then(|| status.to_string())
}

/// `subagent-timeout`: a spawned sub-agent whose model request hangs.
pub(super) fn subagent_timeout(
    ctx: &mut Ctx,
    prepared: &config::Prepared,
) -> Result<ProbeOutcome, LiveError> {
    const PROBE: &str = "subagent-timeout";
    let t0 = Instant::now();
    if ctx.gateway.is_none() {
        return Ok(not_exercised(PROBE, t0, Vec::new(), "not exercised: sub-agent runs are started by the gateway (`sessions_spawn` calls it); embedded turns (`agent --local`) have none".into()));
    }
    let configured = config::subagent_timeout(&prepared.config);
    let (effective, lowered) = effective_subagent_timeout(configured, ctx.opts.timeout_cap_secs);
    let parent = canary(PROBE, 1);
    let child = canary(PROBE, 2);
    let mut args = json!({
        "task": format!("Reply with one word. Reference {child}."),
        "context": "isolated",
        "mode": "run",
    });
    if lowered {
        args["runTimeoutSeconds"] = json!(effective as u64);
    }
    // The parent's requests carry its canary (its own history); the child's
    // only the child's (an isolated context).
    ctx.stub.route(
        &parent,
        Some(Behaviour::ToolCall {
            name: "sessions_spawn".into(),
            arguments: args.to_string(),
        }),
        Behaviour::Answer("spawned".into()),
    );
    ctx.stub.route(&child, None, Behaviour::Hang);
    let seen = ctx.stub.requests().len();
    let key = format!("clawcheck-{PROBE}-{}", std::process::id());
    let msg = format!("Delegate this to a sub-agent. Reference {parent}.");
    let t = ctx.turn_msg(
        PROBE,
        1,
        parent.clone(),
        &msg,
        &["--session-key", &key, "--timeout", "120"],
        None,
    )?;
    let tol = Duration::from_millis(ctx.opts.tolerance_ms);
    let timeout = Duration::from_secs_f64(effective);
    let waiting = Instant::now();
    // (child requests, end of the last one, the parent's completion event)
    let (children, end, announce) = loop {
        let all = ctx.stub.requests();
        let all = &all[seen.min(all.len())..];
        let children: Vec<_> = all
            .iter()
            .filter(|r| {
                r.behaviour.is_some() && r.body.contains(&child) && !r.body.contains(&parent)
            })
            .cloned()
            .collect();
        let now = Instant::now();
        let Some(first) = children.first().map(|r| r.at) else {
            if waiting.elapsed() > CHILD_WAIT {
                break (children, None, None);
            }
            std::thread::sleep(Duration::from_millis(50));
            continue;
        };
        let open = children.iter().any(|r| r.closed_after.is_none());
        if !open {
            let end = children
                .iter()
                .filter_map(|r| r.closed_after.map(|d| r.at + d))
                .max()
                .expect("closed requests");
            let announce = all
                .iter()
                .find(|r| {
                    r.behaviour.is_some()
                        && r.at >= end
                        && r.body.contains(&parent)
                        && announced_status(&r.body, &child).is_some()
                })
                .cloned();
            if announce.is_some() || now.duration_since(end) > ANNOUNCE_WAIT {
                break (children, Some(end), announce);
            }
        } else if now.duration_since(first) > timeout + tol + Duration::from_secs(30) {
            break (children, None, None);
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let how = if lowered {
        match configured {
            Some(c) => format!("runTimeoutSeconds {c} lowered to {effective} s in the spawn"),
            None => format!("runTimeoutSeconds unset (none); the spawn asked for {effective} s"),
        }
    } else {
        format!("runTimeoutSeconds {effective} s from the config")
    };
    let Some(first) = children.first() else {
        let (yes, names) = offered(&t, "sessions_spawn");
        let detail = if !yes {
            format!("not exercised: the model was offered no sessions_spawn tool (sub-agents are not allowed to agent `{}`; tools offered: {names})", ctx.agent)
        } else {
            format!(
                "not exercised: no sub-agent reached the model within {} s of the spawning turn; the spawn's result: {}",
                CHILD_WAIT.as_secs(),
                last_tool_result(&t.requests)
                    .map(|s| excerpt(&s))
                    .unwrap_or_else(|| "none reached the model".into())
            )
        };
        return Ok(not_exercised(PROBE, t0, vec![t], detail));
    };
    let deadline = first.at + timeout;
    let mut findings = Vec::new();
    let (overshoot, failed, detail) = match end {
        None => {
            let d = format!(
                "the sub-agent's model request was still open {:.1} s after it reached the stub ({how}; tolerance {} ms + 30 s)",
                first.at.elapsed().as_secs_f64(),
                ctx.opts.tolerance_ms
            );
            (ms(first.at.elapsed()) - effective * 1000.0, true, d)
        }
        Some(end) => {
            let over = if end >= deadline {
                ms(end.duration_since(deadline))
            } else {
                -ms(deadline.duration_since(end))
            };
            let told = match &announce {
                Some(a) => format!(
                    "the parent was told `status: {}` {:.1} s later",
                    announced_status(&a.body, &child).unwrap_or_default(),
                    a.at.duration_since(end).as_secs_f64()
                ),
                None => format!(
                    "no completion event reached the parent within {} s",
                    ANNOUNCE_WAIT.as_secs()
                ),
            };
            let d = format!(
                "the sub-agent's model request hung; OpenClaw ended the run {over:+.0} ms from its deadline (model request + {effective} s; {how}; tolerance {} ms) over {} model request(s); {told}",
                ctx.opts.tolerance_ms,
                children.len()
            );
            (over, over > tol.as_secs_f64() * 1000.0, d)
        }
    };
    if failed {
        findings.push(finding("OC402", &ctx.agent, PROBE, detail.clone()));
    }
    if t.survivors > 0 {
        findings.push(survivor_finding(&ctx.agent, PROBE, &t.survivor_names));
    }
    let to = ProbeTimeouts {
        probe: PROBE.into(),
        timeouts: 1,
        median_overshoot_ms: overshoot,
        p99_overshoot_ms: overshoot,
        max_overshoot_ms: overshoot,
        p99_kill_latency_ms: overshoot,
    };
    Ok((
        ProbeRun::judged(PROBE, failed, t0, vec![t.run], detail),
        findings,
        Some(to),
    ))
}

/// An HTTP response, as much of it as the probe needs.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Response {
    pub status: u16,
    pub content_type: String,
    pub body: String,
}

/// `GET path` on the gateway's loopback port with its token (bounded: 10 s,
/// 4 MiB); Err with the reason.
fn http_get(port: u16, path: &str) -> Result<Response, String> {
    use std::io::{Read, Write};
    let mut c = std::net::TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    c.set_read_timeout(Some(Duration::from_secs(10)))
        .map_err(|e| e.to_string())?;
    write!(
        c,
        "GET {path} HTTP/1.1\r\nhost: 127.0.0.1:{port}\r\nauthorization: Bearer {}\r\naccept: */*\r\nconnection: close\r\n\r\n",
        config::DUMMY
    )
    .map_err(|e| e.to_string())?;
    let mut raw = Vec::new();
    c.take(4 << 20)
        .read_to_end(&mut raw)
        .map_err(|e| e.to_string())?;
    parse_response(&raw).ok_or_else(|| "not an HTTP response".into())
}

pub(super) fn parse_response(raw: &[u8]) -> Option<Response> {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = String::from_utf8_lossy(&raw[..split]);
    let mut lines = head.lines();
    let status = lines.next()?.split_whitespace().nth(1)?.parse().ok()?;
    let mut content_type = String::new();
    let mut chunked = false;
    for l in lines {
        if let Some((k, v)) = l.split_once(':') {
            match k.trim().to_ascii_lowercase().as_str() {
                "content-type" => content_type = v.trim().to_string(),
                "transfer-encoding" => chunked = v.to_ascii_lowercase().contains("chunked"),
                _ => {}
            }
        }
    }
    let mut body = &raw[split + 4..];
    let mut out = Vec::new();
    if chunked {
        while let Some(nl) = body.windows(2).position(|w| w == b"\r\n") {
            let size = std::str::from_utf8(&body[..nl])
                .ok()
                .and_then(|s| usize::from_str_radix(s.split(';').next()?.trim(), 16).ok());
            let Some(size) = size.filter(|s| *s > 0) else {
                break;
            };
            let start = nl + 2;
            let end = (start + size).min(body.len());
            out.extend_from_slice(&body[start..end]);
            body = &body[(end + 2).min(body.len())..];
        }
    } else {
        out.extend_from_slice(body);
    }
    Some(Response {
        status,
        content_type,
        body: String::from_utf8_lossy(&out).into_owned(),
    })
}

/// The samples of a Prometheus text exposition (0 when it is not one).
pub(super) fn prometheus_samples(r: &Response) -> usize {
    if r.status != 200 || !r.content_type.starts_with("text/plain") {
        return 0;
    }
    let name_ok = |n: &str| {
        let mut cs = n.chars();
        cs.next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':')
            && cs.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
    };
    r.body
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter(|l| {
            let name = l.split(['{', ' ']).next().unwrap_or("");
            let value = l.rsplit('}').next().unwrap_or(l).split_whitespace().last();
            name_ok(name) && value.is_some_and(|v| v.parse::<f64>().is_ok() || v == "NaN")
        })
        .count()
}

/// "200 text/html (the Control UI's HTML page)", "404 text/plain", …
pub(super) fn describe(r: &Result<Response, String>) -> String {
    match r {
        Err(e) => format!("nothing (the request failed: {e})"),
        Ok(r) => {
            let kind = if prometheus_samples(r) > 0 {
                format!("Prometheus text, {} samples", prometheus_samples(r))
            } else if r.content_type.starts_with("text/html") {
                if r.body.contains("openclaw-control-ui") {
                    "the Control UI's HTML page, not Prometheus text".into()
                } else {
                    "an HTML page, not Prometheus text".into()
                }
            } else {
                format!("{} bytes, not Prometheus text", r.body.len())
            };
            let ct = if r.content_type.is_empty() {
                "no content type".to_string()
            } else {
                format!("`{}`", r.content_type)
            };
            format!("{} {ct} ({kind})", r.status)
        }
    }
}

/// The first line of the gateway's log that says why `plugin` is missing.
fn gateway_says(ctx: &Ctx, plugin: &str) -> Option<String> {
    let log =
        crate::config::read_regular_file(&ctx.root.join("gateway.log"), super::MAX_OUTPUT).ok()?;
    let text = String::from_utf8_lossy(&log);
    text.lines()
        .find(|l| {
            l.contains(plugin)
                && (l.contains("not installed")
                    || l.contains("Failed to install")
                    || l.contains("not found"))
        })
        .map(|l| {
            format!(
                "; the gateway's log: \"{}\"",
                excerpt(l.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '['))
            )
        })
}

/// `metrics`: the declared exporters, through the gateway.
pub(super) fn metrics(
    ctx: &mut Ctx,
    prepared: &config::Prepared,
) -> Result<ProbeOutcome, LiveError> {
    const PROBE: &str = "metrics";
    let t0 = Instant::now();
    let Some(port) = ctx.gateway.as_ref().map(|g| g.port) else {
        return Ok(not_exercised(PROBE, t0, Vec::new(), "not exercised: metrics are served and exported by the gateway; embedded turns run none".into()));
    };
    let declared = config::exporters(&prepared.config);
    let plain = http_get(port, "/metrics");
    let mut parts = vec![format!(
        "`GET /metrics` on the gateway (with its token) answered {}",
        describe(&plain)
    )];
    let mut findings = Vec::new();
    if declared.prometheus {
        let r = http_get(port, "/api/diagnostics/prometheus");
        let n = r.as_ref().map(prometheus_samples).unwrap_or(0);
        if n > 0 {
            parts.push(format!(
                "the diagnostics-prometheus plugin served `GET /api/diagnostics/prometheus`: {}",
                describe(&r)
            ));
        } else {
            let m = format!(
                "the config enables the diagnostics-prometheus plugin, but `GET /api/diagnostics/prometheus` on the gateway (with its token) answered {}{}",
                describe(&r),
                gateway_says(ctx, "diagnostics-prometheus").unwrap_or_default()
            );
            parts.push(m.clone());
            findings.push(finding("OC406", &ctx.agent, PROBE, m));
        }
    }
    if declared.otel_metrics {
        // Exports during the earlier probes count; else wait for a flush.
        let limit = Duration::from_millis(config::OTEL_FLUSH_MS) + Duration::from_secs(5);
        let waited = Instant::now();
        while ctx.stub.otlp_exports().0 == 0 && waited.elapsed() < limit {
            std::thread::sleep(Duration::from_millis(100));
        }
        let (m, other) = ctx.stub.otlp_exports();
        if m > 0 {
            parts.push(format!("{m} OTLP metrics export(s) reached the configured endpoint (redirected to the stub)"));
        } else {
            let msg = format!(
                "the config exports metrics with diagnostics.otel, but no OTLP/HTTP metrics export reached its endpoint (redirected to the stub, flush interval at most {} ms) during the run ({other} trace/log export(s)){}",
                config::OTEL_FLUSH_MS,
                gateway_says(ctx, "diagnostics-otel").unwrap_or_default()
            );
            parts.push(msg.clone());
            findings.push(finding("OC406", &ctx.agent, PROBE, msg));
        }
    }
    if !declared.prometheus && !declared.otel_metrics {
        let detail = format!(
            "not exercised: the config declares no metrics exporter (neither the diagnostics-prometheus plugin nor diagnostics.otel metrics; OC220 reports that); {}",
            parts.join("; ")
        );
        return Ok(not_exercised(PROBE, t0, Vec::new(), detail));
    }
    let failed = !findings.is_empty();
    Ok((
        ProbeRun::judged(PROBE, failed, t0, Vec::new(), parts.join("; ")),
        findings,
        None,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn responses_are_classified() {
        let html = parse_response(b"HTTP/1.1 200 OK\r\ncontent-type: text/html; charset=utf-8\r\ntransfer-encoding: chunked\r\n\r\n1f\r\n<html data-openclaw-control-ui-\r\n5\r\nbase>\r\n0\r\n\r\n").unwrap();
        assert_eq!(html.status, 200);
        assert_eq!(html.body, "<html data-openclaw-control-ui-base>");
        assert_eq!(prometheus_samples(&html), 0);
        assert_eq!(
            describe(&Ok(html)),
            "200 `text/html; charset=utf-8` (the Control UI's HTML page, not Prometheus text)"
        );
        let prom = parse_response(b"HTTP/1.1 200 OK\r\ncontent-type: text/plain; version=0.0.4\r\n\r\n# HELP openclaw_run_completed_total runs\n# TYPE openclaw_run_completed_total counter\nopenclaw_run_completed_total{outcome=\"ok\"} 3\nopenclaw_gc_duration_seconds_sum 0.5\nnot a sample\n").unwrap();
        assert_eq!(prometheus_samples(&prom), 2);
        assert!(describe(&Ok(prom)).contains("Prometheus text, 2 samples"));
        let nf =
            parse_response(b"HTTP/1.1 404 Not Found\r\ncontent-type: text/plain\r\n\r\nNot Found")
                .unwrap();
        assert_eq!(prometheus_samples(&nf), 0);
        assert_eq!(
            describe(&Ok(nf)),
            "404 `text/plain` (9 bytes, not Prometheus text)"
        );
        assert!(parse_response(b"garbage").is_none());
        assert!(describe(&Err("refused".into())).contains("refused"));
    }

    #[test]
    fn completion_status_and_subagent_timeout() {
        let body = r#"{"messages":[{"role":"user","content":"task: Reply. Reference CHILD-1.\nstatus: timed out\n\nStats: runtime 10s"}]}"#;
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        let raw = v.to_string();
        assert_eq!(
            announced_status(&raw, "CHILD-1").as_deref(),
            Some("timed out")
        );
        assert_eq!(announced_status(&raw, "CHILD-2"), None);
        assert_eq!(effective_subagent_timeout(Some(10.0), 60.0), (10.0, false));
        assert_eq!(effective_subagent_timeout(Some(10.7), 60.0), (10.0, false));
        assert_eq!(effective_subagent_timeout(None, 60.0), (60.0, true));
        assert_eq!(effective_subagent_timeout(Some(0.0), 60.0), (60.0, true));
        assert_eq!(effective_subagent_timeout(Some(900.0), 60.0), (60.0, true));
    }

    #[test]
    fn excerpts_are_bounded_single_lines() {
        let e = excerpt(&format!("a\nb {}", "x".repeat(1000)));
        assert!(e.starts_with("a b x") && e.ends_with('…'));
        assert_eq!(e.chars().count(), EXCERPT + 1);
    }
}
