//! Built-in probe workloads.
//!
//! Probes are `/bin/sh -c` scripts exec'd by the isolated child after its
//! sandbox is set up. Rationale: the executor runs inside a multi-threaded
//! host program (`clawcheck`), where running arbitrary Rust code after a fork
//! is unsafe (allocator/stdio locks may be held by other threads). Between
//! clone and exec the child only does raw syscalls; the hostile behaviour
//! (double forks, setsid, fd holding) is then done by ordinary processes,
//! which is exactly what a real agent tool call looks like to the kernel.
//!
//! Environment seen by every probe (the whole environment, allowlisted):
//! `PATH HOME TMPDIR LANG CLAWCHECK_LIVE_REQ CLAWCHECK_LIVE_SCRATCH
//! CLAWCHECK_LIVE_RUN_DIR CLAWCHECK_LIVE_SLEEP_SECS CLAWCHECK_LIVE_STATE_PATHS
//! CLAWCHECK_LIVE_ESCAPE_PATHS`.

pub const ALL: &[&str] = &[
    "well-behaved",
    "sleeper",
    "escaper",
    "fork-bomb",
    "scratch-writer",
    "state-leak",
    "fd-holder",
];

/// Hard bound on processes the fork-bomb creates (itself included), so it
/// can never take the machine down even without a pids cgroup.
pub const FORK_BOMB_MAX: u32 = 200;

pub fn script(name: &str) -> Option<String> {
    let s = match name {
        "well-behaved" => "echo well-behaved-ok\nexit 0\n".to_string(),
        // Sleeps far past any effective timeout; a child process so the
        // tree has >1 process.
        "sleeper" => "sleep \"$CLAWCHECK_LIVE_SLEEP_SECS\"\necho woke-up\n".to_string(),
        // setsid + double fork, then the main process exits immediately.
        "escaper" => r#"S="$CLAWCHECK_LIVE_SLEEP_SECS"
i=0
while [ $i -lt 4 ]; do
  setsid sh -c 'sleep "$1" & sleep "$1" & exit 0' escapee "$S" </dev/null >/dev/null 2>&1 &
  ( ( sleep "$S" </dev/null >/dev/null 2>&1 & ) & )
  i=$((i+1))
done
sleep 0.05
echo escaped
exit 0
"#
        .to_string(),
        "fork-bomb" => format!(
            r#"S="$CLAWCHECK_LIVE_SLEEP_SECS"
n=1
while [ $n -lt {FORK_BOMB_MAX} ]; do
  sleep "$S" </dev/null >/dev/null 2>&1 &
  n=$((n+1))
done
echo spawned $n
wait
"#
        ),
        "scratch-writer" => r#"d="$CLAWCHECK_LIVE_SCRATCH"
i=0
while [ $i -lt 20 ]; do echo "data $i" > "$d/file$i" || exit 3; i=$((i+1)); done
mkdir -p "$d/sub/dir" && echo nested > "$d/sub/dir/f" || exit 3
echo SCRATCH_OK
for p in $CLAWCHECK_LIVE_ESCAPE_PATHS; do
  if (echo escaped > "$p") 2>/dev/null; then echo "OUTSIDE_WRITE_OK $p"; else echo "OUTSIDE_WRITE_DENIED $p"; fi
done
exit 0
"#
        .to_string(),
        // Looks for state left by earlier requests, then leaves its own.
        "state-leak" => r#"for p in $CLAWCHECK_LIVE_STATE_PATHS "$CLAWCHECK_LIVE_SCRATCH/state"; do
  if [ -e "$p" ]; then echo "SEEN $p $(cat "$p" 2>/dev/null)"; fi
done
if command -v ipcs >/dev/null 2>&1; then
  q=$(ipcs -q 2>/dev/null | grep -c '^0x')
  if [ "$q" -gt 0 ]; then echo "SEEN sysv-msg-queues $q"; fi
fi
for p in $CLAWCHECK_LIVE_STATE_PATHS "$CLAWCHECK_LIVE_SCRATCH/state"; do
  if (echo "$CLAWCHECK_LIVE_REQ" > "$p") 2>/dev/null; then echo "WROTE $p"; fi
done
if command -v ipcmk >/dev/null 2>&1; then
  id=$(ipcmk -Q 2>/dev/null | sed -n 's/.*: *//p')
  [ -n "$id" ] && echo "IPCQ $id"
fi
exit 0
"#
        .to_string(),
        // Holds descriptors into scratch in background processes that
        // outlive the main process.
        "fd-holder" => r#"d="$CLAWCHECK_LIVE_SCRATCH"
exec 3>"$d/h3" 4>"$d/h4" 5>"$d/h5" 6<"$d" 7>"$d/h7"
sleep "$CLAWCHECK_LIVE_SLEEP_SECS" </dev/null >/dev/null 2>&1 &
setsid sleep "$CLAWCHECK_LIVE_SLEEP_SECS" </dev/null >/dev/null 2>&1 &
echo holding
exit 0
"#
        .to_string(),
        _ => return None,
    };
    Some(s)
}

/// Probes whose main process is expected to run into the timeout.
pub fn expects_timeout(name: &str) -> bool {
    matches!(name, "sleeper" | "fork-bomb")
}
