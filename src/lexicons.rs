//! The lexicons shipped in `data/`, embedded in the binary; `--lexicons DIR` replaces any
//! of them file by file (a file missing from DIR keeps the shipped one).

use std::path::Path;

use corro_claims::{LexiconSources, Lexicons};

/// (file name, shipped text)
pub const SHIPPED: &[(&str, &str)] = &[
    ("units.csv", include_str!("../data/units.csv")),
    ("currencies.csv", include_str!("../data/currencies.csv")),
    ("entities.csv", include_str!("../data/entities.csv")),
    ("predicates.csv", include_str!("../data/predicates.csv")),
    ("cues.csv", include_str!("../data/cues.csv")),
    ("stopwords.txt", include_str!("../data/stopwords.txt")),
    ("outlets.csv", include_str!("../data/outlets.csv")),
];

/// Loads the lexicons, taking files from `dir` where present.
pub fn load(dir: Option<&Path>) -> Result<Lexicons, String> {
    let mut texts: Vec<String> = Vec::new();
    for (name, shipped) in SHIPPED {
        let text = match dir.map(|d| d.join(name)) {
            Some(p) if p.exists() => {
                std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?
            }
            _ => shipped.to_string(),
        };
        texts.push(text);
    }
    Lexicons::from_sources(&LexiconSources {
        units: &texts[0],
        currencies: &texts[1],
        entities: &texts[2],
        predicates: &texts[3],
        cues: &texts[4],
        stopwords: &texts[5],
        outlets: &texts[6],
    })
    .map_err(|e| match dir {
        Some(d) => format!("{}: {e}", d.display()),
        None => e,
    })
}
