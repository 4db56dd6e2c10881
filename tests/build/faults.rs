//! Every bad input a newsroom can produce, built by the real binary on a copy of the
//! `minimal` site whose output folder already holds a good build and a file of the user's.
//!
//! A fault must end the build with exit code 1 (not a signal, not a hang: every run has a
//! deadline), name the file and, where there is one, the line in that file's own numbering
//! (`file:N:`) and the key, say what to do, leave the output folder byte-identical and leave
//! no staging folder beside it. Documented acceptances (`title: 2024`, BOM and CRLF files,
//! editor temp files) must build. Hostile content must come out inert: checked on the parsed
//! HTML of every page. Broken files are generated here rather than kept as fixtures, so that
//! each test shows the exact bytes it feeds the build.
//!
//! Tests marked `// Was a bug:` caught a fault in the product while they were written; the
//! comment quotes what the product printed then, and the test keeps it fixed.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::io::Read;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use qissa::content::article::{ParseContext, parse_article};
use qissa::content::markdown::MarkdownOptions;
use scraper::{ElementRef, Html};

use crate::support::{Output, Workspace, attr, one, select, select_in, snapshot, text};

/// No build of these small sites may take longer, whatever it is fed.
const DEADLINE: Duration = Duration::from_secs(20);

/// A valid article's front matter; tests replace or add lines.
const FRONT: &str =
    "title: خبر للاختبار\ndate: 2026-01-01 10:00\nauthor: sara-ali\ncategory: security\n";

/// Where the article written from [`FRONT`] is published.
const FRONT_PAGE: &str = "security/خبر-للاختبار/index.html";

/// The file most tests break.
const F: &str = "content/articles/f.md";

/// An article file: `front` between the fences, then `body`.
fn article(front: &str, body: &str) -> String {
    format!("---\n{front}---\n{body}")
}

/// `file:N:` for the first line of `text` starting with `prefix`, counted from 1.
fn loc(file: &str, text: &str, prefix: &str) -> String {
    let n = text
        .split('\n')
        .position(|line| line.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starting with {prefix:?} in {text:?}"))
        + 1;
    format!("{file}:{n}:")
}

// ---------------------------------------------------------------------------------------
// Running the binary
// ---------------------------------------------------------------------------------------

/// One finished run of the binary.
struct Outcome {
    status: ExitStatus,
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

impl Outcome {
    fn show(&self) -> String {
        format!(
            "status {:?} (signal {:?}) after {:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.status.code(),
            self.status.signal(),
            self.elapsed,
            self.stdout,
            self.stderr
        )
    }

    /// The build failed as a build should: exit code 1, no signal, a message.
    fn assert_failed(&self) {
        assert_eq!(
            self.status.code(),
            Some(1),
            "the build must fail with exit code 1\n{}",
            self.show()
        );
        assert!(
            !self.stderr.trim().is_empty(),
            "no message\n{}",
            self.show()
        );
    }

    fn assert_succeeded(&self) {
        assert!(
            self.status.success(),
            "the build must succeed\n{}",
            self.show()
        );
    }
}

/// Runs `command`, killing it and failing the test when it outlives `deadline`.
fn run_with_deadline(mut command: Command, deadline: Duration) -> Outcome {
    let started = Instant::now();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the qissa binary");
    let reader = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let stdout = reader(Box::new(child.stdout.take().unwrap()));
    let stderr = reader(Box::new(child.stderr.take().unwrap()));
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for qissa") {
            break status;
        }
        if started.elapsed() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "qissa was still running after {deadline:?}; killed\n--- stderr\n{}",
                stderr.join().unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Outcome {
        status,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
        elapsed: started.elapsed(),
    }
}

/// `qissa build --root <root> --output <output>` with a deadline.
fn build(root: &Path, output: &Path) -> Outcome {
    build_args(&[
        "build".as_ref(),
        "--root".as_ref(),
        root.as_os_str(),
        "--output".as_ref(),
        output.as_os_str(),
    ])
}

fn build_args(args: &[&OsStr]) -> Outcome {
    let mut command = Command::new(env!("CARGO_BIN_EXE_qissa"));
    command.args(args);
    run_with_deadline(command, DEADLINE)
}

// ---------------------------------------------------------------------------------------
// A site with a good previous build
// ---------------------------------------------------------------------------------------

/// The `minimal` site, already built into its output folder (plus a file of the user's);
/// tests then break it and check that the next build fails cleanly.
struct Case {
    ws: Workspace,
    before: BTreeMap<PathBuf, Option<Vec<u8>>>,
}

impl Case {
    fn new() -> Case {
        Case::from(Workspace::fixture("minimal"))
    }

    fn from(ws: Workspace) -> Case {
        build(&ws.site(), &ws.output()).assert_succeeded();
        std::fs::write(ws.output().join("marker.txt"), "not made by qissa").unwrap();
        let before = snapshot(&ws.output());
        Case { ws, before }
    }

    fn site(&self) -> PathBuf {
        self.ws.site()
    }

    /// Writes `bytes` to `rel` inside the site, creating folders.
    fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        let path = self.site().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    fn build(&self) -> Outcome {
        build(&self.site(), &self.ws.output())
    }

    /// Builds, checks that the build failed cleanly, and returns what it printed.
    fn fails(&self) -> String {
        let run = self.build();
        run.assert_failed();
        self.assert_untouched();
        run.stderr
    }

    /// The output folder is as the previous build left it, with nothing beside it.
    fn assert_untouched(&self) {
        assert!(
            snapshot(&self.ws.output()) == self.before,
            "a failed build changed the output folder"
        );
        assert_no_leftovers(self.ws.path());
    }
}

/// No staging or half-swapped folder next to the output.
fn assert_no_leftovers(dir: &Path) {
    let leftovers: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".qissa-"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "left beside the output: {leftovers:?}"
    );
}

