//! The references and ids of an HTML page, and whether it has a title and a description.
//! Every element is read: URL attributes by element (`<a href>`, `<img src>`, `srcset`,
//! `<link rel>` by what it loads…), absolute URLs in `<meta content>` and JSON-LD, and the
//! CSS of `<style>` and `style`; a `<base href>` moves what relative links resolve against.
//! The escaped HTML inside feeds is read with the same [`element_refs`].

use std::collections::HashSet;
use std::sync::Arc;

use scraper::{ElementRef, Html};

use super::css::css_refs;
use super::refs::{Ref, Scanned, What};
use super::resolve::{Context, Site};

const HTML_NAMESPACE: &str = "http://www.w3.org/1999/xhtml";

/// An HTML page: its title, description, ids and references.
pub(super) fn scan_html(site: &Site, text: &str, context: Context, scanned: &mut Scanned) {
    let doc = Html::parse_document(text);
    let context = Arc::new(match base_href(&doc) {
        Some(base) => context.rebased(site, base),
        None => context,
    });
    let mut ids = HashSet::new();
    for el in doc
        .root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
    {
        ids.extend(anchor_names(el));
        element_refs(el, &context, &mut scanned.refs);
    }
    scanned.ids = Some(ids);
    for what in head_problems(&doc) {
        scanned.problem(what);
    }
}

/// The first `<base href>`, which relative links resolve against.
fn base_href(doc: &Html) -> Option<&str> {
    doc.root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
        .find(|el| el.value().name() == "base" && el.value().attr("href").is_some())
        .and_then(|el| el.value().attr("href"))
}

/// The names a `#fragment` can point at: `id`, and `name` on `<a>`.
fn anchor_names(el: ElementRef) -> impl Iterator<Item = String> {
    let name = (el.value().name() == "a")
        .then(|| el.value().attr("name"))
        .flatten();
    el.value().id().into_iter().chain(name).map(str::to_string)
}

/// A missing or empty `<title>` and `<meta name="description">`.
fn head_problems(doc: &Html) -> Vec<&'static str> {
    let elements = || {
        doc.root_element()
            .descendants()
            .filter_map(ElementRef::wrap)
    };
    let title = elements()
        .find(|el| el.value().name() == "title" && &*el.value().name.ns == HTML_NAMESPACE);
    let description = elements().find(|el| {
        el.value().name() == "meta"
            && el
                .value()
                .attr("name")
                .is_some_and(|n| n.trim().eq_ignore_ascii_case("description"))
    });
    let mut problems = Vec::new();
    match title {
        None => problems.push("no <title>"),
        Some(t) if t.text().all(|s| s.trim().is_empty()) => problems.push("empty <title>"),
        Some(_) => {}
    }
    match description.map(|d| d.value().attr("content").unwrap_or("").trim()) {
        None => problems.push("no <meta name=\"description\">"),
        Some("") => problems.push("empty <meta name=\"description\">"),
        Some(_) => {}
    }
    problems
}

/// The references one HTML element makes.
pub(super) fn element_refs(el: ElementRef, context: &Arc<Context>, refs: &mut Vec<Ref>) {
    let element = el.value();
    for (name, what) in url_attributes(element) {
        if let Some(url) = element.attr(name) {
            refs.push(Ref::new(url, what, context));
        }
    }
    if let Some(srcset) = element.attr("srcset") {
        for url in srcset_urls(srcset) {
            refs.push(Ref::new(url, What::Image, context));
        }
    }
    for url in metadata_urls(el) {
        refs.push(Ref::new(url, What::Metadata, context));
    }
    if let Some(url) = refresh_target(element) {
        refs.push(Ref::new(url, What::Link, context));
    }
    let css = match element.name() {
        "style" => Some(el.text().collect::<String>()),
        _ => None,
    };
    for css in css.as_deref().into_iter().chain(element.attr("style")) {
        refs.extend(css_refs(css, context));
    }
}

/// The attributes of an element that hold a URL.
fn url_attributes(element: &scraper::node::Element) -> Vec<(&'static str, What)> {
    match element.name() {
        "a" | "area" => vec![("href", What::Link)],
        "link" => vec![("href", link_kind(element.attr("rel").unwrap_or("")))],
        "img" => vec![("src", What::Image)],
        "source" | "audio" | "track" | "embed" => vec![("src", What::Media)],
        "video" => vec![("src", What::Media), ("poster", What::Image)],
        "iframe" => vec![("src", What::Link)],
        "object" => vec![("data", What::Media)],
        "script" => vec![("src", What::Script)],
        _ => Vec::new(),
    }
}

