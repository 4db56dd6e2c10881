//! The postings of an index being built, kept as the shard format writes them: each list is
//! its documents' id deltas (varints) and weight bytes, two or three bytes a document, so a
//! site of 100,000 articles holds its postings in a few tens of megabytes. A list also keeps
//! its first and last id, so the lists of two runs of documents join by rewriting only the
//! later run's first delta.
//!
//! Most stems of a site come in one form only, and then the form's list is the stem's, id
//! for id and weight for weight (a document's stem weight is the sum of its forms'). Such a
//! form's list is neither built nor written: a shard gives it count 0, "the stem's own".

use rustc_hash::FxHashMap as HashMap;

use super::encode::{push_str, push_varint, shard_hash};
use crate::search::terms::{Form, varint};
use crate::search::vocab::{Sym, Vocab};

/// One postings list: `count`, then per document `id delta, weight byte` (the first delta
/// from 0), without the count in front.
#[derive(Default, Clone)]
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
    /// The only form every document so far has had, alone: its list is `docs` (and
    /// `forms` is empty).
    sole: Option<Sym>,
    forms: Vec<(Sym, List)>,
}

impl StemLists {
    /// Adds document `id` with `group`, the forms of this stem it has.
    fn add(&mut self, id: u32, group: &[(Sym, Form)]) {
        let alone = match group {
            [(_, form)] => Some(form.key),
            _ => None,
        };
        if self.docs.count == 0 {
            self.sole = alone;
        } else if self.sole.is_some() && self.sole != alone {
            self.spell_out_sole();
        }
        self.docs.push(id, stem_weight(group));
        if self.sole.is_none() {
            for (_, form) in group {
                let byte = weight_byte(form.weight, form.in_headline);
                self.form(form.key).push(id, byte);
            }
        }
    }

    /// Appends the lists of later documents.
    fn append(&mut self, later: StemLists) {
        if self.docs.count == 0 {
            *self = later;
            return;
        }
        if later.docs.count == 0 {
            return;
        }
        // Both runs with the same sole form stay so; otherwise both are spelled out.
        let later = if self.sole.is_some() && self.sole == later.sole {
            later
        } else {
            self.spell_out_sole();
            later.spelled_out()
        };
        for (key, list) in later.forms {
            self.form(key).append(list);
        }
        self.docs.append(later.docs);
    }

    /// The sole form's list written out as a list of its own.
    fn spell_out_sole(&mut self) {
        if let Some(sole) = self.sole.take() {
            self.forms.push((sole, self.docs.clone()));
        }
    }

