//! Embedded, append-only schema migrations. Never edit a shipped migration: add a new one.
//! `PRAGMA user_version` records how many have been applied.

/// Every migration, in order.
pub const MIGRATIONS: &[&str] = &[
    // 1: the initial schema.
    r#"
    CREATE TABLE feeds (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        etag TEXT,
        last_modified TEXT,
        last_success TEXT,
        last_error TEXT,
        last_error_at TEXT,
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        next_poll TEXT
    );
    CREATE TABLE items (
        id INTEGER PRIMARY KEY,
        feed_id INTEGER NOT NULL REFERENCES feeds(id),
        key TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        guid TEXT,
        link TEXT,
        title TEXT,
        content TEXT NOT NULL,
        published TEXT,
        first_seen TEXT NOT NULL,
        updated_at TEXT,
        UNIQUE (feed_id, key)
    );
    CREATE INDEX items_first_seen ON items (first_seen);
    CREATE TABLE extractions (
        item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
        json TEXT NOT NULL,
        extracted_at TEXT NOT NULL
    );
    CREATE TABLE matches (
        id INTEGER PRIMARY KEY,
        rule TEXT NOT NULL,
        item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        severity TEXT NOT NULL,
        evidence TEXT NOT NULL,
        matched_at TEXT NOT NULL,
        alerted INTEGER NOT NULL,
        UNIQUE (rule, item_id)
    );
    CREATE INDEX matches_rule_time ON matches (rule, matched_at);
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        match_id INTEGER NOT NULL REFERENCES matches(id) ON DELETE CASCADE,
        channel TEXT NOT NULL,
        payload TEXT NOT NULL,
        created_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt TEXT NOT NULL,
        delivered_at TEXT,
        last_error TEXT,
        UNIQUE (match_id, channel)
    );
    CREATE INDEX outbox_pending ON outbox (delivered_at, next_attempt);
    CREATE TABLE digests (
        day TEXT PRIMARY KEY,
        path TEXT NOT NULL,
        written_at TEXT NOT NULL,
        stories INTEGER NOT NULL
    );
    CREATE TABLE tombstones (
        feed_id INTEGER NOT NULL,
        key TEXT NOT NULL,
        pruned_at TEXT NOT NULL,
        PRIMARY KEY (feed_id, key)
    );
    "#,
    // 2: stories (near-duplicate items across feeds) and one alert per rule and story.
    r#"
    CREATE TABLE stories (
        id INTEGER PRIMARY KEY,
        signature BLOB NOT NULL,
        title TEXT,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL
    );
    CREATE TABLE story_bands (
        band_key INTEGER NOT NULL,
        story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        PRIMARY KEY (band_key, story_id)
    ) WITHOUT ROWID;
    ALTER TABLE items ADD COLUMN story_id INTEGER REFERENCES stories(id);
    CREATE INDEX items_story ON items (story_id);
    CREATE TABLE story_alerts (
        rule TEXT NOT NULL,
        story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
        match_id INTEGER NOT NULL REFERENCES matches(id) ON DELETE CASCADE,
        PRIMARY KEY (rule, story_id)
    );
    "#,
    // 3: where a permanently moved feed lives now, and when it was last fetched in full.
    r#"
    ALTER TABLE feeds ADD COLUMN fetch_url TEXT;
    ALTER TABLE feeds ADD COLUMN last_full_fetch TEXT;
    "#,
    // 4: per-item actor mentions and actor pairs, for the digest's trends.
    r#"
    CREATE TABLE item_actors (
        item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        actor TEXT NOT NULL,
        mentions INTEGER NOT NULL,
        PRIMARY KEY (item_id, actor)
    ) WITHOUT ROWID;
    CREATE TABLE item_pairs (
        item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        pair TEXT NOT NULL,
        PRIMARY KEY (item_id, pair)
    ) WITHOUT ROWID;
    "#,
];
