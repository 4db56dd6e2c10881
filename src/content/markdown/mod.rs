//! Markdown body → HTML, with what an Arabic news page needs on top of CommonMark.
//!
//! pulldown-cmark does the parsing (tables, footnotes, strikethrough, GFM alerts; smart
//! punctuation stays off because it makes English curly quotes that read backwards in RTL).
//! On the event stream we then: give headings Arabic ids, unique per page; send root-relative
//! links through the site's base path so they work under a sub-path; drop `javascript:`-style
//! links; escape raw HTML unless the site trusts its writers; wrap tables so they scroll on a
//! phone; and take the first paragraph apart as the lead. On top of Markdown: `:::` blocks
//! (`blocks`: figures, galleries, quotes, notices, «اقرأ أيضًا», embeds, languages, the
//! theme's own), paragraphs that are a lone provider link or only images (`standalone`,
//! `embeds`, `placeholder`). The event pass lives in `rewrite`; headings and the lead are
//! done here. What only the render stage can write (another article's title, a theme
//! template) is left as a numbered [`Slot`] that [`fill_slots`] fills in.

pub mod blocks;
pub mod embeds;
pub mod labels;
mod languages;
mod links;
mod placeholder;
mod rewrite;
mod standalone;

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

use self::blocks::scan;
use self::blocks::spec::BlockSpec;
use self::labels::BodyLabels;
use self::rewrite::rewrite;
use self::standalone::standalone_paragraphs;
use crate::arabic::text::{slugify, word_count};
use crate::error::Diagnostic;

/// How to render a body.
#[derive(Debug, Clone)]
pub struct MarkdownOptions {
    /// Prefix for root-relative links (`/` or `/news/`).
    pub base_path: String,
    /// Publish raw HTML from Markdown as is (trusted newsrooms only).
    pub allow_html: bool,
    /// The blocks the theme and the site add to the built-in ones.
    pub custom_blocks: Arc<Vec<BlockSpec>>,
    /// The words qissa writes inside bodies, from the theme's labels.
    pub labels: Arc<BodyLabels>,
}

impl Default for MarkdownOptions {
    fn default() -> Self {
        MarkdownOptions {
            base_path: "/".into(),
            allow_html: false,
            custom_blocks: Arc::default(),
            labels: Arc::default(),
        }
    }
}

/// Where a body comes from, for errors: its file and the file line it starts on.
#[derive(Debug, Clone, Copy)]
pub struct Origin<'p> {
    pub file: &'p Path,
    pub first_line: usize,
}

/// Something in a body that only the render stage can write. The body's HTML holds
/// [`slot_marker`]`(i)` where slot `i` goes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Slot {
    /// `:::read-also FILE`: a box linking the article in `file` (as written), at file `line`.
    ReadAlso { file: String, line: usize },
    /// A block of the theme or site, rendered by `templates/blocks/<name>.html`.
    Custom {
        name: String,
        args: Vec<(String, String)>,
        /// The Markdown inside, rendered, for blocks that hold some.
        body_html: Option<String>,
        line: usize,
    },
}

/// The HTML comment that stands for slot `index` until the render stage fills it.
pub fn slot_marker(index: usize) -> String {
    format!("<!--qissa-slot:{index}-->\n")
}

