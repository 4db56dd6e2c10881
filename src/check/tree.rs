//! The output folder as a host sees it: every file by its `/`-separated, NFC name (what
//! links are compared with), the HTML, CSS and XML files among them to read, and the file
//! names no link can reach (not UTF-8, or not NFC).

use std::collections::HashSet;
use std::io;
use std::path::Path;

use unicode_normalization::{UnicodeNormalization, is_nfc};

/// The kinds of file whose references are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Html,
    Css,
    Xml,
}

impl Kind {
    fn of(rel: &str) -> Option<Kind> {
        let ext = rel.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "html" | "htm" => Some(Kind::Html),
            "css" => Some(Kind::Css),
            "xml" | "atom" | "rss" => Some(Kind::Xml),
            _ => None,
        }
    }
}

/// The output folder's files.
pub(super) struct Tree {
    /// Every file, relative, `/`-separated, NFC.
    pub(super) files: HashSet<String>,
    /// The files to read, sorted.
    pub(super) documents: Vec<(String, Kind)>,
    /// File names no link can reach: the name as found, and why.
    pub(super) unreachable: Vec<(String, &'static str)>,
}

/// Walks the output folder once, sorted by file name.
pub(super) fn walk(output: &Path) -> io::Result<Tree> {
    let mut tree = Tree {
        files: HashSet::new(),
        documents: Vec::new(),
        unreachable: Vec::new(),
    };
    for entry in walkdir::WalkDir::new(output)
        .min_depth(1)
        .sort_by_file_name()
    {
        let entry = entry.map_err(io::Error::other)?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(output).unwrap_or(entry.path());
        let name = relative_name(rel);
        if let Some(why) = file_name_problem(rel, &name) {
            tree.unreachable.push((name.clone(), why));
        }
        let name: String = name.nfc().collect();
        if let Some(kind) = Kind::of(&name) {
            tree.documents.push((name.clone(), kind));
        }
        tree.files.insert(name);
    }
    Ok(tree)
}

/// `a/b/index.html`, with `/` on every platform.
fn relative_name(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Hosts compare file names byte for byte, and links are UTF-8 in NFC.
fn file_name_problem(rel: &Path, name: &str) -> Option<&'static str> {
    if rel.to_str().is_none() {
        Some("file name is not UTF-8, so no link can reach it")
    } else if !is_nfc(name) {
        Some("file name is not in Unicode NFC, so links (always NFC) miss it on most hosts")
    } else {
        None
    }
}
