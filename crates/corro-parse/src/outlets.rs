//! The outlet lexicon: one outlet, one name everywhere.
//!
//! `data/outlets.csv` maps every spelling an outlet is seen under ("REUTERS",
//! "reuters.com", "Reuters News Agency") to its canonical name. Lookups are
//! case-insensitive and ignore a leading "www." and trailing punctuation.

use std::collections::HashMap;

#[derive(Debug, Clone, Default)]
pub struct OutletLexicon {
    by_alias: HashMap<String, String>,
    canonical: Vec<String>,
}

impl OutletLexicon {
    /// Reads `name,alias` rows (header required). A name is always an alias of itself.
    pub fn from_csv(text: &str) -> Result<OutletLexicon, String> {
        let mut lex = OutletLexicon::default();
        let mut rdr = csv::ReaderBuilder::new()
            .comment(Some(b'#'))
            .flexible(true)
            .from_reader(text.as_bytes());
        for (i, rec) in rdr.records().enumerate() {
            let rec = rec.map_err(|e| format!("outlets.csv line {}: {e}", i + 2))?;
            let name = rec.get(0).unwrap_or("").trim();
            if name.is_empty() {
                continue;
            }
            if !lex.canonical.iter().any(|n| n == name) {
                lex.canonical.push(name.to_string());
            }
            lex.by_alias.insert(key(name), name.to_string());
            for alias in rec.iter().skip(1) {
                let alias = alias.trim();
                if !alias.is_empty() {
                    lex.by_alias.insert(key(alias), name.to_string());
                }
            }
        }
        Ok(lex)
    }

    /// The canonical name for an alias, if known.
    pub fn lookup(&self, s: &str) -> Option<&str> {
        self.by_alias.get(&key(s)).map(String::as_str)
    }

    /// Canonical name if known, else the input tidied (trimmed, inner spaces collapsed).
    pub fn canonical(&self, s: &str) -> String {
        match self.lookup(s) {
            Some(n) => n.to_string(),
            None => s.split_whitespace().collect::<Vec<_>>().join(" "),
        }
    }

    /// All canonical names, in file order.
    pub fn names(&self) -> &[String] {
        &self.canonical
    }
}

fn key(s: &str) -> String {
    let s = s.trim().trim_end_matches(['.', ',', ';', ':']);
    let s = s.strip_prefix("www.").unwrap_or(s);
    s.to_lowercase()
}
