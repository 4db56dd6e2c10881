//! Arabic-aware text helpers: URL slugs, plain-text cleanup, word counts, and which languages
//! are written right to left.
//!
//! Slugs keep Arabic letters (transliteration makes unreadable consonant skeletons). They are
//! NFC, without tashkeel, tatweel, dagger alef or invisible bidi/zero-width controls; every run
//! of punctuation or space becomes one `-`; Arabic-Indic digits stay readable as ASCII digits;
//! and the length is bounded at a word boundary so that even percent-encoded (as links,
//! logs and some upload tools write it) a slug fits a file system's 255-byte name limit.

use unicode_normalization::UnicodeNormalization;

/// Kept here too, where it used to live, so older imports keep compiling.
pub use super::digits::Digits;

/// Longest a slug may be once percent-encoded. An Arabic letter is two UTF-8 bytes and six
/// characters encoded (`%D8%A7`), so this allows about 42 Arabic letters: a headline's first
/// words, short enough for shared links too.
pub const MAX_SLUG_ENCODED_BYTES: usize = 255;

/// Turns a title, tag or heading into a URL-safe slug that keeps Arabic.
///
/// Returns an empty string when nothing sluggable is left (a title of only punctuation or
/// emoji); callers turn that into an error asking for `slug:`.
pub fn slugify(input: &str) -> String {
    let mut slug = String::with_capacity(input.len());
    let mut pending_dash = false;
    let composed: std::borrow::Cow<str> = if surely_nfc(input) {
        input.into()
    } else {
        input.nfc().collect::<String>().into()
    };
    for c in composed.chars() {
        if is_ignorable(c) {
            continue;
        }
        if let Some(digit) = arabic_indic_digit(c) {
            push_slug_char(&mut slug, &mut pending_dash, digit);
        } else if is_letter_or_digit(c) {
            // Some capitals lowercase to a letter plus a combining mark; keep the letter only,
            // so that slugging a slug changes nothing.
            for lower in c.to_lowercase().filter(|l| is_letter_or_digit(*l)) {
                push_slug_char(&mut slug, &mut pending_dash, lower);
            }
        } else {
            pending_dash = !slug.is_empty();
        }
    }
    truncate_at_word(slug, MAX_SLUG_ENCODED_BYTES)
}

fn push_slug_char(slug: &mut String, pending_dash: &mut bool, c: char) {
    if *pending_dash {
        slug.push('-');
        *pending_dash = false;
    }
    slug.push(c);
}

/// Cuts a slug so its percent-encoded form is at most `max` bytes, at the last `-` inside
/// the limit when there is one.
fn truncate_at_word(slug: String, max: usize) -> String {
    if encoded_len(&slug) <= max {
        return slug;
    }
    let mut used = 0;
    let mut end = 0;
    for (i, c) in slug.char_indices() {
        used += encoded_char_len(c);
        if used > max {
            break;
        }
        end = i + c.len_utf8();
    }
    let cut = &slug[..end];
    match cut.rfind('-') {
        Some(i) if i > 0 => cut[..i].to_string(),
        _ => cut.to_string(),
    }
}

/// Length of `s` percent-encoded as a URL path segment.
pub fn encoded_len(s: &str) -> usize {
    s.chars().map(encoded_char_len).sum()
}

fn encoded_char_len(c: char) -> usize {
    if c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~') {
        1
    } else {
        3 * c.len_utf8()
    }
}

/// Marks that change nothing a reader sees in a URL: tashkeel, dagger alef, tatweel, and
/// invisible direction or joining controls.
pub fn is_ignorable(c: char) -> bool {
    matches!(c,
        '\u{0610}'..='\u{061A}'   // Quranic annotation signs
        | '\u{064B}'..='\u{065F}' // tashkeel
        | '\u{0670}'              // dagger alef
        | '\u{06D6}'..='\u{06ED}' // Quranic marks
        | '\u{0640}'              // tatweel
        | '\u{200B}'..='\u{200F}' // zero-width space/joiners, LRM, RLM
        | '\u{061C}'              // Arabic letter mark
        | '\u{202A}'..='\u{202E}' // bidi embeddings and overrides
        | '\u{2066}'..='\u{2069}' // bidi isolates
        | '\u{FEFF}'              // BOM / zero-width no-break space
    )
}

/// Arabic-Indic (٠–٩) and Eastern Arabic-Indic (۰–۹) digits as ASCII digits.
fn arabic_indic_digit(c: char) -> Option<char> {
    let zero = match c {
        '\u{0660}'..='\u{0669}' => 0x0660,
        '\u{06F0}'..='\u{06F9}' => 0x06F0,
        _ => return None,
    };
    char::from_digit(c as u32 - zero, 10)
}

