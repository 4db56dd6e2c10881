//! What to build and how ([`BuildOptions`]), what a build did ([`Report`]), and the
//! stopwatch behind `--timings`.

use std::path::PathBuf;
use std::time::{Duration, Instant};

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
    /// Work out which files a full build removes from the output folder (a listing of the
    /// folder before it is replaced), for [`Report::changes`].
    pub list_changes: bool,
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
            list_changes: false,
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
    /// Faults that did not stop the build (a lead photo without alt text), to print.
    pub warnings: Vec<crate::error::Diagnostic>,
    /// Entries of `content/` outside articles/, authors/ and pages/, which were not read.
    pub ignored: Vec<PathBuf>,
    pub elapsed: Duration,
    /// Wall time of each stage, in order.
    pub timings: Vec<(&'static str, Duration)>,
    /// Articles and pages whose URL changed since the previous build of the same session
    /// (a new title or slug): (old file, new file), relative to the output folder.
    pub moved: Vec<(String, String)>,
    /// Files written and removed in the output folder (see [`FileChanges`]).
    pub changes: FileChanges,
    /// Article files parsed by this build, of `article_files`; the others came from the
    /// parse cache (or, in the preview, were kept from the last build).
    pub articles_parsed: usize,
    pub article_files: usize,
}

/// Wall time per build stage, for `--timings`.
pub(crate) struct Stopwatch {
    last: Instant,
    pub(crate) laps: Vec<(&'static str, Duration)>,
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

/// What a build did to the output folder, paths relative to it with `/`, sorted: for upload
/// scripts and CDN purges (`qissa build --changes FILE`). A full build lists every file as
/// written, and as removed the files the folder held before that it no longer holds (those
/// are known only when [`BuildOptions::list_changes`] is set).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FileChanges {
    pub written: Vec<String>,
    pub removed: Vec<String>,
}

impl FileChanges {
    /// Adds what a later step of the same build did: a file written again is listed once,
    /// and one written after being removed is no longer removed.
    pub fn merge(&mut self, later: FileChanges) {
        self.written.extend(later.written);
        self.removed.extend(later.removed);
        self.written.sort();
        self.written.dedup();
        let written: std::collections::HashSet<&String> = self.written.iter().collect();
        self.removed.retain(|f| !written.contains(f));
        self.removed.sort();
        self.removed.dedup();
    }

    /// The list as `qissa build --changes` writes it: one `written<TAB>path` or
    /// `removed<TAB>path` line per file.
    pub fn to_text(&self) -> String {
        let lines = self.written.iter().map(|f| format!("written\t{f}\n"));
        let gone = self.removed.iter().map(|f| format!("removed\t{f}\n"));
        lines.chain(gone).collect()
    }
}
