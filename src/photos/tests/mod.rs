//! The photo engine end to end, on photos generated here: privacy, orientation, alpha, CMYK,
//! progressive, bombs, broken and missing files, determinism, the cache and its pruning.

mod generate;
mod strip;

use std::fs;
use std::path::{Path, PathBuf};

use image::{DynamicImage, GenericImageView, Rgb, RgbImage};

use super::*;
use generate::*;

/// A throwaway site folder with a cache and a `static/` to put photos in.
struct Site {
    dir: tempfile::TempDir,
    cache: PhotoCache,
}

impl Site {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let cache = PhotoCache::in_site_cache(&dir.path().join(".qissa-cache"));
        Site { dir, cache }
    }

    fn add(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.dir.path().join("static").join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, bytes).unwrap();
        path
    }

    fn process(&self, path: &Path, settings: &PhotoSettings) -> Result<Photo, PhotoError> {
        process(
            &PhotoRequest {
                path: path.to_path_buf(),
                focus: Focus::CENTER,
            },
            settings,
            &self.cache,
        )
    }

    fn open(&self, rendition: &Rendition) -> DynamicImage {
        image::open(self.cache.path_of(&rendition.file)).unwrap()
    }
}

/// Small widths keep the tests fast.
fn small_settings() -> PhotoSettings {
    PhotoSettings {
        widths: vec![32, 64, 128],
        crops: vec![
            CropSpec::new("og", (1200, 630), 120),
            CropSpec::new("1x1", (1, 1), 60),
        ],
        ..PhotoSettings::default()
    }
}

fn close(a: [u8; 3], b: [u8; 3], tolerance: u8) -> bool {
    a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= tolerance)
}

#[test]
fn a_phone_photo_loses_gps_serial_thumbnail_xmp_and_iptc() {
    let site = Site::new();
    let upload = phone_jpeg(&gradient(160, 120), 1);
    let found = inspect::find_metadata(&upload);
    assert_eq!(
        found,
        [
            "JPEG EXIF (APP1)",
            "JPEG XMP (APP1)",
            "JPEG IPTC/Photoshop (APP13)"
        ],
        "the scanner sees the upload's metadata"
    );
    let photo = site
        .process(&site.add("phone.jpg", &upload), &small_settings())
        .unwrap();
    assert!(photo.renditions.len() >= 8);
    assert_eq!(
        inspect::scan_folder(site.cache.root()),
        vec![],
        "no derived file carries metadata"
    );
    for rendition in &photo.renditions {
        let bytes = fs::read(site.cache.path_of(&rendition.file)).unwrap();
        for secret in [&b"SN-0042"[..], b"PhoneMaker", b"Riyad", b"GPS"] {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret),
                "{} leaks {secret:?}",
                rendition.file
            );
        }
    }
    let full = photo.full().unwrap();
    assert_ne!(
        fs::read(site.cache.path_of(&full.file)).unwrap(),
        upload,
        "the upload is never published"
    );
}

/// The upright picture: red, green / blue, white quadrants, 64×48.
fn quadrants() -> RgbImage {
    RgbImage::from_fn(64, 48, |x, y| match (x < 32, y < 24) {
        (true, true) => Rgb([255, 0, 0]),
        (false, true) => Rgb([0, 255, 0]),
        (true, false) => Rgb([0, 0, 255]),
        (false, false) => Rgb([255, 255, 255]),
    })
}

/// The pixels a camera stores for `upright` with EXIF `orientation` (the EXIF definition of
/// where the stored rows and columns go, written out without the code under test).
fn stored_for(upright: &RgbImage, orientation: u16) -> RgbImage {
    let (w, h) = upright.dimensions();
    let swapped = orientation >= 5;
    let (sw, sh) = if swapped { (h, w) } else { (w, h) };
    RgbImage::from_fn(sw, sh, |sx, sy| {
        let (ux, uy) = match orientation {
            1 => (sx, sy),
            2 => (w - 1 - sx, sy),
            3 => (w - 1 - sx, h - 1 - sy),
            4 => (sx, h - 1 - sy),
            5 => (sy, sx),
            6 => (w - 1 - sy, sx),
            7 => (w - 1 - sy, h - 1 - sx),
            8 => (sy, h - 1 - sx),
            _ => unreachable!(),
        };
        *upright.get_pixel(ux, uy)
    })
}

