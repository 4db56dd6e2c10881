//! Template faults name the template file and line (and the page being rendered); a
//! template that includes or extends itself is an error, not a crash.

use std::path::Path;

use super::harness::{Case, expect};

/// The theme's article template with `line` inserted after line 11 (the `<h1>`), so that it
/// lands on line 12.
fn article_template_with(line: &str) -> String {
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/qissa/templates/article.html");
    let text = std::fs::read_to_string(theme).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    lines.insert(11, line);
    lines.join("\n") + "\n"
}

#[test]
fn template_error_names_template_line_and_page() {
    let case = Case::new();
    case.write(
        "templates/article.html",
        article_template_with("    <p>{{ article.no_such_field.deeper }}</p>"),
    );
    let stderr = case.fails();
    expect(
        &stderr,
        &[
            "templates/article.html:12:",
            "no_such_field",
            "while rendering content/articles/",
        ],
    );
}

#[test]
fn template_with_an_unknown_filter_names_its_file_and_line() {
    let case = Case::new();
    case.write(
        "templates/article.html",
        "{% extends \"base.html\" %}\n{% block main %}\n{{ article.title | no_such_filter }}\n{% endblock main %}\n",
    );
    let stderr = case.fails();
    expect(&stderr, &["no_such_filter"]);
    // Was a bug: the error names no file or line of its own, and the hint is about recursion:
    //   error: templates: template error: error: Unknown filter `no_such_filter`
    //    --> article.html:3:20
    //     help: a template that calls itself (directly or through a component) never ends
    expect(&stderr, &["templates/article.html:3:"]);
    assert!(!stderr.contains("calls itself"), "{stderr}");
}

/// Template files to write: (path in the site, text).
type Files<'a> = &'a [(&'a str, &'a str)];

#[test]
fn templates_that_include_or_extend_themselves_are_errors_not_crashes() {
    const MAIN_INCLUDES: &str = "{% extends \"base.html\" %}\n{% block main %}\n{% include \"partials/a.html\" %}\n{% endblock main %}\n";
    // (the files to write, the file the error must name, what it must say)
    let cases: [(Files, &str, &str); 4] = [
        (
            &[("templates/article.html", "{% include \"article.html\" %}\n")],
            "templates/article.html",
            "circular include",
        ),
        (
            &[("templates/article.html", "{% extends \"article.html\" %}\n")],
            "templates/article.html",
            "circular extend",
        ),
        (
            &[
                ("templates/article.html", MAIN_INCLUDES),
                (
                    "templates/partials/a.html",
                    "x{% include \"partials/a.html\" %}\n",
                ),
            ],
            "templates/partials/a.html",
            "circular include",
        ),
        (
            &[
                ("templates/article.html", MAIN_INCLUDES),
                (
                    "templates/partials/a.html",
                    "{% include \"partials/b.html\" %}\n",
                ),
                (
                    "templates/partials/b.html",
                    "{% include \"partials/a.html\" %}\n",
                ),
            ],
            "templates/partials/",
            "circular include",
        ),
    ];
    for (files, named, says) in cases {
        let case = Case::new();
        for (file, text) in files {
            case.write(file, text);
        }
        let stderr = case.fails();
        expect(&stderr, &[named, "may not include or extend itself"]);
        assert!(
            stderr.to_lowercase().contains(says),
            "{named}: must say {says:?}:\n{stderr}"
        );
    }
}
