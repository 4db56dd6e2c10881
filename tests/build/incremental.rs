//! A build session (what the preview uses) rebuilds only what a content change touches; after
//! every kind of change its output must be byte-identical to a full build of the same files.

use std::path::{Path, PathBuf};

use qissa::{BuildOptions, Change, PagesReady, Session};

use crate::support::{Workspace, edit, snapshot};

/// "Now" for both builds, so the future-article cut-off can't differ between them.
fn options(site: &Path, output: PathBuf) -> BuildOptions {
    let mut options = BuildOptions::new(site);
    options.output = Some(output);
    options.now = Some("2026-11-30T12:00:00Z".parse().unwrap());
    options
}

/// Rebuilds `session` for `changed` files and checks the output against a fresh full build.
fn rebuild_and_compare(
    ws: &Workspace,
    session: &mut Session,
    changed: &[&str],
    what: &str,
) -> qissa::Report {
    let paths = changed.iter().map(|rel| ws.site().join(rel)).collect();
    let report = session
        .build(Change::Content(paths))
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    let full_dir = ws.path().join(format!("full-{}", what.replace(' ', "-")));
    qissa::build(&options(&ws.site(), full_dir.clone())).unwrap_or_else(|e| panic!("{what}: {e}"));
    let incremental = snapshot(&ws.output());
    let full = snapshot(&full_dir);
    let differing: Vec<&PathBuf> = full
        .keys()
        .chain(incremental.keys())
        .filter(|k| full.get(*k) != incremental.get(*k))
        .collect();
    assert!(
        differing.is_empty(),
        "{what}: incremental output differs from a full build at {differing:?}"
    );
    let pages = full.values().filter(|bytes| bytes.is_some()).count();
    assert!(
        report.pages_written * 2 < pages,
        "{what}: {} of {pages} files rewritten; a content change should touch only a few",
        report.pages_written
    );
    report
}

/// Whether the build took the preview's quick path (the kept site patched in place).
fn patched(report: &qissa::Report) -> bool {
    report
        .timings
        .iter()
        .any(|(stage, _)| *stage == "patch the site")
}

#[test]
fn saves_that_keep_the_site_shape_patch_it_and_still_match_a_full_build() {
    let ws = Workspace::demo();
    let mut session = Session::new(options(&ws.site(), ws.output()));
    session.build(Change::Everything).expect("first build");
    let marathon = "content/articles/2026/alexandria-marathon.md";
    let metro = "content/articles/2026/cairo-metro-new-stations.md";

    edit(&ws, marathon, "ذهب لقب الرجال", "وذهب لقب الرجال");
    let report = rebuild_and_compare(&ws, &mut session, &[marathon], "quick: body");
    assert!(patched(&report), "a body edit keeps the site's shape");

    edit(&ws, marathon, "أكثر من 12 ألف", "أكثر من 13 ألف");
    let report = rebuild_and_compare(&ws, &mut session, &[marathon], "quick: headline");
    assert!(
        patched(&report),
        "a new headline (and URL) keeps the site's shape"
    );
    assert_eq!(report.moved.len(), 1, "the page moved: {:?}", report.moved);

    // A line added above the category and tags: their values, not their lines, matter.
    edit(
        &ws,
        marathon,
        "author: ahmed-rashwan\n",
        "author: ahmed-rashwan\nupdated: 2026-11-23 09:00\n",
    );
    edit(&ws, metro, "تشغيل تجريبي", "تشغيل أولي");
    let report = rebuild_and_compare(&ws, &mut session, &[marathon, metro], "quick: two at once");
    assert!(
        patched(&report),
        "two saves that keep the shape are patched together"
    );

    edit(&ws, marathon, "tags: [مصر,", "tags: [مصر, وسم جديد,");
    let report = rebuild_and_compare(&ws, &mut session, &[marathon], "full: new tag");
    assert!(!patched(&report), "a new tag changes the site's shape");

    edit(
        &ws,
        marathon,
        "date: 2026-11-22T18:05:00+02:00",
        "date: 2026-11-20T18:05:00+02:00",
    );
    let report = rebuild_and_compare(&ws, &mut session, &[marathon], "full: new date");
    assert!(
        !patched(&report),
        "a new date moves the article among the others"
    );

    // A broken save fails as a full build would; its fix goes the full way, then the next
    // save is quick again.
    edit(&ws, marathon, "category: sports", "category: sportz");
    let failed = session.build(Change::Content(vec![ws.site().join(marathon)]));
    assert!(failed.is_err_and(|e| e.to_string().contains("sportz")));
    edit(&ws, marathon, "category: sportz", "category: sports");
    let report = rebuild_and_compare(&ws, &mut session, &[marathon], "full: fixed");
    assert!(
        !patched(&report),
        "after a failure the site is assembled again"
    );
    edit(&ws, marathon, "وذهب لقب الرجال", "ذهب لقب الرجال");
    let report = rebuild_and_compare(&ws, &mut session, &[marathon], "quick: again");
    assert!(patched(&report));
}

