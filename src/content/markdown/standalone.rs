//! Paragraphs that stand for something else. A paragraph holding only a link to a known
//! provider — a bare URL or `<https://…>` — becomes that provider's embed placeholder; one
//! holding only images becomes one `<figure>` per image, its Markdown title the caption:
//! `![alt](src "caption | credit")`, the part after the last `|` being the photographer's
//! credit. Runs on the event list after [`super::rewrite`] (which escapes writers' raw HTML,
//! and has rebased the images' addresses).

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

use super::blocks::figcaption;
use super::embeds::detect;
use super::labels::BodyLabels;
use super::placeholder::embed_placeholder;

/// Replaces lone-link paragraphs with embeds and image-only paragraphs with figures.
/// `labels`: the theme's words for credits and embeds.
pub(super) fn standalone_paragraphs<'e>(
    events: Vec<Event<'e>>,
    labels: &BodyLabels,
) -> Vec<Event<'e>> {
    let mut out = Vec::with_capacity(events.len());
    let mut rest = events.into_iter().peekable();
    while let Some(event) = rest.next() {
        if !matches!(event, Event::Start(Tag::Paragraph)) {
            out.push(event);
            continue;
        }
        let mut paragraph = Vec::new();
        for inner in rest.by_ref() {
            if matches!(inner, Event::End(TagEnd::Paragraph)) {
                break;
            }
            paragraph.push(inner);
        }
        if let Some(html) = lone_embed(&paragraph, labels) {
            out.push(Event::Html(html.into()));
        } else if is_images_only(&paragraph) {
            out.extend(figures(paragraph, labels));
        } else {
            out.push(Event::Start(Tag::Paragraph));
            out.extend(paragraph);
            out.push(Event::End(TagEnd::Paragraph));
        }
    }
    out
}

/// The embed a paragraph stands for, when it holds nothing but one provider link.
fn lone_embed(paragraph: &[Event], labels: &BodyLabels) -> Option<String> {
    let url = match paragraph {
        [
            Event::Start(Tag::Link {
                link_type: LinkType::Autolink,
                dest_url,
                ..
            }),
            ..,
            Event::End(TagEnd::Link),
        ] => dest_url.to_string(),
        _ if paragraph.iter().all(|e| matches!(e, Event::Text(_))) => paragraph
            .iter()
            .map(|e| match e {
                Event::Text(t) => t.as_ref(),
                _ => "",
            })
            .collect::<String>(),
        _ => return None,
    };
    let url = url.trim();
    detect(url, None).map(|embed| embed_placeholder(url, &embed, None, labels))
}

/// Images, with nothing but line breaks and spaces between them.
fn is_images_only(paragraph: &[Event]) -> bool {
    let mut depth = 0usize;
    let mut images = 0usize;
    for event in paragraph {
        match event {
            Event::Start(Tag::Image { .. }) => {
                depth += 1;
                images += 1;
            }
            Event::End(TagEnd::Image) => depth -= 1,
            _ if depth > 0 => {}
            Event::SoftBreak | Event::HardBreak => {}
            Event::Text(t) if t.trim().is_empty() => {}
            _ => return false,
        }
    }
    images > 0
}

/// Each image of an image-only paragraph in its own figure, its title as the caption.
fn figures<'e>(paragraph: Vec<Event<'e>>, labels: &BodyLabels) -> Vec<Event<'e>> {
    let mut out = Vec::with_capacity(paragraph.len() + 4);
    let mut captions = Vec::new();
    for event in paragraph {
        match event {
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                captions.push(title.to_string());
                out.push(Event::Html("<figure class=\"photo\">".into()));
                out.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title: CowStr::Borrowed(""),
                    id,
                }));
            }
            Event::End(TagEnd::Image) => {
                out.push(Event::End(TagEnd::Image));
                let caption = captions.pop().unwrap_or_default();
                let (text, credit) = split_caption(&caption);
                let html = figcaption(Some(text), credit, labels) + "</figure>\n";
                out.push(Event::Html(html.into()));
            }
            // Line breaks and spaces between the images.
            _ if captions.is_empty() => {}
            other => out.push(other),
        }
    }
    out
}

/// `caption | credit` → the caption and the credit; without `|`, all caption.
fn split_caption(title: &str) -> (&str, Option<&str>) {
    match title.rsplit_once('|') {
        Some((caption, credit)) => (caption.trim(), Some(credit.trim())),
        None => (title.trim(), None),
    }
}
