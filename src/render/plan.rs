//! The render plan: every output of a build, decided once, before anything is rendered.
//!
//! A [`Job`] is one file to write — an article, one page of a list, an index, a feed, a
//! sitemap. The [`Plan`] lists them in a fixed order and answers, for each, the questions
//! that several stages ask: which file it writes, which site path it is served at, which
//! articles it shows. Pages, feeds, sitemaps and fingerprints all read the same plan, so a
//! rule (say, which articles a feed carries) is written once, and the job list is computed
//! once per build.

use crate::arabic::dates::iso;
use crate::site::layout::{
    self, AUTHORS_INDEX, CATEGORIES_INDEX, HOME, NEWS_SITEMAP_FILE, NOT_FOUND_FILE, ROBOTS_FILE,
    SEARCH_PAGE, TAGS_INDEX, page_count, paginated_path,
};
use crate::site::{Site, Term};

/// Articles from the same category shown under an article.
pub const MORE_FROM_CATEGORY: usize = 4;

/// Most URLs one sitemap file may list (sitemaps.org).
pub const URLS_PER_SITEMAP: usize = 50_000;

/// One output file to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
    /// The search page (not in the sitemap: it shows nothing until a reader asks).
    Search,
    /// An Atom feed.
    Feed(FeedOf),
    /// `sitemap.xml` (0) or part `n` of a sitemap split under an index.
    Sitemap(usize),
    NewsSitemap,
    Robots,
    /// A redirect page at an old path of article `.0`: its alias number `.1`.
    Alias(usize, usize),
}

impl Job {
    /// Whether the job writes an HTML page a reader opens, rather than a file for machines
    /// (a feed, a sitemap, `robots.txt`).
    pub fn is_html_page(self) -> bool {
        !matches!(
            self,
            Job::Feed(_) | Job::Sitemap(_) | Job::NewsSitemap | Job::Robots
        )
    }
}

/// Whose articles a feed carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FeedOf {
    Site,
    Category(usize),
    Tag(usize),
    Author(usize),
}

/// Every output of one build of one site.
pub struct Plan<'a> {
    pub site: &'a Site,
    pub per_page: usize,
    pub feed_limit: usize,
    /// Every job, in a fixed order: HTML pages (the 404 page last of them), feeds, sitemaps.
    pub jobs: Vec<Job>,
    /// The home list: every article, newest first (made once, not per home page).
    pub home: Vec<usize>,
    /// How many HTML pages the sitemap lists (all but the 404 and search pages).
    pub sitemap_pages: usize,
}

impl<'a> Plan<'a> {
    /// The plan of `site` with `per_page` articles per list page and `feed_limit` per feed.
    pub fn new(site: &'a Site, per_page: usize, feed_limit: usize) -> Plan<'a> {
        let home: Vec<usize> = (0..site.entries.len()).collect();
        let mut jobs = html_pages(site, &home, per_page);
        let sitemap_pages = jobs.len();
        jobs.push(Job::NotFound);
        jobs.extend(aliases(site));
        jobs.extend(feeds(site));
        jobs.extend(sitemaps(sitemap_pages));
        Plan {
            site,
            per_page,
            feed_limit,
            jobs,
            home,
            sitemap_pages,
        }
    }

    /// The plan with the search page in it, after the 404 page (so out of the sitemap).
    pub fn with_search_page(mut self) -> Plan<'a> {
        let after_not_found = self.sitemap_pages + 1;
        self.jobs.insert(after_not_found, Job::Search);
        self
    }

    /// The HTML pages that go into the sitemap, in job order.
    pub fn sitemap_jobs(&self) -> &[Job] {
        &self.jobs[..self.sitemap_pages]
    }

    /// The file a job writes, relative to the output folder.
    pub fn file_of(&self, job: Job) -> String {
        match job {
            Job::NotFound => NOT_FOUND_FILE.into(),
            Job::Feed(of) => self.feed_path(of).trim_start_matches('/').to_string(),
            Job::Sitemap(n) => layout::sitemap_file(n),
            Job::NewsSitemap => NEWS_SITEMAP_FILE.into(),
            Job::Robots => ROBOTS_FILE.into(),
            Job::Alias(i, k) => layout::file_for_path(self.alias(i, k)),
            _ => layout::file_for_path(&self.path_of(job)),
        }
    }

