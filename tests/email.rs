//! The digest by email through a real SMTP server on loopback (Python's aiosmtpd, started by
//! the test): received with a plain-text and an HTML part; wrong credentials and a server
//! that is down give clear errors, and the digest is written to disk either way.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use common::TestServer;

fn have_aiosmtpd() -> bool {
    Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .output()
        .is_ok_and(|o| o.status.success())
}

struct Smtp {
    child: Child,
    addr: String,
    dir: tempfile::TempDir,
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_smtp() -> Smtp {
    let addr = TestServer::free_addr();
    let port = addr.rsplit(':').next().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new("python3")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/smtp_server.py"
        ))
        .args([&port, &dir.path().display().to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3 starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert_eq!(line.trim(), "ready");
    Smtp { child, addr, dir }
}

fn config(dir: &std::path::Path, addr: &str, password: &str) -> String {
    let (host, port) = addr.rsplit_once(':').unwrap();
    std::fs::write(dir.join("f.xml"), "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title><item><guid>1</guid><title>Russia and North Korea sign a pact</title><description>Russia and North Korea signed a mutual defence pact.</description></item></channel></rss>").unwrap();
    common::write_config(
        dir,
        &format!(
            "[[feed]]\nurl = \"file:f.xml\"\nname = \"F\"\n\n[[rule]]\nname = \"ru-prk\"\nmatch = 'actor:RUS AND actor:PRK'\nactions = [\"digest\"]\n\n[digest]\ntimezone = \"UTC\"\n[digest.email]\nsmtp = \"{host}\"\nport = {port}\nsecurity = \"none\"\nusername = \"digest\"\npassword = \"{password}\"\nfrom = \"wirewatch <wirewatch@example.org>\"\nto = [\"Analyst <analyst@example.org>\"]\n"
        ),
    )
}

#[test]
fn the_digest_is_emailed_and_failures_are_clear() {
    if !have_aiosmtpd() {
        common::skip("the email test needs Python's aiosmtpd (pip install aiosmtpd)");
        return;
    }
    let smtp = start_smtp();
    let dir = tempfile::tempdir().unwrap();
    let good = config(dir.path(), &smtp.addr, "s3cret");
    assert_eq!(
        common::wirewatch(&["--config", &good, "run", "--once"])
            .status
            .code(),
        Some(0)
    );
    let out = common::wirewatch(&["--config", &good, "digest", "--email"]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    assert!(
        common::stdout(&out).contains("digest emailed to Analyst <analyst@example.org>"),
        "{}",
        common::stdout(&out)
    );
    let mail = std::fs::read_to_string(smtp.dir.path().join("0.eml")).unwrap();
    assert!(mail.contains("Subject: wirewatch digest "), "{mail}");
    assert!(mail.contains("multipart/alternative"), "{mail}");
    assert!(mail.contains("text/plain"), "{mail}");
    assert!(mail.contains("text/html"), "{mail}");

    // Wrong password: a clear error, exit 1, and the digest is on disk anyway.
    let bad_dir = tempfile::tempdir().unwrap();
    let bad = config(bad_dir.path(), &smtp.addr, "wrong");
    common::wirewatch(&["--config", &bad, "run", "--once"]);
    let out = common::wirewatch(&["--config", &bad, "digest", "--email"]);
    assert_eq!(out.status.code(), Some(1));
    let said = common::stderr(&out);
    assert!(
        said.contains("refused the login for `digest`; check [digest.email] username and password"),
        "{said}"
    );
    assert!(std::fs::read_dir(bad_dir.path().join("digests"))
        .unwrap()
        .any(|e| e.unwrap().path().extension().is_some_and(|x| x == "html")));

    // A server that is down.
    let down_dir = tempfile::tempdir().unwrap();
    let down = config(down_dir.path(), &TestServer::free_addr(), "s3cret");
    let out = common::wirewatch(&["--config", &down, "digest", "--email"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        common::stderr(&out).contains("check that the server is up"),
        "{}",
        common::stderr(&out)
    );
    assert_eq!(
        std::fs::read_dir(smtp.dir.path()).unwrap().count(),
        1,
        "only the good run delivered"
    );
}
