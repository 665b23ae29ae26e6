//! `wirewatch check`: every mistake reported at once, with file, line, column and a fix;
//! and every shipped config loads.

mod common;

use common::{stderr, stdout, wirewatch};

const BROKEN: &str = r#"[[feed]]
url = "https://example.org/a.rss"
intervall = "30m"

[[feed]]
url = "htp//example.org/b.rss"

[[rule]]
name = "r1"
match = 'SENTENCE(actor:RUS, actor:PRK'
cooldown = "3 fortnights"

[[rule]]
name = "r2"
match = 'actor:Rusia AND topic:sanctions'
severity = "loud"

[sinks.jsonl]
path = "a.jsonl"
colour = "red"
"#;

#[test]
fn check_reports_every_error_with_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.toml");
    std::fs::write(&path, BROKEN).unwrap();
    let p = path.display().to_string();
    let out = wirewatch(&["--config", &p, "check"]);
    assert_eq!(out.status.code(), Some(1), "stdout: {}", stdout(&out));
    let expected = format!(
        "error: {p}:3:1: unknown key `intervall` in feed #1
  help: remove it or use one of `url`, `name`, `tags`, `interval`, `full_text`
error: {p}:6:7: invalid URL `htp//example.org/b.rss`: relative URL without a base
  help: write a full URL such as \"https://example.org/feed.xml\"
error: {p}:10:39: in rule `r1`: expected `)` to close `SENTENCE(`, found the end of the rule
    SENTENCE(actor:RUS, actor:PRK
                                 ^
  help: add the missing `)`
error: {p}:11:12: invalid duration `3 fortnights`: unknown time unit \"fortnights\", supported units: ns, us/µs, ms, sec, min, hours, days, weeks, months, years (and few variations)
  help: use a number with a unit, like \"30m\", \"6h\" or \"1d\"
error: {p}:15:16: in rule `r2`: unknown actor `Rusia`
    actor:Rusia AND topic:sanctions
          ^
  help: did you mean `RUS` (Russia)? or add an [[actor]] to the config
error: {p}:16:12: unknown severity `loud` in rule `r2`
  help: use info, warning or critical
error: {p}:20:1: unknown key `colour` in [sinks]
  help: remove it or use one of `path`
"
    );
    assert_eq!(stderr(&out), expected);
}

#[test]
fn toml_syntax_error_points_at_the_position() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("syntax.toml");
    std::fs::write(&path, "[[feed]]\nurl = \"https://example.org/a.rss\n").unwrap();
    let out = wirewatch(&["--config", &path.display().to_string(), "check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with(&format!("error: {}:2:33: invalid TOML", path.display())),
        "{}",
        stderr(&out)
    );
}

#[test]
fn missing_config_file_is_a_clear_user_error() {
    let out = wirewatch(&["--config", "/nonexistent/wirewatch.toml", "check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).starts_with("error: cannot read config file /nonexistent/wirewatch.toml:"));
}

#[test]
fn every_shipped_config_loads() {
    let root = env!("CARGO_MANIFEST_DIR");
    for config in [
        "config/wirewatch.example.toml",
        "config/demo/wirewatch.toml",
    ] {
        let path = format!("{root}/{config}");
        let out = wirewatch(&["--config", &path, "check"]);
        assert_eq!(out.status.code(), Some(0), "{config}: {}", stderr(&out));
        assert!(
            stdout(&out).contains(": ok ("),
            "{config}: {}",
            stdout(&out)
        );
    }
}

#[test]
fn config_may_come_after_the_subcommand() {
    let path = format!("{}/config/demo/wirewatch.toml", env!("CARGO_MANIFEST_DIR"));
    let out = wirewatch(&["check", "--config", &path]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn user_actors_and_topics_extend_the_builtin_ones() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.toml");
    std::fs::write(
        &path,
        r#"
[[actor]]
id = "ACME"
name = "Acme Defence"
aliases = ["Acme Defence Corporation"]

[[topic]]
id = "water-disputes"
[topic.terms]
"water dispute*" = 1.0
"dam" = 0.6

[[rule]]
name = "acme-water"
match = 'actor:"Acme Defence" AND topic:water-disputes'
"#,
    )
    .unwrap();
    let doc = dir.path().join("doc.txt");
    std::fs::write(&doc, "Acme Defence Corporation was drawn into the water disputes over the new dam. The dam is disputed.").unwrap();
    let p = path.display().to_string();
    let out = wirewatch(&["--config", &p, "explain", &doc.display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).starts_with("FIRED   acme-water"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn opml_export_then_import_round_trips_the_feeds() {
    let path = format!("{}/config/demo/wirewatch.toml", env!("CARGO_MANIFEST_DIR"));
    let out = wirewatch(&["--config", &path, "feeds", "export"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let dir = tempfile::tempdir().unwrap();
    let opml = dir.path().join("feeds.opml");
    std::fs::write(&opml, stdout(&out)).unwrap();
    let imported = wirewatch(&["feeds", "import", &opml.display().to_string()]);
    assert_eq!(imported.status.code(), Some(0), "{}", stderr(&imported));
    let tables: toml::Table = toml::from_str(&stdout(&imported)).unwrap();
    let names: Vec<&str> = tables["feed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["Demo World Wire", "Demo Asia Desk"]);
    assert!(stderr(&imported).contains("2 feeds"));
    let bad = dir.path().join("bad.opml");
    std::fs::write(&bad, "<html></html>").unwrap();
    let failed = wirewatch(&["feeds", "import", &bad.display().to_string()]);
    assert_eq!(failed.status.code(), Some(1));
    assert!(
        stderr(&failed).contains("not a valid OPML document"),
        "{}",
        stderr(&failed)
    );
}
