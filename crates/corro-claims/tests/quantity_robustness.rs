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
