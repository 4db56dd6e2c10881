//! Arabic analysis for search: text in, searchable words out, each with a whole-word key
//! and a stem key. Indexing (here) and querying (`js/qissa-analyze.js`) run the same rules
//! on the same lists; `tests/vectors.json` holds them to it.
//!
//! The steps, in order:
//! 1. [`normalize`]: cut text into runs, NFKC, drop tashkeel and tatweel, fold alef, hamza
//!    seats, ة, ى and digits, lowercase Latin; split into words.
//! 2. [`stem::readings`]: peel the article and one-letter particles (a word with a particle
//!    in front has a reading with it and one without); map variant spellings to their
//!    group's key.
//! 3. Join split loanwords: a word with a reading that is the first half of a listed pair
//!    (فيس) and a next word equal to the second half (بوك) count as one word (فيسبوك).
//! 4. Drop stop words (the word as written, without a leading و or ف, or its last
//!    reading).
//! 5. [`stem::stem`]: endings, broken plurals, nisba, for each reading.
//!
//! Words repeat: a news site uses a few tens of thousands of distinct words. Each thread
//! remembers what every *piece* of text it has seen (what lies between two spaces or line
//! breaks: usually one run, sometimes with punctuation) analyses to, so steps 1, 2 and 5
//! run once per distinct piece, keys are shared ([`Arc`]) instead of allocated per
//! occurrence, and text is cut into runs only once per distinct piece; a short piece is
//! looked up by its bytes as three numbers ([`pieces`]). An article being indexed goes further ([`Tally`]): it adds up
//! the weight of each distinct piece it uses, and its words are counted once per piece,
//! not once per occurrence.

pub mod lexicon;
pub mod normalize;
mod pieces;
pub mod stem;

use rustc_hash::FxHashMap as HashMap;
use std::cell::RefCell;
use std::hash::BuildHasher;
use std::rc::Rc;
use std::sync::Arc;

pub use lexicon::Lexicon;

use super::terms::{Form, Terms};
use super::vocab::{self, Sym};
use pieces::{Piece, ShortKey, pieces};

/// One reading of a searchable word: its whole-word key and its stem key, as text and as
/// their numbers in the process's [`vocab`](crate::search::vocab).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub key: Arc<str>,
    pub stem: Arc<str>,
    pub key_sym: Sym,
    pub stem_sym: Sym,
}

/// A word of a piece as remembered: what it looks like (for joining), its readings, and
/// whether it is a stop word.
#[derive(Debug, Clone)]
struct Word {
    surface: Arc<str>,
    readings: Rc<[Token]>,
    stop: bool,
    /// One of its readings is the first half of a split loanword (worked out once here,
    /// not at every occurrence).
    may_join: bool,
}

/// Pieces seen by this thread, for one lexicon.
#[derive(Default)]
struct Memo {
    fingerprint: u64,
    /// Short pieces by their key, hashed by the caller (who looks the same key up in its
    /// own table first).
    short: hashbrown::HashTable<(ShortKey, Remembered)>,
    /// Longer pieces by their text: the entry API finds one met before without allocating
    /// a key.
    long: hashbrown::HashMap<String, Remembered, rustc_hash::FxBuildHasher>,
    words: WordMaker,
    /// Where the article being tallied keeps each word key and stem.
    slots: Slots,
}

/// What analysing a new piece needs: the keys this thread has shared, and room to fold.
#[derive(Default)]
struct WordMaker {
    interned: HashMap<Arc<str>, Sym>,
    folded: String,
}

/// A piece of text as remembered: its words.
struct Remembered {
    words: Rc<[Word]>,
    /// One of its words may join the next word into a loanword: its occurrences are
    /// analysed in order, never tallied.
    may_join: bool,
}

/// Past this many remembered pieces the memo starts over, to bound memory.
const MEMO_LIMIT: usize = 400_000;

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::new(Memo::default());
    /// The number of the last [`Tally`] started on this thread (0: none).
    static TALLIES: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Calls `emit` with the readings of every searchable word of `text`, in order.
