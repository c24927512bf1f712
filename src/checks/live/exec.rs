//! One request: spawn, enforce the timeout, tear down, verify.

use super::cgroup::{CgroupSetup, Leaf};
use super::spawn::{self, ChildPlan, Iso};
use super::sys;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct Ctx {
    pub iso: Iso,
    pub cg: CgroupSetup,
    pub run_dir: PathBuf,
    pub run_id: String,
    pub state_paths: Vec<PathBuf>,
    /// Things to remove at the end of the run (leaked state, SysV queues).
    pub cleanup_paths: Mutex<Vec<PathBuf>>,
    pub cleanup_msgq: Mutex<Vec<i32>>,
    pub counter: std::sync::atomic::AtomicU64,
    /// Use the real-time watchdog (see `sys::RtWatch`).
    pub realtime: bool,
}

pub struct ReqSpec<'a> {
    pub probe: &'a str,
    pub eff_timeout: Duration,
    /// Executor destroys leftovers (auto_destroy && !test_skip_teardown).
    pub teardown: bool,
    pub tolerance_ms: u64,
}

#[derive(Debug, Default, Clone)]
pub struct ReqResult {
    pub probe: String,
    #[allow(dead_code)]
    pub id: String,
    pub t0: Option<Instant>,
    pub t_end: Option<Instant>,
    pub duration: Duration,
    pub timed_out: bool,
    pub overshoot_ms: Option<f64>,
    /// Deadline → SIGKILL sent: how late the executor itself acted.
    pub kill_latency_ms: Option<f64>,
    pub kill_failed: bool,
    pub survivors: Vec<i32>,
    pub scratch_left: bool,
    pub cgroup_left: bool,
    pub state_seen: Vec<String>,
    pub outside_writes: Vec<String>,
    pub fd_holders: Vec<String>,
    pub setup_error: Option<String>,
    pub warnings: Vec<String>,
    pub output: String,
    pub teardown_secs: f64,
    pub peak_pids: Option<u64>,
    pub cleaned_after_verify: bool,
}

/// /proc scan: processes whose environment carries the request marker
/// `CLAWCHECK_LIVE_REQ=<id>`.
pub fn marked_pids(id: &str) -> Vec<i32> {
    let m = format!("CLAWCHECK_LIVE_REQ={id}").into_bytes();
    let me = std::process::id() as i32;
    let mut out = Vec::new();
    if let Ok(rd) = fs::read_dir("/proc") {
        for e in rd.flatten() {
            let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else {
                continue;
            };
            if pid == me {
                continue;
            }
            if let Ok(env) = fs::read(format!("/proc/{pid}/environ")) {
                if env.split(|b| *b == 0).any(|kv| kv == m.as_slice()) {
                    out.push(pid);
                }
            }
        }
    }
    out
}

/// Closed (true) by an interrupt: no request may create a cgroup leaf or
/// spawn after the interrupt's cleanup ran. Requests hold it (read) from
/// their leaf to their spawn, so the cleanup (write) waits for those in flight.
pub static GATE: std::sync::RwLock<bool> = std::sync::RwLock::new(false);

/// SIGKILLs every process whose request marker `CLAWCHECK_LIVE_REQ=<id>`
/// `matches` (the `/proc` sweep for requests without a cgroup or PID namespace).
pub fn kill_marked(matches: &dyn Fn(&str) -> bool) -> usize {
    let me = std::process::id() as i32;
    let mut n = 0;
    let Ok(rd) = fs::read_dir("/proc") else {
        return 0;
    };
    for e in rd.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else {
            continue;
        };
        if pid == me {
            continue;
        }
        let Ok(env) = fs::read(format!("/proc/{pid}/environ")) else {
            continue;
        };
        let hit = env.split(|b| *b == 0).any(|kv| {
            kv.strip_prefix(b"CLAWCHECK_LIVE_REQ=")
                .and_then(|v| std::str::from_utf8(v).ok())
                .is_some_and(matches)
        });
        if hit {
            unsafe { libc::kill(pid, libc::SIGKILL) };
            n += 1;
        }
    }
    n
}

