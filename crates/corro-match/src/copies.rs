//! Copy families: reports that are copies or syndications of one text.
//!
//! Each report's body is reduced to a MinHash signature over word 5-shingles
//! ([`Signature::of`]) — a few hundred bytes however long the text, so texts need not be
//! kept. Locality-sensitive hashing over the first 64 of its 128 minima (32 bands of 2
//! rows: a pair with Jaccard 0.3 is proposed with probability 0.95, because a trimmed
//! copy has high containment but low Jaccard) proposes candidate pairs; a pair is
//! accepted when its *containment* (shared shingles over the smaller text's), estimated
//! from all 128 minima, reaches [`CONTAINMENT`]. Containment rather than Jaccard because
//! syndication trims endings and adds paragraphs: a trimmed copy is contained in its
//! original.
//!
//! Accepted pairs are joined (union-find): at once when the estimate is [`STRONG`], else
//! only when the two families' first reports are copies of each other too — a family is
//! the copies of one text, not a chain of texts each sharing much with the next, and a
//! pair just over the threshold by the estimate's spread needs a second estimate to
//! agree. Each family is named by its earliest report (date, then id). Bucket work is
//! linear: each member is verified against at most [`PEERS`] earlier members of other
//! families, never all pairs.

use rayon::prelude::*;

use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Number of minima in a signature.
pub const HASHES: usize = 128;
/// The minima that band a report (the first ones): 32 bands of 2 rows, as when a
/// signature had only these 64. The other minima only sharpen the estimate of a pair
/// the bands propose.
const BANDED: usize = 64;
const BANDS: usize = 32;
const ROWS: usize = BANDED / BANDS;
const SHINGLE: usize = 5;
/// Bands whose keys are made at once (see `families`).
const KEYED: usize = 8;
const _: () = assert!(
    BANDS.is_multiple_of(KEYED),
    "bands are keyed KEYED at a time"
);
/// How many earlier bucket members (of other families) each report is verified against.
pub const PEERS: usize = 8;
/// Estimated containment at or above which two texts are one copy family.
pub const CONTAINMENT: f64 = 0.7;
/// Estimated containment at or above which a pair joins its two families outright; a
/// pair between this and [`CONTAINMENT`] joins them only if their first reports are
/// copies too. The estimate's spread (about ±0.045) puts texts that share 0.55–0.65 —
/// independent reports repeating stock background — above 0.7 now and then, but not
/// above 0.85; and a copy that joins a family through a longer text it is part of (a
/// trimmed copy, and the full original listed after it) is well above 0.85.
pub const STRONG: f64 = 0.85;

/// A MinHash sketch of one report's text: 128 minima of 16 bits each.
///
/// 128 minima, not 64: with 64 the estimate's spread (about ±0.06 at containment 0.55)
/// let independent reports that share stock background paragraphs — true containment
/// 0.5–0.6 — reach the 0.7 threshold often enough that 7% of the pairs joined into
/// families on a generated corpus were false (`corro eval copies`). 16 bits a minimum,
/// not 32, keep the sketch at 256 bytes (it is held for every report from extraction to
/// the copy families): two different minima share their low 16 bits with probability
/// 2^-16, about one minimum in 500 pairs of signatures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    pub mins: [u16; HASHES],
    /// Number of distinct shingles (needed to turn Jaccard into containment).
    pub shingles: u32,
}

