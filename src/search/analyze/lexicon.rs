//! The word lists behind the stemmer, compiled once: the built-in files in `src/search/data/`
//! (names, words kept whole, stop words, broken plurals, short nisba bases, name variants,
//! split loanwords)
//! extended by the site's own [`SiteLexicon`].
//!
//! Every entry is normalised with the same rules as the text, so the lists can be written
//! the way people write (with hamza, ة, tashkeel). Names lose a leading ال (the stemmer
//! strips the article before it asks). The compiled lists are also what the browser module
//! receives (as JSON in the index's meta file), so both sides stem with the same words.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use super::normalize::normalize_phrase;
use crate::search::SiteLexicon;

const NAMES: &str = include_str!("../data/names.txt");
const KEEP: &str = include_str!("../data/keep.txt");
const STOPWORDS: &str = include_str!("../data/stopwords.txt");
const BROKEN_PLURALS: &str = include_str!("../data/broken_plurals.txt");
const VARIANTS: &str = include_str!("../data/variants.txt");
const JOINED: &str = include_str!("../data/joined.txt");
const NISBA_BASES: &str = include_str!("../data/nisba_bases.txt");

/// The compiled lists, all in normalised form.
#[derive(Debug, Default)]
pub struct Lexicon {
    /// Words the stemmer leaves whole: names, the words of `keep.txt`, every variant
    /// spelling, joined loanwords and the first halves of split ones.
    pub fixed: HashSet<String>,
    /// Proper names, and the short words of `nisba_bases.txt`: the nisba rule may end on them
    /// even when they are short (مصري → مصر, أمني → أمن).
    pub names: HashSet<String>,
    pub stop: HashSet<String>,
    /// Broken plural → singular (the singular is stemmed further).
    pub broken: HashMap<String, String>,
    /// Any spelling → the group's first spelling.
    pub variants: HashMap<String, String>,
    /// First half of a split loanword → (second half, joined form).
    pub joined: HashMap<String, Vec<(String, String)>>,
    /// A digest of the site lists this was compiled from.
    pub fingerprint: u64,
}

/// The lexicon for a site's lists, compiled on first use and shared while the lists stay
/// the same (every article of a build asks for it).
pub fn compiled(site: &SiteLexicon) -> Arc<Lexicon> {
    static LAST: Mutex<Option<Arc<Lexicon>>> = Mutex::new(None);
    let fingerprint = crate::hash::stable_hash((&site.names, &site.variants, &site.joined));
    let mut last = LAST.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(lexicon) = last.as_ref().filter(|l| l.fingerprint == fingerprint) {
        return Arc::clone(lexicon);
    }
    let lexicon = Arc::new(Lexicon::build(site, fingerprint));
    *last = Some(Arc::clone(&lexicon));
    lexicon
}

/// The entries of a data file: lines without comments or blanks.
fn entries(file: &str) -> impl Iterator<Item = &str> {
    file.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
}

/// A name as the stemmer meets it: normalised, without a leading article when what is left
/// is still a word (but الله stays).
fn name_key(name: &str) -> String {
    let word = normalize_phrase(name);
    match word.strip_prefix("ال") {
        Some(rest) if rest.chars().count() >= 3 && !rest.contains(' ') => rest.to_string(),
        _ => word,
    }
}

impl Lexicon {
    fn build(site: &SiteLexicon, fingerprint: u64) -> Lexicon {
        let mut lexicon = Lexicon {
            fingerprint,
            ..Lexicon::default()
        };
        let site_names = site.names.iter().map(String::as_str);
        for name in entries(NAMES).chain(entries(NISBA_BASES)).chain(site_names) {
            lexicon.add_name(name);
        }
        for word in entries(KEEP) {
            lexicon.fixed.insert(normalize_phrase(word));
        }
        lexicon.stop = entries(STOPWORDS).map(normalize_phrase).collect();
        for line in entries(BROKEN_PLURALS) {
            if let Some((plural, singular)) = line.split_once('|') {
                let singular = normalize_phrase(singular);
                lexicon.broken.insert(normalize_phrase(plural), singular);
            }
        }
        let builtin_groups = entries(VARIANTS).map(|line| line.split('|').collect::<Vec<_>>());
        let site_groups = site
            .variants
            .iter()
            .map(|group| group.iter().map(String::as_str).collect());
        for group in builtin_groups.chain(site_groups) {
            lexicon.add_variants(&group);
        }
        let builtin_joined = entries(JOINED).filter_map(|line| line.split_once('|'));
        let site_joined = site.joined.iter().map(|(j, s)| (j.as_str(), s.as_str()));
        for (joined, split) in builtin_joined.chain(site_joined) {
            lexicon.add_joined(joined, split);
        }
        lexicon
    }

