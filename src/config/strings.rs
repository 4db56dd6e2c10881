//! `strings:` in `site.yaml`, and the shape of every strings file: a flat mapping of label
//! keys to text, such as
//!
//! ```yaml
//! strings:
//!   summary_heading: باختصار
//!   share_label: "شارك الخبر:"
//! ```
//!
//! Only the shape is checked here (keys are words, values are text). Which keys exist is the
//! theme's to say: its `strings.yaml` lists them, and [`crate::theme::strings`] checks every
//! override against that list once the theme is known.

use serde_yaml::Value;

use super::Faults;
use super::search::nested_line;

/// One label as written in a strings mapping: its key, its text and the line of the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub key: String,
    pub text: String,
    pub line: Option<usize>,
}

/// A fault in a strings mapping: its line (when known) and what is wrong.
pub type ShapeFault = (Option<usize>, String);

/// What a strings mapping must look like, for the help of every shape fault.
pub const SHAPE_HELP: &str = "write one label per line, key: text, e.g.\n\
     summary_heading: أهم النقاط\n\
     share_label: \"مشاركة:\"   # quote text that holds `: ` or ends with `:`";

/// The labels of a strings mapping (`None` or YAML `null`: none), in the order written.
/// `line_of` finds the line of a key. Every fault is returned, not only the first.
pub fn read_labels(
    value: Option<&Value>,
    line_of: &dyn Fn(&str) -> Option<usize>,
) -> Result<Vec<Label>, Vec<ShapeFault>> {
    let map = match value {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Mapping(map)) => map,
        Some(_) => {
            return Err(vec![(
                None,
                "the labels must be a mapping of keys to text".into(),
            )]);
        }
    };
    let mut labels = Vec::new();
    let mut faults = Vec::new();
    for (key, value) in map {
        let Some(key) = key.as_str() else {
            faults.push((None, "a label key must be a word such as `home`".into()));
            continue;
        };
        match value {
            Value::String(text) => labels.push(Label {
                key: key.to_string(),
                text: text.trim().to_string(),
                line: line_of(key),
            }),
            _ => faults.push((
                line_of(key),
                format!("the label `{key}` must be text, not a number, list or mapping"),
            )),
        }
    }
    if faults.is_empty() {
        Ok(labels)
    } else {
        Err(faults)
    }
}

/// The labels under `strings:` in site.yaml (`text`: the file, for the lines of the keys).
pub(super) fn checked_strings(
    value: Option<&Value>,
    text: &str,
    faults: &mut Faults,
) -> Vec<Label> {
    let top = faults.lines.get("strings").copied();
    let line_of = |key: &str| nested_line(text, "strings", key).or(top);
    match read_labels(value, &line_of) {
        Ok(labels) => labels,
        Err(found) => {
            for (line, message) in found {
                let fault = faults.at("strings", message).at_optional_line(line.or(top));
                faults.push(fault.help(SHAPE_HELP));
            }
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;

    const MINIMAL: &str = "title: خبر\nbase_url: https://example.com/\n";

    #[test]
    fn labels_keep_their_lines_and_order() {
        let text = format!("{MINIMAL}strings:\n  share_label: \"شارك:\"\n  home: البداية\n");
        let config = Config::parse(&text).unwrap();
        let found: Vec<(&str, &str, Option<usize>)> = config
            .strings
            .iter()
            .map(|l| (l.key.as_str(), l.text.as_str(), l.line))
            .collect();
        assert_eq!(
            found,
            [
                ("share_label", "شارك:", Some(4)),
                ("home", "البداية", Some(5))
            ]
        );
    }

    #[test]
    fn values_that_are_not_text_are_faults_at_their_line() {
        let text = format!("{MINIMAL}strings:\n  home: [أ, ب]\n  next: 3\n");
        let errors = Config::parse(&text).unwrap_err();
        let found: Vec<(Option<usize>, bool)> = errors
            .iter()
            .map(|e| (e.line, e.message.contains("must be text")))
            .collect();
        assert_eq!(found, [(Some(4), true), (Some(5), true)]);
        let errors = Config::parse(&format!("{MINIMAL}strings: [home]\n")).unwrap_err();
        assert_eq!(errors[0].line, Some(3));
        assert_eq!(errors[0].key.as_deref(), Some("strings"));
    }
}
