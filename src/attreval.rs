//! `corro eval attribution`: does each sentence's claim name the origin a reader would?
//!
//! The labels are sentences read by hand: `report_id, sentence, start, origin`, where
//! `start` is the sentence's first byte in its report (the key: it survives a change in
//! how many sentences come before), `sentence` its index when labelled (for people), and
//! `origin` what claims.csv's `origin` column should say for every claim of that
//! sentence, as alternatives split by `|`:
//!
//! - a name as an analyst would count it: `John Kirby`, `Iraq (government)`, `SOHR`;
//! - `(report)`: the report's own voice, no speaker (`report 17` for an outlet-less
//!   report, the outlet's name otherwise);
//! - `(anonymous) via X`: an unnamed speaker relayed by X, however the speaker is
//!   described (`a senior official via Reuters`, `anonymous source via Reuters`); X may
//!   be `(report)`.
//!
//! Names compare without case, runs of spaces, a leading "the", or the difference
//! between straight and curly apostrophes. A sentence is right when every claim corro
//! found in it carries one of the alternatives. Wrong sentences are split by what went
//! wrong: a speaker *missed* (read as the report's own voice), a *spurious* speaker (the
//! label says the report speaks), or the *wrong* speaker; a labelled sentence where the
//! run found no claim is *unscored* and counts against accuracy, so that extracting less
//! cannot score more.
//!
//! The labels in `tests/eval/fnc1-attribution.csv` are for FNC-1's bodies (`corro run
//! ../shared/fnc1-train/bodies.csv`); only positions and labels are kept, no text.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `corro eval attribution`: a run's claim origins against hand-labelled sentences.
#[derive(clap::Args)]
pub struct AttributionArgs {
    /// The labels: `report_id, sentence, start, origin`.
    #[arg(long, value_name = "CSV")]
    labels: PathBuf,
    /// The run's claims.csv (its `report_id`, `start` and `origin` columns).
    #[arg(long, value_name = "CSV")]
    claims: PathBuf,
    /// Print every sentence that is not right, with what was expected and found.
    #[arg(long)]
    errors: bool,
    /// Exit 1 when the share of labelled sentences that are right is below this.
    #[arg(long, value_name = "FRACTION")]
    min_accuracy: Option<f64>,
}

/// One hand-labelled sentence.
#[derive(Debug, Clone)]
struct Label {
    report: String,
    sentence: String,
    start: String,
    alternatives: Vec<String>,
}

/// How one labelled sentence came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    Right,
    /// A speaker was labelled; the run read the report's own voice.
    Missed,
    /// The label says the report speaks; the run found a speaker.
    Spurious,
    /// Another speaker than the labelled one.
    Wrong,
    /// No claim of the run starts there.
    Unscored,
}

/// Report ids, for reading a report's own voice in an origin (`report 17`, `anonymous
/// source via report a.txt`): an outlet-less report speaks as `report ID`, its own id or
/// its copy family's.
pub type Ids = std::collections::HashSet<String>;

/// An origin with a report's own voice written `(report)`.
fn own_voice(origin: &str, ids: &Ids) -> String {
    if origin
        .strip_prefix("report ")
        .is_some_and(|id| ids.contains(id))
    {
        return "(report)".to_string();
    }
    if let Some(at) = origin.rfind(" via report ") {
        if ids.contains(&origin[at + " via report ".len()..]) {
            return format!("{} via (report)", &origin[..at]);
        }
    }
    origin.to_string()
}

/// A name as compared: lower case, single spaces, straight apostrophes, no leading
/// "the".
fn canonical(s: &str) -> String {
    let s = s.replace(['\u{2019}', '\u{2018}'], "'").to_lowercase();
    let joined = s.split_whitespace().collect::<Vec<_>>().join(" ");
    joined
        .strip_prefix("the ")
        .map_or_else(|| joined.clone(), str::to_string)
}

