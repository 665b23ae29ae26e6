//! Topic decisions on sentences written for the test: a topic that yields to another, the
//! learned model of short items, a config that names a topic nobody defined; and on real
//! wire items, that every topic shows its evidence.

mod common;

use common::{stderr, wirewatch, write_config};
use wirewatch::extract::Extractor;
use wirewatch::normalize::normalize;

fn topics(text: &str) -> Vec<String> {
    let x = Extractor::builtin().extract(&normalize(None, text));
    let mut ids: Vec<String> = x.topics.into_iter().map(|t| t.id).collect();
    ids.sort();
    ids
}

#[test]
fn a_bombing_by_militants_is_terrorism_not_war() {
    let bombing =
        "A suicide bomber killed twelve people at a market; militants claimed the attack.";
    assert!(topics(bombing).contains(&"terrorism".to_string()));
    assert!(!topics(bombing).contains(&"armed-conflict".to_string()));
    // Fighting between armies stays armed conflict.
    let battle = "Heavy fighting and artillery fire continued as the army launched an offensive.";
    assert!(topics(battle).contains(&"armed-conflict".to_string()));
}

#[test]
fn a_short_item_gets_a_topic_its_words_imply_with_evidence_and_relation() {
    // One "talks" inside "six-party talks" scores 0.26 in the lexicon, under its threshold;
    // the model reads "officials met" and "talks" together.
    let text = "North Korea, US meet\n\nNorth Korean and U.S. officials met this week in New York \
                but made no progress on restarting six-party talks on the North's nuclear programs.";
    let x = Extractor::builtin().extract(&normalize(None, text));
    let diplomacy = x.topics.iter().find(|t| t.id == "diplomacy");
    assert!(diplomacy.is_some(), "{:?}", x.topics);
    assert_eq!(diplomacy.unwrap().evidence, [1]);
    assert!(x
        .relations
        .iter()
        .any(|r| r.topic == "diplomacy" && r.source == "PRK" && r.target == "USA"));
    // The model does not invent a topic the lexicon keeps for itself.
    let mut lexicon_only = Extractor::builtin().clone();
    lexicon_only.topic_model = None;
    let plain = lexicon_only.extract(&normalize(None, text));
    assert!(!plain.topics.iter().any(|t| t.id == "diplomacy"));
}

#[test]
fn every_topic_of_a_wire_item_shows_evidence_sentences() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let csv = std::fs::read_to_string(corpus.join("news/ag_news/test_world_class1.csv")).unwrap();
    let mut topics_seen = 0;
    for line in csv.lines().take(400) {
        let x = Extractor::builtin().extract(&normalize(None, line));
        for topic in &x.topics {
            topics_seen += 1;
            assert!(
                !topic.evidence.is_empty(),
                "{}: {} has no evidence",
                line,
                topic.id
            );
            assert!(topic.evidence.iter().all(|&i| i < x.sentences.len()));
            assert!((0.0..=1.0).contains(&topic.score));
        }
    }
    assert!(topics_seen > 300, "only {topics_seen} topics on 400 items");
}

#[test]
fn a_topic_yielding_to_an_unknown_topic_is_a_config_error() {
    let dir = tempfile::tempdir().unwrap();
    let p = write_config(
        dir.path(),
        "[[topic]]\nid = \"water-disputes\"\nyields_to = [\"no-such-topic\"]\n[topic.terms]\n\"dam\" = 1.0\n",
    );
    let out = wirewatch(&["--config", &p, "check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("topic `water-disputes` yields to unknown topic `no-such-topic`"),
        "{}",
        stderr(&out)
    );
}
