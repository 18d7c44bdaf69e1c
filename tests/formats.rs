//! Every real export sample in `../shared/formats/` is read with exactly the number of posts and
//! the kinds its `MANIFEST.json` gives. Skips when `../shared` is absent (the samples are real
//! people's data and are not copied into this repository).

mod common;

use std::collections::BTreeMap;

use hygiene::input::{InputPath, ReadOptions, read_all};
use serde::Deserialize;

#[derive(Deserialize)]
struct Manifest {
    files: Vec<ManifestFile>,
}

#[derive(Deserialize)]
struct ManifestFile {
    path: String,
    format: String,
    posts: usize,
    kinds: BTreeMap<String, usize>,
    first_text_prefix: String,
}

#[test]
fn every_shared_sample_reads_as_its_manifest_says() {
    let Some(shared) = common::shared_dir() else {
        eprintln!("skipped: ../shared is not present");
        return;
    };
    let formats = shared.join("formats");
    let manifest: Manifest =
        serde_json::from_str(&std::fs::read_to_string(formats.join("MANIFEST.json")).unwrap())
            .unwrap();
    let mut failures = Vec::new();
    for file in &manifest.files {
        let path = formats.join(&file.path);
        let corpus = match read_all(
            &[InputPath::File(path)],
            ReadOptions::default(),
            &mut std::io::empty(),
        ) {
            Ok(corpus) => corpus,
            Err(error) => {
                failures.push(format!("{} ({}): {error:#}", file.path, file.format));
                continue;
            }
        };
        let mut kinds = BTreeMap::new();
        for post in &corpus.posts {
            *kinds.entry(post.kind.as_str().to_string()).or_insert(0) += 1;
        }
        let first = corpus
            .posts
            .first()
            .map(|post| &*post.text)
            .unwrap_or_default();
        let prefix: String = first
            .chars()
            .take(file.first_text_prefix.chars().count())
            .collect();
        if corpus.posts.len() != file.posts
            || kinds != file.kinds
            || prefix != file.first_text_prefix
        {
            failures.push(format!(
                "{} ({}): expected {} posts {:?} starting {:?}, read {} {:?} starting {:?}",
                file.path,
                file.format,
                file.posts,
                file.kinds,
                file.first_text_prefix,
                corpus.posts.len(),
                kinds,
                prefix
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} samples read wrong:\n{}",
        failures.len(),
        manifest.files.len(),
        failures.join("\n")
    );
}
