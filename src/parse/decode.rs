//! Bytes to UTF-8 text: byte-order mark, then the XML declaration's encoding, then (for
//! undeclared bytes that are not UTF-8) a statistical guess; the declaration is rewritten
//! to UTF-8 so the XML parser does not decode twice. Whole documents that were UTF-8
//! decoded as Windows-1252 and encoded again are repaired.

use std::sync::OnceLock;

use encoding_rs::{Encoding, UTF_8};
use regex::Regex;

/// Decoded text and how the encoding was found.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    pub text: String,
    /// The encoding's WHATWG name.
    pub encoding: &'static str,
    /// Whether the encoding was guessed rather than declared.
    pub guessed: bool,
}

fn declaration() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r#"^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']"#)
            .expect("valid regex")
    })
}

/// Decodes feed bytes to UTF-8.
pub fn to_utf8(bytes: &[u8]) -> Decoded {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return finish(text.into_owned(), encoding, false);
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]);
    let declared = declaration()
        .captures(&head)
        .and_then(|c| Encoding::for_label(c[1].as_bytes()));
    match declared {
        Some(encoding) if encoding != UTF_8 => {
            let (text, _, _) = encoding.decode(bytes);
            finish(text.into_owned(), encoding, false)
        }
        _ => match std::str::from_utf8(bytes) {
            Ok(text) => finish(text.to_string(), UTF_8, false),
            Err(_) => {
                let mut detector = chardetng::EncodingDetector::new();
                detector.feed(bytes, true);
                let encoding = detector.guess(None, true);
                let (text, _, _) = encoding.decode(bytes);
                finish(text.into_owned(), encoding, true)
            }
        },
    }
}

fn finish(text: String, encoding: &'static Encoding, guessed: bool) -> Decoded {
    let text = match declaration().captures(&text).and_then(|c| c.get(1)) {
        Some(label) if !label.as_str().eq_ignore_ascii_case("utf-8") => {
            format!("{}utf-8{}", &text[..label.start()], &text[label.end()..])
        }
        _ => text,
    };
    let text = crate::normalize::repair_mojibake(&text).unwrap_or(text);
    Decoded {
        text,
        encoding: encoding.name(),
        guessed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_legacy_encoding_is_decoded_and_the_declaration_rewritten() {
        let bytes = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><t>Caf\xe9</t></rss>";
        let d = to_utf8(bytes);
        assert_eq!(d.encoding, "windows-1252");
        assert!(d.text.contains("Café"));
        assert!(d
            .text
            .starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"));
    }

    #[test]
    fn undeclared_legacy_bytes_are_guessed() {
        // KOI8-R for "Новости и события в России сегодня".
        let koi8 = encoding_rs::KOI8_R
            .encode("<rss><t>Новости и события в России сегодня</t></rss>")
            .0;
        let d = to_utf8(&koi8);
        assert!(d.guessed);
        assert!(d.text.contains("Новости"), "{} {}", d.encoding, d.text);
    }

    #[test]
    fn utf8_with_bom_is_kept() {
        let d = to_utf8("\u{feff}<rss>é</rss>".as_bytes());
        assert_eq!(d.text, "<rss>é</rss>");
    }
}
