//! People: names found by titles ("Admiral Samuel Paparo"), appositives ("Kurt Campbell,
//! the US Deputy Secretary of State"), reporting verbs ("Mifune argued") and the list of
//! well-known officials; their role, sector and affiliation; and every later mention,
//! surname-only ones included.

use std::ops::Range;

use super::gazetteer::{Gazetteer, Hit, Target};
use super::names::Fnv;
use super::roles::Roles;
use crate::normalize::Document;

/// A token of a sentence: a word with its byte range in the document text.
#[derive(Debug, Clone)]
pub(crate) struct Token<'a> {
    pub text: &'a str,
    pub range: Range<usize>,
}

/// A person found in a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub name: String,
    pub role: Option<String>,
    /// An actor id when the text ties the person to one, else an institution's name.
    pub affiliation: Option<String>,
    pub sector: Option<String>,
    /// Byte ranges of every mention, in text order.
    pub mentions: Vec<Range<usize>>,
}

/// Capitalised words that begin sentences or phrases but never names.
const NOT_NAMES: &[&str] = &[
    "The",
    "A",
    "An",
    "In",
    "On",
    "At",
    "By",
    "For",
    "From",
    "With",
    "While",
    "When",
    "After",
    "Before",
    "As",
    "But",
    "And",
    "Or",
    "If",
    "It",
    "He",
    "She",
    "They",
    "We",
    "I",
    "This",
    "That",
    "These",
    "Those",
    "There",
    "His",
    "Her",
    "Their",
    "Its",
    "Our",
    "According",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Sir",
    "Lord",
    "Dame",
    "Lady",
    "Mr",
    "Mrs",
    "Ms",
    "Mr.",
    "Mrs.",
    "Ms.",
    "Officials",
    "Analysts",
    "Experts",
    "Meanwhile",
    "However",
    "Also",
    "Still",
    "Yet",
    "Some",
    "Many",
    "Most",
    "Several",
    "Other",
    "Both",
    "Despite",
    "Although",
    "Since",
    "Under",
    "Over",
    "Between",
    "Among",
    "During",
    "Why",
    "What",
    "How",
    "Who",
    "Where",
    "Which",
    "Now",
    "Then",
    "Today",
    "Yesterday",
    "Tomorrow",
    "Last",
    "Next",
    "New",
    "Former",
    "Deputy",
    "Senior",
    "Chief",
    "Acting",
    "Vice",
    "Security",
    "Council",
    "Ministry",
    "Department",
    "Command",
    "Forces",
    "Army",
    "Navy",
    "Party",
    "University",
    "Institute",
    "Agency",
    "Committee",
    "Commission",
    "Union",
    "Bank",
    "Court",
    "House",
    "Office",
    "Islands",
    "Island",
    "Sea",
    "Strait",
    "Peninsula",
    "Province",
    "State",
    "States",
    "Republic",
    "Kingdom",
    "Government",
    "Parliament",
    "Congress",
    "Senate",
    "Foreign",
    "Defense",
    "Defence",
    "Home",
    "Interior",
    "Finance",
    "Minister",
    "Secretary",
    "President",
    "Premier",
    "Chancellor",
    "Prime",
    "General",
    "Admiral",
    "Professor",
];

/// Verbs of saying that mark the name next to them as a person.
const REPORTING: &[&str] = &[
    "said",
    "says",
    "told",
    "added",
    "argued",
    "noted",
    "warned",
    "stated",
    "explained",
    "suggested",
    "insisted",
    "stressed",
    "claimed",
    "wrote",
    "asked",
    "replied",
    "commented",
    "believes",
    "scored",
    "headed",
    "netted",
    "equalised",
    "equalized",
    "resigned",
    "thinks",
    "indicated",
    "highlighted",
    "pointed",
    "criticized",
    "criticised",
];

/// Small words inside names ("Ursula von der Leyen", "Osama bin Laden").
const PARTICLES: &[&str] = &[
    "von", "van", "der", "de", "da", "di", "del", "dos", "du", "la", "le", "bin", "ibn", "al",
];

