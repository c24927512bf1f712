//! Spawning the isolated child: `clone3(CLONE_PIDFD | CLONE_NEW*)`, id maps
//! and cgroup membership written by the parent while the child waits on a
//! sync pipe, then sandbox setup in the child with raw syscalls only, then
//! `execve("/bin/sh", ["sh", "-c", probe])`.
// Syscall steps are kept one `if` per step, in the order the kernel needs them.
#![allow(clippy::collapsible_if)]

use super::cgroup::Leaf;
use super::sys::{self, raw, LandlockPlan, MountAttr};
use std::collections::HashSet;
use std::ffi::CString;
use std::io;
use std::os::fd::RawFd;
use std::sync::Mutex;
use std::time::Instant;

/// Which isolation mechanisms a spawn uses.
#[derive(Clone, Debug, Default)]
pub struct Iso {
    pub userns: bool,
    pub pidns: bool,
    pub mntns: bool,
    pub netns: bool,
    pub ipcns: bool,
    pub utsns: bool,
    pub tmpfs: bool,
    pub ro_root: bool,
    pub procfs: bool,
    pub landlock_abi: Option<u32>,
    pub rlimits: bool,
    pub capdrop: bool,
}

impl Iso {
    pub fn clone_flags(&self) -> u64 {
        let mut f = 0u64;
        if self.userns {
            f |= libc::CLONE_NEWUSER as u64;
        }
        if self.pidns {
            f |= libc::CLONE_NEWPID as u64;
        }
        if self.mntns {
            f |= libc::CLONE_NEWNS as u64;
        }
        if self.netns {
            f |= libc::CLONE_NEWNET as u64;
        }
        if self.ipcns {
            f |= libc::CLONE_NEWIPC as u64;
        }
        if self.utsns {
            f |= libc::CLONE_NEWUTS as u64;
        }
        f
    }
}

// Child setup steps (reported back on failure / degradation).
/// nice value of probe processes (executor threads keep theirs).
pub const PROBE_NICE: i32 = 10;

pub const STEP_SYNC: u8 = 1;
pub const STEP_IDS: u8 = 2;
pub const STEP_SETSID: u8 = 3;
pub const STEP_HOSTNAME: u8 = 4;
pub const STEP_PRIVATE: u8 = 5;
pub const STEP_TMPFS: u8 = 6;
pub const STEP_RO_ROOT: u8 = 7;
pub const STEP_PROC: u8 = 8;
pub const STEP_CHDIR: u8 = 9;
pub const STEP_RLIMIT: u8 = 10;
pub const STEP_STDIO: u8 = 11;
pub const STEP_NNP: u8 = 12;
pub const STEP_CAPDROP: u8 = 13;
pub const STEP_LANDLOCK: u8 = 14;
pub const STEP_EXEC: u8 = 15;

pub fn step_name(s: u8) -> &'static str {
    match s {
        STEP_SYNC => "sync",
        STEP_IDS => "uid/gid switch",
        STEP_SETSID => "setsid",
        STEP_HOSTNAME => "sethostname",
        STEP_PRIVATE => "mount-private",
        STEP_TMPFS => "tmpfs-scratch",
        STEP_RO_ROOT => "readonly-root",
        STEP_PROC => "private-proc",
        STEP_CHDIR => "chdir",
        STEP_RLIMIT => "rlimits",
        STEP_STDIO => "stdio",
        STEP_NNP => "no-new-privs",
        STEP_CAPDROP => "capability-drop",
        STEP_LANDLOCK => "landlock",
        STEP_EXEC => "execve",
        _ => "?",
    }
}

/// Everything the child needs, prepared before clone (no allocation after).
pub struct ChildPlan {
    pub iso: Iso,
    pub in_userns_switch: bool,
    path: CString,
    _argv: Vec<CString>,
    argv_p: Vec<*const libc::c_char>,
    _envp: Vec<CString>,
    envp_p: Vec<*const libc::c_char>,
    scratch: CString,
    devnull: CString,
    root: CString,
    proc_: CString,
    proc_t: CString,
    tmpfs_t: CString,
    tmpfs_opts: CString,
    hostname: &'static [u8],
    out_fd: RawFd,
    landlock: Option<LandlockPlan>,
}

