//! `qissa new`: its subcommands and flags, and how what it made is printed.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;

use crate::scaffold::{self, Created, NewArticle, NewSite};

/// What `qissa new` can start.
#[derive(Debug, Subcommand)]
pub enum NewCommand {
    /// A new site in DIR (a new or empty folder): site.yaml, an article, an author, a page.
    Site {
        /// The folder of the new site.
        dir: PathBuf,
        /// The site's name.
        #[arg(long, default_value = "موقعي الإخباري")]
        title: String,
        /// The site's language (BCP 47); the timezone follows its region.
        #[arg(long, default_value = "ar-EG")]
        language: String,
        /// The address the site will be published at.
        #[arg(long, default_value = "https://example.com/")]
        base_url: String,
    },
    /// A new article, content/articles/YYYY/<slug>.md, dated now; a draft unless --publish.
    Article {
        /// The headline.
        title: String,
        /// The site's folder, holding site.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// A category of site.yaml, by slug or name (default: the first).
        #[arg(long)]
        category: Option<String>,
        /// The author's id (default: the only author, when there is one).
        #[arg(long)]
        author: Option<String>,
        /// Tags, separated by commas: --tags "القاهرة,المترو".
        #[arg(long, default_value = "")]
        tags: String,
        /// Publish at once instead of writing `draft: true`.
        #[arg(long)]
        publish: bool,
    },
    /// A new author profile, content/authors/<ID>.md.
    Author {
        /// The id, used in front matter and the author's URL: lower-case words and dashes.
        id: String,
        /// The author's name as shown.
        #[arg(long)]
        name: String,
        /// The site's folder, holding site.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// A new page, content/pages/<SLUG>.md, published at /<SLUG>/.
    Page {
        /// The page's address: words and dashes.
        slug: String,
        /// The page's title (default: the slug).
        #[arg(long)]
        title: Option<String>,
        /// The site's folder, holding site.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

/// Runs `qissa new …` and prints what it made, or why it could not.
pub fn run(command: NewCommand) -> ExitCode {
    let now = jiff::Timestamp::now();
    let made = match command {
        NewCommand::Site {
            dir,
            title,
            language,
            base_url,
        } => scaffold::new_site(&dir, &new_site(title, language, base_url, now)),
        NewCommand::Article {
            title,
            root,
            category,
            author,
            tags,
            publish,
        } => {
            let tags = split_tags(&tags);
            let new = NewArticle {
                title,
                category,
                author,
                tags,
                publish,
            };
            scaffold::new_article(&root, &new, now)
        }
        NewCommand::Author { id, name, root } => scaffold::new_author(&root, &id, &name),
        NewCommand::Page { slug, title, root } => {
            scaffold::new_page(&root, &slug, title.as_deref())
        }
    };
    match made {
        Ok(created) => {
            print_created(&created);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn new_site(title: String, language: String, base_url: String, now: jiff::Timestamp) -> NewSite {
    let timezone = jiff::tz::TimeZone::get(scaffold::timezone_for(&language))
        .unwrap_or(jiff::tz::TimeZone::UTC);
    let local = now.to_zoned_datetime(timezone);
    NewSite {
        title,
        language,
        base_url,
        date: local.strftime("%Y-%m-%d %H:%M").to_string(),
        year: local.year(),
    }
}

/// `"أ, ب،ج"` → `[أ, ب, ج]`: commas Latin or Arabic, blanks dropped.
fn split_tags(tags: &str) -> Vec<String> {
    tags.split([',', '،'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

fn print_created(created: &Created) {
    println!("created {}", created.path.display());
    if let Some(url) = &created.preview {
        println!("preview: {url} (run qissa serve)");
    }
}