pub fn analyze(text: &str, lexicon: &Lexicon, mut emit: impl FnMut(&[Token])) {
    with_memo(lexicon, |memo| {
        let mut pending: Option<Word> = None;
        for piece in pieces(text) {
            let (piece, maker) = memo.piece(piece, short_hash(piece.short), lexicon);
            for word in piece.words.iter() {
                pending = maker.next_word(pending, word, lexicon, &mut emit);
            }
        }
        if let Some(word) = pending {
            emit_word(&word, &mut emit);
        }
    });
}

/// Runs `work` with this thread's memo, started over for another lexicon.
fn with_memo<R>(lexicon: &Lexicon, work: impl FnOnce(&mut Memo) -> R) -> R {
    MEMO.with(|memo| {
        let mut memo = memo.borrow_mut();
        // Keys of one article must stay the same pointers (the index groups by them), so
        // the memo starts over only between articles ([`Tally::new`]) or for another
        // lexicon (never mid-article: an article has one lexicon).
        if memo.fingerprint != lexicon.fingerprint {
            *memo = Memo {
                fingerprint: lexicon.fingerprint,
                ..Memo::default()
            };
        }
        work(&mut memo)
    })
}

/// The words of one article as it is indexed, added up: first by piece (an occurrence of
/// a short piece the article has used already only adds its weight), then by word key,
/// each key found by its number in arrays this thread keeps ([`Slots`]) instead of a hash
/// map. A word that may join the next one into a loanword, and the word after it, are
/// analysed in order as they come and kept apart (`loose`).
pub struct Tally {
    number: u32,
    /// Each distinct short piece tallied, in the order first met, and each occurrence of
    /// a long one (rare enough not to be worth a table of their text).
    pieces: Vec<Tallied>,
    /// The short pieces tallied, by key, with their place in `pieces`: a piece met again
    /// in the same article is found in this table, small enough to stay in cache, instead
    /// of in the thread's memo of every piece.
    seen: hashbrown::HashTable<(ShortKey, u32)>,
    /// Readings met one at a time (around a loanword), with their weight.
    loose: Vec<(Token, u32, bool)>,
    /// Words counted apart ([`Tally::add_counted`]).
    counted: Vec<(Sym, Form)>,
}

/// A piece of an article: its words, the sum of its occurrences' weights, and whether one
/// is in the headline.
struct Tallied {
    words: Rc<[Word]>,
    weight: u32,
    in_headline: bool,
}

/// The hash tables use for a short piece's key (none for a long piece: its table hashes
/// its text).
fn short_hash(key: Option<ShortKey>) -> u64 {
    key.map_or(0, |key| rustc_hash::FxBuildHasher.hash_one(key))
}

/// Per vocabulary number, the tally that last met it and where that tally keeps it: one
/// array for word keys, one for stems.
#[derive(Default)]
struct Slots {
    keys: Vec<(u32, u32)>,
    stems: Vec<(u32, u32)>,
}

/// `slots[sym]`, the array grown to hold it.
fn slot(slots: &mut Vec<(u32, u32)>, sym: Sym) -> &mut (u32, u32) {
    let at = sym as usize;
    if at >= slots.len() {
        slots.resize(at + 1, (0, 0));
    }
    &mut slots[at]
}

impl Tally {
    /// The tally of a new article on this thread. Lets the thread's memo start over first
    /// when it has grown too large (never during an article: its words' readings must stay
    /// the memo's).
    #[allow(clippy::new_without_default)]
    pub fn new() -> Tally {
        MEMO.with(|memo| {
            let mut memo = memo.borrow_mut();
            if memo.short.len() + memo.long.len() > MEMO_LIMIT {
                *memo = Memo::default();
            }
        });
        let number = TALLIES.with(|n| {
            // Never 0, which a slot no tally has used carries.
            let next = n.get().checked_add(1).unwrap_or(1);
            n.set(next);
            next
        });
        Tally {
            number,
            pieces: Vec::with_capacity(256),
            seen: hashbrown::HashTable::with_capacity(256),
            loose: Vec::new(),
            counted: Vec::new(),
        }
    }

