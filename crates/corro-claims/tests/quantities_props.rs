//! Properties of the number parser: every integer from 0 to 10¹² written out in English
//! words (in several common styles) parses back to itself, and so does every integer
//! written in digits with thousands separators.

use corro_claims::quantity::{extract, find_numbers, QuantityKind, UnitLexicon};
use proptest::prelude::*;

const UNITS: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: [&str; 10] = [
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// How to spell: British "and" after hundreds, hyphen or space between tens and units.
#[derive(Debug, Clone, Copy)]
struct Style {
    and: bool,
    hyphen: bool,
}

fn below_100(n: u64, s: Style) -> String {
    if n < 20 {
        UNITS[n as usize].to_string()
    } else if n / 10 * 10 == n {
        TENS[(n / 10) as usize].to_string()
    } else {
        format!(
            "{}{}{}",
            TENS[(n / 10) as usize],
            if s.hyphen { "-" } else { " " },
            UNITS[(n % 10) as usize]
        )
    }
}

fn below_1000(n: u64, s: Style) -> String {
    let (h, r) = (n / 100, n % 100);
    match (h, r) {
        (0, _) => below_100(r, s),
        (_, 0) => format!("{} hundred", UNITS[h as usize]),
        _ => format!(
            "{} hundred {}{}",
            UNITS[h as usize],
            if s.and { "and " } else { "" },
            below_100(r, s)
        ),
    }
}

/// English words for `n` (0 ≤ n ≤ 10¹²).
fn words(n: u64, s: Style) -> String {
    if n == 0 {
        return "zero".into();
    }
    let mut parts = Vec::new();
    let mut rest = n;
    for (scale, name) in [
        (1_000_000_000_000u64, "trillion"),
        (1_000_000_000, "billion"),
        (1_000_000, "million"),
        (1_000, "thousand"),
    ] {
        let g = rest / scale;
        if g > 0 {
            parts.push(format!("{} {name}", below_1000(g, s)));
        }
        rest %= scale;
    }
    if rest > 0 {
        // "one thousand and five": British style puts "and" before a last group below 100.
        if s.and && !parts.is_empty() && rest < 100 {
            parts.push(format!("and {}", below_100(rest, s)));
        } else {
            parts.push(below_1000(rest, s));
        }
    }
    parts.join(" ")
}

fn grouped(n: u64) -> String {
    let d = n.to_string();
    let mut out = String::new();
    for (k, c) in d.chars().enumerate() {
        let from_end = d.len() - k;
        if k > 0 && from_end / 3 * 3 == from_end {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn numbers() -> impl Strategy<Value = u64> {
    prop_oneof![
        0u64..=100,
        0u64..=10_000,
        0u64..=10_000_000,
        0u64..=1_000_000_000_000
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn words_parse_back(n in numbers(), and in any::<bool>(), hyphen in any::<bool>()) {
        let text = words(n, Style { and, hyphen });
        let found = find_numbers(&text);
        prop_assert_eq!(found.len(), 1, "{:?} → {:?}", text, found);
        prop_assert_eq!(found[0].value, n as f64, "{:?}", text);
        prop_assert_eq!((found[0].start, found[0].end), (0, text.len()));
    }

    #[test]
    fn words_count_fighters(n in 2u64..=1_000_000_000_000, and in any::<bool>()) {
        let lex = UnitLexicon::from_csv("word,unit\nfighters,fighter\n", "alias,code\n$,USD\n").unwrap();
        let text = format!("they sent {} fighters", words(n, Style { and, hyphen: true }));
        let q = extract(&text, &lex);
        prop_assert_eq!(q.len(), 1, "{:?}", text);
        prop_assert_eq!(q[0].kind, QuantityKind::Count);
        prop_assert_eq!(q[0].low, Some(n as f64));
        prop_assert_eq!(q[0].unit.as_deref(), Some("fighter"));
    }

    #[test]
    fn grouped_digits_parse_back(n in numbers()) {
        let text = grouped(n);
        let found = find_numbers(&text);
        prop_assert_eq!(found.len(), 1, "{:?}", text);
        prop_assert_eq!(found[0].value, n as f64);
    }
}

#[test]
fn words_helper_spells_like_people() {
    let s = Style {
        and: true,
        hyphen: true,
    };
    assert_eq!(words(150, s), "one hundred and fifty");
    assert_eq!(words(1_021, s), "one thousand and twenty-one");
    assert_eq!(words(1_000_000_000_000, s), "one trillion");
}

/// Text made of the pieces that drive the parser (numbers, separators, number words,
/// currencies, hedges), in random order: the inputs most likely to reach odd states.
fn tricky_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[0-9]{1,5}",
        Just(",".to_string()),
        Just(".".to_string()),
        Just("-".to_string()),
        Just("/".to_string()),
        Just(" ".to_string()),
        Just("  ".to_string()),
        Just("\n".to_string()),
        Just("\u{202f}".to_string()),
        Just("–".to_string()),
        Just("$".to_string()),
        Just("£".to_string()),
        Just("%".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just("^".to_string()),
        Just("e".to_string()),
        Just("k".to_string()),
        Just("M".to_string()),
        Just("½".to_string()),
        proptest::sample::select(vec![
            "a",
            "an",
            "and",
            "one",
            "two",
            "twenty",
            "hundred",
            "thousand",
            "million",
            "half",
            "quarter",
            "thirds",
            "fifth",
            "point",
            "over",
            "out",
            "of",
            "in",
            "minus",
            "dozen",
            "dozens",
            "several",
            "few",
            "about",
            "more",
            "than",
            "up",
            "to",
            "between",
            "from",
            "or",
            "per",
            "month",
            "a",
            "year",
            "fighters",
            "killed",
            "dollars",
            "Turkish",
            "lira",
            "USD",
            "TRY",
            "per",
            "cent",
            "September",
            "Article",
            "the",
            "toll",
        ])
        .prop_map(str::to_string),
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|v| v.join(" ").replace("  ", " "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn extract_never_panics_and_spans_are_sane(text in prop_oneof![tricky_text(), any::<String>()]) {
        let lex = UnitLexicon::from_csv(
            include_str!("../../../data/units.csv"),
            include_str!("../../../data/currencies.csv"),
        )
        .unwrap();
        let qs = extract(&text, &lex);
        let mut prev_end = 0;
        for q in &qs {
            prop_assert!(q.start < q.end && q.end <= text.len(), "{:?} {:?}", text, q);
            prop_assert!(text.is_char_boundary(q.start) && text.is_char_boundary(q.end));
            prop_assert!(q.start >= prev_end, "overlapping spans in {:?}: {:?}", text, qs);
            prev_end = q.end;
            if let (Some(lo), Some(hi)) = (q.low, q.high) {
                prop_assert!(lo <= hi, "{:?} {:?}", text, q);
            }
        }
        for m in find_numbers(&text) {
            prop_assert!(m.start < m.end && m.end <= text.len());
            prop_assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end));
        }
    }
}
