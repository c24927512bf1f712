//! Layer detection and the per-agent run loop.

use super::cgroup::CgroupSetup;
use super::exec::{self, Ctx, ReqResult, ReqSpec};
use super::metrics::{self, l, Metrics, Server};
use super::spawn::{self, ChildPlan, Iso};
use super::{
    probes, sys, AgentProfile, AgentSummary, Layer, LiveError, LiveFinding, LiveOptions,
    LiveReport, ProbeTimeouts,
};
use std::collections::{BTreeMap, VecDeque};
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

fn trial(
    iso: &Iso,
    dir: &Path,
    cg: Option<&CgroupSetup>,
    tag: &str,
) -> Result<Vec<(u8, i32)>, String> {
    let scratch = dir.join(format!("detect-{tag}"));
    fs::create_dir_all(&scratch).map_err(|e| e.to_string())?;
    let _ = fs::set_permissions(&scratch, fs::Permissions::from_mode(0o755));
    let out = fs::File::create(dir.join(format!("detect-{tag}.out"))).map_err(|e| e.to_string())?;
    let leaf = match cg {
        Some(c) => Some(
            c.leaf(&format!("detect-{tag}"))
                .map_err(|e| format!("cgroup leaf: {e}"))?,
        ),
        None => None,
    };
    use std::os::fd::AsRawFd;
    let plan = ChildPlan::new(
        iso.clone(),
        "exit 0",
        &[("PATH".into(), "/usr/bin:/bin".into())],
        &scratch.display().to_string(),
        out.as_raw_fd(),
    );
    let r = spawn::spawn(&plan, leaf.as_ref());
    let res = match r {
        Ok(sp) => {
            let st = if sys::pidfd_wait_exit(sp.pidfd, Duration::from_secs(5)) {
                sys::pidfd_reap_wait(sp.pidfd)
            } else {
                None
            };
            spawn::active_remove(sp.pid);
            sys::close(sp.pidfd);
            match st {
                Some(0) => Ok(sp.warnings),
                other => Err(format!("trial child exited with {other:?}")),
            }
        }
        Err(e) => Err(e.to_string()),
    };
    if let Some(l) = &leaf {
        l.kill_all();
        l.wait_empty(Duration::from_secs(1));
        l.remove();
    }
    let _ = fs::remove_dir_all(&scratch);
    let _ = fs::remove_file(dir.join(format!("detect-{tag}.out")));
    res
}

const NS: &[(&str, u8)] = &[
    ("user-namespace", 0),
    ("pid-namespace", 1),
    ("mount-namespace", 2),
    ("network-namespace", 3),
    ("ipc-namespace", 4),
    ("uts-namespace", 5),
];

fn set_ns(iso: &mut Iso, k: u8, v: bool) {
    match k {
        0 => iso.userns = v,
        1 => iso.pidns = v,
        2 => iso.mntns = v,
        3 => iso.netns = v,
        4 => iso.ipcns = v,
        _ => iso.utsns = v,
    }
}

