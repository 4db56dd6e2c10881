//! The whole site in memory: published articles in date order, and categories, tags and
//! authors as indices into them (never copies), every URL decided and checked for collisions.
//!
//! This is where cross-file faults surface: an unknown author or category (with the valid
//! choices and the nearest match), an image that isn't in `static/`, and two sources that
//! would be written to the same URL (naming both files and how to fix it).

mod collisions;
pub mod front;
pub mod layout;
mod patch;
pub mod pictures;
mod references;
mod tags;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::Timestamp;

use crate::config::Config;
use collisions::check_collisions;
use layout::{article_path, author_path, category_path, page_path};
pub use patch::Patched;
use pictures::{Lookup, Picture};
use tags::group_tags;

use crate::arabic::text::{fold_variants, slugify};
use crate::content::{Article, Author, Content, Located, Page};
use crate::error::{Diagnostic, choices_help};
use crate::photos::Focus;
use crate::theme::statics::StaticFiles;

/// What to include.
#[derive(Debug, Clone)]
pub struct SiteOptions {
    /// Publish drafts too.
    pub drafts: bool,
    /// Articles dated after this are left out.
    pub now: Timestamp,
    /// The site's folder, where page bundles are looked up.
    pub root: PathBuf,
}

/// A published article with its place in the site.
#[derive(Debug)]
pub struct Entry {
    pub article: Arc<Article>,
    /// URL path from the site root, e.g. `/security/خبر/` (not percent-encoded).
    pub path: String,
    pub category: usize,
    pub authors: Vec<usize>,
    pub tags: Vec<usize>,
    /// The lead photo (`image:`).
    pub image: Option<Picture>,
    /// The images of the body: each `src` as written, and what it names.
    pub body_pictures: Vec<(String, Picture)>,
    /// For each slot of the body: the entry its «اقرأ أيضًا» box links, if it is one.
    pub read_also: Vec<Option<usize>>,
}

/// A list of articles with its own page: a category, a tag or an author.
#[derive(Debug)]
pub struct Term {
    pub name: String,
    pub slug: String,
    pub path: String,
    /// Indices into `Site::entries`, newest first.
    pub entries: Vec<usize>,
}

/// An author and their articles.
#[derive(Debug)]
pub struct AuthorTerm {
    pub author: Arc<Author>,
    pub term: Term,
    /// The picture `avatar:` names.
    pub avatar: Option<Picture>,
}

/// A plain page and its URL path.
#[derive(Debug)]
pub struct PageEntry {
    pub page: Arc<Page>,
    pub path: String,
    /// For each slot of the body: the entry its «اقرأ أيضًا» box links, if it is one.
    pub read_also: Vec<Option<usize>>,
}

/// The assembled site.
#[derive(Debug)]
pub struct Site {
    /// Published articles, newest first.
    pub entries: Vec<Entry>,
    pub categories: Vec<Term>,
    /// Sorted by name.
    pub tags: Vec<Term>,
    /// Sorted by id; `Entry::authors` index this list.
    pub authors: Vec<AuthorTerm>,
    pub pages: Vec<PageEntry>,
    /// Articles left out because their date is still to come: source and date.
    pub future: Vec<(PathBuf, String)>,
    /// When the first of them comes due.
    pub next_due: Option<Timestamp>,
    /// Drafts left out.
    pub drafts_skipped: usize,
    /// Tag spellings folded into one tag: (shown name, other spellings).
    pub merged_tags: Vec<(String, Vec<String>)>,
    /// Entries of `content/` that were not read.
    pub ignored: Vec<PathBuf>,
    /// "Now" for this build: articles after it wait; the news sitemap counts back from it.
    pub built_at: Timestamp,
    /// The publisher's logo (`logo:` in site.yaml).
    pub logo: Option<Picture>,
    /// Things worth fixing that do not stop the build: lead photos without alt text.
    pub warnings: Vec<Diagnostic>,
    /// What the front page shows.
    pub front: front::FrontPage,
    /// Articles the «عاجل» bar announces, newest first.
    pub breaking: Vec<usize>,
}

