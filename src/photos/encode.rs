//! Encoding pixels into the published formats, carrying nothing but pixels and (for JPEG and
//! PNG) a small sRGB profile.
//!
//! - **WebP**, lossy, through libwebp (the reference encoder, bundled C built by `cc`):
//!   about a third smaller than JPEG at the same look, read by every browser since 2020.
//!   image's own WebP encoder is lossless only, far too big for photos.
//! - **JPEG** through jpeg-encoder (pure Rust): progressive, with optimised Huffman tables,
//!   4:2:0, for browsers and crawlers without WebP and for the social crops.
//! - **PNG** through image's png encoder, for photos with real transparency.
//!
//! All three are deterministic: the same pixels give the same bytes, so a rebuild never
//! changes a published file. No encoder here is given EXIF, XMP or IPTC; the profile is the
//! sRGB one moxcms writes, so a viewer that ignores untagged images' colour still gets sRGB.

use std::sync::LazyLock;

use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{DynamicImage, ImageEncoder};
use jpeg_encoder::{ColorType, Encoder as JpegEncoder};

use super::plan::Format;

/// Encoder settings; part of every output's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Quality {
    /// libwebp quality, 0–100.
    pub webp: u8,
    /// JPEG quality, 1–100.
    pub jpeg: u8,
}

impl Default for Quality {
    fn default() -> Self {
        // Where both look alike to most readers on a phone, at about 60–70 % of q90's bytes.
        Self { webp: 78, jpeg: 80 }
    }
}

/// The sRGB profile embedded in JPEG and PNG outputs, written once.
static SRGB_PROFILE: LazyLock<Vec<u8>> = LazyLock::new(|| {
    moxcms::ColorProfile::new_srgb()
        .encode()
        .unwrap_or_default()
});

/// Encodes RGB8 or RGBA8 `pixels` as `format`.
pub fn encode(pixels: &DynamicImage, format: Format, quality: Quality) -> Result<Vec<u8>, String> {
    match format {
        Format::Webp => encode_webp(pixels, quality.webp),
        Format::Jpeg => encode_jpeg(pixels, quality.jpeg),
        Format::Png => encode_png(pixels),
    }
}

fn encode_webp(pixels: &DynamicImage, quality: u8) -> Result<Vec<u8>, String> {
    let (width, height) = (pixels.width(), pixels.height());
    let encoder = match pixels {
        DynamicImage::ImageRgba8(rgba) => webp::Encoder::from_rgba(rgba.as_raw(), width, height),
        DynamicImage::ImageRgb8(rgb) => webp::Encoder::from_rgb(rgb.as_raw(), width, height),
        other => return Err(format!("unexpected pixel layout {:?}", other.color())),
    };
    let mut config =
        webp::WebPConfig::new().map_err(|()| "libwebp refused its defaults".to_string())?;
    config.quality = f32::from(quality);
    config.method = 4; // libwebp's default speed/size balance
    config.thread_level = 0; // one thread per photo: the batch already uses every core
    encoder
        .encode_advanced(&config)
        .map(|memory| memory.to_vec())
        .map_err(|e| format!("{e:?}"))
}

fn encode_jpeg(pixels: &DynamicImage, quality: u8) -> Result<Vec<u8>, String> {
    let rgb = match pixels {
        DynamicImage::ImageRgb8(rgb) => rgb,
        other => return Err(format!("JPEG needs opaque RGB, not {:?}", other.color())),
    };
    let width = u16::try_from(rgb.width()).map_err(|_| "wider than JPEG allows")?;
    let height = u16::try_from(rgb.height()).map_err(|_| "taller than JPEG allows")?;
    let mut bytes = Vec::new();
    let mut encoder = JpegEncoder::new(&mut bytes, quality);
    encoder.set_progressive(true);
    encoder.set_optimized_huffman_tables(true);
    if !SRGB_PROFILE.is_empty() {
        encoder
            .add_icc_profile(&SRGB_PROFILE)
            .map_err(|e| e.to_string())?;
    }
    encoder
        .encode(rgb.as_raw(), width, height, ColorType::Rgb)
        .map_err(|e| e.to_string())?;
    Ok(bytes)
}

fn encode_png(pixels: &DynamicImage) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    let mut encoder =
        PngEncoder::new_with_quality(&mut bytes, CompressionType::Default, FilterType::Adaptive);
    if !SRGB_PROFILE.is_empty() {
        encoder
            .set_icc_profile(SRGB_PROFILE.clone())
            .map_err(|e| e.to_string())?;
    }
    let color = pixels.color().into();
    encoder
        .write_image(pixels.as_bytes(), pixels.width(), pixels.height(), color)
        .map_err(|e| e.to_string())?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{RgbImage, RgbaImage};

    #[test]
    fn every_format_round_trips_and_is_deterministic() {
        let rgb = DynamicImage::ImageRgb8(RgbImage::from_fn(64, 48, |x, y| {
            image::Rgb([x as u8 * 4, y as u8 * 5, 90])
        }));
        let rgba = DynamicImage::ImageRgba8(RgbaImage::from_fn(64, 48, |x, _| {
            image::Rgba([200, 10, 10, x as u8 * 4])
        }));
        for (pixels, format) in [
            (&rgb, Format::Webp),
            (&rgb, Format::Jpeg),
            (&rgba, Format::Webp),
            (&rgba, Format::Png),
        ] {
            let bytes = encode(pixels, format, Quality::default()).unwrap();
            assert_eq!(
                bytes,
                encode(pixels, format, Quality::default()).unwrap(),
                "{format:?}"
            );
            let back = image::load_from_memory(&bytes).unwrap();
            assert_eq!((back.width(), back.height()), (64, 48), "{format:?}");
            assert_eq!(
                back.color().has_alpha(),
                pixels.color().has_alpha(),
                "{format:?}"
            );
        }
    }

    #[test]
    fn the_embedded_profile_is_small() {
        assert!(
            !SRGB_PROFILE.is_empty() && SRGB_PROFILE.len() < 1500,
            "{}",
            SRGB_PROFILE.len()
        );
    }
}
