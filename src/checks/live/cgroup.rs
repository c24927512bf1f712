//! cgroup management: a v2 leaf per request (cgroup.kill, cgroup.events,
//! pids.max / memory.max when those controllers are delegated), with a
//! cgroup-v1 `pids` and `memory` leaves as fallback for the limits on hybrid
//! hosts (cgroup2 mounted without those controllers).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Mount point of a cgroup hierarchy plus our own path inside it.
fn find_mount(v2: bool, controller: &str) -> Option<PathBuf> {
    let mi = fs::read_to_string("/proc/self/mountinfo").ok()?;
    for line in mi.lines() {
        let (pre, post) = line.split_once(" - ")?;
        let pre: Vec<&str> = pre.split(' ').collect();
        let post: Vec<&str> = post.split(' ').collect();
        if pre.len() < 5 || post.len() < 3 {
            continue;
        }
        if v2 && post[0] == "cgroup2" {
            return Some(PathBuf::from(pre[4]));
        }
        if !v2 && post[0] == "cgroup" && post[2].split(',').any(|o| o == controller) {
            return Some(PathBuf::from(pre[4]));
        }
    }
    None
}

fn own_path(v2: bool, controller: &str) -> Option<String> {
    let c = fs::read_to_string("/proc/self/cgroup").ok()?;
    for line in c.lines() {
        let mut it = line.splitn(3, ':');
        let (_id, ctrls, path) = (it.next()?, it.next()?, it.next()?);
        if v2 && ctrls.is_empty() {
            return Some(path.to_string());
        }
        if !v2 && ctrls.split(',').any(|x| x == controller) {
            return Some(path.to_string());
        }
    }
    None
}

fn join(mount: &Path, rel: &str) -> PathBuf {
    mount.join(rel.trim_start_matches('/'))
}

/// Run-level cgroup setup, created once per `run`.
#[derive(Debug, Default, Clone)]
pub struct CgroupSetup {
    /// v2 run directory (leaves go below it) if cgroup v2 is writable and has cgroup.kill.
    pub v2_dir: Option<PathBuf>,
    /// The same directory as `/proc/<pid>/cgroup` names it (`0::<this>/req-N`).
    pub v2_rel: Option<String>,
    pub v2_pids: bool,
    pub v2_memory: bool,
    /// v1 pids run directory (fallback when v2 has no pids controller).
    pub v1_pids_dir: Option<PathBuf>,
    /// v1 memory run directory (fallback when v2 has no memory controller).
    pub v1_memory_dir: Option<PathBuf>,
    pub details: Vec<String>,
}

pub const PIDS_MAX: u32 = 64;
pub const MEMORY_MAX: u64 = 256 * 1024 * 1024;

impl CgroupSetup {
    pub fn create(tag: &str, disable: &[String]) -> CgroupSetup {
        let mut s = CgroupSetup::default();
        let off = |n: &str| disable.iter().any(|d| d == n);
        if !off("cgroup-v2") {
            match (find_mount(true, ""), own_path(true, "")) {
                (Some(m), Some(p)) => {
                    let base = join(&m, &p);
                    let dir = base.join(format!("clawcheck-live-{tag}"));
                    let rel = format!("{}/clawcheck-live-{tag}", p.trim_end_matches('/'));
                    match fs::create_dir(&dir) {
                        Ok(()) if dir.join("cgroup.kill").exists() => {
                            // Try to delegate pids/memory down to our leaves.
                            let avail = fs::read_to_string(base.join("cgroup.controllers"))
                                .unwrap_or_default();
                            for c in ["pids", "memory"] {
                                if off(&format!("cgroup-{c}")) {
                                    continue;
                                }
                                if avail.split_whitespace().any(|x| x == c) {
                                    let _ = fs::write(
                                        base.join("cgroup.subtree_control"),
                                        format!("+{c}"),
                                    );
                                    if fs::write(
                                        dir.join("cgroup.subtree_control"),
                                        format!("+{c}"),
                                    )
                                    .is_ok()
                                    {
                                        if c == "pids" {
                                            s.v2_pids = true;
                                        } else {
                                            s.v2_memory = true;
                                        }
                                    }
                                }
                            }
                            s.details.push(format!(
                                "cgroup v2 at {} (controllers available: [{}])",
                                dir.display(),
                                avail.trim()
                            ));
                            s.v2_dir = Some(dir);
                            s.v2_rel = Some(rel);
                        }
                        Ok(()) => {
                            let _ = fs::remove_dir(&dir);
                            s.details
                                .push("cgroup v2 has no cgroup.kill (kernel < 5.14)".into());
                        }
                        Err(e) => s
                            .details
                            .push(format!("cgroup v2 not writable at {}: {e}", base.display())),
                    }
                }
                _ => s.details.push("no cgroup2 mount found".into()),
            }
        }
        if !s.v2_pids && !off("cgroup-pids") {
            s.v1_pids_dir = v1_run_dir("pids", tag, &mut s.details);
        }
        if !s.v2_memory && !off("cgroup-memory") {
            s.v1_memory_dir = v1_run_dir("memory", tag, &mut s.details);
        }
        s
    }

