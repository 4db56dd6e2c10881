//! Markup safety: hostile front matter, Markdown and raw HTML (the `fault-hostile` fixture)
//! come out inert on every page, checked on the parsed HTML: no event handler, no script
//! URL, no foreign element, no script but the theme's, every string escaped in its context.

use std::collections::BTreeSet;

use scraper::{ElementRef, Html};

use crate::support::{Output, Workspace, attr, one, select, select_in, text};

/// Attributes whose value is a URL a browser may follow or load.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "poster",
    "srcset",
    "data",
    "background",
];

/// Elements no front matter or Markdown may bring into a page.
const FORBIDDEN_ELEMENTS: &[&str] = &[
    "iframe", "object", "embed", "frame", "frameset", "applet", "svg", "math", "base", "form",
];

/// A URL a browser would run as script or render as a document.
fn is_script_url(value: &str) -> bool {
    let squeezed: String = value
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|scheme| squeezed.starts_with(scheme))
}

/// The scripts and forms of the theme (the search page's module script, the search box), as
/// a clean build writes them, whole.
fn theme_scripts(out: &Output) -> BTreeSet<String> {
    let mut scripts = BTreeSet::new();
    for (_, doc) in out.pages() {
        for script in select(&doc, "script, form") {
            if script.value().attr("type") != Some("application/ld+json") {
                scripts.insert(script.html());
            }
        }
    }
    scripts
}

/// Every element of every page: no event handler, no script URL, no foreign element, and
/// only the theme's own scripts and forms (JSON-LD that parses and never contains `<`).
fn assert_inert(out: &Output, allowed_scripts: &BTreeSet<String>) {
    for (path, doc) in out.pages() {
        for el in select(&doc, "*") {
            let name = el.value().name();
            let the_themes = name == "form" && allowed_scripts.contains(&el.html());
            assert!(
                !FORBIDDEN_ELEMENTS.contains(&name) || the_themes,
                "{path}: <{name}> was published: {}",
                el.html()
            );
            for (attribute, value) in el.value().attrs() {
                assert!(
                    !attribute.to_ascii_lowercase().starts_with("on"),
                    "{path}: event handler {attribute}={value:?} on <{name}>"
                );
                if URL_ATTRIBUTES.contains(&attribute) {
                    assert!(
                        !is_script_url(value),
                        "{path}: <{name} {attribute}={value:?}>"
                    );
                }
                assert!(
                    !(name == "meta" && attribute.eq_ignore_ascii_case("http-equiv")),
                    "{path}: {}",
                    el.html()
                );
            }
        }
        for script in select(&doc, "script") {
            assert!(
                script.value().attr("src").is_none() || allowed_scripts.contains(&script.html()),
                "{path}: {}",
                script.html()
            );
            let code = script.inner_html();
            if script.value().attr("type") == Some("application/ld+json") {
                assert!(
                    !code.contains('<'),
                    "{path}: `<` inside JSON-LD can close the script: {code}"
                );
                serde_json::from_str::<serde_json::Value>(&code)
                    .unwrap_or_else(|e| panic!("{path}: JSON-LD does not parse ({e}): {code}"));
            } else {
                assert!(
                    allowed_scripts.contains(&script.html()),
                    "{path}: a script that is not the theme's: {}",
                    script.html()
                );
            }
        }
    }
}

/// The hostile article, author and page, and what they must read once published.
const HOSTILE_TITLE: &str =
    "\"><script>alert('title')</script> </title><script>alert(2)</script> O'Reilly & Sons";
const HOSTILE_DESCRIPTION: &str =
    "\" onload=\"alert(6)\" x=\"' & <!-- </script><script>alert(26)</script>";

fn hostile_build() -> (Workspace, Output) {
    let ws = Workspace::fixture("fault-hostile");
    let out = ws.build_ok(&[]);
    (ws, out)
}

fn hostile_article_path(out: &Output) -> String {
    out.pages()
        .into_iter()
        .map(|(path, _)| path)
        .find(|p| p.starts_with("/security/script-alert-title"))
        .expect("the hostile article is published")
}

