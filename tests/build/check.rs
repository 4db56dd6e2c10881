//! `qissa check` on the built demo site: clean from the domain root and under a sub-path, and
//! every kind of fault, made by editing or deleting files of a fresh build, is reported with
//! the file, what is wrong and the link as written; a missing output folder is exit status 2.

use std::path::Path;
use std::process::Command;

use crate::support::{Output, Workspace, attr, decode_href, file_for_path, select};

/// What one run of `qissa check` did.
struct Checked {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Checked {
    /// The `error: …` lines.
    fn errors(&self) -> Vec<&str> {
        self.stdout
            .lines()
            .filter(|l| l.starts_with("error: "))
            .collect()
    }

    /// Panics unless some error line starts with `prefix` and contains every one of `parts`.
    fn assert_reports(&self, prefix: &str, parts: &[&str]) {
        assert!(
            self.errors()
                .iter()
                .any(|l| l.starts_with(prefix) && parts.iter().all(|p| l.contains(p))),
            "no line starting with {prefix:?} containing {parts:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
    }

    fn show(&self) -> String {
        format!("--- stdout\n{}\n--- stderr\n{}", self.stdout, self.stderr)
    }
}

/// Runs `qissa check --root <site> --output <output> <extra…>`.
fn check(ws: &Workspace, output: &Path, extra: &[&str]) -> Checked {
    let out = Command::new(env!("CARGO_BIN_EXE_qissa"))
        .arg("check")
        .arg("--root")
        .arg(ws.site())
        .arg("--output")
        .arg(output)
        .args(extra)
        .output()
        .expect("run the qissa binary");
    Checked {
        code: out.status.code().expect("exited normally"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A fresh build of the demo site.
fn demo() -> (Workspace, Output) {
    let ws = Workspace::demo();
    let out = ws.build_ok(&[]);
    (ws, out)
}

/// Rewrites output file `rel` with `edit`, which must change it.
fn edit(out: &Output, rel: &str, edit: impl Fn(&str) -> String) {
    let path = out.root.join(rel);
    let before = std::fs::read_to_string(&path).unwrap();
    let after = edit(&before);
    assert_ne!(before, after, "the edit of {rel} changed nothing");
    std::fs::write(path, after).unwrap();
}

/// Asserts a clean run and that it read every page and a fair number of links.
fn assert_clean(checked: &Checked, out: &Output) {
    assert_eq!(checked.code, 0, "check failed\n{}", checked.show());
    let pages = out.html_files().len();
    let summary = checked.stdout.lines().last().unwrap_or_default();
    let prefix = format!("checked {pages} pages, ");
    assert!(
        summary.starts_with(&prefix) && summary.ends_with(": 0 problems"),
        "{summary:?}"
    );
    let links: usize = summary[prefix.len()..]
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(links > 1000, "only {links} links checked");
}

#[test]
fn passes_on_the_demo_site() {
    let (ws, out) = demo();
    assert_clean(&check(&ws, &out.root, &[]), &out);
}

#[test]
fn passes_under_a_sub_path_with_the_same_base_url() {
    let base_url = "https://user.github.io/news/";
    let ws = Workspace::demo();
    let out = ws.build_ok(&["--base-url", base_url]);
    assert_clean(&check(&ws, &out.root, &["--base-url", base_url]), &out);
    // Read with site.yaml's domain-root URL instead, every /news/ link leads nowhere.
    let wrong = check(&ws, &out.root, &[]);
    assert_eq!(wrong.code, 1, "{}", wrong.show());
    wrong.assert_reports(
        "error: index.html: ",
        &["no file news/css/qissa.css", "(/news/css/qissa.css)"],
    );
}

#[test]
fn reports_every_link_to_a_deleted_page() {
    let (ws, out) = demo();
    let home = out.page("/");
    let href = attr(select(&home, ".story-title a")[0], "href").to_string();
    let file = file_for_path(&decode_href(&href));
    std::fs::remove_file(out.root.join(&file)).unwrap();
    let checked = check(&ws, &out.root, &[]);
    assert_eq!(checked.code, 1, "{}", checked.show());
    let missing = format!("broken link: no file {}", file.display());
    checked.assert_reports("error: index.html: ", &[&missing, &format!("({href})")]);
    // The feed and the sitemap list it with its absolute URL.
    let absolute = format!("(https://example.com{href})");
    for xml in ["atom.xml", "sitemap.xml"] {
        checked.assert_reports(&format!("error: {xml}: "), &["broken URL", &absolute]);
    }
    let summary = checked.stdout.lines().last().unwrap();
    let problems = checked.errors().len();
    assert!(
        summary.ends_with(&format!(": {problems} problems")),
        "{summary:?} after {problems} error lines"
    );
}

#[test]
fn reports_pages_without_a_title_or_a_description() {
    let (ws, out) = demo();
    edit(&out, "about/index.html", |html| {
        let start = html.find("<title>").unwrap();
        let end = html.find("</title>").unwrap() + "</title>".len();
        format!("{}{}", &html[..start], &html[end..])
    });
    edit(&out, "contact/index.html", |html| {
        let start = html.find("<meta name=\"description\" content=\"").unwrap() + 34;
        let end = start + html[start..].find('"').unwrap();
        format!("{}{}", &html[..start], &html[end..])
    });
    edit(&out, "tags/index.html", |html| {
        let title = format!("<title>{}</title>", title_text(html));
        html.replacen(&title, "<title> </title>", 1)
    });
    let checked = check(&ws, &out.root, &[]);
    assert_eq!(checked.code, 1, "{}", checked.show());
    checked.assert_reports("error: about/index.html: no <title>", &[]);
    checked.assert_reports(
        "error: contact/index.html: empty <meta name=\"description\">",
        &[],
    );
    checked.assert_reports("error: tags/index.html: empty <title>", &[]);
}

/// The text between `<title>` and `</title>`.
fn title_text(html: &str) -> String {
    let start = html.find("<title>").unwrap() + "<title>".len();
    let end = html.find("</title>").unwrap();
    html[start..end].to_string()
}

#[test]
fn reports_a_fragment_with_no_element() {
    let (ws, out) = demo();
    edit(&out, "about/index.html", |html| {
        html.replace("id=\"main\"", "")
    });
    edit(&out, "contact/index.html", |html| {
        html.replace("</main>", "<a href=\"/about/#nowhere\">x</a></main>")
    });
    let checked = check(&ws, &out.root, &[]);
    assert_eq!(checked.code, 1, "{}", checked.show());
    checked.assert_reports(
        "error: about/index.html: ",
        &["no element with id `main` in about/index.html", "(#main)"],
    );
    checked.assert_reports(
        "error: contact/index.html: ",
        &["no element with id `nowhere`", "(/about/#nowhere)"],
    );
}

#[test]
fn reports_a_missing_font_of_the_stylesheet() {
    let (ws, out) = demo();
    let font = "fonts/tajawal-arabic-700-normal.woff2";
    let css = std::fs::read_to_string(out.root.join("css/qissa.css")).unwrap();
    assert!(
        css.contains(&format!("url(../{font})")),
        "the theme changed"
    );
    std::fs::remove_file(out.root.join(font)).unwrap();
    let checked = check(&ws, &out.root, &[]);
    assert_eq!(checked.code, 1, "{}", checked.show());
    checked.assert_reports(
        "error: css/qissa.css: ",
        &[
            &format!("broken url(): no file {font}"),
            &format!("(../{font})"),
        ],
    );
}

#[test]
fn reads_every_xml_file_of_the_output() {
    let (ws, out) = demo();
    std::fs::write(
        out.root.join("extra-sitemap.xml"),
        "<urlset><url><loc>https://example.com/nowhere/</loc></url>\
         <url><loc>https://example.com/about/</loc></url></urlset>",
    )
    .unwrap();
    std::fs::write(out.root.join("broken.xml"), "<feed>\n<entry></feed>").unwrap();
    let checked = check(&ws, &out.root, &[]);
    assert_eq!(checked.code, 1, "{}", checked.show());
    checked.assert_reports(
        "error: extra-sitemap.xml: broken URL: no file nowhere/index.html",
        &["(https://example.com/nowhere/)"],
    );
    checked.assert_reports("error: broken.xml: not well-formed XML, line 2", &[]);
    assert!(
        !checked.stdout.contains("about/index.html"),
        "{}",
        checked.show()
    );
}

#[test]
fn a_missing_output_folder_is_status_2() {
    let ws = Workspace::demo();
    let checked = check(&ws, &ws.path().join("never-built"), &[]);
    assert_eq!(checked.code, 2, "{}", checked.show());
    assert!(checked.stderr.contains("qissa build"), "{}", checked.show());
}
