//! The tera engine loaded with the theme's templates and labels (the global `strings`), and
//! tera's errors turned into diagnostics that name the template file, its line, and the page
//! being rendered.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use tera::{Context, ErrorKind, Tera};

use crate::arabic::plurals::{Counter, Forms};
use crate::error::{Diagnostic, choices_help};
use crate::theme::strings::Strings;
use crate::theme::{REQUIRED_TEMPLATES, Theme};

/// Loaded, checked templates.
pub struct Templates {
    tera: Tera,
    /// Template name → the file to name in errors.
    shown: HashMap<String, PathBuf>,
    /// The labels of this build, also the template global `strings`.
    strings: Strings,
}

impl Templates {
    /// Parses every template of `theme`; syntax errors and missing templates are reported.
    /// `counter` backs the `plural` function templates may call; `strings` are the labels
    /// templates read as `strings.KEY`.
    pub fn load(
        theme: &Theme,
        counter: Arc<Counter>,
        strings: Strings,
    ) -> Result<Templates, Vec<Diagnostic>> {
        let mut sources = Vec::new();
        let mut shown = HashMap::new();
        let mut errors = Vec::new();
        for file in &theme.templates {
            let text = file.source.read().map_err(|e| e.to_string()).and_then(|b| {
                String::from_utf8(b.into_owned()).map_err(|_| "the template is not UTF-8".into())
            });
            match text {
                Ok(text) => sources.push((file.rel.clone(), text)),
                Err(e) => errors.push(Diagnostic::new(
                    &file.shown,
                    format!("cannot read the template: {e}"),
                )),
            }
            shown.insert(file.rel.clone(), file.shown.clone());
        }
        let mut templates = Templates {
            tera: Tera::new(),
            shown,
            strings,
        };
        templates.tera.autoescape_on(vec![".html", ".xml"]);
        let labels = templates.strings.value();
        templates.set_global("strings", labels);
        // Functions must exist before templates are added: tera checks every call site.
        templates
            .tera
            .register_function("plural", plural_function(counter));
        if let Err(e) = templates.tera.add_raw_templates(sources) {
            errors.push(templates.diagnostic(&e, None));
        }
        for name in REQUIRED_TEMPLATES {
            if !templates.shown.contains_key(*name) {
                errors.push(
                    Diagnostic::new(format!("templates/{name}"), "the theme has no such template")
                        .help("every theme needs article, index, category, tag, author, tags, authors, categories, page and 404 templates"),
                );
            }
        }
        if errors.is_empty() {
            Ok(templates)
        } else {
            Err(errors)
        }
    }

    /// The labels of this build.
    pub fn strings(&self) -> &Strings {
        &self.strings
    }

    /// Whether a template of this name exists.
    pub fn has(&self, name: &str) -> bool {
        self.shown.contains_key(name)
    }

    /// A diagnostic for a `template:` value that names no template.
    pub fn unknown_template(&self, wanted: &str) -> String {
        let mut names: Vec<&str> = self.shown.keys().map(String::as_str).collect();
        names.sort();
        choices_help(wanted, names)
    }

    /// Site-wide values every template sees.
    pub fn set_global(&mut self, key: &'static str, value: tera::Value) {
        self.tera.global_context().insert_value(key, value);
    }

    /// Renders template `name` for the page at `page` (named in errors), as UTF-8 bytes
    /// ready to write (no second pass to validate them as a `String`).
    pub fn render(&self, name: &str, context: &Context, page: &str) -> Result<Vec<u8>, Diagnostic> {
        let mut out = Vec::with_capacity(16 * 1024);
        self.tera
            .render_to(name, context, &mut out)
            .map_err(|e| self.diagnostic(&e, Some((name, page))))?;
        Ok(out)
    }

