fn main() -> std::process::ExitCode {
    clawcheck::cli::main()
}
