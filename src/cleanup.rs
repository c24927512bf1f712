//! Temporary files removed when clawcheck is interrupted. A file registered
//! here (the temp file of an atomic report write) is removed by a signal
//! thread on SIGINT, SIGTERM, SIGHUP or SIGQUIT, after which the signal's
//! default action runs (the process dies of it, as it would have without the
//! handler). On the normal and error paths the [`Registered`] guard's owner
//! removes or renames the file itself; the guard only unregisters it.
//!
//! Work that must not outlive the process (a `--live` run's cgroups, probe
//! processes and scratch directory) registers a hook with [`on_interrupt`]:
//! the signal thread runs every hook before it removes the files.
//!
//! The handler is `signal-hook`'s iterator: the signal itself only writes to
//! a pipe, and the removal runs on an ordinary thread, so nothing that is not
//! async-signal-safe runs in signal context.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// Set by the signal thread before it cleans up: from then on the process
/// ends by the signal, never by a normal return that would race it.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Called where the process would end normally: once an interrupt is being
/// handled, waits for the signal thread to end the process by the signal
/// (the cleanup it runs, e.g. killing a `--live` run's processes, can let the
/// main thread finish first and exit with an ordinary status).
pub fn wait_if_interrupted() {
    while INTERRUPTED.load(Ordering::SeqCst) {
        std::thread::park_timeout(std::time::Duration::from_millis(100));
    }
}

type Hook = Arc<dyn Fn() + Send + Sync>;

fn hooks() -> &'static Mutex<Vec<(u64, Hook)>> {
    static HOOKS: Mutex<Vec<(u64, Hook)>> = Mutex::new(Vec::new());
    &HOOKS
}

/// Signals that end the process and deserve a cleanup first.
const SIGNALS: [i32; 4] = [
    signal_hook::consts::SIGINT,
    signal_hook::consts::SIGTERM,
    signal_hook::consts::SIGHUP,
    signal_hook::consts::SIGQUIT,
];

fn registry() -> &'static Mutex<Vec<PathBuf>> {
    static PATHS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
    &PATHS
}

/// Installs the signal thread once. Later calls return the first outcome.
pub fn install() -> Result<(), String> {
    static INSTALLED: OnceLock<Result<(), String>> = OnceLock::new();
    INSTALLED
        .get_or_init(|| {
            let mut signals = signal_hook::iterator::Signals::new(SIGNALS)
                .map_err(|e| format!("cannot install the signal handler: {e}"))?;
            std::thread::Builder::new()
                .name("clawcheck-cleanup".into())
                .spawn(move || {
                    if let Some(sig) = signals.forever().next() {
                        INTERRUPTED.store(true, Ordering::SeqCst);
                        run_hooks();
                        remove_registered();
                        // Die of the signal, as without a handler (exit status,
                        // a parent shell's reaction to SIGINT).
                        let _ = signal_hook::low_level::emulate_default_handler(sig);
                        std::process::exit(128 + sig);
                    }
                })
                .map(|_| ())
                .map_err(|e| format!("cannot start the signal thread: {e}"))
        })
        .clone()
}

fn run_hooks() {
    // Called outside the lock: a hook may take its time (kill, wait, rmdir).
    let hooks: Vec<Hook> = hooks()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .map(|(_, h)| h.clone())
        .collect();
    for h in hooks {
        h();
    }
}

/// Runs `hook` if the process is interrupted (SIGINT, SIGTERM, SIGHUP,
/// SIGQUIT) while the guard lives, once [`install`] was called.
#[must_use = "the hook is unregistered when the guard is dropped"]
pub struct Hooked(u64);

pub fn on_interrupt(hook: impl Fn() + Send + Sync + 'static) -> Hooked {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let id = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    hooks()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push((id, Arc::new(hook)));
    Hooked(id)
}

impl Drop for Hooked {
    fn drop(&mut self) {
        hooks()
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|(id, _)| *id != self.0);
    }
}

fn remove_registered() {
    let paths = registry().lock().unwrap_or_else(|e| e.into_inner());
    for p in paths.iter() {
        let _ = std::fs::remove_file(p);
    }
}

/// Removes `path` if the process is interrupted while the guard lives.
#[must_use = "the path is unregistered when the guard is dropped"]
pub struct Registered(PathBuf);

pub fn register(path: &Path) -> Registered {
    registry()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(path.to_path_buf());
    Registered(path.to_path_buf())
}

impl Drop for Registered {
    fn drop(&mut self) {
        let mut paths = registry().lock().unwrap_or_else(|e| e.into_inner());
        if let Some(i) = paths.iter().rposition(|p| *p == self.0) {
            paths.swap_remove(i);
        }
    }
}

