//! Stories: reports grouped by the vocabulary they share, before any claim is compared.
//!
//! Each report's lead mention carries the report's vocabulary (`r:N:concept`: every
//! content concept of its sentences and how often it is used; see
//! `corro_claims::Mention::concepts`). Here that becomes a tf·idf profile — weight
//! `(1 + ln tf) · ln((N + BACKGROUND) / df)`, unit length — and reports are grouped by
//! centroid agglomeration on the cosine of their profiles, exactly as claims are (links
//! from most to least similar merge two groups only when their centroids are alike).
//!
//! Blocking: an inverted index over each profile's [`KEYS`] rarest terms (those in 2 to
//! [`MAX_BLOCK`] reports), each block compared within a sliding window of [`WINDOW`]
//! reports, so the stage is never quadratic in the corpus.
//!
//! Memory: links (pairs of reports whose profiles' cosine reaches the threshold) are found
//! a batch of reports at a time, each batch's sorted into a run, and the runs merged into
//! the one order the agglomeration takes them in, as it takes them. The runs are set
//! aside (the run's spill file: [`crate::Aside`]) until merged, or, without anywhere to
//! set them aside, held in chunks freed as they are read. The links are held once, never
//! beside a second copy of them.

use std::cmp::Ordering;
use std::collections::binary_heap::{BinaryHeap, PeekMut};

use rayon::prelude::*;

use crate::compare;
use crate::sparse::{Sparse, Split};
use crate::Aside;

/// How many of a profile's rarest terms are its blocking keys.
pub const KEYS: usize = 24;
/// Terms in more reports than this are no blocking keys.
pub const MAX_BLOCK: usize = crate::cluster::MAX_BLOCK;
/// Each report is compared with the next this many members of each of its blocks.
pub const WINDOW: usize = 100;
/// Two groups of reports are one story when their centroids' cosine reaches this.
pub const THRESHOLD: f64 = 0.3;
/// How many terms a story's centroid keeps.
pub const CENTROID_SIZE: usize = 512;

/// Every report's profile — (term, weight) sorted by term, unit length — in one arena:
/// terms and weights in two arrays (no vector per report), 8 bytes a term. The story
/// stage is a large run's memory peak, so a weight is kept as an `f32`: computed and
/// normalised in `f64`, rounded once when stored, and every sum over weights is taken in
/// `f64`. (With `f64` weights, 12 bytes a term, the outputs of the 40k and 160k benchmark
/// corpora, the sample and the FNC-1 linkage evaluation were the same to the byte: story
/// decisions turn on a cosine against 0.3, far coarser than an `f32`'s 1e-7.)
#[derive(Debug, Clone, Default)]
pub struct Profiles {
    /// Report `i`'s entries are at `start[i]..start[i + 1]`.
    start: Vec<usize>,
    terms: Vec<u32>,
    weights: Vec<f32>,
}

impl Profiles {
    /// Number of reports.
    pub fn len(&self) -> usize {
        self.start.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Report `i`'s profile.
    pub fn of(&self, i: usize) -> Split<'_> {
        let r = self.start[i]..self.start[i + 1];
        Split {
            ids: &self.terms[r.clone()],
            weights: &self.weights[r],
        }
    }
}

/// Reports whose profiles are made at once: the per-report vectors of one batch are the
/// only transient copy.
const BATCH: usize = 8192;

/// Turns per-report term counts into unit-length tf·idf profiles. Terms found in one
/// report only can link nothing and are dropped.
pub fn profiles(counts: &[Vec<(u32, u32)>], terms: usize) -> Profiles {
    profiles_of(counts.len(), terms, |r, out| {
        out.extend_from_slice(&counts[r])
    })
}

/// [`profiles`] with each report's (term, count) pairs written by `counts_of(report,
/// out)` when needed rather than held for all reports at once: on a large corpus the
/// held pairs were as large as the profiles, and both were alive at the run's peak.
///
/// A report's pairs may come in any order but name each term once (a profile is sorted
/// by term, so its sums then do not depend on the order).
pub fn profiles_of<F>(reports: usize, terms: usize, counts_of: F) -> Profiles
where
    F: Fn(usize, &mut Vec<(u32, u32)>) + Sync,
{
    let mut df = vec![0u32; terms];
    let mut pairs = Vec::new();
    for r in 0..reports {
        pairs.clear();
        counts_of(r, &mut pairs);
        for &(t, _) in &pairs {
            df[t as usize] += 1;
        }
    }
    let n = reports as f64 + compare::BACKGROUND;
    // Every pair counted once in `df`: the pairs kept are the counts of the terms kept.
    let kept: usize = df.iter().filter(|&&d| d > 1).map(|&d| d as usize).sum();
    let mut out = Profiles {
        start: Vec::with_capacity(reports + 1),
        terms: Vec::with_capacity(kept),
        weights: Vec::with_capacity(kept),
    };
    out.start.push(0);
    for batch in (0..reports).step_by(BATCH) {
        let made: Vec<Vec<(u32, f64)>> = (batch..(batch + BATCH).min(reports))
            .into_par_iter()
            .map_init(Vec::new, |pairs, r| {
                pairs.clear();
                counts_of(r, pairs);
                let mut p: Vec<(u32, f64)> = pairs
                    .iter()
                    .filter(|&&(t, _)| df[t as usize] > 1)
                    .map(|&(t, tf)| {
                        let idf = (n / df[t as usize] as f64).ln();
                        (t, (1.0 + (tf.max(1) as f64).ln()) * idf)
                    })
                    .collect();
                p.sort_by_key(|x| x.0);
                let norm = p.iter().map(|x| x.1 * x.1).sum::<f64>().sqrt();
                if norm > 0.0 {
                    p.iter_mut().for_each(|x| x.1 /= norm);
                }
                p
            })
            .collect();
        for p in made {
            out.terms.extend(p.iter().map(|x| x.0));
            out.weights.extend(p.iter().map(|x| x.1 as f32));
            out.start.push(out.terms.len());
        }
    }
    out
}

