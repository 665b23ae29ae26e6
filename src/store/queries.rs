//! The SQL behind [`super::Store`], one function per statement group.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::{parse_timestamp, timestamp, NewItem, NewMatch, StoreError, StoryParams, UpdatedItem};
use crate::story::Signature;

/// An alert waiting in the outbox.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxEntry {
    pub id: i64,
    pub match_id: i64,
    pub channel: String,
    pub payload: String,
    pub attempts: u32,
}

/// One feed's row for `wirewatch status`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FeedStatus {
    pub name: String,
    pub url: String,
    pub items: u64,
    pub last_success: Option<String>,
    pub last_error: Option<String>,
    pub consecutive_failures: u32,
    pub next_poll: Option<String>,
}

/// A stored item, for backtests.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredItem {
    pub feed: String,
    pub guid: Option<String>,
    pub link: Option<String>,
    pub title: Option<String>,
    pub content: String,
    pub first_seen: DateTime<Utc>,
    pub story_id: Option<i64>,
}

pub(super) fn items_since(
    conn: &Connection,
    since: DateTime<Utc>,
) -> Result<Vec<StoredItem>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT f.name, i.guid, i.link, i.title, i.content, i.first_seen, i.story_id
         FROM items i JOIN feeds f ON f.id = i.feed_id
         WHERE i.first_seen >= ?1 ORDER BY i.first_seen, i.id",
    )?;
    let rows = stmt.query_map(params![timestamp(since)], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, Option<i64>>(6)?,
        ))
    })?;
    let mut items = Vec::new();
    for row in rows {
        let (feed, guid, link, title, content, first_seen, story_id) = row?;
        let first_seen = parse_timestamp(&first_seen)
            .ok_or_else(|| StoreError::Corrupt(format!("item time {first_seen}")))?;
        items.push(StoredItem {
            feed,
            guid,
            link,
            title,
            content,
            first_seen,
            story_id,
        });
    }
    Ok(items)
}

/// An item for the digest, with its rule matches.
#[derive(Debug, Clone, PartialEq)]
pub struct DigestRow {
    pub item_id: i64,
    pub story_id: Option<i64>,
    pub feed: String,
    pub title: Option<String>,
    pub link: Option<String>,
    pub first_seen: DateTime<Utc>,
    pub extraction_json: Option<String>,
    /// (rule, severity, evidence JSON)
    pub matches: Vec<(String, String, String)>,
}

/// The story the item belongs to: the most similar recent story above the threshold among
/// those sharing a band key, or a new one.
pub(super) fn story_for(
    tx: &Transaction<'_>,
    item: &NewItem,
    now: DateTime<Utc>,
    params: &StoryParams,
) -> Result<i64, StoreError> {
    let keys = item.signature.band_keys();
    let since = now - chrono::Duration::from_std(params.window).unwrap_or_default();
    let mut best: Option<(f64, i64)> = None;
    {
        let mut candidates = tx.prepare_cached(
            "SELECT s.id, s.signature FROM story_bands b JOIN stories s ON s.id = b.story_id
             WHERE b.band_key = ?1 AND s.last_seen >= ?2",
        )?;
        for key in &keys {
            let rows = candidates.query_map(params![key, timestamp(since)], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?))
            })?;
            for row in rows {
                let (id, bytes) = row?;
                let similarity = item.signature.similarity(&Signature::from_bytes(&bytes));
                if similarity >= params.similarity && best.is_none_or(|(s, _)| similarity > s) {
                    best = Some((similarity, id));
                }
            }
        }
    }
    let stamp = timestamp(now);
    if let Some((_, id)) = best {
        tx.execute(
            "UPDATE stories SET last_seen = ?2 WHERE id = ?1",
            params![id, stamp],
        )?;
        return Ok(id);
    }
    tx.execute(
        "INSERT INTO stories (signature, title, first_seen, last_seen) VALUES (?1, ?2, ?3, ?3)",
        params![item.signature.to_bytes(), item.title, stamp],
    )?;
    let id = tx.last_insert_rowid();
    let mut band = tx
        .prepare_cached("INSERT OR IGNORE INTO story_bands (band_key, story_id) VALUES (?1, ?2)")?;
    for key in keys {
        band.execute(params![key, id])?;
    }
    Ok(id)
}

