//! Integration tests of `qissa build`: the real binary is run on the demo site and on small
//! fixture sites (`tests/fixtures/`), always copied into a temporary folder, and the output is
//! read back as parsed HTML.
//!
//! - `aliases`: old addresses redirect to their article, stay out of sitemap and feeds.
//! - `scaffold`: `qissa new` starts a site, an article, an author and a page.
//! - `photos`: photos come out responsive, sized, cropped for sharing and without metadata.
//! - `reference_article`: the reference article page carries every element of the reference.
//! - `links`: every internal link resolves, from the domain root and under a sub-path.
//! - `check`: `qissa check` passes on the demo site and reports broken links, fragments,
//!   fonts, feed and sitemap URLs, and pages without a title or description.
//! - `output`: builds are byte-for-byte reproducible; rebuilds leave no stale files.
//! - `incremental`: a build session rebuilds only what changed, byte-identical to a full build.
//! - `lists`: category, tag, author and home lists hold exactly the right articles, in order;
//!   drafts and future articles stay out; index pages count right.
//! - `publishing`: feeds, sitemaps, robots.txt and each article's metadata.
//! - `faults`: every bad input (front matter, encodings, values, references, URLs, files,
//!   hostile markup, templates) fails cleanly with file, line and choices, leaving the output
//!   untouched, or comes out inert; the page parser never panics. One harness, in
//!   `faults/harness.rs`; the broken files are written by the tests on a copy of `minimal`.
//! - `front_matter`: every front-matter form on a site that is not the demo.
//! - `front_page`: the lead story, the stories beside it, section bands, the editor's list
//!   and the breaking-news bar.
//! - `pagination`: a generated 23-article site paginates into linked pages.
//! - `slugs`: Arabic titles and tags become clean NFC slugs that fit a file name.
//! - `arabic`: dates, digits, plurals, bidi and typography as readers in each region see them.
//! - `serve`: `qissa serve` over HTTP, its reload channel and a headless browser; in a
//!   browser too, embeds load nothing from their provider until a click.
//! - `writing`: blocks, embeds, figures, theme blocks and author links, and their faults.
//! - `search`: the search page and the header's box under a sub-path, `search: false`, a
//!   theme without `search.html`, a bad `search:` value; in a browser (`serve/search_browser`,
//!   `serve/search_axe`), the query set's recall and precision, the page as a reader uses it,
//!   and axe-core on the search and article pages.
//! - `strings`: labels reworded in site.yaml or the site's strings.yaml show on every page;
//!   a label change rebuilt incrementally equals a full build.
//! - `themes_doc`: THEMES.md documents every variable each template receives.
//! - `photos_browser`: a lead-photo article in Chromium 390 px wide: ≤ 150 KB, CLS 0, one origin.
//! - `themes`: both built-in themes, every page type: every feature, one origin, axe in light
//!   and dark, no sideways scrolling at 360 px, and screenshots against committed references.
//!
//! `support` and `model` hold the shared helpers; the modules live in `tests/build/`.

#[path = "build/aliases.rs"]
mod aliases;
#[path = "build/arabic.rs"]
mod arabic;
#[path = "build/check.rs"]
mod check;
#[path = "build/faults/mod.rs"]
mod faults;
#[path = "build/front_matter.rs"]
mod front_matter;
#[path = "build/front_page.rs"]
mod front_page;
#[path = "build/incremental.rs"]
mod incremental;
#[path = "build/links.rs"]
mod links;
#[path = "build/lists.rs"]
mod lists;
#[path = "build/model.rs"]
mod model;
#[path = "build/output.rs"]
mod output;
#[path = "build/pagination.rs"]
mod pagination;
#[path = "build/photos.rs"]
mod photos;
#[path = "build/photos_browser.rs"]
mod photos_browser;
#[path = "build/publishing.rs"]
mod publishing;
#[path = "build/rebuilds.rs"]
mod rebuilds;
#[path = "build/reference_article.rs"]
mod reference_article;
#[path = "build/scaffold.rs"]
mod scaffold;
#[path = "build/search.rs"]
mod search;
#[path = "build/search_cache.rs"]
mod search_cache;
#[path = "build/serve.rs"]
mod serve;
#[path = "build/slugs.rs"]
mod slugs;
#[path = "build/strings.rs"]
mod strings;
#[path = "build/support.rs"]
mod support;
#[path = "build/themes/mod.rs"]
mod themes;
#[path = "build/themes_doc.rs"]
mod themes_doc;
#[path = "build/writing.rs"]
mod writing;
