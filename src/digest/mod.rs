//! Daily digests: the stories of one digest day, grouped by rule, rendered as Markdown and
//! self-contained HTML with charts, plus an Atom feed of the digests.
//!
//! The digest for day D covers the items first seen from D−1 at the digest time to D at the
//! digest time, in the configured timezone: the one written at 07:00 holds the night's news.
//! Rendering is pure ([`render_markdown`]); [`write_digest`] reads the store and writes the
//! file. Feed text is escaped so that nothing in it becomes Markdown structure, and only
//! http(s) links are kept.

pub mod atom;
pub mod email;
pub mod html;
pub mod markdown;
pub mod model;

use std::collections::HashMap;
use std::path::PathBuf;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};

use crate::config::Digest;
use crate::store::{Store, StoreError};

/// The span of time one digest covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DigestWindow {
    pub day: NaiveDate,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

/// The digest window for `day`.
pub fn window_for(day: NaiveDate, digest: &Digest) -> DigestWindow {
    let at = |d: NaiveDate| {
        let local = d.and_time(digest.at);
        // A time that DST skips is taken an hour later; a repeated one at its first instance.
        digest
            .timezone
            .from_local_datetime(&local)
            .earliest()
            .or_else(|| {
                digest
                    .timezone
                    .from_local_datetime(&(local + Duration::hours(1)))
                    .earliest()
            })
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| Utc.from_utc_datetime(&local))
    };
    DigestWindow {
        day,
        from: at(day - Duration::days(1)),
        to: at(day),
    }
}

/// The window that contains `now`: the digest that will be written next.
pub fn current_window(now: DateTime<Utc>, digest: &Digest) -> DigestWindow {
    let today = now.with_timezone(&digest.timezone).date_naive();
    let window = window_for(today, digest);
    if now < window.to {
        window
    } else {
        window_for(today + Duration::days(1), digest)
    }
}

/// A digest as written: its files and contents (for email).
#[derive(Debug, Clone)]
pub struct Written {
    pub markdown_path: PathBuf,
    pub html_path: PathBuf,
    pub subject: String,
    pub markdown: String,
    pub html: String,
}

/// Writes the digest for `window` from the store: Markdown and HTML files named after the
/// day, and the Atom feed of digests.
pub fn write_digest(
    store: &Store,
    digest: &Digest,
    names: &HashMap<String, String>,
    window: DigestWindow,
    now: DateTime<Utc>,
) -> Result<Written, DigestError> {
    let rows = store.digest_rows(window.from, window.to)?;
    let mut history = Vec::with_capacity(model::HISTORY_DAYS);
    for back in (0..model::HISTORY_DAYS as i64).rev() {
        let w = window_for(window.day - Duration::days(back), digest);
        history.push(store.window_counts(w.from, w.to)?);
    }
    let data = model::build(window, &digest.timezone.to_string(), &rows, &history, names);
    std::fs::create_dir_all(&digest.dir).map_err(|source| DigestError::Write {
        path: digest.dir.clone(),
        source,
    })?;
    let markdown_path = digest.dir.join(format!("{}.md", window.day));
    let markdown = markdown::render(&data, &digest.timezone);
    write_atomically(&markdown_path, &markdown)?;
    let html = html::render(&data, &digest.timezone);
    let html_path = digest.dir.join(format!("{}.html", window.day));
    write_atomically(&html_path, &html)?;
    let stories: usize = data.rules.iter().map(|r| r.stories.len()).sum();
    store.record_digest(
        &window.day.to_string(),
        &markdown_path.display().to_string(),
        stories,
        now,
    )?;
    let entries: Vec<atom::Entry> = store
        .digests(30)?
        .into_iter()
        .map(|(day, _, written_at, stories)| atom::Entry {
            html: std::fs::read_to_string(digest.dir.join(format!("{day}.html"))).ok(),
            day,
            updated: written_at,
            stories,
        })
        .collect();
    write_atomically(&digest.dir.join("feed.atom"), &atom::render(&entries))?;
    Ok(Written {
        markdown_path,
        html_path,
        subject: format!("wirewatch digest {}: {stories} stories", window.day),
        markdown,
        html,
    })
}

fn write_atomically(path: &std::path::Path, contents: &str) -> Result<(), DigestError> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, contents)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|source| DigestError::Write {
            path: path.to_path_buf(),
            source,
        })
}

/// Why a digest could not be written.
#[derive(Debug, thiserror::Error)]
pub enum DigestError {
    #[error("cannot write digest {path}: {source}; check that the digest directory is writable")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn berlin() -> Digest {
        Digest {
            enabled: true,
            at: chrono::NaiveTime::from_hms_opt(7, 0, 0).unwrap(),
            timezone: chrono_tz::Europe::Berlin,
            dir: PathBuf::from("d"),
            email: None,
        }
    }

    #[test]
    fn window_follows_local_time_across_dst() {
        // 2026-03-29: Berlin moves from UTC+1 to UTC+2.
        let w = window_for(NaiveDate::from_ymd_opt(2026, 3, 29).unwrap(), &berlin());
        assert_eq!(w.from.to_rfc3339(), "2026-03-28T06:00:00+00:00");
        assert_eq!(w.to.to_rfc3339(), "2026-03-29T05:00:00+00:00");
    }

    #[test]
    fn current_window_is_the_next_digest() {
        let now = Utc.with_ymd_and_hms(2026, 11, 29, 9, 0, 0).unwrap();
        assert_eq!(current_window(now, &berlin()).day.to_string(), "2026-11-30");
    }
}
