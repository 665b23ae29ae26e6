//! Stories: near-duplicate items (the same wire story carried by several feeds, a
//! republished item with a new link) grouped by MinHash, with LSH bands so the store finds
//! candidates by index instead of comparing every pair.
//!
//! A signature has two halves: one over the title's words, one over word 3-shingles of the
//! lead. Two items are as similar as their *less* similar half, so neither a shared
//! boilerplate lead under different titles nor a shared generic title over different
//! stories groups them (both happen in real feeds: measured on AG News, see
//! `benches/README.md`).
//!
//! Hashes are FNV-1a and fixed mixing constants, never the process-random `DefaultHasher`:
//! signatures are stored and compared across restarts and versions.

/// Number of MinHash functions in a signature: the first half for the title, the second
/// for the lead.
pub const HASHES: usize = 64;
const HALF: usize = HASHES / 2;
/// LSH bands: two items become candidates when they share the 2 rows of any band. With 16
/// bands per half, a half at Jaccard 0.3 makes a candidate with probability 0.78, at 0.5
/// with 0.99; candidates are then checked against the threshold.
pub const BANDS: usize = 32;
const ROWS: usize = HASHES / BANDS;
/// Words of the body that count as the lead.
const LEAD_WORDS: usize = 60;

/// A MinHash signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature(pub Vec<u32>);

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Words that say nothing about which story an item is.
const STOP_WORDS: &[&str] = &[
    "a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "at", "by", "with", "as", "is",
    "are", "was", "be", "its", "it", "s", "from", "after", "over", "new", "says", "said", "ap",
    "afp", "reuters", "update", "1", "2", "3", "39",
];

/// Lowercase words of a text.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn minima(shingles: &[u64], seeds: std::ops::Range<usize>) -> impl Iterator<Item = u32> + '_ {
    seeds.map(move |i| {
        let seed = splitmix(i as u64 + 1);
        shingles
            .iter()
            .map(|&s| (splitmix(s ^ seed) >> 32) as u32)
            .min()
            .unwrap_or(u32::MAX)
    })
}

/// The signature of an item from its title and body text.
pub fn signature(title: &str, body: &str) -> Signature {
    let title_words: Vec<u64> = words(title)
        .iter()
        .filter(|w| !STOP_WORDS.contains(&w.as_str()))
        .map(|w| fnv1a(w.as_bytes()))
        .collect();
    let lead: Vec<String> = words(body).into_iter().take(LEAD_WORDS).collect();
    let lead_shingles: Vec<u64> = if lead.len() < 3 {
        vec![fnv1a(lead.join(" ").as_bytes())]
    } else {
        lead.windows(3)
            .map(|w| fnv1a(w.join(" ").as_bytes()))
            .collect()
    };
    let title_shingles = if title_words.is_empty() {
        lead_shingles.clone()
    } else {
        title_words
    };
    Signature(
        minima(&title_shingles, 0..HALF)
            .chain(minima(&lead_shingles, HALF..HASHES))
            .collect(),
    )
}

impl Signature {
    /// The smaller of the estimated Jaccard similarities of titles and of leads.
    pub fn similarity(&self, other: &Signature) -> f64 {
        let half = |range: std::ops::Range<usize>| {
            let same = range
                .clone()
                .filter(|&i| self.0.get(i).is_some() && self.0.get(i) == other.0.get(i))
                .count();
            same as f64 / range.len() as f64
        };
        half(0..HALF).min(half(HALF..HASHES))
    }

    /// One key per band, for the candidate index (kept within SQLite's signed 64 bits).
    pub fn band_keys(&self) -> Vec<i64> {
        self.0
            .chunks(ROWS)
            .enumerate()
            .map(|(band, rows)| {
                let mut bytes = Vec::with_capacity(4 + ROWS * 4);
                bytes.extend_from_slice(&(band as u32).to_le_bytes());
                for r in rows {
                    bytes.extend_from_slice(&r.to_le_bytes());
                }
                (fnv1a(&bytes) >> 1) as i64
            })
            .collect()
    }

    /// Bytes for storage.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    /// From stored bytes.
    pub fn from_bytes(bytes: &[u8]) -> Signature {
        Signature(
            bytes
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LEAD: &str = "Russia and North Korea expanded their military cooperation this week, according to officials in Seoul, who said a new shipment of artillery shells crossed the border by rail.";

    #[test]
    fn copies_with_small_edits_are_similar() {
        let a = signature("North Korean shells reach Russian front", LEAD);
        let b = signature(
            "North Korean shells reach Russian front (update)",
            &LEAD.replace("this week", "this week, officials said,"),
        );
        assert!(a.similarity(&b) >= 0.5, "{}", a.similarity(&b));
        let shared = a
            .band_keys()
            .iter()
            .zip(b.band_keys())
            .filter(|(x, y)| **x == *y)
            .count();
        assert!(shared >= 1);
    }

    #[test]
    fn different_stories_are_not() {
        let a = signature("North Korean shells reach Russian front", LEAD);
        let b = signature("Floods displace thousands in river delta", "Heavy rain caused floods across the delta, and local authorities said more than 20,000 people had been displaced.");
        assert!(a.similarity(&b) < 0.1);
    }

    #[test]
    fn signatures_are_stable_and_round_trip() {
        let a = signature("Title", "Some body text here");
        assert_eq!(Signature::from_bytes(&a.to_bytes()), a);
        assert_eq!(a, signature("Title", "Some body text here"));
        assert_eq!(a.0[0], signature("Title", "Some body text here").0[0]);
    }
}