/// Panics unless `stderr` contains every one of `needles`.
fn expect(stderr: &str, needles: &[&str]) {
    for needle in needles {
        assert!(
            stderr.contains(needle),
            "stderr must mention {needle:?}:\n{stderr}"
        );
    }
}

/// The lines of `stderr` that start a diagnostic.
fn error_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|line| line.starts_with("error: "))
        .collect()
}

/// Writes `front` + a body into [`F`] and expects the build to fail naming `F` at the line
/// starting with `line_prefix` (when given) and mentioning `needles`.
fn assert_front_matter_fault(text: &str, line_prefix: Option<&str>, needles: &[&str]) -> String {
    let case = Case::new();
    case.write(F, text);
    let stderr = case.fails();
    expect(&stderr, &[F]);
    if let Some(prefix) = line_prefix {
        expect(&stderr, &[&loc(F, text, prefix)]);
    }
    expect(&stderr, needles);
    stderr
}

// ---------------------------------------------------------------------------------------
// Front matter
// ---------------------------------------------------------------------------------------

#[test]
fn unquoted_colon_in_a_value_is_invalid_yaml_on_its_line() {
    let text = article(
        "title: عاجل: انفجار في المخزن\ndate: 2026-01-01\nauthor: sara-ali\ncategory: security\n",
        "نص.\n",
    );
    assert_front_matter_fault(&text, Some("title:"), &["YAML", "quoted", "title: \""]);
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
    let ws = Workspace::fixture("minimal");
    ws.write(F, &clean);
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

// ---------------------------------------------------------------------------------------
// Encodings
// ---------------------------------------------------------------------------------------

#[test]
fn bom_crlf_and_mixed_line_endings_build_the_same_site_as_lf() {
    let lf = article(
        &format!("{FRONT}tags: [مصر, الأسواق]\nsummary:\n  - أولى\n  - ثانية\n"),
        "الفقرة الأولى\nتكملة السطر.\n\n## عنوان فرعي\n\n| أ | ب |\n|---|---|\n| 1 | 2 |\n\n```\ncode\n```\n",
    );
    let variants = [
        ("BOM", format!("\u{feff}{lf}")),
        ("CRLF", lf.replace('\n', "\r\n")),
        (
            "BOM + CRLF",
            format!("\u{feff}{}", lf.replace('\n', "\r\n")),
        ),
        (
            "mixed",
            lf.split('\n')
                .enumerate()
                .map(|(i, line)| format!("{line}{}", ["\r\n", "\n", "\r"][i % 3]))
                .collect::<String>()
                .trim_end_matches(['\r', '\n'])
                .to_string()
                + "\n",
        ),
    ];
    let ws = Workspace::fixture("minimal");
    ws.write(F, &lf);
    let reference_out = ws.path().join("out-lf");
    build(&ws.site(), &reference_out).assert_succeeded();
    let reference = snapshot(&reference_out);
    assert!(reference_out.join(FRONT_PAGE).is_file());
    for (i, (name, text)) in variants.iter().enumerate() {
        ws.write(F, text);
        let out = ws.path().join(format!("out-{i}"));
        build(&ws.site(), &out).assert_succeeded();
        let page = std::fs::read(out.join(FRONT_PAGE)).unwrap();
        assert!(
            page == std::fs::read(reference_out.join(FRONT_PAGE)).unwrap(),
            "{name}: the article page differs from the LF build"
        );
        assert!(
            snapshot(&out) == reference,
            "{name}: the site differs from the LF build"
        );
    }
}

#[test]
fn invalid_utf8_names_the_byte_offset_and_says_save_as_utf8() {
    let mut bytes = article(FRONT, "نص سليم\nثم بايت تالف: ").into_bytes();
    let offset = bytes.len();
    bytes.extend_from_slice(b"\xff\xfe tail\n");
    let line = bytes[..offset].iter().filter(|b| **b == b'\n').count() + 1;
    let case = Case::new();
    case.write(F, &bytes);
    let stderr = case.fails();
    expect(
        &stderr,
        &[
            &format!("{F}:{line}:"),
            "UTF-8",
            &format!("byte offset {offset}"),
        ],
    );
}

#[test]
fn utf16_with_bom_says_save_as_utf8() {
    let text = article(FRONT, "نص.\n");
    let le: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let be: Vec<u8> = [0xFE, 0xFF]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    for (name, bytes) in [("UTF-16LE", le), ("UTF-16BE", be)] {
        let case = Case::new();
        case.write(F, &bytes);
        let stderr = case.fails();
        expect(&stderr, &[F, "UTF-16", "UTF-8"]);
        // Was a bug: the issue asks for the byte offset with every encoding error; UTF-16 gets none:
        //   error: content/articles/f.md: the file is UTF-16, not UTF-8
        //     help: open it in your editor and save it with the encoding "UTF-8"
        assert!(
            stderr.contains("byte offset 0"),
            "{name}: the error must give the byte offset:\n{stderr}"
        );
    }
}

#[test]
fn windows_1256_says_save_as_utf8_with_the_byte_offset() {
    // «عنوان» in Windows-1256, as an old Arabic Windows editor saves it.
    let mut bytes = b"---\ntitle: ".to_vec();
    let offset = bytes.len();
    bytes.extend_from_slice(&[0xDA, 0xE4, 0xE6, 0xC7, 0xE4]);
    bytes.extend_from_slice(b"\ndate: 2026-01-01\nauthor: sara-ali\ncategory: security\n---\n");
    let case = Case::new();
    case.write(F, &bytes);
    let stderr = case.fails();
    expect(
        &stderr,
        &[
            &format!("{F}:2:"),
            "UTF-8",
            &format!("byte offset {offset}"),
            "Windows-1256",
        ],
    );
}

// ---------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------

#[test]
fn impossible_date_names_the_key_and_the_forms() {
    let text = article(&FRONT.replace("2026-01-01 10:00", "2024-02-30"), "نص.\n");
    assert_front_matter_fault(
        &text,
        Some("date:"),
        &["`date`", "2024-02-30", "2026-11-27"],
    );
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
    let ws = Workspace::fixture("minimal");
    ws.write(
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
}

// ---------------------------------------------------------------------------------------
// References
// ---------------------------------------------------------------------------------------

#[test]
fn unknown_author_lists_the_authors_and_the_nearest() {
    let text = article(&FRONT.replace("sara-ali", "sara-aly"), "نص.\n");
    assert_front_matter_fault(
        &text,
        Some("author:"),
        &[
            "`author`",
            "sara-aly",
            "did you mean `sara-ali`?",
            "valid choices: karim-nabil, sara-ali",
        ],
    );
}

#[test]
fn unknown_category_lists_the_categories_and_the_nearest() {
    let text = article(
        &FRONT.replace("category: security", "category: securty"),
        "نص.\n",
    );
    assert_front_matter_fault(
        &text,
        Some("category:"),
        &[
            "`category`",
            "securty",
            "did you mean `security`?",
            "security (أمن)",
            "sports (رياضة)",
        ],
    );
}

#[test]
fn unknown_template_lists_the_templates() {
    let text = article(&format!("{FRONT}template: nope.html\n"), "نص.\n");
    assert_front_matter_fault(
        &text,
        Some("template:"),
        &["`template`", "nope.html", "article.html", "page.html"],
    );
}

// ---------------------------------------------------------------------------------------
// Several faults, one run
// ---------------------------------------------------------------------------------------

#[test]
fn faults_in_several_files_are_all_reported_in_one_run() {
    let case = Case::new();
    let broken = [
        (
            "content/articles/a.md",
            article(&FRONT.replace("خبر للاختبار", "عاجل: خبر"), "نص.\n"),
            "title:",
        ),
        (
            "content/articles/b.md",
            article(
                &FRONT
                    .replace("2026-01-01 10:00", "2024-02-30")
                    .replace("خبر للاختبار", "خبر ب"),
                "نص.\n",
            ),
            "date:",
        ),
        (
            "content/articles/c.md",
            article(
                &format!("{}tags: عاجل\n", FRONT.replace("خبر للاختبار", "خبر ج")),
                "نص.\n",
            ),
            "tags:",
        ),
    ];
    for (file, text, _) in &broken {
        case.write(file, text);
    }
    let stderr = case.fails();
    for (file, text, prefix) in &broken {
        expect(&stderr, &[&loc(file, text, prefix)]);
    }
    assert_eq!(error_lines(&stderr).len(), 3, "{stderr}");
    expect(&stderr, &["3 errors"]);
}

#[test]
fn faults_of_every_kind_are_reported_in_one_run() {
    let case = Case::new();
    let broken = [
        // A YAML fault (found while parsing) …
        (
            "content/articles/a.md",
            article(&FRONT.replace("خبر للاختبار", "عاجل: خبر"), "نص.\n"),
            "title:",
        ),
        // … an unknown author (found while assembling the site) …
        (
            "content/articles/b.md",
            article(
                &FRONT
                    .replace("sara-ali", "nobody")
                    .replace("خبر للاختبار", "خبر ب"),
                "نص.\n",
            ),
            "author:",
        ),
        // … and an unknown template (found while rendering).
        (
            "content/articles/c.md",
            article(
                &format!(
                    "{}template: nope.html\n",
                    FRONT.replace("خبر للاختبار", "خبر ج")
                ),
                "نص.\n",
            ),
            "template:",
        ),
    ];
    for (file, text, _) in &broken {
        case.write(file, text);
    }
    let stderr = case.fails();
    // Was a bug: each stage stops the build, so only the parse fault is reported; the writer
    // fixes it and only then learns of the next one:
    //   error: content/articles/a.md:2: invalid YAML: mapping values are not allowed in this context
    //   build failed with 1 error; public files were left as they were
    for (file, text, prefix) in &broken {
        expect(&stderr, &[&loc(file, text, prefix)]);
    }
    assert_eq!(error_lines(&stderr).len(), 3, "{stderr}");
}

// ---------------------------------------------------------------------------------------
// URLs
// ---------------------------------------------------------------------------------------

fn titled(title: &str) -> String {
    article(&FRONT.replace("خبر للاختبار", title), "نص.\n")
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

#[test]
fn slug_equal_to_a_generated_list_page_is_an_error() {
    let ws = Workspace::fixture("minimal");
    let config = std::fs::read_to_string(ws.site().join("site.yaml")).unwrap();
    ws.write("site.yaml", &format!("{config}permalink: /:slug/\n"));
    let case = Case::from(ws);
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
    let ws = Workspace::fixture("minimal");
    let config = std::fs::read_to_string(ws.site().join("site.yaml")).unwrap();
    ws.write("site.yaml", &format!("{config}permalink: /:slug/\n"));
    assert_url_clash(
        &Case::from(ws),
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
    let ws = Workspace::fixture("minimal");
    let config = std::fs::read_to_string(ws.site().join("site.yaml")).unwrap();
    // With /:slug/ a `../..` slug would climb from the output folder straight out of the
    // temporary folder.
    ws.write("site.yaml", &format!("{config}permalink: /:slug/\n"));
    let case = Case::from(ws);
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

// ---------------------------------------------------------------------------------------
// The file system
// ---------------------------------------------------------------------------------------

#[test]
fn symlink_loops_in_content_end_fast_without_duplicates() {
    let case = Case::new();
    let articles = case.site().join("content/articles");
    std::os::unix::fs::symlink(".", articles.join("loop")).unwrap();
    std::os::unix::fs::symlink("../..", articles.join("up")).unwrap();
    std::os::unix::fs::symlink("ping", articles.join("pong")).unwrap();
    std::os::unix::fs::symlink("pong", articles.join("ping")).unwrap();
    let run = case.build();
    // Documented behaviour is missing; either outcome is acceptable as long as it is clean:
    // the links are skipped (today) or reported by name.
    match run.status.code() {
        Some(0) => {
            let pages = Output::new(case.ws.output()).html_files();
            let articles = pages
                .iter()
                .filter(|p| p.starts_with("security") || p.starts_with("sports"))
                .filter(|p| p.components().count() == 3)
                .count();
            assert_eq!(
                articles, 2,
                "the loop published an article twice: {pages:?}"
            );
        }
        Some(1) => {
            case.assert_untouched();
            expect(&run.stderr, &["loop"]);
        }
        _ => panic!("{}", run.show()),
    }
}

#[test]
fn symlinked_article_is_published_or_reported() {
    let case = Case::new();
    let elsewhere = case.ws.path().join("shared/derby-draw.md");
    std::fs::create_dir_all(elsewhere.parent().unwrap()).unwrap();
    let file = case.site().join("content/articles/derby-draw.md");
    std::fs::rename(&file, &elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, &file).unwrap();
    let run = case.build();
    // Was a bug: a symbolic link to an article is skipped without a word, and the article
    // silently disappears from the site:
    //   built 1 articles: 22 pages and 6 static files in 46 ms → …/public
    if run.status.success() {
        let out = Output::new(case.ws.output());
        assert!(
            out.has_page("/sports/تعادل-مثير-في-ديربي-المدينة/"),
            "the linked article vanished without an error\n{}",
            run.show()
        );
    } else {
        run.assert_failed();
        case.assert_untouched();
        expect(&run.stderr, &["content/articles/derby-draw.md"]);
    }
}

/// The user id the tests run as.
fn uid() -> u32 {
    let out = Command::new("id").arg("-u").output().expect("run id -u");
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
}

#[test]
fn unreadable_article_names_the_file() {
    use std::os::unix::fs::PermissionsExt;
    let case = Case::new();
    let file = case.site().join("content/articles/market-fire.md");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).unwrap();
    let qissa = env!("CARGO_BIN_EXE_qissa");
    let mut command = if uid() != 0 {
        Command::new(qissa)
    } else {
        // Root reads any file: run the build as `nobody` when the system allows it.
        let setpriv = ["--reuid=65534", "--regid=65534", "--clear-groups"];
        let works = Command::new("setpriv")
            .args(setpriv)
            .arg(qissa)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        if !works {
            eprintln!(
                "skipped: running as root, which can read a chmod 000 file, and setpriv cannot drop to nobody"
            );
            return;
        }
        std::fs::set_permissions(case.ws.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
        let mut command = Command::new("setpriv");
        command.args(setpriv).arg(qissa);
        command
    };
    command
        .arg("build")
        .arg("--root")
        .arg(case.site())
        .arg("--output")
        .arg(case.ws.output());
    let run = run_with_deadline(command, DEADLINE);
    run.assert_failed();
    case.assert_untouched();
    expect(
        &run.stderr.to_lowercase(),
        &[
            "content/articles/market-fire.md",
            "cannot read",
            "permission denied",
        ],
    );
}

#[test]
fn hidden_and_editor_temp_files_are_ignored() {
    let ws = Workspace::fixture("minimal");
    let clean = ws.path().join("clean");
    build(&ws.site(), &clean).assert_succeeded();
    let garbage = b"---\ntitle: [unclosed\n\xff\xfe";
    for name in [
        ".#x.md",
        "x.md~",
        ".x.swp",
        ".x.md.swp",
        "#x.md#",
        ".hidden.md",
        ".drafts/y.md",
        "x.md.tmp",
    ] {
        let path = ws.site().join("content/articles").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, garbage).unwrap();
    }
    let run = build(&ws.site(), &ws.output());
    run.assert_succeeded();
    assert!(
        snapshot(&ws.output()) == snapshot(&clean),
        "temp files changed the site"
    );
}

/// Builds the `minimal` site with `--output <output>` (run from inside the temporary folder
/// so relative forms can be tried) and checks that it is refused and nothing changed.
fn assert_output_refused(ws: &Workspace, output: &Path) {
    let before = snapshot(ws.path());
    let mut command = Command::new(env!("CARGO_BIN_EXE_qissa"));
    command
        .current_dir(ws.path())
        .arg("build")
        .arg("--root")
        .arg("site")
        .arg("--output")
        .arg(output);
    let run = run_with_deadline(command, DEADLINE);
    run.assert_failed();
    expect(&run.stderr, &["refusing", "help: "]);
    assert!(
        snapshot(ws.path()) == before,
        "--output {}: the refused build changed files\n{}",
        output.display(),
        run.stderr
    );
}

#[test]
fn output_folder_that_holds_the_site_is_refused() {
    let ws = Workspace::fixture("minimal");
    build(&ws.site(), &ws.output()).assert_succeeded();
    let site = ws.site();
    let outputs = [
        site.clone(),
        ws.path().to_path_buf(),
        PathBuf::from("site"),
        PathBuf::from("site/"),
        PathBuf::from("site/."),
        PathBuf::from("."),
        PathBuf::from("site/content/.."),
        site.join("content"),
        site.join("content/out"),
        site.join("content/articles"),
        PathBuf::from("site/content/articles/new"),
        site.join("static"),
    ];
    for output in outputs {
        assert_output_refused(&ws, &output);
    }
}

#[test]
fn output_that_is_a_symlink_to_the_site_is_refused() {
    let ws = Workspace::fixture("minimal");
    std::os::unix::fs::symlink("site", ws.path().join("link")).unwrap();
    assert_output_refused(&ws, Path::new("link"));
}

#[test]
fn output_that_is_a_symlink_to_a_folder_is_replaced_or_refused_never_emptied() {
    let ws = Workspace::fixture("minimal");
    let www = ws.path().join("www");
    build(&ws.site(), &www).assert_succeeded();
    std::fs::write(www.join("marker.txt"), "the host's own file").unwrap();
    std::os::unix::fs::symlink("www", ws.path().join("public")).unwrap();
    let before = snapshot(&www);
    // Was a bug: the first build fails without saying what it refused or what to do:
    //   error: …/public/: refusing to write
    // and the writer's second try renames the link away, deletes everything in www/
    // through it (the host's file too), puts a real folder where the link was, fails on
    // removing the link and leaves …/.public.qissa-old-<pid> -> www beside it:
    //   error: …/public: Not a directory (os error 20)
    for attempt in 1..=2 {
        let run = build(&ws.site(), &ws.output());
        assert_no_leftovers(ws.path());
        if run.status.success() {
            assert!(ws.output().join("index.html").is_file());
            return;
        }
        run.assert_failed();
        assert!(
            snapshot(&www) == before,
            "attempt {attempt}: a failed build emptied the folder the output links to\n{}",
            run.stderr
        );
        expect(&run.stderr, &["help: "]);
    }
}

// ---------------------------------------------------------------------------------------
// Markup safety
// ---------------------------------------------------------------------------------------

/// Attributes whose value is a URL a browser may follow or load.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "poster",
    "srcset",
    "data",
    "background",
];

/// Elements no front matter or Markdown may bring into a page.
const FORBIDDEN_ELEMENTS: &[&str] = &[
    "iframe", "object", "embed", "frame", "frameset", "applet", "svg", "math", "base", "form",
];

/// A URL a browser would run as script or render as a document.
fn is_script_url(value: &str) -> bool {
    let squeezed: String = value
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|scheme| squeezed.starts_with(scheme))
}

/// The inline scripts of the theme, as a clean build writes them.
fn theme_scripts(out: &Output) -> BTreeSet<String> {
    let mut scripts = BTreeSet::new();
    for (_, doc) in out.pages() {
        for script in select(&doc, "script") {
            if script.value().attr("type") != Some("application/ld+json") {
                scripts.insert(script.inner_html());
            }
        }
    }
    scripts
}

/// Every element of every page: no event handler, no script URL, no foreign element, and
/// only the theme's own scripts (JSON-LD that parses and never contains `<`).
fn assert_inert(out: &Output, allowed_scripts: &BTreeSet<String>) {
    for (path, doc) in out.pages() {
        for el in select(&doc, "*") {
            let name = el.value().name();
            assert!(
                !FORBIDDEN_ELEMENTS.contains(&name),
                "{path}: <{name}> was published: {}",
                el.html()
            );
            for (attribute, value) in el.value().attrs() {
                assert!(
                    !attribute.to_ascii_lowercase().starts_with("on"),
                    "{path}: event handler {attribute}={value:?} on <{name}>"
                );
                if URL_ATTRIBUTES.contains(&attribute) {
                    assert!(
                        !is_script_url(value),
                        "{path}: <{name} {attribute}={value:?}>"
                    );
                }
                assert!(
                    !(name == "meta" && attribute.eq_ignore_ascii_case("http-equiv")),
                    "{path}: {}",
                    el.html()
                );
            }
        }
        for script in select(&doc, "script") {
            assert!(
                script.value().attr("src").is_none(),
                "{path}: {}",
                script.html()
            );
            let code = script.inner_html();
            if script.value().attr("type") == Some("application/ld+json") {
                assert!(
                    !code.contains('<'),
                    "{path}: `<` inside JSON-LD can close the script: {code}"
                );
                serde_json::from_str::<serde_json::Value>(&code)
                    .unwrap_or_else(|e| panic!("{path}: JSON-LD does not parse ({e}): {code}"));
            } else {
                assert!(
                    allowed_scripts.contains(&code),
                    "{path}: a script that is not the theme's: {}",
                    script.html()
                );
            }
        }
    }
}

/// The hostile article, author and page, and what they must read once published.
const HOSTILE_TITLE: &str =
    "\"><script>alert('title')</script> </title><script>alert(2)</script> O'Reilly & Sons";
const HOSTILE_DESCRIPTION: &str =
    "\" onload=\"alert(6)\" x=\"' & <!-- </script><script>alert(26)</script>";

fn hostile_build() -> (Workspace, Output) {
    let ws = Workspace::fixture("fault-hostile");
    let out = ws.build_ok(&[]);
    (ws, out)
}

fn hostile_article_path(out: &Output) -> String {
    out.pages()
        .into_iter()
        .map(|(path, _)| path)
        .find(|p| p.starts_with("/security/script-alert-title"))
        .expect("the hostile article is published")
}

#[test]
fn hostile_content_comes_out_inert_on_every_page() {
    let clean_ws = Workspace::fixture("minimal");
    let clean = clean_ws.build_ok(&[]);
    let allowed = theme_scripts(&clean);
    assert!(!allowed.is_empty(), "the theme has an inline script");
    let (_ws, out) = hostile_build();
    assert_inert(&out, &allowed);

    // Each page has exactly the theme's scripts: as many as a clean page of its kind.
    let count = |doc: &Html| select(doc, "script").len();
    let clean_article = clean.page("/security/السيطرة-على-حريق-محدود-في-سوق-الخضار/");
    let hostile = out.page(&hostile_article_path(&out));
    assert_eq!(count(&hostile), count(&clean_article));
    assert_eq!(count(&out.page("/")), count(&clean.page("/")));
}

#[test]
fn raw_html_in_markdown_is_shown_as_text() {
    let (_ws, out) = hostile_build();
    let doc = out.page(&hostile_article_path(&out));
    let prose = one(&doc, ".prose");
    assert!(select(&doc, "iframe").is_empty());
    assert!(select(&doc, "[onclick], [onerror], [onload]").is_empty());
    let shown = text(prose);
    for raw in [
        "<iframe src=\"https://evil.example/\"></iframe>",
        "<script>alert(10)</script>",
        "<div onclick=\"alert(11)\">raw block</div>",
    ] {
        assert!(shown.contains(raw), "{raw:?} is not shown as text: {shown}");
    }
    // The lead (first paragraph) goes to the meta description as plain text.
    let description = attr(one(&doc, "meta[name=description]"), "content");
    assert!(
        description.contains("<script>alert(8)</script>"),
        "{description}"
    );

    let page = out.page("/hostile-page/");
    assert!(select(&page, "iframe").is_empty());
    assert!(text(one(&page, ".prose")).contains("<iframe src="));
}

#[test]
fn script_and_data_urls_are_dropped_from_links_and_images() {
    let (_ws, out) = hostile_build();
    let doc = out.page(&hostile_article_path(&out));
    let prose = one(&doc, ".prose");
    for label in ["a", "b", "c", "d", "e", "f", "g", "h", "i", "ref link"] {
        let link = select_in(prose, "a")
            .into_iter()
            .find(|a| text(*a) == label)
            .unwrap_or_else(|| panic!("link {label:?} lost its text: {}", prose.html()));
        let href = link.value().attr("href").unwrap_or("");
        assert!(!is_script_url(href), "link {label:?} kept href {href:?}");
        assert!(
            !href.to_ascii_lowercase().contains("script:"),
            "link {label:?}: {href:?}"
        );
    }
    let images = select_in(prose, "img");
    assert_eq!(images.len(), 3, "{}", prose.html());
    for img in images {
        let src = img.value().attr("src").unwrap_or("");
        assert!(!is_script_url(src), "image source {src:?} kept");
    }
}

/// Documented: `allow_raw_html: true` publishes the HTML written in Markdown (trusted
/// newsrooms), but script links are still dropped and front matter is still escaped.
#[test]
fn allow_raw_html_publishes_markdown_html_and_nothing_else() {
    let ws = Workspace::fixture("fault-hostile");
    let config = std::fs::read_to_string(ws.site().join("site.yaml")).unwrap();
    ws.write("site.yaml", &format!("{config}allow_raw_html: true\n"));
    let out = ws.build_ok(&[]);
    let doc = out.page(&hostile_article_path(&out));
    let prose = one(&doc, ".prose");
    assert_eq!(select_in(prose, "iframe").len(), 1, "{}", prose.html());
    assert_eq!(
        select_in(prose, "div[onclick]").len(),
        1,
        "{}",
        prose.html()
    );
    for link in select_in(prose, "a[href]") {
        let href = attr(link, "href");
        assert!(!is_script_url(href), "{}", link.html());
    }
    assert_eq!(text(one(&doc, "h1")), HOSTILE_TITLE);
    assert_eq!(
        text(one(&doc, "title")),
        format!("{HOSTILE_TITLE} | أخبار الحي")
    );
}

#[test]
fn front_matter_strings_are_escaped_in_every_context() {
    let (_ws, out) = hostile_build();
    let doc = out.page(&hostile_article_path(&out));
    let site = "أخبار الحي";

    // Text, <title>, attributes: the parsed value is exactly what the writer typed.
    assert_eq!(text(one(&doc, "h1")), HOSTILE_TITLE);
    assert_eq!(
        text(one(&doc, "title")),
        format!("{HOSTILE_TITLE} | {site}")
    );
    for selector in ["meta[property='og:title']", "meta[name='twitter:title']"] {
        assert_eq!(
            attr(one(&doc, selector), "content"),
            HOSTILE_TITLE,
            "{selector}"
        );
    }
    let tags: Vec<&str> = select(&doc, "meta[property='article:tag']")
        .into_iter()
        .map(|m| attr(m, "content"))
        .collect();
    assert_eq!(
        tags,
        [
            "\"><img src=x onerror=alert(3)>",
            "</script><script>alert(4)</script>"
        ]
    );
    let summary = text(one(&doc, ".summary li"));
    assert_eq!(summary, "<b onmouseover=alert(5)>bold</b> & 'quoted'");

    // JSON-LD: the headline survives as data.
    let json: Vec<serde_json::Value> = select(&doc, "script[type='application/ld+json']")
        .into_iter()
        .map(|s| serde_json::from_str(&s.inner_html()).unwrap())
        .collect();
    assert!(
        json.iter()
            .any(|v| v.to_string().contains("O'Reilly & Sons")),
        "{json:?}"
    );

    // The description in the meta tags of its article.
    let described = out
        .pages()
        .into_iter()
        .map(|(path, _)| path)
        .find(|p| p.starts_with("/sports/") && p.contains("وصف"))
        .expect("the article with a hostile description");
    let doc = out.page(&described);
    for selector in [
        "meta[name=description]",
        "meta[property='og:description']",
        "meta[name='twitter:description']",
    ] {
        assert_eq!(
            attr(one(&doc, selector), "content"),
            HOSTILE_DESCRIPTION,
            "{selector}"
        );
    }
    assert_eq!(text(one(&doc, ".lead")), HOSTILE_DESCRIPTION);

    // The author's name and role, and the plain page's title.
    let author = out.page("/authors/hostile-writer/");
    assert_eq!(
        text(one(&author, "h1")),
        "<script>alert(27)</script> \"writer\" & 'co'"
    );
    assert!(all_text_of(&author).contains("\"><img src=x onerror=alert(28)>"));
    let page = out.page("/hostile-page/");
    assert_eq!(text(one(&page, "h1")), "</title><script>alert(31)</script>");
    assert_eq!(
        attr(one(&page, "meta[name=description]"), "content"),
        "\"><script>alert(32)</script>"
    );
}

fn all_text_of(doc: &Html) -> String {
    doc.root_element().text().collect::<Vec<_>>().join(" ")
}

/// Elements a clean page's `<head>` has, so that an injected one would show up.
#[test]
fn hostile_strings_add_no_element_to_the_head() {
    let clean_ws = Workspace::fixture("minimal");
    let clean = clean_ws.build_ok(&[]);
    let (_ws, out) = hostile_build();
    let names = |doc: &Html| -> Vec<String> {
        let head = one(doc, "head");
        head.descendants()
            .filter_map(ElementRef::wrap)
            .map(|e| e.value().name().to_string())
            .filter(|n| n != "meta")
            .collect()
    };
    let clean_article = clean.page("/security/السيطرة-على-حريق-محدود-في-سوق-الخضار/");
    let hostile = out.page(&hostile_article_path(&out));
    assert_eq!(names(&hostile), names(&clean_article));
}

// ---------------------------------------------------------------------------------------
// Templates
// ---------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------
// The page parser never panics
// ---------------------------------------------------------------------------------------

fn parse_context() -> ParseContext {
    ParseContext {
        timezone: jiff::tz::TimeZone::get("Africa/Cairo").unwrap(),
        markdown: MarkdownOptions {
            base_path: "/news/".into(),
            allow_html: false,
        },
    }
}

/// The whole page parse, as a build runs it on one file, plus the title's slug.
fn parse(bytes: &[u8]) {
    let ctx = parse_context();
    if let Ok(article) = parse_article(Path::new("content/articles/f.md"), bytes, &ctx) {
        let slug = qissa::arabic::text::slugify(&article.title);
        assert!(!slug.contains(['/', '\\', '\0']), "{slug:?}");
        assert!(!article.slug.value.is_empty());
    }
}

/// A full, valid article using every key.
fn valid_article() -> String {
    article(
        &format!(
            "{FRONT}tags: [مصر, السعودية]\nsummary:\n  - نقطة\ndescription: وصف\n\
             image: https://example.com/a.jpg\nimage_alt: صورة\nslug: saudi-deal\n\
             updated: 2026-01-02T09:00:00+02:00\ndraft: false\ntemplate: article.html\n"
        ),
        "الفقرة الأولى.\n\n## عنوان\n\n| أ | ب |\n|---|---|\n| 1 | 2 |\n\n:::en\nEnglish.\n:::\n\n\
         [رابط](/about/) [en](lang:en) `code`[^1]\n\n[^1]: حاشية.\n",
    )
}

/// A byte-level edit of a file.
#[derive(Debug, Clone)]
enum Edit {
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
    Replace(usize, u8),
    Duplicate(usize, usize),
}

fn apply(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for edit in edits {
        let len = bytes.len().max(1);
        match edit {
            Edit::Insert(at, new) => {
                let at = at % (bytes.len() + 1);
                bytes.splice(at..at, new.iter().copied());
            }
            Edit::Delete(at, n) if !bytes.is_empty() => {
                let at = at % len;
                let end = (at + n).min(bytes.len());
                bytes.drain(at..end);
            }
            Edit::Replace(at, byte) if !bytes.is_empty() => {
                let at = at % len;
                bytes[at] = *byte;
            }
            Edit::Duplicate(at, n) if !bytes.is_empty() => {
                let at = at % len;
                let end = (at + n).min(bytes.len());
                let piece = bytes[at..end].to_vec();
                bytes.splice(at..at, piece);
            }
            _ => {}
        }
    }
    bytes
}

fn edit() -> impl Strategy<Value = Edit> {
    let interesting = prop::sample::select(vec![
        b"---\n".to_vec(),
        b": ".to_vec(),
        b"\r".to_vec(),
        b"\t".to_vec(),
        b"&a ".to_vec(),
        b"*a".to_vec(),
        b"[".to_vec(),
        b"{".to_vec(),
        b"\"".to_vec(),
        b"\xef\xbb\xbf".to_vec(),
        b"\xff".to_vec(),
        "\u{0651}".as_bytes().to_vec(),
        "\u{0640}".as_bytes().to_vec(),
        "\u{200f}".as_bytes().to_vec(),
        "٢".as_bytes().to_vec(),
        b":::".to_vec(),
        b"\n- ".to_vec(),
        b"|".to_vec(),
        b"](".to_vec(),
        b"<".to_vec(),
    ]);
    prop_oneof![
        (any::<usize>(), interesting).prop_map(|(at, b)| Edit::Insert(at, b)),
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(at, b)| Edit::Insert(at, b)),
        (any::<usize>(), 1..16usize).prop_map(|(at, n)| Edit::Delete(at, n)),
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Edit::Replace(at, b)),
        (any::<usize>(), 1..64usize).prop_map(|(at, n)| Edit::Duplicate(at, n)),
    ]
}

