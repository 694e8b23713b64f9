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

/// The scoring rule on a small inline spec, so it is checked even without `../shared`.
#[test]
fn scoring_rule_on_inline_spec() {
    let numbers = r#"[
        {"Input": "about 1,000 men", "Results": [{"Text": "1,000", "TypeName": "number", "Start": 6, "End": 10, "Resolution": {"subtype": "integer", "value": "1000"}}]},
        {"Input": "two thirds", "Results": [{"Text": "two thirds", "TypeName": "number", "Start": 0, "End": 9, "Resolution": {"subtype": "fraction", "value": "0.666666666666667"}}]},
        {"Input": "hundred thousand dollars", "NotSupported": "dotnet, javascript", "Results": [{"Text": "hundred thousand", "TypeName": "number", "Start": 0, "End": 15, "Resolution": {"value": "100000"}}]},
        {"Input": "seven", "Results": [{"Text": "seven", "TypeName": "number", "Start": 0, "End": 4, "Resolution": {"value": "8"}}]},
        {"Input": "The one you mentioned", "NotSupported": "javascript", "Results": []}
    ]"#;
    let s = score_number_model(numbers, &lexicon()).expect("score");
    assert_eq!(
        (s.total, s.scored, s.passed, s.excluded.len()),
        (5, 4, 3, 1)
    );
    assert_eq!(s.failures.len(), 1);
    assert_eq!(s.failures[0].input, "seven");
    assert_eq!(s.failures[0].expected, vec!["8".to_string()]);
    assert_eq!(s.failures[0].got, vec!["7".to_string()]);

    let currency = r#"[
        {"Input": "for $ 75 million", "Results": [{"Text": "$ 75 million", "TypeName": "currency", "Start": 4, "End": 15, "Resolution": {"value": "75000000", "unit": "Dollar"}}]},
        {"Input": "rose 50 cents", "Results": [{"Text": "50 cents", "TypeName": "currency", "Start": 5, "End": 12, "Resolution": {"value": "50", "unit": "Cent"}}]},
        {"Input": "about 323 million euros", "Results": [{"Text": "323 million euros", "TypeName": "currency", "Start": 6, "End": 22, "Resolution": {"value": "323000000", "unit": "Euro", "isoCurrency": "EUR"}}]},
        {"Input": "50 dollar dollar", "Results": [
            {"Text": "50 dollar", "TypeName": "currency", "Start": 0, "End": 8, "Resolution": {"value": "50", "unit": "Dollar"}},
            {"Text": "dollar", "TypeName": "currency", "Start": 10, "End": 15, "Resolution": {"value": null, "unit": "Dollar"}}]}
    ]"#;
    let s = score_currency_model(currency, &lexicon()).expect("score");
    assert_eq!(
        (s.total, s.scored, s.passed, s.dropped_results),
        (4, 4, 4, 1),
        "{:?}",
        s.failures
    );

    assert!(score_number_model("not json", &lexicon()).is_err());
}
