//! The output folder as a whole: the same content built twice gives byte-identical trees,
//! and a rebuild replaces the folder, so no stale file of an earlier build (or of anyone
//! else) survives.

use crate::model::is_article;
use crate::support::{Workspace, all_text, run_build, snapshot};

#[test]
fn same_content_builds_byte_identical_output() {
    let first = Workspace::demo();
    let second = Workspace::demo();
    first.build(&[]).expect_success();
    // A different site folder and a differently named output folder.
    let other_output = second.path().join("elsewhere");
    run_build(&second.site(), &other_output, &[]).expect_success();

    let a = snapshot(&first.output());
    let b = snapshot(&other_output);
    let names_a: Vec<_> = a.keys().collect();
    let names_b: Vec<_> = b.keys().collect();
    assert_eq!(names_a, names_b, "the two builds wrote different files");
    for (path, bytes) in &a {
        assert!(
            bytes == &b[path],
            "{} differs between two builds of the same content",
            path.display()
        );
    }
}

#[test]
fn rebuild_leaves_no_stale_files() {
    let ws = Workspace::fixture("minimal");
    let out = ws.build_ok(&[]);
    let derby = out
        .pages()
        .into_iter()
        .find(|(_, doc)| all_text(doc).contains("تعادل مثير في ديربي المدينة") && is_article(doc))
        .map(|(path, _)| path)
        .expect("the derby article page");
    std::fs::write(ws.output().join("marker.txt"), "stale").unwrap();
    std::fs::remove_file(ws.site().join("content/articles/derby-draw.md")).unwrap();

    let out = ws.build_ok(&[]);

    assert!(
        !ws.output().join("marker.txt").exists(),
        "a file from before the rebuild survived"
    );
    assert!(
        !out.has_page(&derby),
        "the page of a deleted article survived: {derby}"
    );
    assert!(
        !out.has_page("/tags/كرة-القدم/"),
        "the page of a tag no article uses any more survived"
    );
    assert!(out.has_page("/"), "the rebuild wrote the home page");
}

#[test]
fn a_folder_qissa_did_not_build_is_never_replaced() {
    let ws = Workspace::demo();
    let precious = ws.path().join("documents");
    std::fs::create_dir(&precious).unwrap();
    std::fs::write(precious.join("letter.txt"), "مسودة لا تعوض").unwrap();
    let before = snapshot(&precious);
    let run = run_build(&ws.site(), &precious, &[]);
    assert!(!run.success, "building over someone's folder must fail");
    assert!(
        run.stderr.contains("not empty") && run.stderr.contains("documents"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(&precious), before, "the folder is untouched");

    // An empty folder, or one qissa built before, is fine.
    let empty = ws.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    run_build(&ws.site(), &empty, &[]).expect_success();
    run_build(&ws.site(), &empty, &[]).expect_success();
}
