//! An article's body as the build holds it: the small parts lists and the site need (the
//! lead as text, the word count, slots) in memory, and the rest (the HTML, the headings, the
//! plain text search reads) either in memory or in a file of the parse cache, read back when
//! the article's page, a feed or the search index needs them.
//!
//! Keeping the large parts on disk is what lets a 100,000-article site build in bounded
//! memory: only the pages being rendered hold their bodies at any moment. Each stored body
//! carries the hash of its bytes, so a file changed under a running build is an error, not
//! a wrong page.

use std::fs::File;
use std::io;
use std::sync::Arc;

use super::markdown::{Heading, Rendered, Slot};

/// A parsed article body.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct ArticleBody {
    /// The first paragraph as plain text (for descriptions and cards).
    pub lead_text: String,
    /// Words in the whole body, for reading time.
    pub words: usize,
    /// What the render stage writes into the body.
    pub slots: Vec<Slot>,
    /// The HTML after the lead and the plain text, wherever they are kept. The parse cache
    /// stores them apart from the rest, so they are not part of the rest's encoding.
    #[serde(skip)]
    pub full: Body,
}

/// The parts of a body only the article's own page, its feeds and search show.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BodyText {
    /// The first paragraph as HTML, when the body starts with one.
    pub lead_html: Option<String>,
    /// Second-level headings with their ids, in order (a table of contents).
    pub headings: Vec<Heading>,
    /// Everything after the lead, as HTML.
    pub html: String,
    /// The whole body (lead included) as plain text, one line per paragraph, heading, list
    /// item or table cell: what search indexes.
    pub text: String,
}

/// Where a [`BodyText`] is.
#[derive(Clone)]
pub enum Body {
    InMemory(Arc<BodyText>),
    Stored(StoredBody),
}

/// A body text encoded in a file: `len` bytes at `offset`, whose xxh3 is `hash`. The file
/// is held open, so it stays readable even once a newer cache replaces it.
#[derive(Clone)]
pub struct StoredBody {
    pub file: Arc<File>,
    pub offset: u64,
    pub len: u32,
    pub hash: u64,
}

impl Default for Body {
    fn default() -> Self {
        Body::InMemory(Arc::default())
    }
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Body::InMemory(text) => f.debug_tuple("InMemory").field(text).finish(),
            Body::Stored(s) => write!(f, "Stored({} bytes at {})", s.len, s.offset),
        }
    }
}

impl ArticleBody {
    /// Splits a rendered body into the parts kept at hand and the large ones.
    pub fn new(rendered: Rendered) -> ArticleBody {
        let mut lead_text = rendered.lead_text;
        lead_text.shrink_to_fit();
        ArticleBody {
            lead_text,
            words: rendered.words,
            slots: rendered.slots,
            full: Body::InMemory(Arc::new(BodyText {
                lead_html: rendered.lead_html,
                headings: rendered.headings,
                html: rendered.body_html,
                text: rendered.text,
            })),
        }
    }

    /// The HTML after the lead and the plain text, read back if they are stored.
    pub fn text(&self) -> io::Result<Arc<BodyText>> {
        match &self.full {
            Body::InMemory(text) => Ok(text.clone()),
            Body::Stored(stored) => stored.load().map(Arc::new),
        }
    }

    /// Calls `read` with the plain text alone: a stored body is read back without
    /// decoding its HTML (search reads every body and needs only this).
    pub fn with_plain_text<R>(&self, read: impl FnOnce(&str) -> R) -> io::Result<R> {
        match &self.full {
            Body::InMemory(text) => Ok(read(&text.text)),
            Body::Stored(stored) => stored.with_bytes(|bytes| Ok(read(plain_text_of(bytes)?)))?,
        }
    }
}

/// The fields of an encoded [`BodyText`] in order, left as bytes: `&[u8]` reads what
/// postcard writes for a string, without checking its UTF-8.
#[derive(serde::Deserialize)]
struct PlainTextOnly<'a> {
    #[serde(borrow)]
    _lead_html: Option<&'a [u8]>,
    #[serde(borrow)]
    _headings: Vec<(&'a [u8], &'a [u8])>,
    _html: &'a [u8],
    text: &'a [u8],
}

