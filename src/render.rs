//! Rendering: the list of every page to write, and each page's template context.
//!
//! Contexts are slim: an article page gets its own article and a few cards from its category,
//! a list page gets one page of cards. Cards are built once per article as tera values (cheap
//! to clone: tera shares maps behind an `Arc`) and reused by every list that shows them, so
//! no page carries the whole site. Jobs are independent, so they render in parallel.

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Value};

use crate::config::Config;
use crate::dates::{DateFormatter, DisplayDate};
use crate::error::Diagnostic;
use crate::feeds::{self, FeedOf};
use crate::numbers::{ARTICLES, Counter};
use crate::paginate::Paginator;
use crate::seo::{self, Crumb, OpenGraph, og_locale};
use crate::site::{Entry, Image, Site, Term, page_count, paginated_path};
use crate::sitemaps;
use crate::templates::Templates;
use crate::urls::{ShareLinks, Urls};

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

/// A link with a label.
#[derive(Debug, Serialize)]
struct Link<'a> {
    name: &'a str,
    url: String,
}

#[derive(Serialize)]
struct ImageView<'a> {
    url: String,
    alt: &'a str,
    width: Option<usize>,
    height: Option<usize>,
}

#[derive(Serialize)]
struct AuthorView<'a> {
    id: &'a str,
    name: &'a str,
    role: Option<&'a str>,
    url: String,
    bio_html: &'a str,
    avatar: Option<String>,
    /// The first letter of the name, for the avatar placeholder.
    initial: String,
    links: &'a [crate::content::author::AuthorLink],
    /// Only on the author's own page: an article's author box does not change when the
    /// author writes another article.
    #[serde(skip_serializing_if = "Option::is_none")]
    count: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    count_label: Option<String>,
}

#[derive(Serialize)]
struct ArticleView<'a> {
    title: &'a str,
    url: String,
    permalink: String,
    date: &'a DisplayDate,
    updated: Option<DisplayDate>,
    category: Link<'a>,
    authors: Vec<AuthorView<'a>>,
    tags: Vec<Link<'a>>,
    summary: &'a [String],
    lead_html: Option<&'a str>,
    description: &'a str,
    content: &'a str,
    reading_minutes: String,
    image: Option<ImageView<'a>>,
    share: ShareLinks,
    headings: &'a [crate::markdown::Heading],
    draft: bool,
}

#[derive(Serialize)]
struct Card<'a> {
    title: &'a str,
    url: String,
    date: &'a DisplayDate,
    category: Link<'a>,
    authors: Vec<Link<'a>>,
    lead: String,
    image: Option<ImageView<'a>>,
}

#[derive(Serialize)]
struct TermView<'a> {
    name: &'a str,
    url: String,
    count: usize,
    count_label: String,
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

/// A 64-bit fingerprint of `value`: equal inputs, equal prints, in one process.
pub(crate) fn print_of(value: impl Hash) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

