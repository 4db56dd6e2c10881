//! The records file: for each index file of the last build, the hash of its plain bytes
//! with the hash and length of the compressed file, so a file that comes out the same is
//! not compressed again.
//!
//! ```text
//! "qissa search files 1\n" · stamp u64 · count u64 · count × (plain u64 · hash u64 · length u64)
//! · xxh3-64 of everything before, u64                    (integers little-endian)
//! ```

use std::io::Write;
use std::path::Path;

use rustc_hash::FxHashMap as HashMap;

const RECORDS_MAGIC: &[u8] = b"qissa search files 1\n";

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
