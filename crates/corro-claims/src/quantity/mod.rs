//! Quantities as analysts read them: numbers, money, durations, percentages and ranges,
//! normalised to intervals with a canonical unit.
//!
//! ```
//! use corro_claims::quantity::{extract, QuantityKind, UnitLexicon};
//! let lex = UnitLexicon::from_csv("word,unit\nmilitants,fighter\n", "alias,code\n$,USD\n").unwrap();
//! let q = extract("more than 150 militants were paid $1,500 per month", &lex);
//! assert_eq!(q[0].kind, QuantityKind::Count);
//! assert_eq!((q[0].low, q[0].high), (Some(150.0), None));
//! assert_eq!(q[0].unit.as_deref(), Some("fighter"));
//! assert_eq!(q[1].kind, QuantityKind::Money);
//! assert_eq!((q[1].low, q[1].high), (Some(1500.0), Some(1500.0)));
//! assert_eq!(q[1].per.as_deref(), Some("month"));
//! ```
//!
//! # How it works
//!
//! One tokenizer pass (`tokens`) cuts the text into words, digit runs and punctuation (no
//! copies, byte offsets only). A single left-to-right scan (`assemble`) then tries, at each
//! token that can start one, the number parser (`numbers`: digits, words, fractions) or a
//! vague quantifier, and grows the match: hedges and currency before it, a range partner,
//! currency, scale, percent sign, counted noun and rate period after it. Candidate words
//! are recognised by a first-letter/length table and integer comparisons (`keywords`);
//! the analyst-editable lexicons are hash maps built once in [`UnitLexicon`]. Nothing is
//! allocated per token; a found quantity allocates its unit string.
//!
//! # Values
//!
//! Every value is an interval `[low, high]`; `None` is an open side.
//!
//! | written | low | high | approx |
//! |---|---|---|---|
//! | `150`, `a thousand`, `half a dozen` | v | v | false |
//! | `about`/`around`/`roughly`/`approximately`/`some`/`circa`/`(an) estimated`/`close to` v, `v or so` | 0.9·v | 1.1·v | true |
//! | `nearly`/`almost`/`just under`/`just shy of` v | 0.9·v | v | true |
//! | `up to`/`as many as`/`as much as`/`at most`/`no more than`/`not more than`/`a maximum of` v | – | v | false |
//! | `fewer than`/`less than`/`under`/`below` v | – | v | false |
//! | `at least`/`no less than`/`no fewer than`/`a minimum of` v, `v or more`, `v+` | v | – | false |
//! | `more than`/`over`/`above`/`in excess of`/`upwards of`/`just over`/`well over` v | v | – | false |
//! | `150-200`, `150 to 200`, `between 150 and 200` (or `200 and 150`), `from 3 to 6`, `three or six`, `20~100` | 150 | 200 | false |
//! | `a couple of` | 2 | 3 | true |
//! | `a few`, `a handful of` | 2 | 5 | true |
//! | `several` | 3 | 9 | true |
//! | `dozens` | 24 | 99 | true |
//! | `scores of` | 40 | 199 | true |
//! | `hundreds` | 200 | 999 | true |
//! | `thousands` | 2,000 | 9,999 | true |
//! | `tens of thousands` | 20,000 | 99,999 | true |
//! | `hundreds of thousands` | 200,000 | 999,999 | true |
//! | `millions` / `tens of millions` / `hundreds of millions` / `billions` | 2·10⁶ / 2·10⁷ / 2·10⁸ / 2·10⁹ | 10× low − 1 (10⁷−1 …) | true |
//! | `a few`/`several` + `dozen`/`hundred`/`thousand`/`million` | the interval × the scale | | true |
//!
//! "More than" is read as an inclusive lower bound (150, not 151): reports round, and the
//! matcher compares intervals. A hedge on a range or a vague quantifier keeps its interval
//! and sets `approx`; a bound on a vague quantifier keeps the vague interval's side
//! ("more than dozens" → [24, –]). "Over"/"under" before a duration are not bounds ("over
//! three years" is a span of time). Negative numbers are not quantities here: a dash
//! before a number is punctuation.
//!
//! # Units
//!
//! * Money: a currency symbol, code or name before or after the amount ("$4.2bn", "US$ 5",
//!   "7,000 Turkish lira", "USD 200", "115USD") gives `unit` = the ISO code from
//!   `data/currencies.csv` (bare `$` is USD, `£` and "pounds" GBP, "francs" CHF, "lira"
//!   TRY); minor units are converted ("50 cents" → 0.50 USD).
//! * Percent: `%`, "percent", "per cent", "pct".
//! * Otherwise the counted noun: the first word within five words after the number that
//!   `data/units.csv` knows, skipping adjectives and nationality words ("about a thousand
//!   armed mercenaries" → `fighter`; "52 Syrian men" → `person`), through "of" ("dozens of
//!   mercenaries") and hyphens ("three-months-long" → `month`). Time units make a
//!   `duration`, physical units (km, tonne …) a `measure`. When no known noun is found, the
//!   first lower-case plural noun of that phrase is used, singularised and lower-cased
//!   ("12 schools" → `school`); with no noun at all the unit is `None`. In a compound of two
//!   known nouns the last is the head ("1,000 civilian casualties" → `casualty`). With no
//!   noun after it, a number takes the unit of a casualty verb right after it ("nearly 100
//!   were killed", "300 wounded") or of a cue before it ("the death toll rose to 52",
//!   "killing 12" → `death`), or of the noun a "number of" subject names across a verb
//!   ("the number of Valdorian fighters in Ossel Valley rises to 2,580" → `fighter`; the
//!   second number of a change takes it across the first: "rose from 1,200 to 1,450").
//!   "Pounds" after a form of "weigh" is weight (`lb`), not GBP.
//! * `per`: "per month", "a month", "monthly", "/month", "-a-month" after an amount or
//!   count fill `per` with `day`, `week`, `month`, `year` or `hour` ("a year earlier" does
//!   not); an amount inside parentheses shares the period written after them
//!   ("7,000-10,000 Turkish lira (£700-£1,000) a month" → both per month); "monthly",
//!   "weekly", "annual" … up to five words before an amount count too ("a monthly salary
//!   of $1,800").
//!
//! # What is not a quantity
//!
//! Years (a four-digit 1800–2100 with no hedge, currency or known counted noun: "in 1988",
//! "since 1991"), decades ("1990s"), dates ("September 27", "Sept. 29", "27 September",
//! "29-09-2020", "5/17/2018"), clock times ("10:30", "3 p.m."), ordinals ("third", "2nd"),
//! numbers inside names and identifiers ("Group 7", "Article 5", "Resolution 2254", "F-16",
//! "No. 5", "H1N1", "iOS 8", "4G"), phone numbers and codes with a leading zero ("0800 555
//! 111"), IP addresses and versions ("192.168.1.2", "version 2.1"), list markers at the
//! start of a line ("2. …"), ages in apposition ("Foley, 40,", "Rosenberg (31)"), lone
//! "one" without a known noun ("one of them", "one day we will"), and fractions below one
//! ("half of the fighters": a share, not a count).
//!
//! [`find_numbers`] is the lower level: every number as written, Recognizers-Text style,
//! including the bare ones `extract` rejects; the conformance scorer uses it.

