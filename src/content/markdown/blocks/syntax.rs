//! The opening line of a block, `:::name value key=value key="a value with spaces"`, taken
//! apart into the block's name, its one unnamed value (a file, a URL, a kind) and its named
//! values. Quotes are `"…"` or `«…»`; a value without quotes ends at the first space. What
//! the values mean is checked elsewhere, against the block's declared parameters.

/// An opening line, taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opening {
    pub name: String,
    /// The value written without a name, if any (at most one).
    pub unnamed: Option<String>,
    /// `key=value` pairs in the order written.
    pub named: Vec<(String, String)>,
}

/// Parses the text after `:::`; the error says what is wrong with the line.
pub fn parse_opening(text: &str) -> Result<Opening, String> {
    let text = text.trim();
    let (name, mut rest) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
    let mut opening = Opening {
        name: name.to_string(),
        unnamed: None,
        named: Vec::new(),
    };
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            return Ok(opening);
        }
        let (key, after_key) = match rest.split_once('=') {
            Some((key, after)) if is_key(key) => (Some(key), after),
            _ => (None, rest),
        };
        let (value, after) = read_value(after_key)?;
        rest = after;
        match key {
            Some(key) if opening.named.iter().any(|(k, _)| k == key) => {
                return Err(format!("`{key}` is given twice"));
            }
            Some(key) => opening.named.push((key.to_string(), value)),
            None if opening.unnamed.is_some() => {
                return Err(format!(
                    "`{value}` needs a name: only one value may be written without `name=`"
                ));
            }
            None => opening.unnamed = Some(value),
        }
    }
}

/// A parameter name: ASCII letters, digits, `-` and `_`, starting with a letter.
fn is_key(key: &str) -> bool {
    key.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// One value at the start of `text` and the text after it.
fn read_value(text: &str) -> Result<(String, &str), String> {
    for (open, close) in [('"', '"'), ('«', '»')] {
        if let Some(inner) = text.strip_prefix(open) {
            let end = inner.find(close).ok_or_else(|| {
                format!("a value opened with {open} is never closed with {close}")
            })?;
            let after = &inner[end + close.len_utf8()..];
            if after.starts_with(|c: char| !c.is_whitespace()) {
                return Err(format!(
                    "put a space after the closing {close} before the next value"
                ));
            }
            return Ok((inner[..end].trim().to_string(), after));
        }
    }
    let end = text.find(char::is_whitespace).unwrap_or(text.len());
    Ok((text[..end].to_string(), &text[end..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_name_unnamed_and_named_values() {
        let o = parse_opening(
            "figure images/port.jpg caption=\"سفن في الميناء\" credit=«أحمد علي» alt=سفن",
        )
        .unwrap();
        assert_eq!(o.name, "figure");
        assert_eq!(o.unnamed.as_deref(), Some("images/port.jpg"));
        assert_eq!(
            o.named,
            [
                ("caption".to_string(), "سفن في الميناء".to_string()),
                ("credit".to_string(), "أحمد علي".to_string()),
                ("alt".to_string(), "سفن".to_string()),
            ]
        );
    }

    #[test]
    fn a_url_with_a_query_is_one_unnamed_value() {
        let o = parse_opening("embed https://www.youtube.com/watch?v=abc&t=5 start=90").unwrap();
        assert_eq!(
            o.unnamed.as_deref(),
            Some("https://www.youtube.com/watch?v=abc&t=5")
        );
        assert_eq!(o.named, [("start".to_string(), "90".to_string())]);
    }

    #[test]
    fn faults_are_explained() {
        assert!(
            parse_opening("quote by=\"x")
                .unwrap_err()
                .contains("never closed")
        );
        assert!(
            parse_opening("quote a b")
                .unwrap_err()
                .contains("needs a name")
        );
        assert!(
            parse_opening("quote by=a by=b")
                .unwrap_err()
                .contains("twice")
        );
        assert!(
            parse_opening("quote by=\"a\"x")
                .unwrap_err()
                .contains("space")
        );
        assert_eq!(parse_opening("notice").unwrap().unnamed, None);
    }
}
