//! `corro`: how many independent origins support a claim, and who denies it.
//!
//! The binary is thin glue: it parses flags, walks inputs, runs the library crates and
//! writes the outputs. See `docs/cli.md` and `../shared/SPEC.md` for the contract.

mod corpus;
mod gen;
mod lexicons;
mod linkage;
mod output;
mod run;

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};

const EXAMPLES: &str = "\
Examples:
  corro run data/sample/reports --out out/sample
  corro run drop/ --out out/today --baseline out/yesterday --fail-on contested,value_conflict
  echo 'about a thousand armed mercenaries' | corro quantities";

#[derive(Parser)]
#[command(name = "corro", version, about = "Cross-report corroboration: independent origins for and against each claim", after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read a corpus and write reports, claims, clusters and evidence CSVs.
    Run(RunArgs),
    /// Print the quantities found in text, one input item per line, as CSV.
    /// Evaluate story linkage against an FNC-1 style stance file.
    #[command(name = "eval-linkage")]
    EvalLinkage {
        #[arg(long)]
        stances: PathBuf,
        #[arg(long)]
        bodies: PathBuf,
        /// Exit 1 when pairwise F1 is below this.
        #[arg(long, value_name = "F1")]
        min_f1: Option<f64>,
        #[command(flatten)]
        lex: LexArgs,
    },
    Quantities {
        /// A file of lines, or `-` (the default) for standard input.
        #[arg(default_value = "-")]
        file: String,
        #[command(flatten)]
        lex: LexArgs,
    },
    /// Write a synthetic benchmark corpus (deterministic from the seed).
    #[command(hide = true)]
    Gen {
        /// Number of reports.
        #[arg(long)]
        reports: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output directory: reports/ and lexicons/ are written under it.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        #[arg(long, value_enum, default_value = "txt")]
        format: gen::GenFormat,
        /// Gzip every file.
        #[arg(long)]
        gz: bool,
    },
}

#[derive(clap::Args)]
struct LexArgs {
    /// Directory of lexicon files replacing the shipped ones (units.csv, entities.csv, …).
    #[arg(long, value_name = "DIR")]
    lexicons: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum, Debug)]
#[value(rename_all = "snake_case")]
enum Condition {
    Contested,
    Denied,
    #[value(name = "single-source", alias = "single_source")]
    SingleSource,
    Unverified,
    Corroborated,
    ValueConflict,
    InputError,
    Skipped,
}

#[derive(clap::Args)]
struct RunArgs {
    /// Files or directories (walked recursively in sorted order; hidden files skipped).
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Output directory (created if missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    #[command(flatten)]
    lex: LexArgs,
    /// Exit 1 when any of these occur (comma-separated).
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    fail_on: Vec<Condition>,
    /// Exit 3 when any input error occurred (after writing all outputs).
    #[arg(long)]
    strict: bool,
    /// Worker threads (default: all cores).
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,
    /// Largest report text in bytes; longer reports are truncated with a note.
    #[arg(long, value_name = "BYTES", default_value_t = corro_parse::Limits::default().max_report_bytes)]
    max_report_bytes: usize,
    /// Largest decompressed size of one .gz file, and largest file read.
    #[arg(long, value_name = "BYTES", default_value_t = corro_parse::Limits::default().max_decompressed_bytes)]
    max_decompressed_bytes: u64,
    /// Longest line in a JSONL file.
    #[arg(long, value_name = "BYTES", default_value_t = corro_parse::Limits::default().max_line_bytes)]
    max_line_bytes: usize,
}

/// Exit codes of the contract.
mod exit {
    pub const FINDINGS: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const INPUT: u8 = 3;
    pub const IO: u8 = 4;
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Run(args) => cmd_run(args),
        Command::Quantities { file, lex } => cmd_quantities(&file, lex.lexicons.as_deref()),
        Command::EvalLinkage {
            stances,
            bodies,
            min_f1,
            lex,
        } => cmd_eval_linkage(&stances, &bodies, min_f1, lex.lexicons.as_deref()),
        Command::Gen {
            reports,
            seed,
            out,
            format,
            gz,
        } => cmd_gen(gen::Options {
            reports,
            seed,
            out,
            format,
            gz,
        }),
    }
}

