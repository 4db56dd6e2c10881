//! Search in the build: each published article becomes a [`SearchDoc`] (its URL under the
//! base path, the date as the site shows it, its category's and authors' names and pages,
//! and the plain text its Markdown parse kept), analysed in parallel, and the engine's index
//! files are published after the pages: a full build makes the index on a thread of its own
//! while the pages are written ([`index_beside_pages`]), an incremental one once they are out
//! ([`PendingIndex`]; the preview tells open tabs to reload first).
//!
//! Each article's analysis is keyed by what the document is made of (the article's version,
//! URL, category and authors, through its card fingerprint) and the build's generation
//! (configuration, theme, word lists). A preview session keeps the analyses in memory in a
//! [`SearchCache`]; `qissa build` keeps them on disk ([`super::search_disk`]), with the
//! records of the index files. Either way, saving one article analyses that one article
//! again, the index is rebuilt from the rest as kept, and only the index files whose bytes
//! change are compressed and written. A full build keeps nothing in memory but the index
//! being built, unless the session builds again.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use super::publish::{Extra, GeneratedFiles};
use super::search_disk::SearchDisk;
use crate::config::Config;
use crate::hash::stable_hash;
use crate::render::{Plan, Renderer, SEARCH_TEMPLATE};
use crate::search::analyze::lexicon::compiled;
use crate::search::index::results::Tables;
use crate::search::index::{self, IndexBuilder, IndexFile, no_files_known};
use crate::search::store::Records;
use crate::search::{
    Analyzed, BodyTally, Counted, SearchDoc, SiteLexicon, analyze_doc, count_doc_with_body,
    count_doc_with_tallied_body,
};
use crate::site::Site;
use crate::site::layout::SEARCH_PAGE_SCRIPT;
use crate::theme::templates::Templates;

/// What the index of the last build was made of: analysed articles (kept in memory by a
/// session that builds again), the records of the index files, and their copy on disk.
pub struct SearchCache {
    analyzed: HashMap<u64, Arc<Analyzed>>,
    /// Keep the analyses of a full build in memory: off for a session that builds once
    /// (an incremental build holds them anyway, as read from disk).
    remember: bool,
    /// Compressed hash and length of the last index's files, by the hash of their plain
    /// bytes: a file that comes out the same is not compressed again.
    records: Records,
    disk: Option<SearchDisk>,
}

impl Default for SearchCache {
    fn default() -> Self {
        SearchCache {
            analyzed: HashMap::default(),
            remember: true,
            records: Records::default(),
            disk: None,
        }
    }
}

impl SearchCache {
    /// A cache that also keeps its analyses and records in `cache_dir` (the site's
    /// `.qissa-cache`), when given.
    pub fn new(cache_dir: Option<&std::path::Path>) -> SearchCache {
        SearchCache {
            disk: cache_dir.map(SearchDisk::new),
            ..SearchCache::default()
        }
    }

    /// Lets the analyses go after each build (a session that builds once).
    pub fn forget_between_builds(&mut self) {
        self.remember = false;
    }

    fn clear(&mut self) {
        self.analyzed.clear();
        self.records.clear();
    }

    /// Reads the disk cache once, for the articles `keys` names.
    fn load(&mut self, keys: &[u64]) {
        let Some(disk) = &mut self.disk else {
            return;
        };
        if self.analyzed.is_empty() {
            let live: HashSet<u64> = keys.iter().copied().collect();
            self.analyzed.extend(disk.load(&live));
        }
        if self.records.is_empty() {
            self.records = disk.records();
        }
    }

    /// Remembers the records of `files`, in memory and on disk.
    fn note_files(&mut self, files: &[IndexFile]) {
        self.records = files.iter().map(|f| (f.plain, (f.hash, f.len))).collect();
        if let Some(disk) = &self.disk {
            disk.save_records(&self.records);
        }
    }
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
        cache.clear();
        return None;
    };
    let keys = doc_keys(renderer, generation);
    cache.load(&keys);
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
    /// articles the cache lacks and forgetting the ones no longer published. `written`
    /// tells whether the output folder holds a file (by name and compressed hash) as it
    /// is: those that come out the same are not compressed again and carry no bytes.
    /// `None` when `stop` said to give up (the analyses made are kept).
    pub fn index(
        &mut self,
        pending: Option<PendingIndex>,
        written: &(dyn Fn(&str, u64) -> bool + Sync),
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Option<Vec<IndexFile>> {
        let Some(PendingIndex {
            keys,
            fresh,
            lexicon,
        }) = pending
        else {
            return Some(Vec::new());
        };
        let fresh: Vec<(u64, Arc<Analyzed>)> = fresh
            .into_par_iter()
            .map(|(key, doc)| (key, Arc::new(analyze_doc(doc, &lexicon))))
            .collect();
        self.analyzed
            .extend(fresh.iter().map(|(k, a)| (*k, Arc::clone(a))));
        let docs: Vec<&Analyzed> = keys.iter().map(|k| &*self.analyzed[k]).collect();
        let records = &self.records;
        let known = |file: &str, plain: u64| {
            let &(hash, len) = records.get(&plain)?;
            written(file, hash).then_some((hash, len))
        };
        let files = index::build_unless(&docs, &compiled(&lexicon), &known, stop)?;
        if let Some(disk) = &mut self.disk {
            let fresh: Vec<(u64, &Analyzed)> = fresh.iter().map(|(k, a)| (*k, &**a)).collect();
            let live: Vec<(u64, &Analyzed)> = keys.iter().copied().zip(docs).collect();
            disk.store(&fresh, &live);
        }
        self.note_files(&files);
        self.keep_only(&keys);
        Some(files)
    }

    /// Forgets the analyses of articles not in `keys`.
    fn keep_only(&mut self, keys: &[u64]) {
        let live: HashSet<u64> = keys.iter().copied().collect();
        self.analyzed.retain(|key, _| live.contains(key));
    }
}

