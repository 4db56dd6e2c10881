//! Publishing rendered pages: a full build writes every page and static file into a staging
//! folder and swaps it in; an incremental build renders the changed pages first, then
//! replaces them one by one and removes pages that no longer exist. Every write goes through
//! [`super::output`].

use std::collections::{HashMap, HashSet};
use std::path::Path;

use rayon::prelude::*;

use super::output::{self, Staging};
use crate::error::{BuildError, Diagnostic};
use crate::render::{Job, Renderer};
use crate::theme::statics::StaticFiles;

/// After an incremental build into a folder qissa built before: removes files no build would
/// leave there (pages of an earlier layout, files put there by hand), as a full build would.
pub fn remove_unknown_files(
    output: &Path,
    pages: &[(String, u64)],
    statics: &StaticFiles,
) -> Result<(), BuildError> {
    let mut known: HashSet<String> = pages.iter().map(|(f, _)| f.clone()).collect();
    known.extend(statics.paths().map(str::to_string));
    known.insert(output::OUTPUT_MARKER.to_string());
    let unknown: Vec<String> = walkdir::WalkDir::new(output)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .filter_map(|e| {
            e.path()
                .strip_prefix(output)
                .ok()
                .map(|p| p.to_string_lossy().replace('\\', "/"))
        })
        .filter(|rel| !known.contains(rel))
        .collect();
    for rel in unknown {
        output::remove_page(output, &rel).map_err(|e| BuildError::io(&output.join(&rel), e))?;
    }
    Ok(())
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

/// A full build: every page and static file into a staging folder, swapped in at the end.
pub fn write_everything(
    renderer: &Renderer,
    jobs: &[Job],
    statics: &StaticFiles,
    output: &Path,
) -> Result<(usize, usize), BuildError> {
    let staging = Staging::create(output).map_err(|e| BuildError::io(output, e))?;
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
    if !diagnostics.is_empty() {
        return Err(template_errors(diagnostics));
    }
    let files: Vec<_> = statics.files().collect();
    files.par_iter().try_for_each(|(rel, file)| {
        let bytes = file
            .source
            .read()
            .map_err(|e| BuildError::io(&file.shown, e))?;
        staging
            .write(rel, &bytes)
            .map_err(|e| BuildError::io(&file.shown, e))
    })?;
    staging.commit().map_err(|e| BuildError::io(output, e))?;
    Ok((jobs.len(), files.len()))
}

/// An incremental build: replaces changed pages one by one (each atomically, so a reader
/// never sees half a page) and removes pages that no longer exist.
pub fn replace_pages(
    output: &Path,
    pages: &[(String, Vec<u8>)],
    previous: &HashMap<String, u64>,
    current: &[(String, u64)],
) -> Result<(), BuildError> {
    pages.par_iter().try_for_each(|(file, html)| {
        output::replace_file(output, file, html).map_err(|e| BuildError::io(&output.join(file), e))
    })?;
    let current: HashSet<&str> = current.iter().map(|(f, _)| f.as_str()).collect();
    for gone in previous.keys().filter(|f| !current.contains(f.as_str())) {
        output::remove_page(output, gone).map_err(|e| BuildError::io(&output.join(gone), e))?;
    }
    Ok(())
}
