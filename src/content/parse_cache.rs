//! The parsed-content cache: every article's parse (front matter and rendered body) kept in
//! `.qissa-cache/parsed/`, so the next `qissa build` parses only the files that changed.
//!
//! An entry is found by the article's content version (a hash of its path and bytes, see
//! [`super::content_version`]); a parse depends on nothing else but the parse settings and
//! qissa itself, which make the *stamp* every pack carries. The cache is a few immutable
//! *packs*: a build that parses new articles adds one pack holding just those, and when dead
//! entries (articles since changed or deleted) outweigh the live ones, or packs pile up, one
//! pack of the live entries replaces them all. A pack is
//!
//! ```text
//! "qissa parsed 1\n" · stamp u64 · count u32 · count × (key u64 · length u32 · postcard bytes)
//! · xxh3-64 of everything before, u64          (integers little-endian)
//! ```
//!
//! A pack with another stamp, a wrong checksum or an entry that does not decode is ignored
//! whole (and removed at the next write): the articles it held are parsed again. The cache
//! can only save work, never change output: an entry is the parse of exactly those bytes.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::Article;
use crate::hash::stable_hash;

const MAGIC: &[u8] = b"qissa parsed 1\n";

/// The folder, under the site's cache folder.
const DIR: &str = "parsed";

/// Past this many packs, the next write compacts them into one.
const MAX_PACKS: usize = 8;

/// Articles parsed by earlier builds, by content version.
#[derive(Default)]
pub struct ParseCache {
    dir: PathBuf,
    stamp: u64,
    entries: HashMap<u64, Arc<Article>>,
    /// The packs read, with how many entries each holds.
    packs: Vec<(PathBuf, usize)>,
    /// Set when a pack was unusable: the next write replaces every pack.
    damaged: bool,
}

/// What parses depend on besides the file: qissa itself (its version, and the binary, so a
/// rebuilt qissa never reads an older build's parses) and the parse settings.
pub fn stamp(settings: &impl std::fmt::Debug) -> u64 {
    let binary = std::env::current_exe()
        .and_then(std::fs::metadata)
        .ok()
        .map(|m| (m.len(), m.modified().ok()));
    stable_hash((env!("CARGO_PKG_VERSION"), binary, format!("{settings:?}")))
}

impl ParseCache {
    /// Reads the packs in `cache_dir` made with `stamp`; anything else is ignored.
    pub fn open(cache_dir: &Path, stamp: u64) -> ParseCache {
        let dir = cache_dir.join(DIR);
        let mut cache = ParseCache {
            dir,
            stamp,
            ..ParseCache::default()
        };
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&cache.dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "pack"))
            .collect();
        paths.sort();
        for path in paths {
            match std::fs::read(&path).ok().and_then(|b| read_pack(&b, stamp)) {
                Some(entries) => {
                    cache.packs.push((path, entries.len()));
                    cache.entries.extend(entries);
                }
                None => cache.damaged = true,
            }
        }
        cache
    }

    /// The cached parse of the file whose content version is `key`.
    pub fn get(&self, key: u64) -> Option<Arc<Article>> {
        self.entries.get(&key).cloned()
    }

    /// Records this build's parses: `fresh` are new, `live` every key the site uses now.
    /// Adds a pack of the new ones, or compacts when dead entries dominate. A cache that
    /// cannot be written costs only speed, so failures are ignored.
    pub fn store(&mut self, fresh: Vec<(u64, Arc<Article>)>, live: &HashSet<u64>) {
        let dead = self.entries.keys().filter(|k| !live.contains(k)).count();
        let compact = self.damaged
            || self.packs.len() >= MAX_PACKS
            || dead > 0 && dead * 2 >= self.entries.len();
        if fresh.is_empty() && !compact {
            return;
        }
        self.entries.extend(fresh.iter().cloned());
        if compact {
            self.entries.retain(|key, _| live.contains(key));
            let all: Vec<(u64, Arc<Article>)> =
                self.entries.iter().map(|(k, a)| (*k, a.clone())).collect();
            self.replace_packs(&all);
        } else {
            let name = format!("{:03}.pack", self.next_number());
            let _ = self.write_pack(&name, &fresh);
        }
    }

    fn next_number(&self) -> usize {
        self.packs
            .iter()
            .filter_map(|(p, _)| p.file_stem()?.to_str()?.parse::<usize>().ok())
            .max()
            .map_or(0, |n| n + 1)
    }

    /// One pack of `entries` replaces every pack.
    fn replace_packs(&mut self, entries: &[(u64, Arc<Article>)]) {
        let _ = std::fs::remove_dir_all(&self.dir);
        self.packs.clear();
        self.damaged = false;
        let _ = self.write_pack("000.pack", entries);
    }

    fn write_pack(&mut self, name: &str, entries: &[(u64, Arc<Article>)]) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let path = self.dir.join(name);
        // Written aside and renamed: a reader never sees half a pack.
        let mut file = tempfile::NamedTempFile::new_in(&self.dir)?;
        write_pack_to(&mut std::io::BufWriter::new(&mut file), self.stamp, entries)?;
        file.persist(&path).map_err(|e| e.error)?;
        self.packs.push((path, entries.len()));
        Ok(())
    }
}

