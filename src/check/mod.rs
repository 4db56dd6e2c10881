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

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use percent_encoding::percent_decode_str;
use quick_xml::events::{BytesStart, Event};
use rayon::prelude::*;
use scraper::{ElementRef, Html};
use unicode_normalization::{UnicodeNormalization, is_nfc};

use crate::config::Config;

const HTML_NAMESPACE: &str = "http://www.w3.org/1999/xhtml";
const RELATIVE_ON_404: &str =
    "relative link on the 404 page, which hosts serve at any missing address";

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
    let tree = walk(output)?;
    let scanned: Vec<Scanned> = tree
        .documents
        .par_iter()
        .map(|(rel, kind)| scan(&site, output, rel, *kind))
        .collect();
    let ids: HashMap<&str, &HashSet<String>> = scanned
        .iter()
        .filter_map(|s| Some((s.rel.as_str(), s.ids.as_ref()?)))
        .collect();
    let lookup = Lookup {
        site: &site,
        files: &tree.files,
        ids: &ids,
    };
    let verified: Vec<(usize, Vec<Problem>)> =
        scanned.par_iter().map(|s| lookup.verify(s)).collect();
    let mut problems = tree.problems;
    let mut links = 0;
    for (s, (count, found)) in scanned.iter().zip(verified) {
        links += count;
        problems.extend(found);
        problems.extend(s.problems.iter().cloned());
    }
    problems.sort();
    problems.dedup();
    Ok(Report {
        pages: scanned.iter().filter(|s| s.kind == Kind::Html).count(),
        links,
        problems,
    })
}

/// Where the site is published: `https://user.github.io/news/` → origin
/// `https://user.github.io`, base path segments `["news"]`.
struct Site {
    /// Scheme and host, lowercase.
    origin: String,
    /// `/` or `/news/`, for messages.
    base_path: String,
    /// The base path's decoded, NFC segments.
    base: Vec<String>,
}

impl Site {
    fn new(base_url: &str) -> Site {
        let after_scheme = base_url.find("://").map_or(0, |i| i + 3);
        let path_start = base_url[after_scheme..]
            .find('/')
            .map_or(base_url.len(), |i| i + after_scheme);
        let base_path = match &base_url[path_start..] {
            "" => "/",
            path => path,
        };
        Site {
            origin: base_url[..path_start].to_ascii_lowercase(),
            base: UrlPath::root()
                .join(base_path)
                .map(|p| p.segments)
                .unwrap_or_default(),
            base_path: base_path.to_string(),
        }
    }

    /// `https:` or `http:`, for protocol-relative links.
    fn scheme(&self) -> &str {
        &self.origin[..self.origin.find("//").unwrap_or(0)]
    }
}

/// The kinds of file whose references are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Html,
    Css,
    Xml,
}

impl Kind {
    fn of(rel: &str) -> Option<Kind> {
        let ext = rel.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "html" | "htm" => Some(Kind::Html),
            "css" => Some(Kind::Css),
            "xml" | "atom" | "rss" => Some(Kind::Xml),
            _ => None,
        }
    }
}

/// The output folder's files.
struct Tree {
    /// Every file, relative, `/`-separated, NFC.
    files: HashSet<String>,
    /// The files to read, sorted.
    documents: Vec<(String, Kind)>,
    /// File names no link can reach.
    problems: Vec<Problem>,
}

fn walk(output: &Path) -> io::Result<Tree> {
    let mut tree = Tree {
        files: HashSet::new(),
        documents: Vec::new(),
        problems: Vec::new(),
    };
    for entry in walkdir::WalkDir::new(output)
        .min_depth(1)
        .sort_by_file_name()
    {
        let entry = entry.map_err(io::Error::other)?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(output).unwrap_or(entry.path());
        let name = relative_name(rel);
        if let Some(what) = file_name_problem(rel, &name) {
            tree.problems.push(Problem {
                file: name.clone(),
                what: what.into(),
                link: None,
            });
        }
        let name: String = name.nfc().collect();
        if let Some(kind) = Kind::of(&name) {
            tree.documents.push((name.clone(), kind));
        }
        tree.files.insert(name);
    }
    Ok(tree)
}

