//! `qissa serve`, tried from outside: the real binary serves a copy of the demo site on a
//! free port and is spoken to over raw HTTP/1.1 (request lines sent byte for byte), over its
//! reload channel (server-sent events), and, in `serve_browser`, from a headless Chromium.
//!
//! - HTTP basics: content types with UTF-8, Arabic paths encoded or raw, the theme's 404,
//!   drafts shown and marked, the reload script in every page.
//! - Safety: the traversal matrix and symbolic links out of the site get 400/404; a foreign
//!   Host or Origin gets 403; the reload channel carries nothing but "update" (only pages
//!   changed) and "reload".
//! - Live reload: an editor's atomic save, a new article in a new folder, a deletion; a broken
//!   front matter or a recursing template shows the escaped error over the last good page
//!   until it is fixed, and the server stays up.
//! - The process: a clear message when the port is taken; Ctrl-C stops it cleanly and
//!   removes its private folder; `qissa build` output never carries the preview's additions.

#[path = "serve_browser.rs"]
pub(crate) mod browser;
#[path = "embeds_browser.rs"]
mod embeds_browser;
#[path = "search_axe.rs"]
pub(crate) mod search_axe;
#[path = "search_browser.rs"]
mod search_browser;
#[path = "serve_support.rs"]
pub(crate) mod support;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::time::Duration;

use scraper::Html;

use self::support::{Response, Server, replace_line, save_atomically};
use crate::support::{Workspace, decode_href, select, snapshot, text};

/// The demo's reference article: its source, its page and its headline.
const ARTICLE: &str = "content/articles/2026/saudi-kazakhstan-security.md";
const ARTICLE_PAGE: &str = "/security/السعودية-وكازاخستان-تعقدان-تحالفا-أمنيا/";
const TITLE: &str = "السعودية وكازاخستان تعقدان تحالفًا أمنيًا لمكافحة المخدرات والجريمة المشتركة";

/// The demo's draft and the page it gets when drafts are shown.
const DRAFT_PAGE: &str = "/culture/خطة-لتطوير-سور-الأزبكية-للكتب-القديمة-دون-إبعاد/";

/// The heading of the theme's 404 page.
const NOT_FOUND_H1: &str = "الصفحة غير موجودة";

/// How long a save may take to reach the reload channel.
const RELOAD: Duration = Duration::from_secs(5);

/// A copy of the demo site, served.
fn serve_demo() -> (Workspace, Server) {
    let ws = Workspace::demo();
    let server = Server::start(&ws.site());
    (ws, server)
}

/// The texts of a page's `h1`s.
fn h1s(doc: &Html) -> Vec<String> {
    select(doc, "h1").into_iter().map(text).collect()
}

/// The overlay's text, if the page has one.
fn overlay(doc: &Html) -> Option<String> {
    select(doc, "#qissa-error").first().map(|el| text(*el))
}

/// Asserts a 200 HTML page with the reload script and returns it parsed.
fn page_ok(server: &Server, path: &str) -> Html {
    let response = server.get_page(path);
    assert_eq!(response.status, 200, "GET {path}: {}", response.text());
    assert_eq!(
        response.header("content-type"),
        Some("text/html; charset=utf-8"),
        "GET {path}"
    );
    let doc = response.doc();
    assert_eq!(
        select(&doc, "script#qissa-reload").len(),
        1,
        "GET {path}: the page must carry the reload script once"
    );
    doc
}

/// Whether the served page at `path` has `h1` and no overlay.
fn shows_clean(server: &Server, path: &str, h1: &str) -> bool {
    let response = server.get_page(path);
    let doc = response.doc();
    response.status == 200 && h1s(&doc) == [h1] && overlay(&doc).is_none()
}

/// The site file `rel` of the served site.
fn site_file(server: &Server, rel: &str) -> PathBuf {
    server.root.join(rel)
}

/// The article's text with the line closing its front matter removed.
fn without_closing_fence(source: &str) -> String {
    let close = source[3..].find("\n---\n").expect("a closed front matter") + 3;
    format!("{}{}", &source[..close + 1], &source[close + 5..])
}

