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
//! An analysed article is kept compact ([`Analyzed`]: its result entry and its words packed
//! as numbers of the process's [`vocab`], see [`terms`]); [`store`] keeps analyses on disk
//! between builds.

pub mod analyze;
pub mod index;
pub mod store;
pub mod terms;
pub mod vocab;

pub use terms::{Form, Terms};
use vocab::Sym;

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

/// An article analysed for the index: what a result shows, and its words. Compact, as a
/// preview keeps one for every article for the whole session and reuses it while the
/// article is unchanged; a full build folds each into the index and lets it go.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Analyzed {
    pub doc: ResultDoc,
    /// Every distinct word of the article, the forms of one stem together.
    pub terms: Terms,
}

/// What a search result shows of an article ([`SearchDoc`] without what it is only
/// matched on), its excerpt already cut.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ResultDoc {
    pub url: String,
    pub title: String,
    pub date: String,
    pub date_label: String,
    pub category: String,
    pub category_url: String,
    pub authors: Vec<(String, String)>,
    /// The lead (or, without a body, the summary) cut to [`index::results::EXCERPT_CHARS`].
    pub excerpt: String,
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
pub fn analyze_doc_with_body(doc: SearchDoc, body: &str, lexicon: &SiteLexicon) -> Analyzed {
    count_doc_with_body(doc, body, lexicon).packed()
}

/// An analysed article before its words are packed ([`Analyzed`]): its words as (stem,
/// form) pairs, the forms of each stem together. A full build folds it into the index and
/// the disk cache as it is, without packing and unpacking the words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counted {
    pub doc: ResultDoc,
    pub terms: Vec<(Sym, Form)>,
}

impl Counted {
    /// The compact form a preview keeps.
    pub fn packed(self) -> Analyzed {
        Analyzed {
            terms: Terms::from_grouped(&self.terms),
            doc: self.doc,
        }
    }
}

/// [`analyze_doc_with_body`], the words left unpacked.
pub fn count_doc_with_body(doc: SearchDoc, body: &str, lexicon: &SiteLexicon) -> Counted {
    let lexicon = analyze::lexicon::compiled(lexicon);
    let mut tally = analyze::Tally::new();
    count_fields(&doc, &lexicon, &mut tally);
    tally.add(body, &lexicon, FIELD_WEIGHTS.body, false);
    Counted {
        terms: tally.finish(),
        doc: result_doc(doc, lead_of(body)),
    }
}

/// The words of an article's body, counted ahead of the rest of its document (a full
/// build counts them while the content is still being parsed), and its lead. Packed: a
/// build holds one for every article until its index takes them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BodyTally {
    terms: Terms,
    lead: String,
}

/// Counts the words of `body` for [`count_doc_with_tallied_body`].
pub fn tally_body(body: &str, lexicon: &SiteLexicon) -> BodyTally {
    let lexicon = analyze::lexicon::compiled(lexicon);
    let mut tally = analyze::Tally::new();
    tally.add(body, &lexicon, FIELD_WEIGHTS.body, false);
    BodyTally {
        terms: Terms::from_grouped(&tally.finish()),
        lead: lead_of(body).to_string(),
    }
}

/// [`count_doc_with_body`] of a body counted already: the same words with the same weights.
pub fn count_doc_with_tallied_body(
    doc: SearchDoc,
    body: &BodyTally,
    lexicon: &SiteLexicon,
) -> Counted {
    let lexicon = analyze::lexicon::compiled(lexicon);
    let mut tally = analyze::Tally::new();
    count_fields(&doc, &lexicon, &mut tally);
    tally.add_counted(&body.terms);
    Counted {
        terms: tally.finish(),
        doc: result_doc(doc, &body.lead),
    }
}

/// Adds every field of `doc` but the body to `tally`, each with its weight.
fn count_fields(doc: &SearchDoc, lexicon: &analyze::Lexicon, tally: &mut analyze::Tally) {
    let weights = FIELD_WEIGHTS;
    tally.add(&doc.title, lexicon, weights.headline, true);
    for tag in &doc.tags {
        tally.add(tag, lexicon, weights.tag, false);
    }
    for line in &doc.summary {
        tally.add(line, lexicon, weights.summary, false);
    }
    tally.add(&doc.category, lexicon, weights.category, false);
    for (name, _) in &doc.authors {
        tally.add(name, lexicon, weights.author, false);
    }
}

/// What a result keeps of `doc`: the excerpt is the body's `lead` (its first non-empty
/// line), or the summary when the body is empty, cut at a word.
fn result_doc(doc: SearchDoc, lead: &str) -> ResultDoc {
    let text = if lead.is_empty() {
        doc.summary.join(" · ")
    } else {
        lead.to_string()
    };
    ResultDoc {
        url: doc.url,
        title: doc.title,
        date: doc.date,
        date_label: doc.date_label,
        category: doc.category,
        category_url: doc.category_url,
        authors: doc.authors,
        excerpt: crate::arabic::text::excerpt(&text, index::results::EXCERPT_CHARS),
    }
}

fn lead_of(body: &str) -> &str {
    body.lines()
        .map(str::trim)
        .find(|line| !line.is_empty())
        .unwrap_or_default()
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
