//! The demo site's lists hold exactly the right articles. The expected content of every
//! category, tag and author page is computed independently, from what each article page says
//! about itself (its category label, its tags, its authors), and compared with the cards found
//! across all the list's pages: same set, no duplicates, newest first, at most `per_page` a
//! page, prev/next consistent. The home page lists every published article; drafts and future
//! articles appear nowhere (the draft does with `--drafts`); the index pages count right.
//!
//! Every build passes `--now`, so that the demo's future article is in the future whatever
//! the date the tests run on, and published from its date on.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use crate::model::{ArticleInfo, Card, articles, assert_newest_first, checked_list, front_stories};
use crate::support::{
    Output, Workspace, all_text, attr, count, decode_href, select, select_in, text, yaml_value,
};

const DRAFT_FILE: &str = "azbakeya-book-wall-draft.md";
const FUTURE_FILE: &str = "arab-local-journalism-forum.md";
/// The future article is dated 2027-01-15 10:00 Cairo time; from then on it is published.
const FUTURE_DATE: &str = "2027-01-15T08:00:00Z";
/// When the builds run: after every other article of the demo, before the future one.
const NOW: &str = "2026-12-01T12:00:00+02:00";

fn per_page(ws: &Workspace) -> usize {
    yaml_value(&ws.site().join("site.yaml"), "per_page")
        .parse()
        .expect("per_page is a number")
}

/// The source file called `name` somewhere under `content/articles/`.
fn source(ws: &Workspace, name: &str) -> PathBuf {
    walkdir::WalkDir::new(ws.site().join("content/articles"))
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .find(|p| p.file_name().is_some_and(|n| n == name))
        .unwrap_or_else(|| panic!("no {name} in the demo's articles"))
}

fn title_of(ws: &Workspace, name: &str) -> String {
    yaml_value(&source(ws, name), "title")
}

/// Checks that the list starting at `list` holds exactly the articles `want`, newest first.
fn assert_list(
    out: &Output,
    list: &str,
    per_page: usize,
    want: &BTreeSet<String>,
    by_path: &BTreeMap<String, ArticleInfo>,
) {
    let cards: Vec<Card> = checked_list(out, list, per_page);
    let listed: Vec<&String> = cards.iter().map(|c| &c.path).collect();
    let unique: BTreeSet<String> = listed.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        unique.len(),
        listed.len(),
        "{list}: an article is listed twice: {listed:?}"
    );
    assert_eq!(&unique, want, "{list}: wrong articles");
    assert_newest_first(list, &cards);
    for card in &cards {
        assert_eq!(
            card.date, by_path[&card.path].date,
            "{list}: the card of {} shows another date than its page",
            card.path
        );
    }
}

#[test]
fn category_tag_and_author_pages_list_exactly_their_articles() {
    let ws = Workspace::demo();
    let out = ws.build_ok(&["--now", NOW]);
    let per_page = per_page(&ws);
    let articles = articles(&out);
    assert!(
        articles.len() >= 13,
        "the demo has at least 13 published articles, found {}",
        articles.len()
    );
    let by_path: BTreeMap<String, ArticleInfo> = articles
        .iter()
        .map(|a| (a.path.clone(), a.clone()))
        .collect();

    let mut expected: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for article in &articles {
        let lists = std::iter::once(&article.category)
            .chain(&article.tags)
            .chain(&article.authors);
        for list in lists {
            expected
                .entry(list.clone())
                .or_default()
                .insert(article.path.clone());
        }
    }
    // Lists the index pages know of must be right too (an empty one must be empty).
    for index in ["/categories/", "/tags/", "/authors/"] {
        for link in select(&out.page(index), "ul.terms li a") {
            expected.entry(decode_href(attr(link, "href"))).or_default();
        }
    }
    let paginated = expected
        .values()
        .filter(|want| want.len() > per_page)
        .count();
    assert!(
        paginated >= 2,
        "the demo should have lists running to more than one page"
    );

    for (list, want) in &expected {
        assert_list(&out, list, per_page, want, &by_path);
    }
}

