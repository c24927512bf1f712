//! Which isolation layers this host offers, found by trying them: each
//! namespace alone, then the full combination (dropping what makes it fail),
//! the in-child steps the child reports as skipped, and the cgroup
//! controllers. The kernel decides per combination (an unprivileged user
//! namespace may be allowed alone and refused together with a PID
//! namespace), so nothing here is inferred from versions or config files.

use super::cgroup::CgroupSetup;
use super::spawn::{self, ChildPlan, Iso};
use super::{sys, Layer};
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

/// Starts one child with the isolation `iso` (in the cgroup `cg` when given)
/// running `exit 0`: the layer works when the child starts and exits 0.
/// Returns the steps the child reported as skipped (errno per step).
fn try_sandbox(
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

/// The namespaces the executor can give a request, tried one at a time.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Namespace {
    User,
    Pid,
    Mount,
    Network,
    Ipc,
    Uts,
}

const NAMESPACES: &[(&str, Namespace)] = &[
    ("user-namespace", Namespace::User),
    ("pid-namespace", Namespace::Pid),
    ("mount-namespace", Namespace::Mount),
    ("network-namespace", Namespace::Network),
    ("ipc-namespace", Namespace::Ipc),
    ("uts-namespace", Namespace::Uts),
];

fn set_namespace(iso: &mut Iso, ns: Namespace, on: bool) {
    match ns {
        Namespace::User => iso.userns = on,
        Namespace::Pid => iso.pidns = on,
        Namespace::Mount => iso.mntns = on,
        Namespace::Network => iso.netns = on,
        Namespace::Ipc => iso.ipcns = on,
        Namespace::Uts => iso.utsns = on,
    }
}

/// Detect usable layers by actually trying them.
pub(super) fn detect_isolation(
    dir: &Path,
    cg: &CgroupSetup,
    disable: &[String],
) -> (Vec<Layer>, Iso) {
    let off = |n: &str| disable.iter().any(|d| d == n);
    let root = sys::geteuid() == 0;
    let mut layers = Vec::new();
    let mut iso = Iso::default();
    // namespaces, one at a time (with a user namespace when unprivileged)
    let mut userns_ok = false;
    for (name, ns) in NAMESPACES {
        if off(name) {
            layers.push(Layer {
                name,
                active: false,
                detail: "disabled by option".into(),
            });
            continue;
        }
        let mut t = Iso::default();
        set_namespace(&mut t, *ns, true);
        if !root && *ns != Namespace::User {
            t.userns = userns_ok;
        }
        match try_sandbox(&t, dir, None, name) {
            Ok(_) => {
                if *ns == Namespace::User {
                    userns_ok = true;
                }
                set_namespace(&mut iso, *ns, true);
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
        match try_sandbox(
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

pub(super) fn subreaper_acquire() {
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

pub(super) fn subreaper_release() {
    let mut g = SUBREAPER_USERS.lock().unwrap();
    g.0 = g.0.saturating_sub(1);
    if g.0 == 0 {
        unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, g.1 as libc::c_ulong, 0, 0, 0) };
    }
}

/// Detect which isolation layers are usable on this host (creates and
/// removes a temporary cgroup and directory).
pub fn detect_layers() -> Vec<Layer> {
    let Ok((dir, id)) = super::runner::new_run_dir() else {
        return Vec::new();
    };
    let cg = CgroupSetup::create(&format!("detect-{id}"), &[]);
    let (layers, _) = detect_isolation(&dir, &cg, &[]);
    cg.destroy();
    let _ = fs::remove_dir_all(&dir);
    layers
}
