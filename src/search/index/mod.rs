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
//! **meta** is JSON: `{"format":1,"version","docs","shards","chunks":{"small":8,"large":256,
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
//! exactly that word. A weight byte is the capped sum of field weights (low 7 bits) plus
//! 128 when the word is in the headline.
//!
//! **A docs chunk** (small: 8 documents, large: 256; each query reads, per 256 documents,
//! whichever of the large chunk or the small ones holding its results is fewer bytes) is a
//! JSON array, one entry per document in site order (newest first):
//! `[url, title, date, date_label, category index or -1, [author indexes], text]`, where
//! text is the lead cut to [`results::EXCERPT_CHARS`], from which the module builds the
//! excerpt.
//!
//! A query reads meta, one shard per distinct query stem, and the docs chunks of its results.

pub mod encode;
pub mod results;

use rustc_hash::FxHashMap as HashMap;

use std::sync::Arc;

use rayon::prelude::*;

use super::analyze::Lexicon;
use super::{Analyzed, Term};
use encode::{push_str, push_varint, shard_hash};

/// Roughly how many bytes of postings one shard holds before compression.
pub const TARGET_SHARD_BYTES: usize = 24 * 1024;

/// The most shards an index is cut into.
const MAX_SHARDS: usize = 4096;

/// The browser modules, published as they are.
const SEARCH_JS: &str = include_str!("../js/qissa-search.js");
const ANALYZE_JS: &str = include_str!("../js/qissa-analyze.js");

/// One document's entry in a postings list: its id and weight byte.
type Posting = (u32, u8);

/// The postings of one stem and of each of its forms.
#[derive(Default)]
struct StemPostings<'a> {
    docs: Vec<Posting>,
    forms: Vec<(&'a str, Vec<Posting>)>,
}

/// Every file of the index (see the module comment), in a fixed order.
pub fn files(docs: &[&Analyzed], lexicon: &Lexicon) -> Vec<(String, Vec<u8>)> {
    let postings = collect_postings(docs);
    let shard_count = shard_count(&postings);
    let shards = encode_shards(postings, shard_count);
    let (small, large) = results::chunks(docs);
    let mut data: Vec<(String, Vec<u8>)> = Vec::new();
    let (small_count, large_count) = (small.len(), large.len());
    data.extend(named(shards, |n| {
        format!("search/index/terms-{n:x}.bin.gz")
    }));
    data.extend(named(small, |n| format!("search/index/docs-s{n}.json.gz")));
    data.extend(named(large, |n| format!("search/index/docs-l{n}.json.gz")));
    encode::gzip_all(&mut data);
    let sizes = |from: usize, count: usize| {
        data[from..from + count]
            .iter()
            .map(|(_, b)| b.len())
            .collect()
    };
    let chunk_sizes = results::ChunkSizes {
        small: sizes(shard_count, small_count),
        large: sizes(shard_count + small_count, large_count),
    };
    let version = version_of(&data, lexicon);
    let meta = results::meta(docs, lexicon, shard_count, &chunk_sizes, &version);
    data.push(("search/index/meta.json.gz".to_string(), encode::gzip(&meta)));
    let mut files = vec![
        (
            "search/qissa-search.js".to_string(),
            SEARCH_JS.as_bytes().to_vec(),
        ),
        (
            "search/qissa-analyze.js".to_string(),
            ANALYZE_JS.as_bytes().to_vec(),
        ),
    ];
    files.extend(data);
    files
}

fn named(
    list: Vec<Vec<u8>>,
    name: impl Fn(usize) -> String,
) -> impl Iterator<Item = (String, Vec<u8>)> {
    list.into_iter()
        .enumerate()
        .map(move |(n, bytes)| (name(n), bytes))
}

/// A digest of the data, so URLs change when the index does.
fn version_of(data: &[(String, Vec<u8>)], lexicon: &Lexicon) -> String {
    let digests: Vec<u64> = data
        .iter()
        .map(|(_, bytes)| crate::hash::hash_bytes(bytes))
        .collect();
    format!(
        "{:016x}",
        crate::hash::stable_hash((digests, lexicon.fingerprint))
    )
}

