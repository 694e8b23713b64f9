//! A mention as the matcher sees it: what is claimed, with which value, by whom and
//! through which outlet — nothing of its wording or place in the text.
//!
//! [`corro_claims::Mention`] is what extraction produces: the stance cue, the speaker
//! as written with their role, quantity offsets, concept strings. A run keeps one record
//! per mention from reading to writing, millions on a large corpus, so the matcher's
//! record is compact (about 120 bytes) and its strings — units, speakers, outlets, the
//! same few thousand over the whole corpus — are shared through [`Names`] rather than
//! allocated per mention.

use std::sync::Arc;

use corro_claims::{ClaimKind, Mention, SpeakerKind, Stance};
use rustc_hash::FxHashSet as HashSet;

use crate::vocab::Shards;

/// The value of a quantity mention.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    /// The value as an interval; `None` on a side means open ("more than 150").
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// Hedged ("about", "dozens").
    pub approx: bool,
    /// Canonical unit (`fighter`, `USD`), if named.
    pub unit: Option<Arc<str>>,
    /// Rate period (`month` in "$1,500 per month").
    pub per: Option<Arc<str>>,
}

/// Who makes a claim, as an origin: a normalised identity and its kind.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// "Omer Celik", "Azerbaijan (government)", "a Syrian national".
    pub name: Arc<str>,
    pub kind: SpeakerKind,
}

/// The matcher's record of one mention.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    /// Index of the sentence in its report (0: the lead).
    pub sentence: u32,
    pub kind: ClaimKind,
    pub stance: Stance,
    /// `None` when the outlet says it in its own voice.
    pub source: Option<Source>,
    /// The first outlet the claim passed through inside the report ("CNN"), which keys
    /// an anonymous or own-voice origin.
    pub via: Option<Arc<str>>,
    /// For quantity mentions. Boxed: 72 bytes, in about half the mentions.
    pub value: Option<Box<Value>>,
}

impl Claim {
    /// The matcher's record of an extracted mention, its strings shared through `names`.
    pub fn of(m: &Mention, names: &Names) -> Claim {
        Claim {
            sentence: m.sentence as u32,
            kind: m.kind,
            stance: m.stance,
            source: m.speaker.as_ref().map(|s| Source {
                name: names.get(&s.name),
                kind: s.kind,
            }),
            via: m.via.first().map(|v| names.get(v)),
            value: m.quantity.as_ref().map(|q| {
                Box::new(Value {
                    low: q.low,
                    high: q.high,
                    approx: q.approx,
                    unit: q.unit.as_deref().map(|u| names.get(u)),
                    per: q.per.as_deref().map(|p| names.get(p)),
                })
            }),
        }
    }
}

/// Shared strings: one allocation per distinct name, however many mentions use it.
/// Thread-safe (reading is parallel); which thread interns a name first does not matter,
/// since a name is its content.
#[derive(Default)]
pub struct Names {
    shards: Shards<HashSet<Arc<str>>>,
}

impl Names {
    /// The shared copy of `name`.
    pub fn get(&self, name: &str) -> Arc<str> {
        let mut set = self.shards.of(name);
        if let Some(n) = set.get(name) {
            return n.clone();
        }
        let n: Arc<str> = name.into();
        set.insert(n.clone());
        n
    }

    /// Number of distinct names.
    pub fn len(&self) -> usize {
        self.shards.each().map(|s| s.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_allocated_once_however_often_it_is_used() {
        let names = Names::default();
        let a = names.get("fighter");
        let b = names.get(&String::from("fighter"));
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(names.len(), 1);
        assert!(!Arc::ptr_eq(&a, &names.get("death")));
    }

    #[test]
    fn a_claim_keeps_what_matching_reads_and_shares_its_strings() {
        let lex = corro_claims::testing::lexicons();
        let ex = corro_claims::Extractor::new(&lex);
        let names = Names::default();
        let ms = ex.extract_sentence(
            "CNN quoted Omer Celik as saying about 1,000 fighters were paid $1,500 a month.",
        );
        let claims: Vec<Claim> = ms.iter().map(|m| Claim::of(m, &names)).collect();
        for (m, c) in ms.iter().zip(&claims) {
            assert_eq!(c.kind, m.kind);
            assert_eq!(c.stance, m.stance);
            assert_eq!(c.sentence as usize, m.sentence);
            assert_eq!(
                c.source.as_ref().map(|s| &*s.name),
                m.speaker.as_ref().map(|s| s.name.as_str())
            );
            assert_eq!(c.via.as_deref(), m.via.first().map(String::as_str));
            let q = m.quantity.as_ref();
            assert_eq!(
                c.value.as_ref().map(|v| (v.low, v.high, v.approx)),
                q.map(|q| (q.low, q.high, q.approx))
            );
            assert_eq!(
                c.value.as_ref().and_then(|v| v.unit.as_deref()),
                q.and_then(|q| q.unit.as_deref())
            );
            assert_eq!(
                c.value.as_ref().and_then(|v| v.per.as_deref()),
                q.and_then(|q| q.per.as_deref())
            );
        }
        let money = claims
            .iter()
            .find(|c| c.kind == ClaimKind::Money)
            .expect("a money mention");
        assert_eq!(
            money.value.as_ref().and_then(|v| v.per.as_deref()),
            Some("month")
        );
        // Every mention of the sentence names the same speaker: one shared string.
        let speakers: Vec<&Arc<str>> = claims
            .iter()
            .filter_map(|c| c.source.as_ref().map(|s| &s.name))
            .collect();
        assert!(speakers.len() >= 2, "{claims:?}");
        assert!(speakers.windows(2).all(|w| Arc::ptr_eq(w[0], w[1])));
    }
}
