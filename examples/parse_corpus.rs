//! Parses every corpus feed and prints what came out: a quick look for developers.
//! `cargo run --example parse_corpus [DIR]`
fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/corpus/feeds".into());
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    for path in paths {
        let bytes = std::fs::read(&path).unwrap();
        match wirewatch::parse::parse_feed(&bytes) {
            Ok(feed) => {
                let first = feed.items.first();
                println!(
                    "OK   {:<55} {:>3} items | {}",
                    path.file_name().unwrap().to_string_lossy(),
                    feed.items.len(),
                    first
                        .and_then(|i| i.title.clone())
                        .unwrap_or_default()
                        .chars()
                        .take(60)
                        .collect::<String>()
                );
            }
            Err(e) => println!(
                "ERR  {:<55} {e}",
                path.file_name().unwrap().to_string_lossy()
            ),
        }
    }
}
