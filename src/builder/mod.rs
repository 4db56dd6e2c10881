//! The builder: what to build ([`BuildOptions`]), the [`Session`] that runs the
//! pipeline and keeps it in memory between builds, the build cache, and the output folder —
//! the only place that writes to disk — with the checks that keep a build from replacing a
//! folder it must not.

mod body_tallies;
pub mod cache;
pub mod options;
pub mod output;
mod photos;
mod prepare;
mod publish;
pub mod safety;
pub mod search;
mod search_disk;
pub mod session;

use crate::error::BuildError;
pub use options::{BuildOptions, Report};
pub use session::{Change, PagesOut, PagesReady, Session};

/// Builds the site described by `options`, from scratch.
pub fn build(options: &BuildOptions) -> Result<Report, BuildError> {
    one_build(options).build(Change::Everything)
}

/// [`build`] for a process that ends right after (`qissa build`): what the build kept in
/// memory is left for the operating system to reclaim at exit instead of being freed piece
/// by piece, which took about 60 ms at 10,000 articles.
pub fn build_once(options: &BuildOptions) -> Result<Report, BuildError> {
    let mut session = one_build(options);
    let report = session.build(Change::Everything);
    std::mem::forget(session);
    report
}

/// A session for a single build: it keeps nothing for a next one. (`qissa build` once kept
/// every article's search analysis and the preview's site state, about 0.3 GB at 100,000
/// articles, because it made its session apart from [`build`].)
fn one_build(options: &BuildOptions) -> Session {
    let mut session = Session::new(options.clone());
    session.builds_once();
    session
}
