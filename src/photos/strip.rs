//! Lossless metadata stripping for images that are copied rather than processed.
//!
//! Theme assets and static images no article uses (an icon a stylesheet points at, a
//! background) are published byte for byte, so whatever a camera or an editor left in them
//! would go public: EXIF with a GPS position or a serial number, XMP, IPTC, comments, text
//! chunks. [`strip_metadata`] removes those from the container without touching a pixel: JPEG
//! segments before, between and after the scans (the entropy-coded data is copied as it is),
//! PNG chunks, WebP RIFF chunks (clearing the matching VP8X flags and fixing the RIFF size).
//! What decoding needs stays: JFIF (without its thumbnail), ICC profiles, Adobe's colour
//! transform, PNG's colour and density chunks. An EXIF orientation other than "upright" is
//! kept as a minimal EXIF block holding that one tag, so a sideways-stored icon still shows
//! upright. A file with nothing to remove comes back borrowed, at no cost; a file that is not
//! JPEG, PNG or WebP comes back unchanged; a damaged one is an error, never a panic.

use std::borrow::Cow;
use std::fmt;

/// Why a file could not be stripped (its container structure is broken).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StripError {
    /// `JPEG`, `PNG` or `WebP`.
    pub format: &'static str,
    /// What is wrong, in words.
    pub detail: &'static str,
}

impl fmt::Display for StripError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "damaged {} file: {}", self.format, self.detail)
    }
}

impl std::error::Error for StripError {}

/// `bytes` without metadata: borrowed when there is nothing to remove or the format is not
/// one this reads (JPEG, PNG, WebP), owned otherwise.
pub fn strip_metadata(bytes: &[u8]) -> Result<Cow<'_, [u8]>, StripError> {
    let pieces = if bytes.starts_with(&[0xFF, 0xD8]) {
        jpeg_pieces(bytes)?
    } else if bytes.starts_with(PNG_SIGNATURE) {
        png_pieces(bytes)?
    } else if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        return strip_webp(bytes);
    } else {
        return Ok(Cow::Borrowed(bytes));
    };
    Ok(assemble(bytes, &pieces))
}

/// What becomes of one stretch of the input.
enum Piece {
    Keep(usize, usize),
    Replace(Vec<u8>),
}

/// The input again when every piece is kept in one run, or the pieces joined.
fn assemble<'a>(bytes: &'a [u8], pieces: &[Piece]) -> Cow<'a, [u8]> {
    let untouched = pieces
        .iter()
        .try_fold(0, |at, piece| match piece {
            Piece::Keep(start, end) if *start == at => Some(*end),
            _ => None,
        })
        .is_some_and(|end| end == bytes.len());
    if untouched {
        return Cow::Borrowed(bytes);
    }
    let mut out = Vec::with_capacity(bytes.len());
    for piece in pieces {
        match piece {
            Piece::Keep(start, end) => out.extend_from_slice(&bytes[*start..*end]),
            Piece::Replace(new) => out.extend_from_slice(new),
        }
    }
    Cow::Owned(out)
}

fn jpeg_error(detail: &'static str) -> StripError {
    StripError {
        format: "JPEG",
        detail,
    }
}

/// Walks every marker of a JPEG, deciding for each segment; after each scan header the
/// entropy-coded data is kept whole, up to the next marker.
fn jpeg_pieces(bytes: &[u8]) -> Result<Vec<Piece>, StripError> {
    let mut pieces = vec![Piece::Keep(0, 2)];
    let mut at = 2;
    while at < bytes.len() {
        if bytes[at] != 0xFF {
            return Err(jpeg_error("expected a marker"));
        }
        let marker_at = skip_fill_bytes(bytes, at);
        let Some(&marker) = bytes.get(marker_at + 1) else {
            return Err(jpeg_error("the file ends inside a marker"));
        };
        if marker == 0xD9 {
            pieces.push(Piece::Keep(at, bytes.len()));
            break;
        }
        if marker == 0x01 || (0xD0..=0xD7).contains(&marker) {
            pieces.push(Piece::Keep(at, marker_at + 2));
            at = marker_at + 2;
            continue;
        }
        let end = jpeg_segment_end(bytes, marker_at)?;
        let body = &bytes[marker_at + 4..end];
        pieces.push(match jpeg_segment_fate(marker, body) {
            Fate::Keep => Piece::Keep(at, end),
            Fate::Drop => Piece::Replace(Vec::new()),
            Fate::Replace(new) => Piece::Replace(new),
        });
        at = end;
        if marker == 0xDA {
            let data_end = entropy_data_end(bytes, at);
            pieces.push(Piece::Keep(at, data_end));
            at = data_end;
        }
    }
    Ok(pieces)
}

/// The index of the last of a run of 0xFF fill bytes starting at `at`.
fn skip_fill_bytes(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at + 1) == Some(&0xFF) {
        at += 1;
    }
    at
}

