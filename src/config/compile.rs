//! Compiles a config file's text into a [`Config`], collecting every error at once.
//!
//! Validation is pure: no file is opened and no network is touched here, so `wirewatch check`
//! is safe to run anywhere and tests can feed it strings.

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use toml::de::DeTable;
use toml::Spanned;

use super::error::{ConfigErrors, ErrorSink};
use super::raw;
use super::sections::{read, read_each};
use super::{
    Alerts, Config, Digest, Email, Feed, Poll, Sinks, SmtpSecurity, Webhook, WebhookPreset,
};
use crate::extract::Extractor;
use crate::rules::{self, Action, Rule, Severity};

const SECTIONS: &str =
    "`store`, `poll`, `feed`, `rule`, `alerts`, `sinks`, `digest`, `http`, `actor`, `topic`";

/// The raw sections of one file, each already read on its own.
#[derive(Default)]
struct RawConfig {
    store: raw::StoreConfig,
    poll: raw::PollConfig,
    alerts: raw::AlertsConfig,
    feeds: Vec<raw::FeedConfig>,
    rules: Vec<raw::RuleConfig>,
    sinks: raw::SinksConfig,
    digest: raw::DigestConfig,
    http: Option<raw::HttpConfig>,
    actors: Vec<raw::ActorConfig>,
    topics: Vec<raw::TopicConfig>,
}

/// Compiles the text of the config file at `path`.
pub fn compile(path: &Path, source: &str) -> Result<Config, ConfigErrors> {
    let mut errors = ErrorSink::new(path, source);
    let document = match DeTable::parse(source) {
        Ok(document) => document,
        Err(error) => {
            let span = error.span().unwrap_or(0..0);
            errors.at(
                span,
                format!("invalid TOML: {}", error.message().trim()),
                Some("fix the syntax at this position".into()),
            );
            return Err(ConfigErrors(errors.finish()));
        }
    };
    let raw = read_sections(document.get_ref(), &mut errors);
    let base = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let config = build(path, &base, source, raw, &mut errors);
    match config {
        Some(config) if errors.is_empty() => Ok(config),
        _ => Err(ConfigErrors(errors.finish())),
    }
}

fn read_sections(document: &DeTable<'_>, errors: &mut ErrorSink<'_>) -> RawConfig {
    let mut raw = RawConfig::default();
    for (key, value) in document.iter() {
        match key.get_ref().as_ref() {
            "store" => raw.store = read(value, "[store]", errors).unwrap_or_default(),
            "poll" => raw.poll = read(value, "[poll]", errors).unwrap_or_default(),
            "alerts" => raw.alerts = read(value, "[alerts]", errors).unwrap_or_default(),
            "sinks" => raw.sinks = read(value, "[sinks]", errors).unwrap_or_default(),
            "digest" => raw.digest = read(value, "[digest]", errors).unwrap_or_default(),
            "http" => raw.http = read(value, "[http]", errors),
            "feed" => raw.feeds = only_values(read_each(value, "feed", errors)),
            "rule" => raw.rules = only_values(read_each(value, "rule", errors)),
            "actor" => raw.actors = only_values(read_each(value, "actor", errors)),
            "topic" => raw.topics = only_values(read_each(value, "topic", errors)),
            other => errors.at(
                key.span(),
                format!("unknown section `{other}`"),
                Some(format!("remove it or use one of {SECTIONS}")),
            ),
        }
    }
    raw
}

fn only_values<T>(items: Vec<(usize, T)>) -> Vec<T> {
    items.into_iter().map(|(_, item)| item).collect()
}

