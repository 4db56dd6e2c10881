//! Blocks: `:::name …` lines that turn part of a body into something Markdown has no syntax
//! for — a figure, a gallery, a pull quote, a notice, an «اقرأ أيضًا» box, an embed, a
//! passage in another language (`:::en`), or a block the theme or site declares itself.
//!
//! Blocks that hold Markdown (gallery, quote, notice, languages, custom blocks declared with a
//! body) end with a line `:::` and may nest; the others are one line. [`scan`] reads the
//! body line by line (leaving fenced code alone), checks every opening line against its
//! block's declaration, and replaces it with a marker paragraph of private-use characters
//! that no writer types; the event pass then swaps each marker for the block's HTML.

mod html;
pub mod spec;
pub mod syntax;

use std::borrow::Cow;

use self::spec::{Args, BUILT_IN, BlockSpec, EMBED, FIGURE, Fault, NOTICE, READ_ALSO, bind};
use self::syntax::parse_opening;
use super::embeds::{Embed, Kind, Provider, detect};
use super::links::parse_seconds;

pub(super) use self::html::{close_html, figcaption, leaf_html, open_html};

/// A block found in a body, checked.
#[derive(Debug, Clone)]
pub(super) enum Block {
    /// `:::en`: a passage in another language.
    Language(String),
    /// A built-in block with its values (`name` is one of [`spec::BUILT_IN`]).
    BuiltIn { name: &'static str, args: Args },
    /// `:::embed URL …`: the provider's player, found from the URL.
    Embed {
        url: String,
        embed: Embed,
        args: Args,
    },
    /// A block of the theme or site, rendered by its template when pages are rendered.
    Custom { name: String, args: Args },
    /// A block with a fault (already reported); renders as nothing.
    Broken,
}

/// A body with its blocks replaced by markers.
pub(super) struct Scanned<'a> {
    pub source: Cow<'a, str>,
    /// Indexed by the numbers in the markers; each with its file line.
    pub blocks: Vec<(Block, usize)>,
    /// Faults with their file lines.
    pub faults: Vec<(usize, Fault)>,
}

/// Which marker a paragraph holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Marker {
    Open(usize),
    Close(usize),
    Leaf(usize),
}

impl Marker {
    /// The marker in a paragraph's text, if it is one.
    pub fn parse(text: &str) -> Option<Marker> {
        let inner = text.strip_prefix('\u{E000}')?.strip_suffix('\u{E000}')?;
        let (kind, n) = inner.split_once(':')?;
        let n = n.parse().ok()?;
        match kind {
            "open" => Some(Marker::Open(n)),
            "close" => Some(Marker::Close(n)),
            "leaf" => Some(Marker::Leaf(n)),
            _ => None,
        }
    }

    fn write(self, out: &mut String) {
        let (kind, n) = match self {
            Marker::Open(n) => ("open", n),
            Marker::Close(n) => ("close", n),
            Marker::Leaf(n) => ("leaf", n),
        };
        out.push_str(&format!("\n\u{E000}{kind}:{n}\u{E000}\n\n"));
    }
}

/// Finds the blocks of `source`, whose first line is file line `first_line`. `custom` are
/// the theme's and site's own blocks.
pub(super) fn scan<'a>(source: &'a str, custom: &[BlockSpec], first_line: usize) -> Scanned<'a> {
    let mut scanned = Scanned {
        source: Cow::Borrowed(source),
        blocks: Vec::new(),
        faults: Vec::new(),
    };
    if !source.contains(":::") {
        return scanned;
    }
    let mut out = String::with_capacity(source.len() + 64);
    let mut fence: Option<&str> = None;
    let mut open: Vec<usize> = Vec::new();
    for (index, line) in source.split_inclusive('\n').enumerate() {
        let trimmed = line.trim();
        if let Some(f) = fence {
            fence = (!trimmed.starts_with(f)).then_some(f);
        } else if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
        } else if let Some(rest) = trimmed.strip_prefix(":::") {
            if rest.trim().is_empty() {
                if let Some(n) = open.pop() {
                    Marker::Close(n).write(&mut out);
                    continue;
                }
            } else {
                let (block, body) = scanned.read_opening(rest, custom, first_line + index);
                let n = scanned.blocks.len();
                scanned.blocks.push((block, first_line + index));
                if body {
                    open.push(n);
                    Marker::Open(n).write(&mut out);
                } else {
                    Marker::Leaf(n).write(&mut out);
                }
                continue;
            }
        }
        out.push_str(line);
    }
    for n in open.into_iter().rev() {
        let (block, line) = &scanned.blocks[n];
        if !matches!(block, Block::Language(_) | Block::Broken) {
            let name = opening_name(block);
            scanned.faults.push((
                *line,
                Fault {
                    message: format!("`:::{name}` is never closed"),
                    help: "end the block with a line holding only `:::`".into(),
                },
            ));
        }
        Marker::Close(n).write(&mut out);
    }
    scanned.source = Cow::Owned(out);
    scanned
}

fn opening_name(block: &Block) -> &str {
    match block {
        Block::Language(lang) => lang,
        Block::BuiltIn { name, .. } => name,
        Block::Embed { .. } => EMBED,
        Block::Custom { name, .. } => name,
        Block::Broken => "",
    }
}

