//! Search in the build: each published article becomes a [`SearchDoc`] (its URL under the
//! base path, the date as the site shows it, its category's and authors' names and pages,
//! and the plain text its Markdown parse kept), analysed in parallel, and the engine's index
//! files are published with the pages.
//!
//! A preview session keeps every article's analysis in a [`SearchCache`], keyed by what the
//! document is made of (the article's version, URL, category and authors, through its card
//! fingerprint) and the build's generation (configuration, theme, word lists): saving one
//! article analyses that one article again, and the index is rebuilt from the rest as kept.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use super::publish::{Extra, generated};
use crate::config::Config;
use crate::hash::stable_hash;
use crate::render::{Plan, Renderer, SEARCH_TEMPLATE};
use crate::search::{Analyzed, SearchDoc, SiteLexicon, analyze_doc, index_files};
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

/// Adds search's files to the build's extras: the index, and the theme's page script only
/// with the page (without it, the script would be search JavaScript with nothing to run).
pub fn add_files<'a>(
    extras: &mut Vec<Extra<'a>>,
    search_page: bool,
    index: &'a [(String, Vec<u8>)],
) {
    extras.retain(|e| search_page || e.file != SEARCH_PAGE_SCRIPT);
    extras.extend(generated(index));
}

/// Every file of the search index for `site` (none when search is off), analysing only the
/// articles `cache` does not hold yet, and forgetting the ones no longer published.
pub fn index(
    renderer: &Renderer,
    generation: u64,
    cache: &mut SearchCache,
) -> Vec<(String, Vec<u8>)> {
    let Some(lexicon) = &renderer.config.search else {
        cache.analyzed.clear();
        return Vec::new();
    };
    let keys = doc_keys(renderer, generation);
    analyze_missing(renderer, lexicon, &keys, cache);
    let docs: Vec<&Analyzed> = keys.iter().map(|k| &*cache.analyzed[k]).collect();
    let files = index_files(&docs, lexicon);
    let live: HashSet<u64> = keys.into_iter().collect();
    cache.analyzed.retain(|key, _| live.contains(key));
    files
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

/// Analyses, in parallel, the articles whose key `cache` lacks.
fn analyze_missing(
    renderer: &Renderer,
    lexicon: &SiteLexicon,
    keys: &[u64],
    cache: &mut SearchCache,
) {
    let missing: Vec<usize> = (0..keys.len())
        .filter(|i| !cache.analyzed.contains_key(&keys[*i]))
        .collect();
    let fresh: Vec<(u64, Arc<Analyzed>)> = missing
        .par_iter()
        .map(|i| {
            let doc = search_doc(renderer, *i);
            (keys[*i], Arc::new(analyze_doc(doc, lexicon)))
        })
        .collect();
    cache.analyzed.extend(fresh);
}

/// Article `i` as search sees it.
fn search_doc(renderer: &Renderer, i: usize) -> SearchDoc {
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
        body: article.body.text.clone(),
    }
}
