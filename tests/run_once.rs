//! End to end: `wirewatch run --once` against a real HTTP server on 127.0.0.1, twice, with
//! a temporary store: items stored once, alerts raised once, a broken feed recorded as that
//! feed's error while the others are processed.

mod common;

use std::collections::HashMap;

use common::{corpus, stderr, stdout, wirewatch, Route, TestServer};

fn demo_feed(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/config/demo/feeds/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn config(server: &TestServer, dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("wirewatch.toml");
    std::fs::write(
        &path,
        format!(
            r#"
[store]
path = "state/wirewatch.db"

[[feed]]
url = "{world}"
name = "World"

[[feed]]
url = "{asia}"
name = "Asia"

[[feed]]
url = "{broken}"
name = "Broken"

[[rule]]
name = "ru-prk"
match = 'SENTENCE(actor:RUS, actor:PRK, topic:military-cooperation OR topic:arms-transfer)'
actions = ["jsonl"]

[sinks.jsonl]
path = "alerts.jsonl"
"#,
            world = server.url("/world.xml"),
            asia = server.url("/asia.atom"),
            broken = server.url("/broken.html"),
        ),
    )
    .unwrap();
    path
}

fn statuses(config: &str) -> Vec<serde_json::Value> {
    let out = wirewatch(&["--config", config, "status", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

fn status_of<'a>(all: &'a [serde_json::Value], name: &str) -> &'a serde_json::Value {
    all.iter().find(|s| s["name"] == name).unwrap()
}

#[test]
fn two_passes_store_no_duplicates_and_a_broken_feed_stops_nothing() {
    let Some(corpus) = corpus() else { return };
    let broken = std::fs::read(corpus.join("feeds/malformed/not_a_feed.html")).unwrap();
    let mut routes = HashMap::new();
    routes.insert(
        "/world.xml".into(),
        Route::ok("application/rss+xml", demo_feed("world-wire.xml")).with_etag("\"w1\""),
    );
    routes.insert(
        "/asia.atom".into(),
        Route::ok("application/atom+xml", demo_feed("asia-desk.atom")),
    );
    routes.insert("/broken.html".into(), Route::ok("text/html", broken));
    let server = TestServer::start(routes);
    let dir = tempfile::tempdir().unwrap();
    let config = config(&server, dir.path()).display().to_string();

    let first = wirewatch(&["--config", &config, "run", "--once"]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let out = stdout(&first);
    assert!(out.contains("polled 3 feeds (1 failed): 10 new items, 0 updated, 2 rule matches, 2 alerts delivered"), "{out}");
    assert!(
        out.contains("FEED ERROR Broken: the document is not a feed"),
        "{out}"
    );
    let alerts_after_first = std::fs::read_to_string(dir.path().join("alerts.jsonl")).unwrap();
    assert_eq!(alerts_after_first.lines().count(), 2);

    let all = statuses(&config);
    assert_eq!(status_of(&all, "World")["items"], 6);
    assert_eq!(status_of(&all, "Asia")["items"], 4);
    let broken = status_of(&all, "Broken");
    assert_eq!(broken["items"], 0);
    assert_eq!(broken["consecutive_failures"], 1);
    assert!(broken["last_error"]
        .as_str()
        .unwrap()
        .starts_with("the document is not a feed"));
    assert!(status_of(&all, "World")["last_success"].is_string());

    let second = wirewatch(&["--config", &config, "run", "--once"]);
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    assert!(
        stdout(&second).contains(
            "polled 3 feeds (1 failed): 0 new items, 0 updated, 0 rule matches, 0 alerts delivered"
        ),
        "{}",
        stdout(&second)
    );
    let all = statuses(&config);
    assert_eq!(status_of(&all, "World")["items"], 6);
    assert_eq!(status_of(&all, "Asia")["items"], 4);
    assert_eq!(status_of(&all, "Broken")["consecutive_failures"], 2);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("alerts.jsonl")).unwrap(),
        alerts_after_first
    );

    // A backtest of the rule over the store finds what it alerted on.
    let backtest = wirewatch(&[
        "--config", &config, "backtest", "--rule", "ru-prk", "--since", "1d",
    ]);
    assert_eq!(backtest.status.code(), Some(0), "{}", stderr(&backtest));
    assert!(
        stdout(&backtest).contains("rule `ru-prk` would have fired on 2 of 10 items"),
        "{}",
        stdout(&backtest)
    );
    let unknown = wirewatch(&["--config", &config, "backtest", "--rule", "nope"]);
    assert_eq!(unknown.status.code(), Some(1));

    // The second request for the feed with an ETag was conditional and got 304.
    let world = server.requests_to("/world.xml");
    assert_eq!(world.len(), 2);
    assert_eq!(world[0].headers.get("if-none-match"), None);
    assert_eq!(
        world[1].headers.get("if-none-match").map(String::as_str),
        Some("\"w1\"")
    );
    assert!(world[0].headers["user-agent"].starts_with("wirewatch/"));
}

#[test]
fn changed_content_updates_the_item_and_does_not_alert_again() {
    let mut routes = HashMap::new();
    routes.insert(
        "/world.xml".into(),
        Route::ok("application/rss+xml", demo_feed("world-wire.xml")),
    );
    routes.insert(
        "/asia.atom".into(),
        Route::ok("application/atom+xml", demo_feed("asia-desk.atom")),
    );
    routes.insert(
        "/broken.html".into(),
        Route::ok("text/html", "<html><body>gone</body></html>"),
    );
    let server = TestServer::start(routes);
    let dir = tempfile::tempdir().unwrap();
    let config = config(&server, dir.path()).display().to_string();
    let first = wirewatch(&["--config", &config, "run", "--once"]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));

    let edited = String::from_utf8(demo_feed("world-wire.xml"))
        .unwrap()
        .replace(
            "expanded their military cooperation this week",
            "expanded their military cooperation again this week",
        );
    server.set_route("/world.xml", Route::ok("application/rss+xml", edited));
    let second = wirewatch(&["--config", &config, "run", "--once"]);
    assert!(
        stdout(&second).contains("0 new items, 1 updated, 0 rule matches, 0 alerts delivered"),
        "{}",
        stdout(&second)
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("alerts.jsonl"))
            .unwrap()
            .lines()
            .count(),
        2
    );
}
