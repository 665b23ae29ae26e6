//! Extraction: a normalised [`Document`] in, an [`Extraction`] out — who (actors, people),
//! where (places), what (topics), who-with-whom (relations) and who-said-what (quotes).
//!
//! Pure and deterministic: no network, no model. The [`Extractor`] holds the compiled
//! gazetteer and lexicons (built-in data from `config/` plus the user's additions), built
//! once and shared.

mod context;
pub mod data;
pub mod gazetteer;
mod item_topics;
mod names;
mod output;
pub mod people;
mod phrases;
pub mod quotes;
pub mod roles;
pub mod topic_model;
pub mod topics;

use std::ops::Range;
use std::sync::OnceLock;

use crate::config::raw::{ActorConfig, TopicConfig};
use crate::normalize::Document;
pub use gazetteer::{ActorKind, Gazetteer};
use gazetteer::{GazetteerBuilder, Hit, Target};
pub use output::{
    ActorOut, Extraction, Mention, PersonOut, PlaceOut, Relation, SentenceFacts, TopicOut,
};
use roles::Roles;
use topic_model::TopicModel;
use topics::{Lexicon, LexiconBuilder, SentenceScores};

/// The topic a contested place is evidence for, and the weight of that evidence.
const DISPUTED_PLACE_TOPIC: &str = "territorial-dispute";
const DISPUTED_PLACE_WEIGHT: f64 = 0.6;

/// A problem in actor or topic data, with the config span it came from when known.
#[derive(Debug, Clone, PartialEq)]
pub struct DataProblem {
    pub span: Option<Range<usize>>,
    pub message: String,
    pub help: Option<String>,
}

/// The compiled gazetteer, roles and topic lexicons.
#[derive(Debug, Clone)]
pub struct Extractor {
    pub gazetteer: Gazetteer,
    pub lexicon: Lexicon,
    /// The learned decision for short items (`config/topic_model.tsv`).
    pub topic_model: Option<TopicModel>,
    roles: Roles,
}

