//! The renderer: everything the page, feed and sitemap renderers need about one build — the
//! site, its plan, settings and templates, and each article's date and card, prepared once.
//! Only the shape lives here; [`super::cards`] prepares it, and each kind of output adds the
//! methods that render it.

use tera::Value;

use super::pictures::{Photos, Pictures};
use super::plan::Plan;
use crate::arabic::dates::{DateFormatter, DisplayDate};
use crate::arabic::plurals::Counter;
use crate::config::Config;
use crate::error::Diagnostic;
use crate::site::Site;
use crate::site::layout::Urls;
use crate::theme::templates::Templates;

/// Everything needed to render the outputs of one site.
pub struct Renderer<'a> {
    pub(crate) site: &'a Site,
    pub(crate) plan: &'a Plan<'a>,
    pub(crate) config: &'a Config,
    pub(crate) templates: &'a Templates,
    pub(crate) urls: Urls,
    /// Each article's date, shown in the site's language.
    pub(crate) dates: Vec<DisplayDate>,
    pub(crate) formatter: &'a DateFormatter,
    pub(crate) counter: &'a Counter,
    /// Cards kept from the last build of a preview, by fingerprint.
    pub(crate) kept_cards: &'a std::collections::HashMap<u64, Value>,
    /// Each article's card (what lists show of it, as a template value) once built, when
    /// not kept: see [`Renderer::card_value`].
    pub(crate) cards: Vec<std::sync::OnceLock<Value>>,
    /// Fingerprint of each card: what it shows, from which inputs.
    pub(crate) card_prints: Vec<u64>,
    /// Fingerprint of what every page shows: the site values and navigation.
    pub(crate) globals_print: u64,
    /// Every processed photo of this build.
    pub(crate) photos: &'a Photos,
}

impl Renderer<'_> {
    /// The theme's label `key` (see [`crate::theme::strings::keys`]), as the site words it.
    pub(crate) fn label(&self, key: &str) -> &str {
        self.templates.strings().get(key)
    }

    /// The name of an author link's platform (`x`, `email`…): the label `platform_<key>`,
    /// or `name` (the built-in Arabic name) for a key the labels do not know.
    pub(crate) fn platform_label<'s>(&'s self, platform: &str, name: &'s str) -> &'s str {
        let label = self.label(&format!("platform_{platform}"));
        if label.is_empty() { name } else { label }
    }

    /// `n` articles, in words: «مقال واحد», «٣ مقالات».
    pub(crate) fn articles_count(&self, n: usize) -> String {
        self.counter.phrase(n, &self.templates.strings().articles())
    }

    /// Views and URLs of this build's pictures.
    pub(crate) fn pictures(&self) -> Pictures<'_> {
        Pictures {
            photos: self.photos,
            urls: &self.urls,
        }
    }
}

/// A rendered output: its file (relative to the output folder) and bytes, or the fault that
/// stopped it.
pub type Rendered = Result<(String, Vec<u8>), Diagnostic>;
