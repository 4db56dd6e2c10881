//! Rendering: the list of every page to write, and each page's template context.
//!
//! Contexts are slim: an article page gets its own article and a few cards from its category,
//! a list page gets one page of cards. Cards are built once per article as tera values (cheap
//! to clone: tera shares maps behind an `Arc`) and reused by every list that shows them, so
//! no page carries the whole site. Jobs are independent, so they render in parallel.

pub mod feeds;
mod fingerprints;
mod meta;
pub mod paginate;
pub mod seo;
pub mod sitemaps;
mod views;

use fingerprints::globals_print;
use views::{Link, TermView};

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Value};

use crate::arabic::dates::{DateFormatter, DisplayDate};
use crate::arabic::plurals::{ARTICLES, Counter};
use crate::config::Config;
use crate::error::Diagnostic;
use crate::render::paginate::Paginator;
use crate::render::seo::{OpenGraph, og_locale};
use crate::site::layout::Urls;
use crate::site::{Site, Term, page_count, paginated_path};
use crate::theme::templates::Templates;
use feeds::FeedOf;

/// Articles from the same category shown under an article.
const MORE_FROM_CATEGORY: usize = 4;

/// Longest lead shown on a card, in characters.
const CARD_LEAD_CHARS: usize = 220;

/// One output page to render.
#[derive(Debug, Clone, Copy)]
pub enum Job {
    Article(usize),
    Home(usize),
    Category(usize, usize),
    Tag(usize, usize),
    Author(usize, usize),
    TagIndex,
    AuthorIndex,
    CategoryIndex,
    Page(usize),
    NotFound,
    /// An Atom feed.
    Feed(FeedOf),
    /// `sitemap.xml` (0) or part `n` of a sitemap split under an index.
    Sitemap(usize),
    NewsSitemap,
    Robots,
}

/// Every page of the site.
pub fn jobs(site: &Site, per_page: usize) -> Vec<Job> {
    let mut jobs: Vec<Job> = (0..site.entries.len()).map(Job::Article).collect();
    jobs.extend((1..=page_count(site.entries.len(), per_page)).map(Job::Home));
    for (i, t) in site.categories.iter().enumerate() {
        jobs.extend((1..=page_count(t.entries.len(), per_page)).map(|p| Job::Category(i, p)));
    }
    for (i, t) in site.tags.iter().enumerate() {
        jobs.extend((1..=page_count(t.entries.len(), per_page)).map(|p| Job::Tag(i, p)));
    }
    for (i, a) in site.authors.iter().enumerate() {
        jobs.extend((1..=page_count(a.term.entries.len(), per_page)).map(|p| Job::Author(i, p)));
    }
    jobs.extend([
        Job::TagIndex,
        Job::AuthorIndex,
        Job::CategoryIndex,
        Job::NotFound,
    ]);
    jobs.extend((0..site.pages.len()).map(Job::Page));
    let pages = jobs.len() - 1; // all but the 404 page go into the sitemap
    jobs.push(Job::Feed(FeedOf::Site));
    jobs.extend((0..site.categories.len()).map(|i| Job::Feed(FeedOf::Category(i))));
    jobs.extend((0..site.tags.len()).map(|i| Job::Feed(FeedOf::Tag(i))));
    jobs.extend((0..site.authors.len()).map(|i| Job::Feed(FeedOf::Author(i))));
    let parts = sitemaps::parts_for(pages);
    jobs.push(Job::Sitemap(0));
    if parts > 1 {
        jobs.extend((1..=parts).map(Job::Sitemap));
    }
    jobs.extend([Job::NewsSitemap, Job::Robots]);
    jobs
}

/// Site-wide template values: the site, its navigation and its pages.
pub fn globals<'b>(site: &'b Site, config: &'b Config) -> Value {
    #[derive(Serialize)]
    struct SiteView<'b> {
        title: &'b str,
        description: &'b str,
        base_url: &'b str,
        base_path: &'b str,
        language: &'b str,
        dir: &'b str,
        home_url: String,
        tags_url: String,
        authors_url: String,
        categories_url: String,
        feed_url: String,
        categories: Vec<Link<'b>>,
        pages: Vec<Link<'b>>,
    }
    let c = config;
    let urls = Urls::new(&config.base_url, &config.base_path);
    let term_link = |t: &'b Term| Link {
        name: &t.name,
        url: urls.href(&t.path),
    };
    Value::from_serializable(&SiteView {
        title: &c.title,
        description: &c.description,
        base_url: &c.base_url,
        base_path: &c.base_path,
        language: &c.language,
        dir: c.direction,
        home_url: urls.href("/"),
        tags_url: urls.href("/tags/"),
        authors_url: urls.href("/authors/"),
        categories_url: urls.href("/categories/"),
        feed_url: urls.href(&format!("/{}", feeds::FEED_FILE)),
        categories: site.categories.iter().map(term_link).collect(),
        pages: site
            .pages
            .iter()
            .map(|p| Link {
                name: &p.page.title,
                url: urls.href(&p.path),
            })
            .collect(),
    })
}