impl Extractor {
    /// The extractor over the built-in data alone, built once.
    pub fn builtin() -> &'static Extractor {
        static BUILTIN: OnceLock<Extractor> = OnceLock::new();
        BUILTIN.get_or_init(|| Extractor::build(&[], &[]).expect("built-in data is valid"))
    }

    /// Builds the extractor from the built-in data plus a config's actors and topics.
    pub fn build(
        user_actors: &[ActorConfig],
        user_topics: &[TopicConfig],
    ) -> Result<Extractor, Vec<DataProblem>> {
        let data = data::builtin();
        let mut problems = Vec::new();
        let mut gazetteer = GazetteerBuilder::default();
        for phrase in data.blocked.iter().flat_map(|b| &b.phrases) {
            gazetteer.add_blocked(phrase);
        }
        for place in &data.place {
            gazetteer.add_place(place);
        }
        for actor in data.actor.iter().chain(user_actors) {
            match actor_kind(actor) {
                Ok(kind) => {
                    gazetteer.add_actor(actor, kind);
                }
                Err(problem) => problems.push(problem),
            }
        }
        for official in &data.official {
            match gazetteer.actors.iter().position(|a| a.id == official.actor) {
                Some(actor) => gazetteer.add_official(official, actor),
                None => problems.push(DataProblem {
                    span: None,
                    message: format!(
                        "official `{}` names unknown actor `{}`",
                        official.name, official.actor
                    ),
                    help: None,
                }),
            }
        }
        let mut lexicon = LexiconBuilder::default();
        for topic in data.topic.iter().chain(user_topics) {
            if let Err(problem) = add_topic(&mut lexicon, topic) {
                problems.push(problem);
            }
        }
        for topic in data.topic.iter().chain(user_topics) {
            for other in &topic.yields_to {
                if !lexicon.topics.iter().any(|t| &t.id == other) {
                    problems.push(DataProblem {
                        span: Some(topic.id.span()),
                        message: format!(
                            "topic `{}` yields to unknown topic `{other}`",
                            topic.id.get_ref()
                        ),
                        help: Some("name a topic id from TOPICS.md or your config".into()),
                    });
                }
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let lexicon = lexicon.build();
        let topic_model = TopicModel::parse(topic_model::BUILTIN, &lexicon)?;
        Ok(Extractor {
            gazetteer: gazetteer.build(),
            lexicon,
            topic_model: Some(topic_model),
            roles: Roles::new(&data.role),
        })
    }

    /// Runs every extraction stage on a document.
    pub fn extract(&self, doc: &Document) -> Extraction {
        let hits = self.hits(doc);
        let people = people::find_people(doc, &hits, &self.gazetteer, &self.roles);
        let quotes = quotes::find_quotes(doc, &people);
        let scores = self.sentence_scores(doc, &hits);
        output::assemble(self, doc, &hits, people, quotes, &scores)
    }

    /// The gazetteer's hits in the news sentences, context rules applied.
    fn hits(&self, doc: &Document) -> Vec<Hit> {
        let mut hits: Vec<Hit> = self
            .gazetteer
            .scan(&doc.text)
            .into_iter()
            .filter(|h| {
                !doc.is_boilerplate(h.range.start)
                    && !doc.in_dateline(h.range.start)
                    && doc.sentence_at(h.range.start).is_some()
            })
            .collect();
        context::drop_locations(&doc.text, &mut hits);
        context::drop_languages(&doc.text, &mut hits);
        self.gazetteer.confirm_ambiguous(&doc.text, &mut hits);
        hits
    }

    /// Every sentence's topic terms: the lexicons', and contested places named.
    fn sentence_scores(&self, doc: &Document, hits: &[Hit]) -> Vec<SentenceScores> {
        let mut scores: Vec<_> = doc
            .sentences
            .iter()
            .map(|s| self.lexicon.score_sentence(&doc.text[s.clone()]))
            .collect();
        self.add_disputed_places(doc, hits, &mut scores);
        scores
    }

    /// A contested place named in a sentence ("the disputed Scarborough Shoal", "waters
    /// near the Senkaku Islands") is strong territorial-dispute evidence there: a term of
    /// weight 0.6, once per place and sentence, so that it decides with one more cue.
    fn add_disputed_places(&self, doc: &Document, hits: &[Hit], scores: &mut [SentenceScores]) {
        let Some(topic) = self.lexicon.topic_index(DISPUTED_PLACE_TOPIC) else {
            return;
        };
        for hit in hits {
            let Target::Place(place) = hit.target else {
                continue;
            };
            let Some(sentence) = doc.sentence_at(hit.range.start) else {
                continue;
            };
            // Term ids from the top down cannot meet the lexicon's own, counted from 0.
            let term = usize::MAX - place;
            let terms = &mut scores[sentence].terms;
            if self.gazetteer.places[place].disputed && !terms.iter().any(|t| t.0 == term) {
                terms.push((term, topic, DISPUTED_PLACE_WEIGHT));
            }
        }
    }

    /// What the topic model of a short item sees: every lexicon topic's item score and the
    /// item's words (for `examples/topic_dump.rs`, which feeds the fitting script).
    pub fn topic_features(&self, doc: &Document) -> (Vec<f64>, std::collections::BTreeSet<String>) {
        let scores = self.sentence_scores(doc, &self.hits(doc));
        let sums = topics::item_sums(self.lexicon.topics.len(), &scores, |_, _| true);
        (
            sums.into_iter().map(topics::item_score).collect(),
            topic_model::item_words(doc),
        )
    }

    /// Convenience: normalise `body` (HTML or text) and extract.
    pub fn extract_text(&self, title: Option<&str>, body: &str) -> Extraction {
        self.extract(&crate::normalize::normalize(title, body))
    }

    /// Actor id → name, for display.
    pub fn actor_names(&self) -> std::collections::HashMap<String, String> {
        self.gazetteer
            .actors
            .iter()
            .map(|a| (a.id.clone(), a.name.clone()))
            .collect()
    }

    /// Topic ids, for suggestions.
    pub fn topic_ids(&self) -> impl Iterator<Item = &str> {
        self.lexicon.topics.iter().map(|t| t.id.as_str())
    }

    fn actor_id_of(&self, target: Target) -> Option<usize> {
        match target {
            Target::Actor(a) => Some(a),
            Target::Official(o) => Some(self.gazetteer.officials[o].actor),
            _ => None,
        }
    }
}

fn actor_kind(actor: &ActorConfig) -> Result<ActorKind, DataProblem> {
    let id = actor.id.get_ref().trim();
    if id.is_empty() || id.contains(char::is_whitespace) {
        return Err(DataProblem {
            span: Some(actor.id.span()),
            message: format!("invalid actor id `{id}`"),
            help: Some("use a short id without spaces, like \"ACME\"".into()),
        });
    }
    let Some(kind) = &actor.kind else {
        return Ok(ActorKind::Other);
    };
    ActorKind::ALL
        .iter()
        .find(|(name, _)| *name == kind.get_ref())
        .map(|(_, k)| *k)
        .ok_or_else(|| DataProblem {
            span: Some(kind.span()),
            message: format!("unknown actor kind `{}`", kind.get_ref()),
            help: Some("use state, territory, organisation, armed-group or other".into()),
        })
}

fn add_topic(lexicon: &mut LexiconBuilder, topic: &TopicConfig) -> Result<(), DataProblem> {
    let id = topic.id.get_ref().trim();
    let valid_id = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !valid_id {
        return Err(DataProblem {
            span: Some(topic.id.span()),
            message: format!("invalid topic id `{id}`"),
            help: Some("use lowercase kebab-case, like \"water-disputes\"".into()),
        });
    }
    let exists = lexicon.topics.iter().any(|t| t.id == id);
    if !exists && topic.terms.is_empty() {
        return Err(DataProblem {
            span: Some(topic.id.span()),
            message: format!("topic `{id}` has no terms"),
            help: Some(format!("add a [topic.terms] table, like \"{id}\" = 1.0")),
        });
    }
    if let Some(t) = topic.threshold.filter(|t| !(0.0..=1.0).contains(t)) {
        return Err(DataProblem {
            span: Some(topic.id.span()),
            message: format!("topic `{id}` has threshold {t}, outside 0..1"),
            help: Some("use a threshold such as 0.45".into()),
        });
    }
    let terms: Vec<(String, f64)> = topic
        .terms
        .iter()
        .map(|(term, weight)| (term.clone(), *weight))
        .collect();
    let index = lexicon.add_topic(id, topic.name.as_deref(), topic.threshold, &terms);
    if let Some(between) = topic.between_parties {
        lexicon.topics[index].between_parties = between;
    }
    for other in &topic.yields_to {
        if !lexicon.topics[index].yields_to.contains(other) {
            lexicon.topics[index].yields_to.push(other.clone());
        }
    }
    Ok(())
}
