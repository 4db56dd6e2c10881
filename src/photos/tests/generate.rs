//! Photos made on the spot for the tests: JPEGs as phones write them (EXIF with GPS, a serial
//! number, an embedded thumbnail, an orientation; XMP; IPTC), CMYK and progressive JPEGs,
//! PNGs with alpha, bombs and broken files. No binary fixture is committed.

use image::{DynamicImage, ImageEncoder, Rgb, RgbImage, RgbaImage};
use jpeg_encoder::{ColorType, Encoder};

/// A TIFF value for the hand-assembled EXIF block.
enum Value {
    Short(u16),
    Long(u32),
    Ascii(&'static str),
    Bytes(Vec<u8>),
    Rationals(Vec<(u32, u32)>),
    /// The offset of another IFD of the block, by its index.
    IfdPointer(usize),
    /// The offset of the embedded thumbnail.
    ThumbnailOffset,
}

impl Value {
    fn kind_and_count(&self) -> (u16, u32) {
        match self {
            Value::Short(_) => (3, 1),
            Value::Long(_) | Value::IfdPointer(_) | Value::ThumbnailOffset => (4, 1),
            Value::Ascii(text) => (2, text.len() as u32 + 1),
            Value::Bytes(bytes) => (1, bytes.len() as u32),
            Value::Rationals(list) => (5, list.len() as u32),
        }
    }

    fn raw(&self, ifd_offsets: &[u32], thumbnail_offset: u32) -> Vec<u8> {
        match self {
            Value::Short(v) => v.to_be_bytes().to_vec(),
            Value::Long(v) => v.to_be_bytes().to_vec(),
            Value::IfdPointer(i) => ifd_offsets[*i].to_be_bytes().to_vec(),
            Value::ThumbnailOffset => thumbnail_offset.to_be_bytes().to_vec(),
            Value::Ascii(text) => [text.as_bytes(), &[0]].concat(),
            Value::Bytes(bytes) => bytes.clone(),
            Value::Rationals(list) => list
                .iter()
                .flat_map(|(n, d)| [n.to_be_bytes(), d.to_be_bytes()])
                .flatten()
                .collect(),
        }
    }
}

type Ifd = Vec<(u16, Value)>;

/// Bytes one IFD takes: its table plus the values too long to sit in an entry.
fn ifd_size(ifd: &Ifd) -> u32 {
    let table = 2 + 12 * ifd.len() as u32 + 4;
    let extra: u32 = ifd
        .iter()
        .map(|(_, v)| v.raw(&[0; 4], 0).len() as u32)
        .filter(|&n| n > 4)
        .map(|n| n + (n & 1))
        .sum();
    table + extra
}

/// A big-endian TIFF block: IFDs laid out in order, then the thumbnail. IFD 0 links to IFD
/// `next_of_first` as its next IFD (the thumbnail's IFD1), when given.
fn tiff(ifds: &[Ifd], next_of_first: Option<usize>, thumbnail: &[u8]) -> Vec<u8> {
    let mut offsets = Vec::new();
    let mut at = 8u32;
    for ifd in ifds {
        offsets.push(at);
        at += ifd_size(ifd);
    }
    let thumbnail_offset = at;
    let mut out = b"MM\0\x2a\0\0\0\x08".to_vec();
    for (index, ifd) in ifds.iter().enumerate() {
        let mut data_at = offsets[index] + 2 + 12 * ifd.len() as u32 + 4;
        let mut data = Vec::new();
        out.extend((ifd.len() as u16).to_be_bytes());
        for (tag, value) in ifd {
            let (kind, count) = value.kind_and_count();
            out.extend(tag.to_be_bytes());
            out.extend(kind.to_be_bytes());
            out.extend(count.to_be_bytes());
            let mut raw = value.raw(&offsets, thumbnail_offset);
            if raw.len() > 4 {
                out.extend(data_at.to_be_bytes());
                if raw.len() % 2 == 1 {
                    raw.push(0);
                }
                data_at += raw.len() as u32;
                data.extend(raw);
            } else {
                raw.resize(4, 0);
                out.extend(raw);
            }
        }
        let next = if index == 0 {
            next_of_first.map_or(0, |i| offsets[i])
        } else {
            0
        };
        out.extend(next.to_be_bytes());
        out.extend(data);
    }
    out.extend(thumbnail);
    out
}

/// EXIF as a phone writes it: orientation, make, a body serial number, the GPS position of
/// Riyadh, and an embedded JPEG thumbnail.
pub fn phone_exif(orientation: u16) -> Vec<u8> {
    let thumbnail = jpeg(&gradient(16, 12), 50);
    let ifd0: Ifd = vec![
        (0x010F, Value::Ascii("PhoneMaker")),
        (0x0112, Value::Short(orientation)),
        (0x8769, Value::IfdPointer(1)),
        (0x8825, Value::IfdPointer(2)),
    ];
    let exif: Ifd = vec![(0xA431, Value::Ascii("SN-0042-SECRET"))];
    let gps: Ifd = vec![
        (0x0000, Value::Bytes(vec![2, 3, 0, 0])),
        (0x0001, Value::Ascii("N")),
        (
            0x0002,
            Value::Rationals(vec![(24, 1), (42, 1), (3600, 100)]),
        ),
        (0x0003, Value::Ascii("E")),
        (
            0x0004,
            Value::Rationals(vec![(46, 1), (43, 1), (1200, 100)]),
        ),
    ];
    let ifd1: Ifd = vec![
        (0x0103, Value::Short(6)),
        (0x0201, Value::ThumbnailOffset),
        (0x0202, Value::Long(thumbnail.len() as u32)),
    ];
    tiff(&[ifd0, exif, gps, ifd1], Some(3), &thumbnail)
}

/// A smooth colourful test picture.
pub fn gradient(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, 128])
    })
}

