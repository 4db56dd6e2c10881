//! Folder times: a cheap way to know that nothing was added to or removed from the output
//! folder since the last build. A folder's modification time changes whenever an entry in it
//! is created, removed or renamed, so if every folder of the output still has the time the
//! build cache recorded, the folder holds exactly the files the last build left, and the
//! next build need not list tens of thousands of files to find out.
//!
//! Only where times are finer than a second: on a file system with coarse times (a time
//! with no nanoseconds), a change in the same second as the build would go unseen, so the
//! folder is always listed there.

use std::path::Path;
use std::time::{Duration, UNIX_EPOCH};

use rayon::prelude::*;

/// The modification time of the output folder and of every folder holding one of `files`,
/// or `None` if one cannot be read.
pub fn times<'f>(
    output: &Path,
    files: impl Iterator<Item = &'f String>,
) -> Option<Vec<(String, Duration)>> {
    let mut folders: Vec<&str> = vec![""];
    for file in files {
        let mut rest = file.as_str();
        while let Some((folder, _)) = rest.rsplit_once('/') {
            folders.push(folder);
            rest = folder;
        }
    }
    folders.sort_unstable();
    folders.dedup();
    folders
        .par_iter()
        .map(|folder| Some((folder.to_string(), time_of(&output.join(folder))?)))
        .collect()
}

/// Whether every folder of `recorded` still has its time, and the times are fine enough
/// to tell (see the module comment).
pub fn unchanged(output: &Path, recorded: &[(String, Duration)]) -> bool {
    !recorded.is_empty()
        && recorded.iter().all(|(_, time)| time.subsec_nanos() != 0)
        && recorded
            .par_iter()
            .all(|(folder, time)| time_of(&output.join(folder)) == Some(*time))
}

fn time_of(folder: &Path) -> Option<Duration> {
    let modified = std::fs::metadata(folder).ok()?.modified().ok()?;
    modified.duration_since(UNIX_EPOCH).ok()
}