/// Dot product of two sparse vectors sorted by term.
fn dot<A: Sparse + ?Sized, B: Sparse + ?Sized>(a: &A, b: &B) -> f64 {
    let (mut i, mut j, mut dot) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a.at(i), b.at(j));
        match x.0.cmp(&y.0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                dot += x.1 * y.1;
                i += 1;
                j += 1;
            }
        }
    }
    dot
}

/// Dot product of a dense vector and a sparse one sorted by term, summed in the sparse
/// vector's order: the same sum as [`dot`]'s, which adds the shared terms in term order.
/// Terms the dense side lacks are skipped rather than added as +0.0 (weights are
/// positive, so the sum is never -0.0 and adding +0.0 would change nothing): the sum's
/// chain of dependent additions is as long as the shared terms, not the whole profile.
fn dense_dot(dense: &[f64], b: Split<'_>) -> f64 {
    let mut s = 0.0;
    for (&t, &w) in b.ids.iter().zip(b.weights) {
        let x = dense[t as usize];
        if x != 0.0 {
            s += x * w as f64;
        }
    }
    s
}

/// How many partners ahead a profile is fetched (see [`prefetch`]).
const AHEAD: usize = 4;

/// Asks for the start of a profile's terms and weights to be brought into the cache: a
/// report's partners are scattered over the corpus, and the links wait on reading their
/// profiles more than on adding them up.
fn prefetch(p: Split<'_>) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        for at in [p.ids.as_ptr() as *const i8, p.weights.as_ptr() as *const i8] {
            // SAFETY: a prefetch is a hint; it never faults, whatever the address.
            unsafe { _mm_prefetch(at, _MM_HINT_T0) };
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// Euclidean norm, summed in term order.
fn norm<A: Sparse + ?Sized>(a: &A) -> f64 {
    (0..a.len())
        .map(|k| a.at(k).1 * a.at(k).1)
        .sum::<f64>()
        .sqrt()
}

/// Cosine of two sparse vectors sorted by term.
fn cosine<A: Sparse + ?Sized, B: Sparse + ?Sized>(a: &A, b: &B) -> f64 {
    let dot = dot(a, b);
    let (na, nb) = (norm(a), norm(b));
    if na <= 0.0 || nb <= 0.0 {
        0.0
    } else {
        dot / (na * nb)
    }
}

/// A candidate link: the cosine of two reports' profiles (tested against the threshold
/// in `f64`, then kept as an `f32`: 12 bytes a link, where an `f64` made it 16, and the
/// links are the stage's largest array), the earlier report and the later one.
type Link = (f32, u32, u32);

/// The order links are agglomerated in: most similar first, then by report pair. A pair
/// is linked at most once (a report's partners come after it in each block and are
/// de-duplicated), so no two links are equal under it: it is a total order, and every
/// sort or merge by it yields the one sequence.
fn link_order(x: &Link, y: &Link) -> Ordering {
    y.0.total_cmp(&x.0).then((x.1, x.2).cmp(&(y.1, y.2)))
}

/// Reports whose links are found at once. Each batch's links become one sorted run; the
/// only transient copies are the batch's (a few MB), where collecting every link into one
/// vector held rayon's per-thread pieces (grown by doubling) beside the result.
const LINK_BATCH: usize = 8192;

/// Links in one chunk of a run held in memory: 384 KB of links. Chunks are freed as they
/// are consumed, so the runs shrink as the agglomeration goes.
const CHUNK: usize = 1 << 15;

/// Blocking: the reports sharing each rare term. Flat arrays — a vector per block and per
/// report cost a header and an allocation each.
struct Blocks {
    /// Report `i`'s keys (its rarest terms) are `keys[key_start[i]..key_start[i + 1]]`.
    key_start: Vec<usize>,
    keys: Vec<u32>,
    /// Term `t`'s block is `members[start[t]..start[t + 1]]`, in report order.
    start: Vec<usize>,
    members: Vec<u32>,
}

impl Blocks {
    fn new(profiles: &Profiles, terms: usize) -> Blocks {
        let mut df = vec![0u32; terms];
        for &t in &profiles.terms {
            df[t as usize] += 1;
        }
        let n = profiles.len();
        let mut key_start = Vec::with_capacity(n + 1);
        key_start.push(0);
        let mut keys = Vec::new();
        let mut own: Vec<u32> = Vec::new();
        for i in 0..n {
            own.clear();
            own.extend(
                profiles
                    .of(i)
                    .ids
                    .iter()
                    .filter(|&&t| (df[t as usize] as usize) <= MAX_BLOCK),
            );
            // A profile's terms are distinct: (df, term) ties nowhere.
            own.sort_unstable_by_key(|&t| (df[t as usize], t));
            keys.extend(own.iter().take(KEYS));
            key_start.push(keys.len());
        }
        let mut start = vec![0usize; terms + 1];
        for &t in &keys {
            start[t as usize + 1] += 1;
        }
        for t in 0..terms {
            start[t + 1] += start[t];
        }
        // Reports are visited in order, so each block lists its members in report order.
        let mut members = vec![0u32; keys.len()];
        let mut fill = start.clone();
        for i in 0..n {
            for &t in &keys[key_start[i]..key_start[i + 1]] {
                members[fill[t as usize]] = i as u32;
                fill[t as usize] += 1;
            }
        }
        Blocks {
            key_start,
            keys,
            start,
            members,
        }
    }

    /// The order reports are visited in to find their links, so that reports likely of
    /// one story come one after another: their partners are mostly the same reports, whose
    /// profiles are then still in the processor's cache. (Visited in report order, a
    /// story's reports are scattered over the corpus, and once the profiles outgrow the
    /// cache most partners are reads from memory: at 160k reports this order found the
    /// links in 17% less time, at 40k in 11% less.) Reports are ordered by the MinHash of
    /// their keys — two reports share it as often as their keys overlap — then by
    /// report; reports without keys (no partners) come last. Any order finds the same
    /// links.
    fn visiting_order(&self) -> Vec<u32> {
        let n = self.key_start.len() - 1;
        let mut order: Vec<(u64, u32)> = (0..n)
            .map(|i| {
                let keys = &self.keys[self.key_start[i]..self.key_start[i + 1]];
                let min = keys
                    .iter()
                    .map(|&t| {
                        u64::from(t)
                            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
                            .rotate_left(29)
                    })
                    .min()
                    .unwrap_or(u64::MAX);
                (min, i as u32)
            })
            .collect();
        order.sort_unstable();
        order.into_iter().map(|(_, i)| i).collect()
    }

    /// Report `i`'s partners: the next [`WINDOW`] members after it in each of its blocks,
    /// each once, in report order (all later than `i`).
    fn partners(&self, i: usize, out: &mut Vec<u32>) {
        out.clear();
        for &t in &self.keys[self.key_start[i]..self.key_start[i + 1]] {
            let block = &self.members[self.start[t as usize]..self.start[t as usize + 1]];
            let x = block
                .binary_search(&(i as u32))
                .expect("a report is in its own blocks");
            out.extend(&block[x + 1..(x + 1 + WINDOW).min(block.len())]);
        }
        out.sort_unstable();
        out.dedup();
    }
}

/// Links read back from the [`Aside`] at a time, per run: 48 KB a run.
const READ_BLOCK: usize = 4096;

/// Bytes a link takes set aside: its `f32` cosine and two `u32` reports, little-endian.
const LINK_BYTES: usize = 12;

/// One batch's links sorted by [`link_order`]: set aside and read back a block at a
/// time, or (without an [`Aside`], or when setting it aside failed) held as chunks freed
/// once read.
enum Run<'a> {
    Held {
        chunk: Box<[Link]>,
        at: usize,
        /// The chunks after `chunk`, last first.
        rest: Vec<Box<[Link]>>,
    },
    Aside {
        aside: &'a dyn Aside,
        /// Where the links not yet in `buf` start, and how many they are.
        from: u64,
        left: usize,
        /// Links read at a time.
        block: usize,
        /// The block read last, and how far it is taken.
        buf: Vec<u8>,
        at: usize,
    },
}

