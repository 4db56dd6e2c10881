//! UI strings: a label reworded by the site — under `strings:` in site.yaml or in the site's
//! own strings.yaml — shows on every page that prints it, whether a template or qissa itself
//! writes it (breadcrumbs, index titles, counts, the «اقرأ أيضًا» box, redirect pages); and a
//! label change rebuilt incrementally gives the bytes of a full build.

use serde_json::Value;

use crate::support::{Output, Workspace, attr, one, select, snapshot, text};

/// The reworded labels, as `key: text` lines (indent them for site.yaml's `strings:`).
const LABELS: &[(&str, &str)] = &[
    ("skip_link", "انتقل إلى الخبر"),
    ("tags_title", "الكلمات المفتاحية"),
    ("home", "البداية"),
    ("written_by", "من إعداد"),
    ("summary_heading", "باختصار"),
    ("share_label", "انشر الخبر"),
    ("more_from", "مزيد من أخبار"),
    ("latest_news", "الأحدث"),
    ("category_kicker", "باب"),
    ("tag_kicker", "كلمة"),
    ("author_articles", "كل ما كتب"),
    ("newest_title", "الأرشيف"),
    ("read_also", "طالع أيضًا"),
    ("not_found_title", "لم نجد الصفحة"),
    ("moved_notice", "نُقل الخبر إلى:"),
    ("articles_zero", "لا أخبار"),
    ("articles_one", "خبر واحد"),
    ("articles_two", "خبران"),
    ("articles_few", "{n} أخبار"),
    ("articles_many", "{n} خبرًا"),
    ("articles_other", "{n} خبر"),
    ("photo_credit", "عدسة:"),
    ("notice_correction", "تصويب"),
    ("embed_notice", "محتوى من {name} لا يُحمَّل إلا بضغطة منك."),
    ("platform_x", "تويتر"),
];

fn label(key: &str) -> &'static str {
    LABELS.iter().find(|(k, _)| *k == key).unwrap().1
}

/// [`LABELS`] as YAML lines, each indented by `indent`.
fn labels_yaml(indent: &str) -> String {
    LABELS
        .iter()
        .map(|(k, v)| format!("{indent}{k}: \"{v}\"\n"))
        .collect()
}

fn append(ws: &Workspace, rel: &str, text: &str) {
    let path = ws.site().join(rel);
    let mut old = std::fs::read_to_string(&path).unwrap();
    old.push_str(text);
    std::fs::write(path, old).unwrap();
}

