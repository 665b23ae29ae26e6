//! Topic decisions on sentences written for the test: a topic that yields to another, and a
//! config that names a topic nobody defined.

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
