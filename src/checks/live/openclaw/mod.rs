//! `--live --openclaw`: real turns of the user's OpenClaw against clawcheck's
//! stub provider, judged by what the stub sees.
//!
//! One run:
//! 1. a private directory (0700) holds HOME, `OPENCLAW_STATE_DIR` (the copy
//!    of the config as `openclaw.json`, 0600, see [`config::prepare`]), the
//!    agent workspace and TMPDIR;
//! 2. a dedicated thread enters a new network namespace
//!    (`unshare(CLONE_NEWNET)`: loopback only, brought up; no packet can
//!    leave the machine), binds the [`stub::Stub`] on its 127.0.0.1, and
//!    spawns every `openclaw` process from there (children inherit the
//!    thread's namespace). Where namespaces are unavailable the run fails
//!    with an error, never falls back to the host network;
//! 3. probes run embedded turns (`openclaw agent --local --agent A --message
//!    M --json`), each message carrying a unique canary:
//!    - `turn-timeout`: the stub hangs; the turn must end within the
//!      configured `timeoutSeconds` + tolerance of the model request reaching
//!      the stub (OC402, overshoot measured);
//!    - `carry-over`: two turns from two senders (`--to`, or each with its
//!      own `--session-key` when asked); the first turn's canary in what
//!      the model is sent for the second means one context (OC403);
//! 4. after every turn its process group is killed and the namespace is
//!    scanned for processes left in it (killed and counted); at the end the
//!    private directory is removed. An interrupt (SIGINT/SIGTERM/…) runs the
//!    same teardown through [`crate::cleanup::on_interrupt`].
//!
//! Further probes (`probes.rs`): `teardown` (an exec-tool background process
//! must not outlive its turn, OC401), `subagent-timeout` (a spawned
//! sub-agent's hung run must end within `runTimeoutSeconds`, OC402) and
//! `metrics` (declared exporters served or pushed, OC406). Thread-binding
//! lifetimes are not exercised: the report says so.

pub mod config;
mod probes;
pub mod stub;

use super::{
    AgentSummary, Exercised, ExercisedConfig, ExercisedLimit, ExercisedRun, Layer, LiveError,
    LiveFinding, LiveReport, ProbeTimeouts,
};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use stub::{Behaviour, Stub};

/// The probes, in the order they run.
pub const PROBES: [&str; 5] = [
    "turn-timeout",
    "carry-over",
    "teardown",
    "subagent-timeout",
    "metrics",
];

/// How the carry-over probe's two turns pick their session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Sessions {
    /// As OpenClaw routes two senders (`--to A`, `--to B`) by the config.
    #[default]
    Routed,
    /// Each turn with its own `--session-key` (what an isolated deployment does).
    PerRequest,
}

/// How turns reach OpenClaw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// `openclaw gateway` started once; turns through `openclaw agent`.
    /// Falls back to embedded when the gateway does not come up.
    #[default]
    Gateway,
    /// `openclaw agent --local`: each turn in its own process.
    Embedded,
}

#[derive(Debug, Clone)]
pub struct OpenClawOptions {
    /// The `openclaw` executable (found on PATH when not a path).
    pub bin: PathBuf,
    /// Probe names; empty = all.
    pub probes: Vec<String>,
    pub sessions: Sessions,
    pub mode: Mode,
    /// The gateway must accept connections within this long.
    pub gateway_start_limit_secs: f64,
    /// Allowed overshoot of the turn timeout.
    pub tolerance_ms: u64,
    /// Longest turn timeout exercised: a longer (or unset) one is lowered
    /// with `--timeout` and reported.
    pub timeout_cap_secs: f64,
    /// A turn still running after this long is killed (start-up included).
    pub turn_limit_secs: f64,
    /// `teardown`: how long processes started by the turn may outlive it.
    pub teardown_grace_ms: u64,
    /// Test hook: called with the PID of every `openclaw` turn once spawned.
    pub on_spawn: Option<fn(u32)>,
}

impl Default for OpenClawOptions {
    fn default() -> Self {
        OpenClawOptions {
            bin: PathBuf::from("openclaw"),
            probes: Vec::new(),
            sessions: Sessions::Routed,
            mode: Mode::Gateway,
            gateway_start_limit_secs: 180.0,
            tolerance_ms: 10_000,
            timeout_cap_secs: 60.0,
            turn_limit_secs: 600.0,
            teardown_grace_ms: 2_000,
            on_spawn: None,
        }
    }
}

/// What the run reports besides findings (JSON/SARIF `live.openclaw`).
#[derive(Debug, Clone, Serialize, Default)]
pub struct OpenClawRun {
    pub version: String,
    /// `gateway` (`openclaw gateway` + `openclaw agent`) or `embedded`
    /// (`openclaw agent --local`).
    pub mode: String,
    /// Gateway mode: spawn → the gateway port accepts connections.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gateway_start_ms: Option<f64>,
    /// Gateway mode: the first turn (the stub answering at once), which the
    /// probes' turns do not pay again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warm_up_ms: Option<f64>,
    /// Why gateway mode fell back to embedded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fallback: Option<String>,
    pub entry_point: String,
    pub agent: String,
    pub sessions: Sessions,
    /// `openclaw --version` wall time.
    pub version_ms: f64,
    pub probes: Vec<ProbeRun>,
    /// Processes found in the namespace after a turn (killed).
    pub leftover_processes: usize,
    pub wall_ms: f64,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct ProbeRun {
    pub probe: String,
    /// passed | failed | not-exercised
    pub outcome: String,
    pub wall_ms: f64,
    pub turns: Vec<TurnRun>,
    pub detail: String,
}

impl ProbeRun {
    /// A probe that ran to its verdict: `failed` or passed, timed from `t0`.
    fn judged(probe: &str, failed: bool, t0: Instant, turns: Vec<TurnRun>, detail: String) -> Self {
        Self::with_outcome(
            probe,
            if failed { "failed" } else { "passed" },
            t0,
            turns,
            detail,
        )
    }

