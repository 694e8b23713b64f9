//! The stance model: two small linear models over [`crate::relate`]'s features, learned
//! from labelled (claim, report) pairs and shipped as a text file of named weights.
//!
//! 1. **related?** — logistic regression on the overlap features; below
//!    [`StanceModel::threshold`] the report is unrelated to the claim.
//! 2. **which stance?** — softmax regression over supports / denies / discusses on the
//!    cue features plus lexical features: stems seen near the claim in the report
//!    (`near:hoax`) and stems of the claim itself (`claim:reportedly`).
//!
//! Every weight has a name, so a decision is explained by its largest contribution
//! ([`Prediction::cue`]). The file (`data/stance_model.csv`) is
//! `stage,feature,class,weight` rows after `#` comments; [`StanceModel::to_csv`] writes
//! it and [`StanceModel::from_csv`] reads it back.
//!
//! Training ([`train`]) is plain full-batch gradient descent (Adam) on standardised
//! features with L2 regularisation and class weights; weights are mapped back to raw
//! feature scale before saving. Deliberately not here: reading datasets, folds and
//! scoring — the binary's `eval` does that.

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::relate::{self, PairFeatures, Term, RELATED_FEATURES, STANCE_FEATURES};
use crate::stance::Stance;

/// The stance classes, in weight-column order.
pub const STANCES: [Stance; 3] = [Stance::Supports, Stance::Denies, Stance::Discusses];

/// The model as shipped: named weights.
#[derive(Debug, Clone, Default)]
pub struct StanceModel {
    /// Per [`RELATED_FEATURES`] entry, then the bias last.
    pub related: Vec<f64>,
    /// Probability of relatedness below which a report is unrelated.
    pub threshold: f64,
    /// Per stance class: per [`STANCE_FEATURES`] entry, then the bias last.
    pub stance: [Vec<f64>; 3],
    /// Lexical weights per stance class, keyed by term; `near` for stems near the claim
    /// in the report, `claim` for the claim's own stems.
    pub near: HashMap<Term, ([f64; 3], Box<str>)>,
    pub claim: HashMap<Term, ([f64; 3], Box<str>)>,
    /// Lexical weights for stems anywhere in the report (`report:`).
    pub report: HashMap<Term, ([f64; 3], Box<str>)>,
}

/// What the model says about one pair.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    /// Probability that the report is about the claim.
    pub related: f64,
    /// `None` when unrelated.
    pub stance: Option<Stance>,
    /// Probabilities of supports, denies, discusses given related.
    pub probs: [f64; 3],
    /// The feature that most favoured the chosen stance over the runner-up, with the cue
    /// as written where there is one ("near_deny_word: hoax", "near:debunk").
    pub cue: String,
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

fn softmax(z: &mut [f64]) {
    let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut s = 0.0;
    for v in z.iter_mut() {
        *v = (*v - m).exp();
        s += *v;
    }
    if s > 0.0 {
        for v in z.iter_mut() {
            *v /= s;
        }
    }
}

impl StanceModel {
    /// Probability that the report is about the claim.
    pub fn related_probability(&self, f: &PairFeatures) -> f64 {
        let n = RELATED_FEATURES.len();
        if self.related.len() != n + 1 {
            return 0.0;
        }
        let z: f64 = f
            .related
            .iter()
            .zip(&self.related)
            .map(|(x, w)| x * w)
            .sum::<f64>()
            + self.related[n];
        sigmoid(z)
    }

    /// Per-class contributions of every stance feature: (name, [supports, denies,
    /// discusses]).
    fn contributions(&self, f: &PairFeatures) -> Vec<(String, [f64; 3])> {
        let n = STANCE_FEATURES.len();
        let mut out = Vec::with_capacity(n + 1 + f.near_terms.len());
        for (j, name) in STANCE_FEATURES.iter().enumerate() {
            let x = f.stance.get(j).copied().unwrap_or(0.0);
            let mut c = [0.0; 3];
            for (k, w) in self.stance.iter().enumerate() {
                c[k] = x * w.get(j).copied().unwrap_or(0.0);
            }
            out.push((name.to_string(), c));
        }
        let bias: [f64; 3] = std::array::from_fn(|k| self.stance[k].get(n).copied().unwrap_or(0.0));
        out.push(("bias".into(), bias));
        for t in &f.near_terms {
            if let Some((w, name)) = self.near.get(t) {
                out.push((format!("near:{name}"), *w));
            }
        }
        for t in &f.claim_terms {
            if let Some((w, name)) = self.claim.get(t) {
                out.push((format!("claim:{name}"), *w));
            }
        }
        for t in f.report_words.iter() {
            if let Some((w, name)) = self.report.get(t) {
                out.push((format!("report:{name}"), *w));
            }
        }
        out
    }

