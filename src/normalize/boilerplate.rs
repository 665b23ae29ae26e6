//! Finds boilerplate paragraphs: author bios and bylines, "View all posts", share, cookie,
//! subscription and "Read more" lines. Works on whole lines of normalised text.

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

/// Lines that are boilerplate on their own.
fn line_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?ix)^(?:
                view\ all\ posts.* | read\ more.* | continue\ reading.* | share\ (?:this|on|via).* |
                share | tweet | email | print | advertisement | sponsored | related(?:\ articles|\ stories)?:?.* |
                (?:sign\ up|subscribe)\b.* | follow\ us.* | click\ here.* | tags?:.* | filed\ under.* |
                all\ rights\ reserved.* | (?:copyright|©).* | .*\bcookies?\b.*\b(?:accept|consent|policy|use)\b.* |
                (?:by|author|written\ by)\ [A-Z][\w.'-]+(?:\ [A-Z][\w.'-]+){0,3}\.? |
                author | about\ the\ author | -+ | [|•·–—]+ | posted\ (?:on|in|by)\b.* |
                (?:photo|image)\ (?:credit|courtesy):.* | (?:updated|published):?\ .{0,40}
            )$",
        )
        .expect("valid regex")
    })
}

/// An author bio: "Jane Doe is a senior reporter at Example News ...".
fn bio_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"^[A-Z][\w'-]+(?: [A-Z][\w'-]+){0,3} (?:is|was) (?:an?|the) (?:[\w-]+ ){0,5}(?:reporter|journalist|writer|correspondent|editor|columnist|contributor|author|blogger|freelancer)\b",
        )
        .expect("valid regex")
    })
}

/// Byte ranges of boilerplate lines in `text` (lines separated by `\n`).
pub fn find(text: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut start = 0;
    let mut after_author_heading = false;
    for line in text.split('\n') {
        let range = start..start + line.len();
        start = range.end + 1;
        let trimmed = line.trim();
        let is_heading = trimmed.eq_ignore_ascii_case("author")
            || trimmed.eq_ignore_ascii_case("about the author");
        let remaining = text.len().saturating_sub(range.start);
        if is_heading && remaining < 2000 {
            after_author_heading = true;
        }
        let boilerplate = after_author_heading
            || (trimmed.len() < 160 && line_pattern().is_match(trimmed))
            || bio_pattern().is_match(trimmed);
        if boilerplate {
            found.push(range);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn author_block_at_the_end_is_boilerplate() {
        let text =
            "Real news sentence.\nAuthor\n-\nJane Roe is a reporter at Example.\nView all posts";
        let ranges = find(text);
        assert_eq!(ranges.len(), 4);
        assert_eq!(&text[ranges[0].clone()], "Author");
    }

    #[test]
    fn news_lines_are_kept() {
        assert!(find("The minister said the talks would resume.\nShare prices fell.").is_empty());
    }

    #[test]
    fn cookie_notice_is_boilerplate() {
        assert_eq!(
            find("We use cookies to improve your experience. Accept").len(),
            1
        );
    }
}
