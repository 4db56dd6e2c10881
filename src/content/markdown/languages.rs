//! Passages in another language inside an Arabic article: a `:::en` … `:::` block (found
//! by [`super::blocks`]) or an `[inline phrase](lang:en)`. Each gets `lang` and the direction of its script, so screen
//! readers switch voice and an English quotation reads left to right.

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