/// `a/b/index.html`, with `/` on every platform.
fn relative_name(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Hosts compare file names byte for byte, and links are UTF-8 in NFC.
fn file_name_problem(rel: &Path, name: &str) -> Option<&'static str> {
    if rel.to_str().is_none() {
        Some("file name is not UTF-8, so no link can reach it")
    } else if !is_nfc(name) {
        Some("file name is not in Unicode NFC, so links (always NFC) miss it on most hosts")
    } else {
        None
    }
}

/// A path of the site, decoded and NFC: `segments` `["news", "security", "خبر"]`, and `dir`
/// when it ends in `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct UrlPath {
    segments: Vec<String>,
    dir: bool,
}

impl UrlPath {
    fn root() -> UrlPath {
        UrlPath {
            segments: Vec::new(),
            dir: true,
        }
    }

    /// The URL path of output file `rel` (`a/index.html`) under the base path.
    fn of_file(site: &Site, rel: &str) -> UrlPath {
        let mut segments = site.base.clone();
        segments.extend(rel.split('/').map(str::to_string));
        UrlPath {
            segments,
            dir: false,
        }
    }

    /// Resolves a percent-encoded path reference (no query, no fragment) against `self`:
    /// segments decoded one by one, `.` and `..` applied.
    fn join(&self, reference: &str) -> Result<UrlPath, String> {
        let (mut segments, parts) = match reference.strip_prefix('/') {
            Some(rooted) => (Vec::new(), rooted),
            None => {
                let mut dir = self.segments.clone();
                if !self.dir {
                    dir.pop();
                }
                (dir, reference)
            }
        };
        let mut dir = true;
        for part in parts.split('/') {
            let part = decode(part)?;
            dir = matches!(part.as_str(), "" | "." | "..");
            match part.as_str() {
                "" | "." => {}
                ".." => {
                    segments.pop();
                }
                _ => segments.push(part),
            }
        }
        Ok(UrlPath { segments, dir })
    }

    /// The path below the base path, or `None` when it lies outside.
    fn strip_base(&self, base: &[String]) -> Option<UrlPath> {
        let rest = self.segments.strip_prefix(base)?;
        Some(UrlPath {
            segments: rest.to_vec(),
            dir: self.dir,
        })
    }

    /// The output file a host serves for this path (below the base path).
    fn file(&self) -> String {
        let mut file = self.segments.join("/");
        if self.dir || self.segments.is_empty() {
            if !file.is_empty() {
                file.push('/');
            }
            file.push_str("index.html");
        }
        file
    }
}

/// Percent-decodes and NFC-normalises.
fn decode(s: &str) -> Result<String, String> {
    percent_decode_str(s)
        .decode_utf8()
        .map(|s| s.nfc().collect())
        .map_err(|_| "not percent-encoded UTF-8".to_string())
}

/// The URL of the document a reference sits in, which relative references resolve against.
#[derive(Debug, Clone)]
enum Context {
    /// A document of the site; `relative` is false on the 404 page, served at any address.
    Site { url: UrlPath, relative: bool },
    /// Another host (a `<base>` or `xml:base` pointing away): nothing relative to check.
    Elsewhere,
}

impl Context {
    fn of_file(site: &Site, rel: &str) -> Context {
        Context::Site {
            url: UrlPath::of_file(site, rel),
            relative: rel != "404.html",
        }
    }

    /// The context inside an element with `<base href>` or `xml:base` set to `base`.
    fn rebased(&self, site: &Site, base: &str) -> Context {
        match locate(site, self, base) {
            Ok(Some((url, _))) => Context::Site {
                url,
                relative: true,
            },
            Ok(None) => Context::Elsewhere,
            Err(_) => self.clone(),
        }
    }
}

/// What a reference is, for the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum What {
    Link,
    Image,
    Media,
    Stylesheet,
    Script,
    CssUrl,
    XmlUrl,
    Metadata,
}

