//! Byte-level pieces of the index format: varints, the shard hash, deterministic gzip.
//!
//! Each is mirrored in `js/qissa-search.js`; change both together.

use std::io::Write;

use flate2::{Compression, GzBuilder};

/// How hard a file is compressed.
#[derive(Clone, Copy, Debug)]
pub enum Level {
    /// What results show, and meta: zlib's default level, within a few percent of the best
    /// size. A query that matches most of the site reads every large docs chunk, so their
    /// size is what bounds the first query's transfer.
    Text,
    /// The postings shards: varints compress almost as well at level 4 (8% larger) in a
    /// third of the time, and a query reads one shard per word.
    Postings,
}

impl Level {
    fn compression(self) -> Compression {
        match self {
            Level::Text => Compression::new(6),
            Level::Postings => Compression::new(4),
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

/// Gzip with a fixed header (no name, no time, "unknown" OS), so the same bytes compress
/// to the same file on every machine and every build.
pub fn gzip(bytes: &[u8], level: Level) -> Vec<u8> {
    let mut encoder = GzBuilder::new().mtime(0).operating_system(255).write(
        Vec::with_capacity(bytes.len() / 3 + 64),
        level.compression(),
    );
    // Writing into a Vec cannot fail.
    encoder.write_all(bytes).expect("gzip into memory");
    encoder.finish().expect("gzip into memory")
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
    fn gzip_is_deterministic_and_starts_with_the_magic() {
        let a = gzip("مصر مصر مصر".as_bytes(), Level::Text);
        assert_eq!(a, gzip("مصر مصر مصر".as_bytes(), Level::Text));
        assert_eq!(&a[..2], [0x1F, 0x8B]);
        assert_eq!(&a[4..8], [0, 0, 0, 0]);
    }
}