    /// The site path of an HTML page job (`/404.html` for the 404 page and any non-page).
    pub fn path_of(&self, job: Job) -> String {
        let site = self.site;
        match job {
            Job::Article(i) => site.entries[i].path.clone(),
            Job::Home(p) => paginated_path(HOME, p),
            Job::Category(i, p) => paginated_path(&site.categories[i].path, p),
            Job::Tag(i, p) => paginated_path(&site.tags[i].path, p),
            Job::Author(i, p) => paginated_path(&site.authors[i].term.path, p),
            Job::TagIndex => TAGS_INDEX.into(),
            Job::AuthorIndex => AUTHORS_INDEX.into(),
            Job::CategoryIndex => CATEGORIES_INDEX.into(),
            Job::Page(i) => site.pages[i].path.clone(),
            Job::Search => SEARCH_PAGE.into(),
            _ => format!("/{NOT_FOUND_FILE}"),
        }
    }

    /// The old site path of article `i`'s alias `k`.
    pub fn alias(&self, i: usize, k: usize) -> &'a str {
        &self.site.entries[i].article.aliases[k].value
    }

    /// The list a feed follows (`None` for the site feed, which follows the home page).
    pub fn feed_term(&self, of: FeedOf) -> Option<&'a Term> {
        let site = self.site;
        match of {
            FeedOf::Site => None,
            FeedOf::Category(i) => Some(&site.categories[i]),
            FeedOf::Tag(i) => Some(&site.tags[i]),
            FeedOf::Author(i) => Some(&site.authors[i].term),
        }
    }

    /// The site path of the page a feed belongs to (`/`, `/security/`, `/tags/مصر/`…).
    pub fn feed_list_path(&self, of: FeedOf) -> &'a str {
        self.feed_term(of).map_or(HOME, |t| t.path.as_str())
    }

    /// The site path of a feed.
    pub fn feed_path(&self, of: FeedOf) -> String {
        layout::feed_path(self.feed_list_path(of))
    }

    /// The articles in a feed, newest first, at most `feed_limit`.
    pub fn feed_entries(&self, of: FeedOf) -> Vec<usize> {
        match self.feed_term(of) {
            Some(t) => t.entries.iter().take(self.feed_limit).copied().collect(),
            None => (0..self.site.entries.len().min(self.feed_limit)).collect(),
        }
    }

    /// The articles the news sitemap lists: published in the 48 hours before the build's
    /// "now", newest first.
    pub fn news_entries(&self) -> Vec<usize> {
        crate::site::front::news_window(&self.site.entries, self.site.built_at)
    }

    /// The articles of page `page` of a list.
    pub fn page_of<'l>(&self, list: &'l [usize], page: usize) -> &'l [usize] {
        let start = ((page - 1) * self.per_page).min(list.len());
        let end = (start + self.per_page).min(list.len());
        &list[start..end]
    }

    /// The articles shown under article `i`: its neighbours in its category.
    pub fn more_from_category(&self, i: usize) -> impl Iterator<Item = usize> + 'a {
        let category = &self.site.categories[self.site.entries[i].category];
        neighbours(&category.entries, i, MORE_FROM_CATEGORY)
    }

    /// When article `i` last changed: `updated:`, else its date (ISO 8601).
    pub fn updated_iso(&self, i: usize) -> String {
        let article = &self.site.entries[i].article;
        iso(article.updated.as_ref().unwrap_or(&article.date))
    }

    /// When the content of a page last changed, for the sitemap: an article's `updated` or
    /// date; a list page's newest article.
    pub fn lastmod(&self, job: Job) -> Option<String> {
        self.lastmod_entry(job).map(|e| self.updated_iso(e))
    }

    /// The article whose dates give a page's `lastmod`: the article itself, or the newest
    /// one on a list page.
    pub fn lastmod_entry(&self, job: Job) -> Option<usize> {
        let site = self.site;
        let newest_on =
            |entries: &[usize], page: usize| self.page_of(entries, page).first().copied();
        match job {
            Job::Article(i) => Some(i),
            Job::Home(p) => newest_on(&self.home, p),
            Job::Category(i, p) => newest_on(&site.categories[i].entries, p),
            Job::Tag(i, p) => newest_on(&site.tags[i].entries, p),
            Job::Author(i, p) => newest_on(&site.authors[i].term.entries, p),
            _ => None,
        }
    }

    /// How many files the sitemap takes: 1, or the parts under an index.
    pub fn sitemap_part_count(&self) -> usize {
        sitemap_parts(self.sitemap_pages)
    }

    /// The pages sitemap file `n` lists: all of them in `sitemap.xml` (n = 0) when one file
    /// holds them, none in it when it is the index of the parts, else part `n`'s share.
    pub fn sitemap_part(&self, n: usize) -> &[Job] {
        let pages = self.sitemap_jobs();
        if n == 0 {
            return if self.sitemap_part_count() == 1 {
                pages
            } else {
                &[]
            };
        }
        let start = ((n - 1) * URLS_PER_SITEMAP).min(pages.len());
        let end = (start + URLS_PER_SITEMAP).min(pages.len());
        &pages[start..end]
    }
}

