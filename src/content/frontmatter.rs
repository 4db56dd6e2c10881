//! Splitting a source file into YAML front matter and Markdown body, and reading the YAML.
//!
//! Files arrive as bytes: they must be UTF-8 (a UTF-16 or Windows-1256 file gets an error
//! saying so, with the byte offset), may start with a BOM and may use CRLF or mixed line
//! endings; all of that gives the same result as a clean LF file. Line numbers are always
//! the file's own, so an error in the third key of the front matter says line 4.

use std::collections::HashMap;
use std::path::Path;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use crate::arabic::text::surely_nfc;
use crate::error::Diagnostic;

/// Largest front matter we accept; news front matter is a few hundred bytes, and a cap keeps
/// a pathological file from costing the whole build.
pub const MAX_FRONT_MATTER_BYTES: usize = 64 * 1024;

/// A source file split into its parts.
#[derive(Debug, PartialEq, Eq)]
pub struct Split {
    /// The YAML between the `---` lines, with LF line endings.
    pub yaml: String,
    /// The file line on which the YAML starts (the line after the opening `---`).
    pub yaml_line: usize,
    /// The Markdown after the closing `---`, with LF line endings.
    pub body: String,
    /// The file line on which the body starts (the line after the closing `---`).
    pub body_line: usize,
}

/// Decodes the bytes of a source file as UTF-8 text with LF line endings and no BOM.
pub fn decode(path: &Path, bytes: &[u8]) -> Result<String, Diagnostic> {
    if bytes.starts_with(&[0xFF, 0xFE])
        || bytes.starts_with(&[0xFE, 0xFF])
        || looks_like_utf16(bytes)
    {
        return Err(
            Diagnostic::new(path, "the file is UTF-16, not UTF-8 (byte offset 0)")
                .help("open it in your editor and save it with the encoding \"UTF-8\""),
        );
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let offset = e.valid_up_to();
        let line = bytes[..offset].iter().filter(|b| **b == b'\n').count() + 1;
        Diagnostic::new(
            path,
            format!("the file is not valid UTF-8 (byte offset {offset})"),
        )
        .at_line(line)
        .help("it may be saved as Windows-1256 or another legacy encoding; save it as \"UTF-8\"")
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_string()
    };
    // Text typed on macOS or pasted from some tools arrives decomposed (NFD); everything we
    // publish and compare is NFC. The quick check makes this free for text that already is.
    if surely_nfc(&text) {
        return Ok(text);
    }
    Ok(match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => text,
        _ => text.nfc().collect(),
    })
}

/// UTF-16 without a byte-order mark: ASCII text with a NUL after (or before) every letter.
fn looks_like_utf16(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(64)];
    head.len() >= 8 && head.iter().filter(|b| **b == 0).count() * 3 >= head.len()
}

/// Splits decoded text into front matter and body.
pub fn split(path: &Path, text: &str) -> Result<Split, Diagnostic> {
    if text.trim().is_empty() {
        return Err(Diagnostic::new(path, "the file is empty")
            .help("start it with a front matter block:\n---\ntitle: …\n---\nor delete the file"));
    }
    let mut lines = text.split_inclusive('\n');
    let first_line = lines.next().unwrap_or("");
    let first = first_line.trim_end();
    if first == "+++" {
        return Err(
            Diagnostic::new(path, "TOML front matter (+++) is not supported")
                .at_line(1)
                .help("write the front matter in YAML between two lines of ---"),
        );
    }
    if first != "---" {
        return Err(
            Diagnostic::new(path, "the file does not start with front matter")
                .at_line(1)
                .help(
                    "the first line must be --- , followed by keys such as title:, and another ---",
                ),
        );
    }
    let mut yaml = String::new();
    // Count the line as it is, trailing spaces included: the body starts after all of it.
    let mut consumed = first_line.len();
    for (index, line) in lines.enumerate() {
        consumed += line.len();
        if matches!(line.trim_end(), "---" | "...") {
            return Ok(Split {
                yaml,
                yaml_line: 2,
                body: text[consumed.min(text.len())..].to_string(),
                body_line: index + 3,
            });
        }
        yaml.push_str(line);
        if yaml.len() > MAX_FRONT_MATTER_BYTES {
            return Err(
                Diagnostic::new(path, "the front matter is larger than 64 KiB")
                    .at_line(index + 2)
                    .help("is the closing --- missing? long text belongs in the body"),
            );
        }
    }
    Err(Diagnostic::new(path, "the front matter is never closed")
        .at_line(1)
        .help("add a line --- after the last front-matter key"))
}

/// The file line of each top-level key in `yaml`, counted from 1 at the YAML's first line.
pub fn key_lines(yaml: &str) -> HashMap<String, usize> {
    let mut lines = HashMap::new();
    for (index, line) in yaml.lines().enumerate() {
        if line.starts_with([' ', '\t', '#', '-']) {
            continue;
        }
        if let Some((key, _)) = line.split_once(':') {
            let key = key.trim().trim_matches(['"', '\'']);
            if !key.is_empty() && !key.contains(char::is_whitespace) {
                lines.entry(key.to_string()).or_insert(index + 1);
            }
        }
    }
    lines
}