fn sweep_kill(id: &str) {
    for _ in 0..20 {
        let ps = marked_pids(id);
        if ps.is_empty() {
            return;
        }
        for p in ps {
            unsafe { libc::kill(p, libc::SIGKILL) };
        }
        std::thread::sleep(Duration::from_micros(500));
    }
}

/// Subreaper duty: reap zombie children that are not a worker's request main
/// process. With a cgroup v2 run directory (`scope`, as /proc/PID/cgroup names
/// it), only zombies that were in it: a zombie keeps its v2 cgroup, so a child
/// the host program spawned itself is left to its owner. Without one, every
/// zombie child that is not a request's main process is reaped.
pub fn reap_orphans(scope: Option<&str>) {
    // Not a subreaper (a PID namespace holds the request): every zombie child
    // is a child some other part of the host program will wait for.
    let mut sub: libc::c_int = 0;
    unsafe {
        libc::prctl(
            libc::PR_GET_CHILD_SUBREAPER,
            &mut sub as *mut libc::c_int,
            0,
            0,
            0,
        )
    };
    if sub == 0 {
        return;
    }
    let active: std::collections::HashSet<i32> = spawn::ACTIVE
        .lock()
        .unwrap()
        .as_ref()
        .cloned()
        .unwrap_or_default();
    let Ok(rd) = fs::read_dir("/proc/self/task") else {
        return;
    };
    for t in rd.flatten() {
        let Ok(ch) = fs::read_to_string(t.path().join("children")) else {
            continue;
        };
        for pid in ch.split_whitespace().filter_map(|s| s.parse::<i32>().ok()) {
            if active.contains(&pid) {
                continue;
            }
            let zombie = fs::read_to_string(format!("/proc/{pid}/stat"))
                .ok()
                .and_then(|s| s.rsplit_once(") ").map(|(_, r)| r.starts_with('Z')))
                .unwrap_or(false);
            let ours = || {
                let Some(scope) = scope else { return true };
                fs::read_to_string(format!("/proc/{pid}/cgroup")).is_ok_and(|c| {
                    c.lines()
                        .filter_map(|l| l.strip_prefix("0::"))
                        .any(|p| p.starts_with(scope) && p[scope.len()..].starts_with('/'))
                })
            };
            if zombie && ours() {
                unsafe { libc::waitpid(pid, std::ptr::null_mut(), libc::WNOHANG) };
            }
        }
    }
}

/// Processes (other than us) holding descriptors below `prefix`.
fn fd_holders(prefix: &Path) -> Vec<String> {
    let me = std::process::id() as i32;
    let mut out = Vec::new();
    let Ok(rd) = fs::read_dir("/proc") else {
        return out;
    };
    for e in rd.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else {
            continue;
        };
        if pid == me {
            continue;
        }
        let Ok(fds) = fs::read_dir(format!("/proc/{pid}/fd")) else {
            continue;
        };
        for f in fds.flatten() {
            if let Ok(t) = fs::read_link(f.path()) {
                if t.starts_with(prefix) {
                    out.push(format!(
                        "pid {pid} fd {} -> {}",
                        f.file_name().to_string_lossy(),
                        t.display()
                    ));
                }
            }
        }
    }
    out
}

fn destroy(ctx: &Ctx, id: &str, pid: i32, leaf: &Leaf, scratch: &Path) {
    let iso = &ctx.iso;
    leaf.kill_all();
    if !iso.pidns {
        unsafe { libc::kill(-pid, libc::SIGKILL) };
        if leaf.v2.is_none() {
            sweep_kill(id);
        }
    }
    leaf.wait_empty(Duration::from_secs(2));
    reap_orphans(ctx.cg.v2_rel.as_deref());
    leaf.remove();
    let _ = fs::remove_dir_all(scratch);
}

