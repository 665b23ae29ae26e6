//! The wiring: polls feeds (fetches run concurrently), runs each fetched feed through
//! parse → identity → normalise → extract → match as plain calls, commits one transaction per
//! poll, drains the outbox and writes digests when due. `run --once` is one pass; the daemon
//! repeats it on per-feed schedules until SIGINT or SIGTERM.

pub mod backtest;
pub mod pipeline;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures_util::stream::{self, StreamExt};

use crate::alert::{deliver_due, Alert, SinkSet};
use crate::config::{Config, Feed};
use crate::digest;
use crate::fetch::{FetchError, FetchRequest, Fetched, Fetcher};
use crate::metrics::metrics;
use crate::parse::parse_feed;
use crate::schedule;
use crate::store::{
    CommitSummary, FeedState, PollOutcome, PollRecord, Store, StoreError, StoryParams,
};

/// Why a run stopped early.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error(transparent)]
    Digest(#[from] digest::DigestError),
}

/// What one pass did.
#[derive(Debug, Clone, Default)]
pub struct PassReport {
    pub feeds_polled: usize,
    /// (feed name, error) for every feed that failed.
    pub feed_errors: Vec<(String, String)>,
    pub totals: CommitSummary,
    /// Alerts delivered in this pass, one per channel.
    pub delivered: Vec<(String, Alert)>,
    pub delivery_errors: Vec<(String, String)>,
    pub digest: Option<std::path::PathBuf>,
}

/// Polls the given feeds once, commits each feed's results, and returns the totals.
pub async fn poll_feeds(
    config: &Config,
    store: &mut Store,
    fetcher: &Fetcher,
    feeds: &[&Feed],
    now: DateTime<Utc>,
) -> Result<PassReport, AppError> {
    poll_feeds_until(config, store, fetcher, feeds, now, None).await
}

/// [`poll_feeds`], stopping between feeds once `stop` is set: what was committed stays,
/// what was not is fetched again next time.
async fn poll_feeds_until(
    config: &Config,
    store: &mut Store,
    fetcher: &Fetcher,
    feeds: &[&Feed],
    now: DateTime<Utc>,
    stop: Option<&AtomicBool>,
) -> Result<PassReport, AppError> {
    let mut report = PassReport::default();
    let mut jobs = Vec::new();
    for feed in feeds {
        let state = store.ensure_feed(feed.url.as_str(), &feed.name)?;
        jobs.push((*feed, state));
    }
    let mut fetches = stream::iter(jobs)
        .map(|(feed, state)| async move {
            // A full fetch at least every 12 hours, in case validators went stale.
            let conditional = !schedule::unconditional_due(state.last_full_fetch, now);
            let request = FetchRequest {
                url: state
                    .fetch_url
                    .clone()
                    .unwrap_or_else(|| feed.url.to_string()),
                etag: state.etag.clone().filter(|_| conditional),
                last_modified: state.last_modified.clone().filter(|_| conditional),
            };
            let started = std::time::Instant::now();
            let result = fetcher.fetch(&request).await;
            (feed, state, result, started)
        })
        .buffer_unordered(config.poll.concurrency);
    while let Some((feed, state, result, started)) = fetches.next().await {
        if stop.is_some_and(|s| s.load(Ordering::SeqCst)) {
            tracing::info!("stopping between feeds; the rest are polled after restart");
            break;
        }
        let error_kind = match &result {
            Err(e) => Some(e.kind()),
            Ok(_) => None,
        };
        let record = process_feed(config, store, fetcher, feed, &state, result, now).await?;
        let error_kind = match &record.outcome {
            PollOutcome::Failed { .. } => Some(error_kind.unwrap_or("parse")),
            _ => None,
        };
        if let PollOutcome::Failed { error } = &record.outcome {
            tracing::warn!(feed = %feed.name, %error, failures = state.consecutive_failures + 1, "poll failed");
            report.feed_errors.push((feed.name.clone(), error.clone()));
        }
        let summary = store.commit_poll(&record)?;
        let m = metrics();
        m.items
            .fetch_add(summary.new_items as u64, Ordering::Relaxed);
        m.matches
            .fetch_add(summary.matches as u64, Ordering::Relaxed);
        m.poll_finished(started.elapsed(), error_kind, Utc::now().timestamp());
        tracing::info!(feed = %feed.name, new = summary.new_items, updated = summary.updated_items,
            matches = summary.matches, alerts = summary.alerts, "polled");
        report.feeds_polled += 1;
        report.totals.new_items += summary.new_items;
        report.totals.updated_items += summary.updated_items;
        report.totals.matches += summary.matches;
        report.totals.alerts += summary.alerts;
    }
    Ok(report)
}

