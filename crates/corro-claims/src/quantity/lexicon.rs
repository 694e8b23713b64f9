//! The analyst-editable lexicons: unit nouns (`data/units.csv`) and currency aliases
//! (`data/currencies.csv`), loaded once into hash maps and reused for every text.

use rustc_hash::FxHashMap as HashMap;

use super::QuantityKind;

/// Unit nouns and currency names, from `data/units.csv` and `data/currencies.csv`.
///
/// Build it once (it parses two CSV files) and share it: [`extract`](super::extract) only
/// reads it.
///
/// ```
/// use corro_claims::quantity::UnitLexicon;
/// let lex = UnitLexicon::from_csv("word,unit\nmilitants,fighter\n", "alias,code\n$,USD\n").unwrap();
/// assert_eq!(lex.unit_of("Militants"), Some("fighter"));
/// assert_eq!(lex.currency_of("$"), Some("USD"));
/// ```
#[derive(Debug, Clone, Default)]
pub struct UnitLexicon {
    /// Lower-cased noun (one or two words) → canonical unit.
    pub nouns: HashMap<String, String>,
    /// Lower-cased alias → ISO 4217 code.
    pub currencies: HashMap<String, String>,
    /// Alias → (factor to the major unit, the alias as written when it must match case).
    currency_info: HashMap<String, (f64, Option<String>)>,
}

impl UnitLexicon {
    /// Builds the lexicon from the two CSV texts.
    ///
    /// `units_csv`: `word,unit` rows. `currencies_csv`: `alias,code[,factor]` rows; an
    /// alias written with capital letters matches only in that case (so the code `TRY`
    /// does not swallow the verb "try"), and `factor` converts minor units ("cents,USD,0.01").
    /// Both need a header row; lines starting with `#` are comments.
    pub fn from_csv(units_csv: &str, currencies_csv: &str) -> Result<UnitLexicon, String> {
        let mut lex = UnitLexicon::default();
        for (file, text) in [("units.csv", units_csv), ("currencies.csv", currencies_csv)] {
            let mut rdr = csv::ReaderBuilder::new()
                .comment(Some(b'#'))
                .flexible(true)
                .from_reader(text.as_bytes());
            for (i, rec) in rdr.records().enumerate() {
                let rec = rec.map_err(|e| format!("{file} record {}: {e}", i + 1))?;
                let (Some(a), Some(b)) = (rec.get(0), rec.get(1)) else {
                    return Err(format!("{file} record {}: expected two fields", i + 1));
                };
                let (a, b) = (a.trim(), b.trim());
                if a.is_empty() || b.is_empty() {
                    return Err(format!("{file} record {}: empty field", i + 1));
                }
                let key = a.to_lowercase();
                if file == "units.csv" {
                    lex.nouns.insert(key, b.to_string());
                } else {
                    let factor = match rec.get(2).map(str::trim) {
                        None | Some("") => 1.0,
                        Some(f) => f
                            .parse::<f64>()
                            .map_err(|e| format!("{file} record {}: factor {f:?}: {e}", i + 1))?,
                    };
                    let exact = (a != key).then(|| a.to_string());
                    lex.currencies.insert(key.clone(), b.to_string());
                    lex.currency_info.insert(key, (factor, exact));
                }
            }
        }
        Ok(lex)
    }

    /// The canonical unit of a noun ("militants" → "fighter").
    pub fn unit_of(&self, noun: &str) -> Option<&str> {
        // Claim extraction asks this for every content word, already lower-cased: no
        // need to allocate a lower-cased copy then.
        if noun.is_ascii() && !noun.bytes().any(|b| b.is_ascii_uppercase()) {
            return self.nouns.get(noun).map(String::as_str);
        }
        self.nouns.get(&noun.to_lowercase()).map(String::as_str)
    }

    /// The ISO code of a currency alias ("Turkish lira" → "TRY", "$" → "USD").
    pub fn currency_of(&self, alias: &str) -> Option<&str> {
        self.currencies
            .get(&alias.to_lowercase())
            .map(String::as_str)
    }

    /// Looks up a lower-cased key; `raw` is the text as written, for case-sensitive aliases.
    pub(crate) fn currency(&self, key: &str, raw: &str) -> Option<(&str, f64)> {
        let code = self.currencies.get(key)?;
        match self.currency_info.get(key) {
            Some((_, Some(exact))) if exact != raw => None,
            Some((f, _)) => Some((code, *f)),
            None => Some((code, 1.0)),
        }
    }

    pub(crate) fn noun(&self, key: &str) -> Option<&str> {
        self.nouns.get(key).map(String::as_str)
    }
}

/// What kind of quantity a canonical unit makes: time units make durations, physical units
/// measures, everything else counts. Fixed here because the canonical names are the
/// contract (`claims.csv` `unit`); analysts extend `units.csv` with new words for them.
pub(crate) fn kind_of_unit(unit: &str) -> QuantityKind {
    match unit {
        "second" | "minute" | "hour" | "day" | "week" | "month" | "year" | "decade" => {
            QuantityKind::Duration
        }
        "km" | "m" | "mile" | "km2" | "m2" | "sq mi" | "kg" | "tonne" | "litre" | "barrel"
        | "hectare" | "cm" | "mm" | "foot" | "inch" | "acre" | "lb" => QuantityKind::Measure,
        _ => QuantityKind::Count,
    }
}
