//! The concept vocabulary: every distinct concept string of a corpus, once.
//!
//! A mention's normalised form is a few dozen concept strings (`e:north korea`,
//! `w:surgeri`, …). Kept as strings for every mention of a large corpus they were most
//! of the run's memory (about 1.7 KB per mention). So the run interns them while it
//! reads: each report's concept strings become `u32` ids as soon as the report is
//! extracted, and the strings live once, here.
//!
//! Reading is parallel, so the ids an [`Interner`] hands out depend on thread timing;
//! [`Interner::finish`] renumbers them in a deterministic order — the order in which the
//! concepts first appear in the corpus (report by report, mention by mention), which is
//! the order the matcher always numbered them in — so outputs are byte-identical for any
//! number of threads.

use rustc_hash::FxHashMap as HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, MutexGuard};

/// Interned concept names, indexed by concept id.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    names: Vec<Box<str>>,
}

impl Vocabulary {
    /// The name of concept `id`.
    pub fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }

    /// Number of concepts.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Interns the concept strings of mentions held in memory (small corpora, tests):
    /// each mention's concept ids (for [`crate::MentionFacts::concepts`]), numbering concepts
    /// by first appearance — the same ids a run's reading gives.
    pub fn of_mentions<'a>(
        mentions: impl Iterator<Item = &'a corro_claims::Mention>,
    ) -> (Vocabulary, Vec<Vec<u32>>) {
        let mut ids: HashMap<String, u32> = HashMap::default();
        let mut names = Vec::new();
        let mut out = Vec::new();
        for m in mentions {
            let v: Vec<u32> = m
                .concepts
                .iter()
                .map(|c| {
                    *ids.entry(c.clone()).or_insert_with(|| {
                        names.push(c.clone().into_boxed_str());
                        (names.len() - 1) as u32
                    })
                })
                .collect();
            out.push(sorted(v));
        }
        (Vocabulary { names }, out)
    }
}

fn sorted(mut v: Vec<u32>) -> Vec<u32> {
    v.sort_unstable();
    v.dedup();
    v
}

/// A table split into locked shards by the name it is looked up by, so that reading
/// threads rarely wait for one another (the concept [`Interner`] and the run's
/// [`crate::Names`]).
pub(crate) struct Shards<T> {
    shards: Vec<Mutex<T>>,
}

impl<T: Default> Default for Shards<T> {
    fn default() -> Self {
        Shards {
            shards: (0..16).map(|_| Mutex::new(T::default())).collect(),
        }
    }
}

impl<T> Shards<T> {
    /// The shard `name` belongs to, locked.
    pub(crate) fn of(&self, name: &str) -> MutexGuard<'_, T> {
        // Sharded by another hash than the tables' own, so a shard's keys still spread
        // over its buckets.
        let shard = &self.shards
            [(xxhash_rust::xxh3::xxh3_64(name.as_bytes()) as usize) % self.shards.len()];
        // A poisoned shard only means another thread panicked mid-insert (caught and
        // reported as that file's error row); the table itself is still consistent.
        shard.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Every shard's table.
    pub(crate) fn into_tables(self) -> impl Iterator<Item = T> {
        self.shards
            .into_iter()
            .map(|s| s.into_inner().unwrap_or_else(|p| p.into_inner()))
    }
}

/// A thread-safe interner handing out provisional ids (see the module docs).
#[derive(Default)]
pub struct Interner {
    shards: Shards<HashMap<Box<str>, u32>>,
    next: AtomicU32,
}

impl Interner {
    /// The provisional id of `name`.
    pub fn intern(&self, name: &str) -> u32 {
        let mut map = self.shards.of(name);
        if let Some(&id) = map.get(name) {
            return id;
        }
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        map.insert(name.into(), id);
        id
    }

    /// Number of distinct names interned.
    pub fn len(&self) -> usize {
        self.next.load(Ordering::Relaxed) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every interned name, indexed by its provisional id.
    pub fn into_names(self) -> Vec<Box<str>> {
        let mut by_id: Vec<Box<str>> = vec![Box::from(""); self.len()];
        for shard in self.shards.into_tables() {
            for (name, id) in shard {
                by_id[id as usize] = name;
            }
        }
        by_id
    }

    /// The final vocabulary, and a renumbering: `map[provisional] = final`. Final ids
    /// follow first appearance in `in_order`, the provisional id lists of all mentions in
    /// corpus order.
    pub fn finish<'a>(self, in_order: impl Iterator<Item = &'a [u32]>) -> (Vocabulary, Vec<u32>) {
        let mut numbering = self.numbering();
        for ids in in_order {
            numbering.see(ids);
        }
        numbering.finish()
    }

