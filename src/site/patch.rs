//! A save that keeps the site's shape: one article's entry replaced in place.
//!
//! Assembling the whole site again takes time in proportion to the site (a third of a
//! second at 100,000 articles), while the usual save in the preview (a corrected sentence, a
//! new headline) changes nothing that places articles: not the date, category, tags,
//! authors, pictures, aliases, «اقرأ أيضًا» links or prominence. Then the site assembled
//! from scratch would differ from the last one only in that article's entry (its parse and
//! its URL), and the entry can be replaced instead. Anything else returns `None`, and the
//! caller assembles the site as usual: a patch never gives a result a full assembly would not.

use std::sync::Arc;

use jiff::Timestamp;

use super::collisions::claimed_by_another;
use super::layout::article_path;
use super::{Site, front, photos_without_alt};
use crate::config::Config;
use crate::content::Article;
use crate::content::markdown::Slot;
use crate::theme::statics::StaticFiles;

/// What a patch changed: the entry, and its old URL path when it moved.
#[derive(Debug, PartialEq, Eq)]
pub struct Patched {
    pub entry: usize,
    pub moved_from: Option<String>,
}

impl Site {
    /// Replaces the entry of article `new.source` by `new` when that keeps the site's shape
    /// at `now`; `None` (and the site untouched) when the site must be assembled again.
    pub fn patch_article(
        &mut self,
        config: &Config,
        statics: &StaticFiles,
        new: Arc<Article>,
        now: Timestamp,
    ) -> Option<Patched> {
        let entry = self.entry_of(&new)?;
        let old = &self.entries[entry].article;
        if !same_shape(old, &new) || !self.same_at(config, now) {
            return None;
        }
        let slug = &config.categories.get(self.entries[entry].category)?.slug;
        let path = article_path(&config.permalink, slug, &new.slug.value, new.date.date());
        let moved = path != self.entries[entry].path;
        if moved && claimed_by_another(self, config, statics, entry, &path) {
            return None;
        }
        let e = &mut self.entries[entry];
        e.article = new;
        let moved_from = moved.then(|| std::mem::replace(&mut e.path, path));
        // The warning names the line of `image:`, which may have moved within the file.
        self.warnings = photos_without_alt(&self.entries);
        Some(Patched { entry, moved_from })
    }

    /// The entry of `article`'s source, if it is published with `article`'s date. Entries
    /// are ordered newest first, then by source, so it is found by binary search.
    fn entry_of(&self, article: &Article) -> Option<usize> {
        let key = |a: &Article| (std::cmp::Reverse(a.date.timestamp()), a.source.clone());
        let wanted = key(article);
        let at = self.entries.partition_point(|e| key(&e.article) < wanted);
        let found = self.entries.get(at)?;
        (found.article.source == article.source).then_some(at)
    }

    /// Whether `now` selects what the site's own time selected: no article came due, and the
    /// lead story, the breaking-news bar and the news sitemap's window hold the same articles.
    fn same_at(&self, config: &Config, now: Timestamp) -> bool {
        let then = self.built_at;
        self.next_due.is_none_or(|due| due > now)
            && front::lead(&self.entries, now) == front::lead(&self.entries, then)
            && front::breaking(&self.entries, config.breaking_hours, now) == self.breaking
            && front::news_window(&self.entries, now) == front::news_window(&self.entries, then)
    }
}

/// Whether `new` places itself in the site exactly as `old` did: everything assembly reads
/// of an article, other than its parse and its slug, is the same. Lines may differ.
fn same_shape(old: &Article, new: &Article) -> bool {
    let values = |v: &[crate::content::Located<String>]| -> Vec<String> {
        v.iter().map(|l| l.value.clone()).collect()
    };
    old.source == new.source
        && old.date == new.date
        && old.draft == new.draft
        && old.category.value == new.category.value
        && values(&old.authors) == values(&new.authors)
        && old.tags == new.tags
        && old.image.as_ref().map(|i| &i.value) == new.image.as_ref().map(|i| &i.value)
        && old.image_alt.is_some() == new.image_alt.is_some()
        && old.image_focus == new.image_focus
        && values(&old.body_images) == values(&new.body_images)
        && values(&old.aliases) == values(&new.aliases)
        && old.template.as_ref().map(|t| &t.value) == new.template.as_ref().map(|t| &t.value)
        && old.prominence == new.prominence
        && read_also_files(&old.body.slots) == read_also_files(&new.body.slots)
}

/// The file each «اقرأ أيضًا» slot names, and `None` for other slots: what the entry's links
/// are resolved from.
fn read_also_files(slots: &[Slot]) -> Vec<Option<&str>> {
    slots
        .iter()
        .map(|slot| match slot {
            Slot::ReadAlso { file, .. } => Some(file.as_str()),
            Slot::Custom { .. } => None,
        })
        .collect()
}