/// Words that end an institution's name ("Komazawa University").
const INSTITUTIONS: &[&str] = &[
    "University",
    "Institute",
    "College",
    "School",
    "Center",
    "Centre",
    "Foundation",
    "Council",
    "Agency",
    "Ministry",
    "Academy",
    "Command",
    "Service",
    "Party",
    "Group",
    "Corporation",
    "Bank",
    "Fund",
    "Forum",
];

/// Splits a sentence of `doc` into word tokens. Dots stay on initials and on known title
/// abbreviations ("F.", "Adm.").
pub(crate) fn tokens<'a>(text: &'a str, sentence: &Range<usize>, roles: &Roles) -> Vec<Token<'a>> {
    let mut out = Vec::with_capacity(sentence.len() / 5 + 1);
    let slice = &text[sentence.clone()];
    let mut start: Option<usize> = None;
    let push = |s: usize, e: usize, out: &mut Vec<Token<'a>>| {
        let mut end = e;
        let word = &slice[s..e];
        let next_is_dot = slice[e..].starts_with('.');
        let initial = next_is_dot
            && word.len() <= 4
            && word.chars().count() == 1
            && word.chars().all(char::is_uppercase);
        let abbreviation = || {
            next_is_dot && word.len() <= 5 && roles.is_title(&format!("{}.", word.to_lowercase()))
        };
        if next_is_dot && (initial || abbreviation()) {
            end += 1;
        }
        out.push(Token {
            text: &text[sentence.start + s..sentence.start + end],
            range: sentence.start + s..sentence.start + end,
        });
    };
    // Byte-wise over ASCII, decoding only where a multi-byte character starts.
    let bytes = slice.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let (c, width) = if bytes[i].is_ascii() {
            (bytes[i] as char, 1)
        } else {
            let c = slice[i..].chars().next().unwrap_or(' ');
            (c, c.len_utf8())
        };
        let inner = matches!(c, '-' | '\'' | '’') && start.is_some();
        if c.is_alphanumeric() || inner {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            push(s, trim_inner_end(slice, s, i), &mut out);
        }
        i += width;
    }
    if let Some(s) = start {
        push(s, trim_inner_end(slice, s, slice.len()), &mut out);
    }
    out
}

/// Drops a trailing hyphen or apostrophe ("Japan’" of "Japan’s" stays whole elsewhere).
fn trim_inner_end(slice: &str, start: usize, mut end: usize) -> usize {
    while end > start && slice[..end].ends_with(['-', '\'', '’']) {
        end = slice[..end]
            .char_indices()
            .next_back()
            .map_or(start, |(i, _)| i);
    }
    end
}

fn capitalised(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase)
        && (word.chars().count() == 1
            || word.chars().skip(1).any(char::is_lowercase)
            || word.ends_with('.'))
}

fn possessive_stem(word: &str) -> &str {
    word.strip_suffix("’s")
        .or_else(|| word.strip_suffix("'s"))
        .unwrap_or(word)
}

/// The range of a name without a title it begins with: the official's form "Vice President
/// Dick Cheney" is the person "Dick Cheney" (the actor keeps the whole phrase).
fn without_title(text: &str, range: &Range<usize>, roles: &Roles) -> Range<usize> {
    let phrase = &text[range.clone()];
    let starts: Vec<usize> = phrase.match_indices(' ').map(|(i, _)| i).take(3).collect();
    // The longest leading run of words that is a title, leaving at least one word.
    for &end in starts.iter().rev() {
        if roles.is_title(&phrase[..end].to_lowercase()) {
            return range.start + end + 1..range.end;
        }
    }
    range.clone()
}

