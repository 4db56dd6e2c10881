//! Every word key and stem key the analysis has met in this process, each numbered once: an
//! analysed article keeps its words as these numbers ([`Sym`]) instead of strings, four
//! bytes a word however long, and the index groups and counts them without hashing text.
//!
//! The numbers mean nothing outside the process (the disk cache stores the strings). Words
//! are never forgotten: a site's vocabulary is a few hundred thousand keys at most, a few
//! megabytes, and forgetting one would invalidate every analysis that holds its number.

use std::sync::{Arc, RwLock, RwLockReadGuard};

use rustc_hash::FxHashMap as HashMap;

/// The number of a word key or stem key in this process's [`Vocab`].
pub type Sym = u32;

/// The strings behind the numbers.
#[derive(Default)]
pub struct Vocab {
    ids: HashMap<Arc<str>, Sym>,
    strings: Vec<Arc<str>>,
}

impl Vocab {
    /// The string numbered `sym` (empty for a number never given, which cannot happen for
    /// a number this process made).
    pub fn text(&self, sym: Sym) -> &str {
        self.strings.get(sym as usize).map_or("", |s| s)
    }
}

static VOCAB: RwLock<Option<Vocab>> = RwLock::new(None);

/// The number of `text`, given now if it has none yet.
pub fn sym(text: &Arc<str>) -> Sym {
    sym_of(text, || Arc::clone(text))
}

/// [`sym`] of a string not shared yet: it is copied only if it is new.
pub fn sym_of_str(text: &str) -> Sym {
    sym_of(text, || text.into())
}

fn sym_of(text: &str, shared: impl FnOnce() -> Arc<str>) -> Sym {
    if let Some(&sym) = read().ids.get(text) {
        return sym;
    }
    let mut guard = VOCAB.write().unwrap_or_else(|e| e.into_inner());
    let vocab = guard.get_or_insert_with(Vocab::default);
    if let Some(&sym) = vocab.ids.get(text) {
        return sym;
    }
    let sym = vocab.strings.len() as Sym;
    let text = shared();
    vocab.strings.push(Arc::clone(&text));
    vocab.ids.insert(text, sym);
    sym
}

/// The vocabulary, to turn numbers back into strings (the lock is shared: analysis may go
/// on meanwhile, and only waits to add a new word).
pub fn read() -> ReadVocab {
    let guard = VOCAB.read().unwrap_or_else(|e| e.into_inner());
    ReadVocab(guard)
}

/// A read lock on the vocabulary; dereferences to it.
pub struct ReadVocab(RwLockReadGuard<'static, Option<Vocab>>);

impl std::ops::Deref for ReadVocab {
    type Target = Vocab;

    fn deref(&self) -> &Vocab {
        static EMPTY: std::sync::OnceLock<Vocab> = std::sync::OnceLock::new();
        self.0
            .as_ref()
            .unwrap_or_else(|| EMPTY.get_or_init(Vocab::default))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_string_one_number_and_back() {
        let a: Arc<str> = "مصر-vocab-test".into();
        let b: Arc<str> = "مصر-vocab-test".into();
        let n = sym(&a);
        assert_eq!(n, sym(&b));
        assert_ne!(n, sym(&"غيرها-vocab-test".into()));
        assert_eq!(read().text(n), "مصر-vocab-test");
    }
}