/// Writes `bytes` to a temporary file beside `path`, then renames it over
/// `path`: a reader never sees a half-written file, and a failure leaves the
/// old one in place. The temporary file has an unpredictable name and is
/// created exclusively (`O_CREAT|O_EXCL`, which also refuses to follow a
/// symlink planted at that name) with `permissions` (reports: 0666 less the
/// umask; `--fix`: the fixed file's own); it is removed on every path that
/// does not rename it (an error, a panic, an interrupting signal).
///
/// A relative `path` with a symbolic link among its directories is refused.
///
/// Not renamed over: `/dev/stdout` and `/dev/stderr` (the streams are
/// written), and an existing character device or FIFO (`--output /dev/null`,
/// a named pipe), which is written in place; renaming over those as root
/// used to replace the machine's `/dev/null` with a regular file.
pub fn write_atomic(
    path: &Path,
    bytes: &[u8],
    permissions: Option<std::fs::Permissions>,
) -> std::io::Result<()> {
    use std::io::Write;
    install().map_err(std::io::Error::other)?;
    if let Some(special) = special_target(path)? {
        return write_in_place(path, special, bytes);
    }
    if let Some(link) = linked_directory(path) {
        return Err(std::io::Error::other(format!(
            "{} is a symbolic link: nothing is written through one",
            link.display()
        )));
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report".into());
    let prefix = format!(".{name}.");
    // Registered for removal before it exists: a signal between creating the
    // file and registering it would otherwise leave it behind.
    let mut tmp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".clawcheck.tmp")
        .make_in(dir, |p| {
            let registered = register(p);
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
                options
                    .mode(permissions.as_ref().map_or(0o600, |p| p.mode()))
                    .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC);
            }
            #[cfg(not(unix))]
            let _ = &permissions;
            options.open(p).map(|file| (file, registered))
        })?;
    let file = &mut tmp.as_file_mut().0;
    file.write_all(bytes)?;
    file.sync_all()?;
    test_pause();
    // Renamed: the registration (dropped here) has nothing left to remove.
    let (_file, _registered) = tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// The first directory on the way to a relative `path` that is a symbolic
/// link, if any: a scanned repository may have planted one
/// (`reports -> /elsewhere`, `deploy -> ../outside` for
/// `--fix deploy/openclaw.json`). An absolute path's directories are the
/// user's own.
pub fn linked_directory(path: &Path) -> Option<&Path> {
    if path.is_absolute() {
        return None;
    }
    path.ancestors()
        .skip(1)
        .filter(|p| !p.as_os_str().is_empty())
        .find(|p| std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink()))
}

/// What sits at an output path that must not be renamed over.
#[derive(Clone, Copy)]
enum Special {
    /// `/dev/stdout`, `/dev/stderr`: symlinks into `/proc/self/fd`, named
    /// for the standard streams. Renaming over them (as root) would replace
    /// the machine's link with a regular file.
    Stdout,
    Stderr,
    /// An existing character device (`/dev/null`, a terminal) or FIFO:
    /// written in place, as a shell's `>` would, since renaming over it would
    /// replace the device node with a regular file. Opened with
    /// `O_NOFOLLOW`, so a symlink swapped in meanwhile is refused.
    Node,
}

/// `Some` when `path` must be written in place rather than replaced; an
/// error for a target no report belongs in (a block device, a socket).
fn special_target(path: &Path) -> std::io::Result<Option<Special>> {
    if path == Path::new("/dev/stdout") {
        return Ok(Some(Special::Stdout));
    }
    if path == Path::new("/dev/stderr") {
        return Ok(Some(Special::Stderr));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let Ok(meta) = std::fs::symlink_metadata(path) else {
            return Ok(None);
        };
        let kind = meta.file_type();
        if kind.is_char_device() || kind.is_fifo() {
            return Ok(Some(Special::Node));
        }
        if kind.is_block_device() || kind.is_socket() {
            return Err(std::io::Error::other(
                "is a block device or a socket, not a place for a report",
            ));
        }
    }
    Ok(None)
}

fn write_in_place(path: &Path, special: Special, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    match special {
        Special::Stdout => {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes)?;
            out.flush()
        }
        Special::Stderr => std::io::stderr().lock().write_all(bytes),
        Special::Node => {
            let mut options = std::fs::OpenOptions::new();
            options.write(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC);
            }
            let mut file = options.open(path)?;
            // Checked again on the open file: the node may have been
            // replaced between the look and the open.
            #[cfg(unix)]
            {
                use std::os::unix::fs::FileTypeExt;
                let kind = file.metadata()?.file_type();
                if !(kind.is_char_device() || kind.is_fifo()) {
                    return Err(std::io::Error::other(
                        "changed while it was being opened; not written",
                    ));
                }
            }
            file.write_all(bytes)?;
            file.flush()
        }
    }
}

/// Test hook: `CLAWCHECK_TEST_WRITE_PAUSE_MS` holds a temporary file open
/// this long before the rename, so that a test can interrupt the process at
/// that moment (tests/hostile_cli.rs). At most 10 s.
fn test_pause() {
    if let Some(ms) = std::env::var("CLAWCHECK_TEST_WRITE_PAUSE_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    {
        std::thread::sleep(std::time::Duration::from_millis(ms.min(10_000)));
    }
}
