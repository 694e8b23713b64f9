//! Bylines and credits: who wrote a report, and which wire it came from.
//!
//! Recognised lines (standing alone, usually the last of a report, or the line after the
//! headline for `By …`):
//!
//! * `Reporting by Khalid Hassan`; `Reporting by A in Ankara and B in Yerevan; Writing by
//!   C; Editing by D` (also in parentheses, as Reuters appends them to the last
//!   paragraph) — the author is the reporters (`A and B`), else the writers; editors are
//!   not authors;
//! * `By John Smith`, `By John Smith, Reuters`;
//! * wire credits: `— AFP`, `-- Reuters`, `(AFP)`, `Source: The Daily Caller`.
//!
//! This module only reads a line it is given; finding the line is the report builder's
//! job.

use crate::names::capitalised_words;
use crate::outlets::OutletLexicon;

/// A credit line, read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Credit {
    /// Who wrote it ("Khalid Hassan"), or the credited source ("AFP").
    pub author: Option<String>,
    /// The outlet the credit names, canonical, when it is one ("AFP" in `— AFP`).
    pub source: Option<String>,
}

/// "Reporting by Khalid Hassan" → "Khalid Hassan"; `None` when the line is not a byline.
///
/// ```
/// use corro_parse::metadata::parse_byline;
/// assert_eq!(parse_byline("Reporting by Khalid Hassan").as_deref(), Some("Khalid Hassan"));
/// assert_eq!(
///     parse_byline("Reporting by Orhan Coskun in Ankara; Editing by Dominic Evans").as_deref(),
///     Some("Orhan Coskun")
/// );
/// assert_eq!(parse_byline("By Lara Seligman").as_deref(), Some("Lara Seligman"));
/// assert_eq!(parse_byline("By the end of the week, fighting resumed."), None);
/// ```
pub fn parse_byline(line: &str) -> Option<String> {
    let line = strip_parens(line.trim());
    role_credit(line)
        .map(|c| c.author)
        .or_else(|| by_line(line).map(Some))?
}

/// Reads a credit or byline line: the forms of [`parse_byline`] plus wire credits
/// (`— AFP`, `(AFP)`, `Source: …`). `None` when the line is not one.
pub fn parse_credit(line: &str, outlets: &OutletLexicon) -> Option<Credit> {
    let line = line.trim();
    if line.is_empty() || line.len() > 300 {
        return None;
    }
    let inner = strip_parens(line);
    if let Some(c) = role_credit(inner) {
        return Some(c);
    }
    if let Some(a) = by_line(inner) {
        return Some(Credit {
            author: Some(a),
            source: None,
        });
    }
    // "— AFP", "-- Reuters", "(AFP)", "AFP" alone after a dash.
    let dashed = ["—", "–", "--", "-"]
        .iter()
        .find_map(|d| line.strip_prefix(d))
        .map(str::trim);
    let wire = dashed.or((inner.len() != line.len()).then_some(inner.trim()));
    if let Some(w) = wire {
        let w = w.trim_end_matches('.');
        if let Some(o) = outlets.lookup(w) {
            return Some(Credit {
                author: Some(o.to_string()),
                source: Some(o.to_string()),
            });
        }
        if w.eq_ignore_ascii_case("agencies") {
            return Some(Credit {
                author: Some("Agencies".into()),
                source: None,
            });
        }
        return None;
    }
    for prefix in ["Source:", "Sources:", "SOURCE:", "Source -", "Via:"] {
        if let Some(rest) = line.strip_prefix(prefix) {
            let who = rest.trim().trim_end_matches('.');
            if who.is_empty() || who.split_whitespace().count() > 8 || who.len() > 100 {
                return None;
            }
            return Some(Credit {
                author: Some(who.to_string()),
                source: outlets.lookup(who).map(str::to_string),
            });
        }
    }
    None
}

fn strip_parens(s: &str) -> &str {
    s.strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .map_or(s, str::trim)
}