    /// Relatedness, then stance, with the deciding cue.
    pub fn predict(&self, f: &PairFeatures) -> Prediction {
        let related = self.related_probability(f);
        let contrib = self.contributions(f);
        let mut z = [0.0; 3];
        for (_, c) in &contrib {
            for k in 0..3 {
                z[k] += c[k];
            }
        }
        let mut probs = z;
        softmax(&mut probs);
        let best = (0..3)
            .max_by(|&a, &b| probs[a].total_cmp(&probs[b]).then(b.cmp(&a)))
            .unwrap_or(0);
        let second = (0..3)
            .filter(|&k| k != best)
            .max_by(|&a, &b| probs[a].total_cmp(&probs[b]).then(b.cmp(&a)))
            .unwrap_or(0);
        let cue = contrib
            .iter()
            .filter(|(name, _)| name != "bias")
            .map(|(name, c)| (name, c[best] - c[second]))
            .filter(|(_, d)| *d > 0.0)
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(name, _)| {
                let class = relate::CueClass::ALL
                    .iter()
                    .find(|c| name.ends_with(c.as_str()) && name.starts_with("near_"));
                match class.and_then(|c| f.cue_text[*c as usize].as_deref()) {
                    Some(t) => format!("{name}: {t}"),
                    None => name.clone(),
                }
            })
            .unwrap_or_else(|| "bias".into());
        Prediction {
            related,
            stance: (related >= self.threshold).then_some(STANCES[best]),
            probs,
            cue,
        }
    }

    /// The weights file: `#` comments (the header given), then
    /// `stage,feature,class,weight` rows.
    pub fn to_csv(&self, header: &str) -> String {
        let mut s = String::new();
        for line in header.lines() {
            let _ = writeln!(s, "# {line}");
        }
        s.push_str("stage,feature,class,weight\n");
        let num = |x: f64| format!("{x:.6}");
        let n = RELATED_FEATURES.len();
        for (j, name) in RELATED_FEATURES.iter().chain(["bias"].iter()).enumerate() {
            let w = self.related.get(j).copied().unwrap_or(0.0);
            let _ = writeln!(s, "related,{name},related,{}", num(w));
        }
        let _ = writeln!(s, "related,threshold,related,{}", num(self.threshold));
        let m = STANCE_FEATURES.len();
        for (j, name) in STANCE_FEATURES.iter().chain(["bias"].iter()).enumerate() {
            for (k, st) in STANCES.iter().enumerate() {
                let w = self.stance[k].get(j).copied().unwrap_or(0.0);
                let _ = writeln!(s, "stance,{name},{},{}", st.as_str(), num(w));
            }
        }
        debug_assert!(n > 0 && m > 0);
        for (prefix, map) in [
            ("near", &self.near),
            ("claim", &self.claim),
            ("report", &self.report),
        ] {
            let mut rows: Vec<&([f64; 3], Box<str>)> = map.values().collect();
            rows.sort_by(|a, b| a.1.cmp(&b.1));
            for (w, name) in rows {
                for (k, st) in STANCES.iter().enumerate() {
                    let _ = writeln!(s, "stance,{prefix}:{name},{},{}", st.as_str(), num(w[k]));
                }
            }
        }
        s
    }

    /// Reads a weights file; errors name the line.
    pub fn from_csv(text: &str) -> Result<StanceModel, String> {
        let mut m = StanceModel {
            related: vec![0.0; RELATED_FEATURES.len() + 1],
            threshold: 0.5,
            stance: std::array::from_fn(|_| vec![0.0; STANCE_FEATURES.len() + 1]),
            ..StanceModel::default()
        };
        let mut header = false;
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if !header {
                header = true;
                if line != "stage,feature,class,weight" {
                    return Err(format!(
                        "line {}: expected header stage,feature,class,weight",
                        i + 1
                    ));
                }
                continue;
            }
            let parts: Vec<&str> = line.split(',').collect();
            let bad = || format!("line {}: {line:?}", i + 1);
            let [stage, feature, class, weight] = parts.as_slice() else {
                return Err(bad());
            };
            let w: f64 = weight.parse().map_err(|_| bad())?;
            if !w.is_finite() {
                return Err(bad());
            }
            match *stage {
                "related" if *feature == "threshold" => m.threshold = w,
                "related" => {
                    let j = position(RELATED_FEATURES, feature).ok_or_else(bad)?;
                    m.related[j] = w;
                }
                "stance" => {
                    let k = STANCES
                        .iter()
                        .position(|s| s.as_str() == *class)
                        .ok_or_else(bad)?;
                    if let Some(stem) = feature.strip_prefix("near:") {
                        let e = m
                            .near
                            .entry(relate::term_of_stem(stem))
                            .or_insert_with(|| ([0.0; 3], stem.into()));
                        e.0[k] = w;
                    } else if let Some(stem) = feature.strip_prefix("report:") {
                        let e = m
                            .report
                            .entry(relate::term_of_stem(stem))
                            .or_insert_with(|| ([0.0; 3], stem.into()));
                        e.0[k] = w;
                    } else if let Some(stem) = feature.strip_prefix("claim:") {
                        let e = m
                            .claim
                            .entry(relate::term_of_stem(stem))
                            .or_insert_with(|| ([0.0; 3], stem.into()));
                        e.0[k] = w;
                    } else {
                        let j = position(STANCE_FEATURES, feature).ok_or_else(bad)?;
                        m.stance[k][j] = w;
                    }
                }
                _ => return Err(bad()),
            }
        }
        if !header {
            return Err("no header row stage,feature,class,weight".into());
        }
        Ok(m)
    }
}

