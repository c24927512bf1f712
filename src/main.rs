// The check pipeline allocates many small values (JSON trees, Rego values);
// mimalloc is markedly faster than glibc malloc for that pattern.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    clawcheck::cli::main()
}
