//! The only writer to disk: pages, static files and the build cache all go through here. A build renders into a staging folder beside the output folder and
//! swaps it into place only when every file was written; a failed build removes the staging
//! folder and leaves the output folder exactly as it was. Stale files from earlier builds
//! can't survive, because the new output is a fresh folder.

use std::io;
use std::path::{Component, Path, PathBuf};

use unicode_normalization::UnicodeNormalization;

/// The file every output folder gets, so a later build knows the folder is qissa's to replace.
pub const OUTPUT_MARKER: &str = ".qissa-output";

/// A staging folder being filled; dropped without [`Staging::commit`], it is removed.
pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl Staging {
    /// Creates a fresh staging folder next to `target` (same file system, so the final
    /// rename is cheap and atomic per step).
    pub fn create(target: &Path) -> io::Result<Staging> {
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent)?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let dir = parent.join(format!(".{name}.qissa-staging-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir(&dir)?;
        std::fs::write(
            dir.join(OUTPUT_MARKER),
            "built by qissa: this folder is replaced on every build, so keep nothing else in it\n",
        )?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            committed: false,
        })
    }

    /// The path of `rel` inside the staging folder. `rel` must be a relative path without
    /// `..`; anything else is refused so nothing is ever written outside the output.
    pub fn path_of(&self, rel: &str) -> io::Result<PathBuf> {
        checked_join(&self.dir, rel)
    }

    /// Writes `bytes` to `rel`, creating folders as needed.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.path_of(rel)?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, bytes)
    }

    /// The staging folder itself, for writers that take a folder ([`link_or_copy`],
    /// [`replace_file`]).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Replaces the output folder with the staging folder.
    pub fn commit(mut self) -> io::Result<()> {
        let old = self.dir.with_file_name(format!(
            ".{}.qissa-old-{}",
            self.target
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            std::process::id()
        ));
        let had_output = self.target.exists();
        if had_output {
            std::fs::rename(&self.target, &old)?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            if had_output {
                // Put the previous output back; the reader must never find it missing.
                let _ = std::fs::rename(&old, &self.target);
            }
            return Err(e);
        }
        self.committed = true;
        if had_output {
            remove_tree_in_parallel(&old)?;
        }
        Ok(())
    }
}

/// Deletes a folder, its top-level entries in parallel: removing the previous output of a
/// large site is tens of thousands of unlinks, and the build waits for them.
fn remove_tree_in_parallel(dir: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    let entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<io::Result<_>>()?;
    entries.par_iter().try_for_each(|path| {
        if path.is_dir() && !path.is_symlink() {
            std::fs::remove_dir_all(path)
        } else {
            std::fs::remove_file(path)
        }
    })?;
    std::fs::remove_dir(dir)
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Replaces `rel` under `output` with `bytes` atomically: written beside it, then renamed
/// over it, so a reader (the preview server) never sees half a page.
pub fn replace_file(output: &Path, rel: &str, bytes: &[u8]) -> io::Result<()> {
    let path = checked_join(output, rel)?;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let temp = temp_beside(&path);
    std::fs::write(&temp, bytes)?;
    std::fs::rename(&temp, &path)
}

/// [`replace_file`], unless the file already holds exactly `bytes`: then it is left alone,
/// time included, so `rsync` and `aws s3 sync` skip it. Returns whether it was written.
pub fn replace_file_if_changed(output: &Path, rel: &str, bytes: &[u8]) -> io::Result<bool> {
    let path = checked_join(output, rel)?;
    let same = std::fs::metadata(&path).is_ok_and(|m| m.len() == bytes.len() as u64)
        && std::fs::read(&path).is_ok_and(|old| old == bytes);
    if same {
        return Ok(false);
    }
    replace_file(output, rel, bytes).map(|()| true)
}

/// Writes `bytes` to `path` (outside the output folder: the build cache) atomically: to a
/// temporary file beside it, then renamed over it, so a reader never sees half a file.
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent)?;
    // A temporary name of its own, so writers of neighbouring files never share one; written
    // with the process's usual permissions (a static host must be able to read it).
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let temp = parent.join(format!(".{name}.{}.{n}.qissa-tmp", std::process::id()));
    std::fs::write(&temp, bytes)?;
    std::fs::rename(&temp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temp);
    })
}

