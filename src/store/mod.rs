//! The store: one SQLite file in WAL mode holding feed state, items, extractions, matches,
//! the alert outbox and the digest log.
//!
//! Everything a poll produces is written in one transaction ([`Store::commit_poll`]): the
//! feed's new state, its new items, their extractions, the matches and the outbox rows. A
//! crash before the commit leaves no trace; after it, the outbox still holds every alert not
//! yet delivered, so nothing is lost and nothing alerts twice.

mod migrations;
mod queries;

use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{params, Connection, OptionalExtension};

pub use queries::{DigestRow, FeedStatus, OutboxEntry, StoredItem, WindowCounts};

/// Why the store failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "cannot open the store {path}: {source}; check that the directory exists and is writable"
    )]
    Open {
        path: String,
        source: rusqlite::Error,
    },
    #[error("cannot create the store's directory {path}: {source}")]
    CreateDir {
        path: String,
        source: std::io::Error,
    },
    #[error("the store was written by a newer wirewatch (schema {found}, this one knows {known}); upgrade wirewatch")]
    TooNew { found: usize, known: usize },
    #[error("store query failed: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

/// Formats a time the way the store keeps it (sortable text, UTC, milliseconds).
pub fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Reads a stored time.
pub fn parse_timestamp(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// The store's handle to one SQLite connection.
pub struct Store {
    conn: Connection,
}

/// A feed's stored state.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedState {
    pub id: i64,
    pub url: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub consecutive_failures: u32,
    pub next_poll: Option<DateTime<Utc>>,
    /// Where the feed moved to permanently, fetched instead of `url`.
    pub fetch_url: Option<String>,
    pub last_full_fetch: Option<DateTime<Utc>>,
}

/// How a poll ended.
#[derive(Debug, Clone, PartialEq)]
pub enum PollOutcome {
    Fetched {
        etag: Option<String>,
        last_modified: Option<String>,
        /// Set when every redirect to the feed was permanent.
        moved_to: Option<String>,
    },
    NotModified,
    Failed {
        error: String,
    },
}

/// A new item with everything derived from it.
#[derive(Debug, Clone)]
pub struct NewItem {
    pub key: String,
    pub content_hash: String,
    pub guid: Option<String>,
    pub link: Option<String>,
    pub title: Option<String>,
    pub content: String,
    pub published: Option<DateTime<Utc>>,
    pub extraction_json: String,
    /// MinHash of title and lead, to group the item into a story.
    pub signature: crate::story::Signature,
    /// (actor id, mentions), for trends.
    pub actor_counts: Vec<(String, u32)>,
    /// "RUS+PRK" for actors sharing a sentence with a topic (not negated), for trends.
    pub actor_pairs: Vec<String>,
    pub matches: Vec<NewMatch>,
}

/// A rule that fired on a new item.
#[derive(Debug, Clone)]
pub struct NewMatch {
    pub rule: String,
    pub severity: String,
    pub evidence_json: String,
    pub cooldown: Duration,
    /// (channel, payload) for each alert action; empty for digest-only rules.
    pub deliveries: Vec<(String, String)>,
}

/// An item whose content changed since it was stored: updated, never re-alerted.
#[derive(Debug, Clone)]
pub struct UpdatedItem {
    pub key: String,
    pub content_hash: String,
    pub title: Option<String>,
    pub content: String,
    pub extraction_json: String,
}

/// How new items are grouped into stories.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StoryParams {
    /// Stories last seen longer ago than this are not joined any more.
    pub window: Duration,
    /// Estimated Jaccard similarity from which an item joins a story.
    pub similarity: f64,
}

/// Everything one poll of one feed writes.
#[derive(Debug, Clone)]
pub struct PollRecord {
    pub feed_id: i64,
    pub now: DateTime<Utc>,
    pub next_poll: DateTime<Utc>,
    pub outcome: PollOutcome,
    pub new_items: Vec<NewItem>,
    pub updated_items: Vec<UpdatedItem>,
    pub stories: StoryParams,
}

/// What a committed poll did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CommitSummary {
    pub new_items: usize,
    pub updated_items: usize,
    pub matches: usize,
    pub alerts: usize,
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

