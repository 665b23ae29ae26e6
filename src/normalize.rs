//! Normalisation: HTML or plain text in, a [`Document`] out — clean text, its paragraphs
//! and sentences, and the ranges that are boilerplate rather than news.
//!
//! Plain text whose whitespace is already single spaces and newlines comes out byte for byte
//! as it went in, so offsets reported by the extractor are offsets into the caller's text.
//! Boilerplate in plain text (author bios, "View all posts", share and cookie lines) is kept
//! in the text but marked, and the extractor ignores it; in HTML, navigation, scripts,
//! styles and footers are dropped while converting.

use std::ops::Range;

use unicode_normalization::UnicodeNormalization;

mod boilerplate;
mod dateline;
mod html;
mod mojibake;
mod sentences;

pub use html::html_to_text;
pub use sentences::split_sentences;

/// A normalised document, ready for extraction.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    pub title: Option<String>,
    /// The text: paragraphs separated by `\n`, whitespace folded.
    pub text: String,
    /// Byte ranges of the sentences that are news (boilerplate excluded), in order.
    pub sentences: Vec<Range<usize>>,
    /// Byte ranges of boilerplate paragraphs.
    pub boilerplate: Vec<Range<usize>>,
    /// Byte ranges of datelines and source credits at paragraph starts ("KABUL (Reuters) -",
    /// "AP -"): places and sources, not actors.
    pub datelines: Vec<Range<usize>>,
}

impl Document {
    /// The text of sentence `i`.
    pub fn sentence(&self, i: usize) -> &str {
        &self.text[self.sentences[i].clone()]
    }

    /// Index of the sentence containing byte `offset`, if it is in one.
    pub fn sentence_at(&self, offset: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.end <= offset);
        (i < self.sentences.len() && self.sentences[i].contains(&offset)).then_some(i)
    }

    /// Whether byte `offset` lies in a dateline or source credit.
    pub fn in_dateline(&self, offset: usize) -> bool {
        self.datelines.iter().any(|r| r.contains(&offset))
    }

    /// Whether byte `offset` lies in boilerplate.
    pub fn is_boilerplate(&self, offset: usize) -> bool {
        self.boilerplate.iter().any(|r| r.contains(&offset))
    }
}

/// Normalises a document that may be HTML or plain text.
pub fn normalize(title: Option<&str>, body: &str) -> Document {
    let text = if looks_like_html(body) {
        html_to_text(body)
    } else {
        clean_text(body)
    };
    build(title.map(clean_title), text)
}

/// Normalises text known to be plain (no HTML decoding).
pub fn normalize_plain(title: Option<&str>, body: &str) -> Document {
    build(title.map(clean_title), clean_text(body))
}

fn build(title: Option<String>, text: String) -> Document {
    let boilerplate = boilerplate::find(&text);
    let mut sentences = Vec::new();
    let mut datelines = Vec::new();
    let mut start = 0;
    for line in text.split('\n') {
        let range = start..start + line.len();
        start = range.end + 1;
        if let Some(len) = dateline::length(line) {
            datelines.push(range.start..range.start + len);
        }
        if line.trim().is_empty() || boilerplate.iter().any(|b| b.contains(&range.start)) {
            continue;
        }
        for s in split_sentences(line) {
            sentences.push(range.start + s.start..range.start + s.end);
        }
    }
    Document {
        title: title.filter(|t| !t.is_empty()),
        text,
        sentences,
        boilerplate,
        datelines,
    }
}

fn clean_title(title: &str) -> String {
    let text = if looks_like_html(title) {
        html_to_text(title)
    } else {
        clean_text(title)
    };
    text.replace('\n', " ")
}

