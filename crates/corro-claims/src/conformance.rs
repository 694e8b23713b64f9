//! Scoring the number and money normalisers against the Microsoft Recognizers-Text English
//! specs (`NumberModel.json`, `CurrencyModel.json`, MIT licence), which `../shared/numbers`
//! holds. The spec files are read in place; nothing of them is copied into corro.
//!
//! # Layout of a spec file
//!
//! A JSON array of cases: `Input` (a sentence), `Results` (each with `Text`, `TypeName`,
//! `Start`, `End` and `Resolution`: `value` as a string, plus `unit` and sometimes
//! `isoCurrency` for money), and optional flags `NotSupported` / `NotSupportedByDesign`
//! (comma-separated platforms: `dotnet`, `javascript`, `python`, `java`) and `Comment`.
//!
//! # Scoring rule
//!
//! * **Numbers**: a case passes when the multiset of values [`find_numbers`] returns for
//!   the input equals the multiset of expected `value`s, compared numerically (relative
//!   tolerance 10⁻⁹, so "0.666666666666667" equals 2/3). Spans are not compared: corro
//!   reports byte offsets of its own (its quantity spans include hedges and units by
//!   design), and the values are what an analyst consumes. The scorer calls the lower-level
//!   [`find_numbers`], not [`extract`](crate::quantity::extract), because the spec expects
//!   every number, including bare ones corro does not call quantities (a lone "5", a year).
//! * **Currency**: a case passes when the multiset of (amount, ISO code) pairs from the
//!   money quantities of [`extract`](crate::quantity::extract) — taken as stated, before a
//!   hedge widens them ("about $ 14 million" → 14,000,000) — equals the expected multiset.
//!   The expected code is `isoCurrency` when given; otherwise the spec's unit name is
//!   mapped to corro's documented defaults for ambiguous names: Dollar → USD, Pound → GBP,
//!   Franc → CHF, Rupee → INR, Peseta → ESP, Finnish markka → FIM, Netherlands guilder →
//!   NLG, Bitcoin → BTC, and minor units to their major unit (Cent → 0.01 USD, Pence/Penny
//!   → 0.01 GBP, Satoshi → 10⁻⁸ BTC), because corro reports minor units that way. Expected
//!   results without a value (a bare currency name such as "dollar") are dropped: corro
//!   reports amounts, not mentions of currencies; the count of dropped results is reported.
//!
//! # Exclusions
//!
//! One rule only: a case flagged `NotSupported` for `dotnet` — the reference implementation
//! the spec was written for fails it itself — is excluded, counted and listed with that
//! reason. Cases flagged only for other platforms are scored.

use serde::Deserialize;

use crate::quantity::{extract_found, find_numbers, QuantityKind, UnitLexicon};

/// One case that did not pass.
#[derive(Debug, Clone)]
pub struct Failure {
    /// The input sentence.
    pub input: String,
    /// The expected values (for money, `value code`), sorted.
    pub expected: Vec<String>,
    /// What corro found, in the same form.
    pub got: Vec<String>,
}

/// The outcome of scoring one spec file.
#[derive(Debug, Clone, Default)]
pub struct Score {
    /// Cases in the file.
    pub total: usize,
    /// Cases scored (total minus excluded).
    pub scored: usize,
    /// Scored cases that passed.
    pub passed: usize,
    /// Excluded cases: (input, reason).
    pub excluded: Vec<(String, String)>,
    /// Expected results dropped from scored cases (currency: results with no value).
    pub dropped_results: usize,
    /// Scored cases that failed.
    pub failures: Vec<Failure>,
}

impl Score {
    /// Passed / scored (1.0 when nothing was scored).
    pub fn rate(&self) -> f64 {
        if self.scored == 0 {
            1.0
        } else {
            self.passed as f64 / self.scored as f64
        }
    }
}

#[derive(Deserialize)]
struct Case {
    #[serde(rename = "Input")]
    input: String,
    #[serde(rename = "Results", default)]
    results: Vec<Res>,
    #[serde(rename = "NotSupported", default)]
    not_supported: Option<String>,
}

#[derive(Deserialize)]
struct Res {
    #[serde(rename = "Resolution", default)]
    resolution: Option<Resolution>,
}

#[derive(Deserialize)]
struct Resolution {
    #[serde(default)]
    value: Option<String>,
    #[serde(default)]
    unit: Option<String>,
    #[serde(rename = "isoCurrency", default)]
    iso: Option<String>,
}

fn parse_cases(json: &str) -> Result<Vec<Case>, String> {
    let json = json.trim_start_matches('\u{feff}');
    serde_json::from_str(json).map_err(|e| format!("spec file: {e}"))
}

