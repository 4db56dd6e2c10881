//! What templates see of articles, authors and lists: slim, borrowed views serialised into
//! each page's context.

use serde::Serialize;
use tera::Value;

use super::context::Renderer;
use super::pictures::PictureView;
use super::share::ShareLinks;
use crate::arabic::dates::DisplayDate;
use crate::config::Config;
use crate::content::body::BodyText;
use crate::error::Diagnostic;
use crate::site::layout::{
    AUTHORS_INDEX, CATEGORIES_INDEX, HOME, SEARCH_MODULE, SEARCH_PAGE, TAGS_INDEX, Urls, feed_path,
    search_file_href,
};
use crate::site::{Entry, Site, Term};

/// Longest lead shown on a card, in characters.
const CARD_LEAD_CHARS: usize = 220;

/// Cards offer only the small widths of a photo.
const CARD_WIDEST: u32 = 720;

/// A link with a label.
#[derive(Debug, Serialize)]
pub(super) struct Link<'a> {
    pub(super) name: &'a str,
    pub(super) url: String,
}

/// A photo on a page: its responsive set, what it shows, and who took it.
#[derive(Serialize)]
pub(super) struct ImageView<'a> {
    #[serde(flatten)]
    pub(super) picture: PictureView,
    pub(super) alt: &'a str,
    pub(super) caption: Option<&'a str>,
    pub(super) credit: Option<&'a str>,
}

#[derive(Serialize)]
pub(super) struct AuthorView<'a> {
    pub(super) id: &'a str,
    pub(super) name: &'a str,
    pub(super) role: Option<&'a str>,
    pub(super) url: String,
    pub(super) bio_html: &'a str,
    pub(super) avatar: Option<String>,
    /// The first letter of the name, for the avatar placeholder.
    pub(super) initial: String,
    pub(super) links: Vec<AuthorLinkView<'a>>,
    /// Only on the author's own page: an article's author box does not change when the
    /// author writes another article.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) count: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) count_label: Option<String>,
}

/// A link of an author's profile; a platform's name is the theme's label `platform_<key>`.
#[derive(Serialize)]
pub(super) struct AuthorLinkView<'a> {
    pub(super) name: &'a str,
    pub(super) url: &'a str,
    pub(super) platform: Option<&'static str>,
}

#[derive(Serialize)]
pub(super) struct ArticleView<'a> {
    pub(super) title: &'a str,
    pub(super) url: String,
    pub(super) permalink: String,
    pub(super) date: &'a DisplayDate,
    pub(super) updated: Option<DisplayDate>,
    pub(super) category: Link<'a>,
    pub(super) authors: Vec<AuthorView<'a>>,
    pub(super) tags: Vec<Link<'a>>,
    pub(super) summary: &'a [String],
    pub(super) lead_html: Option<std::borrow::Cow<'a, str>>,
    pub(super) description: &'a str,
    pub(super) content: std::borrow::Cow<'a, str>,
    pub(super) reading_minutes: String,
    pub(super) image: Option<ImageView<'a>>,
    pub(super) share: ShareLinks,
    pub(super) headings: std::borrow::Cow<'a, [crate::content::markdown::Heading]>,
    pub(super) draft: bool,
}

#[derive(Serialize)]
pub(super) struct Card<'a> {
    pub(super) title: &'a str,
    pub(super) url: String,
    pub(super) date: &'a DisplayDate,
    pub(super) category: Link<'a>,
    pub(super) authors: Vec<Link<'a>>,
    pub(super) lead: String,
    pub(super) image: Option<ImageView<'a>>,
}

#[derive(Serialize)]
pub(super) struct TermView<'a> {
    pub(super) name: &'a str,
    pub(super) url: String,
    pub(super) count: usize,
    pub(super) count_label: String,
}