impl Store {
    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
                path: dir.display().to_string(),
                source,
            })?;
        }
        let conn = Connection::open(path).map_err(|source| StoreError::Open {
            path: path.display().to_string(),
            source,
        })?;
        conn.busy_timeout(Duration::from_secs(10))?;
        let mut store = Store { conn };
        // Switching a new file to WAL while another process opens it can fail at once with
        // "database is locked" (SQLite does not always wait on the busy handler there): a
        // daemon starting while `wirewatch status` runs. Retry for as long as the busy
        // timeout would have waited.
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        loop {
            match store.prepare() {
                Err(StoreError::Sql(e)) if is_busy(&e) && std::time::Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                result => return result.map(|()| store),
            }
        }
    }

    /// Journal mode, pragmas and schema migrations: what every connection does first.
    fn prepare(&mut self) -> Result<(), StoreError> {
        self.conn.pragma_update(None, "journal_mode", "WAL")?;
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        self.conn.pragma_update(None, "foreign_keys", "ON")?;
        self.migrate()
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        // An immediate transaction takes the write lock before reading the version, so two
        // processes opening a new store cannot both apply the same migration.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let version: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let version = usize::try_from(version).unwrap_or(usize::MAX);
        let known = migrations::MIGRATIONS.len();
        if version > known {
            return Err(StoreError::TooNew {
                found: version,
                known,
            });
        }
        for (i, sql) in migrations::MIGRATIONS.iter().enumerate().skip(version) {
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The feed's stored state, creating its row on first sight. The name follows the
    /// config.
    pub fn ensure_feed(&self, url: &str, name: &str) -> Result<FeedState, StoreError> {
        self.conn.execute(
            "INSERT INTO feeds (url, name) VALUES (?1, ?2)
             ON CONFLICT (url) DO UPDATE SET name = excluded.name",
            params![url, name],
        )?;
        self.feed_state(url)?
            .ok_or_else(|| StoreError::Corrupt(format!("feed {url} vanished after insert")))
    }

    /// The stored state of the feed with this URL.
    pub fn feed_state(&self, url: &str) -> Result<Option<FeedState>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, url, etag, last_modified, consecutive_failures, next_poll,
                        fetch_url, last_full_fetch
                 FROM feeds WHERE url = ?1",
                params![url],
                |r| {
                    Ok(FeedState {
                        id: r.get(0)?,
                        url: r.get(1)?,
                        etag: r.get(2)?,
                        last_modified: r.get(3)?,
                        consecutive_failures: r.get(4)?,
                        next_poll: r
                            .get::<_, Option<String>>(5)?
                            .and_then(|s| parse_timestamp(&s)),
                        fetch_url: r.get(6)?,
                        last_full_fetch: r
                            .get::<_, Option<String>>(7)?
                            .and_then(|s| parse_timestamp(&s)),
                    })
                },
            )
            .optional()?)
    }

    /// For each key already known for the feed (stored or pruned), its content hash
    /// (empty for pruned items).
    pub fn known_items(
        &self,
        feed_id: i64,
        keys: &[String],
    ) -> Result<std::collections::HashMap<String, String>, StoreError> {
        let mut known = std::collections::HashMap::new();
        let mut item = self
            .conn
            .prepare_cached("SELECT content_hash FROM items WHERE feed_id = ?1 AND key = ?2")?;
        let mut tomb = self
            .conn
            .prepare_cached("SELECT 1 FROM tombstones WHERE feed_id = ?1 AND key = ?2")?;
        for key in keys {
            if let Some(hash) = item
                .query_row(params![feed_id, key], |r| r.get::<_, String>(0))
                .optional()?
            {
                known.insert(key.clone(), hash);
            } else if tomb.exists(params![feed_id, key])? {
                known.insert(key.clone(), String::new());
            }
        }
        Ok(known)
    }

    /// Writes everything one poll produced, in one transaction.
    pub fn commit_poll(&mut self, record: &PollRecord) -> Result<CommitSummary, StoreError> {
        let tx = self.conn.transaction()?;
        let now = timestamp(record.now);
        let next = timestamp(record.next_poll);
        match &record.outcome {
            PollOutcome::Fetched {
                etag,
                last_modified,
                moved_to,
            } => tx.execute(
                "UPDATE feeds SET etag = ?2, last_modified = ?3, last_success = ?4,
                 consecutive_failures = 0, next_poll = ?5, last_full_fetch = ?4,
                 fetch_url = COALESCE(?6, fetch_url) WHERE id = ?1",
                params![record.feed_id, etag, last_modified, now, next, moved_to],
            )?,
            PollOutcome::NotModified => tx.execute(
                "UPDATE feeds SET last_success = ?2, consecutive_failures = 0, next_poll = ?3
                 WHERE id = ?1",
                params![record.feed_id, now, next],
            )?,
            PollOutcome::Failed { error } => tx.execute(
                "UPDATE feeds SET last_error = ?2, last_error_at = ?3,
                 consecutive_failures = consecutive_failures + 1, next_poll = ?4 WHERE id = ?1",
                params![record.feed_id, error, now, next],
            )?,
        };
        let mut summary = CommitSummary::default();
        for item in &record.new_items {
            let story = queries::story_for(&tx, item, record.now, &record.stories)?;
            let inserted = queries::insert_item(&tx, record.feed_id, item, story, &now)?;
            let Some(item_id) = inserted else { continue };
            summary.new_items += 1;
            for m in &item.matches {
                summary.matches += 1;
                summary.alerts += queries::insert_match(&tx, item_id, story, m, record.now)?;
            }
        }
        for item in &record.updated_items {
            summary.updated_items += queries::update_item(&tx, record.feed_id, item, &now)?;
        }
        tx.commit()?;
        Ok(summary)
    }

    /// Outbox entries due for delivery at `now`.
    pub fn due_outbox(
        &self,
        now: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<OutboxEntry>, StoreError> {
        queries::due_outbox(&self.conn, now, limit)
    }

    /// Marks an outbox entry delivered.
    pub fn mark_delivered(&self, id: i64, now: DateTime<Utc>) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE outbox SET delivered_at = ?2, attempts = attempts + 1, last_error = NULL
             WHERE id = ?1",
            params![id, timestamp(now)],
        )?;
        Ok(())
    }

    /// Records a failed delivery and when to try again.
    pub fn mark_failed(
        &self,
        id: i64,
        error: &str,
        retry_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE outbox SET attempts = attempts + 1, last_error = ?2, next_attempt = ?3
             WHERE id = ?1",
            params![id, error, timestamp(retry_at)],
        )?;
        Ok(())
    }

    /// The feeds and links of every item in the story of an outbox entry's match, oldest
    /// first.
    pub fn sources_of_match(
        &self,
        match_id: i64,
    ) -> Result<Vec<(String, Option<String>)>, StoreError> {
        queries::sources_of_match(&self.conn, match_id)
    }

    /// Number of alerts not yet delivered.
    pub fn outbox_depth(&self) -> Result<usize, StoreError> {
        Ok(self.conn.query_row(
            "SELECT COUNT(*) FROM outbox WHERE delivered_at IS NULL",
            [],
            |r| r.get::<_, i64>(0),
        )? as usize)
    }

    /// Every feed's status, for `wirewatch status`.
    pub fn statuses(&self) -> Result<Vec<FeedStatus>, StoreError> {
        queries::statuses(&self.conn)
    }

    /// Items first seen in `[from, to)`, with extraction and rule matches.
    pub fn digest_rows(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<DigestRow>, StoreError> {
        queries::digest_rows(&self.conn, from, to)
    }

    /// Counts of one window, for trends.
    pub fn window_counts(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<WindowCounts, StoreError> {
        queries::window_counts(&self.conn, from, to)
    }

    /// The digests written so far, newest first: (day, path, written_at, stories).
    pub fn digests(&self, limit: usize) -> Result<Vec<(String, String, String, i64)>, StoreError> {
        queries::digests(&self.conn, limit)
    }

    /// Remembers that the digest for `day` was written.
    pub fn record_digest(
        &self,
        day: &str,
        path: &str,
        stories: usize,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO digests (day, path, written_at, stories) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (day) DO UPDATE SET path = excluded.path,
             written_at = excluded.written_at, stories = excluded.stories",
            params![day, path, timestamp(now), stories as i64],
        )?;
        Ok(())
    }

    /// Every stored item first seen at or after `since`, oldest first.
    pub fn items_since(&self, since: DateTime<Utc>) -> Result<Vec<StoredItem>, StoreError> {
        queries::items_since(&self.conn, since)
    }

    /// Deletes items first seen before `now - retention` (their extractions and matches go
    /// with them) and leaves a tombstone for each, so a feed that still lists them does not
    /// bring them back. Items whose alerts are not delivered yet are kept. Returns how many
    /// items were pruned.
    pub fn prune(&mut self, now: DateTime<Utc>, retention: Duration) -> Result<usize, StoreError> {
        let cutoff = timestamp(now - chrono::Duration::from_std(retention).unwrap_or_default());
        let tomb_cutoff = timestamp(now - chrono::Duration::days(365));
        let tx = self.conn.transaction()?;
        let pending = "SELECT m.item_id FROM matches m JOIN outbox o ON o.match_id = m.id
                       WHERE o.delivered_at IS NULL";
        tx.execute(
            &format!(
                "INSERT OR IGNORE INTO tombstones (feed_id, key, pruned_at)
                 SELECT feed_id, key, ?1 FROM items WHERE first_seen < ?2 AND id NOT IN ({pending})"
            ),
            params![timestamp(now), cutoff],
        )?;
        let pruned = tx.execute(
            &format!("DELETE FROM items WHERE first_seen < ?1 AND id NOT IN ({pending})"),
            params![cutoff],
        )?;
        tx.execute(
            "DELETE FROM stories WHERE last_seen < ?1
             AND NOT EXISTS (SELECT 1 FROM items i WHERE i.story_id = stories.id)",
            params![cutoff],
        )?;
        tx.execute(
            "DELETE FROM tombstones WHERE pruned_at < ?1",
            params![tomb_cutoff],
        )?;
        tx.commit()?;
        Ok(pruned)
    }

    /// Total number of stored items.
    pub fn item_count(&self) -> Result<usize, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM items", [], |r| r.get::<_, i64>(0))?
            as usize)
    }
}
