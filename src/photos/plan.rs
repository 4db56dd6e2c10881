//! Which files one photo becomes, and their names and sizes: pure arithmetic, no pixels.
//!
//! - **Responsive widths** (the theme's, e.g. 360/720/1080/1600), never upscaled: a photo
//!   narrower than the widest width adds its own width instead, so the `srcset` still ends at
//!   the sharpest version there is. Each in WebP and in the fallback format.
//! - **The full-size version**, re-encoded without metadata (never the upload itself), in the
//!   fallback format.
//! - **Crops** for social cards and search (1200×630, 16:9, 4:3, 1:1), anchored at the
//!   writer's focus, in the fallback format only, because crawlers and chat apps read JPEG
//!   everywhere and WebP not always.
//!
//! The fallback is JPEG, or PNG when the photo has real transparency. Names are
//! `photos/<key>-<width>x<height>.<ext>` (crops add `-<x>-<y>`, the focus in percent), where
//! the key digests the source's bytes, the encoder settings and the engine version: a new
//! photo, new quality or new engine gives new URLs, so no browser keeps a stale copy.

use serde::{Deserialize, Serialize};

use super::focus::Focus;

/// The folder under the output (and name prefix) of every derived file.
pub const OUTPUT_FOLDER: &str = "photos";

/// Bumped whenever a change in this module or the encoders changes any output byte: it is in
/// every key, so caches and browsers never mix outputs of two engines.
pub const ENGINE_VERSION: u32 = 1;

/// An encoded file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Format {
    Webp,
    Jpeg,
    Png,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Webp => "webp",
            Format::Jpeg => "jpg",
            Format::Png => "png",
        }
    }

    /// The MIME type, for `<source type>` and Open Graph.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Webp => "image/webp",
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
        }
    }
}

/// What a derived file is for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    /// One width of the responsive set (`srcset`).
    Width,
    /// The whole photo at its own size, metadata-free.
    Full,
    /// A crop named like its [`CropSpec`] (`og`, `16x9`, …).
    Crop(String),
}

/// A crop to a fixed aspect ratio, `width` pixels wide where the source allows.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CropSpec {
    pub name: String,
    pub aspect: (u32, u32),
    pub width: u32,
}

impl CropSpec {
    pub fn new(name: &str, aspect: (u32, u32), width: u32) -> Self {
        Self {
            name: name.to_string(),
            aspect,
            width,
        }
    }

    /// What Open Graph / X cards (1200×630) and news search (16:9, 4:3, 1:1, ≥ 1200 px) ask for.
    pub fn social_and_search() -> Vec<CropSpec> {
        vec![
            CropSpec::new("og", (1200, 630), 1200),
            CropSpec::new("16x9", (16, 9), 1200),
            CropSpec::new("4x3", (4, 3), 1200),
            CropSpec::new("1x1", (1, 1), 1200),
        ]
    }
}

/// The part of the (upright) source a file is drawn from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    pub left: u32,
    pub top: u32,
    pub width: u32,
    pub height: u32,
}

/// One file to produce.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedFile {
    pub role: Role,
    pub format: Format,
    pub region: Region,
    pub width: u32,
    pub height: u32,
    /// `photos/<key>-…`, relative to the output folder.
    pub file: String,
}

/// Lists every file for a `width`×`height` source with the given settings.
pub fn plan(
    key: &str,
    (width, height): (u32, u32),
    transparent: bool,
    widths: &[u32],
    crops: &[CropSpec],
    focus: Focus,
) -> Vec<PlannedFile> {
    let whole = Region {
        left: 0,
        top: 0,
        width,
        height,
    };
    let fallback = if transparent {
        Format::Png
    } else {
        Format::Jpeg
    };
    let mut files = Vec::new();
    for target in responsive_widths(width, widths) {
        let target_height = scaled(height, target, width);
        for format in [Format::Webp, fallback] {
            let file = format!(
                "{OUTPUT_FOLDER}/{key}-{target}x{target_height}.{}",
                format.extension()
            );
            files.push(PlannedFile {
                role: Role::Width,
                format,
                region: whole,
                width: target,
                height: target_height,
                file,
            });
        }
    }
    let file = format!(
        "{OUTPUT_FOLDER}/{key}-{width}x{height}.{}",
        fallback.extension()
    );
    files.push(PlannedFile {
        role: Role::Full,
        format: fallback,
        region: whole,
        width,
        height,
        file,
    });
    files.extend(
        crops
            .iter()
            .map(|spec| plan_crop(key, (width, height), spec, focus, fallback)),
    );
    files
}

fn plan_crop(
    key: &str,
    size: (u32, u32),
    spec: &CropSpec,
    focus: Focus,
    format: Format,
) -> PlannedFile {
    let region = crop_region(size, spec.aspect, focus);
    let width = spec.width.min(region.width).max(1);
    let height = scaled(spec.aspect.1, width, spec.aspect.0);
    let (x, y) = (focus.x_percent, focus.y_percent);
    let file = format!(
        "{OUTPUT_FOLDER}/{key}-{width}x{height}-{x}-{y}.{}",
        format.extension()
    );
    PlannedFile {
        role: Role::Crop(spec.name.clone()),
        format,
        region,
        width,
        height,
        file,
    }
}

