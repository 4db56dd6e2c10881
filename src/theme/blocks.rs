//! A theme's or site's own blocks: every template `templates/blocks/<name>.html` adds a block
//! `:::<name>` for writers. Its parameters are declared in a comment opening the template,
//!
//! ```text
//! {# params: question, votes?
//!    body: yes #}
//! ```
//!
//! (`?`: optional; `body: yes`: the block holds Markdown up to a `:::` line, given to the
//! template as `content`). The declarations reach the Markdown parser through its options,
//! so a writer's block is checked like a built-in one.

use crate::content::markdown::blocks::spec::{BUILT_IN, BlockSpec};
use crate::error::Diagnostic;
use crate::theme::{Theme, ThemeFile};

/// The folder of block templates, inside `templates/`.
const BLOCKS_DIR: &str = "blocks/";

/// The blocks declared by the theme's and site's templates, sorted by name.
pub fn declared_blocks(theme: &Theme) -> Result<Vec<BlockSpec>, Vec<Diagnostic>> {
    let mut specs = Vec::new();
    let mut errors = Vec::new();
    for file in &theme.templates {
        let Some(name) = file
            .rel
            .strip_prefix(BLOCKS_DIR)
            .and_then(|n| n.strip_suffix(".html"))
        else {
            continue;
        };
        match declaration(file, name) {
            Ok(spec) => specs.push(spec),
            Err(e) => errors.push(e),
        }
    }
    specs.sort_by(|a, b| a.name.cmp(&b.name));
    if errors.is_empty() {
        Ok(specs)
    } else {
        Err(errors)
    }
}

fn declaration(file: &ThemeFile, name: &str) -> Result<BlockSpec, Diagnostic> {
    let fault = |message: String| Diagnostic::new(&file.shown, message).at_line(1);
    let valid_name = name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !valid_name {
        return Err(fault(format!("`{name}` cannot be a block name")).help(
            "name block templates with lowercase letters, digits and `-`, e.g. blocks/poll.html",
        ));
    }
    if BUILT_IN.iter().any(|b| b.name == name) {
        return Err(fault(format!("`:::{name}` is a built-in block"))
            .help("give the template another name; built-in blocks cannot be replaced"));
    }
    let bytes = file
        .source
        .read()
        .map_err(|e| fault(format!("cannot read the template: {e}")))?;
    let text = String::from_utf8_lossy(&bytes);
    let comment = text
        .trim_start()
        .strip_prefix("{#")
        .and_then(|c| c.split_once("#}"))
        .map(|(c, _)| c)
        .unwrap_or("");
    let (params, body) = read_comment(comment).map_err(|m| {
        fault(m).help(
            "declare the block in a comment opening the template: {# params: a, b? body: yes #}",
        )
    })?;
    let params: Vec<&str> = params.iter().map(String::as_str).collect();
    Ok(BlockSpec::new(name, &params, body))
}

/// The parameters (`b?` for optional) and whether the block holds Markdown.
fn read_comment(comment: &str) -> Result<(Vec<String>, bool), String> {
    let mut params = Vec::new();
    let mut body = false;
    let mut key = "";
    for word in comment
        .split([',', ' ', '\n', '\t'])
        .filter(|w| !w.is_empty())
    {
        if let Some(k) = word.strip_suffix(':') {
            key = k;
            continue;
        }
        match key {
            "params" if is_param(word) => params.push(word.to_string()),
            "params" => return Err(format!("`{word}` cannot be a parameter name")),
            "body" => {
                body = match word {
                    "yes" | "true" => true,
                    "no" | "false" => false,
                    _ => return Err(format!("`body: {word}`: write yes or no")),
                }
            }
            "" => return Ok((Vec::new(), false)),
            other => {
                return Err(format!(
                    "unknown declaration `{other}:`; valid: params, body"
                ));
            }
        }
    }
    Ok((params, body))
}

fn is_param(word: &str) -> bool {
    let name = word.strip_suffix('?').unwrap_or(word);
    name != "content"
        && name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_declaration() {
        let (params, body) = read_comment(" params: question, votes?\n body: yes ").unwrap();
        assert_eq!(params, ["question", "votes?"]);
        assert!(body);
        assert_eq!(read_comment(" just a note ").unwrap(), (vec![], false));
        assert!(read_comment("params: 1x").is_err());
        assert!(read_comment("params: content").is_err());
        assert!(
            read_comment("parms: a")
                .unwrap_err()
                .contains("valid: params, body")
        );
    }
}
