//! The built site as a reader sees it, read back from the HTML alone: the article pages (what
//! each says about its own category, tags, authors and date) and the paginated lists (their
//! cards and prev/next links). The list tests compare one against the other.

use jiff::Timestamp;
use scraper::{ElementRef, Html};

use crate::support::{
    Output, attr, decode_href, hrefs, inside_class, instant, select, select_in, text,
};

/// What an article page says about itself.
#[derive(Debug, Clone)]
pub struct ArticleInfo {
    /// Site path, e.g. `/security/خبر/`.
    pub path: String,
    pub title: String,
    /// Site path of its category page.
    pub category: String,
    /// Site paths of its tag pages.
    pub tags: Vec<String>,
    /// Site paths of its authors' pages.
    pub authors: Vec<String>,
    pub date: Timestamp,
}

/// Whether a page is an article page: it carries the author box.
pub fn is_article(doc: &Html) -> bool {
    !select(doc, "section.author-box").is_empty()
}

/// Every article page of the output, sorted by path.
pub fn articles(out: &Output) -> Vec<ArticleInfo> {
    out.pages()
        .into_iter()
        .filter(|(_, doc)| is_article(doc))
        .map(|(path, doc)| article_info(path, &doc))
        .collect()
}

/// Reads one article page.
pub fn article_info(path: String, doc: &Html) -> ArticleInfo {
    let own = |selector: &str| -> Vec<ElementRef> {
        select(doc, selector)
            .into_iter()
            .filter(|el| !inside_class(*el, "card"))
            .collect()
    };
    let h1 = own("main h1");
    assert_eq!(h1.len(), 1, "{path}: one h1");
    let category = own("main .category-label");
    assert_eq!(
        category.len(),
        1,
        "{path}: one category label outside the cards"
    );
    let time = own("main time[datetime]");
    assert!(!time.is_empty(), "{path}: no time[datetime]");
    ArticleInfo {
        title: text(h1[0]),
        category: decode_href(attr(category[0], "href")),
        tags: hrefs(&own("nav.tags a")),
        authors: hrefs(&own(".author-name a")),
        date: instant(attr(time[0], "datetime")),
        path,
    }
}

/// One card of a list page.
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    pub path: String,
    pub date: Timestamp,
}

/// One page of a paginated list.
#[derive(Debug)]
pub struct ListPage {
    pub path: String,
    /// The home's first page is a front page: stories, not a list of cards.
    pub front: bool,
    pub cards: Vec<Card>,
    pub prev: Option<String>,
    pub next: Option<String>,
}

/// The cards of a list page (outside any "more articles" box).
pub fn cards(doc: &Html) -> Vec<Card> {
    select(doc, "main .card")
        .into_iter()
        .filter(|el| !inside_class(*el, "more"))
        .map(|card| {
            let link = select_in(card, ".card-title a");
            assert_eq!(
                link.len(),
                1,
                "a card needs one title link: {}",
                card.html()
            );
            let time = select_in(card, "time[datetime]");
            assert_eq!(
                time.len(),
                1,
                "a card needs one time[datetime]: {}",
                card.html()
            );
            Card {
                path: decode_href(attr(link[0], "href")),
                date: instant(attr(time[0], "datetime")),
            }
        })
        .collect()
}

/// The decoded target of the pagination link `rel`, if any (at most one).
fn pagination_link(doc: &Html, path: &str, rel: &str) -> Option<String> {
    let links = select(doc, &format!("nav.pagination a[rel={rel}]"));
    assert!(
        links.len() <= 1,
        "{path}: {} pagination links rel={rel}",
        links.len()
    );
    links.first().map(|a| decode_href(attr(*a, "href")))
}

/// Reads a list from its first page, following `rel=next`.
pub fn walk_list(out: &Output, first: &str) -> Vec<ListPage> {
    let mut pages: Vec<ListPage> = Vec::new();
    let mut next = Some(first.to_string());
    while let Some(path) = next {
        assert!(
            pages.iter().all(|p| p.path != path),
            "{first}: pagination loops back to {path}"
        );
        assert!(
            out.has_page(&path),
            "{first}: pagination links to missing page {path}"
        );
        let doc = out.page(&path);
        let page = ListPage {
            front: !select(&doc, "main .front-top").is_empty(),
            cards: cards(&doc),
            prev: pagination_link(&doc, &path, "prev"),
            next: pagination_link(&doc, &path, "next"),
            path,
        };
        next = page.next.clone();
        pages.push(page);
    }
    pages
}

/// The articles a front page shows (lead, secondary, latest, bands, the editor's list).
pub fn front_stories(doc: &Html) -> Vec<String> {
    select(doc, "main .story-title a, main .headline-list a")
        .into_iter()
        .map(|link| decode_href(attr(link, "href")))
        .collect()
}

/// Checks a list's pagination and returns its cards in order: page N (N ≥ 2) lives at
/// `<first>page/N/`, prev/next chain the pages both ways, every page but the last holds
/// exactly `per_page` cards and the last at least one.
pub fn checked_list(out: &Output, first: &str, per_page: usize) -> Vec<Card> {
    let pages = walk_list(out, first);
    for (i, page) in pages.iter().enumerate() {
        let expected_path = if i == 0 {
            first.to_string()
        } else {
            format!("{first}page/{}/", i + 1)
        };
        assert_eq!(
            page.path,
            expected_path,
            "{first}: page {} is at the wrong path",
            i + 1
        );
        assert_eq!(
            page.prev,
            (i > 0).then(|| pages[i - 1].path.clone()),
            "{}: wrong rel=prev",
            page.path
        );
        assert!(
            page.cards.len() <= per_page,
            "{}: {} cards, more than per_page {per_page}",
            page.path,
            page.cards.len()
        );
        if page.front {
            // A front page shows stories, not `per_page` cards.
        } else if i + 1 < pages.len() {
            assert_eq!(
                page.cards.len(),
                per_page,
                "{}: a page before the last must be full",
                page.path
            );
        } else {
            assert!(
                page.next.is_none(),
                "{}: the last page links onwards",
                page.path
            );
        }
    }
    if pages.len() > 1 {
        assert!(
            !pages.last().unwrap().cards.is_empty(),
            "{first}: an empty last page"
        );
    }
    let next_page = format!("{first}page/{}/", pages.len() + 1);
    assert!(
        !out.has_page(&next_page),
        "{first}: a page {next_page} exists that no rel=next reaches"
    );
    pages.into_iter().flat_map(|p| p.cards).collect()
}

/// Panics unless `cards` are newest first.
pub fn assert_newest_first(list: &str, cards: &[Card]) {
    for pair in cards.windows(2) {
        assert!(
            pair[0].date >= pair[1].date,
            "{list}: not newest first: {} ({}) before {} ({})",
            pair[0].path,
            pair[0].date,
            pair[1].path,
            pair[1].date
        );
    }
}
