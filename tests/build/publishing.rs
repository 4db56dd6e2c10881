//! What a news site publishes beside its pages: Atom feeds read back with a real feed parser,
//! sitemaps parsed as XML with every URL fetched from the built folder, the news sitemap at a
//! fixed build time, robots.txt, and the metadata in each article's head (Open Graph and
//! JSON-LD parsed as JSON).

use std::collections::HashSet;
use std::io::BufReader;
use std::path::Path;

use atom_syndication::Feed;

use crate::support::{Output, Workspace, attr, decode_href, file_for_path, one, select, text};

const BASE: &str = "https://example.com";
const NOW: &str = "2026-11-29T12:00:00+02:00";

fn demo_at(base_url: Option<&str>) -> (Workspace, Output) {
    let ws = Workspace::demo();
    let mut flags = vec!["--now", NOW];
    if let Some(url) = base_url {
        flags.extend(["--base-url", url]);
    }
    let out = ws.build_ok(&flags);
    (ws, out)
}

fn read_feed(out: &Output, rel: &str) -> Feed {
    let file = std::fs::File::open(out.root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    Feed::read_from(BufReader::new(file))
        .unwrap_or_else(|e| panic!("{rel} is not a valid Atom feed: {e}"))
}

/// The file an absolute URL of the site names, or a panic if it is not on the site.
fn file_of_url(url: &str, site: &str) -> std::path::PathBuf {
    let path = url
        .strip_prefix(site)
        .unwrap_or_else(|| panic!("{url} is not under {site}"));
    let path = decode_href(&format!("/{}", path.trim_start_matches('/')));
    file_for_path(&path)
}

#[test]
fn feeds_parse_and_carry_every_field_newest_first() {
    let (_ws, out) = demo_at(None);
    let feed = read_feed(&out, "atom.xml");
    assert_eq!(feed.lang.as_deref(), Some("ar-EG"));
    assert_eq!(feed.title.as_str(), "إيه القصه؟");
    let home_count = select(&out.page("/"), ".card").len();
    assert!(
        feed.entries.len() > home_count,
        "the site feed holds up to 20 articles"
    );
    let dates: Vec<_> = feed
        .entries
        .iter()
        .map(|e| *e.published.as_ref().unwrap())
        .collect();
    assert!(
        dates.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {dates:?}"
    );
    for entry in &feed.entries {
        let link = &entry.links[0].href;
        assert!(
            link.starts_with(BASE) && link.is_ascii(),
            "absolute, percent-encoded: {link}"
        );
        assert!(
            out.root.join(file_of_url(link, BASE)).is_file(),
            "{link} resolves"
        );
        assert_eq!(&entry.id, link);
        assert!(!entry.authors.is_empty() && !entry.categories.is_empty());
        let content = entry
            .content
            .as_ref()
            .and_then(|c| c.value.as_deref())
            .unwrap();
        assert!(
            content.starts_with("<div dir=\"rtl\">"),
            "content marked RTL"
        );
        assert!(
            !content.contains("href=\"/") && !content.contains("src=\"/"),
            "links made absolute"
        );
        // Offsets are kept: Cairo is +02:00 in November.
        assert_eq!(entry.published.unwrap().offset().local_minus_utc(), 7200);
    }
    let reference = feed
        .entries
        .iter()
        .find(|e| e.title.as_str().starts_with("السعودية وكازاخستان"))
        .expect("the reference article is in the site feed");
    let content = reference
        .content
        .as_ref()
        .unwrap()
        .value
        .as_deref()
        .unwrap();
    assert!(
        content.contains("<li>اجتماعات رفيعة المستوى لرسم خريطة أمنية مشتركة</li>"),
        "summary bullets"
    );
    assert!(
        content.contains("<table>"),
        "the full article, facts table included"
    );
    assert_eq!(reference.authors[0].name, "احمد رشوان");
    assert_eq!(reference.categories[0].label.as_deref(), Some("أمن"));
}

#[test]
fn every_category_tag_and_author_has_a_feed_linked_from_its_page() {
    let (_ws, out) = demo_at(None);
    for list in ["/security/", "/tags/السعودية/", "/authors/ahmed-rashwan/"] {
        let doc = out.page(list);
        let links: Vec<String> = select(&doc, "link[rel=alternate][type='application/atom+xml']")
            .into_iter()
            .map(|l| decode_href(attr(l, "href")))
            .collect();
        let own = format!("{list}atom.xml");
        assert!(
            links.contains(&"/atom.xml".to_string()) && links.contains(&own),
            "{list}: {links:?}"
        );
        let feed = read_feed(&out, own.trim_start_matches('/'));
        let on_page: HashSet<String> = select(&doc, ".card-title a")
            .iter()
            .map(|a| decode_href(attr(*a, "href")))
            .collect();
        let in_feed: HashSet<String> = feed
            .entries
            .iter()
            .map(|e| decode_href(e.links[0].href.strip_prefix(BASE).unwrap()))
            .collect();
        assert!(
            on_page.is_subset(&in_feed),
            "{list}: the feed holds the list's newest articles"
        );
    }
}

#[test]
fn sitemaps_list_every_page_and_robots_points_at_them() {
    let (_ws, out) = demo_at(None);
    let xml = std::fs::read_to_string(out.root.join("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("sitemap.xml is well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "urlset");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.sitemaps.org/schemas/sitemap/0.9")
    );
    let locs: Vec<&str> = root
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    let listed: HashSet<std::path::PathBuf> = locs.iter().map(|l| file_of_url(l, BASE)).collect();
    for loc in &locs {
        assert!(loc.is_ascii(), "percent-encoded: {loc}");
    }
    // Redirect pages at old addresses (`aliases:`) are not pages of their own.
    let (redirects, pages): (Vec<std::path::PathBuf>, Vec<std::path::PathBuf>) = out
        .html_files()
        .into_iter()
        // The search page shows nothing until a reader asks: not a page for the sitemap.
        .filter(|f| f != Path::new("404.html") && f != Path::new("search/index.html"))
        .partition(|f| !select(&out.parse(f), "meta[http-equiv=refresh]").is_empty());
    assert_eq!(
        redirects,
        [Path::new("2026/11/metro-east-stations/index.html")]
    );
    let pages: HashSet<std::path::PathBuf> = pages.into_iter().collect();
    assert_eq!(listed, pages, "the sitemap lists exactly the public pages");
    let reference = root
        .children()
        .filter(|n| n.has_tag_name("url"))
        .find(|u| {
            u.descendants().any(|n| {
                n.has_tag_name("loc") && n.text().unwrap_or("").contains("%D9%88%D9%83%D8%A7%D8%B2")
            })
        })
        .expect("the reference article");
    let lastmod = reference
        .descendants()
        .find(|n| n.has_tag_name("lastmod"))
        .and_then(|n| n.text());
    assert_eq!(lastmod, Some("2026-11-27T14:30:00+02:00"));

    let robots = std::fs::read_to_string(out.root.join("robots.txt")).unwrap();
    assert!(robots.contains(&format!("Sitemap: {BASE}/sitemap.xml")));
    assert!(robots.contains(&format!("Sitemap: {BASE}/news-sitemap.xml")));
}

#[test]
fn news_sitemap_holds_the_last_48_hours() {
    let (_ws, out) = demo_at(None);
    let xml = std::fs::read_to_string(out.root.join("news-sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("well-formed");
    let news_ns = "http://www.google.com/schemas/sitemap-news/0.9";
    let now: jiff::Timestamp = NOW.parse().unwrap();
    let dates: Vec<jiff::Timestamp> = doc
        .descendants()
        .filter(|n| {
            n.tag_name().name() == "publication_date" && n.tag_name().namespace() == Some(news_ns)
        })
        .map(|n| n.text().unwrap().parse().unwrap())
        .collect();
    assert!(
        !dates.is_empty(),
        "some demo articles are within 48 hours of {NOW}"
    );
    for date in &dates {
        let age = now.duration_since(*date);
        assert!(
            age >= jiff::SignedDuration::ZERO && age <= jiff::SignedDuration::from_hours(48),
            "{date}"
        );
    }
    // Every article page dated in the window is there.
    let home_dates: Vec<jiff::Timestamp> = out
        .pages()
        .iter()
        .filter(|(_, doc)| !select(doc, "article.article").is_empty())
        .map(|(_, doc)| {
            attr(select(doc, ".article-header time[datetime]")[0], "datetime")
                .parse()
                .unwrap()
        })
        .filter(|d: &jiff::Timestamp| {
            now.duration_since(*d) <= jiff::SignedDuration::from_hours(48)
        })
        .collect();
    assert_eq!(dates.len(), home_dates.len());
    assert!(
        doc.descendants()
            .any(|n| n.tag_name().name() == "title" && n.tag_name().namespace() == Some(news_ns))
    );
}

#[test]
fn articles_carry_open_graph_and_news_article_data() {
    let (_ws, out) = demo_at(None);
    let doc = out.page("/security/السعودية-وكازاخستان-تعقدان-تحالفا-أمنيا/");
    let meta = |property: &str| -> String {
        let found = select(&doc, &format!("meta[property='{property}']"));
        assert_eq!(found.len(), 1, "{property}");
        attr(found[0], "content").to_string()
    };
    assert_eq!(meta("og:type"), "article");
    assert_eq!(meta("og:locale"), "ar_EG");
    assert_eq!(meta("article:published_time"), "2026-11-27T14:30:00+02:00");
    assert_eq!(meta("article:section"), "أمن");
    assert!(meta("og:title").starts_with("السعودية وكازاخستان"));
    let canonical = attr(one(&doc, "link[rel=canonical]"), "href");
    assert_eq!(meta("og:url"), canonical);
    assert_eq!(select(&doc, "meta[property='article:tag']").len(), 4);
    assert!(!select(&doc, "meta[name='twitter:card']").is_empty());

    let data: serde_json::Value =
        serde_json::from_str(&text(one(&doc, "script[type='application/ld+json']"))).unwrap();
    let article = data
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["@type"] == "NewsArticle")
        .expect("NewsArticle");
    assert_eq!(
        article["headline"],
        "السعودية وكازاخستان تعقدان تحالفًا أمنيًا لمكافحة المخدرات والجريمة المشتركة"
    );
    assert_eq!(article["datePublished"], "2026-11-27T14:30:00+02:00");
    assert_eq!(article["dateModified"], "2026-11-27T14:30:00+02:00");
    assert_eq!(article["author"][0]["@type"], "Person");
    assert_eq!(article["author"][0]["name"], "احمد رشوان");
    let author_url = article["author"][0]["url"].as_str().unwrap();
    assert!(
        out.root.join(file_of_url(author_url, BASE)).is_file(),
        "the author URL is the author page"
    );
    assert_eq!(article["publisher"]["@type"], "Organization");
    let logo = article["publisher"]["logo"]["url"].as_str().unwrap();
    assert!(
        logo.starts_with(&format!("{BASE}/photos/")),
        "the logo is published through the photo engine: {logo}"
    );
    assert!(out.root.join(file_of_url(logo, BASE)).is_file());
    assert_eq!(article["articleSection"], "أمن");
    assert_eq!(article["inLanguage"], "ar-EG");
    assert_eq!(article["keywords"].as_array().unwrap().len(), 4);
    assert!(
        data.as_array()
            .unwrap()
            .iter()
            .any(|v| v["@type"] == "BreadcrumbList")
    );

    // An article with an image names it, with its size known to the page.
    let metro = out
        .pages()
        .into_iter()
        .find(|(_, d)| !select(d, ".article-image img").is_empty())
        .expect("the demo has an article with an image");
    let image = attr(one(&metro.1, "meta[property='og:image']"), "content").to_string();
    assert!(image.starts_with(&format!("{BASE}/photos/")), "{image}");
    assert!(out.root.join(file_of_url(&image, BASE)).is_file());
}

#[test]
fn author_and_list_pages_carry_their_structured_data() {
    let (_ws, out) = demo_at(None);
    let author = out.page("/authors/ahmed-rashwan/");
    let data: serde_json::Value =
        serde_json::from_str(&text(one(&author, "script[type='application/ld+json']"))).unwrap();
    let profile = data
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["@type"] == "ProfilePage")
        .expect("ProfilePage");
    assert_eq!(profile["mainEntity"]["name"], "احمد رشوان");
    let tag = out.page("/tags/السعودية/");
    let data: serde_json::Value =
        serde_json::from_str(&text(one(&tag, "script[type='application/ld+json']"))).unwrap();
    let crumbs = &data.as_array().unwrap()[0];
    assert_eq!(crumbs["@type"], "BreadcrumbList");
    assert_eq!(crumbs["itemListElement"].as_array().unwrap().len(), 3);
}

#[test]
fn under_a_sub_path_every_published_url_resolves() {
    let site = "https://user.github.io/news";
    let (_ws, out) = demo_at(Some("https://user.github.io/news/"));
    let feed = read_feed(&out, "atom.xml");
    for entry in &feed.entries {
        assert!(
            out.root
                .join(file_of_url(&entry.links[0].href, site))
                .is_file()
        );
    }
    let xml = std::fs::read_to_string(out.root.join("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    for loc in doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
    {
        assert!(out.root.join(file_of_url(loc, site)).is_file(), "{loc}");
    }
    let robots = std::fs::read_to_string(out.root.join("robots.txt")).unwrap();
    assert!(robots.contains("Sitemap: https://user.github.io/news/sitemap.xml"));
}

#[test]
fn hostile_titles_cannot_break_out_of_json_or_attributes() {
    let ws = Workspace::demo();
    let article = "content/articles/2026/saudi-kazakhstan-security.md";
    let path = ws.site().join(article);
    let source = std::fs::read_to_string(&path).unwrap();
    let title_line = source
        .lines()
        .find(|l| l.starts_with("title:"))
        .unwrap()
        .to_string();
    let hostile = "title: \"</script><script>alert(1)</script> <!-- \\\" ' & x\"";
    std::fs::write(&path, source.replacen(&title_line, hostile, 1)).unwrap();
    let out = ws.build_ok(&["--now", NOW]);
    let doc = out
        .page_whose_h1(|h1| h1.starts_with("</script>"))
        .expect("the retitled article");
    let scripts = select(&doc, "script");
    assert!(
        scripts.iter().all(|s| !text(*s).contains("alert(1)")
            || s.value().attr("type") == Some("application/ld+json"))
    );
    let data: serde_json::Value =
        serde_json::from_str(&text(one(&doc, "script[type='application/ld+json']"))).unwrap();
    assert_eq!(
        data[0]["headline"],
        "</script><script>alert(1)</script> <!-- \" ' & x"
    );
    assert_eq!(
        attr(one(&doc, "meta[property='og:title']"), "content"),
        "</script><script>alert(1)</script> <!-- \" ' & x"
    );
}