fn cmd_gen(o: gen::Options) -> ExitCode {
    match gen::generate(&o) {
        Ok(w) => {
            println!(
                "wrote {} reports in {} files ({} bytes of text, {} stories) to {}",
                o.reports,
                w.files,
                w.bytes,
                w.stories,
                o.out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("corro: gen: {}: {e}", o.out.display());
            ExitCode::from(exit::IO)
        }
    }
}

fn load_lexicons(dir: Option<&std::path::Path>) -> Result<corro_claims::Lexicons, ExitCode> {
    lexicons::load(dir).map_err(|e| {
        eprintln!("corro: lexicons: {e}");
        ExitCode::from(exit::USAGE)
    })
}

fn cmd_run(args: RunArgs) -> ExitCode {
    let start = Instant::now();
    if let Some(n) = args.threads {
        if let Err(e) = rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
        {
            eprintln!("corro: --threads: {e}");
            return ExitCode::from(exit::USAGE);
        }
    }
    let lex = match load_lexicons(args.lex.lexicons.as_deref()) {
        Ok(l) => l,
        Err(c) => return c,
    };
    let limits = corro_parse::Limits {
        max_report_bytes: args.max_report_bytes,
        max_decompressed_bytes: args.max_decompressed_bytes,
        max_line_bytes: args.max_line_bytes,
    };
    let bar = progress_bar(args.quiet);
    let (reports, timings) = run::read_corpus(
        &args.inputs,
        &limits,
        &lex,
        &|n| {
            if let Some(b) = &bar {
                b.inc(n)
            }
        },
        &|total| {
            if let Some(b) = &bar {
                b.set_length(total)
            }
        },
    );
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    run::log_problems(&reports);
    let mut outcome = run::match_corpus(reports, timings);
    outcome
        .timings
        .push(("total_before_write", start.elapsed().as_secs_f64()));
    if let Err(e) = run::write_outputs(&outcome, &args.out, Vec::new()) {
        eprintln!("corro: writing {}: {e}", args.out.display());
        return ExitCode::from(exit::IO);
    }
    let errors = outcome.input_errors();
    if args.strict && errors > 0 {
        eprintln!("corro: {errors} input error(s) (--strict)");
        return ExitCode::from(exit::INPUT);
    }
    let met: Vec<String> = args
        .fail_on
        .iter()
        .filter(|c| condition_met(**c, &outcome))
        .map(|c| format!("{c:?}"))
        .collect();
    if !met.is_empty() {
        eprintln!("corro: --fail-on condition met: {}", met.join(", "));
        return ExitCode::from(exit::FINDINGS);
    }
    ExitCode::SUCCESS
}

fn condition_met(c: Condition, o: &run::Outcome) -> bool {
    use corro_match::Verdict as V;
    let any = |v: V| o.analysis.clusters.iter().any(|c| c.verdict == v);
    match c {
        Condition::Contested => any(V::Contested),
        Condition::Denied => any(V::Denied),
        Condition::SingleSource => any(V::SingleSource),
        Condition::Unverified => any(V::Unverified),
        Condition::Corroborated => any(V::Corroborated),
        Condition::ValueConflict => o.analysis.clusters.iter().any(|c| c.value_conflict),
        Condition::InputError => o.input_errors() > 0,
        Condition::Skipped => o
            .reports
            .iter()
            .any(|r| r.status == corro_parse::Status::Skipped),
    }
}

fn progress_bar(quiet: bool) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let b = indicatif::ProgressBar::new(0);
    b.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {pos}/{len} files {wide_bar} {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    Some(b)
}

fn cmd_eval_linkage(
    stances: &std::path::Path,
    bodies: &std::path::Path,
    min_f1: Option<f64>,
    lex_dir: Option<&std::path::Path>,
) -> ExitCode {
    let lex = match load_lexicons(lex_dir) {
        Ok(l) => l,
        Err(c) => return c,
    };
    let stories = match linkage::stories(stances) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("corro: {e}");
            return ExitCode::from(exit::USAGE);
        }
    };
    let (reports, timings) = run::read_corpus(
        &[bodies.to_path_buf()],
        &corro_parse::Limits::default(),
        &lex,
        &|_| {},
        &|_| {},
    );
    let outcome = run::match_corpus(reports, timings);
    let s = linkage::score(&outcome, &stories);
    println!(
        "story linkage: precision {:.4} recall {:.4} F1 {:.4} (true pairs {}, predicted {}, correct {})",
        s.precision(),
        s.recall(),
        s.f1(),
        s.true_pairs,
        s.predicted_pairs,
        s.correct
    );
    match min_f1 {
        Some(min) if s.f1() < min => {
            eprintln!(
                "corro: story linkage F1 {:.4} is below the floor {min}",
                s.f1()
            );
            ExitCode::from(exit::FINDINGS)
        }
        _ => ExitCode::SUCCESS,
    }
}

fn cmd_quantities(file: &str, lex_dir: Option<&std::path::Path>) -> ExitCode {
    let lex = match load_lexicons(lex_dir) {
        Ok(l) => l,
        Err(c) => return c,
    };
    let reader: Box<dyn BufRead> = if file == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        match std::fs::File::open(file) {
            Ok(f) => Box::new(std::io::BufReader::new(f)),
            Err(e) => {
                eprintln!("corro: {file}: {e}");
                return ExitCode::from(exit::USAGE);
            }
        }
    };
    let mut t = output::Table::new(&[
        "line",
        "start",
        "end",
        "text",
        "kind",
        "value_low",
        "value_high",
        "approx",
        "unit",
        "per",
    ]);
    for (i, line) in reader.split(b'\n').enumerate() {
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                eprintln!("corro: {file}: {e}");
                return ExitCode::from(exit::IO);
            }
        };
        let line = String::from_utf8_lossy(&line);
        let line = line.trim_end_matches('\r');
        for q in corro_claims::quantity::extract(line, &lex.units) {
            t.row([
                (i + 1).to_string(),
                q.start.to_string(),
                q.end.to_string(),
                output::text(&line[q.start..q.end]),
                q.kind.as_str().to_string(),
                output::opt_num(q.low),
                output::opt_num(q.high),
                q.approx.to_string(),
                output::text(q.unit.as_deref().unwrap_or("")),
                output::text(q.per.as_deref().unwrap_or("")),
            ]);
        }
    }
    let mut out = std::io::stdout().lock();
    if out
        .write_all(&t.into_bytes())
        .and_then(|_| out.flush())
        .is_err()
    {
        return ExitCode::from(exit::IO);
    }
    ExitCode::SUCCESS
}
