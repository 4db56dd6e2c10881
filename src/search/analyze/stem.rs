//! The light stemmer: from a normalised word to its whole-word key and its stem key.
//!
//! **Whole-word keys** ([`readings`]): the word without what is attached in front. After
//! the article (ال, or لل for ل + ال) what remains is the word: الفلسطينية is فلسطينيه,
//! never ف + لسطينيه. Before it, the one-letter particles و ف ب ل ك are ambiguous (وزير is
//! a word, وفلسطين is و + فلسطين), so such a word has several readings, each particle peeled
//! in turn: وبالشركة reads وبالشركه, بالشركه and شركه. A particle comes off only when three
//! letters stay (ورد and بلد are words), the article when two stay. A name, a word of the
//! keep list or a variant spelling stops the peeling (فيسبوك is not ف + يسبوك, لبنان is not
//! ل + بنان), and a particle before such a word comes off first (للبنان is ل + لبنان, not
//! لل + بنان). A variant spelling becomes its group's first spelling (جوجل → غوغل). A query
//! word matches an article with any of its readings.
//!
//! **Stem key**: the whole-word key with endings removed, one at a time until none applies
//! (at most [`MAX_STEPS`]): a broken plural becomes its singular from the list (هواتف →
//! هاتف, once), then the pronoun endings ها هم هما, the dual and sound plural endings تين تان ات
//! ون ين ان, the feminine ه (from ة), the nisba ي (only when four letters stay, or when what
//! stays is a name: مصري → مصر, سوري → سوريا), and the tanween alef (تحالفًا → تحالف). A name
//! or kept word stops the stripping, and a feminine, dual or plural ending is not taken off
//! where a name would be left (رياضة is not الرياض). Because every rule applies to every form, the forms of
//! one word meet: شركة, شركات and الشركتين all stem to شرك, and الفلسطينيين, فلسطيني and
//! الفلسطينية to فلسطين. مصرف stays مصرف: stems are whole keys, never prefixes, so مصر
//! never finds مصرف.

use super::lexicon::Lexicon;

/// Endings removed at most this many times from one word.
const MAX_STEPS: usize = 6;

/// The article (and ل + article), with the letters that must remain after it.
const ARTICLES: &[(&str, usize)] = &[("لل", 2), ("ال", 2)];

/// One-letter particles (و ف ب ل ك), with the letters that must remain after one.
const PARTICLES: &[char] = &['و', 'ف', 'ب', 'ل', 'ك'];
const AFTER_PARTICLE: usize = 3;

/// Endings, longest first within a kind, with the letters that must remain.
const SUFFIXES: &[(&str, usize)] = &[
    ("هما", 3),
    ("ها", 3),
    ("هم", 4),
    ("تين", 3),
    ("تان", 3),
    ("ات", 3),
    ("ون", 3),
    ("ين", 3),
    ("ان", 3),
    ("ه", 3),
];

/// The feminine, dual and plural endings: a name never takes one (a nisba comes first:
/// الفلسطينيون), so one that would leave a name leaves another word instead: رياضة and
/// رياضات (sport) are not الرياض, قطرات (drops) is not قطر.
const AGREEMENT: &[&str] = &["تين", "تان", "ات", "ون", "ين", "ان", "ه"];

/// A proper name of the lists (not a short nisba base such as أمن).
fn is_proper_name(lexicon: &Lexicon, word: &str) -> bool {
    lexicon.fixed.contains(word) && lexicon.names.contains(word)
}

fn letters(word: &str) -> usize {
    word.chars().count()
}

/// Whether a word is Arabic (only Arabic words are peeled and stemmed).
fn is_arabic_word(word: &str) -> bool {
    word.chars()
        .next()
        .is_some_and(|c| matches!(c, '\u{0621}'..='\u{06FF}'))
}