impl What {
    fn label(self) -> &'static str {
        match self {
            What::Link => "broken link",
            What::Image => "missing image",
            What::Media => "missing media file",
            What::Stylesheet => "missing stylesheet",
            What::Script => "missing script",
            What::CssUrl => "broken url()",
            What::XmlUrl => "broken URL",
            What::Metadata => "broken metadata URL",
        }
    }
}

/// One reference found in a file.
#[derive(Debug)]
struct Ref {
    written: String,
    what: What,
    context: Arc<Context>,
}

/// What one file holds.
struct Scanned {
    rel: String,
    kind: Kind,
    /// The ids of an HTML page, for `#fragment`s.
    ids: Option<HashSet<String>>,
    refs: Vec<Ref>,
    problems: Vec<Problem>,
}

impl Scanned {
    fn new(rel: &str, kind: Kind) -> Scanned {
        Scanned {
            rel: rel.to_string(),
            kind,
            ids: None,
            refs: Vec::new(),
            problems: Vec::new(),
        }
    }

    fn problem(&mut self, what: impl Into<String>) {
        self.problems.push(Problem {
            file: self.rel.clone(),
            what: what.into(),
            link: None,
        });
    }
}

/// Reads one file and collects its references.
fn scan(site: &Site, output: &Path, rel: &str, kind: Kind) -> Scanned {
    let mut scanned = Scanned::new(rel, kind);
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
        Kind::Html => scan_html(site, &text, context, &mut scanned),
        Kind::Css => {
            let context = Arc::new(context);
            scanned.refs = css_refs(&text, &context);
        }
        Kind::Xml => scan_xml(site, &text, context, &mut scanned),
    }
    scanned
}

/// An HTML page: its title, description, ids and references.
fn scan_html(site: &Site, text: &str, context: Context, scanned: &mut Scanned) {
    let doc = Html::parse_document(text);
    let context = Arc::new(match base_href(&doc) {
        Some(base) => context.rebased(site, base),
        None => context,
    });
    let mut ids = HashSet::new();
    for el in doc
        .root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
    {
        ids.extend(anchor_names(el));
        element_refs(el, &context, &mut scanned.refs);
    }
    scanned.ids = Some(ids);
    for what in head_problems(&doc) {
        scanned.problem(what);
    }
}

/// The first `<base href>`, which relative links resolve against.
fn base_href(doc: &Html) -> Option<&str> {
    doc.root_element()
        .descendants()
        .filter_map(ElementRef::wrap)
        .find(|el| el.value().name() == "base" && el.value().attr("href").is_some())
        .and_then(|el| el.value().attr("href"))
}

/// The names a `#fragment` can point at: `id`, and `name` on `<a>`.
fn anchor_names(el: ElementRef) -> impl Iterator<Item = String> {
    let name = (el.value().name() == "a")
        .then(|| el.value().attr("name"))
        .flatten();
    el.value().id().into_iter().chain(name).map(str::to_string)
}

/// A missing or empty `<title>` and `<meta name="description">`.
fn head_problems(doc: &Html) -> Vec<&'static str> {
    let elements = || {
        doc.root_element()
            .descendants()
            .filter_map(ElementRef::wrap)
    };
    let title = elements()
        .find(|el| el.value().name() == "title" && &*el.value().name.ns == HTML_NAMESPACE);
    let description = elements().find(|el| {
        el.value().name() == "meta"
            && el
                .value()
                .attr("name")
                .is_some_and(|n| n.trim().eq_ignore_ascii_case("description"))
    });
    let mut problems = Vec::new();
    match title {
        None => problems.push("no <title>"),
        Some(t) if t.text().all(|s| s.trim().is_empty()) => problems.push("empty <title>"),
        Some(_) => {}
    }
    match description.map(|d| d.value().attr("content").unwrap_or("").trim()) {
        None => problems.push("no <meta name=\"description\">"),
        Some("") => problems.push("empty <meta name=\"description\">"),
        Some(_) => {}
    }
    problems
}

