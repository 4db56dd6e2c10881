//! A build session: the site kept in memory between builds, so a rebuild redoes only what a
//! change touched.
//!
//! The first build (and any change to `site.yaml`, the theme, templates or static files)
//! loads everything and writes the whole site through a staging folder. After that, a change
//! to content files re-parses just those files, reassembles the site (cheap), and fingerprints
//! every page from its inputs; only pages whose fingerprint changed are rendered and
//! replaced, and pages that no longer exist are removed. The result is byte-identical to a
//! full build, because a page's fingerprint covers everything its template is given.

mod patch;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use super::body_tallies::BodyTallies;
use super::cache;
use super::options::{BuildOptions, FileChanges, Report, Stopwatch};
use super::output;
use super::photos;
use super::prepare::{self, Prepared, checked_site};
use super::publish::{
    Extra, ExtraSource, GeneratedFiles, extras, generated, generated_print, remove_unknown_files,
    render_all, replace_pages, write_everything,
};
use super::search::{self, PendingIndex, SearchCache, has_search_page};
use crate::content::{ParseCache, Sources, parse_cache};
use crate::error::BuildError;
use crate::render::{self, CardCache, Job, Plan, Renderer, SEARCH_TEMPLATE};
use crate::search::index::IndexFile;
use crate::site::Site;
use crate::site::layout::file_for_path;

/// Told as soon as a preview build's HTML pages are in place ([`Session::build_pages_then`]).
pub type PagesOut<'a> = &'a mut dyn FnMut(&PagesReady);

/// What a preview build tells [`PagesOut`] once its HTML pages are in place.
#[derive(Debug, Clone, Copy)]
pub struct PagesReady<'a> {
    /// The pages that moved: old file, new file.
    pub moved: &'a [(String, String)],
    /// Whether HTML pages are all that changed so far, so an open tab may update its page in
    /// place; false after a first build, or when a stylesheet, script, photo or other file
    /// the pages load changed.
    pub only_pages: bool,
}

/// What changed since the last build.
#[derive(Debug, Clone)]
pub enum Change {
    /// Configuration, theme, templates or static files, or unknown: rebuild everything.
    Everything,
    /// Only these files or folders under `content/` (absolute or relative to the root).
    Content(Vec<PathBuf>),
}

/// A site kept between builds.
pub struct Session {
    options: BuildOptions,
    prepared: Option<Prepared>,
    sources: Sources,
    cards: CardCache,
    /// Each article's analysis for the search index, reused while the article is unchanged.
    search: SearchCache,
    /// The index an incremental build has still to make ([`Session::finish_pending`]).
    pending_search: Option<PendingIndex>,
    /// The bodies parsed by the last [`Session::prepare`], counted for search meanwhile:
    /// taken by the next full build's index.
    body_tallies: Option<BodyTallies>,
    /// Feeds and sitemaps a preview build left to make once tabs have reloaded
    /// ([`Session::finish_pending`]): their files still hold the last bytes, and `written`
    /// their fingerprints, so a build before that finds them changed again.
    deferred: Vec<Job>,
    /// The search index is to be made from the kept site by [`Session::finish_pending`]
    /// (the preview: even finding what to analyse waits until tabs have reloaded).
    search_due: bool,
    /// Fingerprint of every file the last successful build left in the output folder.
    written: HashMap<String, u64>,
    /// When `written` came from the disk cache, every file the output folder held then:
    /// those it does not know (put there by hand) must go as a full build would remove them.
    /// (`None` also when no folder changed since that cache was written: then there are none.)
    found_on_disk: Option<Vec<String>>,
    /// The URL path of each article and page source, as of the last successful build.
    path_of_source: HashMap<PathBuf, String>,
    /// The last build's site, for a save that keeps its shape (see [`patch`]); only while
    /// `keep_site`, and only after a successful build.
    kept: Option<patch::Kept>,
    keep_site: bool,
}

impl Session {
    /// A session for the site and output described by `options`; nothing is read yet.
    pub fn new(options: BuildOptions) -> Session {
        let cache_dir = options.cache.then(|| options.root.join(cache::CACHE_DIR));
        Session {
            options,
            prepared: None,
            sources: Sources::default(),
            cards: CardCache::default(),
            search: SearchCache::new(cache_dir.as_deref()),
            pending_search: None,
            body_tallies: None,
            deferred: Vec::new(),
            search_due: false,
            written: HashMap::new(),
            found_on_disk: None,
            path_of_source: HashMap::new(),
            kept: None,
            keep_site: true,
        }
    }