/// Detect usable layers by actually trying them.
fn detect(dir: &Path, cg: &CgroupSetup, disable: &[String]) -> (Vec<Layer>, Iso) {
    let off = |n: &str| disable.iter().any(|d| d == n);
    let root = sys::geteuid() == 0;
    let mut layers = Vec::new();
    let mut iso = Iso::default();
    // namespaces, one at a time (with a user namespace when unprivileged)
    let mut userns_ok = false;
    for (name, k) in NS {
        if off(name) {
            layers.push(Layer {
                name,
                active: false,
                detail: "disabled by option".into(),
            });
            continue;
        }
        let mut t = Iso::default();
        set_ns(&mut t, *k, true);
        if !root && *k != 0 {
            t.userns = userns_ok;
        }
        match trial(&t, dir, None, name) {
            Ok(_) => {
                if *k == 0 {
                    userns_ok = true;
                }
                set_ns(&mut iso, *k, true);
                layers.push(Layer {
                    name,
                    active: true,
                    detail: "clone3 ok".into(),
                });
            }
            Err(e) => layers.push(Layer {
                name,
                active: false,
                detail: e,
            }),
        }
    }
    // in-child layers: try the full combination, drop what degrades
    iso.tmpfs = iso.mntns && !off("tmpfs-scratch");
    iso.ro_root = iso.mntns && !off("readonly-root");
    iso.procfs = iso.mntns && iso.pidns && !off("private-proc");
    iso.rlimits = !off("rlimits");
    iso.capdrop = !off("capability-drop");
    let abi = if off("landlock") {
        None
    } else {
        sys::landlock_abi()
    };
    iso.landlock_abi = abi;
    let mut full_err = None;
    let cgs = if cg.v2_dir.is_some() || cg.v1_pids_dir.is_some() || cg.v1_memory_dir.is_some() {
        Some(cg)
    } else {
        None
    };
    let mut cg_join_ok = cgs.is_some();
    let mut warns = Vec::new();
    for attempt in 0..3 {
        match trial(
            &iso,
            dir,
            if cg_join_ok { cgs } else { None },
            &format!("full{attempt}"),
        ) {
            Ok(w) => {
                warns = w;
                full_err = None;
                break;
            }
            Err(e) => {
                if e.contains("cgroup") {
                    cg_join_ok = false;
                } else if attempt == 0 {
                    iso.userns = false; // e.g. combination not allowed
                } else {
                    iso = Iso {
                        rlimits: iso.rlimits,
                        ..Iso::default()
                    };
                }
                full_err = Some(e);
            }
        }
    }
    if let Some(e) = &full_err {
        iso = Iso::default();
        layers.iter_mut().for_each(|l| {
            l.active = false;
            l.detail = format!("combined sandbox failed: {e}");
        });
    }
    if !iso.userns {
        if let Some(l) = layers
            .iter_mut()
            .find(|l| l.name == "user-namespace" && l.active)
        {
            l.active = false;
            l.detail = "works alone but not combined with the other namespaces".into();
        }
    }
    let warned = |s: u8| {
        warns
            .iter()
            .find(|(st, _)| *st == s)
            .map(|(_, e)| std::io::Error::from_raw_os_error(*e).to_string())
    };
    let mut push = |name: &'static str,
                    want: bool,
                    step: u8,
                    ok_detail: String,
                    why_off: &str,
                    iso_flag: &mut bool| {
        if off(name) {
            *iso_flag = false;
            layers.push(Layer {
                name,
                active: false,
                detail: "disabled by option".into(),
            });
        } else if !want {
            *iso_flag = false;
            layers.push(Layer {
                name,
                active: false,
                detail: why_off.into(),
            });
        } else if let Some(e) = warned(step) {
            *iso_flag = false;
            layers.push(Layer {
                name,
                active: false,
                detail: e,
            });
        } else {
            layers.push(Layer {
                name,
                active: true,
                detail: ok_detail,
            });
        }
    };
    let (mut a, mut b, mut c, mut d, mut e) =
        (iso.tmpfs, iso.ro_root, iso.procfs, iso.rlimits, iso.capdrop);
    push(
        "tmpfs-scratch",
        a,
        spawn::STEP_TMPFS,
        "tmpfs (16 MiB) mounted on per-request scratch".into(),
        "needs a mount namespace",
        &mut a,
    );
    push(
        "readonly-root",
        b,
        spawn::STEP_RO_ROOT,
        "mount_setattr(AT_RECURSIVE, RDONLY) on /, scratch writable".into(),
        "needs a mount namespace",
        &mut b,
    );
    push(
        "private-proc",
        c,
        spawn::STEP_PROC,
        "fresh procfs for the PID namespace".into(),
        "needs mount + PID namespaces",
        &mut c,
    );
    push(
        "rlimits",
        d,
        spawn::STEP_RLIMIT,
        "CORE=0 NOFILE=256 FSIZE=64MiB AS=1GiB".into(),
        "disabled",
        &mut d,
    );
    push(
        "capability-drop",
        e,
        spawn::STEP_CAPDROP,
        "no_new_privs + empty bounding set".into(),
        "disabled",
        &mut e,
    );
    iso.tmpfs = a;
    iso.ro_root = b;
    iso.procfs = c;
    iso.rlimits = d;
    iso.capdrop = e;
    let mut ll = iso.landlock_abi.is_some();
    push(
        "landlock",
        ll,
        spawn::STEP_LANDLOCK,
        format!("ABI v{}: writes only below scratch, TCP bind/connect denied, signal+abstract-socket scoping", abi.unwrap_or(0)),
        if off("landlock") { "disabled" } else { "landlock_create_ruleset unsupported" },
        &mut ll,
    );
    if !ll {
        iso.landlock_abi = None;
    }
    let cgd = cg.details.join("; ");
    layers.push(Layer {
        name: "cgroup-v2",
        active: cg.v2_dir.is_some() && cg_join_ok,
        detail: if cg.v2_dir.is_some() {
            format!("leaf per request, cgroup.kill + cgroup.events; {cgd}")
        } else {
            cgd.clone()
        },
    });
    layers.push(Layer {
        name: "cgroup-pids",
        active: cg.pids_active() && cg_join_ok,
        detail: if cg.v2_pids {
            format!("v2 pids.max={}", super::cgroup::PIDS_MAX)
        } else if cg.v1_pids_dir.is_some() {
            format!(
                "v1 pids.max={} (cgroup v2 has no pids controller here)",
                super::cgroup::PIDS_MAX
            )
        } else {
            "no writable pids controller".into()
        },
    });
    layers.push(Layer {
        name: "cgroup-memory",
        active: cg.memory_active() && cg_join_ok,
        detail: if cg.v2_memory {
            format!("v2 memory.max={} MiB", super::cgroup::MEMORY_MAX >> 20)
        } else if cg.v1_memory_dir.is_some() {
            format!(
                "v1 memory.limit_in_bytes={} MiB (cgroup v2 has no memory controller here)",
                super::cgroup::MEMORY_MAX >> 20
            )
        } else {
            "no writable memory controller (v2 or v1); RLIMIT_AS bounds memory instead".into()
        },
    });
    layers.push(Layer {
        name: "subreaper",
        active: subreaper_available(),
        detail: "PR_SET_CHILD_SUBREAPER while running, when there is no PID namespace".into(),
    });
    let sweep = fs::read("/proc/self/environ").is_ok();
    layers.push(Layer {
        name: "proc-sweep",
        active: sweep,
        detail: "/proc/*/environ scan for CLAWCHECK_LIVE_REQ".into(),
    });
    layers.push(Layer {
        name: "env-allowlist",
        active: true,
        detail: "PATH HOME TMPDIR LANG + CLAWCHECK_LIVE_* only".into(),
    });
    (layers, iso)
}

