//! When to poll a feed next: a pure function of the poll's outcome, the feed's interval, the
//! server's hints and the clock.
//!
//! - After a success: the feed's interval, or longer when the server asks (RSS `<ttl>`,
//!   `Cache-Control: max-age`, `Expires`), clamped to [floor, 24 h], with ±10 % jitter.
//! - After an error: 15 min doubling per consecutive failure up to 24 h, with jitter, or
//!   `Retry-After` when the server gives one (same clamp). Never gives up.
//!
//! Jitter is derived from the feed and the time, not a random generator, so a schedule can
//! be replayed in tests and stays spread across restarts.

use std::time::Duration;

use chrono::{DateTime, Utc};

/// The longest wait between two polls of a feed.
pub const MAX_WAIT: Duration = Duration::from_secs(24 * 3600);
/// The first wait after an error.
pub const FIRST_BACKOFF: Duration = Duration::from_secs(15 * 60);
/// A conditional GET is replaced by a full one at least this often.
pub const UNCONDITIONAL_EVERY: Duration = Duration::from_secs(12 * 3600);

/// What the server said about when to come back.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Hints {
    pub ttl: Option<Duration>,
    pub max_age: Option<Duration>,
    pub expires: Option<DateTime<Utc>>,
    pub retry_after: Option<Duration>,
}

/// The outcome that decides the next poll.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Outcome {
    Success,
    /// The n-th failure in a row (1 for the first).
    Failure {
        consecutive: u32,
    },
}

/// Everything the next poll time depends on.
#[derive(Debug, Clone, Copy)]
pub struct Poll<'a> {
    pub feed_url: &'a str,
    pub interval: Duration,
    pub floor: Duration,
    pub outcome: Outcome,
    pub hints: Hints,
}

/// The next time to poll.
pub fn next_poll(poll: &Poll<'_>, now: DateTime<Utc>) -> DateTime<Utc> {
    let floor = poll.floor.min(MAX_WAIT);
    let clamp = |d: Duration| d.clamp(floor, MAX_WAIT);
    let wait = match poll.outcome {
        Outcome::Success => {
            let expires = poll.hints.expires.and_then(|t| (t - now).to_std().ok());
            let asked = [poll.hints.ttl, poll.hints.max_age, expires]
                .into_iter()
                .flatten()
                .max()
                .unwrap_or_default();
            jittered(clamp(poll.interval.max(asked)), poll.feed_url, now)
        }
        Outcome::Failure { consecutive } => {
            let doublings = consecutive.saturating_sub(1).min(16);
            let backoff = FIRST_BACKOFF.saturating_mul(1 << doublings).min(MAX_WAIT);
            match poll.hints.retry_after {
                Some(asked) => clamp(asked.max(floor)),
                None => jittered(clamp(backoff), poll.feed_url, now),
            }
        }
    };
    now + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::hours(24))
}

