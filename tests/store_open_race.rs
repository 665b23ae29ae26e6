//! Several processes (here threads, each with its own connection) opening one new store at
//! the same moment — a daemon starting while `wirewatch status` runs — must all succeed.

use std::sync::{Arc, Barrier};

use wirewatch::store::Store;

#[test]
fn concurrent_opens_of_a_new_store_all_succeed() {
    for round in 0..30 {
        let dir = tempfile::tempdir().unwrap();
        let path = Arc::new(dir.path().join(format!("store-{round}.db")));
        let barrier = Arc::new(Barrier::new(6));
        let threads: Vec<_> = (0..6)
            .map(|_| {
                let (path, barrier) = (path.clone(), barrier.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    Store::open(&path).map(|_| ()).map_err(|e| e.to_string())
                })
            })
            .collect();
        for t in threads {
            let result = t.join().unwrap();
            assert!(result.is_ok(), "round {round}: {result:?}");
        }
    }
}
