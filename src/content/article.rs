//! One article: its front matter checked and typed, its body rendered. Pure: no disk access,
//! no knowledge of other articles, so articles parse in parallel.

use std::path::{Path, PathBuf};

use crate::arabic::dates::{Moment, parse_moment};
use crate::arabic::text::{clean_label, display_text, fold_variants, slugify};
use crate::content::body::ArticleBody;
use crate::content::fields::Fields;
use crate::content::html_images::body_images;
use crate::content::markdown::Rendered;
use crate::content::parse::open;
use crate::error::Diagnostic;
use crate::photos::Focus;

/// Kept here too, where they used to live, so older imports keep compiling.
pub use crate::content::parse::{Located, ParseContext};

/// The keys an article's front matter may use.
pub const ARTICLE_KEYS: &[&str] = &[
    "title",
    "date",
    "author",
    "authors",
    "category",
    "tags",
    "summary",
    "description",
    "image",
    "image_alt",
    "image_caption",
    "image_credit",
    "image_focus",
    "slug",
    "updated",
    "draft",
    "template",
    "aliases",
    "featured",
    "featured_until",
    "breaking",
];

/// A tag as written, with its URL slug and the key that groups its spelling variants,
/// worked out once when the article is parsed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Tag {
    pub name: String,
    pub slug: String,
    pub folded: String,
}

impl Tag {
    fn new(name: String) -> Tag {
        let slug = slugify(&name);
        let folded = fold_variants(&slug);
        Tag { name, slug, folded }
    }
}

/// A parsed article.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Article {
    /// Source path relative to the site root.
    pub source: PathBuf,
    pub title: String,
    pub date: Moment,
    pub updated: Option<Moment>,
    pub authors: Vec<Located<String>>,
    pub category: Located<String>,
    pub tags: Vec<Tag>,
    pub summary: Vec<String>,
    pub description: Option<String>,
    pub image: Option<Located<String>>,
    pub image_alt: Option<String>,
    /// What the lead photo shows, and who took it («تصوير: …»).
    pub image_caption: Option<String>,
    pub image_credit: Option<String>,
    /// Where the crops for share previews and search centre (`image_focus:`).
    pub image_focus: Focus,
    /// The URL slug: `slug:` when given, else from the title.
    pub slug: Located<String>,
    /// The key the slug came from: `slug` or `title`, for errors about the URL.
    pub slug_key: SlugKey,
    pub draft: bool,
    pub template: Option<Located<String>>,
    /// Images the body shows, as written, with their lines.
    pub body_images: Vec<Located<String>>,
    /// Old site paths that redirect here (`aliases:`), normalised: `/old/path/`.
    pub aliases: Vec<Located<String>>,
    /// Where the front page and the breaking-news bar may show it.
    pub prominence: Prominence,
    pub body: ArticleBody,
    /// Different for every parse: what a rebuild compares to know that this article changed.
    pub version: u64,
}

/// The front-matter key an article's URL slug came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SlugKey {
    Slug,
    Title,
}

impl SlugKey {
    /// `slug` when the front matter gives one, else `title`.
    pub fn given(has_slug: bool) -> SlugKey {
        if has_slug {
            SlugKey::Slug
        } else {
            SlugKey::Title
        }
    }

    /// The key as written in front matter, for errors about the URL.
    pub fn as_str(self) -> &'static str {
        match self {
            SlugKey::Slug => "slug",
            SlugKey::Title => "title",
        }
    }
}

/// An editor's say on the front page: `featured:` (optionally until `featured_until:`) makes
/// an article the candidate lead story; `breaking:` puts it in the «عاجل» bar while it is new.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Prominence {
    pub featured: bool,
    pub featured_until: Option<jiff::Timestamp>,
    pub breaking: bool,
}

impl Prominence {
    /// Whether the article may lead the front page at `now`.
    pub fn featured_at(&self, now: jiff::Timestamp) -> bool {
        self.featured && self.featured_until.is_none_or(|until| now < until)
    }
}

