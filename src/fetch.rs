//! Fetching feed bodies over HTTP(S) or from `file:` URLs, politely and within limits:
//! conditional GET (ETag, Last-Modified), decompression, a body cap enforced while
//! streaming (on the decompressed bytes, so a gzip bomb stops at the cap), timeouts, at
//! most five redirects followed by hand (loops detected, permanent moves reported), one
//! request per host at a time with a minimum gap, and an honest User-Agent.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use reqwest::header::{
    HeaderMap, CACHE_CONTROL, ETAG, EXPIRES, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED,
    LOCATION, RETRY_AFTER,
};
use reqwest::StatusCode;

use crate::config::Poll;
use crate::schedule::Hints;

/// The User-Agent sent with every request.
pub const USER_AGENT: &str = concat!(
    "wirewatch/",
    env!("CARGO_PKG_VERSION"),
    " (news monitor; +https://github.com/wirewatch/wirewatch)"
);

/// What to fetch, with the validators of the last successful fetch.
#[derive(Debug, Clone, Default)]
pub struct FetchRequest {
    pub url: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// A successful fetch.
#[derive(Debug, Clone, PartialEq)]
pub enum Fetched {
    Body {
        bytes: Vec<u8>,
        etag: Option<String>,
        last_modified: Option<String>,
        /// Cache-Control max-age and Expires.
        hints: Hints,
        /// Where the feed now lives, when every redirect on the way was permanent.
        moved_to: Option<String>,
    },
    NotModified {
        hints: Hints,
    },
}

/// Why a fetch failed.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("server answered {status}")]
    Status {
        status: u16,
        retry_after: Option<Duration>,
    },
    #[error("request timed out")]
    Timeout,
    #[error("body is larger than the limit of {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("cannot read {path}: {source}")]
    File {
        path: String,
        source: std::io::Error,
    },
    #[error("request failed: {0}")]
    Network(String),
    #[error("unsupported URL {0}")]
    Unsupported(String),
    #[error("too many redirects (more than {0})")]
    TooManyRedirects(usize),
    #[error("redirect loop at {0}")]
    RedirectLoop(String),
    #[error("redirect without a valid Location header")]
    BadRedirect,
    #[error("refusing to fetch {0}: it is a loopback, private or link-local address (set [poll] allow_private_articles to allow)")]
    PrivateAddress(String),
}

impl FetchError {
    /// A short, fixed name for the kind of failure (metrics and logs).
    pub fn kind(&self) -> &'static str {
        match self {
            FetchError::Status { .. } => "http_status",
            FetchError::Timeout => "timeout",
            FetchError::TooLarge { .. } => "too_large",
            FetchError::File { .. } => "file",
            FetchError::Network(_) => "network",
            FetchError::Unsupported(_) => "unsupported",
            FetchError::TooManyRedirects(_)
            | FetchError::RedirectLoop(_)
            | FetchError::BadRedirect => "redirect",
            FetchError::PrivateAddress(_) => "private_address",
        }
    }

    /// How long the server asked us to wait, if it did.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            FetchError::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// The HTTP client and limits shared by every fetch.
#[derive(Clone)]
pub struct Fetcher {
    client: reqwest::Client,
    /// For article pages: its resolver refuses private addresses.
    articles: reqwest::Client,
    allow_private: bool,
    max_body: u64,
    host_gap: Duration,
    hosts: Arc<std::sync::Mutex<HashMap<String, HostGate>>>,
}

/// One lock per host: held for a whole request, remembering when the last one ended.
type HostGate = Arc<tokio::sync::Mutex<Option<Instant>>>;

/// The most redirects followed for one fetch.
pub const MAX_REDIRECTS: usize = 5;

impl Fetcher {
    /// A fetcher with the poll settings' limits.
    pub fn new(poll: &Poll) -> Result<Fetcher, FetchError> {
        let builder = || {
            reqwest::Client::builder()
                .user_agent(USER_AGENT)
                .connect_timeout(Duration::from_secs(10))
                .timeout(poll.timeout)
                // Redirects are followed by hand to see loops and permanent moves.
                .redirect(reqwest::redirect::Policy::none())
        };
        let client = builder()
            .build()
            .map_err(|e| FetchError::Network(e.to_string()))?;
        let articles = if poll.allow_private_articles {
            builder()
        } else {
            builder().dns_resolver(Arc::new(PublicOnly))
        }
        .build()
        .map_err(|e| FetchError::Network(e.to_string()))?;
        Ok(Fetcher {
            client,
            articles,
            allow_private: poll.allow_private_articles,
            max_body: poll.max_body_bytes,
            host_gap: poll.host_gap,
            hosts: Arc::default(),
        })
    }