    /// Adds the words of `text`, each occurrence weighing `weight`.
    pub fn add(&mut self, text: &str, lexicon: &Lexicon, weight: u32, in_headline: bool) {
        let Tally {
            pieces,
            seen,
            loose,
            ..
        } = self;
        let mut emit = |readings: &[Token]| {
            let each = readings.iter().map(|t| (t.clone(), weight, in_headline));
            loose.extend(each);
        };
        with_memo(lexicon, |memo| {
            let mut pending: Option<Word> = None;
            for piece in self::pieces(text) {
                let hash = short_hash(piece.short);
                if let (None, Some(key)) = (&pending, piece.short)
                    && let Some((_, at)) = seen.find(hash, |(seen, _)| *seen == key)
                {
                    let tallied = &mut pieces[*at as usize];
                    tallied.weight = tallied.weight.saturating_add(weight);
                    tallied.in_headline |= in_headline;
                    continue;
                }
                let (found, maker) = memo.piece(piece, hash, lexicon);
                if pending.is_none() && !found.may_join {
                    pieces.push(Tallied {
                        words: Rc::clone(&found.words),
                        weight,
                        in_headline,
                    });
                    if let Some(key) = piece.short {
                        let at = pieces.len() as u32 - 1;
                        seen.insert_unique(hash, (key, at), |(key, _)| short_hash(Some(*key)));
                    }
                    continue;
                }
                for word in found.words.iter() {
                    pending = maker.next_word(pending, word, lexicon, &mut emit);
                }
            }
            if let Some(word) = pending {
                emit_word(&word, &mut emit);
            }
        });
    }

    /// Adds words another tally counted (on any thread: words are numbered process-wide).
    pub fn add_counted(&mut self, terms: &Terms) {
        let counted = &mut self.counted;
        terms.for_each_stem(|stem, forms| counted.extend(forms.iter().map(|f| (stem, *f))));
    }

    /// Every distinct (stem, word key) of the article with the sum of its weights, the
    /// forms of one stem together (stems and forms in the order first met). A word counts
    /// once for each of its readings; stop words are left out.
    pub fn finish(self) -> Vec<(Sym, Form)> {
        MEMO.with(|memo| {
            let slots = &mut memo.borrow_mut().slots;
            let mut terms = Vec::with_capacity(self.pieces.len() * 2);
            for piece in &self.pieces {
                for word in piece.words.iter().filter(|w| !w.stop) {
                    for token in word.readings.iter() {
                        let counted = (
                            token.stem_sym,
                            token.key_sym,
                            piece.weight,
                            piece.in_headline,
                        );
                        self.count(&mut slots.keys, &mut terms, counted);
                    }
                }
            }
            for (token, weight, in_headline) in &self.loose {
                let counted = (token.stem_sym, token.key_sym, *weight, *in_headline);
                self.count(&mut slots.keys, &mut terms, counted);
            }
            for (stem, form) in &self.counted {
                let counted = (*stem, form.key, form.weight, form.in_headline);
                self.count(&mut slots.keys, &mut terms, counted);
            }
            self.group_by_stem(&mut slots.stems, terms)
        })
    }

    /// Adds one reading's weight to its term in `terms`.
    fn count(
        &self,
        keys: &mut Vec<(u32, u32)>,
        terms: &mut Vec<(Sym, Form)>,
        (stem, key, weight, in_headline): (Sym, Sym, u32, bool),
    ) {
        let (seen_by, at) = slot(keys, key);
        let found = if *seen_by == self.number && terms[*at as usize].0 == stem {
            Some(*at as usize)
        } else if *seen_by == self.number {
            // A key with two stems (a joined loanword is its own stem): rare, looked for.
            terms.iter().position(|(s, f)| *s == stem && f.key == key)
        } else {
            None
        };
        let at = found.unwrap_or_else(|| {
            *seen_by = self.number;
            *at = terms.len() as u32;
            let form = Form {
                key,
                weight: 0,
                in_headline: false,
            };
            terms.push((stem, form));
            terms.len() - 1
        });
        let form = &mut terms[at].1;
        form.weight = form.weight.saturating_add(weight);
        form.in_headline |= in_headline;
    }

