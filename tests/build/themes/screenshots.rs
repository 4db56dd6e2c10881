//! Screenshots of each theme's home and article page, 390 px (a phone) and 1280 px (a
//! laptop) wide, compared with the reference PNGs committed in `tests/fixtures/screenshots/`
//! (`<theme>-<page>-<width>.png`). The site is `tests/fixtures/visual/`, a few demo articles
//! frozen there, built at a fixed `--now`, so a reference changes only when a theme does.
//!
//! A pixel differs when one of its channels differs by more than [`CHANNEL`]; a screenshot
//! fails when more than [`TOLERANCE`] of its pixels differ (antialiasing and font hinting
//! vary a little between Chromium builds; a changed colour, size or layout does not hide
//! under that). A failure writes the new picture and a map of the differing pixels under
//! `target/tmp/screenshots/` and names them.
//!
//! After a deliberate change of a theme, rewrite the references and look at them before
//! committing: `QISSA_UPDATE_SCREENSHOTS=1 cargo test screenshots`.

use std::path::{Path, PathBuf};

use image::{Rgba, RgbaImage};
use serde_json::json;

use super::audit::{emulate_scheme, emulate_width, open, wait_until};
use super::{NOW, StaticServer, use_theme};
use crate::serve::browser::Browser;
use crate::support::{Output, Workspace, select, text, yaml_value};

/// The sizes shot: the width of the viewport and the height of the picture, from the top.
const SIZES: [(u64, u64); 2] = [(390, 1500), (1280, 1100)];

/// How far a channel may move before its pixel counts as different (of 255).
const CHANNEL: u8 = 48;

/// The fraction of pixels that may differ.
const TOLERANCE: f64 = 0.005;

/// The article shot: its lead photo, summary box and body.
const ARTICLE: &str = "content/articles/cairo-metro-new-stations.md";

fn references() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/screenshots")
}

fn updating() -> bool {
    std::env::var("QISSA_UPDATE_SCREENSHOTS").as_deref() == Ok("1")
}

/// Decodes standard base64 (CDP's screenshots), ignoring padding.
fn base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let digits: Vec<u8> = text.bytes().filter(|c| *c != b'=').map(value).collect();
    let mut bytes = Vec::with_capacity(digits.len() * 3 / 4);
    for chunk in digits.chunks(4) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, d)| n | u32::from(*d) << (18 - 6 * i));
        bytes.extend(&n.to_be_bytes()[1..chunk.len()]);
    }
    bytes
}

/// The top `height` pixels of the open page, `width` wide.
fn capture(browser: &Browser, width: u64, height: u64) -> RgbaImage {
    let in_view = "return Array.prototype.every.call(document.images, function (i) {\
        return i.getBoundingClientRect().top > innerHeight || (i.complete && i.naturalWidth > 0); });";
    assert!(wait_until(browser, in_view), "the pictures did not load");
    // A frame for the fonts and pictures to be painted.
    std::thread::sleep(std::time::Duration::from_millis(300));
    let clip = json!({ "x": 0, "y": 0, "width": width, "height": height, "scale": 1 });
    let shot = browser.session_call(
        "POST",
        "/goog/cdp/execute",
        json!({ "cmd": "Page.captureScreenshot", "params": { "format": "png", "clip": clip } }),
    );
    let png = base64(shot["data"].as_str().expect("a screenshot"));
    image::load_from_memory(&png)
        .expect("a PNG screenshot")
        .to_rgba8()
}

