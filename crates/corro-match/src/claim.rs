//! A mention as the matcher sees it: what is claimed, with which value, by whom and
//! through which outlet — nothing of its wording or place in the text.
//!
//! [`corro_claims::Mention`] is what extraction produces: the stance cue, the speaker
//! as written with their role, quantity offsets, concept strings. A run keeps one record
//! per mention from reading to writing, millions on a large corpus, so the matcher's
//! record is compact (44 bytes, its value inline) and its strings — units, speakers,
//! outlets, the same few thousand over the whole corpus — are [`Name`]s: four-byte ids
//! into the run's [`NameTable`], given out by [`Names`] while the corpus is read.

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

impl Name {
    /// `n` as a number for a fixed layout on disk, 0 for none ([`NameTable::from_bits`]
    /// reads it back).
    pub fn bits(n: Option<Name>) -> u32 {
        n.map_or(0, |n| n.0.get())
    }
}

/// The value of a quantity mention.
#[derive(Debug, Clone, Copy, PartialEq)]
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
///
/// Its [`Value`] is held inline and packed ([`Claim::value`] unpacks it): the bounds'
/// bits in 4-byte words, which sides are open and whether it is hedged in one byte of
/// flags, so that a claim is 44 bytes, 4-byte aligned. A boxed `Value` had cost 8 bytes
/// here and 64 on the heap in about half the mentions — 24 bytes a mention more, and
/// millions of small allocations scattered among the pages reading frees.
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
    /// The value's bounds as bits (low, high), each split in two words; zero when open
    /// or without a value.
    bounds: [[u32; 2]; 2],
    unit: Option<Name>,
    per: Option<Name>,
    /// [`HAS_VALUE`], [`APPROX`], [`HAS_LOW`], [`HAS_HIGH`].
    flags: u8,
}

/// [`Claim::flags`]: the claim has a value; it is hedged; its low or high side is
/// bounded (a side's bits mean nothing without its flag).
const HAS_VALUE: u8 = 1;
const APPROX: u8 = 2;
const HAS_LOW: u8 = 4;
const HAS_HIGH: u8 = 8;

/// A bound as two 4-byte words, and back: exactly its bits.
fn split(x: f64) -> [u32; 2] {
    let b = x.to_bits();
    [b as u32, (b >> 32) as u32]
}

fn join(w: [u32; 2]) -> f64 {
    f64::from_bits(u64::from(w[0]) | (u64::from(w[1]) << 32))
}

impl Claim {
    /// The matcher's record of an extracted mention, its strings named through `names`.
    pub fn of(m: &Mention, names: &Names) -> Claim {
        let mut claim = Claim {
            sentence: m.sentence as u32,
            kind: m.kind,
            stance: m.stance,
            source: m.speaker.as_ref().map(|s| Source {
                name: names.get(&s.name),
                kind: s.kind,
            }),
            via: m.via.first().map(|v| names.get(v)),
            bounds: [[0; 2]; 2],
            unit: None,
            per: None,
            flags: 0,
        };
        if let Some(q) = &m.quantity {
            claim.set_value(Value {
                low: q.low,
                high: q.high,
                approx: q.approx,
                unit: q.unit.as_deref().map(|u| names.get(u)),
                per: q.per.as_deref().map(|p| names.get(p)),
            });
        }
        claim
    }

    /// The value of a quantity mention, unpacked: exactly the one it was made with.
    pub fn value(&self) -> Option<Value> {
        let has = |flag: u8| self.flags & flag != 0;
        has(HAS_VALUE).then(|| Value {
            low: has(HAS_LOW).then(|| join(self.bounds[0])),
            high: has(HAS_HIGH).then(|| join(self.bounds[1])),
            approx: has(APPROX),
            unit: self.unit,
            per: self.per,
        })
    }

    fn set_value(&mut self, v: Value) {
        let flag = |on: bool, flag: u8| if on { flag } else { 0 };
        self.flags = HAS_VALUE
            | flag(v.approx, APPROX)
            | flag(v.low.is_some(), HAS_LOW)
            | flag(v.high.is_some(), HAS_HIGH);
        self.bounds = [v.low.map_or([0; 2], split), v.high.map_or([0; 2], split)];
        self.unit = v.unit;
        self.per = v.per;
    }
}

/// Tags of the enums a claim holds, in a fixed order for [`Claim::put`]: a claim set
/// aside on disk is read back by the same binary, but a tag must still never be a
/// discriminant the compiler chose.
const KINDS: [ClaimKind; 6] = [
    ClaimKind::Count,
    ClaimKind::Money,
    ClaimKind::Duration,
    ClaimKind::Percent,
    ClaimKind::Measure,
    ClaimKind::Event,
];
const STANCES: [Stance; 3] = [Stance::Supports, Stance::Denies, Stance::Discusses];
const SPEAKERS: [SpeakerKind; 5] = [
    SpeakerKind::Person,
    SpeakerKind::Government,
    SpeakerKind::Organisation,
    SpeakerKind::Anonymous,
    SpeakerKind::Outlet,
];

