//! The front matter a writer may use, on the `features` fixture (a site that is not the demo):
//! `category:` by its Arabic name, `authors: [a, b]`, the three date forms (date only, date and
//! time in the site's time zone, RFC 3339 with its own offset), `description:` as the lead and
//! meta description, and a plain page `content/pages/about.md` served at `/about/`.

use scraper::Html;

use crate::model::{ArticleInfo, articles, checked_list, is_article};
use crate::support::{Output, Workspace, attr, instant, one, select, text};

fn built() -> (Workspace, Output, Vec<ArticleInfo>) {
    let ws = Workspace::fixture("features");
    let out = ws.build_ok(&[]);
    let articles = articles(&out);
    assert_eq!(articles.len(), 4, "the fixture has four articles");
    (ws, out, articles)
}

fn by_title<'a>(articles: &'a [ArticleInfo], title: &str) -> &'a ArticleInfo {
    articles
        .iter()
        .find(|a| a.title == title)
        .unwrap_or_else(|| panic!("no article page titled {title}"))
}

#[test]
fn front_matter_forms_all_render() {
    let (_ws, out, articles) = built();

    // `category: رياضة` is the category whose slug is `sports`; `authors:` lists two.
    let derby = by_title(&articles, "كل ما تريد معرفته قبل ديربي الأحد");
    assert_eq!(derby.category, "/sports/");
    assert!(
        derby.path.starts_with("/sports/"),
        "URL {} follows /:category/:slug/",
        derby.path
    );
    assert_eq!(
        derby.authors,
        ["/authors/sara-ali/", "/authors/karim-nabil/"]
    );
    for author in &derby.authors {
        let listed = checked_list(&out, author, 10);
        assert!(
            listed.iter().any(|c| c.path == derby.path),
            "{author} does not list the co-written article"
        );
    }

    // `description:` is the lead and the meta description, instead of the first paragraph.
    let description = "دليل سريع لموعد المباراة والتشكيل المتوقع وأسعار التذاكر.";
    let doc: Html = out.page(&derby.path);
    assert_eq!(text(one(&doc, ".lead")), description);
    assert_eq!(
        attr(one(&doc, "meta[name=description]"), "content"),
        description
    );

    // Dates: date only is midnight in the site's zone, date + time is in the site's zone,
    // RFC 3339 keeps its own offset. Africa/Cairo is UTC+2 in January.
    let dates = [
        ("كل ما تريد معرفته قبل ديربي الأحد", "2026-01-04T22:00:00Z"),
        (
            "ضبط عصابة سرقة الهواتف في محطة القطار",
            "2026-01-10T12:30:00Z",
        ),
        (
            "معرض الكتاب يفتح أبوابه بمشاركة 40 دار نشر",
            "2026-01-20T05:15:00Z",
        ),
    ];
    for (title, utc) in dates {
        let article = by_title(&articles, title);
        assert_eq!(article.date, instant(utc), "{title}: wrong instant");
        let shown = text(select(&out.page(&article.path), "main time[datetime]")[0]);
        assert!(
            shown.contains("يناير"),
            "{title}: the date {shown:?} lacks the Arabic month name"
        );
    }
}

#[test]
fn plain_page_is_served_at_its_slug() {
    let (_ws, out, _) = built();
    assert!(
        out.root.join("about/index.html").is_file(),
        "content/pages/about.md → about/index.html"
    );
    let about = out.page("/about/");
    assert_eq!(text(one(&about, "main h1")), "من نحن");
    assert!(!is_article(&about), "a plain page is not an article");
    let home = checked_list(&out, "/", 10);
    assert!(
        home.iter().all(|c| c.path != "/about/"),
        "a plain page is not listed with the articles"
    );
}

#[test]
fn a_description_never_hides_the_first_paragraph() {
    // The demo's citrus article has a `description:` (shown as the lead) and a body whose
    // first paragraph must still be on the page, at the top of the article text.
    let ws = Workspace::demo();
    let out = ws.build_ok(&[]);
    let doc = out
        .page_whose_h1(|h1| h1.contains("الموالح"))
        .expect("the citrus article");
    let source = std::fs::read_to_string(
        ws.site()
            .join("content/articles/2026/citrus-exports-gulf.md"),
    )
    .unwrap();
    let body = source.splitn(3, "---\n").nth(2).unwrap();
    let first_paragraph = body.trim_start().lines().next().unwrap().trim();
    let prose = text(one(&doc, ".prose"));
    assert!(
        prose.trim_start().starts_with(first_paragraph),
        "the body's first paragraph opens the article text"
    );
}
