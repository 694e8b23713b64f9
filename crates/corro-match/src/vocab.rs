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

use hashbrown::HashTable;
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

/// A table of names split into locked shards, so that reading threads rarely wait for
/// one another (the concept [`Interner`] and the run's [`crate::Names`]).
///
/// A name is hashed once: the hash picks the shard, and is kept beside the name, so the
/// table neither hashes it again to find it nor to grow, and compares two names' bytes
/// only when their hashes are equal. (Hashed twice — once for the shard, once by a
/// `HashMap` — with every hit comparing bytes, interning was a tenth of extraction and
/// a quarter of reading a cached corpus.)
struct Shards {
    shards: Vec<Mutex<HashTable<Entry>>>,
}

/// An interned name: its hash, the name, its provisional id.
type Entry = (u64, Box<str>, u32);

impl Default for Shards {
    fn default() -> Self {
        Shards {
            shards: (0..SHARDS).map(|_| Mutex::new(HashTable::new())).collect(),
        }
    }
}

const SHARDS: usize = 16;

impl Shards {
    /// The hash of `name`, and its shard, locked. The shard is chosen by bits the table
    /// uses for neither its buckets (the low bits) nor its tags (the top seven), so a
    /// shard's names still spread over its buckets.
    fn of(&self, name: &str) -> (u64, MutexGuard<'_, HashTable<Entry>>) {
        let hash = xxhash_rust::xxh3::xxh3_64(name.as_bytes());
        let shard = &self.shards[(hash >> 40) as usize % SHARDS];
        // A poisoned shard only means another thread panicked mid-insert (caught and
        // reported as that file's error row); the table itself is still consistent.
        (hash, shard.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Every shard's entries.
    fn into_entries(self) -> impl Iterator<Item = Entry> {
        self.shards
            .into_iter()
            .flat_map(|s| s.into_inner().unwrap_or_else(|p| p.into_inner()))
    }
}

/// A thread-safe interner handing out provisional ids (see the module docs).
#[derive(Default)]
pub struct Interner {
    shards: Shards,
    next: AtomicU32,
}

impl Interner {
    /// The provisional id of `name`.
    pub fn intern(&self, name: &str) -> u32 {
        let (hash, mut table) = self.shards.of(name);
        let same = |e: &Entry| e.0 == hash && *e.1 == *name;
        if let Some(&(_, _, id)) = table.find(hash, same) {
            return id;
        }
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        table.insert_unique(hash, (hash, name.into(), id), |e| e.0);
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
        for (_, name, id) in self.shards.into_entries() {
            by_id[id as usize] = name;
        }
        by_id
    }

    /// The final vocabulary, and a renumbering: `map[provisional] = final`. Final ids
    /// follow first appearance in `in_order`, the provisional id lists of all mentions in
    /// corpus order; ids interned but in no list (a duplicate report's, dropped) come
    /// last, in provisional order. ([`Interner::finish_by_first`] with the places found
    /// in order, on one thread.)
    pub fn finish<'a>(self, in_order: impl Iterator<Item = &'a [u32]>) -> (Vocabulary, Vec<u32>) {
        let mut first = vec![u64::MAX; self.len()];
        let mut at = 0u64;
        for ids in in_order {
            for &p in ids {
                if let Some(f) = first.get_mut(p as usize) {
                    *f = (*f).min(at);
                }
                at += 1;
            }
        }
        self.finish_by_first(&first)
    }

    /// [`Interner::finish`] given where each provisional id is first met in the corpus's
    /// order (`first[provisional]`, a place in the mentions' lists laid end to end;
    /// `u64::MAX`: never met), so that the places can be found on all threads (the run
    /// reads each report's ids back from disk, reports in parallel). Ids first met
    /// earlier come first; ids never met come last, in provisional order. An id no
    /// interner gave (a damaged list) has no place here and is left alone.
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
    fn numbering_by_first_places_found_in_any_order_is_first_appearance() {
        let names: Vec<String> = (0..80).map(|k| format!("w:{}", (k * 11) % 31)).collect();
        // The definition: each name numbered where it first appears.
        let mut want: Vec<&str> = Vec::new();
        for n in &names {
            if !want.contains(&n.as_str()) {
                want.push(n);
            }
        }
        want.push("w:orphan");
        let i = Interner::default();
        // Provisional ids unlike the final ones, and one name no list has.
        i.intern("w:orphan");
        for n in names.iter().rev() {
            i.intern(n);
        }
        let ids = intern_all(&i, &names);
        let mut lists: Vec<Vec<u32>> = ids.chunks(7).map(<[u32]>::to_vec).collect();
        // An id no interner gave, passed over rather than trusted.
        lists[2].push(10_000);
        // Each id's first place in the lists laid end to end, found list by list from
        // the last (as threads may).
        let mut starts = Vec::new();
        let mut at = 0u64;
        for l in &lists {
            starts.push(at);
            at += l.len() as u64;
        }
        let mut first = vec![u64::MAX; i.len()];
        for (l, &start) in lists.iter().zip(&starts).rev() {
            for (k, &p) in l.iter().enumerate() {
                if let Some(f) = first.get_mut(p as usize) {
                    *f = (*f).min(start + k as u64);
                }
            }
        }
        let (vocab, map) = i.finish_by_first(&first);
        let got: Vec<&str> = (0..vocab.len() as u32).map(|k| vocab.name(k)).collect();
        assert_eq!(got, want);
        for (n, &p) in names.iter().zip(&ids) {
            assert_eq!(vocab.name(map[p as usize]), n);
        }
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
