//! Full text for summary-only feeds: the main content of an article page, readability-style
//! (dom_smoothie), without navigation, comments or footers.

/// Pages whose extracted text is shorter than this are not worth replacing a summary with.
const MIN_TEXT_CHARS: usize = 200;

/// The main content of an article page as HTML, when the page has a readable article.
pub fn main_content(html: &str, url: &str) -> Option<String> {
    let mut readability = dom_smoothie::Readability::new(html, Some(url), None).ok()?;
    let article = readability.parse().ok()?;
    (article.text_content.chars().count() >= MIN_TEXT_CHARS).then(|| article.content.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_article_is_kept_and_the_chrome_dropped() {
        let paragraph = "Russia and North Korea deepened their military cooperation this week, officials said, as a new shipment crossed the border. ";
        let html = format!(
            "<html><head><title>T</title></head><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>\
             <article><h1>Title</h1><p>{}</p><p>{}</p></article><footer>Copyright Example News. Share on social.</footer></body></html>",
            paragraph.repeat(3),
            paragraph.repeat(2)
        );
        let content = main_content(&html, "https://example.org/a").unwrap();
        assert!(content.contains("military cooperation"));
        assert!(!content.contains("Copyright Example News"));
        assert!(!content.contains(">Home<"));
    }

    #[test]
    fn pages_without_an_article_give_nothing() {
        assert_eq!(
            main_content(
                "<html><body><p>Hi</p></body></html>",
                "https://example.org/"
            ),
            None
        );
    }
}