impl Signature {
    /// Sketches a text: lower-cased words, 5-word shingles, 128 seeded 32-bit minima
    /// kept as their low 16 bits.
    ///
    /// This runs once per report in the extraction threads and is written for speed:
    /// words are found on bytes (chars decoded only outside ASCII), and the shingle folds
    /// and the 128 × shingles hash evaluations are plain loops over arrays that the
    /// compiler vectorises (with AVX2 when the CPU has it: eight 32-bit lanes, whose
    /// multiplications AVX2 has, where 64-bit ones it has not). The values are exactly
    /// those of the straightforward definition (`mins[k] = min over shingles s of
    /// mix32(fold32(s) ^ SEEDS[k])`); a test checks it.
    pub fn of(text: &str) -> Signature {
        let words = word_hashes(text);
        let mut shingles: Vec<u64> = if words.len() < SHINGLE {
            if words.is_empty() {
                Vec::new()
            } else {
                vec![fold(&words)]
            }
        } else {
            simd::shingle_folds(&words)
        };
        shingles.sort_unstable();
        shingles.dedup();
        // mix32(s ^ seed) starts with x ^= x >> 16, which distributes over the xor: do
        // the shingle's half here once and the seed's half in PRE_SEEDS.
        let pre: Vec<u32> = shingles
            .iter()
            .map(|&s| {
                let s = fold32(s);
                s ^ (s >> 16)
            })
            .collect();
        let mut mins = [u32::MAX; HASHES];
        simd::min_hashes(&pre, &mut mins);
        Signature {
            mins: mins.map(|m| m as u16),
            shingles: shingles.len() as u32,
        }
    }

    /// Estimated Jaccard similarity of the two shingle sets.
    pub fn jaccard(&self, other: &Signature) -> f64 {
        if self.shingles == 0 || other.shingles == 0 {
            return 0.0;
        }
        self.same_minima(other) as f64 / HASHES as f64
    }

    /// Estimated containment of the smaller set in the larger.
    pub fn containment(&self, other: &Signature) -> f64 {
        containment_of(self.same_minima(other), self.shingles, other.shingles)
    }

    /// How many of the two signatures' minima are equal.
    fn same_minima(&self, other: &Signature) -> usize {
        self.mins
            .iter()
            .zip(&other.mins)
            .filter(|(a, b)| a == b)
            .count()
    }
}

/// Estimated containment of the smaller of two shingle sets (`a`, `b` shingles) in the
/// larger, from how many of their minima are equal. It grows with `same`: a bound on
/// `same` bounds it (what [`Prints`] relies on).
fn containment_of(same: usize, a: u32, b: u32) -> f64 {
    if a == 0 || b == 0 {
        return 0.0;
    }
    let j = same as f64 / HASHES as f64;
    let (a, b) = (a as f64, b as f64);
    (j * (a + b) / ((1.0 + j) * a.min(b))).min(1.0)
}

/// The low four bits of each minimum of a signature: one cache line where the
/// signature is five. Equal minima have equal nibbles, so the nibbles that agree bound
/// the minima that do from above, and a pair whose bound falls short of
/// [`CONTAINMENT`] is rejected without reading either signature. Most pairs a bucket
/// proposes are of one story but not copies, and reading two whole signatures,
/// scattered in memory, for each was most of the copy stage's time on a large corpus
/// (and what made it grow faster than the corpus).
#[derive(Clone, Copy)]
#[repr(C, align(64))]
struct Prints([u8; HASHES / 2]);

impl Prints {
    fn of(sig: &Signature) -> Prints {
        Prints(std::array::from_fn(|i| {
            (sig.mins[2 * i] & 0xf) as u8 | ((sig.mins[2 * i + 1] & 0xf) as u8) << 4
        }))
    }

    /// At least as many as the minima the two signatures share: the nibbles that agree,
    /// counted sixteen at a time (a nibble of `x = a ^ b` is zero where they agree;
    /// adding 7 to its low three bits, or-ed with it, sets its high bit exactly when it
    /// is not zero).
    fn agreeing(&self, other: &Prints) -> usize {
        const LOW: u64 = 0x7777_7777_7777_7777;
        let mut differ = 0;
        for (a, b) in self.0.chunks_exact(8).zip(other.0.chunks_exact(8)) {
            let a = u64::from_le_bytes(a.try_into().expect("eight bytes"));
            let b = u64::from_le_bytes(b.try_into().expect("eight bytes"));
            let x = a ^ b;
            differ += ((((x & LOW) + LOW) | x) & !LOW).count_ones() as usize;
        }
        HASHES - differ
    }
}

