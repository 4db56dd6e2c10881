//! Watching the site's sources and rebuilding on change.
//!
//! Folders are watched recursively (watching single files breaks after an editor's atomic
//! save replaces them); notify-debouncer-full folds an editor's write-temp-then-rename into
//! one event. Events for hidden and temporary files are ignored, and the output folder is
//! outside everything watched, so a build never triggers another.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};

use super::{Shared, Update, build_once, finish_once};
use crate::builder::{Change, PagesReady, Session};
use crate::content::is_hidden_or_temp;

/// Quiet time before a burst of events becomes one rebuild. An editor's save (write a
/// temporary file, rename it over the source) is a burst of well under a millisecond; the
/// preview's latency bar (50 ms from save to reload at 10,000 articles) leaves little room.
const DEBOUNCE: Duration = Duration::from_millis(5);

/// Quiet time after a build before the preview makes what it left for later (feeds,
/// sitemaps, the search index): the reloading tab has the processor to itself meanwhile, and
/// a quick run of saves rebuilds pages only.
const SETTLE: Duration = Duration::from_millis(150);

/// Builds once and publishes the result: tabs reload as soon as the pages are in place.
pub fn rebuild(
    session: &mut Session,
    change: Change,
    shared: &Shared,
    why: &str,
) -> Result<(), ()> {
    let started = Instant::now();
    let mut pages_took = None;
    let mut pages_out = |ready: &PagesReady| {
        shared.record_moves(ready.moved);
        let update = if ready.only_pages {
            Update::Pages
        } else {
            Update::Reload
        };
        shared.publish(None, update);
        pages_took = Some(started.elapsed());
    };
    match build_once(session, change, &mut pages_out) {
        Ok(report) => {
            let pages_took = pages_took.unwrap_or_else(|| started.elapsed());
            let stages: Vec<String> = report
                .timings
                .iter()
                .map(|(stage, took)| format!("{stage} {:.1}", took.as_secs_f64() * 1000.0))
                .collect();
            println!(
                "{why}: {} pages of {} articles rebuilt in {} ms ({} ms)",
                report.pages_written,
                report.articles,
                pages_took.as_millis(),
                stages.join(", ")
            );
            Ok(())
        }
        Err(message) => {
            eprintln!("{message}");
            shared.publish(Some(message), Update::Pages);
            Err(())
        }
    }
}

/// Makes what the last build left for later, and says how long it took; returns whether
/// the search index is still to be made (a new save interrupted it: `waiting` was set).
fn finish(session: &mut Session, shared: &Shared, waiting: &AtomicBool) -> bool {
    waiting.store(false, Ordering::Relaxed);
    let stop = || waiting.load(Ordering::Relaxed);
    match finish_once(session, &stop) {
        Ok((_, true)) => true,
        Ok((took, false)) => {
            if !took.is_zero() {
                let ms = took.as_secs_f64() * 1000.0;
                println!("  then feeds, sitemaps and search index in {ms:.1} ms");
            }
            false
        }
        Err(message) => {
            eprintln!("{message}");
            shared.publish(Some(message), Update::Pages);
            false
        }
    }
}

/// The folders under the site root that hold sources.
const SOURCE_DIRS: [&str; 4] = ["content", "themes", "templates", "static"];

/// Starts watching the sources under `root`, rebuilding on a thread of its own.
pub fn start(root: &Path, mut session: Session, shared: Arc<Shared>) -> Result<(), String> {
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    // Set as events arrive, so work done while nothing else is asked gives way at once.
    let waiting = Arc::new(AtomicBool::new(false));
    let raised = Arc::clone(&waiting);
    let forward = move |result: DebounceEventResult| {
        raised.store(true, Ordering::Relaxed);
        let _ = tx.send(result);
    };
    let mut debouncer =
        new_debouncer(DEBOUNCE, None, forward).map_err(|e| format!("cannot watch files: {e}"))?;
    // The root itself, not recursively: site.yaml and strings.yaml (editors replace files on
    // save, so a file watch would be lost) and source folders created later.
    debouncer
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    let mut watched = Vec::new();
    watch_new_source_dirs(&mut debouncer, root, &mut watched)?;
    let root = root.to_path_buf();
    let spawned = std::thread::Builder::new()
        .name("qissa-rebuild".into())
        .spawn(move || {
            let mut unfinished = false;
            loop {
                let result = if unfinished {
                    match rx.recv_timeout(SETTLE) {
                        Ok(result) => result,
                        Err(mpsc::RecvTimeoutError::Timeout) => {
                            unfinished = finish(&mut session, &shared, &waiting);
                            continue;
                        }
                        Err(mpsc::RecvTimeoutError::Disconnected) => break,
                    }
                } else {
                    match rx.recv() {
                        Ok(result) => result,
                        Err(_) => break,
                    }
                };
                // A templates/ or static/ folder may have just appeared: watch it from now on.
                if let Err(e) = watch_new_source_dirs(&mut debouncer, &root, &mut watched) {
                    eprintln!("{e}");
                }
                let mut changed = changed_sources(&root, result);
                // Fold what queued up during the last build into this one.
                while let Ok(more) = rx.try_recv() {
                    changed.extend(changed_sources(&root, more));
                }
                unfinished |= rebuild_for(&changed, &root, &mut session, &shared);
            }
        });
    spawned.map_err(|e| format!("cannot start the rebuild thread: {e}"))?;
    Ok(())
}

