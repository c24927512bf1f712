#![allow(dead_code)]
//! Thin raw-syscall helpers. Everything marked "child-safe" is usable in the
//! child between `clone3` and `execve`: it performs only raw syscalls on
//! memory prepared by the parent (no allocation, no locks, no glibc
//! thread-state-dependent wrappers such as `setresuid`).

use std::ffi::CString;
use std::io;
use std::os::fd::RawFd;

pub const CLONE_PIDFD: u64 = 0x1000;

#[repr(C)]
#[derive(Default)]
struct CloneArgs {
    flags: u64,
    pidfd: u64,
    child_tid: u64,
    parent_tid: u64,
    exit_signal: u64,
    stack: u64,
    stack_size: u64,
    tls: u64,
    set_tid: u64,
    set_tid_size: u64,
    cgroup: u64,
}

/// Fork-like clone3 (no separate stack). Returns Ok(0) in the child,
/// Ok((pid, pidfd)) in the parent.
///
/// # Safety
/// The child must only call child-safe functions and end in execve/_exit.
pub unsafe fn clone3_fork(flags: u64) -> io::Result<(i32, RawFd)> {
    let mut pidfd: i32 = -1;
    let mut args = CloneArgs {
        flags: flags | CLONE_PIDFD,
        pidfd: &mut pidfd as *mut i32 as u64,
        exit_signal: libc::SIGCHLD as u64,
        ..Default::default()
    };
    let r = unsafe {
        libc::syscall(
            libc::SYS_clone3,
            &mut args as *mut CloneArgs,
            std::mem::size_of::<CloneArgs>(),
        )
    };
    if r < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok((r as i32, pidfd))
}

#[inline(always)]
pub fn errno() -> i32 {
    unsafe { *libc::__errno_location() }
}

// ---- child-safe helpers -------------------------------------------------

#[inline(always)]
pub fn c_exit(code: i32) -> ! {
    unsafe {
        libc::syscall(libc::SYS_exit_group, code as libc::c_long);
    }
    #[allow(clippy::empty_loop)]
    loop {}
}

#[inline(always)]
pub fn c_write_all(fd: RawFd, buf: &[u8]) -> bool {
    let mut off = 0;
    while off < buf.len() {
        let r = unsafe { libc::syscall(libc::SYS_write, fd, buf[off..].as_ptr(), buf.len() - off) };
        if r < 0 {
            if errno() == libc::EINTR {
                continue;
            }
            return false;
        }
        off += r as usize;
    }
    true
}

#[inline(always)]
pub fn raw(nr: libc::c_long, a: u64, b: u64, c: u64, d: u64, e: u64) -> i64 {
    unsafe { libc::syscall(nr, a, b, c, d, e) as i64 }
}

// ---- Landlock ----------------------------------------------------------

pub const LL_CREATE_RULESET_VERSION: u32 = 1;
pub const LL_RULE_PATH_BENEATH: u32 = 1;

pub const LL_FS_EXECUTE: u64 = 1 << 0;
pub const LL_FS_WRITE_FILE: u64 = 1 << 1;
pub const LL_FS_READ_FILE: u64 = 1 << 2;
pub const LL_FS_READ_DIR: u64 = 1 << 3;
pub const LL_FS_REMOVE_DIR: u64 = 1 << 4;
pub const LL_FS_REMOVE_FILE: u64 = 1 << 5;
pub const LL_FS_MAKE_CHAR: u64 = 1 << 6;
pub const LL_FS_MAKE_DIR: u64 = 1 << 7;
pub const LL_FS_MAKE_REG: u64 = 1 << 8;
pub const LL_FS_MAKE_SOCK: u64 = 1 << 9;
pub const LL_FS_MAKE_FIFO: u64 = 1 << 10;
pub const LL_FS_MAKE_BLOCK: u64 = 1 << 11;
pub const LL_FS_MAKE_SYM: u64 = 1 << 12;
pub const LL_FS_REFER: u64 = 1 << 13;
pub const LL_FS_TRUNCATE: u64 = 1 << 14;
pub const LL_NET_BIND_TCP: u64 = 1 << 0;
pub const LL_NET_CONNECT_TCP: u64 = 1 << 1;
pub const LL_SCOPE_ABSTRACT_UNIX: u64 = 1 << 0;
pub const LL_SCOPE_SIGNAL: u64 = 1 << 1;

#[repr(C)]
pub struct LlRulesetAttr {
    pub handled_access_fs: u64,
    pub handled_access_net: u64,
    pub scoped: u64,
}

#[repr(C, packed)]
pub struct LlPathBeneath {
    pub allowed_access: u64,
    pub parent_fd: i32,
}

