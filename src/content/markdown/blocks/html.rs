//! The HTML of the built-in blocks. Plain, classed elements the theme styles: a figure is
//! `<figure>` with a plain `<img src alt>` (the photo pipeline turns local ones into
//! responsive pictures later) and a `<figcaption>` holding the caption and the credit; a
//! gallery is a group of such figures; a pull quote a `<figure>` around a `<blockquote>`; a
//! notice a `role="note"` box headed by its kind. Every value is escaped here.

use pulldown_cmark_escape::{escape_href, escape_html, escape_html_body_text};

use super::super::embeds::Embed;
use super::super::labels::BodyLabels;
use super::super::placeholder::embed_placeholder;
use super::super::rewrite::rewrite_url;
use super::spec::{Args, GALLERY, NOTICE, QUOTE};
use super::{Block, NOTICE_KINDS};
use crate::content::markdown::MarkdownOptions;
use crate::content::markdown::languages::language_open;

/// What a credit may start with; the theme's «تصوير:» label replaces it.
const CREDIT_PREFIXES: &[&str] = &["تصوير:", "تصوير :", "تصوير", "الصورة:", "Photo:"];

/// The opening HTML of a block that holds Markdown.
pub(in crate::content::markdown) fn open_html(block: &Block, labels: &BodyLabels) -> String {
    match block {
        Block::Language(lang) => language_open("div", lang) + "\n",
        Block::BuiltIn { name, args } if *name == GALLERY => match args.get("caption") {
            Some(_) => "<figure class=\"gallery\">\n".into(),
            None => "<div class=\"gallery\">\n".into(),
        },
        Block::BuiltIn { name, .. } if *name == QUOTE => {
            "<figure class=\"pull-quote\">\n<blockquote>\n".into()
        }
        Block::BuiltIn { name, args } if *name == NOTICE => notice_open(args, labels),
        _ => String::new(),
    }
}

/// The closing HTML of a block that holds Markdown.
pub(in crate::content::markdown) fn close_html(block: &Block, labels: &BodyLabels) -> String {
    match block {
        Block::Language(_) => "</div>\n".into(),
        Block::BuiltIn { name, args } if *name == GALLERY => match args.get("caption") {
            Some(caption) => format!("{}</figure>\n", figcaption(Some(caption), None, labels)),
            None => "</div>\n".into(),
        },
        Block::BuiltIn { name, args } if *name == QUOTE => {
            let by = args.get("by").map(|by| {
                let mut html = String::from("<figcaption class=\"quote-by\">");
                let _ = escape_html_body_text(&mut html, by);
                html + "</figcaption>\n"
            });
            format!("</blockquote>\n{}</figure>\n", by.unwrap_or_default())
        }
        Block::BuiltIn { name, .. } if *name == NOTICE => "</div>\n".into(),
        _ => String::new(),
    }
}

/// The HTML of a one-line block: a figure or an embed.
pub(in crate::content::markdown) fn leaf_html(block: &Block, options: &MarkdownOptions) -> String {
    match block {
        Block::BuiltIn { name, args } if *name == super::spec::FIGURE => figure(args, options),
        Block::Embed { url, embed, args } => embed_html(url, embed, args, &options.labels),
        _ => String::new(),
    }
}

fn embed_html(url: &str, embed: &Embed, args: &Args, labels: &BodyLabels) -> String {
    embed_placeholder(url, embed, args.get("caption"), labels)
}

fn figure(args: &Args, options: &MarkdownOptions) -> String {
    let src = rewrite_url(args.get("src").unwrap_or("").into(), &options.base_path);
    let mut html = String::from("<figure class=\"photo\"><img src=\"");
    let _ = escape_href(&mut html, &src);
    html.push_str("\" alt=\"");
    let _ = escape_html(&mut html, args.get("alt").unwrap_or(""));
    html.push_str("\" />");
    let (caption, credit) = (args.get("caption"), args.get("credit"));
    html.push_str(&figcaption(caption, credit, &options.labels));
    html.push_str("</figure>\n");
    html
}

/// `<figcaption>` with the caption and the credit, or nothing when both are empty.
pub(in crate::content::markdown) fn figcaption(
    caption: Option<&str>,
    credit: Option<&str>,
    labels: &BodyLabels,
) -> String {
    let caption = caption.map(str::trim).filter(|c| !c.is_empty());
    let credit = credit.map(strip_credit_label).filter(|c| !c.is_empty());
    if caption.is_none() && credit.is_none() {
        return String::new();
    }
    let mut html = String::from("<figcaption>");
    if let Some(caption) = caption {
        html.push_str("<span class=\"caption\">");
        let _ = escape_html_body_text(&mut html, caption);
        html.push_str("</span>");
    }
    if let Some(credit) = credit {
        if caption.is_some() {
            html.push(' ');
        }
        html.push_str("<small class=\"credit\"><span class=\"credit-label\">");
        let _ = escape_html_body_text(&mut html, &labels.photo_credit);
        html.push_str("</span> ");
        let _ = escape_html_body_text(&mut html, credit);
        html.push_str("</small>");
    }
    html.push_str("</figcaption>");
    html
}

fn strip_credit_label(credit: &str) -> &str {
    let credit = credit.trim();
    CREDIT_PREFIXES
        .iter()
        .find_map(|p| credit.strip_prefix(p))
        .unwrap_or(credit)
        .trim()
}

fn notice_open(args: &Args, labels: &BodyLabels) -> String {
    let kind = args.get("kind").unwrap_or("info");
    // The kind was checked when the block was read; the headings follow NOTICE_KINDS.
    let index = NOTICE_KINDS.iter().position(|k| *k == kind).unwrap_or(0);
    let heading = labels.notices[index].as_str();
    let mut html = format!(
        "<div class=\"notice notice-{kind}\" role=\"note\">\n<p class=\"notice-title\"><strong>"
    );
    let _ = escape_html_body_text(&mut html, args.get("title").unwrap_or(heading));
    html.push_str("</strong></p>\n");
    html
}
