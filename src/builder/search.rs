//! Search in the build: each published article becomes a [`SearchDoc`] (its URL under the
//! base path, the date as the site shows it, its category's and authors' names and pages,
//! and the plain text its Markdown parse kept), analysed in parallel, and the engine's index
//! files are published after the pages: a full build makes the index on a thread of its own
//! while the pages are written ([`index_beside_pages`]), an incremental one once they are out
//! ([`PendingIndex`]; the preview tells open tabs to reload first).
//!
//! A preview session keeps every article's analysis in a [`SearchCache`], keyed by what the
//! document is made of (the article's version, URL, category and authors, through its card
//! fingerprint) and the build's generation (configuration, theme, word lists): saving one
//! article analyses that one article again, and the index is rebuilt from the rest as kept.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use super::publish::Extra;
use crate::config::Config;
use crate::hash::stable_hash;
use crate::render::{Plan, Renderer, SEARCH_TEMPLATE};
use crate::search::{
    Analyzed, SearchDoc, SiteLexicon, analyze_doc, analyze_doc_with_body, index_files,
};
use crate::site::Site;
use crate::site::layout::SEARCH_PAGE_SCRIPT;
use crate::theme::templates::Templates;

/// Analysed articles kept between builds of a session.
#[derive(Default)]
pub struct SearchCache {
    analyzed: HashMap<u64, Arc<Analyzed>>,
}

/// Whether this build has a search page: search is on and the theme has the template.
pub fn has_search_page(config: &Config, has_template: bool) -> bool {
    config.search.is_some() && has_template
}

/// The build's plan, with the search page when the build has one (and whether it has).
pub fn plan<'a>(site: &'a Site, config: &Config, templates: &Templates) -> (Plan<'a>, bool) {
    let plan = Plan::new(site, config.per_page, config.feed_limit);
    if has_search_page(config, templates.has(SEARCH_TEMPLATE)) {
        (plan.with_search_page(), true)
    } else {
        (plan, false)
    }
}

/// Without a search page, the theme's page script is search JavaScript with nothing to run:
/// it is left out of the build's extras.
pub fn drop_page_script_without_page(extras: &mut Vec<Extra<'_>>, search_page: bool) {
    extras.retain(|e| search_page || e.file != SEARCH_PAGE_SCRIPT);
}

/// Whether `file` (relative to the output folder) is one the index makes: the modules and
/// the data files. The search page itself is a page like any other.
pub fn is_index_file(file: &str) -> bool {
    file.starts_with("search/index/") || file == SEARCH_MODULE || file == ANALYZE_MODULE
}

const SEARCH_MODULE: &str = "search/qissa-search.js";
const ANALYZE_MODULE: &str = "search/qissa-analyze.js";

/// What the index of one build needs once its pages are out, detached from the site: the
/// analysis key of every published article in site order, and the documents of the articles
/// the cache has not analysed yet. The pages never depend on the index, so a build publishes
/// them first (the preview reloads at once) and makes the index after, or beside them.
pub struct PendingIndex {
    keys: Vec<u64>,
    fresh: Vec<(u64, SearchDoc)>,
    lexicon: SiteLexicon,
}

/// The index this build needs, if search is on (when it is off, the cache is emptied).
pub fn pending(
    renderer: &Renderer,
    generation: u64,
    cache: &mut SearchCache,
) -> Option<PendingIndex> {
    let Some(lexicon) = &renderer.config.search else {
        cache.analyzed.clear();
        return None;
    };
    let keys = doc_keys(renderer, generation);
    let fresh = (0..keys.len())
        .into_par_iter()
        .filter(|i| !cache.analyzed.contains_key(&keys[*i]))
        .map(|i| (keys[i], search_doc(renderer, i, true)))
        .collect();
    Some(PendingIndex {
        keys,
        fresh,
        lexicon: lexicon.clone(),
    })
}

impl SearchCache {
    /// Every file of the index `pending` describes (none without one), analysing only the
    /// articles the cache lacks and forgetting the ones no longer published.
    pub fn index(&mut self, pending: Option<PendingIndex>) -> Vec<(String, Vec<u8>)> {
        let Some(PendingIndex {
            keys,
            fresh,
            lexicon,
        }) = pending
        else {
            return Vec::new();
        };
        let analyzed: Vec<(u64, Arc<Analyzed>)> = fresh
            .into_par_iter()
            .map(|(key, doc)| (key, Arc::new(analyze_doc(doc, &lexicon))))
            .collect();
        self.analyzed.extend(analyzed);
        self.files(keys, &lexicon)
    }

