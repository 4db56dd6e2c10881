//! Drawing one planned file's pixels from the decoded photo: crop and resize in one pass.
//!
//! fast_image_resize does it with SIMD, Lanczos3 (sharp, with little ringing: the filter
//! photo sites and libvips default to), and treats alpha properly (premultiplied, so
//! transparent edges don't turn dark). It picks the best instruction set of the CPU it runs
//! on; outputs are identical from run to run on one machine, which is what the cache needs.

use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{PixelType, ResizeOptions, Resizer};
use image::{DynamicImage, RgbImage, RgbaImage};

use super::plan::Region;

/// The pixels of `region` of `source` (RGB8 or RGBA8) scaled to `width`×`height`.
pub fn render(source: &DynamicImage, region: Region, width: u32, height: u32) -> DynamicImage {
    let whole = region.left == 0
        && region.top == 0
        && (region.width, region.height) == (source.width(), source.height());
    if whole && (width, height) == (region.width, region.height) {
        return source.clone();
    }
    let (pixel_type, bytes) = match source {
        DynamicImage::ImageRgba8(rgba) => (PixelType::U8x4, rgba.as_raw().as_slice()),
        DynamicImage::ImageRgb8(rgb) => (PixelType::U8x3, rgb.as_raw().as_slice()),
        other => unreachable!("decode produces RGB8 or RGBA8, not {:?}", other.color()),
    };
    let (source_width, source_height) = (source.width(), source.height());
    let view = ImageRef::new(source_width, source_height, bytes, pixel_type)
        .expect("the buffer of an image crate image matches its size");
    let mut target = Image::new(width, height, pixel_type);
    let options = ResizeOptions::new().crop(
        f64::from(region.left),
        f64::from(region.top),
        f64::from(region.width),
        f64::from(region.height),
    );
    Resizer::new()
        .resize(&view, &mut target, &options)
        .expect("same pixel type on both sides and a crop box inside the source");
    wrap(pixel_type, width, height, target.into_vec())
}

fn wrap(pixel_type: PixelType, width: u32, height: u32, buffer: Vec<u8>) -> DynamicImage {
    if pixel_type == PixelType::U8x4 {
        DynamicImage::ImageRgba8(RgbaImage::from_raw(width, height, buffer).expect("sized by fir"))
    } else {
        DynamicImage::ImageRgb8(RgbImage::from_raw(width, height, buffer).expect("sized by fir"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crops_then_scales() {
        // Left half red, right half blue: cropping the right half gives blue only.
        let source = RgbImage::from_fn(200, 100, |x, _| {
            if x < 100 {
                image::Rgb([255, 0, 0])
            } else {
                image::Rgb([0, 0, 255])
            }
        });
        let source = DynamicImage::ImageRgb8(source);
        let right = Region {
            left: 100,
            top: 0,
            width: 100,
            height: 100,
        };
        let out = render(&source, right, 10, 10).to_rgb8();
        assert_eq!((out.width(), out.height()), (10, 10));
        // Lanczos reads a little past the crop's edge, as libvips does; the rest is blue.
        assert!(
            out.enumerate_pixels()
                .filter(|(x, _, _)| *x >= 4)
                .all(|(_, _, p)| p.0[2] > 250 && p.0[0] < 5)
        );
    }
}
