//! Alerts end to end: one alert per story across feeds, webhooks delivered exactly once
//! through failures and restarts, signed bodies, and a desktop sink that fails cleanly
//! without a session bus while the other sinks deliver.

mod common;

use std::collections::HashMap;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{stderr, stdout, wirewatch, Route, TestServer};

const ITEM: &str = "Russia and North Korea expanded their military cooperation this week, according to officials in Seoul, who said a new shipment of artillery shells crossed the border by rail.";

fn rss(guid: &str, title: &str, body: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title>\
         <item><guid>{guid}</guid><title>{title}</title><link>https://example.invalid/{guid}</link>\
         <description>{body}</description></item></channel></rss>"
    )
}

/// A server with the standard matching item at /a.xml, plus `extra` routes.
fn feed_server(extra: Vec<(&str, Route)>) -> TestServer {
    let mut routes = HashMap::new();
    routes.insert(
        "/a.xml".into(),
        Route::ok(
            "application/rss+xml",
            rss("a1", "Shells reach the front", ITEM),
        ),
    );
    for (path, route) in extra {
        routes.insert(path.to_string(), route);
    }
    TestServer::start(routes)
}

fn write_config(
    dir: &std::path::Path,
    feeds: &[(&str, String)],
    hook: Option<&str>,
    extra: &str,
) -> String {
    let mut config = String::new();
    for (name, url) in feeds {
        config.push_str(&format!("[[feed]]\nurl = \"{url}\"\nname = \"{name}\"\n\n"));
    }
    let actions = if hook.is_some() {
        r#"["jsonl", "webhook:ops"]"#
    } else {
        r#"["jsonl"]"#
    };
    config.push_str(&format!(
        "[[rule]]\nname = \"ru-prk\"\nmatch = 'SENTENCE(actor:RUS, actor:PRK, topic:military-cooperation)'\nactions = {actions}\n\n[sinks.jsonl]\npath = \"alerts.jsonl\"\n\n[digest]\nenabled = false\n\n[alerts]\nretry_base = \"100ms\"\nretry_max = \"400ms\"\n{extra}\n"
    ));
    if let Some(url) = hook {
        config.push_str(&format!(
            "\n[sinks.webhook.ops]\nurl = \"{url}\"\nsecret = \"s3cret\"\n"
        ));
    }
    common::write_config(dir, &config)
}