/// Where the segment whose marker sits at `at` ends (its length field counts itself).
fn jpeg_segment_end(bytes: &[u8], at: usize) -> Result<usize, StripError> {
    let length = bytes
        .get(at + 2..at + 4)
        .map(|l| usize::from(u16::from_be_bytes([l[0], l[1]])))
        .ok_or_else(|| jpeg_error("the file ends inside a segment header"))?;
    if length < 2 {
        return Err(jpeg_error("a segment claims a length below 2"));
    }
    let end = at + 2 + length;
    if end > bytes.len() {
        return Err(jpeg_error("a segment runs past the end of the file"));
    }
    Ok(end)
}

/// The first marker after entropy-coded data starting at `at`, or the file's end: 0xFF
/// followed by 0x00 is a stuffed byte and 0xFFD0–0xFFD7 restart markers belong to the data.
fn entropy_data_end(bytes: &[u8], mut at: usize) -> usize {
    while at + 1 < bytes.len() {
        if bytes[at] == 0xFF && !matches!(bytes[at + 1], 0x00 | 0xD0..=0xD7 | 0xFF) {
            return at;
        }
        at += 1;
    }
    bytes.len()
}

/// What becomes of one segment.
enum Fate {
    Keep,
    Drop,
    Replace(Vec<u8>),
}

fn jpeg_segment_fate(marker: u8, body: &[u8]) -> Fate {
    match marker {
        0xE0 if body.starts_with(b"JFIF\0") => jfif_without_thumbnail(body),
        0xE1 if body.starts_with(b"Exif\0\0") => match orientation_only_exif(&body[6..]) {
            Some(tiff) => Fate::Replace(jpeg_segment(0xE1, &[b"Exif\0\0", &tiff[..]].concat())),
            None => Fate::Drop,
        },
        0xE2 if body.starts_with(b"ICC_PROFILE\0") => Fate::Keep,
        0xEE if body.starts_with(b"Adobe") => Fate::Keep,
        0xE0..=0xEF | 0xFE => Fate::Drop,
        _ => Fate::Keep,
    }
}

/// A JFIF segment may carry an uncompressed thumbnail after its 14 fixed bytes.
fn jfif_without_thumbnail(body: &[u8]) -> Fate {
    if body.len() <= 14 {
        return Fate::Keep;
    }
    let mut fixed = body[..14].to_vec();
    fixed[12] = 0;
    fixed[13] = 0;
    Fate::Replace(jpeg_segment(0xE0, &fixed))
}

fn jpeg_segment(marker: u8, body: &[u8]) -> Vec<u8> {
    let length = (body.len() + 2) as u16;
    [&[0xFF, marker][..], &length.to_be_bytes(), body].concat()
}

/// A minimal TIFF block holding only the orientation of `tiff`, when that is not upright.
pub fn orientation_only_exif(tiff: &[u8]) -> Option<Vec<u8>> {
    let orientation = exif_orientation(tiff).filter(|o| (2..=8).contains(o))?;
    let mut out = b"MM\0\x2a\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01".to_vec();
    out.extend(orientation.to_be_bytes());
    out.extend([0, 0, 0, 0, 0, 0]);
    Some(out)
}

/// The orientation tag (0x0112) of IFD0 in a TIFF block, if it is readable.
fn exif_orientation(tiff: &[u8]) -> Option<u16> {
    let big = match tiff.get(0..2)? {
        b"MM" => true,
        b"II" => false,
        _ => return None,
    };
    let u16_at = |at: usize| {
        let b = tiff.get(at..at.checked_add(2)?)?;
        Some(if big {
            u16::from_be_bytes([b[0], b[1]])
        } else {
            u16::from_le_bytes([b[0], b[1]])
        })
    };
    let ifd = usize::try_from(if big {
        u32::from_be_bytes(tiff.get(4..8)?.try_into().ok()?)
    } else {
        u32::from_le_bytes(tiff.get(4..8)?.try_into().ok()?)
    })
    .ok()?;
    let count = usize::from(u16_at(ifd)?);
    (0..count)
        .map(|i| ifd.saturating_add(2).saturating_add(12 * i))
        .find(|&entry| u16_at(entry) == Some(0x0112) && u16_at(entry.saturating_add(2)) == Some(3))
        .and_then(|entry| u16_at(entry.saturating_add(8)))
}

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

fn png_error(detail: &'static str) -> StripError {
    StripError {
        format: "PNG",
        detail,
    }
}

