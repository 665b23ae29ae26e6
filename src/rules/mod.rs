//! Watch rules: the expression language of DESIGN.md, compiled once against the gazetteer,
//! and evaluated against an item's extraction.
//!
//! ```text
//! SENTENCE(actor:RUS, actor:PRK, topic:military-cooperation)
//! (actor:CHN OR actor:"Taiwan") AND topic:sanctions>=0.5 AND NOT feed:tabloid
//! count(actor:CHN)>=3 AND "buoy"    NEAR/1(actor:JPN, place:Senkaku)    /drone(s)?/
//! ```
//!
//! `AND` may be left out between terms. `SENTENCE(a, b, …)`: all hold in one sentence.
//! `NEAR/n(a, b, …)`: all hold within n+1 consecutive sentences. Negated uses of a topic
//! ("has not criticized") never satisfy `topic:`; `negated:TOPIC` asks for them.

mod eval;
mod parse;

use std::time::Duration;

pub use eval::{evaluate, explain, Evidence, ItemContext, TermVerdict, Verdict};
pub use parse::{parse, Expr, Field, RuleError, Term};

/// How loud an alert is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Critical,
}

impl std::str::FromStr for Severity {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "info" => Ok(Severity::Info),
            "warning" => Ok(Severity::Warning),
            "critical" => Ok(Severity::Critical),
            _ => Err(()),
        }
    }
}

impl Severity {
    /// The config spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Critical => "critical",
        }
    }
}

/// Where an alert goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Desktop,
    Webhook(String),
    Jsonl,
    Log,
    /// No alert: the match only appears in the digest.
    DigestOnly,
}

impl Action {
    /// The channel name stored in the outbox.
    pub fn channel(&self) -> String {
        match self {
            Action::Desktop => "desktop".into(),
            Action::Webhook(name) => format!("webhook:{name}"),
            Action::Jsonl => "jsonl".into(),
            Action::Log => "log".into(),
            Action::DigestOnly => "digest".into(),
        }
    }
}

/// A compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub name: String,
    /// The expression as written.
    pub source: String,
    pub expr: Expr,
    pub severity: Severity,
    pub actions: Vec<Action>,
    /// After an alert, the same rule stays quiet this long (matches still reach the digest).
    pub cooldown: Duration,
    /// Local times (digest timezone) between which matches are held for the digest.
    pub quiet_hours: Option<(chrono::NaiveTime, chrono::NaiveTime)>,
    /// Only items of these feeds (by name), when not empty.
    pub feeds: Vec<String>,
    /// Only items of feeds with one of these tags, when not empty.
    pub tags: Vec<String>,
}

impl Rule {
    /// Whether local time `t` falls in the rule's quiet hours (a window may cross midnight).
    pub fn is_quiet_at(&self, t: chrono::NaiveTime) -> bool {
        match self.quiet_hours {
            None => false,
            Some((from, to)) if from <= to => from <= t && t < to,
            Some((from, to)) => t >= from || t < to,
        }
    }

    /// Whether the rule looks at items of this feed at all.
    pub fn applies_to(&self, feed: &str, tags: &[String]) -> bool {
        (self.feeds.is_empty() || self.feeds.iter().any(|f| f == feed))
            && (self.tags.is_empty() || self.tags.iter().any(|t| tags.contains(t)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(quiet: Option<(&str, &str)>) -> Rule {
        let t = |s: &str| chrono::NaiveTime::parse_from_str(s, "%H:%M").unwrap();
        Rule {
            name: "r".into(),
            source: "actor:RUS".into(),
            expr: parse("actor:RUS", crate::extract::Extractor::builtin()).unwrap(),
            severity: Severity::Info,
            actions: vec![Action::Log],
            cooldown: Duration::ZERO,
            quiet_hours: quiet.map(|(a, b)| (t(a), t(b))),
            feeds: vec![],
            tags: vec![],
        }
    }

    #[test]
    fn quiet_hours_may_cross_midnight() {
        let t = |s: &str| chrono::NaiveTime::parse_from_str(s, "%H:%M").unwrap();
        let night = rule(Some(("22:00", "07:00")));
        assert!(night.is_quiet_at(t("23:30")));
        assert!(night.is_quiet_at(t("06:59")));
        assert!(!night.is_quiet_at(t("07:00")));
        assert!(!night.is_quiet_at(t("12:00")));
        let lunch = rule(Some(("12:00", "13:00")));
        assert!(lunch.is_quiet_at(t("12:30")));
        assert!(!lunch.is_quiet_at(t("13:30")));
        assert!(!rule(None).is_quiet_at(t("03:00")));
    }
}
