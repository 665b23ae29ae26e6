//! Personal names looked up whole: officials' multi-word names ("Tony Blair", "President
//! Bush", "Chen Shui-bian") live in a hash map keyed by their lowercased words, and the text's
//! runs of capitalised words are looked up in it.
//!
//! Why not the Aho-Corasick automaton: the officials' list holds some ten thousand names, and
//! as DFA states they tripled the extractor's memory (23 → 83 MiB) and slowed every scan. A
//! name is always a run of capitalised words, so a lookup per run finds the same names.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

/// Lowercase words that may sit inside a name ("Ibrahim al Jaafari", "Ursula von der Leyen").
const PARTICLES: &[&str] = &[
    "al", "el", "bin", "ibn", "de", "da", "di", "du", "del", "der", "den", "van", "von", "la",
    "le", "dos", "das", "ul", "ben", "bint",
];

/// The longest name looked up, in words.
const MAX_WORDS: usize = 8;

/// Multi-word names and what each names.
#[derive(Debug, Clone, Default)]
pub struct NameIndex<T> {
    names: HashMap<String, T, Fnv>,
    /// First words of the names, lowercased (most capitalised words start none), with the
    /// most words a name starting with it has.
    first_words: HashMap<String, usize, Fnv>,
}

/// FNV-1a: the keys are short words and the lookups many; SipHash's protection against
/// chosen keys buys nothing for a fixed list of names and cost a fifth of the scan.
#[derive(Default)]
pub(crate) struct FnvHasher(u64);

/// FNV-1a as a `BuildHasher`, for the extractor's small-key lookup tables.
pub(crate) type Fnv = BuildHasherDefault<FnvHasher>;

impl Hasher for FnvHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = hash;
    }
}

impl<T: Copy> NameIndex<T> {
    /// Whether `phrase` belongs here: two words or more, each capitalised or a particle.
    pub fn accepts(phrase: &str) -> bool {
        let words: Vec<&str> = phrase.split_whitespace().collect();
        words.len() >= 2
            && words.len() <= MAX_WORDS
            && words[0].chars().next().is_some_and(char::is_uppercase)
            && words
                .iter()
                .all(|w| w.chars().next().is_some_and(char::is_uppercase) || PARTICLES.contains(w))
    }

    /// Adds a name; the first one added for a spelling wins.
    pub fn insert(&mut self, phrase: &str, value: T) {
        let key = key(phrase);
        let first = key.split(' ').next().unwrap_or_default().to_string();
        let words = key.split(' ').count();
        let most = self.first_words.entry(first).or_default();
        *most = (*most).max(words);
        self.names.entry(key).or_insert(value);
    }

    /// Every name of the index in `text`, longest first at each position, not overlapping.
    pub fn find(&self, text: &str) -> Vec<(Range<usize>, T)> {
        let mut found = Vec::new();
        if self.names.is_empty() {
            return found;
        }
        let mut buffer = String::new();
        let mut pos = 0;
        while let Some(start) = next_capital(text, pos) {
            // Cheap tests first: a name has a second word, and a first word some name has.
            let first_end = word_end(text, start);
            pos = first_end.max(start + 1);
            if !text[first_end..].starts_with(' ') {
                continue;
            }
            lowercase_into(&mut buffer, &text[start..first_end]);
            let Some(&most) = self.first_words.get(buffer.as_str()) else {
                continue;
            };
            // The keys of the first n words, built once: key lengths[n - 1] long.
            let words = words_from(text, start, most);
            let mut lengths = [0usize; MAX_WORDS];
            lengths[0] = buffer.len();
            for (n, word) in words.iter().enumerate().skip(1) {
                buffer.push(' ');
                lowercase_push(&mut buffer, &text[word.clone()]);
                lengths[n] = buffer.len();
            }
            for n in (2..=words.len()).rev() {
                if !starts_capital(&text[words[n - 1].clone()]) {
                    continue;
                }
                if let Some(value) = self.names.get(&buffer[..lengths[n - 1]]) {
                    let range = start..words[n - 1].end;
                    pos = range.end;
                    found.push((range, *value));
                    break;
                }
            }
        }
        found
    }
}

fn lowercase_into(buffer: &mut String, word: &str) {
    buffer.clear();
    lowercase_push(buffer, word);
}

fn lowercase_push(buffer: &mut String, word: &str) {
    if word.is_ascii() {
        let start = buffer.len();
        buffer.push_str(word);
        buffer[start..].make_ascii_lowercase();
    } else {
        buffer.extend(word.chars().flat_map(char::to_lowercase));
    }
}

