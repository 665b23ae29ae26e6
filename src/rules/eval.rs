//! Rule evaluation against one item's extraction: a verdict, the evidence sentences, and for
//! `explain`, whether each term held.

use super::parse::{Expr, Field, Term};
use crate::extract::Extraction;

/// What a rule sees of an item.
#[derive(Debug, Clone, Copy)]
pub struct ItemContext<'a> {
    pub extraction: &'a Extraction,
    pub feed: &'a str,
    pub tags: &'a [String],
}

/// Sentence indexes that made a rule hold.
pub type Evidence = Vec<usize>;

/// The outcome of one rule on one item.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub fired: bool,
    /// Sentences that satisfied the rule's scopes and terms, in text order.
    pub evidence: Evidence,
}

/// One term of a rule and whether it held anywhere in the item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermVerdict {
    pub term: String,
    pub held: bool,
}

/// Evaluates a rule expression on an item.
pub fn evaluate(expr: &Expr, item: &ItemContext<'_>) -> Verdict {
    let mut evidence = Vec::new();
    let fired = holds(expr, item, None, &mut evidence);
    if !fired {
        evidence.clear();
    }
    evidence.sort_unstable();
    evidence.dedup();
    Verdict { fired, evidence }
}

/// Every leaf term of `expr`, each evaluated on the whole item.
pub fn explain(expr: &Expr, item: &ItemContext<'_>) -> Vec<TermVerdict> {
    let mut out = Vec::new();
    collect_terms(expr, &mut |term| {
        let held = term_holds(term, item, None, &mut Vec::new());
        out.push(TermVerdict {
            term: term.text.clone(),
            held,
        });
    });
    out
}

fn collect_terms<'e>(expr: &'e Expr, f: &mut impl FnMut(&'e Term)) {
    match expr {
        Expr::And(parts) | Expr::Or(parts) | Expr::Sentence(parts) | Expr::Near(_, parts) => {
            parts.iter().for_each(|p| collect_terms(p, f))
        }
        Expr::Not(inner) => collect_terms(inner, f),
        Expr::Term(term) => f(term),
    }
}

/// Sentences a scope is limited to: `None` is the whole item.
type Window = Option<std::ops::Range<usize>>;

fn holds(expr: &Expr, item: &ItemContext<'_>, window: Window, evidence: &mut Evidence) -> bool {
    match expr {
        Expr::And(parts) => {
            let mut collected = Vec::new();
            let all = parts
                .iter()
                .all(|p| holds(p, item, window.clone(), &mut collected));
            if all {
                evidence.extend(collected);
            }
            all
        }
        Expr::Or(parts) => {
            let mut any = false;
            for part in parts {
                any |= holds(part, item, window.clone(), evidence);
            }
            any
        }
        Expr::Not(inner) => !holds(inner, item, window, &mut Vec::new()),
        Expr::Sentence(parts) => scoped(parts, item, window, 0, evidence),
        Expr::Near(n, parts) => scoped(parts, item, window, *n, evidence),
        Expr::Term(term) => term_holds(term, item, window, evidence),
    }
}

/// Whether all `parts` hold within some window of `width + 1` sentences (inside `outer`).
fn scoped(
    parts: &[Expr],
    item: &ItemContext<'_>,
    outer: Window,
    width: usize,
    evidence: &mut Evidence,
) -> bool {
    let total = item.extraction.sentences.len();
    let outer = outer.unwrap_or(0..total);
    let mut any = false;
    for start in outer.clone() {
        let end = (start + width + 1).min(outer.end);
        let mut collected = Vec::new();
        if parts
            .iter()
            .all(|p| holds(p, item, Some(start..end), &mut collected))
        {
            any = true;
            evidence.extend(collected);
        }
        if end == outer.end {
            break;
        }
    }
    any
}

fn term_holds(
    term: &Term,
    item: &ItemContext<'_>,
    window: Window,
    evidence: &mut Evidence,
) -> bool {
    let x = item.extraction;
    match &term.field {
        Field::Feed(part) => return item.feed.to_lowercase().contains(part.as_str()),
        Field::Tag(tag) => return item.tags.iter().any(|t| t == tag),
        Field::Lang(lang) => return &x.lang == lang,
        _ => {}
    }
    if term.count {
        let count = count_mentions(term, x, window.clone()) as f64;
        let (cmp, limit) = term.compare.expect("count() always has a comparison");
        return cmp.holds(count, limit);
    }
    match window {
        None => document_term(term, x, evidence),
        Some(range) => {
            let mut any = false;
            for i in range {
                if sentence_term(term, x, i) {
                    evidence.push(i);
                    any = true;
                }
            }
            any
        }
    }
}

