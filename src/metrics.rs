//! Process metrics, rendered in the Prometheus text format for `/metrics`: polls, errors by
//! kind, items, matches, alerts by channel and result, outbox depth, poll durations.
//!
//! One registry per process (like Prometheus client libraries), updated by the stages with
//! atomic counters; rendering is pure.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

/// Upper bounds (seconds) of the poll-duration histogram buckets.
const BUCKETS: [f64; 10] = [0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0];

/// Every metric wirewatch exports.
#[derive(Debug, Default)]
pub struct Metrics {
    pub polls: AtomicU64,
    pub items: AtomicU64,
    pub matches: AtomicU64,
    pub outbox_depth: AtomicU64,
    /// Unix time of the last finished poll, 0 before the first.
    pub last_poll_unix: AtomicI64,
    errors: Mutex<BTreeMap<String, u64>>,
    alerts: Mutex<BTreeMap<(String, String), u64>>,
    durations: Mutex<Histogram>,
}

#[derive(Debug, Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

/// The process's registry.
pub fn metrics() -> &'static Metrics {
    static METRICS: OnceLock<Metrics> = OnceLock::new();
    METRICS.get_or_init(Metrics::default)
}

impl Metrics {
    /// Counts a finished poll of one feed.
    pub fn poll_finished(&self, took: Duration, error_kind: Option<&str>, now_unix: i64) {
        self.polls.fetch_add(1, Ordering::Relaxed);
        self.last_poll_unix.store(now_unix, Ordering::Relaxed);
        if let Some(kind) = error_kind {
            *lock(&self.errors).entry(kind.to_string()).or_default() += 1;
        }
        let secs = took.as_secs_f64();
        let mut h = lock(&self.durations);
        for (i, bound) in BUCKETS.iter().enumerate() {
            if secs <= *bound {
                h.counts[i] += 1;
            }
        }
        h.count += 1;
        h.sum += secs;
    }

    /// Counts one delivery attempt.
    pub fn alert_attempt(&self, channel: &str, delivered: bool) {
        let result = if delivered { "delivered" } else { "failed" };
        *lock(&self.alerts)
            .entry((channel.to_string(), result.to_string()))
            .or_default() += 1;
    }

    /// The Prometheus text exposition of every metric.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let counter = |out: &mut String, name: &str, help: &str, value: u64| {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}"
            );
        };
        counter(
            &mut out,
            "wirewatch_polls_total",
            "Feed polls finished.",
            self.polls.load(Ordering::Relaxed),
        );
        counter(
            &mut out,
            "wirewatch_items_total",
            "New items stored.",
            self.items.load(Ordering::Relaxed),
        );
        counter(
            &mut out,
            "wirewatch_matches_total",
            "Rule matches stored.",
            self.matches.load(Ordering::Relaxed),
        );
        let _ = writeln!(out, "# HELP wirewatch_poll_errors_total Failed polls by kind.\n# TYPE wirewatch_poll_errors_total counter");
        for (kind, n) in lock(&self.errors).iter() {
            let _ = writeln!(
                out,
                "wirewatch_poll_errors_total{{kind=\"{}\"}} {n}",
                label(kind)
            );
        }
        let _ = writeln!(out, "# HELP wirewatch_alerts_total Alert delivery attempts by channel and result.\n# TYPE wirewatch_alerts_total counter");
        for ((channel, result), n) in lock(&self.alerts).iter() {
            let _ = writeln!(
                out,
                "wirewatch_alerts_total{{channel=\"{}\",result=\"{}\"}} {n}",
                label(channel),
                label(result)
            );
        }
        let _ = writeln!(
            out,
            "# HELP wirewatch_outbox_depth Alerts waiting for delivery.\n# TYPE wirewatch_outbox_depth gauge\nwirewatch_outbox_depth {}",
            self.outbox_depth.load(Ordering::Relaxed)
        );
        let _ = writeln!(
            out,
            "# HELP wirewatch_last_poll_timestamp_seconds Unix time of the last finished poll.\n# TYPE wirewatch_last_poll_timestamp_seconds gauge\nwirewatch_last_poll_timestamp_seconds {}",
            self.last_poll_unix.load(Ordering::Relaxed)
        );
        let h = lock(&self.durations);
        let _ = writeln!(out, "# HELP wirewatch_poll_duration_seconds Time to fetch, parse, extract, match and store one feed.\n# TYPE wirewatch_poll_duration_seconds histogram");
        for (i, bound) in BUCKETS.iter().enumerate() {
            let _ = writeln!(
                out,
                "wirewatch_poll_duration_seconds_bucket{{le=\"{bound}\"}} {}",
                h.counts[i]
            );
        }
        let _ = writeln!(
            out,
            "wirewatch_poll_duration_seconds_bucket{{le=\"+Inf\"}} {}",
            h.count
        );
        let _ = writeln!(out, "wirewatch_poll_duration_seconds_sum {}", h.sum);
        let _ = writeln!(out, "wirewatch_poll_duration_seconds_count {}", h.count);
        out
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding a metrics lock must not take the metrics down with it.
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A label value with `\`, `"` and newlines escaped as the text format requires.
fn label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_labels_and_histogram() {
        let m = Metrics::default();
        m.poll_finished(
            Duration::from_millis(200),
            Some("http_status"),
            1_700_000_000,
        );
        m.alert_attempt("webhook:ops", true);
        m.alert_attempt("webhook:o\"ps", false);
        let text = m.render();
        assert!(text.contains("wirewatch_polls_total 1\n"));
        assert!(text.contains("wirewatch_poll_errors_total{kind=\"http_status\"} 1\n"));
        assert!(text
            .contains("wirewatch_alerts_total{channel=\"webhook:ops\",result=\"delivered\"} 1\n"));
        assert!(text.contains("channel=\"webhook:o\\\"ps\""));
        assert!(text.contains("wirewatch_poll_duration_seconds_bucket{le=\"0.25\"} 1\n"));
        assert!(text.contains("wirewatch_poll_duration_seconds_bucket{le=\"0.1\"} 0\n"));
        assert!(text.contains("wirewatch_poll_duration_seconds_count 1\n"));
    }
}