fn build(
    path: &Path,
    base: &Path,
    source: &str,
    raw: RawConfig,
    errors: &mut ErrorSink<'_>,
) -> Option<Config> {
    let extractor = match Extractor::build(&raw.actors, &raw.topics) {
        Ok(extractor) => Some(Arc::new(extractor)),
        Err(problems) => {
            for problem in problems {
                match problem.span {
                    Some(span) => errors.at(span, problem.message, problem.help),
                    None => errors.whole_file(problem.message, problem.help),
                }
            }
            None
        }
    };
    let store_path = join_clean(base, raw.store.path.as_deref().unwrap_or("wirewatch.db"));
    let retention = raw
        .store
        .retention
        .as_ref()
        .and_then(|r| duration(r, errors))
        .unwrap_or(Duration::from_secs(90 * 86_400));
    let poll = compile_poll(&raw.poll, errors);
    let alerts = compile_alerts(&raw.alerts, errors);
    let feeds = compile_feeds(&raw.feeds, base, &poll, errors);
    let sinks = compile_sinks(&raw.sinks, base, errors);
    let digest = compile_digest(&raw.digest, &store_path, base, errors);
    let http_listen = raw.http.as_ref().and_then(|http| {
        http.listen
            .get_ref()
            .parse()
            .map_err(|_| {
                errors.at(
                    http.listen.span(),
                    format!("invalid listen address `{}`", http.listen.get_ref()),
                    Some("use an IP address and port, like \"127.0.0.1:9187\"".into()),
                )
            })
            .ok()
    });
    let rules = match &extractor {
        Some(extractor) => compile_rules(&raw.rules, source, extractor, &sinks, errors),
        None => Vec::new(),
    };
    Some(Config {
        path: path.to_path_buf(),
        store_path,
        retention,
        feeds,
        rules,
        sinks,
        digest,
        poll,
        alerts,
        http_listen,
        extractor: extractor?,
    })
}

fn duration(value: &Spanned<String>, errors: &mut ErrorSink<'_>) -> Option<Duration> {
    match humantime::parse_duration(value.get_ref().trim()) {
        Ok(d) => Some(d),
        Err(e) => {
            errors.at(
                value.span(),
                format!("invalid duration `{}`: {e}", value.get_ref()),
                Some("use a number with a unit, like \"30m\", \"6h\" or \"1d\"".into()),
            );
            None
        }
    }
}

fn compile_alerts(raw: &raw::AlertsConfig, errors: &mut ErrorSink<'_>) -> Alerts {
    let defaults = Alerts::default();
    let pick = |value: &Option<Spanned<String>>, default: Duration, errors: &mut ErrorSink<'_>| {
        value
            .as_ref()
            .and_then(|d| duration(d, errors))
            .unwrap_or(default)
    };
    let story_similarity = match &raw.story_similarity {
        Some(s) if !(0.0..=1.0).contains(s.get_ref()) => {
            errors.at(
                s.span(),
                format!("story_similarity {} is outside 0..1", s.get_ref()),
                Some("use a value such as 0.5".into()),
            );
            defaults.story_similarity
        }
        Some(s) => *s.get_ref(),
        None => defaults.story_similarity,
    };
    Alerts {
        retry_base: pick(&raw.retry_base, defaults.retry_base, errors),
        retry_max: pick(&raw.retry_max, defaults.retry_max, errors),
        story_window: pick(&raw.story_window, defaults.story_window, errors),
        story_similarity,
    }
}

fn compile_poll(raw: &raw::PollConfig, errors: &mut ErrorSink<'_>) -> Poll {
    let defaults = Poll::default();
    Poll {
        default_interval: raw
            .interval
            .as_ref()
            .and_then(|d| duration(d, errors))
            .unwrap_or(defaults.default_interval),
        concurrency: raw.concurrency.unwrap_or(defaults.concurrency).max(1),
        max_body_bytes: raw.max_body_bytes.unwrap_or(defaults.max_body_bytes),
        timeout: raw
            .timeout
            .as_ref()
            .and_then(|d| duration(d, errors))
            .unwrap_or(defaults.timeout),
        floor: raw
            .floor
            .as_ref()
            .and_then(|d| duration(d, errors))
            .unwrap_or(defaults.floor),
        host_gap: raw
            .host_gap
            .as_ref()
            .and_then(|d| duration(d, errors))
            .unwrap_or(defaults.host_gap),
        allow_private_articles: raw
            .allow_private_articles
            .unwrap_or(defaults.allow_private_articles),
    }
}

/// Parses a feed or webhook URL. `file:relative/path` is taken relative to the config
/// file, so a config and its local feeds can move together.
fn feed_url(value: &Spanned<String>, base: &Path, errors: &mut ErrorSink<'_>) -> Option<url::Url> {
    let text = value.get_ref().trim();
    let parsed = match text.strip_prefix("file:") {
        Some(rest) if !rest.starts_with('/') => {
            let absolute = absolute(&join_clean(base, rest));
            url::Url::from_file_path(&absolute).map_err(|_| url::ParseError::RelativeUrlWithoutBase)
        }
        _ => url::Url::parse(text),
    };
    match parsed {
        Ok(url) if matches!(url.scheme(), "http" | "https" | "file") => Some(url),
        Ok(url) => {
            errors.at(
                value.span(),
                format!("unsupported URL scheme `{}` in `{text}`", url.scheme()),
                Some("use an http://, https:// or file: URL".into()),
            );
            None
        }
        Err(e) => {
            errors.at(
                value.span(),
                format!("invalid URL `{text}`: {e}"),
                Some("write a full URL such as \"https://example.org/feed.xml\"".into()),
            );
            None
        }
    }
}

