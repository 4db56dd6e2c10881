//! Unit tests of [`Site::assemble`] on sources parsed in memory, and the small site other
//! stages' unit tests build on ([`sample_site`]).

use std::path::Path;
use std::sync::Arc;

use jiff::Timestamp;

use super::{Site, SiteOptions};
use crate::config::Config;
use crate::content::article::{ParseContext, parse_article};
use crate::content::author::parse_author;
use crate::content::markdown::MarkdownOptions;
use crate::content::page::parse_page;
use crate::content::{Article, Content};
use crate::error::Diagnostic;
use crate::theme::statics::StaticFiles;

const SITE_YAML: &str = "title: أخبار الحي
base_url: https://example.com/news/
language: ar-EG
timezone: Africa/Cairo
per_page: 2
merge_tag_variants: true
categories:
  - { slug: security, name: أمن }
  - { slug: sports, name: رياضة }
";

fn context() -> ParseContext {
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

/// An article file with the given front-matter lines.
fn article(file: &str, front: &str) -> Arc<Article> {
    let text = format!("---\n{front}\n---\n\nنص الخبر الأول.\n");
    let source = Path::new("content/articles").join(file);
    Arc::new(parse_article(&source, text.as_bytes(), &context()).expect("a valid article"))
}

fn sources(articles: Vec<Arc<Article>>) -> Content {
    let author = |id: &str, name: &str| {
        let text = format!("---\nname: {name}\n---\nنبذة.\n");
        let source = Path::new("content/authors").join(format!("{id}.md"));
        Arc::new(parse_author(id, &source, text.as_bytes(), &context()).unwrap())
    };
    let about = "---\ntitle: من نحن\n---\nموقع صغير.\n";
    let page = parse_page(
        "about",
        Path::new("content/pages/about.md"),
        about.as_bytes(),
        &context(),
    );
    Content {
        articles,
        authors: vec![author("sara", "سارة علي"), author("karim", "كريم نبيل")],
        pages: vec![Arc::new(page.unwrap())],
        ignored: Vec::new(),
    }
}

fn assemble(articles: Vec<Arc<Article>>) -> Result<Site, Vec<Diagnostic>> {
    let config = Config::parse(SITE_YAML).expect("a valid site.yaml");
    let options = SiteOptions {
        drafts: false,
        now: "2026-03-10T12:00:00Z".parse::<Timestamp>().unwrap(),
        root: std::path::PathBuf::from("."),
    };
    Site::assemble(&config, sources(articles), &StaticFiles::new(&[]), &options)
}

/// Five articles over two categories and two authors, a draft and a future one: the site
/// that unit tests of later stages render.
pub(crate) fn sample_site() -> (Site, Config) {
    let articles = vec![
        article(
            "a.md",
            "title: حريق في السوق\ndate: 2026-03-02\nauthor: sara\ncategory: security\ntags: [الأسواق, هيئة]\naliases: [/old/fire]",
        ),
        article(
            "b.md",
            "title: ديربي المدينة\ndate: 2026-03-01\nauthor: karim\ncategory: sports\ntags: [كرة القدم]",
        ),
        article(
            "c.md",
            "title: دورية جديدة\ndate: 2026-03-09T10:00\nauthors: [sara, karim]\ncategory: أمن\ntags: [هيئه]",
        ),
        article(
            "d.md",
            "title: مسودة\ndate: 2026-03-03\nauthor: sara\ncategory: security\ndraft: true",
        ),
        article(
            "e.md",
            "title: غدا\ndate: 2026-04-01\nauthor: sara\ncategory: security",
        ),
        article(
            "f.md",
            "title: نتيجة المباراة\ndate: 2026-03-08\nauthor: karim\ncategory: sports",
        ),
    ];
    let config = Config::parse(SITE_YAML).unwrap();
    (assemble(articles).expect("a valid site"), config)
}

fn titles(site: &Site, entries: &[usize]) -> Vec<String> {
    entries
        .iter()
        .map(|e| site.entries[*e].article.title.clone())
        .collect()
}

#[test]
fn publishes_newest_first_without_drafts_and_future_articles() {
    let (site, _) = sample_site();
    let all: Vec<usize> = (0..site.entries.len()).collect();
    assert_eq!(
        titles(&site, &all),
        [
            "دورية جديدة",
            "نتيجة المباراة",
            "حريق في السوق",
            "ديربي المدينة"
        ]
    );
    assert_eq!(site.drafts_skipped, 1);
    assert_eq!(site.future.len(), 1);
    assert!(site.future[0].0.ends_with("e.md"));
}

#[test]
fn lists_hold_indices_of_their_articles() {
    let (site, _) = sample_site();
    let security = &site.categories[0];
    assert_eq!(security.path, "/security/");
    assert_eq!(
        titles(&site, &security.entries),
        ["دورية جديدة", "حريق في السوق"]
    );
    let karim = site
        .authors
        .iter()
        .find(|a| a.author.id == "karim")
        .unwrap();
    assert_eq!(karim.term.path, "/authors/karim/");
    assert_eq!(
        titles(&site, &karim.term.entries),
        ["دورية جديدة", "نتيجة المباراة", "ديربي المدينة"]
    );
    // A category named by its display name resolves like its slug.
    assert_eq!(site.entries[0].category, 0);
    assert_eq!(site.entries[0].path, "/security/دورية-جديدة/");
    assert_eq!(site.pages[0].path, "/about/");
}

#[test]
fn tag_spellings_fold_into_one_tag() {
    let (site, _) = sample_site();
    let names: Vec<&str> = site.tags.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names.len(), 3, "{names:?}");
    let body = site.tags.iter().find(|t| t.entries.len() == 2).unwrap();
    assert_eq!(
        titles(&site, &body.entries),
        ["دورية جديدة", "حريق في السوق"]
    );
    assert_eq!(site.merged_tags.len(), 1);
    assert!(body.path.starts_with("/tags/"));
}