    /// Says this session builds once: what the next build would reuse from memory (the
    /// search analyses) is let go as soon as it has served.
    pub fn builds_once(&mut self) {
        self.search.forget_between_builds();
        self.keep_site = false;
    }

    /// Picks up what an earlier `qissa build` into the same folder wrote, when nothing but
    /// content has changed since (see [`crate::builder::cache`]).
    fn resume_from_disk_cache(&mut self) {
        self.found_on_disk = None;
        let Some(prepared) = &self.prepared else {
            return;
        };
        if !self.options.cache {
            return;
        }
        let output = self.options.output_dir();
        if let Some(resumed) = cache::load(&self.options.root, &output, prepared.generation) {
            self.written = resumed.written;
            self.found_on_disk = resumed.found;
        }
    }

    /// The options this session builds with.
    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    /// Builds after `change`, search index included. On failure the output folder is left
    /// as it was.
    pub fn build(&mut self, change: Change) -> Result<Report, BuildError> {
        let mut report = self.build_pages(change)?;
        if let Some(finished) = self.finish_pending(&|| false)? {
            report.timings.push(("search index", finished.took));
            report.elapsed += finished.took;
            report.changes.merge(finished.changes);
        }
        Ok(report)
    }

    /// Builds after `change`, but an incremental build leaves the search index pending
    /// ([`Session::finish_pending`]). On failure the output folder is left as it was.
    pub fn build_pages(&mut self, change: Change) -> Result<Report, BuildError> {
        self.build_pages_then(change, None)
    }

