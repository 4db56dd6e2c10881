//! Atom feeds: one for the site and one for every category, tag and author, newest first.
//!
//! Atom rather than RSS: its dates carry offsets (RFC 3339), entries have stable ids, and
//! `xml:lang` marks the language. Each entry holds the title, author, category, dates, the
//! summary bullets and the full article, as HTML wrapped in `dir="rtl"` (feeds have no
//! direction attribute of their own) with every link made absolute, since a feed reader has no
//! page to resolve them against. The XML comes from the theme's `atom.xml` template, which
//! every theme must have (THEMES.md).

use serde::Serialize;
use tera::Context;

use super::context::{Rendered, Renderer};
use super::plan::FeedOf;
use crate::site::Entry;
use crate::site::layout::FEED_FILE;

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

impl Renderer<'_> {
    /// Renders one feed: its file and bytes.
    pub(super) fn feed(&self, of: FeedOf) -> Rendered {
        let entries = self.plan.feed_entries(of);
        let path = self.plan.feed_path(of);
        let views = entries
            .iter()
            .map(|i| self.feed_entry(*i))
            .collect::<Result<Vec<EntryView>, _>>()?;
        let mut ctx = Context::new();
        ctx.insert("feed", &self.feed_view(of, &entries));
        ctx.insert("entries", &views);
        let xml = self.templates.render(FEED_FILE, &ctx, &path)?;
        Ok((path.trim_start_matches('/').to_string(), xml))
    }

    /// The feed's own values: title, links, and when its newest entry changed.
    fn feed_view(&self, of: FeedOf, entries: &[usize]) -> FeedView<'_> {
        let config = self.config;
        let list = self.plan.feed_list_path(of);
        let title = match self.plan.feed_term(of) {
            Some(t) => format!("{} — {}", t.name, config.title),
            None => config.title.clone(),
        };
        let updated = entries
            .iter()
            .map(|e| self.plan.updated_iso(*e))
            .max()
            .unwrap_or_else(|| "1970-01-01T00:00:00+00:00".to_string());
        FeedView {
            title,
            subtitle: &config.description,
            id: self.urls.permalink(list),
            self_url: self.urls.permalink(&self.plan.feed_path(of)),
            alternate: self.urls.permalink(list),
            updated,
            lang: &config.language,
        }
    }

    /// One article as a feed entry.
    fn feed_entry(&self, i: usize) -> Result<EntryView<'_>, crate::error::Diagnostic> {
        let site = self.site;
        let entry = &site.entries[i];
        let a = &entry.article;
        let category = &site.categories[entry.category];
        let permalink = self.urls.permalink(&entry.path);
        let authors = entry.authors.iter().map(|id| {
            let author = &site.authors[*id];
            Person {
                name: &author.author.name,
                uri: self.urls.permalink(&author.term.path),
            }
        });
        let text = super::views::body_text(entry)?;
        let body = self.article_body(i, &text.html)?;
        Ok(EntryView {
            title: &a.title,
            content: self.entry_html(entry, text.lead_html.as_deref(), &body, &permalink),
            url: permalink,
            published: &self.dates[i].iso,
            updated: self.plan.updated_iso(i),
            authors: authors.collect(),
            category: Category {
                term: &category.slug,
                label: &category.name,
            },
            summary: a.description_text(),
        })
    }
}

impl Renderer<'_> {
    /// The article as feed HTML: summary bullets, lead and body (`body_html`, its blocks
    /// filled in), in the site's direction, with photos at a small published size,
    /// root-relative links made absolute and in-page links (footnotes) pointing at the article.
    fn entry_html(
        &self,
        entry: &Entry,
        lead_html: Option<&str>,
        body_html: &str,
        permalink: &str,
    ) -> String {
        let article = &entry.article;
        let mut html = format!("<div dir=\"{}\">", self.config.direction);
        if !article.summary.is_empty() {
            html.push_str("<ul>");
            for point in &article.summary {
                html.push_str("<li>");
                let _ = pulldown_cmark_escape::escape_html_body_text(&mut html, point);
                html.push_str("</li>");
            }
            html.push_str("</ul>");
        }
        if let Some(lead) = lead_html {
            html.push_str(lead);
        }
        html.push_str(body_html);
        html.push_str("</div>");
        let base = &self.config.base_path;
        let html = self.pictures().feed_body(&html, &entry.body_pictures, base);
        let origin = self.urls.origin();
        html.replace("href=\"/", &format!("href=\"{origin}/"))
            .replace("src=\"/", &format!("src=\"{origin}/"))
            .replace("href=\"#", &format!("href=\"{permalink}#"))
    }
}