/// YAML-ish front matter: known and unknown keys with scalar, list, map and odd values.
fn front_matter() -> impl Strategy<Value = String> {
    // Every key the product knows, plus a typo and a stranger.
    let mut keys: Vec<&'static str> = qissa::content::article::ARTICLE_KEYS.to_vec();
    keys.extend(["titel", "x"]);
    let key = prop::sample::select(keys);
    let value = prop_oneof![
        any::<String>().prop_map(|s| format!("{s:?}")),
        "[^\n]{0,40}",
        Just("[a, b]".to_string()),
        Just("\n  - أ\n  - ب".to_string()),
        Just("{a: 1}".to_string()),
        Just("2026-11-27 14:30".to_string()),
        Just("٢٠٢٦-١١-٢٧".to_string()),
        Just("2024-02-30".to_string()),
        Just("&x [1]".to_string()),
        Just("*x".to_string()),
        Just("true".to_string()),
        Just("~".to_string()),
        Just("!!binary aGk=".to_string()),
        (0i64..=i64::MAX).prop_map(|n| n.to_string()),
    ];
    prop::collection::vec((key, value), 0..12).prop_map(|pairs| {
        pairs
            .into_iter()
            .map(|(k, v)| format!("{k}: {v}\n"))
            .collect()
    })
}