/// Landlock ABI version, or None if unsupported/disabled.
pub fn landlock_abi() -> Option<u32> {
    let r = unsafe {
        libc::syscall(
            libc::SYS_landlock_create_ruleset,
            std::ptr::null::<u8>(),
            0usize,
            LL_CREATE_RULESET_VERSION,
        )
    };
    if r > 0 {
        Some(r as u32)
    } else {
        None
    }
}

/// Everything the child needs for Landlock, prepared by the parent.
pub struct LandlockPlan {
    pub attr: LlRulesetAttr,
    pub attr_size: usize,
    /// (path, allowed access) rules.
    pub rules: Vec<(CString, u64)>,
}

impl LandlockPlan {
    pub fn new(abi: u32, scratch: &CString) -> LandlockPlan {
        let mut write = LL_FS_WRITE_FILE
            | LL_FS_REMOVE_DIR
            | LL_FS_REMOVE_FILE
            | LL_FS_MAKE_CHAR
            | LL_FS_MAKE_DIR
            | LL_FS_MAKE_REG
            | LL_FS_MAKE_SOCK
            | LL_FS_MAKE_FIFO
            | LL_FS_MAKE_BLOCK
            | LL_FS_MAKE_SYM;
        if abi >= 2 {
            write |= LL_FS_REFER;
        }
        if abi >= 3 {
            write |= LL_FS_TRUNCATE;
        }
        let (net, scoped, size) = if abi >= 6 {
            (
                LL_NET_BIND_TCP | LL_NET_CONNECT_TCP,
                LL_SCOPE_ABSTRACT_UNIX | LL_SCOPE_SIGNAL,
                24,
            )
        } else if abi >= 4 {
            (LL_NET_BIND_TCP | LL_NET_CONNECT_TCP, 0, 16)
        } else {
            (0, 0, 8)
        };
        let devnull_access = LL_FS_WRITE_FILE | if abi >= 3 { LL_FS_TRUNCATE } else { 0 };
        LandlockPlan {
            attr: LlRulesetAttr {
                handled_access_fs: write,
                handled_access_net: net,
                scoped,
            },
            attr_size: size,
            rules: vec![
                (scratch.clone(), write),
                (CString::new("/dev/null").unwrap(), devnull_access),
            ],
        }
    }

    /// child-safe. Returns 0 or errno.
    pub fn apply(&self) -> i32 {
        let rs = raw(
            libc::SYS_landlock_create_ruleset,
            &self.attr as *const LlRulesetAttr as u64,
            self.attr_size as u64,
            0,
            0,
            0,
        );
        if rs < 0 {
            return errno();
        }
        for (path, access) in &self.rules {
            let fd = raw(
                libc::SYS_openat,
                libc::AT_FDCWD as i64 as u64,
                path.as_ptr() as u64,
                (libc::O_PATH | libc::O_CLOEXEC) as u64,
                0,
                0,
            );
            if fd < 0 {
                return errno();
            }
            let rule = LlPathBeneath {
                allowed_access: *access,
                parent_fd: fd as i32,
            };
            let r = raw(
                libc::SYS_landlock_add_rule,
                rs as u64,
                LL_RULE_PATH_BENEATH as u64,
                &rule as *const LlPathBeneath as u64,
                0,
                0,
            );
            raw(libc::SYS_close, fd as u64, 0, 0, 0, 0);
            if r < 0 {
                return errno();
            }
        }
        let r = raw(libc::SYS_landlock_restrict_self, rs as u64, 0, 0, 0, 0);
        raw(libc::SYS_close, rs as u64, 0, 0, 0, 0);
        if r < 0 {
            errno()
        } else {
            0
        }
    }
}

// ---- mount_setattr ---------------------------------------------------------

#[repr(C)]
pub struct MountAttr {
    pub attr_set: u64,
    pub attr_clr: u64,
    pub propagation: u64,
    pub userns_fd: u64,
}
pub const MOUNT_ATTR_RDONLY: u64 = 0x1;
pub const MOUNT_ATTR_NOSUID: u64 = 0x2;
pub const MOUNT_ATTR_NODEV: u64 = 0x4;
pub const AT_RECURSIVE: u64 = 0x8000;
pub const SYS_MOUNT_SETATTR: libc::c_long = 442;

// ---- parent-side helpers ---------------------------------------------------

pub fn pidfd_send_signal(pidfd: RawFd, sig: i32) -> io::Result<()> {
    let r = unsafe {
        libc::syscall(
            libc::SYS_pidfd_send_signal,
            pidfd,
            sig,
            std::ptr::null::<u8>(),
            0,
        )
    };
    if r < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    }
}

