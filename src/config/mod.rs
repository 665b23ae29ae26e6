//! The configuration: where it is found, and the compiled [`Config`] the daemon runs on.
//!
//! A config file is read once into the raw serde types of [`raw`], then compiled by
//! [`compile`] into [`Config`]: URLs parsed, durations read, rules compiled against the
//! gazetteer. Every mistake is collected into [`ConfigErrors`] with file, line and column.

pub mod compile;
pub mod error;
pub mod raw;
mod sections;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

pub use error::{ConfigError, ConfigErrors};

use crate::extract::Extractor;
use crate::rules::Rule;

/// A compiled config: everything checked, ready to run.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file this was loaded from.
    pub path: PathBuf,
    pub store_path: PathBuf,
    /// Items older than this are pruned (their identity is kept so they are not re-ingested).
    pub retention: Duration,
    pub feeds: Vec<Feed>,
    pub rules: Vec<Rule>,
    pub sinks: Sinks,
    pub digest: Digest,
    pub poll: Poll,
    pub alerts: Alerts,
    /// Address of the optional health and metrics endpoint.
    pub http_listen: Option<std::net::SocketAddr>,
    /// The gazetteer and topic lexicons, built-in plus the config's own additions.
    pub extractor: Arc<Extractor>,
}

/// One feed to poll.
#[derive(Debug, Clone, PartialEq)]
pub struct Feed {
    pub url: url::Url,
    pub name: String,
    pub tags: Vec<String>,
    pub interval: Duration,
    pub full_text: bool,
}

/// Where alerts go.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sinks {
    pub desktop: bool,
    pub webhooks: Vec<Webhook>,
    /// Path of the JSON Lines file, when the sink is configured.
    pub jsonl: Option<PathBuf>,
    pub log: bool,
}

/// A named webhook.
#[derive(Debug, Clone, PartialEq)]
pub struct Webhook {
    pub name: String,
    pub url: url::Url,
    pub preset: WebhookPreset,
    pub headers: Vec<(String, String)>,
    pub secret: Option<String>,
}

/// The payload shape a webhook receiver expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookPreset {
    Generic,
    Slack,
    Discord,
    Ntfy,
    Matrix,
}

impl WebhookPreset {
    /// Every preset with its config spelling.
    pub const ALL: [(&'static str, WebhookPreset); 5] = [
        ("generic", WebhookPreset::Generic),
        ("slack", WebhookPreset::Slack),
        ("discord", WebhookPreset::Discord),
        ("ntfy", WebhookPreset::Ntfy),
        ("matrix", WebhookPreset::Matrix),
    ];
}

/// When and where daily digests are written.
#[derive(Debug, Clone, PartialEq)]
pub struct Digest {
    pub enabled: bool,
    pub at: chrono::NaiveTime,
    pub timezone: chrono_tz::Tz,
    pub dir: PathBuf,
    /// Where to email each digest, when configured.
    pub email: Option<Email>,
}

/// How digests are emailed.
#[derive(Debug, Clone, PartialEq)]
pub struct Email {
    pub smtp: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    pub password: Option<String>,
    pub from: lettre::message::Mailbox,
    pub to: Vec<lettre::message::Mailbox>,
}

/// How the SMTP connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// STARTTLS on the submission port (587).
    StartTls,
    /// Implicit TLS (465).
    Tls,
    /// No encryption: only for a relay on the same machine or network.
    None,
}

/// Alert delivery and story grouping settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Alerts {
    pub retry_base: Duration,
    pub retry_max: Duration,
    pub story_window: Duration,
    pub story_similarity: f64,
}

impl Default for Alerts {
    fn default() -> Self {
        Alerts {
            retry_base: Duration::from_secs(30),
            retry_max: Duration::from_secs(3600),
            story_window: Duration::from_secs(3 * 86_400),
            story_similarity: 0.3,
        }
    }
}

/// Polling defaults and limits.
#[derive(Debug, Clone, PartialEq)]
pub struct Poll {
    pub default_interval: Duration,
    /// No feed is polled more often than this, whatever its interval says.
    pub floor: Duration,
    pub concurrency: usize,
    pub max_body_bytes: u64,
    pub timeout: Duration,
    /// Pause between two requests to the same host.
    pub host_gap: Duration,
    /// Let full-text article fetches reach loopback and private addresses.
    pub allow_private_articles: bool,
}

impl Default for Poll {
    fn default() -> Self {
        Poll {
            default_interval: Duration::from_secs(30 * 60),
            floor: Duration::from_secs(5 * 60),
            concurrency: 16,
            max_body_bytes: 15 * 1024 * 1024,
            timeout: Duration::from_secs(30),
            host_gap: Duration::from_millis(250),
            allow_private_articles: false,
        }
    }
}

/// Why a config could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read config file {path}: {source}; check the path or pass --config")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("no config file found; pass --config PATH, set WIREWATCH_CONFIG, or create {0}")]
    NotFound(PathBuf),
    #[error("{0}")]
    Invalid(#[from] ConfigErrors),
}

impl Config {
    /// Reads and compiles the config file at `path`.
    pub fn load(path: &Path) -> Result<Config, LoadError> {
        let source = std::fs::read_to_string(path).map_err(|source| LoadError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Ok(compile::compile(path, &source)?)
    }

    /// The feed with this name, if any.
    pub fn feed_named(&self, name: &str) -> Option<&Feed> {
        self.feeds.iter().find(|f| f.name == name)
    }
}

/// Finds the config file: `--config`, then `$WIREWATCH_CONFIG`, then
/// `$XDG_CONFIG_HOME/wirewatch/wirewatch.toml` (or `~/.config/...`), then
/// `/etc/wirewatch/wirewatch.toml`.
pub fn locate(explicit: Option<&Path>) -> Result<PathBuf, LoadError> {
    if let Some(path) = explicit {
        return Ok(path.to_path_buf());
    }
    if let Some(path) = std::env::var_os("WIREWATCH_CONFIG").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    let xdg = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")));
    let mut candidates = Vec::new();
    if let Some(dir) = xdg {
        candidates.push(dir.join("wirewatch").join("wirewatch.toml"));
    }
    candidates.push(PathBuf::from("/etc/wirewatch/wirewatch.toml"));
    for candidate in &candidates {
        if candidate.is_file() {
            return Ok(candidate.clone());
        }
    }
    Err(LoadError::NotFound(candidates[0].clone()))
}
