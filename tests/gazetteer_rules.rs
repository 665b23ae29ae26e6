//! The gazetteer's case, blocking and context rules on sentences written for the test.

use wirewatch::extract::Extractor;
use wirewatch::normalize::normalize;

fn actors(text: &str) -> Vec<String> {
    let x = Extractor::builtin().extract(&normalize(None, text));
    let mut ids: Vec<String> = x.actors.into_iter().map(|a| a.id).collect();
    ids.sort();
    ids
}

fn has(text: &str, id: &str) -> bool {
    actors(text).iter().any(|a| a == id)
}

#[test]
fn short_forms_need_their_case() {
    assert!(has("The US and the EU met at the UN.", "USA"));
    assert!(has("The US and the EU met at the UN.", "EU"));
    assert!(has("The US and the EU met at the UN.", "UN"));
    assert_eq!(
        actors("Let us meet; un peu; the eu-phoria faded."),
        Vec::<String>::new()
    );
    assert!(!has(
        "She carved the turkey and served china plates.",
        "TUR"
    ));
    assert!(!has(
        "She carved the turkey and served china plates.",
        "CHN"
    ));
}

#[test]
fn names_inside_other_names_do_not_count() {
    assert!(!has(
        "Ships sailed the South China Sea and the East China Sea.",
        "CHN"
    ));
    assert_eq!(actors("South Korea protested."), vec!["KOR"]);
    assert!(!has("Tension on the Korean Peninsula rose.", "KOR"));
    assert!(!has("Storms hit New Mexico and the Gulf of Mexico.", "MEX"));
    assert!(!has("The Washington Post reported it.", "USA"));
}

#[test]
fn longer_names_win() {
    assert_eq!(actors("Nigeria sent troops."), vec!["NGA"]);
    assert_eq!(actors("Niger closed its border."), vec!["NER"]);
    assert_eq!(actors("Guinea-Bissau held elections."), vec!["GNB"]);
    assert_eq!(actors("Equatorial Guinea signed."), vec!["GNQ"]);
    assert_eq!(
        actors("The Dominican Republic and Dominica met."),
        vec!["DMA", "DOM"]
    );
}

#[test]
fn ambiguous_names_need_context() {
    assert!(!has(
        "Voters in Georgia went to the polls in Atlanta.",
        "GEO"
    ));
    assert!(has("Georgia said Tbilisi would not yield.", "GEO"));
    assert!(has(
        "Georgia and Russia clashed; Georgian troops pulled back.",
        "GEO"
    ));
    assert!(!has("Michael Jordan scored 40 points.", "JOR"));
    assert!(has(
        "Jordan closed its border; Amman said the move was temporary.",
        "JOR"
    ));
    assert!(!has("Chad Smith played the drums.", "TCD"));
    assert!(has("Chad sent troops to the Sahel.", "TCD"));
}

#[test]
fn demonyms_capitals_and_officials() {
    assert_eq!(
        actors("North Korean troops and Iraqis fought."),
        vec!["IRQ", "PRK"]
    );
    assert_eq!(
        actors("Moscow and Pyongyang signed a pact."),
        vec!["PRK", "RUS"]
    );
    assert_eq!(actors("Putin met Xi."), vec!["CHN", "RUS"]);
    // A capital used as a location is a place.
    assert!(!has("The summit was held in Beijing.", "CHN"));
    assert!(has("Beijing rejected the claim.", "CHN"));
}

#[test]
fn datelines_and_agencies_are_not_actors() {
    assert_eq!(
        actors("KABUL (Reuters) - Talks resumed on Monday."),
        Vec::<String>::new()
    );
    assert_eq!(
        actors("Canadian Press - OTTAWA (CP) - The mayor resigned."),
        Vec::<String>::new()
    );
    assert!(has(
        "JAKARTA, Indonesia - Australian officials said.",
        "AUS"
    ));
    assert!(!has(
        "JAKARTA, Indonesia - Australian officials said.",
        "IDN"
    ));
}

#[test]
fn past_office_holders_stand_for_their_state() {
    // From officials_history.tsv: names of 1990-2016 in any capitalisation, the news's short
    // forms, a possessive after the name.
    assert_eq!(
        actors("Tony Blair met Chen Shui-bian; President Bush's offer stood."),
        vec!["GBR", "TWN", "USA"]
    );
    assert_eq!(actors("DONALD RUMSFELD VISITS"), vec!["USA"]);
    // Only the whole name: a surname or given name alone names nobody.
    assert_eq!(actors("Blair and Tony went fishing."), Vec::<String>::new());
}

#[test]
fn locations_currencies_and_noun_demonyms() {
    // A city after "in" and a compass word is a place, not its government.
    assert!(!has("Bombs exploded in western Baghdad.", "IRQ"));
    assert!(has("Baghdad said the talks would resume.", "IRQ"));
    // A city's own things are the city's.
    assert!(!has("Moscow police searched the Madrid train.", "RUS"));
    assert!(!has("Victims of the Madrid train bombings spoke.", "ESP"));
    assert!(has("Moscow warned Madrid.", "RUS"));
    // A currency is not the state.
    assert!(!has("Oil rose to US$53 and then US $54.", "USA"));
    // Nouns for people of a country, and an island group that is not Turkey.
    assert!(has("Two Swedes and a Spaniard were freed.", "SWE"));
    assert!(has("Two Swedes and a Spaniard were freed.", "ESP"));
    assert!(!has("Tourists flew to Turks and Caicos.", "TUR"));
    // Organisations and armed groups of the wider gazetteer.
    assert!(has("Leaders met at the APEC summit.", "APEC"));
    assert!(has(
        "Shining Path guerrillas were tried in Lima.",
        "SHINING-PATH"
    ));
}

#[test]
fn languages_and_official_name_forms() {
    // A demonym that names a language is not the state.
    assert!(!has(
        "He said help me in Polish while preaching in French.",
        "POL"
    ));
    assert!(!has("She speaks Russian fluently.", "RUS"));
    assert!(has("The town is in Russian hands.", "RUS"));
    // Other forms of an office holder's name, and the person without the title.
    let x = Extractor::builtin().extract(&normalize(None, "Vice President Dick Cheney said so."));
    assert!(x.actors.iter().any(|a| a.id == "USA"));
    let person = x
        .people
        .iter()
        .find(|p| p.name == "Richard Cheney")
        .expect("one person");
    assert_eq!(person.count, 1);
    assert_eq!(person.mentions[0].text, "Dick Cheney");
}
