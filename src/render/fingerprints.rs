//! Fingerprints of outputs: what each job's file is made of, hashed.
//!
//! A job's fingerprint hashes everything its template is given — the article's parse, its
//! URL, its category, authors, tags and neighbours, the site-wide values — so that two builds
//! giving a job the same fingerprint give it the same bytes. A rebuild renders only the jobs
//! whose fingerprint changed.

use super::context::Renderer;
use super::plan::{FeedOf, Job};
use crate::hash::stable_hash;
use crate::site::Term;
use crate::site::layout::page_count;

/// What every page shows besides its own content: the configuration and templates (through
/// their `generation`), the labels (theme and site `strings.yaml` are not in the
/// generation), the categories in the navigation, the pages in the footer and the
/// breaking-news bar.
pub(super) fn globals_print(renderer: &Renderer, generation: u64) -> u64 {
    let site = renderer.site;
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
    let logo = site.logo.as_ref().map(|l| renderer.pictures().print(l));
    let breaking: Vec<(&str, &str)> = site
        .breaking
        .iter()
        .map(|e| {
            (
                site.entries[*e].article.title.as_str(),
                site.entries[*e].path.as_str(),
            )
        })
        .collect();
    let strings = renderer.templates.strings();
    stable_hash((generation, strings, categories, pages, logo, breaking))
}

thread_local! {
    /// The articles whose cards the fingerprint being made has read, while recorded.
    static READ_CARDS: std::cell::RefCell<Option<Vec<usize>>> = const { std::cell::RefCell::new(None) };
}

