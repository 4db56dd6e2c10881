//! «اقرأ أيضًا» boxes: each `:::read-also FILE` names another article by its file, from the
//! site folder (`content/articles/2026/x.md`) or from the citing file's folder (`x.md`,
//! `../2025/y.md`). Parsing cannot see other files, so the reference waits in the body as a
//! slot until here, where it becomes the index of a published article — or a fault naming the
//! citing file and line, when no such article exists or it is not published in this build.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use unicode_normalization::UnicodeNormalization;

use crate::content::markdown::Slot;
use crate::error::{Diagnostic, nearest};

/// Where each published article's file leads, and which other files exist.
pub(super) struct ArticleFiles<'a> {
    /// Published articles by source path: their index in `Site::entries`.
    pub published: HashMap<&'a Path, usize>,
    /// Every article file that parsed, published or not.
    pub all: HashSet<PathBuf>,
}

impl ArticleFiles<'_> {
    /// For each slot of the body of `source`: the entry a read-also box links, or `None` for
    /// other slots and faults (which go to `errors`).
    pub fn resolve(
        &self,
        source: &Path,
        slots: &[Slot],
        errors: &mut Vec<Diagnostic>,
    ) -> Vec<Option<usize>> {
        slots
            .iter()
            .map(|slot| match slot {
                Slot::ReadAlso { file, line } => self
                    .find(source, file)
                    .map_err(|e| errors.push(e.at_line(*line)))
                    .ok(),
                Slot::Custom { .. } => None,
            })
            .collect()
    }

    fn find(&self, source: &Path, file: &str) -> Result<usize, Diagnostic> {
        let candidates = candidates(source, file);
        if let Some(i) = candidates
            .iter()
            .find_map(|c| self.published.get(c.as_path()))
        {
            return Ok(*i);
        }
        let fault = |message: String| Diagnostic::new(source, message).key(":::read-also");
        if let Some(found) = candidates.iter().find(|c| self.all.contains(*c)) {
            return Err(fault(format!(
                "`{}` is not published in this build (a draft, or dated in the future)",
                found.display()
            ))
            .help("publish that article first, or remove the «اقرأ أيضًا» box"));
        }
        let tried: Vec<String> = candidates.iter().map(|c| c.display().to_string()).collect();
        let names: Vec<String> = self.all.iter().map(|p| p.display().to_string()).collect();
        let mut help = format!("looked for {}", tried.join(" and "));
        if let Some(near) = tried
            .iter()
            .find_map(|t| nearest(t, names.iter().map(String::as_str)))
        {
            help.push_str(&format!("\ndid you mean `{near}`?"));
        }
        help.push_str("\nname the article's file from the site folder (content/articles/2026/x.md) or from this file's folder (x.md)");
        Err(fault(format!("no article `{file}`")).help(help))
    }
}

/// The paths `file` may mean, written in `source`: from its folder, then from the site root.
fn candidates(source: &Path, file: &str) -> Vec<PathBuf> {
    let file: String = file.trim().nfc().collect();
    let from_root = file.trim_start_matches('/');
    let mut paths = Vec::new();
    if !file.starts_with('/') {
        let beside = source.parent().unwrap_or(Path::new("")).join(&file);
        paths.extend(normalised(&beside));
    }
    if let Some(p) = normalised(Path::new(from_root)).filter(|p| !paths.contains(p)) {
        paths.push(p);
    }
    paths
}

/// `path` with `.` and `..` worked out; `None` when it climbs out of the site.
fn normalised(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::Normal(p) => out.push(p),
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> ArticleFiles<'static> {
        let published = HashMap::from([(Path::new("content/articles/2026/a.md"), 0)]);
        let all = HashSet::from([
            PathBuf::from("content/articles/2026/a.md"),
            PathBuf::from("content/articles/2026/draft.md"),
        ]);
        ArticleFiles { published, all }
    }

    fn resolve(file: &str) -> Result<usize, Diagnostic> {
        let source = Path::new("content/articles/2025/b.md");
        files().find(source, file)
    }

    #[test]
    fn files_are_found_from_the_citing_folder_or_the_root() {
        assert_eq!(resolve("../2026/a.md").unwrap(), 0);
        assert_eq!(resolve("content/articles/2026/a.md").unwrap(), 0);
        assert_eq!(resolve("./../2026/./a.md").unwrap(), 0);
    }

    #[test]
    fn missing_and_unpublished_articles_are_explained() {
        let missing = resolve("../2026/aa.md").unwrap_err();
        assert_eq!(missing.message, "no article `../2026/aa.md`");
        assert!(
            missing
                .help
                .unwrap()
                .contains("did you mean `content/articles/2026/a.md`?")
        );
        let draft = resolve("../2026/draft.md").unwrap_err();
        assert!(draft.message.contains("not published"), "{draft:?}");
        assert!(resolve("../../../../x.md").is_err());
    }

    #[test]
    fn only_read_also_slots_resolve() {
        let slots = [
            Slot::Custom {
                name: "poll".into(),
                args: vec![],
                body_html: None,
                line: 3,
            },
            Slot::ReadAlso {
                file: "content/articles/2026/nope.md".into(),
                line: 7,
            },
        ];
        let mut errors = Vec::new();
        let found = files().resolve(Path::new("content/articles/x.md"), &slots, &mut errors);
        assert_eq!(found, [None, None]);
        assert_eq!(errors[0].line, Some(7));
    }
}