// The raw pointers only point into the CStrings owned by the plan.
unsafe impl Send for ChildPlan {}

impl ChildPlan {
    pub fn new(
        iso: Iso,
        script: &str,
        env: &[(String, String)],
        scratch: &str,
        out_fd: RawFd,
    ) -> ChildPlan {
        let path = CString::new("/bin/sh").unwrap();
        let argv = vec![
            CString::new("sh").unwrap(),
            CString::new("-c").unwrap(),
            CString::new(script).unwrap(),
        ];
        let envp: Vec<CString> = env
            .iter()
            .map(|(k, v)| CString::new(format!("{k}={v}")).unwrap())
            .collect();
        let mut argv_p: Vec<_> = argv.iter().map(|c| c.as_ptr()).collect();
        argv_p.push(std::ptr::null());
        let mut envp_p: Vec<_> = envp.iter().map(|c| c.as_ptr()).collect();
        envp_p.push(std::ptr::null());
        let scratch = CString::new(scratch).unwrap();
        let landlock = iso.landlock_abi.map(|abi| LandlockPlan::new(abi, &scratch));
        ChildPlan {
            in_userns_switch: iso.userns,
            iso,
            path,
            _argv: argv,
            argv_p,
            _envp: envp,
            envp_p,
            scratch,
            devnull: CString::new("/dev/null").unwrap(),
            root: CString::new("/").unwrap(),
            proc_: CString::new("/proc").unwrap(),
            proc_t: CString::new("proc").unwrap(),
            tmpfs_t: CString::new("tmpfs").unwrap(),
            tmpfs_opts: CString::new("size=16m,mode=0755").unwrap(),
            hostname: b"clawcheck-live",
            out_fd,
            landlock,
        }
    }
}

fn report(err_w: RawFd, kind: u8, step: u8, e: i32) {
    let mut rec = [0u8; 8];
    rec[0] = kind;
    rec[1] = step;
    rec[4..8].copy_from_slice(&e.to_le_bytes());
    sys::c_write_all(err_w, &rec);
}

fn fatal(err_w: RawFd, step: u8) -> ! {
    report(err_w, 1, step, sys::errno());
    sys::c_exit(127)
}

fn warn(err_w: RawFd, step: u8) {
    report(err_w, 2, step, sys::errno());
}

