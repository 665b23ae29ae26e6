//! Repairs text that was UTF-8, decoded as Windows-1252 or Latin-1, and encoded as UTF-8
//! again ("Ã©" for "é", "â€™" for "’"), a common fault of feeds.

/// Windows-1252's characters for bytes 0x80..=0x9F (None where the byte is undefined).
const CP1252_HIGH: [Option<char>; 32] = [
    Some('€'),
    None,
    Some('‚'),
    Some('ƒ'),
    Some('„'),
    Some('…'),
    Some('†'),
    Some('‡'),
    Some('ˆ'),
    Some('‰'),
    Some('Š'),
    Some('‹'),
    Some('Œ'),
    None,
    Some('Ž'),
    None,
    None,
    Some('‘'),
    Some('’'),
    Some('“'),
    Some('”'),
    Some('•'),
    Some('–'),
    Some('—'),
    Some('˜'),
    Some('™'),
    Some('š'),
    Some('›'),
    Some('œ'),
    None,
    Some('ž'),
    None,
];

fn cp1252_byte(c: char) -> Option<u8> {
    let code = c as u32;
    if code < 0x80 || (0xA0..=0xFF).contains(&code) || (0x80..0xA0).contains(&code) {
        return Some(code as u8);
    }
    CP1252_HIGH
        .iter()
        .position(|&h| h == Some(c))
        .map(|i| 0x80 + i as u8)
}

/// Signs of double encoding: a UTF-8 lead byte seen as Latin-1 followed by a continuation.
fn suspicious(text: &str) -> bool {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if matches!(
            c,
            'Ã' | 'Â'
                | 'â'
                | 'Å'
                | 'Ä'
                | 'Ð'
                | 'Ñ'
                | 'Ø'
                | 'Ù'
                | 'ã'
                | 'å'
                | 'æ'
                | 'ç'
                | 'è'
                | 'é'
        ) {
            if let Some(&next) = chars.peek() {
                if cp1252_byte(next).is_some_and(|b| (0x80..0xC0).contains(&b)) {
                    return true;
                }
            }
        }
    }
    false
}

/// The repaired text, or `None` when the text shows no double encoding or cannot be
/// repaired as a whole (then it is left as it is rather than half-fixed).
pub fn repair(text: &str) -> Option<String> {
    if text.is_ascii() || !suspicious(text) {
        return None;
    }
    let bytes: Option<Vec<u8>> = text.chars().map(cp1252_byte).collect();
    let repaired = String::from_utf8(bytes?).ok()?;
    (repaired.len() < text.len()).then_some(repaired)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn double_encoded_text_is_repaired() {
        assert_eq!(repair("Japanâ€™s cafÃ©").as_deref(), Some("Japan’s café"));
    }

    #[test]
    fn correct_text_is_left_alone() {
        assert_eq!(repair("Japan’s café in Besançon"), None);
        assert_eq!(repair("plain"), None);
    }
}
