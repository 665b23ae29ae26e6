//! Test helpers shared by the integration tests: a real HTTP/1.1 server on 127.0.0.1,
//! the shared corpus, and running the `wirewatch` binary.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// One canned response.
#[derive(Clone, Debug)]
pub struct Route {
    pub status: u16,
    pub content_type: String,
    pub body: Vec<u8>,
    pub etag: Option<String>,
    /// Answer 500 to this many requests before answering `status`.
    pub fail_first: usize,
    /// Extra response headers.
    pub headers: Vec<(String, String)>,
    /// Wait before answering.
    pub delay: Duration,
    /// Send the body one byte at a time with this pause (headers go out at once).
    pub trickle: Option<Duration>,
    /// Leave out Content-Length and close the connection after the body.
    pub no_length: bool,
}

impl Route {
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Route {
        Route {
            status: 200,
            content_type: content_type.into(),
            body: body.into(),
            etag: None,
            fail_first: 0,
            headers: Vec::new(),
            delay: Duration::ZERO,
            trickle: None,
            no_length: false,
        }
    }

    /// A response with this status, these headers and no body.
    pub fn status(status: u16, headers: &[(&str, &str)]) -> Route {
        let mut route = Route::ok("text/plain", "");
        route.status = status;
        route.headers = headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        route
    }

    pub fn header(mut self, name: &str, value: &str) -> Route {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn delayed(mut self, delay: Duration) -> Route {
        self.delay = delay;
        self
    }

    pub fn trickling(mut self, pause: Duration) -> Route {
        self.trickle = Some(pause);
        self
    }

    pub fn without_length(mut self) -> Route {
        self.no_length = true;
        self
    }

    /// A webhook receiver: 200 with an empty body.
    pub fn receiver() -> Route {
        Route::ok("text/plain", "")
    }

    pub fn failing_first(mut self, n: usize) -> Route {
        self.fail_first = n;
        self
    }

    pub fn with_etag(mut self, etag: &str) -> Route {
        self.etag = Some(etag.into());
        self
    }
}

/// A request the server saw.
#[derive(Clone, Debug)]
pub struct SeenRequest {
    pub method: String,
    pub path: String,
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
}

/// A real HTTP server on 127.0.0.1 serving canned routes, on its own thread and runtime.
pub struct TestServer {
    pub addr: std::net::SocketAddr,
    routes: Arc<Mutex<HashMap<String, Route>>>,
    pub seen: Arc<Mutex<Vec<SeenRequest>>>,
    /// (path, when the request arrived, when the response was sent).
    pub served: Arc<Mutex<Vec<(String, Instant, Instant)>>>,
    _thread: std::thread::JoinHandle<()>,
}

impl TestServer {
    pub fn start(routes: HashMap<String, Route>) -> TestServer {
        TestServer::start_on("127.0.0.1:0", routes)
    }

    /// A server on a given address (to bring up a receiver on a port used before).
    pub fn start_on(addr: &str, routes: HashMap<String, Route>) -> TestServer {
        let addr = addr.to_string();
        let routes = Arc::new(Mutex::new(routes));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let served = Arc::new(Mutex::new(Vec::new()));
        let (r, s, d) = (routes.clone(), seen.clone(), served.clone());
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = TcpListener::bind(&addr).await.unwrap();
                tx.send(listener.local_addr().unwrap()).unwrap();
                loop {
                    let Ok((socket, _)) = listener.accept().await else {
                        continue;
                    };
                    let (r, s, d) = (r.clone(), s.clone(), d.clone());
                    tokio::spawn(async move {
                        let _ = serve(socket, r, s, d).await;
                    });
                }
            });
        });
        let addr = rx.recv().unwrap();
        TestServer {
            addr,
            routes,
            seen,
            served,
            _thread: thread,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub fn set_route(&self, path: &str, route: Route) {
        self.routes.lock().unwrap().insert(path.to_string(), route);
    }

    /// A free port on 127.0.0.1 (bound, then released).
    pub fn free_addr() -> String {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().to_string()
    }

    pub fn requests_to(&self, path: &str) -> Vec<SeenRequest> {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.path == path)
            .cloned()
            .collect()
    }
}

