//! Bounded memory against hostile bodies: `wirewatch run --once` fetches a 256 MiB gzip
//! bomb and a 50 MiB unsized body and its peak resident memory stays far below either.
//! (A test binary of its own: RUSAGE_CHILDREN covers only the processes it started.)

mod common;

use std::collections::HashMap;
use std::io::Write;

use common::{Route, TestServer};

fn peak_rss_of_children_mib() -> f64 {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage writes into the struct we own.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    assert_eq!(rc, 0);
    usage.ru_maxrss as f64 / 1024.0
}

#[test]
fn a_gzip_bomb_and_a_huge_body_are_refused_with_bounded_memory() {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let zeros = vec![0u8; 1024 * 1024];
    for _ in 0..256 {
        encoder.write_all(&zeros).unwrap();
    }
    let bomb = encoder.finish().unwrap();
    let mut routes = HashMap::new();
    routes.insert(
        "/bomb".into(),
        Route::ok("application/rss+xml", bomb).header("Content-Encoding", "gzip"),
    );
    routes.insert(
        "/huge".into(),
        Route::ok("application/rss+xml", vec![b'x'; 50 * 1024 * 1024]).without_length(),
    );
    let server = TestServer::start(routes);
    let dir = tempfile::tempdir().unwrap();
    let config = common::write_config(
        dir.path(),
        &format!(
            "[digest]\nenabled = false\n\n[[feed]]\nurl = \"{}\"\nname = \"Bomb\"\n\n[[feed]]\nurl = \"{}\"\nname = \"Huge\"\n",
            server.url("/bomb"),
            server.url("/huge")
        ),
    );
    let out = common::wirewatch(&["--config", &config, "run", "--once"]);
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    let printed = common::stdout(&out);
    assert!(
        printed.contains("FEED ERROR Bomb: body is larger than the limit of 15728640 bytes"),
        "{printed}"
    );
    assert!(
        printed.contains("FEED ERROR Huge: body is larger than the limit of 15728640 bytes"),
        "{printed}"
    );
    let peak = peak_rss_of_children_mib();
    eprintln!("peak resident memory of wirewatch: {peak:.1} MiB");
    assert!(peak < 120.0, "peak RSS {peak:.1} MiB");
}
