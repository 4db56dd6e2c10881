//! Analysed articles and index file records on disk, so a `qissa build` in a new process
//! reuses the analyses of unchanged articles and leaves unchanged index files alone instead
//! of analysing and compressing the whole site again. The builder decides where the files
//! go and what is live; this module is their format.
//!
//! A *pack* holds analyses by key, written one at a time (a full build streams its pack as
//! it folds articles into the index, never holding it whole) and read the same way:
//!
//! ```text
//! "qissa search 1\n" · stamp u64 · count u32 · count × (key u64 · length u32 · record)
//! · xxh3-64 of everything before, u64                    (integers little-endian)
//! record: postcard(ResultDoc) length-prefixed · stem count · per stem: stem, form count,
//!         per form: key, weight × 2 + headline           (varints)
//! ```
//!
//! Stems and keys are strings numbered in the pack in order of first use: a number one
//! past the last given is followed by the new string (length, UTF-8), any other names one
//! given before. A *records* file lists, for the index files of the last build, the hash of
//! their plain bytes with the hash and length of the compressed file. A file with another
//! stamp, a wrong checksum or a record that does not decode is ignored whole: the cache can
//! only save work, never change output.

use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;
use xxhash_rust::xxh3::Xxh3;

use super::index::encode::push_varint;
use super::terms::{Form, TermsBuilder, varint};
use super::vocab::{self, Sym};
use super::{Analyzed, ResultDoc};

const PACK_MAGIC: &[u8] = b"qissa search 1\n";
const RECORDS_MAGIC: &[u8] = b"qissa search files 1\n";

/// Writes a pack, one analysis at a time, aside; [`PackWriter::finish`] puts it in place.
pub struct PackWriter {
    out: BufWriter<tempfile::NamedTempFile>,
    path: PathBuf,
    sum: Xxh3,
    /// The pack's number of each vocabulary number it has written (`u32::MAX`: none yet).
    numbers: Vec<u32>,
    given: u32,
    left: usize,
    record: Vec<u8>,
}

impl PackWriter {
    /// Starts the pack `path` of `count` analyses.
    pub fn create(path: &Path, stamp: u64, count: usize) -> std::io::Result<PackWriter> {
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let mut writer = PackWriter {
            out: BufWriter::new(tempfile::NamedTempFile::new_in(dir)?),
            path: path.to_path_buf(),
            sum: Xxh3::new(),
            numbers: Vec::new(),
            given: 0,
            left: count,
            record: Vec::new(),
        };
        writer.put(PACK_MAGIC)?;
        writer.put(&stamp.to_le_bytes())?;
        writer.put(
            &u32::try_from(count)
                .map_err(std::io::Error::other)?
                .to_le_bytes(),
        )?;
        Ok(writer)
    }

    fn put(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.sum.update(bytes);
        self.out.write_all(bytes)
    }

    /// Writes the analysis of the article `key`.
    pub fn add(&mut self, key: u64, analyzed: &Analyzed) -> std::io::Result<()> {
        self.left = self.left.checked_sub(1).ok_or_else(too_many)?;
        let mut record = std::mem::take(&mut self.record);
        record.clear();
        let doc = postcard::to_stdvec(&analyzed.doc).map_err(std::io::Error::other)?;
        push_varint(&mut record, doc.len() as u64);
        record.extend_from_slice(&doc);
        self.terms(&mut record, analyzed);
        self.put(&key.to_le_bytes())?;
        let length = u32::try_from(record.len()).map_err(std::io::Error::other)?;
        self.put(&length.to_le_bytes())?;
        self.put(&record)?;
        self.record = record;
        Ok(())
    }

    fn terms(&mut self, out: &mut Vec<u8>, analyzed: &Analyzed) {
        let vocab = vocab::read();
        let mut groups = Vec::new();
        analyzed
            .terms
            .for_each_stem(|stem, forms| groups.push((stem, forms.to_vec())));
        push_varint(out, groups.len() as u64);
        for (stem, forms) in groups {
            self.string(out, stem, vocab.text(stem));
            push_varint(out, forms.len() as u64);
            for form in forms {
                self.string(out, form.key, vocab.text(form.key));
                let weight = u64::from(form.weight) << 1 | u64::from(form.in_headline);
                push_varint(out, weight);
            }
        }
    }

