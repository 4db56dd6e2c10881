//! Redirect pages for old addresses (`aliases:`): a page at the old path that sends readers
//! and search engines on to the article, on any static host — a meta refresh, a canonical
//! link and a visible link for the rare browser that ignores both.
//!
//! Written directly, not through the theme: the page is seen for a moment at most, and its
//! shape is what crawlers expect of a moved page.

use super::context::{Rendered, Renderer};
use super::escape::escape;
use crate::site::layout::file_for_path;
use crate::theme::strings::keys;

impl Renderer<'_> {
    /// The redirect page of article `i`'s alias `k`.
    pub(super) fn alias_page(&self, i: usize, k: usize) -> Rendered {
        let entry = &self.site.entries[i];
        let title = escape(&entry.article.title);
        let href = escape(&self.urls.href(&entry.path));
        let canonical = escape(&self.urls.permalink(&entry.path));
        let html = format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\" dir=\"{dir}\">\n<head>\n<meta charset=\"utf-8\">\n\
             <title>{title}</title>\n<meta name=\"description\" content=\"{title}\">\n\
             <meta name=\"robots\" content=\"noindex\">\n<link rel=\"canonical\" href=\"{canonical}\">\n\
             <meta http-equiv=\"refresh\" content=\"0; url={href}\">\n</head>\n<body>\n\
             <p>{moved} <a href=\"{href}\">{title}</a></p>\n</body>\n</html>\n",
            moved = escape(self.label(keys::MOVED_NOTICE)),
            lang = escape(&self.config.language),
            dir = self.config.direction,
        );
        Ok((file_for_path(self.plan.alias(i, k)), html.into_bytes()))
    }
}
