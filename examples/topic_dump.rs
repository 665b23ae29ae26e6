//! Dumps, for hand-labelled AG News items, what a topic model can learn from: the gold
//! topics, the topics the extractor reports, every lexicon topic's item score and the
//! item's words, as JSON lines (`scripts/topic_model_fit.py` reads them):
//! `cargo run --release --example topic_dump -- benches/labels/ag_news_world.tsv ...`
#[path = "../benches/common.rs"]
mod common;

use wirewatch::extract::Extractor;
use wirewatch::normalize::normalize;

fn json_list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let quoted: Vec<String> = items.map(|s| format!("\"{s}\"")).collect();
    format!("[{}]", quoted.join(","))
}

fn main() {
    let corpus = common::corpus();
    let rows = common::ag_world_rows(&corpus);
    let extractor = Extractor::builtin();
    let lexicon = &extractor.lexicon;
    let mut lexicon_only = extractor.clone();
    lexicon_only.topic_model = None;
    for path in std::env::args().skip(1) {
        let labels = std::fs::read_to_string(&path).unwrap();
        for line in common::label_lines(&labels) {
            let fields: Vec<&str> = line.split('\t').collect();
            let text = common::ag_text(&rows[fields[0].parse::<usize>().unwrap()]);
            let doc = normalize(None, &text);
            let x = extractor.extract(&doc);
            let plain = lexicon_only.extract(&doc);
            let (lexicon_scores, words) = extractor.topic_features(&doc);
            let scores: Vec<String> = lexicon_scores
                .iter()
                .enumerate()
                .map(|(t, s)| format!("\"{}\":{s:.4}", lexicon.topics[t].id))
                .collect();
            let gold = fields.get(2).unwrap_or(&"");
            println!(
                "{{\"file\":\"{path}\",\"row\":{},\"gold\":{},\"got\":{},\"lexicon_only\":{},\"scores\":{{{}}},\"words\":{}}}",
                fields[0],
                json_list(gold.split(',').filter(|s| !s.is_empty())),
                json_list(x.topics.iter().map(|t| t.id.as_str())),
                json_list(plain.topics.iter().map(|t| t.id.as_str())),
                scores.join(","),
                json_list(words.iter().map(String::as_str)),
            );
        }
    }
}
