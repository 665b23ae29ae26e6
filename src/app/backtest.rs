//! Backtests: a rule run over the items already in the store, to see what it would have
//! caught before trusting it with alerts.

use chrono::{DateTime, Utc};

use super::pipeline::document_of;
use crate::config::Config;
use crate::parse::FeedItem;
use crate::rules::{evaluate, ItemContext, Rule};
use crate::store::{Store, StoreError, StoredItem};

/// One item the rule would have fired on.
#[derive(Debug, Clone, PartialEq)]
pub struct BacktestHit {
    pub item: StoredItem,
    /// The first evidence sentence.
    pub evidence: Option<String>,
}

/// What a backtest found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BacktestReport {
    pub items_checked: usize,
    pub hits: Vec<BacktestHit>,
    /// Distinct stories among the hits (one alert each).
    pub stories: usize,
}

/// Runs `rule` over every item stored since `since`; `progress` is called with (done, total).
pub fn backtest(
    config: &Config,
    store: &Store,
    rule: &Rule,
    since: DateTime<Utc>,
    mut progress: impl FnMut(usize, usize),
) -> Result<BacktestReport, StoreError> {
    let items = store.items_since(since)?;
    let mut report = BacktestReport {
        items_checked: items.len(),
        ..BacktestReport::default()
    };
    let mut stories = std::collections::HashSet::new();
    let total = items.len();
    for (done, item) in items.into_iter().enumerate() {
        progress(done, total);
        let Some(feed) = config.feed_named(&item.feed) else {
            // Items of feeds no longer configured are still judged, without tags.
            if !rule.feeds.is_empty() || !rule.tags.is_empty() {
                continue;
            }
            if let Some(hit) = judge(config, rule, &item, &[]) {
                stories.insert(item.story_id);
                report.hits.push(hit);
            }
            continue;
        };
        if !rule.applies_to(&feed.name, &feed.tags) {
            continue;
        }
        if let Some(hit) = judge(config, rule, &item, &feed.tags) {
            stories.insert(item.story_id);
            report.hits.push(hit);
        }
    }
    progress(total, total);
    report.stories = stories.len();
    Ok(report)
}

fn judge(config: &Config, rule: &Rule, item: &StoredItem, tags: &[String]) -> Option<BacktestHit> {
    let feed_item = FeedItem {
        guid: item.guid.clone(),
        link: item.link.clone(),
        title: item.title.clone(),
        content: item.content.clone(),
        published: None,
        authors: Vec::new(),
    };
    let extraction = config.extractor.extract(&document_of(&feed_item));
    let verdict = evaluate(
        &rule.expr,
        &ItemContext {
            extraction: &extraction,
            feed: &item.feed,
            tags,
        },
    );
    verdict.fired.then(|| BacktestHit {
        item: item.clone(),
        evidence: verdict
            .evidence
            .first()
            .and_then(|&i| extraction.sentences.get(i).cloned()),
    })
}
