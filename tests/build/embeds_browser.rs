//! Embeds in a real browser (headless Chromium, see `serve_browser`): a page with five
//! embeds requests nothing from another origin when it loads, every placeholder's play
//! button is reached with the Tab key, and pressing one (Enter, or a click) puts the
//! provider's iframe player in its place.

use std::time::{Duration, Instant};

use serde_json::Value;

use super::browser::Browser;
use super::support::Server;
use crate::support::Workspace;

const TAB: char = '\u{E004}';
const ENTER: char = '\u{E007}';

const EMBEDS: &str = "\
https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42

https://vimeo.com/76979871

https://x.com/someone/status/1850000000000000000

https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk

<https://www.openstreetmap.org/?mlat=30.0444&mlon=31.2357#map=15/30.0444/31.2357>
";

fn eval(browser: &Browser, script: &str) -> Value {
    browser
        .eval(script)
        .unwrap_or_else(|e| panic!("{script}: {e}"))
}

/// Waits until the page has loaded and its deferred script has shown the play buttons.
fn wait_ready(browser: &Browser) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        let ready = browser.eval(
            "return document.readyState === 'complete' && \
             document.querySelectorAll('.embed-play:not([hidden])').length === 5;",
        );
        if ready.is_ok_and(|v| v == Value::Bool(true)) {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("the page with embeds did not load, or its play buttons stayed hidden");
}

/// The index of the embed whose play button has the focus, if one has.
fn focused_embed(browser: &Browser) -> Option<u64> {
    eval(
        browser,
        "var f = document.activeElement; if (!f || !f.matches('.embed-play')) return null;\
         return Array.prototype.indexOf.call(document.querySelectorAll('figure.embed'), f.closest('figure'));",
    )
    .as_u64()
}

#[test]
fn embeds_load_nothing_until_asked_and_are_reached_with_the_keyboard() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let ws = Workspace::minimal_with(
        "content/articles/embeds.md",
        &format!(
            "---\ntitle: خمسة مقاطع\ndate: 2026-03-03\nauthor: karim-nabil\ncategory: sports\nslug: embeds\n---\nمقدمة.\n\n{EMBEDS}"
        ),
    );
    let server = Server::start(&ws.site());
    browser.navigate(&server.url("/sports/embeds/"));
    wait_ready(&browser);
    std::thread::sleep(Duration::from_millis(500));

    let origins = eval(
        &browser,
        "return performance.getEntriesByType('resource').map(function (e) { return new URL(e.name).origin; })\
         .filter(function (o) { return o !== location.origin; });",
    );
    assert_eq!(
        origins,
        Value::Array(vec![]),
        "requests to other origins on load"
    );
    assert_eq!(
        eval(
            &browser,
            "return document.querySelectorAll('iframe').length;"
        ),
        0
    );

    // Tab from the top of the page reaches every play button.
    eval(
        &browser,
        "document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); return true;",
    );
    let mut reached = std::collections::BTreeSet::new();
    for _ in 0..80 {
        browser.press(TAB);
        if let Some(i) = focused_embed(&browser) {
            reached.insert(i);
        }
        if reached.len() == 5 {
            break;
        }
    }
    assert_eq!(
        reached.len(),
        5,
        "play buttons reached with Tab: {reached:?}"
    );

    // Enter on the focused button (the last, the map), then a click on the video.
    assert_eq!(focused_embed(&browser), Some(4));
    browser.press(ENTER);
    browser.click("figure.embed-youtube .embed-play");
    let frames = eval(
        &browser,
        "return Array.prototype.map.call(document.querySelectorAll('figure.embed iframe'), \
         function (f) { return [f.getAttribute('src'), f.title, f.getAttribute('loading')]; });",
    );
    let frames = frames.as_array().expect("a list of iframes");
    assert_eq!(frames.len(), 2, "{frames:?}");
    assert_eq!(
        frames[0][0],
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=42&autoplay=1"
    );
    assert_eq!(frames[0][1], "فيديو من يوتيوب");
    assert_eq!(frames[0][2], "lazy");
    assert!(
        frames[1][0].as_str().is_some_and(
            |src| src.starts_with("https://www.openstreetmap.org/export/embed.html?bbox=")
        ),
        "{frames:?}"
    );
    assert_eq!(
        eval(
            &browser,
            "return document.querySelectorAll('.embed-placeholder').length;"
        ),
        3,
        "the other placeholders stay"
    );
    drop(browser);
    drop(server);
}
