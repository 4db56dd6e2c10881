//! The preview's quick path for a save that keeps the site's shape.
//!
//! A save in the preview usually edits one article's text or headline. When that changes
//! nothing that places articles in the site ([`Site::patch_article`]), the site kept from the
//! last build is patched in place instead of assembled again, and only the jobs that show the
//! saved article's card are fingerprinted, instead of every page of the site: the last build
//! recorded, for each article, which jobs read its card. Both costs grow with the site, so
//! this keeps a save's rebuild about as quick at 100,000 articles as at 1,000.
//!
//! Whatever the quick path cannot vouch for (an article that moved in date order, a new tag,
//! a change to the breaking-news bar, a file that fails to parse…) falls back to the full
//! incremental build, which gives the same output; the tests compare both with `--full`.

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;

use super::{PagesOut, PagesReady, Session, Written, count_pages, search};
use crate::builder::options::{FileChanges, Report, Stopwatch};
use crate::builder::photos::Processed;
use crate::builder::publish::{render_all, replace_pages};
use crate::builder::{cache, output};
use crate::error::BuildError;
use crate::render::{Job, Renderer};
use crate::site::layout::file_for_path;
use crate::site::{Patched, Site};

/// What the last build leaves for the quick path: the site and photos it made, and which
/// jobs show each article.
pub(super) struct Kept {
    pub site: Site,
    pub photos: Processed,
    pub shape: Shape,
}

/// What the quick path needs of the last build's plan and fingerprints.
pub(super) struct Shape {
    /// The fingerprint of the site-wide values every page shows.
    pub globals_print: u64,
    /// How many jobs the plan had: a patch must leave the same plan.
    pub jobs: usize,
    /// For each entry: the jobs (positions in the plan) whose fingerprint reads its card.
    pub shown_in: Vec<Vec<u32>>,
}

impl Shape {
    /// The shape of a build from each job's fingerprint inputs: `cards[j]` are the entries
    /// whose cards job `j` reads.
    pub fn new(globals_print: u64, entries: usize, cards: &[Vec<usize>]) -> Shape {
        let mut shown_in = vec![Vec::new(); entries];
        for (job, read) in cards.iter().enumerate() {
            for entry in read {
                shown_in[*entry].push(job as u32);
            }
        }
        Shape {
            globals_print,
            jobs: cards.len(),
            shown_in,
        }
    }
}

/// A job the quick path fingerprinted: the job, its file, its new fingerprint.
type Printed = (Job, String, u64);

impl Session {
    /// Builds a save of `paths` on the kept site, if the save keeps its shape; `None` when
    /// the full incremental build must run (the kept site is then dropped).
    pub(super) fn build_in_place(
        &mut self,
        paths: &[PathBuf],
        started: Instant,
        clock: &mut Stopwatch,
        pages_out: Option<PagesOut<'_>>,
    ) -> Option<Result<Report, BuildError>> {
        let mut kept = self.kept.take()?;
        let patched = self.patch(&mut kept.site, paths)?;
        clock.lap("patch the site");
        let result = self.publish_patch(&kept, &patched, clock, pages_out)?;
        let report = result.map(|published| {
            let written = Written {
                pages: published.pages,
                copied: published.changes.written.len() - published.pages,
                changes: published.changes,
                moved: published.moved,
            };
            self.report(
                &kept.site,
                written,
                started,
                std::mem::take(&mut clock.laps),
            )
        });
        if report.is_ok() {
            self.kept = Some(kept);
        }
        Some(report)
    }

    /// Each saved article put in its entry, if every saved path is a published article
    /// that parsed and keeps the site's shape, and none is in the breaking-news bar (which
    /// every page shows).
    fn patch(&self, site: &mut Site, paths: &[PathBuf]) -> Option<Vec<Patched>> {
        let p = self.prepared.as_ref()?;
        let now = self.options.now.unwrap_or_else(jiff::Timestamp::now);
        let mut patched = Vec::with_capacity(paths.len());
        for path in paths {
            let article = self.sources.parsed_article(&self.options.root, path)?;
            let done = site.patch_article(&p.config, &p.statics, article, now)?;
            if site.breaking.contains(&done.entry) {
                return None;
            }
            patched.push(done);
        }
        Some(patched)
    }