impl Site {
    /// Validates cross-file references and lays out every URL.
    pub fn assemble(
        config: &Config,
        content: Content,
        statics: &StaticFiles,
        options: &SiteOptions,
    ) -> Result<Site, Vec<Diagnostic>> {
        let mut errors = Vec::new();
        let all_articles = content.articles.iter().map(|a| a.source.clone()).collect();
        let next_due = content
            .articles
            .iter()
            .filter(|a| !a.draft || options.drafts)
            .map(|a| a.date.timestamp())
            .filter(|t| *t > options.now)
            .min();
        let (articles, future, drafts_skipped) = select_published(content.articles, options);
        let authors = sorted_unique_authors(content.authors, &mut errors);
        let logo = site_logo(config, statics, &mut errors);
        let tags = group_tags(&articles, config.merge_tag_variants, &mut errors);
        let mut entries = place_articles(
            config,
            articles,
            tags.of_article,
            &authors,
            (&options.root, statics),
            &mut errors,
        );
        let avatars = author_avatars(&authors, statics, &mut errors);
        let mut pages = select_pages(content.pages, options);
        link_read_also(&mut entries, &mut pages, all_articles, &mut errors);
        let categories = build_categories(config, &entries);
        let front = front::front_page(config, &entries, &categories, options.now, &mut errors);
        if !errors.is_empty() {
            return Err(errors);
        }
        let site = Site {
            breaking: front::breaking(&entries, config.breaking_hours, options.now),
            front,
            categories,
            authors: build_authors(authors, avatars, &entries),
            entries,
            tags: tags.terms,
            pages,
            future,
            next_due,
            drafts_skipped,
            merged_tags: tags.merged,
            ignored: content.ignored,
            built_at: options.now,
            logo,
            warnings: Vec::new(),
        };
        let mut site = site;
        site.warnings = photos_without_alt(&site.entries);
        check_collisions(&site, config, statics)?;
        Ok(site)
    }
}

/// Resolves every «اقرأ أيضًا» box of articles and pages to the entry it links.
fn link_read_also(
    entries: &mut [Entry],
    pages: &mut [PageEntry],
    all: std::collections::HashSet<PathBuf>,
    errors: &mut Vec<Diagnostic>,
) {
    let (entry_links, page_links): (Vec<_>, Vec<_>) = {
        let files = references::ArticleFiles {
            published: entries
                .iter()
                .enumerate()
                .map(|(i, e)| (e.article.source.as_path(), i))
                .collect(),
            all,
        };
        let mut resolve = |source: &Path, slots| files.resolve(source, slots, errors);
        (
            entries
                .iter()
                .map(|e| resolve(&e.article.source, &e.article.body.slots))
                .collect(),
            pages
                .iter()
                .map(|p| resolve(&p.page.source, &p.page.body.slots))
                .collect(),
        )
    };
    for (entry, links) in entries.iter_mut().zip(entry_links) {
        entry.read_also = links;
    }
    for (page, links) in pages.iter_mut().zip(page_links) {
        page.read_also = links;
    }
}

/// Gives every article (newest first) its category, authors, tags, image and URL.
fn place_articles(
    config: &Config,
    articles: Vec<Arc<Article>>,
    tags_of_article: Vec<Vec<usize>>,
    authors: &[Arc<Author>],
    (root, statics): (&Path, &StaticFiles),
    errors: &mut Vec<Diagnostic>,
) -> Vec<Entry> {
    let author_index: HashMap<&str, usize> = authors
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), i))
        .collect();
    let mut entries = Vec::with_capacity(articles.len());
    for (article, tags) in articles.into_iter().zip(tags_of_article) {
        let category = resolve_category(config, &article, errors);
        let authors = resolve_authors(&article, &author_index, authors, errors);
        let (image, body_pictures) = article_pictures(&article, root, statics, errors);
        let path = category
            .map(|c| {
                let slug = &config.categories[c].slug;
                article_path(
                    &config.permalink,
                    slug,
                    &article.slug.value,
                    article.date.date(),
                )
            })
            .unwrap_or_default();
        entries.push(Entry {
            article,
            path,
            category: category.unwrap_or_default(),
            authors,
            tags,
            image,
            body_pictures,
            read_also: Vec::new(),
        });
    }
    entries
}