/// Wait until the pidfd becomes readable (process exited) or `timeout` passes.
/// Returns true if the process has exited.
pub fn pidfd_wait_exit(pidfd: RawFd, timeout: std::time::Duration) -> bool {
    let deadline = std::time::Instant::now() + timeout;
    loop {
        let now = std::time::Instant::now();
        let rem = deadline.saturating_duration_since(now);
        let ts = libc::timespec {
            tv_sec: rem.as_secs() as libc::time_t,
            tv_nsec: rem.subsec_nanos() as libc::c_long,
        };
        let mut pfd = libc::pollfd {
            fd: pidfd,
            events: libc::POLLIN,
            revents: 0,
        };
        let r = unsafe { libc::ppoll(&mut pfd, 1, &ts, std::ptr::null()) };
        if r > 0 {
            return true;
        }
        if r == 0 {
            return false;
        }
        if errno() != libc::EINTR {
            return false;
        }
    }
}

/// Reap the process behind a pidfd (non-blocking). Returns Some(wait status) if reaped.
pub fn pidfd_reap(pidfd: RawFd) -> Option<i32> {
    pidfd_waitid(pidfd, libc::WEXITED | libc::WNOHANG)
}

/// Blocking reap; only call once the pidfd reported the exit (the pidfd can
/// become readable a moment before the zombie is reapable, e.g. while a
/// PID-namespace init is still zapping its namespace).
pub fn pidfd_reap_wait(pidfd: RawFd) -> Option<i32> {
    pidfd_waitid(pidfd, libc::WEXITED)
}

fn pidfd_waitid(pidfd: RawFd, flags: i32) -> Option<i32> {
    let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
    let r = loop {
        let r = unsafe { libc::waitid(libc::P_PIDFD, pidfd as libc::id_t, &mut info, flags) };
        if r != 0 && errno() == libc::EINTR {
            continue;
        }
        break r;
    };
    if r != 0 {
        return None;
    }
    let pid = unsafe { info.si_pid() };
    if pid == 0 {
        return None;
    }
    Some(unsafe { info.si_status() })
}

pub fn pipe_cloexec() -> io::Result<(RawFd, RawFd)> {
    let mut fds = [0i32; 2];
    let r = unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) };
    if r < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok((fds[0], fds[1]))
}

pub fn close(fd: RawFd) {
    if fd >= 0 {
        unsafe { libc::close(fd) };
    }
}

pub fn geteuid() -> u32 {
    unsafe { libc::geteuid() }
}

pub fn getegid() -> u32 {
    unsafe { libc::getegid() }
}

pub fn read_fd_to_end(fd: RawFd, buf: &mut Vec<u8>) {
    let mut chunk = [0u8; 256];
    loop {
        let r = unsafe { libc::read(fd, chunk.as_mut_ptr() as *mut libc::c_void, chunk.len()) };
        if r < 0 {
            if errno() == libc::EINTR {
                continue;
            }
            return;
        }
        if r == 0 {
            return;
        }
        buf.extend_from_slice(&chunk[..r as usize]);
    }
}

pub fn self_fd_count() -> usize {
    std::fs::read_dir("/proc/self/fd")
        .map(|d| d.count().saturating_sub(1))
        .unwrap_or(0)
}

/// While alive, the calling thread runs `SCHED_FIFO` (with
/// `SCHED_RESET_ON_FORK`, so nothing it spawns inherits it). Used for the
/// short window in which a request thread waits for the deadline, sends the
/// kill and timestamps the exit: at normal priority, on a machine busy with
/// the very workloads being killed, the wake-up alone took tens of ms.
/// Needs CAP_SYS_NICE or RLIMIT_RTPRIO; without them `active` is false and
/// the thread stays at normal priority.
pub struct RtWatch {
    pub active: bool,
}

impl RtWatch {
    pub fn enter() -> RtWatch {
        let p = libc::sched_param { sched_priority: 10 };
        // pid 0 = the calling thread
        let r = unsafe {
            libc::sched_setscheduler(0, libc::SCHED_FIFO | libc::SCHED_RESET_ON_FORK, &p)
        };
        RtWatch { active: r == 0 }
    }

    /// Whether this process may use the real-time watchdog at all.
    pub fn available() -> bool {
        std::thread::spawn(|| RtWatch::enter().active)
            .join()
            .unwrap_or(false)
    }
}

impl Drop for RtWatch {
    fn drop(&mut self) {
        if self.active {
            let p = libc::sched_param { sched_priority: 0 };
            unsafe { libc::sched_setscheduler(0, libc::SCHED_OTHER, &p) };
        }
    }
}

/// Put a process that already has SIGKILL pending on `SCHED_FIFO` 1 so its
/// exit is not delayed by ordinary work. Only for processes that can no
/// longer return to user space; errors (already gone) are ignored.
pub fn boost_dying(pid: i32) {
    let p = libc::sched_param { sched_priority: 1 };
    unsafe { libc::sched_setscheduler(pid, libc::SCHED_FIFO | libc::SCHED_RESET_ON_FORK, &p) };
}
