//! The site's sources: finding them on disk, then parsing each one.
//!
//! Discovery walks `content/articles/` (any depth: folders are for people, they don't set the
//! category), `content/authors/` and `content/pages/` in sorted order so builds are
//! reproducible, and skips hidden and editor temp files. Parsing reads and parses every file
//! in parallel; each parse is independent of the others, and every fault in every file is
//! collected before the build gives up.

pub mod article;
pub mod author;
pub mod author_links;
pub mod body;
pub mod fields;
pub mod frontmatter;
pub mod html_images;
pub mod markdown;
pub mod page;
pub mod parse;
pub mod parse_cache;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use unicode_normalization::UnicodeNormalization;
use walkdir::WalkDir;

pub use article::Article;
pub use author::Author;
pub use page::Page;
pub use parse::{Located, ParseContext};
pub use parse_cache::{ParseCache, TextWriter};

use crate::error::Diagnostic;
use body::{Body, BodyText};

/// Where sources live, relative to the site root.
pub const ARTICLES_DIR: &str = "content/articles";
pub const AUTHORS_DIR: &str = "content/authors";
pub const PAGES_DIR: &str = "content/pages";

/// Parsed sources of a site, as one build sees them.
#[derive(Debug, Default, Clone)]
pub struct Content {
    pub articles: Vec<Arc<Article>>,
    pub authors: Vec<Arc<Author>>,
    pub pages: Vec<Arc<Page>>,
    /// Files and folders in `content/` that qissa does not read, for a warning.
    pub ignored: Vec<PathBuf>,
}

/// The outcome of parsing one file.
type Parsed<T> = Result<Arc<T>, Vec<Diagnostic>>;

/// Every source file of a site, parsed, by path relative to the root. Kept between builds by
/// the preview, so that saving one article re-reads and re-parses only that article.
#[derive(Debug, Default)]
pub struct Sources {
    articles: BTreeMap<PathBuf, Parsed<Article>>,
    authors: BTreeMap<PathBuf, Parsed<Author>>,
    pages: BTreeMap<PathBuf, Parsed<Page>>,
    /// Folders that could not be walked.
    walk_errors: Vec<Diagnostic>,
    /// Articles parsed by the last load or refresh (the rest came from the parse cache or
    /// were kept).
    parsed_now: usize,
}

/// Which of the three kinds of source a path holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Article,
    Author,
    Page,
}

impl Kind {
    const ALL: [(Kind, &'static str); 3] = [
        (Kind::Article, ARTICLES_DIR),
        (Kind::Author, AUTHORS_DIR),
        (Kind::Page, PAGES_DIR),
    ];

    /// The kind of source at `rel` (relative to the root), if it is under one of the folders.
    fn of(rel: &Path) -> Option<Kind> {
        Kind::ALL
            .iter()
            .find(|(_, dir)| rel.starts_with(dir))
            .map(|(kind, _)| *kind)
    }
}

impl Sources {
    /// Finds and parses every source under `root`, in parallel.
    pub fn load(root: &Path, ctx: &ParseContext) -> Sources {
        Sources::load_cached(root, ctx, None, &mut |_| {})
    }

    /// [`Sources::load`], taking from `cache` the articles parsed by an earlier build and
    /// recording the new parses in it. `fresh_bodies` is given the body text of every
    /// article parsed now, with its version, a batch at a time, while the next batch is
    /// parsed (search counts their words meanwhile).
    pub fn load_cached(
        root: &Path,
        ctx: &ParseContext,
        mut cache: Option<&mut ParseCache>,
        fresh_bodies: &mut dyn FnMut(Vec<(u64, Arc<BodyText>)>),
    ) -> Sources {
        let mut sources = Sources::default();
        for (kind, dir) in Kind::ALL {
            let files = markdown_files(root, dir, &mut sources.walk_errors);
            match (kind, cache.as_deref_mut()) {
                (Kind::Article, Some(cache)) => {
                    let (parsed, fresh) =
                        parse_articles_cached(root, &files, ctx, cache, fresh_bodies);
                    sources.articles.extend(parsed);
                    sources.parsed_now = fresh;
                }
                _ => sources.parse_files(root, kind, &files, ctx),
            }
        }
        sources
    }