#[test]
fn pages_assets_and_arabic_paths_are_served_with_utf8_types() {
    let (ws, server) = serve_demo();

    let home = page_ok(&server, "/");
    assert!(
        !select(&home, "h1, .card, article").is_empty(),
        "the home page looks empty"
    );

    let css = server.get("/css/qissa.css");
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert_eq!(
        css.body,
        std::fs::read(ws.site().join("themes/qissa/static/css/qissa.css")).unwrap()
    );
    assert!(
        !css.text().contains("qissa-reload"),
        "the reload script goes into HTML only"
    );

    let font = server.get("/fonts/tajawal-arabic-400-normal.woff2");
    assert_eq!(font.status, 200);
    assert_eq!(font.header("content-type"), Some("font/woff2"));
    assert_eq!(
        font.body,
        std::fs::read(
            ws.site()
                .join("themes/qissa/static/fonts/tajawal-arabic-400-normal.woff2")
        )
        .unwrap(),
        "binary files are served byte for byte"
    );

    for (path, content_type) in [
        ("/images/qissa-mark.svg", "image/svg+xml; charset=utf-8"),
        ("/fonts/OFL-Tajawal.txt", "text/plain; charset=utf-8"),
    ] {
        let response = server.get(path);
        assert_eq!(response.status, 200, "GET {path}");
        assert_eq!(
            response.header("content-type"),
            Some(content_type),
            "GET {path}"
        );
    }

    // Browsers send Arabic percent-encoded; some clients send the raw UTF-8 bytes.
    let encoded = server.get_page("/tags/مصر/");
    let raw = server.request("GET /tags/مصر/ HTTP/1.1".as_bytes(), &[]);
    for (how, response) in [("percent-encoded", &encoded), ("raw UTF-8", &raw)] {
        assert_eq!(response.status, 200, "{how}: {}", response.text());
        assert_eq!(
            response.header("content-type"),
            Some("text/html; charset=utf-8"),
            "{how}"
        );
        assert!(
            h1s(&response.doc()).iter().any(|h| h.contains("مصر")),
            "{how}: the tag page's h1 names the tag: {:?}",
            h1s(&response.doc())
        );
    }
    assert_eq!(encoded.body, raw.body, "both spellings serve the same page");

    // A decomposed (NFD) spelling of an Arabic path with a hamza reaches the NFC page.
    let nfd: String =
        unicode_normalization::UnicodeNormalization::nfd("/tags/آسيا-الوسطى/").collect();
    assert_ne!(nfd, "/tags/آسيا-الوسطى/");
    assert_eq!(server.get_page(&nfd).status, 200, "NFD spelling of a tag");

    let missing = server.get_page("/no-such-page/");
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    let doc = missing.doc();
    assert_eq!(h1s(&doc), [NOT_FOUND_H1], "the theme's 404 page");
    assert_eq!(select(&doc, "script#qissa-reload").len(), 1);

    // Drafts are shown by default, and marked.
    let draft = page_ok(&server, DRAFT_PAGE);
    assert!(
        !select(&draft, ".draft-flag").is_empty(),
        "a draft is marked as a draft on its page"
    );
}

#[test]
fn assets_are_revalidated_so_a_reload_gets_304_until_the_file_changes() {
    let (ws, server) = serve_demo();
    let css = server.get("/css/qissa.css");
    assert_eq!(css.header("cache-control"), Some("no-cache"));
    let etag = css.header("etag").expect("an ETag").to_string();
    let again = server.request(b"GET /css/qissa.css HTTP/1.1", &[("If-None-Match", &etag)]);
    assert_eq!(again.status, 304, "unchanged: the browser keeps its copy");
    assert!(again.body.is_empty());
    let page = server.get("/");
    assert_eq!(
        page.header("cache-control"),
        Some("no-store"),
        "pages never"
    );

    // The site's own stylesheet takes the theme's place: served anew, with a new tag.
    let changed = format!("{}\n/* changed */\n", css.text());
    let override_css = ws.site().join("static/css/qissa.css");
    std::fs::create_dir_all(override_css.parent().unwrap()).unwrap();
    save_atomically(&override_css, &changed);
    let fresh = |r: &Response| r.status == 200 && r.body == changed.as_bytes();
    assert!(
        support::eventually(Duration::from_secs(10), || {
            fresh(&server.request(b"GET /css/qissa.css HTTP/1.1", &[("If-None-Match", &etag)]))
        }),
        "the changed stylesheet is sent in full"
    );
    let now = server.get("/css/qissa.css");
    assert_ne!(now.header("etag"), Some(etag.as_str()));
}

