//! The two seed reports in `../shared/corpus/seeds` (skipped with a printed reason when that
//! directory is absent): every quantity an analyst needs is found, and nothing else — no
//! years, datelines, ordinals or dates.

use std::path::PathBuf;

use corro_claims::quantity::{extract, UnitLexicon};

#[test]
fn seed_reports_give_exactly_the_claimed_quantities() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/seeds");
    if !dir.is_dir() {
        println!("skipped: ../shared/corpus/seeds not found");
        return;
    }
    let lex = UnitLexicon::from_csv(
        include_str!("../../../data/units.csv"),
        include_str!("../../../data/currencies.csv"),
    )
    .expect("lexicons load");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("read seeds")
        .map(|e| e.expect("dir entry").path())
        .collect();
    paths.sort();
    let mut got = Vec::new();
    for p in &paths {
        let text = std::fs::read_to_string(p).expect("read seed");
        for q in extract(&text, &lex) {
            got.push(format!(
                "{} | {} | {:?} | {:?} | {} | {} | {}",
                &text[q.start..q.end],
                q.kind.as_str(),
                q.low,
                q.high,
                q.approx,
                q.unit.as_deref().unwrap_or(""),
                q.per.as_deref().unwrap_or("")
            ));
        }
    }
    let expected = [
        "dozens of mercenaries | count | Some(24.0) | Some(99.0) | true | fighter | ",
        "more than 150 militants | count | Some(150.0) | None | false | fighter | ",
        "ten militants | count | Some(10.0) | Some(10.0) | false | fighter | ",
        "about a thousand armed mercenaries | count | Some(900.0) | Some(1100.0) | true | fighter | ",
        "$1,500 | money | Some(1500.0) | Some(1500.0) | false | USD | month",
        "three-months-long | duration | Some(3.0) | Some(3.0) | false | month | ",
        "around 1,000 fighters | count | Some(900.0) | Some(1100.0) | true | fighter | ",
    ];
    let mut want: Vec<&str> = expected.to_vec();
    let mut have: Vec<&str> = got.iter().map(String::as_str).collect();
    want.sort_unstable();
    have.sort_unstable();
    assert_eq!(have, want);
}
