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
//! 3. [`content::load`] discovers articles, authors and pages (sorted, so builds are
//!    reproducible) and parses each in parallel: front matter is checked key by key and the
//!    body rendered by [`markdown`].
//! 4. [`site::Site::assemble`] resolves authors and categories, groups tags, leaves out drafts
//!    and future articles, lays out every URL and refuses two sources on one URL.
//! 5. [`render`] lists every output page and renders them in parallel into a staging folder
//!    ([`output::Staging`]), which replaces `public/` only if everything succeeded.
//!
//! Every fault found on the way is a [`error::Diagnostic`] naming file, line and key; a build
//! reports all of them at once and leaves the previous output untouched.

pub mod cli;
pub mod config;
pub mod content;
pub mod dates;
pub mod error;
pub mod markdown;
pub mod numbers;
pub mod output;
pub mod paginate;
pub mod render;
pub mod serve;
pub mod site;
pub mod statics;
pub mod templates;
pub mod text;
pub mod theme;
pub mod urls;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use config::Config;
use content::ParseContext;
use dates::DateFormatter;
use error::{BuildError, Diagnostic};
use markdown::MarkdownOptions;
use numbers::Counter;
use output::Staging;
use render::Renderer;
use site::{Site, SiteOptions};
use statics::StaticFiles;
use templates::Templates;
use theme::Theme;

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
}

/// Builds the site described by `options`.
pub fn build(options: &BuildOptions) -> Result<Report, BuildError> {
    let started = Instant::now();
    let mut clock = Stopwatch::start();
    let root = &options.root;
    let output = options.output_dir();
    let mut config = Config::load(root).map_err(BuildError::input)?;
    if let Some(url) = &options.base_url {
        config.set_base_url(url).map_err(|m| {
            BuildError::one(
                Diagnostic::new("--base-url", m)
                    .help("e.g. --base-url https://user.github.io/news/"),
            )
        })?;
    }
    check_output_location(root, &output)?;

    let theme = Theme::load(root, &config.theme).map_err(BuildError::one)?;
    let counter = Counter::new(&config.language, config.digits)
        .map_err(|m| BuildError::one(Diagnostic::new(config::CONFIG_FILE, m).key("language")))?;
    let counter = std::sync::Arc::new(counter);
    let templates = Templates::load(&theme, counter.clone());
    let statics = StaticFiles::new(&theme.statics);
    let ctx = ParseContext {
        timezone: config.timezone.clone(),
        markdown: MarkdownOptions {
            base_path: config.base_path.clone(),
            allow_html: false,
        },
    };
    clock.lap("config, theme and templates");
    let content = content::load(root, &ctx);
    clock.lap("read and parse content");
    // Report template and content faults together rather than one kind per run.
    let (mut templates, content) = match (templates, content) {
        (Ok(t), Ok(c)) => (t, c),
        (t, c) => {
            let mut errors = t.err().unwrap_or_default();
            errors.extend(c.err().unwrap_or_default());
            return Err(BuildError::input(errors));
        }
    };
    let site_options = SiteOptions {
        drafts: options.drafts,
        now: options.now.unwrap_or_else(jiff::Timestamp::now),
    };
    let site =
        Site::assemble(&config, content, &statics, &site_options).map_err(BuildError::input)?;
    let hijri = config.hijri.then_some(config.hijri_offset);
    let formatter = DateFormatter::new(&config.language, config.digits.as_str(), hijri)
        .map_err(|m| BuildError::one(Diagnostic::new(config::CONFIG_FILE, m).key("language")))?;
    templates.set_global("site", render::globals(&site, &config));
    clock.lap("assemble the site");

    let staging = Staging::create(&output).map_err(|e| BuildError::io(&output, e))?;
    let renderer = Renderer::new(&site, &config, &templates, &formatter, &counter);
    clock.lap("prepare dates and cards");
    let pages_written = write_pages(&renderer, &site, config.per_page, &staging)?;
    clock.lap("render and write pages");
    let files_copied = copy_statics(&statics, &staging)?;
    clock.lap("copy static files");
    staging.commit().map_err(|e| BuildError::io(&output, e))?;
    clock.lap("swap the output into place");

    Ok(Report {
        output,
        articles: site.entries.len(),
        pages_written,
        files_copied,
        future: site.future,
        drafts_skipped: site.drafts_skipped,
        merged_tags: site.merged_tags,
        ignored: site.ignored,
        elapsed: started.elapsed(),
        timings: clock.laps,
    })
}

/// Wall time per build stage, for `--timings`.
struct Stopwatch {
    last: Instant,
    laps: Vec<(&'static str, Duration)>,
}

impl Stopwatch {
    fn start() -> Self {
        Stopwatch {
            last: Instant::now(),
            laps: Vec::new(),
        }
    }

    /// Records the time since the previous lap under `stage`.
    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.laps.push((stage, now - self.last));
        self.last = now;
    }
}

/// Renders and writes every page in parallel; collects every template fault.
fn write_pages(
    renderer: &Renderer,
    site: &Site,
    per_page: usize,
    staging: &Staging,
) -> Result<usize, BuildError> {
    let jobs = render::jobs(site, per_page);
    let results: Vec<Result<(), BuildError>> = jobs
        .par_iter()
        .map(|job| {
            let (file, html) = renderer.render(*job).map_err(BuildError::one)?;
            staging.write(&file, &html).map_err(|e| {
                BuildError::io(
                    &staging
                        .path_of(&file)
                        .unwrap_or_else(|_| file.clone().into()),
                    e,
                )
            })
        })
        .collect();
    let mut diagnostics = Vec::new();
    for result in results {
        match result {
            Ok(()) => {}
            Err(BuildError::Input(mut d)) => diagnostics.append(&mut d),
            Err(io) => return Err(io),
        }
    }
    if diagnostics.is_empty() {
        Ok(jobs.len())
    } else {
        // One broken template line fails every page using it: report it once.
        diagnostics
            .sort_by(|a, b| (&a.file, a.line, &a.message).cmp(&(&b.file, b.line, &b.message)));
        diagnostics.dedup_by(|a, b| a.file == b.file && a.line == b.line && a.message == b.message);
        Err(BuildError::input(diagnostics))
    }
}

fn copy_statics(statics: &StaticFiles, staging: &Staging) -> Result<usize, BuildError> {
    let files: Vec<_> = statics.files().collect();
    files.par_iter().try_for_each(|(rel, file)| {
        let bytes = file
            .source
            .read()
            .map_err(|e| BuildError::io(&file.shown, e))?;
        staging
            .write(rel, &bytes)
            .map_err(|e| BuildError::io(&file.shown, e))
    })?;
    Ok(files.len())
}

/// The output folder is replaced wholesale, so it must never be the site itself, hold it,
/// or sit inside its sources.
fn check_output_location(root: &Path, output: &Path) -> Result<(), BuildError> {
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
    Ok(())
}
