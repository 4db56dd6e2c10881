//! The demo site's reference article (the page the product was specified from) carries every
//! element of that page: skip link, site title and section navigation, headline, Arabic date,
//! text-size buttons, lead, subheadings, the summary box with the seed's five bullets, the
//! facts table, share links, the author box with the seed's bio, tags and more articles.

use scraper::Html;

use crate::model::article_info;
use crate::support::{
    Output, Workspace, attr, decode_href, hrefs, instant, one, select, select_in, text,
};

const TITLE: &str = "السعودية وكازاخستان تعقدان تحالفًا أمنيًا لمكافحة المخدرات والجريمة المشتركة";

const SUMMARY: [&str; 5] = [
    "اجتماعات رفيعة المستوى لرسم خريطة أمنية مشتركة",
    "استغلال الموقع الاستراتيجي لكازاخستان في الربط بين آسيا وأوروبا",
    "برامج تدريبية مشتركة وتقنيات أمنية متطورة",
    "فرص استثمارية متقدمة في مجال الأمن والتقنيات",
    "إمكانات لتوسيع التحالف ليشمل دول آسيا الوسطى",
];

const BIO: &str = "كاتب صحفي رياضي يقدّم تغطية سريعة للمباريات والأحداث الرياضية، بأسلوب بسيط يوصّل المعلومة للجمهور بشكل جذاب ومباشر.";

const AUTHOR_NAME: &str = "احمد رشوان";
const AUTHOR_PAGE: &str = "/authors/ahmed-rashwan/";

/// The tags of the reference article, in its front-matter order.
const TAGS: [&str; 4] = ["السعودية", "كازاخستان", "مكافحة المخدرات", "آسيا الوسطى"];

/// The first element a keyboard user reaches with Tab.
const FOCUSABLE: &str =
    "a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex=\"-1\"])";

fn is_arabic(s: &str) -> bool {
    s.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
}

/// Builds the demo and returns the output with the reference article's path and page.
fn reference_article() -> (Workspace, Output, String, Html) {
    let ws = Workspace::demo();
    let out = ws.build_ok(&[]);
    let mut found: Vec<(String, Html)> = out
        .pages()
        .into_iter()
        .filter(|(_, doc)| select(doc, "h1").iter().any(|h1| text(*h1) == TITLE))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "exactly one page must have the reference article's h1"
    );
    let (path, doc) = found.pop().unwrap();
    (ws, out, path, doc)
}

