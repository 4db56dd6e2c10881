//! Typed, forgiving-but-strict reading of front-matter values.
//!
//! The YAML is first read into a mapping; each key is then taken out with the type it must
//! have. Every problem becomes a [`Diagnostic`] naming the file line of the key, and reading
//! goes on, so one run reports every fault in the file. Keys left over at the end are unknown
//! keys, reported with the nearest known one ("did you mean title?").

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_yaml::{Mapping, Value};

use crate::arabic::text::clean_label;
use crate::content::frontmatter::{key_lines, yaml_error};
use crate::error::{Diagnostic, nearest};

/// Front-matter keys of one file, being read.
pub struct Fields {
    file: PathBuf,
    map: Mapping,
    lines: HashMap<String, usize>,
    /// Errors found so far.
    pub errors: Vec<Diagnostic>,
}

impl Fields {
    /// Parses `yaml`, which starts on file line `yaml_line`.
    pub fn parse(file: &Path, yaml: &str, yaml_line: usize) -> Result<Fields, Diagnostic> {
        if let Some(line) = crate::content::frontmatter::too_deep(yaml) {
            return Err(Diagnostic::new(file, "invalid YAML: the front matter is nested more than 64 levels deep")
                .at_line(line + yaml_line - 1)
                .help("front matter is a flat list of keys; lists are written [a, b] or one `- item` per line"));
        }
        let value: Value = if yaml.trim().is_empty() {
            Value::Mapping(Mapping::new())
        } else {
            serde_yaml::from_str(yaml).map_err(|e| {
                let mut d = yaml_error(file, &e, yaml_line - 1);
                if d.message.contains("repetition limit") {
                    d.line = first_alias_line(yaml).map(|l| l + yaml_line - 1).or(d.line);
                }
                d
            })?
        };
        let map = match value {
            Value::Mapping(map) => map,
            Value::Null => Mapping::new(),
            _ => {
                return Err(Diagnostic::new(
                    file,
                    "the front matter is not a list of `key: value` lines",
                )
                .at_line(yaml_line));
            }
        };
        let lines = key_lines(yaml)
            .into_iter()
            .map(|(k, line)| (k, line + yaml_line - 1))
            .collect();
        Ok(Fields {
            file: file.to_path_buf(),
            map,
            lines,
            errors: Vec::new(),
        })
    }

    /// The file line of `key`, when it is present.
    pub fn line(&self, key: &str) -> Option<usize> {
        self.lines.get(key).copied()
    }

    /// Whether the key is present.
    pub fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    /// A diagnostic pointing at `key`.
    pub fn error(&self, key: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(&self.file, message)
            .at_optional_line(self.line(key))
            .key(key)
    }

    fn take(&mut self, key: &str) -> Option<Value> {
        match self.map.remove(key) {
            Some(Value::Null) | None => None,
            Some(value) => Some(value),
        }
    }

    /// A text value. Numbers and booleans are taken as their text (`title: 2024` is a fine
    /// headline); lists and maps are errors.
    pub fn text(&mut self, key: &str) -> Option<String> {
        let value = self.take(key)?;
        match scalar_text(&value) {
            Some(text) if !text.trim().is_empty() => Some(text),
            Some(_) => {
                let e = self
                    .error(key, "is empty")
                    .help(format!("give it a value or remove the `{key}:` line"));
                self.errors.push(e);
                None
            }
            None => {
                let e = self
                    .error(key, format!("must be text, not {}", describe(&value)))
                    .help("write it on one line after the colon, quoted if it contains `: `");
                self.errors.push(e);
                None
            }
        }
    }

    /// A required text value.
    pub fn required_text(&mut self, key: &str, example: &str) -> Option<String> {
        if !self.has(key) || self.map.get(key) == Some(&Value::Null) {
            let e = Diagnostic::new(&self.file, format!("the required key `{key}` is missing"))
                .at_optional_line(self.line(key))
                .key(key)
                .help(format!(
                    "add a line such as `{key}: {example}` to the front matter"
                ));
            self.errors.push(e);
            self.map.remove(key);
            return None;
        }
        self.text(key)
    }

