//! The outlet lexicon: one outlet, one name everywhere.
//!
//! `data/outlets.csv` maps every spelling an outlet is seen under ("REUTERS",
//! "reuters.com", "Reuters News Agency") to its canonical name. Lookups are
//! case-insensitive and ignore a leading "www." and trailing punctuation; URLs and
//! sub-domains are looked up by their host. The lexicon is data: the caller loads it
//! (the binary embeds `data/outlets.csv` and lets a flag override it), this crate never
//! reads files.

use std::collections::HashMap;

/// Canonical outlet names and every alias they are known by.
///
/// ```
/// use corro_parse::OutletLexicon;
/// let lex = OutletLexicon::from_csv("name,alias\n# wires\nReuters,REUTERS,reuters.com\n").unwrap();
/// assert_eq!(lex.lookup("reuters"), Some("Reuters"));
/// assert_eq!(lex.lookup("www.reuters.com"), Some("Reuters"));
/// assert_eq!(lex.lookup("https://uk.reuters.com/article/x"), Some("Reuters"));
/// assert_eq!(lex.canonical("  Kurdistan   24 "), "Kurdistan 24");
/// ```
#[derive(Debug, Clone, Default)]
pub struct OutletLexicon {
    by_alias: HashMap<String, String>,
    canonical: Vec<String>,
}

impl OutletLexicon {
    /// Reads `name,alias[,alias…]` rows (header required, `#` comments, any number of
    /// aliases). A name is always an alias of itself; an alias naming two outlets is an
    /// error that names the line.
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
            let line = rec.position().map_or(i + 2, |p| p.line() as usize);
            for alias in rec.iter() {
                let alias = alias.trim();
                if alias.is_empty() {
                    continue;
                }
                if let Some(other) = lex.by_alias.insert(key(alias), name.to_string()) {
                    if other != name {
                        return Err(format!(
                            "outlets.csv line {line}: alias {alias:?} of {name:?} already names {other:?}"
                        ));
                    }
                }
            }
        }
        Ok(lex)
    }

    /// The canonical name for an alias, if known. A URL or domain is looked up by its
    /// host, and a sub-domain falls back to its parent ("uk.reuters.com" → "reuters.com").
    pub fn lookup(&self, s: &str) -> Option<&str> {
        let k = key(s);
        if let Some(n) = self.by_alias.get(&k) {
            return Some(n);
        }
        let host = domain(&k)?;
        let mut h = host;
        loop {
            if let Some(n) = self.by_alias.get(h) {
                return Some(n);
            }
            let (_, parent) = h.split_once('.')?;
            if !parent.contains('.') {
                return None;
            }
            h = parent;
        }
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

/// The host of a lower-cased URL or bare domain (`https://www.bbc.co.uk/news` →
/// `bbc.co.uk`); `None` for anything that is not one.
fn domain(k: &str) -> Option<&str> {
    let rest = k.split_once("://").map_or(k, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.split(':').next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    let ok = host.contains('.')
        && host
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'.' || c == b'-');
    ok.then_some(host)
}