/// The position of `x` in `all` (every variant is listed: see the tests).
fn tag<T: PartialEq>(all: &[T], x: &T) -> u8 {
    all.iter().position(|a| a == x).unwrap_or(0) as u8
}

impl Claim {
    /// Bytes of a claim set aside ([`Claim::put`]): the sentence, the three names and
    /// the speaker's, the bounds' four words, little-endian, then the kind, stance and
    /// speaker kind tags and the flags.
    pub const BYTES: usize = 40;

    /// Appends the claim in its fixed layout. Names are written as their ids: the
    /// claim is read back by the run that wrote it, with the same [`NameTable`].
    pub fn put(&self, out: &mut Vec<u8>) {
        let source = self.source.map(|s| s.name);
        for x in [
            self.sentence,
            Name::bits(source),
            Name::bits(self.via),
            Name::bits(self.unit),
            Name::bits(self.per),
            self.bounds[0][0],
            self.bounds[0][1],
            self.bounds[1][0],
            self.bounds[1][1],
        ] {
            out.extend_from_slice(&x.to_le_bytes());
        }
        out.push(tag(&KINDS, &self.kind));
        out.push(tag(&STANCES, &self.stance));
        out.push(self.source.map_or(0, |s| tag(&SPEAKERS, &s.kind)));
        out.push(self.flags);
    }

