//! `site.yaml` → a validated [`Config`].
//!
//! Unknown keys are errors (a typo must not silently do nothing), every error names the line
//! in `site.yaml`, and everything derived from the raw values — the URL base path, the text
//! direction, the time zone, the category URLs — is worked out once here.

use std::collections::HashMap;
use std::path::Path;

use jiff::tz::TimeZone;
use serde::Deserialize;

use crate::arabic::digits::Digits;
use crate::arabic::text::{clean_label, fold_variants, is_rtl_language, slugify};
use crate::content::frontmatter::{key_lines, yaml_error};
use crate::error::Diagnostic;
use crate::search::SiteLexicon;

mod search;
pub mod strings;
pub use search::SEARCH_KEYS;
pub use strings::Label;

/// The file name of the site configuration.
pub const CONFIG_FILE: &str = "site.yaml";

/// Default permalink pattern for articles.
pub const DEFAULT_PERMALINK: &str = "/:category/:slug/";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    #[serde(default)]
    description: String,
    base_url: String,
    #[serde(default = "default_language")]
    language: String,
    #[serde(default = "default_timezone")]
    timezone: String,
    #[serde(default = "default_theme")]
    theme: String,
    #[serde(default = "default_per_page")]
    per_page: usize,
    #[serde(default = "default_digits")]
    digits: Digits,
    #[serde(default)]
    hijri: bool,
    #[serde(default)]
    hijri_offset: i32,
    #[serde(default = "default_permalink")]
    permalink: String,
    #[serde(default = "default_words_per_minute")]
    words_per_minute: usize,
    #[serde(default = "default_true")]
    merge_tag_variants: bool,
    #[serde(default = "default_feed_limit")]
    feed_limit: usize,
    #[serde(default)]
    logo: Option<String>,
    #[serde(default)]
    allow_raw_html: bool,
    #[serde(default = "default_photo_max_mb")]
    photo_max_mb: usize,
    #[serde(default)]
    categories: Vec<RawCategory>,
    #[serde(default)]
    front_page: RawFrontPage,
    #[serde(default = "default_breaking_hours")]
    breaking_hours: u32,
    /// `true`, `false` or a mapping: checked by hand in [`search`].
    #[serde(default)]
    search: Option<serde_yaml::Value>,
    /// The site's wording of the theme's labels: checked by hand in [`strings`].
    #[serde(default)]
    strings: Option<serde_yaml::Value>,
}

/// `front_page:` as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawFrontPage {
    secondary: usize,
    latest: usize,
    band: usize,
    most_read: Vec<String>,
    most_read_title: Option<String>,
}

impl Default for RawFrontPage {
    fn default() -> Self {
        RawFrontPage {
            secondary: 3,
            latest: 6,
            band: 4,
            most_read: Vec::new(),
            most_read_title: None,
        }
    }
}

/// The front page's shape (`front_page:` in site.yaml).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontPageConfig {
    /// Stories beside the lead (2–4).
    pub secondary: usize,
    /// Stories in «آخر الأخبار».
    pub latest: usize,
    /// Stories in each section's band.
    pub band: usize,
    /// The editor's «الأكثر قراءة» list: article files, relative to the site root.
    pub most_read: Vec<String>,
    /// The list's title; without one, the theme's `most_read_title` label.
    pub most_read_title: Option<String>,
    /// The line of `front_page:` in site.yaml, for a `most_read` entry that names no article.
    pub most_read_line: Option<usize>,
}

