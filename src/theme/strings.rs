//! UI strings: every label a theme's pages show — «أهم النقاط», «مشاركة:», «الرئيسية» — comes
//! from the theme's `strings.yaml`, so neither templates nor qissa's own code fix the
//! wording. Templates read them as `{{ strings.KEY }}`; the render stage reads the few it
//! writes itself (breadcrumbs, index titles, the «اقرأ أيضًا» box, counts of articles)
//! through [`Strings::get`], and the Markdown parse those it writes inside bodies («تصوير:»,
//! notice headings, embed placeholders: [`crate::content::markdown::labels`]).
//!
//! A site rewords any label without copying templates, in a `strings.yaml` at its root or
//! under `strings:` in `site.yaml`; site.yaml wins over the site's file, which wins over the
//! theme. Only keys the theme defines may be set, so a typo is an error with the file, its
//! line and the valid keys, not a label that silently stays the same. Every theme must
//! define the keys qissa writes itself ([`required_keys`]).
//!
//! A label holding a number writes it as `{n}` (and `{total}`), which templates fill with
//! tera's `replace` filter; counts of articles take one of the six Arabic plural forms,
//! `articles_zero` … `articles_other`, like the `plural()` function of templates.

use std::collections::BTreeMap;
use std::path::Path;

use crate::arabic::plurals::Forms;
use crate::config::strings::{SHAPE_HELP, read_labels};
use crate::config::{CONFIG_FILE, Label};
use crate::content::author_links::PLATFORMS;
use crate::content::frontmatter::{key_lines, yaml_error};
use crate::content::markdown::labels::BODY_LABEL_KEYS;
use crate::error::{Diagnostic, choices_help};
use crate::theme::Theme;

/// The name of a strings file, in a theme's folder and at a site's root.
pub const STRINGS_FILE: &str = "strings.yaml";

/// The keys qissa's own code writes; every theme's `strings.yaml` must define them.
pub mod keys {
    pub const HOME: &str = "home";
    pub const TAGS_TITLE: &str = "tags_title";
    pub const AUTHORS_TITLE: &str = "authors_title";
    pub const CATEGORIES_TITLE: &str = "categories_title";
    pub const NOT_FOUND_TITLE: &str = "not_found_title";
    pub const SEARCH_TITLE: &str = "search_title";
    pub const SEARCH_DESCRIPTION: &str = "search_description";
    pub const READ_ALSO: &str = "read_also";
    pub const MOVED_NOTICE: &str = "moved_notice";
    pub const MOST_READ_TITLE: &str = "most_read_title";
    /// The six plural forms of "article", `{n}` for the number.
    pub const ARTICLES: [&str; 6] = [
        "articles_zero",
        "articles_one",
        "articles_two",
        "articles_few",
        "articles_many",
        "articles_other",
    ];
}

/// Every key of [`keys`], in the order of the theme's file; then the words qissa writes
/// inside bodies ([`BODY_LABEL_KEYS`]).
pub const REQUIRED_KEYS: [&str; 30] = [
    keys::HOME,
    keys::TAGS_TITLE,
    keys::AUTHORS_TITLE,
    keys::CATEGORIES_TITLE,
    keys::NOT_FOUND_TITLE,
    keys::SEARCH_TITLE,
    keys::SEARCH_DESCRIPTION,
    keys::READ_ALSO,
    keys::MOVED_NOTICE,
    keys::MOST_READ_TITLE,
    keys::ARTICLES[0],
    keys::ARTICLES[1],
    keys::ARTICLES[2],
    keys::ARTICLES[3],
    keys::ARTICLES[4],
    keys::ARTICLES[5],
    BODY_LABEL_KEYS[0],
    BODY_LABEL_KEYS[1],
    BODY_LABEL_KEYS[2],
    BODY_LABEL_KEYS[3],
    BODY_LABEL_KEYS[4],
    BODY_LABEL_KEYS[5],
    BODY_LABEL_KEYS[6],
    BODY_LABEL_KEYS[7],
    BODY_LABEL_KEYS[8],
    BODY_LABEL_KEYS[9],
    BODY_LABEL_KEYS[10],
    BODY_LABEL_KEYS[11],
    BODY_LABEL_KEYS[12],
    BODY_LABEL_KEYS[13],
];

/// Every key qissa writes itself, so every theme must define: [`REQUIRED_KEYS`], then
/// `platform_<key>` for each platform of author links (`platform_x`, `platform_email`…).
pub fn required_keys() -> Vec<String> {
    let platforms = PLATFORMS.iter().map(|(key, ..)| format!("platform_{key}"));
    REQUIRED_KEYS
        .iter()
        .map(|k| k.to_string())
        .chain(platforms)
        .collect()
}

