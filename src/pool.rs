//! rayon's global pool, which runs the phases after a run's checks that
//! have enough work to share (the redaction gate over many findings, the
//! JSON report of many), sized by the run's thread count.

/// The thread count of the process's first run ([`parallel_phases`]).
static RUN_THREADS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();

/// Records the run's thread count (`--threads`, capped) for
/// [`parallel_phases`]; the first run of a process sets it.
pub fn set_run_threads(threads: usize) {
    let _ = RUN_THREADS.set(threads);
}

/// Makes the global pool with the run's thread count; called before its
/// first use, so that a run with little to report starts no thread for it.
/// Only the first run of a process sets the count (later ones keep it:
/// tests).
pub fn parallel_phases() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let threads = RUN_THREADS.get().copied().unwrap_or(0);
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build_global();
    });
}