/// Request targets that try to leave the site, sent byte for byte.
fn traversal_targets(port: u16) -> Vec<String> {
    let mut targets: Vec<String> = [
        "/../x",
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/.%2e/.%2e/.%2e/.%2e/etc/passwd",
        "/..%2f..%2f..%2f..%2fetc/passwd",
        "/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/a/%2E%2E/%2E%2E/b",
        "/a/%2E%2E/%2E%2E/%2E%2E/%2E%2E/%2E%2E/etc/passwd",
        "/css/../../../../../etc/passwd",
        "/\\..\\..\\..\\..\\etc\\passwd",
        "/..\\..\\..\\..\\etc\\passwd",
        "/%5c..%5c..%5c..%5c..%5cetc%5cpasswd",
        "/..%5c..%5c..%5c..%5cetc%5cpasswd",
        "/%00",
        "/index.html%00.css",
        "/%00/../../../../etc/passwd",
        "/%252e%252e/%252e%252e/etc/passwd",
        "/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
        "//etc/passwd",
        "///etc/passwd",
        "/etc/passwd",
        "/C:/Windows/win.ini",
        "/C:%5CWindows%5Cwin.ini",
        "/c:%2f..%2f..%2fetc%2fpasswd",
        "../../etc/passwd",
        "/proc/self/root/etc/passwd",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    targets.push(format!("http://127.0.0.1:{port}/../../etc/passwd"));
    targets.push(format!("http://127.0.0.1:{port}/%2e%2e/%2e%2e/etc/passwd"));
    targets
}

#[test]
fn requests_outside_the_site_get_400_or_404() {
    let ws = Workspace::demo();
    // Links out of the site, placed before serving.
    let stat = ws.site().join("static");
    std::os::unix::fs::symlink("/etc/hostname", stat.join("leak.txt")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", stat.join("passwd.txt")).unwrap();
    std::os::unix::fs::symlink("/etc", stat.join("out")).unwrap();
    let server = Server::start(&ws.site());

    let mut failures = Vec::new();
    let check = |what: &str, response: &Response, failures: &mut Vec<String>| {
        if ![400, 404].contains(&response.status) || response.text().contains("root:") {
            failures.push(format!(
                "{what}: {} {:?}",
                response.status,
                response.text().chars().take(120).collect::<String>()
            ));
        }
    };
    for target in traversal_targets(server.port) {
        let response = server.request(format!("GET {target} HTTP/1.1").as_bytes(), &[]);
        check(&target, &response, &mut failures);
    }
    for path in ["/leak.txt", "/passwd.txt", "/out/hostname", "/out/passwd"] {
        let response = server.get(path);
        check(path, &response, &mut failures);
        if response.status == 404 {
            assert_eq!(
                h1s(&response.doc()),
                [NOT_FOUND_H1],
                "{path}: the theme's 404"
            );
        }
    }
    // Links out of the site that appear in the served folder itself are refused too.
    let served = server.private_dirs();
    assert_eq!(
        served.len(),
        1,
        "one qissa-serve-* folder in the server's TMPDIR"
    );
    let served = served[0].join("site");
    assert!(
        served.join("index.html").is_file(),
        "the preview is built in {}",
        served.display()
    );
    std::os::unix::fs::symlink("/etc/passwd", served.join("planted.txt")).unwrap();
    std::os::unix::fs::symlink("/etc", served.join("planted-dir")).unwrap();
    for path in ["/planted.txt", "/planted-dir/passwd"] {
        check(path, &server.get(path), &mut failures);
    }
    assert!(
        failures.is_empty(),
        "requests outside the site must get 400 or 404 and never a file:\n{}",
        failures.join("\n")
    );
    assert_eq!(
        server.get("/").status,
        200,
        "the server still serves after the matrix"
    );
}

#[test]
fn foreign_hosts_and_origins_are_refused_and_the_channel_carries_only_reload() {
    let (_ws, server) = serve_demo();
    let port = server.port;
    let evil_host = format!("evil.example:{port}");

    for target in ["/", "/css/qissa.css", "/_qissa/reload"] {
        for host in [
            evil_host.as_str(),
            "evil.example",
            &format!("127.0.0.1.evil.example:{port}"),
            "127.0.0.1:1",
        ] {
            let response = server.request(
                format!("GET {target} HTTP/1.1").as_bytes(),
                &[("Host", host)],
            );
            assert_eq!(
                response.status,
                403,
                "GET {target} with Host {host}: {}",
                response.text()
            );
            assert!(!response.text().contains("qissa-reload"));
        }
    }
    for origin in [
        "http://evil.example".to_string(),
        format!("http://evil.example:{port}"),
        format!("http://127.0.0.1.evil.example:{port}"),
        "null".to_string(),
    ] {
        match server.reload_channel_with(&[("Origin", &origin)]) {
            Ok(sse) => panic!(
                "the reload channel accepted Origin {origin}: {} {:?}",
                sse.status, sse.headers
            ),
            Err(response) => assert_eq!(response.status, 403, "Origin {origin}"),
        }
    }
    // A page of this server, by either loopback name, and a request without Origin.
    for origin in [server.origin(), format!("http://localhost:{port}")] {
        let sse = server
            .reload_channel_with(&[("Origin", &origin)])
            .unwrap_or_else(|r| panic!("Origin {origin}: {} {}", r.status, r.text()));
        assert_eq!(sse.header("content-type"), Some("text/event-stream"));
    }
    assert!(server.reload_channel_with(&[]).is_ok(), "no Origin at all");
    assert_eq!(
        server
            .request(b"GET / HTTP/1.1", &[("Host", &format!("localhost:{port}"))])
            .status,
        200,
        "Host localhost:PORT"
    );

    // Two rebuilds that change only pages; the channel says "update" twice and nothing else.
    let mut sse = server.reload_channel();
    assert_eq!(sse.status, 200);
    assert_eq!(sse.header("content-type"), Some("text/event-stream"));
    let article = site_file(&server, ARTICLE);
    for n in 1..=2 {
        replace_line(&article, "title:", &format!("title: {TITLE} {n}"));
        assert!(
            sse.wait_reload(RELOAD),
            "edit {n}: no reload; stdout:\n{}\nstderr:\n{}",
            server.stdout(),
            server.stderr()
        );
    }
    sse.read_for(Duration::from_millis(300));
    assert!(sse.data_lines().len() >= 2);
    let other: Vec<&String> = sse
        .lines
        .iter()
        .filter(|l| !(l.is_empty() || l.starts_with(':') || *l == "data: update"))
        .collect();
    assert!(
        other.is_empty(),
        "after title edits the channel carries only `data: update` (and comments): {other:?}"
    );
}

#[test]
fn saving_adding_and_deleting_articles_reloads_the_page() {
    let (_ws, server) = serve_demo();
    assert_eq!(h1s(&page_ok(&server, ARTICLE_PAGE)), [TITLE]);
    let mut sse = server.reload_channel();

    // An editor's save: a temporary file renamed over the article. Words added at the end of
    // the title keep its URL (the slug is cut to its first words).
    let new_title = format!("{TITLE} بعد التعديل");
    replace_line(
        &site_file(&server, ARTICLE),
        "title:",
        &format!("title: {new_title}"),
    );
    sse.reload_until(RELOAD, || shows_clean(&server, ARTICLE_PAGE, &new_title))
        .unwrap_or_else(|e| panic!("after saving the article: {e}"));

    // A new article in a new folder.
    let folder = site_file(&server, "content/articles/new-folder");
    std::fs::create_dir(&folder).unwrap();
    save_atomically(
        &folder.join("x.md"),
        "---\ntitle: مقال جديد في مجلد جديد\nslug: new-folder-article\ndate: 2026-01-02 10:00\n\
         author: laila-youssef\ncategory: local\n---\n\nنص المقال الجديد.\n",
    );
    let new_page = "/local/new-folder-article/";
    sse.reload_until(RELOAD, || {
        shows_clean(&server, new_page, "مقال جديد في مجلد جديد")
    })
    .unwrap_or_else(|e| panic!("after adding content/articles/new-folder/x.md: {e}"));

    // Deleted: the page goes.
    std::fs::remove_file(folder.join("x.md")).unwrap();
    sse.reload_until(RELOAD, || server.get_page(new_page).status == 404)
        .unwrap_or_else(|e| panic!("after deleting content/articles/new-folder/x.md: {e}"));
    assert_eq!(h1s(&server.get_page(new_page).doc()), [NOT_FOUND_H1]);
}

#[test]
fn a_broken_front_matter_shows_the_escaped_error_over_the_last_good_page_until_fixed() {
    let (_ws, server) = serve_demo();
    let article = site_file(&server, ARTICLE);
    let good = std::fs::read_to_string(&article).unwrap();
    let mut sse = server.reload_channel();

    // The closing --- removed.
    save_atomically(&article, &without_closing_fence(&good));
    let mut last = None;
    sse.reload_until(RELOAD, || {
        let response = server.get_page(ARTICLE_PAGE);
        let doc = response.doc();
        let shown = response.status == 200 && overlay(&doc).is_some();
        last = Some((response.status, h1s(&doc), overlay(&doc)));
        shown
    })
    .unwrap_or_else(|e| panic!("after breaking the front matter: {e}; last page: {last:?}"));
    let (_, h1, error) = last.unwrap();
    assert_eq!(h1, [TITLE], "the last good page is still shown");
    let error = error.unwrap();
    let named = error
        .split("saudi-kazakhstan-security.md:")
        .nth(1)
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()));
    assert!(
        error.contains("content/articles/2026/saudi-kazakhstan-security.md") && named,
        "the overlay names the file and the line: {error}"
    );
    // The server's output reaches the test through a reader thread: give it a moment.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while !server.stderr().contains("saudi-kazakhstan-security.md:")
        && std::time::Instant::now() < deadline
    {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(
        server.stderr().contains("saudi-kazakhstan-security.md:"),
        "the terminal shows the error too:\n{}",
        server.stderr()
    );
    // Every page shows the overlay, not only the broken article's.
    assert!(overlay(&page_ok(&server, "/")).is_some());

    // Markup in the faulty value is shown as text, never as markup.
    let hostile = good.replacen(
        "category: security",
        "category: <b>x</b> & <script>alert(1)</script>",
        1,
    );
    assert_ne!(hostile, good);
    save_atomically(&article, &hostile);
    let mut last = None;
    sse.reload_until(RELOAD, || {
        let response = server.get_page(ARTICLE_PAGE);
        let shows = overlay(&response.doc()).is_some_and(|e| e.contains("<b>x</b>"));
        last = Some(response);
        shows
    })
    .unwrap_or_else(|e| {
        panic!(
            "after the <b> category: {e}; overlay: {:?}",
            last.as_ref().and_then(|r| overlay(&r.doc()))
        )
    });
    let response = last.unwrap();
    let doc = response.doc();
    assert_eq!(h1s(&doc), [TITLE]);
    let error = overlay(&doc).unwrap();
    assert!(
        error.contains("<b>x</b> & <script>alert(1)</script>"),
        "the overlay shows the faulty value as text: {error}"
    );
    assert!(
        select(&doc, "#qissa-error b, #qissa-error script").is_empty(),
        "the error's markup must not become elements"
    );
    assert!(
        response
            .text()
            .contains("&lt;b&gt;x&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;"),
        "escaped in the HTML source"
    );

    // Fixed: the page comes back without the overlay.
    save_atomically(&article, &good);
    sse.reload_until(RELOAD, || shows_clean(&server, ARTICLE_PAGE, TITLE))
        .unwrap_or_else(|e| panic!("after fixing the front matter: {e}"));
    assert!(overlay(&page_ok(&server, "/")).is_none());
}

/// A site-level `templates/article.html` (a copy of the theme's) is in place before serving;
/// `broken` replaces it, then the copy comes back. The server must stay up throughout.
fn assert_template_error_recovers(broken: &str, names: &str) {
    let ws = Workspace::demo();
    let good =
        std::fs::read_to_string(ws.site().join("themes/qissa/templates/article.html")).unwrap();
    ws.write("templates/article.html", &good);
    let mut server = Server::start(&ws.site());
    assert!(shows_clean(&server, ARTICLE_PAGE, TITLE));
    let template = ws.site().join("templates/article.html");
    let mut sse = server.reload_channel();

    save_atomically(&template, broken);
    let mut last = None;
    let shown = sse.reload_until(RELOAD, || {
        let response = server.get_page(ARTICLE_PAGE);
        let doc = response.doc();
        last = Some((response.status, h1s(&doc), overlay(&doc)));
        response.status == 200 && overlay(&doc).is_some()
    });
    assert!(
        server.is_running(),
        "the server died on the template:\n{}",
        server.stderr()
    );
    shown.unwrap_or_else(|e| panic!("{e}; last page: {last:?}"));
    let (_, h1, error) = last.unwrap();
    assert_eq!(h1, [TITLE], "the last good page is still shown");
    let error = error.unwrap();
    assert!(error.contains(names), "the overlay names {names}: {error}");

    save_atomically(&template, &good);
    sse.reload_until(RELOAD, || shows_clean(&server, ARTICLE_PAGE, TITLE))
        .unwrap_or_else(|e| panic!("after fixing the template: {e}"));
    assert!(server.is_running());
}

#[test]
fn a_template_that_includes_itself_does_not_kill_the_server() {
    assert_template_error_recovers("{% include \"article.html\" %}\n", "templates/article.html");
}

#[test]
fn a_template_that_recurses_through_a_component_does_not_kill_the_server() {
    // Tera stops the recursion with an error that carries no location: it must still name
    // the template being rendered, so the writer knows which file to fix.
    assert_template_error_recovers(
        "{% extends \"base.html\" %}\n\
         {% component forever(n: integer) %}{{ <forever n={n} /> }}{% endcomponent forever %}\n\
         {% block main %}{{ <forever n={1} /> }}{% endblock main %}\n",
        "templates/article.html",
    );
}

#[test]
fn a_templates_folder_created_while_serving_is_watched() {
    // The demo has no site-level templates/: an override created while serving, folder and
    // file at once, must be picked up like any other save.
    let (ws, server) = serve_demo();
    assert!(!ws.site().join("templates").exists());
    let mut sse = server.reload_channel();
    ws.write("templates/article.html", "{% include \"article.html\" %}\n");
    let mut last = None;
    sse.reload_until(RELOAD, || {
        let doc = server.get_page(ARTICLE_PAGE).doc();
        last = overlay(&doc);
        last.is_some()
    })
    .unwrap_or_else(|e| panic!("after creating templates/article.html: {e}; overlay: {last:?}"));
}

#[test]
fn a_taken_port_is_a_clear_error() {
    let ws = Workspace::demo();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let failure = match Server::try_start(&ws.site(), port) {
        Ok(_) => panic!("serve started on a port that is in use"),
        Err(failure) => failure,
    };
    let status = failure.status.expect("serve exits when the port is taken");
    assert!(!status.success(), "exit status must be non-zero: {failure}");
    assert!(
        failure.stderr.contains("already in use") && failure.stderr.contains("--port"),
        "the message says the port is in use and how to choose another: {failure}"
    );
    assert!(
        failure.stderr.contains(&port.to_string()),
        "the message names the port: {failure}"
    );
    drop(taken);
}

/// Ctrl-C stops the server within 5 s, with status 0, "stopped", and no private folder left.
fn assert_ctrl_c_stops(server: &mut Server, context: &str) {
    assert_signal_stops(server, "INT", context);
}

/// Signal `name` stops the server as Ctrl-C does.
fn assert_signal_stops(server: &mut Server, name: &str, context: &str) {
    let folders = server.private_dirs();
    assert_eq!(folders.len(), 1, "one private folder while serving");
    server.signal(name);
    let status = server.wait_exit(Duration::from_secs(5));
    assert!(
        status.is_some(),
        "{context}: still running 5 s after Ctrl-C\nstdout:\n{}",
        server.stdout()
    );
    server.join_output();
    assert!(
        status.unwrap().success(),
        "{context}: exit status {status:?}\nstderr:\n{}",
        server.stderr()
    );
    assert!(
        server.stdout().contains("stopped"),
        "{context}: says it stopped:\n{}",
        server.stdout()
    );
    assert!(
        !folders[0].exists(),
        "{context}: {} is left behind",
        folders[0].display()
    );
}

#[test]
fn ctrl_c_stops_the_server_and_removes_its_folder() {
    let (_ws, mut server) = serve_demo();
    assert_eq!(server.get("/").status, 200);
    assert_ctrl_c_stops(&mut server, "idle server");
}

/// `kill` and a closed terminal end the preview as Ctrl-C does: a built site per run would
/// otherwise pile up in the temporary folder.
#[test]
fn kill_and_a_closed_terminal_stop_the_server_and_remove_its_folder() {
    for name in ["TERM", "HUP"] {
        let (_ws, mut server) = serve_demo();
        assert_eq!(server.get("/").status, 200);
        assert_signal_stops(&mut server, name, &format!("SIG{name}"));
    }
}

#[test]
fn ctrl_c_stops_the_server_while_a_tab_is_open() {
    // An open tab holds a never-ending event stream; shutdown must not wait for it.
    let (_ws, mut server) = serve_demo();
    let _tab = server.reload_channel();
    assert_ctrl_c_stops(&mut server, "server with an open reload channel");
}

#[test]
fn build_output_never_carries_the_preview_additions() {
    let ws = Workspace::demo();
    let before = snapshot(&ws.site());
    {
        let server = Server::start(&ws.site());
        assert_eq!(server.get("/").status, 200);
        server.stop();
    }
    let mut after = snapshot(&ws.site());
    // The photo cache is kept between runs of serve, as between builds: the one thing serve
    // writes into the site folder.
    after.retain(|path, _| !path.starts_with(".qissa-cache"));
    assert_eq!(
        after, before,
        "serve never writes into the site folder but its cache (no public/ either)"
    );

    for flags in [&[][..], &["--drafts"][..]] {
        let out = ws.build_ok(flags);
        let mut carrying = Vec::new();
        for file in out.files() {
            let bytes = std::fs::read(out.root.join(&file)).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            if text.contains("qissa-reload") || text.contains("_qissa") {
                carrying.push(file);
            }
        }
        assert!(
            carrying.is_empty(),
            "qissa build {flags:?} wrote the preview's script into {carrying:?}"
        );
        assert!(!out.html_files().is_empty());
        let _ = std::fs::remove_dir_all(out.root);
    }
    assert!(!Path::new(&ws.site().join("public")).exists());
}

#[test]
fn a_page_whose_title_changed_sends_its_old_url_to_the_new_one() {
    let (_ws, server) = serve_demo();
    let mut sse = server.reload_channel();
    // The URL comes from the title's first words: a new first word moves the page.
    let new_title = format!("عاجل {TITLE}");
    replace_line(
        &site_file(&server, ARTICLE),
        "title:",
        &format!("title: {new_title}"),
    );
    let new_page = "/security/عاجل-السعودية-وكازاخستان-تعقدان-تحالفا-أمنيا/";
    sse.reload_until(RELOAD, || shows_clean(&server, new_page, &new_title))
        .unwrap_or_else(|e| panic!("after retitling the article: {e}"));
    // The tab still on the old URL reloads into a redirect, not a 404.
    let old = server.get_page(ARTICLE_PAGE);
    assert_eq!(old.status, 307, "the old URL redirects");
    let location = old.header("location").expect("a Location header");
    assert_eq!(decode_href(location), new_page);
}
