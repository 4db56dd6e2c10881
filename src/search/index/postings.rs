//! The postings of an index being built, kept as the shard format writes them: each list is
//! its documents' id deltas (varints) and weight bytes, two or three bytes a document, so a
//! site of 100,000 articles holds its postings in a few tens of megabytes. A list also keeps
//! its first and last id, so the lists of two runs of documents join by rewriting only the
//! later run's first delta.

use rustc_hash::FxHashMap as HashMap;

use super::encode::{push_str, push_varint, shard_hash};
use crate::search::terms::{Form, varint};
use crate::search::vocab::{Sym, Vocab};

/// One postings list: `count`, then per document `id delta, weight byte` (the first delta
/// from 0), without the count in front.
#[derive(Default)]
struct List {
    count: u32,
    first: u32,
    last: u32,
    bytes: Vec<u8>,
}

impl List {
    fn push(&mut self, id: u32, weight: u8) {
        let delta = if self.count == 0 {
            self.first = id;
            id
        } else {
            id - self.last
        };
        push_varint(&mut self.bytes, u64::from(delta));
        self.bytes.push(weight);
        self.last = id;
        self.count += 1;
    }

    /// Appends a list of later documents (its first id above this list's last).
    fn append(&mut self, later: List) {
        if later.count == 0 {
            return;
        }
        if self.count == 0 {
            *self = later;
            return;
        }
        let mut rest: &[u8] = &later.bytes;
        let _first_delta = varint(&mut rest);
        push_varint(&mut self.bytes, u64::from(later.first - self.last));
        self.bytes.extend_from_slice(rest);
        self.count += later.count;
        self.last = later.last;
    }

    fn write(&self, out: &mut Vec<u8>) {
        push_varint(out, u64::from(self.count));
        out.extend_from_slice(&self.bytes);
    }
}

/// The postings of one stem and of each of its forms.
#[derive(Default)]
struct StemLists {
    docs: List,
    forms: Vec<(Sym, List)>,
}

impl StemLists {
    fn form(&mut self, key: Sym) -> &mut List {
        let at = match self.forms.iter().position(|(k, _)| *k == key) {
            Some(at) => at,
            None => {
                self.forms.push((key, List::default()));
                self.forms.len() - 1
            }
        };
        &mut self.forms[at].1
    }
}

/// Postings per stem, documents added in id order.
#[derive(Default)]
pub struct Postings {
    stems: HashMap<Sym, StemLists>,
}

impl Postings {
    /// Adds document `id` (above every id added so far) with its words, the forms of each
    /// stem together.
    pub fn add_doc(&mut self, id: u32, terms: &[(Sym, Form)]) {
        for group in terms.chunk_by(|a, b| a.0 == b.0) {
            let entry = self.stems.entry(group[0].0).or_default();
            entry.docs.push(id, stem_weight(group));
            for (_, form) in group {
                let byte = weight_byte(form.weight, form.in_headline);
                entry.form(form.key).push(id, byte);
            }
        }
    }

    /// Appends the postings of a later run of documents.
    pub fn append(&mut self, later: Postings) {
        for (stem, from) in later.stems {
            let into = self.stems.entry(stem).or_default();
            into.docs.append(from.docs);
            for (key, list) in from.forms {
                into.form(key).append(list);
            }
        }
    }

    /// Enough shards to keep each near [`super::TARGET_SHARD_BYTES`]: a power of two.
    pub fn shard_count(&self, vocab: &Vocab) -> usize {
        let bytes: usize = self
            .stems
            .iter()
            .map(|(stem, p)| {
                let forms: usize = p
                    .forms
                    .iter()
                    .map(|(k, l)| vocab.text(*k).len() + 2 * l.count as usize)
                    .sum();
                vocab.text(*stem).len() + 2 * p.docs.count as usize + forms
            })
            .sum();
        bytes
            .div_ceil(super::TARGET_SHARD_BYTES)
            .next_power_of_two()
            .clamp(1, super::MAX_SHARDS)
    }

    /// The stems of each of `count` shards, handed over (the postings go with them).
    pub fn into_shards(self, count: usize, vocab: &Vocab) -> Vec<Shard> {
        let mut shards: Vec<Shard> = (0..count).map(|_| Shard(Vec::new())).collect();
        for (stem, lists) in self.stems {
            let n = shard_hash(vocab.text(stem)) as usize % count;
            shards[n].0.push((stem, lists));
        }
        shards
    }
}

/// The stems of one shard, with their postings.
pub struct Shard(Vec<(Sym, StemLists)>);

impl Shard {
    /// The shard's bytes (uncompressed), stems sorted, each stem's forms sorted.
    pub fn encode(self, vocab: &Vocab) -> Vec<u8> {
        let mut stems = self.0;
        stems.sort_unstable_by_key(|(stem, _)| vocab.text(*stem));
        let mut out = Vec::new();
        push_varint(&mut out, stems.len() as u64);
        for (stem, mut lists) in stems {
            push_str(&mut out, vocab.text(stem));
            lists.docs.write(&mut out);
            lists
                .forms
                .sort_unstable_by_key(|(key, _)| vocab.text(*key));
            push_varint(&mut out, lists.forms.len() as u64);
            for (key, list) in &lists.forms {
                push_str(&mut out, vocab.text(*key));
                list.write(&mut out);
            }
        }
        out
    }
}

fn stem_weight(forms: &[(Sym, Form)]) -> u8 {
    let weight = forms
        .iter()
        .map(|(_, f)| f.weight)
        .fold(0u32, u32::saturating_add);
    weight_byte(weight, forms.iter().any(|(_, f)| f.in_headline))
}

fn weight_byte(weight: u32, in_headline: bool) -> u8 {
    weight.min(127) as u8 | if in_headline { 128 } else { 0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(ids: &[u32]) -> List {
        let mut list = List::default();
        ids.iter().for_each(|&id| list.push(id, 1));
        list
    }

    #[test]
    fn joined_runs_write_as_one_list() {
        let mut joined = list(&[3, 200]);
        joined.append(list(&[300, 100_000]));
        let mut out = Vec::new();
        joined.write(&mut out);
        let mut whole = Vec::new();
        list(&[3, 200, 300, 100_000]).write(&mut whole);
        assert_eq!(out, whole);
        let mut empty = List::default();
        empty.append(list(&[5]));
        assert_eq!((empty.first, empty.last, empty.count), (5, 5, 1));
    }
}
