//! The photo stage of a build, between assembling the site and rendering it: every photo the
//! site shows (lead photos, body images, avatars, the logo) goes through the photo engine —
//! on all cores, with at most a few decoded at once, and from the cache in
//! `.qissa-cache/photos/` when nothing changed — and comes back as the files to publish.
//!
//! A photo that cannot be published is an error at the line of the reference, for every
//! article that uses it. The uploaded files themselves are never published: static photos
//! used as pictures are left out of the static copy.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::output;
use crate::error::Diagnostic;
use crate::photos::{PhotoCache, PhotoError, PhotoRequest, PhotoSettings, default_threads};
use crate::render::Photos;
use crate::site::Site;
use crate::site::pictures::Picture;

/// A file a build publishes by copying it: a photo's rendition from the cache, or an SVG
/// beside its article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileCopy {
    /// The path under the output folder.
    pub file: String,
    pub from: PathBuf,
    /// The name says the content (a photo rendition, named by its source's hash and the
    /// settings): the file need not be looked at to know it is unchanged.
    pub named_by_content: bool,
}

/// What the photo stage made.
#[derive(Default)]
pub struct Processed {
    pub photos: Photos,
    /// Every rendition and copied picture, each once, sorted by file.
    pub copies: Vec<FileCopy>,
    /// Source files of photos: never copied into the output as they are.
    pub sources: HashSet<PathBuf>,
}

/// Where a reference was written, for its error.
struct Origin<'a> {
    file: &'a Path,
    line: Option<usize>,
    key: &'static str,
}

/// Processes every photo of `site`, caching in `cache`.
pub fn process(
    site: &Site,
    settings: &PhotoSettings,
    cache: &PhotoCache,
) -> Result<Processed, Vec<Diagnostic>> {
    let shown = pictures_of(site);
    let requests: Vec<PhotoRequest> = shown
        .iter()
        .filter_map(|(p, _)| match p {
            Picture::Photo(request) => Some(request.clone()),
            _ => None,
        })
        .collect();
    let results = crate::photos::process_all(&requests, settings, cache, default_threads());
    let mut processed = Processed::default();
    let mut errors = Vec::new();
    let photo_origins = shown.iter().filter(|(p, _)| matches!(p, Picture::Photo(_)));
    for ((request, result), (_, origin)) in requests.into_iter().zip(results).zip(photo_origins) {
        match result {
            Ok(photo) => {
                processed.sources.insert(request.path.clone());
                processed.photos.insert(request, photo);
            }
            Err(e) => errors.push(photo_error(&e, origin)),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    processed.copies = copies(&processed.photos, &shown, cache);
    Ok(processed)
}

/// Every picture the site shows, with where it was named.
fn pictures_of(site: &Site) -> Vec<(&Picture, Origin<'_>)> {
    let mut shown = Vec::new();
    for entry in &site.entries {
        let a = &entry.article;
        let lead = a.image.as_ref().map(|i| i.line);
        if let (Some(picture), Some(line)) = (&entry.image, lead) {
            shown.push((picture, origin(&a.source, line, "image")));
        }
        for ((_, picture), written) in entry.body_pictures.iter().zip(&a.body_images) {
            shown.push((picture, origin(&a.source, written.line, "body")));
        }
    }
    for author in &site.authors {
        if let Some(picture) = &author.avatar {
            shown.push((picture, origin(&author.author.source, None, "avatar")));
        }
    }
    if let Some(logo) = &site.logo {
        shown.push((
            logo,
            origin(Path::new(crate::config::CONFIG_FILE), None, "logo"),
        ));
    }
    shown
}

fn origin<'a>(file: &'a Path, line: Option<usize>, key: &'static str) -> Origin<'a> {
    Origin { file, line, key }
}

fn photo_error(error: &PhotoError, origin: &Origin) -> Diagnostic {
    Diagnostic::new(origin.file, error.to_string())
        .at_optional_line(origin.line)
        .key(origin.key)
}

/// The files to publish: every rendition of every photo, and every copied picture.
fn copies(photos: &Photos, shown: &[(&Picture, Origin)], cache: &PhotoCache) -> Vec<FileCopy> {
    let renditions = photos.values().flat_map(|photo| {
        photo.renditions.iter().map(|r| FileCopy {
            file: r.file.clone(),
            from: cache.path_of(&r.file),
            named_by_content: true,
        })
    });
    let copied = shown.iter().filter_map(|(picture, _)| match picture {
        Picture::Copy { source, file, .. } => Some(FileCopy {
            file: file.clone(),
            from: source.clone(),
            named_by_content: false,
        }),
        _ => None,
    });
    let mut all: Vec<FileCopy> = renditions.chain(copied).collect();
    all.sort_by(|a, b| a.file.cmp(&b.file));
    all.dedup_by(|a, b| a.file == b.file);
    all
}

/// The photo cache of the site at `root`, writing through the output module.
pub fn cache_of(root: &Path) -> PhotoCache {
    PhotoCache::in_site_cache(&root.join(super::cache::CACHE_DIR))
        .writing_with(output::write_file_atomically)
}