/// `html` with every slot marker replaced by `fill(index)`; markers of no slot stay.
pub fn fill_slots<E>(
    html: &str,
    count: usize,
    mut fill: impl FnMut(usize) -> Result<String, E>,
) -> Result<String, E> {
    const OPEN: &str = "<!--qissa-slot:";
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    while let Some(at) = rest.find(OPEN) {
        out.push_str(&rest[..at]);
        let after = &rest[at + OPEN.len()..];
        let parsed = after
            .split_once("-->\n")
            .and_then(|(n, tail)| Some((n.parse::<usize>().ok()?, tail)));
        match parsed {
            Some((n, tail)) if n < count => {
                out.push_str(&fill(n)?);
                rest = tail;
            }
            _ => {
                out.push_str(OPEN);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Ok(out)
}

/// A rendered body.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Rendered {
    /// The first paragraph as HTML, when the body starts with one.
    pub lead_html: Option<String>,
    /// The first paragraph as plain text (for descriptions and cards).
    pub lead_text: String,
    /// Everything after the lead.
    pub body_html: String,
    /// Words in the whole body, for reading time.
    pub words: usize,
    /// The whole body (lead included) as plain text, one line per paragraph, heading, list
    /// item or table cell: what search indexes, taken from this parse so that the index
    /// never reads HTML back.
    pub text: String,
    /// Second-level headings with their ids, in order (a table of contents).
    pub headings: Vec<Heading>,
    /// What the render stage writes into the body (see [`fill_slots`]).
    pub slots: Vec<Slot>,
}

/// A heading and its anchor.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Heading {
    pub id: String,
    pub text: String,
}

/// Ids the theme itself uses on an article page; headings must not take them.
const RESERVED_IDS: &[&str] = &[
    "main",
    "summary-title",
    "share-title",
    "tags-title",
    "more-title",
];

/// Renders a Markdown body; faults in its blocks are reported with `origin`'s file and
/// line.
pub fn render(
    source: &str,
    options: &MarkdownOptions,
    origin: Origin,
) -> Result<Rendered, Vec<Diagnostic>> {
    let scanned = scan(source, &options.custom_blocks, origin.first_line);
    if !scanned.faults.is_empty() {
        return Err(scanned
            .faults
            .into_iter()
            .map(|(line, fault)| {
                Diagnostic::new(origin.file, fault.message)
                    .at_line(line)
                    .help(fault.help)
            })
            .collect());
    }
    let parser = Parser::new_ext(&scanned.source, parser_options());
    let mut events: Vec<Event> = parser.collect();
    let words = count_words(&events);
    let text = body_text(&events, scanned.source.len());
    let headings = assign_heading_ids(&mut events);
    let (events, slots) = rewrite(events, options, &scanned.blocks);
    let events = standalone_paragraphs(events, &options.labels);
    let (lead, rest) = split_lead(events);
    let lead_text = lead.as_ref().map(|e| plain_text(e)).unwrap_or_default();
    let lead_html = lead.map(|events| {
        let mut out = String::new();
        html::push_html(&mut out, events.into_iter());
        out
    });
    let mut body_html = String::with_capacity(source.len() * 2);
    html::push_html(&mut body_html, rest.into_iter());
    Ok(Rendered {
        lead_html,
        lead_text,
        body_html,
        words,
        text,
        headings,
        slots,
    })
}

fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_GFM
}

fn count_words(events: &[Event]) -> usize {
    events
        .iter()
        .map(|e| match e {
            Event::Text(t) | Event::Code(t) => word_count(t),
            _ => 0,
        })
        .sum()
}

/// The body's text in reading order, a line per block. `capacity` (the Markdown's length)
/// bounds it, so the string is allocated once and never grows.
fn body_text(events: &[Event], capacity: usize) -> String {
    let mut text = String::with_capacity(capacity);
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(end) if ends_a_line(end) => {
                let kept = text.trim_end_matches([' ', '\n']).len();
                text.truncate(kept);
                if kept > 0 {
                    text.push('\n');
                }
            }
            _ => {}
        }
    }
    let kept = text.trim_end().len();
    text.truncate(kept);
    text.shrink_to_fit();
    text
}

/// Blocks after which the plain text starts a new line (so words of two cells or two
/// paragraphs never run together).
fn ends_a_line(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::Item
            | TagEnd::TableCell
            | TagEnd::CodeBlock
            | TagEnd::BlockQuote(_)
            | TagEnd::FootnoteDefinition
    )
}