/// Absolute URLs in `<meta content>` (Open Graph, Twitter cards) and in JSON-LD; those on
/// the site are checked.
fn metadata_urls(el: ElementRef) -> Vec<String> {
    let element = el.value();
    match element.name() {
        "meta" => element
            .attr("content")
            .map(str::trim)
            .filter(|c| is_absolute(c))
            .map(|c| vec![c.to_string()])
            .unwrap_or_default(),
        "script" if element.attr("type") == Some("application/ld+json") => {
            json_ld_urls(&el.text().collect::<String>())
        }
        _ => Vec::new(),
    }
}

/// Where `<meta http-equiv="refresh" content="0; url=…">` sends the reader: the target of a
/// redirect page (an alias), which must resolve like any link.
fn refresh_target(element: &scraper::node::Element) -> Option<&str> {
    let is_refresh = element.name() == "meta"
        && element
            .attr("http-equiv")
            .is_some_and(|v| v.eq_ignore_ascii_case("refresh"));
    let content = element.attr("content").filter(|_| is_refresh)?;
    let (_, target) = content.split_once(';')?;
    let target = target.trim();
    let url = target
        .get(..4)
        .filter(|k| k.eq_ignore_ascii_case("url="))
        .map(|_| &target[4..])?;
    Some(url.trim().trim_matches(['"', '\'']))
}

fn is_absolute(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://")
}

/// The absolute URLs among the strings of a JSON-LD block (none when it does not parse).
fn json_ld_urls(json: &str) -> Vec<String> {
    let mut urls = Vec::new();
    if let Ok(json) = serde_json::from_str(json) {
        json_strings(&json, &mut |s| {
            if is_absolute(s) {
                urls.push(s.to_string());
            }
        });
    }
    urls
}

/// Every string in a JSON value.
fn json_strings(value: &serde_json::Value, found: &mut impl FnMut(&str)) {
    match value {
        serde_json::Value::String(s) => found(s),
        serde_json::Value::Array(items) => items.iter().for_each(|v| json_strings(v, found)),
        serde_json::Value::Object(map) => map.values().for_each(|v| json_strings(v, found)),
        _ => {}
    }
}

/// What a `<link rel>` loads.
fn link_kind(rel: &str) -> What {
    let rel = rel.to_ascii_lowercase();
    let mut types = rel.split_ascii_whitespace();
    if types.clone().any(|t| t == "stylesheet") {
        What::Stylesheet
    } else if types.any(|t| t == "icon" || t == "apple-touch-icon") {
        What::Image
    } else {
        What::Link
    }
}

/// The URLs of a `srcset`: `a.jpg 1x, b.jpg 2x` → `a.jpg`, `b.jpg`.
fn srcset_urls(srcset: &str) -> Vec<&str> {
    let mut urls = Vec::new();
    let mut rest = srcset;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == ',');
        if rest.is_empty() {
            return urls;
        }
        let end = rest
            .find(|c: char| c.is_ascii_whitespace())
            .unwrap_or(rest.len());
        let url = rest[..end].trim_end_matches(',');
        urls.push(url);
        rest = if rest[..end].ends_with(',') {
            &rest[end..]
        } else {
            // Skip the descriptors, up to the next comma outside parentheses.
            descriptors_end(&rest[end..])
        };
    }
}

fn descriptors_end(s: &str) -> &str {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => return &s[i + 1..],
            _ => {}
        }
    }
    ""
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_meta_refresh() {
        let doc = Html::parse_document(
            "<meta http-equiv=Refresh content=\"0; URL='/news/x/'\"><meta http-equiv=refresh content=5>",
        );
        let targets: Vec<&str> = doc
            .select(&scraper::Selector::parse("meta").unwrap())
            .filter_map(|m| refresh_target(m.value()))
            .collect();
        assert_eq!(targets, ["/news/x/"]);
    }

    #[test]
    fn reads_srcset_urls() {
        assert_eq!(
            srcset_urls("a.jpg 1x, /b,c.jpg 2x,d.jpg"),
            ["a.jpg", "/b,c.jpg", "d.jpg"]
        );
    }

    #[test]
    fn finds_missing_titles_and_descriptions() {
        let doc = Html::parse_document(
            "<html><head><title> </title><meta name=Description content=x></head>\
             <body><svg><title>icon</title></svg></body></html>",
        );
        assert_eq!(head_problems(&doc), ["empty <title>"]);
        let doc = Html::parse_document("<title>t</title><meta name=description content=''>");
        assert_eq!(head_problems(&doc), ["empty <meta name=\"description\">"]);
    }
}