#[test]
fn every_exif_orientation_comes_out_upright() {
    let site = Site::new();
    for orientation in 1..=8 {
        let upload = phone_jpeg(&stored_for(&quadrants(), orientation), orientation);
        let path = site.add(&format!("o{orientation}.jpg"), &upload);
        let photo = site.process(&path, &small_settings()).unwrap();
        assert_eq!(
            (photo.width, photo.height),
            (64, 48),
            "orientation {orientation}"
        );
        let full = site.open(photo.full().unwrap()).to_rgb8();
        for ((x, y), colour) in [
            ((8, 6), [255, 0, 0]),
            ((56, 6), [0, 255, 0]),
            ((8, 42), [0, 0, 255]),
            ((56, 42), [255, 255, 255]),
        ] {
            let got = full.get_pixel(x, y).0;
            assert!(
                close(got, colour, 60),
                "orientation {orientation} at {x},{y}: {got:?}"
            );
        }
    }
}

#[test]
fn a_png_with_alpha_keeps_it_in_png_and_webp() {
    let site = Site::new();
    let upload = png(&DynamicImage::ImageRgba8(disc(100)));
    let photo = site
        .process(&site.add("logo.png", &upload), &small_settings())
        .unwrap();
    assert!(photo.transparent);
    assert_eq!(photo.fallback_format(), Format::Png);
    assert!(photo.renditions.iter().all(|r| r.format != Format::Jpeg));
    for rendition in photo.widths(Format::Png).chain(photo.widths(Format::Webp)) {
        let out = site.open(rendition);
        assert!(out.color().has_alpha(), "{}", rendition.file);
        let (w, h) = out.dimensions();
        assert_eq!(
            out.get_pixel(0, 0).0[3],
            0,
            "{}: corner transparent",
            rendition.file
        );
        assert!(
            out.get_pixel(w / 2, h / 2).0[3] > 240,
            "{}: centre opaque",
            rendition.file
        );
    }
    let opaque = png(&DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(
        40,
        40,
        image::Rgba([1, 2, 3, 255]),
    )));
    let photo = site
        .process(&site.add("opaque.png", &opaque), &small_settings())
        .unwrap();
    assert_eq!(
        photo.fallback_format(),
        Format::Jpeg,
        "an alpha channel nobody uses is dropped"
    );
}

#[test]
fn cmyk_and_ycck_jpegs_come_out_in_the_right_colours() {
    let site = Site::new();
    // 100 % magenta + 100 % yellow = red; 100 % cyan = (0, 255, 255) in naive conversion.
    for (ink, expected) in [
        ([0, 255, 255, 0], [255, 0, 0]),
        ([255, 0, 0, 0], [0, 255, 255]),
    ] {
        for as_ycck in [false, true] {
            let path = site.add(
                &format!("cmyk-{ink:?}-{as_ycck}.jpg"),
                &cmyk_jpeg(48, 32, ink, as_ycck),
            );
            let photo = site.process(&path, &small_settings()).unwrap();
            let got = site
                .open(photo.full().unwrap())
                .to_rgb8()
                .get_pixel(24, 16)
                .0;
            assert!(
                close(got, expected, 40),
                "ink {ink:?} ycck {as_ycck}: {got:?}"
            );
        }
    }
}

#[test]
fn a_progressive_jpeg_is_decoded() {
    let site = Site::new();
    let photo = site
        .process(
            &site.add("p.jpg", &progressive_jpeg(&gradient(200, 100))),
            &small_settings(),
        )
        .unwrap();
    assert_eq!((photo.width, photo.height), (200, 100));
    let widths: Vec<u32> = photo.widths(Format::Webp).map(|r| r.width).collect();
    assert_eq!(widths, [32, 64, 128]);
}

#[test]
fn bombs_are_refused_from_the_header() {
    let site = Site::new();
    for (name, bytes) in [
        ("bomb.jpg", jpeg_bomb(50_000, 50_000)),
        ("bomb.png", png_bomb(50_000, 50_000)),
    ] {
        let started = std::time::Instant::now();
        let error = site
            .process(&site.add(name, &bytes), &small_settings())
            .unwrap_err();
        assert!(
            matches!(
                error,
                PhotoError::TooManyPixels {
                    width: 50_000,
                    height: 50_000,
                    ..
                }
            ),
            "{name}: {error:?}"
        );
        assert!(error.to_string().contains("50000×50000"), "{error}");
        assert!(
            started.elapsed().as_secs() < 2,
            "{name}: refused before decoding"
        );
    }
}