    pub fn pids_active(&self) -> bool {
        self.v2_pids || self.v1_pids_dir.is_some()
    }

    pub fn memory_active(&self) -> bool {
        self.v2_memory || self.v1_memory_dir.is_some()
    }

    fn dirs(&self) -> impl Iterator<Item = &PathBuf> {
        [&self.v2_dir, &self.v1_pids_dir, &self.v1_memory_dir]
            .into_iter()
            .flatten()
    }

    pub fn destroy(&self) {
        for d in self.dirs() {
            // Leaves should be gone already; sweep any leftovers.
            if let Ok(rd) = fs::read_dir(d) {
                for e in rd.flatten() {
                    if e.path().is_dir() {
                        let _ = kill_leaf(&e.path());
                        let _ = rmdir_retry(&e.path(), Duration::from_millis(500));
                    }
                }
            }
            let _ = rmdir_retry(d, Duration::from_millis(500));
        }
    }

    pub fn leaf(&self, name: &str) -> io::Result<Leaf> {
        let mut leaf = Leaf::default();
        if let Some(d) = &self.v2_dir {
            let p = d.join(name);
            fs::create_dir(&p)?;
            if self.v2_pids {
                let _ = fs::write(p.join("pids.max"), PIDS_MAX.to_string());
            }
            if self.v2_memory {
                let _ = fs::write(p.join("memory.max"), MEMORY_MAX.to_string());
                let _ = fs::write(p.join("memory.swap.max"), "0");
            }
            leaf.v2 = Some(p);
        }
        if let Some(d) = &self.v1_pids_dir {
            let p = d.join(name);
            fs::create_dir(&p)?;
            fs::write(p.join("pids.max"), PIDS_MAX.to_string())?;
            leaf.v1_pids = Some(p);
        }
        if let Some(d) = &self.v1_memory_dir {
            let p = d.join(name);
            fs::create_dir(&p)?;
            // memory first: a memory+swap limit below the memory limit is refused
            fs::write(p.join("memory.limit_in_bytes"), MEMORY_MAX.to_string())?;
            let memsw = p.join("memory.memsw.limit_in_bytes");
            if memsw.exists() {
                let _ = fs::write(memsw, MEMORY_MAX.to_string());
            }
            leaf.v1_memory = Some(p);
        }
        Ok(leaf)
    }
}

/// Removes the `clawcheck-live-*` run cgroups next to ours (v2, and the v1
/// `pids` and `memory` hierarchies) whose name `stale` accepts: their
/// processes are killed (`cgroup.kill`, or every listed process on v1), then
/// the leaves and the run directory are removed. Returns the directories
/// removed.
pub fn sweep_stale(stale: &dyn Fn(&str) -> bool) -> Vec<PathBuf> {
    let mut bases = Vec::new();
    if let (Some(m), Some(p)) = (find_mount(true, ""), own_path(true, "")) {
        bases.push(join(&m, &p));
    }
    for c in ["pids", "memory"] {
        if let (Some(m), Some(p)) = (find_mount(false, c), own_path(false, c)) {
            bases.push(join(&m, &p));
        }
    }
    let mut removed = Vec::new();
    for base in bases {
        let Ok(rd) = fs::read_dir(&base) else {
            continue;
        };
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if !name.starts_with("clawcheck-live-") || !stale(&name) || !e.path().is_dir() {
                continue;
            }
            let dir = e.path();
            let _ = kill_leaf(&dir);
            let setup = CgroupSetup {
                v2_dir: Some(dir.clone()),
                ..Default::default()
            };
            setup.destroy();
            if !dir.exists() {
                removed.push(dir);
            }
        }
    }
    removed
}

/// A v1 hierarchy's run directory next to our own cgroup, for `controller`.
fn v1_run_dir(controller: &str, tag: &str, details: &mut Vec<String>) -> Option<PathBuf> {
    let (m, p) = (find_mount(false, controller)?, own_path(false, controller)?);
    let dir = join(&m, &p).join(format!("clawcheck-live-{tag}"));
    match fs::create_dir(&dir) {
        Ok(()) => {
            details.push(format!(
                "{controller} limit via cgroup v1 at {}",
                dir.display()
            ));
            Some(dir)
        }
        Err(e) => {
            details.push(format!("cgroup v1 {controller} not writable: {e}"));
            None
        }
    }
}