/// The hash of each word (a run of alphanumeric chars), lower-cased. Same words, and
/// same hashes, as `text.split(|c: char| !c.is_alphanumeric())` with empty pieces dropped.
fn word_hashes(text: &str) -> Vec<u64> {
    let bytes = text.as_bytes();
    let n = bytes.len();
    // The first char at byte `i` (not ASCII) and whether it is alphanumeric.
    let decode = |i: usize| {
        let c = text[i..].chars().next().unwrap_or(' ');
        (c.len_utf8(), c.is_alphanumeric())
    };
    let mut words = Vec::with_capacity(n / 6);
    let mut lower = Vec::new();
    let mut i = 0;
    while i < n {
        // Between words.
        let b = bytes[i];
        if b < 0x80 {
            if !b.is_ascii_alphanumeric() {
                i += 1;
                continue;
            }
        } else {
            let (len, alnum) = decode(i);
            if !alnum {
                i += len;
                continue;
            }
        }
        // A word: ASCII letters and digits in a tight loop, noting capitals.
        let start = i;
        let (mut upper, mut ascii) = (false, true);
        while i < n {
            let b = bytes[i];
            if b.is_ascii_lowercase() || b.is_ascii_digit() {
                i += 1;
            } else if b.is_ascii_uppercase() {
                upper = true;
                i += 1;
            } else if b < 0x80 {
                break;
            } else {
                let (len, alnum) = decode(i);
                if !alnum {
                    break;
                }
                ascii = false;
                i += len;
            }
        }
        let w = &bytes[start..i];
        // Lower-cased first if it has an ASCII capital (a word whose only capitals are
        // outside ASCII is hashed as written, as it always was).
        words.push(if !upper {
            xxh3_64_with_seed(w, 0)
        } else if ascii {
            lower.clear();
            lower.extend(w.iter().map(u8::to_ascii_lowercase));
            xxh3_64_with_seed(&lower, 0)
        } else {
            xxh3_64_with_seed(text[start..i].to_lowercase().as_bytes(), 0)
        });
    }
    words
}

/// The two vectorisable loops of [`Signature::of`], compiled twice: for the baseline
/// target and, chosen at run time, for AVX2 (the release build targets plain x86-64,
/// whose SSE2 vectors gain little here).
mod simd {
    use super::{mix, HASHES, PRE_SEEDS, SHINGLE};

    /// `fold` of every window of SHINGLE words, one word position at a time so that
    /// the windows are independent lanes.
    #[inline(always)]
    fn shingle_folds_body(words: &[u64]) -> Vec<u64> {
        let n = words.len() + 1 - SHINGLE;
        let mut acc = vec![0x9E37_79B9_7F4A_7C15u64; n];
        for j in 0..SHINGLE {
            for (a, &w) in acc.iter_mut().zip(&words[j..j + n]) {
                *a = mix(*a ^ w);
            }
        }
        acc
    }

