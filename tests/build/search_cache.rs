//! The search cache on disk (`.qissa-cache/search/`): a `qissa build` in a new process
//! reuses the analyses of unchanged articles and the records of unchanged index files, and
//! its index must still be a `--full` build's, byte for byte, after any edit, and whatever
//! state the cache is in.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::support::{Workspace, edit, run_build, snapshot};

const NOW: &str = "2026-11-30T12:00:00Z";
const ARTICLE: &str = "content/articles/2026/saudi-kazakhstan-security.md";
const OTHER: &str = "content/articles/2026/cairo-water-forum.md";

/// The search index files under `dir` (the modules and `search/index/`).
fn index_files(dir: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    snapshot(dir)
        .into_iter()
        .filter(|(rel, bytes)| bytes.is_some() && rel.starts_with("search"))
        .collect()
}

fn build(ws: &Workspace) {
    ws.build(&["--now", NOW]).expect_success();
}

/// Asserts the output's index is that of a full build of the site as it is now.
fn assert_index_is_a_full_builds(ws: &Workspace, what: &str) {
    let full = ws.path().join(format!("full-{what}"));
    run_build(&ws.site(), &full, &["--now", NOW, "--full"]).expect_success();
    let index = index_files(&ws.output());
    assert!(
        index.keys().any(|f| f.ends_with("meta.json.gz")),
        "{what}: search is on in the fixture"
    );
    assert!(index == index_files(&full), "{what}: the index differs");
    assert!(
        snapshot(&ws.output()) == snapshot(&full),
        "{what}: the site differs"
    );
}

fn cache_files(ws: &Workspace) -> Vec<PathBuf> {
    let dir = ws.site().join(".qissa-cache/search");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("a search cache")
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

#[test]
fn an_edit_build_from_the_search_cache_gives_a_full_builds_index() {
    let ws = Workspace::demo();
    build(&ws);
    assert!(
        cache_files(&ws).iter().any(|f| f.ends_with("files")),
        "{:?}",
        cache_files(&ws)
    );
    edit(&ws, ARTICLE, "نقطة تحول", "نقطة فارقة");
    build(&ws);
    assert_index_is_a_full_builds(&ws, "body");
    edit(&ws, ARTICLE, "نقطة فارقة", "نقطة تحول ثانية");
    build(&ws);
    assert_index_is_a_full_builds(&ws, "body-again");
    std::fs::remove_file(ws.site().join(OTHER)).unwrap();
    build(&ws);
    assert_index_is_a_full_builds(&ws, "deletion");
}

#[test]
fn a_damaged_search_cache_is_ignored() {
    let ws = Workspace::demo();
    build(&ws);
    for file in cache_files(&ws) {
        let bytes = std::fs::read(&file).unwrap();
        std::fs::write(&file, &bytes[..bytes.len() / 2]).unwrap();
    }
    edit(&ws, ARTICLE, "نقطة تحول", "نقطة فارقة");
    build(&ws);
    assert_index_is_a_full_builds(&ws, "truncated");
    for file in cache_files(&ws) {
        let mut bytes = std::fs::read(&file).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x55;
        std::fs::write(&file, &bytes).unwrap();
    }
    ws.write(".qissa-cache/search/007.pack", "not a pack");
    edit(&ws, ARTICLE, "نقطة فارقة", "نقطة تحول");
    build(&ws);
    assert_index_is_a_full_builds(&ws, "flipped");
}
