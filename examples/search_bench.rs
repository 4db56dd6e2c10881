//! Times the search index on a generated corpus, and writes it out for transfer
//! measurements (issue 13).
//!
//! ```text
//! python3 /work/shared/bench/gen_corpus.py 10000 /tmp/c10k
//! cargo run --release --example search_bench -- /tmp/c10k [OUT_DIR]
//! node src/search/tests/run_queries.mjs OUT_DIR 'الذهب' …   # bytes a cold first query fetches
//! ```
//!
//! Articles are read with a quick front-matter split (this is a benchmark, not the
//! builder); analysis runs in parallel per article, as the builder calls it.

use std::path::Path;
use std::time::Instant;

use qissa::search::{Analyzed, SearchDoc, SiteLexicon, analyze_doc, index_files};
use rayon::prelude::*;
use serde_yaml::Value;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(corpus) = args.first() else {
        eprintln!("usage: search_bench CORPUS_DIR [OUT_DIR]");
        std::process::exit(2);
    };
    let docs = read_corpus(Path::new(corpus));
    println!("{} articles", docs.len());
    let lexicon = SiteLexicon::default();
    for run in 1..=3 {
        let start = Instant::now();
        let cpu_start = cpu_seconds();
        let analyzed: Vec<Analyzed> = docs
            .par_iter()
            .map(|doc| analyze_doc(doc.clone(), &lexicon))
            .collect();
        let analysis = start.elapsed();
        let refs: Vec<&Analyzed> = analyzed.iter().collect();
        let files = index_files(&refs, &lexicon);
        let total = start.elapsed();
        let cpu = cpu_seconds() - cpu_start;
        let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
        println!(
            "run {run}: analysis {:.0} ms, index files {:.0} ms, total {:.0} ms wall, {:.0} ms CPU; {} files, {} KB",
            analysis.as_secs_f64() * 1e3,
            (total - analysis).as_secs_f64() * 1e3,
            total.as_secs_f64() * 1e3,
            cpu * 1e3,
            files.len(),
            bytes / 1024
        );
        if let (1, Some(out)) = (run, args.get(1)) {
            write_files(Path::new(out), &files);
        }
    }
}

/// User + system CPU time of this process so far (Linux: /proc/self/stat, 100 ticks a
/// second), so a loaded machine does not hide what the work costs.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

fn write_files(out: &Path, files: &[(String, Vec<u8>)]) {
    for (path, bytes) in files {
        let file = out.join(path);
        std::fs::create_dir_all(file.parent().expect("parent")).expect("mkdir");
        std::fs::write(file, bytes).expect("write");
    }
}

/// Every article of a corpus from gen_corpus.py, newest first.
fn read_corpus(root: &Path) -> Vec<SearchDoc> {
    let mut docs: Vec<SearchDoc> = walkdir::WalkDir::new(root.join("content/articles"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .filter_map(|text| article(&text))
        .collect();
    docs.sort_by(|a, b| b.date.cmp(&a.date));
    docs
}

fn article(text: &str) -> Option<SearchDoc> {
    let rest = text.strip_prefix("---\n")?;
    let (front, body) = rest.split_once("\n---\n")?;
    let meta: Value = serde_yaml::from_str(front).ok()?;
    let field = |key: &str| meta[key].as_str().unwrap_or_default().to_string();
    let list = |key: &str| -> Vec<String> {
        meta[key]
            .as_sequence()
            .map(|s| {
                s.iter()
                    .filter_map(|v| v.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    let category = field("category");
    let author = field("author");
    let date = field("date");
    let slug = text_slug(&field("title"));
    Some(SearchDoc {
        url: format!("/{category}/{slug}/"),
        title: field("title"),
        date_label: date.get(..10).unwrap_or_default().to_string(),
        date,
        category: category.clone(),
        category_url: format!("/{category}/"),
        authors: vec![(author.clone(), format!("/authors/{author}/"))],
        tags: list("tags"),
        summary: list("summary"),
        body: plain_body(body),
    })
}

fn text_slug(title: &str) -> String {
    qissa::arabic::text::slugify(title)
}

/// The body without Markdown heading and table marks.
fn plain_body(markdown: &str) -> String {
    markdown
        .lines()
        .filter(|line| !line.starts_with("|---"))
        .map(|line| line.trim_start_matches('#').replace('|', " "))
        .collect::<Vec<_>>()
        .join("\n")
}
