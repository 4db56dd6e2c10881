//! Numbered pagination for lists: which page numbers to show (first, last and a window
//! around the current one, so a 1,000-page home list doesn't print 1,000 links on every
//! page), with previous/next links.

use serde::Serialize;

use crate::arabic::text::Digits;
use crate::site::layout::Urls;
use crate::site::layout::paginated_path;

/// Pages on each side of the current one that get a numbered link.
const WINDOW: usize = 2;

/// What a template needs to draw pagination.
#[derive(Debug, Serialize)]
pub struct Paginator {
    pub current: usize,
    pub total: usize,
    /// "صفحة 2 من 5" numbers in the site's digits.
    pub current_label: String,
    pub total_label: String,
    pub prev_url: Option<String>,
    pub next_url: Option<String>,
    /// Numbered links; `gap` entries stand for skipped numbers ("…").
    pub pages: Vec<PageLink>,
}

/// One numbered link, or a gap.
#[derive(Debug, Serialize)]
pub struct PageLink {
    pub number: usize,
    pub label: String,
    pub url: String,
    pub current: bool,
    pub gap: bool,
}

impl Paginator {
    /// Pagination for page `current` (1-based) of `total` pages of the list at `base`.
    pub fn new(base: &str, current: usize, total: usize, urls: &Urls, digits: Digits) -> Paginator {
        let href = |n: usize| urls.href(&paginated_path(base, n));
        // First, last and a window around the current page; built from those few numbers,
        // not by walking every page (a 10,000-page list would make that quadratic).
        let mut shown: Vec<usize> = vec![1, total];
        shown.extend(current.saturating_sub(WINDOW).max(1)..=(current + WINDOW).min(total));
        shown.sort_unstable();
        shown.dedup();
        let mut pages = Vec::with_capacity(shown.len() + 2);
        let mut last_shown = 0;
        for n in shown {
            if n > last_shown + 1 {
                pages.push(PageLink {
                    number: 0,
                    label: "…".into(),
                    url: String::new(),
                    current: false,
                    gap: true,
                });
            }
            pages.push(PageLink {
                number: n,
                label: digits.format(n),
                url: href(n),
                current: n == current,
                gap: false,
            });
            last_shown = n;
        }
        Paginator {
            current,
            total,
            current_label: digits.format(current),
            total_label: digits.format(total),
            prev_url: (current > 1).then(|| href(current - 1)),
            next_url: (current < total).then(|| href(current + 1)),
            pages,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_long_lists() {
        let urls = Urls::new("https://e.com/", "/");
        let p = Paginator::new("/", 50, 100, &urls, Digits::Latn);
        let labels: Vec<_> = p.pages.iter().map(|p| p.label.as_str()).collect();
        assert_eq!(labels, ["1", "…", "48", "49", "50", "51", "52", "…", "100"]);
        assert_eq!(p.prev_url.as_deref(), Some("/page/49/"));
        assert_eq!(p.next_url.as_deref(), Some("/page/51/"));
        let first = Paginator::new("/tags/مصر/", 1, 2, &urls, Digits::Arab);
        assert_eq!(first.prev_url, None);
        assert_eq!(first.pages[1].label, "٢");
        assert!(first.next_url.unwrap().starts_with("/tags/%D9%85"));
    }
}
