//! The parsed-content cache: every article's parse (front matter and rendered body) kept in
//! `.qissa-cache/parsed/`, so the next `qissa build` parses only the files that changed, and
//! the store of body texts a build reads back from instead of holding them in memory.
//!
//! An entry is found by the article's content version (a hash of its path and bytes, see
//! [`super::content_version`]); a parse depends on nothing else but the parse settings and
//! qissa itself, which make the *stamp* every pack carries. The cache is a few immutable
//! *packs*, each a heads file (`NNN.heads`, see [`heads`]) and a texts file (`NNN.texts`,
//! see [`texts`]): a build that parses new articles adds one pack holding just those, and
//! when dead entries (articles since changed or deleted) outweigh the live ones, or packs
//! pile up, one pack of the live entries replaces them all.
//!
//! A pack with another stamp, a wrong checksum or an entry that does not decode is ignored
//! whole (and removed at the next write): the articles it held are parsed again. The cache
//! can only save work, never change output: an entry is the parse of exactly those bytes.
//!
//! Fresh parses put their body texts in a texts file as they are parsed
//! ([`ParseCache::text_writer`]); a build without the cache (`--full`) writes them to an
//! anonymous file that goes with the build.

mod heads;
mod texts;

use std::collections::{HashMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use texts::TextWriter;

use super::Article;
use super::body::{self, Body, StoredBody};
use crate::hash::stable_hash;

/// The folder, under the site's cache folder.
const DIR: &str = "parsed";

/// Past this many packs, the next write compacts them into one.
const MAX_PACKS: usize = 8;

/// Articles parsed by earlier builds, by content version.
#[derive(Default)]
pub struct ParseCache {
    /// Where the packs are; `None` for a cache that keeps nothing.
    dir: Option<PathBuf>,
    stamp: u64,
    entries: HashMap<u64, Arc<Article>>,
    /// The packs read (their path without extension), with how many entries each holds.
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
            dir: Some(dir.clone()),
            stamp,
            ..ParseCache::default()
        };
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .collect();
        files.sort();
        for file in files {
            match file.extension().and_then(|x| x.to_str()) {
                Some("heads") => match read_pack(&file, stamp) {
                    Some(entries) => {
                        cache.packs.push((file.with_extension(""), entries.len()));
                        cache.entries.extend(entries);
                    }
                    None => cache.damaged = true,
                },
                Some("texts") => {}
                // Another version's packs, or leftovers: gone at the next write.
                _ => cache.damaged = true,
            }
        }
        cache
    }

    /// A cache that keeps nothing: fresh body texts go to an anonymous file, for one build.
    pub fn temporary() -> ParseCache {
        ParseCache::default()
    }

    /// The cached parse of the file whose content version is `key`.
    pub fn get(&self, key: u64) -> Option<Arc<Article>> {
        self.entries.get(&key).cloned()
    }

    /// Where this build's fresh parses put their body texts (`None` when no file can be
    /// made anywhere: they then stay in memory).
    pub fn text_writer(&self) -> Option<TextWriter> {
        TextWriter::create(self.dir.as_deref()).ok()
    }

    /// Records this build's parses: `fresh` are new (their texts in `texts`), `live` every
    /// key the site uses now. Adds a pack of the new ones, or compacts when dead entries
    /// dominate. A cache that cannot be written costs only speed, so failures are ignored.
    pub fn store(
        &mut self,
        texts: Option<TextWriter>,
        fresh: Vec<(u64, Arc<Article>)>,
        live: &HashSet<u64>,
    ) {
        let Some(dir) = self.dir.clone() else {
            return;
        };
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
            let _ = self.replace_packs(&dir, &all);
        } else if let Some(texts) = texts.filter(TextWriter::is_named) {
            let _ = self.write_pack(&dir, texts, &fresh);
        }
    }

    fn next_number(&self) -> usize {
        next_pack_number(self.packs.iter().map(|(path, _)| path.as_path()))
    }

    /// One pack of `entries` replaces every pack (and whatever else the folder holds). The
    /// texts of the old packs stay readable to this build: it holds their files open.
    fn replace_packs(&mut self, dir: &Path, entries: &[(u64, Arc<Article>)]) -> io::Result<()> {
        let texts = TextWriter::create(Some(dir))?;
        let number = self.next_number();
        self.write_pack(dir, texts, entries)?;
        let keep = [format!("{number:03}.heads"), format!("{number:03}.texts")];
        for file in std::fs::read_dir(dir)?.flatten() {
            if !keep.iter().any(|k| file.file_name() == k.as_str()) {
                let _ = std::fs::remove_file(file.path());
            }
        }
        self.packs
            .retain(|(path, _)| path.ends_with(format!("{number:03}")));
        self.damaged = false;
        Ok(())
    }

    /// A pack of `entries`: their texts (those not yet in `texts` are copied in), then the
    /// heads, which make the pack whole.
    fn write_pack(
        &mut self,
        dir: &Path,
        mut texts: TextWriter,
        entries: &[(u64, Arc<Article>)],
    ) -> io::Result<()> {
        let locations = entries
            .iter()
            .map(|(_, article)| texts.locate(&article.body.full))
            .collect::<io::Result<Vec<StoredBody>>>()?;
        let base = dir.join(format!("{:03}", self.next_number()));
        texts.persist(&base.with_extension("texts"))?;
        heads::write(
            &base.with_extension("heads"),
            self.stamp,
            entries,
            &locations,
        )?;
        self.packs.push((base, entries.len()));
        Ok(())
    }
}

