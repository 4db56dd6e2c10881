//! Site search in Chromium (see `serve_browser`), on the query set: the fixture site of
//! `tests/fixtures/search/` served by `qissa serve`, its engine module asked every query of
//! `queries.yaml`, and per-query recall and precision against the articles each query must
//! find (relevant = the listed articles, retrieved = every result). Macro recall and
//! precision must both reach 0.90; both are printed with every query that falls short.
//!
//! Then the search page as a reader uses it: `?q=` fills the box and runs it, results show a
//! linked title, date, category and a marked excerpt, the filters narrow them, the live
//! region announces the count, Enter in the box searches again and updates the address, and
//! nothing is requested from another origin.

use std::io::Write;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::browser::Browser;
use super::support::Server;
use crate::support::{Workspace, fixture_dir};

const ENTER: char = '\u{E007}';

/// The bar both macro averages must reach.
const BAR: f64 = 0.90;

/// One query of the set and the slugs of the articles it must find.
#[derive(serde::Deserialize)]
struct Query {
    query: String,
    finds: Vec<String>,
}

#[derive(serde::Deserialize)]
struct QuerySet {
    queries: Vec<Query>,
}

fn query_set() -> Vec<Query> {
    let path = fixture_dir("search").join("queries.yaml");
    let text = std::fs::read_to_string(&path).expect("read queries.yaml");
    let set: QuerySet = serde_yaml::from_str(&text).expect("queries.yaml is a query set");
    set.queries
}

/// An article's slug from a result URL (a path or an absolute URL): its last segment.
fn slug_of(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    percent_decode(last)
}

/// The site path of a result URL (a path, or an absolute URL on the preview server),
/// decoded, as `Server::url` takes it.
pub fn path_of(url: &str) -> String {
    let path = match url.find("://") {
        Some(at) => url[at + 3..].find('/').map_or("/", |p| &url[at + 3 + p..]),
        None => url,
    };
    percent_decode(path)
}

fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// The module's results for `query`, as raw result objects.
pub fn search(browser: &Browser, module: &str, query: &str) -> Vec<Value> {
    let script = "var module = arguments[0], query = arguments[1], done = arguments[2];\
        import(module).then(function (m) { return m.search(query); })\
        .then(function (r) { done({ results: r }); }, function (e) { done({ error: String(e) }); });";
    let value = browser
        .eval_async(script, json!([module, query]))
        .unwrap_or_else(|e| panic!("search({query}): {e}"));
    match value["results"].as_array() {
        Some(results) => results.clone(),
        None => panic!("search({query}) failed: {}", value["error"]),
    }
}

/// Recall and precision of one query (precision is 1 when nothing came back: recall
/// already counts that miss).
fn scores(expected: &[String], found: &[String]) -> (f64, f64) {
    let hits = found.iter().filter(|f| expected.contains(f)).count() as f64;
    let recall = hits / expected.len().max(1) as f64;
    let precision = if found.is_empty() {
        1.0
    } else {
        hits / found.len() as f64
    };
    (recall, precision)
}

/// The search page asked `query` in its address, as a link or the header's form sends it.
pub fn search_page_url(server: &Server, query: &str) -> String {
    let query = percent_encoding::utf8_percent_encode(query, percent_encoding::NON_ALPHANUMERIC);
    format!("{}?q={query}", server.url("/search/"))
}

/// Serves a copy of the query-set site; the module's address on that server.
fn serve_fixture() -> (Workspace, Server, String) {
    let ws = Workspace::fixture("search");
    let server = Server::start(&ws.site());
    let module = server.url("/search/qissa-search.js");
    (ws, server, module)
}

