//! Where everything lives: the one home of every URL and file-path rule.
//!
//! Site paths (`/security/خبر/`, `/tags/مصر/page/2/`) are decided here and nowhere else: the
//! pattern of article URLs, list and index paths, pagination, feed and sitemap files, and the
//! static-host rule that serves `/a/b/` from `a/b/index.html`. [`Urls`] turns a site path into
//! a link: the base path in front, percent-encoding for Arabic segments (hrefs must be valid
//! URLs, and some hosts and tools mangle raw UTF-8), and absolute permalinks for canonical
//! links and sharing.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use unicode_normalization::UnicodeNormalization;

/// Characters left alone in a path: unreserved ASCII and the separator.
const PATH: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// Characters left alone in a query value.
const QUERY: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Builds links for one site.
#[derive(Debug, Clone)]
pub struct Urls {
    /// `/` or `/news/`.
    base_path: String,
    /// Scheme and host: `https://user.github.io`.
    origin: String,
}

impl Urls {
    /// From the site's normalised base URL and its path.
    pub fn new(base_url: &str, base_path: &str) -> Urls {
        let origin = base_url
            .strip_suffix(base_path)
            .unwrap_or(base_url)
            .to_string();
        Urls {
            base_path: base_path.to_string(),
            origin,
        }
    }

    /// The href for a site path such as `/security/خبر/`: base path added, NFC, encoded.
    pub fn href(&self, path: &str) -> String {
        let path = path.trim_start_matches('/');
        // Our own paths are NFC already; only take the slow road for ones that may not be.
        let path: std::borrow::Cow<str> = if crate::arabic::text::surely_nfc(path) {
            path.into()
        } else {
            path.nfc().collect::<String>().into()
        };
        format!("{}{}", self.base_path, utf8_percent_encode(&path, PATH))
    }

    /// Scheme and host, e.g. `https://user.github.io`.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The absolute URL for a site path.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}", self.origin, self.href(path))
    }

    /// An href for a path or an absolute URL (images may live on another host).
    pub fn href_or_absolute(&self, src: &str) -> String {
        if src.starts_with("https://") || src.starts_with("http://") {
            src.to_string()
        } else {
            self.href(src)
        }
    }
}

/// The URL path of a file the search index publishes (`search/qissa-search.js`), base path
/// included, as the search page imports it.
pub fn search_file_href(base_path: &str, file: &str) -> String {
    format!("{base_path}{}", file.trim_start_matches('/'))
}

/// Percent-encodes a query parameter value.
pub fn query(value: &str) -> String {
    utf8_percent_encode(value, QUERY).to_string()
}

/// The home page.
pub const HOME: &str = "/";
/// The index of every tag, author and category.
pub const TAGS_INDEX: &str = "/tags/";
pub const AUTHORS_INDEX: &str = "/authors/";
pub const CATEGORIES_INDEX: &str = "/categories/";
/// The site's search page (when search is on and the theme has a `search.html`).
pub const SEARCH_PAGE: &str = "/search/";
/// The search engine's browser module, as [`crate::search::index_files`] publishes it: the
/// search page imports it, and a theme may too.
pub const SEARCH_MODULE: &str = "search/qissa-search.js";
/// The default theme's search-page script: a static file published only with the page.
pub const SEARCH_PAGE_SCRIPT: &str = "js/search-page.js";
/// The page hosts serve for any missing address.
pub const NOT_FOUND_FILE: &str = "404.html";
/// The file name of every feed, inside the folder of the list it follows.
pub const FEED_FILE: &str = "atom.xml";
pub const NEWS_SITEMAP_FILE: &str = "news-sitemap.xml";
pub const ROBOTS_FILE: &str = "robots.txt";

/// A category's list: `/security/`.
pub fn category_path(slug: &str) -> String {
    format!("/{slug}/")
}

/// A tag's list: `/tags/مصر/`.
pub fn tag_path(slug: &str) -> String {
    format!("{TAGS_INDEX}{slug}/")
}

/// An author's page and list: `/authors/ahmed/`.
pub fn author_path(id: &str) -> String {
    format!("{AUTHORS_INDEX}{id}/")
}

