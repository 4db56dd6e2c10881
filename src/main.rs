//! The `qissa` binary: everything lives in the library; see `qissa::cli`.

fn main() -> std::process::ExitCode {
    qissa::cli::run()
}