/// The references one HTML element makes.
fn element_refs(el: ElementRef, context: &Arc<Context>, refs: &mut Vec<Ref>) {
    let element = el.value();
    let mut push = |written: &str, what: What| {
        refs.push(Ref {
            written: written.to_string(),
            what,
            context: Arc::clone(context),
        })
    };
    for (name, what) in url_attributes(element) {
        if let Some(url) = element.attr(name) {
            push(url, what);
        }
    }
    if let Some(srcset) = element.attr("srcset") {
        for url in srcset_urls(srcset) {
            push(url, What::Image);
        }
    }
    for url in metadata_urls(el) {
        push(&url, What::Metadata);
    }
    let css = match element.name() {
        "style" => Some(el.text().collect::<String>()),
        _ => None,
    };
    for css in css.as_deref().into_iter().chain(element.attr("style")) {
        refs.extend(css_refs(css, context));
    }
}

/// The attributes of an element that hold a URL.
fn url_attributes(element: &scraper::node::Element) -> Vec<(&'static str, What)> {
    match element.name() {
        "a" | "area" => vec![("href", What::Link)],
        "link" => vec![("href", link_kind(element.attr("rel").unwrap_or("")))],
        "img" => vec![("src", What::Image)],
        "source" | "audio" | "track" | "embed" => vec![("src", What::Media)],
        "video" => vec![("src", What::Media), ("poster", What::Image)],
        "iframe" => vec![("src", What::Link)],
        "object" => vec![("data", What::Media)],
        "script" => vec![("src", What::Script)],
        _ => Vec::new(),
    }
}

/// Absolute URLs in `<meta content>` (Open Graph, Twitter cards) and in JSON-LD; those on
/// the site are checked.
fn metadata_urls(el: ElementRef) -> Vec<String> {
    let element = el.value();
    let is_absolute = |s: &str| s.starts_with("https://") || s.starts_with("http://");
    match element.name() {
        "meta" => element
            .attr("content")
            .map(str::trim)
            .filter(|c| is_absolute(c))
            .map(|c| vec![c.to_string()])
            .unwrap_or_default(),
        "script" if element.attr("type") == Some("application/ld+json") => {
            let mut urls = Vec::new();
            if let Ok(json) = serde_json::from_str(&el.text().collect::<String>()) {
                json_strings(&json, &mut |s| {
                    if is_absolute(s) {
                        urls.push(s.to_string());
                    }
                });
            }
            urls
        }
        _ => Vec::new(),
    }
}

/// Every string in a JSON value.
fn json_strings(value: &serde_json::Value, found: &mut impl FnMut(&str)) {
    match value {
        serde_json::Value::String(s) => found(s),
        serde_json::Value::Array(items) => items.iter().for_each(|v| json_strings(v, found)),
        serde_json::Value::Object(map) => map.values().for_each(|v| json_strings(v, found)),
        _ => {}
    }
}

/// What a `<link rel>` loads.
fn link_kind(rel: &str) -> What {
    let rel = rel.to_ascii_lowercase();
    let mut types = rel.split_ascii_whitespace();
    if types.clone().any(|t| t == "stylesheet") {
        What::Stylesheet
    } else if types.any(|t| t == "icon" || t == "apple-touch-icon") {
        What::Image
    } else {
        What::Link
    }
}

/// The URLs of a `srcset`: `a.jpg 1x, b.jpg 2x` → `a.jpg`, `b.jpg`.
fn srcset_urls(srcset: &str) -> Vec<&str> {
    let mut urls = Vec::new();
    let mut rest = srcset;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == ',');
        if rest.is_empty() {
            return urls;
        }
        let end = rest
            .find(|c: char| c.is_ascii_whitespace())
            .unwrap_or(rest.len());
        let url = rest[..end].trim_end_matches(',');
        urls.push(url);
        rest = if rest[..end].ends_with(',') {
            &rest[end..]
        } else {
            // Skip the descriptors, up to the next comma outside parentheses.
            descriptors_end(&rest[end..])
        };
    }
}

fn descriptors_end(s: &str) -> &str {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => return &s[i + 1..],
            _ => {}
        }
    }
    ""
}

