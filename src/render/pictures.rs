//! What templates and feeds see of pictures: a photo becomes its responsive set (WebP and a
//! JPEG or PNG fallback at the theme's widths, with the intrinsic size so nothing shifts),
//! its crops for share previews and search, and — inside article bodies — a `<picture>`
//! element in place of the `<img>` the writer's Markdown made.

use std::collections::HashMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::escape::escape;
use crate::content::html_images::{attribute, img_tags, written_reference};
use crate::hash::stable_hash;
use crate::photos::{Format, Photo, PhotoRequest};
use crate::site::layout::Urls;
use crate::site::pictures::Picture;

/// Every processed photo of a build, by request.
pub type Photos = HashMap<PhotoRequest, Photo>;

/// The widest rendition a card or a feed asks for: lists and feeds use the small widths.
const SMALL_WIDTH: u32 = 720;

/// `sizes` of a photo in an article's body column (the theme's text is at most 42rem).
pub const BODY_SIZES: &str = "(min-width: 44rem) 42rem, calc(100vw - 2rem)";

/// A picture as templates see it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PictureView {
    /// The `src` of the `<img>`: the fallback format at a middle width.
    pub url: String,
    /// `srcset` in the fallback format and in WebP; empty for pictures that are not photos.
    pub srcset: String,
    pub webp_srcset: String,
    /// `image/jpeg` or `image/png`.
    pub fallback_type: &'static str,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

/// Turns pictures into views and URLs for one build.
pub struct Pictures<'a> {
    pub photos: &'a Photos,
    pub urls: &'a Urls,
}

