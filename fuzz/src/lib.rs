//! # corro-fuzz: robustness checks for corro's parsers on the stable toolchain
//!
//! cargo-fuzz needs nightly, which this project does not use, so this crate is a small
//! self-contained fuzzer instead:
//!
//! * [`Target`] — one entry point of corro that takes untrusted text or bytes
//!   (`read_source` for every format, datelines, dates, quantities, sentences, full claim
//!   extraction), with the **invariants** its output must keep (spans in bounds and on
//!   char boundaries, intervals `low ≤ high`, no NaN or infinite values, every report
//!   accounted for). A panic or a broken invariant is a crash.
//! * [`Rng`] — a seeded SplitMix64: the same seed gives the same run, so a crash found in
//!   CI can be found again on a laptop.
//! * [`Fuzzer`] — a corpus (the sample reports, `../shared/corpus/seeds` when present,
//!   and structured generators for datelines, numbers, CSV and JSONL) and mutations:
//!   byte flips, insertions of tokens that have broken parsers before (quotes, commas,
//!   digits, `(`, `—`, `\r`, invalid UTF-8, NULs, `1e400`, `99999999999999999999`),
//!   splices and truncations. Each input runs under [`std::panic::catch_unwind`]; a
//!   crashing input is written to `fuzz/crashes/TARGET/` and can be replayed.
//! * [`coverage`] — optional feedback: when the binary is built with LLVM's
//!   sanitizer-coverage inline 8-bit counters (stable `-C passes=sancov-module`, see
//!   `fuzz/README.md`), inputs that reach new code are kept in the corpus. Without it
//!   the fuzzer is a plain mutation fuzzer.
//!
//! ```
//! use corro_fuzz::{Fuzzer, Target};
//! let mut f = Fuzzer::new(Target::Quantity, 7);
//! let stats = f.run_for(std::time::Duration::from_millis(200), None);
//! assert!(stats.execs > 0);
//! assert_eq!(stats.crashes, 0);
//! ```
//!
//! This crate never writes anywhere but the crash directory it is given, and never
//! changes the code under test.

pub mod coverage;
mod generate;
mod invariants;
mod mutate;

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use corro_claims::Lexicons;

pub use mutate::Rng;

/// One fuzzed entry point of corro.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// `corro_parse::read_source`: the first input byte picks the file name
    /// (`.txt`, `.md`, `.jsonl`, `.csv`, each plain or `.gz`, compressed intact,
    /// truncated or as raw bytes), the second picks the limits.
    ReadSource,
    /// `metadata::parse_dateline`, `parse_byline`, `parse_credit` on the text.
    Dateline,
    /// `metadata::parse_date`, `parse_date_parts`, `latest_year_in`, `month_number`.
    Date,
    /// `corro_claims::quantity::extract` and `find_numbers`.
    Quantity,
    /// `corro_parse::sentences::split`.
    Sentences,
    /// `Extractor::extract` on every report `read_source` makes of the input (as `.txt`).
    Extract,
}

impl Target {
    /// Every target, in the order `corro-fuzz all` runs them.
    pub const ALL: [Target; 6] = [
        Target::ReadSource,
        Target::Dateline,
        Target::Date,
        Target::Quantity,
        Target::Sentences,
        Target::Extract,
    ];

    /// The target's name on the command line and under `fuzz/crashes/`.
    pub fn name(self) -> &'static str {
        match self {
            Target::ReadSource => "read_source",
            Target::Dateline => "dateline",
            Target::Date => "date",
            Target::Quantity => "quantity",
            Target::Sentences => "sentences",
            Target::Extract => "extract",
        }
    }

    /// The target called `name`.
    pub fn from_name(name: &str) -> Option<Target> {
        Target::ALL.into_iter().find(|t| t.name() == name)
    }

    /// Runs one input; `Err` describes a broken invariant. Panics propagate (the caller
    /// catches them).
    pub fn run(self, input: &[u8]) -> Result<(), String> {
        let lex = lexicons();
        match self {
            Target::ReadSource => invariants::read_source(input, lex),
            Target::Dateline => invariants::dateline(&String::from_utf8_lossy(input), lex),
            Target::Date => invariants::date(&String::from_utf8_lossy(input)),
            Target::Quantity => invariants::quantity(&String::from_utf8_lossy(input), lex),
            Target::Sentences => invariants::sentences(&String::from_utf8_lossy(input)),
            Target::Extract => invariants::extract(input, lex),
        }
    }

    /// Runs one input, catching panics: `Err` is the panic message or broken invariant.
    pub fn check(self, input: &[u8]) -> Result<(), String> {
        quiet_panics();
        match panic::catch_unwind(AssertUnwindSafe(|| self.run(input))) {
            Ok(r) => r,
            Err(p) => Err(format!("panic: {}", panic_message(&*p))),
        }
    }
}

/// The shipped lexicons, built once.
pub fn lexicons() -> &'static Lexicons {
    static LEX: OnceLock<Lexicons> = OnceLock::new();
    LEX.get_or_init(corro_claims::testing::lexicons)
}

fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "(non-string panic payload)".into()
    }
}

/// Replaces the panic hook once, so that each caught panic does not print a backtrace;
/// the message and location are kept for the crash report.
fn quiet_panics() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        panic::set_hook(Box::new(|info| {
            LAST_PANIC_AT.with(|l| {
                *l.borrow_mut() = info.location().map(|l| l.to_string());
            });
        }));
    });
}