/// An article marked `breaking: true` shows the «عاجل» bar for this many hours.
fn default_breaking_hours() -> u32 {
    6
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCategory {
    slug: String,
    name: String,
}

/// The largest photo file a build reads, in megabytes: phone and agency photos are 3–8 MB.
fn default_photo_max_mb() -> usize {
    40
}

fn default_language() -> String {
    "ar".into()
}
fn default_timezone() -> String {
    "UTC".into()
}
fn default_theme() -> String {
    "qissa".into()
}
fn default_per_page() -> usize {
    10
}
fn default_digits() -> Digits {
    Digits::Latn
}
fn default_permalink() -> String {
    DEFAULT_PERMALINK.into()
}
fn default_words_per_minute() -> usize {
    200
}
fn default_feed_limit() -> usize {
    20
}
fn default_true() -> bool {
    true
}

/// A category declared in `site.yaml`.
#[derive(Debug, Clone)]
pub struct Category {
    /// The slug as declared.
    pub slug: String,
    /// The display name (usually Arabic).
    pub name: String,
    /// The name with spelling variants folded, for matching `category:` values.
    pub folded_name: String,
}

/// The validated site configuration.
#[derive(Debug)]
pub struct Config {
    pub title: String,
    pub description: String,
    /// Absolute, always ending in `/`.
    pub base_url: String,
    /// The path part of `base_url`: `/` or `/news/`; every internal link starts with it.
    pub base_path: String,
    pub language: String,
    /// `rtl` or `ltr`, from the language.
    pub direction: &'static str,
    pub timezone: TimeZone,
    pub timezone_name: String,
    pub theme: String,
    pub per_page: usize,
    pub digits: Digits,
    pub hijri: bool,
    pub hijri_offset: i32,
    pub permalink: String,
    pub words_per_minute: usize,
    /// Fold tag spellings that differ only in hamza, ta marbuta, alef maqsura, tashkeel or
    /// tatweel into one tag.
    pub merge_tag_variants: bool,
    /// Articles per feed.
    pub feed_limit: usize,
    /// The publisher's logo, a file under `static/`, for structured data.
    pub logo: Option<String>,
    /// Publish raw HTML written in Markdown (trusted newsrooms only); escaped otherwise.
    pub allow_raw_html: bool,
    /// Photo files larger than this many megabytes are refused (`photo_max_mb`).
    pub photo_max_mb: usize,
    pub categories: Vec<Category>,
    pub front_page: FrontPageConfig,
    pub breaking_hours: u32,
    /// Site search: `None` when `search: false`, else the words the site adds to the
    /// built-in lists.
    pub search: Option<SiteLexicon>,
    /// The site's own wording of the theme's labels (`strings:`), in the order written.
    pub strings: Vec<Label>,
}

impl Config {
    /// Reads and validates `site.yaml` under `root`.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join(CONFIG_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            vec![Diagnostic::new(CONFIG_FILE, format!("cannot read the site configuration: {e}"))
                .help("every site needs a site.yaml at its root; run qissa from the site folder or pass --root")]
        })?;
        Config::parse(&text)
    }

    /// Validates the text of `site.yaml`. Every fault is reported, not just the first, so
    /// one run tells the writer everything to fix.
    pub fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut raw: RawConfig =
            serde_yaml::from_str(text).map_err(|e| vec![yaml_error(CONFIG_FILE, &e, 0)])?;
        let mut faults = Faults {
            lines: key_lines(text),
            found: Vec::new(),
        };
        // The order of the checks is the order of the messages the writer reads.
        let (base_url, base_path) = checked_base_url(&raw.base_url, &mut faults);
        let timezone = checked_timezone(&raw.timezone, &mut faults);
        check_language(&raw.language, &mut faults);
        check_counts(&raw, &mut faults);
        if let Err(message) = check_permalink(&raw.permalink) {
            faults.push(faults.at("permalink", message));
        }
        let categories = check_categories(std::mem::take(&mut raw.categories), &mut faults);
        check_front_page(&raw.front_page, &mut faults);
        let search = search::checked_search(raw.search.as_ref(), text, &mut faults);
        let labels = strings::checked_strings(raw.strings.as_ref(), text, &mut faults);
        if !faults.found.is_empty() {
            return Err(faults.found);
        }
        let most_read_line = faults.lines.get("front_page").copied();
        let mut config = Config::from_raw(raw, (base_url, base_path), timezone, categories);
        config.front_page.most_read_line = most_read_line;
        config.search = search;
        config.strings = labels;
        Ok(config)
    }

    /// The configuration from values that all passed their checks.
    fn from_raw(
        raw: RawConfig,
        (base_url, base_path): (String, String),
        timezone: TimeZone,
        categories: Vec<Category>,
    ) -> Config {
        Config {
            title: clean_label(&raw.title),
            description: raw.description.trim().to_string(),
            base_url,
            base_path,
            direction: direction_of(&raw.language),
            language: raw.language,
            timezone,
            timezone_name: raw.timezone,
            theme: raw.theme,
            per_page: raw.per_page,
            digits: raw.digits,
            hijri: raw.hijri,
            hijri_offset: raw.hijri_offset,
            permalink: raw.permalink,
            words_per_minute: raw.words_per_minute,
            merge_tag_variants: raw.merge_tag_variants,
            feed_limit: raw.feed_limit,
            allow_raw_html: raw.allow_raw_html,
            photo_max_mb: raw.photo_max_mb,
            breaking_hours: raw.breaking_hours,
            front_page: FrontPageConfig {
                secondary: raw.front_page.secondary,
                latest: raw.front_page.latest,
                band: raw.front_page.band,
                most_read: raw.front_page.most_read,
                most_read_title: raw.front_page.most_read_title.as_deref().map(clean_label),
                most_read_line: None,
            },
            logo: raw
                .logo
                .map(|l| l.trim().trim_start_matches('/').to_string()),
            categories,
            search: Some(SiteLexicon::default()),
            strings: Vec::new(),
        }
    }

    /// Replaces the base URL, e.g. for a preview deploy (`--base-url`).
    pub fn set_base_url(&mut self, url: &str) -> Result<(), String> {
        let (base_url, base_path) = parse_base_url(url)?;
        self.base_url = base_url;
        self.base_path = base_path;
        Ok(())
    }
}