/// Gives every heading an id from its text (Arabic kept), unique on the page.
fn assign_heading_ids(events: &mut [Event]) -> Vec<Heading> {
    let mut used: HashSet<String> = RESERVED_IDS.iter().map(|s| s.to_string()).collect();
    let mut headings = Vec::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { level, .. }) = &events[i] {
            let level = *level;
            let text = heading_text(&events[i + 1..]);
            let id = unique_id(&slugify(&text), &mut used);
            if level == HeadingLevel::H2 {
                headings.push(Heading {
                    id: id.clone(),
                    text,
                });
            }
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i] {
                *slot = Some(CowStr::from(id));
            }
        }
        i += 1;
    }
    headings
}

fn heading_text(events: &[Event]) -> String {
    let mut text = String::new();
    for e in events {
        match e {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            _ => {}
        }
    }
    text.trim().to_string()
}

fn unique_id(base: &str, used: &mut HashSet<String>) -> String {
    let base = if base.is_empty() { "section" } else { base };
    let mut candidate = base.to_string();
    let mut n = 2;
    while !used.insert(candidate.clone()) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    candidate
}

/// Takes the body's first block apart when it is a paragraph: that is the lead.
fn split_lead(events: Vec<Event>) -> (Option<Vec<Event>>, Vec<Event>) {
    if !matches!(events.first(), Some(Event::Start(Tag::Paragraph))) {
        return (None, events);
    }
    let end = events
        .iter()
        .position(|e| matches!(e, Event::End(TagEnd::Paragraph)))
        .unwrap_or(events.len() - 1);
    let mut lead = events;
    let rest = lead.split_off(end + 1);
    (Some(lead), rest)
}

