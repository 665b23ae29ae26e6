//! The learned topic decision for short items: a logistic model per topic over the lexicon
//! scores and the item's common words, fitted on hand-labelled news
//! (`scripts/topic_model_fit.py`) and shipped as a readable weights file,
//! `config/topic_model.tsv`. This module owns the features (the fitting script reads them
//! through `examples/topic_dump.rs`), the file's parsing and the model's evaluation.

use std::collections::{BTreeSet, HashMap};

use crate::normalize::Document;

use super::names::Fnv;
use super::topics::Lexicon;
use super::DataProblem;

/// The built-in weights.
pub const BUILTIN: &str = include_str!("../../config/topic_model.tsv");

/// One topic's logistic model.
#[derive(Debug, Clone)]
struct TopicWeights {
    /// Lexicon index of the topic decided.
    topic: usize,
    bias: f64,
    /// (lexicon index, weight) over the lexicon topics' item scores.
    lexicon: Vec<(usize, f64)>,
}

/// Logistic models for the built-in topics, evaluated for items of a few sentences.
#[derive(Debug, Clone)]
pub struct TopicModel {
    /// A topic is present from this probability.
    pub cut: f64,
    models: Vec<TopicWeights>,
    /// word → (index into `models`, weight).
    words: HashMap<String, Vec<(usize, f64)>, Fnv>,
}

impl TopicModel {
    /// Parses a weights file against the lexicon it was fitted on: every topic it names must
    /// be a lexicon topic. Problems name the line.
    pub fn parse(text: &str, lexicon: &Lexicon) -> Result<TopicModel, Vec<DataProblem>> {
        let mut model = TopicModel {
            cut: 0.5,
            models: Vec::new(),
            words: HashMap::default(),
        };
        let mut problems = Vec::new();
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let span = offset..offset + line.trim_end().len();
            offset += line.len();
            let line = line.trim_end();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let problem = |message: String| DataProblem {
                span: Some(span.clone()),
                message,
                help: Some("regenerate it with scripts/topic_model_fit.py".into()),
            };
            let fields: Vec<&str> = line.split('\t').collect();
            if let ["cut", cut] = fields[..] {
                match cut.parse() {
                    Ok(cut) => model.cut = cut,
                    Err(_) => {
                        problems.push(problem(format!("topic model cut `{cut}` is no number")))
                    }
                }
                continue;
            }
            let [topic, feature, weight] = fields[..] else {
                problems.push(problem(format!(
                    "topic model line `{line}` needs topic, feature and weight"
                )));
                continue;
            };
            let Ok(weight) = weight.parse::<f64>() else {
                problems.push(problem(format!(
                    "topic model weight `{weight}` is no number"
                )));
                continue;
            };
            let Some(index) = lexicon.topic_index(topic) else {
                problems.push(problem(format!(
                    "topic model names unknown topic `{topic}`"
                )));
                continue;
            };
            let slot = match model.models.iter().position(|m| m.topic == index) {
                Some(slot) => slot,
                None => {
                    model.models.push(TopicWeights {
                        topic: index,
                        bias: 0.0,
                        lexicon: Vec::new(),
                    });
                    model.models.len() - 1
                }
            };
            if feature == "bias" {
                model.models[slot].bias = weight;
            } else if let Some(other) = feature.strip_prefix("lexicon:") {
                match lexicon.topic_index(other) {
                    Some(other) => model.models[slot].lexicon.push((other, weight)),
                    None => problems.push(problem(format!(
                        "topic model names unknown lexicon topic `{other}`"
                    ))),
                }
            } else if let Some(word) = feature.strip_prefix("word:") {
                model
                    .words
                    .entry(word.to_string())
                    .or_default()
                    .push((slot, weight));
            } else {
                problems.push(problem(format!(
                    "topic model feature `{feature}` is unknown"
                )));
            }
        }
        if problems.is_empty() {
            Ok(model)
        } else {
            Err(problems)
        }
    }

    /// Whether the model decides this lexicon topic.
    pub fn decides(&self, topic: usize) -> bool {
        self.models.iter().any(|m| m.topic == topic)
    }

    /// (lexicon topic, probability) for every modelled topic, given every lexicon topic's
    /// item score and the item's words.
    pub fn probabilities(
        &self,
        lexicon_scores: &[f64],
        words: &BTreeSet<String>,
    ) -> Vec<(usize, f64)> {
        let mut z: Vec<f64> = self
            .models
            .iter()
            .map(|m| {
                m.bias
                    + m.lexicon
                        .iter()
                        .map(|&(t, w)| w * lexicon_scores.get(t).copied().unwrap_or(0.0))
                        .sum::<f64>()
            })
            .collect();
        for word in words {
            for &(slot, weight) in self.words.get(word.as_str()).into_iter().flatten() {
                z[slot] += weight;
            }
        }
        self.models
            .iter()
            .zip(z)
            .map(|(m, z)| (m.topic, 1.0 / (1.0 + (-z).exp())))
            .collect()
    }

    /// What the words of one sentence add to a topic's evidence (0 if it is not modelled).
    pub fn sentence_weight(&self, topic: usize, sentence: &str) -> f64 {
        let Some(slot) = self.models.iter().position(|m| m.topic == topic) else {
            return 0.0;
        };
        words_of(sentence)
            .into_iter()
            .filter_map(|w| self.words.get(w.as_str()))
            .flatten()
            .filter(|(s, _)| *s == slot)
            .map(|(_, weight)| weight)
            .sum()
    }
}

