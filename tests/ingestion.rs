//! Polling against a real HTTP server on 127.0.0.1, with the clock injected: Retry-After,
//! Cache-Control, back-off and recovery, slow and huge bodies, redirects, and one request
//! per host at a time.

mod common;

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use common::{Route, TestServer};
use wirewatch::app::poll_feeds;
use wirewatch::config::{Config, Feed};
use wirewatch::fetch::Fetcher;
use wirewatch::store::Store;

const RSS: &str = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title><item><guid>1</guid><title>One</title><description>Text.</description></item></channel></rss>";

struct Setup {
    _dir: tempfile::TempDir,
    config: Config,
    store: Store,
    fetcher: Fetcher,
}

fn setup(feeds: &[(&str, String)], extra: &str) -> Setup {
    setup_with(feeds, extra, "")
}

fn setup_with(feeds: &[(&str, String)], extra: &str, feed_keys: &str) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let mut text = format!("[digest]\nenabled = false\n\n[poll]\nhost_gap = \"0s\"\n{extra}\n");
    for (name, url) in feeds {
        text.push_str(&format!(
            "[[feed]]\nurl = \"{url}\"\nname = \"{name}\"\ninterval = \"30m\"\n{feed_keys}\n\n"
        ));
    }
    let path = dir.path().join("wirewatch.toml");
    std::fs::write(&path, text).unwrap();
    let config = Config::load(&path).unwrap();
    let store = Store::open(&config.store_path).unwrap();
    let fetcher = Fetcher::new(&config.poll).unwrap();
    Setup {
        _dir: dir,
        config,
        store,
        fetcher,
    }
}

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 29, 12, 0, 0).unwrap()
}

async fn poll(s: &mut Setup, now: DateTime<Utc>) -> wirewatch::app::PassReport {
    let feeds: Vec<&Feed> = s.config.feeds.iter().collect();
    poll_feeds(&s.config, &mut s.store, &s.fetcher, &feeds, now)
        .await
        .unwrap()
}

fn state(s: &Setup, i: usize) -> wirewatch::store::FeedState {
    s.store
        .feed_state(s.config.feeds[i].url.as_str())
        .unwrap()
        .unwrap()
}

fn minutes_until(s: &Setup, now: DateTime<Utc>) -> f64 {
    (state(s, 0).next_poll.unwrap() - now).num_seconds() as f64 / 60.0
}

#[tokio::test]
async fn retry_after_on_429_is_honoured() {
    let mut routes = HashMap::new();
    routes.insert("/f".into(), Route::status(429, &[("Retry-After", "7200")]));
    let server = TestServer::start(routes);
    let mut s = setup(&[("F", server.url("/f"))], "");
    let report = poll(&mut s, t0()).await;
    assert_eq!(report.feed_errors[0].1, "server answered 429");
    assert_eq!(
        state(&s, 0).next_poll.unwrap(),
        t0() + chrono::Duration::hours(2)
    );
    assert_eq!(state(&s, 0).consecutive_failures, 1);
}

#[tokio::test]
async fn cache_control_lengthens_the_interval() {
    let mut routes = HashMap::new();
    routes.insert(
        "/f".into(),
        Route::ok("application/rss+xml", RSS).header("Cache-Control", "public, max-age=7200"),
    );
    let server = TestServer::start(routes);
    let mut s = setup(&[("F", server.url("/f"))], "");
    poll(&mut s, t0()).await;
    let m = minutes_until(&s, t0());
    assert!((108.0..=132.0).contains(&m), "{m}");
}

#[tokio::test]
async fn repeated_500s_back_off_capped_and_recover() {
    let mut routes = HashMap::new();
    routes.insert(
        "/f".into(),
        Route::ok("application/rss+xml", RSS).failing_first(10),
    );
    let server = TestServer::start(routes);
    let mut s = setup(&[("F", server.url("/f"))], "");
    let mut now = t0();
    let expected = [
        15.0, 30.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1440.0, 1440.0, 1440.0,
    ];
    for (i, minutes) in expected.iter().enumerate() {
        poll(&mut s, now).await;
        let waited = minutes_until(&s, now);
        assert!(
            (waited - minutes).abs() <= minutes * 0.1 + 0.1,
            "failure {}: {waited} min",
            i + 1
        );
        assert_eq!(state(&s, 0).consecutive_failures, i as u32 + 1);
        now = state(&s, 0).next_poll.unwrap();
    }
    // The server recovers: the feed is read, the failures reset, the interval is normal.
    let report = poll(&mut s, now).await;
    assert!(report.feed_errors.is_empty());
    assert_eq!(report.totals.new_items, 1);
    assert_eq!(state(&s, 0).consecutive_failures, 0);
    assert!((27.0..=33.0).contains(&minutes_until(&s, now)));
}

