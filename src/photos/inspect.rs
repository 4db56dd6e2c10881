//! Finding metadata in image files: the privacy check run over everything published.
//!
//! It reads the container structure only (JPEG segments, PNG chunks, WebP RIFF chunks), never
//! the pixels, and names anything that can carry personal data: EXIF (GPS, camera serial
//! numbers, thumbnails), XMP, IPTC, comments and text chunks. What pixels need stays
//! allowed: JFIF, an sRGB ICC profile, Adobe's colour-transform marker, PNG's colour chunks.

use std::path::{Path, PathBuf};

/// Every piece of metadata in `bytes`, described; empty for a clean file or a format this
/// does not read.
pub fn find_metadata(bytes: &[u8]) -> Vec<String> {
    if bytes.starts_with(&[0xFF, 0xD8]) {
        jpeg_metadata(bytes)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        png_metadata(bytes)
    } else if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        webp_metadata(bytes)
    } else {
        Vec::new()
    }
}

/// Every JPEG, PNG and WebP file under `folder` that carries metadata, with what it carries.
pub fn scan_folder(folder: &Path) -> Vec<(PathBuf, Vec<String>)> {
    let is_image = |path: &Path| {
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        matches!(extension.as_str(), "jpg" | "jpeg" | "png" | "webp")
    };
    walkdir::WalkDir::new(folder)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file() && is_image(entry.path()))
        .filter_map(|entry| {
            let found = find_metadata(&std::fs::read(entry.path()).ok()?);
            (!found.is_empty()).then(|| (entry.into_path(), found))
        })
        .collect()
}

fn jpeg_metadata(bytes: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    let mut at = 2;
    while let (Some(&0xFF), Some(&marker)) = (bytes.get(at), bytes.get(at + 1)) {
        if marker == 0xDA || marker == 0xD9 {
            break; // start of scan: no more metadata segments before the pixels
        }
        let Some(length) = bytes
            .get(at + 2..at + 4)
            .map(|l| usize::from(u16::from_be_bytes([l[0], l[1]])))
        else {
            break;
        };
        let body = bytes.get(at + 4..at + 2 + length).unwrap_or(&[]);
        if let Some(what) = jpeg_segment_metadata(marker, body) {
            found.push(what);
        }
        at += 2 + length;
    }
    found
}

/// An EXIF segment holding nothing but the orientation, as [`super::strip`] writes it.
fn is_bare_orientation(body: &[u8]) -> bool {
    let Some(tiff) = body.strip_prefix(b"Exif\0\0") else {
        return false;
    };
    super::strip::orientation_only_exif(tiff).as_deref() == Some(tiff)
}

fn jpeg_segment_metadata(marker: u8, body: &[u8]) -> Option<String> {
    let app = marker.wrapping_sub(0xE0);
    match marker {
        // The one EXIF qissa keeps: the bare orientation of a sideways-stored static image.
        0xE1 if is_bare_orientation(body) => None,
        0xE1 if body.starts_with(b"Exif\0") => Some("JPEG EXIF (APP1)".into()),
        0xE1 if body.starts_with(b"http://ns.adobe.com/") => Some("JPEG XMP (APP1)".into()),
        0xED => Some("JPEG IPTC/Photoshop (APP13)".into()),
        0xFE => Some("JPEG comment (COM)".into()),
        0xE0 if body.starts_with(b"JFIF\0") => None,
        0xE2 if body.starts_with(b"ICC_PROFILE\0") => None,
        0xEE if body.starts_with(b"Adobe") => None,
        0xE0..=0xEF => Some(format!("JPEG APP{app} segment")),
        _ => None,
    }
}

fn png_metadata(bytes: &[u8]) -> Vec<String> {
    const METADATA: [&[u8; 4]; 5] = [b"eXIf", b"tEXt", b"iTXt", b"zTXt", b"tIME"];
    let mut found = Vec::new();
    let mut at = 8;
    while let Some(header) = bytes.get(at..at + 8) {
        let length = u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as usize;
        let kind = &header[4..8];
        if METADATA.iter().any(|m| m.as_slice() == kind) {
            found.push(format!("PNG {} chunk", String::from_utf8_lossy(kind)));
        }
        at = at.saturating_add(12).saturating_add(length);
    }
    found
}

fn webp_metadata(bytes: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    let mut at = 12;
    while let Some(header) = bytes.get(at..at + 8) {
        let length = u32::from_le_bytes([header[4], header[5], header[6], header[7]]) as usize;
        match &header[0..4] {
            b"EXIF" => found.push("WebP EXIF chunk".to_string()),
            b"XMP " => found.push("WebP XMP chunk".to_string()),
            _ => {}
        }
        // RIFF chunks are padded to an even length.
        at = at.saturating_add(8).saturating_add(length + (length & 1));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_jpeg_exif_and_xmp_but_not_jfif_or_icc() {
        let mut jpeg = vec![0xFF, 0xD8];
        for (marker, body) in [
            (0xE0, &b"JFIF\0\x01\x01"[..]),
            (0xE2, b"ICC_PROFILE\0\x01\x01"),
            (0xE1, b"Exif\0\0MM"),
            (0xE1, b"http://ns.adobe.com/xap/1.0/\0<x/>"),
        ] {
            jpeg.extend([0xFF, marker]);
            jpeg.extend(((body.len() + 2) as u16).to_be_bytes());
            jpeg.extend(body);
        }
        jpeg.extend([0xFF, 0xDA, 0, 2, 0xFF, 0xD9]);
        assert_eq!(
            find_metadata(&jpeg),
            ["JPEG EXIF (APP1)", "JPEG XMP (APP1)"]
        );
    }

    #[test]
    fn names_png_text_and_webp_exif() {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        for kind in [b"IHDR", b"tEXt", b"IEND"] {
            png.extend(1u32.to_be_bytes());
            png.extend(kind);
            png.extend([0, 0, 0, 0, 0]);
        }
        assert_eq!(find_metadata(&png), ["PNG tEXt chunk"]);
        let mut webp = b"RIFF\0\0\0\0WEBP".to_vec();
        for kind in [b"VP8X", b"EXIF", b"XMP "] {
            webp.extend(kind);
            webp.extend(3u32.to_le_bytes());
            webp.extend([1, 2, 3, 0]);
        }
        assert_eq!(find_metadata(&webp), ["WebP EXIF chunk", "WebP XMP chunk"]);
    }
}
