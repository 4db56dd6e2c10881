//! Faults of the front matter: fences missing, unclosed or not YAML, YAML that does not
//! parse (on its own line, in the file's numbering), size and nesting limits that keep a
//! hostile file from taking the machine, and values of the wrong form with the forms that
//! work.

use std::process::Command;

use crate::support::{Workspace, one, text};

use super::harness::{
    Case, DEADLINE, F, FRONT, FRONT_PAGE, Outcome, article, assert_file_fault,
    assert_front_matter_fault, build, expect, loc, run_with_deadline,
};

#[test]
fn unquoted_colon_in_a_value_is_invalid_yaml_on_its_line() {
    let text = article(
        "title: عاجل: انفجار في المخزن\ndate: 2026-01-01\nauthor: sara-ali\ncategory: security\n",
        "نص.\n",
    );
    assert_front_matter_fault(&text, Some("title:"), &["YAML", "quoted", "title: \""]);
}

/// A writer's breaking-news headline, its colon unquoted, with the title below the date: the
/// line named is the title's, not the first line of the front matter.
#[test]
fn unquoted_colon_in_yaml_names_the_line_of_that_key() {
    let text = article(
        "date: 2026-03-05 13:40\ntitle: عاجل: انفجار في مخزن للألعاب النارية\n\
         author: sara-ali\ncategory: security\n",
        "\nوقع انفجار في مخزن للألعاب النارية على أطراف المدينة، ولا أنباء عن إصابات حتى الآن.\n",
    );
    let file = "content/articles/warehouse-blast.md";
    assert_file_fault(file, &text, Some("title:"), &["YAML"]);
}

#[test]
fn tab_indentation_is_invalid_yaml_on_its_line() {
    let text = article(&format!("{FRONT}tags:\n  - مصر\n\t- السعودية\n"), "نص.\n");
    let stderr = assert_front_matter_fault(&text, Some("\t-"), &["YAML", "tab", "spaces"]);
    // Was a bug: the YAML parser's own position, counted from the first YAML line, stays in the
    // message and contradicts the file line in front of it:
    //   error: content/articles/f.md:8: invalid YAML: found a tab character that violates
    //   indentation at line 7 column 1, while scanning a plain scalar
    assert!(
        !stderr.contains(" at line "),
        "only the file's own line numbers may appear:\n{stderr}"
    );
}

/// Editors leave spaces and tabs after a line; `---   ` is still a fence, and the page must
/// be the same as with clean fences.
#[test]
fn whitespace_after_the_fences_builds_the_same_page() {
    // The last key ends in an Arabic letter, as most titles do.
    let front =
        "date: 2026-01-01 10:00\nauthor: sara-ali\ncategory: security\ntitle: خبر للاختبار\n";
    let clean = format!("---\n{front}---\nالفقرة الأولى.\n\nالفقرة الثانية.\n");
    let ws = Workspace::minimal_with(F, &clean);
    let reference = ws.path().join("out-clean");
    build(&ws.site(), &reference).assert_succeeded();
    let page = std::fs::read(reference.join(FRONT_PAGE)).unwrap();
    // Was a bug: the body is cut where it would have been without the trailing whitespace, so it
    // starts that many bytes early. With 2 spaces the page gets an empty list (`-` of the
    // closing fence) instead of its lead; with 7 the end of the front matter is published
    // as a heading; with 6 the cut falls inside «ل» and the build panics (exit 101):
    //   thread '<unnamed>' panicked at src/content/frontmatter.rs:96:27:
    //   start byte index 84 is not a char boundary; it is inside 'ل' (bytes 83..85)
    for (n, pad) in ["  ", "\t", "      ", "       "].iter().enumerate() {
        let text = clean.replacen("---\n", &format!("---{pad}\n"), 1);
        ws.write(F, &text);
        let out = ws.path().join(format!("out-{n}"));
        let run = build(&ws.site(), &out);
        run.assert_succeeded();
        assert!(
            std::fs::read(out.join(FRONT_PAGE)).unwrap() == page,
            "`---` + {pad:?}: the page differs from the one with clean fences"
        );
    }
    for pad in ["  ", "\t "] {
        let text = clean.replace("\n---\n", &format!("\n---{pad}\n"));
        ws.write(F, &text);
        let out = ws.path().join("out-closing");
        let run = build(&ws.site(), &out);
        run.assert_succeeded();
        assert!(
            std::fs::read(out.join(FRONT_PAGE)).unwrap() == page,
            "closing `---` + {pad:?}: the page differs"
        );
        std::fs::remove_dir_all(&out).unwrap();
    }
}