#[tokio::test]
async fn a_trickling_server_times_out() {
    let mut routes = HashMap::new();
    routes.insert(
        "/f".into(),
        Route::ok("application/rss+xml", RSS).trickling(Duration::from_millis(200)),
    );
    let server = TestServer::start(routes);
    let mut s = setup(&[("F", server.url("/f"))], "timeout = \"2s\"");
    let report = poll(&mut s, t0()).await;
    assert_eq!(report.feed_errors.len(), 1);
    assert_eq!(report.feed_errors[0].1, "request timed out");
}

#[tokio::test]
async fn huge_bodies_are_refused_with_or_without_a_length() {
    let big = vec![b'x'; 50 * 1024 * 1024];
    let mut routes = HashMap::new();
    routes.insert(
        "/sized".into(),
        Route::ok("application/rss+xml", big.clone()),
    );
    routes.insert(
        "/unsized".into(),
        Route::ok("application/rss+xml", big).without_length(),
    );
    let server = TestServer::start(routes);
    let mut s = setup(
        &[
            ("Sized", server.url("/sized")),
            ("Unsized", server.url("/unsized")),
        ],
        "",
    );
    let report = poll(&mut s, t0()).await;
    let mut errors: Vec<&str> = report.feed_errors.iter().map(|(_, e)| e.as_str()).collect();
    errors.sort();
    assert_eq!(
        errors,
        vec!["body is larger than the limit of 15728640 bytes"; 2]
    );
}

#[tokio::test]
async fn a_gzip_bomb_is_refused() {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1024 * 1024];
    for _ in 0..200 {
        encoder.write_all(&zeros).unwrap();
    }
    let bomb = encoder.finish().unwrap();
    assert!(bomb.len() < 1024 * 1024, "{} bytes on the wire", bomb.len());
    let mut routes = HashMap::new();
    routes.insert(
        "/bomb".into(),
        Route::ok("application/rss+xml", bomb).header("Content-Encoding", "gzip"),
    );
    let server = TestServer::start(routes);
    let mut s = setup(&[("Bomb", server.url("/bomb"))], "max_body_bytes = 1048576");
    let report = poll(&mut s, t0()).await;
    assert_eq!(
        report.feed_errors[0].1,
        "body is larger than the limit of 1048576 bytes"
    );
}

#[tokio::test]
async fn redirects_loops_and_permanent_moves() {
    let mut routes = HashMap::new();
    routes.insert(
        "/loop-a".into(),
        Route::status(302, &[("Location", "/loop-b")]),
    );
    routes.insert(
        "/loop-b".into(),
        Route::status(302, &[("Location", "/loop-a")]),
    );
    routes.insert("/old".into(), Route::status(301, &[("Location", "/new")]));
    routes.insert("/new".into(), Route::ok("application/rss+xml", RSS));
    let server = TestServer::start(routes);
    let mut s = setup(
        &[
            ("Loop", server.url("/loop-a")),
            ("Moved", server.url("/old")),
        ],
        "",
    );
    let report = poll(&mut s, t0()).await;
    assert_eq!(report.feed_errors.len(), 1);
    assert_eq!(
        report.feed_errors[0].1,
        format!("redirect loop at {}", server.url("/loop-a"))
    );
    assert_eq!(
        state(&s, 1).fetch_url.as_deref(),
        Some(server.url("/new").as_str())
    );
    // The next poll goes straight to the new address.
    let later = state(&s, 1).next_poll.unwrap();
    poll(&mut s, later).await;
    assert_eq!(server.requests_to("/old").len(), 1);
    assert_eq!(server.requests_to("/new").len(), 2);
}

