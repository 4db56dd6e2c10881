//! `qissa new`: a new site builds at once from the binary alone; new articles, authors and
//! pages get complete, checked front matter; an article's URL survives a new headline.

use std::path::Path;
use std::process::Command;

use crate::support::{Output, Workspace, run_build, yaml_value};

/// Runs `qissa <args…>` in `dir`: (success, stdout, stderr).
fn qissa(dir: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_qissa"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs `qissa new <args…>` in `dir`.
fn new(dir: &Path, args: &[&str]) -> (bool, String, String) {
    qissa(dir, &[&["new"], args].concat())
}

/// A new site in a fresh folder, and that folder.
fn new_site() -> (Workspace, std::path::PathBuf) {
    let ws = Workspace::empty();
    let (ok, _, stderr) = new(ws.path(), &["site", "newsroom", "--title", "أخبار الواحة"]);
    assert!(ok, "{stderr}");
    let site = ws.path().join("newsroom");
    (ws, site)
}

/// Now in the new site's timezone (its language is ar-EG).
fn cairo_now() -> jiff::ZonedDateTime {
    jiff::Timestamp::now().to_zoned_datetime(jiff::tz::TimeZone::get("Africa/Cairo").unwrap())
}

fn build(site: &Path) -> Output {
    let output = site.join("public");
    run_build(site, &output, &["--drafts"]).expect_success();
    Output::new(output)
}

#[test]
fn a_new_site_builds_at_once_with_every_key_explained() {
    let (_ws, site) = new_site();
    let out = build(&site);
    assert!(out.has_page("/"));
    assert!(out.has_page("/about/"));
    assert!(out.has_page("/authors/editor/"));
    assert!(out.has_page("/local/welcome/"));
    let yaml = std::fs::read_to_string(site.join("site.yaml")).unwrap();
    assert_eq!(yaml_value(&site.join("site.yaml"), "title"), "أخبار الواحة");
    assert_eq!(
        yaml_value(&site.join("site.yaml"), "timezone"),
        "Africa/Cairo"
    );
    // Every key is preceded by a comment line in Arabic and English.
    let lines: Vec<&str> = yaml.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let is_key = !line.starts_with([' ', '#']) && line.contains(':');
        if is_key {
            let comment = lines[i - 1];
            assert!(comment.starts_with("# "), "no comment above {line}");
            let arabic = comment
                .chars()
                .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c));
            let english = comment
                .split(" — ")
                .nth(1)
                .is_some_and(|en| en.chars().any(|c| c.is_ascii_alphabetic()));
            assert!(
                arabic && english,
                "comment above {line} is not in both languages"
            );
        }
    }
}

#[test]
fn a_new_site_refuses_a_folder_that_is_not_empty() {
    let ws = Workspace::empty();
    std::fs::create_dir(ws.path().join("newsroom")).unwrap();
    std::fs::write(ws.path().join("newsroom/notes.txt"), "mine").unwrap();
    let (ok, _, stderr) = new(ws.path(), &["site", "newsroom"]);
    assert!(!ok);
    assert!(stderr.contains("not empty"), "{stderr}");
    let entries = std::fs::read_dir(ws.path().join("newsroom"))
        .unwrap()
        .count();
    assert_eq!(entries, 1, "nothing was written");
}

