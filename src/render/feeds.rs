//! Atom feeds: one for the site and one for every category, tag and author, newest first.
//!
//! Atom rather than RSS: its dates carry offsets (RFC 3339), entries have stable ids, and
//! `xml:lang` marks the language. Each entry holds the title, author, category, dates, the
//! summary bullets and the full article, as HTML wrapped in `dir="rtl"` (feeds have no
//! direction attribute of their own) with every link made absolute, since a feed reader has no
//! page to resolve them against. The XML comes from the theme's `atom.xml` template (the
//! built-in one when a theme has none).

use serde::Serialize;
use tera::Context;

use crate::error::Diagnostic;
use crate::render::Renderer;
use crate::site::Term;

/// The file name of every feed.
pub const FEED_FILE: &str = "atom.xml";

/// Whose articles a feed carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FeedOf {
    Site,
    Category(usize),
    Tag(usize),
    Author(usize),
}

#[derive(Serialize)]
struct FeedView<'a> {
    title: String,
    subtitle: &'a str,
    id: String,
    self_url: String,
    alternate: String,
    updated: String,
    lang: &'a str,
}

#[derive(Serialize)]
struct EntryView<'a> {
    title: &'a str,
    url: String,
    published: &'a str,
    updated: String,
    authors: Vec<Person<'a>>,
    category: Category<'a>,
    summary: &'a str,
    content: String,
}

#[derive(Serialize)]
struct Person<'a> {
    name: &'a str,
    uri: String,
}

#[derive(Serialize)]
struct Category<'a> {
    term: &'a str,
    label: &'a str,
}

/// The URL path of the page a feed belongs to (`/`, `/security/`, `/tags/مصر/`…).
pub fn list_path(renderer: &Renderer, of: FeedOf) -> String {
    match term(renderer, of) {
        Some(t) => t.path.clone(),
        None => "/".to_string(),
    }
}

/// The URL path of a feed.
pub fn feed_path(renderer: &Renderer, of: FeedOf) -> String {
    format!("{}{FEED_FILE}", list_path(renderer, of))
}

fn term<'r>(renderer: &'r Renderer, of: FeedOf) -> Option<&'r Term> {
    let site = renderer.site;
    match of {
        FeedOf::Site => None,
        FeedOf::Category(i) => Some(&site.categories[i]),
        FeedOf::Tag(i) => Some(&site.tags[i]),
        FeedOf::Author(i) => Some(&site.authors[i].term),
    }
}

/// The articles in a feed, newest first, at most `feed_limit`.
pub fn feed_entries(renderer: &Renderer, of: FeedOf) -> Vec<usize> {
    let limit = renderer.config.feed_limit;
    match term(renderer, of) {
        Some(t) => t.entries.iter().take(limit).copied().collect(),
        None => (0..renderer.site.entries.len().min(limit)).collect(),
    }
}

/// Renders one feed: its file and bytes.
pub fn render_feed(renderer: &Renderer, of: FeedOf) -> Result<(String, Vec<u8>), Diagnostic> {
    let site = renderer.site;
    let config = renderer.config;
    let urls = &renderer.urls;
    let entries = feed_entries(renderer, of);
    let list = list_path(renderer, of);
    let path = feed_path(renderer, of);
    let title = match term(renderer, of) {
        Some(t) => format!("{} — {}", t.name, config.title),
        None => config.title.clone(),
    };
    let updated = entries
        .iter()
        .map(|e| updated_of(renderer, *e))
        .max()
        .unwrap_or_else(|| "1970-01-01T00:00:00+00:00".to_string());
    let feed = FeedView {
        title,
        subtitle: &config.description,
        id: urls.permalink(&list),
        self_url: urls.permalink(&path),
        alternate: urls.permalink(&list),
        updated,
        lang: &config.language,
    };
    let origin = urls.origin();
    let views: Vec<EntryView> = entries
        .iter()
        .map(|i| {
            let entry = &site.entries[*i];
            let a = &entry.article;
            let category = &site.categories[entry.category];
            EntryView {
                title: &a.title,
                url: urls.permalink(&entry.path),
                published: &renderer.dates[*i].iso,
                updated: updated_of(renderer, *i),
                authors: entry
                    .authors
                    .iter()
                    .map(|id| {
                        let author = &site.authors[*id];
                        Person {
                            name: &author.author.name,
                            uri: urls.permalink(&author.term.path),
                        }
                    })
                    .collect(),
                category: Category {
                    term: &category.slug,
                    label: &category.name,
                },
                summary: a.description_text(),
                content: entry_html(a, config.direction, origin, &urls.permalink(&entry.path)),
            }
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("feed", &feed);
    ctx.insert("entries", &views);
    let xml = renderer.templates.render(FEED_FILE, &ctx, &path)?;
    Ok((path.trim_start_matches('/').to_string(), xml))
}

/// When an article last changed: `updated:`, else its date.
fn updated_of(renderer: &Renderer, i: usize) -> String {
    let a = &renderer.site.entries[i].article;
    match &a.updated {
        Some(u) => crate::arabic::dates::iso(u),
        None => renderer.dates[i].iso.clone(),
    }
}

/// The article as feed HTML: summary bullets, lead and body, in the site's direction, with
/// root-relative links made absolute and in-page links (footnotes) pointing at the article.
fn entry_html(
    article: &crate::content::Article,
    direction: &str,
    origin: &str,
    permalink: &str,
) -> String {
    let mut html = format!("<div dir=\"{direction}\">");
    if !article.summary.is_empty() {
        html.push_str("<ul>");
        for point in &article.summary {
            html.push_str("<li>");
            let _ = pulldown_cmark_escape::escape_html_body_text(&mut html, point);
            html.push_str("</li>");
        }
        html.push_str("</ul>");
    }
    if let Some(lead) = &article.body.lead_html {
        html.push_str(lead);
    }
    html.push_str(&article.body.body_html);
    html.push_str("</div>");
    html.replace("href=\"/", &format!("href=\"{origin}/"))
        .replace("src=\"/", &format!("src=\"{origin}/"))
        .replace("href=\"#", &format!("href=\"{permalink}#"))
}