/// Up to `n` articles of a list near article `i`: the next older ones first, then newer ones
/// if the list runs out. Each article thus appears in the "more" box of only a few others, so
/// editing one article touches few pages.
fn neighbours(list: &[usize], i: usize, n: usize) -> impl Iterator<Item = usize> + '_ {
    let position = list.binary_search(&i).unwrap_or(0);
    let older = list.iter().skip(position + 1);
    let newer = list[..position.min(list.len())].iter().rev();
    older.chain(newer).copied().filter(move |e| *e != i).take(n)
}

/// Dates and cards kept between builds of a preview, keyed by the card's fingerprint: a
/// card is built once and reused until its article, category or authors change.
#[derive(Default)]
pub struct CardCache {
    cards: HashMap<u64, (DisplayDate, Value)>,
}

/// Everything needed to render pages of one site.
pub struct Renderer<'a> {
    pub(crate) site: &'a Site,
    pub(crate) config: &'a Config,
    pub(crate) templates: &'a Templates,
    pub(crate) urls: Urls,
    pub(crate) dates: Vec<DisplayDate>,
    pub(crate) formatter: &'a DateFormatter,
    counter: &'a Counter,
    cards: Vec<Value>,
    /// Every article, newest first: the home list (made once, not per home page).
    everything: Vec<usize>,
    /// Fingerprint of each card: what it shows, from which inputs.
    pub(crate) card_prints: Vec<u64>,
    /// Fingerprint of what every page shows: the site values and navigation.
    pub(crate) globals_print: u64,
}

impl<'a> Renderer<'a> {
    /// Prepares dates and cards for every article, taking unchanged ones from `cache`.
    /// `generation` names the configuration and templates in use: a new one invalidates all.
    pub fn new(
        site: &'a Site,
        config: &'a Config,
        templates: &'a Templates,
        formatter: &'a DateFormatter,
        counter: &'a Counter,
        cache: &mut CardCache,
        generation: u64,
    ) -> Self {
        let urls = Urls::new(&config.base_url, &config.base_path);
        let mut renderer = Renderer {
            site,
            config,
            templates,
            urls,
            dates: Vec::with_capacity(site.entries.len()),
            formatter,
            counter,
            cards: Vec::with_capacity(site.entries.len()),
            everything: (0..site.entries.len()).collect(),
            card_prints: Vec::with_capacity(site.entries.len()),
            globals_print: globals_print(site, generation),
        };
        renderer.card_prints = (0..site.entries.len())
            .map(|i| renderer.card_print(i))
            .collect();
        let missing: Vec<usize> = (0..site.entries.len())
            .filter(|i| !cache.cards.contains_key(&renderer.card_prints[*i]))
            .collect();
        let fresh: Vec<(u64, (DisplayDate, Value))> = missing
            .par_iter()
            .map(|i| {
                let date = formatter.display(&site.entries[*i].article.date);
                let card = Value::from_serializable(&renderer.card(*i, &date));
                (renderer.card_prints[*i], (date, card))
            })
            .collect();
        cache.cards.extend(fresh);
        for print in &renderer.card_prints {
            let (date, card) = &cache.cards[print];
            renderer.dates.push(date.clone());
            renderer.cards.push(card.clone());
        }
        // Forget cards no article shows any more.
        let live: HashSet<u64> = renderer.card_prints.iter().copied().collect();
        cache.cards.retain(|print, _| live.contains(print));
        renderer
    }