    fn with_outcome(
        probe: &str,
        outcome: &str,
        t0: Instant,
        turns: Vec<TurnRun>,
        detail: String,
    ) -> Self {
        ProbeRun {
            probe: probe.into(),
            outcome: outcome.into(),
            wall_ms: ms(t0.elapsed()),
            turns,
            detail,
        }
    }
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct TurnRun {
    pub canary: String,
    /// Process start → exit.
    pub wall_ms: f64,
    /// Process start → first model request at the stub (start-up of a cold turn).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_model_ms: Option<f64>,
    /// OpenClaw's own `meta.durationMs`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub openclaw_duration_ms: Option<f64>,
    pub exit_code: Option<i32>,
    pub killed: bool,
    /// `meta.timeoutPhase` when OpenClaw reports a timeout.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout_phase: Option<String>,
    pub model_requests: usize,
}

/// Runs the probes on `user_config` (the parsed file `display` names).
pub fn run(
    user_config: &serde_json::Value,
    display: &str,
    opts: &OpenClawOptions,
) -> Result<LiveReport, LiveError> {
    for p in &opts.probes {
        if !PROBES.contains(&p.as_str()) {
            return Err(LiveError::Setup(format!(
                "unknown --openclaw probe `{p}` (known: {})",
                PROBES.join(", ")
            )));
        }
    }
    let started = Instant::now();
    let sandbox = Sandbox::new()?;
    let ws = sandbox.root.join("workspace");
    let prepared = config::prepare(user_config, &ws.to_string_lossy())
        .map_err(|e| LiveError::Setup(format!("{display}: {e}")))?;
    let guard = Teardown::default();
    let hook_state = guard.clone();
    let hook_dir = sandbox.root.clone();
    let _hook = crate::cleanup::on_interrupt(move || {
        hook_state.kill_all();
        let _ = std::fs::remove_dir_all(&hook_dir);
    });
    let opts2 = opts.clone();
    let sb = sandbox.root.clone();
    let g2 = guard.clone();
    // Everything that touches the namespace runs on this one thread.
    let result = std::thread::Builder::new()
        .name("clawcheck-openclaw".into())
        .spawn(move || in_namespace(&sb, prepared, &opts2, &g2))
        .map_err(LiveError::Io)?
        .join()
        .map_err(|_| LiveError::Setup("the OpenClaw run thread panicked".into()))?;
    guard.kill_all();
    drop(sandbox);
    let mut outcome = result?;
    outcome.run.wall_ms = ms(started.elapsed());
    Ok(report(outcome, display, opts))
}

/// What must not outlive the run: the turns running now (process-group
/// leaders) and the namespace (whose processes are swept), killed on
/// interrupt and after every turn.
#[derive(Clone, Default)]
struct Teardown(Arc<Mutex<(Vec<i32>, Option<String>)>>);

impl Teardown {
    fn lock(&self) -> std::sync::MutexGuard<'_, (Vec<i32>, Option<String>)> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
    fn add(&self, pgid: i32) {
        self.lock().0.push(pgid);
    }
    fn remove(&self, pgid: i32) {
        self.lock().0.retain(|p| *p != pgid);
    }
    fn namespace(&self, ns: &str) {
        self.lock().1 = Some(ns.to_string());
    }
    fn kill_all(&self) {
        let (groups, ns) = self.lock().clone();
        for p in groups {
            // SAFETY: kill(2) on a process group we created.
            unsafe { libc::kill(-p, libc::SIGKILL) };
        }
        if let Some(ns) = ns {
            sweep_namespace(&ns, None);
        }
    }
}

/// The private directory: removed when dropped.
struct Sandbox {
    root: PathBuf,
    _dir: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Result<Sandbox, LiveError> {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        let dir = tempfile::Builder::new()
            .prefix("clawcheck-openclaw-")
            .tempdir()?;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700))?;
        let root = dir.path().to_path_buf();
        for d in ["home", "state", "workspace", "tmp"] {
            std::fs::DirBuilder::new()
                .mode(0o700)
                .create(root.join(d))?;
        }
        Ok(Sandbox { root, _dir: dir })
    }
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1000.0 * 10.0).round() / 10.0
}

/// Enters a new network namespace (this thread only) with loopback up.
fn enter_network_namespace() -> Result<(), LiveError> {
    // SAFETY: unshare(2) affects only the calling thread's namespaces.
    if unsafe { libc::unshare(libc::CLONE_NEWNET) } != 0 {
        let e = std::io::Error::last_os_error();
        return Err(LiveError::Setup(format!(
            "network namespaces are unavailable (unshare(CLONE_NEWNET): {e}); --openclaw runs OpenClaw only inside a private network namespace with loopback only and needs CAP_SYS_ADMIN (root, or a container that allows unshare)"
        )));
    }
    // SAFETY: plain socket + ioctl on a zeroed ifreq naming "lo".
    unsafe {
        let s = libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0);
        if s < 0 {
            return Err(std::io::Error::last_os_error().into());
        }
        let mut ifr: libc::ifreq = std::mem::zeroed();
        for (i, b) in b"lo\0".iter().enumerate() {
            ifr.ifr_name[i] = *b as libc::c_char;
        }
        let mut rc = libc::ioctl(s, libc::SIOCGIFFLAGS, &mut ifr);
        if rc == 0 {
            ifr.ifr_ifru.ifru_flags |= (libc::IFF_UP | libc::IFF_RUNNING) as libc::c_short;
            rc = libc::ioctl(s, libc::SIOCSIFFLAGS, &ifr);
        }
        let e = std::io::Error::last_os_error();
        libc::close(s);
        if rc != 0 {
            return Err(LiveError::Setup(format!(
                "cannot bring up loopback in the private network namespace: {e}"
            )));
        }
    }
    Ok(())
}

/// The namespace's identity (`net:[inode]`) as this thread sees it.
fn netns_id() -> Option<String> {
    std::fs::read_link("/proc/thread-self/ns/net")
        .ok()
        .map(|p| p.to_string_lossy().into_owned())
}

/// The parent of `/proc/PID` (field 4 of `stat`).
fn parent_of(pid: i32) -> Option<i32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit_once(')')?
        .1
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// Whether `pid` is `ancestor` or one of its descendants (bounded walk).
fn descends_from(pid: i32, ancestor: i32) -> bool {
    let mut p = pid;
    for _ in 0..64 {
        if p == ancestor {
            return true;
        }
        match parent_of(p) {
            Some(q) if q > 1 && q != p => p = q,
            _ => return false,
        }
    }
    false
}

/// Processes (other than ours, and other than the gateway `spare` — its
/// process group and its descendants, such as the `worker.js` it starts in
/// a process group of its own) in the namespace `ns`: SIGKILLed, counted.
fn sweep_namespace(ns: &str, spare: Option<i32>) -> usize {
    sweep_namespace_named(ns, spare).len()
}

