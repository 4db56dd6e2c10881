//! What a result shows, in chunks a query fetches only when one of its results is inside,
//! and the meta file every query reads first.
//!
//! Categories and authors repeat on every article, so the chunks carry indexes into two
//! tables kept in meta. A URL that is its category's URL and the first words of the
//! headline (what qissa's slugs usually are) is written as that count of words
//! ([`title_slug`], done the same way by the module): Arabic slugs are a fifth of a chunk. The text behind the excerpt is the lead, short: a query that
//! matches most of the site reads every chunk, and the first query's whole transfer is
//! meant to stay under 240 KB on 2,000 articles.

use std::collections::BTreeSet;

use serde_json::json;

use crate::search::analyze::Lexicon;
use crate::search::{Analyzed, ResultDoc};

/// Documents per small docs chunk: a query with a few results scattered over the site reads
/// only the few small chunks that hold them.
pub const SMALL_CHUNK: usize = 8;

/// Documents per large docs chunk (a multiple of [`SMALL_CHUNK`]): a query with many results
/// reads these, which compress far better. The module picks, per large chunk, whichever
/// costs fewer bytes.
pub const LARGE_CHUNK: usize = 256;

/// Longest excerpt text kept per document, in characters.
pub const EXCERPT_CHARS: usize = 100;

/// The version of the layout described in [`super`]; the module refuses others.
pub const FORMAT: u32 = 3;

/// One document's entry in the docs chunks (JSON, uncompressed).
pub fn entry(doc: &ResultDoc, tables: &Tables) -> Vec<u8> {
    let category = tables
        .category(&doc.category, &doc.category_url)
        .map_or(-1, |i| i as i64);
    let authors: Vec<usize> = doc
        .authors
        .iter()
        .filter_map(|(name, url)| tables.author(name, url))
        .collect();
    let url = match url_words(&doc.url, &doc.title, &doc.category_url) {
        Some(words) if category >= 0 => UrlField::Words(words),
        _ => UrlField::Whole(&doc.url),
    };
    // A tuple is written as a JSON array, without copying the strings into a `Value`.
    let value = (
        url,
        &doc.title,
        &doc.date,
        &doc.date_label,
        category,
        authors,
        &doc.excerpt,
    );
    serde_json::to_vec(&value).unwrap_or_default()
}

/// A docs entry's URL: whole, or the number of headline words its slug is made of.
#[derive(serde::Serialize)]
#[serde(untagged)]
enum UrlField<'a> {
    Whole(&'a str),
    Words(usize),
}

/// Whether a letter belongs in a slug made from a headline (the module's class is the same).
fn slug_letter(c: char) -> bool {
    matches!(c, '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' | '\u{0660}'..='\u{0669}'
        | '\u{0671}'..='\u{06D3}')
        || c.is_ascii_alphanumeric()
}

/// Tashkeel and tatweel, which a slug leaves out.
fn slug_mark(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{0652}' | '\u{0670}' | '\u{0640}')
}

/// The first `words` words of a headline joined by hyphens: runs of [`slug_letter`]s once
/// tashkeel and tatweel are gone, Latin in lower case. Never a second definition of qissa's
/// slugs: an entry uses it only where it gives the article's real URL back.
pub fn title_slug(title: &str, words: usize) -> String {
    let plain: String = title.chars().filter(|c| !slug_mark(*c)).collect();
    let runs = plain
        .split(|c: char| !slug_letter(c))
        .filter(|run| !run.is_empty());
    let mut slug = String::new();
    for run in runs.take(words) {
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&run.to_ascii_lowercase());
    }
    slug
}

/// How many headline words make the URL after its category's URL, when that is all it is.
fn url_words(url: &str, title: &str, category_url: &str) -> Option<usize> {
    if category_url.is_empty() {
        return None;
    }
    let slug = url.strip_prefix(category_url)?.strip_suffix('/')?;
    let words = slug.split('-').count();
    (!slug.is_empty() && title_slug(title, words) == slug).then_some(words)
}

/// `[a,b,…]` of JSON values already written: what `serde_json` writes for the array.
pub fn json_array(items: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(items.iter().map(|i| i.len() + 1).sum::<usize>() + 2);
    out.push(b'[');
    for (n, item) in items.iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        out.extend_from_slice(item);
    }
    out.push(b']');
    out
}

