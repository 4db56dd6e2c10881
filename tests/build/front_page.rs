//! The front page: the lead story (the newest featured article, else the newest), the
//! stories beside it, «آخر الأخبار», a band per section with its link, the editor's
//! «الأكثر قراءة» list from `site.yaml`; pages 2 and after stay a plain list; and the «عاجل»
//! bar on every page while a breaking story is younger than `breaking_hours`.

use crate::support::{Output, Workspace, attr, one, select, select_in, snapshot, text};

/// A site of twelve articles, one a day in March 2026 (`n01` oldest … `n12` newest),
/// alternating between the two sections, with `extra` front matter for some of them.
fn newsroom(extra: &[(usize, &str)], site_yaml_extra: &str) -> Workspace {
    let ws = Workspace::fixture("minimal");
    std::fs::remove_dir_all(ws.site().join("content/articles")).unwrap();
    for n in 1..=12 {
        let (category, author) = if n % 2 == 0 {
            ("security", "sara-ali")
        } else {
            ("sports", "karim-nabil")
        };
        let more: String = extra
            .iter()
            .filter(|(i, _)| *i == n)
            .map(|(_, line)| format!("{line}\n"))
            .collect();
        ws.write(
            &format!("content/articles/n{n:02}.md"),
            &format!(
                "---\ntitle: خبر رقم {n}\ndate: 2026-03-{n:02} 10:00\nauthor: {author}\ncategory: {category}\nslug: n{n:02}\n{more}---\n\nنص الخبر رقم {n}.\n"
            ),
        );
    }
    let yaml = std::fs::read_to_string(ws.site().join("site.yaml")).unwrap();
    ws.write("site.yaml", &format!("{yaml}{site_yaml_extra}"));
    ws
}

/// The titles inside `selector` of the home page, in order.
fn titles(out: &Output, selector: &str) -> Vec<String> {
    let home = out.page("/");
    select(&home, selector)
        .into_iter()
        .map(|story| {
            let title = select_in(story, ".story-title, a")
                .into_iter()
                .next()
                .unwrap();
            text(title)
        })
        .collect()
}

const NOW: &[&str] = &["--now", "2026-03-20T00:00:00Z"];

#[test]
fn the_newest_featured_article_leads_and_the_rest_follow_newest_first() {
    let ws = newsroom(&[(4, "featured: true"), (7, "featured: true")], "");
    let out = ws.build_ok(NOW);
    assert_eq!(titles(&out, ".story-lead"), ["خبر رقم 7"]);
    assert_eq!(
        titles(&out, ".story-secondary"),
        ["خبر رقم 12", "خبر رقم 11", "خبر رقم 10"],
        "three beside the lead by default, the lead not repeated"
    );
    let latest = titles(&out, ".front-latest li");
    assert_eq!(latest.len(), 6);
    assert_eq!(latest[0], "خبر رقم 9");
    assert!(!latest.contains(&"خبر رقم 7".to_string()));
    let home = out.page("/");
    let lead_image = select(&home, ".story-lead img");
    assert!(lead_image.is_empty(), "no photo in this site");
    assert_eq!(one(&home, "h1").value().attr("class"), Some("sr-only"));
}

#[test]
fn each_section_gets_a_band_linking_to_it_without_repeating_stories_above() {
    let ws = newsroom(&[], "front_page:\n  secondary: 2\n  latest: 2\n  band: 3\n");
    let out = ws.build_ok(NOW);
    let home = out.page("/");
    let bands = select(&home, ".band");
    assert_eq!(bands.len(), 2, "one band per section with stories");
    let shown_above: Vec<String> = [".story-lead", ".story-secondary", ".front-latest li"]
        .iter()
        .flat_map(|s| titles(&out, s))
        .collect();
    assert_eq!(shown_above.len(), 5);
    for band in bands {
        let link = one_in(band, ".band-title a");
        let href = attr(link, "href");
        assert!(href == "/security/" || href == "/sports/", "{href}");
        assert_eq!(attr(one_in(band, ".band-more a"), "href"), href);
        let stories: Vec<String> = select_in(band, ".story-title")
            .into_iter()
            .map(text)
            .collect();
        assert_eq!(stories.len(), 3);
        assert!(
            stories.iter().all(|s| !shown_above.contains(s)),
            "{stories:?}"
        );
    }
}

fn one_in<'a>(el: scraper::ElementRef<'a>, selector: &str) -> scraper::ElementRef<'a> {
    let found = select_in(el, selector);
    assert_eq!(found.len(), 1, "{selector}");
    found[0]
}

#[test]
fn a_lapsed_feature_no_longer_leads() {
    let ws = newsroom(&[(3, "featured: true\nfeatured_until: 2026-03-10")], "");
    assert_eq!(
        titles(
            &ws.build_ok(&["--now", "2026-03-09T00:00:00Z"]),
            ".story-lead"
        ),
        ["خبر رقم 3"]
    );
    assert_eq!(titles(&ws.build_ok(NOW), ".story-lead"), ["خبر رقم 12"]);
}

