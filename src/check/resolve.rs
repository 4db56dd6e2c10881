//! From a reference as written to the file a host serves for it. A reference is located in
//! the URL of the document it sits in ([`Context`]): query and fragment dropped, each path
//! segment percent-decoded and NFC-normalised, dot segments applied; links to other hosts
//! and schemes are left alone. [`Lookup`] then strips the site's base path, maps `/x/` to
//! `x/index.html` (and `/x` with a folder `x/` to it, as hosts redirect) and checks the
//! file, and a `#fragment` against the ids of the page it names.

use std::collections::{HashMap, HashSet};

use percent_encoding::percent_decode_str;
use unicode_normalization::UnicodeNormalization;

pub(super) const RELATIVE_ON_404: &str =
    "relative link on the 404 page, which hosts serve at any missing address";

/// Where the site is published: `https://user.github.io/news/` → origin
/// `https://user.github.io`, base path segments `["news"]`.
pub(super) struct Site {
    /// Scheme and host, lowercase.
    origin: String,
    /// `/` or `/news/`, for messages.
    base_path: String,
    /// The base path's decoded, NFC segments.
    pub(super) base: Vec<String>,
}

impl Site {
    pub(super) fn new(base_url: &str) -> Site {
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

/// A path of the site, decoded and NFC: `segments` `["news", "security", "خبر"]`, and `dir`
/// when it ends in `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct UrlPath {
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
    pub(super) fn strip_base(&self, base: &[String]) -> Option<UrlPath> {
        let rest = self.segments.strip_prefix(base)?;
        Some(UrlPath {
            segments: rest.to_vec(),
            dir: self.dir,
        })
    }

    /// The output file a host serves for this path (below the base path).
    pub(super) fn file(&self) -> String {
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
pub(super) enum Context {
    /// A document of the site; `relative` is false on the 404 page, served at any address.
    Site { url: UrlPath, relative: bool },
    /// Another host (a `<base>` or `xml:base` pointing away): nothing relative to check.
    Elsewhere,
}

impl Context {
    pub(super) fn of_file(site: &Site, rel: &str) -> Context {
        Context::Site {
            url: UrlPath::of_file(site, rel),
            relative: rel != "404.html",
        }
    }

    /// The context inside an element with `<base href>` or `xml:base` set to `base`.
    pub(super) fn rebased(&self, site: &Site, base: &str) -> Context {
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

/// Locates `written` in `context`: the full URL path (base path included) and the decoded
/// fragment, or `None` for another host or scheme.
pub(super) fn locate(
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

/// The output file `written` leads to from `context`, when it is on the site and below its
/// base path: what a test compares.
#[cfg(test)]
pub(super) fn located_file(site: &Site, context: &Context, written: &str) -> Option<String> {
    let (path, _) = locate(site, context, written).unwrap()?;
    Some(path.strip_base(&site.base)?.file())
}

/// What the references are checked against: the output's files, and the ids of its pages.
pub(super) struct Lookup<'a> {
    pub(super) site: &'a Site,
    pub(super) files: &'a HashSet<String>,
    pub(super) ids: &'a HashMap<&'a str, &'a HashSet<String>>,
}

impl Lookup<'_> {
    /// `None` for a reference off the site; otherwise whether it resolves, and why not.
    pub(super) fn resolve(&self, context: &Context, written: &str) -> Option<Result<(), String>> {
        let (path, fragment) = match locate(self.site, context, written) {
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
            assert_eq!(
                located_file(&site, &here, written).as_deref(),
                file,
                "{written}"
            );
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
            located_file(&site, &here, "/%D8%A7%D9%94/").as_deref(),
            Some("أ/index.html")
        );
        assert_eq!(located_file(&site, &here, "a/b").as_deref(), Some("a/b"));
        assert_eq!(
            located_file(&site, &here, "a/..").as_deref(),
            Some("index.html")
        );
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
}
