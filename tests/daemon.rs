//! `wirewatch run` as a daemon: it polls, and on SIGTERM or SIGINT it finishes its pass and
//! exits 0 with everything stored.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn items_stored(config: &str) -> u64 {
    let out = common::wirewatch(&["--config", config, "status", "--json"]);
    let all: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap_or_default();
    all.iter().map(|s| s["items"].as_u64().unwrap_or(0)).sum()
}

fn daemon_stops_cleanly_on(signal: &str) {
    let dir = tempfile::tempdir().unwrap();
    let feeds = format!("{}/config/demo/feeds", env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(
        format!("{feeds}/world-wire.xml"),
        dir.path().join("world.xml"),
    )
    .unwrap();
    let config = common::write_config(
        dir.path(),
        "[[feed]]\nurl = \"file:world.xml\"\nname = \"World\"\n\n[digest]\nenabled = false\n",
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_wirewatch"))
        .args(["--config", &config, "run"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait (bounded) until the first pass has stored the feed's items.
    let deadline = Instant::now() + Duration::from_secs(60);
    while items_stored(&config) < 6 {
        assert!(Instant::now() < deadline, "the daemon stored nothing");
        if child.try_wait().unwrap().is_some() {
            let out = child.wait_with_output().unwrap();
            panic!(
                "the daemon exited early: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let status = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    let log = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{log}");
    assert!(log.contains("stop requested"), "{log}");
    assert!(log.contains("wirewatch stopped"), "{log}");
    assert_eq!(items_stored(&config), 6);
}

#[test]
fn sigterm_stops_the_daemon_cleanly() {
    daemon_stops_cleanly_on("-TERM");
}

#[test]
fn sigint_stops_the_daemon_cleanly() {
    daemon_stops_cleanly_on("-INT");
}