/// The names of the BreadcrumbList in a page's JSON-LD.
fn breadcrumb_names(doc: &scraper::Html) -> Vec<String> {
    let scripts = select(doc, "script[type=\"application/ld+json\"]");
    let data: Value = serde_json::from_str(&text(scripts[0])).unwrap();
    let all = match data {
        Value::Array(items) => items,
        one => vec![one],
    };
    let trail = all
        .iter()
        .find(|d| d["@type"] == "BreadcrumbList")
        .expect("a BreadcrumbList");
    trail["itemListElement"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["name"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Every page of the demo site shows [`LABELS`] wherever it shows those labels.
fn assert_reworded(out: &Output) {
    let mut seen = std::collections::BTreeSet::new();
    for (path, doc) in out.pages() {
        if !select(&doc, "meta[http-equiv=\"refresh\"]").is_empty() {
            let moved = text(one(&doc, "body p"));
            assert!(moved.starts_with(label("moved_notice")), "{path}: {moved}");
            seen.insert("redirect");
            continue;
        }
        assert_eq!(text(one(&doc, ".skip-link")), label("skip_link"), "{path}");
        let footer = select(&doc, ".site-footer a");
        assert!(
            footer.iter().any(|a| text(*a) == label("tags_title")),
            "{path}: the footer's tags link"
        );
        let kind = page_kind(&path, &doc);
        seen.insert(kind);
        for (selector, what) in [
            ("aside.read-also", "read-also box"),
            (".credit-label", "photo credit in a body"),
            (".notice-correction", "correction notice"),
            (".embed-notice", "embed"),
        ] {
            if !select(&doc, selector).is_empty() {
                seen.insert(what);
            }
        }
        assert_kind(kind, &path, &doc);
    }
    for kind in [
        "article",
        "read-also box",
        "photo credit in a body",
        "correction notice",
        "embed",
        "home",
        "home-2",
        "category",
        "tag",
        "author",
        "tags",
        "categories",
        "404",
        "redirect",
    ] {
        assert!(seen.contains(kind), "no {kind} page was checked: {seen:?}");
    }
}

/// What kind of page `doc` at `path` is, from its address and markup.
fn page_kind(path: &str, doc: &scraper::Html) -> &'static str {
    let kicker = select(doc, ".kicker").first().map(|k| text(*k));
    match path {
        "/" => "home",
        "/page/2/" => "home-2",
        "/tags/" => "tags",
        "/categories/" => "categories",
        "/authors/" => "authors",
        "/404.html" => "404",
        _ if !select(doc, "article.article").is_empty() => "article",
        _ if !select(doc, ".author-profile").is_empty() => "author",
        _ if kicker.as_deref() == Some(label("category_kicker")) => "category",
        _ if kicker.as_deref() == Some(label("tag_kicker")) => "tag",
        _ => "other",
    }
}

/// The labels a page of `kind` shows.
fn assert_kind(kind: &str, path: &str, doc: &scraper::Html) {
    let h1 = || text(one(doc, "h1"));
    match kind {
        "article" => {
            for w in select(doc, ".written-by") {
                assert_eq!(text(w), label("written_by"), "{path}");
            }
            assert_eq!(text(one(doc, "#share-title")), label("share_label"));
            for s in select(doc, "#summary-title") {
                assert_eq!(text(s), label("summary_heading"), "{path}");
            }
            for m in select(doc, "#more-title") {
                assert!(text(m).starts_with(label("more_from")), "{path}");
            }
            for r in select(doc, "aside.read-also") {
                assert_eq!(attr(r, "aria-label"), label("read_also"), "{path}");
                let shown = text(one_in(r, ".read-also-label"));
                assert_eq!(shown, format!("{}:", label("read_also")), "{path}");
            }
            assert_eq!(breadcrumb_names(doc)[0], label("home"), "{path}");
            assert_body_labels(path, doc);
        }
        "home" => assert_eq!(text(one(doc, "#latest-title")), label("latest_news")),
        "home-2" => assert!(h1().starts_with(label("newest_title")), "{}", h1()),
        "tag" => assert_eq!(breadcrumb_names(doc)[1], label("tags_title"), "{path}"),
        "author" => {
            assert_eq!(text(one(doc, ".list-subtitle")), label("author_articles"));
            assert_reworded_count(&text(one(doc, ".count")));
        }
        "tags" => assert_eq!(h1(), label("tags_title")),
        "categories" => {
            for c in select(doc, ".terms .count") {
                assert_reworded_count(&text(c));
            }
        }
        "404" => assert_eq!(h1(), label("not_found_title")),
        _ => {}
    }
}

/// The words qissa writes inside a body: credits, notice headings, embed notices.
fn assert_body_labels(path: &str, doc: &scraper::Html) {
    for credit in select(doc, ".credit-label") {
        assert_eq!(text(credit), label("photo_credit"), "{path}");
    }
    for title in select(doc, ".notice-correction .notice-title") {
        assert_eq!(text(title), label("notice_correction"), "{path}");
    }
    for notice in select(doc, ".embed-notice") {
        let said = text(notice);
        assert!(
            said.starts_with("محتوى من ") && !said.contains("{name}"),
            "{path}: {said}"
        );
    }
}

/// A count of articles in the words of the `articles_*` labels of [`LABELS`].
fn assert_reworded_count(count: &str) {
    let words = ["لا أخبار", "خبر واحد", "خبران", "أخبار", "خبرًا", "خبر"];
    assert!(
        words.iter().any(|w| count.contains(w)) && !count.contains("مقال"),
        "{count}"
    );
}

#[test]
fn a_label_set_in_site_yaml_changes_on_every_page() {
    let ws = Workspace::demo();
    append(
        &ws,
        "site.yaml",
        &format!("strings:\n{}", labels_yaml("  ")),
    );
    // Links of the map form are named by the labels of their platforms.
    let author = ws.site().join("content/authors/laila-youssef.md");
    let profile_file = std::fs::read_to_string(&author).unwrap();
    let (front, rest) = profile_file.split_once("links:").unwrap();
    let body = rest.split_once("\n---").unwrap().1;
    let links = "links: { x: \"@laila\", email: laila@example.com }";
    std::fs::write(&author, format!("{front}{links}\n---{body}")).unwrap();
    let out = ws.build_ok(&[]);
    assert_reworded(&out);
    let profile = out.page("/authors/laila-youssef/");
    let names: Vec<String> = select(&profile, ".author-links a")
        .into_iter()
        .map(text)
        .collect();
    assert_eq!(names, [label("platform_x"), "البريد"]);
}

#[test]
fn the_sites_strings_yaml_rewords_too_and_site_yaml_wins_over_it() {
    let ws = Workspace::demo();
    ws.write("strings.yaml", &labels_yaml(""));
    append(&ws, "site.yaml", "strings:\n  latest_news: آخر ما نشر\n");
    let out = ws.build_ok(&[]);
    let home = out.page("/");
    assert_eq!(text(one(&home, "#latest-title")), "آخر ما نشر");
    assert_eq!(text(one(&home, ".skip-link")), label("skip_link"));
    ws.write("site.yaml", &site_yaml_without_strings(&ws));
    let out = ws.build_ok(&[]);
    assert_reworded(&out);
}

fn site_yaml_without_strings(ws: &Workspace) -> String {
    let text = std::fs::read_to_string(ws.site().join("site.yaml")).unwrap();
    text.split("strings:\n").next().unwrap().to_string()
}

/// A label changed in the site's strings.yaml (which is not part of the build's
/// generation, so the build cache stays valid) rebuilds every page that shows it.
#[test]
fn an_incremental_build_after_a_label_change_equals_a_full_build() {
    let ws = Workspace::demo();
    let now = ["--now", "2026-11-30T12:00:00Z"];
    ws.build_ok(&now);
    ws.write("strings.yaml", &labels_yaml(""));
    let incremental = ws.build_ok(&now);
    let full_dir = ws.path().join("full");
    let run = crate::support::run_build(&ws.site(), &full_dir, &["--full", now[0], now[1]]);
    run.expect_success();
    assert!(
        snapshot(&ws.output()) == snapshot(&full_dir),
        "the incremental build differs from a full build"
    );
    assert_reworded(&incremental);

    let theme = ws.site().join("themes/qissa/strings.yaml");
    let labels = std::fs::read_to_string(&theme).unwrap();
    let reworded = labels.replace("copy_link: نسخ الرابط", "copy_link: انسخ");
    std::fs::write(&theme, reworded).unwrap();
    let out = ws.build_ok(&now);
    let run = crate::support::run_build(&ws.site(), &full_dir, &["--full", now[0], now[1]]);
    run.expect_success();
    assert!(snapshot(&ws.output()) == snapshot(&full_dir));
    let copy_links: Vec<String> = out
        .pages()
        .iter()
        .flat_map(|(_, doc)| {
            select(doc, ".copy-link")
                .into_iter()
                .map(text)
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(!copy_links.is_empty());
    assert!(copy_links.iter().all(|t| t == "انسخ"), "{copy_links:?}");
}

fn one_in<'a>(el: scraper::ElementRef<'a>, selector: &str) -> scraper::ElementRef<'a> {
    crate::support::select_in(el, selector)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no {selector}"))
}
