//! `corro-fuzz`: run a fuzz target for a while, or replay saved inputs.
//!
//! ```text
//! corro-fuzz run TARGET|all [--seconds N] [--seed S] [--crashes DIR] [--corpus DIR]
//! corro-fuzz replay TARGET FILE|DIR...
//! corro-fuzz list
//! ```
//!
//! `run` prints one line per target: executions, crashes, slow inputs, corpus and
//! coverage; it exits 1 when a crash was found. `replay` runs saved inputs once each and
//! exits 1 when any still crashes. See `fuzz/README.md`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use corro_fuzz::{coverage, Fuzzer, Target};

const USAGE: &str = "usage:
  corro-fuzz run TARGET|all [--seconds N] [--seed S] [--crashes DIR] [--corpus DIR]
  corro-fuzz replay TARGET FILE|DIR...
  corro-fuzz list";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("replay") => replay(&args[1..]),
        Some("list") => {
            for t in Target::ALL {
                println!("{}", t.name());
            }
            ExitCode::SUCCESS
        }
        _ => usage(),
    }
}

fn usage() -> ExitCode {
    eprintln!("{USAGE}");
    ExitCode::from(2)
}

fn targets(name: &str) -> Option<Vec<Target>> {
    if name == "all" {
        Some(Target::ALL.to_vec())
    } else {
        Target::from_name(name).map(|t| vec![t])
    }
}

fn run(args: &[String]) -> ExitCode {
    let Some(targets) = args.first().and_then(|n| targets(n)) else {
        return usage();
    };
    let mut seconds = 60u64;
    let mut seed = 1u64;
    let mut crashes = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/crashes"));
    let mut corpus: Option<PathBuf> = None;
    let mut it = args[1..].iter();
    while let Some(flag) = it.next() {
        let Some(value) = it.next() else {
            return usage();
        };
        let ok = match flag.as_str() {
            "--seconds" => value.parse().map(|v| seconds = v).is_ok(),
            "--seed" => value.parse().map(|v| seed = v).is_ok(),
            "--crashes" => {
                crashes = PathBuf::from(value);
                true
            }
            "--corpus" => {
                corpus = Some(PathBuf::from(value));
                true
            }
            _ => false,
        };
        if !ok {
            return usage();
        }
    }
    let per = Duration::from_secs(seconds);
    let mut failed = false;
    for t in targets {
        let start = Instant::now();
        let mut f = Fuzzer::new(t, seed);
        if let Some(dir) = &corpus {
            if let Err(e) = f.add_corpus_dir(dir) {
                eprintln!("corro-fuzz: {}: {e}", dir.display());
                return ExitCode::from(2);
            }
        }
        let s = f.run_for(per, Some(&crashes));
        let secs = start.elapsed().as_secs_f64();
        println!(
            "{}: {} execs in {:.0}s ({:.0}/s), {} crashes ({} crashing inputs), {} slow (slowest {:.3}s), corpus {}, coverage {}",
            t.name(),
            s.execs,
            secs,
            s.execs as f64 / secs,
            s.crashes,
            s.execs_crashing,
            s.slow,
            s.slowest.as_secs_f64(),
            s.corpus,
            if coverage::available() {
                s.coverage.to_string()
            } else {
                "off".into()
            }
        );
        for (msg, path) in &s.found {
            let at = path
                .as_deref()
                .map(Path::display)
                .map(|p| p.to_string())
                .unwrap_or_default();
            println!("  crash: {msg} [{at}]");
        }
        failed |= s.crashes > 0;
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn replay(args: &[String]) -> ExitCode {
    let Some(target) = args.first().and_then(|n| Target::from_name(n)) else {
        return usage();
    };
    let mut files = Vec::new();
    for a in &args[1..] {
        let p = PathBuf::from(a);
        if p.is_dir() {
            let mut v: Vec<PathBuf> = match std::fs::read_dir(&p) {
                Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
                Err(e) => {
                    eprintln!("corro-fuzz: {}: {e}", p.display());
                    return ExitCode::from(2);
                }
            };
            v.sort();
            files.extend(v);
        } else {
            files.push(p);
        }
    }
    let mut failed = 0;
    for f in &files {
        let input = match std::fs::read(f) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("corro-fuzz: {}: {e}", f.display());
                return ExitCode::from(2);
            }
        };
        let t = Instant::now();
        match target.check(&input) {
            Ok(()) => println!("ok    {} ({:.3}s)", f.display(), t.elapsed().as_secs_f64()),
            Err(msg) => {
                failed += 1;
                let at = corro_fuzz::last_panic_location().unwrap_or_default();
                println!("CRASH {}: {msg} {at}", f.display());
            }
        }
    }
    if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