impl<'a> Run<'a> {
    /// The run of `sorted`: set aside when there is somewhere to, else held in chunks of
    /// `chunk` links (read back `chunk` at a time too, up to [`READ_BLOCK`]).
    fn new(sorted: &[Link], chunk: usize, aside: Option<&'a dyn Aside>) -> Run<'a> {
        if let Some(aside) = aside {
            let mut bytes = Vec::with_capacity(sorted.len() * LINK_BYTES);
            for &(s, a, b) in sorted {
                bytes.extend(s.to_le_bytes());
                bytes.extend(a.to_le_bytes());
                bytes.extend(b.to_le_bytes());
            }
            if let Ok(from) = aside.put(&bytes) {
                return Run::Aside {
                    aside,
                    from,
                    left: sorted.len(),
                    block: chunk.clamp(1, READ_BLOCK),
                    buf: Vec::new(),
                    at: 0,
                };
            }
        }
        Run::Held {
            chunk: Box::default(),
            at: 0,
            rest: sorted.chunks(chunk).rev().map(Box::from).collect(),
        }
    }

    fn next(&mut self) -> Option<Link> {
        match self {
            Run::Held { chunk, at, rest } => {
                if *at == chunk.len() {
                    // Frees the spent chunk (keeping an empty box once the run is spent).
                    *chunk = rest.pop().unwrap_or_default();
                    *at = 0;
                }
                let link = *chunk.get(*at)?;
                *at += 1;
                Some(link)
            }
            Run::Aside {
                aside,
                from,
                left,
                block,
                buf,
                at,
            } => {
                if *at == buf.len() {
                    let k = (*block).min(*left);
                    if k == 0 {
                        // Spent: its buffer goes.
                        *buf = Vec::new();
                        *at = 0;
                        return None;
                    }
                    buf.resize(k * LINK_BYTES, 0);
                    if aside.read(*from, buf).is_err() {
                        // The links are lost: the run ends here, and the caller's
                        // `Aside` has the failure (see [`Aside`]).
                        *left = 0;
                        *buf = Vec::new();
                        *at = 0;
                        return None;
                    }
                    *from += buf.len() as u64;
                    *left -= k;
                    *at = 0;
                }
                let x = &buf[*at..*at + LINK_BYTES];
                *at += LINK_BYTES;
                let word = |i: usize| [x[i], x[i + 1], x[i + 2], x[i + 3]];
                Some((
                    f32::from_le_bytes(word(0)),
                    u32::from_le_bytes(word(4)),
                    u32::from_le_bytes(word(8)),
                ))
            }
        }
    }
}

/// A run's next link in the merge. `BinaryHeap` pops its greatest element, so the order is
/// [`link_order`] reversed: the greatest head is the first link.
struct Head {
    link: Link,
    run: usize,
}

impl Ord for Head {
    fn cmp(&self, other: &Self) -> Ordering {
        link_order(&other.link, &self.link)
    }
}

impl PartialOrd for Head {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Head {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Head {}

/// Every run's links merged into [`link_order`], as report pairs: what the
/// agglomeration reads, one at a time.
struct Merge<'a> {
    runs: Vec<Run<'a>>,
    heap: BinaryHeap<Head>,
}

impl Iterator for Merge<'_> {
    type Item = (u32, u32);

