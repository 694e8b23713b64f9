//! `corro`: how many independent origins support a claim, and who denies it.
//!
//! The binary is thin glue: it parses flags, walks inputs, runs the library crates and
//! writes the outputs. See `docs/cli.md` and `../shared/SPEC.md` for the contract.

mod attreval;
mod baseline;
mod cache;
mod copyeval;
mod corpus;
mod eval;
mod explain;
mod gen;
mod html;
mod lexicons;
mod linkage;
mod output;
mod run;
mod spill;
mod track;

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};

const EXAMPLES: &str = "\
Examples:
  corro run data/sample/reports --lexicons data/sample/lexicons --out out/sample
  corro run drop/ --out out/today --baseline out/yesterday --fail-on contested,value_conflict
  corro run corpus/ --out out/today --cache ~/.cache/corro --quiet
  corro explain c67fb9f439b1c --out out/sample
  echo 'about a thousand armed mercenaries' | corro quantities

Exit codes: 0 ok, 1 a --fail-on condition met, 2 usage error, 3 input errors (--strict),
4 I/O failure writing outputs. More in docs/cli.md.";

#[derive(Parser)]
#[command(name = "corro", version, about = "Cross-report corroboration: independent origins for and against each claim", after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read a corpus and write reports, claims, clusters and evidence CSVs.
    #[command(after_help = EXAMPLES)]
    Run(RunArgs),
    /// Explain one cluster of a finished run: origins, quotes, the score's arithmetic.
    #[command(
        after_help = "Examples:\n  corro explain c67fb9f439b1c --out out/sample\n  corro explain c67f --out out/sample   (a unique prefix is enough)"
    )]
    Explain {
        /// The cluster's id (first column of clusters.csv), or a prefix only it has.
        #[arg(value_name = "CLUSTER_ID")]
        cluster_id: String,
        /// The output directory of the run (`corro run … --out DIR`).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Print the quantities found in text, one input item per line, as CSV.
    Quantities {
        /// A file of lines, or `-` (the default) for standard input.
        #[arg(default_value = "-")]
        file: String,
        #[command(flatten)]
        lex: LexArgs,
    },
    /// Follow a watch list of claims: which reports support, deny or discuss each.
    Track(track::TrackArgs),
    /// Evaluate or train the stance model on labelled claim/report pairs.
    Eval(eval::EvalArgs),
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
    /// Directory of lexicon files that extend the shipped ones (units.csv, entities.csv, …);
    /// their rows win where both define the same entry.
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
    /// changes.csv has any row (needs --baseline).
    Changed,
    /// A claim is contested that was not in the baseline (needs --baseline).
    NewContested,
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
    /// No progress bar and no cache summary on stderr.
    #[arg(long, short)]
    quiet: bool,
    /// An earlier run's output directory: also write changes.csv (what changed since).
    #[arg(long, value_name = "OLD_DIR")]
    baseline: Option<PathBuf>,
    /// Keep each input file's extraction here, keyed by content; reuse it next run.
    #[arg(long, value_name = "DIR")]
    cache: Option<PathBuf>,
    /// After the run, delete the --cache entries it did not use (for a cache one corpus owns).
    #[arg(long, requires = "cache")]
    cache_prune: bool,
    /// Most clusters report.html shows (those with the most origins); the CSVs have all.
    #[arg(long, value_name = "N", default_value_t = html::MAX_CLUSTERS)]
    page_clusters: usize,
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

/// mimalloc rather than the system allocator: extraction makes millions of short-lived
/// allocations between long-lived ones, and glibc's malloc left the process holding
/// about three times its live heap (docs/performance.md); mimalloc returns freed pages
/// and is faster on small allocations.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc v3 (the version Cargo.lock pins) holds freed pages for a second before it
/// returns them (`purge_delay`, default 1,000 ms). A run frees large buffers stage after
/// stage, and that second raised its peak RSS by 15–20% (20k generated reports: 490 →
/// 416 MB, CPU unchanged within noise): purge at once. The option is addressed by its
/// index in v3's `mi_option_e` (the crate's bindings name v2's list), and changed only
/// while it reads as v3's default: a reordered list in a future version, or a
/// `MIMALLOC_PURGE_DELAY` set by the user, is left alone.
fn purge_freed_memory_at_once() {
    // SAFETY: both are plain option accessors of the linked mimalloc, callable at any
    // time from any thread; mimalloc checks the index.
    unsafe {
        if mi_option_get(PURGE_DELAY) == V3_DEFAULT_MS {
            mi_option_set(PURGE_DELAY, 0);
        }
    }
}

const PURGE_DELAY: i32 = 15;
const V3_DEFAULT_MS: std::ffi::c_long = 1000;
unsafe extern "C" {
    fn mi_option_get(option: i32) -> std::ffi::c_long;
    fn mi_option_set(option: i32, value: std::ffi::c_long);
}

fn main() -> ExitCode {
    purge_freed_memory_at_once();
    let cli = Cli::parse();
    match cli.command {
        Command::Run(args) => cmd_run(args),
        Command::Explain { cluster_id, out } => cmd_explain(&cluster_id, &out),
        Command::Quantities { file, lex } => cmd_quantities(&file, lex.lexicons.as_deref()),
        Command::Track(args) => track::cmd(args),
        Command::Eval(args) => eval::cmd(args),
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
    // Everything that can be wrong with the flags is found before the corpus is read.
    if args.baseline.is_none() {
        if let Some(c) = args
            .fail_on
            .iter()
            .find(|c| matches!(c, Condition::Changed | Condition::NewContested))
        {
            eprintln!(
                "corro: --fail-on {} compares with an earlier run: give --baseline OLD_DIR",
                condition_name(*c)
            );
            return ExitCode::from(exit::USAGE);
        }
    }
    let baseline = match &args.baseline {
        Some(dir) => match explain::Outputs::load(dir) {
            Ok(b) => Some(b),
            Err(e) => {
                eprintln!(
                    "corro: --baseline {}: {e}\n(expected the --out directory of an earlier `corro run`, with its clusters.csv and evidence.csv)",
                    dir.display()
                );
                return ExitCode::from(exit::USAGE);
            }
        },
        None => None,
    };
    let cache = match &args.cache {
        Some(dir) => match cache::Cache::open(dir, args.lex.lexicons.as_deref(), &limits) {
            Ok(c) => Some(c),
            Err(e) => {
                eprintln!("corro: --cache {}: {e}", dir.display());
                return ExitCode::from(exit::USAGE);
            }
        },
        None => None,
    };
    let io_error = |e: std::io::Error| {
        eprintln!("corro: writing {}: {e}", args.out.display());
        ExitCode::from(exit::IO)
    };
    // The sentences wait in the output directory until they are written (spill.rs).
    let texts =
        match std::fs::create_dir_all(&args.out).and_then(|_| spill::Spill::new(Some(&args.out))) {
            Ok(t) => t,
            Err(e) => return io_error(e),
        };
    let bar = progress_bar(args.quiet);
    let corpus = run::read_corpus_cached(
        &args.inputs,
        &limits,
        &lex,
        cache.as_ref(),
        texts,
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
    let corpus = match corpus {
        Ok(c) => c,
        Err(e) => return io_error(e),
    };
    if let (Some(c), false) = (&cache, args.quiet) {
        eprintln!("{}", c.report());
    }
    run::log_problems(&corpus.reports);
    let mut outcome = match run::match_corpus(corpus) {
        Ok(o) => o,
        Err(e) => return io_error(e),
    };
    outcome.cache = cache.as_ref().map(cache::Cache::counts);
    outcome
        .timings
        .push(("total_before_write", start.elapsed().as_secs_f64()));
    // The CSVs are staged first; the views read them back from there.
    let t = std::time::Instant::now();
    let mut staged = match output::Staged::new(&args.out) {
        Ok(s) => s,
        Err(e) => return io_error(e),
    };
    let page = match run::stage_tables(&outcome, &mut staged, args.page_clusters) {
        Ok(page) => page,
        Err(e) => return io_error(e),
    };
    outcome.release_rows();
    // Closed beside the page and the commit (or in place, if no empty spill can be made).
    let closing = outcome
        .take_texts()
        .ok()
        .map(|spill| std::thread::spawn(move || drop(spill)));
    outcome
        .timings
        .push(("write_tables", t.elapsed().as_secs_f64()));
    let (extra, changes) = match run::views(
        &mut outcome,
        &staged,
        baseline.as_ref(),
        &args.out.display().to_string(),
        page,
    ) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("corro: reading back this run's own CSVs: {e}");
            return ExitCode::from(exit::IO);
        }
    };
    if let Err(e) = run::commit_outputs(&outcome, staged, extra) {
        return io_error(e);
    }
    if let Some(closing) = closing {
        // Closing cannot fail in a way that matters: the spill was only scratch.
        let _ = closing.join();
    }
    if let (Some(c), true) = (&cache, args.cache_prune) {
        // After the outputs are in place: a run that failed before them keeps the cache
        // whole. Like any cache failure, a failed prune is reported and never fails the run.
        match c.prune() {
            Ok(p) if !args.quiet => eprintln!(
                "corro: cache: pruned {} unused entr(ies), {:.1} MB",
                p.entries,
                p.bytes as f64 / 1e6
            ),
            Ok(_) => {}
            Err(e) => eprintln!("corro: cache: pruning {}: {e}", c.dir().display()),
        }
    }
    let errors = outcome.input_errors();
    if args.strict && errors > 0 {
        eprintln!("corro: {errors} input error(s) (--strict)");
        return ExitCode::from(exit::INPUT);
    }
    let met: Vec<String> = args
        .fail_on
        .iter()
        .filter(|c| condition_met(**c, &outcome, &changes))
        .map(|c| condition_name(*c))
        .collect();
    if !met.is_empty() {
        eprintln!("corro: --fail-on condition met: {}", met.join(", "));
        return ExitCode::from(exit::FINDINGS);
    }
    ExitCode::SUCCESS
}

/// A condition as the user writes it (`new_contested`).
fn condition_name(c: Condition) -> String {
    c.to_possible_value()
        .map_or_else(|| format!("{c:?}"), |v| v.get_name().to_string())
}

fn condition_met(c: Condition, o: &run::Outcome, changes: &[baseline::ChangeRow]) -> bool {
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
        Condition::Changed => !changes.is_empty(),
        Condition::NewContested => baseline::new_contested(changes),
    }
}

