//! What each block accepts: its parameters (required or not) and whether it holds Markdown
//! up to a closing `:::` line. The built-in blocks are declared here; a theme or site declares
//! its own the same way (see [`crate::theme::blocks`]). [`bind`] checks an opening line
//! against a declaration and says, for every fault, what the valid choices are.

use std::sync::LazyLock;

use super::syntax::Opening;
use crate::error::choices_help;

/// A block's declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockSpec {
    pub name: String,
    /// In order; an unnamed value on the opening line fills the first one.
    pub params: Vec<ParamSpec>,
    /// Whether the block holds Markdown and ends with a line `:::`.
    pub body: bool,
}

/// One parameter of a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamSpec {
    pub name: String,
    pub required: bool,
}

impl BlockSpec {
    /// A declaration from `name` and parameters written `a`, `b?` (`?`: optional).
    pub fn new(name: &str, params: &[&str], body: bool) -> BlockSpec {
        BlockSpec {
            name: name.to_string(),
            params: params
                .iter()
                .map(|p| ParamSpec {
                    name: p.trim_end_matches('?').to_string(),
                    required: !p.ends_with('?'),
                })
                .collect(),
            body,
        }
    }

    /// How the opening line is written, for help texts: `:::figure src alt? caption?`.
    pub fn usage(&self) -> String {
        let params: Vec<String> = self
            .params
            .iter()
            .map(|p| format!("{}{}", p.name, if p.required { "" } else { "?" }))
            .collect();
        let mut usage = format!(":::{} {}", self.name, params.join(" "));
        if self.body {
            usage.push_str(" … :::");
        }
        usage
    }
}

/// Names of the built-in blocks.
pub const FIGURE: &str = "figure";
pub const GALLERY: &str = "gallery";
pub const QUOTE: &str = "quote";
pub const NOTICE: &str = "notice";
pub const READ_ALSO: &str = "read-also";
pub const EMBED: &str = "embed";

/// The blocks every site has.
pub static BUILT_IN: LazyLock<Vec<BlockSpec>> = LazyLock::new(|| {
    vec![
        BlockSpec::new(FIGURE, &["src", "alt?", "caption?", "credit?"], false),
        BlockSpec::new(GALLERY, &["caption?"], true),
        BlockSpec::new(QUOTE, &["by?"], true),
        BlockSpec::new(NOTICE, &["kind?", "title?"], true),
        BlockSpec::new(READ_ALSO, &["file"], false),
        BlockSpec::new(EMBED, &["url", "start?", "caption?"], false),
    ]
});

/// The values of an opening line, bound to its block's parameters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Args(pub Vec<(String, String)>);

impl Args {
    /// The value given for `name`, if any.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A fault in a block: what is wrong and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub message: String,
    pub help: String,
}

/// Checks `opening` against `spec`: every value names a parameter, none is missing.
pub fn bind(spec: &BlockSpec, opening: Opening) -> Result<Args, Vec<Fault>> {
    let mut faults = Vec::new();
    let mut named = opening.named;
    if let Some(value) = opening.unnamed {
        match spec.params.first() {
            Some(first) if !named.iter().any(|(k, _)| *k == first.name) => {
                named.insert(0, (first.name.clone(), value))
            }
            _ => faults.push(Fault {
                message: format!(
                    "`:::{}` takes no value without a name (`{value}`)",
                    spec.name
                ),
                help: format!("write it as {}", spec.usage()),
            }),
        }
    }
    let names: Vec<&str> = spec.params.iter().map(|p| p.name.as_str()).collect();
    for (key, _) in named.iter().filter(|(k, _)| !names.contains(&k.as_str())) {
        faults.push(Fault {
            message: format!("`:::{}` has no parameter `{key}`", spec.name),
            help: choices_help(key, names.iter().copied()),
        });
    }
    for param in spec.params.iter().filter(|p| p.required) {
        if !named.iter().any(|(k, v)| *k == param.name && !v.is_empty()) {
            faults.push(Fault {
                message: format!("`:::{}` needs `{}`", spec.name, param.name),
                help: format!("write it as {}", spec.usage()),
            });
        }
    }
    if faults.is_empty() {
        Ok(Args(named))
    } else {
        Err(faults)
    }
}

#[cfg(test)]
mod tests {
    use super::super::syntax::parse_opening;
    use super::*;

    fn figure() -> &'static BlockSpec {
        &BUILT_IN[0]
    }

    #[test]
    fn the_unnamed_value_fills_the_first_parameter() {
        let args = bind(figure(), parse_opening("figure a.jpg credit=x").unwrap()).unwrap();
        assert_eq!(args.get("src"), Some("a.jpg"));
        assert_eq!(args.get("credit"), Some("x"));
        assert_eq!(figure().usage(), ":::figure src alt? caption? credit?");
    }

    #[test]
    fn unknown_and_missing_parameters_name_the_choices() {
        let faults = bind(figure(), parse_opening("figure captoin=x").unwrap()).unwrap_err();
        assert_eq!(faults[0].message, "`:::figure` has no parameter `captoin`");
        assert!(
            faults[0].help.contains("did you mean `caption`?"),
            "{faults:?}"
        );
        assert!(faults[0].help.contains("src, alt, caption, credit"));
        assert_eq!(faults[1].message, "`:::figure` needs `src`");
    }
}
