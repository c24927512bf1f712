//! `--live`: run agent profiles for real in a reference isolated executor
//! and report what actually happened as OC4xx findings.
//!
//! Linux only. Per request the executor:
//! 1. creates a scratch dir `<run_dir>/req-N` and cgroup leaves
//!    (v2 leaf: `cgroup.kill`, `cgroup.events`, pids/memory limits when
//!    delegated; v1 `pids` leaf as fallback for the pids limit);
//! 2. `clone3(CLONE_PIDFD|CLONE_NEWUSER|NEWPID|NEWNS|NEWNET|NEWIPC|NEWUTS)`
//!    (whatever detection found usable); the parent writes uid/gid maps
//!    (namespace root = host `nobody` when we are root) and joins the child to
//!    the leaves while the child blocks on a sync pipe;
//! 3. the child (raw syscalls only) does setsid, hostname, private mounts,
//!    tmpfs on scratch, recursively read-only rest (mount_setattr), private
//!    /proc, rlimits, no_new_privs, capability bounding-set drop, Landlock
//!    (writes only below scratch, no TCP, signal/abstract-socket scoping), a
//!    fresh allowlisted environment, then execs the probe (`/bin/sh -c`);
//! 4. the parent polls the pidfd until the effective timeout, SIGKILLs the
//!    main process on expiry (PID-namespace init => kernel kills the rest;
//!    `cgroup.kill` at the same moment) and measures the overshoot (deadline
//!    → main process gone). The request thread runs `SCHED_FIFO` from the
//!    clone to that timestamp and the killed processes exit at real-time
//!    priority, where the process may (CAP_SYS_NICE / RLIMIT_RTPRIO);
//! 5. teardown (when the profile has auto-destroy): `cgroup.kill`, process
//!    group kill and marker sweep (without PID ns), wait for `populated 0`,
//!    reap orphans (we are PR_SET_CHILD_SUBREAPER while running), remove the
//!    leaves and the scratch;
//! 6. verification: pidfd reaped + cgroup members + /proc scan for
//!    `CLAWCHECK_LIVE_REQ=<id>` (OC401), overshoot vs tolerance (OC402),
//!    probe-reported and host-side state checks (OC403), scratch/leaf gone
//!    (OC404), fd holders and executor fd baseline (OC407), observed
//!    concurrency (OC408). Layers missing => OC405; declared metrics => OC406.
//!
//! When teardown is skipped (profile without auto-destroy, or the
//! `test_skip_teardown` hook) the executor verifies first and then cleans up
//! anyway, so nothing is left on the machine.

pub use crate::rules::live::LiveRule;

#[cfg(target_os = "linux")]
mod cgroup;
#[cfg(target_os = "linux")]
mod exec;
#[cfg(target_os = "linux")]
pub mod metrics;
#[cfg(target_os = "linux")]
pub mod openclaw;
#[cfg(target_os = "linux")]
pub mod probes;
#[cfg(target_os = "linux")]
mod spawn;
#[cfg(target_os = "linux")]
mod sys;

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct AgentProfile {
    pub name: String,
    /// None or 0 = unlimited.
    pub timeout_secs: Option<f64>,
    pub auto_destroy: bool,
    pub max_concurrent: Option<u32>,
    pub thread_bound: bool,
    // ---- additions (use `..Default::default()`) ----
    /// What no timeout means, naming the setting (OC402's message); `None`:
    /// "no timeout configured".
    pub no_timeout: Option<String>,
    /// Why requests are not torn down, naming the setting (OC401/OC404);
    /// `None`: the profile does not declare auto-destroy.
    pub no_teardown: Option<String>,
}

