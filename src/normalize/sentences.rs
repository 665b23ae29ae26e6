//! Sentence splitting for news English that survives abbreviations ("U.S.", "Adm.",
//! "Prof.", "Jan. 9"), initials ("John F. Kennedy") and quotations.

use std::ops::Range;

/// Words that end with a period without ending a sentence (compared lowercase, no dot).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "adm", "gen", "lt", "col", "maj", "sgt", "capt", "cmdr",
    "gov", "sen", "rep", "st", "jr", "sr", "rev", "hon", "pres", "amb", "sec", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no", "vs", "etc", "e.g",
    "i.e", "inc", "corp", "ltd", "co", "u.s", "u.k", "u.n", "e.u", "u.s.a", "a.m", "p.m", "approx",
    "dept", "est", "fig", "mt", "ft", "ave", "blvd",
];

/// Abbreviations that also end sentences often; they end one when followed by a capital.
/// Dotted country names ("U.S.") are left out: before a capital they usually go on
/// ("U.S. officials said").
const SENTENCE_FINAL_ABBREVIATIONS: &[&str] = &["etc", "inc", "corp", "ltd", "co", "a.m", "p.m"];

fn is_closing(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | ')' | ']' | '»')
}

fn starts_sentence(c: char) -> bool {
    c.is_uppercase()
        || c.is_numeric()
        || matches!(c, '"' | '“' | '‘' | '\'' | '(' | '[' | '«' | '¿' | '¡')
}

/// The word that ends just before byte `end` (letters, digits and inner dots).
fn word_before(text: &str, end: usize) -> &str {
    let start = text[..end]
        .char_indices()
        .rev()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '.'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    &text[start..end]
}

/// Byte ranges of the sentences in one paragraph, trimmed of surrounding spaces.
pub fn split_sentences(text: &str) -> Vec<Range<usize>> {
    let mut sentences = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        if !matches!(c, '.' | '!' | '?' | '。') {
            i += 1;
            continue;
        }
        // Take the run of terminators and closing quotes.
        let mut j = i + 1;
        while j < chars.len() && (matches!(chars[j].1, '.' | '!' | '?') || is_closing(chars[j].1)) {
            j += 1;
        }
        let end = chars.get(j).map_or(text.len(), |&(p, _)| p);
        // A sentence ends only before whitespace then a plausible sentence start.
        let next_start = chars[j..]
            .iter()
            .position(|(_, ch)| !ch.is_whitespace())
            .map(|k| j + k);
        let followed_by_space = j < chars.len() && chars[j].1.is_whitespace();
        let boundary = match next_start {
            None => true,
            Some(k) => followed_by_space && starts_sentence(chars[k].1),
        };
        if boundary && c == '.' && !is_real_period(text, pos, next_start.map(|k| chars[k].1)) {
            i = j;
            continue;
        }
        if boundary {
            push_trimmed(text, start..end, &mut sentences);
            start = end;
        }
        i = j;
    }
    push_trimmed(text, start..text.len(), &mut sentences);
    sentences
}

/// Whether the period at `pos` ends a sentence, judging by the word before it.
fn is_real_period(text: &str, pos: usize, next: Option<char>) -> bool {
    let word = word_before(text, pos);
    let lower = word.to_lowercase();
    // Initials: one capital letter ("John F. Kennedy"), or dotted capitals ("J.R.R.").
    if word.chars().count() == 1 && word.chars().all(char::is_uppercase) {
        return false;
    }
    if ABBREVIATIONS.contains(&lower.as_str()) {
        return next.is_none()
            || (SENTENCE_FINAL_ABBREVIATIONS.contains(&lower.as_str())
                && next.is_some_and(char::is_uppercase));
    }
    true
}

fn push_trimmed(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let slice = &text[range.clone()];
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    if lead + trail < slice.len() {
        out.push(range.start + lead..range.end - trail);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        split_sentences(text)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn splits_plain_sentences() {
        assert_eq!(split("One. Two! Three?"), vec!["One.", "Two!", "Three?"]);
    }

    #[test]
    fn keeps_abbreviations_and_initials() {
        assert_eq!(
            split("Adm. Paparo met Prof. Mifune on Jan. 9 in the U.S. capital. John F. Kennedy spoke."),
            vec!["Adm. Paparo met Prof. Mifune on Jan. 9 in the U.S. capital.", "John F. Kennedy spoke."]
        );
    }

    #[test]
    fn quotes_close_sentences() {
        assert_eq!(
            split("He said, “It is over.” Then he left."),
            vec!["He said, “It is over.”", "Then he left."]
        );
    }

    #[test]
    fn decimals_do_not_split() {
        assert_eq!(
            split("Growth was 2.5 percent. Fine."),
            vec!["Growth was 2.5 percent.", "Fine."]
        );
    }
}