    /// Writes the pack's number of `sym`, and the string the first time.
    fn string(&mut self, out: &mut Vec<u8>, sym: Sym, text: &str) {
        let at = sym as usize;
        if self.numbers.len() <= at {
            self.numbers.resize(at + 1, u32::MAX);
        }
        if self.numbers[at] != u32::MAX {
            push_varint(out, u64::from(self.numbers[at]));
            return;
        }
        self.numbers[at] = self.given;
        push_varint(out, u64::from(self.given));
        push_varint(out, text.len() as u64);
        out.extend_from_slice(text.as_bytes());
        self.given += 1;
    }

    /// Ends the pack (every announced analysis written) and puts it in place.
    pub fn finish(mut self) -> std::io::Result<()> {
        if self.left != 0 {
            return Err(too_many());
        }
        let sum = self.sum.digest();
        self.out.write_all(&sum.to_le_bytes())?;
        let file = self.out.into_inner().map_err(|e| e.into_error())?;
        file.persist(&self.path).map_err(|e| e.error)?;
        Ok(())
    }
}

fn too_many() -> std::io::Error {
    std::io::Error::other("not the number of analyses announced")
}

/// What [`read_pack`] found: the analyses asked for, and how many it holds in all.
pub struct PackRead {
    pub kept: Vec<(u64, Analyzed)>,
    pub entries: usize,
}

/// Reads the pack at `path` if it was made with `stamp` and is whole, keeping the analyses
/// whose key `wanted` accepts.
pub fn read_pack(path: &Path, stamp: u64, wanted: impl Fn(u64) -> bool) -> Option<PackRead> {
    let file = std::fs::File::open(path).ok()?;
    let mut reader = SumReader {
        inner: BufReader::with_capacity(1 << 16, file),
        sum: Xxh3::new(),
    };
    if reader.bytes(PACK_MAGIC.len())? != PACK_MAGIC || reader.u64()? != stamp {
        return None;
    }
    let entries = reader.u32()? as usize;
    let mut strings = Strings::default();
    let mut kept = Vec::new();
    for _ in 0..entries {
        let key = reader.u64()?;
        let length = reader.u32()? as usize;
        let record = reader.bytes(length)?;
        let analyzed = decode_record(&record, &mut strings, wanted(key))?;
        kept.extend(analyzed.map(|a| (key, a)));
    }
    let sum = reader.sum.digest();
    let mut stored = [0u8; 8];
    reader.inner.read_exact(&mut stored).ok()?;
    let mut rest = [0u8; 1];
    let at_end = matches!(reader.inner.read(&mut rest), Ok(0));
    (u64::from_le_bytes(stored) == sum && at_end).then_some(PackRead { kept, entries })
}

/// The strings of a pack being read, in order, each with its vocabulary number once a
/// kept record has used it.
#[derive(Default)]
struct Strings {
    texts: Vec<Arc<str>>,
    syms: Vec<Option<Sym>>,
}

impl Strings {
    /// The string a record names next (reading it if it is new); its number if `keep`.
    fn next(&mut self, bytes: &mut &[u8], keep: bool) -> Option<Sym> {
        let n = varint(bytes)? as usize;
        if n == self.texts.len() {
            let length = varint(bytes)? as usize;
            let (text, rest) = bytes.split_at_checked(length)?;
            *bytes = rest;
            self.texts.push(std::str::from_utf8(text).ok()?.into());
            self.syms.push(None);
        }
        let text = self.texts.get(n)?;
        if !keep {
            return Some(0);
        }
        Some(*self.syms[n].get_or_insert_with(|| vocab::sym(text)))
    }
}

/// One record: the analysis when `keep`, else only its strings learnt.
fn decode_record(record: &[u8], strings: &mut Strings, keep: bool) -> Option<Option<Analyzed>> {
    let mut bytes = record;
    let length = varint(&mut bytes)? as usize;
    let (doc, mut bytes) = bytes.split_at_checked(length)?;
    let mut terms = TermsBuilder::default();
    for _ in 0..varint(&mut bytes)? {
        let stem = strings.next(&mut bytes, keep)?;
        let forms = varint(&mut bytes)? as usize;
        terms.stem(stem, forms);
        for _ in 0..forms {
            let key = strings.next(&mut bytes, keep)?;
            let weight = varint(&mut bytes)?;
            terms.form(Form {
                key,
                weight: u32::try_from(weight >> 1).ok()?,
                in_headline: weight & 1 == 1,
            });
        }
    }
    if !bytes.is_empty() {
        return None;
    }
    if !keep {
        return Some(None);
    }
    let doc: ResultDoc = postcard::from_bytes(doc).ok()?;
    Some(Some(Analyzed {
        doc,
        terms: terms.finish(),
    }))
}

/// Reads through a checksum.
struct SumReader<R> {
    inner: R,
    sum: Xxh3,
}