/// `base/relative` with `.` and `..` resolved lexically, so paths print the way a person
/// would write them.
fn join_clean(base: &Path, relative: &str) -> PathBuf {
    let mut out = PathBuf::new();
    for part in base.join(relative).components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir
                if matches!(
                    out.components().next_back(),
                    Some(std::path::Component::Normal(_))
                ) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        return path.to_path_buf();
    }
    std::env::current_dir()
        .map(|cwd| cwd.join(path))
        .unwrap_or_else(|_| path.to_path_buf())
}

fn compile_feeds(
    raw: &[raw::FeedConfig],
    base: &Path,
    poll: &Poll,
    errors: &mut ErrorSink<'_>,
) -> Vec<Feed> {
    let mut names = BTreeSet::new();
    let mut feeds = Vec::new();
    for feed in raw {
        let url = feed_url(&feed.url, base, errors);
        let interval = match &feed.interval {
            Some(d) => duration(d, errors).inspect(|d| {
                if d.is_zero() {
                    errors.at(
                        d_span(feed),
                        "feed interval must be longer than zero",
                        Some("use something like \"30m\"".into()),
                    );
                }
            }),
            None => Some(poll.default_interval),
        };
        let (Some(url), Some(interval)) = (url, interval) else {
            continue;
        };
        let name = feed.name.clone().unwrap_or_else(|| default_feed_name(&url));
        if !names.insert(name.clone()) {
            errors.at(
                feed.url.span(),
                format!("two feeds are named `{name}`"),
                Some("give each feed its own `name`".into()),
            );
        }
        feeds.push(Feed {
            url,
            name,
            tags: feed.tags.clone(),
            interval,
            full_text: feed.full_text,
        });
    }
    feeds
}

fn d_span(feed: &raw::FeedConfig) -> Range<usize> {
    feed.interval
        .as_ref()
        .map_or_else(|| feed.url.span(), |d| d.span())
}

fn default_feed_name(url: &url::Url) -> String {
    match url.host_str() {
        Some(host) => format!("{host}{}", url.path()),
        None => url
            .path_segments()
            .and_then(|mut s| s.next_back().map(str::to_string))
            .unwrap_or_else(|| url.to_string()),
    }
}

fn compile_sinks(raw: &raw::SinksConfig, base: &Path, errors: &mut ErrorSink<'_>) -> Sinks {
    let mut webhooks = Vec::new();
    for (name, hook) in &raw.webhook {
        let hook = hook.get_ref();
        let preset = match &hook.preset {
            None => Some(WebhookPreset::Generic),
            Some(p) => {
                let found = WebhookPreset::ALL
                    .iter()
                    .find(|(n, _)| *n == p.get_ref())
                    .map(|(_, preset)| *preset);
                if found.is_none() {
                    errors.at(
                        p.span(),
                        format!("unknown webhook preset `{}`", p.get_ref()),
                        Some("use one of generic, slack, discord, ntfy, matrix".into()),
                    );
                }
                found
            }
        };
        let url = feed_url(&hook.url, base, errors);
        if let (Some(url), Some(preset)) = (url, preset) {
            webhooks.push(Webhook {
                name: name.clone(),
                url,
                preset,
                headers: hook
                    .headers
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                secret: hook.secret.clone(),
            });
        }
    }
    Sinks {
        desktop: raw.desktop.as_ref().is_some_and(|d| d.enabled),
        webhooks,
        jsonl: raw
            .jsonl
            .as_ref()
            .map(|j| join_clean(base, j.path.as_deref().unwrap_or("alerts.jsonl"))),
        log: raw.log.as_ref().is_none_or(|l| l.enabled),
    }
}

