//! Repairs for feeds that are not quite XML, tried only after a strict parse fails (except
//! namespace fixes, which are always applied): HTML entities XML does not define, control
//! characters XML forbids, empty namespaced elements feed-rs chokes on, and documents cut
//! off mid-item (kept up to the last complete item).

use std::sync::OnceLock;

use regex::Regex;

/// Default namespaces that hide a feed's elements from the parser, and their replacements:
/// the userland RSS 2.0 namespace (none is correct) and Netscape's RSS 0.90 (read as 1.0,
/// which has the same shape).
pub fn fix_namespaces(text: &str) -> Option<String> {
    let mut fixed = None;
    for (wrong, right) in [
        (r#" xmlns="http://backend.userland.com/rss2""#, ""),
        (
            r#"xmlns="http://my.netscape.com/rdf/simple/0.9/""#,
            r#"xmlns="http://purl.org/rss/1.0/""#,
        ),
    ] {
        let current: &str = fixed.as_deref().unwrap_or(text);
        if current.contains(wrong) {
            fixed = Some(current.replacen(wrong, right, 1));
        }
    }
    fixed
}

/// `<rss>` without a version is read as RSS 2.0 (feed-rs needs the attribute).
pub fn fix_rss_version(text: &str) -> Option<String> {
    static RSS: OnceLock<Regex> = OnceLock::new();
    let rss = RSS.get_or_init(|| Regex::new(r"<rss(\s[^>]*)?>").expect("valid regex"));
    let found = rss.find(text)?;
    if found.as_str().contains("version") {
        return None;
    }
    let fixed = format!("<rss version=\"2.0\"{}", &found.as_str()[4..]);
    Some(format!(
        "{}{fixed}{}",
        &text[..found.start()],
        &text[found.end()..]
    ))
}

/// Closes every element left open at the end of a cut-off document, after dropping an
/// unfinished tag or CDATA section at the very end.
pub fn close_open_elements(text: &str) -> Option<String> {
    let mut kept = text;
    if let Some(open) = kept.rfind("<![CDATA[") {
        if !kept[open..].contains("]]>") {
            kept = &kept[..open];
        }
    }
    if let Some(lt) = kept.rfind('<') {
        if !kept[lt..].contains('>') {
            kept = &kept[..lt];
        }
    }
    let mut stack: Vec<&str> = Vec::new();
    let mut rest = kept;
    while let Some(lt) = rest.find('<') {
        rest = &rest[lt..];
        let skip_to = |marker: &str, rest: &str| rest.find(marker).map(|i| i + marker.len());
        let advance = if rest.starts_with("<!--") {
            skip_to("-->", rest)
        } else if rest.starts_with("<![CDATA[") {
            skip_to("]]>", rest)
        } else if rest.starts_with("<?") || rest.starts_with("<!") {
            skip_to(">", rest)
        } else {
            let end = rest.find('>')?;
            let tag = &rest[1..end];
            if let Some(name) = tag.strip_prefix('/') {
                let name = name.trim();
                if let Some(at) = stack.iter().rposition(|open| *open == name) {
                    stack.truncate(at);
                }
            } else if !tag.ends_with('/') {
                let name = tag.split(|c: char| c.is_whitespace()).next().unwrap_or("");
                if !name.is_empty() {
                    stack.push(name);
                }
            }
            Some(end + 1)
        };
        let Some(advance) = advance else { break };
        rest = &rest[advance..];
    }
    if stack.is_empty() {
        return None;
    }
    let mut closed = kept.to_string();
    for name in stack.iter().rev() {
        closed.push_str(&format!("</{name}>"));
    }
    Some(closed)
}

/// Entities, control characters and empty elements fixed.
pub fn sanitize(text: &str) -> String {
    static ENTITY: OnceLock<Regex> = OnceLock::new();
    static EMPTY: OnceLock<Regex> = OnceLock::new();
    let entity =
        ENTITY.get_or_init(|| Regex::new(r"&([A-Za-z][A-Za-z0-9]{1,31});").expect("valid regex"));
    let empty =
        EMPTY.get_or_init(|| Regex::new(r"<[A-Za-z][\w.-]*:[\w.-]+\s*/>").expect("valid regex"));
    let no_controls: String = text
        .chars()
        .filter(|&c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let entities = entity.replace_all(&no_controls, |caps: &regex::Captures<'_>| {
        let name = &caps[1];
        if matches!(name, "amp" | "lt" | "gt" | "quot" | "apos") {
            return caps[0].to_string();
        }
        let decoded = html_escape::decode_html_entities(&caps[0]);
        match decoded.chars().next() {
            Some(c) if decoded != caps[0] => format!("&#{};", c as u32),
            // Unknown even to HTML: keep the text, escape the ampersand.
            _ => format!("&amp;{name};"),
        }
    });
    empty.replace_all(&entities, "").into_owned()
}

/// The document cut after its last complete item or entry and closed, when it was cut off.
pub fn truncate_to_last_item(text: &str) -> Option<String> {
    for (item_end, closing) in [("</item>", "</channel></rss>"), ("</entry>", "</feed>")] {
        let Some(at) = text.rfind(item_end) else {
            continue;
        };
        let mut kept = text[..at + item_end.len()].to_string();
        if kept.contains("<rdf:RDF") {
            kept.push_str("</rdf:RDF>");
        } else if closing == "</channel></rss>" && !kept.contains("<channel") {
            kept.push_str("</rss>");
        } else {
            kept.push_str(closing);
        }
        // Any CDATA section left open would swallow the closing tags.
        if kept.matches("<![CDATA[").count() > kept.matches("]]>").count() {
            continue;
        }
        return Some(kept);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undefined_entities_become_characters() {
        assert_eq!(
            sanitize("a&nbsp;b &amp; &mdash; &bogus;"),
            "a&#160;b &amp; &#8212; &amp;bogus;"
        );
    }

    #[test]
    fn control_characters_and_empty_elements_go() {
        assert_eq!(sanitize("<a>x\u{1}y<media:credit/></a>"), "<a>xy</a>");
    }

    #[test]
    fn open_elements_are_closed() {
        assert_eq!(
            close_open_elements("<rss><channel><title>T</title><item><title><![CD").unwrap(),
            "<rss><channel><title>T</title><item><title></title></item></channel></rss>"
        );
        assert_eq!(close_open_elements("<rss><channel></channel></rss>"), None);
    }

    #[test]
    fn rss_without_version_gets_one() {
        assert_eq!(
            fix_rss_version("<!-- x --><rss>").unwrap(),
            "<!-- x --><rss version=\"2.0\">"
        );
        assert_eq!(fix_rss_version("<rss version=\"0.91\">"), None);
    }

    #[test]
    fn truncated_rss_is_closed_after_the_last_item() {
        let text = "<rss><channel><item><title>A</title></item><item><title>B";
        assert_eq!(
            truncate_to_last_item(text).unwrap(),
            "<rss><channel><item><title>A</title></item></channel></rss>"
        );
    }
}
