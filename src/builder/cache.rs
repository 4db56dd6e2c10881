//! The build cache: what the last `qissa build` wrote, so the next one rewrites only what
//! changed.
//!
//! It lives in `<site>/.qissa-cache/` (safe to delete: the next build is then a full one) and
//! holds, per output folder, the fingerprint of every file written and the *generation* — a
//! hash of everything that is not content: qissa's version, `site.yaml`, the templates, the
//! static files, the flags. Fingerprints are content hashes, so they mean the same thing in
//! the next process. A cache is used only when its generation matches, the output folder
//! still carries qissa's marker and every file it lists is still there; anything else means a
//! full build. Like every file a build writes, the cache goes to disk through
//! [`super::output`].

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::output::{self, OUTPUT_MARKER};
use crate::hash::stable_hash;

/// The cache folder, relative to the site root.
pub const CACHE_DIR: &str = ".qissa-cache";

const HEADER: &str = "qissa build cache 1";

/// Where the cache of builds into `output` is kept.
pub fn cache_file(root: &Path, output: &Path) -> PathBuf {
    let output = output
        .canonicalize()
        .unwrap_or_else(|_| output.to_path_buf());
    root.join(CACHE_DIR).join(format!(
        "{:016x}.txt",
        stable_hash(output.to_string_lossy().as_ref())
    ))
}

/// Reads a cache written for `generation`, if it is still true of `output`.
pub fn load(root: &Path, output: &Path, generation: u64) -> Option<HashMap<String, u64>> {
    let text = std::fs::read_to_string(cache_file(root, output)).ok()?;
    let mut lines = text.lines();
    if lines.next()? != HEADER || lines.next()? != format!("{generation:016x}") {
        return None;
    }
    if !output.join(OUTPUT_MARKER).is_file() {
        return None;
    }
    let mut written = HashMap::new();
    for line in lines {
        let (print, file) = line.split_once('\t')?;
        written.insert(file.to_string(), u64::from_str_radix(print, 16).ok()?);
    }
    // Someone may have deleted pages by hand: then rebuild everything.
    all_present(output, written.keys()).then_some(written)
}

/// Whether every one of `files` is still in `output`. A folder holding several of them is
/// listed once and a lone file is looked at, so the thousand photo renditions of `photos/`
/// cost one listing rather than a thousand `stat`s.
fn all_present<'f>(output: &Path, files: impl Iterator<Item = &'f String>) -> bool {
    let mut by_folder: HashMap<&str, Vec<&str>> = HashMap::new();
    for file in files {
        let (folder, name) = file.rsplit_once('/').unwrap_or(("", file));
        by_folder.entry(folder).or_default().push(name);
    }
    by_folder.iter().all(|(folder, names)| {
        let folder = output.join(folder);
        if let [name] = names.as_slice() {
            return folder.join(name).is_file();
        }
        let Ok(entries) = std::fs::read_dir(&folder) else {
            return false;
        };
        let present: HashSet<std::ffi::OsString> = entries
            .filter_map(|e| e.ok().map(|e| e.file_name()))
            .collect();
        names
            .iter()
            .all(|name| present.contains(std::ffi::OsStr::new(name)))
    })
}

/// Records what a successful build wrote. A cache that cannot be written only costs the next
/// build its speed, so failures are ignored after removing any stale cache.
pub fn save(root: &Path, output: &Path, generation: u64, written: &HashMap<String, u64>) {
    let path = cache_file(root, output);
    let mut files: Vec<(&String, &u64)> = written.iter().collect();
    files.sort();
    let mut text = format!("{HEADER}\n{generation:016x}\n");
    for (file, print) in files {
        text.push_str(&format!("{print:016x}\t{file}\n"));
    }
    if output::write_file_atomically(&path, text.as_bytes()).is_err() {
        forget(root, output);
    }
}

/// Removes the cache for `output` (after a build that may have left the folder half-updated).
pub fn forget(root: &Path, output: &Path) {
    let _ = output::remove_file_if_present(&cache_file(root, output));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_invalidation() {
        let tmp = tempfile::tempdir().unwrap();
        let (root, output) = (tmp.path().join("site"), tmp.path().join("public"));
        std::fs::create_dir_all(output.join("a")).unwrap();
        std::fs::write(output.join(OUTPUT_MARKER), "").unwrap();
        std::fs::write(output.join("a/index.html"), "x").unwrap();
        let written: HashMap<String, u64> =
            [("a/index.html".to_string(), 42)].into_iter().collect();
        save(&root, &output, 7, &written);
        assert_eq!(load(&root, &output, 7), Some(written));
        assert_eq!(load(&root, &output, 8), None, "another generation");
        std::fs::remove_file(output.join("a/index.html")).unwrap();
        assert_eq!(load(&root, &output, 7), None, "a page deleted by hand");
    }

    #[test]
    fn a_file_deleted_from_a_folder_of_many_is_noticed() {
        let tmp = tempfile::tempdir().unwrap();
        let (root, output) = (tmp.path().join("site"), tmp.path().join("public"));
        std::fs::create_dir_all(output.join("photos")).unwrap();
        std::fs::write(output.join(OUTPUT_MARKER), "").unwrap();
        let names = [
            "photos/a.webp",
            "photos/b.webp",
            "photos/c.jpg",
            "index.html",
        ];
        for name in names {
            std::fs::write(output.join(name), "x").unwrap();
        }
        let written: HashMap<String, u64> = names.iter().map(|n| (n.to_string(), 1)).collect();
        save(&root, &output, 7, &written);
        assert_eq!(load(&root, &output, 7), Some(written));
        std::fs::remove_file(output.join("photos/b.webp")).unwrap();
        assert_eq!(load(&root, &output, 7), None, "a rendition deleted by hand");
    }
}
