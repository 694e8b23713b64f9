//! `corro eval linkage`: how well clusters link reports of the same story.
//!
//! Ground truth comes from an FNC-1 style stance file: a headline and a body with a
//! related stance (agree, disagree, discuss) are one story, and stories are the connected
//! components of those links, so every body related to the same headline — or to
//! headlines that share a body — is in one story. Two bodies are *predicted* to be in the
//! same story when they share at least one cluster. Precision, recall and F1 are over
//! body pairs.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use std::path::PathBuf;
use std::process::ExitCode;

use crate::run::Outcome;

/// Pairwise scores.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PairScores {
    pub true_pairs: usize,
    pub predicted_pairs: usize,
    pub correct: usize,
}

impl PairScores {
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.predicted_pairs)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.true_pairs)
    }
    /// Prints the scores as `WHAT: precision … recall … F1 …` on stdout, and exits 1
    /// (with a line on stderr) when F1 is below `min_f1`.
    pub fn print_against(&self, what: &str, min_f1: Option<f64>) -> ExitCode {
        println!(
            "{what}: precision {:.4} recall {:.4} F1 {:.4} (true pairs {}, predicted {}, correct {})",
            self.precision(),
            self.recall(),
            self.f1(),
            self.true_pairs,
            self.predicted_pairs,
            self.correct
        );
        match min_f1 {
            Some(min) if self.f1() < min => {
                eprintln!("corro: {what} F1 {:.4} is below the floor {min}", self.f1());
                ExitCode::from(crate::exit::FINDINGS)
            }
            _ => ExitCode::SUCCESS,
        }
    }

    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// A CSV reader on `path` and the places of the columns `names` (by exact header name),
/// or an error naming the file and, for a missing column, the column.
pub fn reader_with<const N: usize>(
    path: &Path,
    names: [&str; N],
) -> Result<(csv::Reader<std::fs::File>, [usize; N]), String> {
    let mut rdr = csv::Reader::from_path(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let headers = rdr
        .headers()
        .map_err(|e| format!("{}: {e}", path.display()))?
        .clone();
    let mut at = [0; N];
    for (k, name) in names.iter().enumerate() {
        at[k] = headers
            .iter()
            .position(|h| h == *name)
            .ok_or_else(|| format!("{}: no column {name:?}", path.display()))?;
    }
    Ok((rdr, at))
}

/// Story id per body id, from an FNC-1 stances file (`Headline,Body ID,Stance`).
pub fn stories(stances: &Path) -> Result<HashMap<String, usize>, String> {
    let (mut rdr, [h, b, s]) = reader_with(stances, ["Headline", "Body ID", "Stance"])?;
    let mut parent: HashMap<String, String> = HashMap::new();
    fn find(p: &mut HashMap<String, String>, x: &str) -> String {
        let mut x = x.to_string();
        loop {
            let px = p.entry(x.clone()).or_insert_with(|| x.clone()).clone();
            if px == x {
                return x;
            }
            let gp = p.get(&px).cloned().unwrap_or(px.clone());
            p.insert(x.clone(), gp.clone());
            x = gp;
        }
    }
    let mut bodies = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| format!("{}: row {}: {e}", stances.display(), i + 2))?;
        let body = format!("b:{}", &rec[b]);
        bodies.push(rec[b].to_string());
        find(&mut parent, &body);
        if rec[s].trim() != "unrelated" {
            let head = format!("h:{}", &rec[h]);
            let (ra, rb) = (find(&mut parent, &head), find(&mut parent, &body));
            if ra != rb {
                // Union by name keeps the result independent of row order.
                let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
                parent.insert(hi, lo);
            }
        }
    }
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut out = HashMap::new();
    bodies.sort();
    bodies.dedup();
    for body in bodies {
        let root = find(&mut parent, &format!("b:{body}"));
        let n = ids.len();
        let id = *ids.entry(root).or_insert(n);
        out.insert(body, id);
    }
    Ok(out)
}

/// Scores the clusters of a run against stories.
pub fn score(o: &Outcome, stories: &HashMap<String, usize>) -> PairScores {
    // Bodies per cluster (only bodies with a story label count).
    let mut predicted: HashSet<(u32, u32)> = HashSet::new();
    let body_index: HashMap<&str, u32> = o
        .reports
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i as u32))
        .collect();
    for c in &o.analysis.clusters {
        let mut members: Vec<u32> = c
            .mentions
            .iter()
            .map(|&m| o.at(m as usize).0 as u32)
            .filter(|&r| stories.contains_key(&o.reports[r as usize].id))
            .collect();
        members.sort_unstable();
        members.dedup();
        for x in 0..members.len() {
            for y in x + 1..members.len() {
                predicted.insert((members[x], members[y]));
            }
        }
    }
    let correct = predicted
        .iter()
        .filter(|&&(a, b)| stories[&o.reports[a as usize].id] == stories[&o.reports[b as usize].id])
        .count();
    let mut sizes: HashMap<usize, usize> = HashMap::new();
    for r in &o.reports {
        if let Some(&s) = stories.get(&r.id) {
            if body_index.contains_key(r.id.as_str()) {
                *sizes.entry(s).or_default() += 1;
            }
        }
    }
    let true_pairs = sizes.values().map(|&n| n * (n.saturating_sub(1)) / 2).sum();
    PairScores {
        true_pairs,
        predicted_pairs: predicted.len(),
        correct,
    }
}

/// `corro eval linkage`: story linkage on FNC-1 style data.
#[derive(clap::Args)]
pub struct LinkageArgs {
    /// Pairs: `Headline, Body ID, Stance`; related pairs define the stories.
    #[arg(long, value_name = "CSV")]
    stances: PathBuf,
    /// Bodies: a report CSV (`Body ID`, `articleBody`).
    #[arg(long, value_name = "CSV")]
    bodies: PathBuf,
    /// Exit 1 when pairwise F1 is below this.
    #[arg(long, value_name = "F1")]
    min_f1: Option<f64>,
    #[command(flatten)]
    lex: crate::LexArgs,
}

/// Runs the pipeline on the bodies and scores its clusters against the stories.
pub fn cmd(args: LinkageArgs) -> ExitCode {
    let (stances, bodies, min_f1) = (&args.stances, &args.bodies, args.min_f1);
    let lex = match crate::load_lexicons(args.lex.lexicons.as_deref()) {
        Ok(l) => l,
        Err(c) => return c,
    };
    let stories = match stories(stances) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("corro: {e}");
            return ExitCode::from(crate::exit::USAGE);
        }
    };
    let corpus = crate::spill::Spill::new(None).and_then(|texts| {
        crate::run::read_corpus(
            &[bodies.to_path_buf()],
            &corro_parse::Limits::default(),
            &lex,
            texts,
            &|_| {},
            &|_| {},
        )
    });
    let corpus = match corpus {
        Ok(c) => c,
        Err(e) => {
            eprintln!("corro: {e}");
            return ExitCode::from(crate::exit::IO);
        }
    };
    let outcome = match crate::run::match_corpus(corpus) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("corro: {e}");
            return ExitCode::from(crate::exit::IO);
        }
    };
    score(&outcome, &stories).print_against("story linkage", min_f1)
}
