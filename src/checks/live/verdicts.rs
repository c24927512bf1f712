//! The verdicts of one request: what the executor observed (survivors,
//! timeouts, state, scratch, descriptors) turned into live findings.

use super::exec::ReqResult;
use super::{AgentProfile, LiveOptions};

/// A live finding before it is attributed to its agent.
pub(super) struct ProbeFinding {
    pub(super) rule: &'static str,
    pub(super) severity: &'static str,
    pub(super) probe: String,
    pub(super) message: String,
}

pub(super) fn probe_finding(
    rule: &'static str,
    severity: &'static str,
    probe: &str,
    message: String,
) -> ProbeFinding {
    ProbeFinding {
        rule,
        severity,
        probe: probe.to_string(),
        message,
    }
}

/// Judges one finished request against the profile and the options.
pub(super) fn judge_request(
    r: &ReqResult,
    p: &AgentProfile,
    opts: &LiveOptions,
    effective_timeout: f64,
    out: &mut Vec<ProbeFinding>,
) {
    let why = if opts.test_skip_teardown {
        " (test_skip_teardown: executor skipped teardown; cleaned up after verification)"
            .to_string()
    } else if !p.auto_destroy {
        match &p.no_teardown {
            Some(why) => format!(
                " ({why}, so the executor did not destroy the request; cleaned up after verification)"
            ),
            None => " (profile does not declare auto-destroy, so the executor did not destroy the request; cleaned up after verification)".to_string(),
        }
    } else {
        String::new()
    };
    if let Some(e) = &r.setup_error {
        out.push(probe_finding(
            "OC405",
            "error",
            &r.probe,
            format!("request could not be isolated: {e}"),
        ));
        return;
    }
    for w in &r.warnings {
        out.push(probe_finding(
            "OC405",
            "warning",
            &r.probe,
            format!("isolation degraded for this request: {w}"),
        ));
    }
    if !r.survivors.is_empty() {
        let pids: Vec<String> = r.survivors.iter().take(10).map(|p| p.to_string()).collect();
        out.push(probe_finding(
            "OC401",
            "error",
            &r.probe,
            format!(
                "{} process(es) survived teardown (pids {}){why}",
                r.survivors.len(),
                pids.join(",")
            ),
        ));
    }
    if r.timed_out {
        let o = r.overshoot_ms.unwrap_or(0.0);
        if r.kill_failed {
            out.push(probe_finding(
                "OC402",
                "error",
                &r.probe,
                format!(
                    "request not dead 5 s after its effective timeout of {effective_timeout} s"
                ),
            ));
        } else if o > opts.tolerance_ms as f64 {
            out.push(probe_finding(
                "OC402",
                "error",
                &r.probe,
                format!(
                    "killed {o:.1} ms after the effective timeout of {effective_timeout} s (tolerance {} ms)",
                    opts.tolerance_ms
                ),
            ));
        }
    }
    if !r.state_seen.is_empty() || !r.outside_writes.is_empty() {
        let mut v = r.state_seen.clone();
        v.extend(
            r.outside_writes
                .iter()
                .map(|p| format!("wrote outside scratch: {p}")),
        );
        out.push(probe_finding(
            "OC403",
            "error",
            &r.probe,
            format!("state visible to later requests: {}", v.join("; ")),
        ));
    }
    if r.scratch_left || r.cgroup_left {
        let what = match (r.scratch_left, r.cgroup_left) {
            (true, true) => "scratch directory and cgroup leaf",
            (true, false) => "scratch directory",
            _ => "cgroup leaf",
        };
        out.push(probe_finding(
            "OC404",
            "error",
            &r.probe,
            format!("{what} still present after the request ended{why}"),
        ));
    }
    if !r.fd_holders.is_empty() {
        out.push(probe_finding(
            "OC407",
            "error",
            &r.probe,
            format!(
                "descriptors into the request scratch still held: {}",
                r.fd_holders
                    .iter()
                    .take(5)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        ));
    }
}