/// A baseline JPEG of `pixels`.
pub fn jpeg(pixels: &RgbImage, quality: u8) -> Vec<u8> {
    encode_jpeg(
        pixels.as_raw(),
        pixels.dimensions(),
        ColorType::Rgb,
        quality,
        |_| {},
    )
}

/// A JPEG as a phone or a photo desk sends it: EXIF (GPS, serial, thumbnail, orientation),
/// XMP with a location, and an IPTC block.
pub fn phone_jpeg(pixels: &RgbImage, orientation: u16) -> Vec<u8> {
    encode_jpeg(
        pixels.as_raw(),
        pixels.dimensions(),
        ColorType::Rgb,
        92,
        |encoder| {
            encoder.add_exif_metadata(&phone_exif(orientation)).unwrap();
            let xmp = b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><exif:GPSLatitude>24,42.6N</exif:GPSLatitude></x:xmpmeta>";
            encoder.add_app_segment(1, xmp.to_vec()).unwrap();
            encoder
                .add_app_segment(
                    13,
                    b"Photoshop 3.0\08BIM\x04\x04\0\0\0\0\0\x0a\x1c\x02\x5a\0\x05Riyad".to_vec(),
                )
                .unwrap();
        },
    )
}

/// A progressive JPEG.
pub fn progressive_jpeg(pixels: &RgbImage) -> Vec<u8> {
    encode_jpeg(
        pixels.as_raw(),
        pixels.dimensions(),
        ColorType::Rgb,
        90,
        |e| e.set_progressive(true),
    )
}

/// A CMYK JPEG (Adobe convention, as Photoshop writes them), plain or YCCK-transformed, of
/// one flat colour given in ink percentages scaled to 0–255.
pub fn cmyk_jpeg(width: u32, height: u32, cmyk: [u8; 4], as_ycck: bool) -> Vec<u8> {
    let pixels: Vec<u8> = (0..width * height).flat_map(|_| cmyk).collect();
    let kind = if as_ycck {
        ColorType::CmykAsYcck
    } else {
        ColorType::Cmyk
    };
    encode_jpeg(&pixels, (width, height), kind, 95, |_| {})
}

fn encode_jpeg(
    data: &[u8],
    (w, h): (u32, u32),
    kind: ColorType,
    quality: u8,
    setup: impl FnOnce(&mut Encoder<&mut Vec<u8>>),
) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut encoder = Encoder::new(&mut bytes, quality);
    setup(&mut encoder);
    encoder.encode(data, w as u16, h as u16, kind).unwrap();
    bytes
}

/// A PNG of `pixels` (RGBA8 or RGB8).
pub fn png(pixels: &DynamicImage) -> Vec<u8> {
    let mut bytes = Vec::new();
    image::codecs::png::PngEncoder::new(&mut bytes)
        .write_image(
            pixels.as_bytes(),
            pixels.width(),
            pixels.height(),
            pixels.color().into(),
        )
        .unwrap();
    bytes
}

/// An opaque disc on a transparent square.
pub fn disc(size: u32) -> RgbaImage {
    let centre = size as f32 / 2.0;
    RgbaImage::from_fn(size, size, |x, y| {
        let inside = (x as f32 + 0.5 - centre).hypot(y as f32 + 0.5 - centre) < centre * 0.6;
        image::Rgba([220, 30, 30, if inside { 255 } else { 0 }])
    })
}

/// A valid small JPEG whose frame header claims `width`×`height`.
pub fn jpeg_bomb(width: u16, height: u16) -> Vec<u8> {
    let mut bytes = jpeg(&gradient(16, 16), 80);
    let sof = bytes
        .windows(2)
        .position(|w| w == [0xFF, 0xC0])
        .expect("a baseline frame header");
    bytes[sof + 5..sof + 7].copy_from_slice(&height.to_be_bytes());
    bytes[sof + 7..sof + 9].copy_from_slice(&width.to_be_bytes());
    bytes
}