/// [`sweep_namespace`], naming each live process killed: "PID (comm, pgid
/// G, `argv…`)". Zombies (exited, not yet reaped) are not counted.
fn sweep_namespace_named(ns: &str, spare: Option<i32>) -> Vec<String> {
    let me = std::process::id().to_string();
    let mut n = Vec::new();
    let Ok(rd) = std::fs::read_dir("/proc") else {
        return n;
    };
    for e in rd.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if !name.bytes().all(|b| b.is_ascii_digit()) || name == me {
            continue;
        }
        let Ok(link) = std::fs::read_link(e.path().join("ns/net")) else {
            continue;
        };
        if link.to_string_lossy() != ns {
            continue;
        }
        if let Some(g) = spare {
            if process_group(&e.path()) == Some(g)
                || name.parse().is_ok_and(|pid| descends_from(pid, g))
            {
                continue;
            }
        }
        if let Ok(pid) = name.parse::<i32>() {
            let dir = e.path();
            let stat = std::fs::read_to_string(dir.join("stat")).unwrap_or_default();
            let zombie = stat
                .rsplit_once(')')
                .is_some_and(|(_, r)| r.trim_start().starts_with('Z'));
            let comm = std::fs::read_to_string(dir.join("comm")).unwrap_or_default();
            // argv with the program's directory left out, bounded.
            let argv: String = std::fs::read(dir.join("cmdline"))
                .map(|b| {
                    String::from_utf8_lossy(&b)
                        .split('\0')
                        .enumerate()
                        .map(|(i, a)| {
                            if i == 0 {
                                a.rsplit('/').next().unwrap_or(a)
                            } else {
                                a
                            }
                        })
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .unwrap_or_default()
                .trim()
                .chars()
                .take(160)
                .collect();
            let pgid = process_group(&dir).unwrap_or(0);
            let ppid: i32 = stat
                .rsplit_once(')')
                .and_then(|(_, r)| r.split_whitespace().nth(1)?.parse().ok())
                .unwrap_or(0);
            // SAFETY: kill(2) on a process in our private namespace.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            if !zombie {
                n.push(format!(
                    "{pid} ({}, parent {ppid}, pgid {pgid}, `{argv}`)",
                    comm.trim()
                ));
            }
        }
    }
    n
}

/// Processes of the namespace `ns` (other than ours) whose environment or
/// argv contains `marker`: (PID, command name). Each file read is bounded.
fn marked_processes(ns: &str, marker: &str) -> Vec<(i32, String)> {
    use std::io::Read;
    let me = std::process::id().to_string();
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir("/proc") else {
        return out;
    };
    let has = |path: PathBuf| {
        let mut buf = Vec::new();
        std::fs::File::open(path)
            .and_then(|f| f.take(1 << 20).read_to_end(&mut buf))
            .is_ok()
            && buf
                .windows(marker.len().max(1))
                .any(|w| w == marker.as_bytes())
    };
    for e in rd.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if !name.bytes().all(|b| b.is_ascii_digit()) || name == me {
            continue;
        }
        let dir = e.path();
        if !std::fs::read_link(dir.join("ns/net")).is_ok_and(|l| l.to_string_lossy() == ns) {
            continue;
        }
        // A zombie is gone for our purpose (its parent reaps it).
        let stat = std::fs::read_to_string(dir.join("stat")).unwrap_or_default();
        if stat
            .rsplit_once(')')
            .is_some_and(|(_, r)| r.trim_start().starts_with('Z'))
        {
            continue;
        }
        if has(dir.join("environ")) || has(dir.join("cmdline")) {
            let comm = std::fs::read_to_string(dir.join("comm")).unwrap_or_default();
            if let Ok(pid) = name.parse() {
                out.push((pid, comm.trim().to_string()));
            }
        }
    }
    out.sort();
    out
}

/// The process group of `/proc/PID` (field 5 of `stat`, after the command
/// name in parentheses).
fn process_group(proc_dir: &Path) -> Option<i32> {
    let stat = std::fs::read_to_string(proc_dir.join("stat")).ok()?;
    stat.rsplit_once(')')?
        .1
        .split_whitespace()
        .nth(2)?
        .parse()
        .ok()
}

struct Ctx<'a> {
    root: &'a Path,
    opts: &'a OpenClawOptions,
    guard: &'a Teardown,
    stub: Stub,
    agent: String,
    ns: String,
    leftovers: usize,
    /// While set, a turn's processes carrying it (environment or argv) are
    /// looked for in the namespace after the turn ([`Turn::marked`]).
    marker: Option<String>,
    /// The running `openclaw gateway` (gateway mode).
    gateway: Option<Gateway>,
}

struct Gateway {
    child: std::process::Child,
    port: u16,
}

impl Gateway {
    fn pgid(&self) -> i32 {
        self.child.id() as i32
    }
}

/// A unique canary per turn.
fn canary(probe: &str, n: usize) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "CLAWCHECK-{}-{n}-{:x}{:x}{:04x}",
        probe.to_ascii_uppercase(),
        std::process::id(),
        nanos,
        SEQ.fetch_add(1, Ordering::Relaxed)
    )
}

struct Turn {
    run: TurnRun,
    ended: Instant,
    json: Option<serde_json::Value>,
    stderr_tail: String,
    /// The model requests the stub recorded during the turn.
    requests: Vec<stub::Recorded>,
    /// Processes still in the namespace when the turn's main process had
    /// exited by itself (killed, counted).
    survivors: usize,
    /// Those processes, named.
    survivor_names: Vec<String>,
    /// Processes carrying [`Ctx::marker`] still running the grace period
    /// after the turn: "PID (comm)", killed.
    marked: Vec<String>,
}

const MAX_OUTPUT: u64 = 16 << 20;

