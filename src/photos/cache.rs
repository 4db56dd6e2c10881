//! The photo cache: derived files kept between builds and processes, so an unchanged photo is
//! never decoded again.
//!
//! It lives in the site's `.qissa-cache/photos/`:
//!
//! - `files/<key>-<w>x<h>….<ext>`: every derived file, named as it is published;
//! - `index.json`: what each photo with one set of settings became (sizes, files) — a *job*,
//!   keyed by the source's content hash, the settings and the engine version — and, for
//!   every source file, its content hash with the size and modification time it had, so a
//!   warm build does not even read an unchanged photo.
//!
//! A batch reads the index and lists `files/` once ([`PhotoCache::snapshot`]): a warm photo
//! then costs one `stat` of its source and no other system call, where one file per job and
//! per source cost a hundred opens and a thousand `stat`s on a site with a hundred photos.
//! New jobs are recorded in one write at the end of the batch ([`PhotoCache::record`]), once
//! all their files exist, so the index never names a missing file. A build publishes by
//! linking or copying from `files/` ([`PhotoCache::path_of`]), and afterwards
//! [`PhotoCache::prune`] removes every entry that build did not use, so the folder holds one
//! build's photos and cannot grow without bound. Every file is written by the cache's
//! [`Writer`] (a temporary name and a rename), so a crash never leaves a half-written file
//! under a real name; two builds sharing the folder at once may lose each other's index
//! entries, which costs only a decode the next time.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use super::Photo;
use super::plan::OUTPUT_FOLDER;

/// The cache folder.
#[derive(Debug, Clone)]
pub struct PhotoCache {
    root: PathBuf,
    /// How files reach the disk: the builder routes them through its output module.
    writer: Writer,
}

/// Writes bytes to a path atomically (a temporary file, then a rename).
pub type Writer = fn(&Path, &[u8]) -> io::Result<()>;

/// What [`PhotoCache::prune`] removed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PruneReport {
    /// Derived files deleted from `files/`.
    pub removed_files: usize,
    pub removed_bytes: u64,
    /// Jobs and source hashes dropped from the index.
    pub removed_entries: usize,
}

/// The index file: jobs and remembered source hashes, sorted so it is written the same way
/// every time.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
struct Index {
    format: u32,
    /// Source id → `"<stamp> <content hash>"`.
    sources: BTreeMap<String, String>,
    jobs: BTreeMap<String, Photo>,
}

/// Bumped when the index changes shape: an index of another format is ignored.
const INDEX_FORMAT: u32 = 1;

/// What the cache held when a batch began.
#[derive(Debug, Default)]
pub struct Snapshot {
    index: Index,
    /// The names in `files/`.
    files: HashSet<String>,
}

/// What a batch learnt, to add to the index: source hashes and jobs.
#[derive(Debug, Default)]
pub struct Learnt {
    pub sources: Vec<(String, FileStamp, u64)>,
    pub jobs: Vec<Photo>,
}

impl Snapshot {
    /// The content hash remembered for a source if its size and modification time are
    /// unchanged (as make and cargo judge freshness).
    pub fn remembered_hash(&self, source_id: &str, stamp: &FileStamp) -> Option<u64> {
        let text = self.index.sources.get(source_id)?;
        let (stamp_text, hash) = text.rsplit_once(' ')?;
        (stamp_text == stamp.to_string()).then(|| u64::from_str_radix(hash, 16).ok())?
    }

    /// The photo a previous build made for `job`, if every one of its files is still there.
    pub fn job(&self, job: &str) -> Option<Photo> {
        let photo = self.index.jobs.get(job)?;
        let complete = photo
            .renditions
            .iter()
            .all(|r| self.files.contains(file_name(&r.file)));
        complete.then(|| photo.clone())
    }

    /// Whether `files/` holds the derived file published as `file` (`photos/…`).
    pub fn has_file(&self, file: &str) -> bool {
        self.files.contains(file_name(file))
    }
}

impl PhotoCache {
    /// The cache inside a site's cache folder (`<site>/.qissa-cache`).
    pub fn in_site_cache(site_cache: &Path) -> Self {
        Self {
            root: site_cache.join("photos"),
            writer: write_cache_file,
        }
    }

    /// The same cache, writing every file with `writer`.
    pub fn writing_with(self, writer: Writer) -> Self {
        Self { writer, ..self }
    }

