//! Throughput of `quantity::extract` on news text: the FNC-1 training bodies from
//! `../shared/fnc1-train/bodies.csv` when present, else a built-in sample repeated.
//! Run with `cargo bench -p corro-claims --bench quantities`; divan reports bytes/s.

use corro_claims::quantity::{extract, UnitLexicon};
use divan::counter::BytesCount;

fn main() {
    divan::main();
}

const FALLBACK: &str = "The source added that more than 150 militants from the various Syrian groups had \
registered their names. A Syrian national said about a thousand armed mercenaries were paid $1,500 per \
month for three-months-long contracts, while the fiercest fighting since the 1990s killed 52 people on \
September 27. Some 7,000-10,000 Turkish lira (£700-£1,000) a month was offered; dozens of fighters left.\n";

fn corpus() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/fnc1-train/bodies.csv"
    );
    if let Ok(file) = std::fs::File::open(path) {
        let mut rdr = csv::Reader::from_reader(file);
        let mut text = String::new();
        for rec in rdr.records().flatten() {
            if let Some(body) = rec.get(1) {
                text.push_str(body);
                text.push('\n');
            }
        }
        if !text.is_empty() {
            return text;
        }
    }
    FALLBACK.repeat(8_000)
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn extract_news(bencher: divan::Bencher) {
    let lex = UnitLexicon::from_csv(
        include_str!("../../../data/units.csv"),
        include_str!("../../../data/currencies.csv"),
    )
    .expect("lexicons load");
    let text = corpus();
    bencher
        .counter(BytesCount::new(text.len()))
        .bench(|| extract(divan::black_box(&text), &lex).len());
}
