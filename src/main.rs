//! The `qissa` binary: everything lives in the library; see `qissa::cli`.
//!
//! Its allocator is mimalloc: glibc's per-thread arenas kept more of what the threads
//! rendering pages and the one building the search index had freed; mimalloc lowered the
//! peak resident memory of a 20,000-article build from 351 to about 300 MB, at the same
//! speed (see BENCHMARKS.md, 2026-12-03).

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    qissa::cli::run()
}