/// The lead photo and body images of an article: looked up beside it, then in `static/`.
fn article_pictures(
    article: &Article,
    root: &Path,
    statics: &StaticFiles,
    errors: &mut Vec<Diagnostic>,
) -> (Option<Picture>, Vec<(String, Picture)>) {
    // Most articles name no image: spare them the system calls of finding their folder.
    if article.image.is_none() && article.body_images.is_empty() {
        return (None, Vec::new());
    }
    let folder = root.join(&article.source);
    let bundle = folder.parent().map(Path::to_path_buf);
    let lookup = Lookup { bundle, statics };
    let mut find = |reference: &Located<String>, key: &str, focus| {
        lookup
            .find(&article.source, reference, key, focus)
            .map_err(|e| errors.push(e))
            .ok()
    };
    let image = article
        .image
        .as_ref()
        .and_then(|image| find(image, "image", article.image_focus));
    let mut body = Vec::new();
    for reference in &article.body_images {
        if let Some(picture) = find(reference, "body", Focus::CENTER) {
            body.push((reference.value.clone(), picture));
        }
    }
    (image, body)
}

/// A lead photo without `image_alt:` is invisible to readers who cannot see it.
fn photos_without_alt(entries: &[Entry]) -> Vec<Diagnostic> {
    entries
        .iter()
        .filter(|e| e.image.is_some() && e.article.image_alt.is_none())
        .map(|e| {
            let line = e.article.image.as_ref().and_then(|i| i.line);
            Diagnostic::new(&e.article.source, "the lead photo has no alt text")
                .at_optional_line(line)
                .key("image_alt")
                .help("add `image_alt:` describing what the photo shows, for readers who cannot see it")
        })
        .collect()
}

/// The site's logo: a file under `static/`.
fn site_logo(
    config: &Config,
    statics: &StaticFiles,
    errors: &mut Vec<Diagnostic>,
) -> Option<Picture> {
    let logo = config.logo.as_ref()?;
    let lookup = Lookup {
        bundle: None,
        statics,
    };
    let reference = Located {
        value: logo.clone(),
        line: None,
    };
    let found = lookup.find(
        Path::new(crate::config::CONFIG_FILE),
        &reference,
        "logo",
        Focus::CENTER,
    );
    found
        .map_err(|_| {
            errors.push(
                Diagnostic::new(
                    crate::config::CONFIG_FILE,
                    format!("logo `{logo}` is not in static/"),
                )
                .key("logo")
                .help(format!(
                    "put the file at static/{logo}, or remove the `logo:` line"
                )),
            )
        })
        .ok()
}

