//! The command line: `qissa build`, `serve`, `check`, `new` and `theme` with their flags, and how
//! results and errors are printed.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod new;

use crate::builder::{BuildOptions, Report, build_once};
use crate::serve::ServeOptions;

/// qissa — a static site generator for Arabic news sites.
#[derive(Debug, Parser)]
#[command(name = "qissa", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render the site into the output folder (public/ by default).
    Build {
        /// The site's folder, holding site.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site (default: <root>/public).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Include articles and pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Override base_url from site.yaml, e.g. for a preview deploy.
        #[arg(long)]
        base_url: Option<String>,
        /// Print how long each stage of the build took.
        #[arg(long)]
        timings: bool,
        /// Build as if it were this moment (RFC 3339): which articles are still in the future,
        /// what the news sitemap holds. For previewing a schedule and for reproducible builds.
        #[arg(long)]
        now: Option<jiff::Timestamp>,
        /// Render every page and parse every article, ignoring the caches in .qissa-cache/.
        #[arg(long)]
        full: bool,
        /// Write the list of files this build wrote and removed in the output folder to FILE,
        /// one `written<TAB>path` or `removed<TAB>path` line each, for upload scripts and CDN
        /// purges.
        #[arg(long, value_name = "FILE")]
        changes: Option<PathBuf>,
    },
    /// Build the site, serve it locally and rebuild and reload the browser on every save.
    Serve {
        /// The site's folder, holding site.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port to listen on.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; 0.0.0.0 makes the preview reachable from a phone on the LAN.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Show drafts (the default for serve).
        #[arg(long, overrides_with = "no_drafts")]
        drafts: bool,
        /// Leave drafts out, as `qissa build` does.
        #[arg(long)]
        no_drafts: bool,
        /// Open the preview in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Start something new: a site, an article, an author or a page.
    New {
        #[command(subcommand)]
        what: new::NewCommand,
    },
    /// Work with themes.
    Theme {
        #[command(subcommand)]
        what: ThemeCommand,
    },
    /// Check the built site: every internal link, image, stylesheet, feed and sitemap URL
    /// resolves to a file, and every page has a title and a description.
    Check {
        /// The site's folder, holding site.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The built site to check (default: <root>/public).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Override base_url from site.yaml, as given to `qissa build --base-url`.
        #[arg(long)]
        base_url: Option<String>,
    },
}

/// What `qissa theme` can do.
#[derive(Debug, Subcommand)]
pub enum ThemeCommand {
    /// Copy a built-in theme into themes/NAME/ to edit it (never overwrites); the site then
    /// builds with the copy.
    Eject {
        /// The built-in theme to copy: qissa (the default) or jarida.
        #[arg(default_value = crate::theme::DEFAULT_THEME)]
        name: String,
        /// The site's folder, holding site.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

/// Runs the command line and returns the process exit code.
pub fn run() -> ExitCode {
    match Cli::parse().command {
        Command::New { what } => new::run(what),
        Command::Theme {
            what: ThemeCommand::Eject { name, root },
        } => eject(&root, &name),
        Command::Check {
            root,
            output,
            base_url,
        } => crate::check::run(&root, output.as_deref(), base_url.as_deref()),
        Command::Serve {
            root,
            port,
            bind,
            drafts: _,
            no_drafts,
            open,
        } => serve(ServeOptions {
            root,
            bind,
            port,
            // Drafts are shown unless asked not to: `--drafts` only exists to undo a
            // `--no-drafts` earlier on the line.
            drafts: !no_drafts,
            open,
        }),
        Command::Build {
            root,
            output,
            drafts,
            base_url,
            timings,
            now,
            full,
            changes,
        } => build_site(
            &BuildOptions {
                root,
                output,
                drafts,
                base_url,
                now,
                cache: !full,
                list_changes: changes.is_some(),
            },
            timings,
            changes.as_deref(),
        ),
    }
}

/// `qissa theme eject`: says where the copy went, or why there is none.
fn eject(root: &std::path::Path, name: &str) -> ExitCode {
    match crate::scaffold::eject_theme(root, name) {
        Ok(created) => {
            println!(
                "copied the built-in theme {name} to {}",
                created.path.display()
            );
            println!("the site now builds with this copy: edit its templates/ and static/");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

/// `qissa serve`: runs until Ctrl-C; only a failure to start comes back here.
fn serve(options: ServeOptions) -> ExitCode {
    match crate::serve::serve(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// `qissa build`: the report (and the timings when asked) on success, every fault on failure.
fn build_site(options: &BuildOptions, timings: bool, changes: Option<&Path>) -> ExitCode {
    match build_once(options) {
        Ok(report) => {
            print_report(&report);
            if timings {
                print_timings(&report);
            }
            match changes.map(|file| std::fs::write(file, report.changes.to_text())) {
                Some(Err(e)) => {
                    let file = changes.unwrap_or(Path::new("")).display();
                    eprintln!("error: {file}: cannot write the list of changes: {e}");
                    eprintln!("  help: check that its folder exists and that you may write there");
                    ExitCode::FAILURE
                }
                _ => ExitCode::SUCCESS,
            }
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn print_timings(report: &Report) {
    for (stage, took) in &report.timings {
        println!("{:>8.1} ms  {stage}", took.as_secs_f64() * 1000.0);
    }
    println!(
        "parsed {} of {} article files (the others came from the parse cache)",
        report.articles_parsed, report.article_files
    );
}

fn print_report(report: &Report) {
    for path in &report.ignored {
        eprintln!(
            "warning: {} was not read: articles go in content/articles/, authors in content/authors/, pages in content/pages/",
            path.display()
        );
    }
    for warning in &report.warnings {
        eprintln!(
            "warning: {}",
            warning.to_string().trim_start_matches("error: ")
        );
    }
    for (source, date) in &report.future {
        eprintln!(
            "note: {} is dated {date}, in the future: left out until then",
            source.display()
        );
    }
    if !report.future.is_empty() {
        eprintln!("note: {} future article(s) left out", report.future.len());
    }
    if report.drafts_skipped > 0 {
        eprintln!(
            "note: {} draft(s) left out (build with --drafts to include them)",
            report.drafts_skipped
        );
    }
    for (name, others) in &report.merged_tags {
        eprintln!(
            "note: tag spellings {} were merged into «{name}»",
            others.join("، ")
        );
    }
    println!(
        "built {} articles: {} pages and {} static files in {} ms → {}",
        report.articles,
        report.pages_written,
        report.files_copied,
        report.elapsed.as_millis(),
        report.output.display()
    );
}
