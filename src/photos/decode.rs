//! Turning an uploaded file into upright sRGB pixels, once, within fixed limits.
//!
//! The header is read first: its size is checked against [`PhotoLimits`] before any pixel
//! buffer is allocated, so a 50,000×50,000 bomb costs nothing. Then the EXIF orientation is
//! applied (phones store photos sideways and say so in EXIF), an embedded ICC profile is
//! converted to sRGB (the only profile every browser and social network treats alike), and
//! the pixels become 8-bit RGB, or RGBA when some pixel is actually see-through. The
//! metadata itself is dropped here and never reaches an encoder.

use std::io::Cursor;
use std::path::Path;

use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits};

use super::colour;
use super::error::PhotoError;

/// How big a photo may be; beyond these a file is an error, not a slow build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PhotoLimits {
    /// Largest source file read, in bytes.
    pub max_file_bytes: u64,
    /// Largest width × height decoded.
    pub max_pixels: u64,
}

impl Default for PhotoLimits {
    fn default() -> Self {
        // 40 MB holds any camera JPEG; 100 MP holds a 108-MP phone's binned output and any
        // DSLR, while capping one decoded image at 400 MB of RGBA.
        Self {
            max_file_bytes: 40_000_000,
            max_pixels: 100_000_000,
        }
    }
}

/// Decoded, upright, sRGB pixels: RGB8, or RGBA8 when the photo has real transparency.
pub struct Decoded {
    pub pixels: DynamicImage,
    pub transparent: bool,
}

/// Decodes `bytes` (read from `path`, named in errors) within `limits`.
pub fn decode(path: &Path, bytes: &[u8], limits: &PhotoLimits) -> Result<Decoded, PhotoError> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|error| PhotoError::io(path, &error))?;
    let supported = [ImageFormat::Jpeg, ImageFormat::Png, ImageFormat::WebP];
    if !reader
        .format()
        .is_some_and(|format| supported.contains(&format))
    {
        return Err(PhotoError::Unsupported {
            path: path.to_path_buf(),
            found: sniff(bytes),
        });
    }
    let mut reader = reader;
    reader.limits(image_limits(limits));
    let mut decoder = reader
        .into_decoder()
        .map_err(|error| classify(path, error, limits))?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > limits.max_pixels {
        return Err(too_many_pixels(path, width, height, limits));
    }
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    // A broken or exotic profile is not worth refusing a photo over: show it as sRGB.
    let icc = decoder.icc_profile().ok().flatten();
    let mut pixels = DynamicImage::from_decoder(decoder).map_err(|e| classify(path, e, limits))?;
    pixels.apply_orientation(orientation);
    Ok(normalise(pixels, icc.as_deref()))
}

/// image's own limits, as a second line of defence inside the decoders (they also cap the
/// memory a decoder may allocate for its own tables).
fn image_limits(limits: &PhotoLimits) -> Limits {
    let mut image_limits = Limits::default();
    let side = u32::try_from(limits.max_pixels).unwrap_or(u32::MAX);
    image_limits.max_image_width = Some(side);
    image_limits.max_image_height = Some(side);
    image_limits.max_alloc = Some(limits.max_pixels.saturating_mul(8));
    image_limits
}

/// 8-bit sRGB, alpha only where it matters: a PNG with an alpha channel that is opaque
/// everywhere is published as a photo (JPEG fallback), not as a heavy PNG.
fn normalise(pixels: DynamicImage, icc: Option<&[u8]>) -> Decoded {
    let transparent = pixels.color().has_alpha() && has_see_through_pixel(&pixels);
    let mut decoded = if transparent {
        DynamicImage::ImageRgba8(pixels.into_rgba8())
    } else {
        DynamicImage::ImageRgb8(pixels.into_rgb8())
    };
    if let Some(profile) = icc {
        colour::to_srgb(&mut decoded, profile);
    }
    Decoded {
        pixels: decoded,
        transparent,
    }
}

fn has_see_through_pixel(pixels: &DynamicImage) -> bool {
    match pixels {
        DynamicImage::ImageRgba8(rgba) => rgba.pixels().any(|p| p.0[3] < 255),
        DynamicImage::ImageLumaA8(la) => la.pixels().any(|p| p.0[1] < 255),
        other => other.to_rgba8().pixels().any(|p| p.0[3] < 255),
    }
}

fn too_many_pixels(path: &Path, width: u32, height: u32, limits: &PhotoLimits) -> PhotoError {
    PhotoError::TooManyPixels {
        path: path.to_path_buf(),
        width,
        height,
        max_pixels: limits.max_pixels,
    }
}

/// Sorts image's errors into the ones an editor can act on.
fn classify(path: &Path, error: ImageError, limits: &PhotoLimits) -> PhotoError {
    let path_buf = path.to_path_buf();
    match error {
        ImageError::Limits(_) => PhotoError::TooManyPixels {
            path: path_buf,
            width: 0,
            height: 0,
            max_pixels: limits.max_pixels,
        },
        ImageError::Unsupported(detail) => PhotoError::Corrupt {
            path: path_buf,
            detail: format!("unsupported variant: {detail}"),
        },
        other => PhotoError::Corrupt {
            path: path_buf,
            detail: other.to_string(),
        },
    }
}

/// Names a few formats newsrooms meet that we do not decode, for a better message.
fn sniff(bytes: &[u8]) -> Option<&'static str> {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    let brand = bytes.get(4..12);
    if brand.is_some_and(|b| {
        b.starts_with(b"ftyp")
            && (b.ends_with(b"heic") || b.ends_with(b"heix") || b.ends_with(b"mif1"))
    }) {
        Some("HEIC, an iPhone photo")
    } else if brand.is_some_and(|b| b.starts_with(b"ftyp") && b.ends_with(b"avif")) {
        Some("AVIF")
    } else if starts(b"GIF8") {
        Some("GIF")
    } else if starts(b"II*\0") || starts(b"MM\0*") {
        Some("TIFF or a camera raw file")
    } else if starts(b"%PDF") {
        Some("PDF")
    } else if starts(b"<svg") || starts(b"<?xml") {
        Some("SVG or XML")
    } else {
        None
    }
}
