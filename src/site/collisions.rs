//! One URL, one owner. Every site path may be claimed once: by an article, a plain page, a
//! generated list (the home page, a category, tag or author list and its `page/N/`), an index,
//! a static `index.html` or an article's alias. A second claim is an error naming both sources.
//!
//! Generated lists are checked by shape (a list's base path, or its `page/N/`) rather than by
//! writing out every paginated path, which keeps this cheap on large sites.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::Site;
use super::layout::{
    AUTHORS_INDEX, CATEGORIES_INDEX, HOME, NOT_FOUND_FILE, TAGS_INDEX, page_count,
};
use crate::config::Config;
use crate::error::Diagnostic;
use crate::theme::statics::StaticFiles;

/// Who claims a path: a source file with the line and key of its slug, or a static file.
#[derive(Clone, Copy)]
enum Claimant<'a> {
    Source {
        file: &'a Path,
        line: Option<usize>,
        key: &'a str,
    },
    Static(&'a str),
    /// An old path kept alive by an article's `aliases:`.
    Alias {
        file: &'a Path,
        line: Option<usize>,
    },
}

impl Claimant<'_> {
    fn shown(&self) -> String {
        match self {
            Claimant::Source { file, .. } => file.display().to_string(),
            Claimant::Static(file) => (*file).to_string(),
            Claimant::Alias { file, .. } => format!("an alias in {}", file.display()),
        }
    }
}

/// Refuses two claims on one path.
pub fn check_collisions(
    site: &Site,
    config: &Config,
    statics: &StaticFiles,
) -> Result<(), Vec<Diagnostic>> {
    let lists: HashMap<String, usize> = generated_lists(site, config).into_iter().collect();
    let static_dirs = static_index_pages(statics);
    let mut taken: HashMap<&str, Claimant> =
        HashMap::with_capacity(site.entries.len() + site.pages.len());
    let mut errors = Vec::new();
    for (path, claimant) in claims(site, &static_dirs) {
        let previous = match list_claiming(path, &lists) {
            Some(list) => Some(format!("the generated list page {list}")),
            None => taken.get(path).map(Claimant::shown),
        };
        match previous {
            Some(previous) => errors.push(collision(path, &previous, claimant)),
            None => {
                taken.insert(path, claimant);
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Whether `path` would be claimed twice if entry `entry` moved there: by a generated list
/// or by any other claim. (A full check names both claimants; this one only answers, for a
/// save that moves one article.)
pub fn claimed_by_another(
    site: &Site,
    config: &Config,
    statics: &StaticFiles,
    entry: usize,
    path: &str,
) -> bool {
    let lists: HashMap<String, usize> = generated_lists(site, config).into_iter().collect();
    if list_claiming(path, &lists).is_some() {
        return true;
    }
    let static_dirs = static_index_pages(statics);
    let own = site.entries[entry].article.source.as_path();
    claims(site, &static_dirs).any(|(claimed, claimant)| {
        claimed == path && !matches!(claimant, Claimant::Source { file, .. } if file == own)
    })
}

/// Every path claimed by a source or a static page, in a stable order.
fn claims<'a>(
    site: &'a Site,
    static_dirs: &'a [(String, String)],
) -> impl Iterator<Item = (&'a str, Claimant<'a>)> {
    let articles = site.entries.iter().map(|e| {
        let a = &e.article;
        let (file, line, key) = (a.source.as_path(), a.slug.line, a.slug_key.as_str());
        (e.path.as_str(), Claimant::Source { file, line, key })
    });
    let pages = site.pages.iter().map(|p| {
        let (file, line) = (p.page.source.as_path(), p.page.slug.line);
        let key = "slug";
        (p.path.as_str(), Claimant::Source { file, line, key })
    });
    let statics = static_dirs
        .iter()
        .map(|(dir, file)| (dir.as_str(), Claimant::Static(file)));
    let aliases = site.entries.iter().flat_map(|e| {
        let file = e.article.source.as_path();
        e.article.aliases.iter().map(move |alias| {
            let line = alias.line;
            (alias.value.as_str(), Claimant::Alias { file, line })
        })
    });
    articles.chain(pages).chain(statics).chain(aliases)
}

/// Folders that a static `index.html` serves: (site path, shown file).
fn static_index_pages(statics: &StaticFiles) -> Vec<(String, String)> {
    statics
        .paths()
        .filter_map(|f| {
            f.strip_suffix("index.html")
                .map(|dir| (format!("/{dir}"), format!("static/{f}")))
        })
        .collect()
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

fn collision(path: &str, previous: &str, claimant: Claimant) -> Diagnostic {
    let (file, line, key) = match claimant {
        Claimant::Source { file, line, key } => (file.to_path_buf(), line, key),
        Claimant::Static(_) => (PathBuf::from(crate::config::CONFIG_FILE), None, ""),
        Claimant::Alias { file, line } => {
            return Diagnostic::new(file, format!("the alias {path} is already taken by {previous}"))
                .at_optional_line(line)
                .key("aliases")
                .help("an alias keeps an old address alive; remove it if that address is now another page's");
        }
    };
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
        (HOME.to_string(), page_count(site.entries.len(), per)),
        (TAGS_INDEX.to_string(), 1),
        (AUTHORS_INDEX.to_string(), 1),
        (CATEGORIES_INDEX.to_string(), 1),
        (format!("/{NOT_FOUND_FILE}"), 1),
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