#[derive(Debug, Clone)]
pub struct LiveOptions {
    /// Probe names; empty = all.
    pub probes: Vec<String>,
    pub requests_per_probe: usize,
    /// Worker threads per agent; capped by the profile's max_concurrent.
    pub concurrency: usize,
    pub tolerance_ms: u64,
    /// Some(0) default = an ephemeral port; None = no endpoint. (18789 is
    /// OpenClaw's gateway port: never the default.)
    pub metrics_port: Option<u16>,
    pub require_strict: bool,
    pub declared_metrics: Vec<String>,
    /// Timeout used for profiles without one (reported as OC402); at most
    /// `timeout_cap_secs`.
    pub unlimited_timeout_cap_secs: f64,
    /// Test hook: the executor "forgets" teardown.
    pub test_skip_teardown: bool,
    // ---- additions (use `..Default::default()`) ----
    /// Configured timeouts are scaled down to at most this (default 2 s).
    pub timeout_cap_secs: f64,
    /// Layer names to switch off (tests of the fallback paths), e.g.
    /// "pid-namespace", "cgroup-v2".
    pub disable_layers: Vec<String>,
    /// Keep /metrics up this long after the run finished (default 0).
    pub metrics_linger_secs: f64,
    /// Sequential well-behaved samples (isolated and plain) for the
    /// overhead measurement; 0 disables it. Default 15.
    pub overhead_samples: usize,
    /// Run the timeout watchdog and the kill at real-time priority where the
    /// process may (default true; false measures the plain scheduler).
    pub realtime_watchdog: bool,
    /// Called with the endpoint's port as soon as it listens (the CLI prints it).
    pub metrics_announce: Option<fn(u16)>,
}

