//! Processing photos: one at a time ([`process`]) or a whole site's on every core with
//! bounded memory ([`process_all`]).
//!
//! For one photo: stat the file (size limit, and the remembered content hash when size and
//! modification time are unchanged), look the job up in the cache's index, and only on a
//! miss read, decode once and draw every planned file from the one decoded image, skipping
//! files the cache already has. The batch runs on its own pool of `threads` workers, each holding one
//! decoded photo at a time, so 500 photos of 12 MP never hold more than `threads` of them.

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use rayon::prelude::*;

use super::cache::{FileStamp, Learnt, PhotoCache, Snapshot};
use super::decode::{Decoded, decode};
use super::encode::encode;
use super::error::PhotoError;
use super::plan::{ENGINE_VERSION, PlannedFile, plan};
use super::resize::render;
use super::source::read_limited;
use super::{Photo, PhotoRequest, PhotoSettings, Rendition};
use crate::hash::{hash_bytes, stable_hash};

/// Makes (or finds in the cache) every file of one photo.
pub fn process(
    request: &PhotoRequest,
    settings: &PhotoSettings,
    cache: &PhotoCache,
) -> Result<Photo, PhotoError> {
    let mut results = process_all(std::slice::from_ref(request), settings, cache, 1);
    results
        .pop()
        .unwrap_or_else(|| unreachable!("one result per request"))
}

/// One photo of a batch: its files, and what the index should learn.
struct Made {
    photo: Photo,
    /// The source's hash, when it was not remembered.
    source: Option<(String, FileStamp, u64)>,
    /// The job, when it was made in this batch.
    new_job: bool,
}

/// Makes (or finds in `snapshot`) every file of one photo.
fn process_one(
    request: &PhotoRequest,
    settings: &PhotoSettings,
    cache: &PhotoCache,
    snapshot: &Snapshot,
) -> Result<Made, PhotoError> {
    let path = &request.path;
    let metadata = fs::metadata(path).map_err(|error| PhotoError::io(path, &error))?;
    let limit = settings.limits.max_file_bytes;
    if metadata.len() > limit {
        return Err(PhotoError::TooLarge {
            path: path.clone(),
            bytes: metadata.len(),
            limit,
        });
    }
    let source_id = format!("{:016x}", stable_hash(path));
    let stamp = FileStamp::of(&metadata);
    let mut bytes = None;
    let remembered = snapshot.remembered_hash(&source_id, &stamp);
    let content_hash = match remembered {
        Some(hash) => hash,
        None => hash_bytes(bytes.insert(read_limited(path, limit)?)),
    };
    let job = job_key(content_hash, request, settings);
    let cached = snapshot.job(&job);
    let new_job = cached.is_none();
    let mut photo = match cached {
        Some(photo) => photo,
        None => {
            let bytes = match bytes.take() {
                Some(bytes) => bytes,
                None => read_limited(path, limit)?,
            };
            let made = Making {
                path,
                bytes: &bytes,
                content_hash,
                request,
                settings,
            };
            make(&made, cache, snapshot, &job)?
        }
    };
    photo.source = path.clone();
    photo.source_id = source_id.clone();
    let source = remembered
        .is_none()
        .then_some((source_id, stamp, content_hash));
    Ok(Made {
        photo,
        source,
        new_job,
    })
}

/// The key of a file name: the source's bytes, the encoder settings and the engine.
fn file_key(content_hash: u64, settings: &PhotoSettings) -> String {
    format!(
        "{:016x}",
        stable_hash((content_hash, ENGINE_VERSION, settings.quality))
    )
}

/// The key of a job: the file key plus which files were asked for.
fn job_key(content_hash: u64, request: &PhotoRequest, settings: &PhotoSettings) -> String {
    let asked = (&settings.widths, &settings.crops, request.focus);
    format!(
        "{:016x}",
        stable_hash((file_key(content_hash, settings), asked))
    )
}

/// One photo to decode, with what its files are keyed by.
struct Making<'a> {
    path: &'a Path,
    bytes: &'a [u8],
    content_hash: u64,
    request: &'a PhotoRequest,
    settings: &'a PhotoSettings,
}

