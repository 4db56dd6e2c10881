//! The demo's lead photo as a reader's phone gets it: headless Chromium (the `Browser` of
//! `serve_browser`, SKIPPED without it unless `QISSA_REQUIRE_BROWSER=1`) opens the demo
//! article with a lead photo, served by `qissa serve` on localhost, in a viewport 390 px
//! wide, first at device pixel ratio 1 and then, in a fresh browser with an empty cache, at
//! 3. It scrolls to the bottom and back so lazy images load, then reads the browser's own
//! resource timing and layout-shift entries: at most 150 KB of image bytes, a cumulative
//! layout shift of 0, every `<img>` with `width` and `height`, and no request to another
//! origin. The numbers are printed on stderr (`cargo test -- --nocapture`).

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::serve::browser::Browser;
use crate::serve::support::Server;
use crate::support::{Workspace, select, text, yaml_value};

/// The demo article with a lead photo (2400×1350, `static/images/photos/field-sunset.jpg`).
const ARTICLE: &str = "content/articles/2026/mansoura-tree-planting.md";

/// The phone: a viewport 390 CSS pixels wide and 844 high.
const WIDTH: u64 = 390;
const HEIGHT: u64 = 844;

/// The most image bytes the article may cost a reader.
const IMAGE_BUDGET: u64 = 150_000;

/// Below this, a cumulative layout shift counts as none (the API reports fractions).
const NO_SHIFT: f64 = 0.001;

/// Everything the page reports once it has loaded and been scrolled through.
const MEASURE: &str = r"
return new Promise(function (resolve) {
  var shifts = [];
  var keep = function (entries) {
    entries.forEach(function (e) {
      if (e.hadRecentInput) return;
      shifts.push({ value: e.value, sources: (e.sources || []).map(function (s) {
        return s.node ? s.node.nodeName + (s.node.className ? '.' + s.node.className : '') : '?';
      }) });
    });
  };
  var observer = new PerformanceObserver(function (list) { keep(list.getEntries()); });
  observer.observe({ type: 'layout-shift', buffered: true });
  setTimeout(function () {
    keep(observer.takeRecords());
    observer.disconnect();
    resolve({
      observable: PerformanceObserver.supportedEntryTypes.indexOf('layout-shift') >= 0,
      origin: location.origin,
      width: window.innerWidth,
      dpr: window.devicePixelRatio,
      shifts: shifts,
      resources: performance.getEntriesByType('resource').map(function (e) {
        return { url: e.name, origin: new URL(e.name).origin, initiator: e.initiatorType,
                 image: e.initiatorType === 'img' || /\.(jpe?g|png|webp|avif|gif|svg|ico)(\?|$)/i.test(e.name),
                 bytes: e.transferSize > 0 ? e.transferSize : e.encodedBodySize };
      }),
      images: Array.prototype.map.call(document.images, function (i) {
        return { src: i.currentSrc, width: i.getAttribute('width'),
                 height: i.getAttribute('height'), lead: i.getAttribute('fetchpriority') === 'high',
                 loaded: i.complete && i.naturalWidth > 0,
                 shown: Math.round(i.getBoundingClientRect().width) };
      })
    });
  }, 500);
});";

/// One request the page made.
#[derive(Debug)]
struct Request {
    url: String,
    origin: String,
    initiator: String,
    /// Started by an `<img>`, or named like an image file (a CSS background, a preload, the
    /// favicon the browser asks for by itself).
    image: bool,
    /// `transferSize`, or `encodedBodySize` when it came from the cache.
    bytes: u64,
}

impl Request {
    fn from_entry(r: &Value) -> Request {
        let string = |key: &str| r[key].as_str().unwrap_or_default().to_string();
        Request {
            url: string("url"),
            origin: string("origin"),
            initiator: string("initiator"),
            image: r["image"] == json!(true),
            bytes: r["bytes"].as_f64().unwrap_or(0.0) as u64,
        }
    }
}

/// What one page load cost, as the browser saw it.
#[derive(Debug)]
struct Load {
    /// Whether the browser reports layout shifts at all: without it, a CLS of 0 means nothing.
    observable: bool,
    origin: String,
    width: u64,
    dpr: f64,
    shifts: Vec<Value>,
    requests: Vec<Request>,
    images: Vec<Value>,
}

impl Load {
    fn from_page(value: &Value) -> Load {
        let requests = value["resources"]
            .as_array()
            .expect("a list of resources")
            .iter()
            .map(Request::from_entry)
            .collect();
        Load {
            observable: value["observable"] == json!(true),
            origin: value["origin"].as_str().unwrap_or_default().to_string(),
            width: value["width"].as_u64().unwrap_or(0),
            dpr: value["dpr"].as_f64().unwrap_or(0.0),
            shifts: value["shifts"].as_array().cloned().unwrap_or_default(),
            requests,
            images: value["images"].as_array().cloned().unwrap_or_default(),
        }
    }

    fn image_bytes(&self) -> u64 {
        self.requests
            .iter()
            .filter(|r| r.image)
            .map(|r| r.bytes)
            .sum()
    }

    fn cls(&self) -> f64 {
        // `+ 0.0`: an empty f64 sum is -0.0, which would print as "-0.0000".
        self.shifts
            .iter()
            .filter_map(|s| s["value"].as_f64())
            .sum::<f64>()
            + 0.0
    }

    fn foreign(&self) -> Vec<&str> {
        self.requests
            .iter()
            .filter(|r| r.origin != self.origin)
            .map(|r| r.url.as_str())
            .collect()
    }

