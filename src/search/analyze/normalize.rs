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
    let table = &*TWO_BYTE_RUN_CHARS;
    let mut at = 0;
    std::iter::from_fn(move || {
        at = skip(text, at, false, table);
        if at == text.len() {
            return None;
        }
        let start = at;
        at = skip(text, at, true, table);
        Some((start, at))
    })
}

/// [`is_run_char`] for every character of one or two UTF-8 bytes (U+0000–U+07FF: Latin
/// and all of Arabic), looked up instead of worked out: every indexed word goes through
/// this loop.
static TWO_BYTE_RUN_CHARS: std::sync::LazyLock<Vec<bool>> = std::sync::LazyLock::new(|| {
    (0..0x800u32)
        .map(|code| char::from_u32(code).is_some_and(is_run_char))
        .collect()
});

/// The byte offset of the first character from `at` on whose [`is_run_char`] is not
/// `inside`, or the end of `text`.
fn skip(text: &str, mut at: usize, inside: bool, table: &[bool]) -> usize {
    let bytes = text.as_bytes();
    while at < bytes.len() {
        let lead = bytes[at];
        let (run_char, len) = if lead < 0x80 {
            (table[usize::from(lead)], 1)
        } else if lead < 0xE0 {
            // Two bytes (the text is valid UTF-8): 110xxxxx 10xxxxxx.
            let code = (usize::from(lead & 0x1F) << 6) | usize::from(bytes[at + 1] & 0x3F);
            (table[code], 2)
        } else {
            let c = text[at..].chars().next().unwrap_or('\u{FFFD}');
            (is_run_char(c), c.len_utf8())
        };
        if run_char != inside {
            break;
        }
        at += len;
    }
    at
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

    #[test]
    fn runs_are_the_maximal_stretches_of_run_characters() {
        let text = "قال «الوزير» إنّ 2015م، و Google's نمو ٣٪ ﻻ\u{200C}بأس 🙂 € é";
        let expected: Vec<(usize, usize)> = {
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
        };
        assert_eq!(runs(text).collect::<Vec<_>>(), expected);
        assert!(expected.len() > 8);
        assert_eq!(runs("").count(), 0);
        assert_eq!(runs("، .").count(), 0);
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
