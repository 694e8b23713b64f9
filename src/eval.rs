//! `corro eval`: measuring (and training) the stance model on labelled claim/report
//! pairs in the FNC-1 layout.
//!
//! - `corro eval stance --stances S.csv --bodies B.csv`: story-disjoint cross-validation.
//!   Headlines and bodies joined by a related pair (agree / disagree / discuss) form one
//!   *story* (a connected component); stories are dealt to folds, largest first, each to
//!   the fold with the fewest pairs so far. A fold's test pairs are those whose headline
//!   and body both belong to its stories; its training pairs those with neither; pairs
//!   straddling the two (only unrelated pairs can) are left out of that fold, so no
//!   headline and no body is ever on both sides. Prints the FNC-1 score, macro-F1,
//!   per-class F1 and the confusion matrix; exits 1 below `--min-fnc` / `--min-macro-f1`.
//! - `corro eval train-stance … --out data/stance_model.csv`: cross-validates as above
//!   (the numbers go in the file's header), then trains on every pair and writes the
//!   weights.
//!
//! Labels map agree → supports, disagree → denies, discuss → discusses, unrelated → no
//! match row. Bodies are read with the ordinary report reader (`Body ID` is the id), so
//! the features are the ones `corro track` sees. Deliberately not here: the features and
//! the learning themselves (`corro_claims::relate`, `corro_claims::model`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use corro_claims::model::{self, Example, StanceModel, TrainOptions};
use corro_claims::relate::{self, Doc, DocFreq, Term};
use corro_claims::{Lexicons, Stance};
use rayon::prelude::*;

use crate::exit;

#[derive(clap::Args)]
pub struct EvalArgs {
    #[command(subcommand)]
    what: EvalCommand,
}

#[derive(clap::Subcommand)]
enum EvalCommand {
    /// Story-disjoint cross-validation of the stance model on FNC-1-style data.
    Stance(StanceArgs),
    /// Cross-validate, then train on all pairs and write a weights file.
    TrainStance(TrainArgs),
    /// Story linkage: do reports of one story share a cluster (pairwise P/R/F1)?
    Linkage(crate::linkage::LinkageArgs),
    /// Copy families against a generated corpus's truth (pairwise P/R/F1).
    Copies(crate::copyeval::CopiesArgs),
    /// Claim origins against hand-labelled sentences (accuracy).
    Attribution(crate::attreval::AttributionArgs),
}

#[derive(clap::Args)]
struct DataArgs {
    /// Pairs: `Headline, Body ID, Stance` (agree / disagree / discuss / unrelated).
    #[arg(long, value_name = "CSV")]
    stances: PathBuf,
    /// Bodies: a report CSV (`Body ID`, `articleBody`).
    #[arg(long, value_name = "CSV")]
    bodies: PathBuf,
    /// Number of story-disjoint folds.
    #[arg(long, default_value_t = 5)]
    folds: usize,
    /// Keep this fraction of stories (chosen by a hash of their members), for quick runs.
    #[arg(long, default_value_t = 1.0, value_name = "F")]
    fraction: f64,
    #[command(flatten)]
    lex: crate::LexArgs,
    #[command(flatten)]
    train: TrainFlags,
}

/// Training knobs, for experiments; the defaults are the shipped model's.
#[derive(clap::Args)]
struct TrainFlags {
    #[arg(long, hide = true)]
    epochs: Option<usize>,
    #[arg(long, hide = true)]
    learning_rate: Option<f64>,
    #[arg(long, hide = true)]
    l2: Option<f64>,
    #[arg(long, hide = true)]
    class_weight_power: Option<f64>,
    #[arg(long, hide = true)]
    near_vocab: Option<usize>,
    #[arg(long, hide = true)]
    claim_vocab: Option<usize>,
    #[arg(long, hide = true)]
    report_vocab: Option<usize>,
    #[arg(long, hide = true)]
    min_count: Option<usize>,
    #[arg(long, hide = true)]
    threshold: Option<f64>,
}

