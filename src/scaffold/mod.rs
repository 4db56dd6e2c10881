//! `qissa new`: starting a site, an article, an author or a page from the binary alone, so a
//! writer never copies front matter from an old file or looks up category slugs; and
//! `qissa theme eject`, a built-in theme copied into the site to edit.
//!
//! Every file is written with complete front matter whose values are checked first: an
//! unknown category or author is an error with the valid choices, exactly as a build would
//! report it. An article's `slug:` is written down at creation, so a later fix to the headline
//! never moves the published URL. Nothing is ever overwritten.

mod entries;
mod site;
mod theme;

use std::io::Write as _;
use std::path::Path;

use crate::error::Diagnostic;

pub use entries::{NewArticle, new_article, new_author, new_page};
pub use site::{NewSite, new_site, timezone_for};
pub use theme::eject_theme;

/// What `qissa new` made: the file or folder, and where to see it in `qissa serve`.
#[derive(Debug)]
pub struct Created {
    pub path: std::path::PathBuf,
    /// The preview URL, when the thing has a page of its own.
    pub preview: Option<String>,
}

/// A YAML scalar for `text`: a double-quoted string (JSON's quoting is valid YAML), so
/// colons, `#`, quotes and leading dashes in a headline cannot change the front matter.
fn yaml_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

/// Writes a new file, creating its folders, and refuses to replace one that exists.
fn write_new(path: &Path, text: &str) -> Result<(), Diagnostic> {
    write_new_bytes(path, text.as_bytes())
}

/// [`write_new`] for any bytes (a theme's fonts and images).
fn write_new_bytes(path: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| Diagnostic::new(parent, format!("cannot create the folder: {e}")))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => Diagnostic::new(path, "this file already exists")
                .help("qissa new never overwrites a file; choose another name or edit the file"),
            _ => Diagnostic::new(path, format!("cannot write the file: {e}")),
        })?;
    file.write_all(bytes)
        .map_err(|e| Diagnostic::new(path, format!("cannot write the file: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_strings_survive_awkward_headlines() {
        for title in ["عاجل: انفجار", "- قائمة", "# وسم", "قال \"لا\"", "a: b # c"]
        {
            let yaml = format!("title: {}\n", yaml_string(title));
            let value: serde_yaml::Value = serde_yaml::from_str(&yaml).unwrap();
            assert_eq!(value["title"].as_str(), Some(title));
        }
    }
}