    fn next(&mut self) -> Option<(u32, u32)> {
        // The heap's top is the first link of all not yet taken; it is replaced in place
        // by its run's next link (one sift instead of a pop and a push).
        let mut top = self.heap.peek_mut()?;
        let (_, a, b) = top.link;
        match self.runs[top.run].next() {
            Some(link) => top.link = link,
            None => drop(PeekMut::pop(top)),
        }
        Some((a, b))
    }
}

/// Every link (pair of profiles whose cosine reaches `threshold`), as report pairs in
/// [`link_order`].
///
/// Links are found `batch` reports at a time (in [`Blocks::visiting_order`]), in
/// parallel, and each batch's links are
/// sorted into a run, set aside in `aside` (or held in chunks of `chunk` without one);
/// the runs are merged by a heap over their heads as the agglomeration reads them. Set
/// aside, the links cost memory only for a block per run while they are read back
/// (they were the stage's largest array, 12 bytes a link, at a large run's peak); held,
/// each run's chunks are freed as they are read. The only transient copies are one
/// batch's (a few MB), where collecting every link into one vector held rayon's
/// per-thread pieces (grown by doubling) beside the result.
fn link_pairs<'a>(
    profiles: &Profiles,
    terms: usize,
    threshold: f64,
    batch: usize,
    chunk: usize,
    aside: Option<&'a dyn Aside>,
) -> Merge<'a> {
    let blocks = Blocks::new(profiles, terms);
    let order = blocks.visiting_order();
    let mut runs: Vec<Run> = Vec::new();
    for batch in order.chunks(batch.max(1)) {
        // Each report's profile is spread into a dense array once, so its dot product
        // with a partner is one pass over the partner's terms with no branchy merge (the
        // same bits: see `dense_dot`). Each report's links are boxed at their exact size
        // (an empty box allocates nothing).
        let found: Vec<Box<[Link]>> = batch
            .par_iter()
            .map_init(
                || (vec![0.0f64; terms], Vec::<u32>::new(), Vec::<Link>::new()),
                |(dense, partners, found), &i| {
                    let i = i as usize;
                    blocks.partners(i, partners);
                    if partners.is_empty() {
                        return Box::default();
                    }
                    let own = profiles.of(i);
                    for (&t, &w) in own.ids.iter().zip(own.weights) {
                        dense[t as usize] = w as f64;
                    }
                    found.clear();
                    found.extend(partners.iter().enumerate().filter_map(|(k, &j)| {
                        if let Some(&ahead) = partners.get(k + AHEAD) {
                            prefetch(profiles.of(ahead as usize));
                        }
                        // Profiles are unit length: their dot product is their cosine.
                        let s = dense_dot(dense, profiles.of(j as usize));
                        (s >= threshold).then_some((s as f32, i as u32, j))
                    }));
                    for &t in own.ids {
                        dense[t as usize] = 0.0;
                    }
                    found.as_slice().into()
                },
            )
            .collect();
        let mut run: Vec<Link> = Vec::with_capacity(found.iter().map(|f| f.len()).sum());
        for f in found {
            run.extend_from_slice(&f);
        }
        // An unstable sort: the order is total, and it needs no buffer the size of the run.
        run.par_sort_unstable_by(link_order);
        runs.push(Run::new(&run, chunk, aside));
    }
    drop(blocks);
    let heap = runs
        .iter_mut()
        .enumerate()
        .filter_map(|(run, r)| r.next().map(|link| Head { link, run }))
        .collect();
    Merge { runs, heap }
}

