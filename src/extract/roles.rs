//! Role words ("admiral", "deputy secretary of state", "former CIA official") and the sector
//! each puts a person in, from `config/gazetteer/roles.toml`.

use std::collections::{HashMap, HashSet};

use super::names::Fnv;

use super::data::RoleConfig;

/// The role table.
#[derive(Debug, Clone, Default)]
pub struct Roles {
    /// Lowercase role phrase → sector code.
    sectors: HashMap<String, String, Fnv>,
    /// Lowercase phrases that are written before names.
    titles: HashSet<String, Fnv>,
    longest_words: usize,
}

impl Roles {
    /// Builds the table from the data files.
    pub fn new(configs: &[RoleConfig]) -> Roles {
        let mut roles = Roles::default();
        for config in configs {
            for word in &config.words {
                let word = word.trim().to_lowercase();
                roles.longest_words = roles.longest_words.max(word.split(' ').count());
                if config.titles {
                    roles.titles.insert(word.clone());
                }
                roles
                    .sectors
                    .entry(word)
                    .or_insert_with(|| config.sector.clone());
            }
        }
        roles
    }

    /// Whether a lowercase phrase is a title written before names ("foreign minister").
    pub fn is_title(&self, phrase: &str) -> bool {
        if self.titles.contains(phrase) {
            return true;
        }
        // "Deputy Foreign Minister", "US Secretary": a known title at the end of the phrase,
        // with a qualifier before it.
        phrase.split_once(' ').is_some_and(|(qualifier, rest)| {
            matches!(
                qualifier,
                "deputy" | "former" | "acting" | "vice" | "senior" | "chief"
            ) && self.titles.contains(rest)
        })
    }

    /// The sector of the longest role phrase found in `text`, as whole words.
    pub fn sector_of(&self, text: &str) -> Option<&str> {
        let words: Vec<String> = text
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|w| !w.is_empty())
            .map(|w| w.to_lowercase())
            .collect();
        for len in (1..=self.longest_words.min(words.len())).rev() {
            for window in words.windows(len) {
                if let Some(sector) = self.sectors.get(&window.join(" ")) {
                    return Some(sector);
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles() -> Roles {
        Roles::new(&[
            RoleConfig {
                sector: "GOV".into(),
                words: vec!["minister".into(), "deputy secretary of state".into()],
                titles: true,
            },
            RoleConfig {
                sector: "SPY".into(),
                words: vec!["cia official".into()],
                titles: false,
            },
        ])
    }

    #[test]
    fn longest_phrase_wins() {
        let r = roles();
        assert_eq!(r.sector_of("the US Deputy Secretary of State"), Some("GOV"));
        assert_eq!(r.sector_of("a former CIA official"), Some("SPY"));
        assert_eq!(r.sector_of("a farmer"), None);
    }

    #[test]
    fn qualified_titles() {
        let r = roles();
        assert!(r.is_title("minister"));
        assert!(r.is_title("deputy minister"));
        assert!(!r.is_title("farmer"));
    }
}
