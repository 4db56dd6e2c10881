//! A build session: the site kept in memory between builds, so a rebuild redoes only what a
//! change touched.
//!
//! The first build (and any change to `site.yaml`, the theme, templates or static files)
//! loads everything and writes the whole site through a staging folder. After that, a change
//! to content files re-parses just those files, reassembles the site (cheap), and fingerprints
//! every page from its inputs; only pages whose fingerprint changed are rendered and
//! replaced, and pages that no longer exist are removed. The result is byte-identical to a
//! full build, because a page's fingerprint covers everything its template is given.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use super::safety::check_output_location;
use super::{BuildOptions, Report, Stopwatch};
use crate::arabic::dates::DateFormatter;
use crate::arabic::plurals::Counter;
use crate::builder::cache;
use crate::builder::output::Staging;
use crate::config::{self, Config};
use crate::content::markdown::MarkdownOptions;
use crate::content::{ParseContext, Sources};
use crate::error::{BuildError, Diagnostic};
use crate::render::{self, CardCache, Job, Renderer};
use crate::site::{Site, SiteOptions};
use crate::theme::statics::StaticFiles;
use crate::theme::templates::Templates;
use crate::theme::{Source, Theme};

/// What changed since the last build.
#[derive(Debug, Clone)]
pub enum Change {
    /// Configuration, theme, templates or static files, or unknown: rebuild everything.
    Everything,
    /// Only these files or folders under `content/` (absolute or relative to the root).
    Content(Vec<PathBuf>),
}

/// Everything a build needs that comes from configuration, theme and templates.
struct Prepared {
    config: Config,
    templates: Templates,
    statics: StaticFiles,
    counter: Arc<Counter>,
    formatter: DateFormatter,
    ctx: ParseContext,
    /// Changes whenever the above is reloaded; part of every page's fingerprint.
    generation: u64,
}

/// A site kept between builds.
pub struct Session {
    options: BuildOptions,
    prepared: Option<Prepared>,
    sources: Sources,
    cards: CardCache,
    /// Fingerprint of every file the last successful build left in the output folder.
    written: HashMap<String, u64>,
    /// `written` came from the disk cache: files it does not know may lie in the output
    /// folder (put there by hand), and must go as a full build would remove them.
    from_disk: bool,
    /// The output file of each article and page source, as of the last successful build.
    file_of_source: HashMap<PathBuf, String>,
}

impl Session {
    /// A session for the site and output described by `options`; nothing is read yet.
    pub fn new(options: BuildOptions) -> Session {
        Session {
            options,
            prepared: None,
            sources: Sources::default(),
            cards: CardCache::default(),
            written: HashMap::new(),
            from_disk: false,
            file_of_source: HashMap::new(),
        }
    }

    /// Picks up what an earlier `qissa build` into the same folder wrote, when nothing but
    /// content has changed since (see [`crate::builder::cache`]).
    fn resume_from_disk_cache(&mut self) {
        self.from_disk = false;
        let Some(prepared) = &self.prepared else {
            return;
        };
        if !self.options.cache {
            return;
        }
        let output = self.options.output_dir();
        if let Some(written) = cache::load(&self.options.root, &output, prepared.generation) {
            self.written = written;
            self.from_disk = true;
        }
    }

