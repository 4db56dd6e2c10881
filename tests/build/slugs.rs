//! Arabic in URLs (DESIGN.md §3), on the `features` fixture, whose `stadium-reopening.md` has a
//! title with tashkeel, tatweel, a bidi mark, Arabic punctuation, stray spaces and too many
//! words, and tags written decomposed (NFD) and with tatweel. Every path segment on disk is
//! NFC with none of those characters, the slug is the title's first words cut at a word
//! boundary, and a slug fits a file name even percent-encoded.

use unicode_normalization::is_nfc;

use crate::links::assert_links_resolve;
use crate::model::articles;
use crate::support::{Output, Workspace, snapshot};

/// Characters a slug must not keep: tashkeel and the dagger alif, tatweel, bidi and
/// zero-width controls.
fn is_stripped(c: char) -> bool {
    matches!(c,
        '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}'
        | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// The words of a title as a slug keeps them: stripped characters removed, split at anything
/// that is not a letter or a digit.
fn words(title: &str) -> Vec<String> {
    let kept: String = title.chars().filter(|c| !is_stripped(*c)).collect();
    kept.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The length of a path segment once percent-encoded (unreserved ASCII stays as it is).
fn encoded_len(segment: &str) -> usize {
    segment
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                1
            } else {
                3
            }
        })
        .sum()
}

/// Every folder and file name of the output.
fn segments(out: &Output) -> Vec<String> {
    let mut names: Vec<String> = snapshot(&out.root)
        .into_keys()
        .map(|rel| {
            rel.file_name()
                .unwrap()
                .to_str()
                .expect("UTF-8 name")
                .to_string()
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

#[test]
fn arabic_titles_and_tags_become_clean_nfc_slugs() {
    let ws = Workspace::fixture("features");
    let out = ws.build_ok(&[]);
    assert_links_resolve(&out, "https://example.com/");

    for name in segments(&out) {
        assert!(is_nfc(&name), "{name:?} is not NFC");
        assert!(
            !name.chars().any(is_stripped),
            "{name:?} keeps tashkeel, tatweel or a control character"
        );
        assert!(
            !name.contains(['،', '؛', '؟', ' ', '?', '#', '%', ':']),
            "{name:?} keeps punctuation or spaces"
        );
        assert!(
            !name.contains("--") && !name.starts_with('-') && !name.ends_with('-'),
            "{name:?}: stray hyphens"
        );
    }

    let articles = articles(&out);
    let stadium = articles
        .iter()
        .find(|a| a.title.contains("ملعب المدينة"))
        .expect("the stadium article");
    let slug = stadium
        .path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap();
    let slug_words: Vec<&str> = slug.split('-').collect();
    let title_words = words(&stadium.title);
    assert!(slug_words.len() >= 3, "slug {slug:?} keeps too few words");
    assert!(
        slug_words.len() < title_words.len(),
        "slug {slug:?} of a very long title was not shortened"
    );
    assert_eq!(
        slug_words,
        title_words[..slug_words.len()],
        "slug {slug:?} is not the title's first words"
    );

    // Decomposed and stretched tag spellings land on the plain NFC tag pages.
    assert_eq!(
        stadium.tags,
        ["/tags/كرة-القدم/", "/tags/آسيا/", "/tags/المدينة/"]
    );
}

#[test]
fn slugs_fit_a_file_name_even_percent_encoded() {
    // DESIGN.md §3: "a file name may hold 255 bytes, and an Arabic letter takes two,
    // percent-encoded six". Tools that save a page under its URL-encoded name (mirrors, some
    // upload tools) need every path segment to fit 255 bytes even encoded.
    for ws in [Workspace::demo(), Workspace::fixture("features")] {
        let out = ws.build_ok(&[]);
        let too_long: Vec<String> = segments(&out)
            .into_iter()
            .filter(|name| encoded_len(name) > 255)
            .map(|name| format!("{} bytes encoded: {name}", encoded_len(&name)))
            .collect();
        assert!(
            too_long.is_empty(),
            "{} names too long once percent-encoded:\n{}",
            too_long.len(),
            too_long.join("\n")
        );
    }
}