#[test]
fn unknown_references_are_reported_with_file_and_line() {
    let articles = vec![article(
        "x.md",
        "title: خبر\ndate: 2026-03-02\nauthor: nobody\ncategory: weather",
    )];
    let errors = assemble(articles).unwrap_err();
    let shown: Vec<String> = errors.iter().map(|d| d.to_string()).collect();
    assert_eq!(errors.len(), 2, "{shown:?}");
    assert!(shown[0].contains("x.md:5") && shown[0].contains("unknown category `weather`"));
    assert!(shown[1].contains("x.md:4") && shown[1].contains("unknown author `nobody`"));
}

#[test]
fn two_sources_on_one_url_name_both_files() {
    let articles = vec![
        article(
            "x.md",
            "title: خبر\ndate: 2026-03-02\nauthor: sara\ncategory: security",
        ),
        article(
            "y.md",
            "title: خبر\ndate: 2026-03-01\nauthor: sara\ncategory: security",
        ),
    ];
    let errors = assemble(articles).unwrap_err();
    assert_eq!(errors.len(), 1);
    let shown = errors[0].to_string();
    assert!(shown.contains("y.md") && shown.contains("x.md"), "{shown}");
    assert!(shown.contains("/security/خبر/"), "{shown}");
}

#[test]
fn an_alias_on_a_taken_path_names_both_files() {
    let articles = vec![
        article(
            "x.md",
            "title: خبر\ndate: 2026-03-02\nauthor: sara\ncategory: security",
        ),
        article(
            "y.md",
            "title: آخر\ndate: 2026-03-01\nauthor: sara\ncategory: security\naliases: [/security/خبر/, /old/]",
        ),
        article(
            "z.md",
            "title: ثالث\ndate: 2026-03-01\nauthor: sara\ncategory: security\naliases: [/old]",
        ),
    ];
    let errors = assemble(articles).unwrap_err();
    let shown: Vec<String> = errors.iter().map(|d| d.to_string()).collect();
    assert_eq!(errors.len(), 2, "{shown:?}");
    assert!(
        shown[0].contains("y.md:6")
            && shown[0].contains("/security/خبر/")
            && shown[0].contains("x.md"),
        "{shown:?}"
    );
    assert!(
        shown[1].contains("z.md:6") && shown[1].contains("an alias in content/articles/y.md"),
        "{shown:?}"
    );
}