/// A plain page: `/about/`.
pub fn page_path(slug: &str) -> String {
    format!("/{slug}/")
}

/// An article's path from the site's permalink pattern (`/:category/:slug/`, with `:year`,
/// `:month` and `:day` also available; other segments are kept as written).
pub fn article_path(pattern: &str, category: &str, slug: &str, date: jiff::civil::Date) -> String {
    use std::fmt::Write as _;
    let mut path = String::with_capacity(slug.len() + category.len() + 16);
    path.push('/');
    for part in pattern.split('/').filter(|p| !p.is_empty()) {
        let _ = match part {
            ":slug" => write!(path, "{slug}"),
            ":category" => write!(path, "{category}"),
            ":year" => write!(path, "{:04}", date.year()),
            ":month" => write!(path, "{:02}", date.month()),
            ":day" => write!(path, "{:02}", date.day()),
            literal => write!(path, "{literal}"),
        };
        path.push('/');
    }
    path
}

/// How many pages a list of `n` items takes (an empty list still has its first page).
pub fn page_count(n: usize, per_page: usize) -> usize {
    n.div_ceil(per_page).max(1)
}

/// The path of page `number` (1-based) of a list at `base`.
pub fn paginated_path(base: &str, number: usize) -> String {
    if number <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{number}/")
    }
}

/// The feed of the list at `list`: `/tags/مصر/atom.xml`.
pub fn feed_path(list: &str) -> String {
    format!("{list}{FEED_FILE}")
}

/// The file of sitemap part `n` (0 is `sitemap.xml`: the only sitemap, or the index).
pub fn sitemap_file(n: usize) -> String {
    if n == 0 {
        "sitemap.xml".into()
    } else {
        format!("sitemap-{n}.xml")
    }
}

/// The file that serves site path `path` on a static host: `/a/b/` → `a/b/index.html`, and a
/// path naming a file (`/404.html`, `/atom.xml`) is that file.
pub fn file_for_path(path: &str) -> String {
    let trimmed = path.trim_matches('/');
    if trimmed.is_empty() {
        "index.html".to_string()
    } else if path.ends_with('/') {
        format!("{trimmed}/index.html")
    } else {
        trimmed.to_string()
    }
}

/// The site path a file is served at: `a/b/index.html` → `/a/b/`; the reverse of
/// [`file_for_path`].
pub fn path_for_file(file: &str) -> String {
    format!("/{}", file.strip_suffix("index.html").unwrap_or(file))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_arabic_under_a_sub_path() {
        let urls = Urls::new("https://user.github.io/news/", "/news/");
        assert_eq!(urls.href("/tags/مصر/"), "/news/tags/%D9%85%D8%B5%D8%B1/");
        assert_eq!(urls.href("/"), "/news/");
        assert_eq!(
            urls.permalink("/a b/"),
            "https://user.github.io/news/a%20b/"
        );
    }

    #[test]
    fn maps_paths_to_files_and_back() {
        assert_eq!(file_for_path("/"), "index.html");
        assert_eq!(file_for_path("/security/خبر/"), "security/خبر/index.html");
        assert_eq!(file_for_path("/404.html"), "404.html");
        for file in ["index.html", "security/خبر/index.html", "tags/x/atom.xml"] {
            assert_eq!(file_for_path(&path_for_file(file)), file);
        }
        assert_eq!(paginated_path("/tags/مصر/", 1), "/tags/مصر/");
        assert_eq!(paginated_path("/tags/مصر/", 3), "/tags/مصر/page/3/");
        assert_eq!(page_count(0, 10), 1);
        assert_eq!(page_count(21, 10), 3);
    }

    #[test]
    fn fills_the_permalink_pattern() {
        let date = jiff::civil::date(2026, 3, 7);
        assert_eq!(
            article_path("/:year/:month/:day/:slug/", "x", "خبر", date),
            "/2026/03/07/خبر/"
        );
        assert_eq!(
            article_path("/:category/:slug/", "security", "a", date),
            "/security/a/"
        );
        assert_eq!(article_path("/news/:slug", "x", "a", date), "/news/a/");
    }
}
