//! The search cache on disk, `.qissa-cache/search/`: the analyses of the articles of the
//! last builds, and the records of the index files they made (see [`crate::search::store`]
//! for the format), so a `qissa build` in a new process analyses and compresses only what
//! changed.
//!
//! A full build writes one pack of every article as it folds them into the index; an
//! incremental build adds a pack of the articles it analysed, until packs pile up or dead
//! entries (articles since changed or gone) outweigh the live ones, when one pack of the
//! live analyses replaces them all. Everything here is stamped with qissa's version and
//! binary; an analysis's key covers the article and the build's settings. A cache that
//! cannot be read or written only costs time, so failures are ignored.

use rustc_hash::FxHashSet as HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::content::parse_cache;
use crate::search::Analyzed;
use crate::search::store::{self, PackWriter, Records};

/// The folder, under the site's cache folder.
const DIR: &str = "search";

/// Past this many packs, the next write compacts them into one.
const MAX_PACKS: usize = 8;

/// The search cache of one site.
pub struct SearchDisk {
    dir: PathBuf,
    stamp: u64,
    /// The packs read or written by this process, with how many entries each holds.
    packs: Vec<(PathBuf, usize)>,
    /// Whether the packs were read (once a process: then the session keeps them).
    read: bool,
}

impl SearchDisk {
    /// The search cache under `cache_dir` (the site's `.qissa-cache`).
    pub fn new(cache_dir: &Path) -> SearchDisk {
        SearchDisk {
            dir: cache_dir.join(DIR),
            stamp: parse_cache::stamp(&"search"),
            packs: Vec::new(),
            read: false,
        }
    }

    /// The analyses of `live` articles the packs hold, read once a process (after that the
    /// session holds them in memory, or they were written by it).
    pub fn load(&mut self, live: &HashSet<u64>) -> Vec<(u64, Arc<Analyzed>)> {
        if std::mem::replace(&mut self.read, true) {
            return Vec::new();
        }
        let mut found = Vec::new();
        for path in self.pack_paths() {
            if let Some(read) = store::read_pack(&path, self.stamp, &|key| live.contains(&key)) {
                self.packs.push((path, read.entries));
                found.extend(read.kept.into_iter().map(|(k, a)| (k, Arc::new(a))));
            }
        }
        found
    }

    fn pack_paths(&self) -> Vec<PathBuf> {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "pack"))
            .collect();
        paths.sort();
        paths
    }

    /// A pack of `count` analyses that replaces every pack once finished
    /// ([`SearchDisk::replace_all`]).
    pub fn whole_pack(&self, count: usize) -> Option<PackWriter> {
        PackWriter::create(&self.dir.join("000.pack"), self.stamp, count).ok()
    }

    /// Puts a pack from [`SearchDisk::whole_pack`] in place of every other.
    pub fn replace_all(&mut self, pack: PackWriter, count: usize) {
        if pack.finish().is_err() {
            return;
        }
        let first = self.dir.join("000.pack");
        for path in self.pack_paths().into_iter().filter(|p| *p != first) {
            let _ = std::fs::remove_file(path);
        }
        self.packs = vec![(first, count)];
        self.read = true;
    }

    /// Records this build's analyses: `fresh` are new, `live` every article the site has
    /// now (all of them in memory). Adds a pack of the new ones, or one pack of the live
    /// ones replaces all when dead entries dominate or packs pile up.
    pub fn store(&mut self, fresh: &[(u64, &Analyzed)], live: &[(u64, &Analyzed)]) {
        let entries: usize = self.packs.iter().map(|(_, n)| n).sum();
        let dead = (entries + fresh.len()).saturating_sub(live.len());
        let compact = self.packs.len() >= MAX_PACKS || dead > 0 && dead * 2 >= live.len();
        if fresh.is_empty() && !compact {
            return;
        }
        if compact || self.packs.is_empty() {
            if let Some(pack) = self.write(self.whole_pack(live.len()), live) {
                self.replace_all(pack, live.len());
            }
            return;
        }
        let path = self.dir.join(format!("{:03}.pack", self.next_number()));
        let pack = PackWriter::create(&path, self.stamp, fresh.len()).ok();
        let written = self.write(pack, fresh).is_some_and(|p| p.finish().is_ok());
        if written {
            self.packs.push((path, fresh.len()));
        }
    }

    fn write(&self, pack: Option<PackWriter>, docs: &[(u64, &Analyzed)]) -> Option<PackWriter> {
        let mut pack = pack?;
        for (key, doc) in docs {
            pack.add(*key, doc).ok()?;
        }
        Some(pack)
    }

    fn next_number(&self) -> usize {
        parse_cache::next_pack_number(self.packs.iter().map(|(path, _)| path.as_path()))
    }

    /// The records of the index files the last build made.
    pub fn records(&self) -> Records {
        store::read_records(&self.dir.join("files"), self.stamp).unwrap_or_default()
    }

    pub fn save_records(&self, records: &Records) {
        let _ = store::write_records(&self.dir.join("files"), self.stamp, records);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::{SearchDoc, SiteLexicon, analyze_doc};

    fn analyzed(title: &str) -> Analyzed {
        let doc = SearchDoc {
            title: title.into(),
            ..SearchDoc::default()
        };
        analyze_doc(doc, &SiteLexicon::default())
    }

    /// The keys a new process finds on disk, of those in `live`.
    fn keys(disk: &SearchDisk, live: &[u64]) -> Vec<u64> {
        let mut fresh = SearchDisk::new(disk.dir.parent().unwrap());
        let mut found: Vec<u64> = fresh
            .load(&live.iter().copied().collect())
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        found.sort();
        found
    }

    #[test]
    fn new_analyses_add_packs_until_one_pack_of_the_live_ones_replaces_them() {
        let dir = tempfile::tempdir().unwrap();
        let mut disk = SearchDisk::new(dir.path());
        let docs: Vec<Analyzed> = (0..60).map(|n| analyzed(&format!("خبر {n}"))).collect();
        let all: Vec<u64> = (0..60).collect();
        let mut live: Vec<(u64, &Analyzed)> = (0..40).map(|n| (n, &docs[n as usize])).collect();
        disk.store(&live, &live);
        assert_eq!(disk.packs.len(), 1);
        // Each edit adds a pack of the one article analysed again.
        for n in 40..47u64 {
            live[0] = (n, &docs[n as usize]);
            disk.store(&live[..1], &live);
        }
        assert_eq!(disk.packs.len(), 8);
        assert_eq!(
            keys(&disk, &all).len(),
            47,
            "dead entries stay until compacted"
        );
        // Packs piled up: one pack of the live analyses replaces them.
        live[0] = (47, &docs[47]);
        disk.store(&live[..1], &live);
        assert_eq!(disk.packs.len(), 1);
        let mut expected: Vec<u64> = live.iter().map(|(k, _)| *k).collect();
        expected.sort();
        assert_eq!(keys(&disk, &all), expected);
        // Deleting half the site compacts at once.
        disk.store(&[], &live[..20]);
        assert_eq!(keys(&disk, &all).len(), 20);
    }
}