impl TrainFlags {
    fn options(&self) -> TrainOptions {
        let d = TrainOptions::default();
        TrainOptions {
            epochs: self.epochs.unwrap_or(d.epochs),
            learning_rate: self.learning_rate.unwrap_or(d.learning_rate),
            l2: self.l2.unwrap_or(d.l2),
            class_weight_power: self.class_weight_power.unwrap_or(d.class_weight_power),
            near_vocab: self.near_vocab.unwrap_or(d.near_vocab),
            claim_vocab: self.claim_vocab.unwrap_or(d.claim_vocab),
            min_count: self.min_count.unwrap_or(d.min_count),
            report_vocab: self.report_vocab.unwrap_or(d.report_vocab),
            threshold: self.threshold.unwrap_or(d.threshold),
        }
    }
}

#[derive(clap::Args)]
struct StanceArgs {
    #[command(flatten)]
    data: DataArgs,
    /// Exit 1 when the FNC-1 score (% of the maximum) is below this.
    #[arg(long, value_name = "PERCENT")]
    min_fnc: Option<f64>,
    /// Exit 1 when macro-F1 over the four classes is below this.
    #[arg(long, value_name = "F1")]
    min_macro_f1: Option<f64>,
}

#[derive(clap::Args)]
struct TrainArgs {
    #[command(flatten)]
    data: DataArgs,
    /// Where to write the weights.
    #[arg(long, value_name = "CSV")]
    out: PathBuf,
}

pub fn cmd(args: EvalArgs) -> ExitCode {
    match args.what {
        EvalCommand::Stance(a) => cmd_stance(a),
        EvalCommand::TrainStance(a) => cmd_train(a),
        EvalCommand::Linkage(a) => crate::linkage::cmd(a),
        EvalCommand::Copies(a) => crate::copyeval::cmd(a),
        EvalCommand::Attribution(a) => crate::attreval::cmd(a),
    }
}

/// The four FNC-1 classes, in matrix order.
const CLASSES: [&str; 4] = ["agree", "disagree", "discuss", "unrelated"];

fn class_of(label: Option<Stance>) -> usize {
    match label {
        Some(Stance::Supports) => 0,
        Some(Stance::Denies) => 1,
        Some(Stance::Discusses) => 2,
        None => 3,
    }
}

/// The labelled data, reduced to features.
struct Data {
    examples: Vec<Example>,
    /// Per pair: (headline index, body index).
    pairs: Vec<(usize, usize)>,
    headlines: usize,
    bodies: usize,
    names: HashMap<Term, Box<str>>,
}

fn fail(msg: String) -> ExitCode {
    eprintln!("corro eval: {msg}");
    ExitCode::from(exit::USAGE)
}