/// The key under which spellings of one word are the same: NFC, no tashkeel or tatweel,
/// hamza forms on alef as bare alef, ta marbuta as ha, alef maqsura as ya, Latin lowercased,
/// single spaces. For matching (tags, category names), never for display or URLs.
pub fn fold_variants(input: &str) -> String {
    let mut folded = String::with_capacity(input.len());
    for c in clean_label(input).chars() {
        if is_ignorable(c) {
            continue;
        }
        match c {
            'أ' | 'إ' | 'آ' | 'ٱ' => folded.push('ا'),
            'ة' => folded.push('ه'),
            'ى' => folded.push('ي'),
            c => folded.extend(c.to_lowercase()),
        }
    }
    folded
}

/// NFC text with invisible bidi controls and tatweel removed and spaces collapsed: the form
/// in which titles, tags and names are compared and displayed.
pub fn clean_label(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let composed: std::borrow::Cow<str> = if surely_nfc(input) {
        input.into()
    } else {
        input.nfc().collect::<String>().into()
    };
    for word in composed.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().filter(|c| {
            !matches!(c, '\u{0640}' | '\u{200B}' | '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
        }));
    }
    out
}

/// Shortens text to at most `max` characters at a word boundary, adding "…" when cut.
pub fn excerpt(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let at_word = cut
        .rfind(char::is_whitespace)
        .map_or(cut.as_str(), |i| &cut[..i]);
    format!(
        "{}…",
        at_word.trim_end_matches([' ', '،', ',', '؛', ';', ':', '.'])
    )
}

/// A title, description or summary line as shown: [`clean_label`], with ، ؛ ؟ kept to
/// their word.
pub fn display_text(input: &str) -> String {
    attach_arabic_punctuation(&clean_label(input)).into_owned()
}

/// Replaces the spaces typed before ، ؛ ؟ with one no-break space, so a line can never
/// start with the mark.
pub fn attach_arabic_punctuation(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(['،', '؛', '؟']) {
        return text.into();
    }
    let has_gap = text
        .char_indices()
        .any(|(i, c)| matches!(c, '،' | '؛' | '؟') && text[..i].ends_with(char::is_whitespace));
    if !has_gap {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if matches!(c, '،' | '؛' | '؟') && out.ends_with(char::is_whitespace) {
            let kept = out.trim_end_matches(char::is_whitespace).len();
            out.truncate(kept);
            out.push('\u{a0}');
        }
        out.push(c);
    }
    out.into()
}

/// True when every char is one that is NFC on its own and never reorders: ASCII, Latin-1,
/// Arabic letters, digits and punctuation, general punctuation. Most text is, and then needs
/// no trip through the normalisation tables.
///
/// A single tashkeel mark after a letter is fine too (marks only reorder among themselves);
/// two marks in a row, and the hamza and madda marks that compose with alef, are left to the
/// full check.
pub fn surely_nfc(text: &str) -> bool {
    let mut after_mark = false;
    text.chars().all(|c| {
        let single_mark = matches!(c, '\u{064B}'..='\u{0652}' | '\u{0656}'..='\u{065F}' | '\u{0670}');
        let stable = single_mark && !after_mark
            || matches!(c, '\0'..='\u{02FF}' | '\u{0600}'..='\u{064A}' | '\u{0660}'..='\u{066F}' | '\u{2000}'..='\u{206F}');
        after_mark = single_mark;
        stable
    })
}

/// Counts words for reading time: runs of letters or digits, in any script.
pub fn word_count(text: &str) -> usize {
    let mut words = 0;
    let mut in_word = false;
    for c in text.chars() {
        let word_char = is_letter_or_digit(c) || is_ignorable(c);
        if word_char && !in_word {
            words += 1;
        }
        in_word = word_char;
    }
    words
}

/// `char::is_alphanumeric` with fast answers for ASCII and the Arabic letters and digits that
/// make up nearly all our text; the general Unicode lookup is slow enough to show in profiles.
fn is_letter_or_digit(c: char) -> bool {
    match c {
        _ if c.is_ascii() => c.is_ascii_alphanumeric(),
        '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' | '\u{0660}'..='\u{0669}' => true,
        '\u{060C}' | '\u{061B}' | '\u{061F}' | '\u{066A}'..='\u{066D}' | '\u{00A0}' => false,
        _ => c.is_alphanumeric(),
    }
}

/// Whether a language (a BCP 47 tag such as `ar-EG`, `fa` or `en-GB`) is written right to
/// left, judged by its primary subtag. The one list for the whole crate: the page direction
/// from `site.yaml` and the `:::xx` / `[…](lang:xx)` passages in articles both ask here, so a
/// language cannot read one way on the page and the other way in a passage.
pub fn is_rtl_language(tag: &str) -> bool {
    let primary = tag.split(['-', '_']).next().unwrap_or("");
    RTL_LANGUAGES
        .iter()
        .any(|rtl| primary.eq_ignore_ascii_case(rtl))
}