impl Article {
    /// The text for meta descriptions and cards: `description:`, else the lead paragraph.
    pub fn description_text(&self) -> &str {
        self.description.as_deref().unwrap_or(&self.body.lead_text)
    }
}

/// Parses an article from its bytes.
pub fn parse_article(
    source: &Path,
    bytes: &[u8],
    ctx: &ParseContext,
) -> Result<Article, Vec<Diagnostic>> {
    let opened = open(source, bytes)?;
    let body = opened.render_body(source, ctx);
    let (markdown, body_line) = (opened.body, opened.body_line);
    let mut f = opened.fields;
    let title = f
        .required_text("title", "عنوان الخبر")
        .map(|t| display_text(&t));
    let date = moment(&mut f, "date", true, ctx);
    let updated = moment(&mut f, "updated", false, ctx);
    let authors = read_authors(&mut f);
    let category = read_category(&mut f);
    let tags = f.list("tags").into_iter().map(Tag::new).collect();
    let summary: Vec<String> = f.list("summary").iter().map(|s| display_text(s)).collect();
    let description = f.text("description").map(|d| display_text(&d));
    let photo = read_lead_photo(&mut f);
    let slug_key = SlugKey::given(f.has("slug"));
    let slug = read_slug(&mut f, title.as_deref());
    let draft = f.boolean("draft");
    let prominence = read_prominence(&mut f, ctx);
    let template = located_text(&mut f, "template");
    let aliases = read_aliases(&mut f);
    let mut errors = f.finish(ARTICLE_KEYS);
    let body = body.map_err(|faults| errors.extend(faults));

    match (title, date, category, slug, body) {
        (Some(title), Some(date), Some(category), Some(slug), Ok(body)) if errors.is_empty() => {
            let body_images = images_of(&body, &markdown, body_line, ctx);
            Ok(Article {
                source: source.to_path_buf(),
                title,
                date,
                updated,
                authors,
                category,
                tags,
                summary,
                description,
                image: photo.image,
                image_alt: photo.alt,
                image_caption: photo.caption,
                image_credit: photo.credit,
                image_focus: photo.focus,
                slug_key,
                slug,
                draft,
                template,
                aliases,
                prominence,
                body_images,
                body: ArticleBody::new(body),
                version: super::content_version(source, bytes),
            })
        }
        _ => Err(errors),
    }
}

/// The images the rendered body shows, with the lines of `markdown` that name them.
fn images_of(
    rendered: &Rendered,
    markdown: &str,
    body_line: usize,
    ctx: &ParseContext,
) -> Vec<Located<String>> {
    let base = &ctx.markdown.base_path;
    let mut images = Vec::new();
    for html in rendered.lead_html.iter().chain([&rendered.body_html]) {
        images.extend(body_images(html, markdown, body_line, base));
    }
    images
}

fn located_text(f: &mut Fields, key: &str) -> Option<Located<String>> {
    let line = f.line(key);
    f.text(key).map(|value| Located {
        value: value.trim().to_string(),
        line,
    })
}

fn moment(f: &mut Fields, key: &str, required: bool, ctx: &ParseContext) -> Option<Moment> {
    let text = if required {
        f.required_text(key, "2026-11-27 14:30")?
    } else {
        f.text(key)?
    };
    match parse_moment(&text, &ctx.timezone) {
        Ok(m) => Some(m),
        Err(message) => {
            let e = f.error(key, message);
            f.errors.push(e);
            None
        }
    }
}

/// `featured:`, `featured_until:` and `breaking:`.
fn read_prominence(f: &mut Fields, ctx: &ParseContext) -> Prominence {
    Prominence {
        featured: f.boolean("featured"),
        featured_until: moment(f, "featured_until", false, ctx).map(|m| m.timestamp()),
        breaking: f.boolean("breaking"),
    }
}

