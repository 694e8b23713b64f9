//! The lexicons shipped in `data/`, embedded in the binary. `--lexicons DIR` extends them:
//! each file in DIR with a shipped file's name adds its rows, and its rows win where both
//! define the same alias, cue or word (they are read first).

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
    ("titles.txt", include_str!("../data/titles.txt")),
    ("documents.txt", include_str!("../data/documents.txt")),
    ("unnamed.txt", include_str!("../data/unnamed.txt")),
    ("publications.txt", include_str!("../data/publications.txt")),
    ("bodies.txt", include_str!("../data/bodies.txt")),
];

/// The user's rows first, then the shipped rows (without the shipped header line).
fn extend(user: &str, shipped: &str, has_header: bool) -> String {
    let mut out = String::with_capacity(user.len() + shipped.len() + 1);
    out.push_str(user);
    if !out.ends_with('\n') {
        out.push('\n');
    }
    let mut header_seen = !has_header;
    for line in shipped.lines() {
        let t = line.trim();
        if !header_seen && !t.is_empty() && !t.starts_with('#') {
            header_seen = true;
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Loads the lexicons, taking files from `dir` where present.
pub fn load(dir: Option<&Path>) -> Result<Lexicons, String> {
    let mut texts: Vec<String> = Vec::new();
    for (name, shipped) in SHIPPED {
        let text = match dir.map(|d| d.join(name)) {
            Some(p) if p.exists() => {
                let user =
                    std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?;
                extend(&user, shipped, name.ends_with(".csv"))
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
        titles: &texts[7],
        documents: &texts[8],
        unnamed: &texts[9],
        publications: &texts[10],
        bodies: &texts[11],
    })
    .map_err(|e| match dir {
        Some(d) => format!("{}: {e}", d.display()),
        None => e,
    })
}
