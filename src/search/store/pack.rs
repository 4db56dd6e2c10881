//! A pack of analyses by key, written one analysis at a time (a full build streams its
//! pack as it folds articles into the index, never holding it whole) and read a few
//! batches at a time, each batch decoded on its own thread:
//!
//! ```text
//! "qissa search 2\n" · stamp u64 · count u32 · batches · xxh3-64 of everything before, u64
//! batch:  length u32 · records varint · strings varint · strings (length, UTF-8)
//!         · records × (key u64 · length varint · record)
//! record: postcard(ResultDoc) length-prefixed · stem count · per stem: stem, form count,
//!         per form: key, weight × 2 + headline
//! ```
//!
//! Integers are little-endian, the rest varints. Stems and keys are numbers into the
//! batch's strings: each batch names the strings its records use, so batches decode apart.

use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3;

use crate::search::index::encode::push_varint;
use crate::search::terms::{Form, TermsBuilder, varint};
use crate::search::vocab::{self, Sym};
use crate::search::{Analyzed, ResultDoc};

const MAGIC: &[u8] = b"qissa search 2\n";

/// Records a batch holds: few enough to keep a batch small, enough that strings shared by
/// its articles are written once.
const BATCH: usize = 256;

/// Batches decoded at a time, in parallel.
const BATCHES_AT_ONCE: usize = 16;

/// Writes a pack, one analysis at a time, aside; [`PackWriter::finish`] puts it in place.
pub struct PackWriter {
    out: BufWriter<tempfile::NamedTempFile>,
    path: PathBuf,
    sum: Xxh3,
    left: usize,
    batch: Batch,
}

