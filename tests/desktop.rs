//! The desktop sink against a real session D-Bus and a real notification server (dunst on
//! Xvfb), verified from the server's own history. Needs the Debian packages dbus-daemon,
//! dunst and xvfb; skipped with a reason when they are missing, unless
//! WIREWATCH_FULL_TESTS=1 (as in .ci/run), which makes a missing tool a failure.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{have, Route, TestServer};

struct Session {
    xvfb: Child,
    dunst: Option<Child>,
    dbus_pid: u32,
    display: String,
    bus: String,
}

impl Drop for Session {
    fn drop(&mut self) {
        if let Some(dunst) = &mut self.dunst {
            let _ = dunst.kill();
            let _ = dunst.wait();
        }
        let _ = Command::new("kill").arg(self.dbus_pid.to_string()).status();
        let _ = self.xvfb.kill();
        let _ = self.xvfb.wait();
    }
}

fn start_session() -> Session {
    let mut xvfb = Command::new("Xvfb")
        .args([
            "-displayfd",
            "1",
            "-screen",
            "0",
            "1280x720x24",
            "-nolisten",
            "tcp",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("Xvfb starts");
    let mut line = String::new();
    BufReader::new(xvfb.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let display = format!(":{}", line.trim());
    let out = Command::new("dbus-daemon")
        .args(["--session", "--fork", "--print-address=1", "--print-pid=1"])
        .output()
        .expect("dbus-daemon starts");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut lines = text.lines();
    let bus = lines.next().unwrap().to_string();
    let dbus_pid: u32 = lines.next().unwrap().trim().parse().unwrap();
    let mut session = Session {
        xvfb,
        dunst: None,
        dbus_pid,
        display,
        bus,
    };
    session.dunst = Some(
        Command::new("dunst")
            .env("DISPLAY", &session.display)
            .env("DBUS_SESSION_BUS_ADDRESS", &session.bus)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("dunst starts"),
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    while !dunstctl(&session, &["count", "history"]).status.success() {
        assert!(
            Instant::now() < deadline,
            "dunst did not come up on the bus"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    session
}

fn dunstctl(session: &Session, args: &[&str]) -> std::process::Output {
    Command::new("dunstctl")
        .args(args)
        .env("DISPLAY", &session.display)
        .env("DBUS_SESSION_BUS_ADDRESS", &session.bus)
        .output()
        .expect("dunstctl runs")
}

#[test]
fn the_notification_server_receives_the_alert_with_feed_markup_escaped() {
    let missing: Vec<&str> = ["Xvfb", "dbus-daemon", "dunst", "dunstctl"]
        .into_iter()
        .filter(|t| !have(t))
        .collect();
    if !missing.is_empty() {
        let reason = format!(
            "desktop test needs {} (Debian: xvfb dbus-daemon dunst)",
            missing.join(", ")
        );
        common::skip(&reason);
        return;
    }
    let feed = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title><item><guid>d1</guid>\
        <title>Shells &amp;amp; drones reach the front</title><link>https://example.invalid/d1</link>\
        <description>Russia &amp;amp; North Korea expanded their military cooperation, officials said of the &amp;lt;b&amp;gt;deal&amp;lt;/b&amp;gt; plan.</description>\
        </item></channel></rss>";
    let mut routes = std::collections::HashMap::new();
    routes.insert("/d.xml".into(), Route::ok("application/rss+xml", feed));
    let server = TestServer::start(routes);
    let dir = tempfile::tempdir().unwrap();
    let config = common::write_config(
        dir.path(),
        &format!(
            "[[feed]]\nurl = \"{}\"\nname = \"Desk\"\n\n[[rule]]\nname = \"ru-prk\"\nmatch = 'SENTENCE(actor:RUS, actor:PRK, topic:military-cooperation)'\nseverity = \"critical\"\nactions = [\"desktop\"]\n\n[sinks.desktop]\n\n[digest]\nenabled = false\n",
            server.url("/d.xml")
        ),
    );
    let session = start_session();
    // dbus-monitor records the Notify call exactly as wirewatch sent it.
    let monitor_log = dir.path().join("monitor.log");
    let mut monitor = Command::new("dbus-monitor")
        .args(["--session", "interface=org.freedesktop.Notifications"])
        .env("DBUS_SESSION_BUS_ADDRESS", &session.bus)
        .stdout(std::fs::File::create(&monitor_log).unwrap())
        .stderr(Stdio::null())
        .spawn()
        .expect("dbus-monitor starts");
    std::thread::sleep(Duration::from_millis(300));
    let out = Command::new(env!("CARGO_BIN_EXE_wirewatch"))
        .args(["--config", &config, "run", "--once"])
        .env("DISPLAY", &session.display)
        .env("DBUS_SESSION_BUS_ADDRESS", &session.bus)
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(printed.contains("1 alerts delivered"), "{printed}");
    // dunst keeps what it displayed in its history; close it so it lands there.
    std::thread::sleep(Duration::from_millis(300));
    dunstctl(&session, &["close-all"]);
    std::thread::sleep(Duration::from_millis(300));
    let _ = monitor.kill();
    let _ = monitor.wait();
    let sent = std::fs::read_to_string(&monitor_log).unwrap();
    assert!(sent.contains("member=Notify"), "{sent}");
    // The feed escaped its markup twice: after decoding it is text, sent escaped, so the
    // server shows "<b>deal</b>" as characters instead of bold.
    assert!(
        sent.contains("&lt;b&gt;deal&lt;/b&gt;"),
        "feed markup must be sent escaped: {sent}"
    );
    assert!(sent.contains("Russia &amp; North Korea"), "{sent}");
    assert!(!sent.contains("<b>deal"), "{sent}");
    assert!(
        sent.contains("Shells &amp; drones reach the front"),
        "{sent}"
    );
    // The server's own history: it received and displayed the notification.
    let history = String::from_utf8_lossy(&dunstctl(&session, &["history"]).stdout).into_owned();
    assert!(
        history.contains("ru-prk: Shells &amp; drones reach the front"),
        "{history}"
    );
    assert!(history.contains("North Korea expanded"), "{history}");
    assert!(history.contains("\"wirewatch\""), "appname: {history}");
}
