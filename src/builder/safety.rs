//! Where a build may write: the output folder is replaced wholesale, so it must never be the
//! site itself or hold it, lie inside its sources, be a symbolic link, or be a folder of
//! someone else's files.

use std::path::{Path, PathBuf};

use super::output;
use crate::error::{BuildError, Diagnostic};

/// The output folder is replaced wholesale, so it must never be the site itself, hold it,
/// or sit inside its sources.
pub(crate) fn check_output_location(root: &Path, output: &Path) -> Result<(), BuildError> {
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let canonical_root = root.canonicalize().unwrap_or_else(|_| absolute(root));
    let parent = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let canonical_output = match (parent.canonicalize(), output.file_name()) {
        (Ok(dir), Some(name)) => dir.join(name),
        _ => absolute(output),
    };
    let inside_sources = ["content", "themes", "templates", "static"]
        .iter()
        .any(|dir| canonical_output.starts_with(canonical_root.join(dir)));
    if canonical_root.starts_with(&canonical_output)
        || inside_sources
        || output.file_name().is_none()
    {
        return Err(BuildError::one(
            Diagnostic::new(output, "refusing to use this folder for output: it holds the site's own files")
                .help("the output folder is replaced on every build; use a folder of its own, such as public/"),
        ));
    }
    // Without a trailing slash: `lstat("link/")` would follow the link.
    let unslashed: PathBuf = output.components().collect();
    if unslashed
        .symlink_metadata()
        .is_ok_and(|m| m.file_type().is_symlink())
    {
        return Err(BuildError::one(
            Diagnostic::new(output, "refusing to use a symbolic link as the output folder")
                .help("the output folder is replaced on every build, which would not replace the link's target; pass the real folder"),
        ));
    }
    if holds_foreign_files(output) {
        return Err(BuildError::one(
            Diagnostic::new(output, "refusing to replace this folder: it is not empty and qissa did not build it")
                .help(format!(
                    "the output folder is replaced on every build; choose a new or empty folder, or delete \
                     this one if nothing in it is needed (qissa marks its own output with {})",
                    output::OUTPUT_MARKER
                )),
        ));
    }
    Ok(())
}

/// Whether `dir` exists with files in it but without the marker of an earlier qissa build:
/// replacing it could destroy someone's work (`--output ~/Documents`).
fn holds_foreign_files(dir: &Path) -> bool {
    if dir.is_file() {
        return true;
    }
    let Ok(mut entries) = std::fs::read_dir(dir) else {
        return false; // does not exist yet
    };
    entries.next().is_some() && !dir.join(output::OUTPUT_MARKER).is_file()
}
