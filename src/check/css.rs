//! The references of a stylesheet: every `url(…)` (quoted or not) and every
//! `@import "…"`, comments skipped. Stylesheet files, `<style>` elements and `style`
//! attributes are all read here.

use std::sync::Arc;

use super::refs::{Ref, What};
use super::resolve::Context;

/// The `url(…)` and `@import "…"` references of a stylesheet.
pub(super) fn css_refs(css: &str, context: &Arc<Context>) -> Vec<Ref> {
    css_urls(css)
        .into_iter()
        .map(|written| Ref::new(written, What::CssUrl, context))
        .collect()
}

fn css_urls(css: &str) -> Vec<String> {
    let css = without_comments(css);
    let lower = css.to_ascii_lowercase();
    let mut urls = Vec::new();
    for (i, _) in lower.match_indices("url(") {
        urls.push(css_token(&css[i + 4..], true));
    }
    for (i, _) in lower.match_indices("@import") {
        let rest = css[i + 7..].trim_start();
        if rest.starts_with(['"', '\'']) {
            urls.push(css_token(rest, false));
        }
    }
    urls.retain(|url| !url.is_empty());
    urls
}

/// A quoted string, or (inside `url(`) an unquoted URL up to `)`.
fn css_token(s: &str, unquoted_ok: bool) -> String {
    let s = s.trim_start();
    match s.chars().next() {
        Some(quote @ ('"' | '\'')) => s[1..].split(quote).next().unwrap_or("").to_string(),
        Some(_) if unquoted_ok => s.split(')').next().unwrap_or("").trim().to_string(),
        _ => String::new(),
    }
}

fn without_comments(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = rest[start + 2..]
            .split_once("*/")
            .map_or("", |(_, after)| after);
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_css_urls() {
        let css = "/* url(gone.png) */ @font-face{src:URL( \"../f.woff2\" ) format(\"woff2\")}\n\
                   @import 'x.css'; a{background:url(i.png)} b{background:url(data:image/png;base64,AA)}";
        assert_eq!(
            css_urls(css),
            ["../f.woff2", "i.png", "data:image/png;base64,AA", "x.css"]
        );
    }
}