/// The entries of the pack whose heads file is `heads`, or `None` if it is not sound.
fn read_pack(heads: &Path, stamp: u64) -> Option<Vec<(u64, Arc<Article>)>> {
    let bytes = std::fs::read(heads).ok()?;
    let texts = std::fs::File::open(heads.with_extension("texts")).ok()?;
    heads::read(&bytes, stamp, texts)
}

/// The encoded bytes of a body text, wherever it is.
fn encoded(full: &Body) -> io::Result<Vec<u8>> {
    match full {
        Body::InMemory(text) => Ok(body::encode(text)),
        Body::Stored(stored) => stored.bytes(),
    }
}

/// The number for a new pack file beside `packs` (files named by number, `007.heads`): one
/// past the highest, so a new pack never overwrites one that is still read.
pub fn next_pack_number<'a>(packs: impl Iterator<Item = &'a Path>) -> usize {
    packs
        .filter_map(|path| path.file_stem()?.to_str()?.parse::<usize>().ok())
        .max()
        .map_or(0, |n| n + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::ParseContext;
    use crate::content::article::parse_article;

    fn article(title: &str) -> Arc<Article> {
        let ctx = ParseContext {
            timezone: jiff::tz::TimeZone::get("Africa/Cairo").unwrap(),
            markdown: Default::default(),
        };
        let text = format!(
            "---\ntitle: {title}\ndate: 2026-11-27 14:30\nauthor: a\ncategory: c\n\
             tags: [وسم]\nsummary: [نقطة]\n---\n\nمقدمة الخبر.\n\n## عنوان\n\nنص {title}.\n"
        );
        let path = Path::new("content/articles/x.md");
        Arc::new(parse_article(path, text.as_bytes(), &ctx).unwrap())
    }

    /// Stores `entries` as fresh parses, their texts written as a build writes them.
    fn store(cache: &mut ParseCache, entries: Vec<(u64, Arc<Article>)>, live: &[u64]) {
        let mut texts = cache.text_writer();
        let fresh = entries
            .into_iter()
            .map(|(key, article)| {
                let mut article = Arc::unwrap_or_clone(article);
                if let Some(texts) = texts.as_mut() {
                    texts.store_all(&mut [&mut article]).unwrap();
                }
                (key, Arc::new(article))
            })
            .collect();
        cache.store(texts, fresh, &live.iter().copied().collect());
    }

    fn body_of(article: &Article) -> String {
        article.body.text().unwrap().html.clone()
    }

    #[test]
    fn a_pack_reads_back_the_same_parse_only_with_its_stamp_and_whole() {
        let dir = tempfile::tempdir().unwrap();
        let written = article("خبر");
        store(
            &mut ParseCache::open(dir.path(), 42),
            vec![(7, written.clone())],
            &[7],
        );
        let read = ParseCache::open(dir.path(), 42)
            .get(7)
            .expect("a sound pack");
        assert!(matches!(read.body.full, Body::Stored(_)));
        assert_eq!(body_of(&read), body_of(&written));
        assert_eq!(read.title, written.title);
        assert_eq!(read.body.lead_text, written.body.lead_text);
        assert!(
            ParseCache::open(dir.path(), 43).get(7).is_none(),
            "another qissa or other settings"
        );
        let heads = dir.path().join(DIR).join("000.heads");
        let bytes = std::fs::read(&heads).unwrap();
        let mut flipped = bytes.clone();
        flipped[20] ^= 1;
        for (damage, bad) in [
            ("truncated", &bytes[..bytes.len() - 9]),
            ("damaged", &flipped),
        ] {
            std::fs::write(&heads, bad).unwrap();
            let cache = ParseCache::open(dir.path(), 42);
            assert!(cache.get(7).is_none() && cache.damaged, "{damage}");
        }
        std::fs::write(&heads, &bytes).unwrap();
        let texts = heads.with_extension("texts");
        let len = std::fs::metadata(&texts).unwrap().len();
        std::fs::File::options()
            .write(true)
            .open(&texts)
            .unwrap()
            .set_len(len - 1)
            .unwrap();
        assert!(
            ParseCache::open(dir.path(), 42).get(7).is_none(),
            "texts truncated"
        );
    }

    #[test]
    fn a_stored_text_changed_under_the_build_is_an_error_not_a_wrong_page() {
        let dir = tempfile::tempdir().unwrap();
        store(
            &mut ParseCache::open(dir.path(), 1),
            vec![(7, article("خبر"))],
            &[7],
        );
        let read = ParseCache::open(dir.path(), 1).get(7).unwrap();
        let texts = dir.path().join(DIR).join("000.texts");
        let mut bytes = std::fs::read(&texts).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&texts, bytes).unwrap();
        assert!(read.body.text().is_err());
    }

    #[test]
    fn new_parses_go_into_a_new_pack_and_dead_ones_are_compacted_away() {
        let dir = tempfile::tempdir().unwrap();
        let mut cache = ParseCache::open(dir.path(), 1);
        store(
            &mut cache,
            vec![(1, article("أ")), (2, article("ب"))],
            &[1, 2],
        );
        store(&mut cache, vec![(3, article("ج"))], &[1, 2, 3]);
        let reopened = ParseCache::open(dir.path(), 1);
        assert_eq!(reopened.packs.len(), 2);
        assert!(reopened.get(3).is_some() && reopened.get(1).is_some());
        assert!(
            ParseCache::open(dir.path(), 2).get(1).is_none(),
            "another stamp"
        );
        let mut cache = reopened;
        store(&mut cache, Vec::new(), &[3]);
        let compacted = ParseCache::open(dir.path(), 1);
        assert_eq!(compacted.packs.len(), 1);
        assert!(compacted.get(1).is_none());
        assert_eq!(body_of(&compacted.get(3).unwrap()), body_of(&article("ج")));
        let files = std::fs::read_dir(dir.path().join(DIR)).unwrap().count();
        assert_eq!(files, 2, "one heads and one texts file");
    }

    #[test]
    fn a_temporary_cache_keeps_nothing_but_still_stores_texts_for_the_build() {
        let cache = ParseCache::temporary();
        let mut texts = cache.text_writer().expect("an anonymous file");
        let mut parsed = Arc::unwrap_or_clone(article("خبر"));
        let expected = body_of(&parsed);
        texts.store_all(&mut [&mut parsed]).unwrap();
        assert!(matches!(parsed.body.full, Body::Stored(_)));
        assert_eq!(body_of(&parsed), expected);
    }
}
