//! Label faults: a site's unknown label key names its file, its line and the valid keys; a
//! label that is not text names its line; a theme without a label qissa writes itself, or
//! without strings.yaml at all, is named with the missing key.

use std::path::Path;

use super::harness::{Case, expect, loc};
use crate::support::copy_tree;

/// The `minimal` site's site.yaml with `extra` appended.
fn site_yaml_with(extra: &str) -> String {
    let minimal = crate::support::fixture_dir("minimal").join("site.yaml");
    std::fs::read_to_string(minimal).unwrap() + extra
}

#[test]
fn an_unknown_key_in_site_yaml_names_its_line_and_the_valid_keys() {
    let case = Case::new();
    let text = site_yaml_with("strings:\n  summary_heading: باختصار\n  share_lable: شارك\n");
    case.write("site.yaml", &text);
    let stderr = case.fails();
    expect(
        &stderr,
        &[
            &loc("site.yaml", &text, "  share_lable"),
            "unknown label `share_lable`",
            "did you mean `share_label`?",
            "valid choices: ",
            "summary_heading",
            "written_by",
        ],
    );
}

#[test]
fn an_unknown_key_in_the_sites_strings_yaml_names_its_line() {
    let case = Case::new();
    let text = "# our wording\nhome: البداية\nhoem: خطأ\n";
    case.write("strings.yaml", text);
    let stderr = case.fails();
    expect(
        &stderr,
        &[
            &loc("strings.yaml", text, "hoem"),
            "unknown label `hoem`",
            "did you mean `home`?",
        ],
    );
}

#[test]
fn a_label_that_is_not_text_names_its_line() {
    let case = Case::new();
    let text = site_yaml_with("strings:\n  home: [أ, ب]\n");
    case.write("site.yaml", &text);
    let stderr = case.fails();
    expect(
        &stderr,
        &[&loc("site.yaml", &text, "  home"), "must be text"],
    );
}

/// A copy of the built-in theme in the case's `themes/qissa/`, with `edit` applied to its
/// strings.yaml (`None`: removed).
fn theme_with_strings(case: &Case, edit: impl Fn(&str) -> Option<String>) {
    let theme = case.site().join("themes/qissa");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/qissa"),
        &theme,
    );
    let file = theme.join("strings.yaml");
    match edit(&std::fs::read_to_string(&file).unwrap()) {
        Some(text) => std::fs::write(&file, text).unwrap(),
        None => std::fs::remove_file(&file).unwrap(),
    }
}

#[test]
fn a_theme_without_a_label_qissa_writes_names_the_file_and_the_key() {
    let case = Case::new();
    theme_with_strings(&case, |text| {
        let kept: Vec<&str> = text
            .lines()
            .filter(|l| !l.starts_with("home:") && !l.starts_with("read_also:"))
            .collect();
        Some(kept.join("\n"))
    });
    let stderr = case.fails();
    expect(
        &stderr,
        &[
            "themes/qissa/strings.yaml",
            "the theme has no label `home`",
            "the theme has no label `read_also`",
        ],
    );
}

#[test]
fn a_theme_without_strings_yaml_says_so() {
    let case = Case::new();
    theme_with_strings(&case, |_| None);
    let stderr = case.fails();
    expect(
        &stderr,
        &["themes/qissa/strings.yaml", "the theme has no strings.yaml"],
    );
}
