//! Recognizers-Text conformance: scores the number and money normalisers against the spec
//! files in `../shared/numbers` (skipped with a printed reason when that directory is absent,
//! as in a fresh clone).

use std::path::PathBuf;

use corro_claims::conformance::{score_currency_model, score_number_model, Score};
use corro_claims::quantity::UnitLexicon;

fn lexicon() -> UnitLexicon {
    UnitLexicon::from_csv(
        include_str!("../../../data/units.csv"),
        include_str!("../../../data/currencies.csv"),
    )
    .expect("lexicons load")
}

fn spec_dir() -> Option<PathBuf> {
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/numbers");
    d.is_dir().then_some(d)
}

fn report(name: &str, s: &Score) {
    println!(
        "{name}: passed {}/{} scored ({:.1}%), {} excluded, {} total, {} valueless results dropped",
        s.passed,
        s.scored,
        100.0 * s.rate(),
        s.excluded.len(),
        s.total,
        s.dropped_results
    );
    for (input, reason) in &s.excluded {
        println!("  excluded: {input:?}: {reason}");
    }
    for f in &s.failures {
        println!(
            "  FAIL {:?}\n    expected {:?}\n    got      {:?}",
            f.input, f.expected, f.got
        );
    }
}

#[test]
fn number_model_conformance() {
    let Some(dir) = spec_dir() else {
        println!("skipped: ../shared/numbers not found");
        return;
    };
    let json =
        std::fs::read_to_string(dir.join("NumberModel.json")).expect("read NumberModel.json");
    let s = score_number_model(&json, &lexicon()).expect("score");
    report("NumberModel", &s);
    assert!(
        s.scored > 200,
        "the spec file should hold over 200 scored cases"
    );
    assert!(
        s.rate() >= 0.97,
        "NumberModel pass rate {:.3} < 0.97",
        s.rate()
    );
}

#[test]
fn currency_model_conformance() {
    let Some(dir) = spec_dir() else {
        println!("skipped: ../shared/numbers not found");
        return;
    };
    let json =
        std::fs::read_to_string(dir.join("CurrencyModel.json")).expect("read CurrencyModel.json");
    let s = score_currency_model(&json, &lexicon()).expect("score");
    report("CurrencyModel", &s);
    assert!(
        s.scored > 150,
        "the spec file should hold over 150 scored cases"
    );
    assert!(
        s.rate() >= 0.90,
        "CurrencyModel pass rate {:.3} < 0.90",
        s.rate()
    );
}
