//! Throughput of `quantity::extract` on news text: the FNC-1 training bodies from
//! `../shared/fnc1-train/bodies.csv` when present, else a built-in sample repeated.
//! Run with `cargo bench -p corro-claims --bench quantities`; divan reports wall-clock
//! bytes/s. Before divan runs, the bench also prints the throughput per second of *CPU*
//! time of the benchmarking thread (Linux `/proc/thread-self/schedstat`), which is what
//! "MB/s on one core" means when other processes share the machine.

use corro_claims::quantity::{extract, UnitLexicon};
use divan::counter::BytesCount;

fn main() {
    cpu_time_throughput();
    divan::main();
}

/// Nanoseconds this thread has spent on a CPU, if the platform says.
fn thread_cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

fn cpu_time_throughput() {
    let lex = lexicon();
    let text = corpus();
    let _ = extract(&text, &lex); // warm up
    let runs = 10;
    let (Some(t0), wall) = (thread_cpu_ns(), std::time::Instant::now()) else {
        println!("cpu-time throughput: unavailable on this platform");
        return;
    };
    let mut found = 0;
    for _ in 0..runs {
        found += extract(divan::black_box(&text), &lex).len();
    }
    let cpu = thread_cpu_ns().unwrap_or(t0) - t0;
    let mb = (text.len() * runs) as f64 / 1e6;
    println!(
        "cpu-time throughput: {:.1} MB/s ({} bytes x {runs} runs, {:.0} ms CPU, {:.0} ms wall, {} quantities per run)",
        mb / (cpu as f64 / 1e9),
        text.len(),
        cpu as f64 / 1e6,
        wall.elapsed().as_secs_f64() * 1e3,
        found / runs
    );
}

fn lexicon() -> UnitLexicon {
    UnitLexicon::from_csv(
        include_str!("../../../data/units.csv"),
        include_str!("../../../data/currencies.csv"),
    )
    .expect("lexicons load")
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
    let lex = lexicon();
    let text = corpus();
    bencher
        .counter(BytesCount::new(text.len()))
        .bench(|| extract(divan::black_box(&text), &lex).len());
}
