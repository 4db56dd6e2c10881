//! What the preview adds to HTML as it is served: the reload script, and the build-error
//! overlay over the last good page. Never written into built files.

use pulldown_cmark_escape::escape_html_body_text;

/// The path of the reload channel (server-sent events).
pub const RELOAD_PATH: &str = "/_qissa/reload";

/// Keeps the page in step with the build (see the script's own comment).
const LIVE_SCRIPT: &str = include_str!("live.js");

/// Adds the live script, and the overlay when the last build failed, to an HTML page.
/// `build` numbers the build the page comes from, read before the page's file was, so the
/// script can tell when a page it fetches differs from the one it was loaded with.
pub fn inject(html: &str, error: Option<&str>, build: u64) -> String {
    let mut extra = String::with_capacity(LIVE_SCRIPT.len() + 512);
    if let Some(error) = error {
        extra.push_str(&overlay(error));
    }
    extra.push_str(&format!(
        "<script id=\"qissa-reload\" data-build=\"{build}\">"
    ));
    extra.push_str(LIVE_SCRIPT);
    extra.push_str("</script>");
    match html.rfind("</body>") {
        Some(i) => format!("{}{}{}", &html[..i], extra, &html[i..]),
        None => format!("{html}{extra}"),
    }
}

/// A page for when there is nothing to show yet (the first build failed).
pub fn empty_page(error: Option<&str>, build: u64) -> String {
    let body = if error.is_some() {
        ""
    } else {
        "<p>لا توجد صفحة هنا.</p>"
    };
    inject(
        &format!(
            "<!doctype html><html lang=\"ar\" dir=\"rtl\"><head><meta charset=\"utf-8\"><title>qissa</title></head><body>{body}</body></html>"
        ),
        error,
        build,
    )
}

/// The error, escaped, in a box over the page. Inline styles: the theme may be what broke.
fn overlay(error: &str) -> String {
    let mut text = String::with_capacity(error.len() + 64);
    let _ = escape_html_body_text(&mut text, error);
    format!(
        "<div id=\"qissa-error\" role=\"alert\" dir=\"ltr\" style=\"position:fixed;inset:0;z-index:2147483647;\
         overflow:auto;background:rgba(20,20,20,.94);color:#fff;padding:2rem;font:15px/1.5 ui-monospace,monospace\">\
         <p style=\"margin:0 0 1rem;font-weight:bold;color:#ff8a80\">qissa: the build failed — showing the last good version. \
         Fix the file and save; this page updates by itself.</p><pre style=\"white-space:pre-wrap;margin:0\">{text}</pre></div>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_before_body_end_and_escapes_errors() {
        let page = inject(
            "<html><body><p>x</p></body></html>",
            Some("error: a.md:2: <script>"),
            7,
        );
        assert!(page.contains("&lt;script&gt;"));
        assert!(!page.contains("a.md:2: <script>"));
        assert!(page.ends_with("</script></body></html>"));
        assert!(page.find("qissa-error").unwrap() < page.find("qissa-reload").unwrap());
        assert!(page.contains("<script id=\"qissa-reload\" data-build=\"7\">"));
        assert!(!inject("<body></body>", None, 1).contains("qissa-error"));
        assert!(
            !LIVE_SCRIPT.contains("</script"),
            "the script must not end its own element"
        );
    }
}
