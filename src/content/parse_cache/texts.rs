//! The texts file of a pack: body texts ([`BodyText`]) one after another, each read back by
//! offset, length and hash ([`StoredBody`]). A build appends every article it parses, a
//! batch at a time, and from then on holds only where each one is.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::content::Article;
use crate::content::body::{self, Body, StoredBody};

/// A texts file being written.
pub struct TextWriter {
    out: BufWriter<File>,
    /// The same file, for reading back what was appended.
    read: Arc<File>,
    offset: u64,
    /// The file's path while it is a temporary file of the cache folder (kept once
    /// [`TextWriter::persist`] names it); `None` for an anonymous file.
    temp: Option<tempfile::TempPath>,
    /// A write failed: the file's end is unknown, so nothing more goes in.
    failed: bool,
}

impl TextWriter {
    /// A texts file in `dir`, to be named when the pack is whole; or, when `dir` is not
    /// given or not writable, an anonymous one that lasts as long as the build holds it.
    pub fn create(dir: Option<&Path>) -> io::Result<TextWriter> {
        let named = dir.and_then(|dir| {
            std::fs::create_dir_all(dir).ok()?;
            tempfile::NamedTempFile::new_in(dir).ok()
        });
        let (file, temp) = match named {
            Some(named) => {
                let (file, path) = named.into_parts();
                (file, Some(path))
            }
            None => (tempfile::tempfile()?, None),
        };
        Ok(TextWriter {
            read: Arc::new(file.try_clone()?),
            out: BufWriter::new(file),
            offset: 0,
            temp,
            failed: false,
        })
    }

    /// Whether the file can become part of a pack in the cache folder.
    pub fn is_named(&self) -> bool {
        self.temp.is_some() && !self.failed
    }

    /// Appends encoded body bytes; readable once [`TextWriter::flush`] ran.
    pub fn append(&mut self, bytes: &[u8]) -> io::Result<StoredBody> {
        if self.failed {
            return Err(io::Error::other("the texts file could not be written"));
        }
        if let Err(e) = self.out.write_all(bytes) {
            self.failed = true;
            return Err(e);
        }
        let stored = StoredBody {
            file: self.read.clone(),
            offset: self.offset,
            len: u32::try_from(bytes.len()).map_err(io::Error::other)?,
            hash: xxhash_rust::xxh3::xxh3_64(bytes),
        };
        self.offset += bytes.len() as u64;
        Ok(stored)
    }

    /// Moves the body texts of freshly parsed `articles` into the file (encoded in
    /// parallel, appended in order), leaving each article only where its text is. An
    /// article whose text cannot be written keeps it in memory.
    pub fn store_all(&mut self, articles: &mut [&mut Article]) -> io::Result<()> {
        let encoded: Vec<Option<Vec<u8>>> = articles
            .par_iter()
            .map(|a| match &a.body.full {
                Body::InMemory(text) => Some(body::encode(text)),
                Body::Stored(_) => None,
            })
            .collect();
        let mut stored = Vec::with_capacity(articles.len());
        for bytes in encoded {
            stored.push(bytes.map(|b| self.append(&b)).transpose()?);
        }
        self.flush()?;
        // Only now that every text is in the file do the articles give theirs up.
        for (article, stored) in articles.iter_mut().zip(stored) {
            if let Some(stored) = stored {
                article.body.full = Body::Stored(stored);
            }
        }
        Ok(())
    }

    /// Makes everything appended readable through the stored bodies.
    pub fn flush(&mut self) -> io::Result<()> {
        let flushed = self.out.flush();
        self.failed |= flushed.is_err();
        flushed
    }

    /// Names the file `path` (in the folder it was made in).
    pub fn persist(mut self, path: &Path) -> io::Result<()> {
        self.flush()?;
        match self.temp.take() {
            Some(temp) => temp.persist(path).map_err(|e| e.error),
            None => Err(io::Error::other("an anonymous texts file cannot be kept")),
        }
    }
}

impl TextWriter {
    /// Where the text `full` is in this file: where it already is, or appended.
    pub fn locate(&mut self, full: &Body) -> io::Result<StoredBody> {
        match full {
            Body::Stored(stored) if Arc::ptr_eq(&stored.file, &self.read) => Ok(stored.clone()),
            other => {
                let bytes = super::encoded(other)?;
                self.append(&bytes)
            }
        }
    }
}
