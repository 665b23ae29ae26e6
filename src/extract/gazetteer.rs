//! The gazetteer: every actor alias, official, place and blocked phrase in one
//! leftmost-longest Aho-Corasick automaton, with the case, boundary and context rules that
//! decide whether a hit in the text really names the actor.
//!
//! Longest wins, so "East China Sea" (a place) and "Washington Post" (blocked) swallow the
//! "China" and "Washington" inside them, and "South Korea" is one mention, not "Korea" too.

use std::collections::HashMap;
use std::ops::Range;

use aho_corasick::AhoCorasick;

use super::data::{OfficialConfig, PlaceConfig};
use super::names::NameIndex;
use crate::config::raw::ActorConfig;

/// What kind of thing an actor is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActorKind {
    State,
    Territory,
    Organisation,
    ArmedGroup,
    Other,
}

impl ActorKind {
    /// Every kind with its data-file spelling.
    pub const ALL: [(&'static str, ActorKind); 5] = [
        ("state", ActorKind::State),
        ("territory", ActorKind::Territory),
        ("organisation", ActorKind::Organisation),
        ("armed-group", ActorKind::ArmedGroup),
        ("other", ActorKind::Other),
    ];
}

/// An actor as the extractor knows it.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: String,
    pub name: String,
    pub kind: ActorKind,
    /// Words that confirm an ambiguous alias when found in the same document.
    pub context: Vec<String>,
}

/// A place that is not an actor.
#[derive(Debug, Clone)]
pub struct Place {
    pub name: String,
    pub country: Option<String>,
    /// Contested land or sea (`disputed = true` in places.toml).
    pub disputed: bool,
}

/// A well-known official.
#[derive(Debug, Clone)]
pub struct Official {
    pub name: String,
    pub actor: usize,
    pub role: Option<String>,
}

/// What a gazetteer phrase points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Actor(usize),
    Place(usize),
    Official(usize),
    Blocked,
}

/// How the phrase names its target; decides the case and context rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// Name, alias, demonym or metonym: capitals in the phrase must be capitals in the text.
    Proper,
    /// Acronyms such as "US": the text must match letter for letter.
    ExactCase,
    /// Names that also mean something else; need confirmation in the document.
    Ambiguous,
    /// A capital or seat of power: the actor only when it stands for the government
    /// ("Moscow said"), not when it is a location ("in Moscow", "the Athens Games").
    Metonym,
}

#[derive(Debug, Clone)]
struct Entry {
    phrase: String,
    target: Target,
    form: Form,
}

/// One accepted hit in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub range: Range<usize>,
    pub target: Target,
    pub form: Form,
}

/// The compiled gazetteer.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    pub actors: Vec<Actor>,
    pub places: Vec<Place>,
    pub officials: Vec<Official>,
    automaton: AhoCorasick,
    /// Per automaton pattern, the entries sharing that (lowercased) phrase.
    entries: Vec<Vec<Entry>>,
    /// Officials' multi-word names → official, looked up outside the automaton.
    names: NameIndex<usize>,
    /// Lowercased alias or id → actor, for rules (`actor:"North Korea"`).
    lookup: HashMap<String, usize>,
}

/// Builder that collects phrases before the automaton is made.
#[derive(Default)]
pub struct GazetteerBuilder {
    pub actors: Vec<Actor>,
    pub places: Vec<Place>,
    pub officials: Vec<Official>,
    phrases: Vec<Entry>,
    names: NameIndex<usize>,
    lookup: HashMap<String, usize>,
}

