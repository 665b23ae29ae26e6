//! An Atom feed of the digests, so any feed reader can subscribe to them: one entry per
//! day, linking the HTML digest beside the feed and carrying it as (escaped) content.

use std::fmt::Write as _;

use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};

/// One digest for the feed.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// YYYY-MM-DD
    pub day: String,
    /// RFC 3339.
    pub updated: String,
    pub stories: i64,
    /// The digest's HTML, carried escaped in `<content type="html">`.
    pub html: Option<String>,
}

/// The Atom document for `entries` (newest first).
pub fn render(entries: &[Entry]) -> String {
    let updated = entries
        .first()
        .map_or("1970-01-01T00:00:00Z", |e| e.updated.as_str());
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    let _ = writeln!(out, "  <title>wirewatch digests</title>\n  <id>tag:wirewatch,2026:digests</id>\n  <updated>{}</updated>\n  <generator>wirewatch</generator>\n  <link rel=\"self\" href=\"feed.atom\"/>", text(updated));
    for e in entries {
        let _ = writeln!(
            out,
            "  <entry>\n    <title>wirewatch digest — {day}</title>\n    <id>tag:wirewatch,2026:digest/{day}</id>\n    <updated>{updated}</updated>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{href}\"/>\n    <summary>{stories} stories matched rules.</summary>",
            day = text(&e.day),
            updated = text(&e.updated),
            href = attr(&format!("{}.html", e.day)),
            stories = e.stories
        );
        if let Some(html) = &e.html {
            let _ = writeln!(out, "    <content type=\"html\">{}</content>", text(html));
        }
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_feed_parses_and_escapes_content() {
        let xml = render(&[Entry {
            day: "2026-11-29".into(),
            updated: "2026-11-29T06:00:00Z".into(),
            stories: 3,
            html: Some("<p>a & b</p>".into()),
        }]);
        assert!(xml.contains("&lt;p&gt;a &amp; b&lt;/p&gt;"));
        let feed = crate::parse::parse_feed(xml.as_bytes()).unwrap();
        assert_eq!(feed.items.len(), 1);
        assert_eq!(feed.items[0].link.as_deref(), Some("2026-11-29.html"));
    }
}
