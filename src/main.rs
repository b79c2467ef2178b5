//! The binary: everything lives in the library; this only returns its exit status.

fn main() -> std::process::ExitCode {
    proone_sync::cli::main()
}