fn load(a: &DataArgs) -> Result<Data, String> {
    if a.folds < 2 {
        return Err("--folds must be at least 2".into());
    }
    if !(a.fraction > 0.0 && a.fraction <= 1.0) {
        return Err("--fraction must be in (0, 1]".into());
    }
    let start = std::time::Instant::now();
    let lex = crate::lexicons::load(a.lex.lexicons.as_deref())?;
    let bodies = read_bodies(&a.bodies, &lex)?;
    eprintln!(
        "corro eval: read {} bodies in {:.1}s",
        bodies.len(),
        start.elapsed().as_secs_f64()
    );
    let body_index: HashMap<&str, usize> = bodies
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(&a.stances)
        .map_err(|e| format!("{}: {e}", a.stances.display()))?;
    let headers = rdr
        .headers()
        .map_err(|e| format!("{}: {e}", a.stances.display()))?
        .clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim() == name)
            .ok_or_else(|| format!("{}: no {name:?} column", a.stances.display()))
    };
    let (hc, bc, sc) = (col("Headline")?, col("Body ID")?, col("Stance")?);
    let mut headline_index: HashMap<String, usize> = HashMap::new();
    let mut headline_text: Vec<String> = Vec::new();
    let mut raw_pairs: Vec<(usize, usize, Option<Stance>)> = Vec::new();
    for (n, rec) in rdr.records().enumerate() {
        let line = n + 2;
        let rec = rec.map_err(|e| format!("{}: {e}", a.stances.display()))?;
        let get = |i: usize| rec.get(i).unwrap_or("").trim();
        let label = match get(sc) {
            "agree" => Some(Stance::Supports),
            "disagree" => Some(Stance::Denies),
            "discuss" => Some(Stance::Discusses),
            "unrelated" => None,
            other => {
                return Err(format!(
                    "{} line {line}: unknown stance {other:?}",
                    a.stances.display()
                ))
            }
        };
        let Some(&b) = body_index.get(get(bc)) else {
            return Err(format!(
                "{} line {line}: body {:?} not in {}",
                a.stances.display(),
                get(bc),
                a.bodies.display()
            ));
        };
        let h = get(hc).to_string();
        let next = headline_text.len();
        let hi = *headline_index.entry(h.clone()).or_insert(next);
        if hi == next {
            headline_text.push(h);
        }
        raw_pairs.push((hi, b, label));
    }
    // Optional subsample by story, so a quick run is still story-disjoint.
    let stories = stories(headline_text.len(), bodies.len(), &raw_pairs);
    if a.fraction < 1.0 {
        let keep = |root: usize| {
            let h = relate::term_of_stem(&format!("story{root}"));
            (h % 10_000) as f64 / 10_000.0 < a.fraction
        };
        raw_pairs.retain(|&(h, b, _)| keep(stories[h]) && keep(stories[headline_text.len() + b]));
    }
    let claims: Vec<Doc> = headline_text
        .par_iter()
        .map(|h| Doc::claim(h, &lex))
        .collect();
    // Only the bodies still in some pair are reduced (a subsample stays cheap).
    let mut used = vec![false; bodies.len()];
    for &(_, b, _) in &raw_pairs {
        used[b] = true;
    }
    let bodies: Vec<(String, Doc)> = bodies
        .par_iter()
        .zip(used.par_iter())
        .map(|(r, &u)| {
            (
                r.id.clone(),
                if u { body_doc(r, &lex) } else { Doc::default() },
            )
        })
        .collect();
    let df = DocFreq::new(
        bodies
            .iter()
            .zip(&used)
            .filter(|(_, &u)| u)
            .map(|((_, d), _)| d),
    );
    let mut names: HashMap<Term, Box<str>> = HashMap::new();
    for d in claims.iter().chain(bodies.iter().map(|(_, d)| d)) {
        for (t, n) in &d.names {
            names.entry(*t).or_insert_with(|| n.clone());
        }
    }
    let examples: Vec<Example> = raw_pairs
        .par_iter()
        .map(|&(h, b, label)| Example {
            features: relate::features(&claims[h], &bodies[b].1, &df),
            label,
        })
        .collect();
    eprintln!(
        "corro eval: measured {} pairs in {:.1}s",
        examples.len(),
        start.elapsed().as_secs_f64()
    );
    Ok(Data {
        pairs: raw_pairs.iter().map(|&(h, b, _)| (h, b)).collect(),
        examples,
        headlines: headline_text.len(),
        bodies: bodies.len(),
        names,
    })
}

fn read_bodies(path: &Path, lex: &Lexicons) -> Result<Vec<corro_parse::Report>, String> {
    let limits = corro_parse::Limits::default();
    let bytes = crate::corpus::read_limited(path, &limits)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let name = path.display().to_string();
    let reports = corro_parse::read_source(&name, &bytes, &limits, &lex.outlets);
    let bad: Vec<String> = reports
        .iter()
        .filter(|r| r.status == corro_parse::Status::Error)
        .flat_map(|r| r.notes.clone())
        .collect();
    if !bad.is_empty() {
        eprintln!(
            "corro eval: {} unreadable body rows (first: {})",
            bad.len(),
            bad[0]
        );
    }
    Ok(reports)
}

/// A body as the features see it. Every body counts, even one the reader would skip as
/// not English: the labels exist for it.
fn body_doc(r: &corro_parse::Report, lex: &Lexicons) -> Doc {
    let spans: Vec<(usize, usize)> = r.sentences.iter().map(|s| (s.start, s.end)).collect();
    if spans.is_empty() {
        Doc::plain(&r.text, lex)
    } else {
        Doc::new(&r.text, &spans, lex)
    }
}