/// The labels of one build: the theme's, with the site's overrides applied.
#[derive(Debug, Default, Clone, Hash, PartialEq, Eq)]
pub struct Strings {
    labels: BTreeMap<String, String>,
}

impl Strings {
    /// The theme's labels (`theme.strings`), then the site's `strings.yaml` under `root`,
    /// then `site.yaml`'s `strings:` (`site_labels`). Every fault is reported.
    pub fn load(
        root: &Path,
        theme: &Theme,
        site_labels: &[Label],
    ) -> Result<Strings, Vec<Diagnostic>> {
        let mut strings = theme_strings(theme)?;
        let mut faults = Vec::new();
        let site_file = root.join(STRINGS_FILE);
        if site_file.is_file() {
            match read_file(&site_file, Path::new(STRINGS_FILE)) {
                Ok(labels) => faults.extend(strings.apply(&labels, Path::new(STRINGS_FILE))),
                Err(found) => faults.extend(found),
            }
        }
        faults.extend(strings.apply(site_labels, Path::new(CONFIG_FILE)));
        if faults.is_empty() {
            Ok(strings)
        } else {
            Err(faults)
        }
    }

    /// The label `key` (empty for a key the theme does not define: [`Strings::load`] made
    /// sure the ones qissa asks for exist).
    pub fn get(&self, key: &str) -> &str {
        self.labels.get(key).map_or("", String::as_str)
    }

    /// The plural forms of "article", for counts written by qissa.
    pub fn articles(&self) -> Forms<'_> {
        let [zero, one, two, few, many, other] = keys::ARTICLES.map(|k| self.get(k));
        Forms {
            zero,
            one,
            two,
            few,
            many,
            other,
        }
    }

    /// Every label, as the template global `strings`.
    pub fn value(&self) -> tera::Value {
        tera::Value::from_serializable(&self.labels)
    }

    /// Every key, sorted.
    pub fn keys(&self) -> impl Iterator<Item = &str> + Clone {
        self.labels.keys().map(String::as_str)
    }

    /// Replaces the labels of `labels`, written in `file`; keys the theme does not define are
    /// faults at their line, listing the keys it does.
    fn apply(&mut self, labels: &[Label], file: &Path) -> Vec<Diagnostic> {
        let mut faults = Vec::new();
        for label in labels {
            match self.labels.get_mut(&label.key) {
                Some(text) => text.clone_from(&label.text),
                None => faults.push(self.unknown(label, file)),
            }
        }
        faults
    }

    fn unknown(&self, label: &Label, file: &Path) -> Diagnostic {
        let mut fault = Diagnostic::new(file, format!("unknown label `{}`", label.key))
            .at_optional_line(label.line)
            .help(choices_help(&label.key, self.keys()));
        if file == Path::new(CONFIG_FILE) {
            fault = fault.key("strings");
        }
        fault
    }
}

/// The theme's own labels, every key qissa writes present.
fn theme_strings(theme: &Theme) -> Result<Strings, Vec<Diagnostic>> {
    let Some(file) = &theme.strings else {
        let shown = theme.folder.join(STRINGS_FILE);
        return Err(vec![
            Diagnostic::new(shown, "the theme has no strings.yaml").help(
                "every theme keeps its labels in strings.yaml beside theme.yaml; \
             copy the one of `qissa theme eject qissa` (in an empty folder) and reword it",
            ),
        ]);
    };
    let bytes = file.source.read().map_err(|e| {
        vec![Diagnostic::new(
            &file.shown,
            format!("cannot read the labels: {e}"),
        )]
    })?;
    let text = String::from_utf8(bytes.into_owned())
        .map_err(|_| vec![Diagnostic::new(&file.shown, "strings.yaml is not UTF-8")])?;
    let labels = parse_labels(&text, &file.shown)?;
    let strings = Strings {
        labels: labels.into_iter().map(|l| (l.key, l.text)).collect(),
    };
    let required = required_keys();
    let missing: Vec<Diagnostic> = required
        .iter()
        .filter(|key| !strings.labels.contains_key(*key))
        .map(|key| {
            Diagnostic::new(&file.shown, format!("the theme has no label `{key}`")).help(format!(
                "qissa writes this label itself, so every theme's strings.yaml needs it; \
                     the keys every theme needs: {}",
                required.join(", ")
            ))
        })
        .collect();
    if missing.is_empty() {
        Ok(strings)
    } else {
        Err(missing)
    }
}

/// The labels of the strings file at `path` (named `shown` in faults).
fn read_file(path: &Path, shown: &Path) -> Result<Vec<Label>, Vec<Diagnostic>> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        vec![
            Diagnostic::new(shown, format!("cannot read the labels: {e}"))
                .help("strings.yaml must be UTF-8 text"),
        ]
    })?;
    parse_labels(&text, shown)
}