    /// Renders one job: the output file (relative to the output folder) and its HTML.
    pub fn render(&self, job: Job) -> Result<(String, Vec<u8>), Diagnostic> {
        let per = self.config.per_page;
        match job {
            Job::Article(i) => self.article_page(i),
            Job::Home(p) => {
                let extra = self.list_extras(FeedOf::Site, &[self.home_crumb()], None);
                self.list_page(
                    "index.html",
                    "/",
                    &self.config.title,
                    &self.everything,
                    p,
                    per,
                    extra,
                )
            }
            Job::Category(i, p) => {
                let t = &self.site.categories[i];
                let trail = [
                    self.home_crumb(),
                    (t.name.as_str(), self.urls.permalink(&t.path)),
                ];
                let mut extra = self.list_extras(FeedOf::Category(i), &trail, None);
                extra.insert("section_url", &self.urls.href(&t.path));
                self.list_page("category.html", &t.path, &t.name, &t.entries, p, per, extra)
            }
            Job::Tag(i, p) => {
                let t = &self.site.tags[i];
                let trail = [
                    self.home_crumb(),
                    ("الوسوم", self.urls.permalink("/tags/")),
                    (t.name.as_str(), self.urls.permalink(&t.path)),
                ];
                let extra = self.list_extras(FeedOf::Tag(i), &trail, None);
                self.list_page("tag.html", &t.path, &t.name, &t.entries, p, per, extra)
            }
            Job::Author(i, p) => {
                let a = &self.site.authors[i];
                let trail = [
                    self.home_crumb(),
                    ("الكتّاب", self.urls.permalink("/authors/")),
                    (a.term.name.as_str(), self.urls.permalink(&a.term.path)),
                ];
                let mut extra = self.list_extras(FeedOf::Author(i), &trail, Some(i));
                extra.insert("author", &self.author_view(i, true));
                self.list_page(
                    "author.html",
                    &a.term.path,
                    &a.term.name,
                    &a.term.entries,
                    p,
                    per,
                    extra,
                )
            }
            Job::TagIndex => {
                self.index_page("tags.html", "/tags/", "الوسوم", self.site.tags.iter())
            }
            Job::AuthorIndex => self.index_page(
                "authors.html",
                "/authors/",
                "الكتّاب",
                self.site.authors.iter().map(|a| &a.term),
            ),
            Job::CategoryIndex => self.index_page(
                "categories.html",
                "/categories/",
                "الأقسام",
                self.site.categories.iter(),
            ),
            Job::Page(i) => self.plain_page(i),
            Job::NotFound => {
                let mut ctx = self.base_context("/404.html", "الصفحة غير موجودة", "");
                ctx.insert("kind", "404");
                let html = self.templates.render("404.html", &ctx, "404.html")?;
                Ok(("404.html".into(), html))
            }
            Job::Feed(of) => feeds::render_feed(self, of),
            Job::Sitemap(n) => {
                let urls = sitemaps::sitemap_urls(self, &jobs(self.site, per));
                let xml = if n == 0 {
                    sitemaps::render_main(&urls, &self.urls)
                } else {
                    sitemaps::render_part(&urls, n)
                };
                Ok((sitemaps::part_file(n), xml))
            }
            Job::NewsSitemap => {
                let entries = sitemaps::news_entries(self, self.site.built_at);
                Ok((
                    "news-sitemap.xml".into(),
                    sitemaps::render_news(self, &entries),
                ))
            }
            Job::Robots => Ok(("robots.txt".into(), sitemaps::render_robots(self))),
        }
    }

    fn base_context(&self, path: &str, title: &str, description: &str) -> Context {
        let mut ctx = Context::new();
        ctx.insert("title", title);
        // Every page needs a description for search results and share previews; a page
        // without one (a site with no `description:`) falls back to its title.
        let description = if description.trim().is_empty() {
            title
        } else {
            description
        };
        ctx.insert("description", description);
        ctx.insert("url", &self.urls.href(path));
        ctx.insert("permalink", &self.urls.permalink(path));
        ctx.insert("section_url", "");
        ctx.insert("jsonld", "");
        ctx.insert("feed_url", "");
        ctx.insert("feed_title", "");
        ctx.insert(
            "og",
            &OpenGraph {
                kind: "website",
                locale: og_locale(&self.config.language),
                image: None,
                image_alt: None,
            },
        );
        ctx
    }