fn compile_digest(
    raw: &raw::DigestConfig,
    store_path: &Path,
    base: &Path,
    errors: &mut ErrorSink<'_>,
) -> Digest {
    let at = match &raw.at {
        None => chrono::NaiveTime::from_hms_opt(7, 0, 0).expect("valid time"),
        Some(at) => {
            chrono::NaiveTime::parse_from_str(at.get_ref().trim(), "%H:%M").unwrap_or_else(|_| {
                errors.at(
                    at.span(),
                    format!("invalid digest time `{}`", at.get_ref()),
                    Some("use 24-hour HH:MM, like \"07:00\"".into()),
                );
                chrono::NaiveTime::MIN
            })
        }
    };
    let timezone = match &raw.timezone {
        None => system_timezone(),
        Some(tz) => tz.get_ref().trim().parse().unwrap_or_else(|_| {
            errors.at(
                tz.span(),
                format!("unknown timezone `{}`", tz.get_ref()),
                Some("use an IANA name such as \"Europe/Berlin\" or \"UTC\"".into()),
            );
            chrono_tz::UTC
        }),
    };
    let dir = match &raw.dir {
        Some(dir) => join_clean(base, dir),
        None => store_path
            .parent()
            .unwrap_or(Path::new("."))
            .join("digests"),
    };
    let email = raw.email.as_ref().and_then(|e| compile_email(e, errors));
    Digest {
        enabled: raw.enabled,
        at,
        timezone,
        dir,
        email,
    }
}

fn compile_email(raw: &raw::EmailConfig, errors: &mut ErrorSink<'_>) -> Option<Email> {
    let security = match raw.security.as_ref().map(|s| s.get_ref().as_str()) {
        None | Some("starttls") => Some(SmtpSecurity::StartTls),
        Some("tls") => Some(SmtpSecurity::Tls),
        Some("none") => Some(SmtpSecurity::None),
        Some(other) => {
            let span = raw.security.as_ref().map(|s| s.span()).unwrap_or(0..0);
            errors.at(
                span,
                format!("unknown SMTP security `{other}`"),
                Some("use starttls, tls or none".into()),
            );
            None
        }
    };
    let mut mailbox = |value: &Spanned<String>| {
        let parsed = crate::digest::email::mailbox(value.get_ref());
        if parsed.is_none() {
            errors.at(
                value.span(),
                format!("invalid email address `{}`", value.get_ref()),
                Some("write it as \"name@example.org\" or \"Name <name@example.org>\"".into()),
            );
        }
        parsed
    };
    let from = mailbox(&raw.from);
    let to: Vec<_> = raw.to.iter().map(&mut mailbox).collect();
    let password = raw
        .password_env
        .as_ref()
        .and_then(|var| std::env::var(var).ok())
        .or_else(|| raw.password.clone());
    let security = security?;
    let port = raw.port.unwrap_or(match security {
        SmtpSecurity::StartTls => 587,
        SmtpSecurity::Tls => 465,
        SmtpSecurity::None => 25,
    });
    Some(Email {
        smtp: raw.smtp.clone(),
        port,
        security,
        username: raw.username.clone(),
        password,
        from: from?,
        to: to.into_iter().collect::<Option<Vec<_>>>()?,
    })
}

/// The machine's timezone, or UTC when it cannot be told.
pub fn system_timezone() -> chrono_tz::Tz {
    std::env::var("TZ")
        .ok()
        .and_then(|tz| tz.trim_start_matches(':').parse().ok())
        .or_else(|| iana_time_zone::get_timezone().ok()?.parse().ok())
        .unwrap_or(chrono_tz::UTC)
}

