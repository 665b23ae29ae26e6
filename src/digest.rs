//! Daily digests: the items of one digest day, grouped by rule, rendered as Markdown.
//!
//! The digest for day D covers the items first seen from D−1 at the digest time to D at the
//! digest time, in the configured timezone: the one written at 07:00 holds the night's news.
//! Rendering is pure ([`render_markdown`]); [`write_digest`] reads the store and writes the
//! file. Feed text is escaped so that nothing in it becomes Markdown structure, and only
//! http(s) links are kept.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};

use crate::config::Digest;
use crate::extract::Extraction;
use crate::store::{DigestRow, Store, StoreError};

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

/// Writes the digest for `window` from the store; returns the file written.
pub fn write_digest(
    store: &Store,
    digest: &Digest,
    window: DigestWindow,
    now: DateTime<Utc>,
) -> Result<PathBuf, DigestError> {
    let rows = store.digest_rows(window.from, window.to)?;
    let markdown = render_markdown(&window, &digest.timezone, &rows);
    std::fs::create_dir_all(&digest.dir).map_err(|source| DigestError::Write {
        path: digest.dir.clone(),
        source,
    })?;
    let path = digest.dir.join(format!("{}.md", window.day));
    let tmp = path.with_extension("md.tmp");
    std::fs::write(&tmp, markdown)
        .and_then(|()| std::fs::rename(&tmp, &path))
        .map_err(|source| DigestError::Write {
            path: path.clone(),
            source,
        })?;
    let stories = rows.len();
    store.record_digest(
        &window.day.to_string(),
        &path.display().to_string(),
        stories,
        now,
    )?;
    Ok(path)
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

/// An item as the digest shows it.
struct Entry<'a> {
    row: &'a DigestRow,
    extraction: Option<Extraction>,
}

/// Renders the digest as Markdown.
pub fn render_markdown(window: &DigestWindow, tz: &chrono_tz::Tz, rows: &[DigestRow]) -> String {
    let entries: Vec<Entry<'_>> = rows
        .iter()
        .map(|row| Entry {
            row,
            extraction: row
                .extraction_json
                .as_deref()
                .and_then(|j| serde_json::from_str(j).ok()),
        })
        .collect();
    let local = |t: DateTime<Utc>| t.with_timezone(tz).format("%d %b %H:%M").to_string();
    let mut out = format!("# wirewatch digest — {}\n\n", window.day);
    let feeds: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.feed.as_str()).collect();
    let match_count: usize = rows.iter().map(|r| r.matches.len()).sum();
    out.push_str(&format!(
        "Items first seen from {} to {} ({tz}): **{}** new items from {} feeds, **{}** rule matches.\n\n",
        local(window.from),
        local(window.to),
        rows.len(),
        feeds.len(),
        match_count
    ));
    let mut by_rule: BTreeMap<&str, Vec<(&Entry<'_>, &str, &str)>> = BTreeMap::new();
    for entry in &entries {
        for (rule, severity, evidence) in &entry.row.matches {
            by_rule.entry(rule.as_str()).or_default().push((
                entry,
                severity.as_str(),
                evidence.as_str(),
            ));
        }
    }
    if by_rule.is_empty() {
        out.push_str("No rule matched in this period.\n\n");
    }
    for (rule, matched) in &by_rule {
        let severity = matched.first().map_or("", |m| m.1);
        out.push_str(&format!(
            "## {} ({severity}) — {} item{}\n\n",
            escape(rule),
            matched.len(),
            if matched.len() == 1 { "" } else { "s" }
        ));
        for (entry, _, evidence) in matched {
            // The key sentence: the first evidence that is not just the title again.
            let title = entry.row.title.as_deref().map(str::trim);
            let key: Option<String> = serde_json::from_str::<Vec<String>>(evidence)
                .ok()
                .and_then(|e| e.into_iter().find(|s| Some(s.trim()) != title));
            push_item(&mut out, entry, key.as_deref(), &local);
        }
    }
    push_notable(&mut out, &entries, &local);
    push_top_actors(&mut out, &entries);
    out
}

