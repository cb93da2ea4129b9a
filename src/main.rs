//! The `reportlint` binary: a thin entry point into the command-line shell.

fn main() -> std::process::ExitCode {
    reportlint::cli::main()
}
