//! qissa (قصة, "story") turns a newsroom's Markdown articles into a complete static news
//! site, right to left, ready for any static host.
//!
//! # The pipeline
//!
//! Data flows one way, and everything between reading and writing is pure:
//!
//! 1. [`config::Config::load`] reads and validates `site.yaml`.
//! 2. [`theme::Theme::load`] finds the theme (the site's `themes/<name>/`, or the built-in
//!    default) and the site's overrides; [`templates::Templates::load`] parses the templates.
//! 3. [`content::Sources::load`] discovers articles, authors and pages (sorted, so builds are
//!    reproducible) and parses each in parallel: front matter is checked key by key and the
//!    body rendered by [`markdown`].
//! 4. [`site::Site::assemble`] resolves authors and categories, groups tags, leaves out drafts
//!    and future articles, lays out every URL and refuses two sources on one URL.
//! 5. [`render`] lists every output page and renders them in parallel into a staging folder
//!    ([`output::Staging`]), which replaces `public/` only if everything succeeded.
//!
//! [`session::Session`] keeps all of this in memory between builds for the preview, so that
//! saving one article re-parses one file and re-renders only the pages that show it.
//!
//! Every fault found on the way is a [`error::Diagnostic`] naming file, line and key; a build
//! reports all of them at once and leaves the previous output untouched.

pub mod arabic;
pub mod builder;
pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod error;
pub mod hash;
pub mod photos;
pub mod render;
pub mod serve;
pub mod site;
pub mod theme;

pub use builder::{BuildOptions, Change, Report, Session, build};
