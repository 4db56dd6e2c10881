//! Photos: every image a newsroom uploads comes out fast, responsive, private and correct.
//!
//! An article's lead photo usually comes straight from a phone or an agency: a 3–8 MB JPEG,
//! 4,000 px wide, stored sideways with an EXIF orientation, carrying the GPS position where it
//! was taken. This module turns such a file into what a page should publish, and nothing
//! else: the theme's widths in WebP and JPEG (PNG when the photo really is transparent), a
//! re-encoded full-size version, and the crops social cards and news search ask for, all
//! upright, sRGB and free of EXIF, XMP and IPTC. The upload itself is never published.
//!
//! - [`source`] finds the file a reference names, inside `static/` or the article's bundle.
//! - [`decode`] reads it once within [`PhotoLimits`] (a bomb is refused from its header),
//!   applies the EXIF orientation and, through [`colour`], converts to sRGB.
//! - [`plan`] decides which files to make and names them; [`resize`] draws each one;
//!   [`encode`] writes WebP, JPEG or PNG.
//! - [`cache`] keeps the results in `.qissa-cache/photos/` between builds and prunes what no
//!   build used; [`engine`] ties it together, in parallel with bounded memory.
//! - [`inspect`] finds metadata left in published files (the privacy check of the tests).
//!
//! # The crates, and why
//!
//! - **image 0.25** (formats `jpeg`, `png`, `webp` only) decodes: zune-jpeg for JPEG
//!   (baseline, progressive, and Adobe CMYK/YCCK converted to RGB), png, and image-webp, all
//!   pure Rust. It reads the EXIF orientation and the ICC profile for us, and its `Limits`
//!   guard the decoders' allocations. AVIF, TIFF and EXR decoding stay off: newsrooms do not
//!   upload them, and AVIF pulls in rav1e.
//! - **fast_image_resize 6** resizes with SIMD and a Lanczos3 filter, cropping in the same
//!   pass, alpha-aware; 5–10× faster than image's own resize, which matters at 12 MP.
//! - **webp 0.3** (libwebp-sys: Google's libwebp, bundled C compiled by `cc`, so no Debian
//!   package is needed, only a C compiler) encodes lossy WebP. image's pure-Rust WebP
//!   encoder is lossless only, several times too big for photos. We publish WebP rather than
//!   AVIF: the issue accepts either, every current browser reads WebP, and AVIF encoding with
//!   rav1e costs minutes of compile time and about a second per 12-MP photo.
//! - **jpeg-encoder 0.7** (pure Rust, a port of libjpeg's encoder) writes the JPEG fallback:
//!   progressive with optimised Huffman tables, and it can embed an ICC profile. (It also
//!   writes the CMYK test files.)
//! - **moxcms 0.8** (pure Rust, already a dependency of image) converts Display P3, Adobe RGB
//!   and other RGB profiles to sRGB, and writes the small sRGB profile JPEG and PNG outputs
//!   carry.
//!
//! Codecs are painfully slow unoptimised, so `Cargo.toml` builds dependencies with
//! `opt-level = 3` even in the dev profile.
//!
//! # Using it
//!
//! ```no_run
//! use qissa::photos::{Focus, PhotoCache, PhotoRequest, PhotoSettings, SourceFolders};
//! use std::path::Path;
//!
//! let site = Path::new("my-site");
//! let folders = SourceFolders { bundle: None, static_dir: &site.join("static") };
//! let path = qissa::photos::resolve("images/riyadh.jpg", &folders)?;
//! let request = PhotoRequest { path, focus: Focus::parse("30% 20%")? };
//! let cache = PhotoCache::in_site_cache(&site.join(".qissa-cache"));
//! let settings = PhotoSettings::default();
//! let photos = qissa::photos::process_all(&[request], &settings, &cache, 2);
//! for rendition in &photos[0].as_ref().unwrap().renditions {
//!     // The builder copies each cached file to the same path under the output folder.
//!     let _from = cache.path_of(&rendition.file);
//!     let _to = Path::new("public").join(&rendition.file);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod cache;
pub mod colour;
pub mod decode;
pub mod encode;
pub mod engine;
pub mod error;
pub mod focus;
pub mod inspect;
pub mod plan;
pub mod resize;
pub mod source;

#[cfg(test)]
mod tests;

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub use cache::{PhotoCache, PruneReport};
pub use decode::PhotoLimits;
pub use encode::Quality;
pub use engine::{default_threads, process, process_all};
pub use error::PhotoError;
pub use focus::{Focus, FocusError};
pub use plan::{CropSpec, Format, Role};
pub use source::{ReferenceKind, SourceFolders, classify, resolve};

/// What to make of every photo: the theme's widths, the crops, the encoder settings, the
/// limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhotoSettings {
    pub widths: Vec<u32>,
    pub crops: Vec<CropSpec>,
    pub quality: Quality,
    pub limits: PhotoLimits,
}

impl Default for PhotoSettings {
    fn default() -> Self {
        Self {
            widths: vec![360, 720, 1080, 1600],
            crops: CropSpec::social_and_search(),
            quality: Quality::default(),
            limits: PhotoLimits::default(),
        }
    }
}

/// One photo to publish: a resolved source file and the writer's crop focus.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PhotoRequest {
    pub path: PathBuf,
    pub focus: Focus,
}

/// What one photo became.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Photo {
    /// The source file (not part of the cache: two identical files share one entry).
    #[serde(skip)]
    pub source: PathBuf,
    #[serde(skip)]
    pub(crate) source_id: String,
    /// The cache entry this photo came from.
    pub job: String,
    /// Intrinsic size, upright (after the EXIF orientation).
    pub width: u32,
    pub height: u32,
    /// Whether some pixel is see-through (the fallback format is then PNG).
    pub transparent: bool,
    pub renditions: Vec<Rendition>,
}

/// One derived file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rendition {
    pub role: Role,
    pub format: Format,
    pub width: u32,
    pub height: u32,
    /// The path under the output folder, `photos/<key>-<w>x<h>.<ext>`.
    pub file: String,
    /// The file's size in bytes.
    pub bytes: u64,
}

impl Photo {
    /// The responsive set in one format, narrowest first (for `srcset`).
    pub fn widths(&self, format: Format) -> impl Iterator<Item = &Rendition> {
        self.renditions
            .iter()
            .filter(move |r| r.role == Role::Width && r.format == format)
    }

    /// JPEG, or PNG for a transparent photo: what every browser and crawler reads.
    pub fn fallback_format(&self) -> Format {
        if self.transparent {
            Format::Png
        } else {
            Format::Jpeg
        }
    }

    /// The re-encoded, metadata-free full-size version.
    pub fn full(&self) -> Option<&Rendition> {
        self.renditions.iter().find(|r| r.role == Role::Full)
    }

    /// The crop named like its [`CropSpec`] (`og`, `16x9`, `4x3`, `1x1` by default).
    pub fn crop(&self, name: &str) -> Option<&Rendition> {
        self.renditions
            .iter()
            .find(|r| matches!(&r.role, Role::Crop(n) if n == name))
    }
}
