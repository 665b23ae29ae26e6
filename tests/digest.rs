//! Digests: a golden rendering from fixture stories, hostile feed content that must not
//! survive into the HTML, the schedule across DST changes, and missed days written on start.

mod common;

use std::collections::HashMap;

use chrono::{NaiveDate, TimeZone, Utc};
use wirewatch::digest::{self, html, markdown, model};
use wirewatch::extract::Extractor;
use wirewatch::normalize::normalize;
use wirewatch::store::{DigestRow, WindowCounts};

fn berlin() -> wirewatch::config::Digest {
    wirewatch::config::Digest {
        enabled: true,
        at: chrono::NaiveTime::from_hms_opt(7, 0, 0).unwrap(),
        timezone: chrono_tz::Europe::Berlin,
        dir: std::path::PathBuf::from("unused"),
        email: None,
    }
}

fn row(
    id: i64,
    story: i64,
    feed: &str,
    title: &str,
    link: &str,
    body: &str,
    matches: &[(&str, &str)],
) -> DigestRow {
    let text = format!("{title}\n{body}");
    let x = Extractor::builtin().extract(&normalize(Some(title), &text));
    DigestRow {
        item_id: id,
        story_id: Some(story),
        feed: feed.into(),
        title: Some(title.into()),
        link: Some(link.into()),
        first_seen: Utc.with_ymd_and_hms(2026, 11, 28, 9, id as u32, 0).unwrap(),
        extraction_json: Some(serde_json::to_string(&x).unwrap()),
        matches: matches
            .iter()
            .map(|(rule, sev)| {
                (
                    rule.to_string(),
                    sev.to_string(),
                    serde_json::to_string(&vec![body]).unwrap(),
                )
            })
            .collect(),
    }
}

fn fixture() -> model::DigestData {
    let body = "Russia and North Korea expanded their military cooperation this week, officials in Seoul said.";
    let rows = vec![
        row(1, 10, "Wire A", "Shells reach the front", "https://a.example/1", body, &[("ru-prk", "critical")]),
        row(2, 10, "Wire B", "Shells reach the front lines", "https://b.example/9", body, &[("ru-prk", "critical")]),
        row(3, 11, "Wire A", "Floods displace thousands", "https://a.example/2", "Floods and a cholera outbreak displaced thousands of refugees; aid agencies warned of famine.", &[]),
    ];
    let mut history: Vec<WindowCounts> = (0..14)
        .map(|d| WindowCounts {
            items: 5,
            feeds: 2,
            rule_stories: [("ru-prk".to_string(), (d % 3) as u32)]
                .into_iter()
                .collect(),
            actor_mentions: [("RUS".to_string(), 1 + (d % 2) as u32)]
                .into_iter()
                .collect(),
            ..WindowCounts::default()
        })
        .collect();
    let today = history.last_mut().unwrap();
    today.actor_mentions.insert("RUS".into(), 9);
    today.rule_stories.insert("ru-prk".into(), 1);
    let names: HashMap<String, String> = Extractor::builtin().actor_names();
    model::build(
        digest::window_for(NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(), &berlin()),
        "Europe/Berlin",
        &rows,
        &history,
        &names,
    )
}

#[test]
fn golden_markdown_and_html() {
    let data = fixture();
    // Two items of one story are one entry with two sources.
    assert_eq!(data.rules.len(), 1);
    assert_eq!(data.rules[0].stories.len(), 1);
    assert_eq!(data.rules[0].stories[0].sources, vec!["Wire A", "Wire B"]);
    assert_eq!(data.notable.len(), 1);
    assert_eq!(data.rising_actors[0].label, "Russia");
    let md = markdown::render(&data, &chrono_tz::Europe::Berlin);
    let html = html::render(&data, &chrono_tz::Europe::Berlin);
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    if std::env::var("WIREWATCH_BLESS").is_ok() {
        std::fs::write(format!("{dir}/digest.md"), &md).unwrap();
        std::fs::write(format!("{dir}/digest.html"), &html).unwrap();
    }
    assert_eq!(
        md,
        std::fs::read_to_string(format!("{dir}/digest.md")).unwrap(),
        "run with WIREWATCH_BLESS=1 to update after a deliberate change"
    );
    assert_eq!(
        html,
        std::fs::read_to_string(format!("{dir}/digest.html")).unwrap()
    );
}

