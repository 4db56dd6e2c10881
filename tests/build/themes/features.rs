//! Every page type of both themes carries every feature of the default theme, read back from
//! the built pages; fixtures without a `themes/` folder build with each theme's built-in
//! copy, and an ejected `jarida` builds; no page or stylesheet of either theme loads anything
//! from another origin; `qissa check` finds every link, font and feed of both in place; a
//! label set in `site.yaml` shows on every page of `jarida` too.

use std::process::Command;

use scraper::Html;

use super::{NOW, THEMES, demo_in, page_types, use_theme};
use crate::support::{Output, Workspace, attr, one, select, select_in, text};

/// Whether `doc` has at least `n` elements matching `selector`, for the report.
fn has(doc: &Html, selector: &str, n: usize, faults: &mut Vec<String>, page: &str) {
    let found = select(doc, selector).len();
    if found < n {
        faults.push(format!(
            "{page}: {found} × `{selector}`, expected {n} or more"
        ));
    }
}

/// What every page carries: skip link first, the main landmark, title and description, the
/// site's feed, the theme's stylesheet, the sections, the search box and the breaking bar.
fn every_page(doc: &Html, page: &str, faults: &mut Vec<String>) {
    let first = select(doc, "body a[href], body button, body input")
        .first()
        .map(|e| e.value().attr("class").unwrap_or("").to_string());
    if first.as_deref() != Some("skip-link") {
        faults.push(format!(
            "{page}: the skip link is not the first focusable element"
        ));
    }
    for selector in [
        "a.skip-link[href='#main']",
        "main#main",
        "head title",
        "head meta[name=description][content]",
        "head link[rel=alternate][type='application/atom+xml']",
        "head link[rel=stylesheet]",
        "head link[rel=canonical]",
        "nav a[href='/security/']",
        "form[role=search][action='/search/'] input[name=q]",
        ".breaking a",
        ".text-size button.text-smaller",
        ".text-size button.text-larger",
        "footer a[href='/tags/']",
    ] {
        has(doc, selector, 1, faults, page);
    }
}

/// The article page: headline, lead, subheadings, the summary box, the facts table, share
/// links, the author box with its link, tags, JSON-LD, «المزيد من» and the print address.
fn article_page(doc: &Html, page: &str, faults: &mut Vec<String>) {
    for (selector, n) in [
        ("main h1", 1),
        (".lead p", 1),
        (".prose h2[id]", 2),
        (".summary li", 3),
        (".prose table td", 2),
        (".share a[href^='https://wa.me/']", 1),
        (".share a[href^='https://t.me/']", 1),
        (".share a.copy-link", 1),
        (".share a", 5),
        (".author-box .bio", 1),
        (".author-box a.all-articles[href^='/authors/']", 1),
        (".tags a[rel=tag]", 2),
        (".more a", 1),
        ("head meta[property='article:published_time']", 1),
        ("head meta[property='og:type'][content=article]", 1),
    ] {
        has(doc, selector, n, faults, page);
    }
    let canonical = attr(one(doc, "link[rel=canonical]"), "href");
    if text(one(doc, ".print-url")) != canonical {
        faults.push(format!("{page}: .print-url is not the canonical address"));
    }
    let jsonld: Vec<String> = select(doc, "script[type='application/ld+json']")
        .into_iter()
        .map(text)
        .collect();
    if !jsonld.iter().any(|j| j.contains("\"NewsArticle\"")) {
        faults.push(format!("{page}: no NewsArticle JSON-LD"));
    }
}

/// The article of every block: a figure, a quote, a gallery, a notice, «اقرأ أيضًا» and the
/// click-to-load embeds.
fn blocks_page(doc: &Html, page: &str, faults: &mut Vec<String>) {
    for selector in [
        ".prose figure.photo picture source[type='image/webp']",
        ".prose .pull-quote blockquote",
        ".prose .gallery",
        ".prose .notice",
        ".prose .read-also a",
        ".prose figure.embed .embed-play",
    ] {
        has(doc, selector, 1, faults, page);
    }
}

