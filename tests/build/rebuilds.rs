//! One-article rebuilds with the binary, as a newsroom runs them: `qissa build` after each
//! kind of change must give the bytes of a `--full` build, parse only what changed (the parse
//! cache), leave every file it does not change untouched (bytes and modification time, so
//! `rsync` and `aws s3 sync` upload only the changed pages), and list exactly what it wrote
//! and removed with `--changes FILE`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::support::{Run, Workspace, edit, run_build, snapshot};

const NOW: &str = "2026-11-30T12:00:00Z";
const ARTICLE: &str = "content/articles/2026/saudi-kazakhstan-security.md";

/// Every file under `dir` with its bytes and modification time.
fn files_with_times(dir: &Path) -> BTreeMap<String, (Vec<u8>, SystemTime)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            let time = e.metadata().unwrap().modified().unwrap();
            let bytes = std::fs::read(e.path()).unwrap();
            (rel.to_string_lossy().into_owned(), (bytes, time))
        })
        .filter(|(rel, _)| rel != ".qissa-output")
        .collect()
}

/// `qissa build` with the `--changes` list; returns the run and the list's two parts.
fn build_listing_changes(ws: &Workspace) -> (Run, Vec<String>, Vec<String>) {
    build_listing_changes_with(ws, &[])
}

fn build_listing_changes_with(ws: &Workspace, extra: &[&str]) -> (Run, Vec<String>, Vec<String>) {
    let list = ws.path().join("changes.txt");
    let mut args = vec![
        "--now",
        NOW,
        "--timings",
        "--changes",
        list.to_str().unwrap(),
    ];
    args.extend(extra);
    let run = ws.build(&args);
    run.expect_success();
    let text = std::fs::read_to_string(&list).expect("the --changes file");
    let (mut written, mut removed) = (Vec::new(), Vec::new());
    for line in text.lines() {
        match line.split_once('\t') {
            Some(("written", file)) => written.push(file.to_string()),
            Some(("removed", file)) => removed.push(file.to_string()),
            _ => panic!("unexpected line in the --changes file: {line:?}"),
        }
    }
    (run, written, removed)
}

/// A full build of the site as it is now, into a fresh folder, without any cache.
fn full_build(ws: &Workspace, name: &str) -> PathBuf {
    let dir = ws.path().join(format!("full-{name}"));
    run_build(&ws.site(), &dir, &["--now", NOW, "--full"]).expect_success();
    dir
}

/// The number in the `parsed N of M articles` line of `--timings`.
fn articles_parsed(run: &Run) -> usize {
    let line = run
        .stdout
        .lines()
        .find(|l| l.starts_with("parsed "))
        .unwrap_or_else(|| panic!("no parsed line in {}", run.stdout));
    line.split(' ').nth(1).unwrap().parse().unwrap()
}

/// Something done to the site between two builds.
type Change = dyn Fn(&Workspace);

/// Each change the issue names, applied to the demo site in turn. `true`: only content
/// changed, so the build is incremental and must leave every other file untouched.
fn changes() -> Vec<(&'static str, bool, Box<Change>)> {
    let other = "content/articles/2026/cairo-water-forum.md";
    vec![
        (
            "body",
            true,
            Box::new(|ws| edit(ws, ARTICLE, "نقطة تحول", "نقطة فارقة")),
        ),
        (
            "title",
            true,
            Box::new(|ws| edit(ws, ARTICLE, "تحالفًا أمنيًا", "تحالفًا جديدًا")),
        ),
        (
            "date",
            true,
            Box::new(|ws| edit(ws, ARTICLE, "2026-11-27 14:30", "2026-11-28 09:15")),
        ),
        (
            "tag",
            true,
            Box::new(|ws| edit(ws, ARTICLE, "آسيا الوسطى", "الخليج")),
        ),
        (
            "category",
            true,
            Box::new(|ws| edit(ws, ARTICLE, "category: security", "category: politics")),
        ),
        (
            "author",
            true,
            Box::new(|ws| edit(ws, ARTICLE, "author: ahmed-rashwan", "author: fatma-hassan")),
        ),
        (
            "deletion",
            true,
            Box::new(move |ws| std::fs::remove_file(ws.site().join(other)).unwrap()),
        ),
        (
            "rename",
            true,
            Box::new(|ws| {
                let from = ws
                    .site()
                    .join("content/articles/2026/mansoura-tree-planting.md");
                std::fs::rename(&from, from.with_file_name("mansoura-trees.md")).unwrap();
            }),
        ),
        (
            "site.yaml",
            false,
            Box::new(|ws| {
                let path = ws.site().join("site.yaml");
                let text = std::fs::read_to_string(&path).unwrap();
                std::fs::write(&path, text.replacen("per_page: 5", "per_page: 4", 1)).unwrap();
            }),
        ),
        (
            "template",
            false,
            Box::new(|ws| {
                ws.write(
                    "templates/404.html",
                    "{% extends \"base.html\" %}{% block main %}<h1>مفقود</h1>{% endblock main %}",
                )
            }),
        ),
        (
            "static file",
            false,
            Box::new(|ws| ws.write("static/robots-extra.txt", "User-agent: *\n")),
        ),
        (
            "image",
            false,
            Box::new(|ws| {
                let photos = ws.site().join("static/images/photos");
                std::fs::copy(
                    photos.join("photographer.jpg"),
                    photos.join("field-sunset.jpg"),
                )
                .unwrap();
            }),
        ),
    ]
}