    /// Articles parsed by the last [`Sources::load_cached`] or [`Sources::refresh`].
    pub fn parsed_now(&self) -> usize {
        self.parsed_now
    }

    /// Article files found, whether they parsed or not.
    pub fn article_files(&self) -> usize {
        self.articles.len()
    }

    /// Re-reads what changed at `paths` (absolute, or relative to `root`): files are
    /// re-parsed, deleted ones forgotten, and folders that appeared or vanished walked again.
    pub fn refresh(&mut self, root: &Path, paths: &[PathBuf], ctx: &ParseContext) {
        self.parsed_now = 0;
        for path in paths {
            let rel = path.strip_prefix(root).unwrap_or(path).to_path_buf();
            let Some(kind) = Kind::of(&rel) else { continue };
            self.forget_under(kind, &rel);
            self.walk_errors.retain(|e| !e.file.starts_with(&rel));
            let absolute = root.join(&rel);
            let files = if absolute.is_dir() {
                markdown_files(root, &rel.to_string_lossy(), &mut self.walk_errors)
            } else if is_source_file(&absolute, &rel) {
                vec![rel]
            } else {
                Vec::new()
            };
            self.parse_files(root, kind, &files, ctx);
        }
    }

    /// The article file at `path` (absolute, or relative to `root`) as last parsed: `None`
    /// when it is not an article file, is gone, or failed to parse.
    pub fn parsed_article(&self, root: &Path, path: &Path) -> Option<Arc<Article>> {
        let rel = path.strip_prefix(root).unwrap_or(path);
        self.articles.get(rel)?.as_ref().ok().cloned()
    }

    fn forget_under(&mut self, kind: Kind, rel: &Path) {
        match kind {
            Kind::Article => forget(&mut self.articles, rel),
            Kind::Author => forget(&mut self.authors, rel),
            Kind::Page => forget(&mut self.pages, rel),
        }
    }

    fn parse_files(&mut self, root: &Path, kind: Kind, files: &[PathBuf], ctx: &ParseContext) {
        if kind == Kind::Article {
            self.parsed_now += files.len();
        }
        match kind {
            Kind::Article => self.articles.extend(parse_all(root, files, |rel, bytes| {
                article::parse_article(rel, bytes, ctx)
            })),
            Kind::Author => self.authors.extend(parse_all(root, files, |rel, bytes| {
                author::parse_author(&stem(rel), rel, bytes, ctx)
            })),
            Kind::Page => self.pages.extend(parse_all(root, files, |rel, bytes| {
                page::parse_page(&stem(rel), rel, bytes, ctx)
            })),
        }
    }