/// Whether `rest` (after an apostrophe) is a possessive "s" ending the word.
fn possessive_s(rest: &str) -> bool {
    let mut chars = rest.chars();
    matches!(chars.next(), Some('s' | 'S')) && !chars.next().is_some_and(char::is_alphanumeric)
}

fn starts_capital(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// The start of the next word from `pos` on that begins with a capital letter.
fn next_capital(text: &str, mut pos: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    while pos < bytes.len() {
        let b = bytes[pos];
        if b.is_ascii_uppercase() || (b >= 0xC0 && text.is_char_boundary(pos)) {
            let c = text[pos..].chars().next()?;
            let word_start = text[..pos]
                .chars()
                .next_back()
                .is_none_or(|p| !is_word_char(p));
            if c.is_uppercase() && word_start {
                return Some(pos);
            }
        }
        pos += 1;
    }
    None
}

/// Up to `most` words from `start` that could form a name: separated by single
/// spaces, each capitalised or a particle. Letters with inner hyphens and apostrophes make a
/// word; an initial keeps its period ("George W. Bush").
fn words_from(text: &str, start: usize, most: usize) -> Vec<Range<usize>> {
    let mut words: Vec<Range<usize>> = Vec::with_capacity(most);
    let mut pos = start;
    while words.len() < most.min(MAX_WORDS) {
        let end = word_end(text, pos);
        if end == pos {
            break;
        }
        let word = &text[pos..end];
        if !words.is_empty() && !starts_capital(word) && !PARTICLES.contains(&word) {
            break;
        }
        words.push(pos..end);
        match text[end..].strip_prefix(' ') {
            Some(_) => pos = end + 1,
            None => break,
        }
    }
    words
}

/// The end of the word starting at `pos` (`pos` itself when none starts there).
fn word_end(text: &str, pos: usize) -> usize {
    let mut end = pos;
    let mut chars = text[pos..].char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next_is_letter = chars.peek().is_some_and(|(_, n)| n.is_alphabetic());
        if matches!(c, '\'' | '’') && possessive_s(&text[pos + i + c.len_utf8()..]) {
            break; // "President Bush's": the name ends before the possessive
        }
        if c.is_alphabetic() || (matches!(c, '-' | '\'' | '’') && i > 0 && next_is_letter) {
            end = pos + i + c.len_utf8();
        } else if c == '.' && i == 1 && text.as_bytes()[pos].is_ascii_uppercase() {
            return pos + 2; // an initial: "W."
        } else {
            break;
        }
    }
    end
}

/// The lookup key: lowercase words separated by one space.
fn key(phrase: &str) -> String {
    let mut key = String::with_capacity(phrase.len());
    for word in phrase.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        key.extend(word.chars().flat_map(char::to_lowercase));
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> NameIndex<u8> {
        let mut index = NameIndex::default();
        for (name, value) in [
            ("Tony Blair", 1),
            ("George W. Bush", 2),
            ("President Bush", 3),
            ("Chen Shui-bian", 4),
            ("Ibrahim al Jaafari", 5),
        ] {
            assert!(NameIndex::<u8>::accepts(name), "{name}");
            index.insert(name, value);
        }
        index
    }

    fn found(text: &str) -> Vec<(&str, u8)> {
        index()
            .find(text)
            .into_iter()
            .map(|(r, v)| (&text[r], v))
            .collect()
    }

    #[test]
    fn finds_whole_names_in_any_capitalisation() {
        assert_eq!(
            found("Tony Blair met George W. Bush; TONY BLAIR said so."),
            vec![("Tony Blair", 1), ("George W. Bush", 2), ("TONY BLAIR", 1)]
        );
        assert_eq!(found("said Chen Shui-bian."), vec![("Chen Shui-bian", 4)]);
        assert_eq!(found("President Bush's offer"), vec![("President Bush", 3)]);
        assert_eq!(found("Tony Blair’s cabinet"), vec![("Tony Blair", 1)]);
        assert_eq!(
            found("Ibrahim al Jaafari spoke"),
            vec![("Ibrahim al Jaafari", 5)]
        );
    }

    #[test]
    fn longest_name_wins_and_parts_of_other_names_do_not_match() {
        assert_eq!(found("US President Bush said"), vec![("President Bush", 3)]);
        assert!(found("tony blair, Tony Blairs, Tony, Blair").is_empty());
    }

    #[test]
    fn rejects_single_words_and_lowercase_phrases() {
        assert!(!NameIndex::<u8>::accepts("Putin"));
        assert!(!NameIndex::<u8>::accepts("the Bush administration"));
        assert!(!NameIndex::<u8>::accepts("Bush administration"));
    }
}