#[test]
fn a_new_article_is_a_dated_draft_whose_url_survives_a_new_headline() {
    let (_ws, site) = new_site();
    let (ok, stdout, stderr) = new(
        &site,
        &[
            "article",
            "افتتاح: مكتبة جديدة في الحي",
            "--category",
            "سياسة",
            "--tags",
            "ثقافة، مكتبات",
        ],
    );
    assert!(ok, "{stderr}");
    let year = cairo_now().year();
    let file = site.join(format!(
        "content/articles/{year}/افتتاح-مكتبة-جديدة-في-الحي.md"
    ));
    assert!(
        stdout.contains(&format!(
            "created {}",
            Path::new(".")
                .join(file.strip_prefix(&site).unwrap())
                .display()
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains("preview: http://127.0.0.1:1111/politics/"),
        "{stdout}"
    );
    assert_eq!(yaml_value(&file, "slug"), "افتتاح-مكتبة-جديدة-في-الحي");
    assert_eq!(yaml_value(&file, "draft"), "true");
    assert_eq!(yaml_value(&file, "category"), "politics");
    assert_eq!(yaml_value(&file, "author"), "editor");
    let date = yaml_value(&file, "date");
    let cairo_today = cairo_now().strftime("%Y-%m-%d").to_string();
    assert!(
        date.starts_with(&cairo_today),
        "{date} is not today in Cairo"
    );
    let path = "/politics/افتتاح-مكتبة-جديدة-في-الحي/";
    assert!(build(&site).has_page(path));
    // A corrected headline keeps the published address.
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("مكتبة جديدة", "أكبر مكتبة")).unwrap();
    assert!(build(&site).has_page(path));
}

#[test]
fn published_at_once_with_publish() {
    let (_ws, site) = new_site();
    let (ok, _, stderr) = new(&site, &["article", "خبر عاجل", "--publish"]);
    assert!(ok, "{stderr}");
    let year = cairo_now().year();
    let text =
        std::fs::read_to_string(site.join(format!("content/articles/{year}/خبر-عاجل.md"))).unwrap();
    assert!(!text.contains("draft:"), "{text}");
}

#[test]
fn unknown_categories_and_authors_list_the_valid_choices() {
    let (_ws, site) = new_site();
    let (ok, _, stderr) = new(&site, &["article", "خبر", "--category", "weather"]);
    assert!(!ok);
    assert!(stderr.contains("unknown category `weather`"), "{stderr}");
    assert!(stderr.contains("local, politics, sports"), "{stderr}");
    let (ok, _, stderr) = new(&site, &["article", "خبر", "--author", "nobody"]);
    assert!(!ok);
    assert!(
        stderr.contains("unknown author `nobody`") && stderr.contains("editor"),
        "{stderr}"
    );
    let articles = walkdir::WalkDir::new(site.join("content/articles"))
        .into_iter()
        .filter(|e| e.as_ref().is_ok_and(|e| e.file_type().is_file()))
        .count();
    assert_eq!(articles, 1, "nothing was written");
}

#[test]
fn new_authors_and_pages_build_and_never_overwrite() {
    let (_ws, site) = new_site();
    let (ok, stdout, stderr) = new(&site, &["author", "mona-adel", "--name", "منى عادل"]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("http://127.0.0.1:1111/authors/mona-adel/"));
    let (ok, _, stderr) = new(&site, &["page", "contact", "--title", "اتصل بنا"]);
    assert!(ok, "{stderr}");
    let out = build(&site);
    assert!(out.has_page("/authors/mona-adel/"));
    assert!(out.has_page("/contact/"));
    let (ok, _, stderr) = new(&site, &["page", "contact"]);
    assert!(!ok && stderr.contains("already exists"), "{stderr}");
    let (ok, _, stderr) = new(&site, &["author", "Mona Adel", "--name", "منى"]);
    assert!(!ok && stderr.contains("cannot be an author id"), "{stderr}");
    // With two authors, an article must say whose it is.
    let (ok, _, stderr) = new(&site, &["article", "خبر"]);
    assert!(!ok && stderr.contains("--author"), "{stderr}");
}

/// Runs `qissa theme eject <args…>` (the site is named with `--root`).
fn eject(args: &[&str]) -> (bool, String, String) {
    qissa(Path::new("."), &[&["theme", "eject"], args].concat())
}

#[test]
fn an_ejected_theme_is_what_the_site_builds_with_and_is_never_overwritten() {
    let ws = Workspace::fixture("minimal");
    let root = ws.site();
    let root_arg = root.to_str().unwrap();
    let (ok, stdout, stderr) = eject(&["--root", root_arg]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("themes/qissa"), "{stdout}");
    let base = root.join("themes/qissa/templates/base.html");
    let edited = std::fs::read_to_string(&base)
        .unwrap()
        .replace("{{ strings.skip_link }}", "انتقل إلى الخبر");
    std::fs::write(&base, &edited).unwrap();
    let out = ws.build_ok(&[]);
    let home = out.page("/");
    assert_eq!(
        crate::support::text(crate::support::one(&home, ".skip-link")),
        "انتقل إلى الخبر"
    );

    let (ok, _, stderr) = eject(&["qissa", "--root", root_arg]);
    assert!(!ok && stderr.contains("already exists"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&base).unwrap(),
        edited,
        "the edit survives"
    );
    let (ok, _, stderr) = eject(&["paper", "--root", root_arg]);
    assert!(!ok && stderr.contains("built-in themes: qissa"), "{stderr}");
}