/// A valid small PNG whose header claims `width`×`height` (with a correct checksum).
pub fn png_bomb(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = png(&DynamicImage::ImageRgb8(gradient(8, 8)));
    bytes[16..20].copy_from_slice(&width.to_be_bytes());
    bytes[20..24].copy_from_slice(&height.to_be_bytes());
    let crc = crc32(&bytes[12..29]);
    bytes[29..33].copy_from_slice(&crc.to_be_bytes());
    bytes
}

use crate::photos::strip::crc32;

/// `chunk` (length, type, data, CRC) as PNG writes it.
pub fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
    chunk.extend(kind);
    chunk.extend(data);
    chunk.extend(crc32(&chunk[4..]).to_be_bytes());
    chunk
}

/// A PNG of `pixels` as an editor saves it: an sRGB chunk (kept by stripping), then text in
/// all three forms, a modification time and EXIF with GPS (`orientation` inside).
pub fn png_with_metadata(pixels: &DynamicImage, orientation: u16) -> Vec<u8> {
    let plain = png(pixels);
    let after_ihdr = 8 + 25;
    let iend = plain.len() - 12;
    let mut bytes = plain[..after_ihdr].to_vec();
    bytes.extend(png_chunk(b"sRGB", &[0]));
    bytes.extend(&plain[after_ihdr..iend]);
    bytes.extend(png_chunk(b"tEXt", b"Author\0Photo desk, Riyadh"));
    bytes.extend(png_chunk(b"zTXt", b"Comment\0\0\x78\x9c\x03\0\0\0\0\x01"));
    bytes.extend(png_chunk(
        b"iTXt",
        b"XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta/>",
    ));
    bytes.extend(png_chunk(b"tIME", &[0x07, 0xEA, 1, 2, 3, 4, 5]));
    bytes.extend(png_chunk(b"eXIf", &phone_exif(orientation)));
    bytes.extend(&plain[iend..]);
    bytes
}

use crate::photos::strip::riff_chunk;

/// A lossless extended WebP of `pixels` (VP8X with the EXIF and XMP flags set) carrying
/// EXIF with GPS (`orientation` inside) and XMP with a location.
pub fn webp_with_metadata(pixels: &RgbaImage, orientation: u16) -> Vec<u8> {
    let mut simple = Vec::new();
    image::codecs::webp::WebPEncoder::new_lossless(&mut simple)
        .write_image(
            pixels.as_raw(),
            pixels.width(),
            pixels.height(),
            image::ExtendedColorType::Rgba8,
        )
        .unwrap();
    let image_chunk = &simple[12..];
    let (w, h) = (pixels.width() - 1, pixels.height() - 1);
    let mut vp8x = vec![0x10 | 0x08 | 0x04, 0, 0, 0];
    vp8x.extend(&w.to_le_bytes()[..3]);
    vp8x.extend(&h.to_le_bytes()[..3]);
    let mut body = b"WEBP".to_vec();
    body.extend(riff_chunk(b"VP8X", &vp8x));
    body.extend(image_chunk);
    body.extend(riff_chunk(b"EXIF", &phone_exif(orientation)));
    body.extend(riff_chunk(b"XMP ", b"<x:xmpmeta>Riyadh</x:xmpmeta>"));
    let mut bytes = b"RIFF".to_vec();
    bytes.extend((body.len() as u32).to_le_bytes());
    bytes.extend(body);
    bytes
}

/// `jpeg` with a comment segment inserted before its second scan (progressive files only),
/// and another, with a JFIF thumbnail extension, right after SOI.
pub fn jpeg_with_comments(jpeg: &[u8]) -> Vec<u8> {
    let scans: Vec<usize> = jpeg
        .windows(2)
        .enumerate()
        .filter(|(_, w)| w == &[0xFF, 0xDA])
        .map(|(i, _)| i)
        .collect();
    let comment = |text: &[u8]| {
        let mut segment = vec![0xFF, 0xFE];
        segment.extend(((text.len() + 2) as u16).to_be_bytes());
        segment.extend(text);
        segment
    };
    let mut bytes = jpeg[..2].to_vec();
    bytes.extend(comment(b"shot at 24.71N 46.72E"));
    bytes.extend([0xFF, 0xE0, 0, 10]);
    bytes.extend(b"JFXX\0\x13\0\0");
    let second = scans.get(1).copied().unwrap_or(jpeg.len() - 2);
    bytes.extend(&jpeg[2..second]);
    bytes.extend(comment(b"between scans"));
    bytes.extend(&jpeg[second..]);
    bytes
}