    /// [`Interner::finish`] given where each provisional id is first met in the corpus's
    /// order (`first[provisional]`, a place in the mentions' lists laid end to end;
    /// `u64::MAX`: never met): the places can be found on all threads, where numbering
    /// in order is one list after another on one thread. Ids first met earlier come
    /// first, as in order; ids never met come last, in provisional order.
    pub fn finish_by_first(self, first: &[u64]) -> (Vocabulary, Vec<u32>) {
        use rayon::prelude::*;
        let mut by_id: Vec<Option<Box<str>>> = self.into_names().into_iter().map(Some).collect();
        let met_at = |p: u32| first.get(p as usize).copied().unwrap_or(u64::MAX);
        let mut met: Vec<u32> = (0..by_id.len() as u32)
            .filter(|&p| met_at(p) != u64::MAX)
            .collect();
        // A place holds one id: no two ids share a first place.
        met.par_sort_unstable_by_key(|&p| met_at(p));
        let mut map = vec![u32::MAX; by_id.len()];
        let mut names = Vec::with_capacity(by_id.len());
        for p in met {
            map[p as usize] = names.len() as u32;
            names.push(by_id[p as usize].take().unwrap_or_default());
        }
        for (p, name) in by_id.into_iter().enumerate() {
            if let Some(name) = name {
                map[p] = names.len() as u32;
                names.push(name);
            }
        }
        (Vocabulary { names }, map)
    }

    /// [`Interner::finish`] fed one list at a time, so that the caller need not hold
    /// every mention's ids at once (a large run reads them back from disk, report by
    /// report).
    pub fn numbering(self) -> Numbering {
        let by_id: Vec<Option<Box<str>>> = self.into_names().into_iter().map(Some).collect();
        Numbering {
            map: vec![u32::MAX; by_id.len()],
            names: Vec::with_capacity(by_id.len()),
            by_id,
        }
    }
}

/// Final ids being given by first appearance ([`Interner::numbering`]).
pub struct Numbering {
    /// Names not numbered yet, by provisional id.
    by_id: Vec<Option<Box<str>>>,
    /// `map[provisional] = final`, `u32::MAX` while not numbered.
    map: Vec<u32>,
    /// Names by final id.
    names: Vec<Box<str>>,
}

impl Numbering {
    /// Numbers the provisional ids of `ids` not seen before, in order.
    pub fn see(&mut self, ids: &[u32]) {
        for &p in ids {
            // An id no interner gave (a damaged list) is left alone rather than trusted.
            let Some(slot) = self.map.get_mut(p as usize) else {
                continue;
            };
            if *slot == u32::MAX {
                *slot = self.names.len() as u32;
                self.names
                    .push(self.by_id[p as usize].take().unwrap_or_default());
            }
        }
    }

    /// The final vocabulary and the renumbering, `map[provisional] = final`.
    pub fn finish(self) -> (Vocabulary, Vec<u32>) {
        let Numbering {
            by_id,
            mut map,
            mut names,
        } = self;
        // Concepts interned for mentions that were later dropped (a duplicate report)
        // still need a number; they come last, in provisional order.
        for (p, name) in by_id.into_iter().enumerate() {
            if let Some(name) = name {
                map[p] = names.len() as u32;
                names.push(name);
            }
        }
        (Vocabulary { names }, map)
    }
}

/// Rewrites provisional ids as final ones, sorted and unique (the matcher's form), in
/// place in a shared array: returns how many distinct ids lead the slice.
pub fn renumber_in_place(ids: &mut [u32], map: &[u32]) -> usize {
    for x in ids.iter_mut() {
        *x = map[*x as usize];
    }
    ids.sort_unstable();
    let mut len = 0;
    for i in 0..ids.len() {
        if len == 0 || ids[i] != ids[len - 1] {
            ids[len] = ids[i];
            len += 1;
        }
    }
    len
}

#[cfg(test)]
mod tests {
    use super::*;

    fn intern_all(i: &Interner, names: &[String]) -> Vec<u32> {
        names.iter().map(|n| i.intern(n)).collect()
    }

