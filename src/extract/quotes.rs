//! Direct quotations and who said them: the person named in the same sentence (before the
//! quote, or after it with a verb of saying), else the last person named before a quote
//! followed by "he said" / "she said".

use std::ops::Range;

use super::people::Person;
use crate::normalize::Document;

/// A quotation with its speaker's name.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Quote {
    pub speaker: String,
    pub text: String,
}

/// Spans of quoted text (inside the marks) in one paragraph-free slice of text.
fn quoted_spans(text: &str) -> Vec<Range<usize>> {
    // Byte-wise: every delimiter is '"', '\n' or a curly quote starting with byte E2.
    const OPEN: &[u8] = "“".as_bytes();
    const CLOSE: &[u8] = "”".as_bytes();
    let mut spans = Vec::new();
    let mut open: Option<(usize, &[u8])> = None;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if !matches!(b, b'"' | b'\n' | 0xE2) {
            i += 1;
            continue;
        }
        let rest = &bytes[i..];
        match open {
            None if rest.starts_with(OPEN) => {
                open = Some((i + OPEN.len(), CLOSE));
                i += OPEN.len();
                continue;
            }
            None if b == b'"' => open = Some((i + 1, b"\"")),
            Some((start, close)) if rest.starts_with(close) => {
                if i > start {
                    spans.push(start..i);
                }
                open = None;
                i += close.len();
                continue;
            }
            Some(_) if b == b'\n' => open = None,
            _ => {}
        }
        i += 1;
    }
    spans
}

/// Finds the quotes of a document whose speaker can be told.
pub fn find_quotes(doc: &Document, people: &[Person]) -> Vec<Quote> {
    let mut quotes = Vec::new();
    for span in quoted_spans(&doc.text) {
        let inner = doc.text[span.clone()].trim();
        let words = inner.split_whitespace().count();
        if words == 0 || words > 120 || doc.is_boilerplate(span.start) {
            continue;
        }
        if let Some(speaker) = speaker_of(doc, &span, people) {
            let text = inner.trim_end_matches([',', '.']).to_string();
            if !quotes
                .iter()
                .any(|q: &Quote| q.text == text && q.speaker == speaker)
            {
                quotes.push(Quote { speaker, text });
            }
        }
    }
    quotes
}

fn speaker_of(doc: &Document, span: &Range<usize>, people: &[Person]) -> Option<String> {
    let sentence = doc
        .sentence_at(span.start)
        .or_else(|| doc.sentence_at(span.end))?;
    let range = doc.sentences[sentence].clone();
    // The nearest person mentioned in the sentence before the quote.
    let before = people
        .iter()
        .flat_map(|p| p.mentions.iter().map(move |m| (p, m)))
        .filter(|(_, m)| m.start >= range.start && m.end <= span.start)
        .max_by_key(|(_, m)| m.start);
    if let Some((person, _)) = before {
        return Some(person.name.clone());
    }
    // Or the first one after it in the same sentence ("…,” said Paparo.).
    let after = people
        .iter()
        .flat_map(|p| p.mentions.iter().map(move |m| (p, m)))
        .filter(|(_, m)| m.start >= span.end && m.end <= range.end)
        .min_by_key(|(_, m)| m.start);
    if let Some((person, _)) = after {
        return Some(person.name.clone());
    }
    // A quote may run past its sentence (or start before it): look after whichever ends first.
    let tail = doc.text[span.end.min(range.end)..range.end].to_lowercase();
    let pronoun = [
        "he said",
        "she said",
        "he added",
        "she added",
        "he told",
        "she told",
    ]
    .iter()
    .any(|p| tail.contains(p));
    if pronoun {
        return people
            .iter()
            .flat_map(|p| p.mentions.iter().map(move |m| (p, m)))
            .filter(|(_, m)| m.end <= span.start)
            .max_by_key(|(_, m)| m.start)
            .map(|(p, _)| p.name.clone());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_inside_marks() {
        let text = "He called it “a symbiosis” and \"odd\".";
        let spans: Vec<&str> = quoted_spans(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(spans, vec!["a symbiosis", "odd"]);
    }
}
