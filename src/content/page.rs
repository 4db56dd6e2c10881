//! A plain page, `content/pages/<slug>.md` (about, contact…): a title, an optional
//! description and a Markdown body, published at `/<slug>/`.

use std::path::{Path, PathBuf};

use crate::arabic::text::{display_text, slugify};
use crate::content::markdown::Rendered;
use crate::content::parse::{Located, ParseContext, open};
use crate::error::Diagnostic;

/// The keys a page may use.
pub const PAGE_KEYS: &[&str] = &["title", "description", "slug", "draft", "template"];

/// A parsed plain page.
#[derive(Debug, Clone)]
pub struct Page {
    pub source: PathBuf,
    pub title: String,
    pub description: Option<String>,
    pub slug: Located<String>,
    pub draft: bool,
    pub template: Option<Located<String>>,
    pub body: Rendered,
    /// Different for every parse (see `Article::version`).
    pub version: u64,
}

/// Parses a page; `stem` (the file name) is its slug unless `slug:` says otherwise.
pub fn parse_page(
    stem: &str,
    source: &Path,
    bytes: &[u8],
    ctx: &ParseContext,
) -> Result<Page, Vec<Diagnostic>> {
    let opened = open(source, bytes)?;
    let body = opened.render_body(source, ctx);
    let mut f = opened.fields;
    let title = f.required_text("title", "من نحن").map(|t| display_text(&t));
    let description = f.text("description").map(|d| display_text(&d));
    let slug_line = f.line("slug");
    let raw_slug = f.text("slug").unwrap_or_else(|| stem.to_string());
    let slug = slugify(&raw_slug);
    if slug.is_empty() || raw_slug.contains(['/', '\\', '\0']) || raw_slug.starts_with('.') {
        let e = Diagnostic::new(source, format!("`{raw_slug}` cannot be a page URL"))
            .at_optional_line(slug_line)
            .key("slug")
            .help("use a few letters or words joined by `-`, e.g. `slug: about`");
        f.errors.push(e);
    }
    let draft = f.boolean("draft");
    let template_line = f.line("template");
    let template = f.text("template").map(|value| Located {
        value,
        line: template_line,
    });
    let mut errors = f.finish(PAGE_KEYS);
    let body = body.map_err(|faults| errors.extend(faults));
    match (title, body) {
        (Some(title), Ok(body)) if errors.is_empty() => Ok(Page {
            source: source.to_path_buf(),
            title,
            description,
            slug: Located {
                value: slug,
                line: slug_line,
            },
            draft,
            template,
            body,
            version: super::content_version(source, bytes),
        }),
        _ => Err(errors),
    }
}
