//! The references of a feed, a sitemap or any other XML file of the output: `href`, `src`
//! and `url` attributes, the elements whose text is a URL (sitemap `<loc>`, RSS `<link>` and
//! `<guid>`, Atom `<id>`…), the `<?xml-stylesheet?>` instruction, and the links inside
//! escaped HTML content (Atom `<content type="html">`, RSS `<description>`), read as HTML.
//! `xml:base` moves what relative references resolve against; XML that is not well-formed is
//! a problem of its own, with its line.

use std::sync::Arc;

use quick_xml::events::{BytesRef, BytesStart, Event};
use scraper::{ElementRef, Html};

use super::html::element_refs;
use super::refs::{Ref, Scanned, What};
use super::resolve::{Context, Site};

/// How the text of an XML element is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TextRole {
    /// A URL: sitemap `<loc>`, RSS `<link>`, `<guid>`, Atom `<id>`, `<icon>`…
    Url,
    /// Escaped HTML: Atom `<content type="html">`, RSS `<description>`.
    Html,
    Ignore,
}

/// One open XML element.
struct Frame {
    context: Arc<Context>,
    role: TextRole,
    text: String,
}

/// A feed, sitemap or other XML file: `href`, `src` and `url` attributes, URL elements, and
/// the links inside escaped HTML content. Not well-formed XML is a problem of its own.
pub(super) fn scan_xml(site: &Site, text: &str, context: Context, scanned: &mut Scanned) {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut stack = vec![Frame {
        context: Arc::new(context),
        role: TextRole::Ignore,
        text: String::new(),
    }];
    loop {
        let top = stack.last_mut().expect("the document frame stays");
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                let frame = open_element(site, &e, &top.context, &mut scanned.refs);
                stack.push(frame);
            }
            Ok(Event::Empty(e)) => {
                open_element(site, &e, &top.context, &mut scanned.refs);
            }
            Ok(Event::Text(t)) if top.role != TextRole::Ignore => {
                top.text.push_str(&t.xml10_content())
            }
            Ok(Event::CData(c)) if top.role != TextRole::Ignore => top.text.push_str(&c),
            Ok(Event::GeneralRef(r)) if top.role != TextRole::Ignore => {
                top.text.push_str(&entity_text(&r));
            }
            Ok(Event::PI(pi)) => {
                if let Some(href) = stylesheet_pi_href(&pi) {
                    scanned.refs.push(xml_ref(href, &top.context));
                }
            }
            Ok(Event::End(_)) if stack.len() > 1 => {
                let frame = stack.pop().expect("checked");
                close_element(frame, &mut scanned.refs);
            }
            Ok(Event::Eof) => break,
            Err(e) => {
                let line = line_at(text, reader.error_position());
                scanned.problem(format!("not well-formed XML, line {line}: {e}"));
                break;
            }
            Ok(_) => {}
        }
    }
}

/// The text of `&#1575;` or `&amp;`; nothing for an entity XML does not define.
fn entity_text(r: &BytesRef) -> String {
    let resolved = match r.resolve_char_ref() {
        Ok(Some(c)) => Some(c.to_string()),
        _ => quick_xml::escape::resolve_predefined_entity(r).map(str::to_string),
    };
    resolved.unwrap_or_default()
}

/// An element's URL attributes, and the frame its content is read in.
fn open_element(site: &Site, e: &BytesStart, parent: &Arc<Context>, refs: &mut Vec<Ref>) -> Frame {
    let attributes = attributes(e);
    let attr = |name: &str| {
        attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    };
    let context = match attr("xml:base") {
        Some(base) => Arc::new(parent.rebased(site, base)),
        None => Arc::clone(parent),
    };
    for name in ["href", "src", "url"] {
        if let Some(url) = attr(name) {
            refs.push(xml_ref(url, &context));
        }
    }
    let local = e.local_name().as_ref().to_string();
    Frame {
        role: text_role(&local, attr("type"), attr("isPermaLink")),
        context,
        text: String::new(),
    }
}

/// An element's attributes, names as written, values normalised; malformed ones skipped.
fn attributes(e: &BytesStart) -> Vec<(String, String)> {
    e.attributes()
        .flatten()
        .filter_map(|a| {
            let value = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()?;
            Some((a.key.as_ref().to_string(), value.into_owned()))
        })
        .collect()
}