/// Faults found in `site.yaml` so far, each pointing at its key's line.
struct Faults {
    lines: HashMap<String, usize>,
    found: Vec<Diagnostic>,
}

impl Faults {
    /// A fault of `key`, at the line the key is on.
    fn at(&self, key: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            message: message.into(),
            ..Diagnostic::new(CONFIG_FILE, "")
                .key(key)
                .at_optional_line(self.lines.get(key).copied())
        }
    }

    fn push(&mut self, fault: Diagnostic) {
        self.found.push(fault);
    }
}

/// `base_url` split into the URL and its path; on a fault, a placeholder that lets the
/// other checks go on.
fn checked_base_url(url: &str, faults: &mut Faults) -> (String, String) {
    parse_base_url(url).unwrap_or_else(|message| {
        faults.push(faults.at("base_url", message).help(
            "write the address the site is published at, e.g. https://example.com/ or https://user.github.io/news/",
        ));
        (String::new(), "/".into())
    })
}

/// The time zone named by `timezone`, or UTC after reporting an unknown name.
fn checked_timezone(name: &str, faults: &mut Faults) -> TimeZone {
    TimeZone::get(name).unwrap_or_else(|_| {
        faults.push(
            faults
                .at("timezone", format!("unknown time zone `{name}`"))
                .help("use an IANA name such as Africa/Cairo, Asia/Riyadh or Asia/Beirut"),
        );
        TimeZone::UTC
    })
}

/// Dates and plurals are formatted for this language, so it must be a real tag.
fn check_language(language: &str, faults: &mut Faults) {
    if language.parse::<icu_locale_core::Locale>().is_err() {
        faults.push(
            faults
                .at(
                    "language",
                    format!("`{language}` is not a BCP 47 language tag"),
                )
                .help("use a tag such as ar, ar-EG or ar-SA"),
        );
    }
}

/// Page sizes and the reading speed divide or bound something: zero would mean no pages,
/// an empty feed or a division by zero.
fn check_counts(raw: &RawConfig, faults: &mut Faults) {
    for (key, value) in [
        ("per_page", raw.per_page),
        ("feed_limit", raw.feed_limit),
        ("words_per_minute", raw.words_per_minute),
        ("photo_max_mb", raw.photo_max_mb),
    ] {
        if value == 0 {
            faults.push(faults.at(key, "must be at least 1"));
        }
    }
}

/// A front page needs a lead and two to four stories beside it, and bands and lists of at
/// least one story.
fn check_front_page(front: &RawFrontPage, faults: &mut Faults) {
    if !(2..=4).contains(&front.secondary) {
        faults.push(
            faults
                .at("front_page", "`front_page.secondary` must be 2, 3 or 4")
                .help("the stories beside the lead story: two to four"),
        );
    }
    for (key, value) in [("latest", front.latest), ("band", front.band)] {
        if value == 0 {
            let message = format!("`front_page.{key}` must be at least 1");
            faults.push(faults.at("front_page", message));
        }
    }
}

/// Splits `https://host/sub/` into the normalised URL and its path `/sub/`.
fn parse_base_url(url: &str) -> Result<(String, String), String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("`{url}` is not an absolute http(s) address"))?;
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    if host.is_empty() || host.contains(char::is_whitespace) {
        return Err(format!("`{url}` has no host name"));
    }
    if path.contains(['?', '#']) {
        return Err(format!("`{url}` must not carry a query or fragment"));
    }
    let mut path = path.trim_end_matches('/').to_string();
    path.push('/');
    if !path.starts_with('/') {
        path.insert(0, '/');
    }
    let scheme = &url[..url.len() - rest.len()];
    Ok((format!("{scheme}{host}{path}"), path))
}

/// The permalink must give every article its own folder, so it needs `:slug`.
fn check_permalink(pattern: &str) -> Result<(), String> {
    if !pattern.contains(":slug") {
        return Err(format!(
            "`{pattern}` has no `:slug`, so every article would get the same URL"
        ));
    }
    for token in pattern.split('/').filter(|s| s.starts_with(':')) {
        if !matches!(token, ":slug" | ":category" | ":year" | ":month" | ":day") {
            return Err(format!(
                "unknown placeholder `{token}`; use :year, :month, :day, :category and :slug"
            ));
        }
    }
    Ok(())
}

