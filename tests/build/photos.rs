//! Photos on a built site: nothing under `public/` carries metadata or is an uploaded file;
//! lead photos, body photos and cards come out as responsive pictures with their sizes; share
//! previews and structured data use the crops; page bundles, SVG and remote images; and
//! every bad photo is an error naming the article and the line, with `public/` untouched.

use std::path::Path;

use qissa::photos::inspect::scan_folder;

use crate::support::{Output, Workspace, attr, one, select, snapshot};

const NOW: &str = "2026-12-01T12:00:00+02:00";

/// A JPEG of `width`×`height` with some texture, as a camera would make.
fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([
            (x * 7 % 255) as u8,
            (y * 5 % 255) as u8,
            ((x + y) % 255) as u8,
        ])
    });
    let mut bytes = Vec::new();
    image
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    bytes
}

/// A PNG whose header claims 50,000×50,000 pixels, and nothing else: a decompression bomb.
fn bomb() -> Vec<u8> {
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend(50_000u32.to_be_bytes());
    ihdr.extend(50_000u32.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend(13u32.to_be_bytes());
    bytes.extend(&ihdr);
    bytes.extend(crc32(&ihdr).to_be_bytes());
    // An image-data chunk, so the file looks whole up to its pixels.
    let idat = b"IDAT\x78\x9c\x03\x00\x00\x00\x00\x01";
    bytes.extend(((idat.len() - 4) as u32).to_be_bytes());
    bytes.extend(idat);
    bytes.extend(crc32(idat).to_be_bytes());
    bytes.extend([0, 0, 0, 0]);
    bytes.extend(b"IEND\xaeB`\x82");
    bytes
}

/// The CRC of a PNG chunk (ISO 3309), bit by bit: a test needs no table.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                0xEDB8_8320 ^ (crc >> 1)
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn article(image_lines: &str, body: &str) -> String {
    format!(
        "---\ntitle: خبر مصور\ndate: 2026-03-03\nauthor: sara-ali\ncategory: security\n{image_lines}---\n\nالمقدمة.\n\n{body}"
    )
}

#[test]
fn nothing_published_carries_metadata_or_is_an_upload() {
    let ws = Workspace::demo();
    let out = ws.build_ok(&["--now", NOW]);
    let found = scan_folder(&out.root);
    assert!(found.is_empty(), "metadata under public/: {found:?}");
    let uploads: Vec<Vec<u8>> = std::fs::read_dir(ws.site().join("static/images/photos"))
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    for file in out.files() {
        let bytes = std::fs::read(out.root.join(&file)).unwrap();
        assert!(
            !bytes.windows(6).any(|w| w == b"SECRET"),
            "{} carries a camera serial",
            file.display()
        );
        assert!(
            !uploads.contains(&bytes),
            "{} is an uploaded file",
            file.display()
        );
    }
}

#[test]
fn lead_photos_are_responsive_eager_and_sized() {
    let ws = Workspace::demo();
    let out = ws.build_ok(&["--now", NOW]);
    let page = out
        .page_whose_h1(|h| h.contains("المنصورة"))
        .expect("the Mansoura article");
    let picture = one(&page, ".article-image picture");
    let source = crate::support::select_in(picture, "source")[0];
    assert_eq!(attr(source, "type"), "image/webp");
    assert!(
        attr(source, "srcset").contains(" 1600w"),
        "{}",
        picture.html()
    );
    let img = crate::support::select_in(picture, "img")[0];
    // The field photo is stored sideways: published upright.
    assert_eq!((attr(img, "width"), attr(img, "height")), ("2400", "1350"));
    assert_eq!(attr(img, "fetchpriority"), "high");
    assert!(
        img.value().attr("loading").is_none(),
        "the lead loads eagerly"
    );
    assert!(!attr(img, "sizes").is_empty());
    let caption = one(&page, ".article-image figcaption");
    assert!(
        caption
            .text()
            .collect::<String>()
            .contains("تصوير: كليمنس إنغلهارت")
    );
    for file in attr(img, "srcset").split(", ") {
        let path = file.split(' ').next().unwrap();
        assert!(
            out.root.join(path.trim_start_matches('/')).is_file(),
            "{path}"
        );
    }
    // Cards use the small widths, lazily.
    let home = out.page("/");
    for card in select(&home, ".card-image") {
        assert_eq!(attr(card, "loading"), "lazy");
        assert!(!attr(card, "srcset").contains("1080w"), "{}", card.html());
    }
}

#[test]
fn body_photos_are_lazy_pictures() {
    let ws = Workspace::demo();
    let out = ws.build_ok(&["--now", NOW]);
    let page = out
        .page_whose_h1(|h| h.contains("وكالة الفضاء"))
        .expect("the space agency article");
    let img = select(&page, ".prose picture img")[0];
    assert_eq!(attr(img, "loading"), "lazy");
    assert_eq!(attr(img, "decoding"), "async");
    assert_eq!((attr(img, "width"), attr(img, "height")), ("1000", "872"));
}

#[test]
fn share_previews_and_search_use_the_crops() {
    let ws = Workspace::demo();
    let out = ws.build_ok(&["--now", NOW]);
    let page = out.page_whose_h1(|h| h.contains("المنصورة")).unwrap();
    let meta = |property: &str| {
        attr(
            one(&page, &format!("meta[property='{property}']")),
            "content",
        )
        .to_string()
    };
    assert_eq!(meta("og:image:width"), "1200");
    assert_eq!(meta("og:image:height"), "630");
    assert!(meta("og:image").ends_with(".jpg"));
    assert_eq!(
        attr(one(&page, "meta[name='twitter:card']"), "content"),
        "summary_large_image"
    );
    let json = one(&page, "script[type='application/ld+json']");
    let data: serde_json::Value = serde_json::from_str(&json.text().collect::<String>()).unwrap();
    let images = data[0]["image"].as_array().expect("a list of images");
    assert_eq!(images.len(), 3, "16:9, 4:3 and 1:1");
    for (url, ratio) in images.iter().zip([16.0 / 9.0, 4.0 / 3.0, 1.0]) {
        let file = url
            .as_str()
            .unwrap()
            .trim_start_matches("https://example.com/");
        let (w, h) = image::image_dimensions(out.root.join(file)).unwrap();
        assert!(w >= 1200, "{file} is {w} wide");
        assert!(
            (w as f64 / h as f64 - ratio).abs() < 0.01,
            "{file} is {w}×{h}"
        );
    }
}

#[test]
fn page_bundles_svg_and_remote_images() {
    let ws = Workspace::minimal_with(
        "content/articles/story/index.md",
        &article(
            "image: photo.jpg\nimage_alt: صورة\n",
            "![خريطة](map.svg)\n\n![بعيدة](https://cdn.example.com/x.jpg)\n",
        ),
    );
    ws.write_bytes("content/articles/story/photo.jpg", &jpeg(900, 600));
    ws.write(
        "content/articles/story/map.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"30\"/>",
    );
    let out = ws.build_ok(&[]);
    let page = out.page_whose_h1(|h| h == "خبر مصور").unwrap();
    let lead = one(&page, ".article-image img");
    assert_eq!((attr(lead, "width"), attr(lead, "height")), ("900", "600"));
    let svg = one(&page, ".prose img[alt='خريطة']");
    let published = out.root.join(attr(svg, "src").trim_start_matches('/'));
    assert!(published.extension().is_some_and(|e| e == "svg"));
    assert!(
        std::fs::read_to_string(published)
            .unwrap()
            .starts_with("<svg")
    );
    let remote = one(&page, ".prose img[alt='بعيدة']");
    assert_eq!(attr(remote, "src"), "https://cdn.example.com/x.jpg");
}

/// Builds a site whose article names `image`, after `prepare` put files in place, and
/// expects a failure naming the article's line 6 and `expected`, with the output untouched.
fn expect_photo_error(image: &str, prepare: impl Fn(&Workspace), expected: &str) {
    let ws = Workspace::minimal_with(
        "content/articles/photo.md",
        &article(&format!("image: {image}\nimage_alt: صورة\n"), ""),
    );
    let out = ws.output();
    std::fs::create_dir_all(&out).unwrap();
    prepare(&ws);
    let before = snapshot(&out);
    let run = ws.build(&[]);
    assert!(!run.success, "{image}: the build must fail");
    assert!(
        run.stderr.contains("content/articles/photo.md:6: `image`")
            && run.stderr.contains(expected),
        "{image}: {}",
        run.stderr
    );
    assert_eq!(snapshot(&out), before, "{image}: public/ was touched");
}

#[test]
fn bad_photos_are_errors_at_their_line() {
    expect_photo_error("images/none.jpg", |_| {}, "is not in static/");
    expect_photo_error("../../secret.jpg", |_| {}, "outside");
    expect_photo_error(
        "images/corrupt.jpg",
        |ws| {
            ws.write_bytes(
                "static/images/corrupt.jpg",
                b"\xFF\xD8\xFF\xE0 not a photo at all",
            )
        },
        "",
    );
    expect_photo_error(
        "images/bomb.png",
        |ws| ws.write_bytes("static/images/bomb.png", &bomb()),
        "50000",
    );
    expect_photo_error(
        "images/movie.gif",
        |ws| {
            ws.write_bytes(
                "static/images/movie.gif",
                b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
            )
        },
        "GIF",
    );
    expect_photo_error(
        "images/big.jpg",
        |ws| {
            let config = std::fs::read_to_string(ws.site().join("site.yaml")).unwrap();
            ws.write("site.yaml", &format!("{config}photo_max_mb: 1\n"));
            ws.write_bytes("static/images/big.jpg", &vec![0xFF; 1_500_000]);
        },
        "MB",
    );
}

#[test]
fn a_warm_rebuild_decodes_nothing_and_unused_photos_leave_the_cache() {
    let ws = Workspace::minimal_with(
        "content/articles/photo.md",
        &article("image: images/a.jpg\nimage_alt: صورة\n", ""),
    );
    ws.write_bytes("static/images/a.jpg", &jpeg(800, 500));
    ws.build_ok(&[]);
    let cache = ws.site().join(".qissa-cache/photos/files");
    let first = snapshot(&cache);
    assert!(!first.is_empty());
    let out: Output = ws.build_ok(&["--full"]);
    assert_eq!(snapshot(&cache), first, "an unchanged photo is made once");
    assert!(out.root.join("photos").is_dir());
    ws.write("content/articles/photo.md", &article("", "بلا صور.\n"));
    ws.build_ok(&[]);
    assert!(
        snapshot(&cache).is_empty(),
        "a photo no build uses leaves the cache"
    );
    assert!(
        !Path::new(&ws.output().join("photos")).exists()
            || std::fs::read_dir(ws.output().join("photos"))
                .unwrap()
                .next()
                .is_none()
    );
}