/// Index of a dense feature name, `bias` being one past the last.
fn position(names: &[&str], feature: &str) -> Option<usize> {
    if feature == "bias" {
        return Some(names.len());
    }
    names.iter().position(|n| *n == feature)
}

/// One labelled pair: its features and its stance, `None` for unrelated.
#[derive(Debug, Clone)]
pub struct Example {
    pub features: PairFeatures,
    pub label: Option<Stance>,
}

/// Training options.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    pub epochs: usize,
    pub learning_rate: f64,
    /// L2 penalty on (standardised) weights.
    pub l2: f64,
    /// Classes are weighted by (N / (K · N_class))^power: 0 = unweighted, 1 = balanced.
    pub class_weight_power: f64,
    /// How many near-claim stems and claim stems become lexical features.
    pub near_vocab: usize,
    pub claim_vocab: usize,
    pub report_vocab: usize,
    /// A stem must occur in at least this many related training pairs to be considered.
    pub min_count: usize,
    /// Relatedness probability below which a pair is unrelated. Below 0.5 because a
    /// missed related report costs more than a spurious one (FNC-1 weights it 0.25 +
    /// 0.75 against 0.25).
    pub threshold: f64,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            epochs: 300,
            learning_rate: 0.05,
            l2: 0.05,
            class_weight_power: 0.6,
            near_vocab: 800,
            claim_vocab: 100,
            report_vocab: 800,
            min_count: 20,
            threshold: 0.2,
        }
    }
}

/// A sparse design row: (column, value).
type Row = Vec<(u32, f64)>;

/// Softmax regression on sparse rows with Adam; returns weights per class per column
/// (bias last) on the standardised scale, plus the means and scales used.
fn fit(
    rows: &[Row],
    labels: &[usize],
    classes: usize,
    columns: usize,
    dense: usize,
    opt: &TrainOptions,
) -> (Vec<Vec<f64>>, Vec<f64>, Vec<f64>) {
    // Standardise the dense columns; lexical indicators stay 0/1.
    let n = rows.len().max(1) as f64;
    let mut mean = vec![0.0; columns];
    let mut sq = vec![0.0; columns];
    for r in rows {
        for &(j, x) in r {
            if (j as usize) < dense {
                mean[j as usize] += x;
                sq[j as usize] += x * x;
            }
        }
    }
    let mut scale = vec![1.0; columns];
    for j in 0..dense {
        mean[j] /= n;
        let var = (sq[j] / n - mean[j] * mean[j]).max(0.0);
        scale[j] = if var > 1e-12 { var.sqrt() } else { 1.0 };
    }
    for m in mean.iter_mut().skip(dense) {
        *m = 0.0;
    }
    let mut counts = vec![0usize; classes];
    for &l in labels {
        counts[l] += 1;
    }
    let cw: Vec<f64> = counts
        .iter()
        .map(|&c| {
            if c == 0 {
                0.0
            } else {
                (n / (classes as f64 * c as f64)).powf(opt.class_weight_power)
            }
        })
        .collect();
    let width = columns + 1;
    let mut w = vec![vec![0.0; width]; classes];
    let mut m1 = vec![vec![0.0; width]; classes];
    let mut m2 = vec![vec![0.0; width]; classes];
    let (b1, b2, eps) = (0.9, 0.999, 1e-8);
    let mut grad = vec![vec![0.0; width]; classes];
    let mut z = vec![0.0; classes];
    let norm: f64 = labels.iter().map(|&l| cw[l]).sum::<f64>().max(1e-12);
    // Standardise once: the epochs then touch each stored value once per class.
    let rows: Vec<Vec<(usize, f64)>> = rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|&(j, x)| {
                    let j = j as usize;
                    (j, (x - mean[j]) / scale[j])
                })
                .collect()
        })
        .collect();
    for epoch in 1..=opt.epochs {
        for g in grad.iter_mut() {
            g.iter_mut().for_each(|x| *x = 0.0);
        }
        for (r, &l) in rows.iter().zip(labels) {
            for k in 0..classes {
                let wk = &w[k];
                z[k] = wk[columns] + r.iter().map(|&(j, x)| wk[j] * x).sum::<f64>();
            }
            softmax(&mut z);
            for k in 0..classes {
                let d = cw[l] * (z[k] - if k == l { 1.0 } else { 0.0 }) / norm;
                if d == 0.0 {
                    continue;
                }
                let gk = &mut grad[k];
                gk[columns] += d;
                for &(j, x) in r {
                    gk[j] += d * x;
                }
            }
        }
        // Absent dense values are zeros, whose standardised value is not zero: the
        // loop above only visits present entries, so dense rows always carry every
        // dense column (see `row`).
        let lr = opt.learning_rate;
        let t = epoch as i32;
        for k in 0..classes {
            for j in 0..width {
                let g = grad[k][j] + if j < columns { opt.l2 * w[k][j] } else { 0.0 };
                m1[k][j] = b1 * m1[k][j] + (1.0 - b1) * g;
                m2[k][j] = b2 * m2[k][j] + (1.0 - b2) * g * g;
                let mh = m1[k][j] / (1.0 - b1.powi(t));
                let vh = m2[k][j] / (1.0 - b2.powi(t));
                w[k][j] -= lr * mh / (vh.sqrt() + eps);
            }
        }
    }
    (w, mean, scale)
}

