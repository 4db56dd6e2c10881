//! Every internal link of the demo site resolves to a file, the way a static host resolves it:
//! `a[href]`, `link[href]`, `img[src|srcset]`, `script[src]`, `source[src|srcset]` in every
//! HTML file and `url(…)` in every CSS file; `#fragment`s point at an existing id; links are
//! percent-encoded NFC; no resource is fetched from another host. Checked with the site
//! served from the domain root and from a sub-path (`https://user.github.io/news/`).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use percent_encoding::percent_decode_str;
use scraper::Html;
use unicode_normalization::is_nfc;

use crate::support::{
    Output, Workspace, attr, file_for_path, ids, one, path_for_file, select, snapshot, yaml_value,
};

/// Elements and attributes that point at a page or a resource.
const LINKS: &[(&str, &str)] = &[
    ("a[href]", "href"),
    ("link[href]", "href"),
    ("img[src]", "src"),
    ("script[src]", "src"),
    ("source[src]", "src"),
];

/// Elements with a `srcset`.
const SRCSETS: &[&str] = &["img[srcset]", "source[srcset]"];

/// Where the site is served: `https://user.github.io/news/` → origin `https://user.github.io`,
/// path `/news/`.
struct Base {
    url: String,
    origin: String,
    path: String,
}

impl Base {
    fn new(url: &str) -> Base {
        let url = if url.ends_with('/') {
            url.to_string()
        } else {
            format!("{url}/")
        };
        let after_scheme = url.find("://").expect("base URL with a scheme") + 3;
        let path_start = url[after_scheme..].find('/').unwrap() + after_scheme;
        Base {
            origin: url[..path_start].to_string(),
            path: url[path_start..].to_string(),
            url,
        }
    }
}

/// Where a link leads.
enum Target {
    /// Another host: not ours to check.
    External,
    /// A file of the site, with a fragment to find in it (empty for none).
    Internal { file: PathBuf, fragment: String },
}

/// Walks the whole output and collects every broken link.
struct Checker<'a> {
    out: &'a Output,
    base: Base,
    ids: HashMap<PathBuf, HashSet<String>>,
    problems: Vec<String>,
    checked: usize,
}