/// Every HTML page but the 404 page: articles, list pages, indexes and plain pages.
fn html_pages(site: &Site, home: &[usize], per_page: usize) -> Vec<Job> {
    let pages_of = |list: &[usize]| 1..=page_count(list.len(), per_page);
    let mut jobs: Vec<Job> = (0..site.entries.len()).map(Job::Article).collect();
    jobs.extend(pages_of(home).map(Job::Home));
    for (i, t) in site.categories.iter().enumerate() {
        jobs.extend(pages_of(&t.entries).map(|p| Job::Category(i, p)));
    }
    for (i, t) in site.tags.iter().enumerate() {
        jobs.extend(pages_of(&t.entries).map(|p| Job::Tag(i, p)));
    }
    for (i, a) in site.authors.iter().enumerate() {
        jobs.extend(pages_of(&a.term.entries).map(|p| Job::Author(i, p)));
    }
    jobs.extend([Job::TagIndex, Job::AuthorIndex, Job::CategoryIndex]);
    jobs.extend((0..site.pages.len()).map(Job::Page));
    jobs
}

/// A redirect page for every alias of every article: not pages of their own, so they stay
/// out of the sitemap and the feeds.
fn aliases(site: &Site) -> Vec<Job> {
    let of_entry = |(i, e): (usize, &crate::site::Entry)| {
        (0..e.article.aliases.len()).map(move |k| Job::Alias(i, k))
    };
    site.entries.iter().enumerate().flat_map(of_entry).collect()
}

/// The site's feed and one per category, tag and author.
fn feeds(site: &Site) -> Vec<Job> {
    let mut jobs = vec![Job::Feed(FeedOf::Site)];
    jobs.extend((0..site.categories.len()).map(|i| Job::Feed(FeedOf::Category(i))));
    jobs.extend((0..site.tags.len()).map(|i| Job::Feed(FeedOf::Tag(i))));
    jobs.extend((0..site.authors.len()).map(|i| Job::Feed(FeedOf::Author(i))));
    jobs
}

/// `sitemap.xml` (and its parts past 50,000 pages), the news sitemap and `robots.txt`.
fn sitemaps(pages: usize) -> Vec<Job> {
    let parts = sitemap_parts(pages);
    let mut jobs = vec![Job::Sitemap(0)];
    if parts > 1 {
        jobs.extend((1..=parts).map(Job::Sitemap));
    }
    jobs.extend([Job::NewsSitemap, Job::Robots]);
    jobs
}

/// Number of sitemap files for `urls` pages: 1, or the parts under an index.
pub fn sitemap_parts(urls: usize) -> usize {
    urls.div_ceil(URLS_PER_SITEMAP).max(1)
}