/// The batch being written: its strings, its records, and the number it gave each
/// vocabulary number (valid when stamped with this batch's `serial`).
#[derive(Default)]
struct Batch {
    serial: u32,
    numbers: Vec<(u32, u32)>,
    strings: Vec<u8>,
    string_count: u32,
    records: Vec<u8>,
    record_count: usize,
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
            left: count,
            batch: Batch {
                serial: 1,
                ..Batch::default()
            },
        };
        writer.put(MAGIC)?;
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
        let mut terms = Vec::new();
        analyzed.terms.grouped_into(&mut terms);
        self.add_counted(key, &analyzed.doc, &terms)
    }

    /// [`PackWriter::add`] of an analysis whose words are not packed: (stem, form) pairs,
    /// the forms of each stem together.
    pub fn add_counted(
        &mut self,
        key: u64,
        doc: &ResultDoc,
        pairs: &[(Sym, Form)],
    ) -> std::io::Result<()> {
        self.left = self.left.checked_sub(1).ok_or_else(miscounted)?;
        let doc = postcard::to_stdvec(doc).map_err(std::io::Error::other)?;
        let mut terms = Vec::new();
        self.batch.terms(&mut terms, pairs);
        let records = &mut self.batch.records;
        records.extend_from_slice(&key.to_le_bytes());
        let length = varint_len(doc.len() as u64) + doc.len() + terms.len();
        push_varint(records, length as u64);
        push_varint(records, doc.len() as u64);
        records.extend_from_slice(&doc);
        records.extend_from_slice(&terms);
        self.batch.record_count += 1;
        if self.batch.record_count == BATCH {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes the batch held, and starts the next.
    fn flush(&mut self) -> std::io::Result<()> {
        if self.batch.record_count == 0 {
            return Ok(());
        }
        let mut head = Vec::new();
        push_varint(&mut head, self.batch.record_count as u64);
        push_varint(&mut head, u64::from(self.batch.string_count));
        let length = head.len() + self.batch.strings.len() + self.batch.records.len();
        let length = u32::try_from(length).map_err(std::io::Error::other)?;
        let batch = std::mem::take(&mut self.batch);
        self.put(&length.to_le_bytes())?;
        self.put(&head)?;
        self.put(&batch.strings)?;
        self.put(&batch.records)?;
        self.batch = Batch {
            serial: batch.serial + 1,
            numbers: batch.numbers,
            ..Batch::default()
        };
        Ok(())
    }

    /// Ends the pack (every announced analysis written) and puts it in place.
    pub fn finish(mut self) -> std::io::Result<()> {
        if self.left != 0 {
            return Err(miscounted());
        }
        self.flush()?;
        let sum = self.sum.digest();
        self.out.write_all(&sum.to_le_bytes())?;
        let file = self.out.into_inner().map_err(|e| e.into_error())?;
        file.persist(&self.path).map_err(|e| e.error)?;
        Ok(())
    }
}

impl Batch {
    fn terms(&mut self, out: &mut Vec<u8>, pairs: &[(Sym, Form)]) {
        let vocab = vocab::read();
        let mut stems = 0;
        let mut body = Vec::new();
        for group in pairs.chunk_by(|a, b| a.0 == b.0) {
            stems += 1;
            let number = self.number(group[0].0, &vocab);
            push_varint(&mut body, u64::from(number));
            push_varint(&mut body, group.len() as u64);
            for (_, form) in group {
                let number = self.number(form.key, &vocab);
                push_varint(&mut body, u64::from(number));
                let weight = u64::from(form.weight) << 1 | u64::from(form.in_headline);
                push_varint(&mut body, weight);
            }
        }
        push_varint(out, stems);
        out.extend_from_slice(&body);
    }

    /// The batch's number of `sym`, its string (looked up only then) added to the batch
    /// the first time.
    fn number(&mut self, sym: Sym, vocab: &vocab::Vocab) -> u32 {
        let at = sym as usize;
        if self.numbers.len() <= at {
            self.numbers.resize(at + 1, (0, 0));
        }
        let (serial, number) = self.numbers[at];
        if serial == self.serial {
            return number;
        }
        let number = self.string_count;
        self.numbers[at] = (self.serial, number);
        let text = vocab.text(sym);
        push_varint(&mut self.strings, text.len() as u64);
        self.strings.extend_from_slice(text.as_bytes());
        self.string_count += 1;
        number
    }
}

fn varint_len(value: u64) -> usize {
    (64 - value.leading_zeros() as usize).div_ceil(7).max(1)
}

fn miscounted() -> std::io::Error {
    std::io::Error::other("not the number of analyses announced")
}

/// What [`read_pack`] found: the analyses asked for, and how many it holds in all.
pub struct PackRead {
    pub kept: Vec<(u64, Analyzed)>,
    pub entries: usize,
}

/// Reads the pack at `path` if it was made with `stamp` and is whole, keeping the analyses
/// whose key `wanted` accepts.
pub fn read_pack(
    path: &Path,
    stamp: u64,
    wanted: &(dyn Fn(u64) -> bool + Sync),
) -> Option<PackRead> {
    let file = std::fs::File::open(path).ok()?;
    let mut reader = SumReader {
        inner: BufReader::with_capacity(1 << 16, file),
        sum: Xxh3::new(),
    };
    if reader.bytes(MAGIC.len())? != MAGIC || reader.u64()? != stamp {
        return None;
    }
    let entries = reader.u32()? as usize;
    let mut kept = Vec::new();
    let mut left = entries;
    while left > 0 {
        let mut batches = Vec::new();
        while left > 0 && batches.len() < BATCHES_AT_ONCE {
            let length = reader.u32()? as usize;
            batches.push(reader.bytes(length)?);
            left = left.saturating_sub(BATCH);
        }
        let decoded: Option<Vec<Vec<(u64, Analyzed)>>> = batches
            .par_iter()
            .map(|batch| decode_batch(batch, wanted))
            .collect();
        kept.extend(decoded?.into_iter().flatten());
    }
    let sum = reader.sum.digest();
    let mut stored = [0u8; 8];
    reader.inner.read_exact(&mut stored).ok()?;
    let at_end = matches!(reader.inner.read(&mut [0u8; 1]), Ok(0));
    (u64::from_le_bytes(stored) == sum && at_end).then_some(PackRead { kept, entries })
}

/// The wanted analyses of one batch.
fn decode_batch(
    batch: &[u8],
    wanted: &(dyn Fn(u64) -> bool + Sync),
) -> Option<Vec<(u64, Analyzed)>> {
    let mut bytes = batch;
    let records = varint(&mut bytes)? as usize;
    let mut strings = Strings::default();
    for _ in 0..varint(&mut bytes)? {
        let length = varint(&mut bytes)? as usize;
        let (text, rest) = bytes.split_at_checked(length)?;
        strings.texts.push(std::str::from_utf8(text).ok()?);
        bytes = rest;
    }
    strings.syms = vec![None; strings.texts.len()];
    let mut kept = Vec::new();
    for _ in 0..records {
        let (key, rest) = bytes.split_first_chunk::<8>()?;
        bytes = rest;
        let length = varint(&mut bytes)? as usize;
        let (record, rest) = bytes.split_at_checked(length)?;
        bytes = rest;
        let key = u64::from_le_bytes(*key);
        if wanted(key) {
            kept.push((key, decode_record(record, &mut strings)?));
        }
    }
    bytes.is_empty().then_some(kept)
}

/// The strings of a batch, each with its vocabulary number once a record has used it.
#[derive(Default)]
struct Strings<'b> {
    texts: Vec<&'b str>,
    syms: Vec<Option<Sym>>,
}