impl<'a> Checker<'a> {
    fn run(out: &'a Output, base_url: &str) -> Checker<'a> {
        let pages: Vec<(PathBuf, Html)> = out
            .html_files()
            .into_iter()
            .map(|rel| (rel.clone(), out.parse(&rel)))
            .collect();
        let ids = pages
            .iter()
            .map(|(rel, doc)| (rel.clone(), ids(doc)))
            .collect();
        let mut checker = Checker {
            out,
            base: Base::new(base_url),
            ids,
            problems: Vec::new(),
            checked: 0,
        };
        for (rel, doc) in &pages {
            checker.check_page(rel, doc);
        }
        for css in out
            .files()
            .into_iter()
            .filter(|f| f.extension().is_some_and(|e| e == "css"))
        {
            checker.check_css(&css);
        }
        checker.check_file_names();
        checker
    }

    fn check_page(&mut self, rel: &Path, doc: &Html) {
        let page = path_for_file(rel);
        for (selector, name) in LINKS {
            for el in select(doc, selector) {
                let is_resource = el.value().name() != "a";
                self.check(rel, &page, attr(el, name), is_resource);
            }
        }
        for selector in SRCSETS {
            for el in select(doc, selector) {
                for candidate in attr(el, "srcset").split(',') {
                    let url = candidate.split_whitespace().next().unwrap_or_default();
                    self.check(rel, &page, url, true);
                }
            }
        }
    }

    /// `url(…)` references of a stylesheet, relative to the stylesheet.
    fn check_css(&mut self, rel: &Path) {
        let css = std::fs::read_to_string(self.out.root.join(rel)).unwrap();
        let page = path_for_file(rel);
        for piece in css.split("url(").skip(1) {
            let url = piece
                .split(')')
                .next()
                .unwrap()
                .trim()
                .trim_matches(['"', '\'']);
            if !url.starts_with("data:") {
                self.check(rel, &page, url, true);
            }
        }
    }

    /// Output file names must be valid UTF-8 in NFC (links are NFC, hosts compare bytes).
    fn check_file_names(&mut self) {
        for rel in snapshot(&self.out.root).into_keys() {
            match rel.to_str() {
                Some(name) if is_nfc(name) => {}
                _ => self
                    .problems
                    .push(format!("file name not NFC UTF-8: {}", rel.display())),
            }
        }
    }

    fn check(&mut self, rel: &Path, page: &str, href: &str, is_resource: bool) {
        self.checked += 1;
        let found = match self.target(rel, page, href) {
            Err(problem) => Err(problem),
            Ok(Target::External) if is_resource => {
                Err("a resource from another host (no external request allowed)".into())
            }
            Ok(Target::External) => Ok(()),
            Ok(Target::Internal { file, fragment }) => self.exists(&file, &fragment),
        };
        if let Err(problem) = found {
            self.problems
                .push(format!("{}: {href}: {problem}", rel.display()));
        }
    }

    /// Resolves `href` on the page at site path `page` (served from `rel`).
    fn target(&self, rel: &Path, page: &str, href: &str) -> Result<Target, String> {
        let (before, fragment) = href.split_once('#').unwrap_or((href, ""));
        let fragment = decode(fragment)?;
        let before = before.split('?').next().unwrap();
        if before.is_empty() {
            return Ok(Target::Internal {
                file: rel.to_path_buf(),
                fragment,
            });
        }
        let encoded_path = if before.starts_with("//") {
            return Ok(Target::External);
        } else if has_scheme(before) {
            if let Some(rest) = before.strip_prefix(&self.base.url) {
                format!("/{rest}")
            } else if before.starts_with(&format!("{}/", self.base.origin)) {
                return Err(format!(
                    "on the site's host but outside its base path {}",
                    self.base.path
                ));
            } else {
                return Ok(Target::External);
            }
        } else if let Some(rooted) = before.strip_prefix('/') {
            match format!("/{rooted}").strip_prefix(&self.base.path) {
                Some(rest) => format!("/{rest}"),
                None => {
                    return Err(format!(
                        "root-relative link outside the base path {}",
                        self.base.path
                    ));
                }
            }
        } else if page == "/404.html" {
            return Err("a relative link on the 404 page, which is served at any path".into());
        } else {
            join(page, before)
        };
        if !encoded_path.is_ascii() || encoded_path.contains(' ') {
            return Err("not percent-encoded".into());
        }
        let path = decode(&encoded_path)?;
        if !is_nfc(&path) {
            return Err("percent-encodes a non-NFC path".into());
        }
        Ok(Target::Internal {
            file: file_for_path(&path),
            fragment,
        })
    }

    fn exists(&self, file: &Path, fragment: &str) -> Result<(), String> {
        if !self.out.root.join(file).is_file() {
            return Err(format!("no file {}", file.display()));
        }
        if fragment.is_empty() || file.extension().is_none_or(|e| e != "html") {
            return Ok(());
        }
        match self.ids.get(file) {
            Some(ids) if ids.contains(fragment) => Ok(()),
            _ => Err(format!(
                "no element with id {fragment:?} in {}",
                file.display()
            )),
        }
    }

    fn assert_clean(&self) {
        assert!(
            self.checked > 100,
            "only {} links checked: is the output empty?",
            self.checked
        );
        assert!(
            self.problems.is_empty(),
            "{} broken links of {} checked:\n{}",
            self.problems.len(),
            self.checked,
            self.problems
                .iter()
                .take(60)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

/// Whether a URL starts with `scheme:`.
fn has_scheme(url: &str) -> bool {
    match url.find(':') {
        Some(i) => {
            let scheme = &url[..i];
            !scheme.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
        }
        None => false,
    }
}

fn decode(s: &str) -> Result<String, String> {
    percent_decode_str(s)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|e| format!("bad percent-encoding: {e}"))
}

/// Resolves a relative reference against the site path of the page holding it.
fn join(page: &str, relative: &str) -> String {
    let dir = &page[..page.rfind('/').unwrap() + 1];
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for segment in relative.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    if parts.is_empty() {
        return "/".to_string();
    }
    let trailing = if matches!(relative.rsplit('/').next(), Some("" | "." | "..")) {
        "/"
    } else {
        ""
    };
    format!("/{}{trailing}", parts.join("/"))
}

/// Panics, listing them, unless every internal link of `out` resolves (site at `base_url`).
pub fn assert_links_resolve(out: &Output, base_url: &str) {
    Checker::run(out, base_url).assert_clean();
}

#[test]
fn every_internal_link_resolves_from_the_domain_root() {
    let ws = Workspace::demo();
    let out = ws.build_ok(&[]);
    assert_links_resolve(&out, &yaml_value(&ws.site().join("site.yaml"), "base_url"));
}

#[test]
fn every_internal_link_resolves_under_a_sub_path() {
    let base_url = "https://user.github.io/news/";
    let ws = Workspace::demo();
    let out = ws.build_ok(&["--base-url", base_url]);
    // Every root-relative link must start with /news/ and resolve once it is stripped.
    assert_links_resolve(&out, base_url);
    let home = out.page("/");
    assert_eq!(attr(one(&home, "a.site-title"), "href"), "/news/");
    assert_eq!(attr(one(&home, "link[rel=canonical]"), "href"), base_url);
}
