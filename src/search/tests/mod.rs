//! Tests of search as a whole: the shared analysis vectors (Rust here, JavaScript under
//! node), and queries end to end through `qissa-search.js` over an index built from a small
//! set of articles written for these tests.
//!
//! The node tests say SKIPPED when node is missing, and fail instead when
//! `QISSA_REQUIRE_BROWSER=1` (as in CI).

mod end_to_end;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use super::SiteLexicon;
use super::analyze::{lexicon, tokens};

const VECTORS: &str = include_str!("vectors.json");

fn vectors_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src/search/tests/vectors.json")
}

fn module_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src/search")
}

/// What the Rust analysis gives for a text, in the vectors' shape.
fn rust_tokens(text: &str) -> Value {
    let lexicon = lexicon::compiled(&SiteLexicon::default());
    let words: Vec<Vec<[String; 2]>> = tokens(text, &lexicon)
        .into_iter()
        .map(|readings| {
            readings
                .into_iter()
                .map(|t| [t.key.to_string(), t.stem.to_string()])
                .collect()
        })
        .collect();
    json!(words)
}

/// `node`, or `None` (after saying SKIPPED) when it is missing and not required.
pub(super) fn node() -> Option<&'static str> {
    let found = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success());
    if found {
        return Some("node");
    }
    if std::env::var("QISSA_REQUIRE_BROWSER").as_deref() == Ok("1") {
        panic!("node is required (QISSA_REQUIRE_BROWSER=1) but was not found");
    }
    eprintln!("SKIPPED: node not found");
    None
}

#[test]
fn vectors() {
    let mut file: Value = serde_json::from_str(VECTORS).expect("vectors.json is JSON");
    let cases = file["cases"].as_array_mut().expect("cases");
    assert!(cases.len() >= 150, "{} vectors", cases.len());
    if std::env::var("QISSA_WRITE_VECTORS").as_deref() == Ok("1") {
        for case in cases.iter_mut() {
            case["tokens"] = rust_tokens(case["text"].as_str().unwrap_or_default());
        }
        let text = serde_json::to_string_pretty(&file).expect("JSON") + "\n";
        std::fs::write(vectors_path(), text).expect("write vectors.json");
        return;
    }
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            let text = case["text"].as_str().unwrap_or_default();
            let got = rust_tokens(text);
            (got != case["tokens"]).then(|| format!("{text}: {got} != {}", case["tokens"]))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn javascript_agrees_on_the_vectors() {
    let Some(node) = node() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let lexicon_json = lexicon::compiled(&SiteLexicon::default()).to_json();
    let lexicon_path = dir.path().join("lexicon.json");
    std::fs::write(&lexicon_path, lexicon_json.to_string()).expect("write lexicon");
    let out = Command::new(node)
        .arg(module_dir().join("tests/run_vectors.mjs"))
        .arg(module_dir().join("js/qissa-analyze.js"))
        .arg(&lexicon_path)
        .arg(vectors_path())
        .output()
        .expect("run node");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{report}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A body counted ahead (as a full build counts it while parsing), on another thread, gives
/// the article the same words with the same weights and the same result as counting it with
/// the rest: words shared with the headline, a split loanword, stop words, an empty body.
#[test]
fn a_body_counted_ahead_counts_as_counted_with_its_document() {
    use super::{SearchDoc, count_doc_with_body, count_doc_with_tallied_body, tally_body};
    let doc = SearchDoc {
        url: "/economy/x/".into(),
        title: "الوزير يزور مصر عبر فيس بوك".into(),
        tags: vec!["الاقتصاد".into()],
        summary: vec!["زيارة الوزير لمصر".into()],
        category: "اقتصاد".into(),
        authors: vec![("سارة علي".into(), "/authors/sara/".into())],
        ..SearchDoc::default()
    };
    let lexicon = SiteLexicon::default();
    let sorted = |counted: super::Counted| {
        let mut terms = counted.terms;
        terms.sort_by_key(|(stem, form)| (*stem, form.key));
        (terms, counted.doc)
    };
    for body in [
        "\nقال الوزير في مصر إن الزيارة ناجحة.\nوكتب على فيس بوك: مصر مصر.",
        "",
        "  \n\n",
    ] {
        let ahead = std::thread::scope(|s| s.spawn(|| tally_body(body, &lexicon)).join());
        let ahead = ahead.expect("counting thread");
        let together = count_doc_with_body(doc.clone(), body, &lexicon);
        let apart = count_doc_with_tallied_body(doc.clone(), &ahead, &lexicon);
        assert!(!together.terms.is_empty());
        assert_eq!(sorted(apart), sorted(together), "{body:?}");
    }
}