/// Per-request cgroup leaves.
#[derive(Debug, Default)]
pub struct Leaf {
    pub v2: Option<PathBuf>,
    pub v1_pids: Option<PathBuf>,
    pub v1_memory: Option<PathBuf>,
}

pub fn procs(dir: &Path) -> Vec<i32> {
    fs::read_to_string(dir.join("cgroup.procs"))
        .map(|s| s.lines().filter_map(|l| l.trim().parse().ok()).collect())
        .unwrap_or_default()
}

pub fn kill_leaf(dir: &Path) -> io::Result<()> {
    if dir.join("cgroup.kill").exists() {
        fs::write(dir.join("cgroup.kill"), "1")
    } else {
        for p in procs(dir) {
            unsafe { libc::kill(p, libc::SIGKILL) };
        }
        Ok(())
    }
}

fn rmdir_retry(dir: &Path, max: Duration) -> io::Result<()> {
    let start = Instant::now();
    loop {
        match fs::remove_dir(dir) {
            Ok(()) => return Ok(()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => {
                if start.elapsed() >= max {
                    return Err(e);
                }
                std::thread::sleep(Duration::from_millis(1));
            }
        }
    }
}

impl Leaf {
    fn dirs(&self) -> impl Iterator<Item = &PathBuf> {
        [&self.v2, &self.v1_pids, &self.v1_memory]
            .into_iter()
            .flatten()
    }

    fn v1_dirs(&self) -> impl Iterator<Item = &PathBuf> {
        [&self.v1_pids, &self.v1_memory].into_iter().flatten()
    }

    /// Move `pid` into all leaves.
    pub fn join(&self, pid: i32) -> io::Result<()> {
        for d in self.dirs() {
            fs::write(d.join("cgroup.procs"), pid.to_string())?;
        }
        Ok(())
    }

    /// v2: `cgroup.kill`; v1: kill every listed process (repeat to catch forks).
    /// `cgroup.kill` only (v2): every process of the request at once.
    /// True when the kernel took the kill.
    pub fn kill_v2(&self) -> bool {
        self.v2
            .as_ref()
            .is_some_and(|d| fs::write(d.join("cgroup.kill"), "1").is_ok())
    }

    pub fn kill_all(&self) {
        if let Some(d) = &self.v2 {
            let _ = fs::write(d.join("cgroup.kill"), "1");
        }
        for d in self.v1_dirs() {
            for _ in 0..50 {
                let ps = procs(d);
                if ps.is_empty() {
                    break;
                }
                for p in ps {
                    unsafe { libc::kill(p, libc::SIGKILL) };
                }
                std::thread::sleep(Duration::from_micros(200));
            }
        }
    }

    /// `populated` according to the v2 `cgroup.events`, or a non-empty v1 procs list.
    pub fn populated(&self) -> bool {
        if let Some(d) = &self.v2 {
            if let Ok(ev) = fs::read_to_string(d.join("cgroup.events")) {
                if ev.lines().any(|l| l == "populated 1") {
                    return true;
                }
            }
        }
        self.v1_dirs().any(|d| !procs(d).is_empty())
    }

    /// Wait until not populated; true on success.
    pub fn wait_empty(&self, max: Duration) -> bool {
        let start = Instant::now();
        let mut sleep = Duration::from_micros(50);
        loop {
            if !self.populated() {
                return true;
            }
            if start.elapsed() >= max {
                return false;
            }
            std::thread::sleep(sleep);
            sleep = (sleep * 2).min(Duration::from_millis(2));
        }
    }

    pub fn members(&self) -> Vec<i32> {
        let mut v = Vec::new();
        for d in self.dirs() {
            v.extend(procs(d));
        }
        v.sort_unstable();
        v.dedup();
        v
    }

    pub fn peak_pids(&self) -> Option<u64> {
        for d in self.dirs() {
            if let Ok(s) = fs::read_to_string(d.join("pids.peak")) {
                if let Ok(v) = s.trim().parse() {
                    return Some(v);
                }
            }
        }
        None
    }

    pub fn remove(&self) -> bool {
        let mut ok = true;
        for d in self.dirs() {
            ok &= rmdir_retry(d, Duration::from_millis(200)).is_ok();
        }
        ok
    }

    pub fn exists(&self) -> bool {
        self.dirs().any(|d| d.exists())
    }
}
