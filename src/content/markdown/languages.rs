//! Passages in another language inside an Arabic article: a `:::en` … `:::` block or an
//! `[inline phrase](lang:en)`. Each gets `lang` and the direction of its script, so screen
//! readers switch voice and an English quotation reads left to right.

use pulldown_cmark::{Event, TagEnd};

use crate::arabic::text::is_rtl_language;

/// Opening tag for a passage in another language: `lang` and the direction of its script.
pub(super) fn language_open(element: &str, lang: &str) -> String {
    let lang: String = lang
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    let lang = if lang.is_empty() {
        "en".to_string()
    } else {
        lang
    };
    let dir = if is_rtl_language(&lang) { "rtl" } else { "ltr" };
    format!("<{element} lang=\"{lang}\" dir=\"{dir}\">")
}

/// Marks a `:::en` … `:::` passage for [`super::rewrite::rewrite`]: each fence line becomes a
/// paragraph of its own holding only a marker in private-use characters, which no writer
/// types.
pub(super) fn mark_language_blocks(source: &str) -> std::borrow::Cow<'_, str> {
    if !source.contains(":::") {
        return source.into();
    }
    let mut out = String::with_capacity(source.len() + 64);
    let mut fence: Option<&str> = None;
    let mut open = 0usize;
    for line in source.split_inclusive('\n') {
        let trimmed = line.trim();
        if let Some(f) = fence {
            if trimmed.starts_with(f) {
                fence = None;
            }
        } else if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
        } else if let Some(rest) = trimmed.strip_prefix(":::") {
            let lang = rest.trim();
            if lang.is_empty() && open > 0 {
                open -= 1;
                out.push_str("\n\u{E000}end\u{E000}\n\n");
                continue;
            }
            if is_language_tag(lang) {
                open += 1;
                out.push_str(&format!("\n\u{E000}lang:{lang}\u{E000}\n\n"));
                continue;
            }
        }
        out.push_str(line);
    }
    for _ in 0..open {
        out.push_str("\n\u{E000}end\u{E000}\n");
    }
    out.into()
}

fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_lowercase())
        && parts
            .all(|p| !p.is_empty() && p.len() <= 8 && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// If the paragraph just opened is a language marker, consumes it and returns its HTML.
pub(super) fn language_marker<'a>(
    events: &mut std::iter::Peekable<impl Iterator<Item = Event<'a>>>,
) -> Option<String> {
    let Some(Event::Text(t)) = events.peek() else {
        return None;
    };
    let inner = t.strip_prefix('\u{E000}')?.strip_suffix('\u{E000}')?;
    let html = match inner.strip_prefix("lang:") {
        Some(lang) => language_open("div", lang),
        None if inner == "end" => "</div>".to_string(),
        None => return None,
    };
    events.next();
    if matches!(events.peek(), Some(Event::End(TagEnd::Paragraph))) {
        events.next();
    }
    Some(html + "\n")
}
