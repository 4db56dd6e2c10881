//! What can go wrong with one photo, as a value the build turns into a diagnostic.
//!
//! Every variant says what happened in words an editor understands; the caller adds the
//! article and the line of the reference. Nothing here panics or allocates by the size a file
//! claims: a bomb is refused from its header, before any pixel buffer exists.

use std::fmt;
use std::path::PathBuf;

/// Why a photo could not be published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhotoError {
    /// The reference climbs out of `static/` or the article's folder (`..`, an absolute path,
    /// a symlink leading elsewhere).
    OutsideAllowedFolders { reference: String },
    /// No file at the place the reference points to.
    Missing { path: PathBuf },
    /// The file is bigger than the configured limit; it is not read.
    TooLarge {
        path: PathBuf,
        bytes: u64,
        limit: u64,
    },
    /// Not a JPEG, PNG or WebP file (`found` names what it looks like, when known).
    Unsupported {
        path: PathBuf,
        found: Option<&'static str>,
    },
    /// The header claims more pixels than the limits allow: a decompression bomb or a photo
    /// far larger than any page needs.
    TooManyPixels {
        path: PathBuf,
        width: u32,
        height: u32,
        max_pixels: u64,
    },
    /// The file is damaged or truncated.
    Corrupt { path: PathBuf, detail: String },
    /// Reading the source or writing the cache failed (the system's message; kept as text so
    /// one error can be reported for every article that uses the photo).
    Io { path: PathBuf, detail: String },
    /// An encoder refused the pixels (should not happen with a decoded image).
    Encode { path: PathBuf, detail: String },
}

impl fmt::Display for PhotoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::OutsideAllowedFolders { reference } => write!(
                f,
                "image `{reference}` is outside `static/` and the article's folder; \
                 put the file under `static/` or next to the article"
            ),
            Self::Missing { path } => write!(f, "image file not found: {}", path.display()),
            Self::TooLarge { path, bytes, limit } => write!(
                f,
                "image {} is {:.1} MB, over the limit of {:.1} MB; export a smaller file",
                path.display(),
                megabytes(*bytes),
                megabytes(*limit)
            ),
            Self::Unsupported { path, found } => {
                let what = found.map_or(String::new(), |kind| format!(" (it is {kind})"));
                write!(
                    f,
                    "image {} is not a JPEG, PNG or WebP file{what}; convert it to one of them",
                    path.display()
                )
            }
            Self::TooManyPixels {
                path,
                width,
                height,
                max_pixels,
            } => write!(
                f,
                "image {} claims {width}×{height} pixels, more than the limit of {} megapixels \
                 (a damaged or malicious file, or a photo far larger than a page needs)",
                path.display(),
                max_pixels / 1_000_000
            ),
            Self::Corrupt { path, detail } => {
                write!(
                    f,
                    "image {} is damaged or truncated: {detail}",
                    path.display()
                )
            }
            Self::Io { path, detail } => write!(f, "{}: {detail}", path.display()),
            Self::Encode { path, detail } => {
                write!(f, "image {} could not be encoded: {detail}", path.display())
            }
        }
    }
}

impl std::error::Error for PhotoError {}

impl PhotoError {
    /// An I/O failure on `path`; a missing file gets its own variant.
    pub fn io(path: &std::path::Path, error: &std::io::Error) -> Self {
        match error.kind() {
            std::io::ErrorKind::NotFound => Self::Missing {
                path: path.to_path_buf(),
            },
            _ => Self::Io {
                path: path.to_path_buf(),
                detail: error.to_string(),
            },
        }
    }
}

fn megabytes(bytes: u64) -> f64 {
    bytes as f64 / 1_000_000.0
}
