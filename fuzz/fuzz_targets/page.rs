//! The whole page parse on arbitrary bytes: decoding (BOM, CRLF, UTF-8 checks), splitting off
//! the front matter, reading the YAML key by key, parsing dates in the site's time zone,
//! rendering the Markdown body, and slugifying the title, exactly as a build does for
//! `content/articles/*.md`. Nothing may panic, hang or allocate without bound.

#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use qissa::content::article::{ParseContext, parse_article};
use qissa::content::markdown::MarkdownOptions;

/// Built once, as `Session::prepare` builds it from `site.yaml`.
fn context() -> &'static ParseContext {
    static CONTEXT: OnceLock<ParseContext> = OnceLock::new();
    CONTEXT.get_or_init(|| ParseContext {
        timezone: jiff::tz::TimeZone::get("Africa/Cairo").expect("the tz database has Cairo"),
        markdown: MarkdownOptions {
            base_path: "/news/".into(),
            allow_html: false,
            custom_blocks: Default::default(),
            labels: Default::default(),
        },
    })
}

/// A slug is one URL segment, and slugging it again changes nothing (`text::slugify`).
fn check_slug(slug: &str) {
    assert!(
        !slug.contains(['/', '\\', '\0']) && !slug.starts_with('.'),
        "slug {slug:?} is not one URL segment"
    );
    assert_eq!(
        qissa::arabic::text::slugify(slug),
        slug,
        "slugify is not idempotent"
    );
}

fuzz_target!(|data: &[u8]| {
    if let Ok(article) = parse_article(Path::new("content/articles/f.md"), data, context()) {
        check_slug(&qissa::arabic::text::slugify(&article.title));
        assert!(!article.slug.value.is_empty(), "an article without a slug");
        check_slug(&article.slug.value);
    }
    // Titles that fail elsewhere in the parse still reach slugify in other places (tags,
    // headings): slugify the raw text too.
    if let Ok(text) = std::str::from_utf8(&data[..data.len().min(4096)]) {
        check_slug(&qissa::arabic::text::slugify(text));
    }
});