/// Every chunk kept except text, time and EXIF; an `eXIf` with a sideways orientation is
/// replaced by one holding only that. Bytes after `IEND` are kept as they are.
fn png_pieces(bytes: &[u8]) -> Result<Vec<Piece>, StripError> {
    let mut pieces = vec![Piece::Keep(0, PNG_SIGNATURE.len())];
    let mut at = PNG_SIGNATURE.len();
    while at < bytes.len() {
        let header = bytes
            .get(at..at + 8)
            .ok_or_else(|| png_error("the file ends inside a chunk header"))?;
        let length = u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as usize;
        let kind: [u8; 4] = [header[4], header[5], header[6], header[7]];
        let end = at
            .checked_add(12)
            .and_then(|n| n.checked_add(length))
            .filter(|&end| end <= bytes.len())
            .ok_or_else(|| png_error("a chunk runs past the end of the file"))?;
        pieces.push(match &kind {
            b"tEXt" | b"iTXt" | b"zTXt" | b"tIME" => Piece::Replace(Vec::new()),
            b"eXIf" => Piece::Replace(
                orientation_only_exif(&bytes[at + 8..end - 4])
                    .map(|tiff| png_chunk(b"eXIf", &tiff))
                    .unwrap_or_default(),
            ),
            _ => Piece::Keep(at, end),
        });
        at = end;
        if &kind == b"IEND" {
            pieces.push(Piece::Keep(at, bytes.len()));
            break;
        }
    }
    Ok(pieces)
}

fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
    chunk.extend(kind);
    chunk.extend(data);
    chunk.extend(crc32(&chunk[4..]).to_be_bytes());
    chunk
}

/// The CRC-32 PNG chunks end with (over the chunk's type and data).
pub(crate) fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn webp_error(detail: &'static str) -> StripError {
    StripError {
        format: "WebP",
        detail,
    }
}

/// VP8X flag bits for the chunks this removes.
const VP8X_EXIF: u8 = 0x08;
const VP8X_XMP: u8 = 0x04;

/// A WebP without `EXIF` (unless it only keeps a sideways orientation) and `XMP ` chunks,
/// its VP8X flags and RIFF size made to match.
fn strip_webp(bytes: &[u8]) -> Result<Cow<'_, [u8]>, StripError> {
    let chunks = webp_chunks(bytes)?;
    let mut changed = false;
    let mut kept: Vec<Cow<[u8]>> = Vec::with_capacity(chunks.len());
    for chunk in chunks {
        match &chunk[0..4] {
            b"XMP " => changed = true,
            b"EXIF" => {
                changed = true;
                if let Some(tiff) = orientation_only_exif(&chunk[8..]) {
                    kept.push(Cow::Owned(riff_chunk(b"EXIF", &tiff)));
                }
            }
            _ => kept.push(Cow::Borrowed(chunk)),
        }
    }
    if !changed {
        return Ok(Cow::Borrowed(bytes));
    }
    let has_exif = kept.iter().any(|c| c.starts_with(b"EXIF"));
    let mut out = b"RIFF\0\0\0\0WEBP".to_vec();
    for chunk in &kept {
        let at = out.len();
        out.extend_from_slice(chunk);
        if chunk.starts_with(b"VP8X") && chunk.len() > 8 {
            out[at + 8] &= !VP8X_XMP;
            if !has_exif {
                out[at + 8] &= !VP8X_EXIF;
            }
        }
    }
    let riff_size = u32::try_from(out.len() - 8).map_err(|_| webp_error("too large"))?;
    out[4..8].copy_from_slice(&riff_size.to_le_bytes());
    Ok(Cow::Owned(out))
}

/// Each chunk of a WebP's RIFF container with its header and padding; bytes past the RIFF
/// size are not part of the image and are dropped.
fn webp_chunks(bytes: &[u8]) -> Result<Vec<&[u8]>, StripError> {
    let riff_size = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize;
    let end = riff_size
        .checked_add(8)
        .filter(|&end| end <= bytes.len())
        .ok_or_else(|| webp_error("the RIFF size runs past the end of the file"))?;
    let mut chunks = Vec::new();
    let mut at = 12;
    while at < end {
        let header = bytes
            .get(at..at + 8)
            .filter(|_| at + 8 <= end)
            .ok_or_else(|| webp_error("the file ends inside a chunk header"))?;
        let length = u32::from_le_bytes([header[4], header[5], header[6], header[7]]) as usize;
        let padded = length
            .checked_add(length & 1)
            .and_then(|l| l.checked_add(8));
        let chunk_end = padded
            .and_then(|l| at.checked_add(l))
            .filter(|&e| e <= end || (e == end + 1 && length & 1 == 1))
            .ok_or_else(|| webp_error("a chunk runs past the end of the file"))?;
        chunks.push(&bytes[at..chunk_end.min(end)]);
        at = chunk_end;
    }
    Ok(chunks)
}

/// A RIFF chunk, padded to an even length.
pub(crate) fn riff_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut chunk = kind.to_vec();
    chunk.extend((data.len() as u32).to_le_bytes());
    chunk.extend(data);
    if data.len() % 2 == 1 {
        chunk.push(0);
    }
    chunk
}
