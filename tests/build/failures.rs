//! Broken sites fail cleanly. Each fixture under `tests/fixtures/` is the `minimal` site plus
//! one mistake a writer makes. The build must exit non-zero, name the file and the line of the
//! faulty key in that file (and the valid choices where there is a list), and leave the output
//! folder — holding a previous successful build and a file of the user's — byte-identical,
//! with no staging folder left beside it.

use std::path::Path;

use crate::support::{Workspace, copy_tree, fixture_dir, line_of, run_build, snapshot};

/// What the error message of one broken fixture must contain.
struct Expected<'a> {
    /// The faulty files, relative to the site: every one must be named, and at least one
    /// with the number of its faulty line.
    files: &'a [&'a str],
    /// The start of the faulty line in those files.
    line_starts_with: &'a str,
    /// Further text the message must contain: the key, the valid choices, the hint.
    mentions: &'a [&'a str],
}

/// Builds `minimal` into the output, adds a marker file, builds the broken fixture into the
/// same output and checks the failure.
fn assert_fails_cleanly(fixture: &str, expected: Expected) {
    let ws = Workspace::fixture(fixture);
    let output = ws.output();
    let previous = ws.path().join("previous");
    copy_tree(&fixture_dir("minimal"), &previous);
    run_build(&previous, &output, &[]).expect_success();
    std::fs::write(output.join("marker.txt"), "not made by qissa").unwrap();
    let before = snapshot(&output);

    let run = ws.build(&[]);

    assert!(
        !run.success,
        "{fixture}: the build must fail\nstdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    let locations: Vec<String> = expected
        .files
        .iter()
        .map(|file| {
            format!(
                "{file}:{}:",
                line_of(&ws.site().join(file), expected.line_starts_with)
            )
        })
        .collect();
    assert!(
        locations.iter().any(|l| run.stderr.contains(l)),
        "{fixture}: stderr must name {}:\n{}",
        locations.join(" or "),
        run.stderr
    );
    for file in expected.files {
        assert!(
            run.stderr.contains(file),
            "{fixture}: stderr must name {file}:\n{}",
            run.stderr
        );
    }
    for mention in expected.mentions {
        assert!(
            run.stderr.contains(mention),
            "{fixture}: stderr must mention {mention:?}:\n{}",
            run.stderr
        );
    }
    assert!(
        snapshot(&output) == before,
        "{fixture}: the failed build changed the output folder"
    );
    assert_no_leftovers(ws.path());
}

/// No staging (or half-swapped) folder next to the output.
fn assert_no_leftovers(dir: &Path) {
    let names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let leftovers: Vec<&String> = names
        .iter()
        .filter(|n| n.starts_with(".public.qissa-"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "left beside the output: {leftovers:?}"
    );
}

#[test]
fn unknown_author_names_file_line_and_the_authors() {
    assert_fails_cleanly(
        "unknown-author",
        Expected {
            files: &["content/articles/night-patrol.md"],
            line_starts_with: "author:",
            mentions: &["author", "yousef-adel", "sara-ali", "karim-nabil"],
        },
    );
}

#[test]
fn unknown_category_names_file_line_and_the_categories_by_slug_and_name() {
    assert_fails_cleanly(
        "unknown-category",
        Expected {
            files: &["content/articles/heat-wave.md"],
            line_starts_with: "category:",
            mentions: &["category", "weather", "security", "أمن", "sports", "رياضة"],
        },
    );
}

#[test]
fn unquoted_colon_in_yaml_names_the_line_of_that_key() {
    assert_fails_cleanly(
        "invalid-yaml",
        Expected {
            files: &["content/articles/warehouse-blast.md"],
            line_starts_with: "title:",
            mentions: &["YAML"],
        },
    );
}

#[test]
fn unclosed_front_matter_is_an_error() {
    assert_fails_cleanly(
        "unclosed-front-matter",
        Expected {
            files: &["content/articles/bridge-repair.md"],
            line_starts_with: "---",
            mentions: &["---"],
        },
    );
}

#[test]
fn two_articles_with_one_title_name_both_files() {
    assert_fails_cleanly(
        "duplicate-title",
        Expected {
            files: &[
                "content/articles/eid-2025.md",
                "content/articles/eid-2026.md",
            ],
            line_starts_with: "title:",
            mentions: &["slug"],
        },
    );
}

#[test]
fn impossible_date_names_the_line_of_date() {
    assert_fails_cleanly(
        "impossible-date",
        Expected {
            files: &["content/articles/leap-day.md"],
            line_starts_with: "date:",
            mentions: &["date", "2024-02-30"],
        },
    );
}

#[test]
fn misspelt_key_suggests_the_right_one() {
    assert_fails_cleanly(
        "unknown-key",
        Expected {
            files: &["content/articles/school-run.md"],
            line_starts_with: "titel:",
            mentions: &["titel", "did you mean `title`?"],
        },
    );
}