    fn add_name(&mut self, name: &str) {
        let key = name_key(name);
        if !key.is_empty() && !key.contains(' ') {
            self.fixed.insert(key.clone());
            self.names.insert(key);
        }
    }

    /// One group of spellings: all of them point at the first (a site's group may extend a
    /// built-in one by sharing a spelling: then the built-in first spelling stays the key).
    fn add_variants(&mut self, group: &[&str]) {
        let keys: Vec<String> = group
            .iter()
            .map(|spelling| name_key(spelling))
            .filter(|key| !key.is_empty() && !key.contains(' '))
            .collect();
        let Some(first) = keys.first() else { return };
        let canonical = keys
            .iter()
            .find_map(|key| self.variants.get(key))
            .unwrap_or(first)
            .clone();
        for key in keys {
            self.fixed.insert(key.clone());
            self.names.insert(key.clone());
            self.variants.insert(key, canonical.clone());
        }
    }

    fn add_joined(&mut self, joined: &str, split: &str) {
        let joined = normalize_phrase(joined);
        let split = normalize_phrase(split);
        let Some((first, second)) = split.split_once(' ') else {
            return;
        };
        if joined.is_empty() || second.contains(' ') {
            return;
        }
        self.fixed.insert(joined.clone());
        self.names.insert(joined.clone());
        self.fixed.insert(first.to_string());
        let pairs = self.joined.entry(first.to_string()).or_default();
        if !pairs.iter().any(|(s, _)| s == second) {
            pairs.push((second.to_string(), joined));
        }
    }

    /// The lists as the browser module reads them (sorted, so the JSON is deterministic).
    pub fn to_json(&self) -> serde_json::Value {
        fn sorted_set(set: &HashSet<String>) -> Vec<&String> {
            let mut list: Vec<&String> = set.iter().collect();
            list.sort();
            list
        }
        let sorted_map = |map: &HashMap<String, String>| {
            map.iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect::<std::collections::BTreeMap<_, _>>()
        };
        let joined: std::collections::BTreeMap<_, _> = self.joined.iter().collect();
        serde_json::json!({
            "fixed": sorted_set(&self.fixed),
            "names": sorted_set(&self.names),
            "stop": sorted_set(&self.stop),
            "broken": sorted_map(&self.broken),
            "variants": sorted_map(&self.variants),
            "joined": joined,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_normalised_and_names_lose_the_article() {
        let lexicon = compiled(&SiteLexicon::default());
        assert!(lexicon.names.contains("مصر"));
        assert!(lexicon.names.contains("قاهره"));
        assert!(lexicon.names.contains("الله"));
        assert_eq!(
            lexicon.broken.get("رءساء").map(String::as_str),
            Some("رءيس")
        );
        assert_eq!(
            lexicon.variants.get("جوجل").map(String::as_str),
            Some("غوغل")
        );
        assert_eq!(
            lexicon.variants.get("google").map(String::as_str),
            Some("غوغل")
        );
        assert!(lexicon.joined["فيس"].contains(&("بوك".into(), "فيسبوك".into())));
        assert!(lexicon.stop.contains("الي"));
    }

    #[test]
    fn a_site_extends_the_lists() {
        let site = SiteLexicon {
            names: vec!["المحلة".into()],
            variants: vec![vec!["قوقل".into(), "غووغل".into()]],
            joined: vec![("كيبورد".into(), "كي بورد".into())],
        };
        let lexicon = compiled(&site);
        assert!(lexicon.names.contains("محله"));
        assert_eq!(
            lexicon.variants.get("غووغل").map(String::as_str),
            Some("غوغل")
        );
        assert!(lexicon.joined.contains_key("كي"));
        assert!(!compiled(&SiteLexicon::default()).names.contains("محله"));
    }
}
