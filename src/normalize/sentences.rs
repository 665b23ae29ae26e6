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
    let mut pos = 0;
    // Terminators are found byte-wise; everything around them is read as chars.
    while let Some(at) = next_terminator(text, pos) {
        let c = text[at..].chars().next().expect("found a terminator");
        // Take the run of terminators and closing quotes.
        let end = at
            + text[at..]
                .char_indices()
                .find(|&(k, ch)| k > 0 && !(matches!(ch, '.' | '!' | '?') || is_closing(ch)))
                .map_or(text.len() - at, |(k, _)| k);
        let rest = &text[end..];
        let followed_by_space = rest.starts_with(char::is_whitespace);
        let next = rest.trim_start().chars().next();
        // A sentence ends only before whitespace then a plausible sentence start.
        let boundary = match next {
            None => true,
            Some(n) => followed_by_space && starts_sentence(n),
        };
        let real = c != '.' || is_real_period(text, at, next);
        if boundary && real {
            push_trimmed(text, start..end, &mut sentences);
            start = end;
        }
        pos = end.max(at + c.len_utf8());
    }
    push_trimmed(text, start..text.len(), &mut sentences);
    sentences
}

/// The next '.', '!', '?' or '。' from `pos` on, byte-wise ('。' is E3 80 82): `str::find`
/// with a set of chars decodes every character.
fn next_terminator(text: &str, pos: usize) -> Option<usize> {
    const IDEOGRAPHIC_STOP: &[u8] = "。".as_bytes();
    let bytes = text.as_bytes();
    bytes[pos..]
        .iter()
        .enumerate()
        .find(|&(i, &b)| {
            matches!(b, b'.' | b'!' | b'?')
                || (b == IDEOGRAPHIC_STOP[0] && bytes[pos + i..].starts_with(IDEOGRAPHIC_STOP))
        })
        .map(|(i, _)| pos + i)
}

/// Whether the period at `pos` ends a sentence, judging by the word before it.
fn is_real_period(text: &str, pos: usize, next: Option<char>) -> bool {
    let word = word_before(text, pos);
    // Initials: one capital letter ("John F. Kennedy"), or dotted capitals ("J.R.R.").
    if word.chars().count() == 1 && word.chars().all(char::is_uppercase) {
        return false;
    }
    let is = |list: &[&str]| list.iter().any(|a| a.eq_ignore_ascii_case(word));
    if is(ABBREVIATIONS) {
        return next.is_none()
            || (is(SENTENCE_FINAL_ABBREVIATIONS) && next.is_some_and(char::is_uppercase));
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
