//! Benchmarks of the matcher's heaviest inner stages on synthetic input, for changes
//! too small to see in a whole run on a 2-core machine:
//! `cargo bench -p corro-match --bench stages`.
//!
//! - `stories`: grouping reports by vocabulary (`story::stories`) — candidate links by
//!   dot products of tf·idf profiles, then centroid agglomeration;
//! - `context`: the weighted overlap of two concept lists, the comparison's inner loop;
//! - `links`: candidate links among claim nodes (`cluster::candidate_links`), blocking
//!   and comparison;
//! - `signature`: a report body's copy signature (`copies::Signature::of`), which every
//!   report pays for in extraction.
//!
//! Inputs are made by a fixed generator (no files): reports of a story draw most of
//! their terms from the story's own vocabulary and the rest from a Zipf-like common
//! vocabulary, roughly as `corro gen` reports do.

use corro_match::{compare, copies, story};

fn main() {
    divan::main();
}

/// xorshift64: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// A Zipf-like draw from 0..n: small values much more often.
    fn skewed(&mut self, n: u64) -> u64 {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((n as f64).powf(u) - 1.0) as u64 % n.max(1)
    }
}

/// Per-report (term, count) lists: `reports` reports in stories of 20, each report using
/// ~60 of its story's 150 terms and ~40 common ones out of 20,000.
fn term_counts(reports: usize) -> (Vec<Vec<(u32, u32)>>, usize) {
    let common = 20_000u64;
    let per_story = 150u64;
    let stories = (reports / 20).max(1) as u64;
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let counts = (0..reports)
        .map(|r| {
            let s = r as u64 % stories;
            let mut c: Vec<(u32, u32)> = Vec::new();
            for _ in 0..60 {
                let t = common + s * per_story + rng.below(per_story);
                c.push((t as u32, 1 + rng.below(3) as u32));
            }
            for _ in 0..40 {
                c.push((rng.skewed(common) as u32, 1));
            }
            c.sort_unstable();
            c.dedup_by_key(|x| x.0);
            c
        })
        .collect();
    (counts, (common + stories * per_story) as usize)
}

#[divan::bench(args = [5_000, 20_000], sample_count = 5)]
fn stories(b: divan::Bencher, reports: usize) {
    let (counts, terms) = term_counts(reports);
    let profiles = story::profiles(&counts, terms);
    b.bench(|| story::stories(divan::black_box(&profiles), story::THRESHOLD, None));
}

#[divan::bench(sample_count = 20)]
fn context(b: divan::Bencher) {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let weight: Vec<f64> = (0..5_000).map(|k| 0.2 + (k % 97) as f64 / 50.0).collect();
    let lists: Vec<Vec<u32>> = (0..2_000)
        .map(|_| {
            let mut v: Vec<u32> = (0..24).map(|_| rng.skewed(5_000) as u32).collect();
            v.sort_unstable();
            v.dedup();
            v
        })
        .collect();
    b.bench(|| {
        let mut s = 0.0;
        for w in lists.windows(2) {
            s += compare::context(&w[0], &w[1], &weight);
        }
        s
    });
}

/// 100 report bodies of about 2.4 KB (400 words, a `corro gen` report's size) from a
/// Zipf-like vocabulary of 5,000 words.
#[divan::bench(sample_count = 20)]
fn signature(b: divan::Bencher) {
    let mut rng = Rng(0x5851_f42d_4c95_7f2d);
    let bodies: Vec<String> = (0..100)
        .map(|_| {
            (0..400)
                .map(|_| format!("w{}", rng.skewed(5_000)))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    b.bench(|| {
        bodies
            .iter()
            .map(|t| copies::Signature::of(divan::black_box(t)).shingles)
            .sum::<u32>()
    });
}

/// Candidate links among claim nodes (`cluster::candidate_links`): blocking, then each
/// proposed pair bounded and, if the bound allows a link, compared in full. `nodes`
/// nodes in stories of 40, two thirds of them counts (values from a handful, so that
/// quantity groups are full), each with ~12 concepts: most from its story's 60, the rest
/// from 30,000 common ones — so that, as in a corpus, most proposed pairs are of
/// different stories and few are links.
#[divan::bench(args = [20_000, 80_000], sample_count = 5)]
fn links(b: divan::Bencher, nodes: usize) {
    use corro_match::cluster::{self, Concepts, Node};
    let mut rng = Rng(0x1405_7b7e_f767_814f);
    let common = 30_000u64;
    let per_story = 60u64;
    let stories = (nodes / 40).max(1) as u64;
    let mut concepts = Concepts::default();
    for c in 0..common + stories * per_story {
        let class = [b'e', b't', b'p', b'w', b'w', b'w', b'k'][(c % 7) as usize];
        concepts.class.push(class);
        concepts
            .weight
            .push(compare::rarity(1.0 + rng.below(400) as f64, 1e5));
        // As the matcher keys them: entities, units, theatres and predicates.
        concepts.key.push(matches!(class, b'e' | b't' | b'p'));
    }
    let nodes: Vec<Node> = (0..nodes)
        .map(|k| {
            let s = k as u64 % stories;
            let mut cs: Vec<u32> = (0..8)
                .map(|_| (common + s * per_story + rng.below(per_story)) as u32)
                .collect();
            cs.extend((0..4).map(|_| rng.skewed(common) as u32));
            cs.sort_unstable();
            cs.dedup();
            let quantity = (rng.below(3) > 0).then(|| {
                let low = [10.0, 12.0, 100.0, 150.0, 1000.0, 1500.0][rng.below(6) as usize];
                corro_match::Value {
                    low: Some(low),
                    high: None,
                    approx: rng.below(2) == 0,
                    unit: None,
                    per: None,
                }
            });
            Node {
                kind: if quantity.is_some() {
                    corro_claims::ClaimKind::Count
                } else {
                    corro_claims::ClaimKind::Event
                },
                unit: None,
                per: None,
                quantity,
                speaker: None,
                concepts: cs,
                mentions: vec![k as u32],
                story: s as u32,
            }
        })
        .collect();
    b.bench(|| cluster::candidate_links(divan::black_box(&nodes), &concepts).len());
}