/// The labels of a strings file's `text`, each with its line.
fn parse_labels(text: &str, shown: &Path) -> Result<Vec<Label>, Vec<Diagnostic>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let value: Option<serde_yaml::Value> =
        serde_yaml::from_str(text).map_err(|e| vec![yaml_error(shown, &e, 0)])?;
    let lines = key_lines(text);
    let line_of = |key: &str| lines.get(key).copied();
    read_labels(value.as_ref(), &line_of).map_err(|found| {
        found
            .into_iter()
            .map(|(line, message)| {
                Diagnostic::new(shown, message)
                    .at_optional_line(line)
                    .help(SHAPE_HELP)
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::theme::DEFAULT_THEME;

    fn label(key: &str, text: &str, line: usize) -> Label {
        Label {
            key: key.into(),
            text: text.into(),
            line: Some(line),
        }
    }

    #[test]
    fn the_built_in_theme_has_every_key_qissa_writes() {
        let root = tempfile::tempdir().unwrap();
        let theme = Theme::load(root.path(), DEFAULT_THEME).unwrap();
        let strings = Strings::load(root.path(), &theme, &[]).unwrap();
        assert_eq!(strings.get(keys::HOME), "الرئيسية");
        assert_eq!(strings.articles().few, "{n} مقالات");
        assert_eq!(strings.get("summary_heading"), "أهم النقاط");
    }

    #[test]
    fn site_yaml_wins_over_the_site_file_which_wins_over_the_theme() {
        let root = tempfile::tempdir().unwrap();
        std::fs::write(
            root.path().join(STRINGS_FILE),
            "home: البداية\nshare_label: \"شارك:\"\n",
        )
        .unwrap();
        let theme = Theme::load(root.path(), DEFAULT_THEME).unwrap();
        let strings =
            Strings::load(root.path(), &theme, &[label("home", "الصفحة الأولى", 9)]).unwrap();
        assert_eq!(strings.get("home"), "الصفحة الأولى");
        assert_eq!(strings.get("share_label"), "شارك:");
        assert_eq!(strings.get("written_by"), "كتبها");
    }

    #[test]
    fn unknown_keys_name_the_file_line_and_valid_keys() {
        let root = tempfile::tempdir().unwrap();
        std::fs::write(
            root.path().join(STRINGS_FILE),
            "# labels\nhome: x\nhoem: y\n",
        )
        .unwrap();
        let theme = Theme::load(root.path(), DEFAULT_THEME).unwrap();
        let faults =
            Strings::load(root.path(), &theme, &[label("share_lable", "x", 12)]).unwrap_err();
        let found: Vec<(String, Option<usize>, &str)> = faults
            .iter()
            .map(|d| (d.file.display().to_string(), d.line, d.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("strings.yaml".into(), Some(3), "unknown label `hoem`"),
                ("site.yaml".into(), Some(12), "unknown label `share_lable`"),
            ]
        );
        let help = faults[1].help.as_deref().unwrap();
        assert!(help.contains("did you mean `share_label`?"), "{help}");
        assert!(
            help.contains("valid choices: ") && help.contains("written_by"),
            "{help}"
        );
    }

    /// The wording qissa falls back on when it parses a body without a theme is the
    /// default theme's.
    #[test]
    fn body_label_defaults_are_the_default_themes() {
        let root = tempfile::tempdir().unwrap();
        let theme = Theme::load(root.path(), DEFAULT_THEME).unwrap();
        let strings = Strings::load(root.path(), &theme, &[]).unwrap();
        let from_theme =
            crate::content::markdown::labels::BodyLabels::from_lookup(|k| strings.get(k));
        assert_eq!(from_theme, Default::default());
    }

    /// The list of keys at the top of the theme's file is the list of its keys.
    #[test]
    fn the_key_list_atop_the_built_in_file_is_complete() {
        let text = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/qissa/strings.yaml"),
        )
        .unwrap();
        let header: String = text
            .lines()
            .take_while(|l| l.starts_with('#'))
            .skip_while(|l| !l.starts_with("# The groups:"))
            .skip(1)
            .map(|l| {
                l.split_once(':')
                    .map_or(l, |(_, keys)| keys)
                    .trim_start_matches('#')
            })
            .collect::<Vec<_>>()
            .join(",");
        let mut listed: Vec<&str> = header
            .split([',', ' '])
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .collect();
        listed.sort_unstable();
        let labels = parse_labels(&text, Path::new(STRINGS_FILE)).unwrap();
        let mut defined: Vec<&str> = labels.iter().map(|l| l.key.as_str()).collect();
        defined.sort_unstable();
        assert_eq!(listed, defined);
    }
}
