//! Copy families: reports that are copies or syndications of one text.
//!
//! Each report's body is reduced to a MinHash signature over word 5-shingles
//! ([`Signature::of`]) — a few hundred bytes however long the text, so texts need not be
//! kept. Locality-sensitive hashing (32 bands of 2 rows: a pair with Jaccard 0.3 is proposed with probability 0.95, because a trimmed copy has high containment but low Jaccard) proposes candidate pairs; a pair
//! is accepted when its estimated *containment* (shared shingles over the smaller text's)
//! reaches [`CONTAINMENT`]. Containment rather than Jaccard because syndication trims
//! endings and adds paragraphs: a trimmed copy is contained in its original.
//!
//! Accepted pairs are joined (union-find); each family is named by its earliest report
//! (date, then id). Bucket work is linear: each member is verified against at most
//! [`PEERS`] earlier members of other families, never all pairs.

use rustc_hash::FxHashMap as HashMap;

use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Number of hash functions in a signature.
pub const HASHES: usize = 64;
const BANDS: usize = 32;
const ROWS: usize = HASHES / BANDS;
const SHINGLE: usize = 5;
/// How many earlier bucket members (of other families) each report is verified against.
pub const PEERS: usize = 8;
/// Estimated containment at or above which two texts are one copy family.
pub const CONTAINMENT: f64 = 0.7;

/// A MinHash sketch of one report's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    pub mins: [u64; HASHES],
    /// Number of distinct shingles (needed to turn Jaccard into containment).
    pub shingles: u32,
}

impl Signature {
    /// Sketches a text: lower-cased words, 5-word shingles, 64 seeded minima.
    pub fn of(text: &str) -> Signature {
        let words: Vec<u64> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| {
                if w.bytes().all(|b| !b.is_ascii_uppercase()) {
                    xxh3_64_with_seed(w.as_bytes(), 0)
                } else {
                    xxh3_64_with_seed(w.to_lowercase().as_bytes(), 0)
                }
            })
            .collect();
        let mut shingles: Vec<u64> = if words.len() < SHINGLE {
            if words.is_empty() {
                Vec::new()
            } else {
                vec![fold(&words)]
            }
        } else {
            words.windows(SHINGLE).map(fold).collect()
        };
        shingles.sort_unstable();
        shingles.dedup();
        let mut mins = [u64::MAX; HASHES];
        for &s in &shingles {
            for (k, m) in mins.iter_mut().enumerate() {
                // A cheap family of hash functions: one multiply-xorshift per seed.
                let h = mix(s ^ SEEDS[k]);
                if h < *m {
                    *m = h;
                }
            }
        }
        Signature {
            mins,
            shingles: shingles.len() as u32,
        }
    }

    /// Estimated Jaccard similarity of the two shingle sets.
    pub fn jaccard(&self, other: &Signature) -> f64 {
        if self.shingles == 0 || other.shingles == 0 {
            return 0.0;
        }
        let same = self
            .mins
            .iter()
            .zip(&other.mins)
            .filter(|(a, b)| a == b)
            .count();
        same as f64 / HASHES as f64
    }

    /// Estimated containment of the smaller set in the larger.
    pub fn containment(&self, other: &Signature) -> f64 {
        let j = self.jaccard(other);
        let (a, b) = (self.shingles as f64, other.shingles as f64);
        if a == 0.0 || b == 0.0 {
            return 0.0;
        }
        (j * (a + b) / ((1.0 + j) * a.min(b))).min(1.0)
    }
}

fn fold(ws: &[u64]) -> u64 {
    ws.iter()
        .fold(0x9E37_79B9_7F4A_7C15u64, |acc, &w| mix(acc ^ w))
}

fn mix(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}

const SEEDS: [u64; HASHES] = {
    let mut s = [0u64; HASHES];
    let mut i = 0;
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    while i < HASHES {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        s[i] = x;
        i += 1;
    }
    s
};

/// Groups reports into copy families. `order` ranks reports (earliest first) and names
/// each family by its first member. Returns, per report, the index of its family's root.
pub fn families(sigs: &[Option<&Signature>], order: &[usize]) -> Vec<usize> {
    let n = sigs.len();
    let mut parent: Vec<usize> = (0..n).collect();
    let mut rank = vec![0usize; n];
    for (pos, &r) in order.iter().enumerate() {
        rank[r] = pos;
    }
    let mut buckets: HashMap<(u8, u64), Vec<usize>> = HashMap::default();
    for &r in order {
        let Some(sig) = sigs[r] else { continue };
        if sig.shingles < 8 {
            continue; // too short to call anything a copy
        }
        for b in 0..BANDS {
            let band = &sig.mins[b * ROWS..(b + 1) * ROWS];
            let key = band.iter().fold(b as u64, |acc, &h| mix(acc ^ h));
            buckets.entry((b as u8, key)).or_default().push(r);
        }
    }
    let mut keys: Vec<_> = buckets.keys().copied().collect();
    keys.sort_unstable();
    for key in keys {
        let members = &buckets[&key];
        for (x, &r) in members.iter().enumerate() {
            // Compare with earlier members of other families, at most PEERS of them: an
            // unrelated text at the head of a bucket must not hide the copies behind it.
            let mut tried = 0;
            for &earlier in members[..x].iter().rev() {
                if tried == PEERS {
                    break;
                }
                if find(&mut parent, r) == find(&mut parent, earlier) {
                    continue;
                }
                tried += 1;
                let (Some(a), Some(b)) = (sigs[earlier], sigs[r]) else {
                    continue;
                };
                if a.containment(b) >= CONTAINMENT {
                    union(&mut parent, &rank, earlier, r);
                }
            }
        }
    }
    (0..n).map(|r| find(&mut parent, r)).collect()
}

fn find(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

/// Joins two families; the root is the earlier report, so family names are stable.
fn union(parent: &mut [usize], rank: &[usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra == rb {
        return;
    }
    if rank[ra] <= rank[rb] {
        parent[rb] = ra;
    } else {
        parent[ra] = rb;
    }
}