/// Runs in the child. Raw syscalls only.
fn child_main(p: &ChildPlan, sync_r: RawFd, err_w: RawFd) -> ! {
    let iso = &p.iso;
    raw(
        libc::SYS_prctl,
        libc::PR_SET_PDEATHSIG as u64,
        libc::SIGKILL as u64,
        0,
        0,
        0,
    );
    // Wait for the parent to write id maps and join us to the cgroup leaves.
    let mut b = [0u8; 1];
    loop {
        let r = raw(
            libc::SYS_read,
            sync_r as u64,
            b.as_mut_ptr() as u64,
            1,
            0,
            0,
        );
        if r == 1 {
            break;
        }
        if r < 0 && sys::errno() == libc::EINTR {
            continue;
        }
        fatal(err_w, STEP_SYNC);
    }
    // sync_r stays open (close-on-exec): see the parent-death check before exec.
    if p.in_userns_switch {
        // become the (mapped) root of the new user namespace
        // fails harmlessly when setgroups is denied (unprivileged parent)
        let _ = raw(libc::SYS_setgroups, 0, 0, 0, 0, 0);
        if raw(libc::SYS_setresgid, 0, 0, 0, 0, 0) < 0
            || raw(libc::SYS_setresuid, 0, 0, 0, 0, 0) < 0
        {
            fatal(err_w, STEP_IDS);
        }
    }
    if raw(libc::SYS_setsid, 0, 0, 0, 0, 0) < 0 {
        fatal(err_w, STEP_SETSID);
    }
    if iso.utsns
        && raw(
            libc::SYS_sethostname,
            p.hostname.as_ptr() as u64,
            p.hostname.len() as u64,
            0,
            0,
            0,
        ) < 0
    {
        warn(err_w, STEP_HOSTNAME);
    }
    if iso.mntns {
        let mut mounts_ok = true;
        if unsafe {
            libc::mount(
                std::ptr::null(),
                p.root.as_ptr(),
                std::ptr::null(),
                libc::MS_REC | libc::MS_PRIVATE,
                std::ptr::null(),
            )
        } < 0
        {
            warn(err_w, STEP_PRIVATE);
            mounts_ok = false;
        }
        if mounts_ok {
            let mut scratch_is_mount = false;
            if iso.tmpfs {
                if unsafe {
                    libc::mount(
                        p.tmpfs_t.as_ptr(),
                        p.scratch.as_ptr(),
                        p.tmpfs_t.as_ptr(),
                        libc::MS_NOSUID | libc::MS_NODEV,
                        p.tmpfs_opts.as_ptr() as *const libc::c_void,
                    )
                } < 0
                {
                    warn(err_w, STEP_TMPFS);
                } else {
                    scratch_is_mount = true;
                }
            }
            if iso.ro_root {
                if !scratch_is_mount {
                    // make scratch its own mount so it can stay writable
                    scratch_is_mount = unsafe {
                        libc::mount(
                            p.scratch.as_ptr(),
                            p.scratch.as_ptr(),
                            std::ptr::null(),
                            libc::MS_BIND,
                            std::ptr::null(),
                        )
                    } == 0;
                }
                let attr = MountAttr {
                    attr_set: sys::MOUNT_ATTR_RDONLY,
                    attr_clr: 0,
                    propagation: 0,
                    userns_fd: 0,
                };
                if scratch_is_mount
                    && raw(
                        sys::SYS_MOUNT_SETATTR,
                        libc::AT_FDCWD as i64 as u64,
                        p.root.as_ptr() as u64,
                        sys::AT_RECURSIVE,
                        &attr as *const MountAttr as u64,
                        std::mem::size_of::<MountAttr>() as u64,
                    ) == 0
                {
                    let clr = MountAttr {
                        attr_set: 0,
                        attr_clr: sys::MOUNT_ATTR_RDONLY,
                        propagation: 0,
                        userns_fd: 0,
                    };
                    if raw(
                        sys::SYS_MOUNT_SETATTR,
                        libc::AT_FDCWD as i64 as u64,
                        p.scratch.as_ptr() as u64,
                        0,
                        &clr as *const MountAttr as u64,
                        std::mem::size_of::<MountAttr>() as u64,
                    ) < 0
                    {
                        warn(err_w, STEP_RO_ROOT);
                    }
                } else {
                    warn(err_w, STEP_RO_ROOT);
                }
            }
            if iso.procfs && iso.pidns {
                if unsafe {
                    libc::mount(
                        p.proc_t.as_ptr(),
                        p.proc_.as_ptr(),
                        p.proc_t.as_ptr(),
                        libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC,
                        std::ptr::null(),
                    )
                } < 0
                {
                    warn(err_w, STEP_PROC);
                }
            }
        }
    }
    if raw(libc::SYS_chdir, p.scratch.as_ptr() as u64, 0, 0, 0, 0) < 0 {
        fatal(err_w, STEP_CHDIR);
    }
    // Probes run at a lower CPU priority than the executor, so timeout
    // enforcement and teardown are not starved by a hostile workload.
    raw(
        libc::SYS_setpriority,
        libc::PRIO_PROCESS as u64,
        0,
        PROBE_NICE as u64,
        0,
        0,
    );
    if iso.rlimits {
        let lims: [(u32, u64); 4] = [
            (libc::RLIMIT_CORE, 0),
            (libc::RLIMIT_NOFILE, 256),
            (libc::RLIMIT_FSIZE, 64 << 20),
            (libc::RLIMIT_AS, 1 << 30),
        ];
        for (res, v) in lims {
            let rl = libc::rlimit {
                rlim_cur: v,
                rlim_max: v,
            };
            if raw(
                libc::SYS_prlimit64,
                0,
                res as u64,
                &rl as *const libc::rlimit as u64,
                0,
                0,
            ) < 0
            {
                warn(err_w, STEP_RLIMIT);
            }
        }
    }
    // stdio: stdin </dev/null, stdout+stderr -> per-request output file
    let nul = raw(
        libc::SYS_openat,
        libc::AT_FDCWD as i64 as u64,
        p.devnull.as_ptr() as u64,
        libc::O_RDONLY as u64,
        0,
        0,
    );
    if nul < 0
        || raw(libc::SYS_dup3, nul as u64, 0, 0, 0, 0) < 0 && nul != 0
        || raw(libc::SYS_dup3, p.out_fd as u64, 1, 0, 0, 0) < 0
        || raw(libc::SYS_dup3, p.out_fd as u64, 2, 0, 0, 0) < 0
    {
        fatal(err_w, STEP_STDIO);
    }
    // everything else is closed at exec (err_w stays open until exec)
    raw(
        libc::SYS_close_range,
        3,
        u32::MAX as u64,
        4, /* CLOSE_RANGE_CLOEXEC */
        0,
        0,
    );
    if iso.landlock_abi.is_some() || iso.capdrop {
        if raw(
            libc::SYS_prctl,
            libc::PR_SET_NO_NEW_PRIVS as u64,
            1,
            0,
            0,
            0,
        ) < 0
        {
            fatal(err_w, STEP_NNP);
        }
    }
    if iso.capdrop {
        raw(
            libc::SYS_prctl,
            libc::PR_CAP_AMBIENT as u64,
            libc::PR_CAP_AMBIENT_CLEAR_ALL as u64,
            0,
            0,
            0,
        );
        let mut failed = false;
        for cap in 0..64u64 {
            if raw(libc::SYS_prctl, libc::PR_CAPBSET_DROP as u64, cap, 0, 0, 0) < 0
                && sys::errno() != libc::EINVAL
            {
                failed = true;
            }
        }
        if failed {
            warn(err_w, STEP_CAPDROP);
        }
    }
    if let Some(ll) = &p.landlock {
        let e = ll.apply();
        if e != 0 {
            report(err_w, 2, STEP_LANDLOCK, e);
        }
    }
    // The credential switch above (setresuid into the namespace's root, a
    // different host uid when we are root) cleared the parent-death signal:
    // set it again, then make sure the parent did not die before that. The
    // parent holds the sync pipe's write end until this exec, so a hang-up
    // on it means the parent is gone: the request must not outlive clawcheck.
    raw(
        libc::SYS_prctl,
        libc::PR_SET_PDEATHSIG as u64,
        libc::SIGKILL as u64,
        0,
        0,
        0,
    );
    let mut pfd = libc::pollfd {
        fd: sync_r,
        events: libc::POLLIN,
        revents: 0,
    };
    let zero = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    if raw(
        libc::SYS_ppoll,
        &mut pfd as *mut libc::pollfd as u64,
        1,
        &zero as *const libc::timespec as u64,
        0,
        0,
    ) > 0
        && pfd.revents & (libc::POLLHUP | libc::POLLERR) != 0
    {
        sys::c_exit(127);
    }
    raw(
        libc::SYS_execve,
        p.path.as_ptr() as u64,
        p.argv_p.as_ptr() as u64,
        p.envp_p.as_ptr() as u64,
        0,
        0,
    );
    fatal(err_w, STEP_EXEC)
}