/// Finds the people of a document.
pub fn find_people(
    doc: &Document,
    hits: &[Hit],
    gazetteer: &Gazetteer,
    roles: &Roles,
) -> Vec<Person> {
    let mut people: Vec<Person> = Vec::new();
    // Spans named by the gazetteer (officials aside), sorted, for a binary search per token.
    let mut named: Vec<Range<usize>> = hits
        .iter()
        .filter(|h| !matches!(h.target, Target::Official(_)))
        .map(|h| h.range.clone())
        .collect();
    named.sort_by_key(|r| r.start);
    let covered = |range: &Range<usize>| {
        let i = named.partition_point(|r| r.end <= range.start);
        named.get(i).is_some_and(|r| r.start < range.end)
    };
    for hit in hits {
        if let Target::Official(o) = hit.target {
            let official = &gazetteer.officials[o];
            let actor = &gazetteer.actors[official.actor];
            add_person(
                &mut people,
                Person {
                    name: official.name.clone(),
                    role: official.role.clone(),
                    affiliation: Some(actor.id.clone()),
                    sector: official
                        .role
                        .as_deref()
                        .and_then(|r| roles.sector_of(r))
                        .map(str::to_string),
                    mentions: vec![without_title(&doc.text, &hit.range, roles)],
                },
            );
        }
    }
    for sentence in &doc.sentences {
        let toks = tokens(&doc.text, sentence, roles);
        let mut i = 0;
        while i < toks.len() {
            let Some(end) = name_run(&toks, i, &covered) else {
                i += 1;
                continue;
            };
            let name_range = toks[i].range.start..toks[end - 1].range.end;
            let title = title_before(&toks, i, roles);
            let appositive = appositive_after(doc, &toks, end, sentence, hits, gazetteer, roles);
            let reporting = reporting_near(&toks, i, end);
            let known = people
                .iter()
                .any(|p| p.name == doc.text[name_range.clone()]);
            let given = is_given_name(toks[i].text) && end - i <= 3;
            let nationality = country_in_parentheses(doc, name_range.end, hits);
            if title.is_some() || appositive.is_some() || reporting || known || given || nationality
            {
                let name = doc.text[name_range.clone()].to_string();
                let (role, affiliation) = describe(title, appositive);
                let sector = role
                    .as_deref()
                    .and_then(|r| roles.sector_of(r))
                    .map(str::to_string);
                add_person(
                    &mut people,
                    Person {
                        name,
                        role,
                        affiliation,
                        sector,
                        mentions: vec![name_range],
                    },
                );
            }
            i = end;
        }
    }
    add_surname_mentions(doc, &mut people);
    people
}