    /// `terms` reordered so the forms of each stem are together (a counting sort).
    fn group_by_stem(
        &self,
        stems: &mut Vec<(u32, u32)>,
        terms: Vec<(Sym, Form)>,
    ) -> Vec<(Sym, Form)> {
        let mut group_sizes: Vec<u32> = Vec::new();
        let groups: Vec<u32> = terms
            .iter()
            .map(|(stem, _)| {
                let (seen_by, group) = slot(stems, *stem);
                if *seen_by != self.number {
                    *seen_by = self.number;
                    *group = group_sizes.len() as u32;
                    group_sizes.push(0);
                }
                group_sizes[*group as usize] += 1;
                *group
            })
            .collect();
        let mut next = 0;
        let mut starts: Vec<u32> = group_sizes
            .iter()
            .map(|size| {
                let start = next;
                next += size;
                start
            })
            .collect();
        let mut grouped = terms.clone();
        for (term, group) in terms.into_iter().zip(groups) {
            let at = &mut starts[group as usize];
            grouped[*at as usize] = term;
            *at += 1;
        }
        grouped
    }
}

/// The searchable words of `text`, each as its readings (tests and queries).
pub fn tokens(text: &str, lexicon: &Lexicon) -> Vec<Vec<Token>> {
    let mut tokens = Vec::new();
    analyze(text, lexicon, |readings| tokens.push(readings.to_vec()));
    tokens
}

fn emit_word(word: &Word, emit: &mut impl FnMut(&[Token])) {
    if !word.stop {
        emit(&word.readings);
    }
}

impl Memo {
    /// `piece` as remembered, analysed now if this thread has not met it; and the word
    /// maker, for what follows. `hash` is [`short_hash`] of its key.
    fn piece(
        &mut self,
        piece: Piece,
        hash: u64,
        lexicon: &Lexicon,
    ) -> (&mut Remembered, &mut WordMaker) {
        let Memo {
            short, long, words, ..
        } = self;
        let analyse = |words: &mut WordMaker| {
            let analysed = words.analyze_piece(piece.text, lexicon);
            Remembered {
                may_join: analysed.iter().any(|w| w.may_join),
                words: analysed,
            }
        };
        let remembered = match piece.short {
            Some(key) => {
                let rehash = |(key, _): &(ShortKey, Remembered)| short_hash(Some(*key));
                match short.entry(hash, |(known, _)| *known == key, rehash) {
                    hashbrown::hash_table::Entry::Occupied(known) => &mut known.into_mut().1,
                    hashbrown::hash_table::Entry::Vacant(new) => {
                        &mut new.insert((key, analyse(words))).into_mut().1
                    }
                }
            }
            None => match long.entry_ref(piece.text) {
                hashbrown::hash_map::EntryRef::Occupied(known) => known.into_mut(),
                hashbrown::hash_map::EntryRef::Vacant(new) => new.insert(analyse(words)),
            },
        };
        (remembered, words)
    }
}

impl WordMaker {
    /// The shared copy of `text` and its number (the process-wide vocabulary is asked
    /// once per distinct word a thread meets).
    fn intern(&mut self, text: &str) -> (Arc<str>, Sym) {
        if let Some((shared, sym)) = self.interned.get_key_value(text) {
            return (Arc::clone(shared), *sym);
        }
        let shared: Arc<str> = text.into();
        let sym = vocab::sym(&shared);
        self.interned.insert(Arc::clone(&shared), sym);
        (shared, sym)
    }

    /// The words of the runs of `piece`, in order.
    fn analyze_piece(&mut self, piece: &str, lexicon: &Lexicon) -> Rc<[Word]> {
        let mut folded = std::mem::take(&mut self.folded);
        let mut words = Vec::new();
        for (start, end) in normalize::runs(piece) {
            normalize::fold_run(&piece[start..end], &mut folded);
            for surface in normalize::words(&folded) {
                words.push(self.analyze_word(surface, lexicon));
            }
        }
        self.folded = folded;
        words.into()
    }

