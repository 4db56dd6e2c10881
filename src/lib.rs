//! qissa (قصة, "story") turns a newsroom's Markdown articles into a complete static news
//! site, right to left, ready for any static host.
//!
//! # The pipeline
//!
//! Data flows one way, and everything between reading and writing is pure:
//!
//! 1. [`config::Config::load`] reads and validates `site.yaml`.
//! 2. [`theme::Theme::load`] finds the theme (the site's `themes/<name>/`, or the built-in
//!    default) and the site's overrides; [`templates::Templates::load`] parses the templates.
//! 3. [`content::Sources::load`] discovers articles, authors and pages (sorted, so builds are
//!    reproducible) and parses each in parallel: front matter is checked key by key and the
//!    body rendered by [`markdown`].
//! 4. [`site::Site::assemble`] resolves authors and categories, groups tags, leaves out drafts
//!    and future articles, lays out every URL and refuses two sources on one URL.
//! 5. [`render`] lists every output page and renders them in parallel into a staging folder
//!    ([`output::Staging`]), which replaces `public/` only if everything succeeded.
//!
//! [`session::Session`] keeps all of this in memory between builds for the preview, so that
//! saving one article re-parses one file and re-renders only the pages that show it.
//!
//! Every fault found on the way is a [`error::Diagnostic`] naming file, line and key; a build
//! reports all of them at once and leaves the previous output untouched.

pub mod cache;
pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod dates;
pub mod error;
pub mod feeds;
pub mod markdown;
pub mod numbers;
pub mod output;
pub mod paginate;
pub mod render;
pub mod seo;
pub mod serve;
pub mod session;
pub mod site;
pub mod sitemaps;
pub mod statics;
pub mod templates;
pub mod text;
pub mod theme;
pub mod urls;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use error::{BuildError, Diagnostic};
pub use session::{Change, Session};

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site's folder (holding `site.yaml`).
    pub root: PathBuf,
    /// Where to write; default `<root>/public`.
    pub output: Option<PathBuf>,
    /// Include drafts.
    pub drafts: bool,
    /// Override `base_url` (preview deploys).
    pub base_url: Option<String>,
    /// "Now", for leaving out future articles; default the clock.
    pub now: Option<jiff::Timestamp>,
    /// Keep a build cache in `<root>/.qissa-cache/` and rewrite only what changed since the
    /// last build into the same output folder.
    pub cache: bool,
}

impl BuildOptions {
    /// Default options for the site at `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            drafts: false,
            base_url: None,
            now: None,
            cache: true,
        }
    }

    /// The output folder.
    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("public"))
    }
}

/// What a successful build did.
#[derive(Debug)]
pub struct Report {
    pub output: PathBuf,
    pub articles: usize,
    pub pages_written: usize,
    pub files_copied: usize,
    /// Articles left out because they are dated in the future: source and date.
    pub future: Vec<(PathBuf, String)>,
    pub drafts_skipped: usize,
    /// Tags written in several spellings and folded into one: (shown name, other spellings).
    pub merged_tags: Vec<(String, Vec<String>)>,
    /// Entries of `content/` outside articles/, authors/ and pages/, which were not read.
    pub ignored: Vec<PathBuf>,
    pub elapsed: Duration,
    /// Wall time of each stage, in order.
    pub timings: Vec<(&'static str, Duration)>,
    /// Articles and pages whose URL changed since the previous build of the same session
    /// (a new title or slug): (old file, new file), relative to the output folder.
    pub moved: Vec<(String, String)>,
}

/// Builds the site described by `options`, from scratch.
pub fn build(options: &BuildOptions) -> Result<Report, BuildError> {
    Session::new(options.clone()).build(Change::Everything)
}

/// Wall time per build stage, for `--timings`.
pub(crate) struct Stopwatch {
    last: Instant,
    laps: Vec<(&'static str, Duration)>,
}

impl Stopwatch {
    pub(crate) fn start() -> Self {
        Stopwatch {
            last: Instant::now(),
            laps: Vec::new(),
        }
    }

    /// Records the time since the previous lap under `stage`.
    pub(crate) fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.laps.push((stage, now - self.last));
        self.last = now;
    }
}

/// The output folder is replaced wholesale, so it must never be the site itself, hold it,
/// or sit inside its sources.
pub(crate) fn check_output_location(root: &Path, output: &Path) -> Result<(), BuildError> {
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let canonical_root = root.canonicalize().unwrap_or_else(|_| absolute(root));
    let parent = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let canonical_output = match (parent.canonicalize(), output.file_name()) {
        (Ok(dir), Some(name)) => dir.join(name),
        _ => absolute(output),
    };
    let inside_sources = ["content", "themes", "templates", "static"]
        .iter()
        .any(|dir| canonical_output.starts_with(canonical_root.join(dir)));
    if canonical_root.starts_with(&canonical_output)
        || inside_sources
        || output.file_name().is_none()
    {
        return Err(BuildError::one(
            Diagnostic::new(output, "refusing to use this folder for output: it holds the site's own files")
                .help("the output folder is replaced on every build; use a folder of its own, such as public/"),
        ));
    }
    // Without a trailing slash: `lstat("link/")` would follow the link.
    let unslashed: PathBuf = output.components().collect();
    if unslashed
        .symlink_metadata()
        .is_ok_and(|m| m.file_type().is_symlink())
    {
        return Err(BuildError::one(
            Diagnostic::new(output, "refusing to use a symbolic link as the output folder")
                .help("the output folder is replaced on every build, which would not replace the link's target; pass the real folder"),
        ));
    }
    if holds_foreign_files(output) {
        return Err(BuildError::one(
            Diagnostic::new(output, "refusing to replace this folder: it is not empty and qissa did not build it")
                .help(format!(
                    "the output folder is replaced on every build; choose a new or empty folder, or delete \
                     this one if nothing in it is needed (qissa marks its own output with {})",
                    output::OUTPUT_MARKER
                )),
        ));
    }
    Ok(())
}

/// Whether `dir` exists with files in it but without the marker of an earlier qissa build:
/// replacing it could destroy someone's work (`--output ~/Documents`).
fn holds_foreign_files(dir: &Path) -> bool {
    if dir.is_file() {
        return true;
    }
    let Ok(mut entries) = std::fs::read_dir(dir) else {
        return false; // does not exist yet
    };
    entries.next().is_some() && !dir.join(output::OUTPUT_MARKER).is_file()
}
