//! Every bad input a newsroom can produce, built by the real binary on a copy of the
//! `minimal` site whose output folder already holds a good build and a file of the user's.
//!
//! A fault must end the build with exit code 1 (not a signal, not a hang: every run has a
//! deadline), name the file and, where there is one, the line in that file's own numbering
//! (`file:N:`) and the key, say what to do (with the valid choices where there is a list),
//! leave the output folder byte-identical and leave no staging folder beside it. Documented
//! acceptances (`title: 2024`, BOM and CRLF files, editor temp files) must build. Hostile
//! content must come out inert: checked on the parsed HTML of every page. Broken files are
//! generated here rather than kept as fixtures, so that each test shows the exact bytes it
//! feeds the build.
//!
//! Tests marked `// Was a bug:` caught a fault in the product while they were written; the
//! comment quotes what the product printed then, and the test keeps it fixed.
//!
//! - `harness`: running the binary with a deadline, and the site with a good previous build
//!   that every fault is fed to.
//! - `front_matter`: fences, YAML syntax, size and nesting limits, values of the wrong form.
//! - `encodings`: BOM, CRLF, invalid UTF-8, UTF-16, Windows-1256.
//! - `references`: unknown authors, categories and templates; many faults in one run.
//! - `urls`: two sources for one URL, and slugs that leave their segment.
//! - `files`: symbolic links, unreadable and temporary files, output folders to refuse.
//! - `markup`: hostile front matter and Markdown come out inert on every page.
//! - `strings`: unknown label keys, labels that are not text, themes missing labels.
//! - `templates`: template errors name the template and line; self-inclusion is an error.
//! - `parser`: the page parser never panics, whatever the bytes.

mod encodings;
mod files;
mod front_matter;
mod harness;
mod markup;
mod parser;
mod references;
mod strings;
mod templates;
mod urls;
