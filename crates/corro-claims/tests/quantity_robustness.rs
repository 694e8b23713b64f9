//! Inputs corro-fuzz found breaking the quantity normaliser, each now a specification:
//! no panic, and every value an ordinary finite number.

use corro_claims::quantity::{extract, UnitLexicon};

fn lexicon() -> UnitLexicon {
    UnitLexicon::from_csv(
        include_str!("../../../data/units.csv"),
        include_str!("../../../data/currencies.csv"),
    )
    .expect("shipped lexicons load")
}

/// A hyphen glued to the end of the text after an amount ("…1-03-") was read as the
/// start of "-a-month" and the word after it looked up past the last token.
#[test]
fn a_trailing_glued_hyphen_after_a_number_is_not_a_rate() {
    let lex = lexicon();
    for text in [
        "date: 200\t1-03-",
        "$1,500-",
        "150 fighters-",
        "paid 7,000 lira-",
    ] {
        for q in extract(text, &lex) {
            assert_eq!(q.per, None, "{text:?}");
        }
    }
    let q = extract("$1,500-a-month", &lex);
    assert_eq!(q[0].per.as_deref(), Some("month"));
}

/// Numbers beyond `f64` ("1e400", 400 digits, a huge value times a scale) became
/// infinite intervals; they are not quantities.
#[test]
fn numbers_beyond_f64_are_not_quantities_and_no_value_is_infinite() {
    let lex = lexicon();
    let digits = "9".repeat(400);
    let huge = format!("about {} billion dollars", "9".repeat(300));
    for text in [
        "1e400 fighters",
        "more than $1e400",
        "between 150 and 1e400 people",
        "an estimated \u{20ac}9999999999999999e999",
        &format!("{digits} fighters"),
        &huge,
    ] {
        for q in extract(text, &lex) {
            for v in [q.low, q.high].into_iter().flatten() {
                assert!(v.is_finite(), "{text:?}: {q:?}");
            }
        }
    }
    // Large but finite values stay.
    let q = extract("$4.2bn", &lex);
    assert_eq!(q[0].low, Some(4.2e9));
}

/// `find_numbers` gave NaN for "0e400" (0 × ∞) and ∞ for "1e400".
#[test]
fn find_numbers_gives_only_finite_values() {
    for text in ["0e400", "1e400", "5e-400 and 7", "-1e999"] {
        for n in corro_claims::quantity::find_numbers(text) {
            assert!(n.value.is_finite(), "{text:?}: {n:?}");
        }
    }
    let n = corro_claims::quantity::find_numbers("5e-400 and 7");
    assert_eq!(n.last().map(|n| n.value), Some(7.0));
}

/// Two 48-byte words after a number overflowed the 96-byte buffer in which the reader
/// looks up two-word nouns ("death toll"): 48 + 1 + 48 bytes.
#[test]
fn two_longest_words_after_a_number_do_not_overflow_the_noun_lookup() {
    let lex = lexicon();
    let w = "x".repeat(48);
    let text = format!("three {w} {w} fighters");
    let _ = extract(&text, &lex);
    let long = format!("150 {} {}", "a".repeat(60), "b".repeat(60));
    let _ = extract(&long, &lex);
}
