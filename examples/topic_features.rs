//! Dumps per-sentence topic scores (and the number of distinct actors in each sentence) of
//! hand-labelled AG News items as JSON lines, for studying item-level topic decisions
//! (thresholds, title weight, actor boosts) outside the extractor:
//! `cargo run --release --example topic_features -- benches/labels/ag_news_world.tsv ...`
#[path = "../benches/common.rs"]
mod common;

use wirewatch::extract::Extractor;
use wirewatch::normalize::normalize;

fn main() {
    let corpus = common::corpus();
    let rows = common::ag_world_rows(&corpus);
    let extractor = Extractor::builtin();
    let lexicon = &extractor.lexicon;
    for path in std::env::args().skip(1) {
        let labels = std::fs::read_to_string(&path).unwrap();
        for line in common::label_lines(&labels) {
            let fields: Vec<&str> = line.split('\t').collect();
            let row = fields[0];
            let text = if path.contains("seed") {
                std::fs::read_to_string(corpus.join(format!("seed/{row}.txt"))).unwrap()
            } else if path.contains("bbc_politics") {
                let file = corpus.join(format!("news/bbc_politics/politics/{row}.txt"));
                std::fs::read_to_string(file).unwrap()
            } else {
                common::ag_text(&rows[row.parse::<usize>().unwrap()])
            };
            let doc = normalize(None, &text);
            let x = extractor.extract(&doc);
            let mut actors_in: Vec<Vec<&str>> = vec![Vec::new(); doc.sentences.len()];
            for a in &x.actors {
                for m in &a.mentions {
                    actors_in[m.sentence].push(a.id.as_str());
                }
            }
            let sentences: Vec<String> = doc
                .sentences
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let mut ids = actors_in[i].clone();
                    ids.sort();
                    ids.dedup();
                    let scores = lexicon.score_sentence(&doc.text[s.clone()]);
                    let parts: Vec<String> = scores
                        .plain()
                        .iter()
                        .map(|(t, w)| format!("\"{}\":{w}", lexicon.topics[*t].id))
                        .collect();
                    let mut parts = parts;
                    parts.push(format!("\"_actors\":{}", ids.len()));
                    format!("{{{}}}", parts.join(","))
                })
                .collect();
            println!(
                "{{\"file\":\"{path}\",\"row\":\"{row}\",\"gold\":\"{}\",\"sentences\":[{}]}}",
                fields.get(2).unwrap_or(&""),
                sentences.join(",")
            );
        }
    }
}