    fn analyze_word(&mut self, surface: &str, lexicon: &Lexicon) -> Word {
        let keys = stem::readings(lexicon, surface);
        let last = keys.last().copied().unwrap_or(surface);
        let stop = is_stop(lexicon, surface, last);
        let readings = keys
            .iter()
            .map(|key| {
                let (key, key_sym) = self.intern(key);
                let (stem, stem_sym) = self.intern(&stem::stem(lexicon, &key));
                Token {
                    key,
                    stem,
                    key_sym,
                    stem_sym,
                }
            })
            .collect();
        let may_join = keys.iter().any(|key| lexicon.joined.contains_key(*key));
        Word {
            surface: self.intern(surface).0,
            readings,
            stop,
            may_join,
        }
    }

    /// Feeds one word through the loanword joiner: returns the word held back (a possible
    /// first half), emitting what is settled.
    fn next_word(
        &mut self,
        pending: Option<Word>,
        word: &Word,
        lexicon: &Lexicon,
        emit: &mut impl FnMut(&[Token]),
    ) -> Option<Word> {
        if let Some(first) = pending {
            if let Some(joined) = joined_form(lexicon, &first, word) {
                let (key, sym) = self.intern(stem::canonical(lexicon, joined));
                emit(&[Token {
                    key: Arc::clone(&key),
                    stem: key,
                    key_sym: sym,
                    stem_sym: sym,
                }]);
                return None;
            }
            emit_word(&first, emit);
        }
        if word.may_join {
            return Some(word.clone());
        }
        emit_word(word, emit);
        None
    }
}

fn joined_form<'a>(lexicon: &'a Lexicon, first: &Word, second: &Word) -> Option<&'a str> {
    first.readings.iter().find_map(|reading| {
        lexicon
            .joined
            .get(&*reading.key)?
            .iter()
            .find(|(half, _)| **half == *second.surface)
            .map(|(_, joined)| joined.as_str())
    })
}