impl GazetteerBuilder {
    /// Adds an actor, or more names for one that exists. Returns the actor's index.
    pub fn add_actor(&mut self, config: &ActorConfig, kind: ActorKind) -> usize {
        let id = config.id.get_ref().trim().to_string();
        let index = match self.actors.iter().position(|a| a.id == id) {
            Some(i) => {
                self.actors[i]
                    .context
                    .extend(config.context.iter().cloned());
                i
            }
            None => {
                self.actors.push(Actor {
                    id: id.clone(),
                    name: config.name.clone().unwrap_or_else(|| id.clone()),
                    kind,
                    context: config.context.clone(),
                });
                self.actors.len() - 1
            }
        };
        let name = self.actors[index].name.clone();
        self.lookup.insert(id.to_lowercase(), index);
        // A name that is also ambiguous ("Georgia") is only added as ambiguous.
        let proper = std::iter::once(&name)
            .filter(|n| !config.ambiguous.contains(n))
            .chain(&config.aliases)
            .chain(&config.demonyms);
        for phrase in proper {
            self.phrase(phrase, Target::Actor(index), Form::Proper);
            self.lookup.insert(phrase.to_lowercase(), index);
        }
        // Plural demonyms: "two Americans", "Iraqis", "Palestinians".
        for demonym in &config.demonyms {
            let plural_ok = !(demonym.ends_with('s')
                || demonym.ends_with("ese")
                || demonym.ends_with("sh")
                || demonym.ends_with("ch")
                || demonym.ends_with('i') && demonym.len() < 4);
            if plural_ok {
                self.phrase(&format!("{demonym}s"), Target::Actor(index), Form::Proper);
            }
        }
        for phrase in &config.metonyms {
            self.phrase(phrase, Target::Actor(index), Form::Metonym);
            self.lookup.entry(phrase.to_lowercase()).or_insert(index);
        }
        for phrase in &config.exact_case {
            self.phrase(phrase, Target::Actor(index), Form::ExactCase);
            self.lookup.entry(phrase.to_lowercase()).or_insert(index);
        }
        for phrase in &config.ambiguous {
            self.phrase(phrase, Target::Actor(index), Form::Ambiguous);
            self.lookup.entry(phrase.to_lowercase()).or_insert(index);
        }
        index
    }

    /// Adds an official, who names the actor at index `actor`.
    pub fn add_official(&mut self, config: &OfficialConfig, actor: usize) {
        self.officials.push(Official {
            name: config.name.clone(),
            actor,
            role: config.role.clone(),
        });
        let index = self.officials.len() - 1;
        for phrase in std::iter::once(&config.name).chain(&config.short) {
            if NameIndex::<usize>::accepts(phrase) {
                self.names.insert(phrase, index);
                self.names.insert(&phrase.replace('\'', "’"), index);
            } else {
                self.phrase(phrase, Target::Official(index), Form::Proper);
            }
        }
    }

    /// Adds a place.
    pub fn add_place(&mut self, config: &PlaceConfig) {
        self.places.push(Place {
            name: config.name.clone(),
            country: config.country.clone(),
            disputed: config.disputed,
        });
        let index = self.places.len() - 1;
        for phrase in std::iter::once(&config.name).chain(&config.aliases) {
            let form = if phrase.chars().all(|c| !c.is_lowercase()) {
                Form::ExactCase
            } else {
                Form::Proper
            };
            self.phrase(phrase, Target::Place(index), form);
        }
    }

    /// Adds a phrase that names nothing we track.
    pub fn add_blocked(&mut self, phrase: &str) {
        self.phrase(phrase, Target::Blocked, Form::Proper);
    }

    fn phrase(&mut self, phrase: &str, target: Target, form: Form) {
        let phrase = phrase.trim();
        if phrase.is_empty() {
            return;
        }
        self.phrases.push(Entry {
            phrase: phrase.to_string(),
            target,
            form,
        });
        // Typographic apostrophes are common in news text; accept both.
        if phrase.contains('\'') {
            self.phrases.push(Entry {
                phrase: phrase.replace('\'', "’"),
                target,
                form,
            });
        }
    }

    /// Builds the automaton.
    pub fn build(self) -> Gazetteer {
        let (automaton, entries) = super::phrases::build(
            self.phrases
                .into_iter()
                .map(|entry| (entry.phrase.to_lowercase(), entry)),
            aho_corasick::MatchKind::LeftmostLongest,
        );
        Gazetteer {
            actors: self.actors,
            places: self.places,
            officials: self.officials,
            automaton,
            entries,
            names: self.names,
            lookup: self.lookup,
        }
    }
}

impl Gazetteer {
    /// The actor an id or alias names (any letter case).
    pub fn resolve(&self, name: &str) -> Option<&Actor> {
        self.lookup
            .get(&name.trim().to_lowercase())
            .map(|&i| &self.actors[i])
    }