/// PIDs of request main processes currently owned by some worker; the
/// subreaper orphan reaper never touches these.
pub static ACTIVE: Mutex<Option<HashSet<i32>>> = Mutex::new(None);

fn active_insert(pid: i32) {
    ACTIVE
        .lock()
        .unwrap()
        .get_or_insert_with(HashSet::new)
        .insert(pid);
}

pub fn active_remove(pid: i32) {
    if let Some(s) = ACTIVE.lock().unwrap().as_mut() {
        s.remove(&pid);
    }
}

pub struct Spawned {
    pub pid: i32,
    pub pidfd: RawFd,
    /// When the child was released (timeout clock start).
    pub started: Instant,
    /// Degraded (best-effort) steps: (step, errno).
    pub warnings: Vec<(u8, i32)>,
}

#[derive(Debug)]
pub struct SpawnError {
    pub step: &'static str,
    pub err: io::Error,
}

impl std::fmt::Display for SpawnError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.step, self.err)
    }
}

fn write_file(path: &str, s: &str) -> io::Result<()> {
    std::fs::write(path, s)
}

pub fn spawn(plan: &ChildPlan, leaf: Option<&Leaf>) -> Result<Spawned, SpawnError> {
    let se = |step: &'static str, err: io::Error| SpawnError { step, err };
    let (sync_r, sync_w) = sys::pipe_cloexec().map_err(|e| se("pipe", e))?;
    let (err_r, err_w) = match sys::pipe_cloexec() {
        Ok(p) => p,
        Err(e) => {
            sys::close(sync_r);
            sys::close(sync_w);
            return Err(se("pipe", e));
        }
    };
    let res = unsafe { sys::clone3_fork(plan.iso.clone_flags()) };
    let (pid, pidfd) = match res {
        Ok((0, _)) => child_main(plan, sync_r, err_w),
        Ok(x) => x,
        Err(e) => {
            for fd in [sync_r, sync_w, err_r, err_w] {
                sys::close(fd);
            }
            return Err(se("clone3", e));
        }
    };
    active_insert(pid);
    sys::close(sync_r);
    sys::close(err_w);
    let abort = |step: &'static str, err: io::Error| {
        let _ = sys::pidfd_send_signal(pidfd, libc::SIGKILL);
        if sys::pidfd_wait_exit(pidfd, std::time::Duration::from_secs(5)) {
            sys::pidfd_reap_wait(pidfd);
        }
        active_remove(pid);
        sys::close(pidfd);
        sys::close(sync_w);
        sys::close(err_r);
        SpawnError { step, err }
    };
    if plan.iso.userns {
        let (uid, gid) = (sys::geteuid(), sys::getegid());
        let r = if uid == 0 {
            // namespace root is `nobody` outside: no host privileges at all
            write_file(&format!("/proc/{pid}/uid_map"), "0 65534 1\n")
                .and_then(|_| write_file(&format!("/proc/{pid}/gid_map"), "0 65534 1\n"))
        } else {
            write_file(&format!("/proc/{pid}/setgroups"), "deny")
                .and_then(|_| write_file(&format!("/proc/{pid}/uid_map"), &format!("0 {uid} 1\n")))
                .and_then(|_| write_file(&format!("/proc/{pid}/gid_map"), &format!("0 {gid} 1\n")))
        };
        if let Err(e) = r {
            return Err(abort("id-map", e));
        }
    }
    if let Some(l) = leaf {
        if let Err(e) = l.join(pid) {
            return Err(abort("cgroup-join", e));
        }
    }
    let started = Instant::now();
    if !sys::c_write_all(sync_w, b"g") {
        return Err(abort("release", io::Error::last_os_error()));
    }
    let mut buf = Vec::new();
    sys::read_fd_to_end(err_r, &mut buf);
    sys::close(err_r);
    // Held until the child exec'd (or died): its parent-death check.
    sys::close(sync_w);
    let mut warnings = Vec::new();
    for rec in buf.chunks_exact(8) {
        let e = i32::from_le_bytes([rec[4], rec[5], rec[6], rec[7]]);
        if rec[0] == 1 {
            if sys::pidfd_wait_exit(pidfd, std::time::Duration::from_secs(5)) {
                sys::pidfd_reap_wait(pidfd);
            }
            active_remove(pid);
            sys::close(pidfd);
            return Err(SpawnError {
                step: step_name(rec[1]),
                err: io::Error::from_raw_os_error(e),
            });
        }
        warnings.push((rec[1], e));
    }
    Ok(Spawned {
        pid,
        pidfd,
        started,
        warnings,
    })
}