    /// The options this session builds with.
    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    /// Builds after `change`. On failure the output folder is left as it was.
    pub fn build(&mut self, change: Change) -> Result<Report, BuildError> {
        let started = Instant::now();
        let mut clock = Stopwatch::start();
        let root = self.options.root.clone();
        match change {
            Change::Content(paths) if self.prepared.is_some() => {
                if let Some(prepared) = &self.prepared {
                    self.sources.refresh(&root, &paths, &prepared.ctx);
                }
                clock.lap("re-read changed content");
            }
            _ => {
                self.prepared = None;
                self.written.clear();
                self.prepare(&mut clock)?;
                self.resume_from_disk_cache();
            }
        }
        let Session {
            options,
            prepared,
            sources,
            cards,
            written,
            from_disk,
            file_of_source,
        } = self;
        let Some(prepared) = prepared.as_mut() else {
            unreachable!("a successful prepare() stores the prepared state")
        };
        let (content, errors) = sources.content(&root);
        let site = checked_site(
            options,
            &prepared.config,
            &prepared.statics,
            content,
            errors,
            Some(&prepared.templates),
        )?;
        prepared
            .templates
            .set_global("site", render::globals(&site, &prepared.config));
        clock.lap("assemble the site");

        let p = &*prepared;
        let renderer = Renderer::new(
            &site,
            &p.config,
            &p.templates,
            &p.formatter,
            &p.counter,
            cards,
            p.generation,
        );
        clock.lap("prepare dates and cards");
        let jobs = render::jobs(&site, p.config.per_page);
        let prints: Vec<(String, u64)> = jobs
            .par_iter()
            .map(|job| (renderer.file_of(*job), renderer.job_print(*job)))
            .collect();
        let output = options.output_dir();
        let (pages_written, files_copied) = if written.is_empty() {
            let counts = write_everything(&renderer, &jobs, &p.statics, &output)?;
            clock.lap("render and write every page");
            counts
        } else {
            let dirty: Vec<Job> = jobs
                .iter()
                .zip(&prints)
                .filter(|(_, (file, print))| written.get(file) != Some(print))
                .map(|(job, _)| *job)
                .collect();
            let pages = render_all(&renderer, &dirty)?;
            // From here on the folder changes file by file: if anything fails, the cache no
            // longer describes it, and the next build must be a full one.
            if options.cache {
                cache::forget(&options.root, &output);
            }
            replace_pages(&output, &pages, written, &prints)?;
            if std::mem::take(from_disk) {
                remove_unknown_files(&output, &prints, &p.statics)?;
            }
            clock.lap("render and replace changed pages");
            (pages.len(), 0)
        };
        *written = prints.into_iter().collect();
        if options.cache {
            cache::save(&options.root, &output, p.generation, written);
        }
        let files = files_of_sources(&site);
        let moved = files
            .iter()
            .filter_map(|(source, file)| {
                let old = file_of_source.get(source)?;
                (old != file).then(|| (old.clone(), file.clone()))
            })
            .collect();
        *file_of_source = files;
        Ok(Report {
            output,
            articles: site.entries.len(),
            pages_written,
            files_copied,
            future: site.future,
            drafts_skipped: site.drafts_skipped,
            merged_tags: site.merged_tags,
            ignored: site.ignored,
            elapsed: started.elapsed(),
            timings: clock.laps,
            moved,
        })
    }

    /// Loads configuration, theme and templates, and parses every source.
    fn prepare(&mut self, clock: &mut Stopwatch) -> Result<(), BuildError> {
        let root = &self.options.root;
        let mut config = Config::load(root).map_err(BuildError::input)?;
        if let Some(url) = &self.options.base_url {
            config.set_base_url(url).map_err(|m| {
                BuildError::one(
                    Diagnostic::new("--base-url", m)
                        .help("e.g. --base-url https://user.github.io/news/"),
                )
            })?;
        }
        check_output_location(root, &self.options.output_dir())?;
        let theme = Theme::load(root, &config.theme).map_err(BuildError::one)?;
        let language_error =
            |m: String| BuildError::one(Diagnostic::new(config::CONFIG_FILE, m).key("language"));
        let counter =
            Arc::new(Counter::new(&config.language, config.digits).map_err(language_error)?);
        let hijri = config.hijri.then_some(config.hijri_offset);
        let formatter = DateFormatter::new(&config.language, config.digits.as_str(), hijri)
            .map_err(language_error)?;
        let templates = Templates::load(&theme, counter.clone());
        let statics = StaticFiles::new(&theme.statics);
        let ctx = ParseContext {
            timezone: config.timezone.clone(),
            markdown: MarkdownOptions {
                base_path: config.base_path.clone(),
                allow_html: config.allow_raw_html,
            },
        };
        clock.lap("config, theme and templates");
        self.sources = Sources::load(root, &ctx);
        clock.lap("read and parse content");
        // Broken templates: still check the content, to report every fault in one run.
        let templates = match templates {
            Ok(templates) => templates,
            Err(mut errors) => {
                let (content, parse_errors) = self.sources.content(root);
                errors.extend(parse_errors);
                let checked = checked_site(&self.options, &config, &statics, content, errors, None);
                return Err(checked
                    .err()
                    .unwrap_or_else(|| BuildError::input(Vec::new())));
            }
        };
        let generation = generation_of(&self.options, &theme);
        self.prepared = Some(Prepared {
            config,
            templates,
            statics,
            counter,
            formatter,
            ctx,
            generation,
        });
        Ok(())
    }
}

