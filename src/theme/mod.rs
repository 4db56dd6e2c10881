//! Themes: where templates and theme assets come from.
//!
//! A theme is `themes/<name>/` with `theme.yaml`, `strings.yaml` (its labels, see
//! [`strings`]), `templates/*.html` and `static/**`. The site
//! may override single templates in its own `templates/` and single assets in `static/`. The
//! default theme `qissa` and the newspaper theme `jarida` are also compiled into the binary,
//! so a site without a `themes/` folder still builds; a `themes/<name>/` folder in the site
//! wins over the built-in copy of the same name.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::content::is_hidden_or_temp;
use crate::error::Diagnostic;

pub mod blocks;
pub mod statics;
pub mod strings;
pub mod templates;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_theme.rs"));
}

/// The name of the built-in theme.
pub const DEFAULT_THEME: &str = "qissa";

/// Templates every theme must provide. The list is also read by build.rs, which refuses to
/// embed a default theme that lacks one.
pub const REQUIRED_TEMPLATES: &[&str] = include!("required_templates.rs");

/// The files of a built-in theme, as (path inside the theme folder, bytes).
pub type BuiltInFiles = &'static [(&'static str, &'static [u8])];

/// The themes compiled into the binary, the default first.
pub const BUILT_IN_THEMES: &[&str] = include!("built_in_themes.rs");

/// The files of the built-in theme `name`, as (path inside the theme folder, bytes):
/// `theme.yaml`, `strings.yaml`, `templates/…`, `static/…`; `None` when no theme of that name is built in.
/// `qissa theme eject` writes them out.
pub fn built_in_theme(name: &str) -> Option<BuiltInFiles> {
    embedded::THEMES
        .iter()
        .find(|(theme, _)| *theme == name)
        .map(|(_, files)| *files)
}

/// The files of the default theme (see [`built_in_theme`]).
pub fn built_in_files() -> BuiltInFiles {
    built_in_theme(DEFAULT_THEME).unwrap_or_default()
}

/// Where a file's bytes come from.
#[derive(Debug, Clone)]
pub enum Source {
    Disk(PathBuf),
    Embedded(&'static [u8]),
}

impl Source {
    /// The file's contents.
    pub fn read(&self) -> std::io::Result<std::borrow::Cow<'static, [u8]>> {
        match self {
            Source::Disk(path) => std::fs::read(path).map(Into::into),
            Source::Embedded(bytes) => Ok((*bytes).into()),
        }
    }
}

/// A file of a theme or site: its path relative to `templates/` or `static/`, the path to
/// show in error messages, and where to read it.
#[derive(Debug, Clone)]
pub struct ThemeFile {
    pub rel: String,
    pub shown: PathBuf,
    pub source: Source,
}

/// The files that make up the site's look.
#[derive(Debug, Default)]
pub struct Theme {
    /// Templates by name, site overrides applied, sorted.
    pub templates: Vec<ThemeFile>,
    /// Theme assets, then the site's `static/`, later entries overriding earlier ones.
    pub statics: Vec<ThemeFile>,
    /// The widths the theme wants of every photo (`image_widths:` in theme.yaml).
    pub image_widths: Option<Vec<u32>>,
    /// The theme's labels (`strings.yaml`), if it has the file.
    pub strings: Option<ThemeFile>,
    /// The theme's folder as shown in messages: `themes/<name>` or `(built-in theme)`.
    pub folder: PathBuf,
}

/// What qissa reads of a theme's `theme.yaml`; the rest describes the theme to people.
#[derive(Debug, Default, serde::Deserialize)]
struct ThemeManifest {
    #[serde(default)]
    image_widths: Option<Vec<u32>>,
}

/// Reads `image_widths:` from a theme's manifest text.
fn manifest(text: &[u8], shown: &Path) -> Result<ThemeManifest, Diagnostic> {
    serde_yaml::from_slice(text).map_err(|e| {
        Diagnostic::new(shown, format!("theme.yaml cannot be read: {e}"))
            .help("image_widths is a list of pixel widths, e.g. [360, 720, 1080, 1600]")
    })
}

