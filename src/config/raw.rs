//! The raw config as serde reads it from TOML: every table with `deny_unknown_fields`, values
//! that are validated later kept [`Spanned`] so their errors can point at them.
//!
//! Nothing here is checked beyond its TOML type; [`super::compile`] turns these into the real
//! [`super::Config`].

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

/// `[store]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreConfig {
    /// Path of the SQLite file; relative to the config file.
    pub path: Option<String>,
    /// How long items are kept, e.g. "90d".
    pub retention: Option<Spanned<String>>,
}

/// One `[[feed]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedConfig {
    pub url: Spanned<String>,
    pub name: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub interval: Option<Spanned<String>>,
    #[serde(default)]
    pub full_text: bool,
}

/// One `[[rule]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleConfig {
    pub name: Spanned<String>,
    #[serde(rename = "match")]
    pub expr: Spanned<String>,
    pub severity: Option<Spanned<String>>,
    pub actions: Option<Vec<Spanned<String>>>,
    pub cooldown: Option<Spanned<String>>,
    /// "22:00-07:00" in the digest timezone: matches are held for the digest, not alerted.
    pub quiet_hours: Option<Spanned<String>>,
    /// Only items from feeds whose name is listed.
    #[serde(default)]
    pub feeds: Vec<String>,
    /// Only items from feeds carrying one of these tags.
    #[serde(default)]
    pub tags: Vec<String>,
}

/// `[sinks]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SinksConfig {
    pub desktop: Option<DesktopConfig>,
    #[serde(default)]
    pub webhook: BTreeMap<String, Spanned<WebhookConfig>>,
    pub jsonl: Option<JsonlConfig>,
    pub log: Option<LogSinkConfig>,
}

/// `[sinks.desktop]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DesktopConfig {
    #[serde(default = "yes")]
    pub enabled: bool,
}

/// `[sinks.webhook.NAME]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookConfig {
    pub url: Spanned<String>,
    pub preset: Option<Spanned<String>>,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Shared secret: each request carries `X-Wirewatch-Signature: sha256=HEX`, the
    /// HMAC-SHA256 of the body under this key.
    pub secret: Option<String>,
}

/// `[sinks.jsonl]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonlConfig {
    pub path: Option<String>,
}

/// `[sinks.log]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSinkConfig {
    #[serde(default = "yes")]
    pub enabled: bool,
}

/// `[digest]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DigestConfig {
    #[serde(default = "yes")]
    pub enabled: bool,
    pub at: Option<Spanned<String>>,
    pub timezone: Option<Spanned<String>>,
    pub dir: Option<String>,
    pub email: Option<EmailConfig>,
}

/// `[digest.email]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmailConfig {
    pub smtp: String,
    pub port: Option<u16>,
    /// starttls (default) | tls | none
    pub security: Option<Spanned<String>>,
    pub username: Option<String>,
    pub password: Option<String>,
    /// Read the password from this environment variable instead.
    pub password_env: Option<String>,
    pub from: Spanned<String>,
    pub to: Vec<Spanned<String>>,
}

/// `[http]`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpConfig {
    pub listen: Spanned<String>,
}

/// `[alerts]`: delivery retries and story grouping.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertsConfig {
    /// First retry delay after a failed delivery; doubles up to `retry_max`.
    pub retry_base: Option<Spanned<String>>,
    pub retry_max: Option<Spanned<String>>,
    /// How far back a new item is compared with known stories.
    pub story_window: Option<Spanned<String>>,
    /// Estimated Jaccard similarity of title-and-lead shingles from which two items are
    /// one story (0..1).
    pub story_similarity: Option<Spanned<f64>>,
}

/// `[poll]`: politeness and limits shared by every feed.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PollConfig {
    /// Default interval for feeds without their own.
    pub interval: Option<Spanned<String>>,
    /// How many feeds are fetched at once.
    pub concurrency: Option<usize>,
    /// Largest body accepted, in bytes.
    pub max_body_bytes: Option<u64>,
    /// Total timeout of one request.
    pub timeout: Option<Spanned<String>>,
    /// No feed is polled more often than this.
    pub floor: Option<Spanned<String>>,
    /// Pause between two requests to the same host.
    pub host_gap: Option<Spanned<String>>,
    /// Let full-text article fetches reach loopback and private addresses.
    pub allow_private_articles: Option<bool>,
}

/// One `[[actor]]`: the same shape as the built-in gazetteer files in `config/gazetteer/`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActorConfig {
    pub id: Spanned<String>,
    pub name: Option<String>,
    pub kind: Option<Spanned<String>>,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Aliases matched only with the exact letter case given (acronyms such as "US").
    #[serde(default)]
    pub exact_case: Vec<String>,
    #[serde(default)]
    pub demonyms: Vec<String>,
    /// Capitals and seats of power used as metonyms ("Pyongyang", "the Kremlin").
    #[serde(default)]
    pub metonyms: Vec<String>,
    /// Aliases that also name something else ("Georgia", "Jordan"): they count only when
    /// the same document names the actor another way or contains one of `context`.
    #[serde(default)]
    pub ambiguous: Vec<String>,
    #[serde(default)]
    pub context: Vec<String>,
}

/// One `[[topic]]`: the same shape as `config/topics.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicConfig {
    pub id: Spanned<String>,
    pub name: Option<String>,
    /// Phrase → weight. A phrase ending in `*` matches any word ending ("sanction*").
    #[serde(default)]
    pub terms: BTreeMap<String, f64>,
    /// Item score at which the topic counts as present (0..1).
    pub threshold: Option<f64>,
    /// Topics this one gives way to: when one of them is present with at least this
    /// topic's score, this one is dropped ("armed-conflict" yields to "terrorism": a car
    /// bomb is terrorism, not a war, though both lexicons see its dead).
    #[serde(default)]
    pub yields_to: Vec<String>,
    /// Whether the topic happens between parties (diplomacy, sanctions...): in a long
    /// article only sentences naming two actors count for it, so domestic criticism
    /// ("the chancellor criticised...") does not read as diplomatic tension.
    pub between_parties: Option<bool>,
}

fn yes() -> bool {
    true
}