/// The front page: the lead story with its photo loading first, two to four beside it,
/// «آخر الأخبار», the editor's list and a band per section linking to it.
fn front_page(doc: &Html, page: &str, faults: &mut Vec<String>) {
    has(doc, ".story-lead img[fetchpriority=high]", 1, faults, page);
    has(
        doc,
        ".story-lead picture source[type='image/webp']",
        1,
        faults,
        page,
    );
    let secondary = select(doc, ".story-secondary").len();
    if !(2..=4).contains(&secondary) {
        faults.push(format!("{page}: {secondary} secondary stories"));
    }
    has(doc, ".front-latest li a", 3, faults, page);
    has(doc, ".front-most-read li a", 3, faults, page);
    let bands = select(doc, ".band");
    if bands.len() < 3 {
        faults.push(format!("{page}: {} section bands", bands.len()));
    }
    for band in bands {
        let link = select_in(band, ".band-title a");
        if link.len() != 1 || select_in(band, ".story-title a").is_empty() {
            faults.push(format!(
                "{page}: a band without its section link or stories"
            ));
        }
    }
}

/// The checks of one page type.
fn check_page(kind: &str, doc: &Html, page: &str, faults: &mut Vec<String>) {
    every_page(doc, page, faults);
    let list = |faults: &mut Vec<String>, n| has(doc, "main .card-title a", n, faults, page);
    match kind {
        "home" => front_page(doc, page, faults),
        "article" => article_page(doc, page, faults),
        "article with blocks" => blocks_page(doc, page, faults),
        "home page 2" => {
            list(faults, 1);
            has(doc, ".pagination a[rel=prev]", 1, faults, page);
        }
        "category" | "tag" => list(faults, 1),
        "author" => {
            list(faults, 1);
            has(doc, "main .bio", 1, faults, page);
        }
        "tags index" | "authors index" | "categories index" => {
            has(doc, "main .terms li a", 2, faults, page)
        }
        "search" => has(doc, "#search-q[name=q]", 1, faults, page),
        _ => has(doc, "main h1", 1, faults, page),
    }
}

#[test]
fn every_page_type_of_both_themes_has_every_feature() {
    for theme in THEMES {
        let (ws, out) = demo_in(theme);
        let mut faults = Vec::new();
        for (kind, path) in page_types(&ws, &out) {
            let file = path.split('?').next().unwrap();
            let doc = out.page(file);
            check_page(kind, &doc, &format!("{theme} {kind} {file}"), &mut faults);
        }
        assert!(faults.is_empty(), "{theme}:\n{}", faults.join("\n"));
        assert!(out.root.join(format!("css/{theme}.css")).is_file());
    }
}

/// Absolute `http(s)://` or `//` addresses in what a page loads by itself: pictures,
/// scripts, stylesheets, fonts, frames, media. Links and share links are not loads.
fn foreign_loads(out: &Output) -> Vec<String> {
    let mut found = Vec::new();
    let absolute =
        |v: &str| v.starts_with("http:") || v.starts_with("https:") || v.starts_with("//");
    for (path, doc) in out.pages() {
        for (selector, name) in [
            ("img", "src"),
            ("img", "srcset"),
            ("source", "srcset"),
            ("script", "src"),
            ("iframe", "src"),
            ("video", "src"),
            ("video", "poster"),
            ("audio", "src"),
            (
                "link:not([rel=canonical]):not([rel=alternate]):not([rel=prev]):not([rel=next])",
                "href",
            ),
        ] {
            for el in select(&doc, &format!("{selector}[{name}]")) {
                let value = attr(el, name);
                if value.split(',').any(|v| absolute(v.trim())) {
                    found.push(format!("{path}: <{selector} {name}={value:?}>"));
                }
            }
        }
    }
    for file in out.files() {
        if file.extension().is_some_and(|e| e == "css") {
            let css = std::fs::read_to_string(out.root.join(&file)).unwrap();
            for piece in css
                .split("url(")
                .skip(1)
                .chain(css.split("@import").skip(1))
            {
                let value = piece.trim_start_matches([' ', '"', '\'']);
                if absolute(value) {
                    found.push(format!(
                        "{}: {}",
                        file.display(),
                        &value[..value.len().min(60)]
                    ));
                }
            }
        }
    }
    found
}