static SUBREAPER_USERS: Mutex<(usize, i32)> = Mutex::new((0, 0));

/// Whether PR_SET_CHILD_SUBREAPER works here; leaves the flag as it was.
fn subreaper_available() -> bool {
    let _g = SUBREAPER_USERS.lock().unwrap();
    let mut prev: libc::c_int = 0;
    unsafe {
        libc::prctl(
            libc::PR_GET_CHILD_SUBREAPER,
            &mut prev as *mut libc::c_int,
            0,
            0,
            0,
        )
    };
    let ok = unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) } == 0;
    unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, prev as libc::c_ulong, 0, 0, 0) };
    ok
}

fn subreaper_acquire() {
    let mut g = SUBREAPER_USERS.lock().unwrap();
    if g.0 == 0 {
        let mut prev: libc::c_int = 0;
        unsafe {
            libc::prctl(
                libc::PR_GET_CHILD_SUBREAPER,
                &mut prev as *mut libc::c_int,
                0,
                0,
                0,
            )
        };
        g.1 = prev;
    }
    g.0 += 1;
    unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) };
}

fn subreaper_release() {
    let mut g = SUBREAPER_USERS.lock().unwrap();
    g.0 = g.0.saturating_sub(1);
    if g.0 == 0 {
        unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, g.1 as libc::c_ulong, 0, 0, 0) };
    }
}