/// The whole-word keys a normalised word may stand for, most literal first, without
/// repeats. After the article the rest is the word; a one-letter particle is ambiguous
/// (وزير is a word, وفلسطين is و + فلسطين), so the word counts both with and without it.
pub fn readings<'a>(lexicon: &'a Lexicon, word: &'a str) -> Vec<&'a str> {
    let mut keys: Vec<&str> = Vec::with_capacity(2);
    let mut rest = word;
    if is_arabic_word(word) {
        loop {
            if lexicon.fixed.contains(rest) {
                break;
            }
            // A particle before a name comes off before any article: للبنان is ل + لبنان.
            if let Some(name) = strip_particle(rest).filter(|bare| lexicon.fixed.contains(*bare)) {
                push_new(&mut keys, canonical(lexicon, rest));
                rest = name;
                continue;
            }
            if let Some(bare) = strip_article(rest) {
                rest = bare;
                break;
            }
            let Some(bare) = strip_particle(rest) else {
                break;
            };
            push_new(&mut keys, canonical(lexicon, rest));
            rest = bare;
        }
    }
    push_new(&mut keys, canonical(lexicon, rest));
    keys
}

fn push_new<'a>(keys: &mut Vec<&'a str>, key: &'a str) {
    if !keys.contains(&key) {
        keys.push(key);
    }
}

/// A variant spelling's group key, or the word itself.
pub fn canonical<'a>(lexicon: &'a Lexicon, word: &'a str) -> &'a str {
    lexicon.variants.get(word).map_or(word, String::as_str)
}

fn strip_article(word: &str) -> Option<&str> {
    ARTICLES.iter().find_map(|(article, keep)| {
        word.strip_prefix(article)
            .filter(|rest| letters(rest) >= *keep)
    })
}

fn strip_particle(word: &str) -> Option<&str> {
    word.strip_prefix(PARTICLES)
        .filter(|rest| letters(rest) >= AFTER_PARTICLE)
}

/// The stem key of a whole-word key.
pub fn stem(lexicon: &Lexicon, word_key: &str) -> String {
    let mut stem = word_key.to_string();
    if !is_arabic_word(word_key) {
        return stem;
    }
    let mut plural_seen = false;
    for _ in 0..MAX_STEPS {
        if lexicon.fixed.contains(&stem) {
            break;
        }
        // Once only: a singular may strip back to its plural's letters (دولة → دول).
        if let Some(singular) = lexicon.broken.get(&stem).filter(|_| !plural_seen) {
            stem.clone_from(singular);
            plural_seen = true;
            continue;
        }
        match strip_suffix(lexicon, &stem) {
            Some(shorter) => stem = shorter,
            None => break,
        }
    }
    // A nisba may have led to another spelling of a name (اميركي → اميركا).
    match lexicon.variants.get(&stem) {
        Some(canonical) => canonical.clone(),
        None => stem,
    }
}

/// One ending off, or `None` when none applies.
fn strip_suffix(lexicon: &Lexicon, word: &str) -> Option<String> {
    let plain = SUFFIXES.iter().find_map(|(suffix, keep)| {
        word.strip_suffix(suffix).filter(|rest| {
            letters(rest) >= *keep && !(AGREEMENT.contains(suffix) && is_proper_name(lexicon, rest))
        })
    });
    if let Some(rest) = plain {
        return Some(rest.to_string());
    }
    if let Some(rest) = word.strip_suffix('ي') {
        return nisba_base(lexicon, rest);
    }
    word.strip_suffix('ا')
        .filter(|rest| letters(rest) >= 4)
        .map(str::to_string)
}

/// What a nisba adjective comes from: a name (مصر from مصري, سوريا from سوري, روسيا from
/// روسي), or, for words without a listed name, the word without its ي when four letters stay.
fn nisba_base(lexicon: &Lexicon, rest: &str) -> Option<String> {
    let names = [rest.to_string(), format!("{rest}ا"), format!("{rest}يا")];
    if let Some(name) = names.into_iter().find(|n| lexicon.names.contains(n)) {
        return Some(name);
    }
    (letters(rest) >= 4).then(|| rest.to_string())
}
