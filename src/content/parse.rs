//! What the parses of articles, authors and pages share: the facts about the site they need
//! ([`ParseContext`]), values that remember their line ([`Located`]), and the first steps
//! every source file goes through ([`open`]): decode the bytes, split off the front matter,
//! read its YAML into [`Fields`]. Each kind of source then only reads its own keys.

use std::path::Path;

use crate::content::fields::Fields;
use crate::content::frontmatter::{decode, split};
use crate::content::markdown::{MarkdownOptions, Origin, Rendered, render};
use crate::error::Diagnostic;

/// What parsing needs to know about the site.
#[derive(Debug)]
pub struct ParseContext {
    pub timezone: jiff::tz::TimeZone,
    pub markdown: MarkdownOptions,
}

/// A front-matter value with the file line it came from, for errors found later (unknown
/// author, unknown category) that must still point at the right line.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Located<T> {
    pub value: T,
    pub line: Option<usize>,
}

/// A source file opened up to its front-matter keys.
pub struct Opened {
    /// The front matter, ready to be read key by key.
    pub fields: Fields,
    /// The Markdown after the front matter, with LF line endings.
    pub body: String,
    /// The file line the body starts on, for errors in its blocks.
    pub body_line: usize,
}

impl Opened {
    /// The body rendered; faults in its blocks name `source` and their lines.
    pub fn render_body(
        &self,
        source: &Path,
        ctx: &ParseContext,
    ) -> Result<Rendered, Vec<Diagnostic>> {
        let origin = Origin {
            file: source,
            first_line: self.body_line,
        };
        render(&self.body, &ctx.markdown, origin)
    }
}

/// Decodes `bytes`, splits off the front matter and parses its YAML. A fault in any of these
/// steps is the file's only fault: without readable keys there is nothing more to check.
pub fn open(source: &Path, bytes: &[u8]) -> Result<Opened, Vec<Diagnostic>> {
    let text = decode(source, bytes).map_err(|e| vec![e])?;
    let parts = split(source, &text).map_err(|e| vec![e])?;
    let fields = Fields::parse(source, &parts.yaml, parts.yaml_line).map_err(|e| vec![e])?;
    Ok(Opened {
        fields,
        body: parts.body,
        body_line: parts.body_line,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn only_fault(bytes: &[u8]) -> Diagnostic {
        let faults = open(Path::new("a.md"), bytes).err().expect("a fault");
        assert_eq!(faults.len(), 1, "{faults:?}");
        faults.into_iter().next().unwrap()
    }

    #[test]
    fn each_step_stops_at_its_own_fault() {
        let path = Path::new("a.md");
        let utf16 = [0xFF, 0xFE, b'-', 0];
        assert_eq!(only_fault(&utf16), decode(path, &utf16).unwrap_err());
        let unclosed = "---\ntitle: x\n";
        assert_eq!(
            only_fault(unclosed.as_bytes()),
            split(path, unclosed).unwrap_err()
        );
        let bad_yaml = only_fault(b"---\ntitle: [x\n---\n");
        assert!(bad_yaml.message.starts_with("invalid YAML"), "{bad_yaml:?}");
        assert_eq!(bad_yaml.line, Some(3));
    }

    #[test]
    fn opens_to_the_keys_and_the_body() {
        let opened = open(
            Path::new("a.md"),
            "\u{feff}---\r\ntitle: x\r\n---\r\nنص\r\n".as_bytes(),
        )
        .ok()
        .unwrap();
        assert_eq!(opened.body, "نص\n");
        assert_eq!(opened.body_line, 4);
        assert_eq!(opened.fields.line("title"), Some(2));
    }
}
