//! Lossless stripping on generated files: the metadata is gone by `inspect`'s account, the
//! pixels decode to the same bytes, a clean file comes back borrowed, and broken input is an
//! error or an unchanged copy, never a panic.

use std::borrow::Cow;

use image::{DynamicImage, RgbaImage};
use proptest::prelude::*;

use super::generate::*;
use crate::photos::inspect::find_metadata;
use crate::photos::strip::strip_metadata;

/// Strips `bytes`, checks nothing is left and the pixels are the same; returns the result.
fn strip_and_check(bytes: &[u8]) -> Vec<u8> {
    assert!(
        !find_metadata(bytes).is_empty(),
        "the test file has metadata"
    );
    let stripped = strip_metadata(bytes).unwrap();
    assert!(matches!(stripped, Cow::Owned(_)));
    assert_eq!(find_metadata(&stripped), Vec::<String>::new());
    let before = image::load_from_memory(bytes).unwrap();
    let after = image::load_from_memory(&stripped).unwrap();
    assert_eq!(before.dimensions_and_bytes(), after.dimensions_and_bytes());
    stripped.into_owned()
}

trait Pixels {
    fn dimensions_and_bytes(&self) -> (u32, u32, Vec<u8>);
}

impl Pixels for DynamicImage {
    fn dimensions_and_bytes(&self) -> (u32, u32, Vec<u8>) {
        (self.width(), self.height(), self.as_bytes().to_vec())
    }
}

#[test]
fn a_phone_jpeg_loses_exif_xmp_and_iptc_but_not_its_scan() {
    let original = phone_jpeg(&gradient(64, 48), 1);
    let stripped = strip_and_check(&original);
    // The last scan: the embedded EXIF thumbnail has one of its own.
    let scan = |b: &[u8]| b.windows(2).rposition(|w| w == [0xFF, 0xDA]).unwrap();
    assert_eq!(
        &stripped[scan(&stripped)..],
        &original[scan(&original)..],
        "the entropy-coded data is copied as it is"
    );
    assert!(
        !stripped.windows(5).any(|w| w == b"Riyad"),
        "IPTC city gone"
    );
}

#[test]
fn a_sideways_jpeg_keeps_only_its_orientation() {
    let original = phone_jpeg(&gradient(64, 48), 6);
    let stripped = strip_metadata(&original).unwrap().into_owned();
    // Only the bare orientation is left, the one EXIF a published file may keep.
    assert!(
        find_metadata(&stripped).is_empty(),
        "{:?}",
        find_metadata(&stripped)
    );
    assert!(stripped.windows(6).any(|w| w == b"Exif\0\0"));
    let pixels = |b: &[u8]| image::load_from_memory(b).unwrap().dimensions_and_bytes();
    assert_eq!(pixels(&original), pixels(&stripped));
    let decoder = image::codecs::jpeg::JpegDecoder::new(std::io::Cursor::new(&stripped));
    let mut decoder = decoder.unwrap();
    let orientation = image::ImageDecoder::orientation(&mut decoder).unwrap();
    assert_eq!(orientation, image::metadata::Orientation::Rotate90);
    let secrets = [&b"SN-0042"[..], b"PhoneMaker", b"Riyad"];
    for secret in secrets {
        assert!(!stripped.windows(secret.len()).any(|w| w == secret));
    }
}

#[test]
fn comments_between_progressive_scans_and_jfif_extensions_go_too() {
    let original = jpeg_with_comments(&progressive_jpeg(&gradient(40, 40)));
    let hidden = b"between scans";
    assert!(original.windows(hidden.len()).any(|w| w == hidden));
    let stripped = strip_and_check(&original);
    assert!(!stripped.windows(hidden.len()).any(|w| w == hidden));
}

#[test]
fn an_icc_profile_and_jfif_stay() {
    let clean = jpeg(&gradient(32, 32), 80);
    let stripped = strip_metadata(&clean).unwrap();
    assert!(
        matches!(stripped, Cow::Borrowed(_)),
        "nothing to strip: borrowed"
    );
}

