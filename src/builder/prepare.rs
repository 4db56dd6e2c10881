//! What a build loads before content: `site.yaml`, the theme and its templates, the date and
//! plural machinery for the site's language, and the static files — together with the
//! *generation*, a hash of all of it, that tells a build whether its cache still applies.
//!
//! Also the one place where content meets the settings: [`checked_site`] assembles the site
//! and gathers every fault of every file, so a build reports them all in one run.

use std::sync::Arc;

use super::options::BuildOptions;
use super::safety::check_output_location;
use crate::arabic::dates::DateFormatter;
use crate::arabic::plurals::Counter;
use crate::config::{self, Config};
use crate::content::markdown::MarkdownOptions;
use crate::content::markdown::labels::BodyLabels;
use crate::content::{Content, ParseContext};
use crate::error::{BuildError, Diagnostic};
use crate::hash::stable_hash;
use crate::photos::PhotoSettings;
use crate::site::{Site, SiteOptions};
use crate::theme::blocks::declared_blocks;
use crate::theme::statics::StaticFiles;
use crate::theme::strings::Strings;
use crate::theme::templates::Templates;
use crate::theme::{Source, Theme};

/// Everything a build needs that comes from configuration, theme and templates.
pub struct Prepared {
    pub config: Config,
    pub templates: Templates,
    pub statics: StaticFiles,
    pub counter: Arc<Counter>,
    pub formatter: DateFormatter,
    pub ctx: ParseContext,
    /// The theme's photo widths and crops, and the engine's limits.
    pub photo_settings: PhotoSettings,
    /// Changes whenever the above is reloaded; part of every page's fingerprint.
    pub generation: u64,
}

impl Prepared {
    /// What the render stage needs of this state, with the build's photos.
    pub fn setup<'a>(&'a self, photos: &'a crate::render::Photos) -> crate::render::Setup<'a> {
        crate::render::Setup {
            config: &self.config,
            templates: &self.templates,
            formatter: &self.formatter,
            counter: &self.counter,
            photos,
        }
    }
}

/// What [`load`] found: the settings, and the templates (or every fault in them: the build
/// still parses the content, to report all faults in one run).
pub struct Loaded {
    pub config: Config,
    pub theme: Theme,
    pub templates: Result<Templates, Vec<Diagnostic>>,
    pub statics: StaticFiles,
    pub counter: Arc<Counter>,
    pub formatter: DateFormatter,
    pub ctx: ParseContext,
}

impl Loaded {
    /// The prepared state, once the templates are known to be good.
    pub fn prepared(self, options: &BuildOptions, templates: Templates) -> Prepared {
        Prepared {
            generation: generation_of(options, &self.theme),
            photo_settings: photo_settings(&self.config, &self.theme),
            config: self.config,
            templates,
            statics: self.statics,
            counter: self.counter,
            formatter: self.formatter,
            ctx: self.ctx,
        }
    }
}

/// What the photo engine makes: the theme's widths (`image_widths:` in its theme.yaml, or
/// the defaults), and the site's size limit.
fn photo_settings(config: &Config, theme: &Theme) -> PhotoSettings {
    let mut settings = PhotoSettings::default();
    if let Some(widths) = theme.image_widths.as_ref().filter(|w| !w.is_empty()) {
        settings.widths = widths.clone();
    }
    settings.limits.max_file_bytes = config.photo_max_mb as u64 * 1024 * 1024;
    settings
}

/// Loads configuration, theme and templates, and checks the output folder.
pub fn load(options: &BuildOptions) -> Result<Loaded, BuildError> {
    let root = &options.root;
    let config = load_config(options)?;
    check_output_location(root, &options.output_dir())?;
    let theme = Theme::load(root, &config.theme).map_err(BuildError::one)?;
    let language_error =
        |m: String| BuildError::one(Diagnostic::new(config::CONFIG_FILE, m).key("language"));
    let counter = Arc::new(Counter::new(&config.language, config.digits).map_err(language_error)?);
    let hijri = config.hijri.then_some(config.hijri_offset);
    let formatter = DateFormatter::new(&config.language, config.digits.as_str(), hijri)
        .map_err(language_error)?;
    let (strings, label_faults) = match Strings::load(root, &theme, &config.strings) {
        Ok(strings) => (strings, Vec::new()),
        Err(faults) => (Strings::default(), faults),
    };
    let body_labels = BodyLabels::from_lookup(|key| strings.get(key));
    let mut templates = Templates::load(&theme, counter.clone(), strings);
    add_faults(&mut templates, label_faults);
    let custom_blocks = declared_blocks(&theme).unwrap_or_else(|faults| {
        add_faults(&mut templates, faults);
        Vec::new()
    });
    let statics = StaticFiles::new(&theme.statics);
    let ctx = ParseContext {
        timezone: config.timezone.clone(),
        markdown: MarkdownOptions {
            base_path: config.base_path.clone(),
            allow_html: config.allow_raw_html,
            custom_blocks: Arc::new(custom_blocks),
            labels: Arc::new(body_labels),
        },
    };
    Ok(Loaded {
        config,
        theme,
        templates,
        statics,
        counter,
        formatter,
        ctx,
    })
}

/// Adds `faults` (in labels or blocks) to those of the templates: a build reports them all.
fn add_faults(templates: &mut Result<Templates, Vec<Diagnostic>>, faults: Vec<Diagnostic>) {
    if faults.is_empty() {
        return;
    }
    match templates {
        Ok(_) => *templates = Err(faults),
        Err(errors) => errors.extend(faults),
    }
}

/// `site.yaml`, with `--base-url` applied.
fn load_config(options: &BuildOptions) -> Result<Config, BuildError> {
    let mut config = Config::load(&options.root).map_err(BuildError::input)?;
    if let Some(url) = &options.base_url {
        config.set_base_url(url).map_err(|m| {
            BuildError::one(
                Diagnostic::new("--base-url", m)
                    .help("e.g. --base-url https://user.github.io/news/"),
            )
        })?;
    }
    Ok(config)
}

/// Assembles the site from the sources that parsed, adding every fault found on the way —
/// unknown authors, categories and templates, URL collisions — to the parse faults already
/// known. `Ok` only when there are none at all.
pub fn checked_site(
    options: &BuildOptions,
    config: &Config,
    statics: &StaticFiles,
    content: Content,
    mut errors: Vec<Diagnostic>,
    templates: Option<&Templates>,
) -> Result<Site, BuildError> {
    if let Some(templates) = templates {
        errors.extend(unknown_templates(&content, templates));
    }
    let site_options = SiteOptions {
        drafts: options.drafts,
        now: options.now.unwrap_or_else(jiff::Timestamp::now),
        root: options.root.clone(),
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

/// `template:` values that name no template of the theme. The only check of them: pages
/// render with the names checked here.
fn unknown_templates(content: &Content, templates: &Templates) -> Vec<Diagnostic> {
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
            let bytes = t.source.read().map(|b| b.into_owned()).unwrap_or_default();
            (t.rel.as_str(), bytes)
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
    stable_hash((
        env!("CARGO_PKG_VERSION"),
        config,
        &options.base_url,
        options.drafts,
        templates,
        statics,
    ))
}
