//! One author profile, `content/authors/<id>.md`: front matter (name, role, avatar, links)
//! and the bio as the Markdown body. The id is the file name.

use std::path::Path;

use crate::arabic::text::clean_label;
pub use crate::content::author_links::AuthorLink;
use crate::content::author_links::read_links;
use crate::content::parse::{ParseContext, open};
use crate::error::Diagnostic;

/// The keys an author file may use.
pub const AUTHOR_KEYS: &[&str] = &["name", "role", "avatar", "links"];

/// An author profile.
#[derive(Debug, Clone)]
pub struct Author {
    /// The id articles use in `author:` (the file stem).
    pub id: String,
    pub source: std::path::PathBuf,
    pub name: String,
    pub role: Option<String>,
    /// Path of a picture under `static/`, when there is one.
    pub avatar: Option<String>,
    pub links: Vec<AuthorLink>,
    /// The bio, rendered.
    pub bio_html: String,
    /// Different for every parse (see `Article::version`).
    pub version: u64,
}

/// Parses an author file whose id is `id`.
pub fn parse_author(
    id: &str,
    source: &Path,
    bytes: &[u8],
    ctx: &ParseContext,
) -> Result<Author, Vec<Diagnostic>> {
    let opened = open(source, bytes)?;
    let body = opened.render_body(source, ctx);
    let mut f = opened.fields;
    let name = f
        .required_text("name", "احمد رشوان")
        .map(|n| clean_label(&n));
    let role = f.text("role").map(|r| clean_label(&r));
    let avatar = f.text("avatar").map(|a| a.trim().to_string());
    let links = read_links(&mut f);
    let mut errors = f.finish(AUTHOR_KEYS);
    let bio = body.map_err(|faults| errors.extend(faults));
    if let Ok(bio) = &bio
        && !bio.slots.is_empty()
    {
        errors.push(
            Diagnostic::new(
                source,
                "`:::read-also` and the theme's blocks cannot go in a bio",
            )
            .help("they work in articles and pages; remove the block from the author's file"),
        );
    }
    match (name, bio) {
        (Some(name), Ok(bio)) if errors.is_empty() => Ok(Author {
            id: id.to_string(),
            source: source.to_path_buf(),
            name,
            role,
            avatar,
            links,
            bio_html: bio.lead_html.unwrap_or_default() + &bio.body_html,
            version: super::content_version(source, bytes),
        }),
        _ => Err(errors),
    }
}
