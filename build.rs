//! Embeds the default theme (`themes/qissa/`) in the binary, so `qissa build` works on a
//! site that has no `themes/` folder of its own.
//!
//! Generates a list of `(relative path, include_bytes!(…))` pairs. Everything is found from
//! the checkout being built, as cargo tells this script when it runs, never from where the
//! script was compiled: one compiled in another checkout sharing the target folder (since
//! deleted, perhaps) must not embed that checkout's theme, or nothing. For the same reason
//! the generated list names files relative to `CARGO_MANIFEST_DIR`, read when the crate
//! itself compiles. A theme folder that is missing or lacks a required template stops the
//! build here rather than shipping a binary whose built-in theme cannot render a site.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The theme compiled into the binary, relative to the package root.
const THEME_DIR: &str = "themes/qissa";

/// The templates every theme must provide; the crate's `theme::REQUIRED_TEMPLATES`.
const REQUIRED_TEMPLATES: &[&str] = include!("src/theme/required_templates.rs");

fn main() {
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR")
        .expect("cargo sets CARGO_MANIFEST_DIR for build scripts");
    let theme = Path::new(&manifest_dir).join(THEME_DIR);
    // The folder, not only its files: adding or removing a file must rebuild too.
    println!("cargo:rerun-if-changed={}", theme.display());
    check_theme(&theme);
    let mut files = Vec::new();
    collect(&theme, &theme, &mut files);
    files.sort();
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("embedded_theme.rs");
    std::fs::write(out, embedded_theme_code(&files)).expect("cannot write embedded_theme.rs");
}

/// Stops the build when the default theme cannot be embedded whole.
fn check_theme(theme: &Path) {
    assert!(
        theme.is_dir(),
        "the default theme folder {} is missing; qissa embeds it in the binary so that sites \
         without a themes/ folder build. Restore it (git checkout -- {THEME_DIR}) and build again",
        theme.display()
    );
    let missing: Vec<&str> = REQUIRED_TEMPLATES
        .iter()
        .copied()
        .filter(|name| !theme.join("templates").join(name).is_file())
        .collect();
    assert!(
        missing.is_empty(),
        "the default theme {} lacks the required template(s) {}; every theme needs {}",
        theme.display(),
        missing.join(", "),
        REQUIRED_TEMPLATES.join(", ")
    );
}

/// The `FILES` list, each file read by `include_bytes!` from the package being compiled.
fn embedded_theme_code(files: &[String]) -> String {
    let mut code =
        String::from("/// The default theme's files: (path inside the theme, contents).\n");
    code.push_str("pub static FILES: &[(&str, &[u8])] = &[\n");
    for rel in files {
        let from_manifest = format!("/{THEME_DIR}/{rel}");
        writeln!(
            code,
            "    ({rel:?}, include_bytes!(concat!(env!(\"CARGO_MANIFEST_DIR\"), {from_manifest:?}))),"
        )
        .unwrap();
    }
    code.push_str("];\n");
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
