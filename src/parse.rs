//! Feed parsing: raw bytes of RSS 0.9x/1.0/2.0, Atom or JSON Feed in, [`FeedItem`]s out,
//! via feed-rs. Light recovery for common faults (leading whitespace before the XML
//! declaration, a gzip body sent without Content-Encoding); what still cannot be parsed is
//! a [`ParseError`] recorded on that feed.

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
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .ok_or(ParseError::Empty)?;
    let body = &body[start..];
    let parser = feed_rs::parser::Builder::new()
        // No invented ids: identity falls back to link and text on our side.
        .id_generator(|_, _, _| String::new())
        .build();
    let feed = parser
        .parse(body)
        .map_err(|e| ParseError::NotAFeed(first_line(&e.to_string())))?;
    Ok(ParsedFeed {
        title: feed.title.map(|t| t.content),
        ttl_minutes: feed.ttl,
        items: feed.entries.into_iter().map(item_of).collect(),
    })
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
