//! Site search, built in the same pass as the pages: each article is analysed once into the
//! terms a reader may type ([`analyze_doc`]), and the analysed articles become a sharded,
//! compressed index under `search/` with the browser module that queries it
//! ([`index_files`]). The same Arabic analysis runs in Rust (indexing) and in JavaScript
//! (querying); shared vectors keep the two in step.
//!
//! This stage depends only on [`crate::hash`] and [`crate::arabic`]: the builder turns site
//! entries into [`SearchDoc`]s and publishes the files.
//!
//! The analysis rules are described in [`analyze`], the files and their format in [`index`].

pub mod analyze;
pub mod index;

use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

use analyze::Lexicon;

/// One article as search sees it: what it is matched on, and what a result shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchDoc {
    /// The article's URL path from the site root, as published (e.g. `/security/خبر/`,
    /// base path included, not percent-encoded).
    pub url: String,
    pub title: String,
    /// Publication time, RFC 3339 (sorts newest first on ties).
    pub date: String,
    /// The date as the site shows it (Arabic month names, the site's digits).
    pub date_label: String,
    /// Category display name and URL path.
    pub category: String,
    pub category_url: String,
    /// Author display names and URL paths, in order.
    pub authors: Vec<(String, String)>,
    pub tags: Vec<String>,
    /// The bullet summary.
    pub summary: Vec<String>,
    /// The body as plain text (lead included), paragraphs separated by newlines.
    pub body: String,
}

/// Words a site adds to the built-in lists (`search:` in `site.yaml`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteLexicon {
    /// Proper names and places the stemmer leaves alone.
    pub names: Vec<String>,
    /// Groups of spellings of one name; each group is searched as one.
    pub variants: Vec<Vec<String>>,
    /// Loanwords written split or joined: each entry is the joined form and its split form
    /// (`["فيسبوك", "فيس بوك"]`).
    pub joined: Vec<(String, String)>,
}

/// An article analysed for the index: cheap to keep between builds of a preview session and
/// reused while the article is unchanged.
#[derive(Debug, Clone, Default)]
pub struct Analyzed {
    /// The document, its body cut down to the lead (the excerpt's source).
    pub doc: SearchDoc,
    /// Every distinct word of the article, the forms of one stem next to each other.
    pub terms: Vec<Term>,
}

/// One distinct word of an article and how much it counts there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The whole-word key (the word without article and particles).
    pub key: Arc<str>,
    /// The stem key.
    pub stem: Arc<str>,
    /// The sum of the field weights of its occurrences ([`FIELD_WEIGHTS`]).
    pub weight: u32,
    /// Whether it occurs in the headline (ranked first).
    pub in_headline: bool,
}

/// How much one occurrence counts in each field: headline, tags, summary, category, author,
/// body.
pub const FIELD_WEIGHTS: FieldWeights = FieldWeights {
    headline: 10,
    tag: 6,
    summary: 4,
    category: 3,
    author: 3,
    body: 1,
};

/// See [`FIELD_WEIGHTS`].
#[derive(Debug, Clone, Copy)]
pub struct FieldWeights {
    pub headline: u32,
    pub tag: u32,
    pub summary: u32,
    pub category: u32,
    pub author: u32,
    pub body: u32,
}

/// Analyses one article (every field, weighted: headline, tags and summary above the body).
pub fn analyze_doc(mut doc: SearchDoc, lexicon: &SiteLexicon) -> Analyzed {
    let body = std::mem::take(&mut doc.body);
    analyze_doc_with_body(doc, &body, lexicon)
}

/// [`analyze_doc`] with the body given apart (`doc.body` is ignored): a build analyses the
/// text its parse holds instead of copying it into every document.
pub fn analyze_doc_with_body(mut doc: SearchDoc, body: &str, lexicon: &SiteLexicon) -> Analyzed {
    let lexicon = analyze::lexicon::compiled(lexicon);
    let weights = FIELD_WEIGHTS;
    analyze::start_article();
    let mut counter = TermCounter::default();
    counter.add(&doc.title, weights.headline, true, &lexicon);
    for tag in &doc.tags {
        counter.add(tag, weights.tag, false, &lexicon);
    }
    for line in &doc.summary {
        counter.add(line, weights.summary, false, &lexicon);
    }
    counter.add(&doc.category, weights.category, false, &lexicon);
    for (name, _) in &doc.authors {
        counter.add(name, weights.author, false, &lexicon);
    }
    counter.add(body, weights.body, false, &lexicon);
    doc.body = lead_of(body).to_string();
    Analyzed {
        terms: counter.finish(),
        doc,
    }
}

/// The lead (first non-empty line) of a body: all a result's excerpt is made of, and all an
/// analysed document keeps of its body (a preview keeps every analysed article for the whole
/// session; a body is ten times its lead).
fn lead_of(body: &str) -> &str {
    body.lines()
        .map(str::trim)
        .find(|line| !line.is_empty())
        .unwrap_or_default()
}

/// Adds up the occurrences of each word of one article. Keys are interned per thread, so
/// one word is one pointer: counting needs no string hashing.
#[derive(Default)]
struct TermCounter {
    slots: HashMap<(usize, usize), usize>,
    terms: Vec<Term>,
}

impl TermCounter {
    fn add(&mut self, text: &str, weight: u32, in_headline: bool, lexicon: &Lexicon) {
        analyze::analyze(text, lexicon, |readings| {
            readings
                .iter()
                .for_each(|token| self.count(token, weight, in_headline));
        });
    }

    fn count(&mut self, token: &analyze::Token, weight: u32, in_headline: bool) {
        let id = (
            Arc::as_ptr(&token.key) as *const u8 as usize,
            Arc::as_ptr(&token.stem) as *const u8 as usize,
        );
        let slot = *self.slots.entry(id).or_insert_with(|| {
            self.terms.push(Term {
                key: Arc::clone(&token.key),
                stem: Arc::clone(&token.stem),
                weight: 0,
                in_headline: false,
            });
            self.terms.len() - 1
        });
        let term = &mut self.terms[slot];
        term.weight = term.weight.saturating_add(weight);
        term.in_headline |= in_headline;
    }

    /// The terms grouped by stem (the index groups the forms of a stem). Grouped by the
    /// interned pointers, not sorted as text: that costs a string comparison per step, and
    /// the index sorts what it writes anyway.
    fn finish(mut self) -> Vec<Term> {
        self.terms
            .sort_unstable_by_key(|t| (Arc::as_ptr(&t.stem) as *const u8 as usize, t.weight));
        self.terms
    }
}

/// Every file of the search index and its browser modules, as (path under the output folder,
/// bytes): `search/qissa-search.js` and what it loads. Deterministic: the same articles give
/// the same bytes. `docs` are in the site's order (newest first). The search page itself
/// (`search/index.html`) is the theme's, not one of these.
pub fn index_files(docs: &[&Analyzed], lexicon: &SiteLexicon) -> Vec<(String, Vec<u8>)> {
    let lexicon = analyze::lexicon::compiled(lexicon);
    index::files(docs, &lexicon)
}

#[cfg(test)]
mod tests;