proptest! {
    // Failures are shown with their minimal input; no regressions file is written.
    #![proptest_config(ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn page_parser_never_panics_on_arbitrary_bytes(
        bytes in prop::collection::vec(any::<u8>(), 0..2048)
    ) {
        parse(&bytes);
    }

    #[test]
    fn page_parser_never_panics_on_arbitrary_text_in_front_matter_fences(
        yaml in any::<String>(),
        body in any::<String>(),
    ) {
        parse(format!("---\n{yaml}\n---\n{body}").as_bytes());
    }

    #[test]
    fn page_parser_never_panics_on_generated_front_matter(
        front in front_matter(),
        body in "(\\PC|\n){0,200}",
    ) {
        parse(format!("---\n{front}---\n{body}").as_bytes());
    }

    #[test]
    fn page_parser_never_panics_with_whitespace_after_the_fences(
        opening in "[ \t\u{c}\u{b}]{0,8}",
        closing in "[ \t\u{c}]{0,8}",
        last in "[a-z ]{0,6}[\u{621}-\u{64a}]{0,6}",
    ) {
        // Was a bug: panics whenever the opening fence's whitespace reaches back into a
        // multi-byte letter (see `whitespace_after_the_fences_builds_the_same_page`).
        let text = format!("---{opening}\n{FRONT}description: {last}\n---{closing}\nنص.\n");
        parse(text.as_bytes());
    }

    #[test]
    fn page_parser_never_panics_on_mutated_valid_articles(
        edits in prop::collection::vec(edit(), 1..12)
    ) {
        parse(&apply(valid_article().into_bytes(), &edits));
    }
}