/// `author: id` or `authors: [id, id]`, exactly one of the two.
fn read_authors(f: &mut Fields) -> Vec<Located<String>> {
    let one = f.has("author");
    let many = f.has("authors");
    if one && many {
        let e = f
            .error("authors", "both `author` and `authors` are given")
            .help("keep one: `author: id` for one writer, `authors: [id, id]` for several");
        f.errors.push(e);
    }
    let line = f.line(if many { "authors" } else { "author" });
    let ids = if many {
        f.list("authors")
    } else {
        f.required_text("author", "ahmed-rashwan")
            .into_iter()
            .collect()
    };
    if one && many {
        f.raw("author");
    }
    if many && ids.is_empty() && f.errors.is_empty() {
        let e = f.error("authors", "the list of authors is empty");
        f.errors.push(e);
    }
    ids.into_iter()
        .map(|id| Located {
            value: id.trim().to_string(),
            line,
        })
        .collect()
}

/// The URL slug: `slug:` (one path segment, slugified) or the title's slug.
fn read_slug(f: &mut Fields, title: Option<&str>) -> Option<Located<String>> {
    let line = f.line("slug");
    if let Some(raw) = f.text("slug") {
        if raw.contains(['/', '\\', '\0']) || raw.trim().starts_with('.') {
            let e = f
                .error("slug", format!("`{raw}` is not a single URL segment"))
                .help(
                    "a slug is one word or words joined by `-`, without `/`, `\\` or a leading `.`",
                );
            f.errors.push(e);
            return None;
        }
        let slug = slugify(&raw);
        if slug.is_empty() {
            let e = f.error(
                "slug",
                format!("`{raw}` has no letters or digits to make a URL from"),
            );
            f.errors.push(e);
            return None;
        }
        return Some(Located { value: slug, line });
    }
    let slug = slugify(title?);
    if slug.is_empty() {
        let e = f
            .error(
                "title",
                "the title has no letters or digits to make a URL from",
            )
            .help("add a `slug:` line with a few words for the URL, e.g. `slug: breaking-news`");
        f.errors.push(e);
        return None;
    }
    Some(Located {
        value: slug,
        line: f.line("title"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::markdown::MarkdownOptions;

    fn ctx() -> ParseContext {
        ParseContext {
            timezone: jiff::tz::TimeZone::get("Africa/Cairo").unwrap(),
            markdown: MarkdownOptions::default(),
        }
    }

    fn parse(src: &str) -> Result<Article, Vec<Diagnostic>> {
        parse_article(Path::new("content/articles/a.md"), src.as_bytes(), &ctx())
    }

    #[test]
    fn parses_a_full_article() {
        let a = parse(
            "---\ntitle: \" خبر  عاجل \"\ndate: 2026-11-27 14:30\nauthor: ahmed\ncategory: أمن\n\
             tags: [مصر, السعودية]\nsummary:\n  - نقطة\n---\nالمقدمة.\n\n## تفاصيل\n\nنص.\n",
        )
        .unwrap();
        assert_eq!(a.title, "خبر عاجل");
        assert_eq!(a.slug.value, "خبر-عاجل");
        assert_eq!(a.authors[0].value, "ahmed");
        assert_eq!(a.authors[0].line, Some(4));
        assert_eq!(a.category.value, "أمن");
        let tags: Vec<&str> = a.tags.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(tags, ["مصر", "السعودية"]);
        assert_eq!(a.description_text(), "المقدمة.");
    }

    #[test]
    fn reports_every_fault_with_its_line() {
        let errors =
            parse("---\ntitle: خبر\ndate: 2024-02-30\ncategory: x\ntags: عاجل\ntitel: y\n---\n")
                .unwrap_err();
        let found: Vec<_> = errors
            .iter()
            .map(|e| (e.key.clone().unwrap(), e.line))
            .collect();
        assert_eq!(
            found,
            [
                ("date".to_string(), Some(3)),
                ("author".to_string(), None),
                ("tags".to_string(), Some(5)),
                ("titel".to_string(), Some(6)),
            ]
        );
    }

    #[test]
    fn slugs_are_checked() {
        let base = "---\ntitle: خبر\ndate: 2026-01-01\nauthor: a\ncategory: c\n";
        assert!(parse(&format!("{base}slug: ../../x\n---\n")).is_err());
        assert_eq!(
            parse(&format!("{base}slug: Saudi Deal\n---\n"))
                .unwrap()
                .slug
                .value,
            "saudi-deal"
        );
        let only_punct = "---\ntitle: \"؟؟؟\"\ndate: 2026-01-01\nauthor: a\ncategory: c\n---\n";
        let e = parse(only_punct).unwrap_err();
        assert!(e[0].help.as_ref().unwrap().contains("slug:"));
    }
}

/// `category:`, a section's slug or name, with its line for errors found later.
fn read_category(f: &mut Fields) -> Option<Located<String>> {
    let line = f.line("category");
    f.required_text("category", "أمن").map(|c| Located {
        value: clean_label(&c),
        line,
    })
}

/// The lead photo's keys, read together.
struct LeadPhoto {
    image: Option<Located<String>>,
    alt: Option<String>,
    caption: Option<String>,
    credit: Option<String>,
    focus: Focus,
}

fn read_lead_photo(f: &mut Fields) -> LeadPhoto {
    LeadPhoto {
        image: located_text(f, "image"),
        alt: f.text("image_alt").map(|a| clean_label(&a)),
        caption: f.text("image_caption").map(|c| display_text(&c)),
        credit: f.text("image_credit").map(|c| display_text(&c)),
        focus: read_focus(f),
    }
}

/// `image_focus: top` or `30% 20%`: where the crops centre; the middle by default.
fn read_focus(f: &mut Fields) -> Focus {
    let Some(text) = f.text("image_focus") else {
        return Focus::CENTER;
    };
    Focus::parse(&text).unwrap_or_else(|e| {
        let e = f.error("image_focus", e.to_string()).help(
            "write where the photo's subject is: top, bottom, left, right, center, or x% y% (e.g. 30% 20%)",
        );
        f.errors.push(e);
        Focus::CENTER
    })
}

/// `aliases: [/old/path/, /2019/05/old-slug/]`: site paths that keep old links alive. Each
/// must be a plain path from the site root; a path without a file name gets its final slash.
fn read_aliases(f: &mut Fields) -> Vec<Located<String>> {
    let line = f.line("aliases");
    let mut aliases = Vec::new();
    for raw in f.list("aliases") {
        match alias_path(&raw) {
            Ok(value) => aliases.push(Located { value, line }),
            Err(message) => {
                let e = f.error("aliases", message).help(
                    "write the old address as a path from the site root, e.g. /2019/05/old-slug/",
                );
                f.errors.push(e);
            }
        }
    }
    aliases
}

/// The normalised site path of an alias, or why it cannot be one.
pub fn alias_path(raw: &str) -> Result<String, String> {
    use unicode_normalization::UnicodeNormalization;
    let path: String = raw.trim().nfc().collect();
    if !path.starts_with('/') || path.starts_with("//") {
        return Err(format!("alias `{raw}` must start with a single /"));
    }
    if path.contains(['?', '#', '\\']) || path.chars().any(char::is_control) {
        return Err(format!(
            "alias `{raw}` may not hold ?, #, \\ or control characters"
        ));
    }
    if path.split('/').any(|s| s == ".." || s == ".") {
        return Err(format!("alias `{raw}` may not hold . or .. segments"));
    }
    if path == "/" {
        return Err("the home page cannot be an alias".into());
    }
    let is_file = path.ends_with(".html") || path.ends_with(".htm");
    Ok(if is_file || path.ends_with('/') {
        path
    } else {
        format!("{path}/")
    })
}

#[cfg(test)]
mod alias_tests {
    use super::alias_path;

    #[test]
    fn aliases_are_plain_site_paths() {
        assert_eq!(alias_path("/old/path").unwrap(), "/old/path/");
        assert_eq!(alias_path(" /2019/05/خبر/ ").unwrap(), "/2019/05/خبر/");
        assert_eq!(alias_path("/old.html").unwrap(), "/old.html");
        for bad in [
            "old/",
            "//host/x/",
            "/a/../b/",
            "/a?b",
            "/",
            "https://e.com/x/",
        ] {
            assert!(alias_path(bad).is_err(), "{bad}");
        }
    }
}