    /// `mins[k] = min over s of mix32(s ^ SEEDS[k])`, with `pre` holding each shingle
    /// with mix32's first xor-shift applied (see [`super::PRE_SEEDS`]). Hash by hash, so
    /// each minimum stays in a register while the shingles stream past.
    #[inline(always)]
    fn min_hashes_body(pre: &[u32], mins: &mut [u32; HASHES]) {
        for (m, &p) in mins.iter_mut().zip(PRE_SEEDS.iter()) {
            let mut low = u32::MAX;
            for &a in pre {
                let mut x = a ^ p;
                x = x.wrapping_mul(0x85eb_ca6b);
                x ^= x >> 13;
                x = x.wrapping_mul(0xc2b2_ae35);
                x ^= x >> 16;
                low = low.min(x);
            }
            *m = low;
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn shingle_folds_avx2(words: &[u64]) -> Vec<u64> {
        shingle_folds_body(words)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn min_hashes_avx2(pre: &[u32], mins: &mut [u32; HASHES]) {
        min_hashes_body(pre, mins)
    }

    pub(super) fn shingle_folds(words: &[u64]) -> Vec<u64> {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2, checked just above.
            return unsafe { shingle_folds_avx2(words) };
        }
        shingle_folds_body(words)
    }

    pub(super) fn min_hashes(pre: &[u32], mins: &mut [u32; HASHES]) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2, checked just above.
            return unsafe { min_hashes_avx2(pre, mins) };
        }
        min_hashes_body(pre, mins)
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

/// A shingle's 64-bit fold as the 32 bits the minima hash: both halves, so that no
/// bit of the fold is dropped.
fn fold32(s: u64) -> u32 {
    (s ^ (s >> 32)) as u32
}

/// MurmurHash3's 32-bit finaliser: every input bit moves every output bit.
#[cfg(test)]
fn mix32(mut x: u32) -> u32 {
    x ^= x >> 16;
    x = x.wrapping_mul(0x85eb_ca6b);
    x ^= x >> 13;
    x = x.wrapping_mul(0xc2b2_ae35);
    x ^ (x >> 16)
}

const SEEDS: [u32; HASHES] = {
    let mut s = [0u32; HASHES];
    let mut i = 0;
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    while i < HASHES {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        s[i] = (x >> 32) as u32;
        i += 1;
    }
    s
};

/// SEEDS with mix32's first step applied: for x = s ^ seed,
/// x ^ (x >> 16) = (s ^ (s >> 16)) ^ (seed ^ (seed >> 16)).
const PRE_SEEDS: [u32; HASHES] = {
    let mut p = [0u32; HASHES];
    let mut i = 0;
    while i < HASHES {
        p[i] = SEEDS[i] ^ (SEEDS[i] >> 16);
        i += 1;
    }
    p
};

/// Groups reports into copy families. `order` ranks reports (earliest first) and names
/// each family by its first member. Returns, per report, the index of its family's root.
pub fn families(sigs: &[Option<&Signature>], order: &[usize]) -> Vec<usize> {
    let n = sigs.len();
    // Reports are worked on by their position in `order`: a family's root is then its
    // smallest position, and the arrays read for each proposed pair (the union-find's,
    // the prints and sizes) are read in the order reports were published, where a
    // story's reports, which fill most buckets, lie near each other.
    let mut parent: Vec<u32> = (0..n as u32).collect();
    // The bytes and sizes that rule out most pairs, as arrays of their own (see `Prints`).
    let prints: Vec<Prints> = order
        .par_iter()
        .map(|&r| sigs[r].map_or(Prints([0; HASHES / 2]), Prints::of))
        .collect();
    let sizes: Vec<u32> = order
        .iter()
        .map(|&r| sigs[r].map_or(0, |s| s.shingles))
        .collect();
    // Each band's buckets as one sorted list of (key, position in `order`) rather than a
    // map of vectors: 32 bands make millions of buckets on a large corpus, nearly all of
    // one report, and a vector each was most of this stage's time and memory. Sorted,
    // each bucket is a run, its members in `order`, and the buckets in key order. One
    // band at a time, in band order, is the order of one list sorted by (band, key):
    // the list of every band at once was 16 bytes × 32 bands a report (205 MB for
    // 400,000 reports, the run's peak as it was sorted).
    let mut entries: Vec<(u64, u32)> = Vec::new();
    // The bands' keys, KEYED bands at a time, each report's in one array: read band by
    // band from the signatures, every band touched every signature, scattered in memory.
    let mut keyed: Vec<(u32, [u64; KEYED])> = Vec::new();
    for b in 0..BANDS {
        if b.is_multiple_of(KEYED) {
            keyed.clear();
            keyed.par_extend(order.par_iter().enumerate().filter_map(|(pos, &r)| {
                // Too short to call anything a copy: no bands.
                let sig = sigs[r].filter(|sig| sig.shingles >= 8)?;
                let keys = std::array::from_fn(|k| {
                    let b = b + k;
                    let band = &sig.mins[b * ROWS..(b + 1) * ROWS];
                    band.iter()
                        .fold(b as u64, |acc, &h| mix(acc ^ u64::from(h)))
                });
                Some((pos as u32, keys))
            }));
        }
        entries.clear();
        entries.par_extend(keyed.par_iter().map(|(pos, keys)| (keys[b % KEYED], *pos)));
        entries.par_sort_unstable();
        for bucket in entries.chunk_by(|x, y| x.0 == y.0) {
            if bucket.len() < 2 {
                continue;
            }
            for (x, &(_, p)) in bucket.iter().enumerate() {
                // Compare with earlier members of other families, at most PEERS of them:
                // an unrelated text at the head of a bucket must not hide the copies
                // behind it.
                let mut tried = 0;
                for &(_, earlier) in bucket[..x].iter().rev() {
                    if tried == PEERS {
                        break;
                    }
                    if find(&mut parent, p) == find(&mut parent, earlier) {
                        continue;
                    }
                    tried += 1;
                    let (e, q) = (earlier as usize, p as usize);
                    let bound = prints[e].agreeing(&prints[q]);
                    if containment_of(bound, sizes[e], sizes[q]) < CONTAINMENT {
                        continue;
                    }
                    let (Some(a), Some(b)) = (sigs[order[e]], sigs[order[q]]) else {
                        continue;
                    };
                    let c = a.containment(b);
                    if c >= STRONG
                        || c >= CONTAINMENT
                            && roots_are_copies(&mut parent, sigs, order, earlier, p)
                    {
                        union(&mut parent, earlier, p);
                    }
                }
            }
        }
    }
    let mut family = vec![0; n];
    for (pos, &r) in order.iter().enumerate() {
        family[r] = order[find(&mut parent, pos as u32) as usize];
    }
    family
}

/// How much of its text a copy shares with its family's first report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Share {
    /// The estimated containment (of the shorter text in the longer), in whole percent.
    pub percent: u8,
    /// Whether the estimate reaches [`CONTAINMENT`]: the report is a copy of the first
    /// report itself, not only of other copies in its family. (Decided on the estimate,
    /// not on the rounded percent.)
    pub of_first: bool,
}

/// Each copy's [`Share`] of its family's first report; `None` for a family's first
/// report and for reports without a signature. The figure an analyst reads beside "copy
/// of" in evidence.csv, to see why a report counts as no origin of its own.
pub fn shares(sigs: &[Option<&Signature>], family: &[usize]) -> Vec<Option<Share>> {
    family
        .iter()
        .enumerate()
        .map(|(r, &root)| {
            if root == r {
                return None;
            }
            let c = sigs[r]?.containment(sigs[root]?);
            Some(Share {
                percent: (c * 100.0).round() as u8,
                of_first: c >= CONTAINMENT,
            })
        })
        .collect()
}

/// Whether the first reports of the families of `a` and `b` (by position) are copies
/// of each other too: below [`STRONG`], two families join only then, so that a family
/// is the copies of one text and not a chain of texts each sharing much with the next
/// (the first and the last may share little).
fn roots_are_copies(
    parent: &mut [u32],
    sigs: &[Option<&Signature>],
    order: &[usize],
    a: u32,
    b: u32,
) -> bool {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if (ra, rb) == (a, b) {
        return true;
    }
    match (sigs[order[ra as usize]], sigs[order[rb as usize]]) {
        (Some(x), Some(y)) => x.containment(y) >= CONTAINMENT,
        _ => false,
    }
}

fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        parent[x as usize] = parent[parent[x as usize] as usize];
        x = parent[x as usize];
    }
    x
}

