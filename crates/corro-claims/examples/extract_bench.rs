//! Times claim extraction alone, one thread, best of three passes:
//! `cargo run --release --example extract_bench -- LEXICON_DIR FILE...`
//! (`corro gen` writes a corpus and its lexicon dir). Prints mentions and concepts found,
//! so two builds can be checked to agree, and a digest of every mention's `Debug` form
//! (computed after the timing) for a stronger check. Times are this thread's CPU time
//! (Linux), so other processes on the machine disturb them less than wall time would.
use corro_claims::{Extractor, LexiconSources, Lexicons};

/// The allocator `corro` runs with: allocation is a large share of extraction's time,
/// and the system allocator's costs are not the run's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn with_user(dir: &str, name: &str, shipped: &str) -> String {
    let Ok(mut out) = std::fs::read_to_string(format!("{dir}/{name}")) else {
        return shipped.to_string();
    };
    // The user's rows, then the shipped ones without their header (as `corro` does).
    out.push('\n');
    let rows = shipped
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'));
    for line in rows.skip(1) {
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = &args[0];
    let entities = with_user(
        dir,
        "entities.csv",
        include_str!("../../../data/entities.csv"),
    );
    let outlets = with_user(
        dir,
        "outlets.csv",
        include_str!("../../../data/outlets.csv"),
    );
    let lex = Lexicons::from_sources(&LexiconSources {
        units: include_str!("../../../data/units.csv"),
        currencies: include_str!("../../../data/currencies.csv"),
        entities: &entities,
        predicates: include_str!("../../../data/predicates.csv"),
        cues: include_str!("../../../data/cues.csv"),
        stopwords: include_str!("../../../data/stopwords.txt"),
        outlets: &outlets,
        titles: include_str!("../../../data/titles.txt"),
        documents: include_str!("../../../data/documents.txt"),
        unnamed: include_str!("../../../data/unnamed.txt"),
        publications: include_str!("../../../data/publications.txt"),
        bodies: include_str!("../../../data/bodies.txt"),
    })
    .expect("lexicons");
    let mut reports = Vec::new();
    for path in &args[1..] {
        let bytes = std::fs::read(path).expect("read");
        reports.extend(corro_parse::read_source(
            path,
            &bytes,
            &Default::default(),
            &lex.outlets,
        ));
    }
    let ex = Extractor::new(&lex);
    let mut best = f64::MAX;
    let (mut mentions, mut concepts) = (0, 0);
    for _ in 0..3 {
        let t = thread_cpu_seconds();
        (mentions, concepts) = (0, 0);
        for r in &reports {
            for m in ex.extract(r) {
                mentions += 1;
                concepts += m.concepts.len();
            }
        }
        best = best.min(thread_cpu_seconds() - t);
    }
    // FNV-1a over every mention's Debug form, in order.
    let mut digest: u64 = 0xcbf2_9ce4_8422_2325;
    for r in &reports {
        for m in ex.extract(r) {
            for b in format!("{m:?}").bytes() {
                digest = (digest ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
        }
    }
    println!(
        "{} reports, {mentions} mentions, {concepts} concepts, digest {digest:016x}: best {:.0} ms",
        reports.len(),
        best * 1000.0
    );
}

/// This thread's CPU time in seconds (`CLOCK_THREAD_CPUTIME_ID`).
fn thread_cpu_seconds() -> f64 {
    #[repr(C)]
    struct Timespec {
        sec: i64,
        nsec: i64,
    }
    extern "C" {
        fn clock_gettime(clock: i32, ts: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut ts = Timespec { sec: 0, nsec: 0 };
    // SAFETY: `ts` is a valid, writable timespec; the clock id is Linux's.
    let rc = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime");
    ts.sec as f64 + ts.nsec as f64 * 1e-9
}
