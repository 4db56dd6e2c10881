//! The pass over a body's Markdown events that makes them fit a news page: root-relative
//! links and images follow the site's base path, script URLs are dropped, raw HTML is escaped
//! unless the site trusts its writers, code reads left to right, tables scroll on a phone,
//! and Arabic punctuation keeps to its word. Block markers left by [`super::blocks::scan`]
//! become the blocks' HTML here, or slots for what only the render stage can write.

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd, html};

use super::blocks::spec::READ_ALSO;
use super::blocks::{Block, Marker, close_html, leaf_html, open_html};
use super::languages::language_open;
use super::{MarkdownOptions, Slot, slot_marker};
use crate::arabic::text::attach_arabic_punctuation;

/// Links, raw HTML, code, language spans, tables, punctuation and blocks; with the slots
/// the body's HTML refers to.
pub(super) fn rewrite<'a>(
    events: Vec<Event<'a>>,
    options: &MarkdownOptions,
    blocks: &[(Block, usize)],
) -> (Vec<Event<'a>>, Vec<Slot>) {
    let mut rewriter = Rewriter {
        options,
        blocks,
        out: Vec::with_capacity(events.len()),
        captured: Vec::new(),
        slots: Vec::new(),
        links: Vec::new(),
        in_code_block: false,
    };
    let mut events = events.into_iter().peekable();
    while let Some(event) = events.next() {
        match event {
            Event::Start(Tag::Paragraph) => rewriter.paragraph(&mut events),
            Event::Start(Tag::Link { .. } | Tag::Image { .. }) | Event::End(TagEnd::Link) => {
                rewriter.link(event)
            }
            Event::Start(Tag::CodeBlock(_)) | Event::End(TagEnd::CodeBlock) | Event::Code(_) => {
                rewriter.code(event)
            }
            Event::Text(text) => rewriter.text(text),
            Event::Html(h) | Event::InlineHtml(h) if !options.allow_html => {
                rewriter.out.push(Event::Text(h))
            }
            Event::Start(Tag::Table(_)) | Event::End(TagEnd::Table) => rewriter.table(event),
            other => rewriter.out.push(other),
        }
    }
    (rewriter.out, rewriter.slots)
}

/// The state of one pass of [`rewrite`] over a body's events.
struct Rewriter<'a, 'o> {
    options: &'o MarkdownOptions,
    blocks: &'o [(Block, usize)],
    out: Vec<Event<'a>>,
    /// The events before each open theme block: its own events collect in `out` meanwhile.
    captured: Vec<Vec<Event<'a>>>,
    slots: Vec<Slot>,
    /// For each open link: was it a `lang:` span (closed with `</span>`) or a real link?
    links: Vec<bool>,
    /// Text inside a code block is escaped here, because the block's tags are written here.
    in_code_block: bool,
}

