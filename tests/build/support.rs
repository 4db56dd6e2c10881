//! Shared helpers: copying a site into a temporary folder, running the real `qissa` binary on
//! it, reading the output folder as parsed pages, and mapping links back to files on disk the
//! way a static host does.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use percent_encoding::percent_decode_str;
use scraper::{ElementRef, Html, Selector};
use tempfile::TempDir;
use unicode_normalization::UnicodeNormalization;

/// The demo site's files and folders, copied from the repository root.
const DEMO_ENTRIES: &[&str] = &["site.yaml", "content", "static", "themes", "templates"];

/// A temporary folder holding one site (`site/`) and its output (`public/`).
pub struct Workspace {
    dir: TempDir,
}

impl Workspace {
    /// An empty workspace; write the site into [`Workspace::site`] yourself.
    pub fn empty() -> Workspace {
        let dir = tempfile::tempdir().expect("create a temporary folder");
        std::fs::create_dir(dir.path().join("site")).expect("create site folder");
        Workspace { dir }
    }

    /// A copy of the demo site at the repository root.
    pub fn demo() -> Workspace {
        let ws = Workspace::empty();
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        for entry in DEMO_ENTRIES {
            let from = repo.join(entry);
            if from.exists() {
                copy_tree(&from, &ws.site().join(entry));
            }
        }
        ws
    }

    /// A copy of `tests/fixtures/<name>/`.
    pub fn fixture(name: &str) -> Workspace {
        let ws = Workspace::empty();
        copy_tree(&fixture_dir(name), &ws.site());
        ws
    }

    /// A copy of `tests/fixtures/minimal/` with `text` written to `rel` (a new file, or one
    /// replaced): most test sites differ from `minimal` by one file, and are made here so that
    /// the test shows it.
    pub fn minimal_with(rel: &str, text: &str) -> Workspace {
        let ws = Workspace::fixture("minimal");
        ws.write(rel, text);
        ws
    }

    /// The temporary folder itself.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The site's folder (holding `site.yaml`).
    pub fn site(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    /// The default output folder of the tests: `<tmp>/public`.
    pub fn output(&self) -> PathBuf {
        self.dir.path().join("public")
    }

    /// Builds the site into [`Workspace::output`] with extra flags.
    pub fn build(&self, extra: &[&str]) -> Run {
        run_build(&self.site(), &self.output(), extra)
    }

    /// Builds and panics, showing stderr, if the build failed.
    pub fn build_ok(&self, extra: &[&str]) -> Output {
        self.build(extra).expect_success();
        Output::new(self.output())
    }

    /// Writes `text` to `rel` inside the site, creating folders.
    pub fn write(&self, rel: &str, text: &str) {
        self.write_bytes(rel, text.as_bytes());
    }

    /// Writes `bytes` (not always UTF-8) to `rel` inside the site, creating folders.
    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) {
        let path = self.site().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}

/// Replaces the first `from` in the site's file `rel` with `to` (which must be there).
pub fn edit(ws: &Workspace, rel: &str, from: &str, to: &str) {
    let path = ws.site().join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} has no {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// `tests/fixtures/<name>/`.
pub fn fixture_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// What one run of the binary did.
pub struct Run {
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Panics with the build's messages unless it succeeded.
    pub fn expect_success(&self) {
        assert!(
            self.success,
            "build failed\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
    }
}

/// Runs `qissa build --root <root> --output <output> <extra…>`.
pub fn run_build(root: &Path, output: &Path, extra: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_qissa"))
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--output")
        .arg(output)
        .args(extra)
        .output()
        .expect("run the qissa binary");
    Run {
        success: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Copies a file or a folder recursively.
pub fn copy_tree(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            copy_tree(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(from, to).unwrap();
    }
}

/// Every file and folder under `dir`, relative, with the bytes of the files (`None` for
/// folders): two equal snapshots mean two byte-identical trees.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|entry| {
            let entry = entry.unwrap();
            let rel = entry.path().strip_prefix(dir).unwrap().to_path_buf();
            let bytes = entry
                .file_type()
                .is_file()
                .then(|| std::fs::read(entry.path()).unwrap());
            (rel, bytes)
        })
        .collect()
}

/// The value of a top-level `key: value` line of a YAML front matter or `site.yaml`, unquoted.
pub fn yaml_value(file: &Path, key: &str) -> String {
    let text = std::fs::read_to_string(file).unwrap();
    let prefix = format!("{key}:");
    let line = text
        .lines()
        .find(|line| line.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no `{key}:` in {}", file.display()));
    line[prefix.len()..]
        .trim()
        .trim_matches('"')
        .trim_matches('\'')
        .to_string()
}

/// A built site's output folder.
pub struct Output {
    pub root: PathBuf,
}

impl Output {
    pub fn new(root: PathBuf) -> Output {
        Output { root }
    }

    /// Every file, relative to the output folder, sorted.
    pub fn files(&self) -> Vec<PathBuf> {
        snapshot(&self.root)
            .into_iter()
            .filter(|(_, bytes)| bytes.is_some())
            .map(|(rel, _)| rel)
            .collect()
    }

    /// Every HTML file, relative to the output folder, sorted.
    pub fn html_files(&self) -> Vec<PathBuf> {
        self.files()
            .into_iter()
            .filter(|f| f.extension().is_some_and(|e| e == "html"))
            .collect()
    }

    /// Parses the file at `rel`.
    pub fn parse(&self, rel: &Path) -> Html {
        let text = std::fs::read_to_string(self.root.join(rel))
            .unwrap_or_else(|e| panic!("read {}: {e}", rel.display()));
        Html::parse_document(&text)
    }

    /// Parses the page served at site path `path` (decoded, without base path), e.g. `/tags/مصر/`.
    pub fn page(&self, path: &str) -> Html {
        self.parse(&file_for_path(path))
    }

    /// Whether a page is served at site path `path`.
    pub fn has_page(&self, path: &str) -> bool {
        self.root.join(file_for_path(path)).is_file()
    }

    /// Every parsed HTML page with its site path (`/security/خبر/`), sorted by path.
    pub fn pages(&self) -> Vec<(String, Html)> {
        self.html_files()
            .into_iter()
            .map(|rel| (path_for_file(&rel), self.parse(&rel)))
            .collect()
    }

    /// The first page whose first `<h1>` satisfies `wanted`.
    pub fn page_whose_h1(&self, wanted: impl Fn(&str) -> bool) -> Option<Html> {
        self.pages()
            .into_iter()
            .map(|(_, doc)| doc)
            .find(|doc| select(doc, "h1").first().is_some_and(|h| wanted(&text(*h))))
    }
}

/// The file a static host serves for site path `path`: `/a/b/` → `a/b/index.html`,
/// `/css/x.css` → `css/x.css`.
pub fn file_for_path(path: &str) -> PathBuf {
    let trimmed = path.trim_start_matches('/');
    if trimmed.is_empty() || trimmed.ends_with('/') {
        PathBuf::from(format!("{trimmed}index.html"))
    } else {
        PathBuf::from(trimmed)
    }
}

/// The site path of an output file: `a/b/index.html` → `/a/b/`, `404.html` → `/404.html`.
pub fn path_for_file(rel: &Path) -> String {
    let rel = rel.to_str().expect("UTF-8 file name").replace('\\', "/");
    match rel.strip_suffix("index.html") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => format!("/{dir}"),
        _ => format!("/{rel}"),
    }
}

/// Percent-decodes an href's path (query and fragment removed) and NFC-normalises it.
pub fn decode_href(href: &str) -> String {
    let path = href.split(['#', '?']).next().unwrap_or_default();
    let decoded = percent_decode_str(path)
        .decode_utf8()
        .unwrap_or_else(|e| panic!("href {href:?} does not decode to UTF-8: {e}"));
    decoded.nfc().collect()
}

/// Parses a CSS selector (panics on a typo in the test).
pub fn sel(selector: &str) -> Selector {
    Selector::parse(selector).unwrap_or_else(|e| panic!("bad selector {selector:?}: {e:?}"))
}

/// The element's text with runs of white space collapsed, trimmed.
pub fn text(el: ElementRef) -> String {
    el.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// All text of a document, for "appears nowhere" checks.
pub fn all_text(doc: &Html) -> String {
    text(doc.root_element())
}

/// The elements matching `selector` in document order.
pub fn select<'a>(doc: &'a Html, selector: &str) -> Vec<ElementRef<'a>> {
    doc.select(&sel(selector)).collect()
}

/// The elements matching `selector` under `el`.
pub fn select_in<'a>(el: ElementRef<'a>, selector: &str) -> Vec<ElementRef<'a>> {
    el.select(&sel(selector)).collect()
}

