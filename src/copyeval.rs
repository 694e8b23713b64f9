//! `corro eval copies`: how well a run's copy families match the copies a corpus was
//! generated with.
//!
//! The truth is `corro gen`'s `truth/copies.csv` (`report_id, original`): reports with the
//! same `original` are syndicated copies of one wire text, and a report with none was
//! written on its own. The prediction is reports.csv's `copy_family` (a report's family is
//! named by its earliest member; a report in no family names itself). Precision, recall
//! and F1 are over report pairs: a pair is predicted when both are in one family, true
//! when both copy one original. Counted from group sizes, so the measure is linear in the
//! corpus, however large its families.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::linkage::PairScores;

/// `corro eval copies`: a run's copy families against a generated corpus's truth.
#[derive(clap::Args)]
pub struct CopiesArgs {
    /// The truth: `report_id, original` (`corro gen` writes it to `truth/copies.csv`).
    #[arg(long, value_name = "CSV")]
    truth: PathBuf,
    /// The run's reports.csv (its `report_id` and `copy_family` columns).
    #[arg(long, value_name = "CSV")]
    reports: PathBuf,
    /// Exit 1 when pairwise F1 is below this.
    #[arg(long, value_name = "F1")]
    min_f1: Option<f64>,
}

/// Pairwise scores of a predicted grouping against a true one, for the items both
/// name: `pairs` holds each item's (predicted group, true group), `None` for an item
/// alone in the truth. Pairs within a group are `n(n-1)/2` of its size.
fn pairwise<P, T>(pairs: impl IntoIterator<Item = (P, Option<T>)>) -> PairScores
where
    P: std::hash::Hash + Eq + Clone,
    T: std::hash::Hash + Eq + Clone,
{
    let mut predicted: HashMap<P, usize> = HashMap::new();
    let mut truth: HashMap<T, usize> = HashMap::new();
    let mut both: HashMap<(P, T), usize> = HashMap::new();
    for (p, t) in pairs {
        *predicted.entry(p.clone()).or_default() += 1;
        if let Some(t) = t {
            *truth.entry(t.clone()).or_default() += 1;
            *both.entry((p, t)).or_default() += 1;
        }
    }
    let pairs_of = |n: &usize| n * n.saturating_sub(1) / 2;
    PairScores {
        true_pairs: truth.values().map(pairs_of).sum(),
        predicted_pairs: predicted.values().map(pairs_of).sum(),
        correct: both.values().map(pairs_of).sum(),
    }
}

/// Reads `report_id` and one other column of a CSV by header name.
fn two_columns(path: &Path, other: &str) -> Result<Vec<(String, String)>, String> {
    let (mut rdr, [id, value]) = crate::linkage::reader_with(path, ["report_id", other])?;
    let mut out = Vec::new();
    for (n, rec) in rdr.records().enumerate() {
        // Line n + 2: the header is line 1.
        let rec = rec.map_err(|e| format!("{}:{}: {e}", path.display(), n + 2))?;
        let field = |k: usize| rec.get(k).unwrap_or("").to_string();
        out.push((field(id), field(value)));
    }
    Ok(out)
}

/// Scores reports.csv's copy families against the truth, over the reports both list.
fn score(truth: &Path, reports: &Path) -> Result<(PairScores, usize, usize), String> {
    let truth: HashMap<String, String> = two_columns(truth, "original")?.into_iter().collect();
    let reports = two_columns(reports, "copy_family")?;
    let listed = reports.len();
    let mut missing = 0;
    let pairs: Vec<(String, Option<String>)> = reports
        .into_iter()
        .filter_map(|(id, family)| match truth.get(&id) {
            // A report not analysed has no family: alone, not one group of all such.
            Some(original) => Some((
                if family.is_empty() { id } else { family },
                Some(original.clone()).filter(|o| !o.is_empty()),
            )),
            None => {
                missing += 1;
                None
            }
        })
        .collect();
    Ok((pairwise(pairs), listed, missing))
}

pub fn cmd(args: CopiesArgs) -> ExitCode {
    let (s, listed, missing) = match score(&args.truth, &args.reports) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("corro: {e}");
            return ExitCode::from(crate::exit::USAGE);
        }
    };
    if missing > 0 {
        eprintln!("corro: {missing} of {listed} reports have no truth row; left out");
    }
    s.print_against("copy families", args.min_f1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_without_a_family_stand_alone() {
        let dir = tempfile::tempdir().unwrap();
        let (truth, reports) = (dir.path().join("t.csv"), dir.path().join("r.csv"));
        std::fs::write(&truth, "report_id,original\na,\nb,\nc,w\nd,w\n").unwrap();
        // a and b were not analysed (no family); c and d are one family.
        std::fs::write(&reports, "report_id,copy_family\na,\nb,\nc,c\nd,c\ne,e\n").unwrap();
        let (s, listed, missing) = score(&truth, &reports).unwrap();
        assert_eq!((s.true_pairs, s.predicted_pairs, s.correct), (1, 1, 1));
        assert_eq!((listed, missing), (5, 1));
    }

    /// Reports as (predicted family, true original).
    type Reports<'a> = &'a [(&'a str, Option<&'a str>)];

    #[test]
    fn pairs_are_counted_from_group_sizes() {
        // The reports, and (true pairs, predicted pairs, correct pairs).
        let cases: &[(Reports, (usize, usize, usize))] = &[
            // Nothing in common, nothing predicted.
            (&[("a", None), ("b", None)], (0, 0, 0)),
            // Three copies of one original, all found.
            (
                &[("a", Some("w")), ("a", Some("w")), ("a", Some("w"))],
                (3, 3, 3),
            ),
            // Found as two families: one pair of three.
            (
                &[("a", Some("w")), ("a", Some("w")), ("c", Some("w"))],
                (3, 1, 1),
            ),
            // An original report joined to a copy family: a wrong pair.
            (
                &[("a", Some("w")), ("a", Some("w")), ("a", None)],
                (1, 3, 1),
            ),
            // Two originals' copies merged into one family.
            (
                &[
                    ("a", Some("w")),
                    ("a", Some("w")),
                    ("a", Some("v")),
                    ("a", Some("v")),
                ],
                (2, 6, 2),
            ),
        ];
        for (rows, (true_pairs, predicted_pairs, correct)) in cases {
            let s = pairwise(rows.iter().map(|&(p, t)| (p, t)));
            assert_eq!(
                (s.true_pairs, s.predicted_pairs, s.correct),
                (*true_pairs, *predicted_pairs, *correct),
                "{rows:?}"
            );
        }
    }
}
