//! What a digest says, built purely from the store's rows for its window and the counts of
//! the windows before it: per rule its stories (near-duplicates folded, ranked), notable
//! stories no rule caught, what changed against the previous week, and the histories the
//! charts draw.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};

use super::DigestWindow;
use crate::extract::Extraction;
use crate::store::{DigestRow, WindowCounts};

/// Days of history drawn in the sparklines (today included).
pub const HISTORY_DAYS: usize = 14;
/// Days the "what changed" comparison averages over.
const BASELINE_DAYS: usize = 7;

/// One story of the day: the items that told it, folded.
#[derive(Debug, Clone, PartialEq)]
pub struct Story {
    pub title: String,
    /// Only http(s) links are kept.
    pub link: Option<String>,
    pub sources: Vec<String>,
    pub first_seen: DateTime<Utc>,
    pub actors: Vec<String>,
    pub topics: Vec<String>,
    pub key_sentence: Option<String>,
    /// Best topic score, for ranking notable stories.
    pub weight: f64,
}

/// A rule's section.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSection {
    pub name: String,
    pub severity: String,
    pub stories: Vec<Story>,
    /// Stories per day, oldest first, today last.
    pub history: Vec<u32>,
}

/// An actor or actor pair whose mentions moved.
#[derive(Debug, Clone, PartialEq)]
pub struct Trend {
    pub label: String,
    pub today: u32,
    /// Average per day over the previous week.
    pub average: f64,
    pub history: Vec<u32>,
}

/// Everything a digest shows.
#[derive(Debug, Clone, PartialEq)]
pub struct DigestData {
    pub window: DigestWindow,
    pub timezone: String,
    pub items: u32,
    pub feeds: u32,
    pub feeds_failing: u32,
    pub rules: Vec<RuleSection>,
    pub notable: Vec<Story>,
    pub rising_actors: Vec<Trend>,
    pub rising_pairs: Vec<Trend>,
    /// The most mentioned actors of the day, with their history.
    pub top_actors: Vec<Trend>,
}

/// An item with the evidence JSON of one rule's match (empty for no rule).
type Matched<'p, 'r> = (&'p Parsed<'r>, &'p str);

struct Parsed<'a> {
    row: &'a DigestRow,
    extraction: Option<Extraction>,
}