fn jsonl(dir: &std::path::Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(dir.join("alerts.jsonl"))
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn near_duplicates_from_two_feeds_raise_one_alert_listing_both_sources() {
    let mut routes = HashMap::new();
    routes.insert(
        "/a.xml".into(),
        Route::ok(
            "application/rss+xml",
            rss("a1", "North Korean shells reach Russian front", ITEM),
        ),
    );
    let edited = ITEM.replace("this week", "this week, officials said,");
    routes.insert(
        "/b.xml".into(),
        Route::ok(
            "application/rss+xml",
            rss("b7", "North Korean shells reach the Russian front", &edited),
        ),
    );
    let server = TestServer::start(routes);
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(
        dir.path(),
        &[
            ("Wire A", server.url("/a.xml")),
            ("Wire B", server.url("/b.xml")),
        ],
        None,
        "",
    );
    let out = wirewatch(&["--config", &config, "run", "--once"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("2 new items, 0 updated, 2 rule matches, 1 alerts delivered"),
        "{}",
        stdout(&out)
    );
    let alerts = jsonl(dir.path());
    assert_eq!(alerts.len(), 1);
    let sources: Vec<&str> = alerts[0]["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["feed"].as_str().unwrap())
        .collect();
    assert_eq!(sources.len(), 2, "{sources:?}");
    assert!(sources.contains(&"Wire A") && sources.contains(&"Wire B"));
}

#[test]
fn webhook_gets_each_alert_once_and_signed() {
    let server = feed_server(vec![("/hook", Route::receiver())]);
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(
        dir.path(),
        &[("Wire A", server.url("/a.xml"))],
        Some(&server.url("/hook")),
        "",
    );
    for _ in 0..3 {
        let out = wirewatch(&["--config", &config, "run", "--once"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    let posts = server.requests_to("/hook");
    assert_eq!(posts.len(), 1);
    let post = &posts[0];
    assert_eq!(post.method, "POST");
    let alert: serde_json::Value = serde_json::from_slice(&post.body).unwrap();
    assert_eq!(alert["rule"], "ru-prk");
    assert_eq!(alert["actors"][0], "RUS");
    // The signature is HMAC-SHA256 of the exact body under the shared secret.
    use hmac::Mac;
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(b"s3cret").unwrap();
    mac.update(&post.body);
    let expected: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(
        post.headers["x-wirewatch-signature"],
        format!("sha256={expected}")
    );
    assert!(post.headers["idempotency-key"].starts_with("wirewatch-"));
}

fn run_daemon_until(config: &str, done: impl Fn() -> bool) -> String {
    let child = Command::new(env!("CARGO_BIN_EXE_wirewatch"))
        .args(["--config", config, "run"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done() {
        assert!(Instant::now() < deadline, "the daemon did not get there");
        std::thread::sleep(Duration::from_millis(100));
    }
    // Let a wrongly repeated delivery show up before stopping.
    std::thread::sleep(Duration::from_millis(1500));
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_receiver_failing_three_times_gets_the_alert_once() {
    let server = feed_server(vec![("/hook", Route::receiver().failing_first(3))]);
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(
        dir.path(),
        &[("Wire A", server.url("/a.xml"))],
        Some(&server.url("/hook")),
        "",
    );
    let log = run_daemon_until(&config, || server.requests_to("/hook").len() >= 4);
    let posts = server.requests_to("/hook");
    assert_eq!(
        posts.len(),
        4,
        "three failures and one success, nothing more: {log}"
    );
    let keys: std::collections::HashSet<&str> = posts
        .iter()
        .map(|p| p.headers["idempotency-key"].as_str())
        .collect();
    assert_eq!(keys.len(), 1, "every attempt carries the same alert id");
    assert!(log.contains("alert delivery failed"), "{log}");
}

#[test]
fn an_alert_matched_before_a_crash_is_delivered_once_after_restart() {
    let feeds = feed_server(vec![]);
    // The receiver is down during the first run: the match is committed, the delivery is not.
    let hook_addr = TestServer::free_addr();
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(
        dir.path(),
        &[("Wire A", feeds.url("/a.xml"))],
        Some(&format!("http://{hook_addr}/hook")),
        "",
    );
    let first = wirewatch(&["--config", &config, "run", "--once"]);
    assert!(
        stdout(&first).contains("DELIVERY ERROR webhook:ops"),
        "{}",
        stdout(&first)
    );
    let mut routes = HashMap::new();
    routes.insert("/hook".into(), Route::receiver());
    let receiver = TestServer::start_on(&hook_addr, routes);
    std::thread::sleep(Duration::from_millis(600));
    for _ in 0..2 {
        let out = wirewatch(&["--config", &config, "run", "--once"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        std::thread::sleep(Duration::from_millis(600));
    }
    assert_eq!(receiver.requests_to("/hook").len(), 1);
    assert_eq!(
        jsonl(dir.path()).len(),
        1,
        "the JSON Lines sink wrote it once too"
    );
}

#[test]
fn desktop_without_a_session_bus_fails_clearly_and_other_sinks_deliver() {
    let server = feed_server(vec![]);
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), &[("Wire A", server.url("/a.xml"))], None, "");
    let text = std::fs::read_to_string(&config).unwrap().replace(
        r#"actions = ["jsonl"]"#,
        r#"actions = ["desktop", "jsonl"]"#,
    );
    std::fs::write(&config, text + "\n[sinks.desktop]\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_wirewatch"))
        .args(["--config", &config, "run", "--once"])
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
        .env("XDG_RUNTIME_DIR", dir.path().join("no-runtime"))
        .env_remove("DISPLAY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let printed = stdout(&out);
    assert!(
        printed.contains("DELIVERY ERROR desktop: desktop notification failed:"),
        "{printed}"
    );
    assert!(
        printed.contains("is a notification server running on the session D-Bus?"),
        "{printed}"
    );
    assert_eq!(jsonl(dir.path()).len(), 1);
}

#[test]
fn webhook_presets_send_the_shapes_their_services_expect() {
    let mut routes = HashMap::new();
    routes.insert(
        "/a.xml".into(),
        Route::ok(
            "application/rss+xml",
            rss(
                "a1",
                "Shells &amp;lt;b&amp;gt;reach&amp;lt;/b&amp;gt; the front",
                ITEM,
            ),
        ),
    );
    for path in ["/slack", "/discord", "/ntfy", "/matrix"] {
        routes.insert(path.into(), Route::receiver());
    }
    let server = TestServer::start(routes);
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), &[("Wire A", server.url("/a.xml"))], None, "");
    let mut text = std::fs::read_to_string(&config).unwrap().replace(
        r#"actions = ["jsonl"]"#,
        r#"actions = ["webhook:slack", "webhook:discord", "webhook:ntfy", "webhook:matrix"]"#,
    );
    for preset in ["slack", "discord", "ntfy", "matrix"] {
        text.push_str(&format!(
            "\n[sinks.webhook.{preset}]\nurl = \"{}\"\npreset = \"{preset}\"\nheaders = {{ Authorization = \"Bearer t0k\" }}\n",
            server.url(&format!("/{preset}"))
        ));
    }
    std::fs::write(&config, text).unwrap();
    let out = wirewatch(&["--config", &config, "run", "--once"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let body = |path: &str| {
        let posts = server.requests_to(path);
        assert_eq!(posts.len(), 1, "{path}");
        assert_eq!(posts[0].headers["authorization"], "Bearer t0k");
        posts[0].clone()
    };
    let slack: serde_json::Value = serde_json::from_slice(&body("/slack").body).unwrap();
    let text = slack["text"].as_str().unwrap();
    assert!(text.starts_with("[warning] ru-prk: Shells"), "{text}");
    assert!(
        !text.contains('<'),
        "markup characters are neutralised for chat: {text}"
    );
    let discord: serde_json::Value = serde_json::from_slice(&body("/discord").body).unwrap();
    assert!(discord["content"].as_str().unwrap().contains("ru-prk"));
    let matrix: serde_json::Value = serde_json::from_slice(&body("/matrix").body).unwrap();
    assert_eq!(matrix["msgtype"], "m.text");
    assert!(matrix["body"]
        .as_str()
        .unwrap()
        .contains("Actors: RUS, PRK"));
    let ntfy = body("/ntfy");
    assert!(ntfy.headers["title"].starts_with("ru-prk: Shells"));
    assert_eq!(ntfy.headers["priority"], "4");
    assert_eq!(ntfy.headers["click"], "https://example.invalid/a1");
    let ntfy_body = String::from_utf8_lossy(&ntfy.body).into_owned();
    assert!(ntfy_body.contains("Actors: RUS, PRK"), "{ntfy_body}");
}