/// The `url(…)` and `@import "…"` references of a stylesheet.
fn css_refs(css: &str, context: &Arc<Context>) -> Vec<Ref> {
    css_urls(css)
        .into_iter()
        .map(|written| Ref {
            written,
            what: What::CssUrl,
            context: Arc::clone(context),
        })
        .collect()
}

fn css_urls(css: &str) -> Vec<String> {
    let css = without_comments(css);
    let lower = css.to_ascii_lowercase();
    let mut urls = Vec::new();
    for (i, _) in lower.match_indices("url(") {
        urls.push(css_token(&css[i + 4..], true));
    }
    for (i, _) in lower.match_indices("@import") {
        let rest = css[i + 7..].trim_start();
        if rest.starts_with(['"', '\'']) {
            urls.push(css_token(rest, false));
        }
    }
    urls.retain(|url| !url.is_empty());
    urls
}

/// A quoted string, or (inside `url(`) an unquoted URL up to `)`.
fn css_token(s: &str, unquoted_ok: bool) -> String {
    let s = s.trim_start();
    match s.chars().next() {
        Some(quote @ ('"' | '\'')) => s[1..].split(quote).next().unwrap_or("").to_string(),
        Some(_) if unquoted_ok => s.split(')').next().unwrap_or("").trim().to_string(),
        _ => String::new(),
    }
}

fn without_comments(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = rest[start + 2..]
            .split_once("*/")
            .map_or("", |(_, after)| after);
    }
    out.push_str(rest);
    out
}

/// How the text of an XML element is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TextRole {
    /// A URL: sitemap `<loc>`, RSS `<link>`, `<guid>`, Atom `<id>`, `<icon>`…
    Url,
    /// Escaped HTML: Atom `<content type="html">`, RSS `<description>`.
    Html,
    Ignore,
}

/// One open XML element.
struct Frame {
    context: Arc<Context>,
    role: TextRole,
    text: String,
}

/// A feed, sitemap or other XML file: `href`, `src` and `url` attributes, URL elements, and
/// the links inside escaped HTML content. Not well-formed XML is a problem of its own.
fn scan_xml(site: &Site, text: &str, context: Context, scanned: &mut Scanned) {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut stack = vec![Frame {
        context: Arc::new(context),
        role: TextRole::Ignore,
        text: String::new(),
    }];
    loop {
        let top = stack.last_mut().expect("the document frame stays");
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                let frame = open_element(site, &e, &top.context, &mut scanned.refs);
                stack.push(frame);
            }
            Ok(Event::Empty(e)) => {
                open_element(site, &e, &top.context, &mut scanned.refs);
            }
            Ok(Event::Text(t)) if top.role != TextRole::Ignore => {
                top.text.push_str(&t.xml10_content())
            }
            Ok(Event::CData(c)) if top.role != TextRole::Ignore => top.text.push_str(&c),
            Ok(Event::GeneralRef(r)) if top.role != TextRole::Ignore => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    _ => quick_xml::escape::resolve_predefined_entity(&r).map(str::to_string),
                };
                top.text.push_str(&resolved.unwrap_or_default());
            }
            Ok(Event::PI(pi)) => {
                if let Some(href) = stylesheet_pi_href(&pi) {
                    scanned.refs.push(xml_ref(href, &top.context));
                }
            }
            Ok(Event::End(_)) if stack.len() > 1 => {
                let frame = stack.pop().expect("checked");
                close_element(frame, &mut scanned.refs);
            }
            Ok(Event::Eof) => break,
            Err(e) => {
                let line = line_at(text, reader.error_position());
                scanned.problem(format!("not well-formed XML, line {line}: {e}"));
                break;
            }
            Ok(_) => {}
        }
    }
}