    fn article_page(&self, i: usize) -> Result<(String, Vec<u8>), Diagnostic> {
        let entry = &self.site.entries[i];
        let a = &entry.article;
        let template = match &a.template {
            Some(t) if !self.templates.has(&t.value) => {
                return Err(
                    Diagnostic::new(&a.source, format!("unknown template `{}`", t.value))
                        .at_optional_line(t.line)
                        .key("template")
                        .help(self.templates.unknown_template(&t.value)),
                );
            }
            Some(t) => t.value.as_str(),
            None => "article.html",
        };
        let mut ctx = self.base_context(&entry.path, &a.title, a.description_text());
        ctx.insert("kind", "article");
        ctx.insert(
            "section_url",
            &self.urls.href(&self.site.categories[entry.category].path),
        );
        ctx.insert("article", &self.article_view(i));
        ctx.insert_value("more", self.more_from_category(i));
        let (og, jsonld) = self.article_meta(i);
        ctx.insert("og", &og);
        ctx.insert("jsonld", &jsonld);
        ctx.insert(
            "feed_url",
            &self
                .urls
                .href(&feeds::feed_path(self, FeedOf::Category(entry.category))),
        );
        ctx.insert("feed_title", &self.site.categories[entry.category].name);
        let html = self
            .templates
            .render(template, &ctx, &a.source.display().to_string())?;
        Ok((crate::builder::output::file_for_path(&entry.path), html))
    }

    #[allow(clippy::too_many_arguments)]
    fn list_page(
        &self,
        template: &str,
        base: &str,
        name: &str,
        entries: &[usize],
        page: usize,
        per_page: usize,
        extra: Context,
    ) -> Result<(String, Vec<u8>), Diagnostic> {
        let path = paginated_path(base, page);
        let total = page_count(entries.len(), per_page);
        let cards: Vec<Value> = entries
            .iter()
            .skip((page - 1) * per_page)
            .take(per_page)
            .map(|e| self.cards[*e].clone())
            .collect();
        let mut ctx = self.base_context(&path, name, &self.config.description);
        ctx.extend(extra);
        ctx.insert("kind", template.trim_end_matches(".html"));
        ctx.insert(
            "list",
            &TermView {
                name,
                url: self.urls.href(base),
                count: entries.len(),
                count_label: self.counter.phrase(entries.len(), &ARTICLES),
            },
        );
        ctx.insert_value("articles", Value::from(&cards[..]));
        ctx.insert(
            "paginator",
            &Paginator::new(base, page, total, &self.urls, self.config.digits),
        );
        let html = self.templates.render(template, &ctx, &path)?;
        Ok((crate::builder::output::file_for_path(&path), html))
    }

    fn index_page<'t>(
        &self,
        template: &str,
        path: &str,
        title: &str,
        terms: impl Iterator<Item = &'t Term>,
    ) -> Result<(String, Vec<u8>), Diagnostic> {
        let views: Vec<TermView> = terms
            .map(|t| TermView {
                name: &t.name,
                url: self.urls.href(&t.path),
                count: t.entries.len(),
                count_label: self.counter.phrase(t.entries.len(), &ARTICLES),
            })
            .collect();
        let mut ctx = self.base_context(path, title, &self.config.description);
        ctx.insert("kind", template.trim_end_matches(".html"));
        ctx.insert("terms", &views);
        let html = self.templates.render(template, &ctx, path)?;
        Ok((crate::builder::output::file_for_path(path), html))
    }

    fn plain_page(&self, i: usize) -> Result<(String, Vec<u8>), Diagnostic> {
        let p = &self.site.pages[i];
        let page = &p.page;
        let template = match &page.template {
            Some(t) if !self.templates.has(&t.value) => {
                return Err(Diagnostic::new(
                    &page.source,
                    format!("unknown template `{}`", t.value),
                )
                .at_optional_line(t.line)
                .key("template")
                .help(self.templates.unknown_template(&t.value)));
            }
            Some(t) => t.value.as_str(),
            None => "page.html",
        };
        let description = page.description.as_deref().unwrap_or(&page.body.lead_text);
        let mut ctx = self.base_context(&p.path, &page.title, description);
        ctx.insert("kind", "page");
        let content = page.body.lead_html.clone().unwrap_or_default() + &page.body.body_html;
        ctx.insert(
            "page",
            &serde_json::json!({ "title": page.title, "content": content, "draft": page.draft }),
        );
        let html = self
            .templates
            .render(template, &ctx, &page.source.display().to_string())?;
        Ok((crate::builder::output::file_for_path(&p.path), html))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbours_prefer_older_articles() {
        let list = [1, 4, 6, 9, 12, 15];
        assert_eq!(neighbours(&list, 6, 3).collect::<Vec<_>>(), [9, 12, 15]);
        assert_eq!(neighbours(&list, 12, 3).collect::<Vec<_>>(), [15, 9, 6]);
        assert_eq!(neighbours(&list, 15, 2).collect::<Vec<_>>(), [12, 9]);
        assert_eq!(neighbours(&[7], 7, 4).count(), 0);
    }
}
