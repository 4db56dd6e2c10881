//! The whole site in memory: published articles in date order, and categories, tags and
//! authors as indices into them (never copies), every URL decided and checked for collisions.
//!
//! This is where cross-file faults surface: an unknown author or category (with the valid
//! choices and the nearest match), an image that isn't in `static/`, and two sources that
//! would be written to the same URL (naming both files and how to fix it).

pub mod layout;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use jiff::Timestamp;

use crate::config::Config;
use std::sync::Arc;

use crate::arabic::text::{fold_variants, slugify};
use crate::content::{Article, Author, Content, Located, Page};
use crate::error::{Diagnostic, choices_help};
use crate::theme::statics::StaticFiles;

/// What to include.
#[derive(Debug, Clone)]
pub struct SiteOptions {
    /// Publish drafts too.
    pub drafts: bool,
    /// Articles dated after this are left out.
    pub now: Timestamp,
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
    pub image: Option<Image>,
}

/// An article image with its size, so the page doesn't shift when it loads.
#[derive(Debug, Clone)]
pub struct Image {
    /// Root-relative path (`/images/x.png`) or an absolute URL.
    pub src: String,
    pub size: Option<(usize, usize)>,
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
}

/// A plain page and its URL path.
#[derive(Debug)]
pub struct PageEntry {
    pub page: Arc<Page>,
    pub path: String,
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
    /// Drafts left out.
    pub drafts_skipped: usize,
    /// Tag spellings folded into one tag: (shown name, other spellings).
    pub merged_tags: Vec<(String, Vec<String>)>,
    /// Entries of `content/` that were not read.
    pub ignored: Vec<PathBuf>,
    /// "Now" for this build: articles after it wait; the news sitemap counts back from it.
    pub built_at: Timestamp,
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
        let (mut articles, future, drafts_skipped) = select_published(content.articles, options);
        articles.sort_by(|a, b| {
            b.date
                .timestamp()
                .cmp(&a.date.timestamp())
                .then_with(|| a.source.cmp(&b.source))
        });
        let authors = sorted_unique_authors(content.authors, &mut errors);
        if let Some(logo) = config.logo.as_ref().filter(|l| !statics.contains(l)) {
            errors.push(
                Diagnostic::new(
                    crate::config::CONFIG_FILE,
                    format!("logo `{logo}` is not in static/"),
                )
                .key("logo")
                .help(format!(
                    "put the file at static/{logo}, or remove the `logo:` line"
                )),
            );
        }
        let author_index: HashMap<&str, usize> = authors
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.as_str(), i))
            .collect();

        let (tags, entry_tags, merged_tags) =
            group_tags(&articles, config.merge_tag_variants, &mut errors);
        let mut entries = Vec::with_capacity(articles.len());
        for (article, tags) in articles.into_iter().zip(entry_tags) {
            let category = resolve_category(config, &article, &mut errors);
            let authors = resolve_authors(&article, &author_index, &authors, &mut errors);
            let image = resolve_image(
                &article.source,
                article.image.as_ref(),
                statics,
                &mut errors,
            );
            let path = category
                .map(|c| article_path(&config.permalink, &config.categories[c].slug, &article))
                .unwrap_or_default();
            entries.push(Entry {
                article,
                path,
                category: category.unwrap_or_default(),
                authors,
                tags,
                image,
            });
        }
        for author in &authors {
            if let Some(avatar) = &author.avatar {
                let avatar = Located {
                    value: avatar.clone(),
                    line: None,
                };
                resolve_image(&author.source, Some(&avatar), statics, &mut errors);
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let categories = build_categories(config, &entries);
        let authors = build_authors(authors, &entries);
        let pages = select_pages(content.pages, options);
        let site = Site {
            entries,
            categories,
            tags,
            authors,
            pages,
            future,
            drafts_skipped,
            merged_tags,
            ignored: content.ignored,
            built_at: options.now,
        };
        check_collisions(&site, config, statics)?;
        Ok(site)
    }
}