impl Pictures<'_> {
    /// The view of `picture`, offering widths up to `widest` (all when `None`).
    pub fn view(&self, picture: &Picture, widest: Option<u32>) -> PictureView {
        match picture {
            Picture::Photo(request) => match self.photos.get(request) {
                Some(photo) => self.photo_view(photo, widest),
                None => PictureView::default(),
            },
            Picture::Remote(url) => PictureView {
                url: url.clone(),
                ..PictureView::default()
            },
            Picture::AsIs { path, size } => self.plain(path, *size),
            Picture::Copy { file, size, .. } => self.plain(&format!("/{file}"), *size),
        }
    }

    fn plain(&self, path: &str, size: Option<(usize, usize)>) -> PictureView {
        PictureView {
            url: self.urls.href(path),
            width: size.map(|s| s.0 as u32),
            height: size.map(|s| s.1 as u32),
            ..PictureView::default()
        }
    }

    fn photo_view(&self, photo: &Photo, widest: Option<u32>) -> PictureView {
        let limit = widest.unwrap_or(u32::MAX);
        let fallback = photo.fallback_format();
        let srcset = |format: Format| {
            let mut set = String::new();
            for r in photo.widths(format).filter(|r| r.width <= limit) {
                let _ = write!(set, "{}{} {}w", sep(&set), self.href(&r.file), r.width);
            }
            set
        };
        // `src` for browsers without srcset: a middle width, never more than asked.
        let cap = limit.min(1080);
        let middle = photo
            .widths(fallback)
            .filter(|r| r.width <= cap)
            .last()
            .or_else(|| photo.widths(fallback).next());
        PictureView {
            url: middle.map(|r| self.href(&r.file)).unwrap_or_default(),
            srcset: srcset(fallback),
            webp_srcset: srcset(Format::Webp),
            fallback_type: fallback.mime(),
            width: Some(photo.width),
            height: Some(photo.height),
        }
    }

    /// The absolute URL of a photo's crop (`og`, `16x9`, `4x3`, `1x1`); other pictures as
    /// they are.
    pub fn crop_url(&self, picture: &Picture, crop: &str) -> Option<String> {
        match picture {
            Picture::Photo(request) => {
                let rendition = self.photos.get(request)?.crop(crop)?;
                Some(self.urls.permalink(&format!("/{}", rendition.file)))
            }
            Picture::Remote(url) => Some(url.clone()),
            Picture::AsIs { path, .. } => Some(self.urls.permalink(path)),
            Picture::Copy { file, .. } => Some(self.urls.permalink(&format!("/{file}"))),
        }
    }

    /// The absolute URL of a small version, for feeds and structured data about people.
    pub fn small_url(&self, picture: &Picture) -> String {
        let view = self.view(picture, Some(SMALL_WIDTH));
        match picture {
            Picture::Remote(url) => url.clone(),
            _ => format!("{}{}", self.urls.origin(), view.url),
        }
    }

    fn href(&self, file: &str) -> String {
        self.urls.href(&format!("/{file}"))
    }

    /// What a picture's files are: part of the fingerprint of every page that shows it.
    pub fn print(&self, picture: &Picture) -> u64 {
        match picture {
            Picture::Photo(request) => stable_hash(self.photos.get(request).map(|p| &p.job)),
            other => stable_hash(other),
        }
    }

    /// A body's HTML with every photo's `<img>` made a responsive `<picture>`, and every copied
    /// picture pointed at its published file. `pictures` maps each `src` as written.
    pub fn responsive_body(
        &self,
        html: &str,
        pictures: &[(String, Picture)],
        base: &str,
    ) -> String {
        self.replace_images(html, pictures, base, picture_element)
    }

    /// A body's HTML for a feed: each photo's `<img>` points at a small fallback version.
    pub fn feed_body(&self, html: &str, pictures: &[(String, Picture)], base: &str) -> String {
        self.replace_images(html, pictures, base, |view, tag| {
            let alt = attribute(tag, "alt").unwrap_or_default();
            format!(
                "<img src=\"{}\" alt=\"{}\">",
                escape(&view.url),
                escape(&alt)
            )
        })
    }

    fn replace_images(
        &self,
        html: &str,
        pictures: &[(String, Picture)],
        base: &str,
        element: impl Fn(&PictureView, &str) -> String,
    ) -> String {
        if pictures.is_empty() || !html.contains("<img ") {
            return html.to_string();
        }
        let mut out = String::with_capacity(html.len() + 512);
        let mut from = 0;
        for tag in img_tags(html) {
            let written = written_reference(&tag.src, base);
            let Some((_, picture)) = pictures.iter().find(|(src, _)| *src == written) else {
                continue;
            };
            if matches!(picture, Picture::Remote(_) | Picture::AsIs { .. }) {
                continue;
            }
            let view = self.view(picture, None);
            out.push_str(&html[from..tag.range.start]);
            out.push_str(&element(&view, &html[tag.range.clone()]));
            from = tag.range.end;
        }
        out.push_str(&html[from..]);
        out
    }
}

/// A `<picture>` for a body photo: lazy, with its size, keeping the tag's alt and title.
fn picture_element(view: &PictureView, tag: &str) -> String {
    let alt = escape(&attribute(tag, "alt").unwrap_or_default());
    let title = attribute(tag, "title")
        .map(|t| format!(" title=\"{}\"", escape(&t)))
        .unwrap_or_default();
    let size = match (view.width, view.height) {
        (Some(w), Some(h)) => format!(" width=\"{w}\" height=\"{h}\""),
        _ => String::new(),
    };
    if view.srcset.is_empty() {
        return format!(
            "<img src=\"{}\" alt=\"{alt}\"{title}{size}>",
            escape(&view.url)
        );
    }
    format!(
        "<picture><source type=\"image/webp\" srcset=\"{webp}\" sizes=\"{BODY_SIZES}\">\
         <img src=\"{src}\" srcset=\"{set}\" sizes=\"{BODY_SIZES}\" alt=\"{alt}\"{title}{size} \
         loading=\"lazy\" decoding=\"async\"></picture>",
        webp = escape(&view.webp_srcset),
        src = escape(&view.url),
        set = escape(&view.srcset),
    )
}

fn sep(set: &str) -> &'static str {
    if set.is_empty() { "" } else { ", " }
}