/// Whether `origin` (a claims.csv cell) is one of the label's alternatives.
fn matches(origin: &str, alternatives: &[String]) -> bool {
    let o = canonical(origin);
    alternatives.iter().any(|a| {
        let a = canonical(a);
        match a.strip_prefix("(anonymous) via ") {
            // Any description before " via X": the relay is what keys the origin.
            Some(via) => o
                .rsplit_once(" via ")
                .is_some_and(|(who, v)| !who.is_empty() && v == canonical(via)),
            None => o == a,
        }
    })
}

/// Scores one sentence's claim origins (a report's own voice already `(report)`)
/// against its label.
pub fn judge(origins: &[&str], alternatives: &[String]) -> Outcome {
    if origins.is_empty() {
        return Outcome::Unscored;
    }
    if origins.iter().all(|o| matches(o, alternatives)) {
        return Outcome::Right;
    }
    let own = |s: &str| canonical(s) == "(report)";
    let labelled_own = alternatives.iter().all(|a| own(a));
    if labelled_own {
        Outcome::Spurious
    } else if origins.iter().all(|o| own(o)) && !alternatives.iter().any(|a| own(a)) {
        Outcome::Missed
    } else {
        Outcome::Wrong
    }
}

fn read_labels(path: &Path) -> Result<Vec<Label>, String> {
    let (mut rdr, [report, sentence, start, origin]) =
        crate::linkage::reader_with(path, ["report_id", "sentence", "start", "origin"])?;
    let mut out = Vec::new();
    for (n, rec) in rdr.records().enumerate() {
        // Line n + 2: the header is line 1.
        let rec = rec.map_err(|e| format!("{}:{}: {e}", path.display(), n + 2))?;
        let field = |k: usize| rec.get(k).unwrap_or("").trim().to_string();
        let alternatives: Vec<String> = field(origin)
            .split('|')
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
            .collect();
        if alternatives.is_empty() {
            return Err(format!("{}:{}: no origin", path.display(), n + 2));
        }
        if field(start).parse::<u64>().is_err() {
            return Err(format!(
                "{}:{}: start {:?} is not a byte offset",
                path.display(),
                n + 2,
                field(start)
            ));
        }
        out.push(Label {
            report: field(report),
            sentence: field(sentence),
            start: field(start),
            alternatives,
        });
    }
    Ok(out)
}

/// Every claim's origin by (report, sentence start), a report's own voice written
/// `(report)`.
fn read_origins(path: &Path) -> Result<HashMap<(String, String), Vec<String>>, String> {
    let (mut rdr, [report, start, origin]) =
        crate::linkage::reader_with(path, ["report_id", "start", "origin"])?;
    let mut rows = Vec::new();
    let mut ids = Ids::new();
    for (n, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| format!("{}:{}: {e}", path.display(), n + 2))?;
        let field = |k: usize| rec.get(k).unwrap_or("").to_string();
        ids.insert(field(report));
        rows.push((field(report), field(start), field(origin)));
    }
    let mut out: HashMap<(String, String), Vec<String>> = HashMap::new();
    for (report, start, origin) in rows {
        out.entry((report, start))
            .or_default()
            .push(own_voice(&origin, &ids));
    }
    Ok(out)
}