    fn spelled_out(mut self) -> StemLists {
        self.spell_out_sole();
        self
    }

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
            self.stems.entry(group[0].0).or_default().add(id, group);
        }
    }

    /// Appends the postings of a later run of documents.
    pub fn append(&mut self, later: Postings) {
        for (stem, from) in later.stems {
            self.stems.entry(stem).or_default().append(from);
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
                let sole = p.sole.map_or(0, |k| vocab.text(k).len() + 1);
                vocab.text(*stem).len() + 2 * p.docs.count as usize + forms + sole
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
        for (stem, lists) in stems {
            push_str(&mut out, vocab.text(stem));
            lists.docs.write(&mut out);
            let StemLists {
                docs,
                sole,
                mut forms,
            } = lists;
            if let Some(sole) = sole {
                push_varint(&mut out, 1);
                push_str(&mut out, vocab.text(sole));
                push_varint(&mut out, 0);
                continue;
            }
            forms.sort_unstable_by_key(|(key, _)| vocab.text(*key));
            push_varint(&mut out, forms.len() as u64);
            for (key, list) in &forms {
                push_str(&mut out, vocab.text(*key));
                if list.count == docs.count && list.bytes == docs.bytes {
                    push_varint(&mut out, 0);
                } else {
                    list.write(&mut out);
                }
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

    use crate::search::vocab;

    /// The next varint of a shard known to be whole.
    fn number(rest: &mut &[u8]) -> u64 {
        varint(rest).expect("a whole varint")
    }

    type Lists = BTreeMap<u32, u8>;
    /// Per stem text: its list, and per form text its list.
    type Decoded = BTreeMap<String, (Lists, BTreeMap<String, Lists>)>;

    use std::collections::BTreeMap;

    /// A shard read back the way the browser module reads it (a form of count 0 has its
    /// stem's list).
    fn decode(bytes: &[u8]) -> Decoded {
        let mut rest = bytes;
        let string = |rest: &mut &[u8]| {
            let length = number(rest) as usize;
            let (text, after) = rest.split_at(length);
            *rest = after;
            String::from_utf8(text.to_vec()).unwrap()
        };
        let list = |rest: &mut &[u8]| {
            let mut lists = Lists::new();
            let mut id = 0;
            for _ in 0..number(rest) {
                id += number(rest) as u32;
                lists.insert(id, rest[0]);
                *rest = &rest[1..];
            }
            lists
        };
        let mut stems = Decoded::new();
        for _ in 0..number(&mut rest) {
            let stem = string(&mut rest);
            let docs = list(&mut rest);
            let mut forms = BTreeMap::new();
            for _ in 0..number(&mut rest) {
                let key = string(&mut rest);
                let own = list(&mut rest);
                forms.insert(key, if own.is_empty() { docs.clone() } else { own });
            }
            stems.insert(stem, (docs, forms));
        }
        assert!(rest.is_empty());
        stems
    }

    /// What every list must hold, worked out document by document.
    fn expected(docs: &[Vec<(Sym, Form)>], vocab: &Vocab) -> Decoded {
        let mut stems = Decoded::new();
        for (id, terms) in docs.iter().enumerate() {
            for group in terms.chunk_by(|a, b| a.0 == b.0) {
                let entry = stems.entry(vocab.text(group[0].0).to_string()).or_default();
                entry.0.insert(id as u32, stem_weight(group));
                for (_, form) in group {
                    let key = vocab.text(form.key).to_string();
                    let byte = weight_byte(form.weight, form.in_headline);
                    entry.1.entry(key).or_default().insert(id as u32, byte);
                }
            }
        }
        stems
    }

    fn encoded(postings: Postings, vocab: &Vocab) -> Vec<u8> {
        let mut shards = postings.into_shards(1, vocab);
        shards.remove(0).encode(vocab)
    }

    proptest::proptest! {
        /// Whether a stem keeps one form throughout, gains a second one, or loses its sole
        /// form to another, the lists read back as counted one document at a time, built
        /// in one run or in runs joined at any place.
        #[test]
        fn postings_read_back_as_the_documents_have_them(
            docs in proptest::collection::vec(
                proptest::collection::vec((0usize..3, 0usize..3, 1u32..140, proptest::bool::ANY), 0..5),
                1..12,
            ),
            cut in 0usize..12,
        ) {
            let stems = ["s0", "s1", "s2"].map(vocab::sym_of_str);
            let keys = ["k0", "k1", "k2"].map(vocab::sym_of_str);
            // Each document's terms: distinct (stem, key), the forms of a stem together.
            let docs: Vec<Vec<(Sym, Form)>> = docs
                .iter()
                .map(|terms| {
                    let mut pairs: BTreeMap<(usize, usize), (u32, bool)> = BTreeMap::new();
                    for &(stem, key, weight, headline) in terms {
                        pairs.insert((stem, key), (weight, headline));
                    }
                    pairs
                        .into_iter()
                        .map(|((stem, key), (weight, in_headline))| {
                            (stems[stem], Form { key: keys[key], weight, in_headline })
                        })
                        .collect()
                })
                .collect();
            let vocab = vocab::read();
            let mut whole = Postings::default();
            for (id, terms) in docs.iter().enumerate() {
                whole.add_doc(id as u32, terms);
            }
            let cut = cut.min(docs.len());
            let (mut first, mut later) = (Postings::default(), Postings::default());
            for (id, terms) in docs.iter().enumerate() {
                let run = if id < cut { &mut first } else { &mut later };
                run.add_doc(id as u32, terms);
            }
            first.append(later);
            let whole = encoded(whole, &vocab);
            proptest::prop_assert_eq!(decode(&whole), expected(&docs, &vocab));
            proptest::prop_assert_eq!(encoded(first, &vocab), whole);
        }
    }

    #[test]
    fn a_sole_form_is_written_as_its_stems_list() {
        let stem = vocab::sym_of_str("وزير");
        let key = vocab::sym_of_str("الوزير");
        let form = |weight| Form {
            key,
            weight,
            in_headline: false,
        };
        let mut postings = Postings::default();
        postings.add_doc(0, &[(stem, form(3))]);
        postings.add_doc(7, &[(stem, form(1))]);
        let vocab = vocab::read();
        let bytes = encoded(postings, &vocab);
        let mut written = Vec::new();
        push_varint(&mut written, 1);
        push_str(&mut written, "وزير");
        written.extend([2, 0, 3, 7, 1]);
        push_varint(&mut written, 1);
        push_str(&mut written, "الوزير");
        written.push(0);
        assert_eq!(bytes, written);
    }
}