/// Publishes `from` (a file outside the output, such as a cached photo) at `rel` under the
/// staging or output folder `dir`: a hard link when both lie on one file system — instant,
/// and the file keeps its time, so uploads skip it — else a copy.
pub fn link_or_copy(dir: &Path, rel: &str, from: &Path) -> io::Result<()> {
    let path = checked_join(dir, rel)?;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    // Beside it first, then renamed over it: a reader never finds the file missing.
    let temp = temp_beside(&path);
    let _ = std::fs::remove_file(&temp);
    if std::fs::hard_link(from, &temp).is_err() {
        std::fs::copy(from, &temp)?;
    }
    std::fs::rename(&temp, &path)
}

/// [`link_or_copy`] into a folder nobody reads yet (a staging folder): the link is made in
/// place, without a temporary name — two system calls fewer for each of thousands of photos.
pub fn link_or_copy_fresh(dir: &Path, rel: &str, from: &Path) -> io::Result<()> {
    let path = checked_join(dir, rel)?;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    if std::fs::hard_link(from, &path).is_ok() {
        return Ok(());
    }
    std::fs::copy(from, &path).map(|_| ())
}

/// `.name.qissa-new` beside `path`.
fn temp_beside(path: &Path) -> PathBuf {
    path.with_file_name(format!(
        ".{}.qissa-new",
        path.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default()
    ))
}

/// Every file under `dir` (relative, with `/`), qissa's marker aside, sorted; none when
/// there is no such folder. The folders at the top are walked in parallel: a site's output
/// is tens of thousands of files, and listing them is most of what checking a build cache
/// costs.
pub fn files_under(dir: &Path) -> Vec<String> {
    use rayon::prelude::*;
    let top: Vec<walkdir::DirEntry> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .max_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .collect();
    let mut files: Vec<String> = top
        .par_iter()
        .flat_map_iter(|entry| {
            walkdir::WalkDir::new(entry.path())
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| !e.file_type().is_dir())
                .filter_map(|e| {
                    let rel = e.path().strip_prefix(dir).ok()?;
                    Some(rel.to_string_lossy().replace('\\', "/"))
                })
        })
        .filter(|rel| rel != OUTPUT_MARKER)
        .collect();
    files.par_sort_unstable();
    files
}

/// Removes the file at `path`; a file already gone is no error.
pub fn remove_file_if_present(path: &Path) -> io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Removes page `rel` under `output`, and the folders it leaves empty.
pub fn remove_page(output: &Path, rel: &str) -> io::Result<()> {
    let path = checked_join(output, rel)?;
    match std::fs::remove_file(&path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    let mut dir = path.parent();
    while let Some(d) = dir.filter(|d| *d != output) {
        if std::fs::remove_dir(d).is_err() {
            break; // not empty: other pages live here
        }
        dir = d.parent();
    }
    Ok(())
}

/// `output/rel`, refusing anything but a plain relative path.
fn checked_join(output: &Path, rel: &str) -> io::Result<PathBuf> {
    let rel: String = rel.nfc().collect();
    let rel_path = Path::new(&rel);
    let safe = rel_path
        .components()
        .all(|c| matches!(c, Component::Normal(_)));
    if !safe || rel.is_empty() || rel.contains('\0') {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("refusing to write {rel}"),
        ));
    }
    Ok(output.join(rel_path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swaps_in_only_on_commit() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("old.html"), "old").unwrap();
        {
            let s = Staging::create(&out).unwrap();
            s.write("new.html", b"new").unwrap();
        }
        assert!(
            out.join("old.html").exists(),
            "an abandoned build must not touch the output"
        );
        let s = Staging::create(&out).unwrap();
        s.write("a/b/index.html", b"new").unwrap();
        s.commit().unwrap();
        assert!(!out.join("old.html").exists(), "stale files must go");
        assert_eq!(
            std::fs::read_to_string(out.join("a/b/index.html")).unwrap(),
            "new"
        );
        assert_eq!(
            std::fs::read_dir(tmp.path()).unwrap().count(),
            1,
            "no staging folders left"
        );
    }

    #[test]
    fn refuses_paths_outside_the_output() {
        let tmp = tempfile::tempdir().unwrap();
        let s = Staging::create(&tmp.path().join("public")).unwrap();
        for bad in ["../x", "/etc/passwd", "a/../../b", ""] {
            assert!(s.path_of(bad).is_err(), "{bad}");
        }
    }
}
