//! Feed parsing: raw bytes of RSS 0.9x/1.0/2.0, Atom or JSON Feed in, [`FeedItem`]s out,
//! via feed-rs, after [`decode`] made them UTF-8 (declared, BOM or guessed encodings). When
//! the strict parse fails, [`recover`] tries what a reader would expect: undefined HTML
//! entities, forbidden control characters, a gzip body sent without Content-Encoding, a
//! document cut off mid-item. What still cannot be parsed is a [`ParseError`] recorded on
//! that feed.

pub mod decode;
pub mod recover;

use std::io::Read;

use chrono::{DateTime, Utc};

/// One entry of a feed, as the feed gave it.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedItem {
    /// The entry's own id (guid), when it has one.
    pub guid: Option<String>,
    pub link: Option<String>,
    pub title: Option<String>,
    /// Full content when the feed has it, else the summary; HTML or text.
    pub content: String,
    pub published: Option<DateTime<Utc>>,
    pub authors: Vec<String>,
}

/// A parsed feed.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedFeed {
    pub title: Option<String>,
    pub items: Vec<FeedItem>,
    /// RSS `<ttl>` in minutes, when given.
    pub ttl_minutes: Option<u32>,
    /// The encoding the bytes were in.
    pub encoding: &'static str,
    /// The repair that made the document parse, when one was needed.
    pub recovered: Option<&'static str>,
}

/// Why a feed could not be parsed.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    #[error("the document is not a feed (RSS, Atom or JSON Feed): {0}")]
    NotAFeed(String),
    #[error("the feed is empty")]
    Empty,
}

/// The largest body a gzip payload may inflate to while sniffing.
const MAX_INFLATED: u64 = 64 * 1024 * 1024;

/// Parses feed bytes.
pub fn parse_feed(bytes: &[u8]) -> Result<ParsedFeed, ParseError> {
    let inflated;
    let mut body = bytes;
    if body.starts_with(&[0x1f, 0x8b]) {
        inflated = gunzip(body).map_err(|e| ParseError::NotAFeed(format!("gzip body: {e}")))?;
        body = &inflated;
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ParseError::Empty);
    }
    let decoded = decode::to_utf8(body);
    let text = decoded.text.trim_start();
    let text = recover::fix_namespaces(text).unwrap_or_else(|| text.to_string());
    let text = recover::fix_rss_version(&text).unwrap_or(text);
    let first_error = match parse_text(&text) {
        Ok(feed) => return Ok(with_meta(feed, decoded.encoding, None)),
        Err(e) => e,
    };
    let sanitized = recover::sanitize(&text);
    if let Ok(feed) = parse_text(&sanitized) {
        return Ok(with_meta(
            feed,
            decoded.encoding,
            Some("sanitized entities or control characters"),
        ));
    }
    let cut_off = [
        recover::truncate_to_last_item(&sanitized),
        recover::close_open_elements(&sanitized),
    ];
    for repaired in cut_off.into_iter().flatten() {
        if let Ok(feed) = parse_text(&repaired) {
            return Ok(with_meta(
                feed,
                decoded.encoding,
                Some("kept what came before the document was cut off"),
            ));
        }
    }
    Err(first_error)
}

fn parse_text(text: &str) -> Result<feed_rs::model::Feed, ParseError> {
    let parser = feed_rs::parser::Builder::new()
        // No invented ids: identity falls back to link and text on our side.
        .id_generator(|_, _, _| String::new())
        .build();
    parser
        .parse(text.as_bytes())
        .map_err(|e| ParseError::NotAFeed(first_line(&e.to_string())))
}

fn with_meta(
    feed: feed_rs::model::Feed,
    encoding: &'static str,
    recovered: Option<&'static str>,
) -> ParsedFeed {
    ParsedFeed {
        title: feed.title.map(|t| t.content),
        ttl_minutes: feed.ttl,
        items: feed.entries.into_iter().map(item_of).collect(),
        encoding,
        recovered,
    }
}

fn gunzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .take(MAX_INFLATED)
        .read_to_end(&mut out)?;
    Ok(out)
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or(s).trim().to_string()
}

fn item_of(entry: feed_rs::model::Entry) -> FeedItem {
    let content = entry
        .content
        .and_then(|c| c.body)
        .filter(|b| !b.trim().is_empty())
        .or_else(|| entry.summary.map(|s| s.content))
        .or_else(|| {
            entry
                .media
                .into_iter()
                .find_map(|m| m.description.map(|d| d.content))
        })
        .unwrap_or_default();
    FeedItem {
        guid: Some(entry.id).filter(|id| !id.trim().is_empty()),
        link: entry.links.into_iter().next().map(|l| l.href),
        title: entry.title.map(|t| t.content),
        content,
        published: entry.published.or(entry.updated),
        authors: entry.authors.into_iter().filter_map(|a| a.name).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSS: &str = r#"  <?xml version="1.0"?>
<rss version="2.0"><channel><title>T</title><ttl>60</ttl>
<item><guid>a1</guid><title>First</title><link>http://x/1</link><description>&lt;p&gt;Body&lt;/p&gt;</description></item>
<item><title>No guid</title><link>http://x/2</link></item>
</channel></rss>"#;

    #[test]
    fn parses_rss_with_leading_whitespace() {
        let feed = parse_feed(RSS.as_bytes()).unwrap();
        assert_eq!(feed.ttl_minutes, Some(60));
        assert_eq!(feed.items.len(), 2);
        assert_eq!(feed.items[0].guid.as_deref(), Some("a1"));
        assert_eq!(feed.items[0].content, "<p>Body</p>");
        assert_eq!(feed.items[1].guid, None);
    }

    #[test]
    fn html_page_is_not_a_feed() {
        let err = parse_feed(b"<html><body>hi</body></html>").unwrap_err();
        assert!(err.to_string().starts_with("the document is not a feed"));
    }
}
