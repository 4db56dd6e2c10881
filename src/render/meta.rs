//! Share-preview values and structured data for each kind of page (see [`crate::render::seo`]).

use tera::Context;

use super::context::Renderer;
use super::plan::FeedOf;
use super::seo::{self, Crumb, OpenGraph, og_locale};
use crate::site::layout::HOME;
use crate::site::pictures::Picture;
use crate::theme::strings::keys;

impl Renderer<'_> {
    /// The extra context of a list page: its feed and its breadcrumb trail (plus, for an
    /// author, the profile), as structured data.
    pub(super) fn list_extras(
        &self,
        feed: FeedOf,
        trail: &[Crumb],
        profile: Option<usize>,
    ) -> Context {
        let mut extra = Context::new();
        extra.insert("feed_url", &self.urls.href(&self.plan.feed_path(feed)));
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
    pub(super) fn home_crumb(&self) -> Crumb<'_> {
        (self.label(keys::HOME), self.urls.permalink(HOME))
    }

    pub(super) fn person(&self, i: usize) -> seo::Person<'_> {
        let a = &self.site.authors[i];
        seo::Person {
            name: &a.author.name,
            url: self.urls.permalink(&a.term.path),
            role: a.author.role.as_deref(),
            image: a.avatar.as_ref().map(|p| self.pictures().small_url(p)),
            same_as: a
                .author
                .links
                .iter()
                .filter(|l| l.url.starts_with("http"))
                .map(|l| l.url.as_str())
                .collect(),
        }
    }

    /// Open Graph values and structured data (a `NewsArticle` and its breadcrumbs).
    pub(super) fn article_meta(&self, i: usize) -> (OpenGraph, String) {
        let entry = &self.site.entries[i];
        let a = &entry.article;
        let category = &self.site.categories[entry.category];
        let url = self.urls.permalink(&entry.path);
        let pictures = self.pictures();
        let search_images: Vec<String> = entry
            .image
            .iter()
            .flat_map(|p| ["16x9", "4x3", "1x1"].map(|crop| pictures.crop_url(p, crop)))
            .flatten()
            .collect();
        let published = &self.dates[i].iso;
        let modified = self.plan.updated_iso(i);
        let logo = self.site.logo.as_ref().map(|l| pictures.small_url(l));
        let home = self.urls.permalink(HOME);
        let article = seo::NewsArticle {
            headline: &a.title,
            description: a.description_text(),
            url: &url,
            images: search_images,
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
        let og = self.article_og(i);
        (og, seo::script_json(&data))
    }

    /// The share preview of an article: its photo's 1200×630 crop.
    fn article_og(&self, i: usize) -> OpenGraph {
        let entry = &self.site.entries[i];
        let crop = entry.image.as_ref().and_then(|p| match p {
            Picture::Photo(request) => self.photos.get(request)?.crop("og"),
            _ => None,
        });
        OpenGraph {
            kind: "article",
            locale: og_locale(&self.config.language),
            image: entry
                .image
                .as_ref()
                .and_then(|p| self.pictures().crop_url(p, "og")),
            image_alt: entry.article.image_alt.clone(),
            image_width: crop.map(|c| c.width),
            image_height: crop.map(|c| c.height),
        }
    }
}
