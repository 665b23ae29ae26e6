//! Shared by the benchmarks and examples: where the corpus is, reading AG News CSV rows and
//! hand-label files.
#![allow(dead_code)]

use std::path::PathBuf;

/// The shared corpus, or exit with a clear message when it is missing.
pub fn corpus() -> PathBuf {
    let dir = std::env::var_os("WIREWATCH_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus")));
    if !dir.is_dir() {
        eprintln!(
            "the shared corpus is missing at {} (set WIREWATCH_CORPUS)",
            dir.display()
        );
        std::process::exit(1);
    }
    dir
}

/// Rows of an AG News CSV file: every field double-quoted, quotes doubled inside.
pub fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, '\r') => {}
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// The text of an AG News row: title, then description, with the dataset's escapes undone.
pub fn ag_text(row: &[String]) -> String {
    let undo = |s: &str| {
        s.replace("#39;", "'")
            .replace("#36;", "$")
            .replace('\\', " ")
    };
    format!("{}\n{}", undo(&row[1]), undo(&row[2]))
}

/// Peak resident memory of this process, in MiB (Linux).
pub fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// The label lines of a hand-label file (`key<TAB>actors<TAB>topics`), comments and blank
/// lines left out.
pub fn label_lines(labels: &str) -> Vec<&str> {
    labels
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .collect()
}

/// The rows of AG News' world class (`news/ag_news/test_world_class1.csv`).
pub fn ag_world_rows(corpus: &std::path::Path) -> Vec<Vec<String>> {
    let csv = std::fs::read_to_string(corpus.join("news/ag_news/test_world_class1.csv"))
        .unwrap_or_else(|e| panic!("the AG News world items are unreadable: {e}"));
    csv_rows(&csv)
}
