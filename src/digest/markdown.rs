//! The digest as Markdown. Feed text is escaped so it never becomes Markdown structure or
//! HTML; links are only http(s).

use std::fmt::Write as _;

use super::model::{DigestData, Story, Trend};

/// Renders the digest as Markdown.
pub fn render(d: &DigestData, tz: &chrono_tz::Tz) -> String {
    let local =
        |t: chrono::DateTime<chrono::Utc>| t.with_timezone(tz).format("%d %b %H:%M").to_string();
    let mut out = format!("# wirewatch digest — {}\n\n", d.window.day);
    let stories: usize = d.rules.iter().map(|r| r.stories.len()).sum();
    let _ = writeln!(
        out,
        "Items first seen from {} to {} ({}): **{}** new items, **{}** stories matched rules; {} of {} feeds had errors.\n",
        local(d.window.from),
        local(d.window.to),
        d.timezone,
        d.items,
        stories,
        d.feeds_failing,
        d.feeds
    );
    out.push_str("## What changed\n\n");
    if d.rules.is_empty() {
        out.push_str("- No rule matched in this period.\n");
    }
    for rule in d.rules.iter().take(5) {
        let _ = writeln!(
            out,
            "- **{}**: {} stor{} (`{}`)",
            escape(&rule.name),
            rule.stories.len(),
            if rule.stories.len() == 1 { "y" } else { "ies" },
            spark(&rule.history)
        );
    }
    for t in d.rising_actors.iter().chain(&d.rising_pairs) {
        let _ = writeln!(
            out,
            "- {} rising: {} mentions, against {:.1} a day the week before (`{}`)",
            escape(&t.label),
            t.today,
            t.average,
            spark(&t.history)
        );
    }
    out.push('\n');
    for rule in &d.rules {
        let _ = writeln!(
            out,
            "## {} ({})\n",
            escape(&rule.name),
            escape(&rule.severity)
        );
        for story in &rule.stories {
            push_story(&mut out, story, &local);
        }
    }
    if !d.notable.is_empty() {
        out.push_str("## Notable stories no rule caught\n\n");
        for story in &d.notable {
            push_story(&mut out, story, &local);
        }
    }
    if !d.top_actors.is_empty() {
        out.push_str("## Most mentioned actors\n\n| actor | mentions | 7-day average | trend |\n| --- | ---: | ---: | --- |\n");
        for t in &d.top_actors {
            push_trend_row(&mut out, t);
        }
        out.push('\n');
    }
    out
}

fn push_story(
    out: &mut String,
    s: &Story,
    local: &impl Fn(chrono::DateTime<chrono::Utc>) -> String,
) {
    let title = escape(&s.title);
    match &s.link {
        Some(link) => {
            let _ = writeln!(
                out,
                "### [{title}](<{}>)\n",
                link.replace(['<', '>', ' '], "")
            );
        }
        None => {
            let _ = writeln!(out, "### {title}\n");
        }
    }
    let sources: Vec<String> = s.sources.iter().map(|f| escape(f)).collect();
    let _ = writeln!(
        out,
        "- {} source{}: {}; first seen {}",
        s.sources.len(),
        if s.sources.len() == 1 { "" } else { "s" },
        sources.join(", "),
        local(s.first_seen)
    );
    if !s.actors.is_empty() {
        let actors: Vec<String> = s.actors.iter().map(|a| escape(a)).collect();
        let _ = writeln!(out, "- Actors: {}", actors.join(", "));
    }
    if !s.topics.is_empty() {
        let _ = writeln!(out, "- Topics: {}", s.topics.join(", "));
    }
    if let Some(sentence) = &s.key_sentence {
        let _ = writeln!(out, "\n> {}", escape(sentence));
    }
    out.push('\n');
}

fn push_trend_row(out: &mut String, t: &Trend) {
    let _ = writeln!(
        out,
        "| {} | {} | {:.1} | `{}` |",
        escape(&t.label),
        t.today,
        t.average,
        spark(&t.history)
    );
}

/// A text sparkline: one block character per day.
pub fn spark(values: &[u32]) -> String {
    const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = values.iter().copied().max().unwrap_or(0).max(1);
    values
        .iter()
        .map(|&v| BLOCKS[(v as usize * (BLOCKS.len() - 1)) / max as usize])
        .collect()
}

/// Escapes text so that Markdown renders it literally, and HTML in it stays text.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '(' | ')' | '#' | '+' | '!' | '|'
            | '~' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_neutralises_markup() {
        assert_eq!(
            escape("<script>x</script> [a](javascript:b)"),
            "&lt;script&gt;x&lt;/script&gt; \\[a\\]\\(javascript:b\\)"
        );
    }

    #[test]
    fn sparkline_scales_to_the_maximum() {
        assert_eq!(spark(&[0, 1, 2, 4]), "▁▂▄█");
        assert_eq!(spark(&[0, 0]), "▁▁");
    }
}