fn new_run_dir() -> std::io::Result<(PathBuf, String)> {
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

/// Detect which isolation layers are usable on this host (creates and
/// removes a temporary cgroup and directory).
pub fn detect_layers() -> Vec<Layer> {
    let Ok((dir, id)) = new_run_dir() else {
        return Vec::new();
    };
    let cg = CgroupSetup::create(&format!("detect-{id}"), &[]);
    let (layers, _) = detect(&dir, &cg, &[]);
    cg.destroy();
    let _ = fs::remove_dir_all(&dir);
    layers
}

fn median(v: &mut [f64]) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn p99(v: &mut [f64]) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let idx = ((v.len() as f64) * 0.99).ceil() as usize;
    v[idx.saturating_sub(1).min(v.len() - 1)]
}

struct RawFinding {
    rule: &'static str,
    severity: &'static str,
    probe: String,
    message: String,
}

fn rf(rule: &'static str, severity: &'static str, probe: &str, message: String) -> RawFinding {
    RawFinding {
        rule,
        severity,
        probe: probe.to_string(),
        message,
    }
}

fn request_findings(
    r: &ReqResult,
    p: &AgentProfile,
    opts: &LiveOptions,
    eff: f64,
    out: &mut Vec<RawFinding>,
) {
    let why = if opts.test_skip_teardown {
        " (test_skip_teardown: executor skipped teardown; cleaned up after verification)"
    } else if !p.auto_destroy {
        " (profile does not declare auto-destroy, so the executor did not destroy the request; cleaned up after verification)"
    } else {
        ""
    };
    if let Some(e) = &r.setup_error {
        out.push(rf(
            "OC405",
            "error",
            &r.probe,
            format!("request could not be isolated: {e}"),
        ));
        return;
    }
    for w in &r.warnings {
        out.push(rf(
            "OC405",
            "warning",
            &r.probe,
            format!("isolation degraded for this request: {w}"),
        ));
    }
    if !r.survivors.is_empty() {
        let pids: Vec<String> = r.survivors.iter().take(10).map(|p| p.to_string()).collect();
        out.push(rf(
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
            out.push(rf(
                "OC402",
                "error",
                &r.probe,
                format!("request not dead 5 s after its effective timeout of {eff} s"),
            ));
        } else if o > opts.tolerance_ms as f64 {
            out.push(rf(
                "OC402",
                "error",
                &r.probe,
                format!(
                    "killed {o:.1} ms after the effective timeout of {eff} s (tolerance {} ms)",
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
        out.push(rf(
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
        out.push(rf(
            "OC404",
            "error",
            &r.probe,
            format!("{what} still present after the request ended{why}"),
        ));
    }
    if !r.fd_holders.is_empty() {
        out.push(rf(
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

fn record_metrics(m: &Metrics, agent: &str, r: &ReqResult) {
    let violation = !r.survivors.is_empty()
        || !r.state_seen.is_empty()
        || !r.outside_writes.is_empty()
        || r.scratch_left
        || r.cgroup_left
        || !r.fd_holders.is_empty()
        || r.kill_failed;
    let outcome = if r.setup_error.is_some() {
        "setup_error"
    } else if violation {
        "violation"
    } else if r.timed_out {
        "timeout"
    } else {
        "ok"
    };
    m.requests
        .get_or_create(&l(&[
            ("agent", agent),
            ("probe", &r.probe),
            ("outcome", outcome),
        ]))
        .inc();
    if outcome == "setup_error" || outcome == "violation" {
        m.errors
            .get_or_create(&l(&[("agent", agent), ("probe", &r.probe)]))
            .inc();
    }
    let a = l(&[("agent", agent)]);
    m.duration
        .get_or_create(&a)
        .observe(r.duration.as_secs_f64());
    m.teardown.get_or_create(&a).observe(r.teardown_secs);
    if r.timed_out {
        m.timeouts.get_or_create(&a).inc();
        m.overshoot
            .get_or_create(&a)
            .observe(r.overshoot_ms.unwrap_or(0.0) / 1000.0);
    }
    m.survivors
        .get_or_create(&a)
        .inc_by(r.survivors.len() as u64);
    for (kind, n) in [
        ("state", r.state_seen.len() + r.outside_writes.len()),
        ("scratch", r.scratch_left as usize + r.cgroup_left as usize),
        ("fd", r.fd_holders.len()),
    ] {
        if n > 0 {
            m.leaks
                .get_or_create(&l(&[("agent", agent), ("kind", kind)]))
                .inc_by(n as u64);
        }
    }
    if let Some(p) = r.peak_pids {
        let g = m.peak_pids.get_or_create(&a);
        if p as i64 > g.get() {
            g.set(p as i64);
        }
    }
}

fn run_agent(
    ctx: &Ctx,
    p: &AgentProfile,
    opts: &LiveOptions,
    probes_sel: &[String],
    m: &Metrics,
    findings: &mut Vec<LiveFinding>,
) -> AgentSummary {
    let configured = p.timeout_secs.filter(|t| *t > 0.0);
    let eff = match configured {
        Some(t) => t.min(opts.timeout_cap_secs),
        None => opts.unlimited_timeout_cap_secs,
    };
    let max_c = p
        .max_concurrent
        .map(|c| c.max(1) as usize)
        .unwrap_or(usize::MAX);
    let workers = opts.concurrency.max(1).min(max_c);
    let a = l(&[("agent", &p.name)]);
    m.thread_bound.get_or_create(&a).set(p.thread_bound as i64);
    m.effective_timeout.get_or_create(&a).set(eff);
    m.configured_timeout
        .get_or_create(&a)
        .set(configured.unwrap_or(0.0));
    // create every family's series up front so a declared metric is
    // exported (as 0) even before anything happened
    for pr in probes_sel {
        let _ = m
            .errors
            .get_or_create(&l(&[("agent", &p.name), ("probe", pr)]));
    }
    for kind in ["state", "scratch", "fd"] {
        let _ = m
            .leaks
            .get_or_create(&l(&[("agent", &p.name), ("kind", kind)]));
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
                    eff_timeout: Duration::from_secs_f64(eff),
                    teardown,
                    tolerance_ms: opts.tolerance_ms,
                };
                let r = exec::run_request(ctx, &spec);
                m.active.get_or_create(&a).dec();
                active.fetch_sub(1, Ordering::SeqCst);
                record_metrics(m, &p.name, &r);
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
        raw.push(rf(
            "OC402",
            "warning",
            "*",
            format!("no timeout configured: the agent could run forever; the live run used a cap of {eff} s"),
        ));
    }
    for r in &results {
        request_findings(r, p, opts, eff, &mut raw);
    }
    if fd_after > fd_base {
        raw.push(rf(
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
            raw.push(rf(
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
        effective_timeout_secs: eff,
        concurrency_used: workers,
        max_observed_concurrency: observed,
        median_request_ms: median(&mut dur),
        median_teardown_ms: median(&mut td),
        setup_errors: results.iter().filter(|r| r.setup_error.is_some()).count(),
        timeouts_by_probe,
    }
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
    let (run_dir, run_id) = new_run_dir()?;
    let cg = CgroupSetup::create(&run_id, &opts.disable_layers);
    let (layers, iso) = detect(&run_dir, &cg, &opts.disable_layers);
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
            .get_or_create(&l(&[("layer", ly.name)]))
            .set(ly.active as i64);
    }
    let server = match opts.metrics_port {
        Some(port) => match Server::start(m.clone(), port) {
            Ok(s) => Some(s),
            Err(e) => {
                cleanup_early(&cg);
                return Err(LiveError::Metrics(format!(
                    "cannot bind 127.0.0.1:{port}: {e}"
                )));
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
    let mut notes = Vec::new();
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
    })
}