#[test]
fn missing_opening_fence_is_an_error_on_line_1() {
    let text = format!("{FRONT}---\nنص.\n");
    assert_front_matter_fault(&text, Some("title:"), &["front matter", "---"]);
}

#[test]
fn missing_closing_fence_is_an_error() {
    let text = format!("---\n{FRONT}\nنص الخبر بلا سطر إغلاق.\n");
    assert_front_matter_fault(&text, Some("---"), &["never closed", "add a line ---"]);
}

/// A writer's article whose body follows the front matter after a blank line, without the
/// closing `---`.
#[test]
fn unclosed_front_matter_is_an_error() {
    let text = "---\ntitle: إغلاق جزئي لكوبري المدينة للصيانة\ndate: 2026-03-06 07:00\n\
                author: sara-ali\ncategory: security\n\n\
                تبدأ غدًا أعمال صيانة كوبري المدينة مع إغلاق حارة واحدة في كل اتجاه.\n";
    let file = "content/articles/bridge-repair.md";
    assert_file_fault(file, text, Some("---"), &["---"]);
}

#[test]
fn toml_front_matter_is_an_error_saying_yaml() {
    let text = "+++\ntitle = \"خبر\"\ndate = 2026-01-01\n+++\nنص.\n";
    assert_front_matter_fault(text, Some("+++"), &["TOML", "YAML", "---"]);
}

#[test]
fn empty_file_is_an_error() {
    assert_front_matter_fault("", None, &["empty", "---", "delete the file"]);
}

#[test]
fn whitespace_only_file_is_an_error() {
    assert_front_matter_fault(" \n\t\n\r\n  ", None, &["empty", "---", "delete the file"]);
}

/// Runs the build under a 1 GiB address-space limit, so that a parser that expands what it
/// reads dies (and fails the test) instead of taking the machine.
fn build_with_bounded_memory(case: &Case) -> Outcome {
    let mut command = Command::new("sh");
    command
        .arg("-c")
        .arg("ulimit -v 1048576 && exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_qissa"))
        .arg("build")
        .arg("--root")
        .arg(case.site())
        .arg("--output")
        .arg(case.ws.output());
    run_with_deadline(command, DEADLINE)
}