    /// An error tera gave without a structured location: its text may still carry one
    /// (`--> article.html:3:20`); else it belongs to the template being rendered.
    fn unlocated(&self, message: &str, template: Option<&str>) -> Diagnostic {
        let located = message.split_once("--> ").and_then(|(_, at)| {
            let at = at.split_whitespace().next()?;
            let mut parts = at.rsplitn(3, ':');
            let (_column, line, name) = (parts.next()?, parts.next()?, parts.next()?);
            Some((name.to_string(), line.parse::<usize>().ok()?))
        });
        let first_line = message
            .lines()
            .next()
            .unwrap_or(message)
            .trim_start_matches("error: ");
        let (name, line) = match located {
            Some((name, line)) => (Some(name), Some(line)),
            None => (template.map(str::to_string), None),
        };
        let file = name
            .and_then(|n| self.shown.get(&n).cloned())
            .unwrap_or_else(|| "templates".into());
        let diagnostic =
            Diagnostic::new(file, format!("template error: {first_line}")).at_optional_line(line);
        if message.contains("recursion") {
            diagnostic
                .help("a template that calls itself (directly or through a component) never ends")
        } else {
            diagnostic
        }
    }

    /// `rendering` is the template and page being rendered, when the error came from a render.
    fn diagnostic(&self, error: &tera::Error, rendering: Option<(&str, &str)>) -> Diagnostic {
        let mut diagnostic = match error.kind() {
            ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
                let file = self
                    .shown
                    .get(report.filename())
                    .cloned()
                    .unwrap_or_else(|| report.filename().into());
                Diagnostic::new(file, format!("template error: {}", report.message()))
                    .at_line(report.span().start_line)
            }
            ErrorKind::CircularExtend { tpl, .. } | ErrorKind::CircularInclude { tpl, .. } => {
                let file = self.shown.get(tpl).cloned().unwrap_or_else(|| tpl.into());
                Diagnostic::new(file, format!("template error: {}", error.kind()))
                    .help("a template may not include or extend itself, directly or through others")
            }
            ErrorKind::MissingParent { current, parent } => {
                let file = self
                    .shown
                    .get(current)
                    .cloned()
                    .unwrap_or_else(|| current.into());
                Diagnostic::new(file, format!("extends `{parent}`, which does not exist"))
                    .help(self.unknown_template(parent))
            }
            ErrorKind::TemplateNotFound(name) => {
                Diagnostic::new(format!("templates/{name}"), "template not found")
                    .help(self.unknown_template(name))
            }
            // Errors without a location (such as runaway component recursion) belong to the
            // template being rendered.
            other => self.unlocated(&other.to_string(), rendering.map(|(t, _)| t)),
        };
        if let Some((_, page)) = rendering {
            let note = format!("while rendering {page}");
            diagnostic.help = Some(match diagnostic.help {
                Some(h) => format!("{h}\n{note}"),
                None => note,
            });
        }
        diagnostic
    }
}

/// `plural(n=3, one="مقال واحد", two="مقالان", few="{n} مقالات", many="{n} مقالًا", other="{n} مقال")`:
/// the form CLDR's rules pick for `n`, with `{n}` in the site's digits. Missing forms fall back
/// to `other`, so themes can give only the forms they need.
fn plural_function(
    counter: Arc<Counter>,
) -> impl Fn(tera::Kwargs, &tera::State) -> tera::TeraResult<String> {
    move |kwargs, _| {
        let n: usize = kwargs.must_get("n")?;
        let other: &str = kwargs.must_get("other")?;
        let form = |key: &str| -> tera::TeraResult<String> {
            Ok(kwargs.get::<&str>(key)?.unwrap_or(other).to_string())
        };
        let (zero, one, two, few, many) = (
            form("zero")?,
            form("one")?,
            form("two")?,
            form("few")?,
            form("many")?,
        );
        let forms = Forms {
            zero: &zero,
            one: &one,
            two: &two,
            few: &few,
            many: &many,
            other,
        };
        Ok(counter.phrase(n, &forms))
    }
}
