//! Topic detection with weighted lexicons, EMM-style: every term of every topic in one
//! automaton, scored per sentence (sum of the weights of the distinct terms found) and per
//! item (`1 - exp(-sum / 2)` over the sentences), with negated uses set apart.

use std::collections::HashMap;
use std::ops::Range;

use aho_corasick::AhoCorasick;

use super::gazetteer::at_word_boundaries;

/// A topic with its lexicon.
#[derive(Debug, Clone)]
pub struct Topic {
    pub id: String,
    pub name: String,
    pub threshold: f64,
    /// Ids of the topics this one gives way to when they score at least as high.
    pub yields_to: Vec<String>,
    /// In long documents, only sentences naming two actors count for the topic.
    pub between_parties: bool,
}

#[derive(Debug, Clone, Copy)]
struct Term {
    topic: usize,
    weight: f64,
    /// `sanction*`: any word ending may follow.
    prefix: bool,
    /// Index of the term among all terms, to count each once per sentence.
    id: usize,
    /// Length of the term's own phrase: shorter than the match when the term rides on a
    /// longer pattern that begins with it (see [`LexiconBuilder::build`]).
    len: usize,
}

/// The compiled lexicons of every topic.
#[derive(Debug, Clone)]
pub struct Lexicon {
    pub topics: Vec<Topic>,
    automaton: AhoCorasick,
    terms: Vec<Vec<Term>>,
}

/// Scores of one sentence: per topic, the weight of its plain and its negated uses.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SentenceScores {
    /// (topic index, score) for topics with a non-negated term in the sentence.
    pub plain: Vec<(usize, f64)>,
    /// Topics whose every term in the sentence was negated ("has not criticized").
    pub negated: Vec<usize>,
    /// (term id, topic index, weight) of every plain term found.
    pub terms: Vec<(usize, usize, f64)>,
}

/// Builder collecting topics and terms.
#[derive(Default)]
pub struct LexiconBuilder {
    pub topics: Vec<Topic>,
    terms: Vec<(String, Term)>,
}

impl LexiconBuilder {
    /// Adds a topic, or terms to one that exists; returns its index.
    pub fn add_topic(
        &mut self,
        id: &str,
        name: Option<&str>,
        threshold: Option<f64>,
        terms: &[(String, f64)],
    ) -> usize {
        let index = match self.topics.iter().position(|t| t.id == id) {
            Some(i) => {
                if let Some(threshold) = threshold {
                    self.topics[i].threshold = threshold;
                }
                i
            }
            None => {
                self.topics.push(Topic {
                    id: id.to_string(),
                    name: name.unwrap_or(id).to_string(),
                    threshold: threshold.unwrap_or(0.45),
                    yields_to: Vec::new(),
                    between_parties: false,
                });
                self.topics.len() - 1
            }
        };
        for (phrase, weight) in terms {
            let phrase = phrase.trim().to_lowercase();
            let (text, prefix) = match phrase.strip_suffix('*') {
                Some(stem) => (stem.to_string(), true),
                None => (phrase, false),
            };
            if text.is_empty() {
                continue;
            }
            let id = self.terms.len();
            let len = text.len();
            self.terms.push((
                text,
                Term {
                    topic: index,
                    weight: *weight,
                    prefix,
                    id,
                    len,
                },
            ));
        }
        index
    }

    /// Builds the automaton.
    ///
    /// Leftmost-longest matching reports one pattern per place, so where one topic's word
    /// is an inflection of another's stem ("militants" of armed-conflict, "militant*" of
    /// terrorism) the stem would be lost. Each pattern therefore also carries the stems it
    /// begins with inside its first word, from topics it has no term of. A shorter whole
    /// phrase does not ride on a longer one: "war crimes" is not "war", nor "car bomb" "car".
    pub fn build(self) -> Lexicon {
        let mut by_key: HashMap<&str, Vec<Term>> = HashMap::new();
        for (key, term) in &self.terms {
            by_key.entry(key.as_str()).or_default().push(*term);
        }
        let mut riders: Vec<(String, Term)> = Vec::new();
        for (key, terms) in &by_key {
            for (cut, next) in key.char_indices().skip(1) {
                let Some(shorter) = by_key.get(&key[..cut]) else {
                    continue;
                };
                for term in shorter {
                    let fits = term.prefix && next.is_alphanumeric();
                    if fits && !terms.iter().any(|t| t.topic == term.topic) {
                        riders.push((key.to_string(), *term));
                    }
                }
            }
        }
        let mut all = self.terms;
        all.extend(riders);
        let (automaton, terms) = super::phrases::build(all);
        Lexicon {
            topics: self.topics,
            automaton,
            terms,
        }
    }
}

