use wirewatch::extract::Extractor;
use wirewatch::normalize::normalize;
fn main() {
    let dir = "../shared/corpus/news/bbc_politics/politics";
    let docs: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    let x = Extractor::builtin();
    let mut n = 0;
    let t = std::time::Instant::now();
    for _ in 0..40 {
        for d in &docs {
            n += x.extract(&normalize(None, d)).actors.len();
        }
    }
    let mb = docs.iter().map(|d| d.len()).sum::<usize>() as f64 * 40.0 / 1e6;
    eprintln!("full {n} {:.1} MB/s", mb / t.elapsed().as_secs_f64());
}