/// Assembles the site from the sources that parsed, adding every fault found on the way —
/// unknown authors, categories and templates, URL collisions — to the parse faults already
/// known. `Ok` only when there are none at all.
fn checked_site(
    options: &BuildOptions,
    config: &Config,
    statics: &StaticFiles,
    content: crate::content::Content,
    mut errors: Vec<Diagnostic>,
    templates: Option<&Templates>,
) -> Result<Site, BuildError> {
    if let Some(templates) = templates {
        errors.extend(unknown_templates(&content, templates));
    }
    let site_options = SiteOptions {
        drafts: options.drafts,
        now: options.now.unwrap_or_else(jiff::Timestamp::now),
    };
    match Site::assemble(config, content, statics, &site_options) {
        Ok(site) if errors.is_empty() => Ok(site),
        Ok(_) => Err(BuildError::input(errors)),
        Err(more) => {
            errors.extend(more);
            Err(BuildError::input(errors))
        }
    }
}

/// `template:` values that name no template of the theme.
fn unknown_templates(content: &crate::content::Content, templates: &Templates) -> Vec<Diagnostic> {
    let articles = content.articles.iter().map(|a| (&a.source, &a.template));
    let pages = content.pages.iter().map(|p| (&p.source, &p.template));
    articles
        .chain(pages)
        .filter_map(|(source, template)| {
            let t = template.as_ref().filter(|t| !templates.has(&t.value))?;
            Some(
                Diagnostic::new(source, format!("unknown template `{}`", t.value))
                    .at_optional_line(t.line)
                    .key("template")
                    .help(templates.unknown_template(&t.value)),
            )
        })
        .collect()
}

/// Everything that shapes the output besides content: qissa's version, `site.yaml`, the
/// flags, the templates and the static files. A build cache is valid only for the same.
fn generation_of(options: &BuildOptions, theme: &Theme) -> u64 {
    let config = std::fs::read(options.root.join(config::CONFIG_FILE)).unwrap_or_default();
    let templates: Vec<(&str, Vec<u8>)> = theme
        .templates
        .iter()
        .map(|t| {
            (
                t.rel.as_str(),
                t.source.read().map(|b| b.into_owned()).unwrap_or_default(),
            )
        })
        .collect();
    let statics: Vec<(&str, u64, Option<std::time::SystemTime>)> = theme
        .statics
        .iter()
        .map(|f| match &f.source {
            Source::Disk(path) => {
                let meta = std::fs::metadata(path).ok();
                let len = meta.as_ref().map_or(0, |m| m.len());
                (f.rel.as_str(), len, meta.and_then(|m| m.modified().ok()))
            }
            Source::Embedded(bytes) => (f.rel.as_str(), bytes.len() as u64, None),
        })
        .collect();
    crate::hash::stable_hash((
        env!("CARGO_PKG_VERSION"),
        config,
        &options.base_url,
        options.drafts,
        templates,
        statics,
    ))
}

/// After an incremental build into a folder qissa built before: removes files no build would
/// leave there (pages of an earlier layout, files put there by hand), as a full build would.
fn remove_unknown_files(
    output: &Path,
    pages: &[(String, u64)],
    statics: &StaticFiles,
) -> Result<(), BuildError> {
    let mut known: std::collections::HashSet<String> =
        pages.iter().map(|(f, _)| f.clone()).collect();
    known.extend(statics.paths().map(str::to_string));
    known.insert(crate::builder::output::OUTPUT_MARKER.to_string());
    let unknown: Vec<String> = walkdir::WalkDir::new(output)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .filter_map(|e| {
            e.path()
                .strip_prefix(output)
                .ok()
                .map(|p| p.to_string_lossy().replace('\\', "/"))
        })
        .filter(|rel| !known.contains(rel))
        .collect();
    for rel in unknown {
        crate::builder::output::remove_page(output, &rel)
            .map_err(|e| BuildError::io(&output.join(&rel), e))?;
    }
    Ok(())
}

