//! Arabic as a newsroom writes it: text (slugs, spelling variants, punctuation, word counts),
//! dates in the region's calendar and month names, plural forms, and digits. Nothing here
//! knows about sites, themes or builds; the rest of the crate builds on it.

pub mod dates;
pub mod digits;
pub mod plurals;
pub mod text;