#[test]
fn a_png_loses_text_time_and_exif_but_keeps_srgb() {
    let pixels = DynamicImage::ImageRgba8(disc(24));
    let stripped = strip_and_check(&png_with_metadata(&pixels, 1));
    assert!(stripped.windows(4).any(|w| w == b"sRGB"));
    assert!(!stripped.windows(4).any(|w| w == b"eXIf"));
    let plain = png(&pixels);
    assert!(matches!(strip_metadata(&plain).unwrap(), Cow::Borrowed(_)));
}

#[test]
fn a_webp_loses_exif_and_xmp_and_its_flags_and_size_match() {
    let stripped = strip_and_check(&webp_with_metadata(&disc(20), 1));
    let riff_size = u32::from_le_bytes(stripped[4..8].try_into().unwrap()) as usize;
    assert_eq!(riff_size + 8, stripped.len());
    assert_eq!(&stripped[12..16], b"VP8X");
    assert_eq!(stripped[20] & 0x0C, 0, "EXIF and XMP flags cleared");
    assert_eq!(stripped[20] & 0x10, 0x10, "the alpha flag stays");
}

#[test]
fn a_sideways_webp_and_png_keep_a_minimal_exif() {
    let webp = strip_metadata(&webp_with_metadata(&disc(20), 8))
        .unwrap()
        .into_owned();
    assert_eq!(webp[20] & 0x0C, 0x08, "EXIF flag kept, XMP cleared");
    assert!(!webp.windows(7).any(|w| w == b"SN-0042"));
    image::load_from_memory(&webp).unwrap();
    let png = png_with_metadata(&DynamicImage::ImageRgba8(disc(8)), 3);
    let png = strip_metadata(&png).unwrap();
    assert!(png.windows(4).any(|w| w == b"eXIf"));
    assert!(!png.windows(7).any(|w| w == b"SN-0042"));
    image::load_from_memory(&png).unwrap();
}

#[test]
fn other_files_come_back_unchanged() {
    for bytes in [&b"<svg/>"[..], b"GIF89a", b"", b"RIFF"] {
        assert!(matches!(strip_metadata(bytes), Ok(Cow::Borrowed(b)) if b == bytes));
    }
}

#[test]
fn truncated_files_are_errors() {
    let whole = phone_jpeg(&gradient(16, 16), 1);
    assert!(strip_metadata(&whole[..40]).is_err());
    let png = png_with_metadata(&DynamicImage::ImageRgba8(RgbaImage::new(4, 4)), 1);
    assert!(strip_metadata(&png[..png.len() - 5]).is_err());
    let webp = webp_with_metadata(&disc(8), 1);
    assert!(strip_metadata(&webp[..webp.len() - 3]).is_err());
}

/// Real files of each kind to cut and corrupt.
fn samples() -> Vec<Vec<u8>> {
    vec![
        phone_jpeg(&gradient(16, 12), 6),
        jpeg_with_comments(&progressive_jpeg(&gradient(16, 16))),
        png_with_metadata(&DynamicImage::ImageRgba8(disc(8)), 6),
        webp_with_metadata(&disc(8), 6),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn cut_or_scribbled_files_never_panic(
        which in 0usize..4,
        cut in any::<prop::sample::Index>(),
        scribbles in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..8),
    ) {
        let mut bytes = samples().swap_remove(which);
        for (at, value) in scribbles {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        let len = cut.index(bytes.len() + 1);
        let _ = strip_metadata(&bytes[..len]);
    }

    #[test]
    fn garbage_after_a_signature_never_panics(
        head in 0usize..4,
        tail in prop::collection::vec(any::<u8>(), 0..200),
    ) {
        let heads: [&[u8]; 4] = [b"\xFF\xD8", b"\x89PNG\r\n\x1a\n", b"RIFF\x10\0\0\0WEBP", b"RIFF\xFF\xFF\xFF\xFFWEBP"];
        let bytes = [heads[head], &tail[..]].concat();
        let _ = strip_metadata(&bytes);
    }
}
