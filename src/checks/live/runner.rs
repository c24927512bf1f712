//! The live run: one run directory and cgroup, the isolation layers
//! detected once, the metrics endpoint, then every agent in turn
//! (`agent.rs`), judged by `verdicts.rs`.

use super::agent::run_agent;
use super::cgroup::CgroupSetup;
use super::exec::{self, Ctx, ReqSpec};
use super::layers::{detect_isolation, subreaper_acquire, subreaper_release};
use super::metrics::{self, labels, Metrics, Server};
use super::{probes, sys, AgentProfile, Layer, LiveError, LiveFinding, LiveOptions, LiveReport};
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

pub(super) fn new_run_dir() -> std::io::Result<(PathBuf, String)> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let id = format!("{}-{:08x}", std::process::id(), nanos);
    let dir = std::env::temp_dir().join(format!("clawcheck-live-{id}"));
    fs::create_dir(&dir)?;
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o755))?;
    Ok((dir, id))
}

/// The PID in a `clawcheck-live-*` name: run dirs and run cgroups
/// (`clawcheck-live-PID-NANOS`), state files (`clawcheck-live-state-PID-…`),
/// escape files (`clawcheck-live-escape-PID-…`) and request markers (`PID-…`).
pub(super) fn owner_pid(name: &str) -> Option<i32> {
    let rest = name.strip_prefix("clawcheck-live-").unwrap_or(name);
    let rest = rest
        .strip_prefix("state-")
        .or_else(|| rest.strip_prefix("escape-"))
        .unwrap_or(rest);
    let (pid, tail) = rest.split_once('-')?;
    if tail.is_empty() {
        return None;
    }
    pid.parse().ok().filter(|p| *p > 0)
}

fn pid_alive(pid: i32) -> bool {
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// Where a run leaves files: its run dir in the temp dir, state and escape
/// probes' files in /var/tmp, /dev/shm and /.
fn leftover_dirs() -> Vec<PathBuf> {
    let mut v = vec![
        std::env::temp_dir(),
        PathBuf::from("/var/tmp"),
        PathBuf::from("/dev/shm"),
        PathBuf::from("/"),
    ];
    v.dedup();
    v
}

/// Removes the `clawcheck-live-*` files and directories whose name `matches`.
fn remove_leftovers(matches: &dyn Fn(&str) -> bool) -> usize {
    let mut n = 0;
    for d in leftover_dirs() {
        let Ok(rd) = fs::read_dir(&d) else { continue };
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if !name.starts_with("clawcheck-live-") || !matches(&name) {
                continue;
            }
            let p = e.path();
            let ok = match e.file_type() {
                Ok(t) if t.is_dir() => fs::remove_dir_all(&p).is_ok(),
                _ => fs::remove_file(&p).is_ok(),
            };
            n += ok as usize;
        }
    }
    n
}

/// Start-up sweep: what earlier runs left when they were killed (SIGKILL,
/// a crash): their probe processes, run cgroups and scratch directories,
/// recognised by the owner PID in the name, for owners that are gone.
/// Runs of live processes (a concurrent `--live`) are left alone.
pub(super) fn sweep_stale() -> Vec<String> {
    let stale = |name: &str| owner_pid(name).is_some_and(|p| !pid_alive(p));
    let mut notes = Vec::new();
    let killed = exec::kill_marked(&stale);
    let cgroups = super::cgroup::sweep_stale(&stale);
    let files = remove_leftovers(&stale);
    if killed + cgroups.len() + files > 0 {
        notes.push(format!(
            "start-up sweep: removed what earlier interrupted runs left ({killed} probe process(es), {} cgroup(s), {files} scratch/state path(s))",
            cgroups.len()
        ));
    }
    notes
}