/// The words (ASCII letters, two or more) of a text, lowercased, repeats included.
fn words_in(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| w.len() >= 2)
        .map(|w| w.to_ascii_lowercase())
}

fn words_of(text: &str) -> BTreeSet<String> {
    words_in(text).collect()
}

/// The distinct lowercase words (ASCII letters, two or more) of the document's news
/// sentences: the model's word features.
pub fn item_words(doc: &Document) -> BTreeSet<String> {
    doc.sentences
        .iter()
        .flat_map(|range| words_in(&doc.text[range.clone()]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Extractor;

    fn lexicon() -> &'static Lexicon {
        &Extractor::builtin().lexicon
    }

    #[test]
    fn the_builtin_model_parses_and_decides_the_frequent_topics() {
        let model = TopicModel::parse(BUILTIN, lexicon()).unwrap();
        let terrorism = lexicon().topic_index("terrorism").unwrap();
        let arms = lexicon().topic_index("arms-transfer").unwrap();
        assert!(model.decides(terrorism));
        assert!(!model.decides(arms), "rare topics keep their lexicons");
        assert!((0.0..1.0).contains(&model.cut));
    }

    #[test]
    fn words_and_lexicon_scores_move_the_probability() {
        let text = "cut\t0.5\ndiplomacy\tbias\t-2\ndiplomacy\tlexicon:diplomacy\t4\ndiplomacy\tword:met\t1.5\n";
        let model = TopicModel::parse(text, lexicon()).unwrap();
        let diplomacy = lexicon().topic_index("diplomacy").unwrap();
        let mut scores = vec![0.0; lexicon().topics.len()];
        let p = |scores: &[f64], words: &[&str]| {
            let words: BTreeSet<String> = words.iter().map(|w| w.to_string()).collect();
            model.probabilities(scores, &words)[0]
        };
        let (topic, none) = p(&scores, &[]);
        assert_eq!(topic, diplomacy);
        assert!((none - 1.0 / (1.0 + 2f64.exp())).abs() < 1e-12);
        assert!(p(&scores, &["met"]).1 > none);
        scores[diplomacy] = 1.0;
        assert!(p(&scores, &[]).1 > 0.8);
        assert!(model.sentence_weight(diplomacy, "They MET twice.") > 1.4);
    }

    #[test]
    fn a_broken_weights_file_names_each_bad_line() {
        let text = "cut\tsoon\nno-such-topic\tbias\t1\ndiplomacy\tword:talks\tmany\ndiplomacy\tcolour:red\t1\n";
        let problems = TopicModel::parse(text, lexicon()).unwrap_err();
        let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "topic model cut `soon` is no number",
                "topic model names unknown topic `no-such-topic`",
                "topic model weight `many` is no number",
                "topic model feature `colour:red` is unknown",
            ]
        );
        let second = problems[1].span.clone().unwrap();
        assert_eq!(&text[second], "no-such-topic\tbias\t1");
    }
}
