//! Fingerprints of pages, and where each page goes.
//!
//! A page's fingerprint hashes everything its template is given — the article's parse, its
//! URL, its category, authors, tags and neighbours, the site-wide values — so that two builds
//! giving a page the same fingerprint give it the same bytes. A rebuild renders only pages
//! whose fingerprint changed.

use super::feeds;
use super::sitemaps;
use super::{Job, MORE_FROM_CATEGORY, Renderer, neighbours};
use crate::hash::stable_hash;
use crate::site::{Site, Term, page_count, paginated_path};

/// What every page shows besides its own content: the configuration and templates (through
/// their `generation`), the categories in the navigation and the pages in the footer.
pub(super) fn globals_print(site: &Site, generation: u64) -> u64 {
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
    stable_hash((generation, categories, pages))
}

impl Renderer<'_> {
    /// A card's inputs: its article's parse, URL, category and authors.
    pub(super) fn card_print(&self, i: usize) -> u64 {
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
        stable_hash((
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
            stable_hash((
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
            stable_hash((self.globals_print, kind, terms))
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
                stable_hash((
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
                stable_hash((
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
            Job::Page(i) => stable_hash((
                self.globals_print,
                "page",
                site.pages[i].page.version,
                &site.pages[i].path,
            )),
            Job::NotFound => stable_hash((self.globals_print, "404")),
            Job::Feed(of) => {
                let cards: Vec<u64> = feeds::feed_entries(self, of)
                    .iter()
                    .map(|e| self.card_prints[*e])
                    .collect();
                stable_hash((
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
                stable_hash((
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
                stable_hash((self.globals_print, "news", cards))
            }
            Job::Robots => stable_hash((self.globals_print, "robots")),
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

    pub(super) fn updated_iso(&self, i: usize) -> String {
        match &self.site.entries[i].article.updated {
            Some(u) => crate::arabic::dates::iso(u),
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
            _ => crate::builder::output::file_for_path(&self.path_of(job)),
        }
    }

    /// The URL path of an HTML page job.
    pub(super) fn path_of(&self, job: Job) -> String {
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
}