    fn unsized_images(&self) -> Vec<&Value> {
        let missing = |v: &Value| v.as_str().is_none_or(str::is_empty);
        self.images
            .iter()
            .filter(|i| missing(&i["width"]) || missing(&i["height"]))
            .collect()
    }

    /// Prints the numbers and what the browser fetched, for the report.
    fn print(&self, dpr: u64) {
        let images = self.requests.iter().filter(|r| r.image).count();
        eprintln!(
            "photos_browser: {WIDTH} px at DPR {dpr}: {} image bytes in {} image requests, \
             {} requests in all, CLS {:.4} ({} shifts), {} to other origins",
            self.image_bytes(),
            images,
            self.requests.len(),
            self.cls(),
            self.shifts.len(),
            self.foreign().len()
        );
        for r in &self.requests {
            eprintln!("  {:>7} B  {:<6} {}", r.bytes, r.initiator, r.url);
        }
        for i in &self.images {
            eprintln!("  <img> {} shown {} px wide", i["src"], i["shown"]);
        }
        for shift in &self.shifts {
            eprintln!("  shift {shift}");
        }
    }
}

/// Builds the demo and returns the site path of the article page whose headline is
/// [`ARTICLE`]'s title.
fn article_path(ws: &Workspace) -> String {
    let title = yaml_value(&ws.site().join(ARTICLE), "title");
    let output = ws.build_ok(&[]);
    let (path, doc) = output
        .pages()
        .into_iter()
        .find(|(_, doc)| select(doc, "h1").first().is_some_and(|h| text(*h) == title))
        .unwrap_or_else(|| panic!("no page with the headline {title:?}"));
    assert!(
        !select(&doc, "picture img[fetchpriority=high]").is_empty(),
        "{path} has no lead photo"
    );
    path
}

/// Makes the tab a phone: 390×844 CSS pixels at `dpr` device pixels each.
fn emulate_phone(browser: &Browser, dpr: u64) {
    let params = json!({
        "width": WIDTH, "height": HEIGHT, "deviceScaleFactor": dpr, "mobile": true
    });
    browser.session_call(
        "POST",
        "/goog/cdp/execute",
        json!({ "cmd": "Emulation.setDeviceMetricsOverride", "params": params }),
    );
}

fn eval(browser: &Browser, script: &str) -> Value {
    browser
        .eval(script)
        .unwrap_or_else(|e| panic!("{script}: {e}"))
}

/// Polls until `script` returns `true`; panics saying `what` after 10 s.
fn wait_until(browser: &Browser, what: &str, script: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if browser.eval(script).is_ok_and(|v| v == Value::Bool(true)) {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("{what}: not within 10 s");
}

/// Scrolls to the bottom, waits for every image to load, and scrolls back to the top.
fn scroll_through(browser: &Browser) {
    wait_until(
        browser,
        "the page loads",
        "return document.readyState === 'complete';",
    );
    eval(
        browser,
        "window.scrollTo({top: document.body.scrollHeight, behavior: 'instant'}); return true;",
    );
    wait_until(
        browser,
        "every image loads after scrolling to the bottom",
        "return Array.prototype.every.call(document.images, function (i) { return i.complete; });",
    );
    std::thread::sleep(Duration::from_millis(300));
    eval(
        browser,
        "window.scrollTo({top: 0, behavior: 'instant'}); return true;",
    );
    std::thread::sleep(Duration::from_millis(300));
}

/// Opens `url` in a fresh browser (an empty cache) as a phone at `dpr`; `None` when the
/// browser is not installed.
fn load_as_phone(url: &str, dpr: u64) -> Option<Load> {
    let browser = Browser::start()?;
    emulate_phone(&browser, dpr);
    browser.navigate(url);
    scroll_through(&browser);
    let load = Load::from_page(&eval(&browser, MEASURE));
    load.print(dpr);
    Some(load)
}

/// The issue's bar: light, stable and on one origin.
fn assert_light_stable_and_private(load: &Load, dpr: u64) {
    assert_eq!(load.width, WIDTH, "the viewport at DPR {dpr}");
    assert_eq!(load.dpr, dpr as f64, "the device pixel ratio");
    let lead = load.images.iter().find(|i| i["lead"] == json!(true));
    assert!(
        lead.is_some_and(|i| i["loaded"] == json!(true)),
        "the lead photo did not load at DPR {dpr}: {:?}",
        load.images
    );
    assert!(load.observable, "Chromium reports no layout-shift entries");
    assert!(
        load.image_bytes() > 0,
        "no image bytes in the resource timing"
    );
    assert!(
        load.image_bytes() <= IMAGE_BUDGET,
        "{} image bytes at DPR {dpr}, over {IMAGE_BUDGET}: {:#?}",
        load.image_bytes(),
        load.requests
    );
    assert!(
        load.cls() < NO_SHIFT,
        "layout shift {} at DPR {dpr}: {:?}",
        load.cls(),
        load.shifts
    );
    assert_eq!(
        load.unsized_images(),
        Vec::<&Value>::new(),
        "<img> without size"
    );
    assert_eq!(
        load.foreign(),
        Vec::<&str>::new(),
        "requests to other origins"
    );
}

#[test]
fn the_lead_photo_article_on_a_390_px_phone_is_light_stable_and_same_origin() {
    let ws = Workspace::demo();
    let path = article_path(&ws);
    let server = Server::start(&ws.site());
    let url = server.url(&path);
    for dpr in [1, 3] {
        let Some(load) = load_as_phone(&url, dpr) else {
            return;
        };
        assert_light_stable_and_private(&load, dpr);
    }
    drop(server);
}
