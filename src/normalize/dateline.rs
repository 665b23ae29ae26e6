//! Datelines and source credits at the start of a paragraph: "KABUL (Reuters) - ",
//! "JAKARTA, Indonesia - ", "LONDON, Oct. 17 -- ", "Canadian Press - OTTAWA (CP) - ",
//! "AP - ", "SEOUL North Korea said". They name where a story was filed and who sent it,
//! not who acts in it.

use std::sync::OnceLock;

use regex::Regex;

fn with_separator() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?x)^
            (?: (?:[A-Z]{2,6}|Reuters|Canadian\ Press|Associated\ Press|Agence\ France-Presse
                  |Xinhua|Interfax|[A-Za-z]+\.com) \ -{1,2}\ )?            # source credit: 'AP - ' 
            (?:
              [A-Z][A-Z.'’-]{1,}(?:\ [A-Z][A-Z.'’-]+){0,3}                 # CITY in capitals
              (?:,\ ?[A-Z][\w.'’]*(?:\ [A-Z][\w.'’]*){0,2})?               # , Country or region
              (?:,?\ [A-Z][a-z]{2,4}\.?\ \d{1,2}(?:,\ \d{4})?)?            # , Oct. 17, 2004
              (?:\ ?\([^)]{1,40}\))?                                       # (Reuters)
              \ ?(?:-{1,2}|–|—|:)\ 
            )?",
        )
        .expect("valid regex")
    })
}

fn bare_capitals() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^([A-Z]{4,}(?: [A-Z]{3,}){0,2}) [A-Z][a-z]").expect("valid regex")
    })
}

/// Acronyms that begin sentences as actors, not as datelines.
const ACRONYMS: &[&str] = &[
    "NATO", "ASEAN", "OPEC", "IAEA", "UNICEF", "UNHCR", "ECOWAS", "BRICS", "AUKUS", "OSCE", "DPRK",
    "HAMAS", "ISIS", "ISIL", "FARC", "USA",
];

/// Byte length of the dateline or source credit at the start of `line`, if it has one.
pub fn length(line: &str) -> Option<usize> {
    if let Some(m) = with_separator().find(line) {
        if m.end() > 0 && m.end() < line.len() {
            return Some(m.end());
        }
    }
    let caps = bare_capitals().captures(line)?;
    let word = caps.get(1)?;
    (!ACRONYMS.contains(&word.as_str())).then_some(word.end() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dateline(line: &str) -> Option<&str> {
        length(line).map(|n| &line[..n])
    }

    #[test]
    fn recognises_common_datelines() {
        assert_eq!(
            dateline("KABUL (Reuters) - At least"),
            Some("KABUL (Reuters) - ")
        );
        assert_eq!(
            dateline("JAKARTA, Indonesia - Suspected"),
            Some("JAKARTA, Indonesia - ")
        );
        assert_eq!(
            dateline("LONDON, Oct. 17 -- The war"),
            Some("LONDON, Oct. 17 -- ")
        );
        assert_eq!(
            dateline("Canadian Press - OTTAWA (CP) - Paul"),
            Some("Canadian Press - OTTAWA (CP) - ")
        );
        assert_eq!(dateline("AP - President Bush"), Some("AP - "));
        assert_eq!(
            dateline("UNITED NATIONS : The presidents"),
            Some("UNITED NATIONS : ")
        );
        assert_eq!(dateline("SEOUL North Korea is"), Some("SEOUL "));
        assert_eq!(
            dateline("ISLAMABAD, Dec 3: Pakistan"),
            Some("ISLAMABAD, Dec 3: ")
        );
    }

    #[test]
    fn ordinary_sentences_have_none() {
        assert_eq!(dateline("NATO Secretary General said"), None);
        assert_eq!(dateline("China is uneasy over Russia."), None);
        assert_eq!(dateline("The US and China - a rivalry"), None);
        assert_eq!(dateline("Russia and North Korea expanded"), None);
        assert_eq!(dateline("Putin - who rarely speaks - said"), None);
    }
}
