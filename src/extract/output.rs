//! The [`Extraction`] record (the stable `extract --json` shape of DESIGN.md) and its
//! assembly from the stage results.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::gazetteer::{Hit, Target};
use super::item_topics::topics_of;
use super::people::Person;
use super::quotes::Quote;
use super::topics::SentenceScores;
use super::{ActorKind, Extractor};
use crate::normalize::Document;

/// Everything extracted from one document.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Extraction {
    pub title: Option<String>,
    pub lang: String,
    pub actors: Vec<ActorOut>,
    pub people: Vec<PersonOut>,
    pub places: Vec<PlaceOut>,
    pub topics: Vec<TopicOut>,
    pub relations: Vec<Relation>,
    pub quotes: Vec<Quote>,
    pub sentences: Vec<String>,
    /// Per sentence, what the rules' `SENTENCE(...)` scope looks at. Not part of the JSON.
    #[serde(skip)]
    pub facts: Vec<SentenceFacts>,
}

/// One mention in the text: byte offsets into the normalised text.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Mention {
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub sentence: usize,
}

/// An actor with its mentions.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ActorOut {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub count: usize,
    pub mentions: Vec<Mention>,
}

/// A person with role, affiliation and mentions.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PersonOut {
    pub name: String,
    pub role: Option<String>,
    pub affiliation: Option<String>,
    pub sector: Option<String>,
    pub count: usize,
    pub mentions: Vec<Mention>,
}

/// A place with the country it belongs to.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PlaceOut {
    pub name: String,
    pub country: Option<String>,
    pub count: usize,
}

/// A topic present in the document, its score (0..1) and evidence sentence indexes.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TopicOut {
    pub id: String,
    pub score: f64,
    pub evidence: Vec<usize>,
}

/// Two actors sharing a sentence with a topic.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Relation {
    pub source: String,
    pub target: String,
    pub topic: String,
    pub sentence: usize,
    pub negated: bool,
}

/// What one sentence holds, for sentence-scoped rules.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SentenceFacts {
    pub actors: Vec<String>,
    pub people: Vec<String>,
    pub places: Vec<String>,
    /// (topic id, sentence score) of topics used plainly.
    pub topics: Vec<(String, f64)>,
    /// Topics only used negated in the sentence.
    pub negated: Vec<String>,
}

/// A sentence counts as evidence for a topic from this score up.
pub(super) const EVIDENCE_SCORE: f64 = 0.6;

pub(super) fn assemble(
    extractor: &Extractor,
    doc: &Document,
    hits: &[Hit],
    people: Vec<Person>,
    quotes: Vec<Quote>,
    scores: &[SentenceScores],
) -> Extraction {
    let gazetteer = &extractor.gazetteer;
    let sentence_of = |offset: usize| doc.sentence_at(offset).unwrap_or(0);
    let mention = |range: &std::ops::Range<usize>| Mention {
        text: doc.text[range.clone()].to_string(),
        start: range.start,
        end: range.end,
        sentence: sentence_of(range.start),
    };
    let mut facts = vec![SentenceFacts::default(); doc.sentences.len()];

    // Actors, in order of count then first mention.
    let mut by_actor: BTreeMap<usize, Vec<Mention>> = BTreeMap::new();
    let mut places: BTreeMap<usize, usize> = BTreeMap::new();
    for hit in hits {
        match hit.target {
            Target::Place(p) => {
                *places.entry(p).or_default() += 1;
                let name = &gazetteer.places[p].name;
                push_unique(&mut facts[sentence_of(hit.range.start)].places, name);
            }
            Target::Actor(_) | Target::Official(_) => {
                let actor = extractor.actor_id_of(hit.target).expect("actor target");
                by_actor.entry(actor).or_default().push(mention(&hit.range));
                let id = &gazetteer.actors[actor].id;
                push_unique(&mut facts[sentence_of(hit.range.start)].actors, id);
            }
            Target::Blocked => {}
        }
    }
    let mut actors: Vec<ActorOut> = by_actor
        .into_iter()
        .map(|(a, mentions)| {
            let actor = &gazetteer.actors[a];
            ActorOut {
                id: actor.id.clone(),
                name: actor.name.clone(),
                kind: kind_name(actor.kind).to_string(),
                count: mentions.len(),
                mentions,
            }
        })
        .collect();
    actors.sort_by_key(|a| (std::cmp::Reverse(a.count), a.mentions[0].start));

    let people: Vec<PersonOut> = people
        .into_iter()
        .map(|p| {
            let mentions: Vec<Mention> = p.mentions.iter().map(mention).collect();
            for m in &mentions {
                push_unique(&mut facts[m.sentence].people, &p.name);
            }
            PersonOut {
                name: p.name,
                role: p.role,
                affiliation: p.affiliation,
                sector: p.sector,
                count: mentions.len(),
                mentions,
            }
        })
        .collect();

    let places: Vec<PlaceOut> = places
        .into_iter()
        .map(|(p, count)| PlaceOut {
            name: gazetteer.places[p].name.clone(),
            country: gazetteer.places[p].country.clone(),
            count,
        })
        .collect();

    let topics = topics_of(extractor, doc, scores, &mut facts);
    let relations = relations_of(&facts);
    Extraction {
        title: doc.title.clone(),
        lang: detect_language(&doc.text),
        actors,
        people,
        places,
        topics,
        relations,
        quotes,
        sentences: doc
            .sentences
            .iter()
            .map(|s| doc.text[s.clone()].to_string())
            .collect(),
        facts,
    }
}

