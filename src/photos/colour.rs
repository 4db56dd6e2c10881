//! Colour: every published photo is sRGB.
//!
//! Phones shoot Display P3 and agencies send Adobe RGB; a browser shows such pixels right only
//! while the profile travels with them, and social networks and many apps drop profiles. So
//! a photo with a wide-gamut RGB profile is converted to sRGB here (moxcms, pure Rust), and
//! the outputs are plain sRGB, which is what an untagged image means on the web. A profile
//! that already is sRGB (most uploads) is left alone, saving the transform. CMYK JPEGs reach
//! this module already turned into RGB by the decoder, so their CMYK profile is not applied.

use image::DynamicImage;
use moxcms::{ColorProfile, DataColorSpace, Layout, TransformOptions, Xyzd};

/// Converts `pixels` (RGB8 or RGBA8) from the colour space `icc` describes into sRGB. A
/// profile that cannot be read, is not RGB or is sRGB already changes nothing.
pub fn to_srgb(pixels: &mut DynamicImage, icc: &[u8]) {
    let Ok(source) = ColorProfile::new_from_slice(icc) else {
        return;
    };
    if source.color_space != DataColorSpace::Rgb || is_srgb(&source) {
        return;
    }
    let srgb = ColorProfile::new_srgb();
    let layout = if pixels.color().has_alpha() {
        Layout::Rgba
    } else {
        Layout::Rgb
    };
    let Ok(transform) =
        source.create_transform_8bit(layout, &srgb, layout, TransformOptions::default())
    else {
        return;
    };
    let buffer: &mut [u8] = match pixels {
        DynamicImage::ImageRgb8(rgb) => rgb,
        DynamicImage::ImageRgba8(rgba) => rgba,
        _ => return,
    };
    let input = buffer.to_vec();
    // Leave the pixels as decoded if the transform fails half-way: wrong colours are better
    // than a lost photo, and moxcms only fails here on mismatched lengths.
    if transform.transform(&input, buffer).is_err() {
        buffer.copy_from_slice(&input);
    }
}

/// Is this profile sRGB in all but name? Primaries within a small tolerance of sRGB's are
/// enough: every sRGB variant in the wild (v2, v4, the compact ones) passes, Display P3 and
/// Adobe RGB do not.
fn is_srgb(profile: &ColorProfile) -> bool {
    let srgb = ColorProfile::new_srgb();
    let close = |a: Xyzd, b: Xyzd| {
        (a.x - b.x).abs() < 0.003 && (a.y - b.y).abs() < 0.003 && (a.z - b.z).abs() < 0.003
    };
    close(profile.red_colorant, srgb.red_colorant)
        && close(profile.green_colorant, srgb.green_colorant)
        && close(profile.blue_colorant, srgb.blue_colorant)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::RgbImage;

    fn display_p3() -> Vec<u8> {
        ColorProfile::new_display_p3().encode().unwrap()
    }

    #[test]
    fn converts_display_p3_to_srgb_and_keeps_srgb_as_it_is() {
        // Saturated P3 green is outside sRGB: after conversion red must have gone negative
        // (clipped to 0) and green stays full, while the sRGB profile changes nothing.
        let green = RgbImage::from_pixel(2, 2, image::Rgb([40, 200, 60]));
        let mut p3 = DynamicImage::ImageRgb8(green.clone());
        to_srgb(&mut p3, &display_p3());
        assert_ne!(p3.to_rgb8().get_pixel(0, 0).0, [40, 200, 60]);
        let mut srgb = DynamicImage::ImageRgb8(green);
        to_srgb(&mut srgb, &ColorProfile::new_srgb().encode().unwrap());
        assert_eq!(srgb.to_rgb8().get_pixel(0, 0).0, [40, 200, 60]);
    }

    #[test]
    fn ignores_garbage_profiles() {
        let mut pixels = DynamicImage::ImageRgb8(RgbImage::from_pixel(1, 1, image::Rgb([1, 2, 3])));
        to_srgb(&mut pixels, b"not a profile");
        assert_eq!(pixels.to_rgb8().get_pixel(0, 0).0, [1, 2, 3]);
    }
}