impl Scanned<'_> {
    /// The block an opening line starts, and whether it holds Markdown up to a `:::`.
    fn read_opening(&mut self, text: &str, custom: &[BlockSpec], line: usize) -> (Block, bool) {
        let name = text.split_whitespace().next().unwrap_or("");
        let spec = custom
            .iter()
            .chain(BUILT_IN.iter())
            .find(|s| s.name == name);
        let Some(spec) = spec else {
            if is_language_tag(text.trim()) {
                return (Block::Language(text.trim().to_string()), true);
            }
            self.faults.push((line, unknown_block(name, custom)));
            return (Block::Broken, false);
        };
        let checked = parse_opening(text)
            .map_err(|message| {
                vec![Fault {
                    message: format!("`:::{name}`: {message}"),
                    help: format!("write it as {}", spec.usage()),
                }]
            })
            .and_then(|opening| bind(spec, opening))
            .and_then(|args| typed_block(spec, custom, args));
        match checked {
            Ok(block) => (block, spec.body),
            Err(faults) => {
                self.faults.extend(faults.into_iter().map(|f| (line, f)));
                (Block::Broken, spec.body)
            }
        }
    }
}

/// The block for checked `args`, with the values of built-in blocks checked too.
fn typed_block(spec: &BlockSpec, custom: &[BlockSpec], args: Args) -> Result<Block, Vec<Fault>> {
    if custom.iter().any(|c| c.name == spec.name) {
        // Templates see every declared parameter; one not given is empty text.
        let args = spec
            .params
            .iter()
            .map(|p| (p.name.clone(), args.get(&p.name).unwrap_or("").to_string()))
            .collect();
        return Ok(Block::Custom {
            name: spec.name.clone(),
            args: Args(args),
        });
    }
    let name = builtin_name(&spec.name);
    match name {
        EMBED => embed_block(args),
        NOTICE => check_notice(&args).map(|_| Block::BuiltIn { name, args }),
        READ_ALSO => check_read_also(&args).map(|_| Block::BuiltIn { name, args }),
        _ => Ok(Block::BuiltIn { name, args }),
    }
}

fn builtin_name(name: &str) -> &'static str {
    [
        spec::FIGURE,
        spec::GALLERY,
        spec::QUOTE,
        NOTICE,
        READ_ALSO,
        EMBED,
    ]
    .into_iter()
    .find(|n| *n == name)
    .unwrap_or(FIGURE)
}

/// The kinds of notice; their headings are the labels `notice_<kind>`, in this order
/// ([`crate::content::markdown::labels::BodyLabels::notices`]).
pub(super) const NOTICE_KINDS: &[&str] = &["info", "warning", "correction", "update"];

fn check_notice(args: &Args) -> Result<(), Vec<Fault>> {
    let kind = args.get("kind").unwrap_or("info");
    if NOTICE_KINDS.contains(&kind) {
        return Ok(());
    }
    let kinds = NOTICE_KINDS.iter().copied();
    Err(vec![Fault {
        message: format!("`:::notice` has no kind `{kind}`"),
        help: crate::error::choices_help(kind, kinds),
    }])
}

fn check_read_also(args: &Args) -> Result<(), Vec<Fault>> {
    let file = args.get("file").unwrap_or("");
    if file.ends_with(".md") {
        return Ok(());
    }
    Err(vec![Fault {
        message: format!("`:::read-also` needs an article file, not `{file}`"),
        help: "name the article's .md file, from the site folder (content/articles/2026/x.md) or from this file (x.md)".into(),
    }])
}

/// `:::embed URL start=… caption=…`: the URL must be a provider's, `start` a time and only
/// for videos.
fn embed_block(args: Args) -> Result<Block, Vec<Fault>> {
    let url = args.get("url").unwrap_or("").to_string();
    let start = match args.get("start") {
        None => None,
        Some(text) => Some(parse_seconds(text).ok_or_else(|| {
            vec![Fault {
                message: format!("`:::embed`: `start={text}` is not a time"),
                help: "write seconds (start=90), minutes and seconds (start=1:30) or start=1m30s"
                    .into(),
            }]
        })?),
    };
    let Some(embed) = detect(&url, start) else {
        let names: Vec<&str> = Provider::ALL.iter().map(|p| p.arabic_name()).collect();
        return Err(vec![Fault {
            message: format!("`:::embed`: `{url}` is not a link qissa can embed"),
            help: format!(
                "use the address of a video, post, track or place on: {}; other links belong in the text as ordinary links",
                names.join("، ")
            ),
        }]);
    };
    if start.is_some() && !matches!(embed.kind, Kind::Video | Kind::Vertical) {
        return Err(vec![Fault {
            message: "`:::embed`: `start` works for videos only".into(),
            help: "remove `start=` or link a YouTube or Vimeo video".into(),
        }]);
    }
    Ok(Block::Embed { url, embed, args })
}

fn unknown_block(name: &str, custom: &[BlockSpec]) -> Fault {
    let mut names: Vec<&str> = BUILT_IN
        .iter()
        .chain(custom)
        .map(|s| s.name.as_str())
        .collect();
    names.sort();
    Fault {
        message: format!("unknown block `:::{name}`"),
        help: format!(
            "{}\n(a passage in another language opens with its language code, e.g. `:::en`)",
            crate::error::choices_help(name, names)
        ),
    }
}

/// A BCP 47 tag such as `en`, `fr`, `en-GB`, `ary`: a passage in that language.
fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_lowercase())
        && parts
            .all(|p| !p.is_empty() && p.len() <= 8 && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests;