/// Builds the digest. `history` holds the counts of the [`HISTORY_DAYS`] windows ending with
/// this one (oldest first); `names` maps actor ids to names.
pub fn build(
    window: DigestWindow,
    timezone: &str,
    rows: &[DigestRow],
    history: &[WindowCounts],
    names: &HashMap<String, String>,
) -> DigestData {
    let parsed: Vec<Parsed<'_>> = rows
        .iter()
        .map(|row| Parsed {
            row,
            extraction: row
                .extraction_json
                .as_deref()
                .and_then(|j| serde_json::from_str(j).ok()),
        })
        .collect();
    let today = history.last().cloned().unwrap_or_default();
    let name_of = |id: &str| names.get(id).cloned().unwrap_or_else(|| id.to_string());

    // Rules: their matched items folded into stories, ranked by sources then time.
    let mut by_rule: BTreeMap<&str, (String, Vec<Matched<'_, '_>>)> = BTreeMap::new();
    for p in &parsed {
        for (rule, severity, evidence) in &p.row.matches {
            let entry = by_rule
                .entry(rule)
                .or_insert_with(|| (severity.clone(), Vec::new()));
            entry.1.push((p, evidence));
        }
    }
    let mut rules: Vec<RuleSection> = by_rule
        .into_iter()
        .map(|(name, (severity, matched))| RuleSection {
            name: name.to_string(),
            severity,
            stories: fold_stories(&matched, &name_of),
            history: history
                .iter()
                .map(|h| h.rule_stories.get(name).copied().unwrap_or(0))
                .collect(),
        })
        .collect();
    rules.sort_by_key(|r| {
        (
            severity_rank(&r.severity),
            std::cmp::Reverse(r.stories.len()),
        )
    });

    // Notable: stories no rule caught, with a strong topic.
    let unmatched: Vec<(&Parsed<'_>, &str)> = parsed
        .iter()
        .filter(|p| p.row.matches.is_empty())
        .map(|p| (p, ""))
        .collect();
    let mut notable: Vec<Story> = fold_stories(&unmatched, &name_of)
        .into_iter()
        .filter(|s| s.weight >= 0.7)
        .collect();
    notable.sort_by(|a, b| {
        b.weight
            .total_cmp(&a.weight)
            .then(b.sources.len().cmp(&a.sources.len()))
    });
    notable.truncate(10);

    let previous = &history[..history.len().saturating_sub(1)];
    let baseline = &previous[previous.len().saturating_sub(BASELINE_DAYS)..];
    let trend = |label: String, today: u32, series: Vec<u32>| {
        let average = if baseline.is_empty() {
            0.0
        } else {
            series[series.len().saturating_sub(baseline.len() + 1)..series.len() - 1]
                .iter()
                .sum::<u32>() as f64
                / baseline.len() as f64
        };
        Trend {
            label,
            today,
            average,
            history: series,
        }
    };
    let actor_series = |id: &str| -> Vec<u32> {
        history
            .iter()
            .map(|h| h.actor_mentions.get(id).copied().unwrap_or(0))
            .collect()
    };
    let mut top: Vec<(&String, &u32)> = today.actor_mentions.iter().collect();
    top.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let top_actors: Vec<Trend> = top
        .iter()
        .take(8)
        .map(|(id, n)| trend(name_of(id), **n, actor_series(id)))
        .collect();
    // Nothing is "rising" without a week of history to rise from.
    let has_baseline = baseline.iter().any(|h| h.items > 0);
    let rising = |trends: Vec<Trend>| -> Vec<Trend> {
        if !has_baseline {
            return Vec::new();
        }
        let mut rising: Vec<Trend> = trends
            .into_iter()
            .filter(|t| t.today >= 3 && f64::from(t.today) >= 2.0 * t.average.max(1.0))
            .collect();
        rising.sort_by(|a, b| {
            (f64::from(b.today) - b.average).total_cmp(&(f64::from(a.today) - a.average))
        });
        rising.truncate(5);
        rising
    };
    let rising_actors = rising(
        today
            .actor_mentions
            .iter()
            .map(|(id, n)| trend(name_of(id), *n, actor_series(id)))
            .collect(),
    );
    let rising_pairs = rising(
        today
            .pairs
            .iter()
            .map(|(pair, n)| {
                let label = pair.split('+').map(name_of).collect::<Vec<_>>().join(" – ");
                let series = history
                    .iter()
                    .map(|h| h.pairs.get(pair).copied().unwrap_or(0))
                    .collect();
                trend(label, *n, series)
            })
            .collect(),
    );
    DigestData {
        window,
        timezone: timezone.to_string(),
        items: today.items.max(rows.len() as u32),
        feeds: today.feeds,
        feeds_failing: today.feeds_failing,
        rules,
        notable,
        rising_actors,
        rising_pairs,
        top_actors,
    }
}

fn severity_rank(severity: &str) -> u8 {
    match severity {
        "critical" => 0,
        "warning" => 1,
        _ => 2,
    }
}

/// Items grouped by story (an item without one is its own), oldest item first.
fn fold_stories(matched: &[(&Parsed<'_>, &str)], name_of: &impl Fn(&str) -> String) -> Vec<Story> {
    let mut order: Vec<i64> = Vec::new();
    let mut groups: HashMap<i64, Vec<(&Parsed<'_>, &str)>> = HashMap::new();
    for (p, evidence) in matched {
        let key = p.row.story_id.unwrap_or(-p.row.item_id);
        if !groups.contains_key(&key) {
            order.push(key);
        }
        groups.entry(key).or_default().push((p, evidence));
    }
    let mut stories: Vec<Story> = order
        .into_iter()
        .map(|key| {
            let mut items = groups.remove(&key).unwrap_or_default();
            items.sort_by_key(|(p, _)| p.row.first_seen);
            story_of(&items, name_of)
        })
        .collect();
    stories.sort_by(|a, b| {
        b.sources
            .len()
            .cmp(&a.sources.len())
            .then(a.first_seen.cmp(&b.first_seen))
    });
    stories
}

fn story_of(items: &[(&Parsed<'_>, &str)], name_of: &impl Fn(&str) -> String) -> Story {
    let (first, evidence) = items[0];
    let x = first.extraction.as_ref();
    let title = x
        .and_then(|x| x.title.clone())
        .or_else(|| first.row.title.clone())
        .unwrap_or_else(|| "(untitled)".to_string());
    let mut sources: Vec<String> = Vec::new();
    for (p, _) in items {
        if !sources.contains(&p.row.feed) {
            sources.push(p.row.feed.clone());
        }
    }
    // The key sentence: the rule's first evidence that is not the title again, else the
    // best topic's evidence.
    let from_rule = serde_json::from_str::<Vec<String>>(evidence)
        .ok()
        .and_then(|e| e.into_iter().find(|s| s.trim() != title.trim()));
    let from_topic = x.and_then(|x| {
        let topic = x.topics.first()?;
        topic
            .evidence
            .iter()
            .filter_map(|&i| x.sentences.get(i))
            .find(|s| s.trim() != title.trim())
            .cloned()
    });
    Story {
        title: title.clone(),
        link: first.row.link.clone().filter(|l| is_web_link(l)),
        sources,
        first_seen: first.row.first_seen,
        actors: x.map_or_else(Vec::new, |x| {
            x.actors.iter().take(8).map(|a| name_of(&a.id)).collect()
        }),
        topics: x.map_or_else(Vec::new, |x| {
            x.topics.iter().take(6).map(|t| t.id.clone()).collect()
        }),
        key_sentence: from_rule.or(from_topic),
        weight: x.and_then(|x| x.topics.first()).map_or(0.0, |t| t.score),
    }
}

/// Whether a link may be shown: absolute http(s) only.
pub fn is_web_link(link: &str) -> bool {
    url::Url::parse(link).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
}