/// Articles analysed at a time in a full build: enough to keep threads busy, few enough
/// that what is held besides the index is small.
const FOLD_BATCH: usize = 256;

/// The index of a full build, made beside the pages while the site is at hand: articles
/// are analysed a batch at a time where their parse keeps the text, and each is folded into
/// the index (and written to the disk cache) at once: only a session that builds again
/// keeps the analyses. Every file is compressed (the folder is a fresh one).
pub fn index_beside_pages(
    renderer: &Renderer,
    generation: u64,
    cache: &mut SearchCache,
    bodies: &BodyCounts,
) -> GeneratedFiles {
    let Some(lexicon) = &renderer.config.search else {
        cache.clear();
        return Vec::new();
    };
    let keys = doc_keys(renderer, generation);
    let tables = tables(renderer);
    let mut builder = IndexBuilder::new(&tables, &no_files_known, 0);
    let mut pack = cache.disk.as_ref().and_then(|d| d.whole_pack(keys.len()));
    let mut kept = HashMap::default();
    let mut unpacked = Vec::new();
    for (n, batch) in keys.chunks(FOLD_BATCH).enumerate() {
        let first = n * FOLD_BATCH;
        for (key, analysis) in analyze_batch(renderer, lexicon, cache, bodies, batch, first) {
            let (doc, terms) = match &analysis {
                Analysis::Made(counted) => (&counted.doc, &counted.terms),
                Analysis::Kept(analyzed) => {
                    analyzed.terms.grouped_into(&mut unpacked);
                    (&analyzed.doc, &unpacked)
                }
            };
            builder.add(doc, terms);
            pack = pack.and_then(|mut p| p.add_counted(key, doc, terms).ok().map(|()| p));
            if cache.remember {
                kept.insert(key, analysis.packed());
            }
        }
    }
    if let (Some(disk), Some(pack)) = (&mut cache.disk, pack) {
        disk.replace_all(pack, keys.len());
    }
    cache.analyzed = kept;
    let files = builder.finish(&compiled(lexicon));
    cache.note_files(&files);
    files
        .into_iter()
        .map(|f| (f.name, f.bytes.unwrap_or_default()))
        .collect()
}

/// An article's analysis in a full build: made now (its words not packed yet: they go to
/// the index and the disk cache as they are), or kept by the session from before.
enum Analysis {
    Made(Box<Counted>),
    Kept(Arc<Analyzed>),
}

impl Analysis {
    fn packed(self) -> Arc<Analyzed> {
        match self {
            Analysis::Made(counted) => Arc::new(counted.packed()),
            Analysis::Kept(analyzed) => analyzed,
        }
    }
}

/// The bodies whose words were counted while the content was parsed, by article version
/// (see [`super::body_tallies`]).
pub type BodyCounts = std::collections::HashMap<u64, BodyTally>;

/// The analyses of the articles `keys` names, the first being article `first`: from the
/// cache, or analysed now in parallel (with the body's count from `bodies`, when it has
/// one).
fn analyze_batch(
    renderer: &Renderer,
    lexicon: &SiteLexicon,
    cache: &SearchCache,
    bodies: &BodyCounts,
    keys: &[u64],
    first: usize,
) -> Vec<(u64, Analysis)> {
    keys.par_iter()
        .enumerate()
        .map(|(n, key)| {
            if let Some(analyzed) = cache.analyzed.get(key) {
                return (*key, Analysis::Kept(Arc::clone(analyzed)));
            }
            let i = first + n;
            let doc = search_doc(renderer, i, false);
            let article = &renderer.site.entries[i].article;
            if let Some(body) = bodies.get(&article.version) {
                let counted = count_doc_with_tallied_body(doc, body, lexicon);
                return (*key, Analysis::Made(Box::new(counted)));
            }
            let analyze = |body: &str| count_doc_with_body(doc, body, lexicon);
            // A body that cannot be read fails its own page in this build (see body_text).
            let counted = renderer.site.entries[i]
                .article
                .body
                .with_plain_text(analyze)
                .unwrap_or_else(|_| {
                    count_doc_with_body(search_doc(renderer, i, false), "", lexicon)
                });
            (*key, Analysis::Made(Box::new(counted)))
        })
        .collect()
}

/// The category and author tables of the index, from the site.
fn tables(renderer: &Renderer) -> Tables {
    let site: &Site = renderer.site;
    let site_path = |path: &str| site_path(renderer, path);
    let categories = site.entries.iter().map(|entry| {
        let category = &site.categories[entry.category];
        (category.name.clone(), site_path(&category.path))
    });
    let authors = site.entries.iter().flat_map(|entry| {
        entry.authors.iter().map(|a| {
            let author = &site.authors[*a];
            (author.author.name.clone(), site_path(&author.term.path))
        })
    });
    Tables::new(categories, authors)
}

/// A path from the site root, under the base path, as search shows it.
fn site_path(renderer: &Renderer, path: &str) -> String {
    let base_path = &renderer.config.base_path;
    format!("{base_path}{}", path.trim_start_matches('/'))
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
    let site_path = |path: &str| site_path(renderer, path);
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
        .with_plain_text(str::to_string)
        .unwrap_or_default()
}