impl<R: Read> SumReader<R> {
    fn bytes(&mut self, n: usize) -> Option<Vec<u8>> {
        let mut buffer = vec![0; n];
        self.inner.read_exact(&mut buffer).ok()?;
        self.sum.update(&buffer);
        Some(buffer)
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.bytes(4)?.try_into().ok()?))
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.bytes(8)?.try_into().ok()?))
    }
}

/// Compressed hash and length of index files, by the hash of their plain bytes.
pub type Records = HashMap<u64, (u64, usize)>;

/// Writes `records` to `path` (aside, then renamed).
pub fn write_records(path: &Path, stamp: u64, records: &Records) -> std::io::Result<()> {
    let mut sorted: Vec<(&u64, &(u64, usize))> = records.iter().collect();
    sorted.sort_unstable();
    let mut bytes = RECORDS_MAGIC.to_vec();
    bytes.extend_from_slice(&stamp.to_le_bytes());
    bytes.extend_from_slice(&(sorted.len() as u64).to_le_bytes());
    for (plain, (hash, len)) in sorted {
        bytes.extend_from_slice(&plain.to_le_bytes());
        bytes.extend_from_slice(&hash.to_le_bytes());
        bytes.extend_from_slice(&(*len as u64).to_le_bytes());
    }
    let sum = xxhash_rust::xxh3::xxh3_64(&bytes);
    bytes.extend_from_slice(&sum.to_le_bytes());
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    file.write_all(&bytes)?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// The records at `path`, if made with `stamp` and whole.
pub fn read_records(path: &Path, stamp: u64) -> Option<Records> {
    let bytes = std::fs::read(path).ok()?;
    let (body, sum) = bytes.split_at_checked(bytes.len().checked_sub(8)?)?;
    if xxhash_rust::xxh3::xxh3_64(body) != u64::from_le_bytes(sum.try_into().ok()?) {
        return None;
    }
    let body = body.strip_prefix(RECORDS_MAGIC)?;
    let numbers: Vec<u64> = body
        .chunks(8)
        .map(|c| c.try_into().map(u64::from_le_bytes))
        .collect::<Result<_, _>>()
        .ok()?;
    let (&[file_stamp, count], rest) = numbers.split_first_chunk::<2>()?;
    if file_stamp != stamp || rest.len() as u64 != count.checked_mul(3)? {
        return None;
    }
    let records = rest.chunks_exact(3);
    Some(records.map(|r| (r[0], (r[1], r[2] as usize))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::{SearchDoc, SiteLexicon, analyze_doc};

    fn analyzed(title: &str) -> Analyzed {
        let doc = SearchDoc {
            title: title.into(),
            url: "/x/".into(),
            body: "مقدمة الخبر عن الاقتصاد.\nنص آخر".into(),
            ..SearchDoc::default()
        };
        analyze_doc(doc, &SiteLexicon::default())
    }

    fn write(path: &Path, docs: &[(u64, &Analyzed)]) {
        let mut pack = PackWriter::create(path, 7, docs.len()).unwrap();
        for (key, doc) in docs {
            pack.add(*key, doc).unwrap();
        }
        pack.finish().unwrap();
    }

    #[test]
    fn a_pack_reads_back_what_was_written_only_whole_and_with_its_stamp() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("000.pack");
        let (a, b) = (analyzed("وزير الاقتصاد يزور مصر"), analyzed("مصر والاقتصاد"));
        write(&path, &[(1, &a), (2, &b)]);
        let read = read_pack(&path, 7, |key| key == 2).expect("a sound pack");
        assert_eq!(read.entries, 2);
        assert_eq!(read.kept, vec![(2, b.clone())]);
        assert!(read_pack(&path, 8, |_| true).is_none(), "another stamp");
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 3]).unwrap();
        assert!(read_pack(&path, 7, |_| true).is_none(), "truncated");
        let mut flipped = bytes.clone();
        flipped[40] ^= 1;
        std::fs::write(&path, &flipped).unwrap();
        assert!(read_pack(&path, 7, |_| true).is_none(), "damaged");
        assert!(PackWriter::create(&path, 7, 1).unwrap().finish().is_err());
    }

    #[test]
    fn records_read_back_only_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("files");
        let records: Records = [(1, (2, 3)), (4, (5, 6))].into_iter().collect();
        write_records(&path, 9, &records).unwrap();
        assert_eq!(read_records(&path, 9), Some(records));
        assert_eq!(read_records(&path, 10), None);
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 1]).unwrap();
        assert_eq!(read_records(&path, 9), None);
    }
}
