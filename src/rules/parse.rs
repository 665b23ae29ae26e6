//! The rule parser: text to [`Expr`], with actor aliases and topic ids resolved against the
//! extractor, and errors that point at the byte where the rule goes wrong.

use std::fmt;

use regex::Regex;

use crate::extract::Extractor;

/// A compiled rule expression.
#[derive(Debug, Clone)]
pub enum Expr {
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
    /// Every part holds in one sentence.
    Sentence(Vec<Expr>),
    /// Every part holds within a window of `n + 1` consecutive sentences.
    Near(usize, Vec<Expr>),
    Term(Term),
}

/// A leaf of the expression.
#[derive(Debug, Clone)]
pub struct Term {
    pub field: Field,
    /// The term as written in the rule, for `explain`.
    pub text: String,
    /// `>= 0.5` after a topic, or after `count(...)`.
    pub compare: Option<(Comparison, f64)>,
    /// `count(term)`: compare the number of mentions.
    pub count: bool,
}

/// What a term looks at.
#[derive(Debug, Clone)]
pub enum Field {
    /// An actor id, aliases already resolved.
    Actor(String),
    Topic(String),
    /// A topic used only in negated form ("has not criticized").
    Negated(String),
    /// Lowercase name or surname.
    Person(String),
    /// Lowercase place name or its start.
    Place(String),
    /// Lowercase part of the feed name.
    Feed(String),
    Tag(String),
    Lang(String),
    /// Lowercase phrase, matched on word boundaries.
    Phrase(String),
    Regex(Regex),
}

/// A numeric comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    Ge,
    Gt,
    Le,
    Lt,
    Eq,
}

impl Comparison {
    /// Whether `value` compares as asked to `limit`.
    pub fn holds(self, value: f64, limit: f64) -> bool {
        match self {
            Comparison::Ge => value >= limit,
            Comparison::Gt => value > limit,
            Comparison::Le => value <= limit,
            Comparison::Lt => value < limit,
            Comparison::Eq => (value - limit).abs() < 1e-9,
        }
    }
}

/// A rule that does not parse: where, what, and what would fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    /// Byte offset into the rule text.
    pub offset: usize,
    pub message: String,
    pub help: Option<String>,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at column {}", self.message, self.offset + 1)
    }
}

impl RuleError {
    /// The rule with a caret under the error, for terminals.
    pub fn snippet(&self, rule: &str) -> String {
        let line_start = rule[..self.offset.min(rule.len())]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let line_end = rule[line_start..]
            .find('\n')
            .map_or(rule.len(), |i| line_start + i);
        let column = rule[line_start..self.offset.min(rule.len())]
            .chars()
            .count();
        format!("{}\n{}^", &rule[line_start..line_end], " ".repeat(column))
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Open,
    Close,
    Comma,
    Colon,
    Word(String),
    Str(String),
    Regex(String),
    Cmp(Comparison),
    Number(f64),
    NearN(usize),
    End,
}

fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Open => "`(`".into(),
        Tok::Close => "`)`".into(),
        Tok::Comma => "`,`".into(),
        Tok::Colon => "`:`".into(),
        Tok::Word(w) => format!("`{w}`"),
        Tok::Str(s) => format!("\"{s}\""),
        Tok::Regex(r) => format!("/{r}/"),
        Tok::Cmp(_) => "a comparison".into(),
        Tok::Number(n) => format!("`{n}`"),
        Tok::NearN(n) => format!("`NEAR/{n}`"),
        Tok::End => "the end of the rule".into(),
    }
}

fn err(offset: usize, message: impl Into<String>, help: Option<&str>) -> RuleError {
    RuleError {
        offset,
        message: message.into(),
        help: help.map(str::to_string),
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '+' | '\'' | '’')
}

