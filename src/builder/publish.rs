//! Publishing rendered pages: a full build writes every page and static file into a staging
//! folder and swaps it in; an incremental build renders the changed pages first, then
//! replaces them one by one and removes pages that no longer exist. Besides rendered pages, a
//! build publishes files as they are ([`Extra`]): static files of the site and theme, the
//! photo engine's renditions, and files generated in memory (the search index). Every write goes through [`super::output`].

use std::collections::{HashMap, HashSet};
use std::path::Path;

use rayon::prelude::*;

use super::options::FileChanges;
use super::output::{self, Staging};
use super::photos::{FileCopy, Processed};
use crate::error::{BuildError, Diagnostic};
use crate::hash::{hash_bytes, stable_hash};
use crate::render::{Job, Renderer};
use crate::theme::statics::StaticFiles;
use crate::theme::{Source, ThemeFile};

/// After an incremental build into a folder qissa built before: removes files no build would
/// leave there (pages of an earlier layout, files put there by hand), as a full build would.
pub fn remove_unknown_files(
    output: &Path,
    files: &[(String, u64)],
    found: Vec<String>,
) -> Result<Vec<String>, BuildError> {
    let known: HashSet<&str> = files.iter().map(|(f, _)| f.as_str()).collect();
    let unknown: Vec<String> = found
        .into_iter()
        .filter(|rel| !known.contains(rel.as_str()))
        .collect();
    for rel in &unknown {
        output::remove_page(output, rel).map_err(|e| BuildError::io(&output.join(rel), e))?;
    }
    Ok(unknown)
}

/// Renders `jobs` in parallel into memory; every template fault is collected.
pub fn render_all(renderer: &Renderer, jobs: &[Job]) -> Result<Vec<(String, Vec<u8>)>, BuildError> {
    let results: Vec<Result<(String, Vec<u8>), Diagnostic>> =
        jobs.par_iter().map(|job| renderer.render(*job)).collect();
    let mut pages = Vec::with_capacity(results.len());
    let mut diagnostics = Vec::new();
    for result in results {
        match result {
            Ok(page) => pages.push(page),
            Err(d) => diagnostics.push(d),
        }
    }
    if diagnostics.is_empty() {
        Ok(pages)
    } else {
        Err(template_errors(diagnostics))
    }
}

/// One broken template line fails every page using it: report it once.
fn template_errors(mut diagnostics: Vec<Diagnostic>) -> BuildError {
    diagnostics.sort_by(|a, b| (&a.file, a.line, &a.message).cmp(&(&b.file, b.line, &b.message)));
    diagnostics.dedup_by(|a, b| a.file == b.file && a.line == b.line && a.message == b.message);
    BuildError::input(diagnostics)
}

/// Files made in memory by a build (the search index): name and bytes.
pub type GeneratedFiles = Vec<(String, Vec<u8>)>;

/// A file published as it is, with its fingerprint.
pub struct Extra<'a> {
    pub file: String,
    pub print: u64,
    pub from: ExtraSource<'a>,
}

/// Where an [`Extra`] comes from.
pub enum ExtraSource<'a> {
    /// A static file of the site or the theme.
    Static(&'a ThemeFile),
    /// A file outside the output folder: a photo rendition in the cache, a copied picture.
    Copy(&'a Path),
    /// Bytes made by this build: a file of the search index.
    Generated(&'a [u8]),
}

/// Files generated in memory, fingerprinted by their content: an incremental build rewrites
/// only the index files whose bytes changed.
pub fn generated<'a>(files: &'a [(String, Vec<u8>)]) -> impl Iterator<Item = Extra<'a>> {
    files.iter().map(|(file, bytes)| Extra {
        file: file.clone(),
        print: generated_print(file, hash_bytes(bytes)),
        from: ExtraSource::Generated(bytes),
    })
}

/// The fingerprint of a generated file whose bytes hash to `hash` ([`hash_bytes`]).
pub fn generated_print(file: &str, hash: u64) -> u64 {
    stable_hash(("generated", file, hash))
}

/// The files a build publishes as they are: every static file but the photos the engine
/// publishes in its own way, and every photo rendition and copied picture.
pub fn extras<'a>(statics: &'a StaticFiles, processed: &'a Processed) -> Vec<Extra<'a>> {
    let is_photo_source = |file: &ThemeFile| match &file.source {
        Source::Disk(path) => processed.sources.contains(path),
        Source::Embedded(_) => false,
    };
    let statics = statics
        .files()
        .filter(|(_, file)| !is_photo_source(file))
        .map(|(rel, file)| Extra {
            file: rel.to_string(),
            print: stable_hash(("static", rel)),
            from: ExtraSource::Static(file),
        });
    let copies = processed.copies.iter().map(|copy| Extra {
        file: copy.file.clone(),
        print: copy_print(copy),
        from: ExtraSource::Copy(&copy.from),
    });
    statics.chain(copies).collect()
}

/// A copy's fingerprint: its name, its source and the source's size and time (photo
/// renditions are named by their content already; a copied SVG is not).
fn copy_print(copy: &FileCopy) -> u64 {
    if copy.named_by_content {
        return stable_hash(("copy", &copy.file));
    }
    let stamp = std::fs::metadata(&copy.from)
        .ok()
        .map(|m| (m.len(), m.modified().ok()));
    stable_hash(("copy", &copy.file, &copy.from, stamp))
}

/// The folder an extra file goes into.
#[derive(Clone, Copy)]
enum Into {
    /// A staging folder being filled: nobody reads it yet, so files are written in place.
    Fresh,
    /// The output folder a reader may be looking at: every file is replaced atomically.
    Live,
}

