fn main() -> std::process::ExitCode {
    let code = clawcheck::cli::main();
    // An interrupt being handled ends the process by its signal.
    clawcheck::cleanup::wait_if_interrupted();
    code
}
