//! axe-core in Chromium (see `serve_browser`) on the search page with results showing and
//! on an article page (whose header holds the search box): no `serious` or `critical`
//! violation. axe comes from npm, installed by `.ci/run` into `.ci/node_modules/axe-core/`;
//! without it the test says SKIPPED, and fails when `QISSA_REQUIRE_BROWSER=1`.

use std::io::Write;
use std::path::PathBuf;

use serde_json::{Value, json};

use super::browser::Browser;
use super::search_browser::{path_of, search, search_page_url};
use super::support::Server;
use crate::support::Workspace;

/// axe-core as `.ci/run` installs it.
pub fn axe_script() -> Option<String> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".ci/node_modules/axe-core/axe.min.js");
    match std::fs::read_to_string(&path) {
        Ok(script) => Some(script),
        Err(_) => {
            let message = format!(
                "{} missing (npm install --prefix .ci --no-save axe-core@4)",
                path.display()
            );
            if std::env::var("QISSA_REQUIRE_BROWSER").as_deref() == Ok("1") {
                panic!("{message}, and QISSA_REQUIRE_BROWSER=1 requires it");
            }
            let _ = writeln!(std::io::stderr(), "SKIPPED: {message}");
            None
        }
    }
}

/// The serious and critical violations axe finds on the current page: rule, impact and
/// the first offending element of each.
pub fn serious_violations(browser: &Browser, axe: &str) -> Vec<String> {
    browser
        .eval(&format!("{axe}\nreturn typeof axe;"))
        .expect("inject axe-core");
    let script = "var done = arguments[arguments.length - 1];\
        axe.run(document, { resultTypes: ['violations'] }).then(function (r) {\
          done(r.violations.map(function (v) {\
            return [v.id, v.impact, v.nodes.length ? v.nodes[0].html : ''];\
          }));\
        }, function (e) { done([['axe failed', String(e), '']]); });";
    let found = browser.eval_async(script, json!([])).expect("run axe");
    found
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter(|v| {
            v[1] == json!("serious") || v[1] == json!("critical") || v[0] == json!("axe failed")
        })
        .map(Value::to_string)
        .collect()
}

fn wait_for_results(browser: &Browser) {
    for _ in 0..100 {
        let shown = browser
            .eval("return document.querySelectorAll('#search-results > li').length;")
            .unwrap_or(json!(0));
        if shown.as_u64().unwrap_or(0) > 0 {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("the search page showed no results");
}

#[test]
fn the_search_page_and_the_search_box_pass_axe() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let Some(axe) = axe_script() else {
        return;
    };
    let ws = Workspace::fixture("search");
    let server = Server::start(&ws.site());
    browser.navigate(&search_page_url(&server, "مصر"));
    wait_for_results(&browser);
    let on_search = serious_violations(&browser, &axe);
    assert!(on_search.is_empty(), "search page: {on_search:#?}");

    let module = server.url("/search/qissa-search.js");
    let first = search(&browser, &module, "مصر");
    let article = first[0]["url"].as_str().expect("a result URL").to_string();
    browser.navigate(&server.url(&path_of(&article)));
    let on_article = serious_violations(&browser, &axe);
    assert!(on_article.is_empty(), "article page: {on_article:#?}");
    drop(browser);
    drop(server);
}
