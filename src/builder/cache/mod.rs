//! The build cache: what the last `qissa build` wrote, so the next one rewrites only what
//! changed.
//!
//! It lives in `<site>/.qissa-cache/` (safe to delete: the next build is then a full one) and
//! holds, per output folder, the fingerprint of every file written and the *generation* — a
//! hash of everything that is not content: qissa's version, `site.yaml`, the templates, the
//! static files, the flags. Fingerprints are content hashes, so they mean the same thing in
//! the next process. A cache is used only when its generation matches, the output folder
//! still carries qissa's marker and every file it lists is still there; anything else means a
//! full build. It also records the modification time of every folder of the output
//! ([`folders`]): while none changed, the folder is known to hold exactly what the last build
//! left, and is not listed again. Like every file a build writes, the cache goes to disk through
//! [`super::output`].

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::output::{self, OUTPUT_MARKER};
use crate::hash::stable_hash;

/// The cache folder, relative to the site root.
pub const CACHE_DIR: &str = ".qissa-cache";

mod folders;

const HEADER: &str = "qissa build cache 2";

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

/// What a cache written for `generation` says the output folder holds, if it is still true
/// of `output`: the fingerprint of every file written, and every file the folder holds now.
pub struct Resumed {
    pub written: HashMap<String, u64>,
    /// Files in the folder (relative, `/`-separated), those no build wrote included: one
    /// listing serves both to check the cache and to find what a full build would remove.
    /// `None` when no folder changed since the cache was written: the folder then holds
    /// exactly the files written, and is not listed at all.
    pub found: Option<Vec<String>>,
}

/// Reads a cache written for `generation`, if it is still true of `output`.
pub fn load(root: &Path, output: &Path, generation: u64) -> Option<Resumed> {
    let text = std::fs::read_to_string(cache_file(root, output)).ok()?;
    let mut lines = text.lines();
    if lines.next()? != HEADER || lines.next()? != format!("{generation:016x}") {
        return None;
    }
    if !output.join(OUTPUT_MARKER).is_file() {
        return None;
    }
    let mut written = HashMap::new();
    let mut folders = Vec::new();
    for line in lines {
        match line.split_once('\t')? {
            ("d", rest) => folders.push(folder_line(rest)?),
            (print, file) => {
                written.insert(file.to_string(), u64::from_str_radix(print, 16).ok()?);
            }
        }
    }
    if folders::unchanged(output, &folders) {
        return Some(Resumed {
            written,
            found: None,
        });
    }
    let found = super::output::files_under(output);
    // Someone may have deleted pages by hand: then rebuild everything.
    let present: HashSet<&str> = found.iter().map(String::as_str).collect();
    let all_present = written.keys().all(|file| present.contains(file.as_str()));
    all_present.then_some(Resumed {
        written,
        found: Some(found),
    })
}

/// `<seconds>.<nanoseconds>\t<folder>`: a folder's modification time.
fn folder_line(rest: &str) -> Option<(String, Duration)> {
    let (time, folder) = rest.split_once('\t')?;
    let (secs, nanos) = time.split_once('.')?;
    let time = Duration::new(secs.parse().ok()?, nanos.parse().ok()?);
    Some((folder.to_string(), time))
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
    for (folder, time) in folders::times(output, written.keys()).unwrap_or_default() {
        let (secs, nanos) = (time.as_secs(), time.subsec_nanos());
        text.push_str(&format!("d\t{secs}.{nanos}\t{folder}\n"));
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
        std::fs::write(output.join("a/stray.html"), "put there by hand").unwrap();
        let resumed = load(&root, &output, 7).expect("the cache applies");
        assert_eq!(resumed.written, written);
        let found = resumed.found.expect("a new file: the folder is listed");
        assert_eq!(found, ["a/index.html", "a/stray.html"]);
        assert!(load(&root, &output, 8).is_none(), "another generation");
        std::fs::remove_file(output.join("a/index.html")).unwrap();
        assert!(load(&root, &output, 7).is_none(), "a page deleted by hand");
    }

    #[test]
    fn an_untouched_folder_is_not_listed_and_a_file_added_anywhere_is_found() {
        let tmp = tempfile::tempdir().unwrap();
        let (root, output) = (tmp.path().join("site"), tmp.path().join("public"));
        std::fs::create_dir_all(output.join("a/b")).unwrap();
        std::fs::write(output.join(OUTPUT_MARKER), "").unwrap();
        std::fs::write(output.join("a/b/index.html"), "x").unwrap();
        let written: HashMap<String, u64> =
            [("a/b/index.html".to_string(), 42)].into_iter().collect();
        save(&root, &output, 7, &written);
        let resumed = load(&root, &output, 7).expect("the cache applies");
        assert_eq!(resumed.written, written);
        assert!(resumed.found.is_none(), "nothing changed: no listing");

        std::fs::create_dir_all(output.join("a/b/c")).unwrap();
        std::fs::write(output.join("a/b/c/stray.html"), "by hand").unwrap();
        let found = load(&root, &output, 7).unwrap().found;
        assert_eq!(
            found.as_deref(),
            Some(&["a/b/c/stray.html".to_string(), "a/b/index.html".to_string()][..])
        );
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
        assert_eq!(load(&root, &output, 7).map(|r| r.written), Some(written));
        std::fs::remove_file(output.join("photos/b.webp")).unwrap();
        assert!(
            load(&root, &output, 7).is_none(),
            "a rendition deleted by hand"
        );
    }
}