/// What every page shows besides its own content: the configuration and templates (through
/// their `generation`), the categories in the navigation and the pages in the footer.
fn globals_print(site: &Site, generation: u64) -> u64 {
    let categories: Vec<(&str, &str)> = site
        .categories
        .iter()
        .map(|t| (t.name.as_str(), t.path.as_str()))
        .collect();
    let pages: Vec<(&str, &str)> = site
        .pages
        .iter()
        .map(|p| (p.page.title.as_str(), p.path.as_str()))
        .collect();
    print_of((generation, categories, pages))
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

    /// A card's inputs: its article's parse, URL, category and authors.
    fn card_print(&self, i: usize) -> u64 {
        let entry = &self.site.entries[i];
        let category = &self.site.categories[entry.category];
        let authors: Vec<(u64, &str)> = entry
            .authors
            .iter()
            .map(|a| {
                (
                    self.site.authors[*a].author.version,
                    self.site.authors[*a].term.path.as_str(),
                )
            })
            .collect();
        print_of((
            entry.article.version,
            &entry.path,
            &category.name,
            &category.path,
            authors,
        ))
    }

    /// Everything that goes into a job's page. Two builds that give a job the same print
    /// give it the same bytes, so a rebuild renders only the jobs whose print changed.
    pub fn job_print(&self, job: Job) -> u64 {
        let site = self.site;
        let per = self.config.per_page;
        let list = |kind: &str, term: &Term, page: usize, extra: u64| {
            let cards: Vec<u64> = term
                .entries
                .iter()
                .skip((page - 1) * per)
                .take(per)
                .map(|e| self.card_prints[*e])
                .collect();
            let total = page_count(term.entries.len(), per);
            print_of((
                self.globals_print,
                kind,
                &term.name,
                &term.path,
                term.entries.len(),
                page,
                total,
                cards,
                extra,
            ))
        };
        let index = |kind: &str, terms: &mut dyn Iterator<Item = &Term>| {
            let terms: Vec<(&str, &str, usize)> = terms
                .map(|t| (t.name.as_str(), t.path.as_str(), t.entries.len()))
                .collect();
            print_of((self.globals_print, kind, terms))
        };
        match job {
            Job::Article(i) => {
                let entry = &site.entries[i];
                let tags: Vec<&str> = entry
                    .tags
                    .iter()
                    .map(|t| site.tags[*t].path.as_str())
                    .collect();
                let tag_names: Vec<&str> = entry
                    .tags
                    .iter()
                    .map(|t| site.tags[*t].name.as_str())
                    .collect();
                let category = &site.categories[entry.category];
                let more: Vec<u64> = neighbours(&category.entries, i, MORE_FROM_CATEGORY)
                    .map(|e| self.card_prints[e])
                    .collect();
                print_of((
                    self.globals_print,
                    "article",
                    self.card_prints[i],
                    tags,
                    tag_names,
                    more,
                ))
            }
            Job::Home(p) => {
                let cards: Vec<u64> = self
                    .card_prints
                    .iter()
                    .skip((p - 1) * per)
                    .take(per)
                    .copied()
                    .collect();
                let total = page_count(site.entries.len(), per);
                print_of((
                    self.globals_print,
                    "home",
                    site.entries.len(),
                    p,
                    total,
                    cards,
                ))
            }
            Job::Category(i, p) => list("category", &site.categories[i], p, 0),
            Job::Tag(i, p) => list("tag", &site.tags[i], p, 0),
            Job::Author(i, p) => list(
                "author",
                &site.authors[i].term,
                p,
                site.authors[i].author.version,
            ),
            Job::TagIndex => index("tags", &mut site.tags.iter()),
            Job::AuthorIndex => index("authors", &mut site.authors.iter().map(|a| &a.term)),
            Job::CategoryIndex => index("categories", &mut site.categories.iter()),
            Job::Page(i) => print_of((
                self.globals_print,
                "page",
                site.pages[i].page.version,
                &site.pages[i].path,
            )),
            Job::NotFound => print_of((self.globals_print, "404")),
            Job::Feed(of) => {
                let cards: Vec<u64> = feeds::feed_entries(self, of)
                    .iter()
                    .map(|e| self.card_prints[*e])
                    .collect();
                print_of((
                    self.globals_print,
                    "feed",
                    of,
                    feeds::feed_path(self, of),
                    cards,
                ))
            }
            // Every page's URL and date: all articles and the shape of every list.
            Job::Sitemap(n) => {
                let lists: Vec<(&str, usize)> = site
                    .categories
                    .iter()
                    .chain(&site.tags)
                    .chain(site.authors.iter().map(|a| &a.term))
                    .map(|t| (t.path.as_str(), t.entries.len()))
                    .collect();
                let pages: Vec<&str> = site.pages.iter().map(|p| p.path.as_str()).collect();
                print_of((
                    self.globals_print,
                    "sitemap",
                    n,
                    &self.card_prints,
                    lists,
                    pages,
                ))
            }
            Job::NewsSitemap => {
                let cards: Vec<u64> = sitemaps::news_entries(self, site.built_at)
                    .iter()
                    .map(|e| self.card_prints[*e])
                    .collect();
                print_of((self.globals_print, "news", cards))
            }
            Job::Robots => print_of((self.globals_print, "robots")),
        }
    }

    /// The URL path of an HTML page that belongs in the sitemap; `None` for the 404 page,
    /// feeds and the sitemaps themselves.
    pub fn page_path(&self, job: Job) -> Option<String> {
        match job {
            Job::NotFound | Job::Feed(_) | Job::Sitemap(_) | Job::NewsSitemap | Job::Robots => None,
            _ => Some(self.path_of(job)),
        }
    }

    /// When the content of a page last changed, for the sitemap: an article's `updated` or
    /// date; a list page's newest article.
    pub fn lastmod(&self, job: Job) -> Option<String> {
        let site = self.site;
        let per = self.config.per_page;
        let newest_on = |entries: &[usize], page: usize| {
            entries.get((page - 1) * per).map(|e| self.updated_iso(*e))
        };
        match job {
            Job::Article(i) => Some(self.updated_iso(i)),
            Job::Home(p) => {
                (site.entries.len() > (p - 1) * per).then(|| self.updated_iso((p - 1) * per))
            }
            Job::Category(i, p) => newest_on(&site.categories[i].entries, p),
            Job::Tag(i, p) => newest_on(&site.tags[i].entries, p),
            Job::Author(i, p) => newest_on(&site.authors[i].term.entries, p),
            _ => None,
        }
    }

    fn updated_iso(&self, i: usize) -> String {
        match &self.site.entries[i].article.updated {
            Some(u) => crate::dates::iso(u),
            None => self.dates[i].iso.clone(),
        }
    }

    /// The file a job writes, relative to the output folder.
    pub fn file_of(&self, job: Job) -> String {
        match job {
            Job::NotFound => "404.html".into(),
            Job::Feed(of) => feeds::feed_path(self, of)
                .trim_start_matches('/')
                .to_string(),
            Job::Sitemap(n) => sitemaps::part_file(n),
            Job::NewsSitemap => "news-sitemap.xml".into(),
            Job::Robots => "robots.txt".into(),
            _ => crate::output::file_for_path(&self.path_of(job)),
        }
    }

    /// The URL path of an HTML page job.
    fn path_of(&self, job: Job) -> String {
        let site = self.site;
        match job {
            Job::Article(i) => site.entries[i].path.clone(),
            Job::Home(p) => paginated_path("/", p),
            Job::Category(i, p) => paginated_path(&site.categories[i].path, p),
            Job::Tag(i, p) => paginated_path(&site.tags[i].path, p),
            Job::Author(i, p) => paginated_path(&site.authors[i].term.path, p),
            Job::TagIndex => "/tags/".into(),
            Job::AuthorIndex => "/authors/".into(),
            Job::CategoryIndex => "/categories/".into(),
            Job::Page(i) => site.pages[i].path.clone(),
            _ => "/404.html".into(),
        }
    }

    /// Renders one job: the output file (relative to the output folder) and its HTML.
    pub fn render(&self, job: Job) -> Result<(String, Vec<u8>), Diagnostic> {
        let per = self.config.per_page;
        match job {
            Job::Article(i) => self.article_page(i),
            Job::Home(p) => {
                let all: Vec<usize> = (0..self.site.entries.len()).collect();
                let extra = self.list_extras(FeedOf::Site, &[self.home_crumb()], None);
                self.list_page("index.html", "/", &self.config.title, &all, p, per, extra)
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

    /// The extra context of a list page: its feed and its breadcrumb trail (plus, for an
    /// author, the profile), as structured data.
    fn list_extras(&self, feed: FeedOf, trail: &[Crumb], profile: Option<usize>) -> Context {
        let mut extra = Context::new();
        extra.insert("feed_url", &self.urls.href(&feeds::feed_path(self, feed)));
        extra.insert(
            "feed_title",
            trail.last().map(|(name, _)| *name).unwrap_or_default(),
        );
        let mut data = vec![seo::breadcrumbs(trail)];
        if let Some(i) = profile {
            data.push(seo::profile_page(&self.person(i)));
        }
        extra.insert("jsonld", &seo::script_json(&serde_json::Value::Array(data)));
        extra
    }

    /// The first steps of every breadcrumb trail.
    fn home_crumb(&self) -> Crumb<'_> {
        ("الرئيسية", self.urls.permalink("/"))
    }

    fn person(&self, i: usize) -> seo::Person<'_> {
        let a = &self.site.authors[i];
        seo::Person {
            name: &a.author.name,
            url: self.urls.permalink(&a.term.path),
            role: a.author.role.as_deref(),
            image: a.author.avatar.as_ref().map(|p| self.absolute(p)),
            same_as: a
                .author
                .links
                .iter()
                .filter(|l| l.url.starts_with("http"))
                .map(|l| l.url.as_str())
                .collect(),
        }
    }

    /// An absolute URL for a path under `static/` or an absolute URL as it is.
    fn absolute(&self, src: &str) -> String {
        if src.starts_with("https://") || src.starts_with("http://") {
            src.to_string()
        } else {
            self.urls
                .permalink(&format!("/{}", src.trim_start_matches('/')))
        }
    }

    /// Open Graph values and structured data (a `NewsArticle` and its breadcrumbs).
    fn article_meta(&self, i: usize) -> (OpenGraph, String) {
        let entry = &self.site.entries[i];
        let a = &entry.article;
        let category = &self.site.categories[entry.category];
        let url = self.urls.permalink(&entry.path);
        let image = entry.image.as_ref().map(|img| self.absolute(&img.src));
        let published = &self.dates[i].iso;
        let modified = self.updated_iso(i);
        let logo = self.config.logo.as_ref().map(|l| self.absolute(l));
        let home = self.urls.permalink("/");
        let article = seo::NewsArticle {
            headline: &a.title,
            description: a.description_text(),
            url: &url,
            image: image.clone(),
            published,
            modified: &modified,
            authors: entry.authors.iter().map(|id| self.person(*id)).collect(),
            section: &category.name,
            keywords: entry
                .tags
                .iter()
                .map(|t| self.site.tags[*t].name.as_str())
                .collect(),
            language: &self.config.language,
            publisher: &self.config.title,
            publisher_url: &home,
            logo,
        };
        let trail = [
            self.home_crumb(),
            (category.name.as_str(), self.urls.permalink(&category.path)),
            (a.title.as_str(), url.clone()),
        ];
        let data = serde_json::Value::Array(vec![article.json(), seo::breadcrumbs(&trail)]);
        let og = OpenGraph {
            kind: "article",
            locale: og_locale(&self.config.language),
            image,
            image_alt: a.image_alt.clone(),
        };
        (og, seo::script_json(&data))
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
        Ok((crate::output::file_for_path(&entry.path), html))
    }

    fn article_view(&self, i: usize) -> ArticleView<'_> {
        let entry = &self.site.entries[i];
        let a = &entry.article;
        let permalink = self.urls.permalink(&entry.path);
        let minutes = a.body.words.div_ceil(self.config.words_per_minute).max(1);
        ArticleView {
            title: &a.title,
            url: self.urls.href(&entry.path),
            share: ShareLinks::new(&a.title, &permalink),
            permalink,
            date: &self.dates[i],
            updated: a.updated.as_ref().map(|u| self.formatter.display(u)),
            category: self.term_link(&self.site.categories[entry.category]),
            authors: entry
                .authors
                .iter()
                .map(|id| self.author_view(*id, false))
                .collect(),
            tags: entry
                .tags
                .iter()
                .map(|t| self.term_link(&self.site.tags[*t]))
                .collect(),
            summary: &a.summary,
            lead_html: if a.description.is_some() {
                None
            } else {
                a.body.lead_html.as_deref()
            },
            description: a.description_text(),
            content: &a.body.body_html,
            reading_minutes: self.config.digits.format(minutes),
            image: self.image_view(entry),
            headings: &a.body.headings,
            draft: a.draft,
        }
    }

    fn author_view(&self, i: usize, with_count: bool) -> AuthorView<'_> {
        let a = &self.site.authors[i];
        let author = &a.author;
        AuthorView {
            id: &author.id,
            name: &author.name,
            role: author.role.as_deref(),
            url: self.urls.href(&a.term.path),
            bio_html: &author.bio_html,
            avatar: author
                .avatar
                .as_ref()
                .map(|p| self.urls.href_or_absolute(p)),
            initial: author
                .name
                .chars()
                .next()
                .map(String::from)
                .unwrap_or_default(),
            links: &author.links,
            count: with_count.then_some(a.term.entries.len()),
            count_label: with_count.then(|| self.counter.phrase(a.term.entries.len(), &ARTICLES)),
        }
    }

    fn image_view(&self, entry: &'a Entry) -> Option<ImageView<'a>> {
        let Image { src, size } = entry.image.as_ref()?;
        Some(ImageView {
            url: self.urls.href_or_absolute(src),
            alt: entry.article.image_alt.as_deref().unwrap_or(""),
            width: size.map(|s| s.0),
            height: size.map(|s| s.1),
        })
    }

    fn card<'d>(&'d self, i: usize, date: &'d DisplayDate) -> Card<'d> {
        let entry = &self.site.entries[i];
        let a = &entry.article;
        Card {
            title: &a.title,
            url: self.urls.href(&entry.path),
            date,
            category: self.term_link(&self.site.categories[entry.category]),
            authors: entry
                .authors
                .iter()
                .map(|id| self.term_link(&self.site.authors[*id].term))
                .collect(),
            lead: crate::text::excerpt(a.description_text(), CARD_LEAD_CHARS),
            image: self.image_view(entry),
        }
    }

    fn term_link(&self, term: &'a Term) -> Link<'a> {
        Link {
            name: &term.name,
            url: self.urls.href(&term.path),
        }
    }

    fn more_from_category(&self, i: usize) -> Value {
        let category = &self.site.categories[self.site.entries[i].category];
        let picks: Vec<Value> = neighbours(&category.entries, i, MORE_FROM_CATEGORY)
            .map(|e| self.cards[e].clone())
            .collect();
        Value::from(&picks[..])
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
        Ok((crate::output::file_for_path(&path), html))
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
        Ok((crate::output::file_for_path(path), html))
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
        Ok((crate::output::file_for_path(&p.path), html))
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
