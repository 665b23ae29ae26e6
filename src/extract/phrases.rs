//! One automaton over many phrases that may repeat: phrases with the same key share a
//! pattern, and each pattern keeps every value attached to it.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

/// Builds an ASCII-case-insensitive DFA over the keys, returning the values of each pattern
/// in pattern order. `MatchKind::LeftmostLongest` for one answer per place (the gazetteer),
/// `MatchKind::Standard` to search every overlapping match (the topic lexicons).
pub fn build<V>(
    phrases: impl IntoIterator<Item = (String, V)>,
    kind: MatchKind,
) -> (AhoCorasick, Vec<Vec<V>>) {
    let mut slots: HashMap<String, usize> = HashMap::new();
    let mut patterns: Vec<String> = Vec::new();
    let mut values: Vec<Vec<V>> = Vec::new();
    for (key, value) in phrases {
        let slot = *slots.entry(key.clone()).or_insert_with(|| {
            patterns.push(key);
            values.push(Vec::new());
            values.len() - 1
        });
        values[slot].push(value);
    }
    let automaton = AhoCorasickBuilder::new()
        .match_kind(kind)
        .ascii_case_insensitive(true)
        // A DFA costs a few MiB once and scans several times faster than the NFA.
        .kind(Some(AhoCorasickKind::DFA))
        .build(&patterns)
        .expect("phrase automaton builds");
    (automaton, values)
}
