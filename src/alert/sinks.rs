//! The sinks alerts are delivered to: the log, a JSON Lines file, desktop notifications and
//! webhooks (generic JSON or the Slack, Discord, ntfy and Matrix shapes). Feed text is
//! escaped wherever a receiver interprets markup.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use super::Alert;
use crate::config::{Sinks, Webhook, WebhookPreset};

/// Why a delivery failed.
#[derive(Debug, thiserror::Error)]
pub enum SinkError {
    #[error("cannot append to {path}: {source}")]
    Jsonl {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "desktop notification failed: {0}; is a notification server running on the session D-Bus?"
    )]
    Desktop(String),
    #[error("webhook `{name}` failed: {message}")]
    Webhook { name: String, message: String },
    #[error("no sink is configured for channel `{0}`; check the rule's actions")]
    UnknownChannel(String),
}

/// The configured sinks, ready to deliver.
#[derive(Clone)]
pub struct SinkSet {
    sinks: Sinks,
    client: reqwest::Client,
}

impl SinkSet {
    /// Sinks from the config.
    pub fn new(sinks: &Sinks) -> SinkSet {
        let client = reqwest::Client::builder()
            .user_agent(crate::fetch::USER_AGENT)
            .timeout(Duration::from_secs(15))
            .build()
            .unwrap_or_default();
        SinkSet {
            sinks: sinks.clone(),
            client,
        }
    }

    /// Delivers one alert to one channel.
    /// `key` identifies the alert across retries (receivers can drop repeats by it).
    pub async fn deliver(&self, channel: &str, alert: &Alert, key: &str) -> Result<(), SinkError> {
        match channel {
            "log" => {
                tracing::warn!(
                    target: "wirewatch::alert",
                    rule = %alert.rule,
                    severity = %alert.severity,
                    feed = %alert.feed,
                    link = alert.link.as_deref().unwrap_or(""),
                    "alert: {}",
                    alert.title
                );
                Ok(())
            }
            "jsonl" => self.append_jsonl(alert),
            "desktop" => desktop(alert).await,
            other => match other.strip_prefix("webhook:") {
                Some(name) => {
                    let hook = self
                        .sinks
                        .webhooks
                        .iter()
                        .find(|w| w.name == name)
                        .ok_or_else(|| SinkError::UnknownChannel(other.to_string()))?;
                    self.post_webhook(hook, alert, key).await
                }
                None => Err(SinkError::UnknownChannel(other.to_string())),
            },
        }
    }

    fn append_jsonl(&self, alert: &Alert) -> Result<(), SinkError> {
        let path = self
            .sinks
            .jsonl
            .clone()
            .ok_or_else(|| SinkError::UnknownChannel("jsonl".into()))?;
        let error = |source| SinkError::Jsonl {
            path: path.clone(),
            source,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(error)?;
        }
        let mut line = serde_json::to_string(alert).expect("alerts serialise");
        line.push('\n');
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(error)?;
        // One write per line: O_APPEND keeps concurrent lines whole.
        file.write_all(line.as_bytes()).map_err(error)
    }

    async fn post_webhook(
        &self,
        hook: &Webhook,
        alert: &Alert,
        key: &str,
    ) -> Result<(), SinkError> {
        let json = |value: serde_json::Value| serde_json::to_vec(&value).expect("json serialises");
        let body: Vec<u8> = match hook.preset {
            WebhookPreset::Generic => serde_json::to_vec(alert).expect("alerts serialise"),
            WebhookPreset::Slack => json(serde_json::json!({ "text": chat_text(alert) })),
            WebhookPreset::Discord => {
                json(serde_json::json!({ "content": truncate(&chat_text(alert), 1900) }))
            }
            WebhookPreset::Matrix => json(serde_json::json!({
                "msgtype": "m.text",
                "body": chat_text(alert),
            })),
            WebhookPreset::Ntfy => alert.summary().into_bytes(),
        };
        let mut request = self
            .client
            .post(hook.url.clone())
            .header("Idempotency-Key", key)
            .header("X-Wirewatch-Alert-Id", key);
        if hook.preset == WebhookPreset::Ntfy {
            let priority = match alert.severity.as_str() {
                "critical" => "5",
                "warning" => "4",
                _ => "3",
            };
            request = request
                .header(
                    "Title",
                    header_safe(&format!("{}: {}", alert.rule, alert.title)),
                )
                .header("Priority", priority)
                .header("Content-Type", "text/plain; charset=utf-8");
            if let Some(link) = &alert.link {
                request = request.header("Click", header_safe(link));
            }
        } else {
            request = request.header("Content-Type", "application/json");
        }
        if let Some(secret) = &hook.secret {
            request = request.header("X-Wirewatch-Signature", signature(secret, &body));
        }
        request = request.body(body);
        for (name, value) in &hook.headers {
            request = request.header(name, value);
        }
        let failed = |message: String| SinkError::Webhook {
            name: hook.name.clone(),
            message,
        };
        let response = request.send().await.map_err(|e| failed(e.to_string()))?;
        if response.status().is_success() {
            Ok(())
        } else {
            Err(failed(format!("receiver answered {}", response.status())))
        }
    }
}

/// `sha256=HEX`: the HMAC-SHA256 of the body under the shared secret.
pub fn signature(secret: &str, body: &[u8]) -> String {
    use hmac::Mac;
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes())
        .expect("HMAC takes keys of any length");
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

/// Chat text: plain, so that Slack or Matrix markup in a feed title does nothing.
fn chat_text(alert: &Alert) -> String {
    let neutral = |s: &str| s.replace(['<', '>', '&'], " ");
    let mut text = format!(
        "[{}] {}: {}",
        alert.severity,
        alert.rule,
        neutral(&alert.title)
    );
    if let Some(link) = &alert.link {
        text.push_str(&format!("\n{}", neutral(link)));
    }
    text.push('\n');
    text.push_str(&neutral(&alert.summary()));
    text
}

fn truncate(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

/// Header values cannot hold control characters or non-visible bytes.
fn header_safe(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .filter(char::is_ascii)
        .collect()
}

async fn desktop(alert: &Alert) -> Result<(), SinkError> {
    let summary = html_escape::encode_text(&format!("{}: {}", alert.rule, alert.title)).to_string();
    // Notification servers interpret a little HTML in bodies: escape all feed text.
    let body = html_escape::encode_text(&alert.summary()).to_string();
    let urgency = match alert.severity.as_str() {
        "critical" => notify_rust::Urgency::Critical,
        "warning" => notify_rust::Urgency::Normal,
        _ => notify_rust::Urgency::Low,
    };
    let result = tokio::task::spawn_blocking(move || {
        notify_rust::Notification::new()
            .appname("wirewatch")
            .summary(&summary)
            .body(&body)
            .urgency(urgency)
            .show()
            .map(|_| ())
            .map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| SinkError::Desktop(e.to_string()))?;
    result.map_err(SinkError::Desktop)
}