    /// Every phrase the gazetteer knows that names some actor, for suggestions.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.lookup.keys().map(String::as_str)
    }

    /// Whether `word` (any case) is a phrase of the gazetteer, whatever it names.
    pub fn knows(&self, word: &str) -> bool {
        let key = word.to_lowercase();
        self.automaton
            .find(&key)
            .is_some_and(|m| m.start() == 0 && m.end() == key.len())
    }

    /// The hits in `text`, case and boundary rules applied; ambiguous names still need
    /// [`confirm_ambiguous`].
    pub fn scan(&self, text: &str) -> Vec<Hit> {
        let mut hits = Vec::new();
        for m in self.automaton.find_iter(text) {
            let range = m.start()..m.end();
            if !at_word_boundaries(text, &range) {
                continue;
            }
            let found = &text[range.clone()];
            let accepted = self.entries[m.pattern().as_usize()]
                .iter()
                .find(|e| case_matches(&e.phrase, found, e.form));
            if let Some(entry) = accepted {
                hits.push(Hit {
                    range,
                    target: entry.target,
                    form: entry.form,
                });
            }
        }
        let names = self.names.find(text);
        if !names.is_empty() {
            // A whole name beats the shorter phrases inside it ("Jordan" in a minister's name).
            hits.retain(|h| {
                !names.iter().any(|(r, _)| {
                    h.range.start < r.end && r.start < h.range.end && h.range.len() <= r.len()
                })
            });
            hits.extend(names.into_iter().map(|(range, official)| Hit {
                range,
                target: Target::Official(official),
                form: Form::Proper,
            }));
            hits.sort_by_key(|h| h.range.start);
        }
        hits
    }

    /// Drops ambiguous hits whose actor is not confirmed by an unambiguous mention or a
    /// context word elsewhere in the document.
    pub fn confirm_ambiguous(&self, text: &str, hits: &mut Vec<Hit>) {
        if !hits.iter().any(|h| h.form == Form::Ambiguous) {
            return;
        }
        let confirmed: Vec<usize> = hits
            .iter()
            .filter(|h| h.form != Form::Ambiguous)
            .filter_map(|h| match h.target {
                Target::Actor(a) => Some(a),
                Target::Official(o) => Some(self.officials[o].actor),
                _ => None,
            })
            .collect();
        hits.retain(|h| {
            let (Form::Ambiguous, Target::Actor(a)) = (h.form, h.target) else {
                return true;
            };
            confirmed.contains(&a)
                || self.actors[a]
                    .context
                    .iter()
                    .any(|word| contains_word(text, word))
        });
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whether the range starts and ends at word boundaries of `text`.
pub fn at_word_boundaries(text: &str, range: &Range<usize>) -> bool {
    let before = text[..range.start].chars().next_back();
    let after = text[range.end..].chars().next();
    let first = text[range.clone()].chars().next();
    let last = text[range.clone()].chars().next_back();
    let starts_clean = !(before.is_some_and(is_word_char) && first.is_some_and(is_word_char));
    let ends_clean = !(after.is_some_and(is_word_char) && last.is_some_and(is_word_char));
    starts_clean && ends_clean
}

fn case_matches(phrase: &str, found: &str, form: Form) -> bool {
    match form {
        Form::ExactCase => phrase == found,
        Form::Proper | Form::Ambiguous | Form::Metonym => {
            // Every capital of the phrase is a capital in the text; a text in all capitals
            // (a headline) passes too.
            phrase
                .chars()
                .zip(found.chars())
                .all(|(p, f)| !p.is_uppercase() || f.is_uppercase())
        }
    }
}

/// Whether `word` occurs in `text` as a whole word, letter case as given.
pub fn contains_word(text: &str, word: &str) -> bool {
    text.match_indices(word)
        .any(|(i, w)| at_word_boundaries(text, &(i..i + w.len())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries() {
        assert!(at_word_boundaries("in China.", &(3..8)));
        assert!(!at_word_boundaries("Chinas", &(0..5)));
        assert!(at_word_boundaries("Japan’s", &(0..5)));
    }

    #[test]
    fn case_rules() {
        assert!(case_matches("US", "US", Form::ExactCase));
        assert!(!case_matches("US", "us", Form::ExactCase));
        assert!(case_matches("Turkey", "TURKEY", Form::Proper));
        assert!(!case_matches("Turkey", "turkey", Form::Proper));
    }
}