pub fn run_request(ctx: &Ctx, spec: &ReqSpec) -> ReqResult {
    let n = ctx
        .counter
        .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let id = format!("{}-{n}", ctx.run_id);
    let mut r = ReqResult {
        probe: spec.probe.to_string(),
        id: id.clone(),
        ..Default::default()
    };
    let t0 = Instant::now();
    r.t0 = Some(t0);
    let scratch = ctx.run_dir.join(format!("req-{n}"));
    let out_path = ctx.run_dir.join(format!("req-{n}.out"));
    let escape_paths: Vec<PathBuf> = vec![
        ctx.run_dir.join(format!("escape-{id}")),
        PathBuf::from(format!("/var/tmp/clawcheck-live-escape-{id}")),
        PathBuf::from(format!("/clawcheck-live-escape-{id}")),
    ];
    let fail = |mut r: ReqResult, msg: String| {
        r.setup_error = Some(msg);
        r.t_end = Some(Instant::now());
        r.duration = t0.elapsed();
        r
    };
    // Held from the first file of the request to its spawn (see GATE).
    let gate = GATE.read().unwrap_or_else(|e| e.into_inner());
    if *gate {
        return fail(r, "interrupted: clawcheck is exiting".into());
    }
    if let Err(e) = fs::create_dir(&scratch)
        .and_then(|_| fs::set_permissions(&scratch, fs::Permissions::from_mode(0o755)))
    {
        return fail(r, format!("scratch dir: {e}"));
    }
    let out = match fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(&out_path)
    {
        Ok(f) => f,
        Err(e) => {
            let _ = fs::remove_dir(&scratch);
            return fail(r, format!("output file: {e}"));
        }
    };
    let leaf = match ctx.cg.leaf(&format!("req-{n}")) {
        Ok(l) => l,
        Err(e) => {
            let _ = fs::remove_dir(&scratch);
            return fail(r, format!("cgroup leaf: {e}"));
        }
    };
    let sleep_secs = (spec.eff_timeout.as_secs_f64() * 10.0 + 5.0).ceil() as u64;
    let join = |v: &[PathBuf]| {
        v.iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let s = scratch.display().to_string();
    let env = vec![
        (
            "PATH".to_string(),
            "/usr/local/bin:/usr/bin:/bin".to_string(),
        ),
        ("HOME".into(), s.clone()),
        ("TMPDIR".into(), s.clone()),
        ("LANG".into(), "C".into()),
        ("CLAWCHECK_LIVE_REQ".into(), id.clone()),
        ("CLAWCHECK_LIVE_SCRATCH".into(), s.clone()),
        (
            "CLAWCHECK_LIVE_RUN_DIR".into(),
            ctx.run_dir.display().to_string(),
        ),
        ("CLAWCHECK_LIVE_SLEEP_SECS".into(), sleep_secs.to_string()),
        ("CLAWCHECK_LIVE_STATE_PATHS".into(), join(&ctx.state_paths)),
        ("CLAWCHECK_LIVE_ESCAPE_PATHS".into(), join(&escape_paths)),
    ];
    let script = super::probes::script(spec.probe).unwrap_or_default();
    use std::os::fd::AsRawFd;
    let plan = ChildPlan::new(ctx.iso.clone(), &script, &env, &s, out.as_raw_fd());
    // Real-time from the clone to the timestamp of the exit: the clone holds
    // this process's mm lock while it copies the address space, and a
    // preempted clone at normal priority made the other requests' watchdogs
    // (blocked on that lock in a page fault) wake 10-30 ms late.
    let watch = if ctx.realtime {
        sys::RtWatch::enter()
    } else {
        sys::RtWatch { active: false }
    };
    let spawned = spawn::spawn(&plan, Some(&leaf));
    // In its leaf (or failed): an interrupt's cleanup may proceed.
    drop(gate);
    let sp = match spawned {
        Ok(sp) => sp,
        Err(e) => {
            drop(out);
            leaf.kill_all();
            leaf.wait_empty(Duration::from_secs(1));
            leaf.remove();
            let _ = fs::remove_dir_all(&scratch);
            let _ = fs::remove_file(&out_path);
            return fail(r, format!("spawn failed at {e}"));
        }
    };
    drop(out);
    for (step, e) in &sp.warnings {
        r.warnings.push(format!(
            "{} degraded: {}",
            spawn::step_name(*step),
            std::io::Error::from_raw_os_error(*e)
        ));
    }
    // ---- timeout enforcement --------------------------------------------------
    let deadline = sp.started + spec.eff_timeout;
    let mut exited =
        sys::pidfd_wait_exit(sp.pidfd, deadline.saturating_duration_since(Instant::now()));
    if !exited {
        r.timed_out = true;
        let _ = sys::pidfd_send_signal(sp.pidfd, libc::SIGKILL);
        r.kill_latency_ms = Some(
            Instant::now()
                .saturating_duration_since(deadline)
                .as_secs_f64()
                * 1000.0,
        );
        if ctx.iso.pidns {
            // The namespace's init waits for every process in it to die before it
            // exits; killing them all through the cgroup at the same moment, instead
            // of one after the other from init, shortens that wait. Without a PID
            // namespace this is left to teardown, so a skipped teardown stays visible.
            if leaf.kill_v2() && watch.active {
                // Every process of the request now has SIGKILL pending (the
                // kernel also kills anything forked from here on), so none can
                // run user code again. Run their exits at real-time priority,
                // as Android's lmkd does for its victims: on a loaded machine
                // the exits otherwise queue behind the next requests' work.
                // Only the v2 leaf's members: exactly the processes the kill took.
                for pid in leaf
                    .v2
                    .as_deref()
                    .map(super::cgroup::procs)
                    .unwrap_or_default()
                {
                    sys::boost_dying(pid);
                }
            }
        }
        exited = sys::pidfd_wait_exit(sp.pidfd, Duration::from_secs(5));
        let t_dead = Instant::now();
        r.overshoot_ms = Some(t_dead.saturating_duration_since(deadline).as_secs_f64() * 1000.0);
        if !exited {
            r.kill_failed = true;
        }
    }
    drop(watch);
    let reaped = exited && sys::pidfd_reap_wait(sp.pidfd).is_some();
    if reaped {
        spawn::active_remove(sp.pid);
    }
    // ---- teardown ---------------------------------------------------------------
    let td = Instant::now();
    r.peak_pids = leaf.peak_pids();
    if spec.teardown {
        destroy(ctx, &id, sp.pid, &leaf, &scratch);
    }
    r.teardown_secs = td.elapsed().as_secs_f64();
    r.duration = t0.elapsed();
    r.t_end = Some(Instant::now());
    // ---- verification -------------------------------------------------------------
    r.output = fs::read(&out_path)
        .map(|b| String::from_utf8_lossy(&b[..b.len().min(65536)]).into_owned())
        .unwrap_or_default();
    let _ = fs::remove_file(&out_path);
    let mut main_alive = !reaped;
    let mut survivors = Vec::new();
    // ~1.2 s grace for killed processes still exiting on a loaded machine (the
    // soak runs 10 requests at once on 2 cores); a process alive after that is
    // a survivor.
    const ATTEMPTS: u32 = 40;
    for attempt in 0..ATTEMPTS {
        survivors = leaf.members();
        survivors.extend(marked_pids(&id));
        if main_alive && sys::pidfd_reap(sp.pidfd).is_some() {
            main_alive = false;
            spawn::active_remove(sp.pid);
        }
        // Reaped by someone else (the process-wide subreaper can win the race
        // for a probe that exits by itself): the pidfd then says ESRCH. A zombie
        // still accepts signal 0, so a process that is really there is not missed.
        if main_alive
            && sys::pidfd_send_signal(sp.pidfd, 0)
                .is_err_and(|e| e.raw_os_error() == Some(libc::ESRCH))
        {
            main_alive = false;
            spawn::active_remove(sp.pid);
        }
        if main_alive {
            survivors.push(sp.pid);
        }
        survivors.sort_unstable();
        survivors.dedup();
        if survivors.is_empty() || !spec.teardown || attempt == ATTEMPTS - 1 {
            break;
        }
        // killed processes may still be exiting (no re-kill: that would hide
        // a teardown that missed them)
        std::thread::sleep(Duration::from_millis(2u64 << attempt.min(4)));
    }
    r.survivors = survivors;
    r.scratch_left = scratch.exists();
    r.cgroup_left = leaf.exists();
    let lines: Vec<&str> = r.output.lines().collect();
    match spec.probe {
        "state-leak" => {
            for l in &lines {
                if let Some(rest) = l.strip_prefix("SEEN ") {
                    if !rest.ends_with(&id) {
                        r.state_seen
                            .push(format!("saw earlier request's state: {rest}"));
                    }
                }
                if let Some(q) = l.strip_prefix("IPCQ ") {
                    if let Ok(q) = q.trim().parse::<i32>() {
                        if !ctx.iso.ipcns {
                            r.state_seen
                                .push(format!("SysV message queue {q} outlives the request"));
                            ctx.cleanup_msgq.lock().unwrap().push(q);
                        }
                    }
                }
            }
            for p in &ctx.state_paths {
                if fs::read_to_string(p)
                    .map(|c| c.trim() == id)
                    .unwrap_or(false)
                {
                    r.state_seen
                        .push(format!("wrote persistent state to {}", p.display()));
                    ctx.cleanup_paths.lock().unwrap().push(p.clone());
                }
            }
        }
        "scratch-writer" => {
            if !lines.contains(&"SCRATCH_OK") {
                r.warnings.push("scratch directory was not writable".into());
            }
            for p in &escape_paths {
                if p.exists() {
                    r.outside_writes.push(p.display().to_string());
                    let _ = fs::remove_file(p);
                }
            }
        }
        "fd-holder" => {
            r.fd_holders = fd_holders(&scratch);
        }
        _ => {}
    }
    // ---- forced cleanup when the executor was told not to tear down -------------
    if !spec.teardown {
        destroy(ctx, &id, sp.pid, &leaf, &scratch);
        if main_alive {
            let _ = sys::pidfd_send_signal(sp.pidfd, libc::SIGKILL);
            if sys::pidfd_wait_exit(sp.pidfd, Duration::from_secs(5)) {
                sys::pidfd_reap_wait(sp.pidfd);
            }
            spawn::active_remove(sp.pid);
        }
        r.cleaned_after_verify = true;
    }
    sys::close(sp.pidfd);
    let _ = spec.tolerance_ms;
    r
}

/// The same probe without any isolation (plain clone+exec+wait), for the
/// overhead baseline.
pub fn run_plain(ctx: &Ctx, probe: &str) -> Option<Duration> {
    let t0 = Instant::now();
    let n = ctx
        .counter
        .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let out_path = ctx.run_dir.join(format!("plain-{n}.out"));
    let gate = GATE.read().unwrap_or_else(|e| e.into_inner());
    if *gate {
        return None;
    }
    let out = fs::File::create(&out_path).ok()?;
    use std::os::fd::AsRawFd;
    let env = vec![("PATH".to_string(), "/usr/bin:/bin".to_string())];
    let plan = ChildPlan::new(
        Iso::default(),
        &super::probes::script(probe)?,
        &env,
        &ctx.run_dir.display().to_string(),
        out.as_raw_fd(),
    );
    let sp = spawn::spawn(&plan, None).ok();
    drop(gate);
    let sp = sp?;
    drop(out);
    if sys::pidfd_wait_exit(sp.pidfd, Duration::from_secs(5)) {
        sys::pidfd_reap_wait(sp.pidfd);
    }
    spawn::active_remove(sp.pid);
    sys::close(sp.pidfd);
    let d = t0.elapsed();
    let _ = fs::remove_file(&out_path);
    Some(d)
}