    /// Fetches one URL.
    pub async fn fetch(&self, request: &FetchRequest) -> Result<Fetched, FetchError> {
        let url = url::Url::parse(&request.url)
            .map_err(|_| FetchError::Unsupported(request.url.clone()))?;
        match url.scheme() {
            "file" => self.fetch_file(&url).await,
            "http" | "https" => self.fetch_http(request).await,
            _ => Err(FetchError::Unsupported(request.url.clone())),
        }
    }

    async fn fetch_file(&self, url: &url::Url) -> Result<Fetched, FetchError> {
        let path = url
            .to_file_path()
            .map_err(|_| FetchError::Unsupported(url.to_string()))?;
        let file_error = |source| FetchError::File {
            path: path.display().to_string(),
            source,
        };
        let meta = tokio::fs::metadata(&path).await.map_err(file_error)?;
        if meta.len() > self.max_body {
            return Err(FetchError::TooLarge {
                limit: self.max_body,
            });
        }
        let bytes = tokio::fs::read(&path)
            .await
            .map_err(|source| FetchError::File {
                path: path.display().to_string(),
                source,
            })?;
        Ok(Fetched::Body {
            bytes,
            etag: None,
            last_modified: None,
            hints: Hints::default(),
            moved_to: None,
        })
    }

    /// Fetches an article page for full text: like a feed (limits, host gate, redirects),
    /// but refusing loopback, private and link-local addresses, checked after DNS
    /// resolution (and on every redirect), unless `[poll] allow_private_articles` is set.
    pub async fn fetch_article(&self, url: &str) -> Result<Vec<u8>, FetchError> {
        let parsed = url::Url::parse(url).map_err(|_| FetchError::Unsupported(url.to_string()))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(FetchError::Unsupported(url.to_string()));
        }
        let request = FetchRequest {
            url: url.to_string(),
            ..FetchRequest::default()
        };
        match self.gated(&request, true).await? {
            Fetched::Body { bytes, .. } => Ok(bytes),
            Fetched::NotModified { .. } => Ok(Vec::new()),
        }
    }

    async fn fetch_http(&self, request: &FetchRequest) -> Result<Fetched, FetchError> {
        self.gated(request, false).await
    }

    async fn gated(&self, request: &FetchRequest, article: bool) -> Result<Fetched, FetchError> {
        let start = url::Url::parse(&request.url)
            .map_err(|_| FetchError::Unsupported(request.url.clone()))?;
        let host = format!(
            "{}:{}",
            start.host_str().unwrap_or(""),
            start.port_or_known_default().unwrap_or(0)
        );
        let gate = {
            let mut hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
            hosts.entry(host).or_default().clone()
        };
        // One request per host at a time, and a pause between them.
        let mut last = gate.lock().await;
        if let Some(ended) = *last {
            let next = ended + self.host_gap;
            if next > Instant::now() {
                tokio::time::sleep_until(next.into()).await;
            }
        }
        let result = self.follow(request, start, article).await;
        *last = Some(Instant::now());
        result
    }

    /// Sends the request, following up to [`MAX_REDIRECTS`] redirects.
    async fn follow(
        &self,
        request: &FetchRequest,
        start: url::Url,
        article: bool,
    ) -> Result<Fetched, FetchError> {
        let mut url = start.clone();
        let mut seen = vec![url.to_string()];
        let mut all_permanent = true;
        for _ in 0..=MAX_REDIRECTS {
            let client = if article {
                &self.articles
            } else {
                &self.client
            };
            if article && !self.allow_private {
                refuse_private_literal(&url)?;
            }
            let mut builder = client.get(url.clone());
            if let Some(etag) = &request.etag {
                builder = builder.header(IF_NONE_MATCH, etag);
            }
            if let Some(modified) = &request.last_modified {
                builder = builder.header(IF_MODIFIED_SINCE, modified);
            }
            let response = builder.send().await.map_err(network_error)?;
            let status = response.status();
            if status.is_redirection() && status != StatusCode::NOT_MODIFIED {
                let location = response
                    .headers()
                    .get(LOCATION)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|l| url.join(l).ok())
                    .ok_or(FetchError::BadRedirect)?;
                all_permanent &= matches!(
                    status,
                    StatusCode::MOVED_PERMANENTLY | StatusCode::PERMANENT_REDIRECT
                );
                if seen.contains(&location.to_string()) {
                    return Err(FetchError::RedirectLoop(location.to_string()));
                }
                seen.push(location.to_string());
                url = location;
                continue;
            }
            let moved_to = (all_permanent && url != start).then(|| url.to_string());
            return self.read_response(response, moved_to).await;
        }
        Err(FetchError::TooManyRedirects(MAX_REDIRECTS))
    }

    async fn read_response(
        &self,
        response: reqwest::Response,
        moved_to: Option<String>,
    ) -> Result<Fetched, FetchError> {
        let status = response.status();
        let hints = cache_hints(response.headers());
        if status == StatusCode::NOT_MODIFIED {
            return Ok(Fetched::NotModified { hints });
        }
        if !status.is_success() {
            return Err(FetchError::Status {
                status: status.as_u16(),
                retry_after: retry_after(response.headers()),
            });
        }
        if response.content_length().is_some_and(|n| n > self.max_body) {
            return Err(FetchError::TooLarge {
                limit: self.max_body,
            });
        }
        let etag = header(response.headers(), ETAG);
        let last_modified = header(response.headers(), LAST_MODIFIED);
        let mut bytes = Vec::new();
        let mut stream = response.bytes_stream();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(network_error)?;
            if bytes.len() as u64 + chunk.len() as u64 > self.max_body {
                return Err(FetchError::TooLarge {
                    limit: self.max_body,
                });
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(Fetched::Body {
            bytes,
            etag,
            last_modified,
            hints,
            moved_to,
        })
    }
}