pub(super) fn sources_of_match(
    conn: &Connection,
    match_id: i64,
) -> Result<Vec<(String, Option<String>)>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT f.name, i.link FROM matches m
         JOIN items first ON first.id = m.item_id
         JOIN items i ON i.story_id = first.story_id
         JOIN feeds f ON f.id = i.feed_id
         WHERE m.id = ?1 ORDER BY i.first_seen, i.id",
    )?;
    let rows = stmt.query_map(params![match_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(super) fn insert_item(
    tx: &Transaction<'_>,
    feed_id: i64,
    item: &NewItem,
    story_id: i64,
    now: &str,
) -> Result<Option<i64>, StoreError> {
    let inserted = tx.execute(
        "INSERT INTO items (feed_id, key, content_hash, guid, link, title, content, published, first_seen, story_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT (feed_id, key) DO NOTHING",
        params![
            feed_id,
            item.key,
            item.content_hash,
            item.guid,
            item.link,
            item.title,
            item.content,
            item.published.map(timestamp),
            now,
            story_id
        ],
    )?;
    if inserted == 0 {
        return Ok(None);
    }
    let item_id = tx.last_insert_rowid();
    tx.execute(
        "INSERT INTO extractions (item_id, json, extracted_at) VALUES (?1, ?2, ?3)",
        params![item_id, item.extraction_json, now],
    )?;
    let mut actor = tx.prepare_cached(
        "INSERT OR IGNORE INTO item_actors (item_id, actor, mentions) VALUES (?1, ?2, ?3)",
    )?;
    for (id, mentions) in &item.actor_counts {
        actor.execute(params![item_id, id, mentions])?;
    }
    let mut pair =
        tx.prepare_cached("INSERT OR IGNORE INTO item_pairs (item_id, pair) VALUES (?1, ?2)")?;
    for p in &item.actor_pairs {
        pair.execute(params![item_id, p])?;
    }
    Ok(Some(item_id))
}

/// Inserts a match and, unless the rule is cooling down, its outbox rows. Returns the
/// number of outbox rows written.
pub(super) fn insert_match(
    tx: &Transaction<'_>,
    item_id: i64,
    story_id: i64,
    m: &NewMatch,
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    let last_alert: Option<String> = tx
        .query_row(
            "SELECT MAX(matched_at) FROM matches WHERE rule = ?1 AND alerted = 1",
            params![m.rule],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    let cooling = last_alert
        .and_then(|t| parse_timestamp(&t))
        .zip(chrono::Duration::from_std(m.cooldown).ok())
        .is_some_and(|(last, cooldown)| now < last + cooldown);
    // One alert per rule and story: a later copy of the story is stored and matched (the
    // digest lists it as another source) but does not alert again.
    let story_alerted: bool = tx
        .prepare_cached("SELECT 1 FROM story_alerts WHERE rule = ?1 AND story_id = ?2")?
        .exists(params![m.rule, story_id])?;
    let alerted = !cooling && !story_alerted && !m.deliveries.is_empty();
    let stamp = timestamp(now);
    let inserted = tx.execute(
        "INSERT INTO matches (rule, item_id, severity, evidence, matched_at, alerted)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (rule, item_id) DO NOTHING",
        params![m.rule, item_id, m.severity, m.evidence_json, stamp, alerted],
    )?;
    if inserted == 0 || !alerted {
        return Ok(0);
    }
    let match_id = tx.last_insert_rowid();
    tx.execute(
        "INSERT INTO story_alerts (rule, story_id, match_id) VALUES (?1, ?2, ?3)",
        params![m.rule, story_id, match_id],
    )?;
    for (channel, payload) in &m.deliveries {
        tx.execute(
            "INSERT INTO outbox (match_id, channel, payload, created_at, next_attempt)
             VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT (match_id, channel) DO NOTHING",
            params![match_id, channel, payload, stamp],
        )?;
    }
    Ok(m.deliveries.len())
}

pub(super) fn update_item(
    tx: &Transaction<'_>,
    feed_id: i64,
    item: &UpdatedItem,
    now: &str,
) -> Result<usize, StoreError> {
    let changed = tx.execute(
        "UPDATE items SET content_hash = ?3, title = ?4, content = ?5, updated_at = ?6
         WHERE feed_id = ?1 AND key = ?2 AND content_hash <> ?3",
        params![
            feed_id,
            item.key,
            item.content_hash,
            item.title,
            item.content,
            now
        ],
    )?;
    if changed > 0 {
        tx.execute(
            "UPDATE extractions SET json = ?3, extracted_at = ?4
             WHERE item_id = (SELECT id FROM items WHERE feed_id = ?1 AND key = ?2)",
            params![feed_id, item.key, item.extraction_json, now],
        )?;
    }
    Ok(changed)
}

pub(super) fn due_outbox(
    conn: &Connection,
    now: DateTime<Utc>,
    limit: usize,
) -> Result<Vec<OutboxEntry>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, channel, payload, attempts, match_id FROM outbox
         WHERE delivered_at IS NULL AND next_attempt <= ?1 ORDER BY id LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![timestamp(now), limit as i64], |r| {
        Ok(OutboxEntry {
            id: r.get(0)?,
            channel: r.get(1)?,
            payload: r.get(2)?,
            attempts: r.get(3)?,
            match_id: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(super) fn statuses(conn: &Connection) -> Result<Vec<FeedStatus>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT f.name, f.url, (SELECT COUNT(*) FROM items i WHERE i.feed_id = f.id),
                f.last_success, f.last_error, f.consecutive_failures, f.next_poll
         FROM feeds f ORDER BY f.name",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(FeedStatus {
            name: r.get(0)?,
            url: r.get(1)?,
            items: r.get::<_, i64>(2)? as u64,
            last_success: r.get(3)?,
            last_error: r.get(4)?,
            consecutive_failures: r.get(5)?,
            next_poll: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(super) fn digest_rows(
    conn: &Connection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<DigestRow>, StoreError> {
    let mut items = conn.prepare(
        "SELECT i.id, f.name, i.title, i.link, i.first_seen, e.json, i.story_id
         FROM items i JOIN feeds f ON f.id = i.feed_id LEFT JOIN extractions e ON e.item_id = i.id
         WHERE i.first_seen >= ?1 AND i.first_seen < ?2 ORDER BY i.first_seen, i.id",
    )?;
    let mut matches = conn
        .prepare("SELECT rule, severity, evidence FROM matches WHERE item_id = ?1 ORDER BY rule")?;
    let rows = items.query_map(params![timestamp(from), timestamp(to)], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, Option<String>>(5)?,
            r.get::<_, Option<i64>>(6)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (item_id, feed, title, link, first_seen, extraction_json, story_id) = row?;
        let first_seen = parse_timestamp(&first_seen)
            .ok_or_else(|| StoreError::Corrupt(format!("item {item_id} has time {first_seen}")))?;
        let item_matches = matches
            .query_map(params![item_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        out.push(DigestRow {
            item_id,
            story_id,
            feed,
            title,
            link,
            first_seen,
            extraction_json,
            matches: item_matches,
        });
    }
    Ok(out)
}

/// Counts behind the digest's trends, for one window.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WindowCounts {
    /// rule → distinct stories matched.
    pub rule_stories: std::collections::BTreeMap<String, u32>,
    /// actor id → mentions.
    pub actor_mentions: std::collections::BTreeMap<String, u32>,
    /// "A+B" → items where the two share a sentence with a topic.
    pub pairs: std::collections::BTreeMap<String, u32>,
    pub items: u32,
    /// Feeds whose last error happened in the window.
    pub feeds_failing: u32,
    pub feeds: u32,
}

pub(super) fn window_counts(
    conn: &Connection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<WindowCounts, StoreError> {
    let (from, to) = (timestamp(from), timestamp(to));
    let mut counts = WindowCounts::default();
    let mut stmt = conn.prepare_cached(
        "SELECT m.rule, COUNT(DISTINCT COALESCE(i.story_id, -i.id)) FROM matches m
         JOIN items i ON i.id = m.item_id WHERE i.first_seen >= ?1 AND i.first_seen < ?2
         GROUP BY m.rule",
    )?;
    for row in stmt.query_map(params![from, to], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?))
    })? {
        let (rule, n) = row?;
        counts.rule_stories.insert(rule, n);
    }
    let mut stmt = conn.prepare_cached(
        "SELECT a.actor, SUM(a.mentions) FROM item_actors a JOIN items i ON i.id = a.item_id
         WHERE i.first_seen >= ?1 AND i.first_seen < ?2 GROUP BY a.actor",
    )?;
    for row in stmt.query_map(params![from, to], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?))
    })? {
        let (actor, n) = row?;
        counts.actor_mentions.insert(actor, n);
    }
    let mut stmt = conn.prepare_cached(
        "SELECT p.pair, COUNT(*) FROM item_pairs p JOIN items i ON i.id = p.item_id
         WHERE i.first_seen >= ?1 AND i.first_seen < ?2 GROUP BY p.pair",
    )?;
    for row in stmt.query_map(params![from, to], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?))
    })? {
        let (pair, n) = row?;
        counts.pairs.insert(pair, n);
    }
    counts.items = conn.query_row(
        "SELECT COUNT(*) FROM items WHERE first_seen >= ?1 AND first_seen < ?2",
        params![from, to],
        |r| r.get(0),
    )?;
    counts.feeds_failing = conn.query_row(
        "SELECT COUNT(*) FROM feeds WHERE last_error_at >= ?1 AND last_error_at < ?2",
        params![from, to],
        |r| r.get(0),
    )?;
    counts.feeds = conn.query_row("SELECT COUNT(*) FROM feeds", [], |r| r.get(0))?;
    Ok(counts)
}

/// The digests written so far, newest first: (day, path, written_at, stories).
pub(super) fn digests(
    conn: &Connection,
    limit: usize,
) -> Result<Vec<(String, String, String, i64)>, StoreError> {
    let mut stmt = conn
        .prepare("SELECT day, path, written_at, stories FROM digests ORDER BY day DESC LIMIT ?1")?;
    let rows = stmt.query_map(params![limit as i64], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
