//! Share links that need no third-party script: each network's plain share URL, so a page
//! shares without loading anything from the network until the reader clicks.

use crate::site::layout::query;

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
    fn share_links_are_encoded() {
        let s = ShareLinks::new("خبر & رأي", "https://e.com/a/");
        assert!(
            s.telegram
                .starts_with("https://t.me/share/url?url=https%3A%2F%2Fe.com%2Fa%2F&text=")
        );
        assert!(!s.x.contains(' ') && !s.x.contains('&') || s.x.matches('&').count() == 1);
    }
}