/// The end (exclusive) of a run of 2–4 name words starting at `i`, if one starts there.
fn name_run(
    toks: &[Token<'_>],
    i: usize,
    covered: &impl Fn(&Range<usize>) -> bool,
) -> Option<usize> {
    let first = toks[i].text;
    if !capitalised(first)
        || is_not_name(first)
        || first.ends_with('.') && first.len() > 2
        || covered(&toks[i].range)
    {
        return None;
    }
    let mut end = i + 1;
    while end < toks.len() && end - i < 5 {
        let t = &toks[end];
        let adjacent = doc_gap_is_space(toks, end);
        if !adjacent {
            break;
        }
        let name_word =
            capitalised(t.text) && !is_not_name(possessive_stem(t.text)) && !covered(&t.range);
        let particle =
            PARTICLES.contains(&t.text) && toks.get(end + 1).is_some_and(|n| capitalised(n.text));
        if !(name_word || particle) {
            break;
        }
        end += 1;
    }
    // A possessive ends the name: "Paparo’s view".
    let words = end - i;
    let last = toks[end - 1].text;
    if words < 2 || last.ends_with('.') || INSTITUTIONS.contains(&last) {
        return None;
    }
    Some(end)
}

/// Whether token `k` follows token `k - 1` after a single space (no punctuation between).
fn doc_gap_is_space(toks: &[Token<'_>], k: usize) -> bool {
    toks[k].range.start == toks[k - 1].range.end + 1
}

/// A title right before the name ("Admiral", "Foreign Minister", "Prof.").
fn title_before(toks: &[Token<'_>], i: usize, roles: &Roles) -> Option<String> {
    // The up to four words before the name, lowercased once; each candidate title is a
    // suffix of it ("state", "of state", "secretary of state", ...).
    let longest = 4.min(i);
    let mut phrase = String::new();
    let mut starts = [0usize; 4];
    for (k, token) in toks[i - longest..i].iter().enumerate() {
        if k > 0 {
            phrase.push(' ');
        }
        starts[k] = phrase.len();
        phrase.extend(token.text.chars().flat_map(char::to_lowercase));
    }
    let mut best = None;
    for len in 1..=longest {
        let suffix = &phrase[starts[longest - len]..];
        if roles.is_title(suffix) && (1..len).all(|k| doc_gap_is_space(toks, i - k)) {
            let words: Vec<&str> = toks[i - len..i].iter().map(|t| t.text).collect();
            best = Some(words.join(" "));
        }
    }
    best
}

/// Role and affiliation read from an appositive: ", the US Deputy Secretary of State," or
/// " from Komazawa University".
struct Appositive {
    role: Option<String>,
    affiliation: Option<String>,
}

fn appositive_after(
    doc: &Document,
    toks: &[Token<'_>],
    end: usize,
    sentence: &Range<usize>,
    hits: &[Hit],
    gazetteer: &Gazetteer,
    roles: &Roles,
) -> Option<Appositive> {
    let after_name = toks.get(end - 1)?.range.end;
    let rest = &doc.text[after_name..sentence.end];
    if let Some(inst) = rest
        .strip_prefix(" from ")
        .or_else(|| rest.strip_prefix(" of "))
        .or_else(|| rest.strip_prefix(" at "))
    {
        let words: Vec<&str> = inst
            .split_whitespace()
            .take_while(|w| capitalised(w.trim_end_matches([',', '.'])))
            .take(6)
            .collect();
        let name = words.join(" ");
        let name = name.trim_end_matches([',', '.']);
        if INSTITUTIONS.iter().any(|w| name.ends_with(w)) {
            return Some(Appositive {
                role: None,
                affiliation: Some(name.to_string()),
            });
        }
    }
    let body = rest.strip_prefix(", ")?;
    let article = ["the ", "a ", "an ", "who is ", "who was "]
        .iter()
        .find(|a| body.starts_with(*a))?;
    let phrase_start = after_name + 2 + article.len();
    let phrase_len = doc.text[phrase_start..sentence.end]
        .find([',', ';', '.', '(', ')', '“', '"'])
        .unwrap_or(sentence.end - phrase_start);
    let phrase_range = phrase_start..phrase_start + phrase_len;
    let phrase = doc.text[phrase_range.clone()].trim();
    if phrase.split_whitespace().count() > 12 || roles.sector_of(phrase).is_none() {
        return None;
    }
    // The first actor named in the phrase is the affiliation; a leading one ("US Deputy
    // Secretary of State") is dropped from the role.
    let mut affiliation = None;
    let mut role = phrase.to_string();
    for hit in hits
        .iter()
        .filter(|h| phrase_range.contains(&h.range.start))
    {
        let Target::Actor(a) = hit.target else {
            continue;
        };
        affiliation.get_or_insert_with(|| gazetteer.actors[a].id.clone());
        if hit.range.start == phrase_start {
            role = doc.text[hit.range.end..phrase_range.end].trim().to_string();
        }
    }
    for cut in [" in ", " at ", " from "] {
        if affiliation.is_some() {
            if let Some(k) = role.find(cut) {
                role.truncate(k);
            }
        }
    }
    Some(Appositive {
        role: Some(role),
        affiliation,
    })
}

fn is_not_name(word: &str) -> bool {
    static SET: std::sync::OnceLock<std::collections::HashSet<&'static str, Fnv>> =
        std::sync::OnceLock::new();
    SET.get_or_init(|| NOT_NAMES.iter().copied().collect())
        .contains(word)
}

/// Given names, from `config/gazetteer/given_names.txt`.
fn is_given_name(word: &str) -> bool {
    static NAMES: std::sync::OnceLock<std::collections::HashSet<&'static str, Fnv>> =
        std::sync::OnceLock::new();
    NAMES
        .get_or_init(|| {
            include_str!("../../config/gazetteer/given_names.txt")
                .lines()
                .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
                .map(str::trim)
                .collect()
        })
        .contains(word)
}

/// "Jesper Ronnback ( Sweden )": a name followed by a country in parentheses.
fn country_in_parentheses(doc: &Document, name_end: usize, hits: &[Hit]) -> bool {
    let rest = &doc.text[name_end..];
    let Some(inner) = rest.strip_prefix(" ( ").or_else(|| rest.strip_prefix(" (")) else {
        return false;
    };
    let country_start = name_end + (rest.len() - inner.len());
    hits.iter().any(|h| {
        h.range.start == country_start
            && matches!(h.target, Target::Actor(_))
            && doc.text[h.range.end..].trim_start().starts_with(')')
    })
}

fn reporting_near(toks: &[Token<'_>], start: usize, end: usize) -> bool {
    let reporting = |w: &str| REPORTING.iter().any(|r| r.eq_ignore_ascii_case(w));
    let according = start >= 2
        && toks[start - 2].text.eq_ignore_ascii_case("according")
        && toks[start - 1].text == "to";
    toks.get(end).is_some_and(|t| reporting(t.text))
        || start
            .checked_sub(1)
            .is_some_and(|k| reporting(toks[k].text))
        || according
}

fn describe(
    title: Option<String>,
    appositive: Option<Appositive>,
) -> (Option<String>, Option<String>) {
    match appositive {
        Some(a) => (a.role.or(title), a.affiliation),
        None => (title, None),
    }
}

/// Adds a person, merging with one of the same name (keeping the first role found).
fn add_person(people: &mut Vec<Person>, person: Person) {
    // The same person: the same name, or a mention of one already found ("Dick Cheney" in
    // the official form "Vice President Dick Cheney" of Richard Cheney).
    let same = |p: &Person| {
        p.name == person.name
            || p.mentions.iter().any(|m| {
                person
                    .mentions
                    .iter()
                    .any(|n| m.start < n.end && n.start < m.end)
            })
    };
    match people.iter_mut().find(|p| same(p)) {
        Some(existing) => {
            for m in person.mentions {
                if !existing.mentions.contains(&m) {
                    existing.mentions.push(m);
                }
            }
            if existing.role.is_none() {
                existing.role = person.role;
                existing.sector = person.sector;
            }
            if existing.affiliation.is_none() {
                existing.affiliation = person.affiliation;
            }
        }
        None => people.push(person),
    }
}

/// Counts later surname-only mentions ("Campbell") for each person, in news sentences only.
fn add_surname_mentions(doc: &Document, people: &mut [Person]) {
    let surnames: Vec<Option<String>> = people
        .iter()
        .map(|p| {
            p.name
                .split_whitespace()
                .last()
                .map(str::to_string)
                .filter(|s| s.chars().count() > 2)
        })
        .collect();
    let mut counts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for surname in surnames.iter().flatten() {
        *counts.entry(surname.as_str()).or_default() += 1;
    }
    for (k, person) in people.iter_mut().enumerate() {
        let Some(surname) = &surnames[k] else {
            continue;
        };
        // A surname two people share counts for neither.
        if counts.get(surname.as_str()).copied().unwrap_or(0) > 1 {
            continue;
        }
        let first = person.mentions.iter().map(|m| m.start).min().unwrap_or(0);
        for (i, _) in doc.text[first..].match_indices(surname.as_str()) {
            let range = first + i..first + i + surname.len();
            if person
                .mentions
                .iter()
                .any(|m| m.start <= range.start && range.end <= m.end)
                || !super::gazetteer::at_word_boundaries(&doc.text, &range)
                || doc.sentence_at(range.start).is_none()
                || doc.is_boilerplate(range.start)
            {
                continue;
            }
            person.mentions.push(range);
        }
        person.mentions.sort_by_key(|m| m.start);
    }
}