    /// Writes one cache file.
    pub fn write(&self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        (self.writer)(path, bytes)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where the cached copy of a derived file (`photos/…`) lies: the builder copies it from
    /// here to the same relative path under the output folder.
    pub fn path_of(&self, file: &str) -> PathBuf {
        self.files_dir().join(file_name(file))
    }

    fn files_dir(&self) -> PathBuf {
        self.root.join("files")
    }

    fn index_path(&self) -> PathBuf {
        self.root.join("index.json")
    }

    /// Reads the index and lists `files/`. A missing, unreadable or foreign index is empty.
    pub fn snapshot(&self) -> Snapshot {
        let index = fs::read(self.index_path())
            .ok()
            .and_then(|json| serde_json::from_slice::<Index>(&json).ok())
            .filter(|index| index.format == INDEX_FORMAT)
            .unwrap_or_default();
        let files = list_names(&self.files_dir()).unwrap_or_default();
        Snapshot { index, files }
    }

    /// Adds what a batch learnt to the index, in one write; writes nothing when it learnt
    /// nothing new.
    pub fn record(&self, snapshot: &Snapshot, learnt: Learnt) -> io::Result<()> {
        let mut index = snapshot.index.clone();
        for (id, stamp, hash) in learnt.sources {
            index.sources.insert(id, format!("{stamp} {hash:016x}"));
        }
        for photo in learnt.jobs {
            index.jobs.insert(photo.job.clone(), photo);
        }
        if index == snapshot.index {
            return Ok(());
        }
        if snapshot.index == Index::default() {
            self.remove_old_layout();
        }
        self.write_index(&index)
    }

    /// Before the index, the cache kept one file per job and per source (`jobs/`,
    /// `sources/`): a cache of that layout loses them when it gets its first index.
    fn remove_old_layout(&self) {
        for folder in ["jobs", "sources"] {
            let _ = fs::remove_dir_all(self.root.join(folder));
        }
    }

    fn write_index(&self, index: &Index) -> io::Result<()> {
        let index = Index {
            format: INDEX_FORMAT,
            ..index.clone()
        };
        let json = serde_json::to_vec(&index).map_err(io::Error::other)?;
        self.write(&self.index_path(), &json)
    }

    /// Removes every file, job and source hash none of `used` needs. Call it after a build
    /// that processed every photo of the site (a partial rebuild must not prune). When
    /// nothing is unused it reads the index and lists `files/`, and writes nothing.
    pub fn prune<'a>(&self, used: impl IntoIterator<Item = &'a Photo>) -> io::Result<PruneReport> {
        let snapshot = self.snapshot();
        let mut kept = Index::default();
        let mut kept_files = HashSet::new();
        for photo in used {
            kept.jobs.insert(photo.job.clone(), photo.clone());
            if let Some(source) = snapshot.index.sources.get(&photo.source_id) {
                kept.sources.insert(photo.source_id.clone(), source.clone());
            }
            kept_files.extend(photo.renditions.iter().map(|r| file_name(&r.file)));
        }
        let mut report = PruneReport::default();
        for name in snapshot
            .files
            .iter()
            .filter(|n| !kept_files.contains(n.as_str()))
        {
            let path = self.files_dir().join(name);
            report.removed_bytes += fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            fs::remove_file(&path)?;
            report.removed_files += 1;
        }
        let before = snapshot.index.jobs.len() + snapshot.index.sources.len();
        report.removed_entries = before.saturating_sub(kept.jobs.len() + kept.sources.len());
        if report.removed_entries > 0 {
            self.write_index(&kept)?;
        }
        Ok(report)
    }
}

/// A derived file's name in `files/`: its published path without the `photos/` folder.
fn file_name(file: &str) -> &str {
    file.strip_prefix(OUTPUT_FOLDER)
        .unwrap_or(file)
        .trim_start_matches('/')
}

/// The names of the files in `folder` (temporary files of an interrupted write included, so
/// pruning removes them); an absent folder has none.
fn list_names(folder: &Path) -> io::Result<HashSet<String>> {
    let entries = match fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(HashSet::new()),
        Err(error) => return Err(error),
    };
    let mut names = HashSet::new();
    for entry in entries {
        names.insert(entry?.file_name().to_string_lossy().into_owned());
    }
    Ok(names)
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
/// The builder routes writes through its output module instead ([`PhotoCache::writing_with`]).
pub fn write_cache_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let folder = path
        .parent()
        .ok_or_else(|| io::Error::other("cache path without a folder"))?;
    fs::create_dir_all(folder)?;
    // A name of its own per writer, and the usual permissions (the file may be published).
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let temporary = folder.join(format!(".{}.{n}.tmp", std::process::id()));
    fs::write(&temporary, bytes)?;
    fs::rename(&temporary, path)
}
