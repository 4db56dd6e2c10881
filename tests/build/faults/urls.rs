//! URLs: two sources that map to one URL (titles, slugs, pages, categories, list pages,
//! NFC and NFD spellings, tashkeel and tatweel) name both files, and slugs that would leave
//! their URL segment are rejected before anything is written.

use std::path::{Path, PathBuf};

use crate::support::{Workspace, fixture_dir, snapshot};

use super::harness::{Case, F, FRONT, article, expect, loc};

fn titled(title: &str) -> String {
    article(&FRONT.replace("خبر للاختبار", title), "نص.\n")
}

/// The `minimal` site with `permalink: /:slug/`, built: its articles then share the root
/// folder with the list pages and the plain pages.
fn with_slug_permalinks() -> Case {
    let config = std::fs::read_to_string(fixture_dir("minimal").join("site.yaml")).unwrap();
    Case::from(Workspace::minimal_with(
        "site.yaml",
        &format!("{config}permalink: /:slug/\n"),
    ))
}

/// Writes each `(file, text)`, expects a failure naming every file.
fn assert_url_clash(case: &Case, files: &[(&str, String)], needles: &[&str]) -> String {
    for (file, text) in files {
        case.write(file, text);
    }
    let stderr = case.fails();
    for (file, _) in files {
        expect(&stderr, &[file]);
    }
    expect(&stderr, needles);
    stderr
}

#[test]
fn two_articles_with_one_title_name_both_files() {
    let a = titled("انقطاع الكهرباء عن وسط المدينة");
    let stderr = assert_url_clash(
        &Case::new(),
        &[
            ("content/articles/a.md", a.clone()),
            ("content/articles/b.md", a.clone()),
        ],
        &["/security/انقطاع-الكهرباء-عن-وسط-المدينة/", "slug:"],
    );
    expect(&stderr, &[&loc("content/articles/b.md", &a, "title:")]);
}

/// Newsrooms repeat headlines year after year, and titles arrive with stray spaces: the
/// trimmed titles clash, and both files are named, one of them with its title's line.
#[test]
fn a_headline_repeated_a_year_later_with_stray_spaces_names_both_files() {
    let files = [
        (
            "content/articles/eid-2025.md",
            article(
                "title: صح عيدكم\ndate: 2025-03-30 08:00\nauthor: karim-nabil\ncategory: sports\n",
                "\nتهنئة أسرة التحرير بعيد الفطر، مع جدول مباريات أيام العيد.\n",
            ),
        ),
        (
            "content/articles/eid-2026.md",
            article(
                "title: \"  صح عيدكم \"\ndate: 2026-03-20 08:00\nauthor: karim-nabil\ncategory: sports\n",
                "\nتهنئة أسرة التحرير بعيد الفطر هذا العام، مع مواعيد المباريات.\n",
            ),
        ),
    ];
    let stderr = assert_url_clash(&Case::new(), &files, &["slug"]);
    let locations: Vec<String> = files
        .iter()
        .map(|(file, text)| loc(file, text, "title:"))
        .collect();
    assert!(
        locations.iter().any(|l| stderr.contains(l)),
        "stderr must name {}:\n{stderr}",
        locations.join(" or ")
    );
}

#[test]
fn slug_equal_to_a_generated_list_page_is_an_error() {
    let case = with_slug_permalinks();
    for slug in ["tags", "security", "authors"] {
        let text = article(&format!("{FRONT}slug: {slug}\n"), "نص.\n");
        let stderr = assert_url_clash(&case, &[(F, text.clone())], &[&format!("/{slug}/")]);
        expect(&stderr, &[&loc(F, &text, "slug:"), "`slug`"]);
    }
}

#[test]
fn page_named_like_a_category_is_an_error() {
    assert_url_clash(
        &Case::new(),
        &[(
            "content/pages/security.md",
            "---\ntitle: عن الأمن\n---\nنص.\n".into(),
        )],
        &["/security/", "slug"],
    );
}

#[test]
fn article_slug_equal_to_a_page_names_both_files() {
    assert_url_clash(
        &with_slug_permalinks(),
        &[
            (
                "content/pages/about.md",
                "---\ntitle: من نحن\n---\nنص.\n".into(),
            ),
            (F, article(&format!("{FRONT}slug: about\n"), "نص.\n")),
        ],
        &["/about/"],
    );
}

#[test]
fn nfc_and_nfd_spellings_of_one_title_clash() {
    use unicode_normalization::UnicodeNormalization;
    let nfc = "آخر أخبار الإسكندرية";
    let nfd: String = nfc.nfd().collect();
    assert_ne!(nfc, nfd);
    assert_url_clash(
        &Case::new(),
        &[
            ("content/articles/a.md", titled(nfc)),
            ("content/articles/b.md", titled(&nfd)),
        ],
        &["/security/آخر-أخبار-الإسكندرية/"],
    );
}

#[test]
fn titles_differing_only_by_tashkeel_or_tatweel_clash() {
    assert_url_clash(
        &Case::new(),
        &[
            ("content/articles/a.md", titled("افتتاح المعرض الدولي")),
            ("content/articles/b.md", titled("اِفْتِتَاحُ المَعْرِضِ الدَّوْلِيِّ")),
            ("content/articles/c.md", titled("افتتـــاح المعـرض الدولـي")),
        ],
        &["/security/افتتاح-المعرض-الدولي/"],
    );
}

#[test]
fn slugs_that_leave_the_url_segment_are_rejected_and_nothing_is_written_outside() {
    let escape = format!("qissa-fault-escape-{}", std::process::id());
    // With /:slug/ a `../..` slug would climb from the output folder straight out of the
    // temporary folder.
    let case = with_slug_permalinks();
    let outside = case.ws.path().parent().unwrap().join(&escape);
    let slugs = [
        format!("../../{escape}"),
        format!("../{escape}"),
        "..".to_string(),
        format!("/tmp/{escape}"),
        "/etc/passwd".to_string(),
        format!("\"..\\\\..\\\\{escape}\""),
        "\"a\\\\b\"".to_string(),
        "\"a\\0b\"".to_string(),
        "\"\\0\"".to_string(),
    ];
    for slug in &slugs {
        let everything = snapshot(case.ws.path());
        let text = article(&format!("{FRONT}slug: {slug}\n"), "نص.\n");
        case.write(F, &text);
        let stderr = case.fails();
        expect(&stderr, &[&loc(F, &text, "slug:"), "`slug`"]);
        let mut now = snapshot(case.ws.path());
        now.insert(PathBuf::from("site").join(F), None);
        let mut then = everything;
        then.insert(PathBuf::from("site").join(F), None);
        assert!(now == then, "slug {slug}: something was written");
        assert!(
            !outside.exists(),
            "slug {slug}: wrote {}",
            outside.display()
        );
        assert!(!Path::new("/tmp").join(&escape).exists());
    }
}
