//! The builder: what to build ([`BuildOptions`]), the [`Session`] that runs the
//! pipeline and keeps it in memory between builds, the build cache, and the output folder —
//! the only place that writes to disk — with the checks that keep a build from replacing a
//! folder it must not.

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
pub use session::{Change, Session};

/// Builds the site described by `options`, from scratch.
pub fn build(options: &BuildOptions) -> Result<Report, BuildError> {
    let mut session = Session::new(options.clone());
    session.builds_once();
    session.build(Change::Everything)
}
