//! Soak benchmark: about 1,000 mixed-probe requests, 10 concurrent per agent,
//! over a synthetic profile and the agents of real OpenClaw configs (their
//! limits read from the configs, as `--live` does).
//!   cargo run --release --example soak [-- REQUESTS CONCURRENCY]
//! Prints a JSON summary (survivors, leaks, overhead, p99 overshoot, layers).
//! `SOAK_CONFIGS=a.json5,b.json5` replaces the default real configs
//! (tests/fixtures/openclaw: hardened, unbounded-runs, legacy-2026.2,
//! open-exec); `SOAK_CONFIGS=` (empty) runs the synthetic profile alone.
use clawcheck::checks::live::*;
use std::path::{Path, PathBuf};

/// The live targets of real configs, as `clawcheck check --live` builds them.
fn real_targets() -> Vec<AgentProfile> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let paths: Vec<PathBuf> = match std::env::var("SOAK_CONFIGS") {
        Ok(v) => v
            .split(',')
            .filter(|s| !s.is_empty())
            .map(PathBuf::from)
            .collect(),
        Err(_) => ["hardened", "unbounded-runs", "legacy-2026.2", "open-exec"]
            .iter()
            .map(|n| root.join(format!("tests/fixtures/openclaw/{n}.json5")))
            .collect(),
    };
    if paths.is_empty() {
        return Vec::new();
    }
    let opts = clawcheck::engine::CheckOptions {
        paths,
        settings: Default::default(),
        excludes: Vec::new(),
        threads: 1,
        extra_policies: Vec::new(),
        dialect: None,
        config_checks: true,
        secret_checks: false,
        live: true,
        hash_inputs: false,
        explain_not_configs: false,
    };
    let report = clawcheck::engine::run(&opts).expect("check the configs");
    let mut out: Vec<AgentProfile> = Vec::new();
    for t in report.live_targets {
        let mut p = t.profile;
        p.name = format!(
            "{} ({})",
            p.name,
            Path::new(&t.config).file_name().unwrap().to_string_lossy()
        );
        out.push(p);
    }
    out
}

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
    let mut profiles = vec![AgentProfile {
        name: "soak".into(),
        timeout_secs: Some(120.0),
        auto_destroy: true,
        max_concurrent: Some(conc as u32),
        thread_bound: true,
        ..Default::default()
    }];
    profiles.extend(real_targets());
    let per = total.div_ceil(probes.len() * profiles.len()).max(1);
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
    let r = run(&profiles, &opts).expect("live run");
    // Targets torn down by the executor must leave nothing; the ones whose
    // config keeps the session (ACP persistent) are verified as left (their
    // OC404 is the finding) and cleaned up after verification.
    let torn = |name: &str| profiles.iter().any(|p| p.name == name && p.auto_destroy);
    let (mut survivors, mut leaks, mut requests, mut setup_errors, mut timeouts) = (0, 0, 0, 0, 0);
    let mut kept = Vec::new();
    for a in &r.agents {
        requests += a.requests;
        setup_errors += a.setup_errors;
        timeouts += a.timeouts;
        if torn(&a.name) {
            survivors += a.survivors;
            leaks += a.leaks;
        } else {
            kept.push(serde_json::json!({"agent": a.name, "survivors": a.survivors, "left_for_verification": a.leaks}));
        }
    }
    // p99 over every timed-out request of every agent
    let mut over: Vec<f64> = r
        .agents
        .iter()
        .flat_map(|a| a.overshoot_samples_ms.iter().copied())
        .collect();
    over.sort_by(|a, b| a.total_cmp(b));
    let pct = |q: f64| {
        over.get(((over.len() as f64 * q).ceil() as usize).saturating_sub(1))
            .copied()
            .unwrap_or(0.0)
    };
    let (p50, p99) = (pct(0.5), pct(0.99));
    let max_over = r
        .agents
        .iter()
        .map(|a| a.max_overshoot_ms)
        .fold(0.0, f64::max);
    // nothing of this run may be left on the machine
    let me = std::process::id();
    let left: Vec<String> = [std::env::temp_dir(), "/var/tmp".into(), "/dev/shm".into()]
        .iter()
        .flat_map(|d| std::fs::read_dir(d).into_iter().flatten().flatten())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("clawcheck-live-") && n.contains(&format!("{me}-")))
        .collect();
    let errors: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.severity == "error" && torn(&f.agent))
        .collect();
    let summary = serde_json::json!({
        "requests": requests, "targets": r.agents.len(), "concurrency": conc,
        "wall_secs": t.elapsed().as_secs_f64(),
        "survivors": survivors, "leaks": leaks, "setup_errors": setup_errors,
        "left_on_machine": left,
        "no_teardown_targets": kept,
        "timeouts": timeouts, "effective_timeout_cap_secs": opts.timeout_cap_secs,
        "median_overshoot_ms": p50, "p99_overshoot_ms": p99, "max_overshoot_ms": max_over,
        "isolated_well_behaved_median_ms": r.isolated_well_behaved_median_ms,
        "plain_well_behaved_median_ms": r.plain_well_behaved_median_ms,
        "agents": r.agents.iter().map(|a| serde_json::json!({
            "name": a.name, "requests": a.requests, "concurrency": a.concurrency_used,
            "max_observed_concurrency": a.max_observed_concurrency,
            "effective_timeout_secs": a.effective_timeout_secs,
            "timeouts": a.timeouts, "p99_overshoot_ms": a.p99_overshoot_ms,
            "survivors": a.survivors, "leaks": a.leaks,
        })).collect::<Vec<_>>(),
        "active_layers": r.layers.iter().filter(|l| l.active).map(|l| l.name).collect::<Vec<_>>(),
        "inactive_layers": r.layers.iter().filter(|l| !l.active).map(|l| format!("{}: {}", l.name, l.detail)).collect::<Vec<_>>(),
        "notes": r.notes,
        "error_findings_of_torn_down_targets": errors,
    });
    println!("{}", serde_json::to_string_pretty(&summary).unwrap());
}
