//! Draining the outbox: every due alert is sent to its channel; a failure is recorded and
//! retried later with exponential backoff, across restarts, until it goes through.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::{Alert, SinkSet, Source};
use crate::config::Alerts;
use crate::store::{Store, StoreError};

/// What one pass over the outbox did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeliveryReport {
    /// Alerts delivered, with their channel.
    pub delivered: Vec<(String, Alert)>,
    /// (channel, error) of failed attempts.
    pub failed: Vec<(String, String)>,
}

/// How long to wait before the next attempt after `attempts` failures: `base` doubling up
/// to `max`, plus up to 20 % jitter derived from the entry so retries spread out.
pub fn retry_delay(attempts: u32, entry_id: i64, base: Duration, max: Duration) -> Duration {
    let delay = base.saturating_mul(1u32 << attempts.min(16)).min(max);
    let jitter_per_mille = entry_id.unsigned_abs().wrapping_mul(2_654_435_761) % 1000;
    delay + delay.mul_f64(jitter_per_mille as f64 / 5000.0)
}

/// Delivers every outbox entry due at `now`.
pub async fn deliver_due(
    store: &Store,
    sinks: &SinkSet,
    settings: &Alerts,
    now: DateTime<Utc>,
) -> Result<DeliveryReport, StoreError> {
    let mut report = DeliveryReport::default();
    loop {
        let due = store.due_outbox(now, 100)?;
        if due.is_empty() {
            break;
        }
        for entry in due {
            let mut alert: Alert = match serde_json::from_str(&entry.payload) {
                Ok(alert) => alert,
                Err(e) => {
                    // Unreadable payloads cannot get better: park them far out, loudly.
                    let error = format!("unreadable alert payload: {e}");
                    tracing::error!(outbox_id = entry.id, %error, "dropping alert");
                    store.mark_failed(entry.id, &error, now + chrono::Duration::days(3650))?;
                    report.failed.push((entry.channel, error));
                    continue;
                }
            };
            let sources = store.sources_of_match(entry.match_id)?;
            if !sources.is_empty() {
                alert.sources = sources
                    .into_iter()
                    .map(|(feed, link)| Source { feed, link })
                    .collect();
            }
            let key = format!("wirewatch-{}", entry.match_id);
            match sinks.deliver(&entry.channel, &alert, &key).await {
                Ok(()) => {
                    store.mark_delivered(entry.id, Utc::now().max(now))?;
                    crate::metrics::metrics().alert_attempt(&entry.channel, true);
                    report.delivered.push((entry.channel, alert));
                }
                Err(error) => {
                    crate::metrics::metrics().alert_attempt(&entry.channel, false);
                    let delay = retry_delay(
                        entry.attempts,
                        entry.id,
                        settings.retry_base,
                        settings.retry_max,
                    );
                    let retry_at = now + chrono::Duration::from_std(delay).unwrap_or_default();
                    tracing::warn!(channel = %entry.channel, rule = %alert.rule, %error,
                        retry_in_s = delay.as_secs(), "alert delivery failed");
                    store.mark_failed(entry.id, &error.to_string(), retry_at)?;
                    report.failed.push((entry.channel, error.to_string()));
                }
            }
        }
    }
    crate::metrics::metrics().outbox_depth.store(
        store.outbox_depth()? as u64,
        std::sync::atomic::Ordering::Relaxed,
    );
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        let (base, max) = (Duration::from_secs(30), Duration::from_secs(3600));
        assert!(retry_delay(0, 1, base, max) >= Duration::from_secs(30));
        assert!(retry_delay(1, 1, base, max) >= Duration::from_secs(60));
        assert!(retry_delay(20, 1, base, max) <= Duration::from_secs(3600 + 720));
    }
}
