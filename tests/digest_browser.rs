//! The HTML digest in a real browser (headless Chromium, Debian package `chromium`): a
//! digest made from hostile feed content loads with no script running, and a screenshot
//! of a digest with charts is taken (target/digest-screenshot.png, to look at).

mod common;

use std::collections::HashMap;
use std::process::Command;

use chrono::{NaiveDate, TimeZone, Utc};
use wirewatch::digest::{self, html, model};
use wirewatch::extract::Extractor;
use wirewatch::normalize::normalize;
use wirewatch::store::{DigestRow, WindowCounts};

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser"]
        .into_iter()
        .find(|c| common::have(c))
}

fn run_chromium(browser: &str, args: &[&str], profile: &std::path::Path) -> std::process::Output {
    Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .expect("chromium runs")
}

fn hostile_digest() -> String {
    // Every trick a feed could try: script tags, event handlers, javascript: links, CSS.
    let title = "<script>document.body.setAttribute('data-pwned','1')</script><img src=x onerror=\"document.body.setAttribute('data-pwned','2')\"> Russia and North Korea";
    let body = "<style>*{display:none}</style><a href=\"javascript:document.body.setAttribute('data-pwned','3')\">Russia and North Korea deepened military cooperation</a><svg onload=\"document.body.setAttribute('data-pwned','4')\"></svg>";
    let text = format!("{title}\n{body}");
    let x = Extractor::builtin().extract(&normalize(Some(title), &text));
    let row = DigestRow {
        item_id: 1,
        story_id: Some(1),
        feed: "<b onmouseover=\"document.body.setAttribute('data-pwned','5')\">Evil</b>".into(),
        title: Some(title.into()),
        link: Some("javascript:document.body.setAttribute('data-pwned','6')".into()),
        first_seen: Utc.with_ymd_and_hms(2026, 11, 28, 9, 0, 0).unwrap(),
        extraction_json: Some(serde_json::to_string(&x).unwrap()),
        matches: vec![(
            "r<script>document.body.setAttribute('data-pwned','7')</script>".into(),
            "critical".into(),
            serde_json::to_string(&vec![body]).unwrap(),
        )],
    };
    let history: Vec<WindowCounts> = (0..14)
        .map(|d| WindowCounts {
            items: 4,
            rule_stories: [("r".to_string(), d % 4)].into_iter().collect(),
            actor_mentions: [("RUS".to_string(), 1 + d % 3)].into_iter().collect(),
            ..WindowCounts::default()
        })
        .collect();
    let digest_config = wirewatch::config::Digest {
        enabled: true,
        at: chrono::NaiveTime::from_hms_opt(7, 0, 0).unwrap(),
        timezone: chrono_tz::UTC,
        dir: "unused".into(),
        email: None,
    };
    let names: HashMap<String, String> = Extractor::builtin().actor_names();
    let data = model::build(
        digest::window_for(
            NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(),
            &digest_config,
        ),
        "UTC",
        &[row],
        &history,
        &names,
    );
    html::render(&data, &chrono_tz::UTC)
}

#[test]
fn hostile_digest_runs_no_script_in_chromium_and_charts_render() {
    let Some(browser) = chromium() else {
        common::skip("the browser test needs headless Chromium (Debian package chromium)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("digest.html");
    std::fs::write(&page, hostile_digest()).unwrap();
    let url = format!("file://{}", page.display());
    let dom = run_chromium(browser, &["--dump-dom", &url], &dir.path().join("profile"));
    assert!(
        dom.status.success(),
        "{}",
        String::from_utf8_lossy(&dom.stderr)
    );
    let dom = String::from_utf8_lossy(&dom.stdout).into_owned();
    // Every payload would set an attribute on <body>; the hostile text itself may appear,
    // escaped, in the page.
    assert!(
        dom.contains("<body>"),
        "a script ran and changed <body>: {dom}"
    );
    assert!(!dom.contains("<body data-pwned"), "a script ran: {dom}");
    assert!(
        dom.contains("&lt;script&gt;"),
        "the hostile markup is shown as text: {dom}"
    );
    assert!(dom.contains("<polyline"), "charts are in the page");

    let shot =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/digest-screenshot.png");
    let out = run_chromium(
        browser,
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1000,900",
            &url,
        ],
        &dir.path().join("profile2"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let png = std::fs::read(&shot).unwrap();
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 10_000,
        "screenshot of {} bytes",
        png.len()
    );
}