impl Default for LiveOptions {
    fn default() -> Self {
        LiveOptions {
            probes: Vec::new(),
            requests_per_probe: 1,
            concurrency: 1,
            tolerance_ms: 50,
            metrics_port: Some(0),
            require_strict: false,
            declared_metrics: Vec::new(),
            unlimited_timeout_cap_secs: 5.0,
            test_skip_teardown: false,
            timeout_cap_secs: 2.0,
            disable_layers: Vec::new(),
            metrics_linger_secs: 0.0,
            overhead_samples: 15,
            realtime_watchdog: true,
            metrics_announce: None,
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Layer {
    pub name: &'static str,
    pub active: bool,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct AgentSummary {
    pub name: String,
    pub requests: usize,
    pub timeouts: usize,
    pub max_overshoot_ms: f64,
    pub p99_overshoot_ms: f64,
    pub survivors: usize,
    pub leaks: usize,
    /// Median isolated minus median plain well-behaved request (sequential samples).
    pub median_overhead_ms: Option<f64>,
    // ---- additions ----
    pub configured_timeout_secs: Option<f64>,
    pub effective_timeout_secs: f64,
    pub concurrency_used: usize,
    pub max_observed_concurrency: usize,
    pub median_request_ms: f64,
    pub median_teardown_ms: f64,
    pub setup_errors: usize,
    /// Timeout figures per probe, for the probes that ran into the timeout.
    pub timeouts_by_probe: Vec<ProbeTimeouts>,
    /// Every timed-out request's overshoot (ms), for figures across agents
    /// (the soak benchmark); not in the reports.
    #[serde(skip)]
    pub overshoot_samples_ms: Vec<f64>,
}

/// How the timeout kill went for one probe's requests.
#[derive(Debug, Clone, Serialize, Default)]
pub struct ProbeTimeouts {
    pub probe: String,
    pub timeouts: usize,
    /// Deadline → main process gone (what OC402 judges).
    pub median_overshoot_ms: f64,
    pub p99_overshoot_ms: f64,
    pub max_overshoot_ms: f64,
    /// Deadline → SIGKILL sent: the executor's own reaction time. With
    /// `--openclaw` (nothing is killed): when OpenClaw aborted the hung model
    /// request, relative to request arrival + timeout (negative = earlier).
    pub p99_kill_latency_ms: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct LiveFinding {
    pub rule: &'static str,
    /// error | warning | note
    pub severity: &'static str,
    pub agent: String,
    pub probe: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct LiveReport {
    pub layers: Vec<Layer>,
    pub agents: Vec<AgentSummary>,
    pub findings: Vec<LiveFinding>,
    pub metrics_port: Option<u16>,
    /// Last scrape of /metrics (Prometheus text 0.0.4).
    pub metrics_text: String,
    // ---- additions ----
    pub isolated_well_behaved_median_ms: Option<f64>,
    pub plain_well_behaved_median_ms: Option<f64>,
    pub notes: Vec<String>,
    /// What the run exercised: the executor, under whose limits, from where
    /// (filled in by the engine, which knows the configs).
    pub exercised: Exercised,
    /// `--openclaw`: the real OpenClaw's version, mode and per-probe timings.
    #[cfg(target_os = "linux")]
    pub openclaw: Option<openclaw::OpenClawRun>,
}

/// The statement every live output carries: clawcheck's reference executor
/// ran probe workloads under the limits of the checked configs (never the
/// OpenClaw gateway itself), with each limit and where it came from.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Exercised {
    pub statement: String,
    pub configs: Vec<ExercisedConfig>,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct ExercisedConfig {
    pub config: String,
    pub dialect: String,
    /// "reference executor under the limits of <config>"
    pub statement: String,
    pub runs: Vec<ExercisedRun>,
}

/// One live target (an agent, the sub-agent runs, the thread-bound sessions).
#[derive(Debug, Clone, Serialize, Default)]
pub struct ExercisedRun {
    /// The agent name as the live findings and `agents[]` name it.
    pub agent: String,
    /// What one request stood for: agent request, agent turn, sub-agent run, thread-bound session.
    pub run: String,
    pub limits: Vec<ExercisedLimit>,
    pub not_exercised: Vec<ExercisedLimit>,
}

/// One limit as the executor applied it.
#[derive(Debug, Clone, Serialize, Default)]
pub struct ExercisedLimit {
    /// timeout, teardown, max-concurrent, thread-bound, sandbox; or the
    /// setting of something not exercised.
    pub limit: String,
    pub value: String,
    /// `config` (a setting of the file), `openclaw-default` (unset: OpenClaw's
    /// documented default applies) or `unset` (a profile without the key).
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub setting: Option<String>,
    pub pointer: String,
    /// file:line of the setting (or of its nearest present parent).
    pub location: String,
    /// The default or the reason, in words.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub text: String,
}

impl ExercisedLimit {
    /// "120 s (`agents.defaults.timeoutSeconds`, cfg.json5:33)" and the like.
    pub fn describe(&self) -> String {
        match self.source.as_str() {
            "config" => format!(
                "{} (`{}` at {})",
                self.value,
                self.setting.as_deref().unwrap_or(&self.pointer),
                self.location
            ),
            "openclaw-default" => format!("{} (OpenClaw default: {})", self.value, self.text),
            _ => format!("{} ({})", self.value, self.text),
        }
    }
}

impl Exercised {
    /// The whole statement as lines of text (human, markdown, OSCAL).
    pub fn lines(&self) -> Vec<String> {
        let mut v = vec![self.statement.clone()];
        for c in &self.configs {
            v.push(format!("{}:", c.statement));
            for r in &c.runs {
                let limits: Vec<String> = r
                    .limits
                    .iter()
                    .map(|l| format!("{} {}", l.limit, l.describe()))
                    .collect();
                v.push(format!("  {} ({}): {}", r.agent, r.run, limits.join("; ")));
                for n in &r.not_exercised {
                    v.push(format!(
                        "    not exercised: `{}` at {}: {}",
                        n.limit, n.location, n.text
                    ));
                }
            }
        }
        v
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    #[error("live mode is unsupported on this OS (Linux only)")]
    Unsupported,
    #[error("strict mode: isolation layers missing: {0}")]
    StrictLayersMissing(String),
    #[error("unknown probe `{0}` (known: well-behaved, sleeper, escaper, fork-bomb, scratch-writer, state-leak, fd-holder)")]
    UnknownProbe(String),
    #[error("live setup failed: {0}")]
    Setup(String),
    #[error("metrics endpoint: {0}")]
    Metrics(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

pub fn rules() -> &'static [LiveRule] {
    crate::rules::live::RULES
}

#[cfg(not(target_os = "linux"))]
pub fn detect_layers() -> Vec<Layer> {
    Vec::new()
}

#[cfg(not(target_os = "linux"))]
pub fn run(_profiles: &[AgentProfile], _opts: &LiveOptions) -> Result<LiveReport, LiveError> {
    Err(LiveError::Unsupported)
}

#[cfg(target_os = "linux")]
mod agent;
#[cfg(target_os = "linux")]
mod layers;
#[cfg(target_os = "linux")]
mod runner;
#[cfg(target_os = "linux")]
mod verdicts;
#[cfg(target_os = "linux")]
pub use layers::detect_layers;
#[cfg(target_os = "linux")]
pub use runner::run;

#[cfg(all(test, target_os = "linux"))]
mod tests;