#[test]
fn yaml_alias_bomb_is_rejected_fast_with_bounded_memory() {
    // "Billion laughs": nine levels of nine aliases, 9^9 strings once expanded.
    let mut front = String::from(FRONT);
    front.push_str(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for pair in names.windows(2) {
        let refs = vec![format!("*{}", pair[0]); 9].join(",");
        front.push_str(&format!("{}: &{} [{refs}]\n", pair[1], pair[1]));
    }
    let text = article(&front, "نص.\n");
    let case = Case::new();
    case.write(F, &text);

    let run = build_with_bounded_memory(&case);

    run.assert_failed();
    case.assert_untouched();
    expect(&run.stderr, &[F, "YAML"]);
    // Was a bug: no line and no hint; the help even refers to "this line" without naming one:
    //   error: content/articles/f.md: invalid YAML: repetition limit exceeded
    //     help: check the quoting and indentation of this line
    let first_alias = loc(F, &text, "b:");
    let lines: Vec<String> = (6..=text.lines().count())
        .map(|n| format!("{F}:{n}:"))
        .collect();
    assert!(
        lines.iter().any(|l| run.stderr.contains(l.as_str())),
        "the error must point at the aliases (from {first_alias}):\n{}",
        run.stderr
    );
    assert!(
        run.stderr.to_lowercase().contains("alias"),
        "the error must say that aliases (*name) are the problem:\n{}",
        run.stderr
    );
}

#[test]
fn ten_thousand_deep_nesting_is_rejected_fast() {
    let depth = 10_000;
    let variants = [
        (
            "flow lists",
            format!("{}{}", "[".repeat(depth), "]".repeat(depth)),
        ),
        (
            "flow maps",
            format!("{}1{}", "{a: ".repeat(depth), "}".repeat(depth)),
        ),
        ("block lists", format!("{}1", "- ".repeat(depth))),
    ];
    for (name, value) in variants {
        eprintln!("nesting: {name}");
        let text = article(&format!("{FRONT}deep: {value}\n"), "نص.\n");
        let case = Case::new();
        case.write(F, &text);
        let run = build_with_bounded_memory(&case);
        run.assert_failed();
        case.assert_untouched();
        expect(&run.stderr, &[&loc(F, &text, "deep:"), "YAML"]);
    }
}

#[test]
fn deepest_nesting_that_fits_the_size_cap_is_rejected_fast() {
    // 65,400 unclosed `[`: just under the 64 KiB front-matter cap.
    let text = article(&format!("{FRONT}deep: {}\n", "[".repeat(65_400)), "نص.\n");
    let case = Case::new();
    case.write(F, &text);
    // Was a bug: the YAML scanner is quadratic in the nesting depth (98.6 % of the time in
    // unsafe_libyaml::scanner::yaml_parser_fetch_more_tokens), and serde_yaml scans the
    // whole document before its recursion limit applies: this one file takes 56 s in the
    // debug build and 11 s in the release build (7.6 s with `{`) before
    //   error: content/articles/f.md:6: invalid YAML: recursion limit exceeded
    // so the run outlives the deadline and is killed here.
    let run = build_with_bounded_memory(&case);
    run.assert_failed();
    case.assert_untouched();
    expect(&run.stderr, &[&loc(F, &text, "deep:"), "YAML"]);
}

#[test]
fn oversize_front_matter_is_an_error() {
    let point = format!("  - {}\n", "نقطة طويلة جدا ".repeat(20));
    let text = article(&format!("{FRONT}summary:\n{}", point.repeat(300)), "نص.\n");
    assert!(text.len() > 64 * 1024 + 1024);
    let stderr = assert_front_matter_fault(&text, None, &["64 KiB", "body"]);
    assert!(
        stderr.contains(&format!("{F}:")) && !stderr.contains(&format!("{F}: ")),
        "the error must name a line:\n{stderr}"
    );
}

#[test]
fn impossible_date_names_the_key_and_the_forms() {
    let text = article(&FRONT.replace("2026-01-01 10:00", "2024-02-30"), "نص.\n");
    assert_front_matter_fault(
        &text,
        Some("date:"),
        &["`date`", "2024-02-30", "2026-11-27"],
    );
}

/// A writer's article dated a day that never was, without a time.
#[test]
fn impossible_date_names_the_line_of_date() {
    let text = article(
        "title: افتتاح ملعب الحي الجديد\ndate: 2024-02-30\nauthor: karim-nabil\ncategory: sports\n",
        "\nافتتح محافظ المدينة ملعب الحي الجديد بحضور لاعبي الفرق المحلية.\n",
    );
    let file = "content/articles/leap-day.md";
    assert_file_fault(file, &text, Some("date:"), &["date", "2024-02-30"]);
}

/// Arabic-Indic digits in a date are an error (the product's choice): it names the key and
/// shows the dates it reads, in Latin digits.
#[test]
fn arabic_indic_digits_in_a_date_are_an_error_that_shows_the_forms() {
    let text = article(&FRONT.replace("2026-01-01 10:00", "٢٠٢٦-١١-٢٧"), "نص.\n");
    assert_front_matter_fault(
        &text,
        Some("date:"),
        &["`date`", "٢٠٢٦-١١-٢٧", "2026-11-27", "2026-11-27 14:30"],
    );
}

/// Documented: numbers are fine headlines.
#[test]
fn numeric_title_builds_with_that_headline() {
    let ws = Workspace::minimal_with(
        F,
        &article(&FRONT.replace("title: خبر للاختبار", "title: 2024"), "نص.\n"),
    );
    let out = ws.build_ok(&[]);
    let doc = out.page("/security/2024/");
    assert_eq!(text(one(&doc, "h1")), "2024");
}

#[test]
fn tags_as_a_string_must_be_a_list() {
    let text = article(&format!("{FRONT}tags: عاجل\n"), "نص.\n");
    assert_front_matter_fault(
        &text,
        Some("tags:"),
        &["`tags`", "must be a list", "tags: [first, second]"],
    );
}

#[test]
fn quoted_false_is_not_a_boolean() {
    let text = article(&format!("{FRONT}draft: \"false\"\n"), "نص.\n");
    assert_front_matter_fault(
        &text,
        Some("draft:"),
        &["`draft`", "true or false", "without quotes"],
    );
}

#[test]
fn misspelt_key_suggests_the_right_one() {
    let text = article(&FRONT.replace("title:", "titel:"), "نص.\n");
    assert_front_matter_fault(
        &text,
        Some("titel:"),
        &["`titel`", "unknown key", "did you mean `title`?"],
    );
    // The same slip in a writer's article, in a file of its own.
    let text = article(
        "titel: سباق الجري المدرسي يجمع 500 طالب\ndate: 2026-03-07 10:00\n\
         author: karim-nabil\ncategory: sports\n",
        "\nشارك 500 طالب وطالبة في سباق الجري المدرسي السنوي على كورنيش المدينة.\n",
    );
    let file = "content/articles/school-run.md";
    assert_file_fault(
        file,
        &text,
        Some("titel:"),
        &["titel", "did you mean `title`?"],
    );
}