/// Whether an address is on the public internet (not loopback, private, link-local,
/// shared, multicast, unspecified or documentation space).
pub fn is_public(ip: std::net::IpAddr) -> bool {
    use std::net::IpAddr;
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || (a == 100 && (64..128).contains(&b))
                || a == 0)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80)
        }
    }
}

fn refuse_private_literal(url: &url::Url) -> Result<(), FetchError> {
    let ip = match url.host() {
        Some(url::Host::Ipv4(ip)) => std::net::IpAddr::V4(ip),
        Some(url::Host::Ipv6(ip)) => std::net::IpAddr::V6(ip),
        _ => return Ok(()),
    };
    if is_public(ip) {
        Ok(())
    } else {
        Err(FetchError::PrivateAddress(url.to_string()))
    }
}

/// A resolver that fails for names resolving to non-public addresses, so the check holds
/// for the address actually connected to (no DNS-rebinding gap).
struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        Box::pin(async move {
            let host = name.as_str().to_string();
            let addrs: Vec<std::net::SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if let Some(bad) = addrs.iter().find(|a| !is_public(a.ip())) {
                let error: Box<dyn std::error::Error + Send + Sync> =
                    format!("{host} resolves to non-public address {}", bad.ip()).into();
                return Err(error);
            }
            let addrs: reqwest::dns::Addrs = Box::new(addrs.into_iter());
            Ok(addrs)
        })
    }
}

/// Cache-Control max-age and Expires of a response.
fn cache_hints(headers: &HeaderMap) -> Hints {
    let max_age = headers
        .get(CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.split(',')
                .filter_map(|d| d.trim().strip_prefix("max-age="))
                .find_map(|n| n.trim().parse::<u64>().ok())
        })
        .map(Duration::from_secs);
    let expires = headers
        .get(EXPIRES)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| chrono::DateTime::parse_from_rfc2822(v).ok())
        .map(|t| t.with_timezone(&chrono::Utc));
    Hints {
        max_age,
        expires,
        ..Hints::default()
    }
}

fn network_error(e: reqwest::Error) -> FetchError {
    if e.is_timeout() {
        return FetchError::Timeout;
    }
    // The whole chain: reqwest's top-level message alone rarely says what went wrong.
    let mut message = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    FetchError::Network(message)
}

fn header(headers: &HeaderMap, name: reqwest::header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// Retry-After as seconds or an HTTP date.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    (date.with_timezone(&chrono::Utc) - chrono::Utc::now())
        .to_std()
        .ok()
}
