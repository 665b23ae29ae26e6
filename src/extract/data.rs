//! The built-in gazetteer and lexicon files from `config/`, compiled into the binary so that
//! extraction works anywhere without a config file, and their serde shapes.

use serde::Deserialize;

use crate::config::raw::{ActorConfig, TopicConfig};

/// `config/gazetteer/*.toml` and `config/topics.toml`, in load order.
pub const BUILTIN_FILES: &[(&str, &str)] = &[
    (
        "config/gazetteer/states.toml",
        include_str!("../../config/gazetteer/states.toml"),
    ),
    (
        "config/gazetteer/organisations.toml",
        include_str!("../../config/gazetteer/organisations.toml"),
    ),
    (
        "config/gazetteer/armed_groups.toml",
        include_str!("../../config/gazetteer/armed_groups.toml"),
    ),
    (
        "config/gazetteer/officials.toml",
        include_str!("../../config/gazetteer/officials.toml"),
    ),
    (
        "config/gazetteer/places.toml",
        include_str!("../../config/gazetteer/places.toml"),
    ),
    (
        "config/gazetteer/roles.toml",
        include_str!("../../config/gazetteer/roles.toml"),
    ),
    (
        "config/topics.toml",
        include_str!("../../config/topics.toml"),
    ),
];

/// Office holders since 1990, a tab-separated line each (see the file's header).
const OFFICIALS_HISTORY: &str = include_str!("../../config/gazetteer/officials_history.tsv");

/// The officials of [`OFFICIALS_HISTORY`]; a line that is not four fields is a bug in the
/// shipped data, caught by the tests.
fn officials_history() -> impl Iterator<Item = OfficialConfig> {
    OFFICIALS_HISTORY
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            let [name, actor, served, short] = fields[..] else {
                panic!("officials_history.tsv: not four fields: {line:?}");
            };
            OfficialConfig {
                name: name.to_string(),
                actor: actor.to_string(),
                role: None,
                short: short
                    .split("; ")
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect(),
                served: Some(served.to_string()),
            }
        })
}

/// One data file: any of the tables below, each optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataFile {
    #[serde(default)]
    pub actor: Vec<ActorConfig>,
    #[serde(default)]
    pub official: Vec<OfficialConfig>,
    #[serde(default)]
    pub place: Vec<PlaceConfig>,
    pub blocked: Option<BlockedConfig>,
    #[serde(default)]
    pub role: Vec<RoleConfig>,
    #[serde(default)]
    pub topic: Vec<TopicConfig>,
}

/// A well-known official whose name stands for an actor.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfficialConfig {
    pub name: String,
    pub actor: String,
    pub role: Option<String>,
    /// Short forms used alone in the news ("Putin").
    #[serde(default)]
    pub short: Vec<String>,
    /// Years in office ("1997-2007", "2012-" when still serving at the source's date), for
    /// the reader: a name keeps standing for its state after the office ends.
    pub served: Option<String>,
}

/// A place that is not an actor.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceConfig {
    pub name: String,
    pub country: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Contested land or sea: naming it is evidence of a territorial dispute.
    #[serde(default)]
    pub disputed: bool,
}

/// Phrases that contain an actor name but name something else.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlockedConfig {
    pub phrases: Vec<String>,
}

/// Role words and the sector they belong to ("admiral" → MIL).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleConfig {
    pub sector: String,
    /// Words or phrases, lowercase.
    pub words: Vec<String>,
    /// Whether these words are also titles written before a name ("Admiral Samuel Paparo").
    #[serde(default)]
    pub titles: bool,
}

/// Every built-in data file parsed; a failure here is a bug in the shipped data, caught by
/// the tests.
pub fn builtin() -> DataFile {
    let mut all = DataFile::default();
    for (name, text) in BUILTIN_FILES {
        let file: DataFile =
            toml::from_str(text).unwrap_or_else(|e| panic!("built-in data file {name}: {e}"));
        all.actor.extend(file.actor);
        all.official.extend(file.official);
        all.place.extend(file.place);
        all.role.extend(file.role);
        all.topic.extend(file.topic);
        if let Some(blocked) = file.blocked {
            all.blocked
                .get_or_insert_with(BlockedConfig::default)
                .phrases
                .extend(blocked.phrases);
        }
    }
    // After officials.toml, whose current roles win where a name is in both.
    all.official.extend(officials_history());
    all
}
