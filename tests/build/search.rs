//! Site search in the built site (the browser side is in `serve/search_browser`): the search
//! page and the header's search box under a sub-path, the engine's module published with
//! them, `search: false` leaving every trace of search out, a theme without `search.html`
//! still building, and a bad `search:` value failing with its line and leaving the output
//! untouched.

use std::path::Path;

use crate::support::{Output, Workspace, attr, copy_tree, one, run_build, select, snapshot, text};

/// The query-set site (base URL `https://example.com/news/`) built into its workspace.
fn built_search_site() -> (Workspace, Output) {
    let ws = Workspace::fixture("search");
    let out = ws.build_ok(&[]);
    (ws, out)
}

/// Writes `site.yaml` of `ws` with `line` appended.
fn append_to_config(ws: &Workspace, line: &str) {
    let path = ws.site().join("site.yaml");
    let mut config = std::fs::read_to_string(&path).unwrap();
    config.push_str(line);
    std::fs::write(&path, config).unwrap();
}

#[test]
fn the_search_page_and_box_live_under_the_base_path() {
    let (_ws, out) = built_search_site();
    let page = out.page("/search/");
    let form = one(&page, "main form[role=search]");
    assert_eq!(attr(form, "action"), "/news/search/");
    assert_eq!(attr(form, "method"), "get");
    let input = one(&page, "main input[name=q]");
    let label = one(&page, &format!("label[for={}]", attr(input, "id")));
    assert!(!text(label).is_empty());
    let section = one(&page, "[data-search-module]");
    assert_eq!(
        attr(section, "data-search-module"),
        "/news/search/qissa-search.js"
    );
    let script = one(&page, "script[type=module]");
    assert_eq!(attr(script, "src"), "/news/js/search-page.js");
    assert!(out.root.join("js/search-page.js").is_file());
    assert!(out.root.join("search/qissa-search.js").is_file());
    let live = one(&page, "[aria-live=polite]");
    assert_eq!(attr(live, "id"), "search-status");
    // Without JavaScript, the page says so and offers the indexes instead.
    let noscript = one(&page, "noscript").inner_html();
    assert!(noscript.contains("جافاسكربت"), "{noscript}");
    assert!(
        noscript.contains("href=\"/news/categories/\""),
        "{noscript}"
    );
    assert!(noscript.contains("href=\"/news/tags/\""), "{noscript}");

    // Every page's header holds the box: a GET form to the search page, labelled.
    for path in ["/", "/tech/phone-prices-rise/", "/tags/", "/search/"] {
        let doc = out.page(path);
        let form = one(&doc, "header form[role=search]");
        assert_eq!(attr(form, "action"), "/news/search/", "{path}");
        let input = one(&doc, "header input[name=q][type=search]");
        let label = one(&doc, &format!("header label[for={}]", attr(input, "id")));
        assert!(!text(label).is_empty(), "{path}");
    }
    // The search page shows nothing until asked: it stays out of the sitemap.
    let sitemap = std::fs::read_to_string(out.root.join("sitemap.xml")).unwrap();
    assert!(!sitemap.contains("/news/search/"), "{sitemap}");
}

#[test]
fn search_false_leaves_out_the_index_the_page_the_box_and_the_script() {
    let ws = Workspace::fixture("search");
    let config = std::fs::read_to_string(ws.site().join("site.yaml")).unwrap();
    let (head, _) = config
        .split_once("search:")
        .expect("the fixture sets search:");
    std::fs::write(
        ws.site().join("site.yaml"),
        format!("{head}search: false\n"),
    )
    .unwrap();
    let out = ws.build_ok(&[]);
    assert!(!out.root.join("search").exists(), "no search folder");
    assert!(
        !out.root.join("js/search-page.js").exists(),
        "no page script"
    );
    for (path, doc) in out.pages() {
        assert!(select(&doc, "form[role=search]").is_empty(), "{path}");
        assert!(select(&doc, "[data-search-module]").is_empty(), "{path}");
    }
}

#[test]
fn a_theme_without_a_search_template_still_builds_without_the_page() {
    let ws = Workspace::fixture("minimal");
    let theme = ws.site().join("themes/plain");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/qissa"),
        &theme,
    );
    std::fs::remove_file(theme.join("templates/search.html")).unwrap();
    let config = std::fs::read_to_string(ws.site().join("site.yaml")).unwrap();
    let config = config.replace("theme: qissa", "theme: plain");
    std::fs::write(ws.site().join("site.yaml"), config).unwrap();
    let out = ws.build_ok(&[]);
    assert!(!out.root.join("search/index.html").exists());
    assert!(!out.root.join("js/search-page.js").exists());
    assert!(select(&out.page("/"), "form[role=search]").is_empty());
}

#[test]
fn a_bad_search_value_names_its_line_and_leaves_the_output_alone() {
    let ws = Workspace::fixture("minimal");
    let first = ws.build(&[]);
    first.expect_success();
    let before = snapshot(&ws.output());
    append_to_config(&ws, "search:\n  names: [نيوم]\n  nmaes: [x]\n");
    let run = run_build(&ws.site(), &ws.output(), &[]);
    assert!(!run.success, "the build must fail");
    let lines = std::fs::read_to_string(ws.site().join("site.yaml")).unwrap();
    let line = lines.lines().position(|l| l.contains("nmaes")).unwrap() + 1;
    assert!(
        run.stderr.contains(&format!("site.yaml:{line}")),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("unknown key `nmaes` under `search`"));
    assert!(run.stderr.contains("names, variants, joined"));
    assert_eq!(snapshot(&ws.output()), before, "the output changed");
}