/// Story of each report: the index of the story's first report. Reports without a
/// profile are stories of their own.
///
/// The links are set aside in `aside` while they wait to be agglomerated, if given.
pub fn stories(profiles: &Profiles, threshold: f64, aside: Option<&dyn Aside>) -> Vec<u32> {
    stories_in(profiles, threshold, (LINK_BATCH, CHUNK, HANDOVER), aside)
}

/// [`stories`], with links found `batch` reports at a time, kept in chunks of `chunk`
/// and handed to the agglomeration `handover` at a time (tests make all three small, to
/// have many runs, chunk boundaries and blocks).
fn stories_in(
    profiles: &Profiles,
    threshold: f64,
    (batch, chunk, handover): (usize, usize, usize),
    aside: Option<&dyn Aside>,
) -> Vec<u32> {
    // Terms are dense ids: plain arrays, not hash maps.
    let terms = profiles
        .terms
        .iter()
        .map(|&t| t as usize + 1)
        .max()
        .unwrap_or(0);
    let pairs = link_pairs(profiles, terms, threshold, batch, chunk, aside);
    if rayon::current_num_threads() == 1 {
        return agglomerate(pairs, profiles, threshold);
    }
    // The agglomeration reads the links one at a time, in order, on one thread. The
    // merge that puts them in order (a heap over the runs' heads, the runs read back
    // from disk) is a fifth of that work, so it runs beside it, on a thread of its own,
    // handing the links over in blocks: with two cores the other one was idle.
    std::thread::scope(|scope| {
        let (blocks, handed) = std::sync::mpsc::sync_channel::<Vec<(u32, u32)>>(HANDED_AHEAD);
        scope.spawn(move || {
            let mut pairs = pairs;
            loop {
                let block: Vec<(u32, u32)> = pairs.by_ref().take(handover.max(1)).collect();
                // An empty block is the end; a closed channel, an agglomeration that
                // stopped (it panicked: the scope passes that on).
                if block.is_empty() || blocks.send(block).is_err() {
                    break;
                }
            }
        });
        agglomerate(handed.into_iter().flatten(), profiles, threshold)
    })
}

/// Links handed from the merge to the agglomeration at a time (see [`stories_in`]).
const HANDOVER: usize = 4096;
/// Blocks of links the merge may be ahead of the agglomeration by.
const HANDED_AHEAD: usize = 8;

/// Story of each report (the index of its story's first report), from every link in
/// [`link_order`]: each link joins its two groups if their centroids' cosine reaches
/// `threshold`.
fn agglomerate(
    pairs: impl Iterator<Item = (u32, u32)>,
    profiles: &Profiles,
    threshold: f64,
) -> Vec<u32> {
    let n = profiles.len();
    let mut parent: Vec<u32> = (0..n as u32).collect();
    // A group's centroid; `None` while the group is one report (its profile): cloning
    // every profile up front doubled the stage's memory (a few KB per report). Copied
    // into a box of its size: `sum_heaviest`'s vector has room for both inputs, up to
    // twice what it keeps (shrinking it may keep the block: mimalloc's realloc does when
    // the new size is at least half).
    let mut centroid: Vec<Option<Centroid>> = vec![None; n];
    fn find(p: &mut [u32], mut x: u32) -> u32 {
        while p[x as usize] != x {
            p[x as usize] = p[p[x as usize] as usize];
            x = p[x as usize];
        }
        x
    }
    for (a, b) in pairs {
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        if ra == rb {
            continue;
        }
        let (ca, cb) = (
            group_centroid(ra, &centroid, profiles),
            group_centroid(rb, &centroid, profiles),
        );
        if cosine(&ca, &cb) < threshold {
            continue;
        }
        let merged = crate::sparse::sum_heaviest(&ca, &cb, CENTROID_SIZE);
        let (keep, gone) = if ra < rb { (ra, rb) } else { (rb, ra) };
        parent[gone as usize] = keep;
        centroid[gone as usize] = None;
        centroid[keep as usize] = Some(merged.as_slice().into());
    }
    (0..n as u32).map(|x| find(&mut parent, x)).collect()
}