pub fn cmd(args: AttributionArgs) -> ExitCode {
    let (labels, origins) =
        match read_labels(&args.labels).and_then(|l| read_origins(&args.claims).map(|o| (l, o))) {
            Ok(x) => x,
            Err(e) => {
                eprintln!("corro: {e}");
                return ExitCode::from(crate::exit::USAGE);
            }
        };
    let mut counts: HashMap<Outcome, usize> = HashMap::new();
    for l in &labels {
        let found: Vec<&str> = origins
            .get(&(l.report.clone(), l.start.clone()))
            .map(|v| v.iter().map(String::as_str).collect())
            .unwrap_or_default();
        let outcome = judge(&found, &l.alternatives);
        *counts.entry(outcome).or_default() += 1;
        if args.errors && outcome != Outcome::Right {
            let mut got = found.clone();
            got.sort_unstable();
            got.dedup();
            println!(
                "{:?}: report {} sentence {} (byte {}): want {}; got {}",
                outcome,
                l.report,
                l.sentence,
                l.start,
                l.alternatives.join(" | "),
                if got.is_empty() {
                    "no claim".to_string()
                } else {
                    got.join("; ")
                }
            );
        }
    }
    let n = labels.len();
    let count = |o: Outcome| counts.get(&o).copied().unwrap_or(0);
    let right = count(Outcome::Right);
    let accuracy = if n == 0 { 0.0 } else { right as f64 / n as f64 };
    println!(
        "attribution: accuracy {accuracy:.4} ({right} of {n} sentences right; missed {}, spurious {}, wrong {}, unscored {})",
        count(Outcome::Missed),
        count(Outcome::Spurious),
        count(Outcome::Wrong),
        count(Outcome::Unscored),
    );
    match args.min_accuracy {
        Some(min) if accuracy < min => {
            eprintln!("corro: attribution accuracy {accuracy:.4} is below the floor {min}");
            ExitCode::from(crate::exit::FINDINGS)
        }
        _ => ExitCode::SUCCESS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alts(s: &str) -> Vec<String> {
        s.split('|').map(str::to_string).collect()
    }

    #[test]
    fn a_reports_own_voice_is_read_by_its_id() {
        let ids: Ids = ["17", "a.txt", "1608"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        for (origin, want) in [
            ("report 17", "(report)"),
            ("report a.txt", "(report)"),
            (
                "anonymous source via report 1608",
                "anonymous source via (report)",
            ),
            ("a report via report 17", "a report via (report)"),
            // Not a report id: a name.
            ("report 99", "report 99"),
            ("World News Daily Report", "World News Daily Report"),
        ] {
            assert_eq!(own_voice(origin, &ids), want, "{origin}");
        }
    }

    #[test]
    fn sentences_are_judged_by_every_claim_origin() {
        use Outcome::*;
        // (claim origins, label, outcome)
        let cases: &[(&[&str], &str, Outcome)] = &[
            (&["John Kirby"], "John Kirby", Right),
            // Case, spaces, a leading "the" and curly apostrophes do not count.
            (&["the  new york times"], "The New York Times", Right),
            (&["O\u{2019}Neal"], "O'Neal", Right),
            // Any alternative will do.
            (&["SOHR"], "Syrian Observatory for Human Rights|SOHR", Right),
            // A report's own voice, whichever report of its copy family.
            (&["(report)"], "(report)", Right),
            // An unnamed speaker, however described, keyed by its relay.
            (
                &["anonymous source via Reuters"],
                "(anonymous) via Reuters",
                Right,
            ),
            (
                &["a senior official via (report)"],
                "(anonymous) via (report)",
                Right,
            ),
            (
                &["anonymous source via (report)"],
                "(anonymous) via Reuters",
                Wrong,
            ),
            (
                &["World News Daily Report"],
                "World News Daily Report",
                Right,
            ),
            // Every claim of the sentence must agree.
            (&["John Kirby", "(report)"], "John Kirby", Wrong),
            (&["(report)"], "John Kirby", Missed),
            (&["Kirby"], "(report)", Spurious),
            (&["Kirby"], "John Kirby", Wrong),
            (&[], "John Kirby", Unscored),
            // "Missed" is only a speaker lost to the report's voice.
            (&["(report)"], "John Kirby|(report)", Right),
        ];
        for (origins, label, want) in cases {
            assert_eq!(
                judge(origins, &alts(label)),
                *want,
                "{origins:?} vs {label}"
            );
        }
    }

    #[test]
    fn a_label_without_an_origin_or_offset_names_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("l.csv");
        std::fs::write(
            &p,
            "report_id,sentence,start,origin\n1,0,0,Kirby\n1,2,x,Kirby\n",
        )
        .unwrap();
        let e = read_labels(&p).unwrap_err();
        assert!(
            e.ends_with("l.csv:3: start \"x\" is not a byte offset"),
            "{e}"
        );
        std::fs::write(&p, "report_id,sentence,start,origin\n1,0,0, \n").unwrap();
        let e = read_labels(&p).unwrap_err();
        assert!(e.ends_with("l.csv:2: no origin"), "{e}");
    }
}