#[test]
fn hostile_content_comes_out_inert_on_every_page() {
    let clean_ws = Workspace::fixture("minimal");
    let clean = clean_ws.build_ok(&[]);
    let allowed = theme_scripts(&clean);
    assert!(!allowed.is_empty(), "the theme has an inline script");
    let (_ws, out) = hostile_build();
    assert_inert(&out, &allowed);

    // Each page has exactly the theme's scripts: as many as a clean page of its kind.
    let count = |doc: &Html| select(doc, "script").len();
    let clean_article = clean.page("/security/السيطرة-على-حريق-محدود-في-سوق-الخضار/");
    let hostile = out.page(&hostile_article_path(&out));
    assert_eq!(count(&hostile), count(&clean_article));
    assert_eq!(count(&out.page("/")), count(&clean.page("/")));
}

#[test]
fn raw_html_in_markdown_is_shown_as_text() {
    let (_ws, out) = hostile_build();
    let doc = out.page(&hostile_article_path(&out));
    let prose = one(&doc, ".prose");
    assert!(select(&doc, "iframe").is_empty());
    assert!(select(&doc, "[onclick], [onerror], [onload]").is_empty());
    let shown = text(prose);
    for raw in [
        "<iframe src=\"https://evil.example/\"></iframe>",
        "<script>alert(10)</script>",
        "<div onclick=\"alert(11)\">raw block</div>",
    ] {
        assert!(shown.contains(raw), "{raw:?} is not shown as text: {shown}");
    }
    // The lead (first paragraph) goes to the meta description as plain text.
    let description = attr(one(&doc, "meta[name=description]"), "content");
    assert!(
        description.contains("<script>alert(8)</script>"),
        "{description}"
    );

    let page = out.page("/hostile-page/");
    assert!(select(&page, "iframe").is_empty());
    assert!(text(one(&page, ".prose")).contains("<iframe src="));
}

#[test]
fn script_and_data_urls_are_dropped_from_links_and_images() {
    let (_ws, out) = hostile_build();
    let doc = out.page(&hostile_article_path(&out));
    let prose = one(&doc, ".prose");
    for label in ["a", "b", "c", "d", "e", "f", "g", "h", "i", "ref link"] {
        let link = select_in(prose, "a")
            .into_iter()
            .find(|a| text(*a) == label)
            .unwrap_or_else(|| panic!("link {label:?} lost its text: {}", prose.html()));
        let href = link.value().attr("href").unwrap_or("");
        assert!(!is_script_url(href), "link {label:?} kept href {href:?}");
        assert!(
            !href.to_ascii_lowercase().contains("script:"),
            "link {label:?}: {href:?}"
        );
    }
    let images = select_in(prose, "img");
    assert_eq!(images.len(), 3, "{}", prose.html());
    for img in images {
        let src = img.value().attr("src").unwrap_or("");
        assert!(!is_script_url(src), "image source {src:?} kept");
    }
}

/// Documented: `allow_raw_html: true` publishes the HTML written in Markdown (trusted
/// newsrooms), but script links are still dropped and front matter is still escaped.
#[test]
fn allow_raw_html_publishes_markdown_html_and_nothing_else() {
    let ws = Workspace::fixture("fault-hostile");
    let config = std::fs::read_to_string(ws.site().join("site.yaml")).unwrap();
    ws.write("site.yaml", &format!("{config}allow_raw_html: true\n"));
    // The raw `<img src=x>` names a file like any image: give it one.
    let mut png = Vec::new();
    image::RgbImage::new(4, 4)
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    ws.write_bytes("static/x", &png);
    let out = ws.build_ok(&[]);
    let doc = out.page(&hostile_article_path(&out));
    assert!(
        select(&doc, ".prose img[onerror]").is_empty(),
        "a photo's tag is qissa's own"
    );
    let prose = one(&doc, ".prose");
    assert_eq!(select_in(prose, "iframe").len(), 1, "{}", prose.html());
    assert_eq!(
        select_in(prose, "div[onclick]").len(),
        1,
        "{}",
        prose.html()
    );
    for link in select_in(prose, "a[href]") {
        let href = attr(link, "href");
        assert!(!is_script_url(href), "{}", link.html());
    }
    assert_eq!(text(one(&doc, "h1")), HOSTILE_TITLE);
    assert_eq!(
        text(one(&doc, "title")),
        format!("{HOSTILE_TITLE} | أخبار الحي")
    );
}