/// A group's own centroid, boxed at its size.
type Centroid = Box<[(u32, f64)]>;

/// The centroid of a group: its own, or its one report's profile.
enum Group<'a> {
    Centroid(&'a [(u32, f64)]),
    Report(Split<'a>),
}

impl Sparse for Group<'_> {
    fn len(&self) -> usize {
        match self {
            Group::Centroid(c) => c.len(),
            Group::Report(p) => p.len(),
        }
    }

    fn at(&self, k: usize) -> (u32, f64) {
        match self {
            Group::Centroid(c) => c[k],
            Group::Report(p) => p.at(k),
        }
    }
}

/// The centroid of the group rooted at `r`.
fn group_centroid<'a>(
    r: u32,
    centroid: &'a [Option<Centroid>],
    profiles: &'a Profiles,
) -> Group<'a> {
    match &centroid[r as usize] {
        Some(c) => Group::Centroid(c),
        None => Group::Report(profiles.of(r as usize)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// Term counts from words: each distinct word is a term.
    fn counts(reports: &[&str]) -> (Vec<Vec<(u32, u32)>>, usize) {
        let mut ids: HashMap<&str, u32> = HashMap::new();
        let counts = reports
            .iter()
            .map(|r| {
                let mut c: HashMap<u32, u32> = HashMap::new();
                for w in r.split_whitespace() {
                    let next = ids.len() as u32;
                    *c.entry(*ids.entry(w).or_insert(next)).or_default() += 1;
                }
                let mut c: Vec<(u32, u32)> = c.into_iter().collect();
                c.sort_unstable();
                c
            })
            .collect();
        (counts, ids.len())
    }

    /// xorshift64: a seeded generator, the same inputs on every run.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % n.max(1)
        }
    }

    /// Random term counts reaching every branch of the links: stories of shared
    /// vocabulary (links), one of them large (blocks the window cuts), exact copies of
    /// earlier reports (equal scores, ordered by their pairs), common terms, one in more
    /// reports than [`MAX_BLOCK`] (no key), terms of one report (dropped) and empty
    /// reports.
    fn random_counts(seed: u64, reports: usize) -> (Vec<Vec<(u32, u32)>>, usize) {
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        let (common, per_story) = (30u64, 20u64);
        let stories = (reports as u64 / 12).max(1);
        let terms = common + stories * per_story + reports as u64;
        let mut counts: Vec<Vec<(u32, u32)>> = Vec::with_capacity(reports);
        for r in 0..reports {
            match rng.below(16) {
                0 if r > 0 => {
                    let copy = counts[rng.below(r as u64) as usize].clone();
                    counts.push(copy);
                    continue;
                }
                1 => {
                    counts.push(Vec::new());
                    continue;
                }
                // Only the commonest term, in more reports than `MAX_BLOCK` when there
                // are over a thousand: no key, so no links.
                2 => {
                    counts.push(vec![(0, 1 + rng.below(2) as u32)]);
                    continue;
                }
                _ => {}
            }
            // A quarter of the reports tell story 0, whose terms are in more reports
            // than the window.
            let s = if rng.below(4) == 0 {
                0
            } else {
                rng.below(stories)
            };
            let mut c: Vec<(u32, u32)> = Vec::new();
            for _ in 0..2 + rng.below(10) {
                let t = common + s * per_story + rng.below(per_story);
                c.push((t as u32, 1 + rng.below(4) as u32));
            }
            // Term 0 is in most reports, the next few in hundreds.
            for _ in 0..rng.below(5) {
                let spread = 1 + rng.below(common);
                c.push((rng.below(spread) as u32, 1));
            }
            // A term of this report alone.
            c.push(((common + stories * per_story) as u32 + r as u32, 1));
            c.sort_unstable();
            c.dedup_by_key(|x| x.0);
            counts.push(c);
        }
        (counts, terms as usize)
    }

    /// Profiles as plain vectors of (term, weight), straight from the stored arena.
    fn plain(p: &Profiles) -> Vec<Vec<(u32, f64)>> {
        (0..p.len())
            .map(|i| {
                let q = p.of(i);
                q.ids
                    .iter()
                    .copied()
                    .zip(q.weights.iter().map(|&w| w as f64))
                    .collect()
            })
            .collect()
    }

    /// Every link the straightforward way: blocks as a vector each, windows, the merge's
    /// dot product, one vector of all links and one global stable sort (score descending
    /// by `total_cmp`, then the pair).
    fn reference_links(p: &[Vec<(u32, f64)>], threshold: f64) -> Vec<Link> {
        let mut df: HashMap<u32, usize> = HashMap::new();
        for q in p {
            for &(t, _) in q {
                *df.entry(t).or_default() += 1;
            }
        }
        let mut blocks: HashMap<u32, Vec<usize>> = HashMap::new();
        let mut blocks_of: Vec<Vec<(u32, usize)>> = vec![Vec::new(); p.len()];
        for (i, q) in p.iter().enumerate() {
            let mut keys: Vec<u32> = q
                .iter()
                .map(|x| x.0)
                .filter(|t| df[t] <= MAX_BLOCK)
                .collect();
            keys.sort_by_key(|t| (df[t], *t));
            keys.truncate(KEYS);
            for t in keys {
                let b = blocks.entry(t).or_default();
                blocks_of[i].push((t, b.len()));
                b.push(i);
            }
        }
        let mut links = Vec::new();
        for i in 0..p.len() {
            let mut partners: Vec<usize> = Vec::new();
            for &(t, x) in &blocks_of[i] {
                let m = &blocks[&t];
                partners.extend(&m[x + 1..(x + 1 + WINDOW).min(m.len())]);
            }
            partners.sort();
            partners.dedup();
            for j in partners {
                let s = dot(&p[i][..], &p[j][..]);
                if s >= threshold {
                    links.push((s as f32, i as u32, j as u32));
                }
            }
        }
        links.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
        links
    }

    /// The agglomeration over the reference links, with every centroid a plain vector.
    fn reference_stories(p: &[Vec<(u32, f64)>], threshold: f64) -> Vec<u32> {
        let n = p.len();
        let mut parent: Vec<u32> = (0..n as u32).collect();
        let mut centroid: Vec<Vec<(u32, f64)>> = p.to_vec();
        fn find(p: &mut [u32], mut x: u32) -> u32 {
            while p[x as usize] != x {
                x = p[x as usize];
            }
            x
        }
        for (_, a, b) in reference_links(p, threshold) {
            let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
            if ra == rb
                || cosine(&centroid[ra as usize][..], &centroid[rb as usize][..]) < threshold
            {
                continue;
            }
            let merged = crate::sparse::sum_heaviest(
                &centroid[ra as usize][..],
                &centroid[rb as usize][..],
                CENTROID_SIZE,
            );
            let (keep, gone) = if ra < rb { (ra, rb) } else { (rb, ra) };
            parent[gone as usize] = keep;
            centroid[keep as usize] = merged;
        }
        (0..n as u32).map(|x| find(&mut parent, x)).collect()
    }

    /// Batch and chunk sizes: one report a batch and one pair a chunk, small ones that
    /// fall anywhere, and the run's own.
    const SIZES: [(usize, usize); 4] = [(1, 1), (7, 5), (64, 333), (LINK_BATCH, CHUNK)];

    use crate::testing::Shelf;

    #[test]
    fn reports_are_visited_once_each_those_without_keys_last() {
        for seed in 0..6 {
            let (c, t) = random_counts(seed, 200 + 100 * seed as usize);
            let p = profiles(&c, t);
            let terms = p.terms.iter().map(|&t| t as usize + 1).max().unwrap_or(0);
            let blocks = Blocks::new(&p, terms);
            let order = blocks.visiting_order();
            let mut seen = order.clone();
            seen.sort_unstable();
            assert!(seen.iter().copied().eq(0..p.len() as u32), "seed {seed}");
            let keyless = |i: u32| blocks.key_start[i as usize] == blocks.key_start[i as usize + 1];
            let first_keyless = order
                .iter()
                .position(|&i| keyless(i))
                .unwrap_or(order.len());
            assert!(
                first_keyless < order.len(),
                "seed {seed}: a report without keys"
            );
            assert!(
                order[first_keyless..].iter().all(|&i| keyless(i)),
                "seed {seed}"
            );
            // Not report order: reports sharing keys are brought together.
            assert!(order.windows(2).any(|w| w[0] > w[1]), "seed {seed}");
        }
    }

    #[test]
    fn links_come_in_the_order_of_one_global_sort() {
        for seed in 0..12 {
            let (c, t) = random_counts(seed, 300 + 150 * seed as usize);
            let p = profiles(&c, t);
            let want = reference_links(&plain(&p), THRESHOLD);
            // The inputs reach what they are made for: ties broken by the pair, and
            // links from many runs.
            assert!(
                want.windows(2).any(|w| w[0].0 == w[1].0),
                "seed {seed}: no tie"
            );
            assert!(want.len() > 200, "seed {seed}: {} links", want.len());
            let want: Vec<(u32, u32)> = want.iter().map(|&(_, a, b)| (a, b)).collect();
            let terms = p.terms.iter().map(|&t| t as usize + 1).max().unwrap_or(0);
            for (batch, chunk) in SIZES {
                let held: Vec<(u32, u32)> =
                    link_pairs(&p, terms, THRESHOLD, batch, chunk, None).collect();
                assert!(held == want, "seed {seed}, batch {batch}, chunk {chunk}");
                // Set aside and read back a block at a time: the same order.
                let shelf = Shelf::default();
                let aside: Vec<(u32, u32)> =
                    link_pairs(&p, terms, THRESHOLD, batch, chunk, Some(&shelf)).collect();
                assert!(aside == want, "seed {seed}, batch {batch}, chunk {chunk}");
                assert_eq!(
                    shelf.bytes.lock().unwrap().len(),
                    want.len() * LINK_BYTES + 3 * shelf.puts.into_inner()
                );
                // Nowhere to set them aside: held, the same order.
                let full = Shelf {
                    fail_put: true,
                    ..Shelf::default()
                };
                let kept: Vec<(u32, u32)> =
                    link_pairs(&p, terms, THRESHOLD, batch, chunk, Some(&full)).collect();
                assert!(kept == want, "seed {seed}, batch {batch}, chunk {chunk}");
            }
        }
    }

    #[test]
    fn links_lost_on_reading_back_end_their_runs_without_a_panic() {
        let (c, t) = random_counts(3, 600);
        let p = profiles(&c, t);
        let bad = Shelf {
            fail_read: true,
            ..Shelf::default()
        };
        let stories = stories_in(&p, THRESHOLD, (64, 5, 7), Some(&bad));
        // No link could be read: every report is its own story.
        assert_eq!(stories, (0..p.len() as u32).collect::<Vec<_>>());
    }

    #[test]
    fn a_profile_does_not_depend_on_the_order_its_counts_come_in() {
        for seed in 0..4 {
            let (c, t) = random_counts(seed, 500);
            let want = profiles(&c, t);
            // Reversed, and each report's pairs rotated: every order but the sorted one.
            let got = profiles_of(c.len(), t, |r, out| {
                out.extend(c[r].iter().rev());
                let k = r % out.len().max(1);
                out.rotate_left(k);
            });
            assert_eq!(got.start, want.start, "seed {seed}");
            assert_eq!(got.terms, want.terms, "seed {seed}");
            let bits = |p: &Profiles| p.weights.iter().map(|w| w.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&got), bits(&want), "seed {seed}");
            // Made at their size: the count of pairs kept was right.
            assert_eq!(got.terms.capacity(), got.terms.len(), "seed {seed}");
            assert_eq!(got.weights.capacity(), got.weights.len(), "seed {seed}");
        }
    }

    #[test]
    fn stories_are_the_straightforward_agglomeration() {
        for seed in 0..8 {
            let (c, t) = random_counts(seed, 400 + 200 * seed as usize);
            let p = profiles(&c, t);
            let want = reference_stories(&plain(&p), THRESHOLD);
            assert!(
                want.iter()
                    .enumerate()
                    .filter(|&(i, &s)| s as usize != i)
                    .count()
                    > 50,
                "seed {seed}: few reports join a story"
            );
            // Links handed over one, a few and many at a time.
            for ((batch, chunk), handover) in SIZES.into_iter().zip([1, 7, 333, HANDOVER]) {
                let sizes = (batch, chunk, handover);
                assert_eq!(stories_in(&p, THRESHOLD, sizes, None), want, "seed {seed}");
                let shelf = Shelf::default();
                assert_eq!(
                    stories_in(&p, THRESHOLD, sizes, Some(&shelf)),
                    want,
                    "seed {seed}"
                );
            }
            assert_eq!(stories(&p, THRESHOLD, None), want);
            // On one thread the merge and the agglomeration take turns.
            let one = rayon::ThreadPoolBuilder::new()
                .num_threads(1)
                .build()
                .unwrap();
            assert_eq!(one.install(|| stories(&p, THRESHOLD, None)), want);
        }
    }

    #[test]
    fn no_reports_and_no_links() {
        assert!(stories(&profiles(&[], 0), THRESHOLD, None).is_empty());
        let (c, n) = counts(&["a b", "c d", "e f"]);
        assert_eq!(stories(&profiles(&c, n), THRESHOLD, None), [0, 1, 2]);
    }

    #[test]
    fn reports_sharing_a_story_vocabulary_are_one_story_and_an_actor_is_not_enough() {
        let (c, n) = counts(&[
            "kim ankle surgery fracture hospital doctors kim",
            "kim ankle fracture surgery limp",
            "kim sister country running power",
            "kim sister power rumours running",
            "meteorite crater managua",
        ]);
        let s = stories(&profiles(&c, n), THRESHOLD, None);
        assert_eq!(s, [0, 0, 2, 2, 4]);
    }

    #[test]
    fn profiles_are_unit_length_and_drop_terms_of_one_report() {
        let (c, n) = counts(&["a b b c", "a b d"]);
        let p = profiles(&c, n);
        assert_eq!(p.len(), 2);
        for i in 0..p.len() {
            let norm: f64 = p.of(i).weights.iter().map(|&w| w as f64 * w as f64).sum();
            // Unit length in f64, then rounded to f32.
            assert!((norm - 1.0).abs() < 1e-6);
        }
        assert_eq!(p.of(0).ids, [0, 1]);
        assert!(
            p.of(0).weights[1] > p.of(0).weights[0],
            "b recurs in the first report"
        );
    }
}