/// A YAML syntax or type error, with its line moved into the file's own numbering.
/// `line_offset` is the number of file lines before the YAML's first line.
pub fn yaml_error(
    path: impl AsRef<Path>,
    error: &serde_yaml::Error,
    line_offset: usize,
) -> Diagnostic {
    let message = without_yaml_positions(&error.to_string());
    // Without a position (an alias expanding too much) point at the front matter's start.
    let line = error
        .location()
        .map_or(line_offset.max(1), |l| l.line() + line_offset);
    let diagnostic =
        Diagnostic::new(path.as_ref(), format!("invalid YAML: {message}")).at_line(line);
    let help = if message.contains("mapping values are not allowed") {
        "a value containing `: ` must be quoted, e.g. title: \"عاجل: …\""
    } else if message.contains("tab") {
        "indent YAML with spaces, never tabs"
    } else if message.contains("repetition limit") {
        "the front matter uses YAML aliases (&name … *name) that expand too far; write the values out"
    } else if message.contains("recursion limit") {
        "the front matter is nested too deeply; front matter is a flat list of keys"
    } else {
        "check the quoting and indentation of this line"
    };
    diagnostic.help(help)
}

/// serde_yaml says "at line N column M" in the YAML's own numbering, which contradicts the
/// file line we report; drop every such position from the message.
fn without_yaml_positions(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let skip = after
            .find(|c: char| !(c.is_ascii_digit() || c == ' ' || "column".contains(c)))
            .unwrap_or(after.len());
        rest = &after[skip..];
    }
    out.push_str(rest);
    out.trim().to_string()
}

/// Deepest bracket nesting accepted before the YAML parser sees the text: its scanner is
/// slow on pathological depth, and real front matter is one or two levels deep.
const MAX_NESTING: usize = 64;

/// The file line (counted from the YAML's first line) where flow nesting (`[`, `{`) first
/// goes deeper than [`MAX_NESTING`], if it does.
pub fn too_deep(yaml: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (line, text) in yaml.lines().enumerate() {
        for c in text.chars() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '[' | '{') => depth += 1,
                (None, ']' | '}') => depth = depth.saturating_sub(1),
                (None, '#') => break,
                _ => {}
            }
            if depth > MAX_NESTING {
                return Some(line + 1);
            }
        }
        quote = None;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("a.md")
    }

    #[test]
    fn splits_and_keeps_file_lines() {
        let s = split(p(), "---\ntitle: x\n---\nbody\n").unwrap();
        assert_eq!(s.yaml, "title: x\n");
        assert_eq!(s.body, "body\n");
        assert_eq!(s.yaml_line, 2);
    }

    #[test]
    fn bom_crlf_and_mixed_endings_equal_lf() {
        let lf = decode(p(), b"---\ntitle: x\n---\nbody\nmore\n").unwrap();
        let crlf = decode(
            p(),
            "\u{feff}---\r\ntitle: x\r\n---\r\nbody\rmore\n".as_bytes(),
        )
        .unwrap();
        assert_eq!(lf, crlf);
    }

    #[test]
    fn decomposed_text_is_composed() {
        let nfd: String = "---\ntitle: آخر الأخبار\n---\nإعلان\n".nfd().collect();
        let decoded = decode(p(), nfd.as_bytes()).unwrap();
        assert_eq!(decoded, "---\ntitle: آخر الأخبار\n---\nإعلان\n");
    }

    #[test]
    fn encodings_are_named() {
        let utf16 = decode(p(), &[0xFF, 0xFE, b'-', 0]).unwrap_err();
        assert!(utf16.message.contains("UTF-16"));
        let cp1256 = decode(p(), b"---\ntitle: \xc7\xe1\n").unwrap_err();
        assert!(
            cp1256.message.contains("byte offset 11"),
            "{}",
            cp1256.message
        );
        assert_eq!(cp1256.line, Some(2));
    }

    #[test]
    fn spaces_after_the_fences_change_nothing() {
        let s = split(p(), "---   \ntitle: عاجل\n---  \nالمقدمة.\n").unwrap();
        assert_eq!(s.yaml, "title: عاجل\n");
        assert_eq!(s.body, "المقدمة.\n");
        let feeds = split(p(), "---\x0c\x0c\ntitle: ل\n---\nنص\n").unwrap();
        assert_eq!(feeds.body, "نص\n");
    }

    #[test]
    fn missing_fences_are_errors() {
        assert!(split(p(), "").unwrap_err().message.contains("empty"));
        assert!(split(p(), "  \n\n").unwrap_err().message.contains("empty"));
        assert!(
            split(p(), "+++\ntitle = 'x'\n+++\n")
                .unwrap_err()
                .message
                .contains("TOML")
        );
        assert!(
            split(p(), "title: x\n")
                .unwrap_err()
                .message
                .contains("does not start")
        );
        assert!(
            split(p(), "---\ntitle: x\n")
                .unwrap_err()
                .message
                .contains("never closed")
        );
    }

    #[test]
    fn finds_top_level_key_lines() {
        let lines = key_lines("title: x\ntags:\n  - a\ndate: 2026-01-01\n");
        assert_eq!(lines["title"], 1);
        assert_eq!(lines["date"], 4);
        assert!(!lines.contains_key("a"));
    }
}
