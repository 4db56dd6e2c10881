//! HTML pages: each kind's template context, rendered through the theme.
//!
//! Contexts are slim: an article page gets its own article and a few cards from its category,
//! a list page gets one page of cards. Every page gets the same base values (title,
//! description, URLs, share preview), and the site-wide values are a template global.

use tera::{Context, Value};

use super::context::{Rendered, Renderer};
use super::paginate::Paginator;
use super::plan::FeedOf;
use super::seo::{Crumb, OpenGraph, og_locale};
use super::views::TermView;
use crate::site::Term;
use crate::site::layout::{
    AUTHORS_INDEX, CATEGORIES_INDEX, HOME, NOT_FOUND_FILE, SEARCH_PAGE, TAGS_INDEX, file_for_path,
    page_count, paginated_path,
};
use crate::theme::strings::keys;

/// The search page's template: optional, so that themes written before search still build
/// (they just have no search page).
pub const SEARCH_TEMPLATE: &str = "search.html";

/// A list page to render: one of the pages of a list of articles.
struct ListPage<'l> {
    template: &'static str,
    base: &'l str,
    name: &'l str,
    entries: &'l [usize],
    page: usize,
    /// Feed, breadcrumbs and whatever else the kind of list adds.
    extra: Context,
}

impl Renderer<'_> {
    pub(super) fn base_context(&self, path: &str, title: &str, description: &str) -> Context {
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
                image_width: None,
                image_height: None,
            },
        );
        ctx
    }

    pub(super) fn article_page(&self, i: usize) -> Rendered {
        let entry = &self.site.entries[i];
        let a = &entry.article;
        // `template:` names were checked when the site was assembled.
        let template = a.template.as_ref().map_or("article.html", |t| &t.value);
        let category = &self.site.categories[entry.category];
        let mut ctx = self.base_context(&entry.path, &a.title, a.description_text());
        ctx.insert("kind", "article");
        ctx.insert("section_url", &self.urls.href(&category.path));
        let mut article = self.article_view(i)?;
        article.content = self.article_body(i, &article.content)?.into();
        ctx.insert("article", &article);
        ctx.insert_value("more", self.more_from_category(i));
        let (og, jsonld) = self.article_meta(i);
        ctx.insert("og", &og);
        ctx.insert("jsonld", &jsonld);
        let feed = self.plan.feed_path(FeedOf::Category(entry.category));
        ctx.insert("feed_url", &self.urls.href(&feed));
        ctx.insert("feed_title", &category.name);
        let html = self
            .templates
            .render(template, &ctx, &a.source.display().to_string())?;
        Ok((file_for_path(&entry.path), html))
    }

    pub(super) fn home_page(&self, page: usize) -> Rendered {
        let mut extra = self.list_extras(FeedOf::Site, &[self.home_crumb()], None);
        if page == 1 {
            extra.insert_value("front", self.front_view());
        }
        self.list_page(ListPage {
            template: "index.html",
            base: HOME,
            name: &self.config.title,
            entries: &self.plan.home,
            page,
            extra,
        })
    }

    /// The front page's stories as cards, and each section's band with its link.
    fn front_view(&self) -> Value {
        #[derive(serde::Serialize)]
        struct Band<'v> {
            name: &'v str,
            url: String,
            articles: Vec<&'v Value>,
        }
        #[derive(serde::Serialize)]
        struct Front<'v> {
            lead: Option<&'v Value>,
            secondary: Vec<&'v Value>,
            latest: Vec<&'v Value>,
            bands: Vec<Band<'v>>,
            most_read: Vec<&'v Value>,
            most_read_title: &'v str,
        }
        let front = &self.site.front;
        let cards = |entries: &[usize]| entries.iter().map(|e| self.card_value(*e)).collect();
        let bands = front
            .bands
            .iter()
            .map(|(c, entries)| {
                let term = &self.site.categories[*c];
                let url = self.urls.href(&term.path);
                Band {
                    name: &term.name,
                    url,
                    articles: cards(entries),
                }
            })
            .collect();
        Value::from_serializable(&Front {
            lead: front.lead.map(|e| self.card_value(e)),
            secondary: cards(&front.secondary),
            latest: cards(&front.latest),
            bands,
            most_read: cards(&front.most_read),
            most_read_title: (self.config.front_page.most_read_title.as_deref())
                .unwrap_or_else(|| self.label(keys::MOST_READ_TITLE)),
        })
    }

    pub(super) fn category_page(&self, i: usize, page: usize) -> Rendered {
        let t = &self.site.categories[i];
        let trail = [self.home_crumb(), self.crumb(&t.name, &t.path)];
        let mut extra = self.list_extras(FeedOf::Category(i), &trail, None);
        extra.insert("section_url", &self.urls.href(&t.path));
        self.list_page(ListPage {
            template: "category.html",
            base: &t.path,
            name: &t.name,
            entries: &t.entries,
            page,
            extra,
        })
    }

    pub(super) fn tag_page(&self, i: usize, page: usize) -> Rendered {
        let t = &self.site.tags[i];
        let trail = [
            self.home_crumb(),
            self.crumb(self.label(keys::TAGS_TITLE), TAGS_INDEX),
            self.crumb(&t.name, &t.path),
        ];
        let extra = self.list_extras(FeedOf::Tag(i), &trail, None);
        self.list_page(ListPage {
            template: "tag.html",
            base: &t.path,
            name: &t.name,
            entries: &t.entries,
            page,
            extra,
        })
    }

    pub(super) fn author_page(&self, i: usize, page: usize) -> Rendered {
        let t = &self.site.authors[i].term;
        let trail = [
            self.home_crumb(),
            self.crumb(self.label(keys::AUTHORS_TITLE), AUTHORS_INDEX),
            self.crumb(&t.name, &t.path),
        ];
        let mut extra = self.list_extras(FeedOf::Author(i), &trail, Some(i));
        extra.insert("author", &self.author_view(i, true));
        self.list_page(ListPage {
            template: "author.html",
            base: &t.path,
            name: &t.name,
            entries: &t.entries,
            page,
            extra,
        })
    }

    fn list_page(&self, list: ListPage) -> Rendered {
        let path = paginated_path(list.base, list.page);
        let total = page_count(list.entries.len(), self.plan.per_page);
        let cards: Vec<Value> = self
            .plan
            .page_of(list.entries, list.page)
            .iter()
            .map(|e| self.card_value(*e).clone())
            .collect();
        let mut ctx = self.base_context(&path, list.name, &self.config.description);
        ctx.extend(list.extra);
        ctx.insert("kind", list.template.trim_end_matches(".html"));
        ctx.insert(
            "list",
            &self.term_view(list.name, list.base, list.entries.len()),
        );
        ctx.insert_value("articles", Value::from(&cards[..]));
        let paginator = Paginator::new(list.base, list.page, total, &self.urls, self.config.digits);
        ctx.insert("paginator", &paginator);
        let html = self.templates.render(list.template, &ctx, &path)?;
        Ok((file_for_path(&path), html))
    }

    pub(super) fn tag_index(&self) -> Rendered {
        let title = self.label(keys::TAGS_TITLE);
        self.index_page("tags.html", TAGS_INDEX, title, self.site.tags.iter())
    }

    pub(super) fn author_index(&self) -> Rendered {
        let terms = self.site.authors.iter().map(|a| &a.term);
        let title = self.label(keys::AUTHORS_TITLE);
        self.index_page("authors.html", AUTHORS_INDEX, title, terms)
    }

    pub(super) fn category_index(&self) -> Rendered {
        let terms = self.site.categories.iter();
        let title = self.label(keys::CATEGORIES_TITLE);
        self.index_page("categories.html", CATEGORIES_INDEX, title, terms)
    }

    fn index_page<'t>(
        &self,
        template: &str,
        path: &str,
        title: &str,
        terms: impl Iterator<Item = &'t Term>,
    ) -> Rendered {
        let views: Vec<TermView> = terms
            .map(|t| self.term_view(&t.name, &t.path, t.entries.len()))
            .collect();
        let mut ctx = self.base_context(path, title, &self.config.description);
        ctx.insert("kind", template.trim_end_matches(".html"));
        ctx.insert("terms", &views);
        let html = self.templates.render(template, &ctx, path)?;
        Ok((file_for_path(path), html))
    }

    fn term_view<'t>(&self, name: &'t str, path: &str, count: usize) -> TermView<'t> {
        TermView {
            name,
            url: self.urls.href(path),
            count,
            count_label: self.articles_count(count),
        }
    }

    pub(super) fn plain_page(&self, i: usize) -> Rendered {
        let p = &self.site.pages[i];
        let page = &p.page;
        // `template:` names were checked when the site was assembled.
        let template = page.template.as_ref().map_or("page.html", |t| &t.value);
        let description = page.description.as_deref().unwrap_or(&page.body.lead_text);
        let mut ctx = self.base_context(&p.path, &page.title, description);
        ctx.insert("kind", "page");
        let content = page.body.lead_html.clone().unwrap_or_default() + &page.body.body_html;
        let content = self.page_body(i, &content)?;
        ctx.insert(
            "page",
            &serde_json::json!({ "title": page.title, "content": content, "draft": page.draft }),
        );
        let html = self
            .templates
            .render(template, &ctx, &page.source.display().to_string())?;
        Ok((file_for_path(&p.path), html))
    }

    pub(super) fn not_found_page(&self) -> Rendered {
        let path = format!("/{NOT_FOUND_FILE}");
        let mut ctx = self.base_context(&path, self.label(keys::NOT_FOUND_TITLE), "");
        ctx.insert("kind", "404");
        let html = self
            .templates
            .render(NOT_FOUND_FILE, &ctx, NOT_FOUND_FILE)?;
        Ok((NOT_FOUND_FILE.into(), html))
    }

    /// The search page: the theme's `search.html`, which runs the engine's module in the
    /// browser; the page itself holds no results.
    pub(super) fn search_page(&self) -> Rendered {
        let (title, description) = (keys::SEARCH_TITLE, keys::SEARCH_DESCRIPTION);
        let mut ctx = self.base_context(SEARCH_PAGE, self.label(title), self.label(description));
        ctx.insert("kind", "search");
        let file = file_for_path(SEARCH_PAGE);
        let html = self.templates.render(SEARCH_TEMPLATE, &ctx, &file)?;
        Ok((file, html))
    }

    /// A breadcrumb to a site path.
    fn crumb<'n>(&self, name: &'n str, path: &str) -> Crumb<'n> {
        (name, self.urls.permalink(path))
    }
}
