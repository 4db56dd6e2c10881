//! What reading one file yields: the references it makes (each with the URL of the document
//! it sits in, and what kind of thing it loads, for the message), the ids a `#fragment` can
//! point at, and the problems of the file itself.

use std::collections::HashSet;
use std::sync::Arc;

use super::resolve::Context;

/// What a reference is, for the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum What {
    Link,
    Image,
    Media,
    Stylesheet,
    Script,
    CssUrl,
    XmlUrl,
    Metadata,
}

impl What {
    pub(super) fn label(self) -> &'static str {
        match self {
            What::Link => "broken link",
            What::Image => "missing image",
            What::Media => "missing media file",
            What::Stylesheet => "missing stylesheet",
            What::Script => "missing script",
            What::CssUrl => "broken url()",
            What::XmlUrl => "broken URL",
            What::Metadata => "broken metadata URL",
        }
    }
}

/// One reference found in a file.
#[derive(Debug)]
pub(super) struct Ref {
    pub(super) written: String,
    pub(super) what: What,
    pub(super) context: Arc<Context>,
}

impl Ref {
    pub(super) fn new(written: impl Into<String>, what: What, context: &Arc<Context>) -> Ref {
        Ref {
            written: written.into(),
            what,
            context: Arc::clone(context),
        }
    }
}

/// What one file holds.
#[derive(Default)]
pub(super) struct Scanned {
    /// The ids of an HTML page, for `#fragment`s.
    pub(super) ids: Option<HashSet<String>>,
    pub(super) refs: Vec<Ref>,
    /// What is wrong with the file itself (unreadable, not UTF-8, no title…).
    pub(super) problems: Vec<String>,
}

impl Scanned {
    pub(super) fn problem(&mut self, what: impl Into<String>) {
        self.problems.push(what.into());
    }
}