fn lex(src: &str) -> Result<Vec<(usize, Tok)>, RuleError> {
    let mut out = Vec::new();
    let mut chars = src.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '(' | ')' | ',' | ':' => {
                chars.next();
                out.push((
                    i,
                    match c {
                        '(' => Tok::Open,
                        ')' => Tok::Close,
                        ',' => Tok::Comma,
                        _ => Tok::Colon,
                    },
                ));
            }
            '"' | '/' => {
                chars.next();
                let mut text = String::new();
                let mut closed = false;
                while let Some((_, ch)) = chars.next() {
                    if ch == '\\' {
                        if let Some((_, next)) = chars.next() {
                            if next != c && next != '\\' || c == '/' && next == '\\' {
                                text.push('\\');
                            }
                            text.push(next);
                        }
                    } else if ch == c {
                        closed = true;
                        break;
                    } else {
                        text.push(ch);
                    }
                }
                if !closed {
                    let (what, close) = if c == '"' {
                        ("phrase", "\"")
                    } else {
                        ("regex", "/")
                    };
                    return Err(err(
                        i,
                        format!("unterminated {what}"),
                        Some(&format!("close it with {close}")),
                    ));
                }
                out.push((
                    i,
                    if c == '"' {
                        Tok::Str(text)
                    } else {
                        Tok::Regex(text)
                    },
                ));
            }
            '>' | '<' | '=' => {
                chars.next();
                let equals = chars.peek().is_some_and(|&(_, n)| n == '=');
                if equals {
                    chars.next();
                }
                let cmp = match (c, equals) {
                    ('>', true) => Comparison::Ge,
                    ('>', false) => Comparison::Gt,
                    ('<', true) => Comparison::Le,
                    ('<', false) => Comparison::Lt,
                    _ => Comparison::Eq,
                };
                out.push((i, Tok::Cmp(cmp)));
            }
            c if is_word_char(c) => {
                let mut word = String::new();
                while let Some(&(_, ch)) = chars.peek() {
                    if !is_word_char(ch) {
                        break;
                    }
                    word.push(ch);
                    chars.next();
                }
                if word == "NEAR" && chars.peek().is_some_and(|&(_, ch)| ch == '/') {
                    chars.next();
                    let mut digits = String::new();
                    while let Some(&(_, ch)) = chars.peek().filter(|(_, ch)| ch.is_ascii_digit()) {
                        digits.push(ch);
                        chars.next();
                    }
                    let n = digits.parse().map_err(|_| {
                        err(
                            i + 5,
                            "expected a number of sentences after `NEAR/`",
                            Some("write NEAR/1(a, b)"),
                        )
                    })?;
                    out.push((i, Tok::NearN(n)));
                } else if let Ok(n) = word.parse::<f64>() {
                    out.push((i, Tok::Number(n)));
                } else {
                    out.push((i, Tok::Word(word)));
                }
            }
            other => {
                return Err(err(
                    i,
                    format!("unexpected character `{other}`"),
                    Some("quote phrases with \"...\""),
                ))
            }
        }
    }
    out.push((src.len(), Tok::End));
    Ok(out)
}

struct Parser<'a> {
    tokens: Vec<(usize, Tok)>,
    pos: usize,
    src: &'a str,
    extractor: &'a Extractor,
}

/// Parses and compiles a rule expression.
pub fn parse(src: &str, extractor: &Extractor) -> Result<Expr, RuleError> {
    let mut parser = Parser {
        tokens: lex(src)?,
        pos: 0,
        src,
        extractor,
    };
    if parser.peek() == &Tok::End {
        return Err(err(
            0,
            "the rule is empty",
            Some("write a term such as actor:RUS"),
        ));
    }
    let expr = parser.or()?;
    match parser.peek() {
        Tok::End => Ok(expr),
        Tok::Close => Err(err(
            parser.offset(),
            "unmatched `)`",
            Some("remove it or add a `(` before"),
        )),
        other => Err(err(
            parser.offset(),
            format!(
                "expected AND, OR or the end of the rule, found {}",
                describe(other)
            ),
            None,
        )),
    }
}

