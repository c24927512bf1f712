// mimalloc (what ruff and many Rust CLIs ship): glibc's per-thread arenas
// grew by mprotect and page faults, a third of a one-config run (perf,
// bench/pipeline.sh), and malloc/free a fifth of evaluating policies.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    // regorus reports conditions it expects while it compiles and evaluates
    // policies as `anyhow` errors, and each captures a backtrace when
    // RUST_BACKTRACE=1 is set (as it is on many Rust developers' machines):
    // about a fifth of the CPU of a one-config run went to unwinding (perf,
    // bench/pipeline.sh). Library backtraces stay off unless
    // RUST_LIB_BACKTRACE asks for them; a panic still prints its backtrace as
    // RUST_BACKTRACE says. Set before any thread starts.
    if std::env::var_os("RUST_LIB_BACKTRACE").is_none() {
        std::env::set_var("RUST_LIB_BACKTRACE", "0");
    }
    let code = clawcheck::cli::main();
    // An interrupt being handled ends the process by its signal.
    clawcheck::cleanup::wait_if_interrupted();
    code
}