/// Publishes one extra file into `dir` (the staging or the output folder). Returns whether
/// it was written: in the output folder, a file that already holds the same bytes is left
/// alone.
fn publish_extra(dir: &Path, extra: &Extra, into: Into) -> Result<bool, BuildError> {
    let write = |bytes: &[u8]| match into {
        Into::Fresh => output::replace_file(dir, &extra.file, bytes).map(|()| true),
        Into::Live => output::replace_file_if_changed(dir, &extra.file, bytes),
    };
    match &extra.from {
        ExtraSource::Static(file) => {
            let bytes = file
                .source
                .read()
                .map_err(|e| BuildError::io(&file.shown, e))?;
            write(&without_metadata(&extra.file, &bytes))
                .map_err(|e| BuildError::io(&file.shown, e))
        }
        ExtraSource::Generated(bytes) => {
            write(bytes).map_err(|e| BuildError::io(&dir.join(&extra.file), e))
        }
        ExtraSource::Copy(from) => match into {
            Into::Fresh => output::link_or_copy_fresh(dir, &extra.file, from),
            Into::Live => output::link_or_copy(dir, &extra.file, from),
        }
        .map(|()| true)
        .map_err(|e| BuildError::io(from, e)),
    }
}

/// A static image published as it is still loses its metadata (GPS, serial numbers,
/// thumbnails), losslessly; other files, and images too damaged to read, go out unchanged.
fn without_metadata<'b>(file: &str, bytes: &'b [u8]) -> std::borrow::Cow<'b, [u8]> {
    let lower = file.to_ascii_lowercase();
    let is_raster = [".jpg", ".jpeg", ".png", ".webp"]
        .iter()
        .any(|ext| lower.ends_with(ext));
    if !is_raster {
        return bytes.into();
    }
    crate::photos::strip::strip_metadata(bytes).unwrap_or(bytes.into())
}

/// A full build: every page and extra file into a staging folder, swapped in at the end.
/// `beside` makes more files (the search index) while the pages are rendered and written;
/// they are published with the rest and returned.
pub fn write_everything(
    renderer: &Renderer,
    jobs: &[Job],
    extras: &[Extra],
    output: &Path,
    beside: impl FnOnce() -> GeneratedFiles + Send,
) -> Result<(usize, GeneratedFiles), BuildError> {
    let staging = Staging::create(output).map_err(|e| BuildError::io(output, e))?;
    let (pages, more) = std::thread::scope(|scope| {
        let more = scope.spawn(beside);
        let pages = write_pages(renderer, jobs, &staging);
        // A panic in `beside` is a bug: let it surface as one.
        (
            pages,
            more.join().unwrap_or_else(|p| std::panic::resume_unwind(p)),
        )
    });
    pages?;
    let more_extras: Vec<Extra> = generated(&more).collect();
    extras
        .par_iter()
        .chain(more_extras.par_iter())
        .try_for_each(|extra| publish_extra(staging.dir(), extra, Into::Fresh).map(|_| ()))?;
    staging.commit().map_err(|e| BuildError::io(output, e))?;
    Ok((jobs.len(), more))
}

/// Renders every job into the staging folder; every template fault is collected.
fn write_pages(renderer: &Renderer, jobs: &[Job], staging: &Staging) -> Result<(), BuildError> {
    let results: Vec<Result<(), BuildError>> = jobs
        .par_iter()
        .map(|job| {
            let (file, html) = renderer.render(*job).map_err(BuildError::one)?;
            staging
                .write(&file, &html)
                .map_err(|e| BuildError::io(Path::new(&file), e))
        })
        .collect();
    let mut diagnostics = Vec::new();
    for result in results {
        match result {
            Ok(()) => {}
            Err(BuildError::Input(mut d)) => diagnostics.append(&mut d),
            Err(io) => return Err(io),
        }
    }
    if diagnostics.is_empty() {
        Ok(())
    } else {
        Err(template_errors(diagnostics))
    }
}

/// An incremental build: replaces changed pages and extra files one by one (each atomically,
/// so a reader never sees half a page) and removes the files that no longer exist. A file
/// whose bytes come out the same is not touched. Returns what was written and removed.
pub fn replace_pages(
    output: &Path,
    pages: &[(String, Vec<u8>)],
    extras: &[Extra],
    previous: &HashMap<String, u64>,
    current: &[(String, u64)],
) -> Result<FileChanges, BuildError> {
    let pages_written: Vec<Option<&String>> = pages
        .par_iter()
        .map(|(file, html)| {
            output::replace_file_if_changed(output, file, html)
                .map(|written| written.then_some(file))
                .map_err(|e| BuildError::io(&output.join(file), e))
        })
        .collect::<Result<_, _>>()?;
    let changed: Vec<&Extra> = extras
        .iter()
        .filter(|e| previous.get(&e.file) != Some(&e.print))
        .collect();
    let extras_written: Vec<Option<&String>> = changed
        .par_iter()
        .map(|extra| publish_extra(output, extra, Into::Live).map(|w| w.then_some(&extra.file)))
        .collect::<Result<_, _>>()?;
    let current: HashSet<&str> = current.iter().map(|(f, _)| f.as_str()).collect();
    let mut removed: Vec<String> = previous
        .keys()
        .filter(|f| !current.contains(f.as_str()))
        .cloned()
        .collect();
    removed.sort();
    for gone in &removed {
        output::remove_page(output, gone).map_err(|e| BuildError::io(&output.join(gone), e))?;
    }
    let written = pages_written.into_iter().chain(extras_written).flatten();
    Ok(FileChanges {
        written: written.cloned().collect(),
        removed,
    })
}
