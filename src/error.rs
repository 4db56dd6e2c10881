//! Diagnostics: what went wrong, where, and what the writer should do about it.
//!
//! Every fault a writer can cause becomes a [`Diagnostic`] that names the file (relative to
//! the site root), the line in that file, the front-matter key when there is one, what was
//! expected, and a hint. A build collects all of them before failing, so one run reports
//! every broken file instead of one per run.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem found in the site's input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file at fault, relative to the site root where possible.
    pub file: PathBuf,
    /// 1-based line in that file, when known.
    pub line: Option<usize>,
    /// The front-matter or config key at fault, when there is one.
    pub key: Option<String>,
    /// What is wrong, lowercase, no trailing period.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A problem with a whole file.
    pub fn new(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.into(),
            line: None,
            key: None,
            message: message.into(),
            help: None,
        }
    }

    /// Points the diagnostic at a line.
    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    /// Points the diagnostic at a line when one is known.
    pub fn at_optional_line(mut self, line: Option<usize>) -> Self {
        self.line = line;
        self
    }

    /// Names the key at fault.
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }

    /// Adds advice on how to fix it.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: {}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(key) = &self.key {
            write!(f, ": `{key}`")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(help) = &self.help {
            for (i, line) in help.lines().enumerate() {
                let lead = if i == 0 { "\n  help: " } else { "\n        " };
                write!(f, "{lead}{line}")?;
            }
        }
        Ok(())
    }
}

/// Why a build failed.
#[derive(Debug)]
pub enum BuildError {
    /// Faults in the site's input: every one found, sorted by file and line.
    Input(Vec<Diagnostic>),
    /// The machine failed us (disk full, permissions) while reading or writing.
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
}

impl BuildError {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: &Path, error: std::io::Error) -> Self {
        BuildError::Io {
            path: path.to_path_buf(),
            error,
        }
    }

    /// A single input fault.
    pub fn one(diagnostic: Diagnostic) -> Self {
        BuildError::Input(vec![diagnostic])
    }

    /// Sorts diagnostics so output is stable whatever order threads found them in.
    pub fn input(mut diagnostics: Vec<Diagnostic>) -> Self {
        diagnostics.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        diagnostics.dedup();
        BuildError::Input(diagnostics)
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Input(diagnostics) => {
                for d in diagnostics {
                    writeln!(f, "{d}")?;
                }
                let n = diagnostics.len();
                let noun = if n == 1 { "error" } else { "errors" };
                write!(
                    f,
                    "build failed with {n} {noun}; public files were left as they were"
                )
            }
            BuildError::Io { path, error } => write!(f, "error: {}: {error}", path.display()),
        }
    }
}

impl std::error::Error for BuildError {}

impl From<Vec<Diagnostic>> for BuildError {
    fn from(diagnostics: Vec<Diagnostic>) -> Self {
        BuildError::input(diagnostics)
    }
}

/// Suggests the closest of `choices` to `wrong`, if one is near enough to be a typo.
pub fn nearest<'a>(wrong: &str, choices: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wrong_len = wrong.chars().count();
    choices
        .into_iter()
        .map(|c| (edit_distance(wrong, c), c))
        .filter(|(d, c)| *d <= (wrong_len.max(c.chars().count()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Edit distance over chars counting a swap of neighbours as one edit (optimal string
/// alignment), since `titel` for `title` is the commonest typo; inputs are short keys.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

/// "did you mean x?" plus the full list of valid choices, for unknown names.
pub fn choices_help<'a>(wrong: &str, choices: impl IntoIterator<Item = &'a str> + Clone) -> String {
    let list: Vec<&str> = choices.clone().into_iter().collect();
    let mut help = String::new();
    if let Some(near) = nearest(wrong, choices) {
        help.push_str(&format!("did you mean `{near}`?\n"));
    }
    if list.is_empty() {
        help.push_str("there are none defined yet");
    } else {
        help.push_str(&format!("valid choices: {}", list.join(", ")));
    }
    help
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_finds_typos_but_not_strangers() {
        assert_eq!(nearest("titel", ["title", "date", "tags"]), Some("title"));
        assert_eq!(
            nearest("ahmed-rashwn", ["ahmed-rashwan", "fatma-hassan"]),
            Some("ahmed-rashwan")
        );
        assert_eq!(nearest("zzzzzz", ["title", "date"]), None);
    }

    #[test]
    fn display_names_file_line_key_and_help() {
        let d = Diagnostic::new("content/a.md", "unknown author `x`")
            .at_line(4)
            .key("author")
            .help("valid choices: a, b");
        assert_eq!(
            d.to_string(),
            "error: content/a.md:4: `author`: unknown author `x`\n  help: valid choices: a, b"
        );
    }
}
