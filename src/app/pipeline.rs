//! The pure middle of a poll: a fetched-and-parsed feed plus what the store already knows
//! in, the new and updated items (normalised, extracted, matched, alerts built) out.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use crate::alert::{build_alert, AlertItem};
use crate::config::{Config, Feed};
use crate::extract::Extraction;
use crate::identity::{content_hash, item_key};
use crate::normalize::{self, Document};
use crate::parse::{FeedItem, ParsedFeed};
use crate::rules::{evaluate, Action, ItemContext};
use crate::store::{NewItem, NewMatch, UpdatedItem};

/// The identity key of each item, first occurrence of a repeated key only.
pub fn keyed_items(parsed: &ParsedFeed) -> Vec<(String, &FeedItem)> {
    let mut seen = HashSet::new();
    parsed
        .items
        .iter()
        .map(|item| {
            let key = item_key(
                item.guid.as_deref(),
                item.link.as_deref(),
                item.title.as_deref(),
                &item.content,
            );
            (key, item)
        })
        .filter(|(key, _)| seen.insert(key.clone()))
        .collect()
}

/// The document of an item: its title as the first paragraph, then its content.
pub fn document_of(item: &FeedItem) -> Document {
    let title = item
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let body = match title {
        None => item.content.clone(),
        Some(title) if normalize::looks_like_html(&item.content) => {
            format!("<p>{}</p>{}", html_escape::encode_text(title), item.content)
        }
        Some(title) => format!("{title}\n{}", item.content),
    };
    normalize::normalize(title, &body)
}

/// New and changed items of one poll, with extractions and matches.
pub fn plan_items(
    config: &Config,
    feed: &Feed,
    keyed: &[(String, &FeedItem)],
    known: &HashMap<String, String>,
    now: DateTime<Utc>,
) -> (Vec<NewItem>, Vec<UpdatedItem>) {
    let mut new_items = Vec::new();
    let mut updated = Vec::new();
    for (key, item) in keyed {
        let hash = content_hash(item.title.as_deref(), &item.content);
        match known.get(key) {
            Some(stored) if stored == &hash || stored.is_empty() => continue,
            Some(_) => {
                let extraction = config.extractor.extract(&document_of(item));
                updated.push(UpdatedItem {
                    key: key.clone(),
                    content_hash: hash,
                    title: item.title.clone(),
                    content: item.content.clone(),
                    extraction_json: serde_json::to_string(&extraction).expect("serialises"),
                });
            }
            None => {
                let doc = document_of(item);
                let extraction = config.extractor.extract(&doc);
                let signature =
                    crate::story::signature(item.title.as_deref().unwrap_or(""), &doc.text);
                let matches = match_rules(config, feed, item, &extraction, now);
                new_items.push(NewItem {
                    key: key.clone(),
                    content_hash: hash,
                    guid: item.guid.clone(),
                    link: item.link.clone(),
                    title: item.title.clone(),
                    content: item.content.clone(),
                    published: item.published,
                    extraction_json: serde_json::to_string(&extraction).expect("serialises"),
                    signature,
                    actor_counts: extraction
                        .actors
                        .iter()
                        .map(|a| (a.id.clone(), a.count as u32))
                        .collect(),
                    actor_pairs: actor_pairs(&extraction),
                    matches,
                });
            }
        }
    }
    (new_items, updated)
}

/// Actor pairs ("CHN+RUS", ids in order) that share a sentence with a topic, not negated.
pub fn actor_pairs(extraction: &Extraction) -> Vec<String> {
    let mut pairs: Vec<String> = extraction
        .relations
        .iter()
        .filter(|r| !r.negated)
        .map(|r| {
            let (a, b) = if r.source <= r.target {
                (&r.source, &r.target)
            } else {
                (&r.target, &r.source)
            };
            format!("{a}+{b}")
        })
        .collect();
    pairs.sort();
    pairs.dedup();
    pairs
}

/// Every rule that fires on the item, with the alert for each of its channels.
pub fn match_rules(
    config: &Config,
    feed: &Feed,
    item: &FeedItem,
    extraction: &Extraction,
    now: DateTime<Utc>,
) -> Vec<NewMatch> {
    let context = ItemContext {
        extraction,
        feed: &feed.name,
        tags: &feed.tags,
    };
    let mut matches = Vec::new();
    for rule in config
        .rules
        .iter()
        .filter(|r| r.applies_to(&feed.name, &feed.tags))
    {
        let verdict = evaluate(&rule.expr, &context);
        if !verdict.fired {
            continue;
        }
        let alert = build_alert(
            rule,
            AlertItem {
                title: item.title.as_deref(),
                link: item.link.as_deref(),
                feed: &feed.name,
                published: item.published,
            },
            extraction,
            &verdict,
            now,
        );
        let payload = serde_json::to_string(&alert).expect("alerts serialise");
        let local = now.with_timezone(&config.digest.timezone).time();
        let deliveries = if rule.is_quiet_at(local) {
            Vec::new()
        } else {
            rule.actions
                .iter()
                .filter(|a| **a != Action::DigestOnly)
                .map(|a| (a.channel(), payload.clone()))
                .collect()
        };
        let evidence: Vec<&String> = verdict
            .evidence
            .iter()
            .filter_map(|&i| extraction.sentences.get(i))
            .collect();
        matches.push(NewMatch {
            rule: rule.name.clone(),
            severity: rule.severity.as_str().to_string(),
            evidence_json: serde_json::to_string(&evidence).expect("serialises"),
            cooldown: rule.cooldown,
            deliveries,
        });
    }
    matches
}