fn document_term(term: &Term, x: &Extraction, evidence: &mut Evidence) -> bool {
    match &term.field {
        Field::Topic(id) => {
            let found = x.topics.iter().find(|t| &t.id == id);
            match (term.compare, found) {
                (Some((cmp, limit)), _) => {
                    let score =
                        found.map_or_else(|| topic_score_below_threshold(x, id), |t| t.score);
                    let ok = cmp.holds(score, limit);
                    if ok {
                        evidence.extend(found.iter().flat_map(|t| t.evidence.iter().copied()));
                    }
                    ok
                }
                (None, Some(topic)) => {
                    evidence.extend(topic.evidence.iter().copied());
                    true
                }
                (None, None) => false,
            }
        }
        _ => {
            let mut any = false;
            for i in 0..x.sentences.len() {
                if sentence_term(term, x, i) {
                    any = true;
                    if evidence.len() < 8 {
                        evidence.push(i);
                    }
                }
            }
            any || title_term(term, x)
        }
    }
}

/// A topic that is not present still has a score; recomputed from the sentence facts.
fn topic_score_below_threshold(x: &Extraction, id: &str) -> f64 {
    let sum: f64 = x
        .facts
        .iter()
        .flat_map(|f| f.topics.iter())
        .filter(|(t, _)| t == id)
        .map(|(_, s)| s)
        .sum();
    crate::extract::topics::item_score(sum)
}

fn sentence_term(term: &Term, x: &Extraction, i: usize) -> bool {
    let Some(facts) = x.facts.get(i) else {
        return false;
    };
    match &term.field {
        Field::Actor(id) => facts.actors.iter().any(|a| a == id),
        Field::Topic(id) => facts.topics.iter().any(|(t, score)| {
            t == id
                && term
                    .compare
                    .is_none_or(|(cmp, limit)| cmp.holds(*score, limit))
        }),
        Field::Negated(id) => facts.negated.iter().any(|t| t == id),
        Field::Person(name) => facts.people.iter().any(|p| person_matches(p, name)),
        Field::Place(name) => facts
            .places
            .iter()
            .any(|p| p.to_lowercase().starts_with(name.as_str())),
        Field::Phrase(phrase) => contains_phrase(&x.sentences[i], phrase) > 0,
        Field::Regex(re) => re.is_match(&x.sentences[i]),
        Field::Feed(_) | Field::Tag(_) | Field::Lang(_) => false,
    }
}

/// Phrases and regexes also look at the title, which is not always among the sentences.
fn title_term(term: &Term, x: &Extraction) -> bool {
    let Some(title) = &x.title else { return false };
    match &term.field {
        Field::Phrase(phrase) => contains_phrase(title, phrase) > 0,
        Field::Regex(re) => re.is_match(title),
        _ => false,
    }
}

fn person_matches(person: &str, wanted: &str) -> bool {
    let person = person.to_lowercase();
    person == wanted || person.split_whitespace().last() == Some(wanted)
}

fn count_mentions(term: &Term, x: &Extraction, window: Window) -> usize {
    let in_window = |s: usize| window.as_ref().is_none_or(|w| w.contains(&s));
    match &term.field {
        Field::Actor(id) => x
            .actors
            .iter()
            .filter(|a| &a.id == id)
            .flat_map(|a| &a.mentions)
            .filter(|m| in_window(m.sentence))
            .count(),
        Field::Person(name) => x
            .people
            .iter()
            .filter(|p| person_matches(&p.name, name))
            .flat_map(|p| &p.mentions)
            .filter(|m| in_window(m.sentence))
            .count(),
        Field::Place(name) => x
            .places
            .iter()
            .filter(|p| p.name.to_lowercase().starts_with(name.as_str()))
            .map(|p| p.count)
            .sum(),
        Field::Phrase(phrase) => x
            .sentences
            .iter()
            .enumerate()
            .filter(|(i, _)| in_window(*i))
            .map(|(_, s)| contains_phrase(s, phrase))
            .sum(),
        _ => 0,
    }
}

/// How often a lowercase phrase occurs in `text` on word boundaries, ignoring case.
fn contains_phrase(text: &str, phrase: &str) -> usize {
    if phrase.is_empty() {
        return 0;
    }
    let lower = text.to_lowercase();
    // Lowercasing can change byte lengths outside ASCII; boundaries are checked on `lower`.
    lower
        .match_indices(phrase)
        .filter(|(i, p)| crate::extract::gazetteer::at_word_boundaries(&lower, &(*i..i + p.len())))
        .count()
}