fn compile_rules(
    raw: &[raw::RuleConfig],
    source: &str,
    extractor: &Extractor,
    sinks: &Sinks,
    errors: &mut ErrorSink<'_>,
) -> Vec<Rule> {
    let mut names = BTreeSet::new();
    let mut compiled = Vec::new();
    for rule in raw {
        let name = rule.name.get_ref().clone();
        if !names.insert(name.clone()) {
            errors.at(
                rule.name.span(),
                format!("two rules are named `{name}`"),
                Some("give each rule its own `name`".into()),
            );
        }
        let expr = match rules::parse(rule.expr.get_ref(), extractor) {
            Ok(expr) => Some(expr),
            Err(e) => {
                let at = string_content_start(source, rule.expr.span()) + e.offset;
                let snippet = e.snippet(rule.expr.get_ref()).replace('\n', "\n    ");
                errors.at(
                    at..at,
                    format!("in rule `{name}`: {}\n    {snippet}", e.message),
                    e.help.clone(),
                );
                None
            }
        };
        let severity = match &rule.severity {
            None => Some(Severity::Warning),
            Some(s) => {
                let parsed = s.get_ref().parse::<Severity>().ok();
                if parsed.is_none() {
                    errors.at(
                        s.span(),
                        format!("unknown severity `{}` in rule `{name}`", s.get_ref()),
                        Some("use info, warning or critical".into()),
                    );
                }
                parsed
            }
        };
        let actions = compile_actions(rule, &name, sinks, errors);
        let cooldown = rule
            .cooldown
            .as_ref()
            .map_or(Some(Duration::ZERO), |c| duration(c, errors));
        let quiet_hours = rule.quiet_hours.as_ref().and_then(|q| {
            let parsed = q.get_ref().split_once('-').and_then(|(a, b)| {
                let time = |s: &str| chrono::NaiveTime::parse_from_str(s.trim(), "%H:%M").ok();
                Some((time(a)?, time(b)?))
            });
            if parsed.is_none() {
                errors.at(
                    q.span(),
                    format!("invalid quiet hours `{}` in rule `{name}`", q.get_ref()),
                    Some("use HH:MM-HH:MM in the digest timezone, like \"22:00-07:00\"".into()),
                );
            }
            parsed
        });
        if let (Some(expr), Some(severity), Some(cooldown)) = (expr, severity, cooldown) {
            compiled.push(Rule {
                name,
                source: rule.expr.get_ref().clone(),
                expr,
                severity,
                actions,
                cooldown,
                quiet_hours,
                feeds: rule.feeds.clone(),
                tags: rule.tags.clone(),
            });
        }
    }
    compiled
}

fn compile_actions(
    rule: &raw::RuleConfig,
    name: &str,
    sinks: &Sinks,
    errors: &mut ErrorSink<'_>,
) -> Vec<Action> {
    let Some(actions) = &rule.actions else {
        return vec![Action::Log];
    };
    let mut compiled = Vec::new();
    for action in actions {
        let text = action.get_ref().as_str();
        let parsed = match text {
            "desktop" => Ok(Action::Desktop),
            "jsonl" if sinks.jsonl.is_some() => Ok(Action::Jsonl),
            "jsonl" => Err((
                "the [sinks.jsonl] table is missing",
                "add [sinks.jsonl] with a `path`".to_string(),
            )),
            "log" => Ok(Action::Log),
            "digest" => Ok(Action::DigestOnly),
            _ => match text.strip_prefix("webhook:") {
                Some(hook) if sinks.webhooks.iter().any(|w| w.name == hook) => {
                    Ok(Action::Webhook(hook.to_string()))
                }
                Some(hook) => Err((
                    "no such webhook",
                    format!("add a [sinks.webhook.{hook}] table with a `url`"),
                )),
                None => Err((
                    "unknown action",
                    "use desktop, log, jsonl, digest or webhook:NAME".to_string(),
                )),
            },
        };
        match parsed {
            Ok(a) => compiled.push(a),
            Err((what, help)) => errors.at(
                action.span(),
                format!("{what} for action `{text}` in rule `{name}`"),
                Some(help),
            ),
        }
    }
    compiled
}

/// Byte offset where the text of a TOML string value starts (after its opening quotes and,
/// for multi-line strings, the newline that follows them).
fn string_content_start(source: &str, span: Range<usize>) -> usize {
    let raw = &source[span.start.min(source.len())..span.end.min(source.len())];
    let quotes = if raw.starts_with("'''") || raw.starts_with("\"\"\"") {
        3
    } else {
        1
    };
    let after = &raw[quotes.min(raw.len())..];
    let newline = if quotes == 3 && after.starts_with('\n') {
        1
    } else if quotes == 3 && after.starts_with("\r\n") {
        2
    } else {
        0
    };
    span.start + quotes + newline
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_start_skips_quotes() {
        let src = "a = 'x'\nb = '''\nyy'''";
        assert_eq!(string_content_start(src, 4..7), 5);
        assert_eq!(string_content_start(src, 12..20), 16);
    }

    #[test]
    fn relative_file_url_is_resolved_against_config_dir() {
        let src = "x";
        let mut errors = ErrorSink::new(Path::new("c.toml"), src);
        let value = Spanned::new(0..1, "file:feeds/a.xml".to_string());
        let url = feed_url(&value, Path::new("/etc/ww"), &mut errors).unwrap();
        assert_eq!(url.as_str(), "file:///etc/ww/feeds/a.xml");
    }
}
