//! HTML to text, one paragraph per line. html5ever (through scraper) does the parsing for
//! ordinary pages; pathologically nested or huge input, on which a tree builder's work grows
//! with the square of the depth, goes through a linear tag stripper instead, so hostile HTML
//! cannot stall the pipeline.

use scraper::{Html, Node};

use super::clean_text;

/// Nesting deeper than this is not a real article.
const MAX_TREE_DEPTH: usize = 512;
/// Larger inputs skip the DOM.
const MAX_TREE_BYTES: usize = 4 * 1024 * 1024;

/// Elements whose content is never news.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "nav", "footer", "aside", "form", "button", "iframe", "svg",
    "template", "select", "object", "embed", "head", "menu",
];

/// Elements that start a new paragraph.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "table",
    "blockquote",
    "section",
    "article",
    "pre",
    "header",
    "figure",
    "figcaption",
    "dd",
    "dt",
    "dl",
    "hr",
    "main",
    "address",
];

/// Converts HTML to text with one paragraph per line. Entities are decoded; nothing of the
/// markup survives, so the text is safe to escape and show.
pub fn html_to_text(html: &str) -> String {
    if html.len() > MAX_TREE_BYTES || nesting_depth(html) > MAX_TREE_DEPTH {
        return strip_tags(html);
    }
    dom_to_text(html)
}

fn dom_to_text(html: &str) -> String {
    let fragment = Html::parse_fragment(html);
    let mut raw = String::with_capacity(html.len() / 2);
    // An explicit stack instead of recursion: deeply nested hostile HTML cannot overflow it.
    let mut stack = vec![(fragment.tree.root(), false)];
    while let Some((node, closing)) = stack.pop() {
        match node.value() {
            Node::Text(text) if !closing => raw.push_str(text),
            Node::Element(element) => {
                let name = element.name();
                if SKIPPED.contains(&name) {
                    continue;
                }
                let block = BLOCKS.contains(&name);
                if block {
                    raw.push('\n');
                }
                if !closing {
                    if block {
                        stack.push((node, true));
                    }
                    let children: Vec<_> = node.children().collect();
                    stack.extend(children.into_iter().rev().map(|c| (c, false)));
                }
            }
            Node::Document | Node::Fragment if !closing => {
                let children: Vec<_> = node.children().collect();
                stack.extend(children.into_iter().rev().map(|c| (c, false)));
            }
            _ => {}
        }
    }
    clean_text(&raw)
}

/// Elements that never have content or a closing tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// The deepest element nesting, estimated from the tags alone in one pass.
fn nesting_depth(html: &str) -> usize {
    let bytes = html.as_bytes();
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut i = 0;
    while let Some(offset) = bytes[i..].iter().position(|&b| b == b'<') {
        i += offset + 1;
        let closing = bytes.get(i) == Some(&b'/');
        let name_start = i + usize::from(closing);
        let name: String = html[name_start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() || VOID.contains(&name.as_str()) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else {
            depth += 1;
            deepest = deepest.max(depth);
        }
    }
    deepest
}

/// A linear fallback: drops scripts and styles with their content, turns block tags into
/// line breaks, removes every other tag and decodes entities.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        rest = &rest[open..];
        let Some(close) = rest.find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[1..close];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        rest = &rest[close + 1..];
        if !tag.starts_with('/') && SKIPPED.contains(&name.as_str()) {
            let end_tag = format!("</{name}");
            let end = rest
                .as_bytes()
                .windows(end_tag.len())
                .position(|w| w.eq_ignore_ascii_case(end_tag.as_bytes()));
            rest = end.map_or("", |end| &rest[end..]);
            continue;
        }
        if BLOCKS.contains(&name.as_str()) {
            out.push('\n');
        }
    }
    out.push_str(rest);
    clean_text(&html_escape::decode_html_entities(&out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_is_estimated_from_tags() {
        assert_eq!(nesting_depth("<div><p>a<br>b</p></div><p>c</p>"), 2);
    }

    #[test]
    fn stripper_matches_the_dom_on_simple_html() {
        let html = "<p>First &amp; one.</p><script>alert(1)</script><p>Second<br>line</p>";
        assert_eq!(strip_tags(html), dom_to_text(html));
    }
}