/// An element's URL attributes, and the frame its content is read in.
fn open_element(site: &Site, e: &BytesStart, parent: &Arc<Context>, refs: &mut Vec<Ref>) -> Frame {
    let attributes: Vec<(String, String)> = e
        .attributes()
        .flatten()
        .filter_map(|a| {
            let value = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()?;
            Some((a.key.as_ref().to_string(), value.into_owned()))
        })
        .collect();
    let attr = |name: &str| {
        attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    };
    let context = match attr("xml:base") {
        Some(base) => Arc::new(parent.rebased(site, base)),
        None => Arc::clone(parent),
    };
    for name in ["href", "src", "url"] {
        if let Some(url) = attr(name) {
            refs.push(xml_ref(url, &context));
        }
    }
    let local = e.local_name().as_ref().to_string();
    Frame {
        role: text_role(&local, attr("type"), attr("isPermaLink")),
        context,
        text: String::new(),
    }
}

/// Which elements hold a URL or escaped HTML as their text.
fn text_role(local: &str, kind: Option<&str>, is_permalink: Option<&str>) -> TextRole {
    match local {
        "guid" if is_permalink.is_some_and(|p| p.trim() == "false") => TextRole::Ignore,
        "loc" | "link" | "guid" | "id" | "uri" | "icon" | "logo" | "url" | "comments" => {
            TextRole::Url
        }
        "description" | "encoded" => TextRole::Html,
        "content" | "summary" if kind.is_some_and(|k| k.trim() == "html") => TextRole::Html,
        _ => TextRole::Ignore,
    }
}

/// The references in a closed element's text.
fn close_element(frame: Frame, refs: &mut Vec<Ref>) {
    match frame.role {
        TextRole::Url if !frame.text.trim().is_empty() => {
            refs.push(xml_ref(frame.text.trim(), &frame.context))
        }
        TextRole::Html => {
            let fragment = Html::parse_fragment(&frame.text);
            for el in fragment
                .root_element()
                .descendants()
                .filter_map(ElementRef::wrap)
            {
                element_refs(el, &frame.context, refs);
            }
        }
        _ => {}
    }
}

fn xml_ref(url: &str, context: &Arc<Context>) -> Ref {
    Ref {
        written: url.to_string(),
        what: What::XmlUrl,
        context: Arc::clone(context),
    }
}

/// `href` of `<?xml-stylesheet type="text/xsl" href="/feed.xsl"?>`.
fn stylesheet_pi_href(content: &str) -> Option<&str> {
    let pseudo_attributes = content.strip_prefix("xml-stylesheet")?;
    let start = pseudo_attributes.find("href=")? + 5;
    let rest = &pseudo_attributes[start..];
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    rest[1..].split(quote).next()
}

/// The 1-based line holding byte `offset`.
fn line_at(text: &str, offset: u64) -> usize {
    let offset = usize::try_from(offset)
        .unwrap_or(usize::MAX)
        .min(text.len());
    text.as_bytes()[..offset]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// Locates `written` in `context`: the full URL path (base path included) and the decoded
/// fragment, or `None` for another host or scheme.
fn locate(
    site: &Site,
    context: &Context,
    written: &str,
) -> Result<Option<(UrlPath, String)>, String> {
    let written = written.trim();
    let (rest, fragment) = written.split_once('#').unwrap_or((written, ""));
    let rest = rest.split('?').next().unwrap_or_default();
    let path = if rest.starts_with("//") {
        on_site(site, &format!("{}{rest}", site.scheme()))?
    } else if has_scheme(rest) {
        on_site(site, rest)?
    } else {
        match context {
            Context::Elsewhere => None,
            Context::Site { url, .. } if rest.is_empty() => Some(url.clone()),
            Context::Site {
                relative: false, ..
            } if !rest.starts_with('/') => {
                return Err(RELATIVE_ON_404.into());
            }
            Context::Site { url, .. } => Some(url.join(rest)?),
        }
    };
    match path {
        Some(path) => Ok(Some((path, decode(fragment)?))),
        None => Ok(None),
    }
}

/// The path of an absolute URL when it is on the site's host, else `None`.
fn on_site(site: &Site, url: &str) -> Result<Option<UrlPath>, String> {
    let Some(after_scheme) = url.find("://").map(|i| i + 3) else {
        return Ok(None); // mailto:, tel:, data:…
    };
    let host_end = url[after_scheme..]
        .find('/')
        .map_or(url.len(), |i| i + after_scheme);
    if !url[..host_end].eq_ignore_ascii_case(&site.origin) {
        return Ok(None);
    }
    UrlPath::root().join(&url[host_end..]).map(Some)
}

/// Whether a URL starts with `scheme:`.
fn has_scheme(url: &str) -> bool {
    url.split_once(':').is_some_and(|(scheme, _)| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
    })
}