thread_local! {
    static LAST_PANIC_AT: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Where the last caught panic on this thread happened (`file:line:col`).
pub fn last_panic_location() -> Option<String> {
    LAST_PANIC_AT.with(|l| l.borrow().clone())
}

/// What one fuzzing run did.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    /// Inputs executed.
    pub execs: u64,
    /// Distinct crashes: by panic location, or by kind of broken invariant.
    pub crashes: u64,
    /// Inputs that crashed, duplicates included.
    pub execs_crashing: u64,
    /// Inputs that took longer than the slow threshold.
    pub slow: u64,
    /// Slowest single input.
    pub slowest: Duration,
    /// Corpus size at the end.
    pub corpus: usize,
    /// Coverage counters seen non-zero (0 when not built with coverage).
    pub coverage: usize,
    /// The distinct crash messages, with where each input was saved.
    pub found: Vec<(String, Option<PathBuf>)>,
    keys: Vec<String>,
}

/// A mutation fuzzer for one target.
pub struct Fuzzer {
    target: Target,
    rng: Rng,
    corpus: Vec<Vec<u8>>,
    max_len: usize,
    /// Inputs slower than this are counted (and saved) as slow.
    pub slow_threshold: Duration,
}

impl Fuzzer {
    /// A fuzzer with the built-in seed corpus for `target` and the seed `seed`.
    pub fn new(target: Target, seed: u64) -> Fuzzer {
        let mut rng = Rng::new(seed ^ (target as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let corpus = generate::seeds(target, &mut rng);
        Fuzzer {
            target,
            rng,
            corpus,
            max_len: 64 * 1024,
            slow_threshold: Duration::from_secs(2),
        }
    }

    /// Adds every regular file under `dir` to the corpus (for `--corpus DIR`).
    pub fn add_corpus_dir(&mut self, dir: &Path) -> std::io::Result<usize> {
        let mut n = 0;
        let mut entries: Vec<_> = std::fs::read_dir(dir)?.filter_map(Result::ok).collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let p = e.path();
            if p.is_file() {
                let mut b = std::fs::read(&p)?;
                b.truncate(self.max_len);
                self.corpus
                    .push(generate::wrap(self.target, b, &mut self.rng));
                n += 1;
            }
        }
        Ok(n)
    }

    /// Runs until `budget` is spent. Crashing and slow inputs are saved under
    /// `crash_dir/TARGET/` (and `crash_dir/../slow/TARGET/`) when a directory is given.
    pub fn run_for(&mut self, budget: Duration, crash_dir: Option<&Path>) -> Stats {
        let start = Instant::now();
        let mut stats = Stats::default();
        let cov = coverage::available();
        // Seeds first, as they are.
        let seeds = self.corpus.clone();
        for input in &seeds {
            self.exec(input, crash_dir, &mut stats, cov);
        }
        while start.elapsed() < budget {
            for _ in 0..64 {
                let input = self.next_input();
                let new = self.exec(&input, crash_dir, &mut stats, cov);
                if new && self.corpus.len() < 50_000 {
                    self.corpus.push(input);
                }
            }
        }
        stats.corpus = self.corpus.len();
        stats.coverage = coverage::seen();
        stats
    }

    fn next_input(&mut self) -> Vec<u8> {
        let rng = &mut self.rng;
        if rng.below(16) == 0 {
            return generate::fresh(self.target, rng);
        }
        let mut input = self.corpus[rng.below(self.corpus.len())].clone();
        let rounds = 1 + rng.below(6);
        for _ in 0..rounds {
            let other = &self.corpus[rng.below(self.corpus.len())];
            mutate::mutate(&mut input, other, rng);
        }
        input.truncate(self.max_len);
        input
    }

    /// Runs one input; true when it reached new coverage.
    fn exec(&self, input: &[u8], crash_dir: Option<&Path>, stats: &mut Stats, cov: bool) -> bool {
        if cov {
            coverage::reset();
        }
        let t = Instant::now();
        let res = self.target.check(input);
        let took = t.elapsed();
        stats.execs += 1;
        stats.slowest = stats.slowest.max(took);
        if took > self.slow_threshold {
            stats.slow += 1;
            if let Some(d) = crash_dir {
                let dir = d.join("..").join("slow").join(self.target.name());
                let _ = save(&dir, input);
            }
        }
        if let Err(msg) = res {
            // One crash per panic location, or per kind of broken invariant (the
            // message up to its first quoted text or number).
            let (msg, key) = match last_panic_location() {
                Some(at) if msg.starts_with("panic") => (format!("{msg} at {at}"), at),
                _ => {
                    let kind: String = msg
                        .chars()
                        .take_while(|c| !matches!(c, '"' | '{' | '0'..='9'))
                        .collect();
                    (msg, kind)
                }
            };
            stats.execs_crashing += 1;
            if !stats.keys.contains(&key) {
                stats.keys.push(key);
                stats.crashes += 1;
                let path = crash_dir.and_then(|d| save(&d.join(self.target.name()), input).ok());
                stats.found.push((msg, path));
            }
            return false;
        }
        cov && coverage::novel()
    }
}

/// Writes `input` to `dir/HASH.bin`; returns the path.
pub fn save(dir: &Path, input: &[u8]) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let p = dir.join(format!("{:016x}.bin", fnv1a(input)));
    std::fs::write(&p, input)?;
    Ok(p)
}

fn fnv1a(b: &[u8]) -> u64 {
    b.iter().fold(0xcbf2_9ce4_8422_2325, |h, &x| {
        (h ^ x as u64).wrapping_mul(0x0000_0100_0000_01b3)
    })
}
