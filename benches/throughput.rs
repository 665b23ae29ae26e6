//! Throughput on real data, one core:
//! - extraction (normalise + extract) over `corpus/news/bbc_politics/politics/*.txt`;
//! - feed parsing over every well-formed file of `corpus/feeds/`.
//!
//! `cargo bench --bench throughput`. Reports MB/s (best of several passes, decimal MB) and
//! the process's peak resident memory.

mod common;

use std::time::Instant;

use wirewatch::extract::Extractor;
use wirewatch::normalize::normalize;
use wirewatch::parse::parse_feed;

fn best_of<F: FnMut() -> usize>(passes: usize, mut f: F) -> (f64, usize) {
    let mut best = f64::MAX;
    let mut work = 0;
    for _ in 0..passes {
        let start = Instant::now();
        work = f();
        best = best.min(start.elapsed().as_secs_f64());
    }
    (best, work)
}

fn main() {
    let corpus = common::corpus();
    let mut docs = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(corpus.join("news/bbc_politics/politics"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    for path in names {
        docs.push(String::from_utf8_lossy(&std::fs::read(path).unwrap()).into_owned());
    }
    let bytes: usize = docs.iter().map(String::len).sum();
    let extractor = Extractor::builtin();
    if std::env::var("WIREWATCH_BENCH_STAGES").is_ok() {
        let (secs, _) = best_of(5, || {
            docs.iter()
                .map(|d| normalize(None, d).sentences.len())
                .sum()
        });
        println!("  normalise only: {:.1} MB/s", bytes as f64 / 1e6 / secs);
        let normalised: Vec<_> = docs.iter().map(|d| normalize(None, d)).collect();
        let (secs, _) = best_of(5, || {
            normalised
                .iter()
                .map(|d| extractor.gazetteer.scan(&d.text).len())
                .sum()
        });
        println!(
            "  gazetteer scan only: {:.1} MB/s",
            bytes as f64 / 1e6 / secs
        );
        let (secs, _) = best_of(5, || {
            normalised
                .iter()
                .map(|d| {
                    d.sentences
                        .iter()
                        .map(|s| {
                            extractor
                                .lexicon
                                .score_sentence(&d.text[s.clone()])
                                .plain()
                                .len()
                        })
                        .sum::<usize>()
                })
                .sum()
        });
        println!(
            "  topic scoring only: {:.1} MB/s",
            bytes as f64 / 1e6 / secs
        );
        let (secs, _) = best_of(5, || {
            normalised
                .iter()
                .map(|d| extractor.extract(d).people.len())
                .sum()
        });
        println!(
            "  extract on normalised: {:.1} MB/s",
            bytes as f64 / 1e6 / secs
        );
    }
    // Fifteen passes: on a shared 2-core machine single passes vary by ±5 %; the best shows
    // what the code can do, the median what a busy machine gives.
    let mut times = Vec::new();
    let mut mentions = 0;
    for _ in 0..15 {
        let start = Instant::now();
        mentions = docs
            .iter()
            .map(|d| {
                let x = extractor.extract(&normalize(None, d));
                x.actors.len() + x.people.len() + x.topics.len()
            })
            .sum::<usize>();
        times.push(start.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    let (secs, median) = (times[0], times[times.len() / 2]);
    println!(
        "extraction: {} documents, {:.2} MB in {:.3} s = {:.1} MB/s, median pass {:.1} MB/s ({:.0} docs/s; {} actors+people+topics)",
        docs.len(),
        bytes as f64 / 1e6,
        secs,
        bytes as f64 / 1e6 / secs,
        bytes as f64 / 1e6 / median,
        docs.len() as f64 / secs,
        mentions
    );

    // Short wire items, where the topic model decides: with and without it.
    let csv = std::fs::read_to_string(corpus.join("news/ag_news/test_world_class1.csv")).unwrap();
    let items: Vec<String> = common::csv_rows(&csv)
        .iter()
        .map(|r| common::ag_text(r))
        .collect();
    let item_bytes: usize = items.iter().map(String::len).sum();
    let mut lexicon_only = extractor.clone();
    lexicon_only.topic_model = None;
    for (what, x) in [
        ("with the topic model", extractor),
        ("lexicons only", &lexicon_only),
    ] {
        let (secs, _) = best_of(15, || {
            items
                .iter()
                .map(|d| x.extract(&normalize(None, d)).topics.len())
                .sum()
        });
        println!(
            "short items ({what}): {} AG News world items, {:.2} MB in {:.3} s = {:.1} MB/s ({:.0} items/s)",
            items.len(),
            item_bytes as f64 / 1e6,
            secs,
            item_bytes as f64 / 1e6 / secs,
            items.len() as f64 / secs
        );
    }

    let mut feeds = Vec::new();
    for entry in std::fs::read_dir(corpus.join("feeds")).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() && path.extension().is_some_and(|e| e != "md") {
            feeds.push(std::fs::read(&path).unwrap());
        }
    }
    let feed_bytes: usize = feeds.iter().map(Vec::len).sum();
    let (secs, items) = best_of(10, || {
        feeds
            .iter()
            .map(|f| parse_feed(f).map_or(0, |p| p.items.len()))
            .sum()
    });
    println!(
        "feed parsing: {} files, {:.2} MB in {:.3} s = {:.1} MB/s ({} items)",
        feeds.len(),
        feed_bytes as f64 / 1e6,
        secs,
        feed_bytes as f64 / 1e6 / secs,
        items
    );
    if let Some(mib) = common::peak_rss_mib() {
        println!("peak resident memory: {mib:.1} MiB");
    }
}
