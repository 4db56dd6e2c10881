//! The photo cache: derived files kept between builds and processes, so an unchanged photo is
//! never decoded again.
//!
//! It lives in the site's `.qissa-cache/photos/`:
//!
//! - `files/<key>-<w>x<h>….<ext>`: every derived file, named as it is published;
//! - `jobs/<job>.json`: what one photo with one set of settings became (sizes, files), keyed
//!   by the source's content hash, the settings and the engine version;
//! - `sources/<id>`: the content hash of a source file with the size and modification time it
//!   had, so a warm build does not even read an unchanged photo.
//!
//! A build publishes by copying from `files/` (see [`PhotoCache::path_of`]), and afterwards
//! [`PhotoCache::prune`] removes every entry that build did not use, so the folder holds one
//! build's photos and cannot grow without bound. Everything is written by
//! [`write_cache_file`], through a temporary name and a rename, so a crash never leaves a
//! half-written file under a real name, and two builds may share the folder.

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use super::Photo;
use super::plan::OUTPUT_FOLDER;

/// The cache folder and its three kinds of entry.
#[derive(Debug, Clone)]
pub struct PhotoCache {
    root: PathBuf,
}

/// What [`PhotoCache::prune`] removed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PruneReport {
    pub removed_files: usize,
    pub removed_bytes: u64,
}

impl PhotoCache {
    /// The cache inside a site's cache folder (`<site>/.qissa-cache`).
    pub fn in_site_cache(site_cache: &Path) -> Self {
        Self {
            root: site_cache.join("photos"),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where the cached copy of a derived file (`photos/…`) lies: the builder copies it from
    /// here to the same relative path under the output folder.
    pub fn path_of(&self, file: &str) -> PathBuf {
        let name = file
            .strip_prefix(OUTPUT_FOLDER)
            .unwrap_or(file)
            .trim_start_matches('/');
        self.root.join("files").join(name)
    }

    fn job_path(&self, job: &str) -> PathBuf {
        self.root.join("jobs").join(format!("{job}.json"))
    }

    fn stamp_path(&self, source_id: &str) -> PathBuf {
        self.root.join("sources").join(source_id)
    }

    /// The photo a previous build made for `job`, if every one of its files is still there.
    pub fn load_job(&self, job: &str) -> Option<Photo> {
        let json = fs::read(self.job_path(job)).ok()?;
        let photo: Photo = serde_json::from_slice(&json).ok()?;
        let complete = photo
            .renditions
            .iter()
            .all(|r| self.path_of(&r.file).is_file());
        complete.then_some(photo)
    }

    /// Records what `job` became, once all its files are in the cache.
    pub fn store_job(&self, job: &str, photo: &Photo) -> io::Result<()> {
        let json = serde_json::to_vec_pretty(photo).map_err(io::Error::other)?;
        write_cache_file(&self.job_path(job), &json)
    }

    /// The content hash remembered for `source` if its size and modification time are
    /// unchanged (as make and cargo judge freshness).
    pub fn remembered_hash(&self, source_id: &str, stamp: &FileStamp) -> Option<u64> {
        let text = fs::read_to_string(self.stamp_path(source_id)).ok()?;
        let (stamp_text, hash) = text.trim().rsplit_once(' ')?;
        (stamp_text == stamp.to_string()).then(|| u64::from_str_radix(hash, 16).ok())?
    }

    pub fn remember_hash(&self, source_id: &str, stamp: &FileStamp, hash: u64) -> io::Result<()> {
        write_cache_file(
            &self.stamp_path(source_id),
            format!("{stamp} {hash:016x}\n").as_bytes(),
        )
    }

    /// Removes every file, job and source stamp none of `used` needs. Call it after a build
    /// that processed every photo of the site (a partial rebuild must not prune).
    pub fn prune<'a>(&self, used: impl IntoIterator<Item = &'a Photo>) -> io::Result<PruneReport> {
        let mut keep = HashSet::new();
        for photo in used {
            keep.insert(self.job_path(&photo.job));
            keep.insert(self.stamp_path(&photo.source_id));
            keep.extend(photo.renditions.iter().map(|r| self.path_of(&r.file)));
        }
        let mut report = PruneReport::default();
        for folder in ["files", "jobs", "sources"] {
            remove_unkept(&self.root.join(folder), &keep, &mut report)?;
        }
        Ok(report)
    }
}

fn remove_unkept(
    folder: &Path,
    keep: &HashSet<PathBuf>,
    report: &mut PruneReport,
) -> io::Result<()> {
    let entries = match fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(error),
    };
    for entry in entries {
        let path = entry?.path();
        if !keep.contains(&path) {
            report.removed_bytes += fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            fs::remove_file(&path)?;
            report.removed_files += 1;
        }
    }
    Ok(())
}

/// A file's size and modification time, the cheap evidence that it has not changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStamp {
    pub len: u64,
    pub modified_nanos: u128,
}

impl FileStamp {
    pub fn of(metadata: &fs::Metadata) -> Self {
        let modified_nanos = metadata
            .modified()
            .ok()
            .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |since| since.as_nanos());
        Self {
            len: metadata.len(),
            modified_nanos,
        }
    }
}

impl std::fmt::Display for FileStamp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.len, self.modified_nanos)
    }
}

/// The one place the photo engine writes to disk: `bytes` to `path` under the cache, via a
/// temporary file in the same folder and a rename, so readers see the whole file or none.
/// (During integration this is the function to route through the builder's output module.)
pub fn write_cache_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let folder = path
        .parent()
        .ok_or_else(|| io::Error::other("cache path without a folder"))?;
    fs::create_dir_all(folder)?;
    let mut temporary = tempfile::NamedTempFile::new_in(folder)?;
    io::Write::write_all(&mut temporary, bytes)?;
    temporary.persist(path).map_err(|error| error.error)?;
    Ok(())
}