/// Turns one fetch result into the poll record to commit.
async fn process_feed(
    config: &Config,
    store: &Store,
    fetcher: &Fetcher,
    feed: &Feed,
    state: &FeedState,
    result: Result<Fetched, FetchError>,
    now: DateTime<Utc>,
) -> Result<PollRecord, StoreError> {
    let next = |outcome: schedule::Outcome, hints: schedule::Hints| {
        schedule::next_poll(
            &schedule::Poll {
                feed_url: feed.url.as_str(),
                interval: feed.interval,
                floor: config.poll.floor,
                outcome,
                hints,
            },
            now,
        )
    };
    let record = |next_poll, outcome, new_items, updated_items| PollRecord {
        feed_id: state.id,
        now,
        next_poll,
        outcome,
        new_items,
        updated_items,
        stories: story_params(config),
    };
    let failed = |error: String, retry_after: Option<Duration>| {
        let failure = schedule::Outcome::Failure {
            consecutive: state.consecutive_failures + 1,
        };
        let hints = schedule::Hints {
            retry_after,
            ..schedule::Hints::default()
        };
        record(
            next(failure, hints),
            PollOutcome::Failed { error },
            Vec::new(),
            Vec::new(),
        )
    };
    let (bytes, etag, last_modified, hints, moved_to) = match result {
        Err(e) => return Ok(failed(e.to_string(), e.retry_after())),
        Ok(Fetched::NotModified { hints }) => {
            let next_poll = next(schedule::Outcome::Success, hints);
            return Ok(record(
                next_poll,
                PollOutcome::NotModified,
                Vec::new(),
                Vec::new(),
            ));
        }
        Ok(Fetched::Body {
            bytes,
            etag,
            last_modified,
            hints,
            moved_to,
        }) => (bytes, etag, last_modified, hints, moved_to),
    };
    let mut parsed = match parse_feed(&bytes) {
        Ok(parsed) => parsed,
        Err(e) => return Ok(failed(e.to_string(), None)),
    };
    let keys: Vec<String> = pipeline::keyed_items(&parsed)
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    let known = store.known_items(state.id, &keys)?;
    if feed.full_text {
        add_full_text(fetcher, feed, &known, &mut parsed).await;
    }
    if let Some(repair) = parsed.recovered {
        tracing::warn!(feed = %feed.name, repair, "feed is not well-formed; recovered");
    }
    if let Some(url) = &moved_to {
        tracing::info!(feed = %feed.name, to = %url, "feed moved permanently; fetching the new address from now on");
    }
    let hints = schedule::Hints {
        ttl: parsed
            .ttl_minutes
            .map(|m| Duration::from_secs(u64::from(m) * 60)),
        ..hints
    };
    // Full text leaves the keys alone (it only touches items with a link, keyed by guid or
    // link), so what the store knows is read once.
    let keyed = pipeline::keyed_items(&parsed);
    let (new_items, updated_items) = pipeline::plan_items(config, feed, &keyed, &known, now);
    let outcome = PollOutcome::Fetched {
        etag,
        last_modified,
        moved_to,
    };
    Ok(record(
        next(schedule::Outcome::Success, hints),
        outcome,
        new_items,
        updated_items,
    ))
}

/// Most article pages fetched for one feed in one poll.
const MAX_ARTICLES_PER_POLL: usize = 20;

/// Replaces the summaries of new items with the main content of their pages, where the page
/// can be fetched (same limits and politeness as feeds; private addresses refused) and has
/// a readable article; otherwise the summary stays.
async fn add_full_text(
    fetcher: &Fetcher,
    feed: &Feed,
    known: &HashMap<String, String>,
    parsed: &mut crate::parse::ParsedFeed,
) {
    let mut fetched = 0;
    for item in parsed.items.iter_mut() {
        let key = crate::identity::item_key(
            item.guid.as_deref(),
            item.link.as_deref(),
            item.title.as_deref(),
            &item.content,
        );
        if known.contains_key(&key) || fetched >= MAX_ARTICLES_PER_POLL {
            continue;
        }
        let Some(link) = item.link.clone() else {
            continue;
        };
        fetched += 1;
        match fetcher.fetch_article(&link).await {
            Ok(bytes) => {
                let html = crate::parse::decode::to_utf8(&bytes).text;
                match crate::fulltext::main_content(&html, &link) {
                    Some(content) => item.content = content,
                    None => {
                        tracing::debug!(feed = %feed.name, %link, "no readable article; keeping the summary")
                    }
                }
            }
            Err(e) => {
                tracing::warn!(feed = %feed.name, %link, error = %e, "article fetch failed; keeping the summary")
            }
        }
    }
}

