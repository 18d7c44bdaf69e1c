//! The floor `benches/run.py` compares hygiene with: parse every line of a JSON Lines file with
//! serde_json into a generic value and do nothing else. One core, as the issue measures it.
//!
//! `cargo bench --bench parse_only -- FILE` prints the number of records parsed.

use std::io::{BufRead, BufReader};

fn main() {
    let path = std::env::args()
        .skip(1)
        .find(|arg| !arg.starts_with("--"))
        .expect("usage: parse_only FILE.jsonl");
    let file = std::fs::File::open(&path).expect("the corpus opens");
    let mut records = 0usize;
    for line in BufReader::with_capacity(1 << 20, file).lines() {
        let line = line.expect("the corpus is UTF-8");
        if line.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value = serde_json::from_str(&line).expect("every line is JSON");
        std::hint::black_box(&value);
        records += 1;
    }
    println!("{records}");
}