impl Strings<'_> {
    fn next(&mut self, bytes: &mut &[u8]) -> Option<Sym> {
        let n = varint(bytes)? as usize;
        let text = self.texts.get(n)?;
        Some(*self.syms[n].get_or_insert_with(|| vocab::sym_of_str(text)))
    }
}

fn decode_record(record: &[u8], strings: &mut Strings) -> Option<Analyzed> {
    let mut bytes = record;
    let length = varint(&mut bytes)? as usize;
    let (doc, mut bytes) = bytes.split_at_checked(length)?;
    // Numbers of the vocabulary take about the room of the batch's.
    let mut terms = TermsBuilder::with_capacity(bytes.len());
    for _ in 0..varint(&mut bytes)? {
        let stem = strings.next(&mut bytes)?;
        let forms = varint(&mut bytes)? as usize;
        terms.stem(stem, forms);
        for _ in 0..forms {
            let key = strings.next(&mut bytes)?;
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
    let doc: ResultDoc = postcard::from_bytes(doc).ok()?;
    Some(Analyzed {
        doc,
        terms: terms.finish(),
    })
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
    fn batches_of_a_large_pack_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("000.pack");
        let docs: Vec<Analyzed> = (0..BATCH * 2 + 3)
            .map(|n| analyzed(&format!("خبر رقم {n} عن مصر")))
            .collect();
        let keyed: Vec<(u64, &Analyzed)> = (0u64..).zip(&docs).collect();
        write(&path, &keyed);
        let read = read_pack(&path, 7, &|key| key % 2 == 0).expect("a sound pack");
        assert_eq!(read.entries, docs.len());
        let expected: Vec<(u64, Analyzed)> = keyed
            .iter()
            .filter(|(k, _)| k % 2 == 0)
            .map(|(k, a)| (*k, (*a).clone()))
            .collect();
        assert_eq!(read.kept, expected);
    }

    #[test]
    fn a_pack_reads_back_what_was_written_only_whole_and_with_its_stamp() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("000.pack");
        let (a, b) = (analyzed("وزير الاقتصاد يزور مصر"), analyzed("مصر والاقتصاد"));
        write(&path, &[(1, &a), (2, &b)]);
        let read = read_pack(&path, 7, &|key| key == 2).expect("a sound pack");
        assert_eq!(read.entries, 2);
        assert_eq!(read.kept, vec![(2, b.clone())]);
        assert!(read_pack(&path, 8, &|_| true).is_none(), "another stamp");
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 3]).unwrap();
        assert!(read_pack(&path, 7, &|_| true).is_none(), "truncated");
        let mut flipped = bytes.clone();
        flipped[40] ^= 1;
        std::fs::write(&path, &flipped).unwrap();
        assert!(read_pack(&path, 7, &|_| true).is_none(), "damaged");
        assert!(PackWriter::create(&path, 7, 1).unwrap().finish().is_err());
    }
}
