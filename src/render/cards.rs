//! Cards: what lists show of an article (title, link, date, category, authors, lead, image),
//! built as a tera value when a page first shows the article and shared by every list that
//! shows it, so no page carries the whole site. A build that renders a few pages builds a
//! few cards.
//!
//! In the preview, dates and cards are kept between builds keyed by the card's fingerprint:
//! a card is built once and reused until its article, category or authors change.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use rayon::prelude::*;
use tera::Value;

use super::context::Renderer;
use super::fingerprints::globals_print;
use super::pictures::Photos;
use super::plan::Plan;
use crate::arabic::dates::{DateFormatter, DisplayDate};
use crate::arabic::plurals::Counter;
use crate::config::Config;
use crate::site::layout::Urls;
use crate::theme::templates::Templates;

/// What a renderer is made with besides the plan: the site's settings and templates, its
/// date and plural machinery, and the build's photos.
pub struct Setup<'a> {
    pub config: &'a Config,
    pub templates: &'a Templates,
    pub formatter: &'a DateFormatter,
    pub counter: &'a Counter,
    pub photos: &'a Photos,
}

/// Dates and cards kept between builds of a preview, keyed by the card's fingerprint.
#[derive(Default)]
pub struct CardCache {
    dates: HashMap<u64, DisplayDate>,
    cards: HashMap<u64, Value>,
}

/// What a renderer made that the next build of a session may reuse: every article's date,
/// and the cards its pages needed.
pub struct Learnt {
    prints: Vec<u64>,
    dates: Vec<DisplayDate>,
    cards: Vec<OnceLock<Value>>,
}

impl<'a> Renderer<'a> {
    /// Prepares every article's date, taking unchanged ones from `cache`; cards are built
    /// when a page first needs them ([`Renderer::card_value`]), or taken from `cache`.
    /// `generation` names the configuration and templates in use: a new one invalidates all.
    pub fn new(
        plan: &'a Plan<'a>,
        setup: Setup<'a>,
        cache: &'a CardCache,
        generation: u64,
    ) -> Self {
        let Setup {
            config,
            templates,
            formatter,
            counter,
            photos,
        } = setup;
        let site = plan.site;
        let mut renderer = Renderer {
            site,
            plan,
            config,
            templates,
            urls: Urls::new(&config.base_url, &config.base_path),
            dates: Vec::new(),
            formatter,
            counter,
            kept_cards: &cache.cards,
            cards: (0..site.entries.len()).map(|_| OnceLock::new()).collect(),
            card_prints: Vec::new(),
            globals_print: 0,
            photos,
        };
        renderer.globals_print = globals_print(&renderer, generation);
        renderer.card_prints = (0..site.entries.len())
            .map(|i| renderer.card_print(i))
            .collect();
        renderer.dates = renderer.dates_from(cache);
        renderer
    }

    /// Each article's date as shown, from `cache` while its card is unchanged.
    fn dates_from(&self, cache: &CardCache) -> Vec<DisplayDate> {
        (0..self.site.entries.len())
            .into_par_iter()
            .map(|i| match cache.dates.get(&self.card_prints[i]) {
                Some(date) => date.clone(),
                None => self.formatter.display(&self.site.entries[i].article.date),
            })
            .collect()
    }

    /// Article `i`'s card as a template value: kept from the last build of the session, or
    /// built now (once; lists showing it share it).
    pub(crate) fn card_value(&self, i: usize) -> &Value {
        match self.kept_cards.get(&self.card_prints[i]) {
            Some(card) => card,
            None => self.cards[i]
                .get_or_init(|| Value::from_serializable(&self.card(i, &self.dates[i]))),
        }
    }

    /// What the next build of the session may reuse.
    pub fn into_learnt(self) -> Learnt {
        Learnt {
            prints: self.card_prints,
            dates: self.dates,
            cards: self.cards,
        }
    }
}

impl CardCache {
    /// Keeps the dates and cards of `learnt`'s build, and forgets those no article shows
    /// any more once they pile up (a save adds one, and entries are found by fingerprint,
    /// so a few left over do no harm).
    pub fn learn(&mut self, learnt: Learnt) {
        let live = learnt.prints.len();
        for ((print, date), built) in learnt.prints.iter().zip(learnt.dates).zip(learnt.cards) {
            if let Some(card) = built.into_inner() {
                self.cards.insert(*print, card);
            }
            self.dates.entry(*print).or_insert(date);
        }
        if self.dates.len() > live + live / 4 + 16 {
            let live: HashSet<u64> = learnt.prints.into_iter().collect();
            self.dates.retain(|print, _| live.contains(print));
            self.cards.retain(|print, _| live.contains(print));
        }
    }
}