/// Maps standardised weights back to raw feature scale.
fn unstandardise(w: &[f64], mean: &[f64], scale: &[f64]) -> Vec<f64> {
    let columns = mean.len();
    let mut out = vec![0.0; columns + 1];
    let mut bias = w[columns];
    for j in 0..columns {
        out[j] = w[j] / scale[j];
        bias -= w[j] * mean[j] / scale[j];
    }
    out[columns] = bias;
    out
}

/// Picks the stems that best separate the stance classes (chi-square over class counts
/// of pairs containing the stem), at least `min_count` pairs each.
fn vocabulary<'a>(
    lists: impl Iterator<Item = (&'a [Term], usize)>,
    keep: usize,
    min_count: usize,
) -> Vec<Term> {
    let mut per: HashMap<Term, [usize; 3]> = HashMap::new();
    let mut totals = [0usize; 3];
    for (terms, l) in lists {
        totals[l] += 1;
        for t in terms {
            per.entry(*t).or_default()[l] += 1;
        }
    }
    let n: usize = totals.iter().sum();
    if n == 0 {
        return Vec::new();
    }
    let mut scored: Vec<(f64, Term)> = per
        .into_iter()
        .filter(|(_, c)| c.iter().sum::<usize>() >= min_count)
        .map(|(t, c)| {
            let df: usize = c.iter().sum();
            let mut chi = 0.0;
            for k in 0..3 {
                let e = df as f64 * totals[k] as f64 / n as f64;
                if e > 0.0 {
                    chi += (c[k] as f64 - e).powi(2) / e;
                }
            }
            (chi, t)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().take(keep).map(|(_, t)| t).collect()
}

/// Trains both stages. `names` gives the stem of each term (for the weights file).
pub fn train(
    examples: &[Example],
    names: &HashMap<Term, Box<str>>,
    opt: &TrainOptions,
) -> StanceModel {
    // Stage 1: related or not, on every pair.
    let nr = RELATED_FEATURES.len();
    let rows: Vec<Row> = examples
        .iter()
        .map(|e| dense_row(&e.features.related))
        .collect();
    let labels: Vec<usize> = examples
        .iter()
        .map(|e| usize::from(e.label.is_some()))
        .collect();
    // Relatedness has few, dense features and plenty of data: little regularisation.
    let rel_opt = TrainOptions {
        class_weight_power: 0.0,
        l2: 1e-4,
        ..opt.clone()
    };
    let (w, mean, scale) = fit(&rows, &labels, 2, nr, nr, &rel_opt);
    let w0 = unstandardise(&w[0], &mean, &scale);
    let w1 = unstandardise(&w[1], &mean, &scale);
    let related: Vec<f64> = w1.iter().zip(&w0).map(|(a, b)| a - b).collect();

    // Stage 2: stance, on related pairs only.
    let rel: Vec<(&Example, usize)> = examples
        .iter()
        .filter_map(|e| {
            e.label
                .and_then(|s| STANCES.iter().position(|x| *x == s))
                .map(|k| (e, k))
        })
        .collect();
    let near_vocab = vocabulary(
        rel.iter()
            .map(|(e, k)| (e.features.near_terms.as_slice(), *k)),
        opt.near_vocab,
        opt.min_count,
    );
    let claim_vocab = vocabulary(
        rel.iter()
            .map(|(e, k)| (e.features.claim_terms.as_slice(), *k)),
        opt.claim_vocab,
        opt.min_count,
    );
    let report_vocab = vocabulary(
        rel.iter().map(|(e, k)| (&e.features.report_words[..], *k)),
        opt.report_vocab,
        opt.min_count,
    );
    let ns = STANCE_FEATURES.len();
    let near_col: HashMap<Term, u32> = near_vocab
        .iter()
        .enumerate()
        .map(|(i, t)| (*t, (ns + i) as u32))
        .collect();
    let claim_col: HashMap<Term, u32> = claim_vocab
        .iter()
        .enumerate()
        .map(|(i, t)| (*t, (ns + near_vocab.len() + i) as u32))
        .collect();
    let report_col: HashMap<Term, u32> = report_vocab
        .iter()
        .enumerate()
        .map(|(i, t)| (*t, (ns + near_vocab.len() + claim_vocab.len() + i) as u32))
        .collect();
    let columns = ns + near_vocab.len() + claim_vocab.len() + report_vocab.len();
    let rows: Vec<Row> = rel
        .iter()
        .map(|(e, _)| {
            let mut r = dense_row(&e.features.stance);
            r.extend(
                e.features
                    .near_terms
                    .iter()
                    .filter_map(|t| near_col.get(t).map(|&c| (c, 1.0))),
            );
            r.extend(
                e.features
                    .claim_terms
                    .iter()
                    .filter_map(|t| claim_col.get(t).map(|&c| (c, 1.0))),
            );
            r.extend(
                e.features
                    .report_words
                    .iter()
                    .filter_map(|t| report_col.get(t).map(|&c| (c, 1.0))),
            );
            r
        })
        .collect();
    let labels: Vec<usize> = rel.iter().map(|(_, k)| *k).collect();
    let (w, mean, scale) = fit(&rows, &labels, 3, columns, ns, opt);
    let raw: Vec<Vec<f64>> = w
        .iter()
        .map(|wk| unstandardise(wk, &mean, &scale))
        .collect();
    let stance: [Vec<f64>; 3] = std::array::from_fn(|k| {
        let mut v: Vec<f64> = raw[k][..ns].to_vec();
        v.push(raw[k][columns]);
        v
    });
    let name_of = |t: &Term| -> Box<str> { names.get(t).cloned().unwrap_or_else(|| "?".into()) };
    let lexical = |vocab: &[Term], offset: usize| -> HashMap<Term, ([f64; 3], Box<str>)> {
        vocab
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let w = std::array::from_fn(|k| raw[k][offset + i]);
                (*t, (w, name_of(t)))
            })
            .collect()
    };
    StanceModel {
        related,
        threshold: opt.threshold,
        stance,
        near: lexical(&near_vocab, ns),
        claim: lexical(&claim_vocab, ns + near_vocab.len()),
        report: lexical(&report_vocab, ns + near_vocab.len() + claim_vocab.len()),
    }
}

fn dense_row(x: &[f64]) -> Row {
    x.iter().enumerate().map(|(j, &v)| (j as u32, v)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_file_round_trips() {
        let mut m = StanceModel {
            related: (0..=RELATED_FEATURES.len())
                .map(|i| i as f64 * 0.5)
                .collect(),
            threshold: 0.4,
            stance: std::array::from_fn(|k| vec![k as f64; STANCE_FEATURES.len() + 1]),
            ..StanceModel::default()
        };
        m.near.insert(
            relate::term_of_stem("hoax"),
            ([-1.0, 2.0, 0.5], "hoax".into()),
        );
        let text = m.to_csv("test model");
        let back = StanceModel::from_csv(&text).unwrap();
        assert_eq!(back.related, m.related);
        assert_eq!(back.threshold, 0.4);
        assert_eq!(back.stance, m.stance);
        assert_eq!(back.near, m.near);
        assert!(StanceModel::from_csv("nonsense").is_err());
        assert!(
            StanceModel::from_csv("stage,feature,class,weight\nrelated,nope,related,1\n").is_err()
        );
    }
}
