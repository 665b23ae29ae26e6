//! No input panics the pipeline: property tests over arbitrary text, HTML-ish text, bytes
//! and rule strings, plus the classic hostile cases (empty, binary, 10 MB on one line,
//! deeply nested HTML). Every mention must also point at its own text.

use proptest::prelude::*;
use wirewatch::extract::{Extraction, Extractor};
use wirewatch::normalize::normalize;
use wirewatch::parse::parse_feed;

fn check(text: &str) -> Extraction {
    let doc = normalize(None, text);
    let x = Extractor::builtin().extract(&doc);
    for actor in &x.actors {
        for m in &actor.mentions {
            assert_eq!(&doc.text[m.start..m.end], m.text);
            assert!(m.sentence < x.sentences.len());
        }
    }
    for person in &x.people {
        for m in &person.mentions {
            assert_eq!(&doc.text[m.start..m.end], m.text);
        }
    }
    for topic in &x.topics {
        assert!((0.0..=1.0).contains(&topic.score));
        assert!(topic.evidence.iter().all(|&i| i < x.sentences.len()));
    }
    x
}

/// Text made of the pieces that trip extractors: names, quotes, dots, tags, entities.
fn newsy() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "China",
        "North Korea",
        "U.S.",
        "Adm.",
        "Prof.",
        " ",
        "  ",
        "\n",
        "\n\n",
        ".",
        "!",
        "?",
        "“",
        "”",
        "\"",
        "'",
        "’s",
        ",",
        " said ",
        "Kurt Campbell",
        "East China Sea",
        "Georgia",
        "<p>",
        "</p>",
        "<div>",
        "<script>x</script>",
        "&amp;",
        "&nbsp;",
        "&#x1F600;",
        "Ã©",
        "â€™",
        "KABUL (Reuters) - ",
        "View all posts",
        "Author",
        "(",
        ")",
        "é",
        "日本",
        "\u{0}",
        "\t",
        "sanctions",
        "has not criticized",
        "the",
        "Minister",
        "Jean-Luc",
        "al-",
        "-",
    ]);
    prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        check(&text);
    }

    #[test]
    fn newsy_text_never_panics(text in newsy()) {
        check(&text);
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_feed_parser(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let _ = parse_feed(&bytes);
    }

    #[test]
    fn arbitrary_rules_never_panic(rule in "[a-zA-Z:()\",/ <>=0-9.*+-]{0,60}") {
        let _ = wirewatch::rules::parse(&rule, Extractor::builtin());
    }
}

#[test]
fn hostile_classics() {
    assert!(check("").actors.is_empty());
    let binary: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    check(&String::from_utf8_lossy(&binary));
    let long_line = "Russia and China said the talks went well, officials said ".repeat(175_000);
    assert!(long_line.len() > 10_000_000);
    let x = check(&long_line);
    assert!(x.actors.iter().any(|a| a.id == "RUS"));
    check(&("<div>".repeat(100_000) + "China"));
    check(&("<b>".repeat(50_000) + &"&amp;".repeat(10_000)));
    check(&"“".repeat(10_000));
    check(&"Mr. ".repeat(50_000));
}