#[test]
fn front_matter_strings_are_escaped_in_every_context() {
    let (_ws, out) = hostile_build();
    let doc = out.page(&hostile_article_path(&out));
    assert_article_strings_read_as_typed(&doc);
    assert_description_reads_as_typed(&out);
    assert_author_and_page_read_as_typed(&out);
}

/// Text, `<title>`, attributes and JSON-LD of the hostile article: the parsed value is exactly
/// what the writer typed.
fn assert_article_strings_read_as_typed(doc: &Html) {
    let site = "أخبار الحي";
    assert_eq!(text(one(doc, "h1")), HOSTILE_TITLE);
    assert_eq!(text(one(doc, "title")), format!("{HOSTILE_TITLE} | {site}"));
    for selector in ["meta[property='og:title']", "meta[name='twitter:title']"] {
        assert_eq!(
            attr(one(doc, selector), "content"),
            HOSTILE_TITLE,
            "{selector}"
        );
    }
    let tags: Vec<&str> = select(doc, "meta[property='article:tag']")
        .into_iter()
        .map(|m| attr(m, "content"))
        .collect();
    assert_eq!(
        tags,
        [
            "\"><img src=x onerror=alert(3)>",
            "</script><script>alert(4)</script>"
        ]
    );
    let summary = text(one(doc, ".summary li"));
    assert_eq!(summary, "<b onmouseover=alert(5)>bold</b> & 'quoted'");

    // JSON-LD: the headline survives as data.
    let json: Vec<serde_json::Value> = select(doc, "script[type='application/ld+json']")
        .into_iter()
        .map(|s| serde_json::from_str(&s.inner_html()).unwrap())
        .collect();
    assert!(
        json.iter()
            .any(|v| v.to_string().contains("O'Reilly & Sons")),
        "{json:?}"
    );
}

/// The hostile description in the meta tags and the lead of its article.
fn assert_description_reads_as_typed(out: &Output) {
    let described = out
        .pages()
        .into_iter()
        .map(|(path, _)| path)
        .find(|p| p.starts_with("/sports/") && p.contains("وصف"))
        .expect("the article with a hostile description");
    let doc = out.page(&described);
    for selector in [
        "meta[name=description]",
        "meta[property='og:description']",
        "meta[name='twitter:description']",
    ] {
        assert_eq!(
            attr(one(&doc, selector), "content"),
            HOSTILE_DESCRIPTION,
            "{selector}"
        );
    }
    assert_eq!(text(one(&doc, ".lead")), HOSTILE_DESCRIPTION);
}

/// The author's name and role, and the plain page's title and description.
fn assert_author_and_page_read_as_typed(out: &Output) {
    let author = out.page("/authors/hostile-writer/");
    assert_eq!(
        text(one(&author, "h1")),
        "<script>alert(27)</script> \"writer\" & 'co'"
    );
    assert!(all_text_of(&author).contains("\"><img src=x onerror=alert(28)>"));
    let page = out.page("/hostile-page/");
    assert_eq!(text(one(&page, "h1")), "</title><script>alert(31)</script>");
    assert_eq!(
        attr(one(&page, "meta[name=description]"), "content"),
        "\"><script>alert(32)</script>"
    );
}

fn all_text_of(doc: &Html) -> String {
    doc.root_element().text().collect::<Vec<_>>().join(" ")
}

/// Elements a clean page's `<head>` has, so that an injected one would show up.
#[test]
fn hostile_strings_add_no_element_to_the_head() {
    let clean_ws = Workspace::fixture("minimal");
    let clean = clean_ws.build_ok(&[]);
    let (_ws, out) = hostile_build();
    let names = |doc: &Html| -> Vec<String> {
        let head = one(doc, "head");
        head.descendants()
            .filter_map(ElementRef::wrap)
            .map(|e| e.value().name().to_string())
            .filter(|n| n != "meta")
            .collect()
    };
    let clean_article = clean.page("/security/السيطرة-على-حريق-محدود-في-سوق-الخضار/");
    let hostile = out.page(&hostile_article_path(&out));
    assert_eq!(names(&hostile), names(&clean_article));
}
