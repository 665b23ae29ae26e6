//! The item-level topic decision: which topics an item is about, with their scores and
//! evidence sentences, and the topics each sentence carries for sentence-scoped rules.
//! Long articles use the lexicon thresholds; items of a few sentences (wire items, feed
//! summaries) use the learned model of `topic_model` for the topics it covers.

use super::output::{SentenceFacts, TopicOut, EVIDENCE_SCORE};
use super::topic_model::item_words;
use super::topics::{item_score, item_sums, Lexicon, SentenceScores};
use super::Extractor;
use crate::normalize::Document;

/// Documents of more sentences than this are long: short wire items often name one party
/// of a relation and leave the other implicit, long articles name both where it matters.
const LONG_DOCUMENT_SENTENCES: usize = 8;
/// At most this many evidence sentences per topic, the best scored.
const MAX_EVIDENCE: usize = 5;
/// A modelled topic whose lexicon evidence alone scores this much stays, whatever the model
/// says: the lexicon's decisive terms were written for it (cross-validation: no loss).
const DECISIVE_LEXICON_SCORE: f64 = 0.6;
/// A topic the lexicon finds stays unless the model is this sure it is absent. The model
/// learned from 2004 wire news, where territorial disputes or sanctions are rare; the
/// lexicons were written for today's (cross-validation: 0.699 against 0.710 without it).
const MODEL_VETO: f64 = 0.1;

pub(super) fn topics_of(
    extractor: &Extractor,
    doc: &Document,
    scores: &[SentenceScores],
    facts: &mut [SentenceFacts],
) -> Vec<TopicOut> {
    let lexicon = &extractor.lexicon;
    let long = scores.len() > LONG_DOCUMENT_SENTENCES;
    // In a long article a between-parties topic counts only where two actors are named;
    // the sentence keeps the topic all the same (sentence rules see it).
    let two_parties: Vec<bool> = facts.iter().map(|f| f.actors.len() >= 2).collect();
    let counts = |i: usize, topic: usize| {
        !(long && lexicon.topics[topic].between_parties && !two_parties[i])
    };
    let mut evidence: Vec<Vec<(usize, f64)>> = vec![Vec::new(); lexicon.topics.len()];
    for (i, sentence) in scores.iter().enumerate() {
        for (topic, score) in sentence.plain() {
            if counts(i, topic) && score >= EVIDENCE_SCORE {
                evidence[topic].push((i, score));
            }
            facts[i]
                .topics
                .push((lexicon.topics[topic].id.clone(), score));
        }
        for &topic in &sentence.negated {
            facts[i].negated.push(lexicon.topics[topic].id.clone());
        }
    }
    let sums = item_sums(lexicon.topics.len(), scores, counts);
    let lexicon_scores: Vec<f64> = sums.iter().map(|&s| item_score(s)).collect();
    let model = extractor.topic_model.as_ref().filter(|_| !long);
    let modelled = |t: usize| model.is_some_and(|m| m.decides(t));
    let finds: Vec<bool> = (0..lexicon.topics.len())
        .map(|t| lexicon_scores[t] >= lexicon.topics[t].threshold && !evidence[t].is_empty())
        .collect();
    // Scores are rounded as the output shows them, and yielding compares those.
    let mut present: Vec<(usize, f64)> = (0..lexicon.topics.len())
        .filter(|&t| !modelled(t) && finds[t])
        .map(|t| (t, rounded(lexicon_scores[t])))
        .collect();
    if let Some(model) = model {
        // What the lexicons alone decide, yielding included: the model keeps these unless
        // it is sure they are wrong.
        let lexicon_decides = |t: usize| {
            finds[t]
                && !gives_way(lexicon, t, lexicon_scores[t], |o| {
                    finds[o].then_some(lexicon_scores[o])
                })
        };
        let words = item_words(doc);
        for (t, p) in model.probabilities(&lexicon_scores, &words) {
            let lexicon_found = lexicon_decides(t);
            let decisive = lexicon_found && lexicon_scores[t] >= DECISIVE_LEXICON_SCORE;
            if p < model.cut && !decisive && !(lexicon_found && p >= MODEL_VETO) {
                continue;
            }
            if evidence[t].is_empty() {
                evidence[t] = fallback_evidence(extractor, doc, scores, t);
            }
            present.push((t, rounded(p)));
        }
        // In a short item the item's judgement holds for its sentences: a modelled topic
        // the item is not about leaves them, one it is about marks its evidence.
        for (i, sentence) in facts.iter_mut().enumerate() {
            sentence.topics.retain(|(id, _)| {
                let t = lexicon.topic_index(id).unwrap_or(usize::MAX);
                !modelled(t) || present.iter().any(|(p, _)| *p == t)
            });
            for &(t, _) in &present {
                let id = &lexicon.topics[t].id;
                if evidence[t].iter().any(|(e, _)| *e == i)
                    && !sentence
                        .topics
                        .iter()
                        .any(|(s, score)| s == id && *score >= EVIDENCE_SCORE)
                {
                    sentence.topics.retain(|(s, _)| s != id);
                    sentence.topics.push((id.clone(), EVIDENCE_SCORE));
                }
            }
        }
    }
    drop_yielding(lexicon, &mut present, facts, |t| !modelled(t));
    let mut topics: Vec<TopicOut> = present
        .into_iter()
        .map(|(t, score)| {
            let mut best = std::mem::take(&mut evidence[t]);
            best.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            best.truncate(MAX_EVIDENCE);
            let mut sentences: Vec<usize> = best.into_iter().map(|(i, _)| i).collect();
            sentences.sort_unstable();
            TopicOut {
                id: lexicon.topics[t].id.clone(),
                score,
                evidence: sentences,
            }
        })
        .collect();
    topics.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
    topics
}