    /// A claim as [`Claim::put`] wrote it with `names`; `None` for bytes it cannot have
    /// written (a tag or flag out of range, a name `names` does not have: damaged bytes
    /// are never trusted as an index).
    pub fn get(b: &[u8], names: &NameTable) -> Option<Claim> {
        let b: &[u8; Self::BYTES] = b.try_into().ok()?;
        let u = |k: usize| u32::from_le_bytes([b[4 * k], b[4 * k + 1], b[4 * k + 2], b[4 * k + 3]]);
        let name = |k: usize| names.from_bits(u(k)).ok();
        let speaker = *SPEAKERS.get(b[38] as usize)?;
        if b[39] & !(HAS_VALUE | APPROX | HAS_LOW | HAS_HIGH) != 0 {
            return None;
        }
        Some(Claim {
            sentence: u(0),
            kind: *KINDS.get(b[36] as usize)?,
            stance: *STANCES.get(b[37] as usize)?,
            source: name(1)?.map(|name| Source {
                name,
                kind: speaker,
            }),
            via: name(2)?,
            unit: name(3)?,
            per: name(4)?,
            bounds: [[u(5), u(6)], [u(7), u(8)]],
            flags: b[39],
        })
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

    /// The name [`Name::bits`] wrote, or `Err` for a number this table has no name for
    /// (damaged bytes: never trusted as an index).
    pub fn from_bits(&self, bits: u32) -> Result<Option<Name>, u32> {
        match NonZeroU32::new(bits) {
            None => Ok(None),
            Some(id) if id.get() as usize <= self.names.len() => Ok(Some(Name(id))),
            Some(_) => Err(bits),
        }
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
    fn a_claim_is_44_bytes_with_its_value_and_its_optional_names_four() {
        assert_eq!(std::mem::size_of::<Option<Name>>(), 4);
        assert_eq!(std::mem::size_of::<Claim>(), 44);
        assert_eq!(std::mem::align_of::<Claim>(), 4);
    }

    /// A claim without a value, to pack values into.
    fn bare() -> Claim {
        let m = Mention {
            sentence: 3,
            kind: ClaimKind::Event,
            stance: Stance::Supports,
            cue: None,
            speaker: None,
            via: Vec::new(),
            quantity: None,
            concepts: Vec::new(),
        };
        Claim::of(&m, &Names::default())
    }

    #[test]
    fn every_variant_has_its_own_tag() {
        for all in [
            KINDS.iter().map(|k| tag(&KINDS, k)).collect::<Vec<_>>(),
            STANCES.iter().map(|k| tag(&STANCES, k)).collect(),
            SPEAKERS.iter().map(|k| tag(&SPEAKERS, k)).collect(),
        ] {
            assert_eq!(all, (0..all.len() as u8).collect::<Vec<_>>());
        }
        // Each list names every variant: a new one must be added here, and to its list.
        let _: fn(ClaimKind) = |k| match k {
            ClaimKind::Count
            | ClaimKind::Money
            | ClaimKind::Duration
            | ClaimKind::Percent
            | ClaimKind::Measure
            | ClaimKind::Event => {}
        };
        let _: fn(Stance) = |s| match s {
            Stance::Supports | Stance::Denies | Stance::Discusses => {}
        };
        let _: fn(SpeakerKind) = |s| match s {
            SpeakerKind::Person
            | SpeakerKind::Government
            | SpeakerKind::Organisation
            | SpeakerKind::Anonymous
            | SpeakerKind::Outlet => {}
        };
    }

    #[test]
    fn a_claim_set_aside_is_damaged_only_if_its_tags_or_flags_are() {
        let names = Names::default();
        let mut c = bare();
        c.via = Some(names.get("CNN"));
        let table = names.finish();
        let mut bytes = Vec::new();
        c.put(&mut bytes);
        assert_eq!(bytes.len(), Claim::BYTES);
        assert_eq!(Claim::get(&bytes, &table), Some(c));
        // A tag or flag out of range; a name the table does not have (via: 2).
        for (at, bad) in [(36, 6), (37, 3), (38, 5), (39, 16), (8, 2)] {
            let mut b = bytes.clone();
            b[at] = bad;
            assert_eq!(Claim::get(&b, &table), None, "byte {at} = {bad}");
        }
        assert_eq!(Claim::get(&bytes[1..], &table), None);
    }

    /// Names in the table claims are read back with.
    const NAMES: u32 = 100;

    proptest::proptest! {
        /// Written and read back, any claim is the one written, bit for bit.
        #[test]
        fn a_claim_set_aside_comes_back_as_it_was(
            sentence: u32,
            kind in 0..6usize,
            stance in 0..3usize,
            source in proptest::option::of((1..=NAMES, 0..5usize)),
            via in proptest::option::of(1..=NAMES),
            value in proptest::option::of((
                proptest::option::of(proptest::num::u64::ANY),
                proptest::option::of(proptest::num::u64::ANY),
                proptest::bool::ANY,
                proptest::option::of(1..=NAMES),
                proptest::option::of(1..=NAMES),
            )),
        ) {
            let name = |n: Option<u32>| n.and_then(NonZeroU32::new).map(Name);
            let names = Names::default();
            for k in 0..NAMES {
                names.get(&k.to_string());
            }
            let table = names.finish();
            let mut c = bare();
            c.sentence = sentence;
            c.kind = KINDS[kind];
            c.stance = STANCES[stance];
            c.source = source.map(|(n, k)| Source { name: name(Some(n)).unwrap(), kind: SPEAKERS[k] });
            c.via = name(via);
            if let Some((low, high, approx, unit, per)) = value {
                c.set_value(Value {
                    low: low.map(f64::from_bits),
                    high: high.map(f64::from_bits),
                    approx,
                    unit: name(unit),
                    per: name(per),
                });
            }
            let mut bytes = Vec::new();
            c.put(&mut bytes);
            proptest::prop_assert_eq!(bytes.len(), Claim::BYTES);
            let back = Claim::get(&bytes, &table).unwrap();
            // Compared field by field as bits: NaN bounds are not equal to themselves.
            let bits = |c: &Claim| (c.sentence, c.kind, c.stance, c.source, c.via, c.unit, c.per, c.bounds, c.flags);
            proptest::prop_assert_eq!(bits(&back), bits(&c));
        }
    }

    proptest::proptest! {
        /// Packed and unpacked, a value is the one given, bit for bit: any bound
        /// (negative zero, infinities, NaNs with any payload), either side open.
        #[test]
        fn a_packed_value_comes_back_bit_for_bit(
            low in proptest::option::of(proptest::num::u64::ANY),
            high in proptest::option::of(proptest::num::u64::ANY),
            approx: bool,
            unit in proptest::option::of(1u32..),
            per in proptest::option::of(1u32..),
        ) {
            let name = |n: Option<u32>| n.and_then(NonZeroU32::new).map(Name);
            let v = Value {
                low: low.map(f64::from_bits),
                high: high.map(f64::from_bits),
                approx,
                unit: name(unit),
                per: name(per),
            };
            let mut c = bare();
            proptest::prop_assert!(c.value().is_none());
            c.set_value(v);
            let back = c.value().unwrap();
            proptest::prop_assert_eq!(back.low.map(f64::to_bits), low);
            proptest::prop_assert_eq!(back.high.map(f64::to_bits), high);
            proptest::prop_assert_eq!((back.approx, back.unit, back.per), (approx, v.unit, v.per));
            proptest::prop_assert_eq!(c.sentence, 3);
        }
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
                c.value().map(|v| (v.low, v.high, v.approx)),
                q.map(|q| (q.low, q.high, q.approx))
            );
            assert_eq!(
                c.value().and_then(|v| table.opt(v.unit)),
                q.and_then(|q| q.unit.as_deref())
            );
            assert_eq!(
                c.value().and_then(|v| table.opt(v.per)),
                q.and_then(|q| q.per.as_deref())
            );
        }
        let money = claims
            .iter()
            .find(|c| c.kind == ClaimKind::Money)
            .expect("a money mention");
        assert_eq!(money.value().and_then(|v| table.opt(v.per)), Some("month"));
        // Every mention of the sentence names the same speaker: one id.
        let speakers: Vec<Name> = claims
            .iter()
            .filter_map(|c| c.source.map(|s| s.name))
            .collect();
        assert!(speakers.len() >= 2, "{claims:?}");
        assert!(speakers.windows(2).all(|w| w[0] == w[1]));
    }
}
