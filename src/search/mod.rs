//! Site search, built in the same pass as the pages: each article is analysed once into the
//! terms a reader may type ([`analyze_doc`]), and the analysed articles become a sharded,
//! compressed index under `search/` with the browser module that queries it
//! ([`index_files`]). The same Arabic analysis runs in Rust (indexing) and in JavaScript
//! (querying); shared vectors keep the two in step.
//!
//! This stage depends only on [`crate::hash`] and [`crate::arabic`]: the builder turns site
//! entries into [`SearchDoc`]s and publishes the files.
//!
//! INTERFACE IN PROGRESS (issue 13): the types and signatures below are the contract between
//! the analysis/index work and the build/theme work; the bodies are filled in by the former.

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
    pub doc: SearchDoc,
}

/// Analyses one article (every field, weighted: headline, tags and summary above the body).
pub fn analyze_doc(doc: SearchDoc, _lexicon: &SiteLexicon) -> Analyzed {
    Analyzed { doc }
}

/// Every file of the search index and its browser modules, as (path under the output folder,
/// bytes): `search/qissa-search.js` and what it loads. Deterministic: the same articles give
/// the same bytes. `docs` are in the site's order (newest first). The search page itself
/// (`search/index.html`) is the theme's, not one of these.
pub fn index_files(_docs: &[&Analyzed], _lexicon: &SiteLexicon) -> Vec<(String, Vec<u8>)> {
    Vec::new()
}