/// Evidence for a topic the model found without a strong lexicon sentence: the sentences
/// with any of its lexicon terms, else the one whose words weigh most for it, else the
/// first.
fn fallback_evidence(
    extractor: &Extractor,
    doc: &Document,
    scores: &[SentenceScores],
    topic: usize,
) -> Vec<(usize, f64)> {
    let with_terms: Vec<(usize, f64)> = scores
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            s.plain()
                .into_iter()
                .find(|(t, _)| *t == topic)
                .map(|(_, w)| (i, w))
        })
        .collect();
    if !with_terms.is_empty() {
        return with_terms;
    }
    let Some(model) = &extractor.topic_model else {
        return Vec::new();
    };
    let best = doc
        .sentences
        .iter()
        .enumerate()
        .map(|(i, range)| (i, model.sentence_weight(topic, &doc.text[range.clone()])))
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
    match best {
        Some((i, weight)) if weight > 0.0 => vec![(i, weight)],
        _ if !doc.sentences.is_empty() => vec![(0, 0.0)],
        _ => Vec::new(),
    }
}

/// A score as the output shows it, to two decimals.
fn rounded(score: f64) -> f64 {
    (score * 100.0).round() / 100.0
}

/// Whether topic `t`, scoring `score`, gives way to a topic it yields to whose score
/// `other` returns (None: that topic is absent) and is at least as high.
fn gives_way(
    lexicon: &Lexicon,
    t: usize,
    score: f64,
    other: impl Fn(usize) -> Option<f64>,
) -> bool {
    lexicon.topics[t]
        .yields_to
        .iter()
        .filter_map(|id| lexicon.topic_index(id))
        .any(|o| other(o).is_some_and(|s| s >= score))
}

/// Drops present topics that give way to another present topic, from the item and from
/// its sentences (so no relation carries them either). Only topics for which `may_yield`
/// holds yield: the model has learned its own.
fn drop_yielding(
    lexicon: &Lexicon,
    present: &mut Vec<(usize, f64)>,
    facts: &mut [SentenceFacts],
    may_yield: impl Fn(usize) -> bool,
) {
    let score_of = |o: usize| present.iter().find(|(p, _)| *p == o).map(|&(_, s)| s);
    let yielding: Vec<usize> = present
        .iter()
        .filter(|&&(t, score)| may_yield(t) && gives_way(lexicon, t, score, score_of))
        .map(|&(t, _)| t)
        .collect();
    if yielding.is_empty() {
        return;
    }
    present.retain(|(t, _)| !yielding.contains(t));
    for sentence in facts.iter_mut() {
        sentence
            .topics
            .retain(|(id, _)| !yielding.iter().any(|&t| &lexicon.topics[t].id == id));
    }
}
