//! Rendering: from the assembled site to the bytes of every output file.
//!
//! The [`plan`] lists every output once per build — pages, feeds, sitemaps — and answers
//! which file each writes and which articles it shows. The [`Renderer`] holds what every
//! output needs (the plan, settings, templates, each article's date and card) and renders
//! one [`Job`] at a time; jobs are independent, so the builder runs them in parallel.
//! [`fingerprints`](Renderer::job_print) tell the builder which jobs changed since the last
//! build.
//!
//! Inside: `pages` (HTML through the theme's templates), `feeds` (Atom), `sitemaps`
//! (sitemaps and robots.txt), `redirects` (pages at old addresses), `views` (what templates see of articles, authors and lists),
//! `cards`, `meta` and `seo` (share previews and structured data), `paginate`, `share`,
//! `slots` («اقرأ أيضًا» boxes and theme blocks written into bodies).

mod cards;
mod context;
mod escape;
mod feeds;
mod fingerprints;
mod meta;
mod pages;
pub mod paginate;
pub mod pictures;
pub mod plan;
mod redirects;
pub mod seo;
mod share;
mod sitemaps;
mod slots;
mod views;

pub use cards::{CardCache, Setup};
pub use context::{Rendered, Renderer};
pub use pages::SEARCH_TEMPLATE;
pub use pictures::Photos;
pub use plan::{FeedOf, Job, Plan};
pub use views::globals;

impl Renderer<'_> {
    /// Renders one job: the output file (relative to the output folder) and its bytes.
    pub fn render(&self, job: Job) -> Rendered {
        match job {
            Job::Article(i) => self.article_page(i),
            Job::Home(page) => self.home_page(page),
            Job::Category(i, page) => self.category_page(i, page),
            Job::Tag(i, page) => self.tag_page(i, page),
            Job::Author(i, page) => self.author_page(i, page),
            Job::TagIndex => self.tag_index(),
            Job::AuthorIndex => self.author_index(),
            Job::CategoryIndex => self.category_index(),
            Job::Page(i) => self.plain_page(i),
            Job::NotFound => self.not_found_page(),
            Job::Search => self.search_page(),
            Job::Feed(of) => self.feed(of),
            Job::Sitemap(part) => self.sitemap(part),
            Job::NewsSitemap => self.news_sitemap(),
            Job::Robots => self.robots(),
            Job::Alias(i, k) => self.alias_page(i, k),
        }
    }
}
