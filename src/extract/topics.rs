//! Topic detection with weighted lexicons, EMM-style: every term of every topic in one
//! automaton, scored per sentence (sum of the weights of the distinct terms found) and per
//! item (`1 - exp(-sum / 2)` over the sentences), with negated uses set apart.

use std::ops::Range;

use aho_corasick::{AhoCorasick, MatchKind};

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
}

/// The compiled lexicons of every topic.
#[derive(Debug, Clone)]
pub struct Lexicon {
    pub topics: Vec<Topic>,
    automaton: AhoCorasick,
    terms: Vec<Vec<Term>>,
}

/// What one sentence says for the topics: its plain (non-negated) terms and the topics it
/// only names negated.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SentenceScores {
    /// (term id, topic index, weight) of every plain term found, in text order.
    pub terms: Vec<(usize, usize, f64)>,
    /// Topics whose every term in the sentence was negated ("has not criticized").
    pub negated: Vec<usize>,
}

impl SentenceScores {
    /// (topic index, score) for each topic with a plain term, in order of first term: the
    /// sum of its terms' weights.
    pub fn plain(&self) -> Vec<(usize, f64)> {
        let mut plain: Vec<(usize, f64)> = Vec::new();
        for &(_, topic, weight) in &self.terms {
            match plain.iter_mut().find(|(t, _)| *t == topic) {
                Some((_, score)) => *score += weight,
                None => plain.push((topic, weight)),
            }
        }
        plain
    }
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
            self.terms.push((
                text,
                Term {
                    topic: index,
                    weight: *weight,
                    prefix,
                    id,
                },
            ));
        }
        index
    }

    /// Builds the automaton: every overlapping match is searched, and each topic then keeps
    /// its own leftmost-longest matches ([`Lexicon::score_sentence`]). With one
    /// leftmost-longest search for all topics, one topic's phrase hid another's inside it:
    /// terrorism's "militant*" inside armed-conflict's "militants", diplomacy's "talks"
    /// inside nuclear-missile's "nuclear talks".
    pub fn build(self) -> Lexicon {
        let (automaton, terms) = super::phrases::build(self.terms, MatchKind::Standard);
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
    /// The term matches of a sentence, in text order. Every overlapping match is found; each
    /// topic keeps its leftmost-longest ones (within a topic "frontline services", weight 0,
    /// beats "frontline*"); and a match inside another topic's longer phrase counts only as
    /// that phrase's last word, its head: "nuclear talks" are talks (diplomacy counts) and
    /// "militants" are militants (terrorism's "militant*" counts), but "war crimes" are not
    /// a war and "car bomb" is not a car.
    fn matches<'a>(&'a self, sentence: &str) -> Vec<(Range<usize>, &'a Term)> {
        let word_end = |end: usize| {
            sentence[end..]
                .char_indices()
                .find(|(_, c)| !c.is_alphanumeric())
                .map_or(sentence.len(), |(i, _)| end + i)
        };
        let mut found: Vec<(Range<usize>, &Term)> = Vec::new();
        for m in self.automaton.find_overlapping_iter(sentence) {
            let range: Range<usize> = m.start()..m.end();
            let starts_word = sentence[..range.start]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            if !starts_word {
                continue;
            }
            for term in &self.terms[m.pattern().as_usize()] {
                if term.prefix {
                    // A stem covers the rest of its word.
                    found.push((range.start..word_end(range.end), term));
                } else if at_word_boundaries(sentence, &range) {
                    found.push((range.clone(), term));
                }
            }
        }
        found.sort_by_key(|(r, t)| (t.topic, r.start, std::cmp::Reverse(r.end)));
        // Per topic, leftmost-longest: drop what overlaps the topic's previous kept match.
        let mut kept = 0;
        for i in 0..found.len() {
            let overlaps = kept > 0
                && found[kept - 1].1.topic == found[i].1.topic
                && found[i].0.start < found[kept - 1].0.end;
            if !overlaps {
                found.swap(kept, i);
                kept += 1;
            }
        }
        found.truncate(kept);
        // Then drop modifiers: matches inside a longer one of another topic, ending before it.
        let modifier = |range: &Range<usize>, all: &[(Range<usize>, &Term)]| {
            all.iter()
                .any(|(r, _)| r.start <= range.start && range.end < r.end && r.len() > range.len())
        };
        let modifiers: Vec<bool> = found.iter().map(|(r, _)| modifier(r, &found)).collect();
        let mut index = 0;
        found.retain(|_| {
            index += 1;
            !modifiers[index - 1]
        });
        found.sort_by_key(|(r, t)| (r.start, t.topic));
        found
    }

    /// Index of a topic by id.
    pub fn topic_index(&self, id: &str) -> Option<usize> {
        self.topics.iter().position(|t| t.id == id)
    }

    /// Scores one sentence.
    pub fn score_sentence(&self, sentence: &str) -> SentenceScores {
        let mut seen_terms: Vec<usize> = Vec::new();
        let mut negated_topics: Vec<usize> = Vec::new();
        let mut terms: Vec<(usize, usize, f64)> = Vec::new();
        for (range, term) in self.matches(sentence) {
            if seen_terms.contains(&term.id) {
                continue;
            }
            seen_terms.push(term.id);
            if negated(sentence, range.start) {
                negated_topics.push(term.topic);
                continue;
            }
            terms.push((term.id, term.topic, term.weight));
        }
        negated_topics.sort_unstable();
        negated_topics.dedup();
        negated_topics.retain(|t| !terms.iter().any(|(_, p, _)| p == t));
        SentenceScores {
            terms,
            negated: negated_topics,
        }
    }
}