impl<'a> Rewriter<'a, '_> {
    /// A paragraph that is only a block marker becomes the block's HTML.
    fn paragraph(&mut self, events: &mut std::iter::Peekable<impl Iterator<Item = Event<'a>>>) {
        let marker = match events.peek() {
            Some(Event::Text(t)) => Marker::parse(t),
            _ => None,
        };
        let Some(marker) = marker else {
            self.out.push(Event::Start(Tag::Paragraph));
            return;
        };
        events.next();
        if matches!(events.peek(), Some(Event::End(TagEnd::Paragraph))) {
            events.next();
        }
        self.block(marker);
    }

    fn block(&mut self, marker: Marker) {
        let blocks = self.blocks;
        match marker {
            Marker::Open(n) => match &blocks[n].0 {
                Block::Custom { .. } => self.captured.push(std::mem::take(&mut self.out)),
                block => self.html(open_html(block, &self.options.labels)),
            },
            Marker::Close(n) => match &blocks[n] {
                (Block::Custom { name, args, .. }, line) => {
                    let before = self.captured.pop().unwrap_or_default();
                    let inner = std::mem::replace(&mut self.out, before);
                    let mut body_html = String::new();
                    html::push_html(&mut body_html, inner.into_iter());
                    self.slot(Slot::Custom {
                        name: name.clone(),
                        args: args.0.clone(),
                        body_html: Some(body_html),
                        line: *line,
                    });
                }
                (block, _) => self.html(close_html(block, &self.options.labels)),
            },
            Marker::Leaf(n) => match &blocks[n] {
                (Block::Custom { name, args, .. }, line) => self.slot(Slot::Custom {
                    name: name.clone(),
                    args: args.0.clone(),
                    body_html: None,
                    line: *line,
                }),
                (Block::BuiltIn { name, args }, line) if *name == READ_ALSO => {
                    self.slot(Slot::ReadAlso {
                        file: args.get("file").unwrap_or_default().to_string(),
                        line: *line,
                    })
                }
                (block, _) => self.html(leaf_html(block, self.options)),
            },
        }
    }

    fn html(&mut self, html: String) {
        if !html.is_empty() {
            self.out.push(Event::Html(html.into()));
        }
    }

    fn slot(&mut self, slot: Slot) {
        self.html(slot_marker(self.slots.len()));
        self.slots.push(slot);
    }

    /// `[text](lang:en)` becomes a language span; other links and images follow the base path.
    fn link(&mut self, event: Event<'a>) {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) if dest_url.starts_with("lang:") => {
                self.links.push(true);
                self.out.push(Event::InlineHtml(
                    language_open("span", &dest_url[5..]).into(),
                ));
            }
            Event::Start(tag @ Tag::Link { .. }) => {
                self.links.push(false);
                self.out
                    .push(Event::Start(rebased(tag, &self.options.base_path)));
            }
            Event::End(TagEnd::Link) => match self.links.pop() {
                Some(true) => self.out.push(Event::InlineHtml("</span>".into())),
                _ => self.out.push(Event::End(TagEnd::Link)),
            },
            Event::Start(tag) => self
                .out
                .push(Event::Start(rebased(tag, &self.options.base_path))),
            other => self.out.push(other),
        }
    }

    /// Code blocks and inline code, written left to right and escaped.
    fn code(&mut self, event: Event<'a>) {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                self.in_code_block = true;
                self.out.push(Event::Html(code_block_open(&kind).into()));
            }
            Event::End(TagEnd::CodeBlock) => {
                self.in_code_block = false;
                self.out.push(Event::Html("</code></pre>\n".into()));
            }
            Event::Code(t) => self.out.push(Event::InlineHtml(
                format!("<code dir=\"ltr\">{}</code>", escape(&t)).into(),
            )),
            other => self.out.push(other),
        }
    }

    fn text(&mut self, text: CowStr<'a>) {
        if self.in_code_block {
            self.out.push(Event::Html(escape(&text).into()));
        } else {
            self.out.push(Event::Text(keep_punctuation_attached(text)));
        }
    }

    /// A wide table scrolls inside its wrapper instead of widening a phone's page.
    fn table(&mut self, event: Event<'a>) {
        match event {
            Event::Start(Tag::Table(align)) => {
                self.out
                    .push(Event::Html(CowStr::Borrowed("<div class=\"table-wrap\">")));
                self.out.push(Event::Start(Tag::Table(align)));
            }
            Event::End(TagEnd::Table) => {
                self.out.push(Event::End(TagEnd::Table));
                self.out.push(Event::Html(CowStr::Borrowed("</div>")));
            }
            other => self.out.push(other),
        }
    }
}

/// A link or image with its URL sent through [`rewrite_url`].
fn rebased<'a>(tag: Tag<'a>, base_path: &str) -> Tag<'a> {
    match tag {
        Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        } => Tag::Link {
            link_type,
            dest_url: rewrite_url(dest_url, base_path),
            title,
            id,
        },
        Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        } => Tag::Image {
            link_type,
            dest_url: rewrite_url(dest_url, base_path),
            title,
            id,
        },
        other => other,
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = pulldown_cmark_escape::escape_html_body_text(&mut out, text);
    out
}

/// Code reads left to right whatever the page's direction.
fn code_block_open(kind: &CodeBlockKind) -> String {
    match kind {
        CodeBlockKind::Fenced(info) if !info.trim().is_empty() => {
            let language = info.split_whitespace().next().unwrap_or("");
            let mut class = String::new();
            let _ = pulldown_cmark_escape::escape_html(&mut class, language);
            format!("<pre dir=\"ltr\"><code class=\"language-{class}\">")
        }
        _ => "<pre dir=\"ltr\"><code>".to_string(),
    }
}

/// A space before ، ؛ ؟ would let the line break there and start the next line with the
/// mark; a no-break space keeps the mark with its word.
fn keep_punctuation_attached(text: CowStr<'_>) -> CowStr<'_> {
    match attach_arabic_punctuation(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(fixed) => fixed.into(),
    }
}

/// Root-relative URLs get the base path; script and data URLs are dropped.
pub(super) fn rewrite_url<'a>(url: CowStr<'a>, base_path: &str) -> CowStr<'a> {
    let scheme: String = url
        .trim_start()
        .chars()
        .take_while(|c| *c != ':' && *c != '/')
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    if url.contains(':') && matches!(scheme.as_str(), "javascript" | "vbscript" | "data") {
        return CowStr::Borrowed("#");
    }
    if url.starts_with('/') && !url.starts_with("//") && base_path != "/" {
        return CowStr::from(format!("{}{}", base_path, &url[1..]));
    }
    url
}