/// `qissa check` on a built demo: every link, picture, font and feed URL in place.
fn assert_checks(ws: &Workspace, out: &Output, theme: &str) {
    let checked = Command::new(env!("CARGO_BIN_EXE_qissa"))
        .arg("check")
        .arg("--root")
        .arg(ws.site())
        .arg("--output")
        .arg(&out.root)
        .output()
        .expect("run qissa check");
    assert!(
        checked.status.success(),
        "{theme}: {}{}",
        String::from_utf8_lossy(&checked.stdout),
        String::from_utf8_lossy(&checked.stderr)
    );
}

#[test]
fn neither_theme_loads_from_another_origin_and_qissa_check_passes_on_both() {
    for theme in THEMES {
        let (ws, out) = demo_in(theme);
        assert!(out.pages().len() > 30, "{theme}: the demo built");
        let foreign = foreign_loads(&out);
        assert!(foreign.is_empty(), "{theme}:\n{}", foreign.join("\n"));
        assert_checks(&ws, &out, theme);
    }
}

#[test]
fn fixtures_build_with_each_built_in_theme_and_an_ejected_jarida() {
    for fixture in ["features", "visual", "minimal"] {
        for theme in THEMES {
            let ws = Workspace::fixture(fixture);
            assert!(
                !ws.site().join("themes").exists(),
                "{fixture} has no themes/"
            );
            use_theme(&ws, theme);
            let out = ws.build_ok(&["--now", NOW]);
            let home = out.page("/");
            let stylesheet = format!("/css/{theme}.css");
            assert_eq!(
                attr(one(&home, "link[rel=stylesheet]"), "href"),
                stylesheet,
                "{fixture} in {theme}"
            );
        }
    }
    let ws = Workspace::fixture("features");
    use_theme(&ws, "jarida");
    let eject = Command::new(env!("CARGO_BIN_EXE_qissa"))
        .args(["theme", "eject", "jarida", "--root"])
        .arg(ws.site())
        .output()
        .expect("run qissa theme eject");
    assert!(eject.status.success(), "{eject:?}");
    let css = ws.site().join("themes/jarida/static/css/jarida.css");
    let edited = std::fs::read_to_string(&css).unwrap() + "\n.masthead { outline: 0; }\n";
    std::fs::write(&css, &edited).unwrap();
    let out = ws.build_ok(&["--now", NOW]);
    let built = std::fs::read_to_string(out.root.join("css/jarida.css")).unwrap();
    assert_eq!(built, edited, "the site builds with the ejected copy");
    assert!(
        out.root.join("fonts/OFL-NotoNaskhArabic.txt").is_file(),
        "the font's licence ships with it"
    );
}

#[test]
fn a_label_set_in_site_yaml_shows_on_every_page_of_jarida() {
    let ws = Workspace::demo();
    use_theme(&ws, "jarida");
    let yaml = std::fs::read_to_string(ws.site().join("site.yaml")).unwrap();
    let labels = "strings:\n  skip_link: إلى الخبر مباشرة\n  breaking: الآن\n";
    ws.write("site.yaml", &format!("{yaml}{labels}"));
    super::with_breaking_story(&ws, super::REFERENCE_ARTICLE);
    let out = ws.build_ok(&["--now", NOW]);
    let pages = out.pages();
    assert!(pages.len() > 30);
    // Every page but the redirects left at old addresses, which use no template.
    let themed = pages
        .iter()
        .filter(|(_, doc)| select(doc, "meta[http-equiv=refresh]").is_empty());
    for (path, doc) in themed {
        assert_eq!(text(one(doc, ".skip-link")), "إلى الخبر مباشرة", "{path}");
        assert_eq!(text(one(doc, ".breaking-label")), "الآن", "{path}");
    }
}
