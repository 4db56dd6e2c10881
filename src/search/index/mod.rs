//! The search index as files a static host serves as they are.
//!
//! Everything lives under `search/`:
//!
//! | file | what |
//! |---|---|
//! | `qissa-search.js`, `qissa-analyze.js` | the browser modules (ES modules, no dependencies) |
//! | `index/meta.json.gz` | counts, shard and chunk sizes, category and author tables, the lexicon |
//! | `index/terms-<n>.bin.gz` | shard *n* of the postings (hex *n*) |
//! | `index/docs-s<n>.json.gz` | what results show, for documents `n*8 ..` (decimal *n*) |
//! | `index/docs-l<n>.json.gz` | the same, for documents `n*256 ..` |
//!
//! Every data file is gzip (fixed header, deterministic); the module inflates it with
//! `DecompressionStream('gzip')`, or takes it as is when the bytes do not start with the
//! gzip magic `1f 8b` (a host that sets `Content-Encoding: gzip` for `.gz`). Data file URLs
//! carry `?v=<version>` (a digest of the index), so a browser never mixes two deploys.
//!
//! **meta** is JSON: `{"format":3,"version","docs","shards","chunks":{"small":8,"large":256,
//! "small_bytes":[…],"large_bytes":[…]},"categories":[[name,url]],"authors":[[name,url]],
//! "lexicon":{…}}` (lexicon: see [`crate::search::analyze::lexicon`]; the byte counts are
//! the compressed sizes of the docs chunks, which the module weighs to fetch the least).
//!
//! **A terms shard** holds the stems whose FNV-1a hash (of the UTF-8 bytes) modulo `shards`
//! is its number; `shards` is a power of two chosen so a shard stays near
//! [`TARGET_SHARD_BYTES`] before compression. Binary, varints LEB128:
//! `count, then per stem: stem, postings, form count, then per form: key, postings`, where a
//! string is `length, UTF-8 bytes` and postings are `count, then per document: doc-id delta
//! (from the previous id, the first from 0), weight byte`. The stem's postings list every
//! document with a word of that stem; each form (whole-word key) lists the documents with
//! exactly that word, or has count 0 when its list is the stem's (every document with the
//! stem has that word and no other form of it: most stems of a site). A weight byte is the capped sum of field weights (low 7 bits) plus
//! 128 when the word is in the headline.
//!
//! **A docs chunk** (small: 8 documents, large: 256; each query reads, per 256 documents,
//! whichever of the large chunk or the small ones holding its results is fewer bytes) is a
//! JSON array, one entry per document in site order (newest first):
//! `[url, title, date, date_label, category index or -1, [author indexes], text]`, where
//! text is the lead cut to [`results::EXCERPT_CHARS`], from which the module builds the
//! excerpt, and url is either the URL or a number *n*: the category's URL, the first *n*
//! words of the headline as [`results::title_slug`] joins them, and `/`.
//!
//! A query reads meta, one shard per distinct query stem, and the docs chunks of its results.
//!
//! [`IndexBuilder`] folds analysed articles into the index one at a time, postings kept as
//! the shards will hold them ([`postings`]), so a full build holds no article's analysis
//! longer than it takes to fold it. A caller that knows which files the output folder holds
//! already ([`Known`]) spares compressing them again.

pub mod encode;
mod postings;
pub mod results;

use rayon::prelude::*;

use super::analyze::Lexicon;
use super::vocab;
use super::vocab::Sym;
use super::{Analyzed, Form, ResultDoc};
use crate::hash::hash_bytes;
use encode::Level;
use postings::Postings;
use results::{LARGE_CHUNK, SMALL_CHUNK, Tables};

/// Roughly how many bytes of postings one shard holds before compression.
pub const TARGET_SHARD_BYTES: usize = 24 * 1024;

/// The most shards an index is cut into.
const MAX_SHARDS: usize = 4096;

/// The browser modules, published as they are.
const SEARCH_JS: &str = include_str!("../js/qissa-search.js");
const ANALYZE_JS: &str = include_str!("../js/qissa-analyze.js");

/// One file of the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexFile {
    /// Its path under the output folder.
    pub name: String,
    /// [`hash_bytes`] of its content before compression.
    pub plain: u64,
    /// [`hash_bytes`] and length of the bytes published.
    pub hash: u64,
    pub len: usize,
    /// The bytes published; `None` when the caller said the output folder holds them
    /// already ([`Known`]): they were neither compressed nor kept.
    pub bytes: Option<Vec<u8>>,
}

