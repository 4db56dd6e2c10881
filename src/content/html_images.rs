//! The images a rendered body shows: every `<img>` tag of the HTML qissa wrote from the
//! Markdown (plain images, figure blocks and, on trusted sites, raw HTML alike), with the
//! line of the source that names each one, so a missing or broken photo is reported where the
//! writer put it. The renderer uses the same scanner to replace each tag with a responsive
//! `<picture>`.

use std::ops::Range;

use super::parse::Located;

/// One `<img>` tag: where it lies in the HTML, and its `src`, unescaped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImgTag {
    pub range: Range<usize>,
    pub src: String,
}

/// Every `<img …>` tag of `html`, in order.
pub fn img_tags(html: &str) -> Vec<ImgTag> {
    let mut tags = Vec::new();
    let mut from = 0;
    while let Some(start) = html[from..].find("<img ").map(|i| i + from) {
        let Some(end) = tag_end(html, start) else {
            break;
        };
        if let Some(src) = attribute(&html[start..end], "src") {
            tags.push(ImgTag {
                range: start..end,
                src,
            });
        }
        from = end;
    }
    tags
}

/// The index just past the `>` closing the tag at `start`, minding quoted values.
fn tag_end(html: &str, start: usize) -> Option<usize> {
    let mut quote = None;
    for (i, c) in html[start..].char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(start + i + 1),
            _ => {}
        }
    }
    None
}

/// The value of attribute `name` in one tag's text (`<img a="1" b='2' c=3>`), unescaped.
pub fn attribute(tag: &str, name: &str) -> Option<String> {
    attributes(tag)
        .into_iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| unescape(v))
}

/// Every `name=value` of a tag, read in order so a value never passes for a name.
fn attributes(tag: &str) -> Vec<(&str, &str)> {
    let inner = tag
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim_end_matches('/');
    let mut rest = inner.split_once(char::is_whitespace).map_or("", |(_, r)| r);
    let mut found = Vec::new();
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        let name_end = rest
            .find(|c: char| c.is_whitespace() || c == '=')
            .unwrap_or(rest.len());
        if name_end == 0 {
            return found;
        }
        let name = &rest[..name_end];
        rest = rest[name_end..].trim_start();
        let Some(value_text) = rest.strip_prefix('=') else {
            found.push((name, ""));
            continue;
        };
        let (value, after) = split_value(value_text.trim_start());
        found.push((name, value));
        rest = after;
    }
}

/// A quoted or bare attribute value, and the text after it.
fn split_value(text: &str) -> (&str, &str) {
    match text.chars().next() {
        Some(q @ ('"' | '\'')) => match text[1..].find(q) {
            Some(end) => (&text[1..1 + end], &text[end + 2..]),
            None => (&text[1..], ""),
        },
        _ => {
            let end = text.find(char::is_whitespace).unwrap_or(text.len());
            (&text[..end], &text[end..])
        }
    }
}

fn unescape(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The images of a body: each `src` as the writer wrote it (without the base path qissa put
/// in front of root-relative ones) and the line of `source` (the body's Markdown, which
/// starts at file line `first_line`) where it first appears.
pub fn body_images(
    html: &str,
    source: &str,
    first_line: usize,
    base_path: &str,
) -> Vec<Located<String>> {
    if !html.contains("<img ") {
        return Vec::new();
    }
    img_tags(html)
        .into_iter()
        .filter(|tag| names_a_file(&tag.src))
        .map(|tag| {
            let written = written_reference(&tag.src, base_path);
            let line = source
                .find(written.as_str())
                .map(|at| first_line + source[..at].matches('\n').count());
            Located {
                value: written,
                line,
            }
        })
        .collect()
}

/// Whether a `src` names a file at all: not empty, not a fragment (`#`, what a dropped unsafe
/// address becomes), and no scheme but http(s).
fn names_a_file(src: &str) -> bool {
    let scheme = src
        .split_once(':')
        .map(|(s, _)| s)
        .filter(|s| !s.contains('/'));
    !src.is_empty()
        && !src.starts_with('#')
        && scheme.is_none_or(|s| s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https"))
}

/// `/news/images/x.jpg` → `/images/x.jpg` under base path `/news/`; anything else as is.
pub fn written_reference(src: &str, base_path: &str) -> String {
    match src.strip_prefix(base_path) {
        Some(rest) if base_path != "/" => format!("/{rest}"),
        _ => src.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_images_with_their_lines() {
        let source = "فقرة.\n\n![صورة](/images/a.jpg \"تعليق\")\n\n<p>x</p>\n\n![](photo.jpg)\n";
        let html = "<p>فقرة.</p>\n<p><img src=\"/news/images/a.jpg\" alt=\"صورة\" title=\"تعليق\" /></p>\n\
                    <p><img alt=\"a > b\" src=\"photo.jpg\" /></p>";
        let images = body_images(html, source, 10, "/news/");
        let found: Vec<(&str, Option<usize>)> =
            images.iter().map(|i| (i.value.as_str(), i.line)).collect();
        assert_eq!(
            found,
            [("/images/a.jpg", Some(12)), ("photo.jpg", Some(16))]
        );
    }

    #[test]
    fn reads_attributes_carefully() {
        let tag = "<img alt=\"see src='no'\" data-src=\"x\" src='a&amp;b.jpg' loading=lazy />";
        assert_eq!(attribute(tag, "src").as_deref(), Some("a&b.jpg"));
        assert_eq!(attribute(tag, "alt").as_deref(), Some("see src='no'"));
        assert_eq!(attribute(tag, "loading").as_deref(), Some("lazy"));
        assert_eq!(
            img_tags("<img src=\"x").len(),
            0,
            "an unclosed tag is no tag"
        );
    }
}