    /// The sources that parsed, in path order, and every fault of those that did not. The
    /// good part still goes through the later checks, so one run reports every fault.
    pub fn content(&self, root: &Path) -> (Content, Vec<Diagnostic>) {
        let mut errors = self.walk_errors.clone();
        let content = Content {
            articles: collect(&self.articles, &mut errors),
            authors: collect(&self.authors, &mut errors),
            pages: collect(&self.pages, &mut errors),
            ignored: stray_entries(root),
        };
        (content, errors)
    }
}

/// Removes `rel` and everything under it. Paths order by components, so a folder's files
/// follow it directly: a range, not a scan of every source.
fn forget<T>(parsed: &mut BTreeMap<PathBuf, Parsed<T>>, rel: &Path) {
    let doomed: Vec<PathBuf> = parsed
        .range(rel.to_path_buf()..)
        .take_while(|(path, _)| path.starts_with(rel))
        .map(|(path, _)| path.clone())
        .collect();
    for path in doomed {
        parsed.remove(&path);
    }
}

fn collect<T>(parsed: &BTreeMap<PathBuf, Parsed<T>>, errors: &mut Vec<Diagnostic>) -> Vec<Arc<T>> {
    let mut items = Vec::with_capacity(parsed.len());
    for result in parsed.values() {
        match result {
            Ok(item) => items.push(item.clone()),
            Err(e) => errors.extend(e.iter().cloned()),
        }
    }
    items
}

/// What identifies a parse: a hash of the file's path and bytes. Equal in every process, so
/// page fingerprints built from it can be kept between builds (see [`crate::builder::cache`]).
pub fn content_version(rel: &Path, bytes: &[u8]) -> u64 {
    crate::hash::stable_hash((rel, bytes))
}

/// Reads every article of `files`, parsing only those `cache` lacks, in parallel; records
/// the new parses in the cache. Returns them all, and how many were parsed.
fn parse_articles_cached(
    root: &Path,
    files: &[PathBuf],
    ctx: &ParseContext,
    cache: &mut ParseCache,
    fresh_bodies: &mut dyn FnMut(Vec<(u64, Arc<BodyText>)>),
) -> (Vec<(PathBuf, Parsed<Article>)>, usize) {
    let mut texts = cache.text_writer();
    let mut sources = Vec::with_capacity(files.len());
    let mut fresh = Vec::new();
    let mut live = HashSet::new();
    for batch in files.chunks(PARSE_BATCH) {
        let mut results: Vec<Reading> = batch
            .par_iter()
            .map(|rel| read_article(root, rel, ctx, cache))
            .collect();
        fresh_bodies(bodies_of(&results));
        if let Some(writer) = texts.as_mut() {
            store_texts(writer, &mut results);
        }
        for reading in results {
            live.extend(reading.key);
            let parsed = match reading.parsed {
                Ok(Cached(article)) => Ok(article),
                Ok(Fresh(article)) => {
                    let article = Arc::new(*article);
                    fresh.extend(reading.key.map(|key| (key, article.clone())));
                    Ok(article)
                }
                Err(errors) => Err(errors),
            };
            sources.push((reading.rel, parsed));
        }
    }
    let parsed = fresh.len();
    cache.store(texts, fresh, &live);
    (sources, parsed)
}

/// Files parsed at a time: their body texts are written to the parse cache's texts file
/// before the next batch, so a large site never holds every body in memory.
const PARSE_BATCH: usize = 1024;

/// An article file read: its content version (when readable) and its parse.
struct Reading {
    rel: PathBuf,
    key: Option<u64>,
    parsed: Result<Origin, Vec<Diagnostic>>,
}

/// Where a parse came from.
enum Origin {
    Cached(Arc<Article>),
    Fresh(Box<Article>),
}
use Origin::{Cached, Fresh};

fn read_article(root: &Path, rel: &Path, ctx: &ParseContext, cache: &ParseCache) -> Reading {
    let bytes = match std::fs::read(root.join(rel)) {
        Ok(bytes) => bytes,
        Err(e) => {
            return Reading {
                rel: rel.to_path_buf(),
                key: None,
                parsed: Err(vec![unreadable(rel, &e)]),
            };
        }
    };
    let key = content_version(rel, &bytes);
    let parsed = match cache.get(key) {
        Some(article) => Ok(Cached(article)),
        None => article::parse_article(rel, &bytes, ctx).map(|a| Fresh(Box::new(a))),
    };
    Reading {
        rel: rel.to_path_buf(),
        key: Some(key),
        parsed,
    }
}

/// The body texts of a batch's fresh parses, with their articles' versions.
fn bodies_of(batch: &[Reading]) -> Vec<(u64, Arc<BodyText>)> {
    batch
        .iter()
        .filter_map(|r| match &r.parsed {
            Ok(Fresh(article)) => match &article.body.full {
                Body::InMemory(text) => Some((article.version, Arc::clone(text))),
                Body::Stored(_) => None,
            },
            _ => None,
        })
        .collect()
}

/// Moves the body texts of a batch's fresh parses into the texts file. If it cannot be
/// written, they stay in memory: the build goes on, only bigger.
fn store_texts(writer: &mut TextWriter, batch: &mut [Reading]) {
    let mut fresh: Vec<&mut Article> = batch
        .iter_mut()
        .filter_map(|r| match &mut r.parsed {
            Ok(Fresh(article)) => Some(&mut **article),
            _ => None,
        })
        .collect();
    let _ = writer.store_all(&mut fresh);
}

fn unreadable(rel: &Path, error: &std::io::Error) -> Diagnostic {
    Diagnostic::new(rel, format!("cannot read the file: {error}"))
        .help("check that the file exists and that you may read it")
}

/// Reads and parses `files` in parallel.
fn parse_all<T: Send + Sync>(
    root: &Path,
    files: &[PathBuf],
    parse: impl Fn(&Path, &[u8]) -> Result<T, Vec<Diagnostic>> + Sync,
) -> Vec<(PathBuf, Parsed<T>)> {
    files
        .par_iter()
        .map(|rel| {
            let parsed = std::fs::read(root.join(rel))
                .map_err(|e| vec![unreadable(rel, &e)])
                .and_then(|bytes| parse(rel, &bytes))
                .map(Arc::new);
            (rel.clone(), parsed)
        })
        .collect()
}

/// A Markdown source file (at `absolute`, `rel` inside the site) that is not hidden or an
/// editor's temporary file.
fn is_source_file(absolute: &Path, rel: &Path) -> bool {
    absolute.is_file()
        && rel.extension().is_some_and(|x| x == "md")
        && !rel.components().any(|c| is_hidden_or_temp(c.as_os_str()))
}

/// The `.md` files under `root/dir`, relative to `root`, sorted.
fn markdown_files(root: &Path, dir: &str, errors: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let base = root.join(dir);
    if !base.is_dir() {
        return Vec::new();
    }
    let mut files = Vec::new();
    let walk = WalkDir::new(&base)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden_or_temp(e.file_name()));
    for entry in walk {
        match entry {
            // A symbolic link to a file is read like the file (folders are not followed, so a
            // link loop cannot trap the walk).
            Ok(e)
                if (e.file_type().is_file() || e.path_is_symlink() && e.path().is_file())
                    && e.path().extension().is_some_and(|x| x == "md") =>
            {
                let rel = e.path().strip_prefix(root).unwrap_or(e.path());
                files.push(rel.to_path_buf());
            }
            Ok(_) => {}
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| p.strip_prefix(root).unwrap_or(p).to_path_buf());
                errors.push(
                    Diagnostic::new(path.unwrap_or_else(|| PathBuf::from(dir)), format!("cannot read: {e}"))
                        .help("check the folder's permissions and that no symbolic link points back into itself"),
                );
            }
        }
    }
    files
}

/// Entries of `content/` outside the three folders qissa reads: likely misplaced articles.
fn stray_entries(root: &Path) -> Vec<PathBuf> {
    let known = ["articles", "authors", "pages"];
    let mut stray: Vec<PathBuf> = std::fs::read_dir(root.join("content"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| !is_hidden_or_temp(&e.file_name()))
        .filter(|e| !known.iter().any(|k| e.file_name() == *k))
        .map(|e| PathBuf::from("content").join(e.file_name()))
        .collect();
    stray.sort();
    stray
}

/// Dotfiles and editors' backup, swap and lock files are never content.
pub fn is_hidden_or_temp(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || [
            ".swp",
            ".swx",
            ".tmp",
            ".bak",
            ".kate-swp",
            "___jb_tmp___",
            "___jb_old___",
        ]
        .iter()
        .any(|suffix| name.ends_with(suffix))
}

/// A file's stem in NFC (macOS tools hand out NFD names).
fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().nfc().collect())
        .unwrap_or_default()
}