/// Up to `n` articles of a list near article `i`: the next older ones first, then newer ones
/// if the list runs out. Each article thus appears in the "more" box of only a few others, so
/// editing one article touches few pages.
pub fn neighbours(list: &[usize], i: usize, n: usize) -> impl Iterator<Item = usize> + '_ {
    let position = list.binary_search(&i).unwrap_or(0);
    let older = list.iter().skip(position + 1);
    let newer = list[..position.min(list.len())].iter().rev();
    older.chain(newer).copied().filter(move |e| *e != i).take(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::tests::sample_site;

    #[test]
    fn lists_every_output_once_with_its_file() {
        let (site, _) = sample_site();
        let plan = Plan::new(&site, 2, 20);
        // 4 articles; home 2 pages; security 1, sports 1; 3 tags; 2 authors (karim 2 pages).
        let pages = 4 + 2 + 2 + 3 + 3 + 3 + 1;
        assert_eq!(plan.sitemap_pages, pages);
        let aliases = 1;
        assert_eq!(plan.jobs.len(), pages + 1 + aliases + (1 + 2 + 3 + 2) + 3);
        assert_eq!(plan.file_of(Job::Alias(2, 0)), "old/fire/index.html");
        let files: Vec<String> = plan.jobs.iter().map(|j| plan.file_of(*j)).collect();
        let unique: std::collections::HashSet<&String> = files.iter().collect();
        assert_eq!(unique.len(), files.len(), "two jobs write one file");
        assert_eq!(
            plan.file_of(Job::Article(0)),
            "security/دورية-جديدة/index.html"
        );
        assert_eq!(plan.file_of(Job::Home(2)), "page/2/index.html");
        assert_eq!(
            plan.file_of(Job::Feed(FeedOf::Category(1))),
            "sports/atom.xml"
        );
        assert_eq!(plan.file_of(Job::NotFound), "404.html");
        assert!(files.contains(&"sitemap.xml".to_string()));
        assert!(!plan.sitemap_jobs().contains(&Job::NotFound));
        assert!(
            !plan
                .sitemap_jobs()
                .iter()
                .any(|j| matches!(j, Job::Feed(_)))
        );
    }

    #[test]
    fn answers_which_articles_each_output_shows() {
        let (site, _) = sample_site();
        let plan = Plan::new(&site, 2, 3);
        assert_eq!(plan.page_of(&plan.home, 2), [2, 3]);
        assert_eq!(
            plan.feed_entries(FeedOf::Site),
            [0, 1, 2],
            "at most feed_limit"
        );
        assert_eq!(plan.feed_entries(FeedOf::Category(0)), [0, 2]);
        // Built at 2026-03-10 12:00Z: only the article of 03-09 is within 48 hours.
        assert_eq!(plan.news_entries(), [0]);
        assert_eq!(plan.more_from_category(2).collect::<Vec<_>>(), [0]);
        assert_eq!(plan.lastmod(Job::Home(2)), Some(plan.updated_iso(2)));
        assert_eq!(plan.lastmod(Job::TagIndex), None);
    }

    #[test]
    fn neighbours_prefer_older_articles() {
        let list = [1, 4, 6, 9, 12, 15];
        assert_eq!(neighbours(&list, 6, 3).collect::<Vec<_>>(), [9, 12, 15]);
        assert_eq!(neighbours(&list, 12, 3).collect::<Vec<_>>(), [15, 9, 6]);
        assert_eq!(neighbours(&list, 15, 2).collect::<Vec<_>>(), [12, 9]);
        assert_eq!(neighbours(&[7], 7, 4).count(), 0);
    }

    #[test]
    fn each_sitemap_file_lists_its_share_of_the_pages() {
        let (site, _) = sample_site();
        let mut plan = Plan::new(&site, 2, 20);
        let all = plan.sitemap_pages;
        assert_eq!(plan.sitemap_part_count(), 1);
        assert_eq!(plan.sitemap_part(0), plan.sitemap_jobs());
        assert_eq!(plan.sitemap_part(0).len(), all);
        // A site past 50,000 pages: the main file is the index, the parts share the pages.
        plan.jobs = vec![Job::TagIndex; URLS_PER_SITEMAP + 1];
        plan.jobs.push(Job::NotFound);
        plan.sitemap_pages = URLS_PER_SITEMAP + 1;
        assert_eq!(plan.sitemap_part_count(), 2);
        assert!(plan.sitemap_part(0).is_empty());
        assert_eq!(plan.sitemap_part(1).len(), URLS_PER_SITEMAP);
        assert_eq!(plan.sitemap_part(2).len(), 1);
    }

    #[test]
    fn sitemaps_split_past_50000_pages() {
        assert_eq!(sitemap_parts(0), 1);
        assert_eq!(sitemap_parts(URLS_PER_SITEMAP), 1);
        assert_eq!(sitemap_parts(URLS_PER_SITEMAP + 1), 2);
        assert_eq!(sitemaps(URLS_PER_SITEMAP + 1).len(), 5);
    }
}