/// What the references are checked against.
struct Lookup<'a> {
    site: &'a Site,
    files: &'a HashSet<String>,
    ids: &'a HashMap<&'a str, &'a HashSet<String>>,
}

impl Lookup<'_> {
    /// Checks every reference of one file: how many were internal, and the broken ones.
    fn verify(&self, scanned: &Scanned) -> (usize, Vec<Problem>) {
        let mut count = 0;
        let mut problems = Vec::new();
        for r in &scanned.refs {
            let Some(found) = self.resolve(r) else {
                continue;
            };
            count += 1;
            if let Err(why) = found {
                problems.push(Problem {
                    file: scanned.rel.clone(),
                    what: format!("{}: {why}", r.what.label()),
                    link: Some(r.written.clone()),
                });
            }
        }
        (count, problems)
    }

    /// `None` for a reference off the site; otherwise whether it resolves.
    fn resolve(&self, r: &Ref) -> Option<Result<(), String>> {
        let (path, fragment) = match locate(self.site, &r.context, &r.written) {
            Ok(None) => return None,
            Ok(Some(found)) => found,
            Err(why) => return Some(Err(why)),
        };
        Some(match path.strip_base(&self.site.base) {
            Some(path) => self.find(&path, &fragment),
            None => Err(format!(
                "outside the site's base path {}",
                self.site.base_path
            )),
        })
    }

    /// Whether the file serving `path` exists and holds `fragment`.
    fn find(&self, path: &UrlPath, fragment: &str) -> Result<(), String> {
        let mut file = path.file();
        if !self.files.contains(&file) {
            // `/x` with a folder `x/`: hosts redirect to `/x/`.
            let folder = format!("{file}/index.html");
            if path.dir || !self.files.contains(&folder) {
                return Err(format!("no file {file}"));
            }
            file = folder;
        }
        if fragment.is_empty() || fragment.eq_ignore_ascii_case("top") {
            return Ok(());
        }
        match self.ids.get(file.as_str()) {
            Some(ids) if !ids.contains(fragment) => {
                Err(format!("no element with id `{fragment}` in {file}"))
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(site: &Site, rel: &str) -> Context {
        Context::of_file(site, rel)
    }

    fn located(site: &Site, context: &Context, written: &str) -> Option<String> {
        let (path, _) = locate(site, context, written).unwrap()?;
        Some(path.strip_base(&site.base)?.file())
    }

    #[test]
    fn resolves_links_like_a_host_under_a_sub_path() {
        let site = Site::new("https://user.github.io/news/");
        let here = page(&site, "security/خبر/index.html");
        let cases = [
            (
                "/news/tags/%D9%85%D8%B5%D8%B1/",
                Some("tags/مصر/index.html"),
            ),
            (
                "https://USER.github.io/news/about/",
                Some("about/index.html"),
            ),
            ("//user.github.io/news/", Some("index.html")),
            ("../../css/x.css?v=2#a", Some("css/x.css")),
            ("#main", Some("security/خبر/index.html")),
            ("", Some("security/خبر/index.html")),
            ("https://example.com/news/", None),
            ("mailto:a@b.c", None),
        ];
        for (written, file) in cases {
            let found = locate(&site, &here, written).unwrap();
            assert_eq!(
                found.is_some(),
                file.is_some(),
                "{written}: {found:?} vs {file:?}"
            );
            assert_eq!(located(&site, &here, written).as_deref(), file, "{written}");
        }
        let outside = locate(&site, &here, "/about/").unwrap().unwrap().0;
        assert_eq!(outside.strip_base(&site.base), None);
    }

    #[test]
    fn compares_nfc_and_keeps_trailing_slashes() {
        let site = Site::new("https://example.com/");
        let here = page(&site, "index.html");
        // "أ" decomposed (alef + hamza above) is found as the composed file name.
        assert_eq!(
            located(&site, &here, "/%D8%A7%D9%94/").as_deref(),
            Some("أ/index.html")
        );
        assert_eq!(located(&site, &here, "a/b").as_deref(), Some("a/b"));
        assert_eq!(located(&site, &here, "a/..").as_deref(), Some("index.html"));
    }

    #[test]
    fn the_404_page_refuses_relative_links() {
        let site = Site::new("https://example.com/");
        let not_found = page(&site, "404.html");
        assert_eq!(
            locate(&site, &not_found, "css/x.css").unwrap_err(),
            RELATIVE_ON_404
        );
        assert!(locate(&site, &not_found, "#main").unwrap().is_some());
        assert!(locate(&site, &not_found, "/css/x.css").unwrap().is_some());
    }

    #[test]
    fn reads_srcset_and_css_urls() {
        assert_eq!(
            srcset_urls("a.jpg 1x, /b,c.jpg 2x,d.jpg"),
            ["a.jpg", "/b,c.jpg", "d.jpg"]
        );
        let css = "/* url(gone.png) */ @font-face{src:URL( \"../f.woff2\" ) format(\"woff2\")}\n\
                   @import 'x.css'; a{background:url(i.png)} b{background:url(data:image/png;base64,AA)}";
        assert_eq!(
            css_urls(css),
            ["../f.woff2", "i.png", "data:image/png;base64,AA", "x.css"]
        );
    }

    #[test]
    fn reads_urls_from_feeds_and_sitemaps() {
        let site = Site::new("https://example.com/");
        let feed = r##"<?xml version="1.0"?><?xml-stylesheet href="/feed.xsl" type="text/xsl"?>
<feed xmlns="http://www.w3.org/2005/Atom"><id>https://example.com/</id>
<link rel="self" href="https://example.com/feed.xml"/>
<entry xml:base="https://example.com/a/"><id>tag:example.com,2026:1</id>
<content type="html">&lt;a href="#fn1"&gt;1&lt;/a&gt;&lt;img src="/i.png"&gt;</content></entry>
<rss><guid isPermaLink="false">x</guid><guid>https://example.com/b/</guid></rss>
<urlset><url><loc>https://example.com/c/?q=1&amp;r=2</loc></url></urlset></feed>"##;
        let mut scanned = Scanned::new("feed.xml", Kind::Xml);
        scan_xml(&site, feed, page(&site, "feed.xml"), &mut scanned);
        assert!(scanned.problems.is_empty(), "{:?}", scanned.problems);
        let found: Vec<Option<String>> = scanned
            .refs
            .iter()
            .map(|r| located(&site, &r.context, &r.written))
            .collect();
        let expected = [
            Some("feed.xsl"),
            Some("index.html"),
            Some("feed.xml"),
            None,
            Some("a/index.html"),
            Some("i.png"),
            Some("b/index.html"),
            Some("c/index.html"),
        ];
        assert_eq!(found, expected.map(|f| f.map(str::to_string)));
    }

    #[test]
    fn reports_xml_that_is_not_well_formed() {
        let site = Site::new("https://example.com/");
        let mut scanned = Scanned::new("sitemap.xml", Kind::Xml);
        scan_xml(
            &site,
            "<urlset>\n<url><loc>x</url>",
            page(&site, "sitemap.xml"),
            &mut scanned,
        );
        assert_eq!(scanned.problems.len(), 1);
        assert!(
            scanned.problems[0].what.contains("line 2"),
            "{:?}",
            scanned.problems
        );
    }

    #[test]
    fn finds_missing_titles_and_descriptions() {
        let doc = Html::parse_document(
            "<html><head><title> </title><meta name=Description content=x></head>\
             <body><svg><title>icon</title></svg></body></html>",
        );
        assert_eq!(head_problems(&doc), ["empty <title>"]);
        let doc = Html::parse_document("<title>t</title><meta name=description content=''>");
        assert_eq!(head_problems(&doc), ["empty <meta name=\"description\">"]);
    }
}