/// Which elements hold a URL or escaped HTML as their text.
fn text_role(local: &str, kind: Option<&str>, is_permalink: Option<&str>) -> TextRole {
    match local {
        "guid" if is_permalink.is_some_and(|p| p.trim() == "false") => TextRole::Ignore,
        "loc" | "link" | "guid" | "id" | "uri" | "icon" | "logo" | "url" | "comments" => {
            TextRole::Url
        }
        "description" | "encoded" => TextRole::Html,
        "content" | "summary" if kind.is_some_and(|k| k.trim() == "html") => TextRole::Html,
        _ => TextRole::Ignore,
    }
}

/// The references in a closed element's text.
fn close_element(frame: Frame, refs: &mut Vec<Ref>) {
    match frame.role {
        TextRole::Url if !frame.text.trim().is_empty() => {
            refs.push(xml_ref(frame.text.trim(), &frame.context))
        }
        TextRole::Html => {
            let fragment = Html::parse_fragment(&frame.text);
            for el in fragment
                .root_element()
                .descendants()
                .filter_map(ElementRef::wrap)
            {
                element_refs(el, &frame.context, refs);
            }
        }
        _ => {}
    }
}

fn xml_ref(url: &str, context: &Arc<Context>) -> Ref {
    Ref::new(url, What::XmlUrl, context)
}

/// `href` of `<?xml-stylesheet type="text/xsl" href="/feed.xsl"?>`.
fn stylesheet_pi_href(content: &str) -> Option<&str> {
    let pseudo_attributes = content.strip_prefix("xml-stylesheet")?;
    let start = pseudo_attributes.find("href=")? + 5;
    let rest = &pseudo_attributes[start..];
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    rest[1..].split(quote).next()
}

/// The 1-based line holding byte `offset`.
fn line_at(text: &str, offset: u64) -> usize {
    let offset = usize::try_from(offset)
        .unwrap_or(usize::MAX)
        .min(text.len());
    text.as_bytes()[..offset]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::super::resolve::located_file;
    use super::*;

    #[test]
    fn reads_urls_from_feeds_and_sitemaps() {
        let site = Site::new("https://example.com/");
        let feed = r##"<?xml version="1.0"?><?xml-stylesheet href="/feed.xsl" type="text/xsl"?>
<feed xmlns="http://www.w3.org/2005/Atom"><id>https://example.com/</id>
<link rel="self" href="https://example.com/feed.xml"/>
<entry xml:base="https://example.com/a/"><id>tag:example.com,2026:1</id>
<content type="html">&lt;a href="#fn1"&gt;1&lt;/a&gt;&lt;img src="/i.png"&gt;</content></entry>
<rss><guid isPermaLink="false">x</guid><guid>https://example.com/b/</guid></rss>
<urlset><url><loc>https://example.com/c/?q=1&amp;r=2</loc></url></urlset></feed>"##;
        let mut scanned = Scanned::default();
        scan_xml(
            &site,
            feed,
            Context::of_file(&site, "feed.xml"),
            &mut scanned,
        );
        assert!(scanned.problems.is_empty(), "{:?}", scanned.problems);
        let found: Vec<Option<String>> = scanned
            .refs
            .iter()
            .map(|r| located_file(&site, &r.context, &r.written))
            .collect();
        let expected = [
            Some("feed.xsl"),
            Some("index.html"),
            Some("feed.xml"),
            None,
            Some("a/index.html"),
            Some("i.png"),
            Some("b/index.html"),
            Some("c/index.html"),
        ];
        assert_eq!(found, expected.map(|f| f.map(str::to_string)));
    }

    #[test]
    fn reports_xml_that_is_not_well_formed() {
        let site = Site::new("https://example.com/");
        let mut scanned = Scanned::default();
        scan_xml(
            &site,
            "<urlset>\n<url><loc>x</url>",
            Context::of_file(&site, "sitemap.xml"),
            &mut scanned,
        );
        assert_eq!(scanned.problems.len(), 1);
        assert!(
            scanned.problems[0].contains("line 2"),
            "{:?}",
            scanned.problems
        );
    }
}
