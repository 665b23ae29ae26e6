//! wirewatch as a service: unit files that systemd accepts, config reload (valid and
//! invalid, by SIGHUP and by editing the file), the health and metrics endpoint, and a
//! kill -9 loop after which every alert has been delivered exactly once.

mod common;

use std::collections::{HashMap, HashSet};
use std::io::{Read, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{have, Route, TestServer};

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn daemon(config: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_wirewatch"))
        .args(["--config", config, "run"])
        .env("WIREWATCH_LOG", "wirewatch=info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn stop(child: Child, signal: &str) -> (Option<i32>, String) {
    Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn items_of(config: &str) -> HashMap<String, u64> {
    let out = common::wirewatch(&["--config", config, "status", "--json"]);
    let all: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap_or_default();
    all.iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap().to_string(),
                s["items"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn unit_files_pass_systemd_analyze_verify() {
    if !have("systemd-analyze") {
        common::skip("systemd-analyze is missing (Debian package systemd)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for unit in ["wirewatch.service", "wirewatch-user.service"] {
        let text = std::fs::read_to_string(format!(
            "{}/config/systemd/{unit}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        // verify checks that ExecStart exists: point it at the binary under test.
        let text = text.replace("/usr/local/bin/wirewatch", env!("CARGO_BIN_EXE_wirewatch"));
        let path = dir.path().join(unit);
        std::fs::write(&path, text).unwrap();
        let out = Command::new("systemd-analyze")
            .args(["verify", &path.display().to_string()])
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&out.stderr).into_owned()
            + &String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{unit}: {said}");
        let about_unit: Vec<&str> = said.lines().filter(|l| l.contains(unit)).collect();
        assert!(about_unit.is_empty(), "{unit}: {about_unit:?}");
    }
}

fn feed_file(dir: &std::path::Path, name: &str, guid: &str) {
    std::fs::write(
        dir.join(name),
        format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title><item><guid>{guid}</guid><title>Item {guid}</title><description>Text.</description></item></channel></rss>"),
    )
    .unwrap();
}

fn feeds_config(names: &[&str]) -> String {
    let mut text = String::from("[digest]\nenabled = false\n\n");
    for name in names {
        text.push_str(&format!(
            "[[feed]]\nurl = \"file:{name}.xml\"\nname = \"{name}\"\ninterval = \"1h\"\n\n"
        ));
    }
    text
}

#[test]
fn reload_applies_valid_configs_and_keeps_running_on_invalid_ones() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["a", "b", "c"] {
        feed_file(dir.path(), &format!("{name}.xml"), name);
    }
    let path = dir.path().join("wirewatch.toml");
    std::fs::write(&path, feeds_config(&["a"])).unwrap();
    let config = path.display().to_string();
    let child = daemon(&config);
    wait_for("feed a", || items_of(&config).get("a") == Some(&1));

    // A valid config, announced with SIGHUP: feed b is added without a restart.
    std::fs::write(&path, feeds_config(&["a", "b"])).unwrap();
    Command::new("kill")
        .args(["-HUP", &child.id().to_string()])
        .status()
        .unwrap();
    wait_for("feed b after SIGHUP", || {
        items_of(&config).get("b") == Some(&1)
    });

    // An invalid config is rejected and the running one keeps going.
    std::fs::write(&path, "[[feed]]\nurl = \"nope\"\n").unwrap();
    Command::new("kill")
        .args(["-HUP", &child.id().to_string()])
        .status()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));

    // Editing the file alone is enough to reload.
    std::fs::write(&path, feeds_config(&["a", "b", "c"])).unwrap();
    wait_for("feed c after the file changed", || {
        items_of(&config).get("c") == Some(&1)
    });

    let (code, log) = stop(child, "-TERM");
    assert_eq!(code, Some(0), "{log}");
    assert!(
        log.contains("config reload rejected; the running config stays in force"),
        "{log}"
    );
    assert!(log.contains("invalid URL `nope`"), "{log}");
    assert!(log.matches("config reloaded").count() >= 2, "{log}");
}

fn http_get(addr: &str, path: &str) -> (u16, String) {
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response.split_whitespace().nth(1).unwrap().parse().unwrap();
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

#[test]
fn healthz_and_metrics_in_prometheus_text_format() {
    let dir = tempfile::tempdir().unwrap();
    feed_file(dir.path(), "a.xml", "a");
    let addr = TestServer::free_addr();
    let config = common::write_config(
        dir.path(),
        &(feeds_config(&["a", "missing"]) + &format!("[http]\nlisten = \"{addr}\"\n")),
    );
    let child = daemon(&config);
    wait_for("both polls", || {
        std::net::TcpStream::connect(&addr).is_ok()
            && http_get(&addr, "/metrics")
                .1
                .contains("wirewatch_polls_total 2")
    });
    let (_, health) = http_get(&addr, "/healthz");
    let health: serde_json::Value = serde_json::from_str(&health).unwrap();
    assert_eq!(health["status"], "ok");
    assert!(health["last_poll_age_seconds"].as_i64().unwrap() >= 0);
    let (status, metrics) = http_get(&addr, "/metrics");
    assert_eq!(status, 200);
    // Every line is a comment (# HELP / # TYPE) or `name{labels} value`.
    let sample = regex::Regex::new(r#"^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? -?[0-9.eE+-]+|\+Inf|NaN$"#).unwrap();
    let mut types = HashSet::new();
    for line in metrics.lines().filter(|l| !l.is_empty()) {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let mut parts = rest.split_whitespace();
            types.insert(parts.next().unwrap().to_string());
            assert!(
                matches!(parts.next(), Some("counter" | "gauge" | "histogram")),
                "{line}"
            );
        } else if !line.starts_with("# HELP ") {
            assert!(sample.is_match(line), "not Prometheus text: {line}");
        }
    }
    for name in [
        "wirewatch_polls_total",
        "wirewatch_poll_errors_total",
        "wirewatch_items_total",
        "wirewatch_matches_total",
        "wirewatch_alerts_total",
        "wirewatch_outbox_depth",
        "wirewatch_poll_duration_seconds",
    ] {
        assert!(types.contains(name), "{name} missing:\n{metrics}");
    }
    assert!(metrics.contains("wirewatch_polls_total 2"), "{metrics}");
    assert!(
        metrics.contains("wirewatch_poll_errors_total{kind=\"file\"} 1"),
        "{metrics}"
    );
    assert!(metrics.contains("wirewatch_items_total 1"), "{metrics}");
    let (code, log) = stop(child, "-TERM");
    assert_eq!(code, Some(0), "{log}");
}

#[test]
fn kill_nine_loop_delivers_every_alert_exactly_once() {
    const ITEMS: usize = 12;
    const KILLS: usize = 20;
    // Twelve distinct stories, each matching the rule.
    let places = [
        "Seoul",
        "Tokyo",
        "Vladivostok",
        "Pyongyang",
        "Moscow",
        "Khabarovsk",
        "Busan",
        "Sapporo",
        "Harbin",
        "Dalian",
        "Niigata",
        "Rason",
    ];
    let mut items = String::new();
    for (i, place) in places.iter().enumerate().take(ITEMS) {
        items.push_str(&format!(
            "<item><guid>k{i}</guid><title>Report {i} from {place}: shipment number {i}</title><description>Russia and North Korea deepened their military cooperation, officials in {place} said after shipment {i} of artillery shells number {i} crossed at point {i}.</description></item>"
        ));
    }
    let feed = format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title>{items}</channel></rss>");
    let mut routes = HashMap::new();
    routes.insert("/feed.xml".into(), Route::ok("application/rss+xml", feed));
    routes.insert("/hook".into(), Route::receiver());
    let server = TestServer::start(routes);
    let dir = tempfile::tempdir().unwrap();
    let config = common::write_config(
        dir.path(),
        &format!(
            "[[feed]]\nurl = \"{}\"\nname = \"Wire\"\ninterval = \"1h\"\n\n[[rule]]\nname = \"ru-prk\"\nmatch = 'SENTENCE(actor:RUS, actor:PRK, topic:military-cooperation)'\nactions = [\"webhook:ops\"]\n\n[sinks.webhook.ops]\nurl = \"{}\"\n\n[alerts]\nretry_base = \"100ms\"\n# The items are alike on purpose; this test is about crashes, not grouping.\nstory_similarity = 1.0\n\n[digest]\nenabled = false\n",
            server.url("/feed.xml"),
            server.url("/hook")
        ),
    );
    // Kill at pseudo-random moments (a fixed sequence, so a failure can be replayed).
    let mut seed: u64 = 0x5eed;
    for _ in 0..KILLS {
        let child = daemon(&config);
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        std::thread::sleep(Duration::from_millis(20 + (seed >> 33) % 400));
        let (code, _) = stop(child, "-KILL");
        assert_eq!(code, None, "killed by a signal");
    }
    let child = daemon(&config);
    let keys = || -> HashMap<String, usize> {
        let mut keys = HashMap::new();
        for post in server.requests_to("/hook") {
            *keys
                .entry(post.headers["idempotency-key"].clone())
                .or_default() += 1;
        }
        keys
    };
    wait_for("every alert", || keys().len() >= ITEMS);
    std::thread::sleep(Duration::from_millis(1500));
    let (code, log) = stop(child, "-TERM");
    assert_eq!(code, Some(0), "{log}");
    let keys = keys();
    assert_eq!(keys.len(), ITEMS, "every matched story alerted");
    let repeats: Vec<_> = keys.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        repeats.is_empty(),
        "alerts delivered more than once: {repeats:?}"
    );
    assert_eq!(
        items_of(&config)["Wire"],
        ITEMS as u64,
        "nothing lost, nothing stored twice"
    );
}

#[test]
fn sigterm_in_the_middle_of_a_pass_exits_cleanly_and_loses_nothing() {
    const FEEDS: usize = 150;
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("[digest]\nenabled = false\n\n");
    for i in 0..FEEDS {
        feed_file(dir.path(), &format!("f{i}.xml"), &format!("g{i}"));
        text.push_str(&format!(
            "[[feed]]\nurl = \"file:f{i}.xml\"\nname = \"f{i}\"\ninterval = \"1h\"\n\n"
        ));
    }
    let config = common::write_config(dir.path(), &text);
    let child = daemon(&config);
    wait_for("the pass to start", || {
        items_of(&config).values().sum::<u64>() > 0
    });
    let (code, log) = stop(child, "-TERM");
    assert_eq!(code, Some(0), "{log}");
    assert!(log.contains("wirewatch stopped"), "{log}");
    // What was committed is whole; a restart picks up the rest and stores nothing twice.
    let child = daemon(&config);
    wait_for("every feed", || {
        items_of(&config).values().sum::<u64>() == FEEDS as u64
    });
    let (code, log) = stop(child, "-TERM");
    assert_eq!(code, Some(0), "{log}");
    assert!(items_of(&config).values().all(|&n| n == 1));
}
