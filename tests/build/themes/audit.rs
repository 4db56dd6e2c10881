//! Every page type of the demo in Chromium, for each theme: axe-core finds no serious or
//! critical violation in light and in dark (`prefers-color-scheme` emulated over CDP); in a
//! viewport 360 px wide no page is wider than the screen; every request the page made went
//! to its own origin; and an article prints without navigation, search, sharing or "more",
//! with its address at the end. One browser session per theme; all faults are reported together.
//! SKIPPED without Chromium or axe-core, unless `QISSA_REQUIRE_BROWSER=1`.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::{StaticServer, demo_in, page_types};
use crate::serve::browser::Browser;
use crate::serve::search_axe::{axe_script, serious_violations};

/// The narrowest phone the themes promise not to scroll sideways on.
const NARROW: u64 = 360;

/// Makes the tab `width` CSS pixels wide (a phone) at one device pixel per CSS pixel.
pub fn emulate_width(browser: &Browser, width: u64, height: u64) {
    let params = json!({
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600
    });
    browser.session_call(
        "POST",
        "/goog/cdp/execute",
        json!({ "cmd": "Emulation.setDeviceMetricsOverride", "params": params }),
    );
}

/// Makes `prefers-color-scheme` answer `scheme` (`light` or `dark`) in the tab.
pub fn emulate_scheme(browser: &Browser, scheme: &str) {
    let params = json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] });
    browser.session_call(
        "POST",
        "/goog/cdp/execute",
        json!({ "cmd": "Emulation.setEmulatedMedia", "params": params }),
    );
}

/// Polls until `script` returns `true`; `false` after 10 s.
pub fn wait_until(browser: &Browser, script: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if browser.eval(script).is_ok_and(|v| v == Value::Bool(true)) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

/// Opens `url` and waits until it has loaded, its fonts are ready and, on the search page,
/// the results are showing.
pub fn open(browser: &Browser, url: &str) {
    browser.navigate(url);
    let loaded = "return document.readyState === 'complete' && document.fonts.status === 'loaded' \
        && (!document.querySelector('.search-page') \
            || document.querySelectorAll('#search-results > li').length > 0);";
    assert!(wait_until(browser, loaded), "{url} did not finish loading");
}

/// What the page says about its width, its colour scheme and its requests.
const MEASURE: &str = "var d = document.documentElement;\
    return { scroll: d.scrollWidth, client: d.clientWidth, inner: window.innerWidth,\
      dark: matchMedia('(prefers-color-scheme: dark)').matches, origin: location.origin,\
      foreign: performance.getEntriesByType('resource').map(function (e) { return e.name; })\
        .filter(function (u) { return new URL(u).origin !== location.origin; }) };";

/// The faults of the open page, in the light scheme at 360 px: sideways scrolling and
/// requests to another origin.
fn layout_faults(browser: &Browser, page: &str) -> Vec<String> {
    let m = browser
        .eval(MEASURE)
        .unwrap_or_else(|e| panic!("{page}: {e}"));
    let mut faults = Vec::new();
    assert_eq!(
        m["dark"],
        json!(false),
        "{page}: the light scheme is emulated"
    );
    // A phone's browser widens the layout viewport to a page wider than the screen (and
    // zooms out), so a wider viewport is sideways scrolling too.
    if m["scroll"].as_u64() > m["client"].as_u64() || m["inner"] != json!(NARROW) {
        let wide = browser
            .eval(WIDEST)
            .map(|v| v.to_string())
            .unwrap_or_default();
        faults.push(format!(
            "{page}: scrolls sideways at {NARROW} px (the page is {} px wide, the layout \
             viewport {} px); sticking out: {wide}",
            m["scroll"], m["inner"]
        ));
    }
    if m["foreign"].as_array().is_some_and(|f| !f.is_empty()) {
        faults.push(format!(
            "{page}: requests to other origins: {}",
            m["foreign"]
        ));
    }
    faults
}

/// The elements sticking out of the viewport, to say what to fix.
const WIDEST: &str = "var w = document.documentElement.clientWidth;\
    return Array.prototype.filter.call(document.querySelectorAll('body *'), function (e) {\
      var r = e.getBoundingClientRect(); return r.right > w + 1 || r.left < -1; })\
      .slice(0, 5).map(function (e) { return e.tagName + '.' + e.className; });";

/// On an article printed: no sections, search, sharing, tags or «المزيد من», and the
/// article's address at the end.
const PRINTED: &str = "function shown(s) { return Array.prototype.some.call(\
      document.querySelectorAll(s), function (e) { return getComputedStyle(e).display !== 'none'; }); }\
    var url = document.querySelector('.print-url');\
    return { hidden: ['.site-nav', '[role=search]', '.share', '.tags', '.more', '.text-size']\
        .filter(shown), url: !!url && shown('.print-url') && url === document.querySelector(\
        'article').lastElementChild && url.textContent === document.querySelector('link[rel=canonical]').href };";

/// The faults of the open article in print.
fn print_faults(browser: &Browser, page: &str) -> Vec<String> {
    let print = json!({ "media": "print" });
    let command = |params: Value| {
        browser.session_call(
            "POST",
            "/goog/cdp/execute",
            json!({ "cmd": "Emulation.setEmulatedMedia", "params": params }),
        )
    };
    command(print);
    let printed = browser
        .eval(PRINTED)
        .unwrap_or_else(|e| panic!("{page}: {e}"));
    // Back to the screen, and to the light scheme the pass runs in.
    let light = json!([{ "name": "prefers-color-scheme", "value": "light" }]);
    command(json!({ "media": "", "features": light }));
    let mut faults = Vec::new();
    if printed["hidden"].as_array().is_none_or(|h| !h.is_empty()) {
        faults.push(format!("{page}: printed with {}", printed["hidden"]));
    }
    if printed["url"] != json!(true) {
        faults.push(format!("{page}: printed without its address at the end"));
    }
    faults
}

/// Runs the whole audit of `theme`; panics with every fault found.
fn audit(theme: &str) {
    let Some(browser) = Browser::start() else {
        return;
    };
    let Some(axe) = axe_script() else {
        return;
    };
    let (ws, out) = demo_in(theme);
    let pages = page_types(&ws, &out);
    let server = StaticServer::start(&out.root);
    emulate_width(&browser, NARROW, 800);
    let mut faults = Vec::new();
    for scheme in ["light", "dark"] {
        emulate_scheme(&browser, scheme);
        for (kind, path) in &pages {
            let page = format!("{theme} {kind} {path} ({scheme})");
            open(&browser, &server.url(path));
            let dark = browser.eval("return matchMedia('(prefers-color-scheme: dark)').matches;");
            assert_eq!(
                dark,
                Ok(json!(scheme == "dark")),
                "{page}: the emulated scheme"
            );
            if scheme == "light" {
                faults.extend(layout_faults(&browser, &page));
                if kind.starts_with("article") {
                    faults.extend(print_faults(&browser, &page));
                }
            }
            let violations = serious_violations(&browser, &axe);
            faults.extend(violations.into_iter().map(|v| format!("{page}: axe {v}")));
        }
    }
    assert!(faults.is_empty(), "{}", faults.join("\n"));
    drop(server);
}

#[test]
fn the_default_theme_passes_axe_light_and_dark_fits_360_px_and_stays_on_its_origin() {
    audit("qissa");
}

#[test]
fn jarida_passes_axe_light_and_dark_fits_360_px_and_stays_on_its_origin() {
    audit("jarida");
}