/// Joins two families (reports by position); the root is the earlier report, so family
/// names are stable.
fn union(parent: &mut [u32], a: u32, b: u32) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra == rb {
        return;
    }
    if ra <= rb {
        parent[rb as usize] = ra;
    } else {
        parent[ra as usize] = rb;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition `Signature::of` must keep to, written plainly.
    fn reference(text: &str) -> Signature {
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
            words.first().map(|_| fold(&words)).into_iter().collect()
        } else {
            words.windows(SHINGLE).map(fold).collect()
        };
        shingles.sort_unstable();
        shingles.dedup();
        let mut mins = [u32::MAX; HASHES];
        for &s in &shingles {
            for (k, m) in mins.iter_mut().enumerate() {
                *m = (*m).min(mix32(fold32(s) ^ SEEDS[k]));
            }
        }
        Signature {
            mins: mins.map(|m| m as u16),
            shingles: shingles.len() as u32,
        }
    }

    #[test]
    fn signature_is_the_plain_minhash() {
        let long = "Valdoria denied on Tuesday that it pays any fighters in Kestria, \
                    calling the reports baseless. About 800 Harrow Brigade fighters were \
                    sent, the ministry said. "
            .repeat(7);
        for text in [
            "",
            "one",
            "Four words only here",
            "exactly five words in it",
            "İstanbul ÇAĞ Straße ΣΑΣ ΟΔΟΣ Ünïcödé ÀB cd École école DŽ dž ẞ x² ① ٣",
            "Baku’s “denial”, U.S. — $1,500 a month; 3-month contracts.",
            long.as_str(),
        ] {
            assert_eq!(Signature::of(text), reference(text), "{text:?}");
        }
    }

    proptest::proptest! {
        /// Any text, words of any script and case among any separators: the fast
        /// signature is the plain definition's. (Mixes the fixed cases above cannot:
        /// words cut by multi-byte separators, capitals outside ASCII next to ASCII.)
        #[test]
        fn any_text_signs_as_the_definition_says(
            text in "([a-zA-Z0-9]{1,8}|[İÇĞŞÖÜßẞΣσςÀàÉéДдЖж٣①x²]{1,3}|[ ,.;:'’“”—\\-]{1,3}|\\PC){0,80}"
        ) {
            proptest::prop_assert_eq!(Signature::of(&text), reference(&text));
        }
    }

    /// Families the plain way: every band's bucket entries in one list sorted by (band,
    /// key, position), buckets visited in that order.
    fn reference_families(sigs: &[Option<&Signature>], order: &[usize]) -> Vec<usize> {
        fn find(parent: &mut [usize], mut x: usize) -> usize {
            while parent[x] != x {
                x = parent[x];
            }
            x
        }
        fn union(parent: &mut [usize], rank: &[usize], a: usize, b: usize) {
            let (ra, rb) = (find(parent, a), find(parent, b));
            if rank[ra] <= rank[rb] {
                parent[rb] = ra;
            } else {
                parent[ra] = rb;
            }
        }
        let n = sigs.len();
        let mut parent: Vec<usize> = (0..n).collect();
        let mut rank = vec![0usize; n];
        for (pos, &r) in order.iter().enumerate() {
            rank[r] = pos;
        }
        let mut entries: Vec<(u8, u64, u32)> = Vec::new();
        for (pos, &r) in order.iter().enumerate() {
            if let Some(sig) = sigs[r].filter(|s| s.shingles >= 8) {
                for b in 0..BANDS {
                    let band = &sig.mins[b * ROWS..(b + 1) * ROWS];
                    let key = band
                        .iter()
                        .fold(b as u64, |acc, &h| mix(acc ^ u64::from(h)));
                    entries.push((b as u8, key, pos as u32));
                }
            }
        }
        entries.sort();
        for bucket in entries.chunk_by(|x, y| (x.0, x.1) == (y.0, y.1)) {
            let members: Vec<usize> = bucket.iter().map(|e| order[e.2 as usize]).collect();
            for (x, &r) in members.iter().enumerate() {
                let mut tried = 0;
                for &earlier in members[..x].iter().rev() {
                    if tried == PEERS {
                        break;
                    }
                    if find(&mut parent, r) == find(&mut parent, earlier) {
                        continue;
                    }
                    tried += 1;
                    // Below STRONG, the first reports of the two families must be
                    // copies too.
                    let (ra, rb) = (find(&mut parent, earlier), find(&mut parent, r));
                    let roots = (ra, rb) == (earlier, r)
                        || sigs[ra].unwrap().containment(sigs[rb].unwrap()) >= CONTAINMENT;
                    let c = sigs[earlier].unwrap().containment(sigs[r].unwrap());
                    if c >= STRONG || c >= CONTAINMENT && roots {
                        union(&mut parent, &rank, earlier, r);
                    }
                }
            }
        }
        (0..n).map(|r| find(&mut parent, r)).collect()
    }

    #[test]
    fn prints_agree_at_least_where_the_minima_do() {
        // Minima equal, differing in the low nibble only, or differing above it (a false
        // agreement of the prints), in every mix; the count is exact per nibble.
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..2000 {
            let a = Signature {
                mins: std::array::from_fn(|_| next() as u16),
                shingles: 40,
            };
            let mut b = a.clone();
            let (mut same, mut nibbles) = (0, 0);
            for k in 0..HASHES {
                match next() % 4 {
                    0 => b.mins[k] ^= 1 + (next() % 15) as u16,
                    1 => b.mins[k] ^= (1 + (next() % 4095) as u16) << 4,
                    _ => {}
                }
                same += usize::from(a.mins[k] == b.mins[k]);
                nibbles += usize::from(a.mins[k] & 0xf == b.mins[k] & 0xf);
            }
            let agreeing = Prints::of(&a).agreeing(&Prints::of(&b));
            assert_eq!(agreeing, nibbles);
            assert!(agreeing >= same);
            assert!(
                containment_of(agreeing, 40, 55) >= a.containment(&Signature { shingles: 55, ..b })
            );
        }
    }

    #[test]
    fn families_found_band_by_band_are_those_of_one_sorted_list() {
        // Texts from a small vocabulary, a third of them copies of an earlier one cut at
        // either end or with words changed, some too short to band, in a shuffled order.
        let vocab: Vec<String> = (0..60).map(|i| format!("w{i}")).collect();
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = |m: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % m as u64) as usize
        };
        let mut texts: Vec<Vec<String>> = Vec::new();
        for i in 0..600 {
            let t = if i > 0 && next(3) == 0 {
                let mut t = texts[next(i)].clone();
                match next(3) {
                    0 => t.truncate(t.len() * 4 / 5),
                    1 => t.drain(..t.len() / 6).for_each(drop),
                    // Words changed here and there: a few bands still agree, most not,
                    // and the containment falls anywhere about the threshold.
                    _ => {
                        for _ in 0..1 + next(1 + t.len() / 12) {
                            let k = next(t.len().max(1));
                            if let Some(w) = t.get_mut(k) {
                                *w = format!("c{}", next(1000));
                            }
                        }
                    }
                }
                t
            } else {
                let len = if next(10) == 0 { 6 } else { 40 + next(80) };
                (0..len).map(|_| vocab[next(vocab.len())].clone()).collect()
            };
            texts.push(t);
        }
        let sigs: Vec<Signature> = texts.iter().map(|t| Signature::of(&t.join(" "))).collect();
        let refs: Vec<Option<&Signature>> = sigs.iter().map(Some).collect();
        let mut order: Vec<usize> = (0..texts.len()).collect();
        for i in (1..order.len()).rev() {
            order.swap(i, next(i + 1));
        }
        let want = reference_families(&refs, &order);
        let joined = (0..want.len()).filter(|&r| want[r] != r).count();
        assert!(joined > 100, "{joined} reports in families");
        assert_eq!(families(&refs, &order), want);
    }
}