/// The only element matching `selector`; panics if there are none or several.
pub fn one<'a>(doc: &'a Html, selector: &str) -> ElementRef<'a> {
    let found = select(doc, selector);
    assert_eq!(
        found.len(),
        1,
        "expected exactly one `{selector}`, found {}",
        found.len()
    );
    found[0]
}

/// An attribute that must be present.
pub fn attr<'a>(el: ElementRef<'a>, name: &str) -> &'a str {
    el.value()
        .attr(name)
        .unwrap_or_else(|| panic!("<{}> without `{name}`: {}", el.value().name(), el.html()))
}

/// Whether `el` sits inside an element with class `class`.
pub fn inside_class(el: ElementRef, class: &str) -> bool {
    el.ancestors().filter_map(ElementRef::wrap).any(|a| {
        a.value()
            .has_class(class, scraper::CaseSensitivity::CaseSensitive)
    })
}

/// The decoded site paths of the `href`s of `elements`.
pub fn hrefs(elements: &[ElementRef]) -> Vec<String> {
    elements
        .iter()
        .map(|el| decode_href(attr(*el, "href")))
        .collect()
}

/// Every `id` in a document.
pub fn ids(doc: &Html) -> HashSet<String> {
    select(doc, "[id]")
        .iter()
        .map(|el| attr(*el, "id").to_string())
        .collect()
}

/// A `time[datetime]` value as an instant.
pub fn instant(datetime: &str) -> jiff::Timestamp {
    datetime
        .parse()
        .unwrap_or_else(|e| panic!("datetime {datetime:?} is not RFC 3339 with an offset: {e}"))
}

/// A count as Arabic writes it: digits (Latin or Arabic-Indic) when there are any, else the
/// word forms that need none: "لا مقالات" (0), "مقال واحد" (1), the dual "مقالان" (2).
pub fn count(text: &str) -> usize {
    let digits: String = text
        .chars()
        .filter_map(|c| match c {
            '0'..='9' => Some(c),
            '٠'..='٩' => char::from_digit(c as u32 - '٠' as u32, 10),
            '۰'..='۹' => char::from_digit(c as u32 - '۰' as u32, 10),
            _ => None,
        })
        .collect();
    if !digits.is_empty() {
        return digits.parse().unwrap();
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    match words.as_slice() {
        ["لا", ..] => 0,
        [_, "واحد" | "واحدة"] => 1,
        [dual] if dual.ends_with("ان") || dual.ends_with("ين") => 2,
        _ => panic!("no count in {text:?}"),
    }
}
