//! What the front page shows and what the «عاجل» bar announces, decided once per build.
//!
//! The lead story is the newest article featured at build time (`featured: true`, until
//! `featured_until:` if given), else the newest article. Beside it stand the next newest
//! stories (`front_page.secondary`), then «آخر الأخبار» (`front_page.latest`), then one band
//! per section with its newest stories, none repeating a story shown above it. The editor's
//! «الأكثر قراءة» list comes from `site.yaml`. An article with `breaking: true` is announced
//! on every page while it is younger than `breaking_hours` at build time.

use std::collections::HashSet;
use std::path::Path;

use jiff::{SignedDuration, Timestamp};

use super::{Entry, Term};
use crate::config::{CONFIG_FILE, Config};
use crate::error::Diagnostic;

/// Indices into the site's entries (newest first within each list).
#[derive(Debug, Default, Clone, PartialEq, Eq, Hash)]
pub struct FrontPage {
    pub lead: Option<usize>,
    pub secondary: Vec<usize>,
    pub latest: Vec<usize>,
    /// Per category (index into the site's categories) with stories: its newest stories.
    pub bands: Vec<(usize, Vec<usize>)>,
    /// The editor's list, in the editor's order.
    pub most_read: Vec<usize>,
}

/// The front page of `entries` (newest first) at `now`.
pub fn front_page(
    config: &Config,
    entries: &[Entry],
    categories: &[Term],
    now: Timestamp,
    errors: &mut Vec<Diagnostic>,
) -> FrontPage {
    let shape = &config.front_page;
    let lead = lead(entries, now);
    let mut shown: HashSet<usize> = lead.into_iter().collect();
    let mut take_newest = |from: &mut dyn Iterator<Item = usize>, n: usize| -> Vec<usize> {
        let picked: Vec<usize> = from.filter(|i| !shown.contains(i)).take(n).collect();
        shown.extend(&picked);
        picked
    };
    let secondary = take_newest(&mut (0..entries.len()), shape.secondary);
    let latest = take_newest(&mut (0..entries.len()), shape.latest);
    let bands = categories
        .iter()
        .enumerate()
        .map(|(c, term)| {
            (
                c,
                take_newest(&mut term.entries.iter().copied(), shape.band),
            )
        })
        .filter(|(_, stories)| !stories.is_empty())
        .collect();
    FrontPage {
        lead,
        secondary,
        latest,
        bands,
        most_read: most_read(config, entries, errors),
    }
}

/// The entries the editor listed under `front_page.most_read`, as article files.
fn most_read(config: &Config, entries: &[Entry], errors: &mut Vec<Diagnostic>) -> Vec<usize> {
    let mut found = Vec::new();
    for wanted in &config.front_page.most_read {
        let path = Path::new(wanted.trim().trim_start_matches("./"));
        match entries.iter().position(|e| e.article.source == path) {
            Some(i) => found.push(i),
            None => errors.push(
                Diagnostic::new(
                    CONFIG_FILE,
                    format!("`front_page.most_read` names `{wanted}`, which is no published article"),
                )
                .at_optional_line(config.front_page.most_read_line)
                .key("front_page")
                .help("list article files from the site's folder, e.g. content/articles/2026/story.md"),
            ),
        }
    }
    found
}

/// The lead story at `now`: the newest article featured then, else the newest article.
pub fn lead(entries: &[Entry], now: Timestamp) -> Option<usize> {
    entries
        .iter()
        .position(|e| e.article.prominence.featured_at(now))
        .or((!entries.is_empty()).then_some(0))
}

/// How far back the news sitemap reaches, and how many articles it may hold (Google News).
const NEWS_WINDOW: SignedDuration = SignedDuration::from_hours(48);
const NEWS_LIMIT: usize = 1000;

/// The articles of the news sitemap at `now`: those of the last 48 hours, newest first.
pub fn news_window(entries: &[Entry], now: Timestamp) -> Vec<usize> {
    let since: Timestamp = now - NEWS_WINDOW;
    entries
        .iter()
        .enumerate()
        .filter(|(_, e)| {
            let t = e.article.date.timestamp();
            t >= since && t <= now
        })
        .map(|(i, _)| i)
        .take(NEWS_LIMIT)
        .collect()
}

/// The articles to announce as breaking news at `now`, newest first.
pub fn breaking(entries: &[Entry], hours: u32, now: Timestamp) -> Vec<usize> {
    let window = SignedDuration::from_hours(i64::from(hours));
    entries
        .iter()
        .enumerate()
        .filter(|(_, e)| {
            let published = e.article.date.timestamp();
            e.article.prominence.breaking
                && published <= now
                && now.duration_since(published) < window
        })
        .map(|(i, _)| i)
        .collect()
}
