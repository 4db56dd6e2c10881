//! Static assets (theme `static/` overlaid by the site's `static/`): the set of files to copy
//! into the output, lookups for images named in front matter, and their pixel sizes.

use std::collections::BTreeMap;

use unicode_normalization::UnicodeNormalization;

use crate::theme::{Source, ThemeFile};

/// The site's static files by NFC relative path.
#[derive(Debug, Default)]
pub struct StaticFiles {
    files: BTreeMap<String, ThemeFile>,
}

impl StaticFiles {
    /// Indexes `files`; later files with the same path replace earlier ones.
    pub fn new(files: &[ThemeFile]) -> Self {
        let files = files
            .iter()
            .map(|f| (f.rel.nfc().collect(), f.clone()))
            .collect();
        StaticFiles { files }
    }

    /// Whether `rel` (relative to `static/`) exists.
    pub fn contains(&self, rel: &str) -> bool {
        self.files.contains_key(&rel.nfc().collect::<String>())
    }

    /// The file at `rel` (relative to `static/`), if the site or theme has one.
    pub fn get(&self, rel: &str) -> Option<&ThemeFile> {
        self.files.get(&rel.nfc().collect::<String>())
    }

    /// Relative paths of all files, sorted.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// All files, sorted by path.
    pub fn files(&self) -> impl Iterator<Item = (&str, &ThemeFile)> {
        self.files.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Width and height of an image, read from its header.
    pub fn dimensions(&self, rel: &str) -> Option<(usize, usize)> {
        let file = self.files.get(&rel.nfc().collect::<String>())?;
        let size = match &file.source {
            Source::Disk(path) => imagesize::size(path).ok()?,
            Source::Embedded(bytes) => imagesize::blob_size(bytes).ok()?,
        };
        Some((size.width, size.height))
    }
}