fn story_params(config: &Config) -> StoryParams {
    StoryParams {
        window: config.alerts.story_window,
        similarity: config.alerts.story_similarity,
    }
}

/// One pass over every feed, then delivery; with `write_digest`, the running digest too.
pub async fn run_once(config: &Config, write_digest: bool) -> Result<PassReport, AppError> {
    let mut store = Store::open(&config.store_path)?;
    let fetcher = Fetcher::new(&config.poll)?;
    let sinks = SinkSet::new(&config.sinks);
    let feeds: Vec<&Feed> = config.feeds.iter().collect();
    let mut report = poll_feeds(config, &mut store, &fetcher, &feeds, Utc::now()).await?;
    let delivery = deliver_due(&store, &sinks, &config.alerts, Utc::now()).await?;
    prune(config, &mut store, Utc::now())?;
    report.delivered = delivery.delivered;
    report.delivery_errors = delivery.failed;
    if write_digest {
        let now = Utc::now();
        let window = digest::current_window(now, &config.digest);
        let names = config.extractor.actor_names();
        let written = digest::write_digest(&store, &config.digest, &names, window, now)?;
        report.digest = Some(written.markdown_path);
    }
    Ok(report)
}

/// The daemon loop: every second, polls the feeds that are due, delivers due alerts, and
/// writes the last day's digest once its time has passed; applies a new config when one is
/// requested on `reload` and valid (an invalid one is logged and the running one kept);
/// until `stop` is set.
pub async fn run_daemon(
    config: Config,
    stop: Arc<AtomicBool>,
    mut reload: tokio::sync::mpsc::UnboundedReceiver<()>,
) -> Result<(), AppError> {
    let mut config = config;
    let mut store = Store::open(&config.store_path)?;
    let mut fetcher = Fetcher::new(&config.poll)?;
    let mut sinks = SinkSet::new(&config.sinks);
    tracing::info!(feeds = config.feeds.len(), rules = config.rules.len(), store = %config.store_path.display(), "wirewatch running");
    if let Some(listen) = config.http_listen {
        tokio::spawn(async move {
            if let Err(e) = crate::http::serve(listen).await {
                tracing::error!(%listen, error = %e, "health and metrics endpoint failed; check that the address is free");
            }
        });
    }
    // When each feed is due, kept in memory and refreshed from the store after its poll.
    let mut schedule = HashMap::new();
    refresh_schedule(&config, &store, &mut schedule)?;
    crate::service::ready(&format!("{} feeds, starting", config.feeds.len()));
    let mut ticker = tokio::time::interval(Duration::from_secs(1));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut last_digest_check = DateTime::<Utc>::MIN_UTC;
    let mut last_prune = DateTime::<Utc>::MIN_UTC;
    let mut last_poll: Option<DateTime<Utc>> = None;
    while !stop.load(Ordering::SeqCst) {
        ticker.tick().await;
        crate::service::watchdog();
        if drain(&mut reload) {
            if let Some(new) = reload_config(&config) {
                config = new;
                fetcher = Fetcher::new(&config.poll)?;
                sinks = SinkSet::new(&config.sinks);
                refresh_schedule(&config, &store, &mut schedule)?;
            }
            crate::service::ready(&format!("{} feeds, config reloaded", config.feeds.len()));
        }
        let now = Utc::now();
        let due: Vec<&Feed> = config
            .feeds
            .iter()
            .filter(|f| schedule.get(f.url.as_str()).is_none_or(|t| *t <= now))
            .collect();
        if !due.is_empty() {
            let report =
                poll_feeds_until(&config, &mut store, &fetcher, &due, now, Some(&stop)).await?;
            tracing::info!(
                feeds = report.feeds_polled,
                failed = report.feed_errors.len(),
                new = report.totals.new_items,
                matches = report.totals.matches,
                alerts = report.totals.alerts,
                "poll pass"
            );
            for feed in due {
                if let Some(next) = store
                    .feed_state(feed.url.as_str())?
                    .and_then(|s| s.next_poll)
                {
                    schedule.insert(feed.url.to_string(), next);
                }
            }
            last_poll = Some(Utc::now());
        }
        deliver_due(&store, &sinks, &config.alerts, Utc::now()).await?;
        if now - last_prune >= chrono::Duration::hours(1) {
            last_prune = now;
            prune(&config, &mut store, now)?;
        }
        if config.digest.enabled && now - last_digest_check >= chrono::Duration::seconds(60) {
            last_digest_check = now;
            write_due_digests(&config, &store, now).await?;
            crate::service::status(&status_line(&config, last_poll, now));
        }
    }
    crate::service::stopping();
    tracing::info!("wirewatch stopped");
    Ok(())
}