/// Stop words are matched as written (also after a leading و or ف: والتي) and by the
/// most peeled reading (لهذا).
fn is_stop(lexicon: &Lexicon, surface: &str, key: &str) -> bool {
    let after_conjunction = surface
        .strip_prefix(['و', 'ف'])
        .is_some_and(|rest| lexicon.stop.contains(rest));
    lexicon.stop.contains(surface) || after_conjunction || lexicon.stop.contains(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::SiteLexicon;

    /// For each word, whether one of its readings has `stem` as its stem.
    fn all_reach(text: &str, stem: &str) -> bool {
        let lexicon = lexicon::compiled(&SiteLexicon::default());
        let words = tokens(text, &lexicon);
        !words.is_empty() && words.iter().all(|r| r.iter().any(|t| &*t.stem == stem))
    }

    /// The stem of each word's last (most peeled) reading.
    fn stems(text: &str) -> Vec<String> {
        let lexicon = lexicon::compiled(&SiteLexicon::default());
        tokens(text, &lexicon)
            .into_iter()
            .map(|readings| {
                readings
                    .last()
                    .map(|t| t.stem.to_string())
                    .unwrap_or_default()
            })
            .collect()
    }

    #[test]
    fn forms_of_one_word_share_a_stem() {
        assert!(all_reach("شركة شركات الشركتين بالشركة وللشركات", "شرك"));
        assert!(all_reach("فلسطين الفلسطينية الفلسطينيين فلسطيني", "فلسطين"));
        assert!(all_reach("هاتف هواتف الهواتف وهواتفها", "هاتف"));
        assert!(all_reach("مدينة المدن مدن", "مدين"));
        assert!(all_reach("دولة دول الدول", "دول"));
        assert!(all_reach("مسؤول مسئول المسؤولين", "مسءول"));
        assert!(all_reach("وزير الوزير لوزير وزراء", "وزير"));
    }

    #[test]
    fn names_stop_the_stemmer() {
        assert!(all_reach("مصر بمصر المصرية مصري المصريين", "مصر"));
        assert_eq!(stems("مصرف المصارف"), ["مصرف"; 2]);
        assert_eq!(stems("لبنان فرنسا"), ["لبنان", "فرنسا"]);
    }

    #[test]
    fn a_name_is_not_left_by_a_feminine_or_plural_ending() {
        // The city, and the sport: the ending of رياضة would leave the name الرياض.
        assert!(all_reach("الرياض بالرياض للرياض", "رياض"));
        assert_eq!(stems("الرياضة رياضات"), ["رياضه", "رياضات"]);
        assert!(all_reach("الرياضي الرياضية الرياضيين", "رياضي"));
        // Drops are not Qatar; a nisba still leads to the name; a pronoun still comes off.
        assert_eq!(stems("قطرات قطري القطرية"), ["قطرات", "قطر", "قطر"]);
        assert!(all_reach("البنك البنكي البنكية", "بنك"));
        assert_eq!(stems("أمنها"), ["امن"]);
    }

    #[test]
    fn a_particle_before_a_name_comes_off_before_an_article() {
        assert!(all_reach("لبنان للبنان وللبنان", "لبنان"));
    }

    #[test]
    fn loanwords_join_and_variants_meet() {
        assert_eq!(stems("فيس بوك فيسبوك الفيس بوك"), ["فيسبوك"; 3]);
        assert_eq!(stems("جوجل غوغل قوقل Google"), ["غوغل"; 4]);
        assert_eq!(stems("فيس"), ["فيس"]);
    }

    /// Every (stem, key) with the sum of its weights and whether one is in the headline,
    /// counted one occurrence at a time, as [`Tally`] must add them up.
    fn counted_one_by_one(fields: &[(&str, u32, bool)]) -> Vec<(String, String, u32, bool)> {
        let lexicon = lexicon::compiled(&SiteLexicon::default());
        let mut counts: std::collections::BTreeMap<(String, String), (u32, bool)> =
            Default::default();
        for (text, weight, in_headline) in fields {
            for readings in tokens(text, &lexicon) {
                for token in readings {
                    let count = counts
                        .entry((token.stem.to_string(), token.key.to_string()))
                        .or_default();
                    count.0 += weight;
                    count.1 |= in_headline;
                }
            }
        }
        counts
            .into_iter()
            .map(|((stem, key), (weight, headline))| (stem, key, weight, headline))
            .collect()
    }

    fn tallied(fields: &[(&str, u32, bool)]) -> Vec<(String, String, u32, bool)> {
        let lexicon = lexicon::compiled(&SiteLexicon::default());
        let mut tally = Tally::new();
        for (text, weight, in_headline) in fields {
            tally.add(text, &lexicon, *weight, *in_headline);
        }
        let pairs = tally.finish();
        // The forms of each stem are together.
        let stems: Vec<Sym> = pairs.chunk_by(|a, b| a.0 == b.0).map(|g| g[0].0).collect();
        let distinct: std::collections::HashSet<&Sym> = stems.iter().collect();
        assert_eq!(stems.len(), distinct.len(), "a stem's forms are split");
        let vocab = vocab::read();
        let mut out: Vec<_> = pairs
            .iter()
            .map(|(stem, form)| {
                let text = |sym| vocab.text(sym).to_string();
                (text(*stem), text(form.key), form.weight, form.in_headline)
            })
            .collect();
        out.sort();
        out
    }

    proptest::proptest! {
        /// Adding up by piece, then by word, counts what occurrence by occurrence does:
        /// repeated pieces, punctuation, stop words and split loanwords included.
        #[test]
        fn a_tally_counts_what_the_words_are(
            words in proptest::collection::vec(proptest::sample::select(vec![
                "فيس", "بوك", "فيسبوك", "الوزير", "الوزير،", "وزير", "في", "والتي", "مصر",
                "بمصر", "(مصر)", "غوغل", "جوجل", "كورونا19", "هواتف", "الهاتف", "«الهاتف»",
                "يو", "تيوب", "2025", "\n", "  ", "الفلسطينيين،", "والفلسطينيين", "فيس،",

            ]), 0..30),
            split in 0usize..30,
        ) {
            let text = words.join(" ");
            let cut = text.char_indices().map(|(i, _)| i).nth(split).unwrap_or(text.len());
            let fields = [(&text[..cut], 10, true), (&text[cut..], 1, false), (text.as_str(), 4, false)];
            proptest::prop_assert_eq!(tallied(&fields), counted_one_by_one(&fields));
        }
    }

    #[test]
    fn stop_words_are_dropped() {
        assert_eq!(stems("في مصر والتي لهذا"), ["مصر"]);
    }
}
