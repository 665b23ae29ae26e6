//! The rule language: what it accepts, the exact errors for what it rejects, and verdicts on
//! real text.

mod common;

use wirewatch::extract::Extractor;
use wirewatch::normalize::normalize;
use wirewatch::rules::{evaluate, parse, ItemContext};

fn error_of(rule: &str) -> String {
    let e = parse(rule, Extractor::builtin()).unwrap_err();
    format!("{} | {}", e, e.help.clone().unwrap_or_default())
}

fn fires(rule: &str, text: &str) -> bool {
    let x = Extractor::builtin().extract(&normalize(None, text));
    let expr = parse(rule, Extractor::builtin()).unwrap();
    evaluate(
        &expr,
        &ItemContext {
            extraction: &x,
            feed: "Wire",
            tags: &[],
        },
    )
    .fired
}

#[test]
fn accepts_the_documented_forms() {
    for rule in [
        "SENTENCE(actor:RUS, actor:PRK, topic:military-cooperation)",
        "actor:\"North Korea\" AND topic:sanctions>=0.5 AND NOT feed:opinion",
        "count(actor:CHN)>=3 AND (place:Senkaku OR \"coast guard\")",
        "NEAR/1(actor:JPN, topic:territorial-dispute) OR /drone (strike|attack)s?/",
        "actor:DPRK actor:Pyongyang lang:en tag:asia person:Campbell negated:diplomatic-tension",
    ] {
        parse(rule, Extractor::builtin()).unwrap_or_else(|e| panic!("{rule}: {e}"));
    }
}

#[test]
fn rejects_with_exact_messages() {
    assert_eq!(error_of("SENTENCE(actor:RUS, actor:PRK"), "expected `)` to close `SENTENCE(`, found the end of the rule at column 30 | add the missing `)`");
    assert_eq!(error_of("actor:Rusia"), "unknown actor `Rusia` at column 7 | did you mean `RUS` (Russia)? or add an [[actor]] to the config");
    assert_eq!(
        error_of("topic:sanction"),
        "unknown topic `sanction` at column 7 | did you mean `sanctions`?"
    );
    assert_eq!(
        error_of("actor:RUS and actor:PRK"),
        "`and` is not an operator at column 11 | write AND in capitals"
    );
    assert_eq!(error_of("colour:red"), "unknown field `colour` at column 1 | use actor, topic, negated, person, place, feed, tag or lang");
    assert_eq!(
        error_of("\"open phrase"),
        "unterminated phrase at column 1 | close it with \""
    );
    assert_eq!(error_of("actor:RUS OR"), "expected a term, found the end of the rule at column 13 | terms look like actor:RUS, topic:sanctions, \"a phrase\" or /regex/");
    assert_eq!(
        error_of("actor:RUS>=2"),
        "only topic: terms take a score threshold at column 1 | use count(...) to compare mentions"
    );
    assert_eq!(
        error_of(""),
        "the rule is empty at column 1 | write a term such as actor:RUS"
    );
}

#[test]
fn seed_article_fires_the_ru_prk_rule_with_evidence() {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let text = std::fs::read_to_string(corpus.join("seed/000_f65c8cd2c888a781.txt")).unwrap();
    let x = Extractor::builtin().extract(&normalize(None, &text));
    let expr = parse(
        "SENTENCE(actor:RUS, actor:PRK, topic:military-cooperation)",
        Extractor::builtin(),
    )
    .unwrap();
    let verdict = evaluate(
        &expr,
        &ItemContext {
            extraction: &x,
            feed: "",
            tags: &[],
        },
    );
    assert!(verdict.fired);
    assert!(verdict.evidence.contains(&0), "{:?}", verdict.evidence);
    for &i in &verdict.evidence {
        let s = &x.sentences[i];
        assert!(
            s.contains("Russia") || s.contains("Moscow") || s.contains("Russian"),
            "{s}"
        );
    }
}

#[test]
fn negated_statements_do_not_fire_sentence_rules() {
    let rule = "SENTENCE(actor:CHN, actor:RUS, topic:diplomatic-tension)";
    assert!(!fires(
        rule,
        "China has not criticized Russia for the deal."
    ));
    assert!(fires(rule, "China criticized Russia for the deal."));
    assert!(fires(
        "SENTENCE(actor:CHN, actor:RUS, negated:diplomatic-tension)",
        "China has not criticized Russia for the deal."
    ));
}

#[test]
fn scopes_and_thresholds() {
    let text = "Japan protested. The buoy sits in disputed waters near the Senkaku Islands. China said nothing.";
    assert!(fires("NEAR/1(actor:JPN, place:Senkaku)", text));
    assert!(!fires("SENTENCE(actor:JPN, place:Senkaku)", text));
    assert!(fires(
        "count(actor:JPN)>=1 AND NOT count(actor:JPN)>=2",
        text
    ));
    assert!(fires("\"senkaku islands\" AND /buoy/", text));
    assert!(!fires("\"senkaku isl\"", text));
    assert!(fires("feed:wir", text));
}
