//! qissa (قصة, "story") turns a newsroom's Markdown articles into a complete static news
//! site, right to left, ready for any static host.
//!
//! # The pipeline
//!
//! Data flows one way, and each stage lives in a folder of its own; a stage imports only the
//! ones below it.
//!
//! 1. [`config::Config::load`] reads and validates `site.yaml`.
//! 2. [`theme`] finds the theme (the site's `themes/<name>/`, or the built-in default) and the
//!    site's overrides; [`theme::strings`] reads its labels with the site's wording, and
//!    [`theme::templates::Templates::load`] parses the templates.
//! 3. [`content::Sources::load`] discovers articles, authors and pages (sorted, so builds are
//!    reproducible) and parses each in parallel: front matter is checked key by key and the
//!    body rendered by [`content::markdown`].
//! 4. [`site::Site::assemble`] resolves authors and categories, groups tags, leaves out drafts
//!    and future articles, and refuses two sources on one URL; [`site::layout`] holds every
//!    URL and file-path rule.
//! 5. [`render::Plan`] lists every output once; [`render::Renderer`] renders each job (pages,
//!    feeds, sitemaps) and fingerprints it.
//! 6. [`search`] analyses every article for the site search (its plain text comes from the
//!    same Markdown parse) and makes the sharded index and its browser module;
//!    [`builder::search`] feeds it site entries and publishes its files beside the pages (a
//!    full build has counted the bodies' words while stage 3 parsed them).
//! 7. [`builder`] runs the stages: [`builder::Session`] keeps all of this in memory between
//!    builds for the preview, so that saving one article re-parses one file and re-renders
//!    only the pages that show it, and [`builder::output`] — the only writer to disk — renders
//!    into a staging folder that replaces `public/` only if everything succeeded.
//!
//! Beside the pipeline: [`arabic`] (text, dates, plurals; it depends on nothing else in the
//! crate; [`search`] builds on it), [`error`] and [`hash`] at the bottom; [`serve`] (the live preview) and [`check`]
//! (the link checker) on top, with [`cli`] above all.
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
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod theme;

pub use builder::{BuildOptions, Change, PagesReady, Report, Session, build};