/// The plain text of an encoded [`BodyText`]. Its UTF-8 is checked with SIMD: search reads
/// every body, and the standard check, a byte at a time for Arabic, was a tenth of it.
fn plain_text_of(bytes: &[u8]) -> io::Result<&str> {
    let invalid =
        |e: &dyn std::fmt::Display| io::Error::new(io::ErrorKind::InvalidData, e.to_string());
    let parts = postcard::from_bytes::<PlainTextOnly>(bytes).map_err(|e| invalid(&e))?;
    simdutf8::basic::from_utf8(parts.text).map_err(|e| invalid(&e))
}

thread_local! {
    /// Room to read stored bodies into, reused: a build reads every body once or twice,
    /// and a fresh buffer for each was allocated and zeroed first.
    static READ_BUFFER: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

impl StoredBody {
    /// The encoded bytes, as written: they must still hash as they did then.
    pub fn bytes(&self) -> io::Result<Vec<u8>> {
        self.with_bytes(<[u8]>::to_vec)
    }

    /// Calls `read` with the encoded bytes, read into this thread's buffer.
    pub fn with_bytes<R>(&self, read: impl FnOnce(&[u8]) -> R) -> io::Result<R> {
        // Taken out while in use: a read within `read` gets a buffer of its own.
        let mut buffer = READ_BUFFER.take();
        let result = self.read_into(&mut buffer).map(read);
        READ_BUFFER.set(buffer);
        result
    }

    fn read_into<'b>(&self, buffer: &'b mut Vec<u8>) -> io::Result<&'b [u8]> {
        let len = self.len as usize;
        if buffer.len() < len {
            buffer.resize(len, 0);
        }
        let bytes = &mut buffer[..len];
        read_at(&self.file, self.offset, bytes)?;
        if xxhash_rust::xxh3::xxh3_64(bytes) != self.hash {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "the parse cache changed during the build",
            ));
        }
        Ok(bytes)
    }

    /// Reads and decodes the body text.
    fn load(&self) -> io::Result<BodyText> {
        self.with_bytes(|bytes| {
            postcard::from_bytes(bytes).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
        })?
    }
}

/// The encoding of a body text, as [`StoredBody`] reads it back.
pub fn encode(text: &BodyText) -> Vec<u8> {
    // Two strings into a Vec: encoding cannot fail.
    postcard::to_stdvec(text).unwrap_or_default()
}

/// Fills `bytes` from `file` at `offset`.
#[cfg(unix)]
fn read_at(file: &File, offset: u64, bytes: &mut [u8]) -> io::Result<()> {
    use std::os::unix::fs::FileExt;
    file.read_exact_at(bytes, offset)
}

/// Fills `bytes` from `file` at `offset`.
#[cfg(windows)]
fn read_at(file: &File, offset: u64, bytes: &mut [u8]) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    let len = bytes.len();
    let mut done = 0;
    while done < len {
        match file.seek_read(&mut bytes[done..], offset + done as u64)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => done += n,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plain_text_reads_back_alone_as_the_whole_text_has_it() {
        let text = BodyText {
            lead_html: Some("<p>مقدمة</p>".into()),
            headings: vec![Heading {
                id: "عنوان".into(),
                text: "عنوان فرعي".into(),
            }],
            html: "<h2 id=\"عنوان\">عنوان فرعي</h2><p>نص</p>".into(),
            text: "مقدمة\nعنوان فرعي\nنص".into(),
        };
        let bytes = encode(&text);
        assert_eq!(plain_text_of(&bytes).unwrap(), text.text);
        // Without a lead or headings, and damaged: an error, never a panic.
        let bare = BodyText {
            text: "نص فقط".into(),
            ..BodyText::default()
        };
        assert_eq!(plain_text_of(&encode(&bare)).unwrap(), "نص فقط");
        assert!(plain_text_of(&bytes[..bytes.len() - 3]).is_err());
    }
}
