//! Context rules over gazetteer hits: the words around a name decide that it is a place
//! ("in Moscow", "Moscow police") or a language ("in Polish"), not the actor.

use super::gazetteer::{Form, Hit};

/// Drops metonyms used as locations: after a preposition of place ("in Moscow"), or
/// as the first word of another name ("the Athens Games", "Berlin Institute").
pub fn drop_locations(text: &str, hits: &mut Vec<Hit>) {
    let starts: Vec<usize> = hits.iter().map(|h| h.range.start).collect();
    hits.retain(|h| {
        if h.form != Form::Metonym {
            return true;
        }
        // The word before, looking past "the" and a compass word: "at the White House",
        // "in western Baghdad".
        let mut words_before = text[..h.range.start].split_whitespace().rev();
        let mut before = words_before.next().unwrap_or("").to_lowercase();
        while !LOCATIVE.contains(&before.as_str()) && COMPASS.contains(&before.as_str()) {
            before = words_before.next().unwrap_or("").to_lowercase();
        }
        let after = &text[h.range.end..];
        let next_word = after
            .strip_prefix(' ')
            .and_then(|rest| rest.split_whitespace().next());
        let names_something_else = next_word.is_some_and(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().skip(1).any(char::is_lowercase)
                && !starts.contains(&(h.range.end + 1))
        });
        // A city's own things: "Moscow police", "the Madrid train bombings".
        let city_thing = next_word.is_some_and(|w| {
            let w = w.trim_end_matches(|c: char| !c.is_alphanumeric());
            CITY_NOUNS.contains(&w)
        });
        !(LOCATIVE.contains(&before.as_str()) || names_something_else || city_thing)
    });
}

/// Drops demonyms that name a language: "he said in Polish", "speaks French".
pub fn drop_languages(text: &str, hits: &mut Vec<Hit>) {
    hits.retain(|h| {
        let word = &text[h.range.clone()];
        if !LANGUAGES.iter().any(|l| l.eq_ignore_ascii_case(word)) {
            return true;
        }
        let before = text[..h.range.start]
            .split_whitespace()
            .next_back()
            .unwrap_or("")
            .to_lowercase();
        let after = text[h.range.end..].trim_start();
        let next = after
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("");
        let clause_ends = after.is_empty()
            || after.starts_with(|c: char| !c.is_alphanumeric())
            || CLAUSE_WORDS.contains(&next);
        let speaking = [
            "speak",
            "speaks",
            "spoke",
            "speaking",
            "fluent",
            "translated",
        ]
        .contains(&before.as_str());
        !(speaking || (["in", "into", "from"].contains(&before.as_str()) && clause_ends))
    });
}

/// Words after "in French" that show the phrase is over: the demonym named a language.
const CLAUSE_WORDS: &[&str] = &[
    "that", "and", "or", "but", "on", "to", "for", "with", "during", "as", "while", "when",
    "because", "so", "if", "after", "before", "at", "by",
];

/// Demonyms that are also languages.
const LANGUAGES: &[&str] = &[
    "English",
    "French",
    "Spanish",
    "German",
    "Russian",
    "Arabic",
    "Chinese",
    "Japanese",
    "Korean",
    "Portuguese",
    "Italian",
    "Polish",
    "Dutch",
    "Turkish",
    "Persian",
    "Hebrew",
    "Greek",
    "Swedish",
    "Ukrainian",
    "Vietnamese",
    "Thai",
    "Indonesian",
    "Czech",
    "Hungarian",
    "Romanian",
    "Serbian",
    "Croatian",
    "Finnish",
    "Danish",
    "Norwegian",
];

/// Nouns that, right after a capital or seat of power, make it the place and not the
/// government: "Moscow police", "the Madrid train bombings", "a White House correspondent".
const CITY_NOUNS: &[&str] = &[
    "police",
    "metro",
    "subway",
    "train",
    "trains",
    "airport",
    "station",
    "mayor",
    "governor",
    "court",
    "courts",
    "hospital",
    "marathon",
    "zoo",
    "university",
    "school",
    "residents",
    "streets",
    "suburb",
    "suburbs",
    "stadium",
    "derby",
    "club",
    "fans",
    "traffic",
    "skyline",
    "district",
    "museum",
    "hotel",
    "bureau",
    "correspondent",
    "correspondents",
    "lawn",
    "stocks",
    "stock",
    "shares",
    "bourse",
    "council",
    "city",
    "region",
    "apartment",
    "restaurant",
];

/// Words between a preposition of place and a city: "in western Baghdad", "at the White
/// House".
const COMPASS: &[&str] = &[
    "the", "northern", "southern", "eastern", "western", "north", "south", "east", "west",
    "suburban", "greater",
];

/// Words after which a city is a place, not its government.
const LOCATIVE: &[&str] = &[
    "in", "at", "from", "to", "near", "outside", "inside", "into", "across", "around", "via",
    "off", "toward", "towards", "downtown", "central", "through", "visiting", "visit", "visited",
    "reached", "arrived", "left", "leave", "flew", "capital",
];