impl<'a> Renderer<'a> {
    pub(super) fn article_view(&self, i: usize) -> Result<ArticleView<'_>, Diagnostic> {
        let entry = &self.site.entries[i];
        let a = &entry.article;
        let text = body_text(entry)?;
        let permalink = self.urls.permalink(&entry.path);
        let minutes = a.body.words.div_ceil(self.config.words_per_minute).max(1);
        Ok(ArticleView {
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
                text.lead_html
                    .as_deref()
                    .map(|lead| self.responsive(entry, lead).into_owned().into())
            },
            description: a.description_text(),
            // With a `description:` the lead box shows it, and the body keeps its first
            // paragraph; without one, that paragraph is the lead and the body the rest.
            content: self.body_html(entry, &text).into_owned().into(),
            reading_minutes: self.config.digits.format(minutes),
            image: self.image_view(entry, None),
            headings: text.headings.clone().into(),
            draft: a.draft,
        })
    }

    pub(super) fn author_view(&self, i: usize, with_count: bool) -> AuthorView<'_> {
        let a = &self.site.authors[i];
        let author = &a.author;
        AuthorView {
            id: &author.id,
            name: &author.name,
            role: author.role.as_deref(),
            url: self.urls.href(&a.term.path),
            bio_html: &author.bio_html,
            avatar: a
                .avatar
                .as_ref()
                .map(|p| self.pictures().view(p, Some(360)).url),
            initial: author
                .name
                .chars()
                .next()
                .map(String::from)
                .unwrap_or_default(),
            links: author
                .links
                .iter()
                .map(|l| AuthorLinkView {
                    name: l
                        .platform
                        .map_or(l.name.as_str(), |p| self.platform_label(p, &l.name)),
                    url: &l.url,
                    platform: l.platform,
                })
                .collect(),
            count: with_count.then_some(a.term.entries.len()),
            count_label: with_count.then(|| self.articles_count(a.term.entries.len())),
        }
    }

    /// The lead photo, offering widths up to `widest` (all of them when `None`).
    pub(super) fn image_view(
        &self,
        entry: &'a Entry,
        widest: Option<u32>,
    ) -> Option<ImageView<'a>> {
        let picture = entry.image.as_ref()?;
        let a = &entry.article;
        Some(ImageView {
            picture: self.pictures().view(picture, widest),
            alt: a.image_alt.as_deref().unwrap_or(""),
            caption: a.image_caption.as_deref(),
            credit: a.image_credit.as_deref(),
        })
    }

    /// The article's body for its page (`html`, the part after the lead): the lead too when
    /// a `description:` took its place, every photo a responsive `<picture>`.
    fn body_html<'h>(&self, entry: &Entry, text: &'h BodyText) -> std::borrow::Cow<'h, str> {
        let html = &text.html;
        match (&entry.article.description, &text.lead_html) {
            (Some(_), Some(lead)) => {
                let whole = format!("{lead}{html}");
                self.responsive(entry, &whole).into_owned().into()
            }
            _ => self.responsive(entry, html),
        }
    }

    /// `html` of `entry` with its photos made responsive (unchanged when it shows none).
    fn responsive<'h>(&self, entry: &Entry, html: &'h str) -> std::borrow::Cow<'h, str> {
        if entry.body_pictures.is_empty() {
            return html.into();
        }
        let base = &self.config.base_path;
        self.pictures()
            .responsive_body(html, &entry.body_pictures, base)
            .into()
    }

    pub(super) fn card<'d>(&'d self, i: usize, date: &'d DisplayDate) -> Card<'d> {
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
            lead: crate::arabic::text::excerpt(a.description_text(), CARD_LEAD_CHARS),
            image: self.image_view(entry, Some(CARD_WIDEST)),
        }
    }

    pub(super) fn term_link(&self, term: &'a Term) -> Link<'a> {
        Link {
            name: &term.name,
            url: self.urls.href(&term.path),
        }
    }

    /// The cards shown under article `i`.
    pub(super) fn more_from_category(&self, i: usize) -> Value {
        let picks: Vec<Value> = self
            .plan
            .more_from_category(i)
            .map(|e| self.card_value(e).clone())
            .collect();
        Value::from(&picks[..])
    }
}

/// Site-wide template values: the site, its navigation and its pages. `search_page`: the
/// build has a search page (search is on and the theme has `search.html`); then
/// `site.search_url` links it and `site.search_module` is the engine's browser module, and
/// both are empty otherwise, which hides the header's search box.
pub fn globals(site: &Site, config: &Config, search_page: bool) -> Value {
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
        /// The «عاجل» bar: breaking articles, newest first.
        breaking: Vec<Link<'b>>,
        search_url: String,
        search_module: String,
    }
    let c = config;
    let urls = Urls::new(&config.base_url, &config.base_path);
    let link = |name, path| Link {
        name,
        url: urls.href(path),
    };
    // Empty without a search page: the theme then shows no box and loads no module.
    let (search_url, search_module) = if search_page {
        let module = search_file_href(&c.base_path, SEARCH_MODULE);
        (urls.href(SEARCH_PAGE), module)
    } else {
        Default::default()
    };
    Value::from_serializable(&SiteView {
        title: &c.title,
        description: &c.description,
        base_url: &c.base_url,
        base_path: &c.base_path,
        language: &c.language,
        dir: c.direction,
        home_url: urls.href(HOME),
        tags_url: urls.href(TAGS_INDEX),
        authors_url: urls.href(AUTHORS_INDEX),
        categories_url: urls.href(CATEGORIES_INDEX),
        feed_url: urls.href(&feed_path(HOME)),
        search_url,
        search_module,
        categories: site
            .categories
            .iter()
            .map(|t| link(&t.name, &t.path))
            .collect(),
        pages: site
            .pages
            .iter()
            .map(|p| link(&p.page.title, &p.path))
            .collect(),
        breaking: breaking_links(site, &urls),
    })
}

/// The «عاجل» bar's links: each breaking article's headline and address.
fn breaking_links<'s>(site: &'s Site, urls: &Urls) -> Vec<Link<'s>> {
    site.breaking
        .iter()
        .map(|e| Link {
            name: &site.entries[*e].article.title,
            url: urls.href(&site.entries[*e].path),
        })
        .collect()
}

/// The large part of `entry`'s body (read back from the parse cache, where the build keeps
/// it); a failure to read it names the article.
pub(super) fn body_text(entry: &Entry) -> Result<std::sync::Arc<BodyText>, Diagnostic> {
    entry.article.body.text().map_err(|e| {
        Diagnostic::new(
            &entry.article.source,
            format!("cannot read this article's body back from the build's parse cache: {e}"),
        )
        .help("build again; if it happens again, delete .qissa-cache/ and run `qissa build --full`")
    })
}