/// The theme's widths below the source's, plus the source's own when some width is larger
/// (never upscale, but still offer the sharpest version there is). Sorted, no duplicates.
pub fn responsive_widths(source_width: u32, widths: &[u32]) -> Vec<u32> {
    let mut chosen: Vec<u32> = widths
        .iter()
        .copied()
        .filter(|&w| w > 0 && w < source_width)
        .collect();
    if widths.iter().any(|&w| w >= source_width) {
        chosen.push(source_width);
    }
    chosen.sort_unstable();
    chosen.dedup();
    chosen
}

/// `length × numerator / denominator`, rounded, at least 1.
fn scaled(length: u32, numerator: u32, denominator: u32) -> u32 {
    let exact = u64::from(length) * u64::from(numerator);
    let rounded = (exact + u64::from(denominator) / 2) / u64::from(denominator.max(1));
    u32::try_from(rounded).unwrap_or(u32::MAX).max(1)
}

/// The largest region of the given aspect ratio inside the source, placed the way CSS
/// `object-position` places it: the focus point of the source lands on the same point of the
/// crop.
pub fn crop_region(
    (width, height): (u32, u32),
    (aspect_w, aspect_h): (u32, u32),
    focus: Focus,
) -> Region {
    let wider_than_aspect =
        u64::from(width) * u64::from(aspect_h) > u64::from(height) * u64::from(aspect_w);
    let (crop_w, crop_h) = if wider_than_aspect {
        (scaled(height, aspect_w, aspect_h).min(width), height)
    } else {
        (width, scaled(width, aspect_h, aspect_w).min(height))
    };
    let (fx, fy) = focus.fractions();
    let left = (f64::from(width - crop_w) * fx).round() as u32;
    let top = (f64::from(height - crop_h) * fy).round() as u32;
    Region {
        left,
        top,
        width: crop_w,
        height: crop_h,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_upscales_but_offers_the_source_width() {
        let widths = [360, 720, 1080, 1600];
        assert_eq!(responsive_widths(4000, &widths), vec![360, 720, 1080, 1600]);
        assert_eq!(responsive_widths(1000, &widths), vec![360, 720, 1000]);
        assert_eq!(responsive_widths(1600, &widths), vec![360, 720, 1080, 1600]);
        assert_eq!(responsive_widths(200, &widths), vec![200]);
    }

    #[test]
    fn crops_follow_the_focus_like_object_position() {
        let wide = (4000, 2000);
        assert_eq!(
            crop_region(wide, (1, 1), Focus::CENTER),
            Region {
                left: 1000,
                top: 0,
                width: 2000,
                height: 2000
            }
        );
        assert_eq!(
            crop_region(wide, (1, 1), Focus::parse("left").unwrap()).left,
            0
        );
        assert_eq!(
            crop_region(wide, (1, 1), Focus::parse("right").unwrap()).left,
            2000
        );
        assert_eq!(
            crop_region(wide, (1, 1), Focus::parse("30% 0%").unwrap()).left,
            600
        );
        let tall = (1000, 3000);
        let top = crop_region(tall, (16, 9), Focus::parse("top").unwrap());
        assert_eq!(
            top,
            Region {
                left: 0,
                top: 0,
                width: 1000,
                height: 563
            }
        );
        assert_eq!(
            crop_region(tall, (16, 9), Focus::parse("bottom").unwrap()).top,
            3000 - 563
        );
    }

    #[test]
    fn plans_every_file_with_stable_names() {
        let files = plan(
            "k",
            (4000, 3000),
            false,
            &[720, 1600],
            &CropSpec::social_and_search(),
            Focus::CENTER,
        );
        let names: Vec<&str> = files.iter().map(|f| f.file.as_str()).collect();
        assert_eq!(
            names,
            [
                "photos/k-720x540.webp",
                "photos/k-720x540.jpg",
                "photos/k-1600x1200.webp",
                "photos/k-1600x1200.jpg",
                "photos/k-4000x3000.jpg",
                "photos/k-1200x630-50-50.jpg",
                "photos/k-1200x675-50-50.jpg",
                "photos/k-1200x900-50-50.jpg",
                "photos/k-1200x1200-50-50.jpg",
            ]
        );
        let small = plan(
            "k",
            (800, 600),
            true,
            &[720, 1600],
            &CropSpec::social_and_search(),
            Focus::CENTER,
        );
        assert!(small.iter().all(|f| f.format != Format::Jpeg));
        let og = small
            .iter()
            .find(|f| f.role == Role::Crop("og".into()))
            .unwrap();
        assert_eq!(
            (og.width, og.height),
            (800, 420),
            "a small source gives a smaller crop, same aspect"
        );
    }
}
