//! The one hash of the crate: a stable 64-bit digest for fingerprints and cache keys.
//!
//! It must give the same value in every process and on every machine, because the build cache
//! written by one `qissa build` is read by the next. The standard library's hashers promise
//! that only within one release of Rust, so the digest is XXH3 (a fixed, documented
//! algorithm, and fast enough to hash every source of a 100,000-article site on each build).

use std::hash::{Hash, Hasher};

use xxhash_rust::xxh3::Xxh3Default;

/// A stable 64-bit digest of `value`: equal inputs, equal digests, in every process.
pub fn stable_hash(value: impl Hash) -> u64 {
    let mut hasher = Xxh3Default::new();
    value.hash(&mut hasher);
    hasher.finish()
}

/// A stable 64-bit digest of raw bytes (file contents), without the length prefix `Hash` adds.
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_stable_across_processes() {
        // A fixed value: if this changes, every build cache in the field is silently invalid.
        assert_eq!(hash_bytes(b"qissa"), 0xa4ed_f173_b687_6a26);
        assert_eq!(stable_hash(("a", 1u32)), stable_hash(("a", 1u32)));
        assert_ne!(stable_hash(("a", 1u32)), stable_hash(("a", 2u32)));
    }
}
