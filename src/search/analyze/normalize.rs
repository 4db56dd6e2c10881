//! From raw text to normalised words: the character rules of search.
//!
//! Text is first cut into *runs*: maximal stretches of letters, digits, combining marks and
//! zero-width joiners, exactly what `/[\p{Alphabetic}\p{N}\p{M}\u200C\u200D]/u` matches in
//! the browser. Each run is then NFKC-normalised (so presentation forms and ligatures become
//! plain letters), stripped of tashkeel, tatweel and invisible controls, and folded: alef
//! forms (أ إ آ ٱ) to ا, hamza seats (ؤ ئ) to ء so that مسئول and مسؤول meet, ة to ه, ى to
//! ي, Persian ی ک to ي ك, Arabic-Indic and Eastern digits to ASCII, and every letter
//! lowercased one character at a time. A folded run splits into words at anything that is
//! not a letter or digit, and where Arabic script meets another script (`كورونا19`).
//!
//! Most runs hold only characters NFKC leaves alone; those skip the normalisation tables,
//! which is the one costly step. The JavaScript side always normalises: the result is the
//! same by construction.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::arabic::text::is_ignorable;

/// Whether `c` belongs to a run (a raw word before normalisation).
pub fn is_run_char(c: char) -> bool {
    match c {
        _ if c.is_ascii() => c.is_ascii_alphanumeric(),
        '\u{0620}'..='\u{065F}' | '\u{0660}'..='\u{0669}' | '\u{066E}'..='\u{06D3}' => true,
        '\u{060C}' | '\u{061B}' | '\u{061F}' | '\u{066A}'..='\u{066D}' | '\u{06D4}' => false,
        '\u{200C}' | '\u{200D}' => true,
        _ => c.is_alphanumeric() || is_combining_mark(c),
    }
}

/// Whether `c` can end up in a word once a run is folded.
fn is_word_char(c: char) -> bool {
    match c {
        _ if c.is_ascii() => c.is_ascii_alphanumeric(),
        '\u{0620}'..='\u{063F}' | '\u{0641}'..='\u{064A}' => true,
        _ => c.is_alphanumeric(),
    }
}

/// Arabic script, where a word must not run on into Latin letters or digits.
fn is_arabic(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}')
}

/// Characters NFKC maps to themselves in any context: ASCII, the Arabic letters, single
/// tashkeel (reordered marks are dropped anyway), digits, tatweel, joiners. The hamza and
/// madda marks (U+0653–U+0655) compose with a preceding letter, so they are not here.
fn is_nfkc_stable(c: char) -> bool {
    matches!(c,
        '\0'..='\u{7F}'
        | '\u{0621}'..='\u{0652}'
        | '\u{0656}'..='\u{065F}'
        | '\u{0660}'..='\u{0669}'
        | '\u{0670}'..='\u{0671}'
        | '\u{06F0}'..='\u{06F9}'
        | '\u{200C}'..='\u{200D}')
}

/// Cuts `text` into runs, as byte ranges.
pub fn runs(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let (outside, inside) = &*STRIDES;
    let mut at = 0;
    std::iter::from_fn(move || {
        at = skip(text, at, false, outside);
        if at == text.len() {
            return None;
        }
        let start = at;
        at = skip(text, at, true, inside);
        Some((start, at))
    })
}

/// How far to step over the characters that start with two given bytes (indexed by
/// `first << 8 | second`) while they are (`inside`) or are not run characters: 0 when the
/// first character is not, 1 for one ASCII character, 2 for two ASCII characters or one
/// two-byte character (U+0080–U+07FF: Latin and all of Arabic), and [`WORK_IT_OUT`] for a
/// longer character. Every indexed word goes through this loop, two bytes at a time.
type Strides = Box<[u8; 1 << 16]>;

const WORK_IT_OUT: u8 = u8::MAX;

static STRIDES: std::sync::LazyLock<(Strides, Strides)> =
    std::sync::LazyLock::new(|| (strides(false), strides(true)));

fn strides(inside: bool) -> Strides {
    let fits = |code: u32| char::from_u32(code).is_some_and(|c| is_run_char(c) == inside);
    let mut table: Strides = Box::new([0; 1 << 16]);
    for (pair, stride) in table.iter_mut().enumerate() {
        let [first, second] = (pair as u16).to_be_bytes();
        *stride = match first {
            0..0x80 if !fits(u32::from(first)) => 0,
            0..0x80 if second < 0x80 && fits(u32::from(second)) => 2,
            0..0x80 => 1,
            0xC0..0xE0 => {
                let code = (u32::from(first & 0x1F) << 6) | u32::from(second & 0x3F);
                if fits(code) { 2 } else { 0 }
            }
            _ => WORK_IT_OUT,
        };
    }
    table
}

/// The byte offset of the first character from `at` on whose [`is_run_char`] is not
/// `inside`, or the end of `text`; `strides` is the table for `inside`.
#[inline]
fn skip(text: &str, mut at: usize, inside: bool, strides: &[u8; 1 << 16]) -> usize {
    let bytes = text.as_bytes();
    while let Some(pair) = bytes.get(at..at + 2) {
        match strides[usize::from(pair[0]) << 8 | usize::from(pair[1])] {
            0 => return at,
            WORK_IT_OUT => match long_char(text, at, inside) {
                Some(len) => at += len,
                None => return at,
            },
            stride => at += usize::from(stride),
        }
    }
    // One byte left: an ASCII character.
    match bytes.get(at) {
        Some(&last) if is_run_char(char::from(last)) == inside => at + 1,
        _ => at,
    }
}

