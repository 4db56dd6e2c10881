//! Escaping text for XML and HTML attribute values, shared by the sitemaps, the redirect
//! pages and the `<picture>` markup written into article bodies. A leaf module, so that
//! none of them has to import another for it.

/// Text for XML and HTML attribute values: `<`, `>`, `&` and quotes escaped.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}
