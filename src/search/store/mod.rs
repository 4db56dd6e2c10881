//! Analysed articles and index file records on disk, so a `qissa build` in a new process
//! reuses the analyses of unchanged articles and leaves unchanged index files alone instead
//! of analysing and compressing the whole site again. The builder decides where the files
//! go and what is live; this module is their format: [`pack`] for analyses, [`records`]
//! for index files.
//!
//! Every file is stamped (by the builder: qissa's version and binary) and checksummed; a
//! file with another stamp, a wrong checksum or anything that does not decode is ignored
//! whole. The cache can only save work, never change output.

pub mod pack;
pub mod records;

pub use pack::{PackRead, PackWriter, read_pack};
pub use records::{Records, read_records, write_records};