#[test]
fn a_new_headline_that_takes_another_articles_url_fails_as_a_full_build_does() {
    let ws = Workspace::demo();
    let mut session = Session::new(options(&ws.site(), ws.output()));
    session.build(Change::Everything).expect("first build");
    let before = snapshot(&ws.output());
    let marathon = "content/articles/2026/alexandria-marathon.md";
    let other = std::fs::read_to_string(
        ws.site()
            .join("content/articles/2026/delta-club-arab-cup-final.md"),
    )
    .unwrap();
    let title = other
        .lines()
        .find_map(|l| l.strip_prefix("title: "))
        .unwrap();
    edit(
        &ws,
        marathon,
        "أكثر من 12 ألف عدّاء يركضون على كورنيش الإسكندرية في الماراثون الدولي",
        title,
    );
    let failed = session.build(Change::Content(vec![ws.site().join(marathon)]));
    let message = failed.expect_err("two articles at one URL").to_string();
    assert!(message.contains("already taken"), "{message}");
    assert_eq!(
        snapshot(&ws.output()),
        before,
        "a failed build leaves the output alone"
    );
}

#[test]
fn content_changes_rebuild_to_the_same_bytes_as_a_full_build() {
    let ws = Workspace::demo();
    let mut session = Session::new(options(&ws.site(), ws.output()));
    session.build(Change::Everything).expect("first build");
    let article = "content/articles/2026/saudi-kazakhstan-security.md";

    edit(&ws, article, "تحالفًا أمنيًا", "تحالفًا أمنيًا جديدًا");
    rebuild_and_compare(&ws, &mut session, &[article], "title change");

    edit(
        &ws,
        article,
        "date: 2026-11-27 14:30",
        "date: 2026-11-03 08:00",
    );
    rebuild_and_compare(&ws, &mut session, &[article], "date change");

    edit(&ws, article, "category: security", "category: economy");
    rebuild_and_compare(&ws, &mut session, &[article], "category change");

    edit(&ws, article, "tags: [", "tags: [وسم جديد, ");
    rebuild_and_compare(&ws, &mut session, &[article], "tag added");

    let fresh = "content/articles/new-folder/fresh.md";
    ws.write(
        fresh,
        "---\ntitle: خبر جديد تماما\ndate: 2026-11-29 20:00\nauthor: fatma-hassan\ncategory: economy\ntags: [وسم جديد]\n---\nنص الخبر.\n",
    );
    rebuild_and_compare(
        &ws,
        &mut session,
        &["content/articles/new-folder"],
        "article in a new folder",
    );

    std::fs::remove_file(ws.site().join(fresh)).unwrap();
    rebuild_and_compare(&ws, &mut session, &[fresh], "article deleted");

    // The demo's metro guide links this article in an «اقرأ أيضًا» box: a new title (and so
    // a new URL) must reach that box, in the page and in the feeds.
    let linked = "content/articles/2026/cairo-metro-new-stations.md";
    edit(&ws, linked, "title: تشغيل تجريبي", "title: تشغيل أولي");
    rebuild_and_compare(&ws, &mut session, &[linked], "read-also target renamed");

    edit(
        &ws,
        "content/authors/ahmed-rashwan.md",
        "name: احمد رشوان",
        "name: أحمد رشوان",
    );
    rebuild_and_compare(
        &ws,
        &mut session,
        &["content/authors/ahmed-rashwan.md"],
        "author renamed",
    );
}

#[test]
fn a_broken_file_leaves_the_output_alone_and_fixing_it_recovers() {
    let ws = Workspace::demo();
    let mut session = Session::new(options(&ws.site(), ws.output()));
    session.build(Change::Everything).expect("first build");
    let before = snapshot(&ws.output());
    let article = "content/articles/2026/cairo-metro-new-stations.md";
    let good = std::fs::read_to_string(ws.site().join(article)).unwrap();
    ws.write(article, &good.replacen("author:", "athor:", 1));
    let error = session
        .build(Change::Content(vec![ws.site().join(article)]))
        .unwrap_err();
    assert!(error.to_string().contains("athor"), "{error}");
    assert_eq!(
        snapshot(&ws.output()),
        before,
        "a failed rebuild must not touch the output"
    );
    ws.write(article, &good);
    rebuild_and_compare(&ws, &mut session, &[article], "fixed");
}

