//! `qissa theme eject`: a copy of a built-in theme in the site's `themes/` folder, to edit.
//!
//! A theme folder in the site wins over the built-in theme of the same name, so after
//! `qissa theme eject` the site builds with the copy, and every edit to it shows. Nothing is
//! overwritten: an existing `themes/<name>/` is an error, since it may hold a newsroom's
//! edits.

use std::path::Path;

use super::{Created, write_new_bytes};
use crate::error::Diagnostic;
use crate::theme::{BUILT_IN_THEMES, built_in_theme};

/// Copies the built-in theme `name` into `<root>/themes/<name>/`.
pub fn eject_theme(root: &Path, name: &str) -> Result<Created, Diagnostic> {
    let dir = root.join("themes").join(name);
    let Some(files) = built_in_theme(name) else {
        return Err(
            Diagnostic::new(&dir, format!("`{name}` is not a built-in theme"))
                .help(format!("built-in themes: {}", BUILT_IN_THEMES.join(", "))),
        );
    };
    if dir.exists() {
        return Err(
            Diagnostic::new(&dir, "this theme folder already exists").help(
                "qissa theme eject never overwrites a theme, which may hold your edits; \
             rename or remove the folder first",
            ),
        );
    }
    for (path, bytes) in files {
        write_new_bytes(&dir.join(path), bytes)?;
    }
    Ok(Created {
        path: dir,
        preview: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ejects_every_file_once_and_never_overwrites() {
        let root = tempfile::tempdir().unwrap();
        for name in BUILT_IN_THEMES {
            let made = eject_theme(root.path(), name).unwrap();
            assert_eq!(made.path, root.path().join("themes").join(name));
            // The labels too: the copy must build on its own.
            assert!(made.path.join("strings.yaml").is_file(), "{name}");
            for (path, bytes) in built_in_theme(name).unwrap() {
                assert_eq!(
                    &std::fs::read(made.path.join(path)).unwrap(),
                    bytes,
                    "{name}: {path}"
                );
            }
        }
        let made = root.path().join("themes/qissa");
        let edited = made.join("templates/base.html");
        std::fs::write(&edited, "edited").unwrap();
        let again = eject_theme(root.path(), "qissa").unwrap_err();
        assert!(again.message.contains("already exists"), "{again}");
        assert_eq!(std::fs::read_to_string(&edited).unwrap(), "edited");
    }

    #[test]
    fn an_unknown_theme_lists_the_built_in_ones() {
        let root = tempfile::tempdir().unwrap();
        let error = eject_theme(root.path(), "paper").unwrap_err();
        assert!(
            error.to_string().contains("built-in themes: qissa, jarida"),
            "{error}"
        );
        assert!(!root.path().join("themes").exists());
    }
}