fn cmd_explain(id: &str, dir: &std::path::Path) -> ExitCode {
    let outputs = match explain::Outputs::load(dir) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("corro: explain: {e}\n(--out must be the output directory of a `corro run`)");
            return ExitCode::from(exit::USAGE);
        }
    };
    let cluster = match explain::find(&outputs, id, dir) {
        Ok(c) => c,
        Err(explain::Usage(msg)) => {
            eprintln!("corro: explain: {msg}");
            return ExitCode::from(exit::USAGE);
        }
    };
    let mut out = std::io::stdout().lock();
    match out
        .write_all(explain::account(&outputs, cluster).as_bytes())
        .and_then(|_| out.flush())
    {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`corro explain … | head`) is the reader's choice, not a failure.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(_) => ExitCode::from(exit::IO),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Guards [`purge_freed_memory_at_once`]: if a mimalloc upgrade moves or changes the
    /// option, this fails and the index must be looked up again (or the call dropped).
    #[test]
    fn the_purge_delay_option_is_where_v3_keeps_it() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            eprintln!("skipped: MIMALLOC_PURGE_DELAY is set in the environment");
            return;
        }
        // SAFETY: as in purge_freed_memory_at_once.
        assert_eq!(unsafe { mi_option_get(PURGE_DELAY) }, V3_DEFAULT_MS);
    }
}