fn watch_new_source_dirs(
    debouncer: &mut notify_debouncer_full::Debouncer<
        notify_debouncer_full::notify::RecommendedWatcher,
        notify_debouncer_full::RecommendedCache,
    >,
    root: &Path,
    watched: &mut Vec<&'static str>,
) -> Result<(), String> {
    for dir in SOURCE_DIRS {
        let path = root.join(dir);
        if !watched.contains(&dir) && path.is_dir() {
            debouncer
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| format!("cannot watch {}: {e}", path.display()))?;
            watched.push(dir);
        }
    }
    Ok(())
}

/// Rebuilds for `changed` sources; returns whether it built.
fn rebuild_for(changed: &[PathBuf], root: &Path, session: &mut Session, shared: &Shared) -> bool {
    let mut changed = changed.to_vec();
    if changed.is_empty() {
        return false;
    }
    changed.sort();
    changed.dedup();
    let first = changed[0]
        .strip_prefix(root)
        .unwrap_or(&changed[0])
        .display()
        .to_string();
    let why = if changed.len() == 1 {
        format!("changed {first}")
    } else {
        format!("changed {first} and {} more", changed.len() - 1)
    };
    // Content edits rebuild only what they touch; anything else rebuilds everything.
    let content = root.join("content");
    let change = if changed
        .iter()
        .all(|p| p.starts_with(&content) && p != &content)
    {
        Change::Content(changed)
    } else {
        Change::Everything
    };
    let _ = rebuild(session, change, shared, &why);
    true
}

/// The source files a batch of events changed. Reads (our own build reading the sources)
/// are not changes; lost events (queue overflow) count as a change to everything.
fn changed_sources(root: &Path, result: DebounceEventResult) -> Vec<PathBuf> {
    match result {
        Ok(events) => events
            .into_iter()
            .filter(|e| !matches!(e.event.kind, EventKind::Access(_)))
            .flat_map(|e| e.event.paths)
            .filter(|p| is_source(root, p))
            .collect(),
        Err(_) => vec![root.join(crate::config::CONFIG_FILE)],
    }
}

/// Whether a changed path is one of the site's sources (not a temp file, not elsewhere).
fn is_source(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    if rel.components().any(|c| is_hidden_or_temp(c.as_os_str())) {
        return false;
    }
    let mut parts = rel.components();
    match parts
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
    {
        // A source folder that appeared whole (moved or copied in) counts as a change too.
        Some(first) if rel.components().count() == 1 => {
            first == crate::config::CONFIG_FILE
                || first == crate::theme::strings::STRINGS_FILE
                || SOURCE_DIRS.contains(&first.as_str())
        }
        Some(first) => matches!(
            first.as_str(),
            "content" | "themes" | "templates" | "static"
        ),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sites_files_and_source_folders_are_sources() {
        let root = Path::new("/site");
        for rel in [
            "site.yaml",
            "strings.yaml",
            "content/a.md",
            "themes/x/strings.yaml",
        ] {
            assert!(is_source(root, &root.join(rel)), "{rel}");
        }
        for rel in ["notes.txt", "public/index.html", "content/.a.md.swp"] {
            assert!(!is_source(root, &root.join(rel)), "{rel}");
        }
        assert!(!is_source(root, Path::new("/elsewhere/site.yaml")));
    }
}