/// Postings per stem, documents in site order. Runs of documents are collected in
/// parallel, then merged in order (a later run's ids all follow an earlier run's).
fn collect_postings<'a>(docs: &[&'a Analyzed]) -> HashMap<&'a str, StemPostings<'a>> {
    let run = docs
        .len()
        .div_ceil(4 * rayon::current_num_threads())
        .max(256);
    docs.par_chunks(run)
        .enumerate()
        .map(|(n, chunk)| collect_run(chunk, (n * run) as u32))
        .reduce(HashMap::default, merge_postings)
}

/// The postings of one run of documents, the first with id `first`.
fn collect_run<'a>(docs: &[&'a Analyzed], first: u32) -> HashMap<&'a str, StemPostings<'a>> {
    let mut postings: HashMap<&str, StemPostings> = HashMap::default();
    for (id, doc) in (first..).zip(docs) {
        for group in doc.terms.chunk_by(|a, b| Arc::ptr_eq(&a.stem, &b.stem)) {
            let entry = postings.entry(&group[0].stem).or_default();
            entry.docs.push((id, stem_weight(group)));
            for term in group {
                let byte = weight_byte(term.weight, term.in_headline);
                add_posting(&mut entry.forms, &term.key, (id, byte));
            }
        }
    }
    postings
}

fn add_posting<'a>(forms: &mut Vec<(&'a str, Vec<Posting>)>, key: &'a str, posting: Posting) {
    match forms.iter_mut().find(|(k, _)| *k == key) {
        Some((_, list)) => list.push(posting),
        None => forms.push((key, vec![posting])),
    }
}

/// `later`'s postings appended to `earlier`'s (every id of `later` is greater).
fn merge_postings<'a>(
    mut earlier: HashMap<&'a str, StemPostings<'a>>,
    later: HashMap<&'a str, StemPostings<'a>>,
) -> HashMap<&'a str, StemPostings<'a>> {
    for (stem, from) in later {
        let into = earlier.entry(stem).or_default();
        into.docs.extend(from.docs);
        for (key, list) in from.forms {
            match into.forms.iter_mut().find(|(k, _)| *k == key) {
                Some((_, to)) => to.extend(list),
                None => into.forms.push((key, list)),
            }
        }
    }
    earlier
}

fn stem_weight(forms: &[Term]) -> u8 {
    let weight = forms
        .iter()
        .map(|t| t.weight)
        .fold(0u32, u32::saturating_add);
    weight_byte(weight, forms.iter().any(|t| t.in_headline))
}

fn weight_byte(weight: u32, in_headline: bool) -> u8 {
    weight.min(127) as u8 | if in_headline { 128 } else { 0 }
}

/// Enough shards to keep each near [`TARGET_SHARD_BYTES`]: a power of two.
fn shard_count(postings: &HashMap<&str, StemPostings>) -> usize {
    let bytes: usize = postings
        .iter()
        .map(|(stem, p)| {
            let forms: usize = p.forms.iter().map(|(k, l)| k.len() + 2 * l.len()).sum();
            stem.len() + 2 * p.docs.len() + forms
        })
        .sum();
    bytes
        .div_ceil(TARGET_SHARD_BYTES)
        .next_power_of_two()
        .clamp(1, MAX_SHARDS)
}

/// The shards' bytes (uncompressed), stems sorted within each.
fn encode_shards(postings: HashMap<&str, StemPostings>, count: usize) -> Vec<Vec<u8>> {
    let mut by_shard: Vec<Vec<(&str, StemPostings)>> = (0..count).map(|_| Vec::new()).collect();
    for (stem, entry) in postings {
        by_shard[shard_hash(stem) as usize % count].push((stem, entry));
    }
    by_shard
        .into_par_iter()
        .map(|mut stems| {
            stems.sort_unstable_by_key(|(stem, _)| *stem);
            let mut out = Vec::new();
            push_varint(&mut out, stems.len() as u64);
            for (stem, mut entry) in stems {
                push_str(&mut out, stem);
                push_postings(&mut out, &entry.docs);
                entry.forms.sort_unstable_by_key(|(key, _)| *key);
                push_varint(&mut out, entry.forms.len() as u64);
                for (key, list) in &entry.forms {
                    push_str(&mut out, key);
                    push_postings(&mut out, list);
                }
            }
            out
        })
        .collect()
}

fn push_postings(out: &mut Vec<u8>, list: &[Posting]) {
    push_varint(out, list.len() as u64);
    let mut previous = 0;
    for &(id, weight) in list {
        push_varint(out, u64::from(id - previous));
        out.push(weight);
        previous = id;
    }
}