/// The fraction of differing pixels, and a map of them (red) over a faded `new`.
fn difference(old: &RgbaImage, new: &RgbaImage) -> (f64, RgbaImage) {
    let mut map = RgbaImage::new(new.width(), new.height());
    let mut differing = 0u64;
    for (x, y, p) in new.enumerate_pixels() {
        let q = old.get_pixel(x, y);
        let moved = p.0.iter().zip(q.0).any(|(a, b)| a.abs_diff(b) > CHANNEL);
        differing += u64::from(moved);
        let faded = |c: u8| 200 + c / 5;
        map.put_pixel(
            x,
            y,
            if moved {
                Rgba([255, 0, 0, 255])
            } else {
                Rgba([faded(p[0]), faded(p[1]), faded(p[2]), 255])
            },
        );
    }
    let total = u64::from(new.width()) * u64::from(new.height());
    (differing as f64 / total as f64, map)
}

/// Compares `shot` with the reference `name`, or rewrites it; the fault, if any.
fn compare(name: &str, shot: &RgbaImage) -> Option<String> {
    let reference = references().join(format!("{name}.png"));
    if updating() {
        std::fs::create_dir_all(references()).unwrap();
        shot.save(&reference).expect("write the reference");
        return None;
    }
    let Ok(old) = image::open(&reference) else {
        return Some(format!(
            "{name}: no reference {} (QISSA_UPDATE_SCREENSHOTS=1 writes it)",
            reference.display()
        ));
    };
    let old = old.to_rgba8();
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&out).unwrap();
    let new_file = out.join(format!("{name}.png"));
    if old.dimensions() != shot.dimensions() {
        shot.save(&new_file).unwrap();
        return Some(format!(
            "{name}: {:?} instead of {:?}; see {}",
            shot.dimensions(),
            old.dimensions(),
            new_file.display()
        ));
    }
    let (fraction, map) = difference(&old, shot);
    eprintln!(
        "screenshots: {name}: {:.3}% of pixels differ",
        fraction * 100.0
    );
    if fraction <= TOLERANCE {
        return None;
    }
    let map_file = out.join(format!("{name}-diff.png"));
    shot.save(&new_file).unwrap();
    map.save(&map_file).unwrap();
    Some(format!(
        "{name}: {:.2}% of pixels differ (at most {:.2}%); new {}, differences {}",
        fraction * 100.0,
        TOLERANCE * 100.0,
        new_file.display(),
        map_file.display()
    ))
}

/// The site path of the page whose headline is `file`'s title.
fn article_path(ws: &Workspace, out: &Output, file: &str) -> String {
    let title = yaml_value(&ws.site().join(file), "title");
    out.pages()
        .into_iter()
        .find(|(_, doc)| select(doc, "h1").first().is_some_and(|h| text(*h) == title))
        .map(|(path, _)| path)
        .unwrap_or_else(|| panic!("no page with the headline of {file}"))
}

/// Shoots `theme`'s home and article page at both sizes; panics with every fault.
fn shoot(theme: &str) {
    let Some(browser) = Browser::start() else {
        return;
    };
    let ws = Workspace::fixture("visual");
    use_theme(&ws, theme);
    let out = ws.build_ok(&["--now", NOW]);
    let server = StaticServer::start(&out.root);
    let pages = [
        ("home", "/".to_string()),
        ("article", article_path(&ws, &out, ARTICLE)),
    ];
    emulate_scheme(&browser, "light");
    // The page's layout, not the browser's scrollbar (its width and whether it overlays the
    // page change between Chromium releases).
    browser.session_call(
        "POST",
        "/goog/cdp/execute",
        json!({ "cmd": "Emulation.setScrollbarsHidden", "params": { "hidden": true } }),
    );
    let mut faults = Vec::new();
    for (width, height) in SIZES {
        emulate_width(&browser, width, height);
        for (page, path) in &pages {
            open(&browser, &server.url(path));
            let shot = capture(&browser, width, height);
            faults.extend(compare(&format!("{theme}-{page}-{width}"), &shot));
        }
    }
    assert!(faults.is_empty(), "{}", faults.join("\n"));
    drop(server);
}

#[test]
fn the_default_themes_home_and_article_look_as_they_did() {
    shoot("qissa");
}

#[test]
fn jaridas_home_and_article_look_as_they_did() {
    shoot("jarida");
}
