//! What a result shows, in chunks a query fetches only when one of its results is inside,
//! and the meta file every query reads first.
//!
//! Categories and authors repeat on every article, so the chunks carry indexes into two
//! tables kept in meta. The text behind the excerpt is the lead, short: a query that
//! matches most of the site reads every chunk, and the first query's whole transfer is
//! meant to stay under 240 KB on 2,000 articles.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde_json::{Value, json};

use crate::search::Analyzed;
use crate::search::analyze::Lexicon;

/// Documents per small docs chunk: a query with a few results scattered over the site reads
/// only the few small chunks that hold them.
pub const SMALL_CHUNK: usize = 8;

/// Documents per large docs chunk (a multiple of [`SMALL_CHUNK`]): a query with many results
/// reads these, which compress far better. The module picks, per large chunk, whichever
/// costs fewer bytes.
pub const LARGE_CHUNK: usize = 256;

/// Longest excerpt text kept per document, in characters.
pub const EXCERPT_CHARS: usize = 120;

/// The version of the layout described in [`super`]; the module refuses others.
pub const FORMAT: u32 = 1;

/// The docs chunks (uncompressed JSON) of [`SMALL_CHUNK`] and of [`LARGE_CHUNK`] documents.
/// Each entry is written once, in parallel, and the chunks are JSON arrays of them.
pub fn chunks(docs: &[&Analyzed]) -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
    let tables = Tables::of(docs);
    let entries: Vec<Vec<u8>> = docs
        .par_iter()
        .map(|d| serde_json::to_vec(&entry(d, &tables)).unwrap_or_default())
        .collect();
    let cut = |size: usize| -> Vec<Vec<u8>> { entries.chunks(size).map(json_array).collect() };
    (cut(SMALL_CHUNK), cut(LARGE_CHUNK))
}

/// `[a,b,…]` of JSON values already written: what `serde_json` writes for the array.
fn json_array(items: &[Vec<u8>]) -> Vec<u8> {
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
    docs: &[&Analyzed],
    lexicon: &Lexicon,
    shards: usize,
    chunks: &ChunkSizes,
    version: &str,
) -> Vec<u8> {
    let tables = Tables::of(docs);
    let meta = json!({
        "format": FORMAT,
        "version": version,
        "docs": docs.len(),
        "shards": shards,
        "chunks": {
            "small": SMALL_CHUNK,
            "large": LARGE_CHUNK,
            "small_bytes": chunks.small,
            "large_bytes": chunks.large,
        },
        "categories": tables.categories.keys().collect::<Vec<_>>(),
        "authors": tables.authors.keys().collect::<Vec<_>>(),
        "lexicon": lexicon.to_json(),
    });
    serde_json::to_vec(&meta).unwrap_or_default()
}

/// Categories and authors as (name, url), sorted, each with its index.
struct Tables<'a> {
    categories: BTreeMap<(&'a str, &'a str), usize>,
    authors: BTreeMap<(&'a str, &'a str), usize>,
}

impl<'a> Tables<'a> {
    fn of(docs: &[&'a Analyzed]) -> Tables<'a> {
        let categories = docs
            .iter()
            .filter(|d| !d.doc.category.is_empty())
            .map(|d| (d.doc.category.as_str(), d.doc.category_url.as_str()));
        let authors = docs
            .iter()
            .flat_map(|d| &d.doc.authors)
            .map(|(name, url)| (name.as_str(), url.as_str()));
        Tables {
            categories: numbered(categories),
            authors: numbered(authors),
        }
    }
}

fn numbered<'a>(
    items: impl Iterator<Item = (&'a str, &'a str)>,
) -> BTreeMap<(&'a str, &'a str), usize> {
    let mut table: BTreeMap<_, usize> = items.map(|item| (item, 0)).collect();
    for (n, index) in table.values_mut().enumerate() {
        *index = n;
    }
    table
}

fn entry(analyzed: &Analyzed, tables: &Tables) -> Value {
    let doc = &analyzed.doc;
    let category = tables
        .categories
        .get(&(doc.category.as_str(), doc.category_url.as_str()))
        .map_or(-1, |&i| i as i64);
    let authors: Vec<usize> = doc
        .authors
        .iter()
        .filter_map(|(name, url)| tables.authors.get(&(name.as_str(), url.as_str())).copied())
        .collect();
    json!([
        doc.url,
        doc.title,
        doc.date,
        doc.date_label,
        category,
        authors,
        excerpt_text(analyzed),
    ])
}

/// The lead (first paragraph of the body), or the summary when the body is empty, cut at a
/// word.
fn excerpt_text(analyzed: &Analyzed) -> String {
    let doc = &analyzed.doc;
    let lead = doc
        .body
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty());
    let text = match lead {
        Some(lead) => lead.to_string(),
        None => doc.summary.join(" · "),
    };
    crate::arabic::text::excerpt(&text, EXCERPT_CHARS)
}
