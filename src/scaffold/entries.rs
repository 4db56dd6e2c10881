//! `qissa new article|author|page`: one new source file in an existing site, with complete
//! front matter checked against the site's categories and authors.

use std::path::Path;

use jiff::Timestamp;

use super::{Created, write_new, yaml_string};
use crate::arabic::text::slugify;
use crate::config::{CONFIG_FILE, Config};
use crate::content::{ARTICLES_DIR, AUTHORS_DIR, PAGES_DIR};
use crate::error::{Diagnostic, choices_help};
use crate::site::layout::{Urls, article_path, author_path, page_path};

/// Where `qissa serve` shows the site.
const PREVIEW_ORIGIN: &str = "http://127.0.0.1:1111/";

/// What a new article needs.
#[derive(Debug, Clone, Default)]
pub struct NewArticle {
    pub title: String,
    /// A category slug or name; default: the first category of `site.yaml`.
    pub category: Option<String>,
    /// An author id; default: the only author, when there is one.
    pub author: Option<String>,
    pub tags: Vec<String>,
    /// Publish at once instead of `draft: true`.
    pub publish: bool,
}

/// Writes `content/articles/YYYY/<slug>.md`, dated `now` in the site's timezone.
pub fn new_article(root: &Path, new: &NewArticle, now: Timestamp) -> Result<Created, Diagnostic> {
    let config = load_config(root)?;
    let category = choose_category(&config, new.category.as_deref())?;
    let author = choose_author(root, new.author.as_deref())?;
    let slug = slugify(&new.title);
    if slug.is_empty() {
        return Err(
            Diagnostic::new("title", "the title has no letters or digits")
                .help("write the headline in words, e.g. qissa new article \"افتتاح المعرض\""),
        );
    }
    let local = now.to_zoned_datetime(config.timezone.clone());
    let date = local.strftime("%Y-%m-%d %H:%M").to_string();
    let path = root
        .join(ARTICLES_DIR)
        .join(format!("{:04}", local.year()))
        .join(format!("{slug}.md"));
    write_new(&path, &article_text(new, &date, &category, &author, &slug))?;
    let site_path = article_path(&config.permalink, &category, &slug, local.date());
    Ok(Created {
        path,
        preview: Some(preview(&site_path)),
    })
}

fn article_text(new: &NewArticle, date: &str, category: &str, author: &str, slug: &str) -> String {
    let tags: Vec<String> = new.tags.iter().map(|t| yaml_string(t)).collect();
    let draft = if new.publish { "" } else { "draft: true\n" };
    format!(
        "---
title: {title}
date: {date}
author: {author}
category: {category}
tags: [{tags}]
# summary:
#   - أهم نقطة في الخبر
# description: …
# image: images/….jpg
# image_alt: …
slug: {slug}
{draft}---

الفقرة الأولى هي المقدمة.

## عنوان فرعي

نص الخبر.
",
        title = yaml_string(&new.title),
        tags = tags.join(", "),
        slug = yaml_string(slug),
    )
}

/// Writes `content/authors/<id>.md`.
pub fn new_author(root: &Path, id: &str, name: &str) -> Result<Created, Diagnostic> {
    load_config(root)?;
    let slug = slugify(id);
    if slug.is_empty() || slug != id {
        return Err(
            Diagnostic::new("ID", format!("`{id}` cannot be an author id")).help(format!(
                "ids are lower-case words joined by dashes, e.g. `{}`",
                if slug.is_empty() {
                    "ahmed-rashwan"
                } else {
                    &slug
                }
            )),
        );
    }
    let path = root.join(AUTHORS_DIR).join(format!("{id}.md"));
    let text = format!(
        "---
name: {name}
# role: كاتب صحفي
# avatar: images/{id}.jpg
# links:
#   x: https://x.com/…
#   facebook: https://facebook.com/…
---

نبذة عن الكاتب.
",
        name = yaml_string(name),
    );
    write_new(&path, &text)?;
    Ok(Created {
        path,
        preview: Some(preview(&author_path(id))),
    })
}

/// Writes `content/pages/<slug>.md`.
pub fn new_page(root: &Path, slug: &str, title: Option<&str>) -> Result<Created, Diagnostic> {
    load_config(root)?;
    let clean = slugify(slug);
    if clean.is_empty() || clean != slug {
        return Err(
            Diagnostic::new("SLUG", format!("`{slug}` cannot be a page slug")).help(format!(
                "slugs are words joined by dashes, e.g. `{}`",
                if clean.is_empty() { "about" } else { &clean }
            )),
        );
    }
    let path = root.join(PAGES_DIR).join(format!("{slug}.md"));
    let text = format!(
        "---
title: {title}
# description: …
---

نص الصفحة.
",
        title = yaml_string(title.unwrap_or(slug)),
    );
    write_new(&path, &text)?;
    Ok(Created {
        path,
        preview: Some(preview(&page_path(slug))),
    })
}

/// `site.yaml` of the site at `root`: scaffolding needs its categories and timezone.
fn load_config(root: &Path) -> Result<Config, Diagnostic> {
    Config::load(root).map_err(|errors| {
        errors
            .into_iter()
            .next()
            .unwrap_or_else(|| Diagnostic::new(CONFIG_FILE, "cannot read the site configuration"))
    })
}

/// The slug of the wanted category (by slug or name), or the first one.
fn choose_category(config: &Config, wanted: Option<&str>) -> Result<String, Diagnostic> {
    let Some(wanted) = wanted else {
        return config.categories.first().map(|c| c.slug.clone()).ok_or_else(|| {
            Diagnostic::new(CONFIG_FILE, "the site has no categories")
                .key("categories")
                .help("declare at least one under `categories:`, e.g. - { slug: local, name: محليات }")
        });
    };
    let slug = slugify(wanted);
    let found = config
        .categories
        .iter()
        .find(|c| c.slug == wanted || c.name == wanted || c.slug == slug);
    found.map(|c| c.slug.clone()).ok_or_else(|| {
        let names = config.categories.iter().map(|c| c.slug.as_str());
        Diagnostic::new("--category", format!("unknown category `{wanted}`"))
            .help(choices_help(wanted, names) + "\nor declare it under `categories:` in site.yaml")
    })
}

/// The wanted author id, checked against `content/authors/`; without one, the only author.
fn choose_author(root: &Path, wanted: Option<&str>) -> Result<String, Diagnostic> {
    let ids = author_ids(&root.join(AUTHORS_DIR));
    match wanted {
        Some(id) if ids.iter().any(|a| a == id) => Ok(id.to_string()),
        Some(id) => Err(
            Diagnostic::new("--author", format!("unknown author `{id}`")).help(
                choices_help(id, ids.iter().map(String::as_str))
                    + &format!("\nor add the profile first: qissa new author {id} --name \"…\""),
            ),
        ),
        None if ids.len() == 1 => Ok(ids[0].clone()),
        None => Err(Diagnostic::new("--author", "which author wrote it?")
            .help(choices_help("", ids.iter().map(String::as_str)) + "\npass --author ID")),
    }
}

/// The ids of the site's authors: the names of `content/authors/*.md`, sorted.
fn author_ids(dir: &Path) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .filter(|id| !id.starts_with('.'))
        .collect();
    ids.sort();
    ids
}

/// The address of a site path in `qissa serve`.
fn preview(site_path: &str) -> String {
    Urls::new(PREVIEW_ORIGIN, "/").permalink(site_path)
}