    /// [`Session::build_pages`] for the preview: `pages_out` is called, with the pages that
    /// moved (old file, new file), as soon as the HTML pages are in place, and an incremental
    /// build leaves the files no reader looks at (feeds, sitemaps) to
    /// [`Session::finish_pending`] with the search index, so a tab reloads undisturbed.
    pub fn build_pages_then(
        &mut self,
        change: Change,
        pages_out: Option<PagesOut<'_>>,
    ) -> Result<Report, BuildError> {
        let started = Instant::now();
        let mut clock = Stopwatch::start();
        self.pending_search = None;
        self.deferred.clear();
        self.search_due = false;
        let saved = match &change {
            Change::Content(paths) => paths.clone(),
            Change::Everything => Vec::new(),
        };
        let mut pages_out = pages_out;
        // Taken now: whatever fails from here on leaves no kept site behind.
        let kept = self.kept.take();
        self.read(change, &mut clock)?;
        if let Some(kept) = kept.filter(|_| !saved.is_empty()) {
            self.kept = Some(kept);
            let tell = pages_out.as_mut().map(|f| &mut **f as PagesOut<'_>);
            if let Some(report) = self.build_in_place(&saved, started, &mut clock, tell) {
                return report;
            }
        }
        let site = self.assemble()?;
        clock.lap("assemble the site");
        let (moved, same_places) = self.moves(&site);
        let moved_pages = &moved;
        let mut announce = pages_out.map(|tell| {
            move |only_pages| {
                tell(&PagesReady {
                    moved: moved_pages,
                    only_pages,
                })
            }
        });
        let announce = announce.as_mut().map(|f| f as &mut dyn FnMut(bool));
        let published = self.publish(&site, &mut clock, announce)?;
        if !same_places {
            self.remember_places(&site);
        }
        clock.lap("note moved pages");
        let written = Written {
            pages: published.pages,
            copied: published.copied,
            changes: published.changes,
            moved,
        };
        let report = self.report(&site, written, started, clock.laps);
        if let Some((photos, shape)) = published.kept {
            self.kept = Some(patch::Kept {
                site,
                photos,
                shape,
            });
        }
        Ok(report)
    }

    /// Reads what `change` touched: just those content files, or everything (and then the
    /// disk cache of an earlier build, if it still applies).
    fn read(&mut self, change: Change, clock: &mut Stopwatch) -> Result<(), BuildError> {
        match (change, &self.prepared) {
            (Change::Content(paths), Some(prepared)) => {
                self.sources
                    .refresh(&self.options.root, &paths, &prepared.ctx);
                clock.lap("re-read changed content");
            }
            _ => {
                self.prepared = None;
                self.written.clear();
                self.prepare(clock)?;
                self.resume_from_disk_cache();
                clock.lap("check the output folder");
            }
        }
        Ok(())
    }

    /// Loads configuration, theme and templates, and parses every source.
    fn prepare(&mut self, clock: &mut Stopwatch) -> Result<(), BuildError> {
        let root = &self.options.root;
        let mut loaded = prepare::load(&self.options)?;
        clock.lap("config, theme and templates");
        // Without the cache (`--full`), the parse cache still holds the body texts of this
        // build, in a file of its own.
        let mut parsed = if self.options.cache {
            let stamp = parse_cache::stamp(&loaded.ctx);
            ParseCache::open(&root.join(cache::CACHE_DIR), stamp)
        } else {
            ParseCache::temporary()
        };
        let mut tallies = loaded.config.search.clone().map(BodyTallies::start);
        let mut fresh_bodies = |batch| {
            if let Some(tallies) = &tallies {
                tallies.send(batch);
            }
        };
        self.sources =
            Sources::load_cached(root, &loaded.ctx, Some(&mut parsed), &mut fresh_bodies);
        if let Some(tallies) = &mut tallies {
            tallies.close();
        }
        self.body_tallies = tallies;
        clock.lap("read and parse content");
        match std::mem::replace(&mut loaded.templates, Err(Vec::new())) {
            Ok(templates) => {
                self.prepared = Some(loaded.prepared(&self.options, templates));
                Ok(())
            }
            // Broken templates: still check the content, to report every fault in one run.
            Err(mut errors) => {
                let (content, parse_errors) = self.sources.content(root);
                errors.extend(parse_errors);
                let (config, statics) = (&loaded.config, &loaded.statics);
                let checked = checked_site(&self.options, config, statics, content, errors, None);
                Err(checked
                    .err()
                    .unwrap_or_else(|| BuildError::input(Vec::new())))
            }
        }
    }

    /// The report of a build that made `site` and wrote `written`.
    fn report(
        &self,
        site: &Site,
        written: Written,
        started: Instant,
        timings: Vec<(&'static str, Duration)>,
    ) -> Report {
        Report {
            output: self.options.output_dir(),
            articles: site.entries.len(),
            pages_written: written.pages,
            files_copied: written.copied,
            changes: written.changes,
            articles_parsed: self.sources.parsed_now(),
            article_files: self.sources.article_files(),
            future: site.future.clone(),
            drafts_skipped: site.drafts_skipped,
            merged_tags: site.merged_tags.clone(),
            warnings: site.warnings.clone(),
            ignored: site.ignored.clone(),
            elapsed: started.elapsed(),
            timings,
            moved: written.moved,
        }
    }

    /// Assembles the site from the sources, with every fault of every file, and gives the
    /// templates its site-wide values.
    fn assemble(&mut self) -> Result<Site, BuildError> {
        let (content, errors) = self.sources.content(&self.options.root);
        let Some(p) = self.prepared.as_mut() else {
            unreachable!("a successful read() stores the prepared state")
        };
        let site = checked_site(
            &self.options,
            &p.config,
            &p.statics,
            content,
            errors,
            Some(&p.templates),
        )?;
        let search_page = has_search_page(&p.config, p.templates.has(SEARCH_TEMPLATE));
        p.templates
            .set_global("site", render::globals(&site, &p.config, search_page));
        Ok(site)
    }

    /// Renders and writes what changed (everything, on a first build), then remembers what
    /// was written. Returns the pages written and static files copied. A full build makes
    /// the search index beside the pages; an incremental one leaves it pending for
    /// [`Session::finish_pending`].
    fn publish(
        &mut self,
        site: &Site,
        clock: &mut Stopwatch,
        pages_out: Option<&mut dyn FnMut(bool)>,
    ) -> Result<Published, BuildError> {
        let keep_site = self.keep_site;
        let Session {
            options,
            prepared,
            cards,
            search: search_cache,
            pending_search,
            body_tallies,
            deferred,
            search_due,
            written,
            found_on_disk,
            ..
        } = self;
        let Some(p) = prepared.as_ref() else {
            unreachable!("a successful read() stores the prepared state")
        };
        let (photo_cache, processed) = photo_stage(site, options, p)?;
        clock.lap("photos");
        let (plan, search_page) = search::plan(site, &p.config, &p.templates);
        let renderer = Renderer::new(&plan, p.setup(&processed.photos), cards, p.generation);
        clock.lap("prepare dates and cards");
        let mut extras = extras(&p.statics, &processed);
        search::drop_page_script_without_page(&mut extras, search_page);
        let (mut prints, shape) = fingerprints(&plan, &renderer, &extras, keep_site);
        let output = options.output_dir();
        let tallies = body_tallies.take();
        let published = if written.is_empty() {
            let index = || {
                search::beside_the_pages(|| {
                    let bodies = tallies.map(BodyTallies::finish).unwrap_or_default();
                    search::index_beside_pages(&renderer, p.generation, search_cache, &bodies)
                })
            };
            let published =
                publish_everything(options, &renderer, &plan.jobs, &extras, &mut prints, index)?;
            clock.lap("render and write every page, and the search index");
            if let Some(pages_out) = pages_out {
                pages_out(false);
            }
            published
        } else {
            // An incremental index analyses the few articles it lacks from their documents.
            drop(tallies.map(BodyTallies::finish));
            // The index files stay as they are until `finish_pending` replaces them.
            let pending = match pages_out {
                Some(_) => None,
                None => search::pending(&renderer, p.generation, search_cache),
            };
            *search_due = pages_out.is_some() && p.config.search.is_some();
            if pending.is_some() || *search_due {
                prints.extend(index_prints(written));
            }
            let found = found_on_disk.take();
            let changes = Changes {
                pages: &[],
                extras: &extras,
                prints: &prints,
            };
            let dirty = changed_jobs(&plan.jobs, &prints, written);
            let published = publish_changed(
                options, &renderer, dirty, changes, written, found, pages_out,
            )?;
            clock.lap("render and replace changed pages");
            *pending_search = pending;
            published
        };
        deferred.clone_from(&published.deferred);
        let deferred_files: Vec<String> = deferred.iter().map(|job| plan.file_of(*job)).collect();
        remember(written, keep_last_prints(prints, written, &deferred_files));
        cards.learn(renderer.into_learnt());
        clock.lap("remember what was written");
        if options.cache && pending_search.is_none() && deferred.is_empty() && !*search_due {
            cache::save(&options.root, &output, p.generation, written);
        }
        // Every photo of the site went through this build: the rest of the cache can go.
        let _ = photo_cache.prune(processed.photos.values());
        Ok(Published {
            kept: shape.map(|shape| (processed, shape)),
            ..published
        })
    }

    /// Finishes what a preview build left for after the tabs reloaded: the feeds and
    /// sitemaps it deferred, and the search index; replaces the files that changed.
    /// [`Session::build`] calls this at once. Returns how long it took and what it changed,
    /// if anything was pending. When `stop` says so (a new save waits), the index is given
    /// up and stays due: [`PendingUpdate::unfinished`].
    pub fn finish_pending(
        &mut self,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Result<Option<PendingUpdate>, BuildError> {
        if self.deferred.is_empty() && self.pending_search.is_none() && !self.search_due {
            return Ok(None);
        }
        let started = Instant::now();
        let output = self.options.output_dir();
        if self.options.cache {
            cache::forget(&self.options.root, &output);
        }
        let mut changes = self.write_deferred(&output, stop)?;
        // A save that came while the feeds were made goes first; the index stays due.
        let index = if stop() {
            self.search_due |= self.pending_search.take().is_some();
            None
        } else {
            self.write_search_index(&output, stop)?
        };
        let unfinished = index.is_none() || !self.deferred.is_empty() || self.search_due;
        changes.merge(index.unwrap_or_default());
        if self.options.cache && !unfinished {
            let generation = self.prepared.as_ref().map_or(0, |p| p.generation);
            cache::save(&self.options.root, &output, generation, &self.written);
        }
        Ok(Some(PendingUpdate {
            took: started.elapsed(),
            changes,
            unfinished,
        }))
    }

    /// Makes the deferred feeds and sitemaps from the kept site, and replaces them; finds
    /// what the search index must analyse, when that is due. Stops between files when
    /// `stop` says so: what is not made stays deferred (or due).
    fn write_deferred(
        &mut self,
        output: &Path,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Result<FileChanges, BuildError> {
        let mut jobs = std::mem::take(&mut self.deferred);
        let search_due = std::mem::take(&mut self.search_due);
        // Without a kept site nothing is made: `written` still holds the last fingerprints
        // of those files, so the next build finds them changed.
        let (Some(kept), Some(p)) = (&self.kept, &self.prepared) else {
            return Ok(FileChanges::default());
        };
        if jobs.is_empty() && !search_due {
            return Ok(FileChanges::default());
        }
        let (plan, _) = search::plan(&kept.site, &p.config, &p.templates);
        let setup = p.setup(&kept.photos.photos);
        let renderer = Renderer::new(&plan, setup, &self.cards, p.generation);
        let mut changes = FileChanges::default();
        // A few files at a time (a sitemap part is 50,000 URLs), checking `stop` between.
        while !jobs.is_empty() && !stop() {
            let batch: Vec<Job> = jobs.drain(..jobs.len().min(DEFERRED_BATCH)).collect();
            let prints: Vec<(String, u64)> = batch
                .iter()
                .map(|job| (plan.file_of(*job), renderer.job_print(*job)))
                .collect();
            let files = render_all(&renderer, &batch)?;
            changes.merge(replace_pages(output, &files, &[], &HashMap::new(), &[])?);
            self.written.extend(prints);
        }
        if search_due && !stop() {
            self.pending_search = search::pending(&renderer, p.generation, &mut self.search);
        } else {
            self.search_due = search_due;
        }
        self.deferred = jobs;
        Ok(changes)
    }

    /// Makes the search index an incremental build left pending, if it did, and replaces
    /// the index files that changed; `None` when `stop` interrupted it (it is due again).
    fn write_search_index(
        &mut self,
        output: &Path,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Result<Option<FileChanges>, BuildError> {
        let Some(pending) = self.pending_search.take() else {
            return Ok(Some(FileChanges::default()));
        };
        let previous: HashMap<String, u64> = index_prints(&self.written).collect();
        let holds =
            |file: &str, hash: u64| previous.get(file) == Some(&generated_print(file, hash));
        let Some(index) = self.search.index(Some(pending), &holds, stop) else {
            self.search_due = true;
            return Ok(None);
        };
        let current: Vec<(String, u64)> = index
            .iter()
            .map(|f| (f.name.clone(), generated_print(&f.name, f.hash)))
            .collect();
        let fresh: Vec<Extra> = index_extras(&index).collect();
        let changes = replace_pages(output, &[], &fresh, &previous, &current)?;
        self.written.retain(|file, _| !search::is_index_file(file));
        self.written.extend(current);
        Ok(Some(changes))
    }

    /// The pages that moved since the last build of this session: (old file, new file),
    /// and whether every source is still where it was (a save usually moves nothing: then
    /// the sources are only looked up, not collected again).
    fn moves(&self, site: &Site) -> (Vec<(String, String)>, bool) {
        let mut moved = Vec::new();
        let mut same = site.entries.len() + site.pages.len() == self.path_of_source.len();
        for (source, path) in published_sources(site) {
            match self.path_of_source.get(source) {
                Some(old) if old == path => {}
                Some(old) => {
                    moved.push((file_for_path(old), file_for_path(path)));
                    same = false;
                }
                None => same = false,
            }
        }
        (moved, same)
    }

    /// Remembers where each source is published.
    fn remember_places(&mut self, site: &Site) {
        self.path_of_source = published_sources(site)
            .map(|(source, path)| (source.to_path_buf(), path.to_string()))
            .collect();
    }
}

/// Every photo of the site through the engine, with the cache it used.
fn photo_stage(
    site: &Site,
    options: &BuildOptions,
    prepared: &Prepared,
) -> Result<(crate::photos::PhotoCache, photos::Processed), BuildError> {
    let cache = photos::cache_of(&options.root);
    let processed =
        photos::process(site, &prepared.photo_settings, &cache).map_err(BuildError::input)?;
    Ok((cache, processed))
}

/// The files of a new index to publish: those with bytes (the others are in the output
/// folder already).
fn index_extras(index: &[IndexFile]) -> impl Iterator<Item = Extra<'_>> {
    index.iter().filter_map(|f| {
        Some(Extra {
            file: f.name.clone(),
            print: generated_print(&f.name, f.hash),
            from: ExtraSource::Generated(f.bytes.as_deref()?),
        })
    })
}

/// The files of the search index the last build left, with their fingerprints.
fn index_prints(written: &HashMap<String, u64>) -> impl Iterator<Item = (String, u64)> + '_ {
    written
        .iter()
        .filter(|(file, _)| search::is_index_file(file))
        .map(|(file, print)| (file.clone(), *print))
}

/// What a build wrote, for its report: pages and other files, every file written and
/// removed, and the pages that moved (old file, new file).
struct Written {
    pages: usize,
    copied: usize,
    changes: FileChanges,
    moved: Vec<(String, String)>,
}

/// What [`Session::publish`] did, and what a preview keeps of it for the next save.
struct Published {
    pages: usize,
    copied: usize,
    changes: FileChanges,
    kept: Option<(photos::Processed, patch::Shape)>,
    /// Jobs left for [`Session::finish_pending`].
    deferred: Vec<Job>,
}

/// Deferred files made at a time by [`Session::finish_pending`] between checks for a new
/// save: as many as there are cores.
const DEFERRED_BATCH: usize = 2;

/// What [`Session::finish_pending`] did: how long it took, the files it changed, and
/// whether it gave the search index up for a new save (it is still due).
pub struct PendingUpdate {
    pub took: Duration,
    pub changes: FileChanges,
    pub unfinished: bool,
}

/// A full build: every page, extra file and the files `beside` makes (the search index,
/// while the pages are written) through a staging folder; their fingerprints join `prints`.
fn publish_everything(
    options: &BuildOptions,
    renderer: &Renderer,
    jobs: &[Job],
    extras: &[Extra],
    prints: &mut Vec<(String, u64)>,
    beside: impl FnOnce() -> GeneratedFiles + Send,
) -> Result<Published, BuildError> {
    let output = options.output_dir();
    let before = options.list_changes.then(|| output::files_under(&output));
    let (pages, index) = write_everything(renderer, jobs, extras, &output, beside)?;
    prints.extend(generated(&index).map(|e| (e.file, e.print)));
    Ok(Published {
        pages,
        copied: extras.len() + index.len(),
        changes: everything_written(prints, before),
        kept: None,
        deferred: Vec::new(),
    })
}

/// An incremental build: renders the `dirty` jobs (those whose fingerprint differs from
/// what `written` says the folder holds), and replaces what changed (see
/// [`replace_changed`]). With `pages_out`, only the HTML pages are made, then `pages_out` is
/// told whether only HTML files changed, and the feeds and sitemaps are left for later (`Published::deferred`).
fn publish_changed(
    options: &BuildOptions,
    renderer: &Renderer,
    dirty: Vec<Job>,
    changes: Changes,
    written: &HashMap<String, u64>,
    found: Option<Vec<String>>,
    pages_out: Option<&mut dyn FnMut(bool)>,
) -> Result<Published, BuildError> {
    let (now, later) = match pages_out {
        Some(_) => dirty.into_iter().partition(|job| job.is_html_page()),
        None => (dirty, Vec::new()),
    };
    let pages = render_all(renderer, &now)?;
    let changes = Changes {
        pages: &pages,
        ..changes
    };
    let done = replace_changed(options, &changes, written, found)?;
    if let Some(pages_out) = pages_out {
        pages_out(only_html(&done));
    }
    let pages_written = count_pages(&done, &pages);
    Ok(Published {
        pages: pages_written,
        copied: done.written.len() - pages_written,
        changes: done,
        kept: None,
        deferred: later,
    })
}

/// Whether every file `done` wrote or removed is an HTML page.
fn only_html(done: &FileChanges) -> bool {
    (done.written.iter())
        .chain(&done.removed)
        .all(|file| file.ends_with(".html"))
}

/// How many of the files `done` wrote are among `pages`.
fn count_pages(done: &FileChanges, pages: &[(String, Vec<u8>)]) -> usize {
    let page_files: std::collections::HashSet<&str> =
        pages.iter().map(|(file, _)| file.as_str()).collect();
    done.written
        .iter()
        .filter(|file| page_files.contains(file.as_str()))
        .count()
}

/// A full build wrote every file of `prints`; of the files the folder held `before` (when
/// listed), those it no longer holds are removed.
fn everything_written(prints: &[(String, u64)], before: Option<Vec<String>>) -> FileChanges {
    let mut written: Vec<String> = prints.iter().map(|(file, _)| file.clone()).collect();
    written.sort();
    let now: std::collections::HashSet<&String> = written.iter().collect();
    let removed = before
        .unwrap_or_default()
        .into_iter()
        .filter(|file| !now.contains(file))
        .collect();
    FileChanges { written, removed }
}

/// What an incremental build changes: the pages rendered again, every extra file, and the
/// fingerprint of every file of the build.
#[derive(Clone, Copy)]
struct Changes<'c> {
    pages: &'c [(String, Vec<u8>)],
    extras: &'c [Extra<'c>],
    prints: &'c [(String, u64)],
}

/// Replaces the changed pages and extra files in the output folder and removes the ones
/// gone; after a build resumed from the disk cache, also files no build would leave there.
/// Returns the files written and removed.
fn replace_changed(
    options: &BuildOptions,
    changes: &Changes,
    written: &HashMap<String, u64>,
    found: Option<Vec<String>>,
) -> Result<FileChanges, BuildError> {
    let output = options.output_dir();
    // From here on the folder changes file by file: if anything fails, the cache no longer
    // describes it, and the next build must be a full one.
    if options.cache {
        cache::forget(&options.root, &output);
    }
    let mut done = replace_pages(
        &output,
        changes.pages,
        changes.extras,
        written,
        changes.prints,
    )?;
    if let Some(found) = found {
        let unknown = remove_unknown_files(&output, changes.prints, found)?;
        done.merge(FileChanges {
            written: Vec::new(),
            removed: unknown,
        });
    }
    Ok(done)
}

/// The fingerprint of every file a build writes: pages, then extra files.
/// The fingerprint of every file of the build, and, when `shape` is asked for, which jobs
/// show each article (for the preview's quick path, [`patch`]).
fn fingerprints(
    plan: &Plan,
    renderer: &Renderer,
    extras: &[Extra],
    shape: bool,
) -> (Vec<(String, u64)>, Option<patch::Shape>) {
    let (mut prints, shape) = if shape {
        let (prints, cards): (Vec<(String, u64)>, Vec<Vec<usize>>) = plan
            .jobs
            .par_iter()
            .map(|job| {
                let (print, cards) = renderer.job_print_and_cards(*job);
                ((plan.file_of(*job), print), cards)
            })
            .unzip();
        let entries = plan.site.entries.len();
        let shape = patch::Shape::new(renderer.globals_print, entries, &cards);
        (prints, Some(shape))
    } else {
        let prints = plan
            .jobs
            .par_iter()
            .map(|job| (plan.file_of(*job), renderer.job_print(*job)))
            .collect();
        (prints, None)
    };
    prints.extend(extras.iter().map(|e| (e.file.clone(), e.print)));
    (prints, shape)
}

/// The jobs whose fingerprint differs from what was last written to their file.
fn changed_jobs(
    jobs: &[Job],
    prints: &[(String, u64)],
    written: &HashMap<String, u64>,
) -> Vec<Job> {
    jobs.iter()
        .zip(prints)
        .filter(|(_, (file, print))| written.get(file) != Some(print))
        .map(|(job, _)| *job)
        .collect()
}

/// `prints`, but with the fingerprints `written` has for `files` (left unwritten for now),
/// and without those of them `written` does not know.
fn keep_last_prints(
    mut prints: Vec<(String, u64)>,
    written: &HashMap<String, u64>,
    files: &[String],
) -> Vec<(String, u64)> {
    if files.is_empty() {
        return prints;
    }
    let files: std::collections::HashSet<&str> = files.iter().map(String::as_str).collect();
    prints.retain_mut(|(file, print)| {
        if !files.contains(file.as_str()) {
            return true;
        }
        match written.get(file) {
            Some(last) => {
                *print = *last;
                true
            }
            None => false,
        }
    });
    prints
}

/// Makes `written` say what `prints` says: in place when the build wrote the same files as
/// the last one (a save), anew otherwise.
fn remember(written: &mut HashMap<String, u64>, prints: Vec<(String, u64)>) {
    let mut same_files = prints.len() == written.len();
    for (file, print) in &prints {
        match written.get_mut(file.as_str()) {
            Some(known) => *known = *print,
            None => {
                same_files = false;
                break;
            }
        }
    }
    if !same_files {
        *written = prints.into_iter().collect();
    }
}

/// Where each article and page source is published: (source, URL path).
fn published_sources(site: &Site) -> impl Iterator<Item = (&Path, &str)> + Clone {
    let articles = site
        .entries
        .iter()
        .map(|e| (e.article.source.as_path(), e.path.as_str()));
    let pages = site
        .pages
        .iter()
        .map(|p| (p.page.source.as_path(), p.path.as_str()));
    articles.chain(pages)
}
