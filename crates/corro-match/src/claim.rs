//! A mention as the matcher sees it: what is claimed, with which value, by whom and
//! through which outlet — nothing of its wording or place in the text.
//!
//! [`corro_claims::Mention`] is what extraction produces: the stance cue, the speaker
//! as written with their role, quantity offsets, concept strings. A run keeps one record
//! per mention from reading to writing, millions on a large corpus, so the matcher's
//! record is compact (32 bytes) and its strings — units, speakers, outlets, the same few
//! thousand over the whole corpus — are [`Name`]s: four-byte ids into the run's
//! [`NameTable`], given out by [`Names`] while the corpus is read.

use std::num::NonZeroU32;
use std::sync::Arc;

use crate::vocab::Interner;
use corro_claims::{ClaimKind, Mention, SpeakerKind, Stance};

/// A shared string (unit, speaker, outlet) as an id into the run's [`NameTable`].
///
/// Ids are given out as reading threads first meet each name, so their values depend on
/// thread timing: a `Name` is for equality and lookup only. It has no order on purpose
/// — anything sorted or iterated by name must go through the string, or outputs would
/// change with the number of threads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Name(NonZeroU32);

/// The value of a quantity mention.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    /// The value as an interval; `None` on a side means open ("more than 150").
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// Hedged ("about", "dozens").
    pub approx: bool,
    /// Canonical unit (`fighter`, `USD`), if named.
    pub unit: Option<Name>,
    /// Rate period (`month` in "$1,500 per month").
    pub per: Option<Name>,
}

/// Who makes a claim, as an origin: a normalised identity and its kind.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Source {
    /// "Omer Celik", "Azerbaijan (government)", "a Syrian national".
    pub name: Name,
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
    pub via: Option<Name>,
    /// For quantity mentions. Boxed: 48 bytes, in about half the mentions.
    pub value: Option<Box<Value>>,
}

impl Claim {
    /// The matcher's record of an extracted mention, its strings named through `names`.
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

/// Names strings while a corpus is read: one id per distinct string, however many
/// mentions use it — the concept [`Interner`], its provisional ids shifted by one (a
/// `Name` is non-zero, so an `Option<Name>` is four bytes) and never renumbered, since
/// nothing orders by them. [`Names::finish`] gives the table the ids index.
#[derive(Default)]
pub struct Names {
    ids: Interner,
}

impl Names {
    /// The id of `name`.
    pub fn get(&self, name: &str) -> Name {
        // Four billion distinct units, speakers and outlets cannot come from inputs the
        // limits admit; wrapping to 0 would be a bug, not a corpus.
        let id = self.ids.intern(name).wrapping_add(1);
        Name(NonZeroU32::new(id).expect("fewer than 2^32 distinct names"))
    }

    /// Number of distinct names.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The table of every name given out, for looking them up.
    pub fn finish(self) -> NameTable {
        NameTable {
            names: self.ids.into_names().into_iter().map(Arc::from).collect(),
        }
    }
}

/// The strings behind a run's [`Name`]s.
#[derive(Debug, Clone, Default)]
pub struct NameTable {
    names: Vec<Arc<str>>,
}

impl NameTable {
    /// The string `n` names.
    pub fn get(&self, n: Name) -> &str {
        &self.names[n.0.get() as usize - 1]
    }

    /// The shared string `n` names (for the few records that keep one, such as a
    /// cluster's unit).
    pub fn shared(&self, n: Name) -> Arc<str> {
        self.names[n.0.get() as usize - 1].clone()
    }

    /// `n`'s string, if any.
    pub fn opt(&self, n: Option<Name>) -> Option<&str> {
        n.map(|n| self.get(n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_has_one_id_however_often_it_is_used() {
        let names = Names::default();
        let a = names.get("fighter");
        let b = names.get(&String::from("fighter"));
        assert_eq!(a, b);
        assert_eq!(names.len(), 1);
        let death = names.get("death");
        assert_ne!(a, death);
        let table = names.finish();
        assert_eq!(table.get(a), "fighter");
        assert_eq!(table.get(death), "death");
    }

    #[test]
    fn a_claim_is_32_bytes_and_its_optional_names_four() {
        assert_eq!(std::mem::size_of::<Option<Name>>(), 4);
        assert_eq!(std::mem::size_of::<Claim>(), 32);
    }

    #[test]
    fn names_given_by_many_threads_are_one_table() {
        let names = Names::default();
        let words: Vec<String> = (0..2000).map(|i| format!("w{}", i % 500)).collect();
        let ids: Vec<Name> = std::thread::scope(|s| {
            let hs: Vec<_> = words
                .chunks(500)
                .map(|c| s.spawn(|| c.iter().map(|w| names.get(w)).collect::<Vec<_>>()))
                .collect();
            hs.into_iter().flat_map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(names.len(), 500);
        let table = names.finish();
        for (w, id) in words.iter().zip(ids) {
            assert_eq!(table.get(id), w);
        }
    }

    #[test]
    fn a_claim_keeps_what_matching_reads_and_names_its_strings() {
        let lex = corro_claims::testing::lexicons();
        let ex = corro_claims::Extractor::new(&lex);
        let names = Names::default();
        let ms = ex.extract_sentence(
            "CNN quoted Omer Celik as saying about 1,000 fighters were paid $1,500 a month.",
        );
        let claims: Vec<Claim> = ms.iter().map(|m| Claim::of(m, &names)).collect();
        let table = names.finish();
        for (m, c) in ms.iter().zip(&claims) {
            assert_eq!(c.kind, m.kind);
            assert_eq!(c.stance, m.stance);
            assert_eq!(c.sentence as usize, m.sentence);
            assert_eq!(
                c.source.map(|s| table.get(s.name)),
                m.speaker.as_ref().map(|s| s.name.as_str())
            );
            assert_eq!(table.opt(c.via), m.via.first().map(String::as_str));
            let q = m.quantity.as_ref();
            assert_eq!(
                c.value.as_ref().map(|v| (v.low, v.high, v.approx)),
                q.map(|q| (q.low, q.high, q.approx))
            );
            assert_eq!(
                c.value.as_ref().and_then(|v| table.opt(v.unit)),
                q.and_then(|q| q.unit.as_deref())
            );
            assert_eq!(
                c.value.as_ref().and_then(|v| table.opt(v.per)),
                q.and_then(|q| q.per.as_deref())
            );
        }
        let money = claims
            .iter()
            .find(|c| c.kind == ClaimKind::Money)
            .expect("a money mention");
        assert_eq!(
            money.value.as_ref().and_then(|v| table.opt(v.per)),
            Some("month")
        );
        // Every mention of the sentence names the same speaker: one id.
        let speakers: Vec<Name> = claims
            .iter()
            .filter_map(|c| c.source.map(|s| s.name))
            .collect();
        assert!(speakers.len() >= 2, "{claims:?}");
        assert!(speakers.windows(2).all(|w| w[0] == w[1]));
    }
}