    /// The index files of the documents `keys` names (all analysed), forgetting the rest.
    fn files(&mut self, keys: Vec<u64>, lexicon: &SiteLexicon) -> Vec<(String, Vec<u8>)> {
        let docs: Vec<&Analyzed> = keys.iter().map(|k| &*self.analyzed[k]).collect();
        let files = index_files(&docs, lexicon);
        let live: HashSet<u64> = keys.into_iter().collect();
        self.analyzed.retain(|key, _| live.contains(key));
        files
    }
}

/// The index of a full build, made beside the pages while the site is at hand: as
/// [`pending`] then [`SearchCache::index`], but each article's text is analysed where its
/// parse keeps it instead of being copied into a detached document first.
pub fn index_beside_pages(
    renderer: &Renderer,
    generation: u64,
    cache: &mut SearchCache,
) -> Vec<(String, Vec<u8>)> {
    let Some(lexicon) = &renderer.config.search else {
        cache.analyzed.clear();
        return Vec::new();
    };
    let keys = doc_keys(renderer, generation);
    let fresh: Vec<(u64, Arc<Analyzed>)> = (0..keys.len())
        .into_par_iter()
        .filter(|i| !cache.analyzed.contains_key(&keys[*i]))
        .map(|i| {
            let body = body_text(&renderer.site.entries[i].article);
            let doc = search_doc(renderer, i, false);
            (
                keys[i],
                Arc::new(analyze_doc_with_body(doc, &body, lexicon)),
            )
        })
        .collect();
    cache.analyzed.extend(fresh);
    cache.files(keys, lexicon)
}

/// Runs `work` on one thread of its own, beside the build's pool rendering pages: the
/// index's serial steps then overlap the pages instead of following them. (A pool of
/// several threads would spin for work and slow the pages; on the build's pool, the
/// index's tasks would queue behind every page.)
pub fn beside_the_pages<R: Send>(work: impl FnOnce() -> R + Send) -> R {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    let pool = POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .thread_name(|_| "qissa-search".to_string())
            .build()
            .ok()
    });
    match pool {
        Some(pool) => pool.install(work),
        None => work(),
    }
}

/// The cache key of each article's analysis: its card's fingerprint (version, URL,
/// category, authors) within this generation (settings, word lists, date format).
fn doc_keys(renderer: &Renderer, generation: u64) -> Vec<u64> {
    renderer
        .card_prints
        .iter()
        .map(|card| stable_hash(("search", generation, card)))
        .collect()
}

/// Article `i` as search sees it; its body text copied only `with_body`.
fn search_doc(renderer: &Renderer, i: usize, with_body: bool) -> SearchDoc {
    let site: &Site = renderer.site;
    let entry = &site.entries[i];
    let article = &entry.article;
    let base_path = &renderer.config.base_path;
    let site_path = |path: &str| format!("{base_path}{}", path.trim_start_matches('/'));
    let category = &site.categories[entry.category];
    let date = &renderer.dates[i];
    SearchDoc {
        url: site_path(&entry.path),
        title: article.title.clone(),
        date: date.iso.clone(),
        date_label: date.short.clone(),
        category: category.name.clone(),
        category_url: site_path(&category.path),
        authors: entry
            .authors
            .iter()
            .map(|a| {
                let author = &site.authors[*a];
                (author.author.name.clone(), site_path(&author.term.path))
            })
            .collect(),
        tags: entry
            .tags
            .iter()
            .map(|t| site.tags[*t].name.clone())
            .collect(),
        summary: article.summary.clone(),
        body: if with_body {
            body_text(article)
        } else {
            String::new()
        },
    }
}

/// The article's body as plain text, read back from where the build keeps it. A text that
/// cannot be read fails the article's own page in the same build (it is rendered whenever
/// its analysis is made), so the build reports it there; here it counts as empty.
fn body_text(article: &crate::content::Article) -> String {
    article
        .body
        .text()
        .map(|t| t.text.clone())
        .unwrap_or_default()
}