#[test]
fn hostile_feed_content_does_not_survive_into_the_html() {
    let hostile_title = "<script>document.title='PWNED'</script><img src=x onerror=\"alert(1)\"> Russia and North Korea";
    let hostile_body = "<style>body{background:url(https://evil.example/x)}</style><a href=\"javascript:alert(1)\" onclick=\"alert(2)\">Russia and North Korea deepened military cooperation</a> <svg onload=alert(3)>";
    let mut rows = vec![row(
        1,
        1,
        "<b>Evil</b> feed\" onmouseover=\"x",
        hostile_title,
        "javascript:alert(4)",
        hostile_body,
        &[("r\"><script>alert(5)</script>", "critical")],
    )];
    rows[0].title = Some(hostile_title.into());
    let names = Extractor::builtin().actor_names();
    let data = model::build(
        digest::window_for(NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(), &berlin()),
        "Europe/Berlin",
        &rows,
        &[WindowCounts::default()],
        &names,
    );
    let html = html::render(&data, &chrono_tz::Europe::Berlin);
    let doc = scraper::Html::parse_document(&html);
    for element in doc
        .root_element()
        .descendants()
        .filter_map(scraper::ElementRef::wrap)
    {
        let name = element.value().name();
        assert!(
            !matches!(name, "script" | "img" | "iframe" | "object" | "embed" | "a" if name != "a" || element.value().attr("href").is_some_and(|h| !h.starts_with("http"))),
            "{name} in output"
        );
        for (attr, value) in element.value().attrs() {
            assert!(!attr.starts_with("on"), "event handler {attr} on {name}");
            assert!(
                !value.trim_start().to_lowercase().starts_with("javascript:"),
                "{attr}={value}"
            );
        }
        if name == "style" {
            assert!(
                !element.inner_html().contains("evil.example"),
                "feed CSS in a style element"
            );
        }
    }
    assert!(html.contains("Content-Security-Policy"));
    assert!(!html.contains("<script"));
}

#[test]
fn the_digest_is_due_at_seven_in_berlin_across_dst() {
    let d = berlin();
    let day = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
    // Winter (UTC+1), the spring change on 29 March 2026 (UTC+2), and back on 25 October.
    assert_eq!(
        digest::window_for(day(2026, 3, 28), &d).to.to_rfc3339(),
        "2026-03-28T06:00:00+00:00"
    );
    assert_eq!(
        digest::window_for(day(2026, 3, 29), &d).to.to_rfc3339(),
        "2026-03-29T05:00:00+00:00"
    );
    assert_eq!(
        digest::window_for(day(2026, 10, 25), &d).to.to_rfc3339(),
        "2026-10-25T06:00:00+00:00"
    );
    assert_eq!(
        digest::window_for(day(2026, 10, 24), &d).to.to_rfc3339(),
        "2026-10-24T05:00:00+00:00"
    );
    // The window across the spring change is 23 hours long, across the autumn one 25.
    let spring = digest::window_for(day(2026, 3, 29), &d);
    assert_eq!((spring.to - spring.from).num_hours(), 23);
    let autumn = digest::window_for(day(2026, 10, 25), &d);
    assert_eq!((autumn.to - autumn.from).num_hours(), 25);
    // At 06:59 local the next digest is today's; at 07:00 it is tomorrow's.
    let before = Utc.with_ymd_and_hms(2026, 3, 29, 4, 59, 0).unwrap();
    assert_eq!(digest::current_window(before, &d).day, day(2026, 3, 29));
    let at = Utc.with_ymd_and_hms(2026, 3, 29, 5, 0, 0).unwrap();
    assert_eq!(digest::current_window(at, &d).day, day(2026, 3, 30));
}

#[tokio::test]
async fn missed_days_are_written_on_start() {
    use wirewatch::app::{poll_feeds, write_due_digests};
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("f.xml");
    let path = dir.path().join("wirewatch.toml");
    std::fs::write(&path, "[digest]\nat = \"07:00\"\ntimezone = \"Europe/Berlin\"\n\n[[feed]]\nurl = \"file:f.xml\"\nname = \"F\"\n").unwrap();
    let config = wirewatch::config::Config::load(&path).unwrap();
    let mut store = wirewatch::store::Store::open(&config.store_path).unwrap();
    let fetcher = wirewatch::fetch::Fetcher::new(&config.poll).unwrap();
    // One new item on each of three days, while no digest was written.
    for (i, day) in [26u32, 27, 28].iter().enumerate() {
        std::fs::write(&feed, format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title><item><guid>i{i}</guid><title>Item {i}</title><description>Russia said so.</description></item></channel></rss>")).unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, *day, 12, 0, 0).unwrap();
        let feeds: Vec<_> = config.feeds.iter().collect();
        poll_feeds(&config, &mut store, &fetcher, &feeds, now)
            .await
            .unwrap();
    }
    // The daemon starts on the 29th at 09:00 Berlin time.
    let start = Utc.with_ymd_and_hms(2026, 11, 29, 8, 0, 0).unwrap();
    let written = write_due_digests(&config, &store, start).await.unwrap();
    let names: Vec<String> = written
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        vec!["2026-11-27.md", "2026-11-28.md", "2026-11-29.md"]
    );
    assert!(config.digest.dir.join("2026-11-29.html").exists());
    let atom = std::fs::read_to_string(config.digest.dir.join("feed.atom")).unwrap();
    assert_eq!(
        wirewatch::parse::parse_feed(atom.as_bytes())
            .unwrap()
            .items
            .len(),
        3
    );
    // Nothing is written twice.
    assert!(write_due_digests(&config, &store, start)
        .await
        .unwrap()
        .is_empty());
}