/// How much the n-th use (0-based) of one term in a document adds, as a share of its weight:
/// 1, 1/2, 1/4... A word repeated through a long article ("government", "ministers") is
/// background; ten uses must not weigh ten times one.
pub fn repeat_share(n: usize) -> f64 {
    0.5f64.powi(n.min(30) as i32)
}

/// Every topic's item sum: the weights of its terms over the sentences that `counts`
/// (sentence index, topic), each repeat of a term weighing less (`repeat_share`).
pub fn item_sums(
    topics: usize,
    scores: &[SentenceScores],
    counts: impl Fn(usize, usize) -> bool,
) -> Vec<f64> {
    let mut sums = vec![0.0; topics];
    let mut uses: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    for (i, sentence) in scores.iter().enumerate() {
        for &(term, topic, weight) in &sentence.terms {
            if counts(i, topic) {
                let n = uses.entry(term).or_default();
                sums[topic] += weight * repeat_share(*n);
                *n += 1;
            }
        }
    }
    sums
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
        assert_eq!(s.plain(), vec![(0, 2.0)]);
    }

    #[test]
    fn words_inside_other_words_do_not_match() {
        assert!(lexicon()
            .score_sentence("Embargoes? unsanctioned.")
            .plain()
            .is_empty());
    }

    #[test]
    fn each_topic_matches_on_its_own_and_a_phrase_counts_as_its_head_word() {
        let mut b = LexiconBuilder::default();
        b.add_topic(
            "conflict",
            None,
            None,
            &[("militants".into(), 0.3), ("war".into(), 0.6)],
        );
        b.add_topic("terrorism", None, None, &[("militant*".into(), 0.6)]);
        b.add_topic("diplomacy", None, None, &[("talks".into(), 0.6)]);
        b.add_topic("nuclear", None, None, &[("nuclear talks".into(), 1.0)]);
        b.add_topic("law", None, None, &[("war crimes".into(), 1.0)]);
        let lexicon = b.build();
        // "militants" is both topics' word; "nuclear talks" are talks.
        let s = lexicon.score_sentence("Militants left the nuclear talks.");
        assert_eq!(s.plain(), vec![(0, 0.3), (1, 0.6), (3, 1.0), (2, 0.6)]);
        // "war crimes" are not a war.
        let s = lexicon.score_sentence("A war crimes trial.");
        assert_eq!(s.plain(), vec![(4, 1.0)]);
        // Within a topic the longer phrase wins: a zero weight blocks a figure of speech.
        let mut b = LexiconBuilder::default();
        b.add_topic(
            "conflict",
            None,
            None,
            &[
                ("frontline*".into(), 0.6),
                ("frontline services".into(), 0.0),
            ],
        );
        assert_eq!(
            b.build()
                .score_sentence("Cuts to frontline services.")
                .plain(),
            vec![(0, 0.0)]
        );
    }

    #[test]
    fn negated_terms_are_set_apart() {
        let s = lexicon().score_sentence("China has not directly criticized Russia.");
        assert!(s.plain().is_empty());
        assert_eq!(s.negated, vec![1]);
    }
}
