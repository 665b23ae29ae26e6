//! Alerts: what a fired rule tells the user ([`Alert`], built purely from the rule, the item
//! and its extraction), and their delivery from the outbox to the sinks.

mod deliver;
pub mod sinks;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use deliver::{deliver_due, retry_delay, DeliveryReport};
pub use sinks::{SinkError, SinkSet};

use crate::extract::Extraction;
use crate::rules::{Rule, Verdict};

/// One alert, as stored in the outbox and sent to every channel (the webhook JSON payload).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    pub rule: String,
    pub severity: String,
    pub title: String,
    pub link: Option<String>,
    pub feed: String,
    pub published: Option<DateTime<Utc>>,
    /// Actor ids, most mentioned first.
    pub actors: Vec<String>,
    /// Topic ids, highest score first.
    pub topics: Vec<String>,
    /// The sentences that made the rule fire.
    pub evidence: Vec<String>,
    pub matched_at: DateTime<Utc>,
    /// Every feed that carried the story, oldest first (filled in at delivery).
    #[serde(default)]
    pub sources: Vec<Source>,
}

/// One feed that carried a story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub feed: String,
    pub link: Option<String>,
}

/// The item a rule fired on.
#[derive(Debug, Clone, Copy)]
pub struct AlertItem<'a> {
    pub title: Option<&'a str>,
    pub link: Option<&'a str>,
    pub feed: &'a str,
    pub published: Option<DateTime<Utc>>,
}

/// At most this many evidence sentences go into an alert.
const MAX_EVIDENCE: usize = 3;

/// Builds the alert for a fired rule.
pub fn build_alert(
    rule: &Rule,
    item: AlertItem<'_>,
    extraction: &Extraction,
    verdict: &Verdict,
    now: DateTime<Utc>,
) -> Alert {
    // The normalised title: feed titles may carry markup and entities.
    let title = extraction
        .title
        .clone()
        .or_else(|| item.title.map(str::to_string))
        .or_else(|| extraction.sentences.first().cloned())
        .unwrap_or_else(|| "(untitled item)".to_string());
    Alert {
        rule: rule.name.clone(),
        severity: rule.severity.as_str().to_string(),
        title,
        link: item.link.map(str::to_string),
        feed: item.feed.to_string(),
        published: item.published,
        actors: extraction.actors.iter().map(|a| a.id.clone()).collect(),
        topics: extraction.topics.iter().map(|t| t.id.clone()).collect(),
        evidence: verdict
            .evidence
            .iter()
            .filter_map(|&i| extraction.sentences.get(i).cloned())
            .take(MAX_EVIDENCE)
            .collect(),
        matched_at: now,
        sources: vec![Source {
            feed: item.feed.to_string(),
            link: item.link.map(str::to_string),
        }],
    }
}

impl Alert {
    /// One line for terminals and logs.
    pub fn one_line(&self) -> String {
        format!(
            "[{}] {}: {} ({}{})",
            self.severity,
            self.rule,
            self.title,
            self.feed,
            self.link
                .as_deref()
                .map(|l| format!(", {l}"))
                .unwrap_or_default()
        )
    }

    /// A short body: actors, topics and the first evidence sentence.
    pub fn summary(&self) -> String {
        let mut body = String::new();
        if !self.actors.is_empty() {
            body.push_str(&format!("Actors: {}\n", self.actors.join(", ")));
        }
        if !self.topics.is_empty() {
            body.push_str(&format!("Topics: {}\n", self.topics.join(", ")));
        }
        if let Some(first) = self.evidence.first() {
            body.push_str(first);
            body.push('\n');
        }
        let feeds: Vec<&str> = self.sources.iter().map(|s| s.feed.as_str()).collect();
        if feeds.len() > 1 {
            body.push_str(&format!("Sources: {}", feeds.join(", ")));
        } else {
            body.push_str(&format!("Source: {}", self.feed));
        }
        body
    }
}
