//! Throughput of parsing and segmentation over real news bodies.
//!
//! Reads the FNC-1 training bodies in place from `../shared/fnc1-train/bodies.csv`
//! (1,683 articles, 3.7 MB); without `../shared` it falls back to generated text of the
//! same shape, and says so. Run with `cargo bench -p corro-parse`; divan prints bytes per
//! second for each stage, single-threaded.

use std::path::Path;

use corro_parse::{read_source, sentences, Limits, OutletLexicon, RawReport, Report};
use divan::counter::BytesCount;
use divan::Bencher;

fn main() {
    divan::main();
}

fn outlets() -> OutletLexicon {
    OutletLexicon::from_csv(include_str!("../../../data/outlets.csv")).expect("outlets.csv")
}

/// The FNC-1 bodies as a CSV file, or a generated stand-in.
fn corpus() -> &'static [u8] {
    static CORPUS: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    CORPUS.get_or_init(|| {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fnc1-train/bodies.csv");
        match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!(
                    "{}: {e}; benchmarking generated text instead",
                    path.display()
                );
                generated()
            }
        }
    })
}

fn generated() -> Vec<u8> {
    let para = "AZAZ, Syria (North Press) – Private sources informed North Press that Turkish-backed \
                groups are about to send 150 fighters to Azerbaijan, the U.S. envoy said on Sept. 29. \
                \"We will go,\" one of them said. The source added that about 1,000 militants had \
                registered for $1,500 per month.";
    let mut out = String::from("Body ID,articleBody\n");
    for i in 0..2000 {
        out.push_str(&format!(
            "{i},\"Headline number {i}\n\n{para}\n\n{para}\n\nReporting by A. Writer\"\n"
        ));
    }
    out.into_bytes()
}

/// The bodies as raw reports, to time `Report::build` without the CSV reader.
fn raws() -> Vec<RawReport> {
    read_source(
        "bodies.csv",
        corpus(),
        &Limits::default(),
        &OutletLexicon::default(),
    )
    .into_iter()
    .map(|r| RawReport {
        id: Some(r.id),
        path: r.path,
        text: r.text,
        ..RawReport::default()
    })
    .collect()
}

/// Whole pipeline: decode, CSV, metadata, language, sentences.
#[divan::bench]
fn read_source_csv(bencher: Bencher) {
    let lex = outlets();
    let bytes = corpus();
    bencher.counter(BytesCount::new(bytes.len())).bench(|| {
        read_source(
            "bodies.csv",
            divan::black_box(bytes),
            &Limits::default(),
            &lex,
        )
    });
}

/// Report building alone (metadata, language, sentences), from already-read fields.
#[divan::bench]
fn build_reports(bencher: Bencher) {
    let lex = outlets();
    let raws = raws();
    let total: usize = raws.iter().map(|r| r.text.len()).sum();
    bencher
        .counter(BytesCount::new(total))
        .with_inputs(|| raws.clone())
        .bench_values(|raws| {
            raws.into_iter()
                .map(|r| {
                    let id = r.id.clone().unwrap_or_default();
                    Report::build(r, id, &lex)
                })
                .collect::<Vec<_>>()
        });
}

/// The segmenter alone.
#[divan::bench]
fn split_sentences(bencher: Bencher) {
    let texts: Vec<String> = raws().into_iter().map(|r| r.text).collect();
    let total: usize = texts.iter().map(String::len).sum();
    bencher.counter(BytesCount::new(total)).bench(|| {
        texts
            .iter()
            .map(|t| sentences::split(divan::black_box(t)).len())
            .sum::<usize>()
    });
}
