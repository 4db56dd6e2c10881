//! The site's sources: finding them on disk, then parsing each one.
//!
//! Discovery walks `content/articles/` (any depth: folders are for people, they don't set the
//! category), `content/authors/` and `content/pages/` in sorted order so builds are
//! reproducible, and skips hidden and editor temp files. Parsing reads and parses every file
//! in parallel; each parse is independent of the others, and every fault in every file is
//! collected before the build gives up.

pub mod article;
pub mod author;
pub mod fields;
pub mod frontmatter;
pub mod page;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use unicode_normalization::UnicodeNormalization;
use walkdir::WalkDir;

pub use article::{Article, Located, ParseContext};
pub use author::Author;
pub use page::Page;

use crate::error::Diagnostic;

/// Where sources live, relative to the site root.
pub const ARTICLES_DIR: &str = "content/articles";
pub const AUTHORS_DIR: &str = "content/authors";
pub const PAGES_DIR: &str = "content/pages";

/// All parsed sources of a site.
#[derive(Debug, Default)]
pub struct Content {
    pub articles: Vec<Article>,
    pub authors: Vec<Author>,
    pub pages: Vec<Page>,
    /// Files and folders in `content/` that qissa does not read, for a warning.
    pub ignored: Vec<PathBuf>,
}

/// Finds and parses every source under `root`.
pub fn load(root: &Path, ctx: &ParseContext) -> Result<Content, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let articles = markdown_files(root, ARTICLES_DIR, &mut errors);
    let authors = markdown_files(root, AUTHORS_DIR, &mut errors);
    let pages = markdown_files(root, PAGES_DIR, &mut errors);

    let articles = parse_all(root, &articles, &mut errors, |rel, bytes| {
        article::parse_article(rel, bytes, ctx)
    });
    let authors = parse_all(root, &authors, &mut errors, |rel, bytes| {
        author::parse_author(&stem(rel), rel, bytes, ctx)
    });
    let pages = parse_all(root, &pages, &mut errors, |rel, bytes| {
        page::parse_page(&stem(rel), rel, bytes, ctx)
    });
    if errors.is_empty() {
        Ok(Content {
            articles,
            authors,
            pages,
            ignored: stray_entries(root),
        })
    } else {
        Err(errors)
    }
}

/// Reads and parses `files` in parallel, keeping their order and collecting every error.
fn parse_all<T: Send>(
    root: &Path,
    files: &[PathBuf],
    errors: &mut Vec<Diagnostic>,
    parse: impl Fn(&Path, &[u8]) -> Result<T, Vec<Diagnostic>> + Sync,
) -> Vec<T> {
    let results: Vec<Result<T, Vec<Diagnostic>>> = files
        .par_iter()
        .map(|rel| {
            let bytes = std::fs::read(root.join(rel)).map_err(|e| {
                vec![
                    Diagnostic::new(rel, format!("cannot read the file: {e}"))
                        .help("check that the file exists and that you may read it"),
                ]
            })?;
            parse(rel, &bytes)
        })
        .collect();
    let mut parsed = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(item) => parsed.push(item),
            Err(mut e) => errors.append(&mut e),
        }
    }
    parsed
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
            Ok(e) if e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md") => {
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
