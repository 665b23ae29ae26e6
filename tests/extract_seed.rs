//! Golden test on the article the project started from (`corpus/seed/`): actors, places,
//! people with roles, topics, relations and quotes, and nothing from the author bio.

mod common;

use wirewatch::extract::{Extraction, Extractor};
use wirewatch::normalize::normalize;

fn seed() -> Option<(String, Extraction)> {
    let corpus = common::corpus()?;
    let text = std::fs::read_to_string(corpus.join("seed/000_f65c8cd2c888a781.txt")).unwrap();
    let extraction = Extractor::builtin().extract(&normalize(None, &text));
    Some((text, extraction))
}

#[test]
fn actors_of_the_seed_article() {
    let Some((text, x)) = seed() else { return };
    let ids: Vec<&str> = x.actors.iter().map(|a| a.id.as_str()).collect();
    for expected in ["CHN", "RUS", "PRK", "USA", "JPN", "KOR", "UKR", "TWN"] {
        assert!(ids.contains(&expected), "{expected} missing from {ids:?}");
    }
    // Offsets point into the input (plain text with single spaces is kept as is).
    for actor in &x.actors {
        for m in &actor.mentions {
            assert_eq!(&text[m.start..m.end], m.text);
        }
    }
    // "East China Sea" is a place, not China acting.
    let sea = text.find("East China Sea").unwrap();
    let chn = x.actors.iter().find(|a| a.id == "CHN").unwrap();
    assert!(chn
        .mentions
        .iter()
        .all(|m| m.start < sea || m.start >= sea + "East China Sea".len()));
    assert!(x.places.iter().any(|p| p.name == "East China Sea"));
    assert!(x
        .places
        .iter()
        .any(|p| p.name == "Senkaku Islands" && p.country.as_deref() == Some("JPN")));
}

#[test]
fn nothing_comes_from_the_author_bio() {
    let Some((text, x)) = seed() else { return };
    let bio = text
        .find("\nAuthor\n")
        .expect("the seed ends with an author bio");
    for actor in &x.actors {
        assert!(
            actor.mentions.iter().all(|m| m.start < bio),
            "{} mentioned in the bio",
            actor.id
        );
    }
    assert!(x
        .people
        .iter()
        .all(|p| p.name != "Richard Parks" && p.mentions.iter().all(|m| m.start < bio)));
    assert!(x
        .sentences
        .iter()
        .all(|s| !s.contains("View all posts") && !s.contains("Richard")));
}

#[test]
fn people_with_roles_and_affiliations() {
    let Some((_, x)) = seed() else { return };
    let person = |name: &str| {
        x.people
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("{name} missing: {:?}", x.people))
    };
    let campbell = person("Kurt Campbell");
    assert_eq!(campbell.role.as_deref(), Some("Deputy Secretary of State"));
    assert_eq!(campbell.affiliation.as_deref(), Some("USA"));
    assert_eq!(campbell.sector.as_deref(), Some("GOV"));
    assert_eq!(campbell.count, 3, "later surname-only mentions count");
    let wilder = person("Dennis Wilder");
    assert_eq!(wilder.role.as_deref(), Some("former CIA official"));
    assert_eq!(wilder.sector.as_deref(), Some("SPY"));
    let paparo = person("Samuel Paparo");
    assert_eq!(
        paparo.role.as_deref(),
        Some("commander of US Indo-Pacific Command")
    );
    assert_eq!(paparo.affiliation.as_deref(), Some("USA"));
    assert_eq!(paparo.sector.as_deref(), Some("MIL"));
    let mifune = person("Emi Mifune");
    assert_eq!(mifune.role.as_deref(), Some("Professor"));
    assert_eq!(mifune.affiliation.as_deref(), Some("Komazawa University"));
    assert_eq!(mifune.count, 2);
    let kurata = person("Hideya Kurata");
    assert_eq!(kurata.affiliation.as_deref(), Some("JPN"));
    assert_eq!(kurata.sector.as_deref(), Some("EDU"));
    assert_eq!(
        x.people.len(),
        5,
        "{:?}",
        x.people.iter().map(|p| &p.name).collect::<Vec<_>>()
    );
}

#[test]
fn topics_relations_and_quotes() {
    let Some((_, x)) = seed() else { return };
    let topics: Vec<&str> = x.topics.iter().map(|t| t.id.as_str()).collect();
    for expected in [
        "military-cooperation",
        "arms-transfer",
        "technology-transfer",
        "territorial-dispute",
        "de-escalation",
        "diplomatic-tension",
        "nuclear-missile",
        "trade-economy",
        "armed-conflict",
    ] {
        assert!(
            topics.contains(&expected),
            "{expected} missing from {topics:?}"
        );
    }
    for topic in &x.topics {
        assert!(
            !topic.evidence.is_empty() && topic.evidence.iter().all(|&i| i < x.sentences.len())
        );
    }
    assert!(x.relations.iter().any(|r| r.source == "RUS"
        && r.target == "PRK"
        && r.topic == "military-cooperation"
        && !r.negated));
    assert!(x
        .quotes
        .iter()
        .any(|q| q.speaker == "Samuel Paparo" && q.text == "transactional symbiosis"));
}

#[test]
fn json_output_has_the_design_shape() {
    let Some((_, x)) = seed() else { return };
    let json: serde_json::Value = serde_json::to_value(&x).unwrap();
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for key in [
        "title",
        "lang",
        "actors",
        "people",
        "places",
        "topics",
        "relations",
        "quotes",
        "sentences",
    ] {
        assert!(keys.contains(&key), "{key} missing");
    }
    assert_eq!(json["lang"], "en");
    let mention = &json["actors"][0]["mentions"][0];
    for key in ["text", "start", "end", "sentence"] {
        assert!(mention.get(key).is_some());
    }
}