    /// Fingerprints the jobs that show the patched articles, renders and replaces those that
    /// changed (in the preview: HTML pages, then `pages_out`; feeds and sitemaps are left), and leaves the
    /// search index pending. `None` when the plan or the site-wide values turn out not to be
    /// the last build's after all.
    fn publish_patch(
        &mut self,
        kept: &Kept,
        patched: &[Patched],
        clock: &mut Stopwatch,
        pages_out: Option<PagesOut<'_>>,
    ) -> Option<Result<PatchPublished, BuildError>> {
        let p = self.prepared.as_ref()?;
        let generation = p.generation;
        let site = &kept.site;
        let (plan, _) = search::plan(site, &p.config, &p.templates);
        let renderer = Renderer::new(
            &plan,
            p.setup(&kept.photos.photos),
            &self.cards,
            p.generation,
        );
        if plan.jobs.len() != kept.shape.jobs || renderer.globals_print != kept.shape.globals_print
        {
            return None;
        }
        clock.lap("prepare dates and cards");
        let mut jobs: Vec<u32> = patched
            .iter()
            .flat_map(|done| kept.shape.shown_in[done.entry].iter().copied())
            .collect();
        jobs.sort_unstable();
        jobs.dedup();
        let printed: Vec<Printed> = jobs
            .par_iter()
            .map(|j| {
                let job = plan.jobs[*j as usize];
                (job, plan.file_of(job), renderer.job_print(job))
            })
            .collect();
        let moved: Vec<(String, String)> = patched
            .iter()
            .filter_map(|done| {
                let old = done.moved_from.as_ref()?;
                Some((
                    file_for_path(old),
                    file_for_path(&site.entries[done.entry].path),
                ))
            })
            .collect();
        let output = self.options.output_dir();
        if self.options.cache {
            cache::forget(&self.options.root, &output);
        }
        let written = &self.written;
        let dirty: Vec<Job> = printed
            .iter()
            .filter(|(_, file, print)| written.get(file) != Some(print))
            .map(|(job, _, _)| *job)
            .collect();
        let preview = pages_out.is_some();
        let result = write_dirty(&renderer, &output, dirty, &moved, pages_out);
        clock.lap("render and replace changed pages");
        // The preview finds what to index once tabs have reloaded.
        let pending = if preview {
            None
        } else {
            search::pending(&renderer, generation, &mut self.search)
        };
        let search_due = preview && p.config.search.is_some();
        drop(renderer);
        Some(result.map(|(pages, changes, deferred)| {
            let printed = printed
                .into_iter()
                .filter(|(job, ..)| !deferred.contains(job));
            self.remember_patch(kept, patched, printed, &moved);
            self.pending_search = pending;
            self.deferred = deferred;
            self.search_due = search_due;
            let settled = self.pending_search.is_none() && self.deferred.is_empty() && !search_due;
            if self.options.cache && settled {
                cache::save(&self.options.root, &output, generation, &self.written);
            }
            clock.lap("remember what was written");
            PatchPublished {
                pages,
                changes,
                moved,
            }
        }))
    }

    /// Records what a patch wrote: the new fingerprints, the moved pages' old files gone,
    /// and where the moved articles are published now.
    fn remember_patch(
        &mut self,
        kept: &Kept,
        patched: &[Patched],
        printed: impl Iterator<Item = Printed>,
        moved: &[(String, String)],
    ) {
        for (old, _) in moved {
            self.written.remove(old);
        }
        self.written
            .extend(printed.map(|(_, file, print)| (file, print)));
        for done in patched {
            let entry = &kept.site.entries[done.entry];
            self.path_of_source
                .insert(entry.article.source.clone(), entry.path.clone());
        }
    }
}

/// What [`Session::publish_patch`] did.
struct PatchPublished {
    pages: usize,
    changes: FileChanges,
    moved: Vec<(String, String)>,
}

/// Renders the `dirty` jobs and replaces their files, and removes the old files of `moved`
/// pages. With `pages_out`, only the HTML pages are made, `pages_out` is told, and the
/// feeds and sitemaps are returned, left for [`Session::finish_pending`]. Returns the pages
/// written, every file written and removed, and the jobs left.
fn write_dirty(
    renderer: &Renderer,
    output: &std::path::Path,
    dirty: Vec<Job>,
    moved: &[(String, String)],
    pages_out: Option<PagesOut<'_>>,
) -> Result<(usize, FileChanges, Vec<Job>), BuildError> {
    let (now, later): (Vec<Job>, Vec<Job>) = match pages_out {
        Some(_) => dirty.into_iter().partition(|j| j.is_html_page()),
        None => (dirty, Vec::new()),
    };
    let rendered = render_all(renderer, &now)?;
    let mut changes = replace_pages(output, &rendered, &[], &HashMap::new(), &[])?;
    for (old, _) in moved {
        output::remove_page(output, old).map_err(|e| BuildError::io(&output.join(old), e))?;
        changes.removed.push(old.clone());
    }
    if let Some(pages_out) = pages_out {
        // The quick path keeps the site's shape: photos and other files stay as they were.
        pages_out(&PagesReady {
            moved,
            only_pages: true,
        });
    }
    let pages = count_pages(&changes, &rendered);
    Ok((pages, changes, later))
}
