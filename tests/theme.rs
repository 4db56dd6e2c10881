//! The built-in themes: a site without a `themes/` folder builds with the default theme
//! compiled into the binary, and each built-in copy (`qissa`, `jarida`) is exactly
//! `themes/<name>/` of this checkout, complete and current (build.rs refuses to embed
//! anything less). jarida defines every label of the default theme.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use qissa::theme::{BUILT_IN_THEMES, REQUIRED_TEMPLATES, Theme};

/// Every file under `dir`, by its path relative to `dir` (with `/`), with its bytes.
fn files_on_disk(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap().to_string_lossy();
                files.insert(rel.replace('\\', "/"), std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

fn loaded(files: &[qissa::theme::ThemeFile]) -> BTreeMap<String, Vec<u8>> {
    files
        .iter()
        .map(|f| (f.rel.clone(), f.source.read().unwrap().into_owned()))
        .collect()
}

#[test]
fn a_site_without_themes_gets_this_checkouts_built_in_themes() {
    let site = tempfile::tempdir().unwrap();
    assert_eq!(BUILT_IN_THEMES, ["qissa", "jarida"]);
    for name in BUILT_IN_THEMES {
        let theme = Theme::load(site.path(), name).unwrap();
        let checkout = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("themes")
            .join(name);
        assert_eq!(
            loaded(&theme.templates),
            files_on_disk(&checkout.join("templates")),
            "the built-in templates differ from themes/{name}/templates"
        );
        assert_eq!(
            loaded(&theme.statics),
            files_on_disk(&checkout.join("static")),
            "the built-in assets differ from themes/{name}/static"
        );
        for template in REQUIRED_TEMPLATES {
            assert!(
                theme.templates.iter().any(|t| t.rel == *template),
                "{name}: {template} is not built in"
            );
        }
    }
}

/// The top-level keys of a theme's `strings.yaml`.
fn label_keys(theme: &str) -> BTreeSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("themes/{theme}/strings.yaml"));
    std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(key, _)| key)
        .filter(|key| !key.is_empty() && key.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .map(str::to_string)
        .collect()
}

#[test]
fn jarida_defines_every_label_of_the_default_theme() {
    // A site's own wording (strings: in site.yaml) must stay valid when it changes theme.
    let qissa = label_keys("qissa");
    let jarida = label_keys("jarida");
    assert!(qissa.len() > 80, "{qissa:?}");
    let missing: Vec<&String> = qissa.difference(&jarida).collect();
    assert!(missing.is_empty(), "jarida lacks {missing:?}");
    let own: Vec<&String> = jarida.difference(&qissa).collect();
    assert_eq!(own, ["author_kicker", "feed_link", "in_this_article"]);
}