/// Drops items past the retention period (tombstones keep them from coming back).
fn prune(config: &Config, store: &mut Store, now: DateTime<Utc>) -> Result<(), StoreError> {
    let pruned = store.prune(now, config.retention)?;
    if pruned > 0 {
        tracing::info!(
            pruned,
            retention_days = config.retention.as_secs() / 86_400,
            "old items pruned"
        );
    }
    Ok(())
}

/// Whether at least one reload request is waiting (all of them are consumed).
fn drain(reload: &mut tokio::sync::mpsc::UnboundedReceiver<()>) -> bool {
    let mut any = false;
    while reload.try_recv().is_ok() {
        any = true;
    }
    any
}

/// The config file read again, or `None` (logged) when it is invalid.
fn reload_config(running: &Config) -> Option<Config> {
    crate::service::reloading();
    match Config::load(&running.path) {
        Ok(new) => {
            if new.store_path != running.store_path {
                tracing::error!(path = %running.path.display(), "config reload rejected: [store] path changed; restart wirewatch to move the store");
                return None;
            }
            tracing::info!(
                feeds = new.feeds.len(),
                rules = new.rules.len(),
                "config reloaded"
            );
            Some(new)
        }
        Err(e) => {
            tracing::error!(error = %e, "config reload rejected; the running config stays in force");
            None
        }
    }
}

/// Due times for every configured feed: stored ones, or soon for feeds that are due, spread
/// over a short window so a restart does not fetch everything in the same second.
fn refresh_schedule(
    config: &Config,
    store: &Store,
    schedule: &mut HashMap<String, DateTime<Utc>>,
) -> Result<(), StoreError> {
    let now = Utc::now();
    let spread = Duration::from_millis(50 * config.feeds.len() as u64).min(Duration::from_secs(60));
    let mut fresh = HashMap::new();
    for feed in &config.feeds {
        let url = feed.url.to_string();
        let next = match schedule.get(&url) {
            Some(t) => *t,
            None => {
                let stored = store.feed_state(&url)?.and_then(|s| s.next_poll);
                let delay =
                    chrono::Duration::from_std(schedule::stagger(&url, spread)).unwrap_or_default();
                match stored {
                    Some(t) if t > now => t,
                    _ => now + delay,
                }
            }
        };
        fresh.insert(url, next);
    }
    *schedule = fresh;
    Ok(())
}

/// "312 feeds, last poll 2 min ago, 0 alerts waiting".
fn status_line(config: &Config, last_poll: Option<DateTime<Utc>>, now: DateTime<Utc>) -> String {
    let last = last_poll.map_or("no poll yet".to_string(), |t| {
        format!("last poll {} min ago", (now - t).num_minutes().max(0))
    });
    let waiting = metrics().outbox_depth.load(Ordering::Relaxed);
    format!(
        "{} feeds, {last}, {waiting} alerts waiting",
        config.feeds.len()
    )
}

/// How many finished days back a missed digest is still written on start.
const CATCH_UP_DAYS: i64 = 7;

/// Writes every finished day's digest of the last week that is missing (a daemon that was
/// down catches up on start), oldest first; days with no items at all are skipped, except
/// the most recent one. Returns the files written.
pub async fn write_due_digests(
    config: &Config,
    store: &Store,
    now: DateTime<Utc>,
) -> Result<Vec<std::path::PathBuf>, AppError> {
    let names = config.extractor.actor_names();
    let next = digest::current_window(now, &config.digest);
    let mut written = Vec::new();
    for back in (1..=CATCH_UP_DAYS).rev() {
        let window = digest::window_for(next.day - chrono::Duration::days(back), &config.digest);
        if config
            .digest
            .dir
            .join(format!("{}.html", window.day))
            .exists()
        {
            continue;
        }
        let empty = store.window_counts(window.from, window.to)?.items == 0;
        if empty && back > 1 {
            continue;
        }
        let digest = digest::write_digest(store, &config.digest, &names, window, now)?;
        tracing::info!(path = %digest.markdown_path.display(), "digest written");
        if let Some(email) = &config.digest.email {
            // A failed email is logged; the digest is on disk either way.
            match digest::email::send(email, &digest.subject, &digest.markdown, &digest.html).await
            {
                Ok(()) => tracing::info!(to = email.to.len(), "digest emailed"),
                Err(e) => tracing::error!(error = %e, "digest email failed"),
            }
        }
        written.push(digest.markdown_path);
    }
    Ok(written)
}