#[test]
fn every_kind_of_change_rebuilds_to_a_full_builds_bytes_and_lists_what_it_touched() {
    let ws = Workspace::demo();
    let site_yaml = std::fs::read_to_string(ws.site().join("site.yaml")).unwrap();
    assert!(
        site_yaml.contains("per_page: 5"),
        "the demo's per_page moved"
    );
    build_listing_changes(&ws);
    for (what, content_only, change) in changes() {
        let before = files_with_times(&ws.output());
        // File times have a granularity: make sure a rewrite would show.
        std::thread::sleep(std::time::Duration::from_millis(20));
        change(&ws);
        let (run, written, removed) = build_listing_changes(&ws);
        let full = full_build(&ws, &what.replace(['.', ' '], "-"));
        assert!(
            snapshot(&ws.output()) == snapshot(&full),
            "{what}: the rebuilt site differs from a full build"
        );
        let after = files_with_times(&ws.output());
        let gone: Vec<String> = before
            .keys()
            .filter(|f| !after.contains_key(*f))
            .cloned()
            .collect();
        assert_eq!(removed, gone, "{what}: --changes lists the removed files");
        let differing: Vec<String> = after
            .iter()
            .filter(|(f, (bytes, _))| before.get(*f).is_none_or(|(old, _)| old != bytes))
            .map(|(f, _)| f.clone())
            .collect();
        if content_only {
            assert!(articles_parsed(&run) <= 1, "{what}: {}", run.stdout);
            assert_eq!(
                written, differing,
                "{what}: --changes lists exactly the changed files"
            );
            let touched: Vec<&String> = after
                .iter()
                .filter(|(f, (bytes, time))| {
                    before
                        .get(*f)
                        .is_some_and(|(old, t)| old == bytes && t != time)
                })
                .map(|(f, _)| f)
                .collect();
            assert!(
                touched.is_empty(),
                "{what}: unchanged files were rewritten: {touched:?}"
            );
            assert!(
                written.len() * 4 < after.len(),
                "{what}: {} files written",
                written.len()
            );
        } else {
            let all: Vec<&String> = after.keys().collect();
            assert_eq!(
                written.iter().collect::<Vec<_>>(),
                all,
                "{what}: a full build lists all"
            );
        }
    }
}

#[test]
fn an_unchanged_site_parses_nothing_and_a_damaged_parse_cache_means_parsing_again() {
    let ws = Workspace::demo();
    let (first, _, _) = build_listing_changes(&ws);
    let articles = articles_parsed(&first);
    assert!(articles > 10, "{}", first.stdout);
    let (again, written, removed) = build_listing_changes(&ws);
    assert_eq!(articles_parsed(&again), 0, "{}", again.stdout);
    assert!(
        written.is_empty() && removed.is_empty(),
        "{written:?} {removed:?}"
    );

    let packs = ws.site().join(".qissa-cache/parsed");
    for entry in std::fs::read_dir(&packs).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    }
    edit(&ws, ARTICLE, "نقطة تحول", "نقطة فارقة");
    let (damaged, _, _) = build_listing_changes(&ws);
    assert_eq!(articles_parsed(&damaged), articles, "{}", damaged.stdout);
    let full = full_build(&ws, "damaged");
    assert!(
        snapshot(&ws.output()) == snapshot(&full),
        "the output is a full build's"
    );
    let (healed, _, _) = build_listing_changes(&ws);
    assert_eq!(
        articles_parsed(&healed),
        0,
        "the cache is whole again: {}",
        healed.stdout
    );
}

#[test]
fn the_changes_file_of_a_full_build_lists_every_file_and_what_the_folder_lost() {
    let ws = Workspace::demo();
    build_listing_changes(&ws);
    std::fs::write(ws.output().join("stale.html"), "old").unwrap();
    let (_, written, removed) = build_listing_changes_with(&ws, &["--full"]);
    assert_eq!(removed, ["stale.html"]);
    let on_disk: Vec<String> = files_with_times(&ws.output()).into_keys().collect();
    assert_eq!(written, on_disk);

    let unwritable = ws.path().join("no-such-folder/changes.txt");
    let run = ws.build(&["--now", NOW, "--changes", unwritable.to_str().unwrap()]);
    assert!(
        !run.success,
        "an unwritable --changes file fails the command"
    );
    assert!(run.stderr.contains("no-such-folder"), "{}", run.stderr);
}