#[tokio::test]
async fn two_feeds_on_one_host_are_never_fetched_at_the_same_time() {
    let mut routes = HashMap::new();
    for path in ["/a", "/b", "/c"] {
        routes.insert(
            path.into(),
            Route::ok("application/rss+xml", RSS).delayed(Duration::from_millis(300)),
        );
    }
    let server = TestServer::start(routes);
    let feeds: Vec<(&str, String)> = vec![
        ("A", server.url("/a")),
        ("B", server.url("/b")),
        ("C", server.url("/c")),
    ];
    let mut s = setup(&feeds, "concurrency = 8");
    poll(&mut s, t0()).await;
    let mut served = server.served.lock().unwrap().clone();
    assert_eq!(served.len(), 3);
    served.sort_by_key(|(_, start, _)| *start);
    for pair in served.windows(2) {
        assert!(
            pair[1].1 >= pair[0].2,
            "{} overlapped {}",
            pair[1].0,
            pair[0].0
        );
    }
}

#[tokio::test]
async fn pruned_items_leave_tombstones_and_are_not_ingested_again() {
    let mut routes = HashMap::new();
    routes.insert("/f".into(), Route::ok("application/rss+xml", RSS));
    let server = TestServer::start(routes);
    let mut s = setup(&[("F", server.url("/f"))], "");
    assert_eq!(poll(&mut s, t0()).await.totals.new_items, 1);
    let later = t0() + chrono::Duration::days(91);
    assert_eq!(s.store.prune(later, s.config.retention).unwrap(), 1);
    assert_eq!(s.store.item_count().unwrap(), 0);
    // The feed still lists the item: it stays gone.
    assert_eq!(poll(&mut s, later).await.totals.new_items, 0);
    assert_eq!(s.store.item_count().unwrap(), 0);
    assert_eq!(s.store.prune(later, s.config.retention).unwrap(), 0);
}

#[tokio::test]
async fn full_text_replaces_summaries_and_private_addresses_are_refused() {
    let paragraph = "Russia and North Korea deepened their military cooperation this week, officials in Seoul said, as a new shipment of shells crossed the border. ";
    let article = format!(
        "<html><body><nav><a href='/'>Home</a></nav><article><h1>Shells</h1><p>{}</p><p>{}</p></article><footer>Share this</footer></body></html>",
        paragraph.repeat(3),
        paragraph.repeat(2)
    );
    let mut routes = HashMap::new();
    let feed = |link: String| {
        format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title><item><guid>s1</guid><title>Shells</title><link>{link}</link><description>Short summary.</description></item></channel></rss>")
    };
    routes.insert("/article".into(), Route::ok("text/html", article));
    let server = TestServer::start(routes);
    server.set_route(
        "/summary.xml",
        Route::ok("application/rss+xml", feed(server.url("/article"))),
    );
    let since = t0() - chrono::Duration::days(1);

    let mut allowed = setup_with(
        &[("F", server.url("/summary.xml"))],
        "allow_private_articles = true",
        "full_text = true",
    );
    poll(&mut allowed, t0()).await;
    let items = allowed.store.items_since(since).unwrap();
    assert!(
        items[0].content.contains("military cooperation"),
        "{} / article requests: {}",
        items[0].content,
        server.requests_to("/article").len()
    );
    assert!(!items[0].content.contains("Share this"));

    // By default an article on a loopback address is refused and the summary kept.
    let mut refused = setup_with(&[("F", server.url("/summary.xml"))], "", "full_text = true");
    let report = poll(&mut refused, t0()).await;
    assert!(report.feed_errors.is_empty());
    let items = refused.store.items_since(since).unwrap();
    assert_eq!(items[0].content, "Short summary.");
    assert_eq!(
        server.requests_to("/article").len(),
        1,
        "the refused fetch never left"
    );
}

#[test]
fn public_and_private_addresses() {
    use wirewatch::fetch::is_public;
    for private in [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "::1",
        "fc00::1",
        "fe80::1",
        "::ffff:127.0.0.1",
    ] {
        assert!(!is_public(private.parse().unwrap()), "{private}");
    }
    for public in ["93.184.216.34", "8.8.8.8", "2606:4700::1111"] {
        assert!(is_public(public.parse().unwrap()), "{public}");
    }
}
