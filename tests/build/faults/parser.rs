//! The page parser never panics: property tests feed it arbitrary bytes, text between
//! fences, generated front matter and mutated valid articles; the fuzzer's crash is kept.

use std::path::Path;

use proptest::prelude::*;
use qissa::content::article::{ParseContext, parse_article};
use qissa::content::markdown::MarkdownOptions;

use super::harness::{F, FRONT, article};

fn parse_context() -> ParseContext {
    ParseContext {
        timezone: jiff::tz::TimeZone::get("Africa/Cairo").unwrap(),
        markdown: MarkdownOptions {
            base_path: "/news/".into(),
            allow_html: false,
            custom_blocks: Default::default(),
            labels: Default::default(),
        },
    }
}

/// The whole page parse, as a build runs it on one file, plus the title's slug.
fn parse(bytes: &[u8]) {
    let ctx = parse_context();
    if let Ok(article) = parse_article(Path::new("content/articles/f.md"), bytes, &ctx) {
        let slug = qissa::arabic::text::slugify(&article.title);
        assert!(!slug.contains(['/', '\\', '\0']), "{slug:?}");
        assert!(!article.slug.value.is_empty());
    }
}

/// A full, valid article using every key.
fn valid_article() -> String {
    article(
        &format!(
            "{FRONT}tags: [مصر, السعودية]\nsummary:\n  - نقطة\ndescription: وصف\n\
             image: https://example.com/a.jpg\nimage_alt: صورة\nslug: saudi-deal\n\
             updated: 2026-01-02T09:00:00+02:00\ndraft: false\ntemplate: article.html\n"
        ),
        "الفقرة الأولى.\n\n## عنوان\n\n| أ | ب |\n|---|---|\n| 1 | 2 |\n\n:::en\nEnglish.\n:::\n\n\
         [رابط](/about/) [en](lang:en) `code`[^1]\n\n[^1]: حاشية.\n",
    )
}

/// A byte-level edit of a file.
#[derive(Debug, Clone)]
enum Edit {
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
    Replace(usize, u8),
    Duplicate(usize, usize),
}

fn apply(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for edit in edits {
        let len = bytes.len().max(1);
        match edit {
            Edit::Insert(at, new) => {
                let at = at % (bytes.len() + 1);
                bytes.splice(at..at, new.iter().copied());
            }
            Edit::Delete(at, n) if !bytes.is_empty() => {
                let at = at % len;
                let end = (at + n).min(bytes.len());
                bytes.drain(at..end);
            }
            Edit::Replace(at, byte) if !bytes.is_empty() => {
                let at = at % len;
                bytes[at] = *byte;
            }
            Edit::Duplicate(at, n) if !bytes.is_empty() => {
                let at = at % len;
                let end = (at + n).min(bytes.len());
                let piece = bytes[at..end].to_vec();
                bytes.splice(at..at, piece);
            }
            _ => {}
        }
    }
    bytes
}

fn edit() -> impl Strategy<Value = Edit> {
    let interesting = prop::sample::select(vec![
        b"---\n".to_vec(),
        b": ".to_vec(),
        b"\r".to_vec(),
        b"\t".to_vec(),
        b"&a ".to_vec(),
        b"*a".to_vec(),
        b"[".to_vec(),
        b"{".to_vec(),
        b"\"".to_vec(),
        b"\xef\xbb\xbf".to_vec(),
        b"\xff".to_vec(),
        "\u{0651}".as_bytes().to_vec(),
        "\u{0640}".as_bytes().to_vec(),
        "\u{200f}".as_bytes().to_vec(),
        "٢".as_bytes().to_vec(),
        b":::".to_vec(),
        b"\n- ".to_vec(),
        b"|".to_vec(),
        b"](".to_vec(),
        b"<".to_vec(),
    ]);
    prop_oneof![
        (any::<usize>(), interesting).prop_map(|(at, b)| Edit::Insert(at, b)),
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(at, b)| Edit::Insert(at, b)),
        (any::<usize>(), 1..16usize).prop_map(|(at, n)| Edit::Delete(at, n)),
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Edit::Replace(at, b)),
        (any::<usize>(), 1..64usize).prop_map(|(at, n)| Edit::Duplicate(at, n)),
    ]
}