#[test]
fn broken_missing_unsupported_and_oversized_files_are_clear_errors() {
    let site = Site::new();
    let settings = small_settings();
    let mut garbage = vec![0xFF, 0xD8, 0xFF, 0xE0];
    garbage.extend((0..500u32).map(|i| (i * 7919 % 251) as u8));
    let error = site
        .process(&site.add("corrupt.jpg", &garbage), &settings)
        .unwrap_err();
    assert!(matches!(error, PhotoError::Corrupt { .. }), "{error:?}");
    let truncated_png = png(&DynamicImage::ImageRgb8(gradient(64, 64)));
    let error = site
        .process(
            &site.add("cut.png", &truncated_png[..truncated_png.len() / 2]),
            &settings,
        )
        .unwrap_err();
    assert!(matches!(error, PhotoError::Corrupt { .. }), "{error:?}");

    let error = site
        .process(&site.dir.path().join("static/nope.jpg"), &settings)
        .unwrap_err();
    assert!(matches!(error, PhotoError::Missing { .. }), "{error:?}");
    let error = site
        .process(
            &site.add("anim.gif", b"GIF89a\x01\0\x01\0\0\0\0;"),
            &settings,
        )
        .unwrap_err();
    assert!(error.to_string().contains("GIF"), "{error}");
    let heic = site.add("iphone.jpg", b"\0\0\0\x18ftypheic\0\0\0\0mif1heic");
    let error = site.process(&heic, &settings).unwrap_err();
    assert!(
        matches!(error, PhotoError::Unsupported { found: Some(kind), .. } if kind.contains("HEIC")),
        "{error:?}"
    );

    let big = site.add("big.jpg", &jpeg(&gradient(64, 64), 90));
    let tight = PhotoSettings {
        limits: PhotoLimits {
            max_file_bytes: 100,
            ..PhotoLimits::default()
        },
        ..small_settings()
    };
    let error = site.process(&big, &tight).unwrap_err();
    assert!(
        matches!(error, PhotoError::TooLarge { limit: 100, .. }),
        "{error:?}"
    );
}

#[test]
fn output_is_byte_identical_from_run_to_run() {
    let upload = phone_jpeg(&gradient(300, 200), 6);
    let (first, second) = (Site::new(), Site::new());
    let a = first
        .process(&first.add("a.jpg", &upload), &small_settings())
        .unwrap();
    let b = second
        .process(&second.add("a.jpg", &upload), &small_settings())
        .unwrap();
    assert_eq!(a.renditions, b.renditions);
    for rendition in &a.renditions {
        let bytes = |site: &Site| fs::read(site.cache.path_of(&rendition.file)).unwrap();
        assert_eq!(bytes(&first), bytes(&second), "{}", rendition.file);
    }
}

#[test]
fn an_unchanged_photo_is_not_read_again_and_pruning_keeps_only_what_was_used() {
    let site = Site::new();
    let settings = small_settings();
    let kept = site.add("kept.jpg", &jpeg(&gradient(200, 150), 90));
    let dropped = site.add("dropped.jpg", &jpeg(&gradient(150, 200), 90));
    let first = site.process(&kept, &settings).unwrap();
    let other = site.process(&dropped, &settings).unwrap();

    // Same size and time, other bytes: the remembered hash and job answer without reading.
    let modified = fs::metadata(&kept).unwrap().modified().unwrap();
    fs::write(
        &kept,
        vec![0u8; fs::metadata(&kept).unwrap().len() as usize],
    )
    .unwrap();
    fs::File::options()
        .write(true)
        .open(&kept)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    assert_eq!(site.process(&kept, &settings).unwrap(), first);

    let report = site.cache.prune([&first]).unwrap();
    assert_eq!(report.removed_files, other.renditions.len(), "{report:?}");
    // The other photo's job and its source's hash leave the index.
    assert_eq!(report.removed_entries, 2, "{report:?}");
    assert!(
        other
            .renditions
            .iter()
            .all(|r| !site.cache.path_of(&r.file).exists())
    );
    assert!(
        first
            .renditions
            .iter()
            .all(|r| site.cache.path_of(&r.file).exists())
    );
    assert_eq!(site.cache.prune([&first]).unwrap(), PruneReport::default());
}

#[test]
fn batches_answer_in_order_with_one_result_per_request() {
    let site = Site::new();
    let a = site.add("a.jpg", &jpeg(&gradient(90, 60), 90));
    let b = site.add("b.png", &png(&DynamicImage::ImageRgba8(disc(50))));
    let missing = site.dir.path().join("static/missing.jpg");
    let requests: Vec<PhotoRequest> = [&a, &b, &missing, &a]
        .iter()
        .map(|path| PhotoRequest {
            path: path.to_path_buf(),
            focus: Focus::CENTER,
        })
        .collect();
    let results = process_all(&requests, &small_settings(), &site.cache, 2);
    assert_eq!(results.len(), 4);
    assert_eq!(results[0].as_ref().unwrap().source, a);
    assert!(results[1].as_ref().unwrap().transparent);
    assert!(matches!(results[2], Err(PhotoError::Missing { .. })));
    assert_eq!(results[0], results[3]);
}