impl Ctx<'_> {
    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(&self.opts.bin);
        c.args(args)
            .env_clear()
            // `openclaw` is `#!/usr/bin/env node`: Node is found on PATH, as
            // OpenClaw finds it.
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.root.join("home"))
            .env("OPENCLAW_STATE_DIR", self.root.join("state"))
            .env("TMPDIR", self.root.join("tmp"))
            .env("NO_COLOR", "1")
            .env("DO_NOT_TRACK", "1")
            // No packet leaves the namespace anyway; told so, npm fails at
            // once when the gateway tries to install a configured plugin that
            // is missing (measured: start-up 190 s → 47 s with two such plugins).
            .env("npm_config_offline", "true")
            // The gateway's token (the copy's `gateway.auth.token`), for the
            // gateway and for the CLI that talks to it.
            .env("OPENCLAW_GATEWAY_TOKEN", config::DUMMY)
            .current_dir(self.root.join("workspace"))
            .stdin(Stdio::null());
        std::os::unix::process::CommandExt::process_group(&mut c, 0);
        c
    }

    /// Starts `openclaw gateway` on a free loopback port of the namespace
    /// (the copy rewritten for it) and waits until the port accepts
    /// connections; its start-up time, or why it did not come up.
    fn start_gateway(&mut self, prepared: &mut config::Prepared) -> Result<f64, String> {
        let port = std::net::TcpListener::bind(("127.0.0.1", 0))
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("no free port in the namespace: {e}"))?
            .port();
        config::for_gateway(&mut prepared.config, port);
        write_private(
            &self.root.join("state/openclaw.json"),
            serde_json::to_string_pretty(&prepared.config)
                .expect("a JSON value serialises")
                .as_bytes(),
        )
        .map_err(|e| e.to_string())?;
        let log = self.root.join("gateway.log");
        let file = std::fs::File::create(&log).map_err(|e| e.to_string())?;
        let mut cmd = self.command(&["gateway", "--port", &port.to_string()]);
        cmd.stdout(file.try_clone().map_err(|e| e.to_string())?)
            .stderr(file);
        let started = Instant::now();
        let mut child = cmd
            .spawn()
            .map_err(|e| format!("cannot run `{} gateway`: {e}", self.opts.bin.display()))?;
        let pgid = child.id() as i32;
        self.guard.add(pgid);
        let limit = Duration::from_secs_f64(self.opts.gateway_start_limit_secs.max(1.0));
        let failure = loop {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break None;
            }
            match child.try_wait() {
                Ok(Some(st)) => break Some(format!("the gateway exited ({st})")),
                Err(e) => break Some(e.to_string()),
                Ok(None) => {}
            }
            if started.elapsed() > limit {
                break Some(format!(
                    "the gateway did not accept connections within {:.0} s",
                    limit.as_secs_f64()
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        };
        let took = ms(started.elapsed());
        match failure {
            None => {
                self.gateway = Some(Gateway { child, port });
                Ok(took)
            }
            Some(why) => {
                // SAFETY: kill(2) on the gateway's own process group.
                unsafe { libc::kill(-pgid, libc::SIGKILL) };
                let _ = child.wait();
                self.guard.remove(pgid);
                self.leftovers += sweep_namespace(&self.ns, None);
                let tail = crate::config::read_regular_file(&log, MAX_OUTPUT)
                    .map(|b| {
                        let t = String::from_utf8_lossy(&b).into_owned();
                        let lines: Vec<&str> = t.lines().rev().take(3).collect();
                        lines.into_iter().rev().collect::<Vec<_>>().join(" | ")
                    })
                    .unwrap_or_default();
                Err(format!("{why}: {tail}"))
            }
        }
    }

    /// Stops the gateway (its whole process group, then the namespace).
    fn stop_gateway(&mut self) {
        if let Some(mut g) = self.gateway.take() {
            // SAFETY: kill(2) on the gateway's own process group.
            unsafe { libc::kill(-g.pgid(), libc::SIGKILL) };
            let _ = g.child.wait();
            self.guard.remove(g.pgid());
            sweep_namespace(&self.ns, None);
        }
    }

    /// Runs `openclaw` with `args`; killed at `limit` (or earlier when
    /// `deadline_after_request` has passed since the first model request).
    fn invoke(
        &mut self,
        args: &[&str],
        name: &str,
        deadline_after_request: Option<Duration>,
    ) -> Result<Turn, LiveError> {
        let out = self.root.join(format!("{name}.out"));
        let err = self.root.join(format!("{name}.err"));
        let mut cmd = self.command(args);
        cmd.stdout(std::fs::File::create(&out)?)
            .stderr(std::fs::File::create(&err)?);
        let seen_before = self.stub.requests().len();
        let started = Instant::now();
        let mut child = cmd.spawn().map_err(|e| {
            LiveError::Setup(format!(
                "cannot run `{}`: {e} (set --openclaw-bin; Node must be on PATH)",
                self.opts.bin.display()
            ))
        })?;
        let pgid = child.id() as i32;
        self.guard.add(pgid);
        if let Some(f) = self.opts.on_spawn {
            f(child.id());
        }
        let limit = Duration::from_secs_f64(self.opts.turn_limit_secs.max(1.0));
        let mut killed = false;
        let status = loop {
            if let Some(s) = child.try_wait()? {
                break s;
            }
            let now = Instant::now();
            let mut expired = now.duration_since(started) > limit;
            let first = deadline_after_request.and_then(|_| {
                self.stub
                    .requests()
                    .iter()
                    .skip(seen_before)
                    .find(|r| r.behaviour.is_some())
                    .map(|r| r.at)
            });
            if let (Some(d), Some(first)) = (deadline_after_request, first) {
                expired |= now.duration_since(first) > d;
            }
            if expired {
                // SAFETY: kill(2) on the turn's own process group.
                unsafe { libc::kill(-pgid, libc::SIGKILL) };
                killed = true;
                break child.wait()?;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let ended = Instant::now();
        let marked = match self.marker.clone() {
            Some(m) => {
                let grace = Duration::from_millis(self.opts.teardown_grace_ms);
                let mut found = marked_processes(&self.ns, &m);
                while !found.is_empty() && ended.elapsed() < grace {
                    std::thread::sleep(Duration::from_millis(50));
                    found = marked_processes(&self.ns, &m);
                }
                found
                    .into_iter()
                    .map(|(pid, comm)| {
                        // SAFETY: kill(2) on a process of our private namespace.
                        unsafe { libc::kill(pid, libc::SIGKILL) };
                        format!("{pid} ({comm})")
                    })
                    .collect()
            }
            None => Vec::new(),
        };
        // A turn that ended by itself must have taken everything it started
        // with it: what is still in the namespace survived it.
        let survivor_names: Vec<String> = if killed {
            Vec::new()
        } else {
            sweep_namespace_named(&self.ns, self.gateway.as_ref().map(Gateway::pgid))
                .into_iter()
                // The marked ones, just SIGKILLed, are judged above.
                .filter(|n| {
                    !marked
                        .iter()
                        .any(|m| n.split(' ').next() == m.split(' ').next())
                })
                .collect()
        };
        let survivors = survivor_names.len();
        // SAFETY: kill(2) on the turn's own process group.
        unsafe { libc::kill(-pgid, libc::SIGKILL) };
        self.guard.remove(pgid);
        self.leftovers +=
            survivors + sweep_namespace(&self.ns, self.gateway.as_ref().map(Gateway::pgid));
        let stdout = crate::config::read_regular_file(&out, MAX_OUTPUT).unwrap_or_default();
        let stderr = crate::config::read_regular_file(&err, MAX_OUTPUT).unwrap_or_default();
        let text = String::from_utf8_lossy(&stdout);
        let json: Option<serde_json::Value> = text
            .find('{')
            .and_then(|i| serde_json::from_str(text[i..].trim_end()).ok());
        let reqs = self.stub.requests();
        let mine: Vec<stub::Recorded> = reqs[seen_before.min(reqs.len())..]
            .iter()
            .filter(|r| r.behaviour.is_some())
            .cloned()
            .collect();
        // Embedded: `{payloads, meta}`; through the gateway:
        // `{runId, status, timeoutPhase?, result: {payloads, meta}}`.
        let meta = json
            .as_ref()
            .and_then(|j| j.get("meta").or_else(|| j.pointer("/result/meta")));
        let stderr_text = String::from_utf8_lossy(&stderr);
        let tail: String = {
            let lines: Vec<&str> = stderr_text.lines().rev().take(5).collect();
            lines.into_iter().rev().collect::<Vec<_>>().join("\n")
        };
        Ok(Turn {
            run: TurnRun {
                canary: String::new(),
                wall_ms: ms(ended.duration_since(started)),
                to_model_ms: mine.first().map(|r| ms(r.at.duration_since(started))),
                openclaw_duration_ms: meta
                    .and_then(|m| m.get("durationMs"))
                    .and_then(|d| d.as_f64()),
                exit_code: status.code(),
                killed,
                timeout_phase: meta
                    .and_then(|m| m.get("timeoutPhase"))
                    .or_else(|| json.as_ref().and_then(|j| j.get("timeoutPhase")))
                    .and_then(|d| d.as_str())
                    .map(String::from),
                model_requests: mine.len(),
            },
            ended,
            json,
            stderr_tail: tail,
            requests: mine,
            survivors,
            survivor_names,
            marked,
        })
    }

    fn turn(
        &mut self,
        probe: &str,
        n: usize,
        extra: &[&str],
        deadline_after_request: Option<Duration>,
    ) -> Result<Turn, LiveError> {
        let c = canary(probe, n);
        let msg = format!("Reply with one word. Reference {c}.");
        self.turn_msg(probe, n, c, &msg, extra, deadline_after_request)
    }

    /// A turn with message `msg`, which carries the canary `c`.
    fn turn_msg(
        &mut self,
        probe: &str,
        n: usize,
        c: String,
        msg: &str,
        extra: &[&str],
        deadline_after_request: Option<Duration>,
    ) -> Result<Turn, LiveError> {
        let agent = self.agent.clone();
        let mut args = vec!["agent"];
        if self.gateway.is_none() {
            args.push("--local");
        }
        args.extend_from_slice(&["--agent", &agent, "--message", msg, "--json"]);
        args.extend_from_slice(extra);
        let mut t = self.invoke(&args, &format!("{probe}-{n}"), deadline_after_request)?;
        t.run.canary = c;
        Ok(t)
    }
}

/// The result of one probe: its record and its findings.
type ProbeOutcome = (ProbeRun, Vec<LiveFinding>, Option<ProbeTimeouts>);

fn in_namespace(
    root: &Path,
    mut prepared: config::Prepared,
    opts: &OpenClawOptions,
    guard: &Teardown,
) -> Result<Outcome, LiveError> {
    enter_network_namespace()?;
    let ns = netns_id()
        .ok_or_else(|| LiveError::Setup("cannot read /proc/thread-self/ns/net".into()))?;
    guard.namespace(&ns);
    let stub = Stub::bind()?;
    config::point_at(&mut prepared.config, stub.port());
    write_private(
        &root.join("state/openclaw.json"),
        serde_json::to_string_pretty(&prepared.config)
            .expect("a JSON value serialises")
            .as_bytes(),
    )?;
    let mut ctx = Ctx {
        root,
        opts,
        guard,
        stub,
        agent: prepared.agent.clone(),
        ns,
        leftovers: 0,
        marker: None,
        gateway: None,
    };
    let t0 = Instant::now();
    let v = ctx.invoke(&["--version"], "version", None)?;
    let version_ms = ms(t0.elapsed());
    // "OpenClaw 2026.9.6 (eb377ac)" → "2026.9.6 (eb377ac)".
    let version_text = crate::config::read_regular_file(&root.join("version.out"), 4096)
        .map(|b| {
            let t = String::from_utf8_lossy(&b);
            let t = t
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("")
                .trim();
            t.strip_prefix("OpenClaw ").unwrap_or(t).to_string()
        })
        .unwrap_or_default();
    if v.run.exit_code != Some(0) {
        return Err(LiveError::Setup(format!(
            "`{} --version` failed ({:?}): {}",
            opts.bin.display(),
            v.run.exit_code,
            v.stderr_tail
        )));
    }
    let mut fallback = None;
    let mut gateway_start_ms = None;
    let mut warm_up_ms = None;
    if opts.mode == Mode::Gateway {
        // The embedded turns of a fallback read the same copy (its gateway
        // section is unused by them).
        match ctx.start_gateway(&mut prepared) {
            Ok(took) => {
                gateway_start_ms = Some(took);
                // A first turn warms the gateway up (cold, it can take longer
                // than the CLI waits for a reply: `timeoutSeconds` + 30 s), in
                // a session of its own and with a long `--timeout`.
                ctx.stub.script(vec![], Behaviour::Answer("pong".into()));
                let key = format!("clawcheck-warm-up-{}", std::process::id());
                let w = ctx.turn(
                    "warm-up",
                    0,
                    &["--session-key", &key, "--timeout", "600"],
                    None,
                )?;
                warm_up_ms = Some(w.run.wall_ms);
                if w.run.exit_code != Some(0) || w.requests.is_empty() {
                    fallback = Some(format!(
                        "the gateway's warm-up turn failed (exit {:?}, {} model requests): {}",
                        w.run.exit_code,
                        w.requests.len(),
                        w.stderr_tail
                    ));
                    ctx.stop_gateway();
                }
            }
            Err(why) => fallback = Some(why),
        }
    }
    let gateway_port = ctx.gateway.as_ref().map(|g| g.port);
    let mut run = OpenClawRun {
        version: version_text,
        mode: if gateway_port.is_some() {
            "gateway"
        } else {
            "embedded"
        }
        .into(),
        gateway_start_ms,
        warm_up_ms,
        fallback,
        entry_point: match gateway_port {
            Some(p) => format!("openclaw agent, through openclaw gateway --port {p}"),
            None => "openclaw agent --local".into(),
        },
        agent: prepared.agent.clone(),
        sessions: opts.sessions,
        version_ms,
        ..Default::default()
    };
    let wanted = |p: &str| opts.probes.is_empty() || opts.probes.iter().any(|x| x == p);
    let mut findings = Vec::new();
    let mut timeouts = Vec::new();
    type Probe = fn(&mut Ctx, &config::Prepared) -> Result<ProbeOutcome, LiveError>;
    let probes: [(&str, Probe); 5] = [
        ("turn-timeout", probe_timeout),
        ("carry-over", |c, _| probe_carry_over(c)),
        ("teardown", probes::teardown),
        ("subagent-timeout", probes::subagent_timeout),
        ("metrics", probes::metrics),
    ];
    for (name, probe) in probes {
        if !wanted(name) {
            continue;
        }
        ctx.stub.script(vec![], Behaviour::Answer("pong".into()));
        let (p, f, t) = probe(&mut ctx, &prepared)?;
        run.probes.push(p);
        findings.extend(f);
        timeouts.extend(t);
    }
    ctx.stop_gateway();
    run.leftover_processes = ctx.leftovers;
    Ok(Outcome {
        run,
        prepared,
        findings,
        timeouts,
    })
}

/// What the namespace thread hands back.
struct Outcome {
    run: OpenClawRun,
    prepared: config::Prepared,
    findings: Vec<LiveFinding>,
    timeouts: Vec<ProbeTimeouts>,
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<(), LiveError> {
    use std::io::Write;
    use std::os::unix::fs::PermissionsExt;
    let dir = path.parent().expect("a file in the sandbox");
    let mut f = tempfile::NamedTempFile::new_in(dir)?;
    f.as_file()
        .set_permissions(std::fs::Permissions::from_mode(0o600))?;
    f.write_all(bytes)?;
    f.persist(path).map_err(|e| LiveError::Io(e.error))?;
    Ok(())
}

fn finding(rule: &'static str, agent: &str, probe: &str, message: String) -> LiveFinding {
    LiveFinding {
        rule,
        // As the reference executor rates them: a metric not exported is a
        // warning, the rest errors.
        severity: if rule == "OC406" { "warning" } else { "error" },
        agent: agent.to_string(),
        probe: probe.to_string(),
        message,
    }
}

/// The effective turn timeout (s) and whether `--timeout` lowered it.
fn effective_timeout(prepared: &config::Prepared, cap: f64) -> (f64, bool) {
    match prepared.timeout {
        Some((t, _)) if t > 0.0 && t <= cap => (t, false),
        _ => (cap.max(1.0).ceil(), true),
    }
}

/// `turn-timeout`: the stub hangs; the turn must end within the timeout +
/// tolerance of its model request reaching the stub.
fn probe_timeout(ctx: &mut Ctx, prepared: &config::Prepared) -> Result<ProbeOutcome, LiveError> {
    const PROBE: &str = "turn-timeout";
    let t0 = Instant::now();
    let (effective, lowered) = effective_timeout(prepared, ctx.opts.timeout_cap_secs);
    let tol = Duration::from_millis(ctx.opts.tolerance_ms);
    ctx.stub.script(vec![], Behaviour::Hang);
    let secs = format!("{}", effective.ceil() as u64);
    // A session of its own: the hung turn stays out of the sessions the
    // carry-over probe looks at.
    let key = format!("clawcheck-{PROBE}-{}", std::process::id());
    let mut extra: Vec<&str> = vec!["--session-key", &key];
    if lowered {
        extra.extend(["--timeout", &secs]);
    }
    // Killed 30 s past the tolerance: a turn that far over is judged anyway.
    let limit = Duration::from_secs_f64(effective) + tol + Duration::from_secs(30);
    let t = ctx.turn(PROBE, 1, &extra, Some(limit));
    ctx.stub.script(vec![], Behaviour::Answer("pong".into()));
    let t = t?;
    let Some(first) = t.requests.first() else {
        return Err(LiveError::Setup(format!(
            "{PROBE}: the turn never reached the stub provider (exit {:?}): {}",
            t.run.exit_code, t.stderr_tail
        )));
    };
    // The turn's clock starts at or before its model request: the deadline
    // is `timeout` after the request, or earlier when OpenClaw aborted the
    // request earlier (its own deadline firing; measured: ~0.5 s earlier).
    let by_request = first.at + Duration::from_secs_f64(effective);
    let deadline = match first.closed_after.map(|d| first.at + d) {
        Some(abort) if abort < by_request => abort,
        _ => by_request,
    };
    let overshoot = if t.ended >= deadline {
        ms(t.ended.duration_since(deadline))
    } else {
        -ms(deadline.duration_since(t.ended))
    };
    let abort = first.closed_after.map(|d| ms(d) - effective * 1000.0);
    let mut findings = Vec::new();
    let failed = t.run.killed || overshoot > tol.as_secs_f64() * 1000.0;
    let how = match (&t.run.timeout_phase, abort) {
        (Some(p), Some(a)) => format!("OpenClaw reported a timeout (phase `{p}`) and aborted the model request {a:+.0} ms from the deadline"),
        (Some(p), None) => format!("OpenClaw reported a timeout (phase `{p}`)"),
        (None, _) => format!("the turn ended without a timeout report (exit {:?})", t.run.exit_code),
    };
    let detail = if t.run.killed {
        format!(
            "the turn was still running {:.1} s after its model request ({effective} s timeout + {} ms tolerance + 30 s): killed",
            t.ended.duration_since(first.at).as_secs_f64(),
            ctx.opts.tolerance_ms
        )
    } else {
        format!(
            "the stub hung; the turn ended {overshoot:.0} ms after its {effective} s deadline (the earlier of model request + timeout and OpenClaw's abort of that request; tolerance {} ms); {how}",
            ctx.opts.tolerance_ms
        )
    };
    if failed {
        findings.push(finding("OC402", &ctx.agent, PROBE, detail.clone()));
    }
    let to = ProbeTimeouts {
        probe: PROBE.into(),
        timeouts: usize::from(t.run.timeout_phase.is_some() || t.run.killed),
        median_overshoot_ms: overshoot,
        p99_overshoot_ms: overshoot,
        max_overshoot_ms: overshoot,
        p99_kill_latency_ms: abort.unwrap_or(0.0),
    };
    if t.survivors > 0 {
        findings.push(survivor_finding(&ctx.agent, PROBE, &t.survivor_names));
    }
    Ok((
        ProbeRun::judged(PROBE, failed, t0, vec![t.run], detail),
        findings,
        Some(to),
    ))
}

fn survivor_finding(agent: &str, probe: &str, names: &[String]) -> LiveFinding {
    finding(
        "OC401",
        agent,
        probe,
        format!("{} process(es) started by the turn were still running after `openclaw agent` had exited (found in the run's network namespace; killed): {}", names.len(), names.join(", ")),
    )
}

/// `carry-over`: two turns, two senders; the first turn's canary in the
/// model's prompt for the second means one shared context.
fn probe_carry_over(ctx: &mut Ctx) -> Result<ProbeOutcome, LiveError> {
    const PROBE: &str = "carry-over";
    const SENDERS: [&str; 2] = ["+15550100001", "+15550100002"];
    let t0 = Instant::now();
    ctx.stub.script(vec![], Behaviour::Answer("pong".into()));
    let mut turns = Vec::new();
    for (n, sender) in SENDERS.iter().enumerate() {
        let key = format!("clawcheck-{PROBE}-{}-{n}", std::process::id());
        let extra: Vec<&str> = match ctx.opts.sessions {
            Sessions::Routed => vec!["--to", sender],
            Sessions::PerRequest => vec!["--session-key", &key],
        };
        let t = ctx.turn(PROBE, n + 1, &extra, None)?;
        // Each turn must have shown the model its own canary, or nothing
        // can be judged from the prompts.
        if !t.requests.iter().any(|r| r.body.contains(&t.run.canary)) {
            return Err(LiveError::Setup(format!(
                "{PROBE}: turn {} did not reach the stub with its message (exit {:?}, {} model requests): {}",
                n + 1,
                t.run.exit_code,
                t.requests.len(),
                t.stderr_tail
            )));
        }
        turns.push(t);
    }
    let first = &turns[0].run.canary;
    // Judged on the prompts that carried the second turn's own message: a
    // request the first turn's session made in the background (a title, a
    // retry) and that arrived meanwhile is not the second turn's context.
    let second = &turns[1].run.canary;
    let carried = turns[1]
        .requests
        .iter()
        .any(|r| r.body.contains(second) && r.body.contains(first));
    let session = |t: &Turn| {
        t.json
            .as_ref()
            .and_then(|j| {
                j.pointer("/meta/systemPromptReport/sessionKey")
                    .or_else(|| j.pointer("/result/meta/systemPromptReport/sessionKey"))
            })
            .and_then(|s| s.as_str())
            .unwrap_or("?")
            .to_string()
    };
    let how = match ctx.opts.sessions {
        Sessions::Routed => format!("senders {} and {} (`--to`)", SENDERS[0], SENDERS[1]),
        Sessions::PerRequest => "one `--session-key` per turn".to_string(),
    };
    let detail = if carried {
        format!(
            "shared context: the model's prompt for the second turn ({how}; session `{}`) contained the first turn's canary (session `{}`)",
            session(&turns[1]),
            session(&turns[0])
        )
    } else {
        format!(
            "isolated: the first turn's canary was absent from every model request of the second turn ({how}; sessions `{}` and `{}`)",
            session(&turns[0]),
            session(&turns[1])
        )
    };
    let mut findings = Vec::new();
    if carried {
        findings.push(finding("OC403", &ctx.agent, PROBE, detail.clone()));
    }
    for t in &turns {
        if t.survivors > 0 {
            findings.push(survivor_finding(&ctx.agent, PROBE, &t.survivor_names));
        }
    }
    Ok((
        ProbeRun::judged(
            PROBE,
            carried,
            t0,
            turns.into_iter().map(|t| t.run).collect(),
            detail,
        ),
        findings,
        None,
    ))
}

fn not_exercised(limit: &str, text: &str) -> ExercisedLimit {
    ExercisedLimit {
        limit: limit.into(),
        value: "not exercised".into(),
        source: "unset".into(),
        setting: None,
        pointer: String::new(),
        location: "-".into(),
        text: text.into(),
    }
}

/// The run as a [`LiveReport`], the shape every output renders.
fn report(o: Outcome, display: &str, opts: &OpenClawOptions) -> LiveReport {
    let run = o.run;
    let p = &o.prepared;
    let (effective, lowered) = effective_timeout(p, opts.timeout_cap_secs);
    let turns: Vec<&TurnRun> = run.probes.iter().flat_map(|p| &p.turns).collect();
    let mut walls: Vec<f64> = turns.iter().map(|t| t.wall_ms).collect();
    walls.sort_by(f64::total_cmp);
    let median = walls.get(walls.len() / 2).copied().unwrap_or(0.0);
    let timeouts_by_probe: Vec<ProbeTimeouts> = o.timeouts.into_iter().collect();
    let agent = AgentSummary {
        name: run.agent.clone(),
        requests: turns.len(),
        timeouts: timeouts_by_probe.iter().map(|t| t.timeouts).sum(),
        max_overshoot_ms: timeouts_by_probe
            .iter()
            .map(|t| t.max_overshoot_ms)
            .fold(0.0, f64::max),
        p99_overshoot_ms: timeouts_by_probe
            .iter()
            .map(|t| t.p99_overshoot_ms)
            .fold(0.0, f64::max),
        survivors: run.leftover_processes,
        configured_timeout_secs: p.timeout.as_ref().map(|t| t.0),
        effective_timeout_secs: effective,
        concurrency_used: 1,
        max_observed_concurrency: 1,
        median_request_ms: median,
        timeouts_by_probe,
        ..Default::default()
    };
    let mut notes = vec![format!(
        "real OpenClaw {} in {} mode (`{}`), agent `{}`; `{} --version` took {:.0} ms; whole run {:.1} s",
        run.version,
        run.mode,
        run.entry_point,
        run.agent,
        opts.bin.display(),
        run.version_ms,
        run.wall_ms / 1000.0
    )];
    for pr in &run.probes {
        let t: Vec<String> = pr
            .turns
            .iter()
            .map(|t| {
                format!(
                    "{:.1} s (model reached after {})",
                    t.wall_ms / 1000.0,
                    t.to_model_ms
                        .map(|m| format!("{:.1} s", m / 1000.0))
                        .unwrap_or_else(|| "never".into())
                )
            })
            .collect();
        notes.push(format!(
            "probe `{}`: {} in {:.1} s; turns: {}; {}",
            pr.probe,
            pr.outcome,
            pr.wall_ms / 1000.0,
            t.join(", "),
            pr.detail
        ));
    }
    if let Some(g) = run.gateway_start_ms {
        notes.push(format!(
            "gateway start-up (spawn to port accepting): {:.1} s; warm-up turn {:.1} s",
            g / 1000.0,
            run.warm_up_ms.unwrap_or(0.0) / 1000.0
        ));
    }
    if let Some(f) = &run.fallback {
        notes.push(format!(
            "gateway mode failed, fell back to embedded turns: {f}"
        ));
    }
    notes.push("thread-binding lifetime: not exercised (bound threads need a channel conversation; `openclaw agent` has none)".into());
    for pr in run.probes.iter().filter(|p| p.outcome == "not-exercised") {
        notes.push(format!("probe `{}`: {}", pr.probe, pr.detail));
    }
    if run.leftover_processes > 0 {
        notes.push(format!(
            "{} process(es) were left in the namespace after turns and killed",
            run.leftover_processes
        ));
    }
    let timeout_limit = match &p.timeout {
        Some((t, setting)) if !lowered => ExercisedLimit {
            limit: "timeout".into(),
            value: format!("{t} s"),
            source: "config".into(),
            setting: Some(setting.clone()),
            pointer: format!("/{}", setting.replace('.', "/")),
            location: display.into(),
            text: String::new(),
        },
        Some((t, setting)) => ExercisedLimit {
            limit: "timeout".into(),
            value: format!("{effective} s"),
            source: "config".into(),
            setting: Some(setting.clone()),
            pointer: format!("/{}", setting.replace('.', "/")),
            location: display.into(),
            text: format!("{t} s lowered to {effective} s with `--timeout`"),
        },
        None => ExercisedLimit {
            limit: "timeout".into(),
            value: format!("{effective} s"),
            source: "openclaw-default".into(),
            setting: None,
            pointer: "/agents/defaults/timeoutSeconds".into(),
            location: display.into(),
            text: format!("unset; the turn ran with `--timeout {effective}`"),
        },
    };
    let subagent_ran = run
        .probes
        .iter()
        .any(|p| p.probe == "subagent-timeout" && p.outcome != "not-exercised");
    let mut limits = vec![timeout_limit];
    let mut not_run = vec![
        not_exercised("session.dmScope", "the CLI entry point derives the session from `--to` without the channel routing dmScope applies to"),
        not_exercised("session.threadBindings", "thread bindings need a channel thread; `openclaw agent` has none"),
    ];
    let sub = config::subagent_timeout(&p.config);
    if subagent_ran {
        let (eff, lowered) = probes::effective_subagent_timeout(sub, opts.timeout_cap_secs);
        limits.push(ExercisedLimit {
            limit: "subagent-timeout".into(),
            value: format!("{eff} s"),
            source: if sub.is_some() {
                "config"
            } else {
                "openclaw-default"
            }
            .into(),
            setting: Some("agents.defaults.subagents.runTimeoutSeconds".into()),
            pointer: "/agents/defaults/subagents/runTimeoutSeconds".into(),
            location: display.into(),
            text: match (sub, lowered) {
                (Some(_), false) => String::new(),
                (Some(t), true) => {
                    format!("{t} s lowered to {eff} s in the spawn (`runTimeoutSeconds`)")
                }
                (None, _) => format!("unset (no timeout); the spawn asked for {eff} s"),
            },
        });
    } else {
        let why = run
            .probes
            .iter()
            .find(|p| p.probe == "subagent-timeout")
            .map(|p| p.detail.trim_start_matches("not exercised: ").to_string())
            .unwrap_or_else(|| "the subagent-timeout probe was not selected".into());
        not_run.push(not_exercised(
            "agents.defaults.subagents.runTimeoutSeconds",
            &why,
        ));
    }
    let statement = format!(
        "the real OpenClaw ({}) ran {} turn(s) in {} mode (`{}`) against clawcheck's stub model provider on 127.0.0.1, inside a private network namespace with loopback only (no packet left the machine), on a copy of the config in a private state dir with credentials replaced by dummies",
        run.version,
        turns.len(),
        run.mode,
        run.entry_point
    );
    LiveReport {
        layers: vec![
            Layer {
                name: "network-namespace",
                active: true,
                detail: "private network namespace, loopback only".into(),
            },
            Layer {
                name: "private-state-dir",
                active: true,
                detail: "HOME, OPENCLAW_STATE_DIR, workspace and TMPDIR in a 0700 directory removed after the run".into(),
            },
            Layer {
                name: "stub-provider",
                active: true,
                detail: format!(
                    "model providers redirected to the stub: {}; {} credential(s) replaced by dummies",
                    p.providers.join(", "),
                    p.dummied.len()
                ),
            },
        ],
        agents: vec![agent],
        findings: o.findings,
        metrics_port: None,
        metrics_text: String::new(),
        isolated_well_behaved_median_ms: None,
        plain_well_behaved_median_ms: None,
        notes,
        exercised: Exercised {
            statement: statement.clone(),
            configs: vec![ExercisedConfig {
                config: display.into(),
                dialect: "openclaw".into(),
                statement: format!("OpenClaw {} ({} mode) on a copy of {display}", run.version, run.mode),
                runs: vec![ExercisedRun {
                    agent: run.agent.clone(),
                    run: "agent turn".into(),
                    limits,
                    not_exercised: not_run,
                }],
            }],
        },
        openclaw: Some(run),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descendants_are_told_apart() {
        let me = std::process::id() as i32;
        let parent = parent_of(me).expect("a parent");
        assert!(descends_from(me, me) && descends_from(me, parent));
        let mut child = Command::new("sleep").arg("5").spawn().unwrap();
        let pid = child.id() as i32;
        assert!(descends_from(pid, me));
        assert!(!descends_from(me, pid));
        assert!(!descends_from(parent, me));
        let _ = child.kill();
        let _ = child.wait();
    }
}