impl Renderer<'_> {
    /// The fingerprint of article `e`'s card, as a job's fingerprint reads it. Every job
    /// reads the articles it shows through here, so [`Renderer::job_print_and_cards`] can
    /// tell which jobs an article's card reaches.
    pub(super) fn card_of(&self, e: usize) -> u64 {
        READ_CARDS.with(|read| {
            if let Some(read) = read.borrow_mut().as_mut() {
                read.push(e);
            }
        });
        self.card_prints[e]
    }

    /// A job's fingerprint, and the articles whose cards went into it: the job depends on
    /// nothing else of theirs, so it changes with an article only when that article's card
    /// print does (or the site-wide values do).
    pub fn job_print_and_cards(&self, job: Job) -> (u64, Vec<usize>) {
        READ_CARDS.with(|read| *read.borrow_mut() = Some(Vec::new()));
        let print = self.job_print(job);
        let mut cards = READ_CARDS.with(|read| read.borrow_mut().take().unwrap_or_default());
        cards.sort_unstable();
        cards.dedup();
        (print, cards)
    }

    /// A card's inputs: its article's parse, URL, category and authors, and its pictures'
    /// files.
    pub(super) fn card_print(&self, i: usize) -> u64 {
        let entry = &self.site.entries[i];
        let category = &self.site.categories[entry.category];
        let pictures = self.pictures();
        let shown = entry
            .image
            .iter()
            .chain(entry.body_pictures.iter().map(|(_, p)| p));
        let pictures: Vec<u64> = shown.map(|p| pictures.print(p)).collect();
        let authors: Vec<(u64, &str, Option<u64>)> = entry
            .authors
            .iter()
            .map(|a| {
                let author = &self.site.authors[*a];
                let avatar = author.avatar.as_ref().map(|p| self.pictures().print(p));
                (author.author.version, author.term.path.as_str(), avatar)
            })
            .collect();
        stable_hash((
            entry.article.version,
            &entry.path,
            &category.name,
            &category.path,
            authors,
            pictures,
        ))
    }

    /// Everything that goes into a job's file.
    pub fn job_print(&self, job: Job) -> u64 {
        let site = self.site;
        match job {
            Job::Article(i) => self.article_print(i),
            Job::Home(p) => self.home_print(p),
            Job::Category(i, p) => self.list_print("category", &site.categories[i], p, 0),
            Job::Tag(i, p) => self.list_print("tag", &site.tags[i], p, 0),
            Job::Author(i, p) => {
                let author = &site.authors[i];
                self.list_print("author", &author.term, p, author.author.version)
            }
            Job::TagIndex => self.index_print("tags", &mut site.tags.iter()),
            Job::AuthorIndex => {
                self.index_print("authors", &mut site.authors.iter().map(|a| &a.term))
            }
            Job::CategoryIndex => self.index_print("categories", &mut site.categories.iter()),
            Job::Page(i) => {
                let page = &site.pages[i];
                let read_also = self.read_also_prints(&page.read_also);
                let print = (page.page.version, &page.path, read_also);
                stable_hash((self.globals_print, "page", print))
            }
            Job::NotFound => stable_hash((self.globals_print, "404")),
            Job::Search => stable_hash((self.globals_print, "search")),
            Job::Feed(of) => self.feed_print(of),
            Job::Sitemap(n) => self.sitemap_print(n),
            Job::NewsSitemap => {
                let cards = self.cards_of(&self.plan.news_entries());
                stable_hash((self.globals_print, "news", cards))
            }
            Job::Robots => stable_hash((self.globals_print, "robots")),
            Job::Alias(i, k) => {
                // The redirect names the article's title and path: its card covers both.
                let target = (self.card_of(i), self.plan.alias(i, k));
                stable_hash((self.globals_print, "alias", target))
            }
        }
    }

    /// The fingerprints of the cards of `entries`.
    fn cards_of(&self, entries: &[usize]) -> Vec<u64> {
        entries.iter().map(|e| self.card_of(*e)).collect()
    }

    /// An article page: its card, its tags and the cards of its "more" box.
    fn article_print(&self, i: usize) -> u64 {
        let site = self.site;
        let entry = &site.entries[i];
        let tags: Vec<(&str, &str)> = entry
            .tags
            .iter()
            .map(|t| (site.tags[*t].path.as_str(), site.tags[*t].name.as_str()))
            .collect();
        let more: Vec<u64> = self
            .plan
            .more_from_category(i)
            .map(|e| self.card_of(e))
            .collect();
        stable_hash((
            self.globals_print,
            "article",
            self.card_of(i),
            tags,
            more,
            self.read_also_prints(&entry.read_also),
        ))
    }

    /// A home page: its cards and the shape of the whole list.
    fn home_print(&self, page: usize) -> u64 {
        let home = &self.plan.home;
        let cards = self.cards_of(self.plan.page_of(home, page));
        let total = page_count(home.len(), self.plan.per_page);
        let front = (page == 1).then(|| self.front_print());
        stable_hash((
            self.globals_print,
            "home",
            home.len(),
            page,
            total,
            cards,
            front,
        ))
    }

    /// The front page: the cards of every story it shows, and the sections of its bands.
    fn front_print(&self) -> u64 {
        let front = &self.site.front;
        let bands: Vec<(&str, &str, Vec<u64>)> = front
            .bands
            .iter()
            .map(|(c, entries)| {
                let term = &self.site.categories[*c];
                (
                    term.name.as_str(),
                    term.path.as_str(),
                    self.cards_of(entries),
                )
            })
            .collect();
        stable_hash((
            front.lead.map(|e| self.card_of(e)),
            self.cards_of(&front.secondary),
            self.cards_of(&front.latest),
            bands,
            self.cards_of(&front.most_read),
        ))
    }

    /// A page of a category, tag or author list (`extra`: the author's profile).
    fn list_print(&self, kind: &str, term: &Term, page: usize, extra: u64) -> u64 {
        let cards = self.cards_of(self.plan.page_of(&term.entries, page));
        let total = page_count(term.entries.len(), self.plan.per_page);
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
    }

    /// An index of terms: each one's name, path and count.
    fn index_print(&self, kind: &str, terms: &mut dyn Iterator<Item = &Term>) -> u64 {
        let terms: Vec<(&str, &str, usize)> = terms
            .map(|t| (t.name.as_str(), t.path.as_str(), t.entries.len()))
            .collect();
        stable_hash((self.globals_print, kind, terms))
    }

    fn feed_print(&self, of: FeedOf) -> u64 {
        let entries = self.plan.feed_entries(of);
        let cards = self.cards_of(&entries);
        let read_also: Vec<Vec<u64>> = entries
            .iter()
            .map(|e| self.read_also_prints(&self.site.entries[*e].read_also))
            .collect();
        let path = self.plan.feed_path(of);
        stable_hash((self.globals_print, "feed", of, path, cards, read_also))
    }

    /// Sitemap file `part`: the URL and date of each page it lists (an article's card
    /// covers both; a list page's path and page number, and its newest article's card), or,
    /// for the index of a split sitemap, the number of parts. Only the part holding a
    /// changed page is made again.
    fn sitemap_print(&self, part: usize) -> u64 {
        let pages: Vec<u64> = self
            .plan
            .sitemap_part(part)
            .iter()
            .map(|job| self.sitemap_url_print(*job))
            .collect();
        let parts = self.plan.sitemap_part_count();
        stable_hash((self.globals_print, "sitemap", part, parts, pages))
    }

    /// What one page's sitemap entry is made of.
    fn sitemap_url_print(&self, job: Job) -> u64 {
        let site = self.site;
        let newest = self.plan.lastmod_entry(job).map(|e| self.card_of(e));
        let list_path = match job {
            Job::Article(i) => return self.card_of(i),
            Job::Category(i, _) => site.categories[i].path.as_str(),
            Job::Tag(i, _) => site.tags[i].path.as_str(),
            Job::Author(i, _) => site.authors[i].term.path.as_str(),
            Job::Page(i) => site.pages[i].path.as_str(),
            _ => "",
        };
        stable_hash((job, list_path, newest))
    }
}