fn exclusion(c: &Case) -> Option<String> {
    let ns = c.not_supported.as_deref()?;
    ns.split(',')
        .any(|p| p.trim() == "dotnet")
        .then(|| "NotSupported by the reference implementation (dotnet)".to_string())
}

fn same(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1e-300)
}

/// Multiset equality of (value, code) pairs under numeric tolerance.
fn multiset_eq(exp: &[(f64, String)], got: &[(f64, String)]) -> bool {
    if exp.len() != got.len() {
        return false;
    }
    let mut used = vec![false; got.len()];
    for (v, c) in exp {
        match got
            .iter()
            .enumerate()
            .position(|(k, (g, gc))| !used[k] && gc == c && same(*v, *g))
        {
            Some(k) => used[k] = true,
            None => return false,
        }
    }
    true
}

fn show(v: &[(f64, String)]) -> Vec<String> {
    let mut s: Vec<String> = v
        .iter()
        .map(|(x, c)| {
            if c.is_empty() {
                format!("{x}")
            } else {
                format!("{x} {c}")
            }
        })
        .collect();
    s.sort();
    s
}

fn score_with(
    json: &str,
    expected_of: impl Fn(&Res) -> Option<Option<(f64, String)>>,
    found_of: impl Fn(&str) -> Vec<(f64, String)>,
) -> Result<Score, String> {
    let cases = parse_cases(json)?;
    let mut score = Score {
        total: cases.len(),
        ..Score::default()
    };
    for c in &cases {
        if let Some(reason) = exclusion(c) {
            score.excluded.push((c.input.clone(), reason));
            continue;
        }
        score.scored += 1;
        let mut exp = Vec::new();
        for r in &c.results {
            match expected_of(r) {
                Some(Some(e)) => exp.push(e),
                Some(None) => score.dropped_results += 1,
                None => return Err(format!("case {:?}: result without a usable value", c.input)),
            }
        }
        let got = found_of(&c.input);
        if multiset_eq(&exp, &got) {
            score.passed += 1;
        } else {
            score.failures.push(Failure {
                input: c.input.clone(),
                expected: show(&exp),
                got: show(&got),
            });
        }
    }
    Ok(score)
}

/// Scores [`find_numbers`] against `NumberModel.json` (see the module docs for the rule).
/// The lexicon is not needed for bare numbers; it is taken for symmetry with
/// [`score_currency_model`].
pub fn score_number_model(json: &str, _lex: &UnitLexicon) -> Result<Score, String> {
    score_with(
        json,
        |r| {
            let v = r
                .resolution
                .as_ref()?
                .value
                .as_deref()?
                .parse::<f64>()
                .ok()?;
            Some(Some((v, String::new())))
        },
        |text| {
            find_numbers(text)
                .into_iter()
                .map(|m| (m.value, String::new()))
                .collect()
        },
    )
}

/// The spec's currency name → (corro code, factor to the major unit).
fn spec_unit(unit: &str) -> (String, f64) {
    let (c, f) = match unit {
        "Dollar" => ("USD", 1.0),
        "Pound" => ("GBP", 1.0),
        "Franc" => ("CHF", 1.0),
        "Rupee" => ("INR", 1.0),
        "Peseta" => ("ESP", 1.0),
        "Finnish markka" => ("FIM", 1.0),
        "Netherlands guilder" => ("NLG", 1.0),
        "Bitcoin" => ("BTC", 1.0),
        "Cent" => ("USD", 0.01),
        "Pence" | "Penny" => ("GBP", 0.01),
        "Satoshi" => ("BTC", 1e-8),
        other => (other, 1.0),
    };
    (c.to_string(), f)
}

/// Scores the money quantities of [`extract`](crate::quantity::extract) against
/// `CurrencyModel.json` (see the module docs for the rule).
pub fn score_currency_model(json: &str, lex: &UnitLexicon) -> Result<Score, String> {
    score_with(
        json,
        |r| {
            let res = r.resolution.as_ref()?;
            let Some(v) = res.value.as_deref() else {
                return Some(None);
            };
            let v = v.parse::<f64>().ok()?;
            let (code, f) = match &res.iso {
                Some(iso) => (iso.clone(), 1.0),
                None => spec_unit(res.unit.as_deref().unwrap_or("")),
            };
            Some(Some((v * f, code)))
        },
        |text| {
            extract_found(text, lex)
                .into_iter()
                .filter(|f| f.q.kind == QuantityKind::Money)
                .map(|f| {
                    let v = f.stated.or(f.q.low).unwrap_or(f64::NAN);
                    (v, f.q.unit.unwrap_or_default())
                })
                .collect()
        },
    )
}
