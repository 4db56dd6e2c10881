//! `qissa check`: reads a built site the way a static host serves it and reports what a
//! reader, a feed reader or a search engine would trip over: every internal link, image,
//! stylesheet, script, CSS `url()` and feed or sitemap URL that leads to no file (or, with a
//! `#fragment`, to no element with that id), and every HTML page without a title or a
//! description. The output folder is walked once; HTML, CSS and XML files are read and their
//! references collected in parallel, each with the URL of the document it sits in (HTML
//! `<base>` and XML `xml:base` count). Every reference is then resolved as a host resolves
//! it: query and fragment dropped, percent-decoded, NFC-normalised, dot segments removed, the
//! site's base path stripped, `/x/` served from `x/index.html`. Links to other hosts and to
//! other schemes (`mailto:`, `tel:`, `data:`) are not followed.
//!
//! The modules, from the bottom up: `tree` walks the output folder; `resolve` turns a
//! reference into the file a host serves for it; `refs` holds what reading one file yields;
//! `css`, `html` and `xml` read the files of their kind (`html` reads the stylesheets inside
//! a page with `css`, `xml` the escaped HTML inside a feed with `html`). This module runs
//! them and turns what they found into the [`Report`].

mod css;
mod html;
mod refs;
mod resolve;
mod tree;
mod xml;

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;

use refs::Scanned;
use resolve::{Context, Lookup, Site};
use tree::Kind;

/// Runs `qissa check` and returns the exit code: 0 when the site is clean, 1 when problems
/// were found, 2 when there is nothing to check (no output folder, a broken `site.yaml`).
pub fn run(root: &Path, output: Option<&Path>, base_url: Option<&str>) -> ExitCode {
    let output = output.map_or_else(|| root.join("public"), Path::to_path_buf);
    if !output.is_dir() {
        eprintln!(
            "error: {}: no built site here\n  help: run `qissa build` first, or pass --output with the folder it wrote",
            output.display()
        );
        return ExitCode::from(2);
    }
    let base_url = match site_base_url(root, base_url) {
        Ok(url) => url,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    match check(&output, &base_url) {
        Ok(report) => {
            print!("{report}");
            ExitCode::from(u8::from(!report.problems.is_empty()))
        }
        Err(e) => {
            eprintln!(
                "error: {}: cannot read the built site: {e}",
                output.display()
            );
            ExitCode::from(2)
        }
    }
}

/// The base URL from `site.yaml`, replaced by `--base-url` as `qissa build` does.
fn site_base_url(root: &Path, base_url: Option<&str>) -> Result<String, String> {
    let join = |errors: Vec<crate::error::Diagnostic>| {
        errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut config = Config::load(root).map_err(join)?;
    if let Some(url) = base_url {
        config.set_base_url(url).map_err(|m| {
            join(vec![
                crate::error::Diagnostic::new("--base-url", m)
                    .help("e.g. --base-url https://user.github.io/news/"),
            ])
        })?;
    }
    Ok(config.base_url)
}

/// What a check found.
#[derive(Debug)]
pub struct Report {
    /// HTML files read.
    pub pages: usize,
    /// Internal references resolved (links to other hosts are not counted).
    pub links: usize,
    /// Sorted, without duplicates.
    pub problems: Vec<Problem>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for problem in &self.problems {
            writeln!(f, "{problem}")?;
        }
        writeln!(
            f,
            "checked {}, {}: {}",
            counted(self.pages, "page"),
            counted(self.links, "link"),
            counted(self.problems.len(), "problem")
        )
    }
}

fn counted(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// One problem in one file of the output.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// The file, relative to the output folder, `/`-separated.
    pub file: String,
    /// What is wrong.
    pub what: String,
    /// The reference as written in the file, when the problem is one.
    pub link: Option<String>,
}

impl Problem {
    /// A problem of the file itself, not of one of its references.
    fn of_file(file: &str, what: impl Into<String>) -> Problem {
        Problem {
            file: file.to_string(),
            what: what.into(),
            link: None,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: {}: {}", self.file, self.what)?;
        match &self.link {
            Some(link) => write!(f, " ({link})"),
            None => Ok(()),
        }
    }
}

/// Checks the built site in `output`, published at `base_url`.
pub fn check(output: &Path, base_url: &str) -> io::Result<Report> {
    let site = Site::new(base_url);
    let tree = tree::walk(output)?;
    let scanned: Vec<(&str, Scanned)> = tree
        .documents
        .par_iter()
        .map(|(rel, kind)| (rel.as_str(), scan(&site, output, rel, *kind)))
        .collect();
    let ids: HashMap<&str, &HashSet<String>> = scanned
        .iter()
        .filter_map(|(rel, s)| Some((*rel, s.ids.as_ref()?)))
        .collect();
    let lookup = Lookup {
        site: &site,
        files: &tree.files,
        ids: &ids,
    };
    let verified: Vec<(usize, Vec<Problem>)> = scanned
        .par_iter()
        .map(|(rel, s)| verify(&lookup, rel, s))
        .collect();
    let mut problems: Vec<Problem> = tree
        .unreachable
        .iter()
        .map(|(file, why)| Problem::of_file(file, *why))
        .collect();
    let mut links = 0;
    for ((rel, s), (count, found)) in scanned.iter().zip(verified) {
        links += count;
        problems.extend(found);
        problems.extend(s.problems.iter().map(|what| Problem::of_file(rel, what)));
    }
    problems.sort();
    problems.dedup();
    Ok(Report {
        pages: tree
            .documents
            .iter()
            .filter(|(_, k)| *k == Kind::Html)
            .count(),
        links,
        problems,
    })
}

/// Reads one file and collects its references.
fn scan(site: &Site, output: &Path, rel: &str, kind: Kind) -> Scanned {
    let mut scanned = Scanned::default();
    let bytes = match std::fs::read(output.join(rel)) {
        Ok(bytes) => bytes,
        Err(e) => {
            scanned.problem(format!("cannot read: {e}"));
            return scanned;
        }
    };
    let text = String::from_utf8(bytes).unwrap_or_else(|e| {
        scanned.problem("not valid UTF-8");
        String::from_utf8_lossy(e.as_bytes()).into_owned()
    });
    let context = Context::of_file(site, rel);
    match kind {
        Kind::Html => html::scan_html(site, &text, context, &mut scanned),
        Kind::Css => scanned.refs = css::css_refs(&text, &Arc::new(context)),
        Kind::Xml => xml::scan_xml(site, &text, context, &mut scanned),
    }
    scanned
}

/// Checks every reference of file `rel`: how many were internal, and the broken ones.
fn verify(lookup: &Lookup, rel: &str, scanned: &Scanned) -> (usize, Vec<Problem>) {
    let mut count = 0;
    let mut problems = Vec::new();
    for r in &scanned.refs {
        let Some(found) = lookup.resolve(&r.context, &r.written) else {
            continue;
        };
        count += 1;
        if let Err(why) = found {
            problems.push(Problem {
                file: rel.to_string(),
                what: format!("{}: {why}", r.what.label()),
                link: Some(r.written.clone()),
            });
        }
    }
    (count, problems)
}