fn push_item(
    out: &mut String,
    entry: &Entry<'_>,
    key_sentence: Option<&str>,
    local: &impl Fn(DateTime<Utc>) -> String,
) {
    let title = escape(entry.row.title.as_deref().unwrap_or("(untitled)"));
    match entry.row.link.as_deref().filter(|l| is_web_link(l)) {
        Some(link) => out.push_str(&format!(
            "### [{title}](<{}>)\n\n",
            link.replace(['<', '>', ' '], "")
        )),
        None => out.push_str(&format!("### {title}\n\n")),
    }
    out.push_str(&format!(
        "- Source: {}, first seen {}\n",
        escape(&entry.row.feed),
        local(entry.row.first_seen)
    ));
    if let Some(x) = &entry.extraction {
        let actors: Vec<String> = x.actors.iter().take(8).map(|a| escape(&a.name)).collect();
        let topics: Vec<String> = x.topics.iter().take(6).map(|t| escape(&t.id)).collect();
        if !actors.is_empty() {
            out.push_str(&format!("- Actors: {}\n", actors.join(", ")));
        }
        if !topics.is_empty() {
            out.push_str(&format!("- Topics: {}\n", topics.join(", ")));
        }
    }
    if let Some(sentence) = key_sentence {
        out.push_str(&format!("\n> {}\n", escape(sentence)));
    }
    out.push('\n');
}

/// Items no rule caught but with strong topics, best first.
fn push_notable(out: &mut String, entries: &[Entry<'_>], local: &impl Fn(DateTime<Utc>) -> String) {
    let mut notable: Vec<(&Entry<'_>, f64)> = entries
        .iter()
        .filter(|e| e.row.matches.is_empty())
        .filter_map(|e| {
            let best = e.extraction.as_ref()?.topics.first()?.score;
            (best >= 0.7).then_some((e, best))
        })
        .collect();
    if notable.is_empty() {
        return;
    }
    notable.sort_by(|a, b| b.1.total_cmp(&a.1));
    out.push_str("## Notable items no rule caught\n\n");
    for (entry, _) in notable.into_iter().take(10) {
        let key = entry.extraction.as_ref().and_then(|x| {
            let topic = x.topics.first()?;
            x.sentences.get(*topic.evidence.first()?).cloned()
        });
        push_item(out, entry, key.as_deref(), local);
    }
}

fn push_top_actors(out: &mut String, entries: &[Entry<'_>]) {
    let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for x in entries.iter().filter_map(|e| e.extraction.as_ref()) {
        for actor in &x.actors {
            let c = counts.entry(actor.name.clone()).or_default();
            c.0 += actor.count;
            c.1 += 1;
        }
    }
    if counts.is_empty() {
        return;
    }
    let mut ranked: Vec<_> = counts.into_iter().collect();
    ranked.sort_by(|a, b| {
        b.1 .1
            .cmp(&a.1 .1)
            .then(b.1 .0.cmp(&a.1 .0))
            .then(a.0.cmp(&b.0))
    });
    out.push_str(
        "## Most mentioned actors\n\n| actor | items | mentions |\n| --- | ---: | ---: |\n",
    );
    for (name, (mentions, items)) in ranked.into_iter().take(10) {
        out.push_str(&format!("| {} | {items} | {mentions} |\n", escape(&name)));
    }
    out.push('\n');
}

fn is_web_link(link: &str) -> bool {
    url::Url::parse(link).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
}

/// Escapes text so that Markdown renders it literally, and HTML in it stays text.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '(' | ')' | '#' | '+' | '!' | '|'
            | '~' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
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

    #[test]
    fn escape_neutralises_markup() {
        assert_eq!(
            escape("<script>x</script> [a](javascript:b)"),
            "&lt;script&gt;x&lt;/script&gt; \\[a\\]\\(javascript:b\\)"
        );
    }
}