mod assemble;
mod keywords;
mod lexicon;
mod numbers;
mod tokens;

pub use lexicon::UnitLexicon;
pub use numbers::{NumberForm, NumberMention};

pub(crate) use assemble::extract_found;
use tokens::tokenize;

/// What a quantity measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum QuantityKind {
    /// A number of things: fighters, deaths, people.
    Count,
    /// An amount of money; `unit` is an ISO 4217 code.
    Money,
    /// A length of time; `unit` is `day`, `week`, `month` or `year` (also `second`,
    /// `minute`, `hour`, `decade`).
    Duration,
    /// A percentage; `unit` is `percent`.
    Percent,
    /// Any other measure (km, tonnes…).
    Measure,
}

impl QuantityKind {
    /// The name used in `claims.csv` and `corro quantities` (`count`, `money`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            QuantityKind::Count => "count",
            QuantityKind::Money => "money",
            QuantityKind::Duration => "duration",
            QuantityKind::Percent => "percent",
            QuantityKind::Measure => "measure",
        }
    }
}

/// One quantity found in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// Byte span in the text that was searched, covering the number expression with its
    /// approximator ("about"), currency and unit noun where adjacent.
    pub start: usize,
    /// End of that span (exclusive byte offset).
    pub end: usize,
    /// What is measured.
    pub kind: QuantityKind,
    /// The value as an interval; `None` on a side means open ("more than 150": low 150,
    /// high None). Exact values have `low == high`.
    pub low: Option<f64>,
    /// Upper end of the interval; see `low`.
    pub high: Option<f64>,
    /// Hedged ("about", "around", "an estimated", "dozens").
    pub approx: bool,
    /// Canonical unit: `fighter`, `death`, `USD`, `month`, `percent`…; an unknown counted
    /// noun singularised and lower-cased (`school`); `None` when nothing is named.
    pub unit: Option<String>,
    /// Rate period ("$1,500 per month" → `month`).
    pub per: Option<String>,
}

/// Every number in `text` as written — digits, words, fractions, decimals, powers —
/// without judging whether it is a quantity (years, bare "5" and list items included).
/// Signs are kept ("-5", "minus one"). This is the level the Recognizers-Text
/// `NumberModel` specifies, and what the conformance scorer measures.
pub fn find_numbers(text: &str) -> Vec<NumberMention> {
    let mut toks = Vec::with_capacity(text.len() / 3 + 4);
    tokenize(text, &mut toks);
    let mut nums = Vec::new();
    numbers::scan_numbers(text, &toks, &mut nums);
    nums.into_iter()
        // Beyond f64 ("1e400" is infinite, "0e400" NaN): not a number anyone wrote down.
        .filter(|n| n.value.is_finite())
        .map(|n| NumberMention {
            start: toks[n.first].start as usize,
            end: toks[n.last - 1].end as usize,
            value: n.value,
            form: n.form,
        })
        .collect()
}

/// Finds every quantity in `text`, in order of position.
pub fn extract(text: &str, lex: &UnitLexicon) -> Vec<Quantity> {
    extract_found(text, lex).into_iter().map(|f| f.q).collect()
}

/// A quantity with the amount as stated, before hedging turned it into an interval
/// (`None` for ranges and vague quantifiers): what the currency conformance compares.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub q: Quantity,
    pub stated: Option<f64>,
    /// The token span of `q`, kept so later passes need not search the tokens again.
    pub toks: (usize, usize),
}