/// Words that negate a term when they come right before it (within two words: "has not
/// directly criticized"; three also caught "pleads not guilty to war crimes").
const NEGATIONS: &[&str] = &[
    "not", "never", "no", "neither", "nor", "without", "hardly", "denied", "denies",
];

fn negated(sentence: &str, term_start: usize) -> bool {
    sentence[..term_start]
        .split_whitespace()
        .rev()
        .take(2)
        .any(|w| {
            let w = w
                .trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
                .to_lowercase();
            NEGATIONS.contains(&w.as_str()) || w.ends_with("n't") || w.ends_with("n’t")
        })
}

impl Lexicon {
    /// Index of a topic by id.
    pub fn topic_index(&self, id: &str) -> Option<usize> {
        self.topics.iter().position(|t| t.id == id)
    }

    /// Scores one sentence.
    pub fn score_sentence(&self, sentence: &str) -> SentenceScores {
        let mut seen_terms: Vec<usize> = Vec::new();
        let mut plain: Vec<(usize, f64)> = Vec::new();
        let mut negated_topics: Vec<usize> = Vec::new();
        let mut terms: Vec<(usize, usize, f64)> = Vec::new();
        for m in self.automaton.find_iter(sentence) {
            let range: Range<usize> = m.start()..m.end();
            let starts_word = sentence[..range.start]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            if !starts_word {
                continue;
            }
            for term in &self.terms[m.pattern().as_usize()] {
                let own = range.start..range.start + term.len;
                if !term.prefix && !at_word_boundaries(sentence, &own) {
                    continue;
                }
                if seen_terms.contains(&term.id) {
                    continue;
                }
                seen_terms.push(term.id);
                if negated(sentence, range.start) {
                    negated_topics.push(term.topic);
                    continue;
                }
                terms.push((term.id, term.topic, term.weight));
                match plain.iter_mut().find(|(t, _)| *t == term.topic) {
                    Some((_, score)) => *score += term.weight,
                    None => plain.push((term.topic, term.weight)),
                }
            }
        }
        negated_topics.sort_unstable();
        negated_topics.dedup();
        negated_topics.retain(|t| !plain.iter().any(|(p, _)| p == t));
        SentenceScores {
            plain,
            negated: negated_topics,
            terms,
        }
    }
}

/// How much the n-th use (0-based) of one term in a document adds, as a share of its weight:
/// 1, 1/2, 1/4... A word repeated through a long article ("government", "ministers") is
/// background; ten uses must not weigh ten times one.
pub fn repeat_share(n: usize) -> f64 {
    0.5f64.powi(n.min(30) as i32)
}

/// An item score in 0..1 from the sum of its sentence scores.
pub fn item_score(sum: f64) -> f64 {
    1.0 - (-sum / 2.0).exp()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon() -> Lexicon {
        let mut b = LexiconBuilder::default();
        b.add_topic(
            "sanctions",
            None,
            None,
            &[("sanction*".into(), 1.0), ("embargo".into(), 1.0)],
        );
        b.add_topic("tension", None, None, &[("criticiz*".into(), 1.0)]);
        b.build()
    }

    #[test]
    fn prefix_terms_match_inflections() {
        let s = lexicon().score_sentence("New sanctions and an embargo.");
        assert_eq!(s.plain, vec![(0, 2.0)]);
    }

    #[test]
    fn words_inside_other_words_do_not_match() {
        assert!(lexicon()
            .score_sentence("Embargoes? unsanctioned.")
            .plain
            .is_empty());
    }

    #[test]
    fn a_longer_phrase_of_one_topic_does_not_hide_a_shorter_one_of_another() {
        let mut b = LexiconBuilder::default();
        b.add_topic("conflict", None, None, &[("militants".into(), 0.3)]);
        b.add_topic("terrorism", None, None, &[("militant*".into(), 0.6)]);
        b.add_topic("x", None, None, &[("car".into(), 1.0)]);
        b.add_topic("y", None, None, &[("car bomb".into(), 1.0)]);
        let lexicon = b.build();
        let s = lexicon.score_sentence("Militants set off a car bomb.");
        assert_eq!(s.plain, vec![(0, 0.3), (1, 0.6), (3, 1.0)]);
    }

    #[test]
    fn negated_terms_are_set_apart() {
        let s = lexicon().score_sentence("China has not directly criticized Russia.");
        assert!(s.plain.is_empty());
        assert_eq!(s.negated, vec![1]);
    }
}