/// What the caller knows of a data file: given its name and the hash of its plain bytes,
/// the hash and length of the compressed file, when the output folder holds that file as it
/// is (then it is not compressed again). [`no_files_known`] for a fresh folder.
pub type Known<'a> = dyn Fn(&str, u64) -> Option<(u64, usize)> + Sync + 'a;

/// For a build into an empty folder: every file is compressed.
pub fn no_files_known(_: &str, _: u64) -> Option<(u64, usize)> {
    None
}

/// Builds an index from documents given one at a time in site order (or from runs of
/// documents built apart and joined in order, [`IndexBuilder::append`]). Each document is
/// folded into compact postings and its docs entry at once, and docs chunks are compressed
/// as soon as they are whole, so nothing of a document is kept but those bytes.
pub struct IndexBuilder<'a> {
    tables: &'a Tables,
    known: &'a Known<'a>,
    /// The id of the next document.
    next: u32,
    postings: Postings,
    /// The docs entries of the large chunk being filled.
    entries: Vec<Vec<u8>>,
    small: Vec<IndexFile>,
    large: Vec<IndexFile>,
}

impl<'a> IndexBuilder<'a> {
    /// A builder whose first document has id `first`, a multiple of [`LARGE_CHUNK`].
    pub fn new(tables: &'a Tables, known: &'a Known<'a>, first: u32) -> IndexBuilder<'a> {
        IndexBuilder {
            tables,
            known,
            next: first,
            postings: Postings::default(),
            entries: Vec::new(),
            small: Vec::new(),
            large: Vec::new(),
        }
    }

    /// Adds the next document: what its result shows, and its words, the forms of each
    /// stem together.
    pub fn add(&mut self, doc: &ResultDoc, terms: &[(Sym, Form)]) {
        self.postings.add_doc(self.next, terms);
        self.entries.push(results::entry(doc, self.tables));
        self.next += 1;
        if self.entries.len() == LARGE_CHUNK {
            self.close_chunks();
        }
    }

    /// Appends a builder of the documents that follow (made with `first` = this one's next
    /// id, which then is a multiple of [`LARGE_CHUNK`]).
    pub fn append(&mut self, later: IndexBuilder) {
        self.close_chunks();
        self.postings.append(later.postings);
        self.small.extend(later.small);
        self.large.extend(later.large);
        self.entries = later.entries;
        self.next = later.next;
    }

    /// Compresses the docs chunks of the entries held.
    fn close_chunks(&mut self) {
        if self.entries.is_empty() {
            return;
        }
        let first = self.next as usize - self.entries.len();
        for (n, entries) in self.entries.chunks(SMALL_CHUNK).enumerate() {
            let name = format!("search/index/docs-s{}.json.gz", first / SMALL_CHUNK + n);
            let file = pack(name, results::json_array(entries), self.known, Level::Quick);
            self.small.push(file);
        }
        let name = format!("search/index/docs-l{}.json.gz", first / LARGE_CHUNK);
        let file = pack(
            name,
            results::json_array(&self.entries),
            self.known,
            Level::Text,
        );
        self.large.push(file);
        self.entries.clear();
    }

    /// Every file of the index (see the module comment), in a fixed order: the modules,
    /// the shards, the small and the large docs chunks, meta.
    pub fn finish(self, lexicon: &Lexicon) -> Vec<IndexFile> {
        self.finish_unless(lexicon, &|| false).unwrap_or_default()
    }

    /// [`IndexBuilder::finish`], given up (`None`) as soon as `stop` says so.
    pub fn finish_unless(
        mut self,
        lexicon: &Lexicon,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Option<Vec<IndexFile>> {
        self.close_chunks();
        let shards = {
            let vocab = vocab::read();
            let count = self.postings.shard_count(&vocab);
            let known = self.known;
            self.postings
                .into_shards(count, &vocab)
                .into_par_iter()
                .enumerate()
                .map(|(n, shard)| {
                    let name = format!("search/index/terms-{n:x}.bin.gz");
                    (!stop()).then(|| pack(name, shard.encode(&vocab), known, Level::Quick))
                })
                .collect::<Option<Vec<IndexFile>>>()?
        };
        let mut files = vec![module(SEARCH_MODULE_FILE, SEARCH_JS)];
        files.push(module(ANALYZE_MODULE_FILE, ANALYZE_JS));
        let shard_count = shards.len();
        let chunk_sizes = results::ChunkSizes {
            small: self.small.iter().map(|f| f.len).collect(),
            large: self.large.iter().map(|f| f.len).collect(),
        };
        files.extend(shards);
        files.extend(self.small);
        files.extend(self.large);
        let version = version_of(&files[2..], lexicon);
        let docs = self.next as usize;
        let meta = results::meta(
            docs,
            self.tables,
            lexicon,
            shard_count,
            &chunk_sizes,
            &version,
        );
        files.push(pack(
            "search/index/meta.json.gz".into(),
            meta,
            &no_files_known,
            Level::Text,
        ));
        Some(files)
    }
}

const SEARCH_MODULE_FILE: &str = "search/qissa-search.js";
const ANALYZE_MODULE_FILE: &str = "search/qissa-analyze.js";

/// Every file of the index of `docs` (in site order), built in parallel runs.
pub fn build(docs: &[&Analyzed], lexicon: &Lexicon, known: &Known<'_>) -> Vec<IndexFile> {
    build_unless(docs, lexicon, known, &|| false).unwrap_or_default()
}

/// [`build`], given up (`None`) as soon as `stop` says so: the preview makes its index
/// while nothing else is asked of it, and a new save comes first.
pub fn build_unless(
    docs: &[&Analyzed],
    lexicon: &Lexicon,
    known: &Known<'_>,
    stop: &(dyn Fn() -> bool + Sync),
) -> Option<Vec<IndexFile>> {
    let tables = Tables::of(docs);
    let run = docs
        .len()
        .div_ceil(4 * rayon::current_num_threads())
        .max(1)
        .next_multiple_of(LARGE_CHUNK);
    let builder = docs
        .par_chunks(run)
        .enumerate()
        .map(|(n, chunk)| {
            let mut builder = IndexBuilder::new(&tables, known, (n * run) as u32);
            let mut terms = Vec::new();
            for group in chunk.chunks(LARGE_CHUNK) {
                if stop() {
                    return None;
                }
                for doc in group {
                    doc.terms.grouped_into(&mut terms);
                    builder.add(&doc.doc, &terms);
                }
            }
            Some(builder)
        })
        .try_reduce_with(|mut earlier, later| {
            earlier.append(later);
            Some(earlier)
        });
    let builder = match builder {
        Some(built) => built?,
        None => IndexBuilder::new(&tables, known, 0),
    };
    if stop() {
        return None;
    }
    builder.finish_unless(lexicon, stop)
}

/// Every file of the index of `docs` as (path, bytes), all compressed here.
pub fn files(docs: &[&Analyzed], lexicon: &Lexicon) -> Vec<(String, Vec<u8>)> {
    build(docs, lexicon, &no_files_known)
        .into_iter()
        .map(|f| (f.name, f.bytes.unwrap_or_default()))
        .collect()
}

/// A data file from its plain bytes: compressed, unless `known` says the output holds it.
fn pack(name: String, plain: Vec<u8>, known: &Known<'_>, level: Level) -> IndexFile {
    let plain_hash = hash_bytes(&plain);
    if let Some((hash, len)) = known(&name, plain_hash) {
        return IndexFile {
            name,
            plain: plain_hash,
            hash,
            len,
            bytes: None,
        };
    }
    let gz = encode::gzip(&plain, level);
    IndexFile {
        name,
        plain: plain_hash,
        hash: hash_bytes(&gz),
        len: gz.len(),
        bytes: Some(gz),
    }
}

fn module(name: &str, text: &str) -> IndexFile {
    let hash = hash_bytes(text.as_bytes());
    IndexFile {
        name: name.to_string(),
        plain: hash,
        hash,
        len: text.len(),
        bytes: Some(text.as_bytes().to_vec()),
    }
}

/// A digest of the data files, so URLs change when the index does.
fn version_of(data: &[IndexFile], lexicon: &Lexicon) -> String {
    let digests: Vec<u64> = data.iter().map(|f| f.hash).collect();
    format!(
        "{:016x}",
        crate::hash::stable_hash((digests, lexicon.fingerprint))
    )
}