impl Parser<'_> {
    fn peek(&self) -> &Tok {
        &self.tokens[self.pos].1
    }

    fn offset(&self) -> usize {
        self.tokens[self.pos].0
    }

    fn next(&mut self) -> (usize, Tok) {
        let t = self.tokens[self.pos].clone();
        if self.pos < self.tokens.len() - 1 {
            self.pos += 1;
        }
        t
    }

    fn is_keyword(&self, keyword: &str) -> bool {
        matches!(self.peek(), Tok::Word(w) if w == keyword)
    }

    fn or(&mut self) -> Result<Expr, RuleError> {
        let mut parts = vec![self.and()?];
        while self.is_keyword("OR") {
            self.next();
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::Or(parts)
        })
    }

    fn and(&mut self) -> Result<Expr, RuleError> {
        let mut parts = vec![self.unary()?];
        loop {
            if self.is_keyword("AND") {
                self.next();
            } else if matches!(self.peek(), Tok::End | Tok::Close | Tok::Comma)
                || self.is_keyword("OR")
            {
                break;
            }
            parts.push(self.unary()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Expr::And(parts)
        })
    }

    fn unary(&mut self) -> Result<Expr, RuleError> {
        if self.is_keyword("NOT") {
            self.next();
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, RuleError> {
        let (at, tok) = self.next();
        match tok {
            Tok::Open => {
                let inner = self.or()?;
                self.expect_close("(")?;
                Ok(inner)
            }
            Tok::Word(w) if w == "SENTENCE" => Ok(Expr::Sentence(self.arguments("SENTENCE(")?)),
            Tok::NearN(n) => Ok(Expr::Near(n, self.arguments("NEAR(")?)),
            Tok::Word(w) if w == "count" => self.count(at),
            Tok::Word(w) if matches!(w.as_str(), "and" | "or" | "not") => Err(err(
                at,
                format!("`{w}` is not an operator"),
                Some(&format!("write {} in capitals", w.to_uppercase())),
            )),
            Tok::Word(w) if matches!(w.as_str(), "AND" | "OR") => Err(err(
                at,
                format!("expected a term before `{w}`"),
                Some("write a term such as actor:RUS"),
            )),
            Tok::Word(field) => self.field_term(at, &field),
            Tok::Str(phrase) => Ok(Expr::Term(Term {
                field: Field::Phrase(phrase.to_lowercase()),
                text: self.src_text(at),
                compare: None,
                count: false,
            })),
            Tok::Regex(pattern) => {
                let regex = Regex::new(&pattern).map_err(|e| {
                    err(
                        at,
                        format!("invalid regex /{pattern}/: {}", first_line(&e.to_string())),
                        None,
                    )
                })?;
                Ok(Expr::Term(Term {
                    field: Field::Regex(regex),
                    text: self.src_text(at),
                    compare: None,
                    count: false,
                }))
            }
            other => Err(err(
                at,
                format!("expected a term, found {}", describe(&other)),
                Some("terms look like actor:RUS, topic:sanctions, \"a phrase\" or /regex/"),
            )),
        }
    }

    fn src_text(&self, from: usize) -> String {
        let to = self.tokens[self.pos].0;
        self.src[from..to].trim().to_string()
    }

    fn expect_close(&mut self, what: &str) -> Result<(), RuleError> {
        match self.peek() {
            Tok::Close => {
                self.next();
                Ok(())
            }
            other => Err(err(
                self.offset(),
                format!("expected `)` to close `{what}`, found {}", describe(other)),
                Some("add the missing `)`"),
            )),
        }
    }

    fn arguments(&mut self, what: &str) -> Result<Vec<Expr>, RuleError> {
        if self.peek() != &Tok::Open {
            return Err(err(
                self.offset(),
                format!("expected `(` after `{}`", what.trim_end_matches('(')),
                None,
            ));
        }
        self.next();
        let mut args = vec![self.or()?];
        while self.peek() == &Tok::Comma {
            self.next();
            args.push(self.or()?);
        }
        self.expect_close(what)?;
        Ok(args)
    }

    fn count(&mut self, at: usize) -> Result<Expr, RuleError> {
        if self.peek() != &Tok::Open {
            return Err(err(
                self.offset(),
                "expected `(` after `count`",
                Some("write count(actor:CHN)>=3"),
            ));
        }
        self.next();
        let inner_at = self.offset();
        let inner = self.primary()?;
        self.expect_close("count(")?;
        let Expr::Term(mut term) = inner else {
            return Err(err(
                inner_at,
                "count() takes one term",
                Some("write count(actor:CHN)>=3"),
            ));
        };
        if !matches!(
            term.field,
            Field::Actor(_) | Field::Person(_) | Field::Place(_) | Field::Phrase(_)
        ) {
            return Err(err(
                inner_at,
                "count() works on actor:, person:, place: or a phrase",
                None,
            ));
        }
        term.count = true;
        term.compare = Some(self.comparison().ok_or_else(|| {
            err(
                self.offset(),
                "expected a comparison after count(...)",
                Some("write count(actor:CHN)>=3"),
            )
        })??);
        term.text = self.src_text(at);
        Ok(Expr::Term(term))
    }

    fn comparison(&mut self) -> Option<Result<(Comparison, f64), RuleError>> {
        let Tok::Cmp(cmp) = *self.peek() else {
            return None;
        };
        self.next();
        let (at, tok) = self.next();
        Some(match tok {
            Tok::Number(n) => Ok((cmp, n)),
            other => Err(err(
                at,
                format!("expected a number, found {}", describe(&other)),
                None,
            )),
        })
    }

    fn field_term(&mut self, at: usize, field: &str) -> Result<Expr, RuleError> {
        if self.peek() != &Tok::Colon {
            return Err(err(
                at,
                format!("expected `:` after `{field}`"),
                Some("terms look like actor:RUS, topic:sanctions, \"a phrase\" or /regex/"),
            ));
        }
        self.next();
        let (value_at, value) = self.next();
        let value = match value {
            Tok::Word(w) => w,
            Tok::Str(s) => s,
            Tok::Number(n) => n.to_string(),
            other => {
                return Err(err(
                    value_at,
                    format!(
                        "expected a value after `{field}:`, found {}",
                        describe(&other)
                    ),
                    None,
                ))
            }
        };
        let field = self.resolve(field, &value, at, value_at)?;
        let compare = match self.comparison() {
            None => None,
            Some(result) => {
                let compare = result?;
                if !matches!(field, Field::Topic(_)) {
                    return Err(err(
                        at,
                        "only topic: terms take a score threshold",
                        Some("use count(...) to compare mentions"),
                    ));
                }
                Some(compare)
            }
        };
        Ok(Expr::Term(Term {
            field,
            text: self.src_text(at),
            compare,
            count: false,
        }))
    }

    fn resolve(
        &self,
        field: &str,
        value: &str,
        at: usize,
        value_at: usize,
    ) -> Result<Field, RuleError> {
        let lower = value.to_lowercase();
        Ok(match field {
            "actor" => match self.extractor.gazetteer.resolve(value) {
                Some(actor) => Field::Actor(actor.id.clone()),
                None => {
                    let gazetteer = &self.extractor.gazetteer;
                    let help = match closest(value, gazetteer.names())
                        .and_then(|k| gazetteer.resolve(&k))
                    {
                        Some(actor) => format!(
                            "did you mean `{}` ({})? or add an [[actor]] to the config",
                            actor.id, actor.name
                        ),
                        None => "add an [[actor]] with this id or alias to the config".to_string(),
                    };
                    return Err(err(
                        value_at,
                        format!("unknown actor `{value}`"),
                        Some(&help),
                    ));
                }
            },
            "topic" | "negated" => {
                if !self.extractor.topic_ids().any(|t| t == lower) {
                    let help = match closest(&lower, self.extractor.topic_ids()) {
                        Some(topic) => format!("did you mean `{topic}`?"),
                        None => "see TOPICS.md or add a [[topic]] to the config".to_string(),
                    };
                    return Err(err(
                        value_at,
                        format!("unknown topic `{value}`"),
                        Some(&help),
                    ));
                }
                if field == "topic" {
                    Field::Topic(lower)
                } else {
                    Field::Negated(lower)
                }
            }
            "person" => Field::Person(lower),
            "place" => Field::Place(lower),
            "feed" => Field::Feed(lower),
            "tag" => Field::Tag(value.to_string()),
            "lang" => Field::Lang(lower),
            other => {
                return Err(err(
                    at,
                    format!("unknown field `{other}`"),
                    Some("use actor, topic, negated, person, place, feed, tag or lang"),
                ))
            }
        })
    }
}

fn first_line(s: &str) -> &str {
    s.lines().last().unwrap_or(s).trim()
}

/// The candidate closest to `word` by edit distance, when close enough to be a typo.
fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    let word = word.to_lowercase();
    candidates
        .map(|c| (edit_distance(&word, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.len() / 3).max(1))
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)))
        .map(|(_, c)| c.to_string())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}