#[test]
fn crops_follow_the_writers_focus() {
    let site = Site::new();
    // A red band across the top fifth of a tall photo.
    let tall = RgbImage::from_fn(100, 300, |_, y| {
        if y < 60 {
            Rgb([255, 0, 0])
        } else {
            Rgb([0, 0, 255])
        }
    });
    let path = site.add("tall.jpg", &jpeg(&tall, 95));
    let top_left_of = |focus: &str| {
        let request = PhotoRequest {
            path: path.clone(),
            focus: Focus::parse(focus).unwrap(),
        };
        let photo = process(&request, &small_settings(), &site.cache).unwrap();
        site.open(photo.crop("og").unwrap())
            .to_rgb8()
            .get_pixel(2, 2)
            .0
    };
    assert!(close(top_left_of("top"), [255, 0, 0], 40));
    assert!(close(top_left_of("bottom"), [0, 0, 255], 40));
}

/// Not a check: prints how long one 12-MP phone photo takes, cold and warm.
/// `cargo test --lib photos::tests::timing -- --ignored --nocapture`
#[test]
#[ignore]
fn timing_of_one_12_megapixel_photo() {
    let site = Site::new();
    // Texture, not a flat gradient, so the encoders work as hard as on a real photo.
    let pixels = RgbImage::from_fn(4000, 3000, |x, y| {
        let noise = (x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503)) % 40;
        Rgb([
            (x / 16 + noise) as u8,
            (y / 12 + noise) as u8,
            ((x + y) / 28) as u8,
        ])
    });
    let path = site.add("big.jpg", &phone_jpeg(&pixels, 6));
    let settings = PhotoSettings::default();
    let started = std::time::Instant::now();
    let photo = site.process(&path, &settings).unwrap();
    let cold = started.elapsed();
    let started = std::time::Instant::now();
    site.process(&path, &settings).unwrap();
    let warm = started.elapsed();
    let total: u64 = photo.renditions.iter().map(|r| r.bytes).sum();
    println!(
        "source {} bytes, {} files, {total} bytes; cold {cold:?}, warm {warm:?}",
        fs::metadata(&path).unwrap().len(),
        photo.renditions.len()
    );
    for r in &photo.renditions {
        println!(
            "  {:>9} {:>5}x{:<5} {:>8} {}",
            format!("{:?}", r.role),
            r.width,
            r.height,
            r.bytes,
            r.file
        );
    }
}

#[test]
#[ignore]
fn timing_of_stages() {
    let pixels = RgbImage::from_fn(4000, 3000, |x, y| {
        let noise = (x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503)) % 40;
        Rgb([
            (x / 16 + noise) as u8,
            (y / 12 + noise) as u8,
            ((x + y) / 28) as u8,
        ])
    });
    let t = std::time::Instant::now();
    let bytes = phone_jpeg(&pixels, 6);
    println!("generate jpeg {:?}", t.elapsed());
    let t = std::time::Instant::now();
    let decoded = decode::decode(Path::new("x"), &bytes, &PhotoLimits::default()).unwrap();
    println!("decode {:?}", t.elapsed());
    let whole = plan::Region {
        left: 0,
        top: 0,
        width: 3000,
        height: 4000,
    };
    let t = std::time::Instant::now();
    let small = resize::render(&decoded.pixels, whole, 1600, 2133);
    println!("resize to 1600 {:?}", t.elapsed());
    for format in [Format::Webp, Format::Jpeg] {
        let t = std::time::Instant::now();
        encode::encode(&small, format, Quality::default()).unwrap();
        println!("encode 1600 {format:?} {:?}", t.elapsed());
    }
    let t = std::time::Instant::now();
    encode::encode(&decoded.pixels, Format::Jpeg, Quality::default()).unwrap();
    println!("encode full jpeg {:?}", t.elapsed());
}

#[test]
fn a_warm_batch_writes_nothing_and_a_lost_file_is_made_again() {
    let site = Site::new();
    let settings = small_settings();
    let path = site.add("a.jpg", &jpeg(&gradient(120, 80), 90));
    let first = site.process(&path, &settings).unwrap();
    let index = site.cache.root().join("index.json");
    let written = fs::metadata(&index).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));

    assert_eq!(site.process(&path, &settings).unwrap(), first);
    let after = fs::metadata(&index).unwrap().modified().unwrap();
    assert_eq!(after, written, "a warm batch must not rewrite the index");

    // A derived file deleted by hand: the job no longer answers, and the file comes back.
    let lost = site.cache.path_of(&first.renditions[0].file);
    fs::remove_file(&lost).unwrap();
    assert_eq!(site.process(&path, &settings).unwrap(), first);
    assert!(lost.is_file());

    // A damaged index is ignored: the photo is found again from its files.
    fs::write(&index, b"{ not json").unwrap();
    assert_eq!(site.process(&path, &settings).unwrap(), first);
}
