//! The whole `check` pipeline on any bytes: read (format detected), run the built-in rules,
//! score, and print with every printer; the JSON and SARIF documents must parse.

#![no_main]

use std::sync::LazyLock;

use clap::ValueEnum;
use hygiene::engine::Engine;
use hygiene::input::{ReadOptions, read_bytes};
use hygiene::post::Corpus;
use hygiene::report::{self, Report, ReportFormat};
use hygiene::score::score;
use libfuzzer_sys::fuzz_target;

/// Compiled once: compiling the rules is the slow part of a run.
static ENGINE: LazyLock<Engine> = LazyLock::new(|| Engine::builtin().unwrap());

fuzz_target!(|data: &[u8]| {
    let engine = &*ENGINE;
    let mut corpus = Corpus::default();
    if read_bytes(
        &mut corpus,
        "fuzz".into(),
        data,
        None,
        ReadOptions::default(),
    )
    .is_err()
    {
        return;
    }
    let analysis = engine.run(&corpus);
    let score = score(engine, &corpus, &analysis);
    assert!((0.0..=100.0).contains(&score.value));
    let report = Report {
        engine,
        corpus: &corpus,
        analysis: &analysis,
        score: &score,
        fixes: None,
    };
    for &format in ReportFormat::value_variants() {
        let mut out = Vec::new();
        report::write(&report, format, true, &mut out).unwrap();
        if matches!(format, ReportFormat::Json | ReportFormat::Sarif) {
            let out = std::str::from_utf8(&out).unwrap();
            assert!(
                serde_json::from_str::<serde_json::Value>(out).is_ok(),
                "{out}"
            );
        }
    }
});