fn push_unique(list: &mut Vec<String>, value: &str) {
    if !list.iter().any(|v| v == value) {
        list.push(value.to_string());
    }
}

fn kind_name(kind: ActorKind) -> &'static str {
    ActorKind::ALL
        .iter()
        .find(|(_, k)| *k == kind)
        .map_or("other", |(name, _)| name)
}

fn relations_of(facts: &[SentenceFacts]) -> Vec<Relation> {
    let mut relations = Vec::new();
    for (i, sentence) in facts.iter().enumerate() {
        let topics = sentence
            .topics
            .iter()
            .filter(|(_, score)| *score >= EVIDENCE_SCORE)
            .map(|(t, _)| (t, false))
            .chain(sentence.negated.iter().map(|t| (t, true)));
        for (topic, negated) in topics {
            for (a, source) in sentence.actors.iter().enumerate() {
                for target in &sentence.actors[a + 1..] {
                    relations.push(Relation {
                        source: source.clone(),
                        target: target.clone(),
                        topic: topic.clone(),
                        sentence: i,
                        negated,
                    });
                }
            }
        }
    }
    relations
}

/// English function words; a text where they are frequent is English, and the (much
/// slower) trigram detector need not run.
fn looks_english(sample: &str) -> bool {
    const FUNCTION_WORDS: &[&str] = &[
        "the", "of", "and", "to", "in", "a", "is", "that", "for", "on", "with", "was", "as", "by",
        "it", "has", "have", "said", "are", "be", "at", "from", "its", "his", "will",
    ];
    let (mut words, mut function) = (0usize, 0usize);
    for word in sample
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
    {
        words += 1;
        // Every function word has at most four letters: longer words need no comparing.
        if word.len() <= 4 && FUNCTION_WORDS.iter().any(|f| word.eq_ignore_ascii_case(f)) {
            function += 1;
        }
    }
    words >= 8 && function * 100 >= words * 18
}

/// ISO 639-1 code of the text's language, "und" when it cannot be told.
fn detect_language(text: &str) -> String {
    // 600 characters tell the language of a news text; more only costs time (language
    // identification was a third of extraction time on 2000).
    let end = text.char_indices().nth(600).map_or(text.len(), |(i, _)| i);
    if looks_english(&text[..end]) {
        return "en".to_string();
    }
    let Some(info) = whatlang::detect(&text[..end]) else {
        return "und".to_string();
    };
    let code = info.lang().code();
    let short = match code {
        "eng" => "en",
        "deu" => "de",
        "fra" => "fr",
        "spa" => "es",
        "ita" => "it",
        "por" => "pt",
        "rus" => "ru",
        "ukr" => "uk",
        "cmn" => "zh",
        "jpn" => "ja",
        "kor" => "ko",
        "ara" => "ar",
        "nld" => "nl",
        "pol" => "pl",
        "tur" => "tr",
        "ces" => "cs",
        "slk" => "sk",
        "urd" => "ur",
        "hin" => "hi",
        "pes" => "fa",
        "heb" => "he",
        "swe" => "sv",
        "dan" => "da",
        "fin" => "fi",
        "ell" => "el",
        "hun" => "hu",
        "ron" => "ro",
        "bul" => "bg",
        "srp" => "sr",
        "hrv" => "hr",
        "vie" => "vi",
        "ind" => "id",
        "tha" => "th",
        other => other,
    };
    short.to_string()
}
