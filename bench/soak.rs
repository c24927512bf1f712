//! Soak benchmark: 1,000 mixed-probe requests, 10 concurrent.
//!   cargo run --release --example soak [-- REQUESTS CONCURRENCY]
//! Prints a JSON summary (survivors, leaks, overhead, p99 overshoot, layers).
use clawcheck::checks::live::*;
fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let total = *args.first().unwrap_or(&1000);
    let conc = *args.get(1).unwrap_or(&10);
    let probes: Vec<String> = [
        "well-behaved",
        "sleeper",
        "escaper",
        "fork-bomb",
        "scratch-writer",
        "state-leak",
        "fd-holder",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let per = total.div_ceil(probes.len());
    let profile = AgentProfile {
        name: "soak".into(),
        timeout_secs: Some(120.0),
        auto_destroy: true,
        max_concurrent: Some(conc as u32),
        thread_bound: true,
        ..Default::default()
    };
    let opts = LiveOptions {
        probes,
        requests_per_probe: per,
        concurrency: conc,
        metrics_port: Some(0),
        timeout_cap_secs: 0.1,
        overhead_samples: 50,
        // SOAK_DISABLE=mount-namespace,pid-namespace: measure without some layers
        disable_layers: std::env::var("SOAK_DISABLE")
            .map(|v| v.split(',').map(str::to_string).collect())
            .unwrap_or_default(),
        // SOAK_NO_RT=1: watchdog at normal priority, for an A/B in one session
        realtime_watchdog: std::env::var_os("SOAK_NO_RT").is_none(),
        ..Default::default()
    };
    let t = std::time::Instant::now();
    let r = run(&[profile], &opts).expect("live run");
    let a = &r.agents[0];
    let errors: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.severity == "error")
        .collect();
    let summary = serde_json::json!({
        "requests": a.requests, "concurrency": a.concurrency_used, "max_observed_concurrency": a.max_observed_concurrency,
        "wall_secs": t.elapsed().as_secs_f64(),
        "survivors": a.survivors, "leaks": a.leaks, "setup_errors": a.setup_errors,
        "timeouts": a.timeouts, "effective_timeout_secs": a.effective_timeout_secs,
        "p99_overshoot_ms": a.p99_overshoot_ms, "max_overshoot_ms": a.max_overshoot_ms,
        "median_overhead_ms": a.median_overhead_ms,
        "isolated_well_behaved_median_ms": r.isolated_well_behaved_median_ms,
        "plain_well_behaved_median_ms": r.plain_well_behaved_median_ms,
        "timeouts_by_probe": a.timeouts_by_probe,
        "median_request_ms": a.median_request_ms, "median_teardown_ms": a.median_teardown_ms,
        "active_layers": r.layers.iter().filter(|l| l.active).map(|l| l.name).collect::<Vec<_>>(),
        "inactive_layers": r.layers.iter().filter(|l| !l.active).map(|l| format!("{}: {}", l.name, l.detail)).collect::<Vec<_>>(),
        "notes": r.notes,
        "error_findings": errors,
    });
    println!("{}", serde_json::to_string_pretty(&summary).unwrap());
}