/// The length of the character of three or four bytes at `at` if its [`is_run_char`] is
/// `inside` (rare: kept out of the loop).
#[cold]
#[inline(never)]
fn long_char(text: &str, at: usize, inside: bool) -> Option<usize> {
    // The text is valid UTF-8 and `at` is at a character.
    let c = text.get(at..)?.chars().next()?;
    (is_run_char(c) == inside).then_some(c.len_utf8())
}

/// Folds one run into `out` (cleared first): NFKC when needed, then the character rules.
pub fn fold_run(run: &str, out: &mut String) {
    out.clear();
    if run.chars().all(is_nfkc_stable) {
        run.chars().for_each(|c| push_folded(c, out));
    } else {
        run.nfkc().for_each(|c| push_folded(c, out));
    }
}

fn push_folded(c: char, out: &mut String) {
    if is_ignorable(c) {
        return;
    }
    match c {
        'a'..='z' | '0'..='9' => out.push(c),
        'أ' | 'إ' | 'آ' | 'ٱ' | '\u{0672}' | '\u{0673}' => out.push('ا'),
        'ؤ' | 'ئ' => out.push('ء'),
        'ة' => out.push('ه'),
        'ى' | 'ی' => out.push('ي'),
        'ک' => out.push('ك'),
        '\u{0660}'..='\u{0669}' => out.push(shift_digit(c, 0x0660)),
        '\u{06F0}'..='\u{06F9}' => out.push(shift_digit(c, 0x06F0)),
        '\u{0621}'..='\u{06FF}' => out.push(c),
        _ => out.extend(c.to_lowercase()),
    }
}

fn shift_digit(c: char, zero: u32) -> char {
    char::from_digit(c as u32 - zero, 10).unwrap_or(c)
}

/// The words of a folded run: split at non-word characters and at script changes.
pub fn words(folded: &str) -> impl Iterator<Item = &str> {
    let mut rest = folded;
    std::iter::from_fn(move || {
        let start = rest.find(is_word_char)?;
        rest = &rest[start..];
        let first_arabic = rest.chars().next().is_some_and(is_arabic);
        let end = rest
            .char_indices()
            .find(|&(_, c)| !is_word_char(c) || is_arabic(c) != first_arabic)
            .map_or(rest.len(), |(i, _)| i);
        let (word, tail) = rest.split_at(end);
        rest = tail;
        Some(word)
    })
}

/// The one normalised word of a short entry (a lexicon line), or all its words joined by a
/// space when it has several.
pub fn normalize_phrase(text: &str) -> String {
    let mut folded = String::new();
    let mut phrase = String::new();
    for (start, end) in runs(text) {
        fold_run(&text[start..end], &mut folded);
        for word in words(&folded) {
            if !phrase.is_empty() {
                phrase.push(' ');
            }
            phrase.push_str(word);
        }
    }
    phrase
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The runs of `text` found one character at a time, by the definition.
    fn runs_by_definition(text: &str) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut start = None;
        for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
            match (is_run_char(c) && i < text.len(), start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    out.push((s, i));
                    start = None;
                }
                _ => {}
            }
        }
        out
    }

    #[test]
    fn runs_are_the_maximal_stretches_of_run_characters() {
        let text = "قال «الوزير» إنّ 2015م، و Google's نمو ٣٪ ﻻ\u{200C}بأس 🙂 € é";
        let expected = runs_by_definition(text);
        assert_eq!(runs(text).collect::<Vec<_>>(), expected);
        assert!(expected.len() > 8);
        assert_eq!(runs("").count(), 0);
        assert_eq!(runs("، .").count(), 0);
        assert_eq!(runs("a").collect::<Vec<_>>(), [(0, 1)]);
        assert_eq!(runs("ب a").collect::<Vec<_>>(), [(0, 2), (3, 4)]);
    }

    proptest::proptest! {
        /// Two bytes at a time finds what one character at a time does, whatever the mix
        /// of ASCII, Arabic letters and marks, punctuation, and longer characters.
        #[test]
        fn runs_match_the_definition(text in "[a-z0-9 ,.'«»،؛؟٪ـًّءاأبةتيىۀکی٣۴ﻻ\u{200C}\u{0654}€🙂é-]{0,40}") {
            proptest::prop_assert_eq!(runs(&text).collect::<Vec<_>>(), runs_by_definition(&text));
        }
    }

    fn all_words(text: &str) -> Vec<String> {
        normalize_phrase(text)
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn folds_the_spellings_of_one_word_together() {
        assert_eq!(all_words("مُسْؤُول مسئول"), ["مسءول", "مسءول"]);
        assert_eq!(
            all_words("إسلام أحمد آخر ٱلله"),
            ["اسلام", "احمد", "اخر", "الله"]
        );
        assert_eq!(all_words("مدرسة مستشفى"), ["مدرسه", "مستشفي"]);
        assert_eq!(all_words("الـــسعودية"), ["السعوديه"]);
        assert_eq!(all_words("٢٠٢٥ ۱۴"), ["2025", "14"]);
        assert_eq!(all_words("iPhone GOOGLE"), ["iphone", "google"]);
    }

    #[test]
    fn presentation_forms_and_composed_hamza_become_plain_letters() {
        assert_eq!(
            all_words("\u{FEE3}\u{FEAE}\u{FEA3}\u{FE92}\u{FE8E}"),
            ["مرحبا"]
        );
        assert_eq!(all_words("\u{FEFB}"), ["لا"]);
        assert_eq!(all_words("مسو\u{0654}ول"), ["مسءول"]);
        assert_eq!(all_words("ا\u{0653}خر"), ["اخر"]);
    }

    #[test]
    fn words_split_at_punctuation_and_script_changes() {
        assert_eq!(all_words("كورونا19، و5G؟"), ["كورونا", "19", "و", "5g"]);
        assert_eq!(all_words("(مصر) - «القاهرة»"), ["مصر", "القاهره"]);
    }
}