impl Theme {
    /// Loads theme `name` for the site at `root`.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Diagnostic> {
        let dir = root.join("themes").join(name);
        let mut theme = if dir.is_dir() {
            let yaml = dir.join("theme.yaml");
            let widths = match std::fs::read(&yaml) {
                Ok(text) => manifest(&text, &yaml)?.image_widths,
                Err(_) => None,
            };
            let labels = dir.join(strings::STRINGS_FILE);
            let folder = dir.strip_prefix(root).unwrap_or(&dir).to_path_buf();
            Theme {
                templates: files_under(root, &dir.join("templates")),
                statics: files_under(root, &dir.join("static")),
                image_widths: widths,
                strings: labels.is_file().then(|| ThemeFile {
                    rel: strings::STRINGS_FILE.into(),
                    shown: folder.join(strings::STRINGS_FILE),
                    source: Source::Disk(labels),
                }),
                folder,
            }
        } else if let Some(files) = built_in_theme(name) {
            Theme::embedded(files)?
        } else {
            return Err(unknown_theme(root, name));
        };
        overlay(
            &mut theme.templates,
            files_under(root, &root.join("templates")),
        );
        overlay(&mut theme.statics, files_under(root, &root.join("static")));
        Ok(theme)
    }

    fn embedded(files: BuiltInFiles) -> Result<Theme, Diagnostic> {
        let mut theme = Theme {
            folder: PathBuf::from("(built-in theme)"),
            ..Theme::default()
        };
        for (path, bytes) in files {
            if *path == "theme.yaml" {
                let shown = Path::new("(built-in theme)/theme.yaml");
                theme.image_widths = manifest(bytes, shown)?.image_widths;
            }
            let file = |rel: &str| ThemeFile {
                rel: rel.to_string(),
                shown: PathBuf::from(format!("(built-in theme)/{path}")),
                source: Source::Embedded(bytes),
            };
            if let Some(rel) = path.strip_prefix("templates/") {
                theme.templates.push(file(rel));
            } else if let Some(rel) = path.strip_prefix("static/") {
                theme.statics.push(file(rel));
            } else if *path == strings::STRINGS_FILE {
                theme.strings = Some(file(path));
            }
        }
        Ok(theme)
    }
}

/// Replaces files of the same relative path and adds new ones, keeping the list sorted.
fn overlay(base: &mut Vec<ThemeFile>, overrides: Vec<ThemeFile>) {
    for file in overrides {
        match base.iter_mut().find(|f| f.rel == file.rel) {
            Some(slot) => *slot = file,
            None => base.push(file),
        }
    }
    base.sort_by(|a, b| a.rel.cmp(&b.rel));
}

/// Every non-hidden file under `dir`, sorted; nothing if `dir` doesn't exist.
fn files_under(root: &Path, dir: &Path) -> Vec<ThemeFile> {
    if !dir.is_dir() {
        return Vec::new();
    }
    WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden_or_temp(e.file_name()))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            let shown = e
                .path()
                .strip_prefix(root)
                .unwrap_or(e.path())
                .to_path_buf();
            Some(ThemeFile {
                rel,
                shown,
                source: Source::Disk(e.path().to_path_buf()),
            })
        })
        .collect()
}

fn unknown_theme(root: &Path, name: &str) -> Diagnostic {
    let mut available: Vec<String> = std::fs::read_dir(root.join("themes"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    for built_in in BUILT_IN_THEMES {
        if !available.iter().any(|t| t == built_in) {
            available.push(built_in.to_string());
        }
    }
    available.sort();
    Diagnostic::new(
        crate::config::CONFIG_FILE,
        format!("theme `{name}` not found in themes/"),
    )
    .key("theme")
    .help(crate::error::choices_help(
        name,
        available.iter().map(String::as_str),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_theme_has_every_required_template() {
        assert_eq!(BUILT_IN_THEMES[0], DEFAULT_THEME);
        for theme_name in BUILT_IN_THEMES {
            let files = built_in_theme(theme_name).expect("every listed theme is built in");
            let built_in: Vec<&str> = files.iter().map(|(path, _)| *path).collect();
            for name in REQUIRED_TEMPLATES {
                let path = format!("templates/{name}");
                assert!(
                    built_in.contains(&path.as_str()),
                    "{theme_name}: {path} is not built in: {built_in:?}"
                );
            }
            let theme = Theme::embedded(files).expect("the built-in theme.yaml reads");
            assert!(
                theme.statics.iter().any(|f| f.rel.ends_with(".css")),
                "{theme_name} has no stylesheet"
            );
            assert_eq!(theme.image_widths, Some(vec![360, 720, 1080, 1600]));
        }
        assert!(built_in_theme("paper").is_none());
    }
}
