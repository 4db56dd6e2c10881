//! Which file each image reference names: an article's `image:` and the images in its body,
//! an author's `avatar:`, the site's `logo:`.
//!
//! A reference is looked up next to its article first (a page bundle:
//! `content/articles/2026/story/index.md` with `photo.jpg` beside it, or `photo.jpg` next to
//! `story.md`), then under `static/` (the site's, over the theme's). Photos become
//! [`Picture::Photo`] requests for the photo engine; SVG is published as it is; `https://`
//! addresses stay links, since a build uses no network. A reference that leaves those folders,
//! or names nothing, is an error at the writer's line.

use std::path::{Path, PathBuf};

use crate::content::Located;
use crate::error::Diagnostic;
use crate::hash::stable_hash;
use crate::photos::{Focus, PhotoRequest, ReferenceKind, SourceFolders, classify};
use crate::theme::Source;
use crate::theme::statics::StaticFiles;

/// What an image reference became.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Picture {
    /// An address on another host: a plain link.
    Remote(String),
    /// A file of `static/` published as it is (SVG, or an image built into the theme): its
    /// site path, and its size when the file says.
    AsIs {
        path: String,
        size: Option<(usize, usize)>,
    },
    /// An SVG beside its article, copied to `file` (under the output folder) as it is.
    Copy {
        source: PathBuf,
        file: String,
        size: Option<(usize, usize)>,
    },
    /// A photo for the engine: resized, re-encoded and stripped of metadata.
    Photo(PhotoRequest),
}

/// Where a source's references are looked up.
pub struct Lookup<'a> {
    /// The folder of the article, for page bundles; `None` for authors and the site.
    pub bundle: Option<PathBuf>,
    pub statics: &'a StaticFiles,
}

impl Lookup<'_> {
    /// The picture `reference` names, or the error to report at `source`'s `line`.
    pub fn find(
        &self,
        source: &Path,
        reference: &Located<String>,
        key: &str,
        focus: Focus,
    ) -> Result<Picture, Diagnostic> {
        let value = reference.value.trim();
        let error = |message: String, help: &str| {
            Diagnostic::new(source, message)
                .at_optional_line(reference.line)
                .key(key)
                .help(help.to_string())
        };
        let kind = classify(value);
        if kind == ReferenceKind::Remote {
            return Ok(Picture::Remote(value.to_string()));
        }
        let rel = value.trim_start_matches('/');
        if !is_plain(rel) {
            return Err(error(
                format!("image `{value}` is outside static/ and the article's folder"),
                "name a file under static/ (e.g. images/photo.jpg) or beside the article",
            ));
        }
        if let Some(path) = self.in_bundle(value) {
            return Ok(bundle_picture(path, kind, focus));
        }
        self.in_static(rel, kind, focus).ok_or_else(|| {
            error(
                format!("image `{value}` is not in static/"),
                &format!(
                    "put the file at static/{rel} (paths are relative to static/), beside the \
                     article, or use an https:// address"
                ),
            )
        })
    }

    /// The file beside the article, when the reference is relative and it exists there.
    fn in_bundle(&self, value: &str) -> Option<PathBuf> {
        let bundle = self.bundle.as_deref().filter(|_| !value.starts_with('/'))?;
        // Usually the photo is in static/: one stat rules the folder out, where resolving
        // (which follows every link of both paths) costs a system call per folder on the way.
        if !bundle.join(value).exists() {
            return None;
        }
        let bundle = bundle.canonicalize().ok()?;
        let folders = SourceFolders {
            bundle: Some(&bundle),
            static_dir: &bundle,
        };
        crate::photos::resolve(value, &folders).ok()
    }

    fn in_static(&self, rel: &str, kind: ReferenceKind, focus: Focus) -> Option<Picture> {
        let file = self.statics.get(rel)?;
        Some(match (&file.source, kind) {
            (Source::Disk(path), ReferenceKind::Raster) => Picture::Photo(PhotoRequest {
                path: path.clone(),
                focus,
            }),
            _ => Picture::AsIs {
                path: format!("/{rel}"),
                size: self.statics.dimensions(rel),
            },
        })
    }
}

fn bundle_picture(path: PathBuf, kind: ReferenceKind, focus: Focus) -> Picture {
    match kind {
        ReferenceKind::Raster => Picture::Photo(PhotoRequest { path, focus }),
        _ => {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            let file = format!(
                "{}/{:016x}-{}",
                crate::photos::plan::OUTPUT_FOLDER,
                stable_hash(&path),
                name.unwrap_or_default()
            );
            let size = imagesize::size(&path).ok().map(|s| (s.width, s.height));
            Picture::Copy {
                source: path,
                file,
                size,
            }
        }
    }
}

/// A plain relative path: no `..`, no empty segments, no backslashes or NULs.
fn is_plain(rel: &str) -> bool {
    !rel.is_empty()
        && !rel
            .split('/')
            .any(|s| s == ".." || s == "." || s.is_empty())
        && !rel.contains(['\\', '\0'])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::theme::ThemeFile;

    fn lookup_in(dir: &Path) -> (StaticFiles, PathBuf) {
        let photo = dir.join("static/images/a.jpg");
        std::fs::create_dir_all(photo.parent().unwrap()).unwrap();
        std::fs::write(&photo, b"jpeg").unwrap();
        std::fs::create_dir_all(dir.join("story")).unwrap();
        std::fs::write(dir.join("story/p.jpg"), b"jpeg").unwrap();
        std::fs::write(dir.join("story/map.svg"), b"<svg/>").unwrap();
        let file = |rel: &str| ThemeFile {
            rel: rel.into(),
            shown: PathBuf::from("static").join(rel),
            source: Source::Disk(dir.join("static").join(rel)),
        };
        (
            StaticFiles::new(&[file("images/a.jpg"), file("logo.svg")]),
            dir.join("story"),
        )
    }

    #[test]
    fn finds_bundles_then_static_and_refuses_the_rest() {
        let tmp = tempfile::tempdir().unwrap();
        let (statics, bundle) = lookup_in(tmp.path());
        let lookup = Lookup {
            bundle: Some(bundle.canonicalize().unwrap()),
            statics: &statics,
        };
        let find = |r: &str| {
            let located = Located {
                value: r.to_string(),
                line: Some(7),
            };
            lookup.find(Path::new("a.md"), &located, "image", Focus::CENTER)
        };
        assert!(matches!(find("p.jpg"), Ok(Picture::Photo(r)) if r.path.ends_with("story/p.jpg")));
        assert!(
            matches!(find("images/a.jpg"), Ok(Picture::Photo(r)) if r.path.ends_with("images/a.jpg"))
        );
        assert!(matches!(find("/logo.svg"), Ok(Picture::AsIs { path, .. }) if path == "/logo.svg"));
        assert!(
            matches!(find("map.svg"), Ok(Picture::Copy { file, .. }) if file.ends_with("-map.svg"))
        );
        assert_eq!(
            find("https://e.com/x.jpg").unwrap(),
            Picture::Remote("https://e.com/x.jpg".into())
        );
        let outside = find("../../etc/passwd").unwrap_err().to_string();
        assert!(
            outside.contains("a.md:7") && outside.contains("outside"),
            "{outside}"
        );
        let missing = find("images/none.jpg").unwrap_err().to_string();
        assert!(missing.contains("is not in static/"), "{missing}");
    }
}