/// Whether the text is HTML rather than plain text: it has tags or entities that a plain
/// text would not.
pub fn looks_like_html(text: &str) -> bool {
    if !text.contains(['<', '&']) {
        return false;
    }
    static TAG: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let tag = TAG.get_or_init(|| {
        regex::Regex::new(
            r"(?i)</?(p|div|br|span|a|b|i|em|strong|html|body|head|li|ul|ol|h[1-6]|img|script|style|table|tr|td|blockquote|article|section|figure|nav|footer|header|iframe|pre|code)(\s[^>]*)?/?>|&(amp|lt|gt|quot|nbsp|#\d+|#x[0-9a-f]+);",
        )
        .expect("valid regex")
    });
    tag.is_match(text)
}

/// The text with whole-text double encoding ("Ã©" for "é") undone, or `None`.
pub fn repair_mojibake(text: &str) -> Option<String> {
    mojibake::repair(text)
}

/// Whether `text` is already what [`clean_text`] would make of it (the common case for
/// plain text, checked without allocating).
fn is_clean(text: &str) -> bool {
    let mut previous = '\n';
    for c in text.chars() {
        let bad = match c {
            '\n' => previous == '\n' || previous == ' ',
            ' ' => previous == ' ' || previous == '\n',
            c => c.is_whitespace() || c.is_control(),
        };
        if bad {
            return false;
        }
        previous = c;
    }
    let edges_clean = text.is_empty() || (previous != ' ' && previous != '\n');
    edges_clean
        && (text.is_ascii()
            || (unicode_normalization::is_nfc(text) && mojibake::repair(text).is_none()))
}

/// Plain text cleaned: mojibake repaired, NFC, control characters dropped, runs of spaces
/// and tabs folded to one space, blank lines and line-edge spaces removed. Text that is
/// already clean is returned unchanged.
pub fn clean_text(text: &str) -> String {
    if is_clean(text) {
        return text.to_string();
    }
    let repaired = mojibake::repair(text);
    let text: &str = repaired.as_deref().unwrap_or(text);
    let nfc: std::borrow::Cow<str> = if text.is_ascii() || unicode_normalization::is_nfc(text) {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(text.nfc().collect())
    };
    let mut out = String::with_capacity(nfc.len());
    for line in nfc.split('\n') {
        // Fast path for the common plain ASCII line: fold whitespace word by word.
        let control = |b: u8| (b < 0x20 && !matches!(b, b' ' | b'\t' | b'\r' | 0x0c)) || b == 0x7f;
        if line.is_ascii() && !line.bytes().any(control) {
            let mut words = line.split_ascii_whitespace();
            if let Some(first) = words.next() {
                if !out.is_empty() {
                    out.push('\n');
                }
                out.push_str(first);
                for word in words {
                    out.push(' ');
                    out.push_str(word);
                }
            }
            continue;
        }
        let mut folded = String::with_capacity(line.len());
        let mut pending_space = false;
        for c in line.chars() {
            if c.is_whitespace() {
                pending_space = !folded.is_empty();
            } else if c.is_control() {
                continue;
            } else {
                if pending_space {
                    folded.push(' ');
                    pending_space = false;
                }
                folded.push(c);
            }
        }
        if folded.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&folded);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_plain_text_is_unchanged() {
        let text = "China is uneasy. Officials said so.\nA second paragraph.";
        assert_eq!(clean_text(text), text);
    }

    #[test]
    fn whitespace_is_folded() {
        assert_eq!(clean_text("  a \t b\n\n\n c  "), "a b\nc");
    }

    #[test]
    fn html_keeps_paragraphs_and_drops_scripts() {
        let html = "<p>First &amp; one.</p><script>alert(1)</script><p>Second<br>line</p>";
        assert_eq!(html_to_text(html), "First & one.\nSecond\nline");
    }

    #[test]
    fn deeply_nested_html_does_not_overflow() {
        let html = "<div>".repeat(100_000) + "deep";
        assert_eq!(html_to_text(&html), "deep");
    }

    #[test]
    fn sentences_skip_boilerplate() {
        let doc = normalize(None, "News here. More news.\nView all posts");
        assert_eq!(doc.sentences.len(), 2);
        assert_eq!(doc.sentence(1), "More news.");
    }
}
