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

use rayon::prelude::*;

use crate::compare;
use crate::sparse::{Sparse, Split};

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
/// terms and weights in two arrays (12 bytes a term rather than a pair's 16, and no
/// vector per report). The story stage is a large run's memory peak.
#[derive(Debug, Clone, Default)]
pub struct Profiles {
    /// Report `i`'s entries are at `start[i]..start[i + 1]`.
    start: Vec<usize>,
    terms: Vec<u32>,
    weights: Vec<f64>,
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
    let mut df = vec![0u32; terms];
    for c in counts {
        for &(t, _) in c {
            df[t as usize] += 1;
        }
    }
    let n = counts.len() as f64 + compare::BACKGROUND;
    let kept: usize = counts
        .par_iter()
        .map(|c| c.iter().filter(|&&(t, _)| df[t as usize] > 1).count())
        .sum();
    let mut out = Profiles {
        start: Vec::with_capacity(counts.len() + 1),
        terms: Vec::with_capacity(kept),
        weights: Vec::with_capacity(kept),
    };
    out.start.push(0);
    for batch in counts.chunks(BATCH) {
        let made: Vec<Vec<(u32, f64)>> = batch
            .par_iter()
            .map(|c| {
                let mut p: Vec<(u32, f64)> = c
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
            out.weights.extend(p.iter().map(|x| x.1));
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
            s += x * w;
        }
    }
    s
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

/// Story of each report: the index of the story's first report. Reports without a
/// profile are stories of their own.
pub fn stories(profiles: &Profiles, threshold: f64) -> Vec<u32> {
    let n = profiles.len();
    // Terms are dense ids: plain arrays, not hash maps.
    let terms = profiles
        .terms
        .iter()
        .map(|&t| t as usize + 1)
        .max()
        .unwrap_or(0);
    let mut df = vec![0u32; terms];
    for &t in &profiles.terms {
        df[t as usize] += 1;
    }
    // Blocks: reports sharing one of their rarest terms.
    let mut block_at: Vec<Option<usize>> = vec![None; terms];
    let mut blocks: Vec<Vec<u32>> = Vec::new();
    let mut blocks_of: Vec<Vec<(u32, u32)>> = vec![Vec::new(); n];
    for (i, own_blocks) in blocks_of.iter_mut().enumerate() {
        let mut keys: Vec<u32> = profiles
            .of(i)
            .ids
            .iter()
            .copied()
            .filter(|&t| (df[t as usize] as usize) <= MAX_BLOCK)
            .collect();
        keys.sort_by_key(|&t| (df[t as usize], t));
        keys.truncate(KEYS);
        for t in keys {
            let b = *block_at[t as usize].get_or_insert_with(|| {
                blocks.push(Vec::new());
                blocks.len() - 1
            });
            own_blocks.push((b as u32, blocks[b].len() as u32));
            blocks[b].push(i as u32);
        }
    }
    // Each report's profile is spread into a dense array once, so its dot product with a
    // partner is one pass over the partner's terms with no branchy merge. The sum runs
    // over the partner's terms in order, adding +0.0 for terms the report lacks, so every
    // value is bit for bit the merge's.
    let mut links: Vec<(f64, u32, u32)> = (0..n)
        .into_par_iter()
        .map_init(
            || (vec![0.0f64; terms], Vec::<u32>::new()),
            |(dense, partners), i| {
                partners.clear();
                for &(b, x) in &blocks_of[i] {
                    let members = &blocks[b as usize];
                    let x = x as usize;
                    let reach = (x + 1 + WINDOW).min(members.len());
                    partners.extend(&members[x + 1..reach]);
                }
                if partners.is_empty() {
                    return Vec::new();
                }
                partners.sort_unstable();
                partners.dedup();
                let own = profiles.of(i);
                for (&t, &w) in own.ids.iter().zip(own.weights) {
                    dense[t as usize] = w;
                }
                let found: Vec<(f64, u32, u32)> = partners
                    .iter()
                    .filter_map(|&j| {
                        // Profiles are unit length: their dot product is their cosine.
                        let s = dense_dot(dense, profiles.of(j as usize));
                        (s >= threshold).then_some((s, i as u32, j))
                    })
                    .collect();
                for &t in own.ids {
                    dense[t as usize] = 0.0;
                }
                found
            },
        )
        .flatten_iter()
        .collect();
    // Each pair is linked once (a report's partners come later in each block, and are
    // de-duplicated), so this is a total order and an unstable sort gives the one result
    // without the stable sort's buffer the size of the links.
    drop((blocks, blocks_of, block_at, df));
    links.par_sort_unstable_by(|x, y| y.0.total_cmp(&x.0).then((x.1, x.2).cmp(&(y.1, y.2))));
    // Only the order is needed from here: the pairs alone are half the size through the
    // agglomeration, while the centroids grow to the stage's (a large run's) peak.
    let pairs: Vec<(u32, u32)> = links.iter().map(|&(_, a, b)| (a, b)).collect();
    drop(links);

    let mut parent: Vec<u32> = (0..n as u32).collect();
    // A group's centroid; `None` while the group is one report (its profile): cloning
    // every profile up front doubled the stage's memory (a few KB per report).
    let mut centroid: Vec<Option<Vec<(u32, f64)>>> = vec![None; n];
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
        centroid[keep as usize] = Some(merged);
    }
    (0..n as u32).map(|x| find(&mut parent, x)).collect()
}

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
    centroid: &'a [Option<Vec<(u32, f64)>>],
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

    #[test]
    fn reports_sharing_a_story_vocabulary_are_one_story_and_an_actor_is_not_enough() {
        let (c, n) = counts(&[
            "kim ankle surgery fracture hospital doctors kim",
            "kim ankle fracture surgery limp",
            "kim sister country running power",
            "kim sister power rumours running",
            "meteorite crater managua",
        ]);
        let s = stories(&profiles(&c, n), THRESHOLD);
        assert_eq!(s, [0, 0, 2, 2, 4]);
    }

    #[test]
    fn profiles_are_unit_length_and_drop_terms_of_one_report() {
        let (c, n) = counts(&["a b b c", "a b d"]);
        let p = profiles(&c, n);
        assert_eq!(p.len(), 2);
        for i in 0..p.len() {
            let norm: f64 = p.of(i).weights.iter().map(|w| w * w).sum();
            assert!((norm - 1.0).abs() < 1e-9);
        }
        assert_eq!(p.of(0).ids, [0, 1]);
        assert!(
            p.of(0).weights[1] > p.of(0).weights[0],
            "b recurs in the first report"
        );
    }
}