/// Category slugs must be usable in URLs as written, and no two categories may share a slug
/// or a name (up to spelling variants), or `category:` values would be ambiguous.
fn check_categories(raw: Vec<RawCategory>, faults: &mut Faults) -> Vec<Category> {
    let mut categories: Vec<Category> = Vec::new();
    for c in raw {
        let slug = c.slug.trim().to_string();
        let name = clean_label(&c.name);
        if slugify(&slug) != slug || slug.is_empty() {
            faults.push(
                faults
                    .at(
                        "categories",
                        format!("category slug `{slug}` is not URL-safe"),
                    )
                    .help(format!(
                        "use lowercase words joined by `-`, e.g. `{}`",
                        slugify(&slug)
                    )),
            );
        }
        if categories
            .iter()
            .any(|k| k.slug == slug || fold_variants(&k.name) == fold_variants(&name))
        {
            faults.push(faults.at(
                "categories",
                format!("category `{slug}` ({name}) is declared twice"),
            ));
        }
        categories.push(Category {
            slug,
            folded_name: fold_variants(&name),
            name,
        });
    }
    categories
}

/// `rtl` or `ltr`: the direction of the page, from the site's language.
fn direction_of(language: &str) -> &'static str {
    if is_rtl_language(language) {
        "rtl"
    } else {
        "ltr"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "title: خبر\nbase_url: https://user.github.io/news\n";

    #[test]
    fn derives_base_path_and_direction() {
        let c = Config::parse(MINIMAL).unwrap();
        assert_eq!(c.base_url, "https://user.github.io/news/");
        assert_eq!(c.base_path, "/news/");
        assert_eq!(c.direction, "rtl");
        assert_eq!(c.per_page, 10);
    }

    #[test]
    fn unknown_keys_name_the_line() {
        let errors = Config::parse("title: x\nbase_url: https://a.b/\ntitel: y\n").unwrap_err();
        assert_eq!(errors[0].line, Some(3), "{errors:?}");
        assert!(errors[0].message.contains("titel"));
    }

    #[test]
    fn bad_values_are_all_reported() {
        let text = "title: x\nbase_url: ftp://a\ntimezone: Mars/Olympus\nper_page: 0\n";
        let errors = Config::parse(text).unwrap_err();
        let keys: Vec<_> = errors
            .iter()
            .map(|e| (e.key.clone().unwrap(), e.line.unwrap()))
            .collect();
        assert_eq!(
            keys,
            [
                ("base_url".into(), 2),
                ("timezone".into(), 3),
                ("per_page".into(), 4)
            ]
        );
    }

    #[test]
    fn every_fault_in_order_with_its_help() {
        let text = "title: x\nbase_url: https://\ntimezone: Mars/Olympus\nlanguage: \"@@\"\n\
                    per_page: 0\nfeed_limit: 0\nwords_per_minute: 0\npermalink: /:id/\n\
                    categories:\n  - { slug: Bad Slug, name: أمن }\n  - { slug: b, name: امن }\n";
        let errors = Config::parse(text).unwrap_err();
        let found: Vec<String> = errors
            .iter()
            .map(|e| {
                format!(
                    "{}:{:?}:{}:{}:{}",
                    e.file.display(),
                    e.line,
                    e.key.as_deref().unwrap_or("-"),
                    e.message,
                    e.help.as_deref().unwrap_or("-")
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                "site.yaml:Some(2):base_url:`https://` has no host name:write the address the site is published at, e.g. https://example.com/ or https://user.github.io/news/",
                "site.yaml:Some(3):timezone:unknown time zone `Mars/Olympus`:use an IANA name such as Africa/Cairo, Asia/Riyadh or Asia/Beirut",
                "site.yaml:Some(4):language:`@@` is not a BCP 47 language tag:use a tag such as ar, ar-EG or ar-SA",
                "site.yaml:Some(5):per_page:must be at least 1:-",
                "site.yaml:Some(6):feed_limit:must be at least 1:-",
                "site.yaml:Some(7):words_per_minute:must be at least 1:-",
                "site.yaml:Some(8):permalink:`/:id/` has no `:slug`, so every article would get the same URL:-",
                "site.yaml:Some(9):categories:category slug `Bad Slug` is not URL-safe:use lowercase words joined by `-`, e.g. `bad-slug`",
                "site.yaml:Some(9):categories:category `b` (امن) is declared twice:-",
            ]
        );
    }
}
