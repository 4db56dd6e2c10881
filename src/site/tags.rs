//! Tags: the articles' tags grouped into one list page each.
//!
//! Writers spell the same tag several ways (هيئة / هيئه, with or without hamza). Spellings
//! that share a key — the slug, or with `merge_tag_variants` the slug with hamza, ta marbuta
//! and alef maqsura folded — are one tag, shown in its most used spelling. The key is a
//! function of the slug, so two tags never share a URL.

use std::collections::HashMap;
use std::sync::Arc;

use super::Term;
use super::layout::tag_path;
use crate::arabic::text::slugify;
use crate::content::Article;
use crate::error::Diagnostic;

/// The site's tags, sorted by name, and how the articles refer to them.
pub struct Tags {
    pub terms: Vec<Term>,
    /// For each article (in date order), the indices of its tags in `terms`.
    pub of_article: Vec<Vec<usize>>,
    /// Tags written in several spellings: (shown name, the other spellings), for the report.
    pub merged: Vec<(String, Vec<String>)>,
}

/// One group of tag spellings while the site is assembled.
struct TagGroup<'a> {
    /// Each spelling and how many articles used it.
    spellings: Vec<(&'a str, usize)>,
    /// Indices of the articles (in date order) that carry the tag.
    entries: Vec<usize>,
}

impl<'a> TagGroup<'a> {
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

    /// Counts one more use of `spelling` by article `entry`.
    fn add(&mut self, spelling: &'a str, entry: usize) {
        match self.spellings.iter_mut().find(|(s, _)| *s == spelling) {
            Some((_, n)) => *n += 1,
            None => self.spellings.push((spelling, 1)),
        }
        self.entries.push(entry);
    }
}

/// Groups the tags of `articles` (newest first). A tag with no letters is an error.
pub fn group_tags(
    articles: &[Arc<Article>],
    merge_variants: bool,
    errors: &mut Vec<Diagnostic>,
) -> Tags {
    let (groups, article_groups) = collect_groups(articles, merge_variants, errors);
    // Order the tags by name, then renumber the articles' references.
    let mut order: Vec<usize> = (0..groups.len()).collect();
    order.sort_by(|a, b| groups[*a].name().cmp(groups[*b].name()));
    let mut position = vec![0; groups.len()];
    for (pos, g) in order.iter().enumerate() {
        position[*g] = pos;
    }
    let mut groups: Vec<Option<TagGroup>> = groups.into_iter().map(Some).collect();
    let mut merged = Vec::new();
    let terms = order
        .iter()
        .filter_map(|g| groups[*g].take())
        .map(|group| {
            merged.extend(other_spellings(&group));
            term_of(group)
        })
        .collect();
    let of_article = article_groups
        .into_iter()
        .map(|gs| gs.into_iter().map(|g| position[g]).collect())
        .collect();
    Tags {
        terms,
        of_article,
        merged,
    }
}

/// The groups in order of first use, and each article's groups.
fn collect_groups<'a>(
    articles: &'a [Arc<Article>],
    merge_variants: bool,
    errors: &mut Vec<Diagnostic>,
) -> (Vec<TagGroup<'a>>, Vec<Vec<usize>>) {
    let mut group_of: HashMap<&str, usize> = HashMap::new();
    let mut groups: Vec<TagGroup> = Vec::new();
    let mut article_groups = Vec::with_capacity(articles.len());
    for (i, article) in articles.iter().enumerate() {
        let mut mine: Vec<usize> = Vec::with_capacity(article.tags.len());
        for tag in &article.tags {
            let key = if merge_variants {
                tag.folded.as_str()
            } else {
                tag.slug.as_str()
            };
            if key.is_empty() {
                errors.push(tag_without_letters(article, &tag.name));
                continue;
            }
            let g = *group_of.entry(key).or_insert_with(|| {
                groups.push(TagGroup {
                    spellings: Vec::new(),
                    entries: Vec::new(),
                });
                groups.len() - 1
            });
            if !mine.contains(&g) {
                // (the same tag twice in one article, spelt two ways, counts once)
                mine.push(g);
                groups[g].add(&tag.name, i);
            }
        }
        article_groups.push(mine);
    }
    (groups, article_groups)
}

fn tag_without_letters(article: &Article, name: &str) -> Diagnostic {
    Diagnostic::new(
        &article.source,
        format!("tag `{name}` has no letters or digits"),
    )
    .key("tags")
    .help("remove it or write it in words")
}

/// For a group written several ways: its shown name and the other spellings, sorted.
fn other_spellings(group: &TagGroup) -> Option<(String, Vec<String>)> {
    if group.spellings.len() < 2 {
        return None;
    }
    let name = group.name();
    let mut others: Vec<String> = group
        .spellings
        .iter()
        .filter(|(s, _)| *s != name)
        .map(|(s, _)| s.to_string())
        .collect();
    others.sort();
    Some((name.to_string(), others))
}

fn term_of(group: TagGroup) -> Term {
    let name = group.name().to_string();
    let slug = slugify(&name);
    Term {
        path: tag_path(&slug),
        name,
        slug,
        entries: group.entries,
    }
}
