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
//! Words repeat: a news site uses a few tens of thousands of distinct runs. Each thread
//! remembers what every run it has seen analyses to, so steps 1, 2 and 5 run once per
//! distinct run, and keys are shared ([`Arc`]) instead of allocated per occurrence.

pub mod lexicon;
pub mod normalize;
pub mod stem;

use rustc_hash::FxHashMap as HashMap;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

pub use lexicon::Lexicon;

use super::vocab::{self, Sym};

/// One reading of a searchable word: its whole-word key and its stem key, as text and as
/// their numbers in the process's [`vocab`](crate::search::vocab).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub key: Arc<str>,
    pub stem: Arc<str>,
    pub key_sym: Sym,
    pub stem_sym: Sym,
}

/// A word of a run as remembered: what it looks like (for joining), its readings, and
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

/// Runs seen by this thread, for one lexicon.
#[derive(Default)]
struct Memo {
    fingerprint: u64,
    runs: HashMap<Box<str>, Rc<[Word]>>,
    interned: HashMap<Arc<str>, Sym>,
    folded: String,
}

/// Past this many remembered runs the memo starts over, to bound memory.
const MEMO_LIMIT: usize = 400_000;

thread_local! {
    static MEMO: RefCell<Memo> = RefCell::new(Memo::default());
}

/// Calls `emit` with the readings of every searchable word of `text`, in order.
pub fn analyze(text: &str, lexicon: &Lexicon, mut emit: impl FnMut(&[Token])) {
    MEMO.with(|memo| {
        let mut memo = memo.borrow_mut();
        // Keys of one article must stay the same pointers (the index groups by them), so
        // the memo starts over only between articles ([`start_article`]) or for another
        // lexicon (never mid-article: an article has one lexicon).
        if memo.fingerprint != lexicon.fingerprint {
            *memo = Memo {
                fingerprint: lexicon.fingerprint,
                ..Memo::default()
            };
        }
        let mut pending: Option<Word> = None;
        for (start, end) in normalize::runs(text) {
            let run = &text[start..end];
            let words = match memo.runs.get(run) {
                Some(words) => Rc::clone(words),
                None => {
                    let words = memo.analyze_run(run, lexicon);
                    memo.runs.insert(run.into(), Rc::clone(&words));
                    words
                }
            };
            for word in words.iter() {
                pending = memo.next_word(pending, word, lexicon, &mut emit);
            }
        }
        if let Some(word) = pending {
            emit_word(&word, &mut emit);
        }
    });
}

/// Called before each article: lets the memo start over when it has grown too large.
pub fn start_article() {
    MEMO.with(|memo| {
        let mut memo = memo.borrow_mut();
        if memo.runs.len() > MEMO_LIMIT {
            *memo = Memo::default();
        }
    });
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

    fn analyze_run(&mut self, run: &str, lexicon: &Lexicon) -> Rc<[Word]> {
        let mut folded = std::mem::take(&mut self.folded);
        normalize::fold_run(run, &mut folded);
        let words = normalize::words(&folded)
            .map(|surface| self.analyze_word(surface, lexicon))
            .collect();
        self.folded = folded;
        words
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

    #[test]
    fn stop_words_are_dropped() {
        assert_eq!(stems("في مصر والتي لهذا"), ["مصر"]);
    }
}