#[test]
fn reference_article_page_has_every_element_of_the_reference() {
    let (_ws, out, path, doc) = reference_article();

    let html = one(&doc, "html");
    assert_eq!(html.value().attr("lang"), Some("ar-EG"));
    assert_eq!(html.value().attr("dir"), Some("rtl"));

    // Skip link first in tab order, to <main id="main">.
    let first = select(&doc, FOCUSABLE)[0];
    assert!(
        first
            .value()
            .has_class("skip-link", scraper::CaseSensitivity::CaseSensitive),
        "first focusable: {}",
        first.html()
    );
    assert_eq!(attr(first, "href"), "#main");
    assert!(is_arabic(&text(first)), "skip link text should be Arabic");
    one(&doc, "main#main");

    // Site title and section navigation.
    assert_eq!(attr(one(&doc, "a.site-title"), "href"), "/");
    let nav = hrefs(&select(&doc, "nav.site-nav a"));
    assert!(
        nav.contains(&"/security/".to_string()),
        "site nav lacks the article's category: {nav:?}"
    );

    // Headline, category, date in Arabic with the month name.
    assert_eq!(text(one(&doc, "main h1")), TITLE);
    let info = article_info(path.clone(), &doc);
    assert_eq!(info.category, "/security/");
    assert_eq!(
        info.date,
        instant("2026-11-27T14:30:00+02:00"),
        "date read in Africa/Cairo"
    );
    let date = text(select(&doc, "main time[datetime]")[0]);
    assert!(
        date.contains("27") && date.contains("نوفمبر") && date.contains("2026"),
        "visible date {date:?}"
    );

    // Text-size control: two real buttons with Arabic labels.
    let buttons = select(&doc, ".text-size button");
    assert_eq!(buttons.len(), 2);
    for button in &buttons {
        assert_eq!(button.value().attr("type"), Some("button"));
        assert!(
            is_arabic(attr(*button, "aria-label")),
            "aria-label of {}",
            button.html()
        );
    }

    // Lead, subheadings with unique Arabic ids.
    assert!(
        text(one(&doc, ".lead")).starts_with("التحالف الأمني الاستراتيجي بين السعودية وكازاخستان")
    );
    let h2s = select(&doc, ".prose h2[id]");
    assert_eq!(h2s.len(), 3, "the article's three subheadings");
    let h2_ids: Vec<&str> = h2s.iter().map(|h| attr(*h, "id")).collect();
    assert!(
        h2_ids.iter().all(|id| is_arabic(id)),
        "heading ids keep Arabic: {h2_ids:?}"
    );
    let mut unique = h2_ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), h2_ids.len(), "heading ids must be unique");

    // Summary box: the seed's five bullets.
    let bullets: Vec<String> = select(&doc, "aside.summary li")
        .into_iter()
        .map(text)
        .collect();
    assert_eq!(bullets, SUMMARY);

    // Facts table: header البند / التفصيل and three rows.
    let table = one(&doc, ".prose table");
    let header: Vec<String> = select_in(table, "thead th").into_iter().map(text).collect();
    assert_eq!(header, ["البند", "التفصيل"]);
    let rows = select_in(table, "tbody tr");
    assert_eq!(rows.len(), 3);
    assert!(
        rows.iter().all(|r| select_in(*r, "td").len() == 2),
        "every row has two cells"
    );
    assert_eq!(text(select_in(rows[0], "td")[0]), "عدد المسؤولين الأمنيين");

    check_share_links(&doc);

    // Author box.
    let author_box = one(&doc, "section.author-box");
    assert_eq!(text(select_in(author_box, ".written-by")[0]), "كتبها");
    let name = select_in(author_box, ".author-name a");
    assert_eq!(name.len(), 1);
    assert_eq!(text(name[0]), AUTHOR_NAME);
    assert_eq!(decode_href(attr(name[0], "href")), AUTHOR_PAGE);
    assert_eq!(text(select_in(author_box, ".bio")[0]), BIO);
    let all = select_in(author_box, "a.all-articles");
    assert_eq!(all.len(), 1);
    assert_eq!(text(all[0]), "عرض جميع المقالات");
    assert_eq!(decode_href(attr(all[0], "href")), AUTHOR_PAGE);
    assert!(out.has_page(AUTHOR_PAGE), "the author page exists");

    // Tags, linking to their tag pages.
    let tags = select(&doc, "nav.tags a[rel=tag]");
    let tag_names: Vec<String> = tags.iter().map(|a| text(*a)).collect();
    assert_eq!(tag_names, TAGS);
    for (tag, href) in TAGS.iter().zip(hrefs(&tags)) {
        assert_eq!(href, format!("/tags/{}/", tag.replace(' ', "-")));
        assert!(out.has_page(&href), "tag page {href} exists");
    }

    // More from the same category, never the article itself.
    let more = select(&doc, "section.more .card");
    assert!(!more.is_empty(), "no more articles");
    for card in more {
        let link = decode_href(attr(select_in(card, ".card-title a")[0], "href"));
        assert_ne!(link, path, "the article recommends itself");
        let target = article_info(link.clone(), &out.page(&link));
        assert_eq!(
            target.category, "/security/",
            "{link} is not from the same category"
        );
    }
}

/// Share links: WhatsApp, Telegram, X, Facebook as plain URLs, and a copy link to the page.
fn check_share_links(doc: &Html) {
    let links: Vec<&str> = select(doc, "section.share a")
        .into_iter()
        .map(|a| attr(a, "href"))
        .collect();
    for host in ["https://wa.me/", "https://t.me/", "https://x.com/"] {
        assert!(
            links.iter().any(|l| l.starts_with(host)),
            "no share link to {host}: {links:?}"
        );
    }
    assert!(
        links
            .iter()
            .any(|l| l.starts_with("https://www.facebook.com/")
                || l.starts_with("https://facebook.com/")),
        "no Facebook share link: {links:?}"
    );
    let canonical = attr(one(doc, "link[rel=canonical]"), "href");
    assert_eq!(
        attr(one(doc, "section.share a.copy-link"), "href"),
        canonical,
        "copy link is the page's URL"
    );
    for script in select(doc, "script[src]") {
        let src = attr(script, "src");
        assert!(
            src.starts_with('/') && !src.starts_with("//"),
            "third-party script {src}"
        );
    }
}