/// How the docs chunks are cut, and their sizes as served (the module weighs them).
pub struct ChunkSizes {
    pub small: Vec<usize>,
    pub large: Vec<usize>,
}

/// The meta file (uncompressed JSON).
pub fn meta(
    docs: usize,
    tables: &Tables,
    lexicon: &Lexicon,
    shards: usize,
    chunks: &ChunkSizes,
    version: &str,
) -> Vec<u8> {
    let meta = json!({
        "format": FORMAT,
        "version": version,
        "docs": docs,
        "shards": shards,
        "chunks": {
            "small": SMALL_CHUNK,
            "large": LARGE_CHUNK,
            "small_bytes": chunks.small,
            "large_bytes": chunks.large,
        },
        "categories": tables.categories,
        "authors": tables.authors,
        "lexicon": lexicon.to_json(),
    });
    serde_json::to_vec(&meta).unwrap_or_default()
}

/// The categories and the authors of the site's articles as (name, url), sorted: a docs
/// entry names them by their place here.
#[derive(Debug, Default)]
pub struct Tables {
    categories: Vec<(String, String)>,
    authors: Vec<(String, String)>,
}

impl Tables {
    /// The tables of articles with these categories and these authors (repeats are fine;
    /// a category without a name is left out).
    pub fn new(
        categories: impl Iterator<Item = (String, String)>,
        authors: impl Iterator<Item = (String, String)>,
    ) -> Tables {
        Tables {
            categories: sorted(categories.filter(|(name, _)| !name.is_empty())),
            authors: sorted(authors),
        }
    }

    /// The tables of these analysed documents.
    pub fn of(docs: &[&Analyzed]) -> Tables {
        let categories = docs
            .iter()
            .map(|d| (d.doc.category.clone(), d.doc.category_url.clone()));
        let authors = docs.iter().flat_map(|d| d.doc.authors.iter().cloned());
        Tables::new(categories, authors)
    }

    fn category(&self, name: &str, url: &str) -> Option<usize> {
        find(&self.categories, name, url)
    }

    fn author(&self, name: &str, url: &str) -> Option<usize> {
        find(&self.authors, name, url)
    }
}

fn sorted(items: impl Iterator<Item = (String, String)>) -> Vec<(String, String)> {
    let set: BTreeSet<(String, String)> = items.collect();
    set.into_iter().collect()
}

fn find(table: &[(String, String)], name: &str, url: &str) -> Option<usize> {
    table
        .binary_search_by(|(n, u)| (n.as_str(), u.as_str()).cmp(&(name, url)))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_headline_slug_drops_tashkeel_and_punctuation_and_lowers_latin() {
        let title = "أميركا تحاكم أردنيًا - أميركيًا بتهمة دعم «داعش» عبر Twitter 1.5";
        assert_eq!(title_slug(title, 3), "أميركا-تحاكم-أردنيا");
        assert_eq!(
            title_slug(title, 20),
            "أميركا-تحاكم-أردنيا-أميركيا-بتهمة-دعم-داعش-عبر-twitter-1-5"
        );
        assert_eq!(title_slug("ـــ", 2), "");
    }

    #[test]
    fn a_url_becomes_a_word_count_only_when_the_headline_gives_it_back() {
        let title = "الجبير: الأسد فقد شرعيته بعدما قتل";
        let url = |slug: &str| format!("/politics/{slug}/");
        assert_eq!(
            url_words(&url("الجبير-الأسد-فقد"), title, "/politics/"),
            Some(3)
        );
        // A slug of its own, another category, a URL without the trailing slash, a
        // category without a URL: written whole.
        assert_eq!(url_words(&url("jubeir"), title, "/politics/"), None);
        assert_eq!(url_words(&url("الجبير-الأسد"), title, "/sports/"), None);
        assert_eq!(url_words("/politics/الجبير", title, "/politics/"), None);
        assert_eq!(url_words(&url("الجبير"), title, ""), None);
        assert_eq!(url_words("/politics//", title, "/politics/"), None);
    }
}