#[test]
fn home_lists_every_published_article_newest_first() {
    let ws = Workspace::demo();
    let out = ws.build_ok(&["--now", NOW]);
    let articles = articles(&out);
    let by_path: BTreeMap<String, ArticleInfo> = articles
        .iter()
        .map(|a| (a.path.clone(), a.clone()))
        .collect();
    // Page 1 is the front page: the list goes on from page 2 after the newest `per_page`.
    let per_page = per_page(&ws);
    let mut newest_first = articles.clone();
    newest_first.sort_by_key(|a| std::cmp::Reverse(a.date));
    let after_first_page: BTreeSet<String> = newest_first[per_page..]
        .iter()
        .map(|a| a.path.clone())
        .collect();
    assert_list(&out, "/", per_page, &after_first_page, &by_path);
    let front = front_stories(&out.page("/"));
    assert!(
        front.contains(&newest_first[0].path),
        "the newest article is on the front page"
    );
}

/// Whether the home shows `path`: on the front page or on a later page of the list.
fn on_home(out: &Output, per_page: usize, path: &str) -> bool {
    front_stories(&out.page("/")).iter().any(|p| p == path)
        || checked_list(out, "/", per_page)
            .iter()
            .any(|c| c.path == path)
}

#[test]
fn drafts_and_future_articles_appear_nowhere() {
    let ws = Workspace::demo();
    let run = ws.build(&["--now", NOW]);
    run.expect_success();
    let out = Output::new(ws.output());
    let draft = title_of(&ws, DRAFT_FILE);
    let future = title_of(&ws, FUTURE_FILE);
    for (path, doc) in out.pages() {
        let text = all_text(&doc);
        assert!(!text.contains(&draft), "the draft shows on {path}");
        assert!(
            !text.contains(&future),
            "the future article shows on {path}"
        );
    }
    assert!(
        run.stderr.contains(FUTURE_FILE),
        "the build should say which future article it left out:\n{}",
        run.stderr
    );
}

#[test]
fn future_article_is_published_from_its_date() {
    let ws = Workspace::demo();
    let out = ws.build_ok(&["--now", FUTURE_DATE]);
    let future = title_of(&ws, FUTURE_FILE);
    let page = articles(&out)
        .into_iter()
        .find(|a| a.title == future)
        .expect("on its date the future article has its page");
    assert!(
        on_home(&out, per_page(&ws), &page.path),
        "on its date the future article is on the home page"
    );
}

#[test]
fn drafts_flag_includes_the_draft() {
    let ws = Workspace::demo();
    let out = ws.build_ok(&["--drafts", "--now", NOW]);
    let draft = title_of(&ws, DRAFT_FILE);
    let articles = articles(&out);
    let page = articles
        .iter()
        .find(|a| a.title == draft)
        .expect("with --drafts the draft has its page");
    assert!(
        on_home(&out, per_page(&ws), &page.path),
        "with --drafts the draft is on the home page"
    );
    let future = title_of(&ws, FUTURE_FILE);
    assert!(
        articles.iter().all(|a| a.title != future),
        "--drafts must not publish future articles"
    );
}

/// The site paths of the terms (category, tags or authors) of an article.
type TermsOf = fn(&ArticleInfo) -> Vec<String>;

#[test]
fn index_pages_list_every_term_with_its_count() {
    let ws = Workspace::demo();
    let out = ws.build_ok(&["--now", NOW]);
    let articles = articles(&out);
    let terms: [(&str, TermsOf); 3] = [
        ("/categories/", |a| vec![a.category.clone()]),
        ("/tags/", |a| a.tags.clone()),
        ("/authors/", |a| a.authors.clone()),
    ];
    for (index, of) in terms {
        let mut expected: BTreeMap<String, usize> = BTreeMap::new();
        for term in articles.iter().flat_map(of) {
            *expected.entry(term).or_default() += 1;
        }
        let mut listed: BTreeMap<String, usize> = BTreeMap::new();
        for item in select(&out.page(index), "ul.terms li") {
            let link = select_in(item, "a");
            let counts = select_in(item, ".count");
            assert!(
                link.len() == 1 && counts.len() == 1,
                "{index}: an item needs one link and one count: {}",
                item.html()
            );
            let href = decode_href(attr(link[0], "href"));
            let n = count(&text(counts[0]));
            assert!(
                listed.insert(href.clone(), n).is_none(),
                "{index}: {href} listed twice"
            );
        }
        // A declared category or an author may have no article yet; a tag exists only through
        // its articles (a tag used only by a draft must not leak).
        if index != "/tags/" {
            listed.retain(|_, n| *n > 0);
        }
        assert_eq!(listed, expected, "{index}: wrong terms or counts");
    }
}