/// Decodes once and draws, encodes and caches every planned file the cache lacks.
fn make(
    making: &Making,
    cache: &PhotoCache,
    snapshot: &Snapshot,
    job: &str,
) -> Result<Photo, PhotoError> {
    let Making {
        path,
        bytes,
        content_hash,
        request,
        settings,
    } = *making;
    let Decoded {
        pixels,
        transparent,
    } = decode(path, bytes, &settings.limits)?;
    let size = (pixels.width(), pixels.height());
    let key = file_key(content_hash, settings);
    let planned = plan(
        &key,
        size,
        transparent,
        &settings.widths,
        &settings.crops,
        request.focus,
    );
    let renditions = planned
        .iter()
        .map(|file| make_file(path, &pixels, file, settings, cache, snapshot))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Photo {
        source: path.to_path_buf(),
        source_id: String::new(),
        job: job.to_string(),
        width: size.0,
        height: size.1,
        transparent,
        renditions,
    })
}

fn make_file(
    path: &Path,
    pixels: &image::DynamicImage,
    file: &PlannedFile,
    settings: &PhotoSettings,
    cache: &PhotoCache,
    snapshot: &Snapshot,
) -> Result<Rendition, PhotoError> {
    let cached = cache.path_of(&file.file);
    let existing = snapshot
        .has_file(&file.file)
        .then(|| fs::metadata(&cached).ok())
        .flatten();
    let bytes = match existing {
        Some(metadata) if metadata.is_file() => metadata.len(),
        _ => {
            let drawn = render(pixels, file.region, file.width, file.height);
            let encoded = encode(&drawn, file.format, settings.quality).map_err(|detail| {
                PhotoError::Encode {
                    path: path.to_path_buf(),
                    detail,
                }
            })?;
            cache
                .write(&cached, &encoded)
                .map_err(|e| PhotoError::io(&cached, &e))?;
            encoded.len() as u64
        }
    };
    Ok(Rendition {
        role: file.role.clone(),
        format: file.format,
        width: file.width,
        height: file.height,
        file: file.file.clone(),
        bytes,
    })
}

/// Processes every request on `threads` workers (at most that many photos decoded at once),
/// each distinct request once, and answers in the order of `requests`. The cache's index is
/// read once before and written once after, and only if the batch made something new.
pub fn process_all(
    requests: &[PhotoRequest],
    settings: &PhotoSettings,
    cache: &PhotoCache,
    threads: usize,
) -> Vec<Result<Photo, PhotoError>> {
    let mut distinct: Vec<&PhotoRequest> = Vec::new();
    let mut index_of: HashMap<&PhotoRequest, usize> = HashMap::new();
    for request in requests {
        index_of.entry(request).or_insert_with(|| {
            distinct.push(request);
            distinct.len() - 1
        });
    }
    let snapshot = cache.snapshot();
    let made = run_on_pool(threads, || {
        distinct
            .par_iter()
            .with_max_len(1)
            .map(|r| process_one(r, settings, cache, &snapshot))
            .collect::<Vec<_>>()
    });
    let results = match record(cache, &snapshot, made) {
        Ok(results) => results,
        Err(error) => vec![Err(PhotoError::io(cache.root(), &error)); distinct.len()],
    };
    requests
        .iter()
        .map(|request| results[index_of[request]].clone())
        .collect()
}

/// Runs `work` on a pool of `threads` workers (on the caller's thread if none can start).
fn run_on_pool<T: Send>(threads: usize, work: impl FnOnce() -> T + Send) -> T {
    match rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .build()
    {
        Ok(pool) => pool.install(work),
        Err(_) => work(),
    }
}

/// Adds what the batch learnt to the cache's index, and returns the photos.
fn record(
    cache: &PhotoCache,
    snapshot: &Snapshot,
    made: Vec<Result<Made, PhotoError>>,
) -> std::io::Result<Vec<Result<Photo, PhotoError>>> {
    let mut learnt = Learnt::default();
    let mut results = Vec::with_capacity(made.len());
    for result in made {
        results.push(result.map(|made| {
            learnt.sources.extend(made.source);
            if made.new_job {
                learnt.jobs.push(made.photo.clone());
            }
            made.photo
        }));
    }
    cache.record(snapshot, learnt)?;
    Ok(results)
}

/// The number of workers for [`process_all`]: every core.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}
