//! Byte-level pieces of the index format: varints, the shard hash, deterministic gzip.
//!
//! Each is mirrored in `js/qissa-search.js`; change both together.

use std::cell::RefCell;

use libdeflater::{CompressionLvl, Compressor};

/// How hard a file is compressed (libdeflate's levels, measured on the 10,000 generated
/// articles against zlib-rs, which the index used before).
#[derive(Clone, Copy, Debug)]
pub enum Level {
    /// The large docs chunks and meta: level 6, within 1% of zlib's level 6 in 72% of its
    /// time. A query that matches most of the site reads every large docs chunk, so their
    /// size is what bounds the first query's transfer.
    Text,
    /// The postings shards and the small docs chunks: level 1, as small as zlib's level 2
    /// (2% smaller on the small chunks) in 50–60% of its time; a query reads one shard per
    /// word and a few small chunks.
    Quick,
}

impl Level {
    fn number(self) -> i32 {
        match self {
            Level::Text => 6,
            Level::Quick => 1,
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
    /// Compressors kept for reuse, by level: making one allocates its tables.
    static COMPRESSORS: RefCell<Vec<(i32, Compressor)>> = const { RefCell::new(Vec::new()) };
    /// Room to compress into, reused: zeroed only when it grows.
    static ROOM: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Gzip with a fixed header (no name, no time, no flags, "unknown" OS), so the same bytes
/// compress to the same file on every machine and every build.
pub fn gzip(bytes: &[u8], level: Level) -> Vec<u8> {
    let number = level.number();
    let mut out = COMPRESSORS.with_borrow_mut(|kept| {
        let at = match kept.iter().position(|(n, _)| *n == number) {
            Some(at) => at,
            None => {
                // Levels 1 and 6 are in libdeflate's range (0–12).
                let lvl = CompressionLvl::new(number).unwrap_or_default();
                kept.push((number, Compressor::new(lvl)));
                kept.len() - 1
            }
        };
        let compressor = &mut kept[at].1;
        ROOM.with_borrow_mut(|room| {
            let bound = compressor.gzip_compress_bound(bytes.len());
            if room.len() < bound {
                room.resize(bound, 0);
            }
            // The bound is room enough: compressing into it cannot fail.
            let written = compressor
                .gzip_compress(bytes, &mut room[..bound])
                .expect("gzip into a buffer of the bound's size");
            // The file waits in memory until it is published: a copy of its own size.
            room[..written].to_vec()
        })
    });
    // libdeflate writes no time and no name; its extra-flags byte depends on the level, so
    // it is cleared and the OS byte set to "unknown": every file's header is the same (the
    // header is not checksummed).
    if out.len() >= 10 {
        out[8] = 0;
        out[9] = 255;
    }
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