#[test]
fn the_query_set_meets_the_recall_and_precision_bar() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let (_ws, server, module) = serve_fixture();
    browser.navigate(&server.url("/search/"));
    let queries = query_set();
    assert!(queries.len() >= 30, "the set has {} queries", queries.len());
    let mut report = String::new();
    let (mut recall_sum, mut precision_sum) = (0.0, 0.0);
    for q in &queries {
        let found: Vec<String> = search(&browser, &module, &q.query)
            .iter()
            .map(|r| slug_of(r["url"].as_str().unwrap_or("")))
            .collect();
        let (recall, precision) = scores(&q.finds, &found);
        recall_sum += recall;
        precision_sum += precision;
        report.push_str(&format!("{recall:.2} {precision:.2}  {}", q.query));
        if recall < 1.0 || precision < 1.0 {
            report.push_str(&format!("  found {found:?}, wanted {:?}", q.finds));
        }
        report.push('\n');
    }
    let n = queries.len() as f64;
    let (recall, precision) = (recall_sum / n, precision_sum / n);
    let summary = format!(
        "search query set: {n} queries, macro recall {recall:.3}, macro precision {precision:.3}"
    );
    // Straight to stderr, past the harness's capture: the numbers show on every run.
    let _ = writeln!(
        std::io::stderr(),
        "{summary}\nrecall precision query\n{report}"
    );
    assert!(
        recall >= BAR && precision >= BAR,
        "{summary}; per query:\n{report}"
    );
    drop(browser);
    drop(server);
}

fn eval(browser: &Browser, script: &str) -> Value {
    browser
        .eval(script)
        .unwrap_or_else(|e| panic!("{script}: {e}"))
}

