//! The heads file of a pack: every entry's key, where its body text is in the pack's texts
//! file, and the rest of its parse (postcard). Read whole when the cache opens; the texts
//! stay on disk.
//!
//! ```text
//! "qissa parsed 2\n" · stamp u64 · count u32
//! · count × (key u64 · text offset u64 · text length u32 · text xxh3 u64 · length u32 · head)
//! · xxh3-64 of everything before, u64          (integers little-endian)
//! ```

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::content::Article;
use crate::content::body::{Body, StoredBody};

const MAGIC: &[u8] = b"qissa parsed 2\n";

/// Entries encoded at a time: enough to keep the cores busy, few enough that the heads of a
/// large site are never held encoded whole.
const ENCODE_BATCH: usize = 512;

/// Writes the heads file at `path` (aside, then renamed), entries sorted by key so the same
/// parses make the same file; `texts[i]` is where entry `i`'s body text is.
pub fn write(
    path: &Path,
    stamp: u64,
    entries: &[(u64, Arc<Article>)],
    texts: &[StoredBody],
) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    write_to(&mut BufWriter::new(&mut file), stamp, entries, texts)?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

fn write_to(
    out: &mut impl Write,
    stamp: u64,
    entries: &[(u64, Arc<Article>)],
    texts: &[StoredBody],
) -> io::Result<()> {
    let mut sorted: Vec<(&(u64, Arc<Article>), &StoredBody)> = entries.iter().zip(texts).collect();
    sorted.sort_unstable_by_key(|((key, _), _)| *key);
    let mut sum = xxhash_rust::xxh3::Xxh3::new();
    let mut put = |bytes: &[u8]| {
        sum.update(bytes);
        out.write_all(bytes)
    };
    put(MAGIC)?;
    put(&stamp.to_le_bytes())?;
    put(&u32::try_from(sorted.len())
        .map_err(io::Error::other)?
        .to_le_bytes())?;
    for batch in sorted.chunks(ENCODE_BATCH) {
        let encoded: Result<Vec<Vec<u8>>, postcard::Error> = batch
            .par_iter()
            .map(|((_, article), _)| postcard::to_stdvec(&**article))
            .collect();
        for (((key, _), text), head) in batch.iter().zip(&encoded.map_err(io::Error::other)?) {
            put(&key.to_le_bytes())?;
            put(&text.offset.to_le_bytes())?;
            put(&text.len.to_le_bytes())?;
            put(&text.hash.to_le_bytes())?;
            put(&(head.len() as u32).to_le_bytes())?;
            put(head)?;
        }
    }
    let sum = sum.digest();
    out.write_all(&sum.to_le_bytes())?;
    out.flush()
}

/// The entries of the heads file `bytes` made with `stamp`, their bodies in `texts`; `None`
/// unless it is one, whole and sound, and every text lies within `texts`.
pub fn read(bytes: &[u8], stamp: u64, texts: File) -> Option<Vec<(u64, Arc<Article>)>> {
    let (body, sum) = bytes.split_at_checked(bytes.len().checked_sub(8)?)?;
    if xxhash_rust::xxh3::xxh3_64(body) != u64::from_le_bytes(sum.try_into().ok()?) {
        return None;
    }
    let mut reader = Reader(body.strip_prefix(MAGIC)?);
    if reader.u64()? != stamp {
        return None;
    }
    let texts_len = texts.metadata().ok()?.len();
    let texts = Arc::new(texts);
    let count = reader.u32()? as usize;
    let mut slices = Vec::with_capacity(count.min(1 << 20));
    for _ in 0..count {
        let key = reader.u64()?;
        let text = StoredBody {
            file: texts.clone(),
            offset: reader.u64()?,
            len: reader.u32()?,
            hash: reader.u64()?,
        };
        if text.offset.checked_add(u64::from(text.len))? > texts_len {
            return None;
        }
        let len = reader.u32()? as usize;
        slices.push((key, text, reader.take(len)?));
    }
    slices
        .into_par_iter()
        .map(|(key, text, head)| {
            let mut article: Article = postcard::from_bytes(head).ok()?;
            article.body.full = Body::Stored(text);
            Some((key, Arc::new(article)))
        })
        .collect()
}

/// Reads little-endian integers and slices off the front of a heads file.
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