/// Primary subtags of languages written in a right-to-left script: Arabic and its regional
/// tags (Egyptian, Moroccan), Persian, Hebrew, Urdu, Pashto, Sindhi, Uyghur, Yiddish, Dhivehi
/// and Central Kurdish.
const RTL_LANGUAGES: &[&str] = &[
    "ar", "arz", "ary", "fa", "he", "ur", "ps", "sd", "ug", "yi", "dv", "ckb",
];

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn keeps_arabic_and_drops_marks() {
        assert_eq!(slugify("مُحَمَّد بن سلمان"), "محمد-بن-سلمان");
        assert_eq!(slugify("الرياض ٢٠٢٥"), "الرياض-2025");
        assert_eq!(slugify("  أهمّ  النقاط؟ "), "أهم-النقاط");
        assert_eq!(
            slugify("الـــسعودية، وكازاخستان؛ معًا!"),
            "السعودية-وكازاخستان-معا"
        );
        assert_eq!(slugify("Hello, World"), "hello-world");
        assert_eq!(slugify("\u{200F}خبر\u{200E}"), "خبر");
        assert_eq!(slugify("؟؟؟ !!! 🎉"), "");
    }

    #[test]
    fn nfd_and_nfc_titles_get_one_slug() {
        let nfd: String = "آخر الأخبار".nfd().collect();
        assert_eq!(slugify(&nfd), slugify("آخر الأخبار"));
    }

    #[test]
    fn long_titles_are_cut_at_a_word() {
        let title = "السعودية وكازاخستان تعقدان تحالفًا أمنيًا لمكافحة المخدرات والجريمة المشتركة";
        let slug = slugify(title);
        assert!(encoded_len(&slug) <= MAX_SLUG_ENCODED_BYTES);
        assert!(title.replace(['ً'], "").replace(' ', "-").starts_with(&slug));
        assert!(!slug.ends_with('-'));
    }

    #[test]
    fn folds_spelling_variants_together() {
        let key = fold_variants("السعودية");
        for variant in [
            "السعوديه",
            "السعوديّة",
            "الـسعودية",
            " السعودية  ",
            "\u{200f}السعودية",
        ] {
            assert_eq!(fold_variants(variant), key, "{variant}");
        }
        assert_eq!(fold_variants("إسلام"), fold_variants("اسلام"));
        assert_eq!(fold_variants("مستشفى"), fold_variants("مستشفي"));
        assert_ne!(fold_variants("مصر"), fold_variants("عصر"));
    }

    #[test]
    fn the_quick_nfc_check_agrees_with_the_real_one() {
        for text in [
            "تحالفًا أمنيًا",
            "مُحَمَّدٌ",
            "آخر",
            "ا\u{0653}خر",
            "ب\u{0651}\u{064E}",
            "ب\u{064E}\u{0651}",
            "café",
            "e\u{0301}",
        ] {
            if surely_nfc(text) {
                assert_eq!(text.nfc().collect::<String>(), text, "{text:?}");
            }
        }
        assert!(surely_nfc("تحالفًا أمنيًا اجتماعاً"));
        assert!(!surely_nfc("ا\u{0653}خر"));
    }

    #[test]
    fn punctuation_keeps_to_its_word() {
        assert_eq!(
            attach_arabic_punctuation("هل  تعود ؟ نعم ، ولا\u{a0} ؛"),
            "هل  تعود\u{a0}؟ نعم\u{a0}، ولا\u{a0}؛"
        );
        assert_eq!(attach_arabic_punctuation("بلا مسافة، هنا"), "بلا مسافة، هنا");
    }

    #[test]
    fn counts_arabic_words() {
        assert_eq!(word_count("قال الوزير، إن الاقتصاد ينمو: 5٪ هذا العام."), 8);
    }

    #[test]
    fn right_to_left_languages() {
        for tag in [
            "ar", "ar-EG", "ar_SA", "AR", "arz", "ary-MA", "fa-IR", "he", "ur", "ps", "sd", "ug",
            "yi", "dv", "ckb", "ckb-IQ",
        ] {
            assert!(is_rtl_language(tag), "{tag}");
        }
        for tag in ["en", "en-GB", "fr", "tr", "ku", "", "arab", "a", "-ar"] {
            assert!(!is_rtl_language(tag), "{tag}");
        }
    }

    proptest! {
        #[test]
        fn slug_is_idempotent_nfc_and_clean(s in "\\PC{0,80}") {
            let slug = slugify(&s);
            prop_assert_eq!(slugify(&slug), slug.clone());
            prop_assert_eq!(slug.nfc().collect::<String>(), slug.clone());
            prop_assert!(slug.chars().all(|c| !c.is_control() && !is_ignorable(c) && c != '/'));
            prop_assert!(!slug.starts_with('-') && !slug.ends_with('-'));
            prop_assert!(encoded_len(&slug) <= MAX_SLUG_ENCODED_BYTES);
        }
    }
}