/// Entries encoded at a time: enough to keep the cores busy, few enough that a pack of a
/// large site is never held in memory whole.
const ENCODE_BATCH: usize = 512;

/// Writes a pack (see the module comment), entries sorted by key so the same parses make
/// the same pack. An article that cannot be encoded (a path that is not UTF-8) fails the
/// pack, which then is simply not written.
fn write_pack_to(
    out: &mut impl std::io::Write,
    stamp: u64,
    entries: &[(u64, Arc<Article>)],
) -> std::io::Result<()> {
    let mut sorted: Vec<&(u64, Arc<Article>)> = entries.iter().collect();
    sorted.sort_unstable_by_key(|(key, _)| *key);
    let mut sum = xxhash_rust::xxh3::Xxh3::new();
    let mut put = |bytes: &[u8]| {
        sum.update(bytes);
        out.write_all(bytes)
    };
    put(MAGIC)?;
    put(&stamp.to_le_bytes())?;
    put(&(sorted.len() as u32).to_le_bytes())?;
    for batch in sorted.chunks(ENCODE_BATCH) {
        let encoded: Result<Vec<Vec<u8>>, postcard::Error> = batch
            .par_iter()
            .map(|(_, article)| postcard::to_stdvec(&**article))
            .collect();
        for ((key, _), bytes) in batch.iter().zip(&encoded.map_err(std::io::Error::other)?) {
            put(&key.to_le_bytes())?;
            put(&(bytes.len() as u32).to_le_bytes())?;
            put(bytes)?;
        }
    }
    let sum = sum.digest();
    out.write_all(&sum.to_le_bytes())?;
    out.flush()
}

/// The entries of a pack made with `stamp`, or `None` if it is not one, whole and sound.
fn read_pack(bytes: &[u8], stamp: u64) -> Option<Vec<(u64, Arc<Article>)>> {
    let (body, sum) = bytes.split_at_checked(bytes.len().checked_sub(8)?)?;
    if xxhash_rust::xxh3::xxh3_64(body) != u64::from_le_bytes(sum.try_into().ok()?) {
        return None;
    }
    let mut reader = Reader(body.strip_prefix(MAGIC)?);
    if reader.u64()? != stamp {
        return None;
    }
    let count = reader.u32()? as usize;
    let mut slices = Vec::with_capacity(count.min(1 << 20));
    for _ in 0..count {
        let key = reader.u64()?;
        let len = reader.u32()? as usize;
        slices.push((key, reader.take(len)?));
    }
    let decoded: Option<Vec<(u64, Arc<Article>)>> = slices
        .par_iter()
        .map(|(key, slice)| Some((*key, Arc::new(postcard::from_bytes(slice).ok()?))))
        .collect();
    decoded
}

/// Reads little-endian integers and slices off the front of a pack.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(head)
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::ParseContext;
    use crate::content::article::parse_article;

    fn article() -> Arc<Article> {
        let ctx = ParseContext {
            timezone: jiff::tz::TimeZone::get("Africa/Cairo").unwrap(),
            markdown: Default::default(),
        };
        let text = "---\ntitle: خبر\ndate: 2026-11-27 14:30\nauthor: a\ncategory: c\n\
                    tags: [وسم]\nsummary: [نقطة]\n---\n\nمقدمة الخبر.\n\n## عنوان\n\nنص.\n";
        Arc::new(parse_article(Path::new("content/articles/x.md"), text.as_bytes(), &ctx).unwrap())
    }

    #[test]
    fn a_pack_reads_back_the_same_parse_only_with_its_stamp_and_whole() {
        let entries = vec![(7, article())];
        let mut bytes = Vec::new();
        write_pack_to(&mut bytes, 42, &entries).unwrap();
        let read = read_pack(&bytes, 42).expect("a sound pack");
        assert_eq!(format!("{:?}", read[0].1), format!("{:?}", entries[0].1));
        assert_eq!(read[0].0, 7);
        assert!(
            read_pack(&bytes, 43).is_none(),
            "another qissa or other settings"
        );
        assert!(
            read_pack(&bytes[..bytes.len() - 9], 42).is_none(),
            "truncated"
        );
        let mut flipped = bytes.clone();
        flipped[MAGIC.len() + 20] ^= 1;
        assert!(read_pack(&flipped, 42).is_none(), "damaged");
        assert!(read_pack(b"", 42).is_none());
    }

    #[test]
    fn new_parses_go_into_a_new_pack_and_dead_ones_are_compacted_away() {
        let dir = tempfile::tempdir().unwrap();
        let mut cache = ParseCache::open(dir.path(), 1);
        let live: HashSet<u64> = [1, 2].into();
        cache.store(vec![(1, article()), (2, article())], &live);
        cache.store(vec![(3, article())], &[1, 2, 3].into());
        let reopened = ParseCache::open(dir.path(), 1);
        assert_eq!(reopened.packs.len(), 2);
        assert!(reopened.get(3).is_some() && reopened.get(1).is_some());
        assert!(
            ParseCache::open(dir.path(), 2).get(1).is_none(),
            "another stamp"
        );
        let mut cache = reopened;
        cache.store(Vec::new(), &[3].into());
        let compacted = ParseCache::open(dir.path(), 1);
        assert_eq!(compacted.packs.len(), 1);
        assert!(compacted.get(3).is_some() && compacted.get(1).is_none());
    }
}
