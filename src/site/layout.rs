//! Turning URL paths into links: the base path in front, percent-encoding for Arabic
//! segments (hrefs must be valid URLs, and some hosts and tools mangle raw UTF-8), absolute
//! permalinks for canonical links and sharing, and the share links themselves.

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

/// Percent-encodes a query parameter value.
pub fn query(value: &str) -> String {
    utf8_percent_encode(value, QUERY).to_string()
}

/// Share links that need no third-party script: each network's plain share URL.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ShareLinks {
    pub whatsapp: String,
    pub telegram: String,
    pub x: String,
    pub facebook: String,
}

impl ShareLinks {
    /// Links sharing `permalink` with `title`.
    pub fn new(title: &str, permalink: &str) -> ShareLinks {
        let (t, u) = (query(title), query(permalink));
        ShareLinks {
            whatsapp: format!(
                "https://wa.me/?text={}",
                query(&format!("{title} {permalink}"))
            ),
            telegram: format!("https://t.me/share/url?url={u}&text={t}"),
            x: format!("https://x.com/intent/post?url={u}&text={t}"),
            facebook: format!("https://www.facebook.com/sharer/sharer.php?u={u}"),
        }
    }
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
    fn share_links_are_encoded() {
        let s = ShareLinks::new("خبر & رأي", "https://e.com/a/");
        assert!(
            s.telegram
                .starts_with("https://t.me/share/url?url=https%3A%2F%2Fe.com%2Fa%2F&text=")
        );
        assert!(!s.x.contains(' ') && !s.x.contains('&') || s.x.matches('&').count() == 1);
    }
}
