//! The lexicons claim extraction reads: entity aliases, claim predicates, stance and
//! attribution cues, stop words, unit nouns, currencies and outlets.
//!
//! All of them are data (`data/*.csv`, `data/stopwords.txt`); this module only parses
//! them. The binary embeds the shipped files and lets `--lexicons DIR` replace any of
//! them, so analysts extend corro without touching code.

use rustc_hash::FxHashSet as HashSet;

use corro_parse::OutletLexicon;

use crate::quantity::UnitLexicon;
use crate::text::PhraseMap;

/// What kind of thing an entity alias names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntityKind {
    Country,
    Place,
    Group,
    Org,
    Person,
}

/// A canonical entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    pub canonical: String,
    pub kind: EntityKind,
    /// The conflict a place belongs to ("Karabakh conflict"), shared by all its places.
    pub theatre: Option<String>,
}

/// Cue kinds, as bit flags: one phrase may be several ("reports" is a speech verb and an
/// anaphor).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cue(pub u16);

impl Cue {
    pub const DENY: Cue = Cue(1);
    pub const DENY_WORD: Cue = Cue(2);
    pub const NEGATION: Cue = Cue(4);
    pub const HEDGE: Cue = Cue(8);
    pub const SAY: Cue = Cue(16);
    pub const CITE: Cue = Cue(32);
    pub const ANONYMOUS: Cue = Cue(64);
    pub const ANAPHOR: Cue = Cue(128);

    pub fn has(self, other: Cue) -> bool {
        self.0 & other.0 != 0
    }

    fn parse(kind: &str) -> Option<Cue> {
        Some(match kind {
            "deny" => Cue::DENY,
            "deny_word" => Cue::DENY_WORD,
            "negation" => Cue::NEGATION,
            "hedge" => Cue::HEDGE,
            "say" => Cue::SAY,
            "cite" => Cue::CITE,
            "anonymous" => Cue::ANONYMOUS,
            "anaphor" => Cue::ANAPHOR,
            _ => return None,
        })
    }
}

/// The text of every lexicon file, as shipped in `data/` or replaced by the user.
#[derive(Debug, Clone, Copy)]
pub struct LexiconSources<'a> {
    pub units: &'a str,
    pub currencies: &'a str,
    pub entities: &'a str,
    pub predicates: &'a str,
    pub cues: &'a str,
    pub stopwords: &'a str,
    pub outlets: &'a str,
    pub titles: &'a str,
    pub documents: &'a str,
    pub unnamed: &'a str,
    pub publications: &'a str,
    pub bodies: &'a str,
}

/// Every lexicon, parsed once and shared (read-only) by all threads.
#[derive(Debug, Clone)]
pub struct Lexicons {
    pub units: UnitLexicon,
    pub entities: PhraseMap<Entity>,
    pub predicates: PhraseMap<String>,
    pub cues: PhraseMap<Cue>,
    pub stopwords: HashSet<String>,
    pub outlets: OutletLexicon,
    /// Titles and roles before a person's name ("spokesman", "attorney general").
    pub titles: PhraseMap<()>,
    /// Nouns for a document that speaks for its author ("report", "statement").
    pub documents: PhraseMap<()>,
    /// Nouns that describe a speaker without naming one ("residents", "medics").
    pub unnamed: PhraseMap<()>,
    /// Nouns that describe an outlet beside its name ("website", "newspaper").
    pub publications: PhraseMap<()>,
    /// Nouns of bodies, not people ("ministry", "institute", "firm").
    pub bodies: PhraseMap<()>,
}

impl Lexicons {
    /// Parses every lexicon; errors name the file and line.
    pub fn from_sources(src: &LexiconSources) -> Result<Lexicons, String> {
        let units = UnitLexicon::from_csv(src.units, src.currencies)?;
        let outlets = OutletLexicon::from_csv(src.outlets)?;
        let mut entities = PhraseMap::default();
        for (line, rec) in rows("entities.csv", src.entities)? {
            let kind = match rec.get(2).map(str::trim) {
                Some("country") => EntityKind::Country,
                Some("place") => EntityKind::Place,
                Some("group") => EntityKind::Group,
                Some("org") => EntityKind::Org,
                Some("person") => EntityKind::Person,
                other => return Err(format!("entities.csv line {line}: unknown type {other:?}")),
            };
            entities.insert(
                rec.get(0).unwrap_or("").trim(),
                Entity {
                    canonical: rec.get(1).unwrap_or("").trim().to_string(),
                    kind,
                    theatre: rec
                        .get(3)
                        .map(str::trim)
                        .filter(|t| !t.is_empty())
                        .map(str::to_string),
                },
            );
        }
        let mut predicates = PhraseMap::default();
        for (_, rec) in rows("predicates.csv", src.predicates)? {
            predicates.insert(
                rec.get(0).unwrap_or("").trim(),
                rec.get(1).unwrap_or("").trim().to_string(),
            );
        }
        let mut cues = PhraseMap::default();
        for (line, rec) in rows("cues.csv", src.cues)? {
            let kind = rec.get(1).unwrap_or("").trim();
            let cue = Cue::parse(kind)
                .ok_or_else(|| format!("cues.csv line {line}: unknown kind {kind:?}"))?;
            cues.insert_with(rec.get(0).unwrap_or("").trim(), cue, |a, b| a.0 |= b.0);
        }
        let stopwords = entries(src.stopwords).map(str::to_lowercase).collect();
        let phrases = |text: &str| {
            let mut map = PhraseMap::default();
            for t in entries(text) {
                map.insert(t, ());
            }
            map
        };
        let titles = phrases(src.titles);
        let documents = phrases(src.documents);
        let unnamed = phrases(src.unnamed);
        let publications = phrases(src.publications);
        let bodies = phrases(src.bodies);
        Ok(Lexicons {
            units,
            entities,
            predicates,
            cues,
            stopwords,
            outlets,
            titles,
            documents,
            unnamed,
            publications,
            bodies,
        })
    }
}

/// The entries of a one-per-line lexicon (`stopwords.txt`, `titles.txt`,
/// `documents.txt`, `unnamed.txt`, `publications.txt`, `bodies.txt`): trimmed lines, without blank
/// lines and `#` comments.
fn entries(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

fn rows(file: &str, text: &str) -> Result<Vec<(usize, csv::StringRecord)>, String> {
    let mut rdr = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| format!("{file}: {e}"))?;
        let line = rec.position().map_or(0, |p| p.line() as usize);
        if rec.get(0).is_none_or(|s| s.trim().is_empty()) {
            continue;
        }
        out.push((line, rec));
    }
    Ok(out)
}