fn plain_text(events: &[Event]) -> String {
    let mut text = String::new();
    for e in events {
        match e {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(base: &str) -> MarkdownOptions {
        MarkdownOptions {
            base_path: base.into(),
            ..MarkdownOptions::default()
        }
    }

    fn render(source: &str, options: &MarkdownOptions) -> Rendered {
        let origin = Origin {
            file: Path::new("a.md"),
            first_line: 1,
        };
        super::render(source, options, origin).expect("no faults")
    }

    #[test]
    fn lead_is_split_from_the_body() {
        let r = render("أول فقرة.\n\n## عنوان\n\nنص.", &opts("/"));
        assert_eq!(r.lead_html.as_deref(), Some("<p>أول فقرة.</p>\n"));
        assert_eq!(r.lead_text, "أول فقرة.");
        assert!(
            r.body_html.starts_with("<h2 id=\"عنوان\">عنوان</h2>"),
            "{}",
            r.body_html
        );
        assert_eq!(r.words, 4);
        assert_eq!(r.text, "أول فقرة.\nعنوان\nنص.");
    }

    #[test]
    fn plain_text_keeps_every_block_on_its_own_line() {
        let r = render(
            "مقدمة **مهمة**\nتكملة.\n\n- بند أول\n- بند [ثان](/x/)\n\n| أ | ب |\n|---|---|\n| ج | د |\n\n<b>وسم</b>\n",
            &opts("/"),
        );
        assert_eq!(
            r.text,
            "مقدمة مهمة تكملة.\nبند أول\nبند ثان\nأ\nب\nج\nد\nوسم"
        );
    }

    #[test]
    fn heading_ids_are_arabic_and_unique() {
        let r = render("## أهم النقاط\n\n## أهمّ النقاط\n\n## main\n", &opts("/"));
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["أهم-النقاط", "أهم-النقاط-2", "main-2"]);
    }

    #[test]
    fn links_follow_the_base_path_and_scripts_are_dropped() {
        let r = render(
            "[أ](/security/x/) [ب](javascript:alert(1)) [ج](https://e.com/)",
            &opts("/news/"),
        );
        assert!(
            r.lead_html
                .as_ref()
                .unwrap()
                .contains("href=\"/news/security/x/\"")
        );
        assert!(r.lead_html.as_ref().unwrap().contains("href=\"#\""));
        assert!(
            r.lead_html
                .as_ref()
                .unwrap()
                .contains("href=\"https://e.com/\"")
        );
    }

    #[test]
    fn raw_html_is_escaped_unless_allowed() {
        let r = render("<script>alert(1)</script>\n\nنص", &opts("/"));
        assert!(
            r.body_html.contains("&lt;script&gt;")
                || r.lead_html.unwrap_or_default().contains("&lt;script")
        );
        let trusted = MarkdownOptions {
            allow_html: true,
            ..MarkdownOptions::default()
        };
        assert!(
            render("<aside>x</aside>\n", &trusted)
                .body_html
                .contains("<aside>")
        );
    }

    #[test]
    fn tables_footnotes_and_strikethrough() {
        let r = render(
            "مقدمة[^1].\n\n| البند | التفصيل |\n|---|---|\n| أ | ب |\n\n~~قديم~~\n\n[^1]: مصدر.\n",
            &opts("/"),
        );
        assert!(
            r.body_html.contains("<div class=\"table-wrap\"><table>"),
            "{}",
            r.body_html
        );
        assert!(r.body_html.contains("<del>قديم</del>"));
        assert!(r.body_html.contains("footnote"));
    }

    #[test]
    fn code_reads_left_to_right() {
        let r = render(
            "نص `let x = 1;` هنا\n\n```rust\nfn main() {}\n```\n",
            &opts("/"),
        );
        assert!(
            r.lead_html
                .unwrap()
                .contains("<code dir=\"ltr\">let x = 1;</code>")
        );
        assert!(r.body_html.contains(
            "<pre dir=\"ltr\"><code class=\"language-rust\">fn main() {}\n</code></pre>"
        ));
    }

    #[test]
    fn english_passages_are_marked() {
        let r = render(
            "مقدمة.\n\n:::en\nThe minister said: *yes*.\n:::\n\nقال [Jeddah Open](lang:en) أمس.\n",
            &opts("/"),
        );
        assert!(
            r.body_html.contains(
                "<div lang=\"en\" dir=\"ltr\">\n<p>The minister said: <em>yes</em>.</p>\n</div>"
            ),
            "{}",
            r.body_html
        );
        assert!(
            r.body_html
                .contains("<span lang=\"en\" dir=\"ltr\">Jeddah Open</span>"),
            "{}",
            r.body_html
        );
        let fenced = render("```\n:::en\n```\n", &opts("/"));
        assert!(fenced.body_html.contains(":::en"));
    }

    #[test]
    fn passages_take_the_direction_the_page_would() {
        // The page direction and passage direction come from one list: a Dhivehi or Moroccan
        // Arabic passage reads right to left, as a site in that language would.
        let r = render(
            "مقدمة.\n\n:::ary\nنص.\n:::\n\n[ދިވެހި](lang:dv) و[x](lang:en).\n",
            &opts("/"),
        );
        assert!(
            r.body_html.contains("<div lang=\"ary\" dir=\"rtl\">"),
            "{}",
            r.body_html
        );
        assert!(r.body_html.contains("<span lang=\"dv\" dir=\"rtl\">"));
        assert!(r.body_html.contains("<span lang=\"en\" dir=\"ltr\">"));
    }

    #[test]
    fn arabic_punctuation_stays_with_its_word() {
        let r = render("قال الوزير ، ثم سأل ؟", &opts("/"));
        assert_eq!(
            r.lead_html.unwrap(),
            "<p>قال الوزير\u{a0}، ثم سأل\u{a0}؟</p>\n"
        );
    }

    #[test]
    fn smart_punctuation_stays_off() {
        let r = render("قال \"نعم\" -- ثم...", &opts("/"));
        assert_eq!(r.lead_text, "قال \"نعم\" -- ثم...");
    }
}