/// Where each article and page source is published.
fn files_of_sources(site: &Site) -> HashMap<PathBuf, String> {
    let articles = site.entries.iter().map(|e| {
        (
            e.article.source.clone(),
            crate::builder::output::file_for_path(&e.path),
        )
    });
    let pages = site.pages.iter().map(|p| {
        (
            p.page.source.clone(),
            crate::builder::output::file_for_path(&p.path),
        )
    });
    articles.chain(pages).collect()
}

/// Renders `jobs` in parallel into memory; every template fault is collected.
fn render_all(renderer: &Renderer, jobs: &[Job]) -> Result<Vec<(String, Vec<u8>)>, BuildError> {
    let results: Vec<Result<(String, Vec<u8>), Diagnostic>> =
        jobs.par_iter().map(|job| renderer.render(*job)).collect();
    let mut pages = Vec::with_capacity(results.len());
    let mut diagnostics = Vec::new();
    for result in results {
        match result {
            Ok(page) => pages.push(page),
            Err(d) => diagnostics.push(d),
        }
    }
    if diagnostics.is_empty() {
        Ok(pages)
    } else {
        Err(template_errors(diagnostics))
    }
}

/// One broken template line fails every page using it: report it once.
fn template_errors(mut diagnostics: Vec<Diagnostic>) -> BuildError {
    diagnostics.sort_by(|a, b| (&a.file, a.line, &a.message).cmp(&(&b.file, b.line, &b.message)));
    diagnostics.dedup_by(|a, b| a.file == b.file && a.line == b.line && a.message == b.message);
    BuildError::input(diagnostics)
}

/// A full build: every page and static file into a staging folder, swapped in at the end.
fn write_everything(
    renderer: &Renderer,
    jobs: &[Job],
    statics: &StaticFiles,
    output: &Path,
) -> Result<(usize, usize), BuildError> {
    let staging = Staging::create(output).map_err(|e| BuildError::io(output, e))?;
    let results: Vec<Result<(), BuildError>> = jobs
        .par_iter()
        .map(|job| {
            let (file, html) = renderer.render(*job).map_err(BuildError::one)?;
            staging
                .write(&file, &html)
                .map_err(|e| BuildError::io(Path::new(&file), e))
        })
        .collect();
    let mut diagnostics = Vec::new();
    for result in results {
        match result {
            Ok(()) => {}
            Err(BuildError::Input(mut d)) => diagnostics.append(&mut d),
            Err(io) => return Err(io),
        }
    }
    if !diagnostics.is_empty() {
        return Err(template_errors(diagnostics));
    }
    let files: Vec<_> = statics.files().collect();
    files.par_iter().try_for_each(|(rel, file)| {
        let bytes = file
            .source
            .read()
            .map_err(|e| BuildError::io(&file.shown, e))?;
        staging
            .write(rel, &bytes)
            .map_err(|e| BuildError::io(&file.shown, e))
    })?;
    staging.commit().map_err(|e| BuildError::io(output, e))?;
    Ok((jobs.len(), files.len()))
}

/// An incremental build: replaces changed pages one by one (each atomically, so a reader
/// never sees half a page) and removes pages that no longer exist.
fn replace_pages(
    output: &Path,
    pages: &[(String, Vec<u8>)],
    previous: &HashMap<String, u64>,
    current: &[(String, u64)],
) -> Result<(), BuildError> {
    pages.par_iter().try_for_each(|(file, html)| {
        crate::builder::output::replace_file(output, file, html)
            .map_err(|e| BuildError::io(&output.join(file), e))
    })?;
    let current: std::collections::HashSet<&str> =
        current.iter().map(|(f, _)| f.as_str()).collect();
    for gone in previous.keys().filter(|f| !current.contains(f.as_str())) {
        crate::builder::output::remove_page(output, gone)
            .map_err(|e| BuildError::io(&output.join(gone), e))?;
    }
    Ok(())
}