/// Waits until the page's live region says something other than "searching", and returns
/// what it says.
fn wait_announced(browser: &Browser, not: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let said = eval(
            browser,
            "var s = document.getElementById('search-status'); return s ? s.textContent : '';",
        );
        let said = said.as_str().unwrap_or("").to_string();
        if !said.is_empty() && said != "جارٍ البحث…" && said != not {
            return said;
        }
        assert!(
            Instant::now() < deadline,
            "the search page announced nothing"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Every result on the page: [title, href, datetime, date text, category, excerpt HTML].
fn shown_results(browser: &Browser) -> Vec<Value> {
    let value = eval(
        browser,
        "return Array.prototype.map.call(document.querySelectorAll('#search-results > li'), function (li) {\
           var a = li.querySelector('h2 a'), t = li.querySelector('time'),\
               c = li.querySelector('.search-result-meta a'), e = li.querySelector('.search-result-excerpt');\
           return [a && a.textContent, a && a.getAttribute('href'), t && t.getAttribute('datetime'),\
                   t && t.textContent, c && c.textContent, e && e.innerHTML];\
         });",
    );
    value.as_array().cloned().unwrap_or_default()
}

/// Chooses `value` in the select `id` as a reader would, and returns the new announcement.
fn choose(browser: &Browser, id: &str, value: &str, before: &str) -> String {
    let script = format!(
        "var s = document.getElementById({}); s.value = {}; \
         s.dispatchEvent(new Event('change', {{ bubbles: true }})); return s.value;",
        json!(id),
        json!(value)
    );
    assert_eq!(eval(browser, &script), json!(value), "{id} offers {value}");
    wait_announced(browser, before)
}

#[test]
fn the_search_page_fills_from_the_address_shows_filters_and_announces() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let (_ws, server, module) = serve_fixture();
    browser.navigate(&search_page_url(&server, "سيارات"));
    let said = wait_announced(&browser, "");
    assert_eq!(
        eval(
            &browser,
            "return document.getElementById('search-q').value;"
        ),
        "سيارات"
    );
    let results = shown_results(&browser);
    let expected = search(&browser, &module, "سيارات");
    assert_eq!(results.len(), expected.len(), "{results:?}");
    assert!(
        said.contains(&results.len().to_string()) || results.len() <= 2,
        "{said}"
    );
    for r in &results {
        assert!(
            r[0].as_str().is_some_and(|t| !t.is_empty()),
            "a title: {r:?}"
        );
        assert!(
            r[1].as_str().is_some_and(|h| h.starts_with('/')),
            "a link: {r:?}"
        );
        assert!(
            r[2].as_str().is_some_and(|d| d.starts_with("2026-")),
            "a date: {r:?}"
        );
        assert!(
            r[3].as_str().is_some_and(|d| !d.is_empty()),
            "a shown date: {r:?}"
        );
        assert!(
            r[4].as_str().is_some_and(|c| !c.is_empty()),
            "a category: {r:?}"
        );
        assert!(
            r[5].as_str().is_some_and(|e| !e.is_empty()),
            "an excerpt: {r:?}"
        );
    }
    // The engine's excerpt is the article's lead: the words found there are marked (an
    // article found by its body alone shows its lead unmarked).
    let marked = results
        .iter()
        .filter(|r| r[5].as_str().is_some_and(|e| e.contains("<mark>")))
        .count();
    assert!(marked > 0, "no excerpt marks the words found: {results:?}");

    // The category filter lets one category through, and the count is announced again.
    let category = results[results.len() - 1][4].as_str().unwrap().to_string();
    let in_category = results.iter().filter(|r| r[4] == json!(category)).count();
    assert!(
        in_category < results.len(),
        "the set's cars span categories"
    );
    let said = choose(&browser, "search-category", &category, &said);
    let filtered = shown_results(&browser);
    assert_eq!(filtered.len(), in_category, "{said}");
    assert!(filtered.iter().all(|r| r[4] == json!(category)));
    let said = choose(&browser, "search-category", "", &said);

    // The author filter offers the results' authors, and narrows to one.
    let authors = eval(
        &browser,
        "return Array.prototype.slice.call(document.getElementById('search-author').options, 1)\
         .map(function (o) { return o.value; });",
    );
    let author = authors[0]
        .as_str()
        .expect("an author to filter by")
        .to_string();
    let by_author = expected
        .iter()
        .filter(|r| r["authors"].to_string().contains(&author))
        .count();
    let said = choose(&browser, "search-author", &author, &said);
    assert_eq!(shown_results(&browser).len(), by_author);

    // Enter in the box searches again and puts the query in the address.
    eval(
        &browser,
        "var i = document.getElementById('search-q'); i.value = 'فيسبوك'; i.focus(); return true;",
    );
    browser.press(ENTER);
    let deadline = Instant::now() + Duration::from_secs(10);
    let address = "return decodeURIComponent(location.search);";
    while eval(&browser, address) != json!("?q=فيسبوك") {
        assert!(
            Instant::now() < deadline,
            "the address did not follow the query"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    wait_announced(&browser, &said);
    let titles: Vec<Value> = shown_results(&browser)
        .iter()
        .map(|r| r[0].clone())
        .collect();
    assert_eq!(titles.len(), 2, "{titles:?}");

    let origins = eval(
        &browser,
        "return performance.getEntriesByType('resource').map(function (e) { return new URL(e.name).origin; })\
         .filter(function (o) { return o !== location.origin; });",
    );
    assert_eq!(origins, json!([]), "requests to other origins");
    drop(browser);
    drop(server);
}

#[test]
fn a_saved_article_is_searchable_in_the_preview() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let (ws, server, module) = serve_fixture();
    browser.navigate(&server.url("/search/"));
    assert!(search(&browser, &module, "زعفران").is_empty());
    let article = ws.site().join("content/articles/economy/wheat-imports.md");
    let text = std::fs::read_to_string(&article).unwrap();
    let text = text.replace("لتأمين المخزون", "لتأمين المخزون ومعها شحنة زعفران");
    super::support::save_atomically(&article, &text);
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        // A fresh page, as the preview's reload gives: the module keeps what it loaded.
        browser.navigate(&server.url("/search/"));
        let found: Vec<String> = search(&browser, &module, "زعفران")
            .iter()
            .map(|r| slug_of(r["url"].as_str().unwrap_or("")))
            .collect();
        if found == ["wheat-imports"] {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the saved word is not found: {found:?}"
        );
        std::thread::sleep(Duration::from_millis(250));
    }
    drop(browser);
    drop(server);
}
