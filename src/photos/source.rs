//! Finding and reading the uploaded file a reference names, within the folders a site may
//! publish from.
//!
//! A reference such as `images/riyadh.jpg` is looked up next to the article first (a page
//! bundle: `story/index.md` with `photo.jpg` beside it) and then under `static/`. It must stay
//! inside the folder it was found in, even through symlinks, so an article can never publish
//! `/etc/passwd` or a file from another checkout. The size is checked before a single byte is
//! read.

use std::fs;
use std::path::{Component, Path, PathBuf};

use super::error::PhotoError;

/// What kind of thing an image reference points to; only rasters are processed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferenceKind {
    /// `https://…` or `//…`: stays a link, the build uses no network.
    Remote,
    /// `.svg`: published as it is, never rasterised.
    Vector,
    /// Anything else is read and processed as a photo.
    Raster,
}

/// Sorts a reference from front matter or Markdown before anything touches the disk.
pub fn classify(reference: &str) -> ReferenceKind {
    let lower = reference.trim().to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("//") {
        ReferenceKind::Remote
    } else if lower.ends_with(".svg") {
        ReferenceKind::Vector
    } else {
        ReferenceKind::Raster
    }
}

/// The folders a reference may resolve into: the article's own folder (when it is a page
/// bundle or sits beside its photos) and the site's `static/`.
#[derive(Debug, Clone)]
pub struct SourceFolders<'a> {
    pub bundle: Option<&'a Path>,
    pub static_dir: &'a Path,
}

/// Resolves `reference` to an existing file inside one of `folders`: the bundle first, then
/// `static/`. A leading `/` means "from the root of `static/`".
pub fn resolve(reference: &str, folders: &SourceFolders) -> Result<PathBuf, PhotoError> {
    let outside = || PhotoError::OutsideAllowedFolders {
        reference: reference.to_string(),
    };
    let relative = reference.trim().trim_start_matches('/');
    if !is_plain_relative(relative) {
        return Err(outside());
    }
    let candidates = folders.bundle.into_iter().chain([folders.static_dir]);
    let mut first_missing = None;
    for folder in candidates {
        let path = folder.join(relative);
        match fs::canonicalize(&path) {
            Ok(real) if real.is_file() && stays_inside(&real, folder) => return Ok(path),
            Ok(real) if real.is_file() => return Err(outside()),
            _ => first_missing = first_missing.or(Some(path)),
        }
    }
    Err(PhotoError::Missing {
        path: first_missing.unwrap_or_else(|| relative.into()),
    })
}

/// No `..`, no drive or root, no backslashes (a Windows habit that would mean a file name
/// with a backslash here), nothing empty.
fn is_plain_relative(relative: &str) -> bool {
    !relative.is_empty()
        && !relative.contains('\\')
        && Path::new(relative)
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}

fn stays_inside(real: &Path, folder: &Path) -> bool {
    fs::canonicalize(folder).is_ok_and(|root| real.starts_with(root))
}

/// Reads a source file, refusing one over `max_bytes` before reading it.
pub fn read_limited(path: &Path, max_bytes: u64) -> Result<Vec<u8>, PhotoError> {
    let io_error = |error: std::io::Error| PhotoError::io(path, &error);
    let bytes = fs::metadata(path).map_err(io_error)?.len();
    if bytes > max_bytes {
        return Err(PhotoError::TooLarge {
            path: path.to_path_buf(),
            bytes,
            limit: max_bytes,
        });
    }
    fs::read(path).map_err(io_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let static_dir = dir.path().join("static");
        let bundle = dir.path().join("content/articles/story");
        fs::create_dir_all(static_dir.join("images")).unwrap();
        fs::create_dir_all(&bundle).unwrap();
        fs::write(static_dir.join("images/a.jpg"), b"x").unwrap();
        fs::write(bundle.join("photo.jpg"), b"y").unwrap();
        fs::write(dir.path().join("secret.jpg"), b"z").unwrap();
        (dir, static_dir, bundle)
    }

    #[test]
    fn finds_bundle_photos_first_then_static() {
        let (_dir, static_dir, bundle) = site();
        let folders = SourceFolders {
            bundle: Some(&bundle),
            static_dir: &static_dir,
        };
        assert_eq!(
            resolve("photo.jpg", &folders).unwrap(),
            bundle.join("photo.jpg")
        );
        assert_eq!(
            resolve("images/a.jpg", &folders).unwrap(),
            static_dir.join("images/a.jpg")
        );
        assert_eq!(
            resolve("/images/a.jpg", &folders).unwrap(),
            static_dir.join("images/a.jpg")
        );
    }

    #[test]
    fn refuses_paths_out_of_the_allowed_folders() {
        let (dir, static_dir, bundle) = site();
        let folders = SourceFolders {
            bundle: Some(&bundle),
            static_dir: &static_dir,
        };
        for reference in [
            "../secret.jpg",
            "images/../../secret.jpg",
            "images\\a.jpg",
            "",
        ] {
            let error = resolve(reference, &folders).unwrap_err();
            assert!(
                matches!(error, PhotoError::OutsideAllowedFolders { .. }),
                "{reference}"
            );
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.jpg"), static_dir.join("link.jpg"))
                .unwrap();
            let error = resolve("link.jpg", &folders).unwrap_err();
            assert!(matches!(error, PhotoError::OutsideAllowedFolders { .. }));
        }
    }

    #[test]
    fn names_the_missing_file_and_refuses_big_ones_unread() {
        let (_dir, static_dir, _bundle) = site();
        let folders = SourceFolders {
            bundle: None,
            static_dir: &static_dir,
        };
        let error = resolve("images/nope.jpg", &folders).unwrap_err();
        assert!(error.to_string().contains("images/nope.jpg"), "{error}");
        let error = read_limited(&static_dir.join("images/a.jpg"), 0).unwrap_err();
        assert!(matches!(
            error,
            PhotoError::TooLarge {
                bytes: 1,
                limit: 0,
                ..
            }
        ));
        assert_eq!(
            read_limited(&static_dir.join("images/a.jpg"), 1).unwrap(),
            b"x"
        );
    }

    #[test]
    fn sorts_references() {
        assert_eq!(classify("https://example.com/a.jpg"), ReferenceKind::Remote);
        assert_eq!(classify("//cdn.example.com/a.jpg"), ReferenceKind::Remote);
        assert_eq!(classify("images/logo.SVG"), ReferenceKind::Vector);
        assert_eq!(classify("images/a.jpg"), ReferenceKind::Raster);
    }
}
