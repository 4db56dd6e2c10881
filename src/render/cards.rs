//! Cards: what lists show of an article (title, link, date, category, authors, lead, image),
//! built once per article as tera values (cheap to clone: tera shares maps behind an `Arc`)
//! and reused by every list that shows them, so no page carries the whole site.
//!
//! In the preview, cards are kept between builds keyed by their fingerprint: a card is built
//! once and reused until its article, category or authors change.

use std::collections::{HashMap, HashSet};

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
    cards: HashMap<u64, (DisplayDate, Value)>,
}

impl<'a> Renderer<'a> {
    /// Prepares dates and cards for every article, taking unchanged ones from `cache`.
    /// `generation` names the configuration and templates in use: a new one invalidates all.
    pub fn new(
        plan: &'a Plan<'a>,
        setup: Setup<'a>,
        cache: &mut CardCache,
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
            dates: Vec::with_capacity(site.entries.len()),
            formatter,
            counter,
            cards: Vec::with_capacity(site.entries.len()),
            card_prints: Vec::new(),
            globals_print: 0,
            photos,
        };
        renderer.globals_print = globals_print(&renderer, generation);
        renderer.card_prints = (0..site.entries.len())
            .map(|i| renderer.card_print(i))
            .collect();
        renderer.fill_cards(cache);
        renderer
    }

    /// Takes each article's date and card from `cache`, building the missing ones in
    /// parallel, and forgets cards no article shows any more.
    fn fill_cards(&mut self, cache: &mut CardCache) {
        let missing: Vec<usize> = (0..self.site.entries.len())
            .filter(|i| !cache.cards.contains_key(&self.card_prints[*i]))
            .collect();
        let fresh: Vec<(u64, (DisplayDate, Value))> = missing
            .par_iter()
            .map(|i| {
                let date = self.formatter.display(&self.site.entries[*i].article.date);
                let card = Value::from_serializable(&self.card(*i, &date));
                (self.card_prints[*i], (date, card))
            })
            .collect();
        cache.cards.extend(fresh);
        for print in &self.card_prints {
            let (date, card) = &cache.cards[print];
            self.dates.push(date.clone());
            self.cards.push(card.clone());
        }
        let live: HashSet<u64> = self.card_prints.iter().copied().collect();
        cache.cards.retain(|print, _| live.contains(print));
    }
}