/// The crash the fuzzer found (fuzz/artifacts/page/crash-5653d2eb…): `---` followed by
/// form feeds, then a front matter whose last value ends in Arabic.
const FUZZ_CRASH_FENCE: &str = "LS0tDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMCnRpdGxlOiDYp9mE2YXYr9ix2Kgg2YrZhNiq2LLZhSDYp9mE2LUKCgoKCgoKCgoKCgoKCgoKCjEAAAAKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCtmF2Kog2KjYudivINin2YTYrtiz2KfYsdipINin2YQtINmE2YXYp9iw2Kcg2KrYo9iu2LEg2KfZhN2C2LHYp9ixINifCi0g2YV1dGhvcjogaGFsYS1vcnk6IG8raW5pb24KLS0tCgrZgtin2YQg2KfZhNmI2LLZitixINiMINir2YUK";

#[test]
fn page_parser_survives_the_fuzzer_crash() {
    let bytes = decode_base64(FUZZ_CRASH_FENCE);
    // Was a bug: panics in frontmatter::split (src/content/frontmatter.rs:96:27):
    //   start byte index 196 is not a char boundary; it is inside 'ر' (bytes 195..197)
    parse(&bytes);
}

fn decode_base64(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for byte in text.bytes().filter(|b| *b != b'=') {
        let value = ALPHABET.iter().position(|a| *a == byte).expect("base64") as u32;
        bits = (bits << 6) | value;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    out
}

#[test]
fn the_valid_article_used_for_mutation_parses() {
    let ctx = parse_context();
    let parsed = parse_article(Path::new(F), valid_article().as_bytes(), &ctx);
    assert!(parsed.is_ok(), "{:?}", parsed.err());
}