/// Everything the run `run_id` owns, removed when clawcheck is interrupted:
/// no new request may start, every request's cgroup is killed, then the
/// cgroups, the run directory and the probes' files outside it are removed.
fn interrupt_cleanup(cg: &CgroupSetup, run_id: &str) {
    *exec::GATE.write().unwrap_or_else(|e| e.into_inner()) = true;
    let mine = |name: &str| name.contains(run_id);
    for d in [&cg.v2_dir, &cg.v1_pids_dir, &cg.v1_memory_dir]
        .into_iter()
        .flatten()
    {
        let _ = super::cgroup::kill_leaf(d);
    }
    exec::kill_marked(&|id: &str| id.starts_with(run_id));
    cg.destroy();
    // A worker may still be removing its request's files while the run dir
    // goes: retry until nothing of the run is left (1 s at most).
    let t = std::time::Instant::now();
    loop {
        remove_leftovers(&mine);
        let left = leftover_dirs().iter().any(|d| {
            fs::read_dir(d).into_iter().flatten().flatten().any(|e| {
                let n = e.file_name().to_string_lossy().into_owned();
                n.starts_with("clawcheck-live-") && mine(&n)
            })
        });
        if !left || t.elapsed() > Duration::from_secs(1) {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The message for a metrics port that cannot be bound: a port in use is
/// named, with the way out (OpenClaw's gateway listens on 18789 by default).
pub(super) fn bind_error(port: u16, e: &std::io::Error) -> String {
    if e.kind() == std::io::ErrorKind::AddrInUse {
        let gateway = if port == 18789 {
            " (18789 is OpenClaw's gateway port)"
        } else {
            ""
        };
        format!("port {port} on 127.0.0.1 is already in use{gateway}: use `--metrics-port 0` for any free port, or another port")
    } else {
        format!("cannot bind 127.0.0.1:{port}: {e}")
    }
}

pub(super) fn median(v: &mut [f64]) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

pub(super) fn p99(v: &mut [f64]) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let idx = ((v.len() as f64) * 0.99).ceil() as usize;
    v[idx.saturating_sub(1).min(v.len() - 1)]
}

pub fn run(profiles: &[AgentProfile], opts: &LiveOptions) -> Result<LiveReport, LiveError> {
    let probes_sel: Vec<String> = if opts.probes.is_empty() {
        probes::ALL.iter().map(|s| s.to_string()).collect()
    } else {
        opts.probes.clone()
    };
    for p in &probes_sel {
        if !probes::ALL.contains(&p.as_str()) {
            return Err(LiveError::UnknownProbe(p.clone()));
        }
    }
    if !Path::new("/bin/sh").exists() {
        return Err(LiveError::Setup(
            "/bin/sh not found (probes are shell scripts)".into(),
        ));
    }
    let swept = sweep_stale();
    let (run_dir, run_id) = new_run_dir()?;
    let cg = CgroupSetup::create(&run_id, &opts.disable_layers);
    // An interrupt (the signal thread of `crate::cleanup`, which the CLI
    // installs) removes the run's processes, cgroups and files before exit.
    let _hook = {
        let (cg, run_id) = (cg.clone(), run_id.clone());
        crate::cleanup::on_interrupt(move || interrupt_cleanup(&cg, &run_id))
    };
    let (layers, iso) = detect_isolation(&run_dir, &cg, &opts.disable_layers);
    // With a PID namespace the namespace's init inherits every orphan of the
    // request, so this process need not (and should not: it would also take
    // over orphans of unrelated children of the host program) be a subreaper.
    let subreaper_held = !iso.pidns;
    if subreaper_held {
        subreaper_acquire();
    }
    let cleanup_early = |cg: &CgroupSetup| {
        if subreaper_held {
            subreaper_release();
        }
        cg.destroy();
        let _ = fs::remove_dir_all(&run_dir);
    };
    let missing: Vec<&Layer> = layers.iter().filter(|l| !l.active).collect();
    if opts.require_strict && !missing.is_empty() {
        cleanup_early(&cg);
        let names: Vec<String> = missing
            .iter()
            .map(|l| format!("{} ({})", l.name, l.detail))
            .collect();
        return Err(LiveError::StrictLayersMissing(names.join(", ")));
    }
    let m = Metrics::new();
    for ly in &layers {
        m.layer_active
            .get_or_create(&labels(&[("layer", ly.name)]))
            .set(ly.active as i64);
    }
    let server = match opts.metrics_port {
        Some(port) => match Server::start(m.clone(), port) {
            Ok(s) => {
                if let Some(announce) = opts.metrics_announce {
                    announce(s.port);
                }
                Some(s)
            }
            Err(e) => {
                cleanup_early(&cg);
                return Err(LiveError::Metrics(bind_error(port, &e)));
            }
        },
        None => None,
    };
    let state_paths = vec![
        run_dir.join("state-leak"),
        PathBuf::from(format!("/var/tmp/clawcheck-live-state-{run_id}")),
        PathBuf::from(format!("/dev/shm/clawcheck-live-state-{run_id}")),
    ];
    let ctx = Ctx {
        iso,
        cg,
        run_dir: run_dir.clone(),
        run_id: run_id.clone(),
        state_paths,
        cleanup_paths: Mutex::new(Vec::new()),
        cleanup_msgq: Mutex::new(Vec::new()),
        counter: std::sync::atomic::AtomicU64::new(0),
        realtime: opts.realtime_watchdog && sys::RtWatch::available(),
    };
    let mut notes = swept;
    if ctx.realtime {
        notes.push("timeout watchdog: real-time priority (SCHED_FIFO) from clone to exit; killed requests exit at real-time priority".to_string());
    } else if opts.realtime_watchdog {
        notes.push("timeout watchdog: normal priority (no CAP_SYS_NICE or RLIMIT_RTPRIO); on a loaded machine the measured overshoot includes scheduler latency".to_string());
    } else {
        notes.push("timeout watchdog: normal priority (switched off)".to_string());
    }
    // isolation overhead: sequential, interleaved isolated vs plain well-behaved
    let (mut iso_med, mut plain_med) = (None, None);
    if opts.overhead_samples > 0 && probes_sel.iter().any(|p| p == "well-behaved") {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        let spec = ReqSpec {
            probe: "well-behaved",
            eff_timeout: Duration::from_secs(5),
            teardown: true,
            tolerance_ms: opts.tolerance_ms,
        };
        for _ in 0..opts.overhead_samples {
            if let Some(d) = exec::run_plain(&ctx, "well-behaved") {
                b.push(d.as_secs_f64() * 1000.0);
            }
            let r = exec::run_request(&ctx, &spec);
            if r.setup_error.is_none() {
                a.push(r.duration.as_secs_f64() * 1000.0);
            }
        }
        if !a.is_empty() && !b.is_empty() {
            iso_med = Some(median(&mut a));
            plain_med = Some(median(&mut b));
        }
    }
    let overhead = iso_med.zip(plain_med).map(|(i, p)| i - p);
    let mut findings = Vec::new();
    let mut agents = Vec::new();
    for p in profiles {
        if !missing.is_empty() {
            findings.push(LiveFinding {
                rule: "OC405",
                severity: "warning",
                agent: p.name.clone(),
                probe: "*".into(),
                message: format!(
                    "isolation degraded: {} not available",
                    missing
                        .iter()
                        .map(|l| format!("{} ({})", l.name, l.detail))
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            });
        }
        let mut s = run_agent(&ctx, p, opts, &probes_sel, &m, &mut findings);
        s.median_overhead_ms = overhead;
        if s.configured_timeout_secs
            .map(|c| c > s.effective_timeout_secs)
            .unwrap_or(false)
        {
            notes.push(format!(
                "{}: configured timeout {} s was scaled to an effective {} s; the kill was verified against the effective timeout",
                p.name,
                s.configured_timeout_secs.unwrap(),
                s.effective_timeout_secs
            ));
        }
        agents.push(s);
    }
    // last scrape: a real HTTP scrape when the endpoint runs
    let metrics_text = match &server {
        Some(s) => metrics::scrape(s.port).unwrap_or_else(|e| {
            notes.push(format!(
                "self-scrape failed ({e}); metrics_text encoded directly"
            ));
            m.encode_prometheus()
        }),
        None => m.encode_prometheus(),
    };
    let fams = metrics::families(&metrics_text);
    for d in &opts.declared_metrics {
        let (sev, msg) = match metrics::map_declared(d) {
            Ok(Some(f)) if fams.iter().any(|x| x == f) => continue,
            Ok(Some(f)) => ("warning", format!("declared metric `{d}` maps to `{f}`, which the live endpoint did not export")),
            Ok(None) => (
                "note",
                format!("declared metric `{d}` is a secret-management metric; a live executor cannot produce it (export it from the secret manager)"),
            ),
            Err(()) => ("warning", format!("declared metric `{d}` has no live metric family")),
        };
        findings.push(LiveFinding {
            rule: "OC406",
            severity: sev,
            agent: "*".into(),
            probe: "*".into(),
            message: msg,
        });
    }
    let port = server.as_ref().map(|s| s.port);
    if let Some(s) = server {
        if opts.metrics_linger_secs > 0.0 {
            std::thread::sleep(Duration::from_secs_f64(opts.metrics_linger_secs));
        }
        s.stop();
    }
    // run-level cleanup
    for p in ctx.cleanup_paths.lock().unwrap().iter() {
        let _ = fs::remove_file(p);
    }
    for p in &ctx.state_paths {
        let _ = fs::remove_file(p);
    }
    for q in ctx.cleanup_msgq.lock().unwrap().iter() {
        unsafe { libc::msgctl(*q, libc::IPC_RMID, std::ptr::null_mut()) };
    }
    if subreaper_held {
        exec::reap_orphans(ctx.cg.v2_rel.as_deref());
        subreaper_release();
    }
    ctx.cg.destroy();
    let _ = fs::remove_dir_all(&run_dir);
    Ok(LiveReport {
        layers,
        agents,
        findings,
        metrics_port: port,
        metrics_text,
        isolated_well_behaved_median_ms: iso_med,
        plain_well_behaved_median_ms: plain_med,
        notes,
        exercised: Default::default(),
        openclaw: None,
    })
}