async fn serve(
    mut socket: tokio::net::TcpStream,
    routes: Arc<Mutex<HashMap<String, Route>>>,
    seen: Arc<Mutex<Vec<SeenRequest>>>,
    served: Arc<Mutex<Vec<(String, Instant, Instant)>>>,
) -> std::io::Result<()> {
    loop {
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        let header_end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i;
            }
            let n = socket.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&chunk[..n]);
        };
        let head = String::from_utf8_lossy(&buf[..header_end]).to_string();
        let mut lines = head.lines();
        let mut first = lines.next().unwrap_or("").split_whitespace();
        let method = first.next().unwrap_or("").to_string();
        let path = first.next().unwrap_or("").to_string();
        let headers: HashMap<String, String> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_string()))
            .collect();
        let length: usize = headers
            .get("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let mut body = buf[header_end + 4..].to_vec();
        while body.len() < length {
            let n = socket.read(&mut chunk).await?;
            if n == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..n]);
        }
        seen.lock().unwrap().push(SeenRequest {
            method,
            path: path.clone(),
            headers: headers.clone(),
            body,
        });
        let route = {
            let mut routes = routes.lock().unwrap();
            match routes.get_mut(&path) {
                Some(route) if route.fail_first > 0 => {
                    route.fail_first -= 1;
                    Some(Route {
                        status: 500,
                        ..route.clone()
                    })
                }
                other => other.cloned(),
            }
        };
        let arrived = Instant::now();
        let Some(route) = route else {
            socket
                .write_all(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n")
                .await?;
            continue;
        };
        if !route.delay.is_zero() {
            tokio::time::sleep(route.delay).await;
        }
        let not_modified =
            route.etag.is_some() && headers.get("if-none-match") == route.etag.as_ref();
        let mut head = if not_modified {
            format!(
                "HTTP/1.1 304 Not Modified\r\netag: {}\r\n",
                route.etag.clone().unwrap()
            )
        } else {
            let mut h = format!(
                "HTTP/1.1 {} X\r\ncontent-type: {}\r\n",
                route.status, route.content_type
            );
            if let Some(etag) = &route.etag {
                h.push_str(&format!("etag: {etag}\r\n"));
            }
            h
        };
        for (name, value) in &route.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        let body: &[u8] = if not_modified { b"" } else { &route.body };
        if route.no_length {
            head.push_str("connection: close\r\n\r\n");
        } else {
            head.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
        }
        socket.write_all(head.as_bytes()).await?;
        match route.trickle {
            Some(pause) => {
                for byte in body {
                    socket.write_all(std::slice::from_ref(byte)).await?;
                    tokio::time::sleep(pause).await;
                }
            }
            None => socket.write_all(body).await?,
        }
        served
            .lock()
            .unwrap()
            .push((path.clone(), arrived, Instant::now()));
        if route.no_length {
            return Ok(());
        }
    }
}

/// Whether a command is on the PATH.
pub fn have(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Whether missing tools and data must fail tests instead of skipping them.
pub fn full_tests() -> bool {
    std::env::var("WIREWATCH_FULL_TESTS").is_ok_and(|v| v == "1")
}

/// Says why a test cannot run here: a failure under WIREWATCH_FULL_TESTS=1, else a printed
/// `SKIPPED:` line (the caller then returns).
pub fn skip(reason: &str) {
    if full_tests() {
        panic!("{reason}");
    }
    eprintln!("SKIPPED: {reason}");
}

/// The shared corpus directory, or `None` (with the reason printed) when it is missing.
pub fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("WIREWATCH_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    if dir.is_dir() {
        return Some(dir);
    }
    skip(&format!(
        "the shared corpus is missing at {} (set WIREWATCH_CORPUS)",
        dir.display()
    ));
    None
}

/// Writes `text` as `wirewatch.toml` in `dir`; returns its path for `--config`.
pub fn write_config(dir: &Path, text: &str) -> String {
    let path = dir.join("wirewatch.toml");
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// Runs the wirewatch binary.
pub fn wirewatch(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wirewatch"))
        .args(args)
        .env_remove("WIREWATCH_CONFIG")
        .env("WIREWATCH_LOG", "wirewatch=warn")
        .output()
        .expect("wirewatch runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}