/// YAML-ish front matter: known and unknown keys with scalar, list, map and odd values.
fn front_matter() -> impl Strategy<Value = String> {
    // Every key the product knows, plus a typo and a stranger.
    let mut keys: Vec<&'static str> = qissa::content::article::ARTICLE_KEYS.to_vec();
    keys.extend(["titel", "x"]);
    let key = prop::sample::select(keys);
    let value = prop_oneof![
        any::<String>().prop_map(|s| format!("{s:?}")),
        "[^\n]{0,40}",
        Just("[a, b]".to_string()),
        Just("\n  - أ\n  - ب".to_string()),
        Just("{a: 1}".to_string()),
        Just("2026-11-27 14:30".to_string()),
        Just("٢٠٢٦-١١-٢٧".to_string()),
        Just("2024-02-30".to_string()),
        Just("&x [1]".to_string()),
        Just("*x".to_string()),
        Just("true".to_string()),
        Just("~".to_string()),
        Just("!!binary aGk=".to_string()),
        (0i64..=i64::MAX).prop_map(|n| n.to_string()),
    ];
    prop::collection::vec((key, value), 0..12).prop_map(|pairs| {
        pairs
            .into_iter()
            .map(|(k, v)| format!("{k}: {v}\n"))
            .collect()
    })
}

proptest! {
    // Failures are shown with their minimal input; no regressions file is written.
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn page_parser_never_panics_on_arbitrary_bytes(
        bytes in prop::collection::vec(any::<u8>(), 0..2048)
    ) {
        parse(&bytes);
    }

    #[test]
    fn page_parser_never_panics_on_arbitrary_text_in_front_matter_fences(
        yaml in any::<String>(),
        body in any::<String>(),
    ) {
        parse(format!("---\n{yaml}\n---\n{body}").as_bytes());
    }

    #[test]
    fn page_parser_never_panics_on_generated_front_matter(
        front in front_matter(),
        body in "(\\PC|\n){0,200}",
    ) {
        parse(format!("---\n{front}---\n{body}").as_bytes());
    }

    #[test]
    fn page_parser_never_panics_with_whitespace_after_the_fences(
        opening in "[ \t\u{c}\u{b}]{0,8}",
        closing in "[ \t\u{c}]{0,8}",
        last in "[a-z ]{0,6}[\u{621}-\u{64a}]{0,6}",
    ) {
        // Was a bug: panics whenever the opening fence's whitespace reaches back into a
        // multi-byte letter (see `whitespace_after_the_fences_builds_the_same_page`).
        let text = format!("---{opening}\n{FRONT}description: {last}\n---{closing}\nنص.\n");
        parse(text.as_bytes());
    }

    #[test]
    fn page_parser_never_panics_on_mutated_valid_articles(
        edits in prop::collection::vec(edit(), 1..12)
    ) {
        parse(&apply(valid_article().into_bytes(), &edits));
    }
}

/// The crash the fuzzer found (fuzz/artifacts/page/crash-5653d2eb…): `---` followed by
/// form feeds, then a front matter whose last value ends in Arabic.
const FUZZ_CRASH_FENCE: &str = "LS0tDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMCnRpdGxlOiDYp9mE2YXYr9ix2Kgg2YrZhNiq2LLZhSDYp9mE2LUKCgoKCgoKCgoKCgoKCgoKCjEAAAAKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCtmF2Kog2KjYudivINin2YTYrtiz2KfYsdipINin2YQtINmE2YXYp9iw2Kcg2KrYo9iu2LEg2KfZhN2C2LHYp9ixINifCi0g2YV1dGhvcjogaGFsYS1vcnk6IG8raW5pb24KLS0tCgrZgtin2YQg2KfZhNmI2LLZitixINiMINir2YUK";

#[test]
fn page_parser_survives_the_fuzzer_crash() {
    let bytes = decode_base64(FUZZ_CRASH_FENCE);
    // Was a bug: panics in frontmatter::split (src/content/frontmatter.rs:96:27):
    //   start byte index 196 is not a char boundary; it is inside 'ر' (bytes 195..197)
    parse(&bytes);
}

fn decode_base64(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for byte in text.bytes().filter(|b| *b != b'=') {
        let value = ALPHABET.iter().position(|a| *a == byte).expect("base64") as u32;
        bits = (bits << 6) | value;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    out
}

#[test]
fn the_valid_article_used_for_mutation_parses() {
    let ctx = parse_context();
    let parsed = parse_article(Path::new(F), valid_article().as_bytes(), &ctx);
    assert!(parsed.is_ok(), "{:?}", parsed.err());
}