    #[test]
    fn final_ids_follow_first_appearance_whatever_the_provisional_order() {
        let i = Interner::default();
        // Provisional order: c, a, b.
        let c = intern_all(&i, &["w:c".into()]);
        let ab = intern_all(&i, &["w:a".into(), "w:b".into(), "w:a".into()]);
        let orphan = i.intern("w:orphan");
        let (v, map) = i.finish([ab.as_slice(), c.as_slice()].into_iter());
        let mut first = ab.clone();
        let n = renumber_in_place(&mut first, &map);
        assert_eq!(first[..n], [0, 1]);
        assert_eq!(v.name(0), "w:a");
        assert_eq!(v.name(1), "w:b");
        assert_eq!(v.name(2), "w:c");
        assert_eq!(v.name(map[orphan as usize]), "w:orphan");
        assert_eq!(v.len(), 4);
    }

    #[test]
    fn numbering_fed_in_pieces_is_finishing_at_once() {
        let names: Vec<String> = (0..60).map(|k| format!("w:{}", (k * 7) % 23)).collect();
        let intern = || {
            let i = Interner::default();
            // Provisional ids in reverse of first appearance.
            for n in names.iter().rev() {
                i.intern(n);
            }
            i
        };
        let i = intern();
        let ids = intern_all(&i, &names);
        let (want_vocab, want_map) = i.finish(ids.chunks(5));
        let i = intern();
        let mut numbering = i.numbering();
        for piece in ids.chunks(3) {
            numbering.see(piece);
        }
        // An id no interner gave is passed over, not numbered or trusted.
        numbering.see(&[u32::MAX, 10_000]);
        let (vocab, map) = numbering.finish();
        assert_eq!(map, want_map);
        assert_eq!(vocab.len(), want_vocab.len());
        assert!((0..vocab.len() as u32).all(|k| vocab.name(k) == want_vocab.name(k)));
        assert_eq!(vocab.name(0), names[0]);
    }

    #[test]
    fn numbering_by_first_places_is_numbering_in_order() {
        let names: Vec<String> = (0..80).map(|k| format!("w:{}", (k * 11) % 31)).collect();
        let intern = || {
            let i = Interner::default();
            // Provisional ids in reverse of first appearance, and one name no list has.
            i.intern("w:orphan");
            for n in names.iter().rev() {
                i.intern(n);
            }
            i
        };
        let i = intern();
        let ids = intern_all(&i, &names);
        let (want_vocab, want_map) = i.finish(ids.chunks(7));
        // Each id's first place in the lists laid end to end, found list by list from
        // the last (as threads may), with an id no interner gave among them.
        let i = intern();
        let mut first = vec![u64::MAX; i.len()];
        let mut lists: Vec<Vec<u32>> = ids.chunks(7).map(<[u32]>::to_vec).collect();
        lists[2].push(10_000);
        let mut starts = Vec::new();
        let mut at = 0u64;
        for l in &lists {
            starts.push(at);
            at += l.len() as u64;
        }
        for (l, &start) in lists.iter().zip(&starts).rev() {
            for (k, &p) in l.iter().enumerate() {
                if let Some(f) = first.get_mut(p as usize) {
                    *f = (*f).min(start + k as u64);
                }
            }
        }
        let (vocab, map) = i.finish_by_first(&first);
        assert_eq!(map, want_map);
        assert_eq!(vocab.len(), want_vocab.len());
        assert!((0..vocab.len() as u32).all(|k| vocab.name(k) == want_vocab.name(k)));
        assert_eq!(vocab.name(0), names[0]);
        assert_eq!(vocab.name(vocab.len() as u32 - 1), "w:orphan");
    }

    #[test]
    fn interning_from_many_threads_gives_one_id_per_name() {
        let i = Interner::default();
        let names: Vec<String> = (0..500).map(|k| format!("w:{}", k % 97)).collect();
        let ids: Vec<Vec<u32>> = std::thread::scope(|s| {
            let hs: Vec<_> = names
                .chunks(50)
                .map(|ch| s.spawn(|| intern_all(&i, ch)))
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let (v, map) = i.finish(ids.iter().map(|v| v.as_slice()));
        assert_eq!(v.len(), 97);
        for (chunk, ids) in names.chunks(50).zip(&ids) {
            for (n, &p) in chunk.iter().zip(ids) {
                assert_eq!(v.name(map[p as usize]), n);
            }
        }
    }
}