/// `d` moved by up to ±10 %, the same for the same feed and minute.
fn jittered(d: Duration, feed_url: &str, now: DateTime<Utc>) -> Duration {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in feed_url.bytes().chain((now.timestamp() / 60).to_le_bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let per_mille = (h % 201) as f64 - 100.0; // -100..=100
    d.mul_f64(1.0 + per_mille / 1000.0).min(MAX_WAIT)
}

/// Whether the next fetch should drop its validators (ETag, Last-Modified).
pub fn unconditional_due(last_full_fetch: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    last_full_fetch.is_none_or(|t| (now - t).to_std().unwrap_or_default() >= UNCONDITIONAL_EVERY)
}

/// A delay in [0, spread) for the feed, so that feeds due at start-up are not all fetched in
/// the same second.
pub fn stagger(feed_url: &str, spread: Duration) -> Duration {
    let mut h: u64 = 0x100;
    for b in feed_url.bytes() {
        h = h.wrapping_mul(31).wrapping_add(u64::from(b));
    }
    let ms = spread.as_millis().max(1) as u64;
    Duration::from_millis(h % ms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 29, 12, 0, 0).unwrap()
    }

    fn poll(outcome: Outcome, hints: Hints) -> Poll<'static> {
        Poll {
            feed_url: "https://example.org/feed.xml",
            interval: Duration::from_secs(30 * 60),
            floor: Duration::from_secs(5 * 60),
            outcome,
            hints,
        }
    }

    fn wait(p: &Poll<'_>) -> Duration {
        (next_poll(p, now()) - now()).to_std().unwrap()
    }

    fn within(d: Duration, expected: Duration) -> bool {
        let e = expected.as_secs_f64();
        (d.as_secs_f64() - e).abs() <= e * 0.1 + 1.0
    }

    #[test]
    fn success_waits_the_interval_with_jitter() {
        assert!(within(
            wait(&poll(Outcome::Success, Hints::default())),
            Duration::from_secs(1800)
        ));
    }

    #[test]
    fn server_hints_lengthen_but_never_beyond_a_day() {
        let ttl = Hints {
            ttl: Some(Duration::from_secs(2 * 3600)),
            ..Hints::default()
        };
        assert!(within(
            wait(&poll(Outcome::Success, ttl)),
            Duration::from_secs(7200)
        ));
        let short = Hints {
            max_age: Some(Duration::from_secs(10)),
            ..Hints::default()
        };
        assert!(within(
            wait(&poll(Outcome::Success, short)),
            Duration::from_secs(1800)
        ));
        let far = Hints {
            expires: Some(now() + chrono::Duration::days(30)),
            ..Hints::default()
        };
        assert!(wait(&poll(Outcome::Success, far)) <= MAX_WAIT);
    }

    #[test]
    fn failures_back_off_doubling_to_a_day_and_never_stop() {
        let expected = [15u64, 30, 60, 120, 240, 480, 960, 1440, 1440, 1440];
        for (i, minutes) in expected.iter().enumerate() {
            let p = poll(
                Outcome::Failure {
                    consecutive: i as u32 + 1,
                },
                Hints::default(),
            );
            assert!(
                within(wait(&p), Duration::from_secs(minutes * 60)),
                "failure {}",
                i + 1
            );
        }
        let p = poll(Outcome::Failure { consecutive: 1000 }, Hints::default());
        assert!(wait(&p) <= MAX_WAIT);
    }

    #[test]
    fn retry_after_is_honoured_within_bounds() {
        let asked = Hints {
            retry_after: Some(Duration::from_secs(3 * 3600)),
            ..Hints::default()
        };
        assert_eq!(
            wait(&poll(Outcome::Failure { consecutive: 1 }, asked)),
            Duration::from_secs(3 * 3600)
        );
        let tiny = Hints {
            retry_after: Some(Duration::from_secs(1)),
            ..Hints::default()
        };
        assert_eq!(
            wait(&poll(Outcome::Failure { consecutive: 1 }, tiny)),
            Duration::from_secs(300)
        );
        let huge = Hints {
            retry_after: Some(Duration::from_secs(9 * 86_400)),
            ..Hints::default()
        };
        assert_eq!(
            wait(&poll(Outcome::Failure { consecutive: 1 }, huge)),
            MAX_WAIT
        );
    }

    #[test]
    fn unconditional_fetch_every_twelve_hours() {
        assert!(unconditional_due(None, now()));
        assert!(!unconditional_due(
            Some(now() - chrono::Duration::hours(11)),
            now()
        ));
        assert!(unconditional_due(
            Some(now() - chrono::Duration::hours(12)),
            now()
        ));
    }

    #[test]
    fn stagger_spreads_within_the_window() {
        let spread = Duration::from_secs(60);
        let delays: std::collections::HashSet<_> = (0..50)
            .map(|i| stagger(&format!("https://h/{i}"), spread))
            .collect();
        assert!(delays.len() > 40);
        assert!(delays.iter().all(|d| *d < spread));
    }
}
