//! Both built-in themes, `qissa` and `jarida`, held to the same bar (issue 14's "Done when"):
//!
//! - `features`: each theme builds the demo and the fixtures, and every page type carries
//!   every feature (skip link, feeds, JSON-LD, the article's boxes, the front page's parts,
//!   the search box, the breaking bar, the print address); no built page or stylesheet loads
//!   anything from another origin.
//! - `audit`: in Chromium, every page type of the demo, light and dark: no serious or
//!   critical axe-core violation; at 360 px nothing scrolls sideways; every request stays on
//!   the page's origin; articles print without navigation, search, sharing or "more", with
//!   their address at the end.
//! - `screenshots`: each theme's home and article page at 390 and 1280 px against the
//!   committed references in `tests/fixtures/screenshots/`, with a tolerance.
//!
//! The browser tests serve a `qissa build` with a fixed `--now` from [`StaticServer`], so the
//! breaking bar and every date are the same on every run.

use crate::support::{Output, Workspace};

#[path = "audit.rs"]
mod audit;
#[path = "features.rs"]
mod features;
#[path = "screenshots.rs"]
mod screenshots;
#[path = "static_server.rs"]
mod static_server;

pub use static_server::StaticServer;

/// The built-in themes.
pub const THEMES: [&str; 2] = ["qissa", "jarida"];

/// The build time of the theme tests: 90 minutes after the demo's newest article, which
/// [`with_breaking_story`] marks breaking, so the «عاجل» bar shows (`breaking_hours: 6`).
pub const NOW: &str = "2026-11-27T16:00:00+02:00";

/// The demo's reference article (summary, facts table, author box) and its page.
pub const REFERENCE_ARTICLE: &str = "content/articles/2026/saudi-kazakhstan-security.md";

/// A demo article with every block: figure, quote, gallery, notice, «اقرأ أيضًا», embeds.
pub const BLOCKS_ARTICLE: &str = "content/articles/2026/metro-first-week-guide.md";

/// Sets `theme:` in the site's `site.yaml`.
pub fn use_theme(ws: &Workspace, theme: &str) {
    let path = ws.site().join("site.yaml");
    let yaml = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = yaml
        .lines()
        .filter(|l| !l.starts_with("theme:"))
        .map(str::to_string)
        .collect();
    lines.insert(0, format!("theme: {theme}"));
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
}

/// Marks `article` (a site file) `breaking: true`, after its first line of front matter.
pub fn with_breaking_story(ws: &Workspace, article: &str) {
    let path = ws.site().join(article);
    let text = std::fs::read_to_string(&path).unwrap();
    if !text.contains("\nbreaking: true\n") {
        std::fs::write(&path, text.replacen("---\n", "---\nbreaking: true\n", 1)).unwrap();
    }
}

/// The demo, in `theme`, with a breaking story, built at [`NOW`].
pub fn demo_in(theme: &str) -> (Workspace, Output) {
    let ws = Workspace::demo();
    use_theme(&ws, theme);
    with_breaking_story(&ws, REFERENCE_ARTICLE);
    let out = ws.build_ok(&["--now", NOW]);
    (ws, out)
}

/// One page of every type of the demo, as (what it is, site path): the site path of an
/// article is found by its headline, and a tag from the tags index.
pub fn page_types(ws: &Workspace, out: &Output) -> Vec<(&'static str, String)> {
    let article = |file: &str| {
        let title = crate::support::yaml_value(&ws.site().join(file), "title");
        out.pages()
            .into_iter()
            .find(|(_, doc)| {
                crate::support::select(doc, "h1")
                    .first()
                    .is_some_and(|h| crate::support::text(*h) == title)
            })
            .map(|(path, _)| path)
            .unwrap_or_else(|| panic!("no page with the headline of {file}"))
    };
    let tags = out.page("/tags/");
    let tag = crate::support::select(&tags, "main li a")
        .first()
        .map(|a| crate::support::decode_href(crate::support::attr(*a, "href")))
        .expect("a tag on the tags index");
    vec![
        ("home", "/".to_string()),
        ("home page 2", "/page/2/".to_string()),
        ("article", article(REFERENCE_ARTICLE)),
        ("article with blocks", article(BLOCKS_ARTICLE)),
        ("category", "/security/".to_string()),
        ("tag", tag),
        ("author", "/authors/ahmed-rashwan/".to_string()),
        ("tags index", "/tags/".to_string()),
        ("authors index", "/authors/".to_string()),
        ("categories index", "/categories/".to_string()),
        ("page", "/about/".to_string()),
        ("404", "/404.html".to_string()),
        ("search", "/search/?q=مترو".to_string()),
    ]
}