/// The roles a credit line names, in the order they are preferred as author.
const ROLES: &[(&str, u8)] = &[
    ("additional reporting by", 3),
    ("reporting by", 0),
    ("reported by", 0),
    ("story by", 0),
    ("writing by", 1),
    ("written by", 1),
    ("compiled by", 1),
    ("editing by", 9),
    ("edited by", 9),
    ("graphics by", 9),
    ("photos by", 9),
];

/// `Reporting by …; Writing by …; Editing by …` (any order, `;` or `,` between parts).
fn role_credit(line: &str) -> Option<Credit> {
    let starts_with_role = ROLES.iter().any(|(kw, _)| {
        line.len() >= kw.len() && line.as_bytes()[..kw.len()].eq_ignore_ascii_case(kw.as_bytes())
    });
    // A credit line is names, not prose: no questions, exclamations or second sentence.
    if line.len() > 300 || !starts_with_role {
        return None;
    }
    let prose = line.contains(['?', '!'])
        || line.match_indices(". ").any(|(i, _)| {
            // "staff. Have…" is a second sentence; "John F. Kennedy" is not.
            let word = line[..i].rsplit(' ').next().unwrap_or("");
            word.chars().count() > 2
        });
    if prose {
        return None;
    }
    let lower = line.to_ascii_lowercase();
    // (byte position, role rank, keyword length)
    let mut found: Vec<(usize, u8, usize)> = Vec::new();
    let mut i = 0;
    while i < lower.len() {
        let at_word = i == 0 || !lower.as_bytes()[i - 1].is_ascii_alphanumeric();
        if at_word {
            if let Some(&(kw, rank)) = ROLES.iter().find(|(kw, _)| lower[i..].starts_with(kw)) {
                found.push((i, rank, kw.len()));
                i += kw.len();
                continue;
            }
        }
        i += 1;
        while i < lower.len() && !lower.is_char_boundary(i) {
            i += 1;
        }
    }
    if found.first().map(|f| f.0) != Some(0) {
        return None;
    }
    let mut best: Option<(u8, String)> = None;
    for (k, &(pos, rank, len)) in found.iter().enumerate() {
        let end = found.get(k + 1).map_or(line.len(), |n| n.0);
        let names = tidy_names(&line[pos + len..end]);
        if names.is_empty() {
            continue;
        }
        let better = match &best {
            None => true,
            Some((r, _)) => rank < *r,
        };
        if rank < 9 && better {
            best = Some((rank, names));
        }
    }
    Some(Credit {
        author: best.map(|b| b.1),
        source: None,
    })
}

/// "Orhan Coskun in Ankara and Nvard Hovhannisyan in Yerevan;" → "Orhan Coskun and Nvard
/// Hovhannisyan".
fn tidy_names(s: &str) -> String {
    let s = s.trim().trim_end_matches([';', ',', '.', ' ', ')']).trim();
    let mut out = String::with_capacity(s.len());
    let mut skipping = false;
    for w in s.split_whitespace() {
        if w == "in" {
            skipping = true;
            continue;
        }
        if skipping {
            if w == "and" || w.ends_with(',') {
                skipping = false;
                if w.ends_with(',') {
                    // "in Ankara, Nvard …": keep the list comma on the last name.
                    out.push(',');
                }
                if w != "and" {
                    continue;
                }
            } else {
                continue;
            }
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out.trim_end_matches(',').to_string()
}

/// `By John Smith`, `By John Smith and Jane Doe, Reuters` → the names.
fn by_line(line: &str) -> Option<String> {
    let rest = line
        .strip_prefix("By ")
        .or_else(|| line.strip_prefix("BY "))
        .or_else(|| line.strip_prefix("by "))?;
    let names = rest.split([',', '|']).next()?.trim();
    if names.is_empty() || names.len() > 80 {
        return None;
    }
    capitalised_words(names, 10, false).then(|| names.to_string())
}