    /// A list of text values, cleaned (NFC, no invisible controls, single spaces).
    pub fn list(&mut self, key: &str) -> Vec<String> {
        let Some(value) = self.take(key) else {
            return Vec::new();
        };
        let Value::Sequence(items) = value else {
            let e = self
                .error(key, format!("must be a list, not {}", describe(&value)))
                .help(format!(
                    "write `{key}: [first, second]`, or one `  - item` line per item"
                ));
            self.errors.push(e);
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items {
            match scalar_text(&item).map(|t| clean_label(&t)) {
                Some(text) if !text.is_empty() => out.push(text),
                Some(_) => {}
                None => {
                    let e = self.error(
                        key,
                        format!("each item must be text, not {}", describe(&item)),
                    );
                    self.errors.push(e);
                }
            }
        }
        out
    }

    /// A true/false value; quoted `"false"` is an error, since YAML reads it as text.
    pub fn boolean(&mut self, key: &str) -> bool {
        match self.take(key) {
            None => false,
            Some(Value::Bool(b)) => b,
            Some(other) => {
                let e = self
                    .error(
                        key,
                        format!("must be true or false, not {}", describe(&other)),
                    )
                    .help(format!(
                        "write `{key}: true` or `{key}: false`, without quotes"
                    ));
                self.errors.push(e);
                false
            }
        }
    }

    /// The raw value, for structured keys (author links).
    pub fn raw(&mut self, key: &str) -> Option<Value> {
        self.take(key)
    }

    /// Reports every key nobody took, suggesting the nearest of `known`.
    pub fn finish(mut self, known: &[&str]) -> Vec<Diagnostic> {
        let leftover: Vec<String> = self
            .map
            .keys()
            .map(|k| scalar_text(k).unwrap_or_default())
            .collect();
        for key in leftover {
            let mut e = self.error(&key, "unknown key");
            e.help = Some(match nearest(&key, known.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("the keys a file here may use are: {}", known.join(", ")),
            });
            self.errors.push(e);
        }
        self.errors
    }
}

/// The first line (1-based) that uses a YAML alias (`*name`), for errors about aliases.
fn first_alias_line(yaml: &str) -> Option<usize> {
    yaml.lines()
        .position(|line| {
            let bytes = line.as_bytes();
            bytes.iter().enumerate().any(|(i, b)| {
                *b == b'*'
                    && (i == 0 || matches!(bytes[i - 1], b' ' | b',' | b'[' | b'{'))
                    && bytes
                        .get(i + 1)
                        .is_some_and(|n| n.is_ascii_alphanumeric() || *n == b'_')
            })
        })
        .map(|i| i + 1)
}

/// The text of a scalar; `None` for lists and maps.
pub fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Tagged(t) => scalar_text(&t.value),
        _ => None,
    }
}

/// Names a YAML value's shape for error messages.
fn describe(value: &Value) -> String {
    match value {
        Value::Null => "empty".into(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the text \"{s}\""),
        Value::Sequence(_) => "a list".into(),
        Value::Mapping(_) => "a set of keys".into(),
        Value::Tagged(_) => "a tagged value".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(yaml: &str) -> Fields {
        Fields::parse(Path::new("a.md"), yaml, 2).unwrap()
    }

    #[test]
    fn reads_and_reports_with_file_lines() {
        let mut f = fields("title: 2024\ntags: عاجل\ndraft: \"false\"\ntitel: x\n");
        assert_eq!(f.text("title").as_deref(), Some("2024"));
        assert!(f.list("tags").is_empty());
        assert!(!f.boolean("draft"));
        let errors = f.finish(&["title", "tags", "draft"]);
        let lines: Vec<_> = errors.iter().map(|e| e.line.unwrap()).collect();
        assert_eq!(lines, [3, 4, 5]);
        assert!(errors[0].message.contains("must be a list"));
        assert!(errors[1].help.as_ref().unwrap().contains("without quotes"));
        assert_eq!(errors[2].help.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn missing_required_key_is_named() {
        let mut f = fields("date: 2026-01-01\n");
        assert_eq!(f.required_text("title", "…"), None);
        assert_eq!(f.errors[0].key.as_deref(), Some("title"));
    }

    #[test]
    fn yaml_syntax_errors_point_into_the_file() {
        let e = Fields::parse(Path::new("a.md"), "title: عاجل: انفجار\n", 2)
            .err()
            .unwrap();
        assert_eq!(e.line, Some(2));
        assert!(e.help.unwrap().contains("quoted"));
    }
}