/// Each author's avatar: a file under `static/` (or an address).
fn author_avatars(
    authors: &[Arc<Author>],
    statics: &StaticFiles,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Option<Picture>> {
    let lookup = Lookup {
        bundle: None,
        statics,
    };
    let avatar_of = |author: &Arc<Author>| {
        let reference = Located {
            value: author.avatar.clone()?,
            line: None,
        };
        lookup
            .find(&author.source, &reference, "avatar", Focus::CENTER)
            .map_err(|e| errors.push(e))
            .ok()
    };
    authors.iter().map(avatar_of).collect()
}

/// Splits out drafts and articles dated in the future; the rest newest first.
fn select_published(
    articles: Vec<Arc<Article>>,
    options: &SiteOptions,
) -> (Vec<Arc<Article>>, Vec<(PathBuf, String)>, usize) {
    let mut published = Vec::with_capacity(articles.len());
    let mut future = Vec::new();
    let mut drafts = 0;
    for article in articles {
        if article.draft && !options.drafts {
            drafts += 1;
        } else if article.date.timestamp() > options.now {
            future.push((
                article.source.clone(),
                crate::arabic::dates::iso(&article.date),
            ));
        } else {
            published.push(article);
        }
    }
    published.sort_by(|a, b| {
        b.date
            .timestamp()
            .cmp(&a.date.timestamp())
            .then_with(|| a.source.cmp(&b.source))
    });
    (published, future, drafts)
}

fn select_pages(pages: Vec<Arc<Page>>, options: &SiteOptions) -> Vec<PageEntry> {
    pages
        .into_iter()
        .filter(|p| options.drafts || !p.draft)
        .map(|page| PageEntry {
            path: page_path(&page.slug.value),
            page,
            read_also: Vec::new(),
        })
        .collect()
}

/// `category:` may name a category by slug or by its display name.
fn resolve_category(
    config: &Config,
    article: &Article,
    errors: &mut Vec<Diagnostic>,
) -> Option<usize> {
    let wanted = &article.category.value;
    let categories = &config.categories;
    // The common case, a slug as declared, without any allocation.
    let found = categories
        .iter()
        .position(|c| &c.slug == wanted)
        .or_else(|| {
            let (slug, folded) = (slugify(wanted), fold_variants(wanted));
            categories
                .iter()
                .position(|c| c.slug == slug || c.folded_name == folded)
        });
    if found.is_none() {
        let choices: Vec<String> = config
            .categories
            .iter()
            .map(|c| format!("{} ({})", c.slug, c.name))
            .collect();
        let names: Vec<&str> = config
            .categories
            .iter()
            .flat_map(|c| [c.slug.as_str(), c.name.as_str()])
            .collect();
        let mut help = choices_help(wanted, names.iter().copied());
        if let Some(list) = help.find("valid choices: ") {
            help.replace_range(list.., &format!("valid choices: {}", choices.join(", ")));
        }
        help.push_str("\nor declare the category under `categories:` in site.yaml");
        errors.push(
            Diagnostic::new(&article.source, format!("unknown category `{wanted}`"))
                .at_optional_line(article.category.line)
                .key("category")
                .help(help),
        );
    }
    found
}

fn resolve_authors(
    article: &Article,
    index: &HashMap<&str, usize>,
    authors: &[Arc<Author>],
    errors: &mut Vec<Diagnostic>,
) -> Vec<usize> {
    let mut found = Vec::new();
    for id in &article.authors {
        // An id, or — forgiving a common slip — the author's display name.
        let by_name = || authors.iter().position(|a| a.name == id.value);
        match index.get(id.value.as_str()).copied().or_else(by_name) {
            Some(i) => found.push(i),
            None => {
                let mut help = choices_help(&id.value, authors.iter().map(|a| a.id.as_str()));
                help.push_str(&format!(
                    "\nor add the profile content/authors/{}.md",
                    id.value
                ));
                let key = if article.authors.len() > 1 {
                    "authors"
                } else {
                    "author"
                };
                errors.push(
                    Diagnostic::new(&article.source, format!("unknown author `{}`", id.value))
                        .at_optional_line(id.line)
                        .key(key)
                        .help(help),
                );
            }
        }
    }
    found
}

fn build_categories(config: &Config, entries: &[Entry]) -> Vec<Term> {
    let mut categories: Vec<Term> = config
        .categories
        .iter()
        .map(|c| Term {
            name: c.name.clone(),
            slug: c.slug.clone(),
            path: category_path(&c.slug),
            entries: Vec::new(),
        })
        .collect();
    for (i, entry) in entries.iter().enumerate() {
        categories[entry.category].entries.push(i);
    }
    categories
}

fn build_authors(
    authors: Vec<Arc<Author>>,
    avatars: Vec<Option<Picture>>,
    entries: &[Entry],
) -> Vec<AuthorTerm> {
    let mut terms: Vec<AuthorTerm> = authors
        .into_iter()
        .zip(avatars)
        .map(|(author, avatar)| AuthorTerm {
            avatar,
            term: Term {
                name: author.name.clone(),
                slug: author.id.clone(),
                path: author_path(&author.id),
                entries: Vec::new(),
            },
            author,
        })
        .collect();
    for (i, entry) in entries.iter().enumerate() {
        for a in &entry.authors {
            terms[*a].term.entries.push(i);
        }
    }
    terms
}

/// Authors sorted by id (the order of `Site::authors`, which entries index); one id, one file.
fn sorted_unique_authors(
    mut authors: Vec<Arc<Author>>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Arc<Author>> {
    authors.sort_by(|a, b| a.id.cmp(&b.id).then_with(|| a.source.cmp(&b.source)));
    for pair in authors.windows(2) {
        if pair[0].id == pair[1].id {
            errors.push(
                Diagnostic::new(
                    &pair[1].source,
                    format!(
                        "author id `{}` is already used by {}",
                        pair[1].id,
                        pair[0].source.display()
                    ),
                )
                .help("author ids come from file names; rename one of the files"),
            );
        }
    }
    authors
}

#[cfg(test)]
pub(crate) mod tests;
