//! Every reader on any bytes: posts or a clean error naming the input, never a panic or hang.
//! The first byte picks the format (one of `--input-format`, or detection) and the split of
//! plain text; the rest is the file.

#![no_main]

use clap::ValueEnum;
use hygiene::input::{ReadOptions, TextSplit, read_bytes};
use hygiene::post::{Corpus, InputFormat};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&choice, content)) = data.split_first() else {
        return;
    };
    let formats = InputFormat::value_variants();
    let format = formats
        .get(usize::from(choice >> 1) % (formats.len() + 1))
        .copied();
    let split = if choice & 1 == 0 {
        TextSplit::Separator
    } else {
        TextSplit::Lines
    };
    let options = ReadOptions {
        format,
        split,
        ..ReadOptions::default()
    };
    let mut corpus = Corpus::default();
    if let Err(error) = read_bytes(&mut corpus, "fuzz".into(), content, None, options) {
        assert!(error.to_string().starts_with("fuzz"), "{error:#}");
    }
});
