//! One agent's run: every selected probe, `requests_per_probe` times, at
//! most `max-concurrent` at once, each request judged as it finishes.

use super::exec::{self, Ctx, ReqResult, ReqSpec};
use super::metrics::{self, labels, Metrics};
use super::runner::{median, p99};
use super::verdicts::{judge_request, probe_finding};
use super::{sys, AgentProfile, AgentSummary, LiveFinding, LiveOptions, ProbeTimeouts};
use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub(super) fn run_agent(
    ctx: &Ctx,
    p: &AgentProfile,
    opts: &LiveOptions,
    probes_sel: &[String],
    m: &Metrics,
    findings: &mut Vec<LiveFinding>,
) -> AgentSummary {
    let configured = p.timeout_secs.filter(|t| *t > 0.0);
    let effective_timeout = match configured {
        Some(t) => t.min(opts.timeout_cap_secs),
        // `timeout_cap_secs` is the longest effective timeout of any request
        None => opts
            .unlimited_timeout_cap_secs
            .min(opts.timeout_cap_secs.max(0.01)),
    };
    let max_concurrent = p
        .max_concurrent
        .map(|c| c.max(1) as usize)
        .unwrap_or(usize::MAX);
    let workers = opts.concurrency.max(1).min(max_concurrent);
    let a = labels(&[("agent", &p.name)]);
    m.thread_bound.get_or_create(&a).set(p.thread_bound as i64);
    m.effective_timeout.get_or_create(&a).set(effective_timeout);
    m.configured_timeout
        .get_or_create(&a)
        .set(configured.unwrap_or(0.0));
    // create every family's series up front so a declared metric is
    // exported (as 0) even before anything happened
    for pr in probes_sel {
        let _ = m
            .errors
            .get_or_create(&labels(&[("agent", &p.name), ("probe", pr)]));
    }
    for kind in ["state", "scratch", "fd"] {
        let _ = m
            .leaks
            .get_or_create(&labels(&[("agent", &p.name), ("kind", kind)]));
    }
    let _ = m.timeouts.get_or_create(&a);
    let _ = m.survivors.get_or_create(&a);
    let _ = m.overshoot.get_or_create(&a);
    let _ = m.teardown.get_or_create(&a);
    let _ = m.duration.get_or_create(&a);
    let _ = m.peak_pids.get_or_create(&a);
    let _ = m.active.get_or_create(&a);
    let _ = m.max_concurrency.get_or_create(&a);
    let mut queue = VecDeque::new();
    for _ in 0..opts.requests_per_probe.max(1) {
        for pr in probes_sel {
            queue.push_back(pr.clone());
        }
    }
    if probes_sel.iter().any(|p| p == "state-leak") && opts.requests_per_probe < 2 {
        queue.push_back("state-leak".to_string()); // A writes, B must not see it
    }
    let fd_base = sys::self_fd_count();
    let queue = Mutex::new(queue);
    let results = Mutex::new(Vec::new());
    let active = AtomicUsize::new(0);
    let max_seen = AtomicUsize::new(0);
    let teardown = p.auto_destroy && !opts.test_skip_teardown;
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let Some(probe) = queue.lock().unwrap().pop_front() else {
                    break;
                };
                let now = active.fetch_add(1, Ordering::SeqCst) + 1;
                max_seen.fetch_max(now, Ordering::SeqCst);
                m.active.get_or_create(&a).inc();
                let spec = ReqSpec {
                    probe: &probe,
                    eff_timeout: Duration::from_secs_f64(effective_timeout),
                    teardown,
                    tolerance_ms: opts.tolerance_ms,
                };
                let r = exec::run_request(ctx, &spec);
                m.active.get_or_create(&a).dec();
                active.fetch_sub(1, Ordering::SeqCst);
                metrics::record_request(m, &p.name, &r);
                results.lock().unwrap().push(r);
            });
        }
    });
    exec::reap_orphans(ctx.cg.v2_rel.as_deref());
    let fd_after = sys::self_fd_count();
    let results = results.into_inner().unwrap();
    // independent concurrency check from the recorded request intervals
    let mut ev: Vec<(Instant, i32)> = Vec::new();
    for r in &results {
        if let (Some(a0), Some(a1)) = (r.t0, r.t_end) {
            ev.push((a0, 1));
            ev.push((a1, -1));
        }
    }
    ev.sort_by(|x, y| x.0.cmp(&y.0).then(x.1.cmp(&y.1)));
    let (mut cur, mut overlap) = (0i32, 0i32);
    for (_, d) in ev {
        cur += d;
        overlap = overlap.max(cur);
    }
    let observed = (overlap as usize).max(max_seen.load(Ordering::SeqCst));
    m.max_concurrency.get_or_create(&a).set(observed as i64);

    let mut raw = Vec::new();
    if configured.is_none() {
        let what = p
            .no_timeout
            .as_deref()
            .unwrap_or("no timeout configured: the agent could run forever");
        raw.push(probe_finding(
            "OC402",
            "warning",
            "*",
            format!("{what}; the live run used a cap of {effective_timeout} s"),
        ));
    }
    for r in &results {
        judge_request(r, p, opts, effective_timeout, &mut raw);
    }
    if fd_after > fd_base {
        raw.push(probe_finding(
            "OC407",
            "error",
            "*",
            format!(
                "executor descriptor count {fd_after} above baseline {fd_base} after all requests"
            ),
        ));
    }
    if let Some(mc) = p.max_concurrent {
        if observed > mc as usize {
            raw.push(probe_finding(
                "OC408",
                "error",
                "*",
                format!("{observed} requests ran concurrently, max-concurrent is {mc}"),
            ));
        }
    }
    // aggregate per (rule, severity, probe)
    let mut agg: BTreeMap<(&'static str, &'static str, String), (usize, Vec<String>)> =
        BTreeMap::new();
    for f in raw {
        let e = agg
            .entry((f.rule, f.severity, f.probe))
            .or_insert((0, Vec::new()));
        e.0 += 1;
        if !e.1.contains(&f.message) {
            e.1.push(f.message);
        }
    }
    for ((rule, severity, probe), (n, msgs)) in agg {
        let total = results
            .iter()
            .filter(|r| probe == "*" || r.probe == probe)
            .count();
        let mut message = msgs.iter().take(2).cloned().collect::<Vec<_>>().join(" | ");
        if msgs.len() > 2 {
            message.push_str(&format!(" | (+{} more)", msgs.len() - 2));
        }
        if n > 1 {
            message.push_str(&format!(" [{n} of {total} requests]"));
        }
        findings.push(LiveFinding {
            rule,
            severity,
            agent: p.name.clone(),
            probe,
            message,
        });
    }
    let mut by_probe: BTreeMap<&str, Vec<&ReqResult>> = BTreeMap::new();
    for r in results.iter().filter(|r| r.timed_out) {
        by_probe.entry(&r.probe).or_default().push(r);
    }
    let timeouts_by_probe = by_probe
        .into_iter()
        .map(|(probe, rs)| {
            let mut o: Vec<f64> = rs.iter().filter_map(|r| r.overshoot_ms).collect();
            let mut k: Vec<f64> = rs.iter().filter_map(|r| r.kill_latency_ms).collect();
            ProbeTimeouts {
                probe: probe.to_string(),
                timeouts: rs.len(),
                median_overshoot_ms: median(&mut o),
                p99_overshoot_ms: p99(&mut o),
                max_overshoot_ms: o.iter().cloned().fold(0.0, f64::max),
                p99_kill_latency_ms: p99(&mut k),
            }
        })
        .collect();
    let mut over: Vec<f64> = results.iter().filter_map(|r| r.overshoot_ms).collect();
    let mut dur: Vec<f64> = results
        .iter()
        .map(|r| r.duration.as_secs_f64() * 1000.0)
        .collect();
    let mut td: Vec<f64> = results.iter().map(|r| r.teardown_secs * 1000.0).collect();
    AgentSummary {
        name: p.name.clone(),
        requests: results.len(),
        timeouts: results.iter().filter(|r| r.timed_out).count(),
        max_overshoot_ms: over.iter().cloned().fold(0.0, f64::max),
        p99_overshoot_ms: p99(&mut over),
        survivors: results.iter().map(|r| r.survivors.len()).sum(),
        leaks: results
            .iter()
            .map(|r| {
                r.state_seen.len()
                    + r.outside_writes.len()
                    + r.scratch_left as usize
                    + r.cgroup_left as usize
                    + r.fd_holders.len()
            })
            .sum::<usize>()
            + fd_after.saturating_sub(fd_base),
        median_overhead_ms: None,
        configured_timeout_secs: configured,
        effective_timeout_secs: effective_timeout,
        concurrency_used: workers,
        max_observed_concurrency: observed,
        median_request_ms: median(&mut dur),
        median_teardown_ms: median(&mut td),
        setup_errors: results.iter().filter(|r| r.setup_error.is_some()).count(),
        timeouts_by_probe,
        overshoot_samples_ms: results.iter().filter_map(|r| r.overshoot_ms).collect(),
    }
}