/// Splits out drafts and articles dated in the future.
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
    (published, future, drafts)
}

fn select_pages(pages: Vec<Arc<Page>>, options: &SiteOptions) -> Vec<PageEntry> {
    pages
        .into_iter()
        .filter(|p| options.drafts || !p.draft)
        .map(|page| PageEntry {
            path: format!("/{}/", page.slug.value),
            page,
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

/// Local images must exist under `static/`; their size is read so pages reserve the space.
fn resolve_image(
    source: &Path,
    image: Option<&Located<String>>,
    statics: &StaticFiles,
    errors: &mut Vec<Diagnostic>,
) -> Option<Image> {
    let image = image?;
    let value = image.value.trim();
    if value.starts_with("https://") || value.starts_with("http://") {
        return Some(Image {
            src: value.to_string(),
            size: None,
        });
    }
    let rel = value.trim_start_matches('/');
    if rel.split('/').any(|s| s == ".." || s.is_empty())
        || rel.contains(['\\', '\0'])
        || !statics.contains(rel)
    {
        errors.push(
            Diagnostic::new(source, format!("image `{value}` is not in static/"))
                .at_optional_line(image.line)
                .key("image")
                .help(format!("put the file at static/{rel} (paths are relative to static/), or use an https:// address")),
        );
        return None;
    }
    Some(Image {
        src: format!("/{rel}"),
        size: statics.dimensions(rel),
    })
}

/// One group of tag spellings while the site is assembled.
struct TagGroup<'a> {
    /// Each spelling and how many articles used it.
    spellings: Vec<(&'a str, usize)>,
    /// Indices of the articles (in date order) that carry the tag.
    entries: Vec<usize>,
}

impl TagGroup<'_> {
    /// The most used spelling; ties go to the first in sort order, for stable output.
    fn name(&self) -> &str {
        let best = self.spellings.iter().map(|(_, n)| *n).max().unwrap_or(0);
        self.spellings
            .iter()
            .filter(|(_, n)| *n == best)
            .map(|(s, _)| *s)
            .min()
            .unwrap_or("")
    }
}

/// Groups the articles' tags: spellings that share a key (the slug, or with
/// `merge_variants` the slug with hamza, ta marbuta, alef maqsura folded) are one tag, shown
/// in its most used spelling. Returns the tags sorted by name, each article's tag indices, and
/// the groups that had several spellings (for the build report). A tag with no letters is an
/// error. The key is a function of the slug, so two tags never share a URL.
#[allow(clippy::type_complexity)]
fn group_tags(
    articles: &[Arc<Article>],
    merge_variants: bool,
    errors: &mut Vec<Diagnostic>,
) -> (Vec<Term>, Vec<Vec<usize>>, Vec<(String, Vec<String>)>) {
    let mut group_of: HashMap<&str, usize> = HashMap::new();
    let mut groups: Vec<TagGroup> = Vec::new();
    let mut entry_groups = Vec::with_capacity(articles.len());
    for (i, article) in articles.iter().enumerate() {
        let mut mine: Vec<usize> = Vec::with_capacity(article.tags.len());
        for tag in &article.tags {
            let key = if merge_variants {
                tag.folded.as_str()
            } else {
                tag.slug.as_str()
            };
            if key.is_empty() {
                errors.push(
                    Diagnostic::new(
                        &article.source,
                        format!("tag `{}` has no letters or digits", tag.name),
                    )
                    .key("tags")
                    .help("remove it or write it in words"),
                );
                continue;
            }
            let g = *group_of.entry(key).or_insert_with(|| {
                groups.push(TagGroup {
                    spellings: Vec::new(),
                    entries: Vec::new(),
                });
                groups.len() - 1
            });
            if mine.contains(&g) {
                continue; // the same tag twice in one article, spelt two ways
            }
            mine.push(g);
            let group = &mut groups[g];
            match group.spellings.iter_mut().find(|(s, _)| *s == tag.name) {
                Some((_, n)) => *n += 1,
                None => group.spellings.push((&tag.name, 1)),
            }
            group.entries.push(i);
        }
        entry_groups.push(mine);
    }
    // Order the tags by name, then renumber the articles' references.
    let mut order: Vec<usize> = (0..groups.len()).collect();
    order.sort_by(|a, b| groups[*a].name().cmp(groups[*b].name()));
    let mut position = vec![0; groups.len()];
    for (pos, g) in order.iter().enumerate() {
        position[*g] = pos;
    }
    let mut merged = Vec::new();
    let mut groups: Vec<Option<TagGroup>> = groups.into_iter().map(Some).collect();
    let tags: Vec<Term> = order
        .iter()
        .filter_map(|g| groups[*g].take())
        .map(|group| {
            let name = group.name().to_string();
            if group.spellings.len() > 1 {
                let mut others: Vec<String> = group
                    .spellings
                    .iter()
                    .filter(|(s, _)| *s != name)
                    .map(|(s, _)| s.to_string())
                    .collect();
                others.sort();
                merged.push((name.clone(), others));
            }
            let slug = slugify(&name);
            Term {
                path: format!("/tags/{slug}/"),
                name,
                slug,
                entries: group.entries,
            }
        })
        .collect();
    let entry_tags = entry_groups
        .into_iter()
        .map(|gs| gs.into_iter().map(|g| position[g]).collect())
        .collect();
    (tags, entry_tags, merged)
}

fn build_categories(config: &Config, entries: &[Entry]) -> Vec<Term> {
    let mut categories: Vec<Term> = config
        .categories
        .iter()
        .map(|c| Term {
            name: c.name.clone(),
            slug: c.slug.clone(),
            path: format!("/{}/", c.slug),
            entries: Vec::new(),
        })
        .collect();
    for (i, entry) in entries.iter().enumerate() {
        categories[entry.category].entries.push(i);
    }
    categories
}

fn build_authors(authors: Vec<Arc<Author>>, entries: &[Entry]) -> Vec<AuthorTerm> {
    let mut terms: Vec<AuthorTerm> = authors
        .into_iter()
        .map(|author| AuthorTerm {
            term: Term {
                name: author.name.clone(),
                slug: author.id.clone(),
                path: format!("/authors/{}/", author.id),
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

/// Fills in an article's permalink pattern.
fn article_path(pattern: &str, category: &str, article: &Article) -> String {
    use std::fmt::Write as _;
    let date = article.date.date();
    let mut path = String::with_capacity(article.slug.value.len() + category.len() + 16);
    path.push('/');
    for part in pattern.split('/').filter(|p| !p.is_empty()) {
        let _ = match part {
            ":slug" => write!(path, "{}", article.slug.value),
            ":category" => write!(path, "{category}"),
            ":year" => write!(path, "{:04}", date.year()),
            ":month" => write!(path, "{:02}", date.month()),
            ":day" => write!(path, "{:02}", date.day()),
            literal => write!(path, "{literal}"),
        };
        path.push('/');
    }
    path
}

/// How many pages a list of `n` items takes.
pub fn page_count(n: usize, per_page: usize) -> usize {
    n.div_ceil(per_page).max(1)
}

/// The path of page `number` (1-based) of a list at `base`.
pub fn paginated_path(base: &str, number: usize) -> String {
    if number <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{number}/")
    }
}

/// Every output path may be claimed once; a second claim names both sources. Generated lists
/// are checked by shape (a list's base path, or its `page/N/`) rather than by writing out
/// every paginated path, which keeps this cheap on large sites.
fn check_collisions<'a>(
    site: &'a Site,
    config: &Config,
    statics: &StaticFiles,
) -> Result<(), Vec<Diagnostic>> {
    let lists: HashMap<String, usize> = generated_lists(site, config).into_iter().collect();
    let mut taken: HashMap<&str, std::borrow::Cow<Path>> =
        HashMap::with_capacity(site.entries.len() + site.pages.len());
    let mut errors = Vec::new();
    let sources = site
        .entries
        .iter()
        .map(|e| {
            (
                e.path.as_str(),
                Some((
                    e.article.source.as_path(),
                    e.article.slug.line,
                    e.article.slug_key,
                )),
            )
        })
        .chain(site.pages.iter().map(|p| {
            (
                p.path.as_str(),
                Some((p.page.source.as_path(), p.page.slug.line, "slug")),
            )
        }));
    let static_dirs: Vec<(String, String)> = statics
        .paths()
        .filter_map(|f| {
            f.strip_suffix("index.html")
                .map(|dir| (format!("/{dir}"), format!("static/{f}")))
        })
        .collect();
    for (path, source) in sources.chain(static_dirs.iter().map(|(dir, _)| (dir.as_str(), None))) {
        let owner =
            |source: Option<(&'a Path, Option<usize>, &str)>| -> std::borrow::Cow<'a, Path> {
                match source {
                    Some((file, _, _)) => file.into(),
                    None => static_dirs
                        .iter()
                        .find(|(d, _)| d == path)
                        .map(|(_, f)| PathBuf::from(f).into())
                        .unwrap_or_default(),
                }
            };
        let previous = match list_claiming(path, &lists) {
            Some(list) => Some(format!("the generated list page {list}")),
            None => taken.get(path).map(|p| p.display().to_string()),
        };
        match previous {
            Some(previous) => errors.push(collision(path, &previous, source)),
            None => {
                taken.insert(path, owner(source));
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// The generated list whose page is `path` (`/tags/x/` or `/tags/x/page/3/`), if any.
fn list_claiming(path: &str, lists: &HashMap<String, usize>) -> Option<String> {
    if lists.contains_key(path) {
        return Some(path.to_string());
    }
    let trimmed = path.strip_suffix('/')?;
    let (rest, number) = trimmed.rsplit_once('/')?;
    let base = rest.strip_suffix("page")?;
    let number: usize = number.parse().ok()?;
    let pages = *lists.get(base)?;
    (2..=pages).contains(&number).then(|| base.to_string())
}

fn collision(
    path: &str,
    previous: &str,
    source: Option<(&Path, Option<usize>, &str)>,
) -> Diagnostic {
    let (file, line, key) = source.unwrap_or((Path::new(crate::config::CONFIG_FILE), None, ""));
    let mut d = Diagnostic::new(
        file,
        format!("the URL {path} is already taken by {previous}"),
    )
    .at_optional_line(line)
    .help(
        "give one of them its own `slug:` in the front matter, or make URLs unique with \
             a permalink such as /:year/:slug/ in site.yaml",
    );
    if !key.is_empty() {
        d = d.key(key);
    }
    d
}

/// Every generated list and how many pages it has.
fn generated_lists(site: &Site, config: &Config) -> Vec<(String, usize)> {
    let per = config.per_page;
    let mut lists = vec![
        ("/".to_string(), page_count(site.entries.len(), per)),
        ("/tags/".to_string(), 1),
        ("/authors/".to_string(), 1),
        ("/categories/".to_string(), 1),
    ];
    let terms = site
        .categories
        .iter()
        .chain(&site.tags)
        .chain(site.authors.iter().map(|a| &a.term));
    lists.extend(terms.map(|t| (t.path.clone(), page_count(t.entries.len(), per))));
    lists
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_pages_are_recognised_by_shape() {
        let lists: HashMap<String, usize> = [("/".to_string(), 3), ("/tags/مصر/".to_string(), 2)]
            .into_iter()
            .collect();
        assert_eq!(list_claiming("/", &lists).as_deref(), Some("/"));
        assert_eq!(list_claiming("/page/3/", &lists).as_deref(), Some("/"));
        assert_eq!(list_claiming("/page/4/", &lists), None);
        assert_eq!(list_claiming("/page/1/", &lists), None);
        assert_eq!(
            list_claiming("/tags/مصر/page/2/", &lists).as_deref(),
            Some("/tags/مصر/")
        );
        assert_eq!(list_claiming("/security/page/", &lists), None);
        assert_eq!(list_claiming("/security/x/", &lists), None);
    }
}
