//! Quantities as analysts read them: numbers, money, durations, percentages and ranges,
//! normalised to intervals with a canonical unit.
//!
//! PLACEHOLDER IMPLEMENTATION — the public API below is fixed; the body is being
//! written under issue 4.

use std::collections::HashMap;

/// What a quantity measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum QuantityKind {
    /// A number of things: fighters, deaths, people.
    Count,
    /// An amount of money; `unit` is an ISO 4217 code.
    Money,
    /// A length of time; `unit` is `day`, `week`, `month` or `year`.
    Duration,
    /// A percentage; `unit` is `percent`.
    Percent,
    /// Any other measure (km, tonnes…).
    Measure,
}

impl QuantityKind {
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
    pub end: usize,
    pub kind: QuantityKind,
    /// The value as an interval; `None` on a side means open ("more than 150": low 150,
    /// high None). Exact values have `low == high`.
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// Hedged ("about", "around", "an estimated", "dozens").
    pub approx: bool,
    /// Canonical unit: `fighter`, `death`, `USD`, `month`, `percent`… or `None` when the
    /// counted noun is unknown.
    pub unit: Option<String>,
    /// Rate period ("$1,500 per month" → `month`).
    pub per: Option<String>,
}

/// Unit nouns and currency names, from `data/units.csv` and `data/currencies.csv`.
#[derive(Debug, Clone, Default)]
pub struct UnitLexicon {
    pub nouns: HashMap<String, String>,
    pub currencies: HashMap<String, String>,
}

impl UnitLexicon {
    /// `units_csv`: `word,unit` rows; `currencies_csv`: `alias,code` rows (headers required).
    pub fn from_csv(units_csv: &str, currencies_csv: &str) -> Result<UnitLexicon, String> {
        let mut lex = UnitLexicon::default();
        for (file, text, map) in [
            ("units.csv", units_csv, &mut lex.nouns),
            ("currencies.csv", currencies_csv, &mut lex.currencies),
        ] {
            let mut rdr = csv::ReaderBuilder::new()
                .comment(Some(b'#'))
                .from_reader(text.as_bytes());
            for (i, rec) in rdr.records().enumerate() {
                let rec = rec.map_err(|e| format!("{file} line {}: {e}", i + 2))?;
                let (Some(a), Some(b)) = (rec.get(0), rec.get(1)) else {
                    continue;
                };
                map.insert(a.trim().to_lowercase(), b.trim().to_string());
            }
        }
        Ok(lex)
    }

    /// The canonical unit of a noun ("militants" → "fighter").
    pub fn unit_of(&self, noun: &str) -> Option<&str> {
        self.nouns.get(&noun.to_lowercase()).map(String::as_str)
    }
}

/// Finds every quantity in `text`, in order of position.
pub fn extract(_text: &str, _lex: &UnitLexicon) -> Vec<Quantity> {
    Vec::new()
}