/// Story of every node: headlines are nodes `0..h`, bodies `h..h+b`; related pairs join
/// them. Returns each node's component root.
fn stories(h: usize, b: usize, pairs: &[(usize, usize, Option<Stance>)]) -> Vec<usize> {
    let mut parent: Vec<usize> = (0..h + b).collect();
    fn find(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    for &(hi, bi, label) in pairs {
        if label.is_some() {
            let (x, y) = (find(&mut parent, hi), find(&mut parent, h + bi));
            if x != y {
                let (lo, hi2) = (x.min(y), x.max(y));
                parent[hi2] = lo;
            }
        }
    }
    (0..h + b).map(|x| find(&mut parent, x)).collect()
}

/// Fold of every node: stories dealt largest first to the fold with fewest pairs.
fn folds(d: &Data, k: usize) -> Vec<usize> {
    let h = d.headlines;
    let with_labels: Vec<(usize, usize, Option<Stance>)> = d
        .pairs
        .iter()
        .zip(&d.examples)
        .map(|(&(a, b), e)| (a, b, e.label))
        .collect();
    let root = stories(h, d.bodies, &with_labels);
    let mut size: HashMap<usize, usize> = HashMap::new();
    for &(a, _) in &d.pairs {
        *size.entry(root[a]).or_insert(0) += 1;
    }
    let mut order: Vec<(usize, usize)> = size.into_iter().collect();
    order.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    let mut load = vec![0usize; k];
    let mut fold_of_root: HashMap<usize, usize> = HashMap::new();
    for (r, n) in order {
        let f = (0..k).min_by_key(|&f| (load[f], f)).unwrap_or(0);
        load[f] += n;
        fold_of_root.insert(r, f);
    }
    // Nodes in no pair (or only in pairs of other roots) get a fold by their root too.
    root.iter()
        .map(|r| fold_of_root.get(r).copied().unwrap_or(r % k))
        .collect()
}

/// Cross-validated confusion matrix (truth × prediction, [`CLASSES`] order).
fn cross_validate(d: &Data, k: usize, opt: &TrainOptions) -> [[usize; 4]; 4] {
    let fold = folds(d, k);
    let h = d.headlines;
    let side = |i: usize| {
        let (a, b) = d.pairs[i];
        let (fa, fb) = (fold[a], fold[h + b]);
        (fa == fb).then_some(fa)
    };
    let per_fold: Vec<[[usize; 4]; 4]> = (0..k)
        .into_par_iter()
        .map(|f| {
            let train: Vec<Example> = (0..d.examples.len())
                .filter(|&i| {
                    let (a, b) = d.pairs[i];
                    fold[a] != f && fold[h + b] != f
                })
                .map(|i| d.examples[i].clone())
                .collect();
            let m = model::train(&train, &d.names, opt);
            let mut cm = [[0usize; 4]; 4];
            for i in (0..d.examples.len()).filter(|&i| side(i) == Some(f)) {
                let p = m.predict(&d.examples[i].features);
                cm[class_of(d.examples[i].label)][class_of(p.stance)] += 1;
            }
            eprintln!(
                "corro eval: fold {f}: trained on {} pairs, tested on {}",
                train.len(),
                cm.iter().flatten().sum::<usize>()
            );
            cm
        })
        .collect();
    let mut cm = [[0usize; 4]; 4];
    for c in per_fold {
        for i in 0..4 {
            for j in 0..4 {
                cm[i][j] += c[i][j];
            }
        }
    }
    cm
}

/// FNC-1 score and F1s from a confusion matrix.
pub struct Scores {
    /// FNC-1 score as a percentage of the best possible.
    pub fnc: f64,
    pub f1: [f64; 4],
    pub macro_f1: f64,
    pub pairs: usize,
}

pub fn scores(cm: &[[usize; 4]; 4]) -> Scores {
    let (mut got, mut max) = (0.0, 0.0);
    for (t, row) in cm.iter().enumerate() {
        for (p, &n) in row.iter().enumerate() {
            let n = n as f64;
            max += n * if t == 3 { 0.25 } else { 1.0 };
            let t_rel = t != 3;
            let p_rel = p != 3;
            if t_rel == p_rel {
                got += 0.25 * n;
            }
            if t_rel && t == p {
                got += 0.75 * n;
            }
        }
    }
    let f1: [f64; 4] = std::array::from_fn(|c| {
        let tp = cm[c][c] as f64;
        let fp: f64 = (0..4).filter(|&t| t != c).map(|t| cm[t][c] as f64).sum();
        let fn_: f64 = (0..4).filter(|&p| p != c).map(|p| cm[c][p] as f64).sum();
        if tp == 0.0 {
            0.0
        } else {
            2.0 * tp / (2.0 * tp + fp + fn_)
        }
    });
    Scores {
        fnc: if max > 0.0 { 100.0 * got / max } else { 0.0 },
        macro_f1: f1.iter().sum::<f64>() / 4.0,
        f1,
        pairs: cm.iter().flatten().sum(),
    }
}

fn report(cm: &[[usize; 4]; 4], folds: usize) -> String {
    let s = scores(cm);
    let mut out = format!(
        "story-disjoint {folds}-fold cross-validation over {} test pairs\nFNC-1 score: {:.2}% of maximum\nmacro-F1: {:.4}\n",
        s.pairs, s.fnc, s.macro_f1
    );
    for (c, f) in CLASSES.iter().zip(s.f1) {
        out.push_str(&format!("F1 {c}: {f:.4}\n"));
    }
    out.push_str("confusion (rows truth, columns predicted):\n");
    out.push_str(&format!("{:>10}", ""));
    for c in CLASSES {
        out.push_str(&format!("{c:>10}"));
    }
    out.push('\n');
    for (t, row) in cm.iter().enumerate() {
        out.push_str(&format!("{:>10}", CLASSES[t]));
        for n in row {
            out.push_str(&format!("{n:>10}"));
        }
        out.push('\n');
    }
    out
}

fn cmd_stance(a: StanceArgs) -> ExitCode {
    let d = match load(&a.data) {
        Ok(d) => d,
        Err(e) => return fail(e),
    };
    let cm = cross_validate(&d, a.data.folds, &a.data.train.options());
    print!("{}", report(&cm, a.data.folds));
    let s = scores(&cm);
    let mut below = Vec::new();
    if let Some(m) = a.min_fnc {
        if s.fnc < m {
            below.push(format!("FNC-1 score {:.2}% < {m}%", s.fnc));
        }
    }
    if let Some(m) = a.min_macro_f1 {
        if s.macro_f1 < m {
            below.push(format!("macro-F1 {:.4} < {m}", s.macro_f1));
        }
    }
    if !below.is_empty() {
        eprintln!("corro eval: below the floor: {}", below.join("; "));
        return ExitCode::from(exit::FINDINGS);
    }
    ExitCode::SUCCESS
}

fn cmd_train(a: TrainArgs) -> ExitCode {
    let d = match load(&a.data) {
        Ok(d) => d,
        Err(e) => return fail(e),
    };
    let opt = a.data.train.options();
    let cm = cross_validate(&d, a.data.folds, &opt);
    let summary = report(&cm, a.data.folds);
    print!("{summary}");
    let m: StanceModel = model::train(&d.examples, &d.names, &opt);
    let header = format!(
        "corro stance model: relatedness (logistic) and stance (softmax) weights.\n\
         Regenerate with:\n  corro eval train-stance --stances {} --bodies {} --out {}\n\
         Trained on all {} pairs. Cross-validated numbers (not training-set fit):\n{summary}",
        a.data.stances.display(),
        a.data.bodies.display(),
        a.out.display(),
        d.examples.len()
    );
    if let Err(e) = std::fs::write(&a.out, m.to_csv(&header)) {
        eprintln!("corro eval: {}: {e}", a.out.display());
        return ExitCode::from(exit::IO);
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnc_score_weights_relatedness_and_stance() {
        // One agree predicted agree (1.0), one unrelated predicted unrelated (0.25),
        // one discuss predicted agree (0.25 of 1.0).
        let mut cm = [[0usize; 4]; 4];
        cm[0][0] = 1;
        cm[3][3] = 1;
        cm[2][0] = 1;
        let s = scores(&cm);
        assert!((s.fnc - 100.0 * 1.5 / 2.25).abs() < 1e-9);
        assert_eq!(s.f1[3], 1.0);
        assert!((s.f1[0] - 2.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn stories_join_related_pairs_only() {
        let pairs = [
            (0, 0, Some(Stance::Supports)),
            (1, 0, Some(Stance::Denies)),
            (2, 1, None),
        ];
        let r = stories(3, 2, &pairs);
        assert_eq!(r[0], r[1]);
        assert_eq!(r[0], r[3]);
        assert_ne!(r[2], r[4]);
        assert_ne!(r[0], r[2]);
    }
}