#[test]
fn a_second_qissa_build_rewrites_only_what_changed_and_matches_a_full_build() {
    let ws = Workspace::demo();
    let first = ws.build(&["--now", "2026-11-30T12:00:00Z"]);
    first.expect_success();
    let unchanged = ws.build(&["--now", "2026-11-30T12:00:00Z"]);
    assert!(
        unchanged.stdout.contains(": 0 pages"),
        "nothing changed, nothing written: {}",
        unchanged.stdout
    );

    edit(
        &ws,
        "content/articles/2026/saudi-kazakhstan-security.md",
        "category: security",
        "category: politics",
    );
    std::fs::write(ws.output().join("left-by-hand.html"), "x").unwrap();
    let changed = ws.build(&["--now", "2026-11-30T12:00:00Z"]);
    changed.expect_success();
    assert!(!changed.stdout.contains(": 0 pages"), "{}", changed.stdout);
    assert!(
        !ws.output().join("left-by-hand.html").exists(),
        "files no build writes are removed"
    );

    let full = ws.path().join("full");
    crate::support::run_build(
        &ws.site(),
        &full,
        &["--now", "2026-11-30T12:00:00Z", "--full"],
    )
    .expect_success();
    assert_eq!(
        snapshot(&ws.output()),
        snapshot(&full),
        "the cached build equals a full build"
    );

    // Changing a template (anything but content) means a full build again.
    ws.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block main %}<h1>مفقود</h1>{% endblock main %}",
    );
    let retemplated = ws.build(&["--now", "2026-11-30T12:00:00Z"]);
    retemplated.expect_success();
    assert!(
        crate::support::all_text(
            &ws.build_ok(&["--now", "2026-11-30T12:00:00Z"])
                .page("/404.html")
        )
        .contains("مفقود")
    );
}

/// The preview publishes pages first, and feeds, sitemaps and the search index after (so
/// tabs reload at once): between the two steps those files are untouched, a new save may
/// interrupt the index (it stays due), and once the second step has run the output is the
/// full build's.
#[test]
fn feeds_sitemaps_and_the_index_follow_the_pages_and_end_as_a_full_build() {
    let ws = Workspace::demo();
    let mut session = Session::new(options(&ws.site(), ws.output()));
    session.build(Change::Everything).expect("first build");
    let later_files = |dir: &Path| {
        snapshot(dir)
            .into_iter()
            .filter(|(file, _)| {
                let name = file.to_string_lossy();
                name.starts_with("search/index") || name.ends_with(".xml")
            })
            .collect::<Vec<_>>()
    };
    let before = later_files(&ws.output());
    assert!(
        before.iter().any(|(f, _)| f.starts_with("search/index")),
        "the demo has a search index"
    );
    let article = "content/articles/2026/saudi-kazakhstan-security.md";
    edit(&ws, article, "تحالفًا أمنيًا", "تحالفًا نادرًا");
    let paths = vec![ws.site().join(article)];
    let mut told = Vec::new();
    let mut pages_out = |ready: &PagesReady| told.push(ready.only_pages);
    let report = session
        .build_pages_then(Change::Content(paths), Some(&mut pages_out))
        .expect("pages");
    assert_eq!(
        told,
        [true],
        "told once, when the pages were in place; only pages changed"
    );
    assert!(report.pages_written > 0);
    assert_eq!(
        later_files(&ws.output()),
        before,
        "feeds, sitemaps and the index wait for their own step"
    );
    // A new save waiting: nothing is made, everything stays due.
    let interrupted = session.finish_pending(&|| true).expect("interrupted");
    let interrupted = interrupted.expect("something was pending");
    assert!(interrupted.unfinished);
    assert!(
        interrupted.changes.written.is_empty(),
        "{:?}",
        interrupted.changes
    );
    assert_eq!(later_files(&ws.output()), before);
    let update = session
        .finish_pending(&|| false)
        .expect("feeds, sitemaps, index");
    let update = update.expect("they were still due");
    assert!(!update.unfinished);
    let written = &update.changes.written;
    assert!(
        written.iter().any(|f| f.starts_with("search/index/"))
            && written.iter().any(|f| f.ends_with(".xml")),
        "{written:?}"
    );
    let full_dir = ws.path().join("full");
    qissa::build(&options(&ws.site(), full_dir.clone())).expect("full build");
    assert_eq!(snapshot(&ws.output()), snapshot(&full_dir));
    assert_ne!(
        later_files(&ws.output()),
        before,
        "the new headline is in the feeds and its word in the index"
    );
    assert!(
        session
            .finish_pending(&|| false)
            .expect("nothing pending")
            .is_none()
    );

    // A stylesheet changed: open tabs must load the page again, not only its HTML.
    let css = ws.site().join("themes/qissa/static/css/qissa.css");
    let mut style = std::fs::read_to_string(&css).unwrap();
    style.push_str("\n.qissa-test-rule { color: red }\n");
    std::fs::write(&css, style).unwrap();
    let mut told = Vec::new();
    let mut pages_out = |ready: &PagesReady| told.push(ready.only_pages);
    session
        .build_pages_then(Change::Everything, Some(&mut pages_out))
        .expect("pages");
    assert_eq!(told, [false], "a stylesheet is not a page");
}
