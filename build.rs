//! Embeds the built-in themes (`themes/qissa/`, the default, and `themes/jarida/`) in the
//! binary, so `qissa build` works on a site that has no `themes/` folder of its own.
//!
//! Generates, per theme, a list of `(relative path, include_bytes!(…))` pairs. Everything is
//! found from the checkout being built, as cargo tells this script when it runs, never from
//! where the script was compiled: one compiled in another checkout sharing the target folder
//! (since deleted, perhaps) must not embed that checkout's themes, or nothing. For the same reason
//! the generated list names files relative to `CARGO_MANIFEST_DIR`, read when the crate
//! itself compiles. A theme folder that is missing or lacks a required template stops the
//! build here rather than shipping a binary whose built-in theme cannot render a site.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The themes compiled into the binary, each `themes/<name>` of the package root; the
/// crate's `theme::BUILT_IN_THEMES`.
const THEMES: &[&str] = include!("src/theme/built_in_themes.rs");

/// The templates every theme must provide; the crate's `theme::REQUIRED_TEMPLATES`.
const REQUIRED_TEMPLATES: &[&str] = include!("src/theme/required_templates.rs");

fn main() {
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR")
        .expect("cargo sets CARGO_MANIFEST_DIR for build scripts");
    let mut code =
        String::from("/// The built-in themes: (name, [(path inside the theme, contents)]).\n");
    code.push_str("pub static THEMES: &[(&str, super::BuiltInFiles)] = &[\n");
    for name in THEMES {
        let dir = format!("themes/{name}");
        let theme = Path::new(&manifest_dir).join(&dir);
        // The folder, not only its files: adding or removing a file must rebuild too.
        println!("cargo:rerun-if-changed={}", theme.display());
        check_theme(&theme, &dir);
        let mut files = Vec::new();
        collect(&theme, &theme, &mut files);
        files.sort();
        code.push_str(&embedded_theme_code(name, &dir, &files));
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("embedded_theme.rs");
    std::fs::write(out, code).expect("cannot write embedded_theme.rs");
}

/// Stops the build when a built-in theme cannot be embedded whole.
fn check_theme(theme: &Path, dir: &str) {
    assert!(
        theme.is_dir(),
        "the built-in theme folder {} is missing; qissa embeds it in the binary so that sites \
         without a themes/ folder build. Restore it (git checkout -- {dir}) and build again",
        theme.display()
    );
    let missing: Vec<&str> = REQUIRED_TEMPLATES
        .iter()
        .copied()
        .filter(|name| !theme.join("templates").join(name).is_file())
        .collect();
    assert!(
        missing.is_empty(),
        "the built-in theme {} lacks the required template(s) {}; every theme needs {}",
        theme.display(),
        missing.join(", "),
        REQUIRED_TEMPLATES.join(", ")
    );
}

/// One theme's entry of the `THEMES` list, each file read by `include_bytes!` from the
/// package being compiled.
fn embedded_theme_code(name: &str, dir: &str, files: &[String]) -> String {
    let mut code = format!("    ({name:?}, &[\n");
    for rel in files {
        let from_manifest = format!("/{dir}/{rel}");
        writeln!(
            code,
            "        ({rel:?}, include_bytes!(concat!(env!(\"CARGO_MANIFEST_DIR\"), {from_manifest:?}))),"
        )
        .unwrap();
    }
    code.push_str("    ]),\n");
    code
}

/// The path of every file under `dir`, relative to `root` and written with `/`.
fn collect(root: &Path, dir: &Path, files: &mut Vec<String>) {
    let entries = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read the theme folder {}: {e}", dir.display()));
    for entry in entries {
        let path = entry
            .unwrap_or_else(|e| panic!("cannot read the theme folder {}: {e}", dir.display()))
            .path();
        println!("cargo:rerun-if-changed={}", path.display());
        if path.is_dir() {
            collect(root, &path, files);
        } else {
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            files.push(rel);
        }
    }
}
