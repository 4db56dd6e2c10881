//! Byte-level pieces of the index format: varints, the shard hash, deterministic gzip.
//!
//! Each is mirrored in `js/qissa-search.js`; change both together.

use std::cell::RefCell;

use flate2::{Compress, Compression, FlushCompress, Status};

/// How hard a file is compressed.
#[derive(Clone, Copy, Debug)]
pub enum Level {
    /// The large docs chunks and meta: level 5, 1.5% larger than zlib's default level 6
    /// in 70% of its time. A query that matches most of the site reads every large docs
    /// chunk, so their size is what bounds the first query's transfer.
    Text,
    /// The postings shards and the small docs chunks: level 2 makes them 7–9% larger than
    /// level 6 in much less time (search was a quarter of a full build's CPU, gzip a fifth
    /// of that); a query reads one shard per word and a few small chunks.
    Quick,
}

impl Level {
    fn compression(self) -> Compression {
        match self {
            Level::Text => Compression::new(5),
            Level::Quick => Compression::new(2),
        }
    }
}

/// Appends `value` as an unsigned LEB128 varint (7 bits a byte, low bits first).
pub fn push_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8 & 0x7F) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Appends a string as its UTF-8 length (varint) and bytes.
pub fn push_str(out: &mut Vec<u8>, text: &str) {
    push_varint(out, text.len() as u64);
    out.extend_from_slice(text.as_bytes());
}

/// 32-bit FNV-1a of the UTF-8 bytes: which shard a stem lives in. Chosen because it is a
/// few lines in JavaScript (`Math.imul`), not for quality: stems are few and varied.
pub fn shard_hash(text: &str) -> u32 {
    text.bytes().fold(0x811C_9DC5, |hash: u32, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    })
}

thread_local! {
    /// Compressors kept for reuse, by level and window: making one zeroes a few hundred
    /// kilobytes of tables, which cost more than compressing a small docs chunk.
    static COMPRESSORS: RefCell<Vec<((u32, u8), Compress)>> = const { RefCell::new(Vec::new()) };
}

/// Gzip with a fixed header (no name, no time, no flags, "unknown" OS), so the same bytes
/// compress to the same file on every machine and every build.
pub fn gzip(bytes: &[u8], level: Level) -> Vec<u8> {
    let compression = level.compression();
    // A window no larger than the input finds the same matches and zeroes less.
    let window_bits = (usize::BITS - bytes.len().leading_zeros()).clamp(9, 15) as u8;
    let key = (compression.level(), window_bits);
    let mut out = Vec::with_capacity(bytes.len() / 3 + 64);
    COMPRESSORS.with(|kept| {
        let mut kept = kept.borrow_mut();
        let at = match kept.iter().position(|(k, _)| *k == key) {
            Some(at) => {
                kept[at].1.reset();
                at
            }
            None => {
                kept.push((key, Compress::new_gzip(compression, window_bits)));
                kept.len() - 1
            }
        };
        let compress = &mut kept[at].1;
        loop {
            let read = compress.total_in() as usize;
            // Compressing into memory with valid settings cannot fail.
            let status = compress
                .compress_vec(&bytes[read..], &mut out, FlushCompress::Finish)
                .expect("gzip into memory");
            if status == Status::StreamEnd {
                break;
            }
            out.reserve(out.capacity().max(64));
        }
    });
    // zlib writes no time and no name; the flags byte and the OS byte depend on the
    // level and the platform, so they are set here (the header is not checksummed).
    out[8] = 0;
    out[9] = 255;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_and_hash_are_the_documented_ones() {
        let mut out = Vec::new();
        push_varint(&mut out, 0);
        push_varint(&mut out, 127);
        push_varint(&mut out, 300);
        assert_eq!(out, [0, 127, 0xAC, 0x02]);
        // FNV-1a test vectors.
        assert_eq!(shard_hash(""), 0x811C_9DC5);
        assert_eq!(shard_hash("a"), 0xE40C_292C);
    }

    #[test]
    fn gzip_round_trips_at_every_level_and_size() {
        use std::io::Read;
        // Reused compressors: sizes that pick several windows, each level, twice.
        for round in 0..2 {
            for size in [0, 1, 600, 5_000, 70_000] {
                for level in [Level::Text, Level::Quick] {
                    let plain: Vec<u8> = "وزير الخارجية 2015 "
                        .bytes()
                        .cycle()
                        .take(size + round)
                        .collect();
                    let gz = gzip(&plain, level);
                    assert_eq!(&gz[..4], [0x1F, 0x8B, 8, 0]);
                    assert_eq!(&gz[8..10], [0, 255]);
                    let mut back = Vec::new();
                    flate2::read::GzDecoder::new(&gz[..])
                        .read_to_end(&mut back)
                        .expect("gunzip");
                    assert_eq!(back, plain);
                }
            }
        }
    }

    #[test]
    fn gzip_is_deterministic_and_starts_with_the_magic() {
        let a = gzip("مصر مصر مصر".as_bytes(), Level::Text);
        assert_eq!(a, gzip("مصر مصر مصر".as_bytes(), Level::Text));
        assert_eq!(&a[..2], [0x1F, 0x8B]);
        assert_eq!(&a[4..8], [0, 0, 0, 0]);
    }
}