#[test]
fn the_editors_most_read_list_comes_from_site_yaml_in_its_order() {
    let yaml = "front_page:\n  most_read_title: الأكثر مشاهدة\n  most_read:\n    - content/articles/n02.md\n    - content/articles/n09.md\n";
    let ws = newsroom(&[], yaml);
    let out = ws.build_ok(NOW);
    let home = out.page("/");
    assert_eq!(text(one(&home, "#most-read-title")), "الأكثر مشاهدة");
    assert_eq!(
        titles(&out, ".front-most-read li"),
        ["خبر رقم 2", "خبر رقم 9"]
    );
}

#[test]
fn pages_after_the_first_stay_a_plain_list() {
    let ws = newsroom(&[], "");
    let out = ws.build_ok(NOW);
    let second = out.page("/page/2/");
    assert!(select(&second, ".story, .band").is_empty());
    assert_eq!(select(&second, ".card").len(), 5);
    let home = out.page("/");
    assert_eq!(
        attr(one(&home, ".pagination a[rel=next]"), "href"),
        "/page/2/"
    );
}

#[test]
fn a_breaking_story_shows_its_bar_on_every_page_while_it_is_new() {
    let ws = newsroom(&[(12, "breaking: true")], "breaking_hours: 3\n");
    // Two hours after 10:00 Cairo time (08:00 UTC) on 12 March.
    let out = ws.build_ok(&["--now", "2026-03-12T10:00:00Z"]);
    for (path, page) in out.pages() {
        let bar = select(&page, ".breaking a");
        assert_eq!(bar.len(), 1, "{path}");
        assert_eq!(attr(bar[0], "href"), "/security/n12/", "{path}");
    }
    let later = ws.build_ok(&["--now", "2026-03-12T12:00:00Z"]);
    assert!(
        later
            .pages()
            .iter()
            .all(|(_, p)| select(p, ".breaking").is_empty())
    );
}

#[test]
fn a_most_read_entry_that_names_no_article_is_an_error_at_its_line() {
    let ws = newsroom(&[], "");
    ws.build_ok(NOW);
    let before = snapshot(&ws.output());
    let yaml = std::fs::read_to_string(ws.site().join("site.yaml")).unwrap();
    let listed = "front_page:\n  most_read: [content/articles/missing.md]\n";
    ws.write("site.yaml", &format!("{yaml}{listed}"));
    let run = ws.build(NOW);
    assert!(!run.success);
    let line = std::fs::read_to_string(ws.site().join("site.yaml"))
        .unwrap()
        .lines()
        .position(|l| l.starts_with("front_page:"))
        .unwrap()
        + 1;
    assert!(
        run.stderr.contains(&format!("site.yaml:{line}")) && run.stderr.contains("missing.md"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(&ws.output()), before, "public/ untouched");
}

#[test]
fn a_front_page_shape_out_of_range_is_an_error() {
    let ws = newsroom(&[], "front_page:\n  secondary: 7\n  band: 0\n");
    let run = ws.build(NOW);
    assert!(!run.success);
    assert!(
        run.stderr.contains("front_page.secondary"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("front_page.band"), "{}", run.stderr);
}

#[test]
fn featuring_an_article_changes_the_front_page_on_an_incremental_build() {
    let ws = newsroom(&[], "");
    ws.build_ok(NOW);
    let source = ws.site().join("content/articles/n05.md");
    let text_of = std::fs::read_to_string(&source).unwrap();
    std::fs::write(
        &source,
        text_of.replacen("---\n", "---\nfeatured: true\n", 1),
    )
    .unwrap();
    let incremental = ws.build_ok(NOW);
    assert_eq!(titles(&incremental, ".story-lead"), ["خبر رقم 5"]);
    let full = ws.build_ok(&["--now", "2026-03-20T00:00:00Z", "--full"]);
    assert_eq!(titles(&full, ".story-lead"), ["خبر رقم 5"]);
}

#[test]
fn the_demo_opens_with_its_featured_story_photo_first_then_secondary_stories_and_bands() {
    let ws = Workspace::demo();
    let out = ws.build_ok(&["--now", "2026-12-01T00:00:00Z"]);
    let home = out.page("/");
    let lead = one(&home, ".story-lead");
    let photo = select_in(lead, "img");
    assert_eq!(photo.len(), 1, "the lead story shows its photo");
    assert_eq!(attr(photo[0], "fetchpriority"), "high");
    assert!(
        text(lead).contains("مترو القاهرة"),
        "the featured demo story leads"
    );
    assert!((2..=4).contains(&select(&home, ".story-secondary").len()));
    assert!(select(&home, ".band").len() >= 3);
    assert_eq!(select(&home, ".front-most-read li").len(), 3);
}
