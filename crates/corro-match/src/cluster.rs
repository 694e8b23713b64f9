//! Blocking and clustering.
//!
//! **Forms.** Mentions of one story (see [`crate::story`]) with the same normalised form
//! (kind, unit, rate, value, concepts, and for quantities the speaker) are one node:
//! syndicated copies collapse before any comparison is made. The lead event mentions of
//! one story are one node too, however they are worded: a report's lead states its main
//! claim, and that is what the reports of one story have in common.
//!
//! **Blocking** (which node pairs are compared at all — never all pairs):
//! - event claims: an inverted index over each node's [`RARE_KEYS`] rarest concepts
//!   (those in at most [`MAX_BLOCK`] nodes: a word everyone uses proposes nothing), and
//!   over *pairs* of its [`STRONG_KEYS`] rarest key concepts (entities, counted units,
//!   theatres, predicate classes); each node is compared with the next [`WINDOW`]
//!   members of each of its blocks;
//! - quantity claims: nodes with the same kind, unit and rate, sorted by value, each
//!   compared with the following nodes whose value could agree or be near (at most
//!   [`WINDOW`] of them), plus nodes of the same named speaker (running counts).
//!
//! The window keeps the work per node constant once blocks are full, so time grows
//! linearly with the corpus past a few tens of thousands of reports; 100 rather than
//! 400 gives the same FNC-1 linkage and sample outputs, and a node of a large block
//! still meets its own story's nodes through its other blocks.
//!
//! **Comparison** ([`score`]): nodes of different stories are a link only when at
//! least [`CROSS_STORY`] alike — one claim told in two stories, nearly word for word —
//! so that stories sharing an actor ("Kim Jong-un's ankles", "Kim Jong-un's sister") do
//! not merge through the actor their every sentence names.
//!
//! **Clustering** (deterministic, no chaining). Event claims: centroid agglomeration
//! ([`agglomerate`]) — links from most to least similar merge two clusters only when
//! their centroids are alike, and a member far from its final centroid stands alone,
//! so every member is close to its cluster's core (the centroid), never merely to a
//! neighbour. Quantity claims go through the same agglomeration, but their links are
//! value-aware ([`score`]): a link says the figures fit, the centroid says the context
//! fits the claim as a whole — so a claim can hold a running series or competing
//! figures for one frame without chaining unrelated counts together.

use rustc_hash::FxHashMap;

use rayon::prelude::*;

use crate::compare::{self, ValueLevel};

use crate::claim::Name;

use corro_claims::ClaimKind;

use crate::Value;

/// How many of a node's rarest strong concepts make its blocking keys.
pub const STRONG_KEYS: usize = 6;
/// How many of a node's rarest concepts (seen in 2 to [`MAX_BLOCK`] nodes) are
/// blocking keys on their own.
pub const RARE_KEYS: usize = 8;
/// Event pairs less alike than this are not links at all (clusters are decided by
/// centroids, which need the links to propose merges).
pub const LINK_FLOOR: f64 = 0.25;
/// Two nodes of different stories (see [`crate::story`]) are a link only when at least
/// this alike: a claim told in two stories is told in nearly the same words, while
/// stories about one actor share that actor in every sentence.
pub const CROSS_STORY: f64 = 0.8;
/// Concepts in more nodes than this make no blocks of their own.
pub const MAX_BLOCK: usize = 400;
/// How many following members of a block (or neighbours by value in a quantity group,
/// or following statements of a speaker) each node is compared with.
pub const WINDOW: usize = 100;

/// One distinct normalised form, standing for one or more mentions.
#[derive(Debug, Clone)]
pub struct Node {
    pub kind: ClaimKind,
    pub unit: Option<Name>,
    pub per: Option<Name>,
    pub quantity: Option<Value>,
    /// Named speaker, for running counts.
    pub speaker: Option<Name>,
    /// Interned, sorted concept ids.
    pub concepts: Vec<u32>,
    /// Mentions this node stands for (indices into the caller's list), ascending.
    pub mentions: Vec<u32>,
    /// The story of its reports (see [`crate::story`]).
    pub story: u32,
}

/// A link between two nodes and its similarity, kept for explanations.
#[derive(Debug, Clone, Copy)]
pub struct Link {
    pub a: u32,
    pub b: u32,
    pub sim: f64,
}

/// Similarity of two nodes, whatever its size; `None` when they cannot be one claim
/// (different kind, unit or rate).
pub fn score(a: &Node, b: &Node, concepts: &Concepts) -> Option<f64> {
    if a.kind != b.kind || a.unit != b.unit || a.per != b.per {
        return None;
    }
    Some(score_same_frame(a, b, concepts))
}

/// What a node brings to each of its comparisons, worked out once per node rather than
/// once per pair: its concepts' total weight, and whether it names an entity.
#[derive(Debug, Clone, Copy)]
struct Own {
    weight: f64,
    entity: bool,
}

impl Own {
    fn of(n: &Node, concepts: &Concepts) -> Own {
        Own {
            weight: compare::total_weight(&n.concepts, &concepts.weight),
            entity: n
                .concepts
                .iter()
                .any(|&c| concepts.class[c as usize] == b'e'),
        }
    }

    fn all(nodes: &[Node], concepts: &Concepts) -> Vec<Own> {
        nodes.par_iter().map(|n| Own::of(n, concepts)).collect()
    }
}

/// [`score`] of two nodes already known to share kind, unit and rate.
fn score_same_frame(a: &Node, b: &Node, concepts: &Concepts) -> f64 {
    score_own(
        (a, Own::of(a, concepts)),
        (b, Own::of(b, concepts)),
        concepts,
    )
}

/// [`score_same_frame`] given what each node brings.
fn score_own((a, oa): (&Node, Own), (b, ob): (&Node, Own), concepts: &Concepts) -> f64 {
    match (&a.quantity, &b.quantity) {
        (Some(qa), Some(qb)) => {
            let v = compare::value(qa, qb);
            let (shared, preds, actors) =
                compare::overlap(&a.concepts, &b.concepts, &concepts.weight, &concepts.class);
            let ctx = compare::context_of(shared, oa.weight, ob.weight);
            // Both name actors, and not one in common.
            let disjoint = oa.entity && ob.entity && actors == 0;
            let frame = preds >= 1 && actors >= 2;
            let value = if disjoint {
                0.5 * v.weight()
            } else {
                v.weight()
            };
            let s = 0.5 * value
                + 0.5 * ctx
                + frame_bonus(frame)
                + speaker_bonus(a.speaker, b.speaker, v);
            s.min(1.0)
        }
        _ => compare::context_of(
            compare::shared_weight(&a.concepts, &b.concepts, &concepts.weight),
            oa.weight,
            ob.weight,
        ),
    }
}

/// Similarity of two nodes if it is high enough to be a link.
pub fn similarity(a: &Node, b: &Node, concepts: &Concepts) -> Option<f64> {
    score(a, b, concepts)?;
    link_same_frame(a, b, concepts)
}

/// The similarity of two nodes already known to share kind, unit and rate, if they are
/// a link: it reaches the link floor for their kind of claim and, for nodes of different
/// stories, [`CROSS_STORY`].
fn link_same_frame(a: &Node, b: &Node, concepts: &Concepts) -> Option<f64> {
    link_own(
        (a, Own::of(a, concepts)),
        (b, Own::of(b, concepts)),
        concepts,
    )
}

/// [`link_same_frame`] given what each node brings.
fn link_own((a, oa): (&Node, Own), (b, ob): (&Node, Own), concepts: &Concepts) -> Option<f64> {
    // Most pairs the blocks propose are of different stories, which must be nearly alike
    // to link: some (a tenth of them at 160k reports) are ruled out by their totals
    // alone, before their concept lists are read (the bound is exact: see
    // `score_bound`).
    let cross = a.story != b.story;
    if cross && score_bound((a, oa), (b, ob)) < CROSS_STORY {
        return None;
    }
    let s = score_own((a, oa), (b, ob), concepts);
    if cross && s < CROSS_STORY {
        return None;
    }
    passes(a, s)
}

/// At least [`score_own`] of the pair, in floating point too, from what each node brings
/// and their values but not their concepts: what they share weighs at most the smaller
/// total (weights are not negative, and a partial sum of them, added in the same order,
/// never exceeds the whole), [`compare::context_of`] grows with it, and a quantity pair
/// scores at most its undiminished value, that context, the frame's bonus and the
/// speaker's.
fn score_bound((a, oa): (&Node, Own), (b, ob): (&Node, Own)) -> f64 {
    let ctx = compare::context_of(oa.weight.min(ob.weight), oa.weight, ob.weight);
    match (&a.quantity, &b.quantity) {
        (Some(qa), Some(qb)) => {
            let v = compare::value(qa, qb);
            0.5 * v.weight()
                + 0.5 * ctx
                + frame_bonus(true)
                + speaker_bonus(a.speaker, b.speaker, v)
        }
        _ => ctx,
    }
}

/// What a quantity pair gains for sharing a frame: a predicate and two actors.
fn frame_bonus(frame: bool) -> f64 {
    if frame {
        0.3
    } else {
        0.0
    }
}

/// What a quantity pair gains for being one named speaker's figures that moved: a
/// running count.
fn speaker_bonus(a: Option<Name>, b: Option<Name>, v: ValueLevel) -> f64 {
    if a.is_some() && a == b && v != ValueLevel::Agree {
        0.2
    } else {
        0.0
    }
}

/// `s` if it reaches the link floor for `a`'s kind of claim.
fn passes(a: &Node, s: f64) -> Option<f64> {
    (s >= link_floor(a.quantity.is_some())).then_some(s)
}

/// The score a pair must reach to be a link, by whether its first node is a quantity.
fn link_floor(quantity: bool) -> f64 {
    if quantity {
        compare::QUANTITY_THRESHOLD
    } else {
        LINK_FLOOR
    }
}

/// Per interned concept: its weight, class and whether it drives blocking.
#[derive(Debug, Clone, Default)]
pub struct Concepts {
    pub weight: Vec<f64>,
    pub class: Vec<u8>,
    pub key: Vec<bool>,
}

/// The blocks of a corpus: for every node, where it sits in each block it belongs to, so
/// that its candidate partners can be listed node by node (see [`Blocking::partners`]).
#[cfg_attr(test, derive(Debug, PartialEq))]
struct Blocking {
    /// Event blocks, members ascending.
    blocks: Vec<Vec<u32>>,
    /// Per node: the event blocks it is in.
    blocks_of: Vec<Vec<u32>>,
    /// Quantity groups (same kind, unit, rate): (low, high, node), sorted by low then node.
    groups: Vec<Vec<(f64, f64, u32)>>,
    /// Per node: (group, position in it).
    group_of: Vec<Option<(u32, u32)>>,
    /// Running-count series (same kind, unit, named speaker), members ascending.
    series: Vec<Vec<u32>>,
    /// Per node: (series, position in it).
    series_of: Vec<Option<(u32, u32)>>,
}

/// Nodes whose blocking keys are found at a time (see [`Blocking::build`]).
const KEYS_BATCH: usize = 1 << 16;

/// The blocks an event node joins, as keys: `(concept, u32::MAX)` for each of its
/// [`RARE_KEYS`] rarest concepts seen in 2 to [`MAX_BLOCK`] event nodes, then
/// `(lower, higher)` for each pair of its [`STRONG_KEYS`] rarest strong concepts. Rarest
/// by `df` (event nodes per concept), ties by id. Other nodes join no event block.
fn event_keys(n: &Node, df: &[u32], concepts: &Concepts) -> Vec<(u32, u32)> {
    if n.kind != ClaimKind::Event {
        return Vec::new();
    }
    let by_rarity = |c: &u32| (df[*c as usize], *c);
    let mut rare: Vec<u32> = n
        .concepts
        .iter()
        .copied()
        .filter(|&c| {
            let d = df[c as usize];
            concepts.class[c as usize] != b'k' && d > 1 && d as usize <= MAX_BLOCK
        })
        .collect();
    rare.sort_by_key(by_rarity);
    rare.truncate(RARE_KEYS);
    let mut strong: Vec<u32> = n
        .concepts
        .iter()
        .copied()
        .filter(|&c| concepts.key[c as usize])
        .collect();
    strong.sort_by_key(by_rarity);
    strong.truncate(STRONG_KEYS);
    let mut keys: Vec<(u32, u32)> = rare.iter().map(|&c| (c, u32::MAX)).collect();
    for x in 0..strong.len() {
        for y in x + 1..strong.len() {
            keys.push((strong[x].min(strong[y]), strong[x].max(strong[y])));
        }
    }
    keys
}

impl Blocking {
    fn build(nodes: &[Node], concepts: &Concepts) -> Blocking {
        Blocking::build_in(nodes, concepts, KEYS_BATCH)
    }

    /// [`Blocking::build`], finding the keys of `batch` nodes at a time (tests make it
    /// small, to cross batch boundaries).
    fn build_in(nodes: &[Node], concepts: &Concepts, batch: usize) -> Blocking {
        let batch_size = batch.max(1);
        // Events: single rare concepts, and pairs of a node's rarest key concepts. How
        // many event nodes each concept is in, by id (concept ids are dense).
        let mut df = vec![0u32; concepts.class.len()];
        for n in nodes.iter().filter(|n| n.kind == ClaimKind::Event) {
            for &c in &n.concepts {
                if concepts.class[c as usize] != b'k' {
                    df[c as usize] += 1;
                }
            }
        }
        let mut block_at: FxHashMap<(u32, u32), u32> = FxHashMap::default();
        let mut blocks: Vec<Vec<u32>> = Vec::new();
        let mut blocks_of: Vec<Vec<u32>> = vec![Vec::new(); nodes.len()];
        // Each node's keys are found on all threads, a batch of nodes at a time (so that
        // only a batch's keys are held); the blocks are joined in node order, so every
        // block's members are ascending. (On one thread, with the keys' counts in a
        // hash map, this was a serial half second at 160,000 reports.)
        let mut keys: Vec<Vec<(u32, u32)>> = Vec::new();
        for (b, batch) in nodes.chunks(batch_size).enumerate() {
            batch
                .par_iter()
                .map(|n| event_keys(n, &df, concepts))
                .collect_into_vec(&mut keys);
            for (k, node_keys) in keys.iter().enumerate() {
                let i = b * batch_size + k;
                for &key in node_keys {
                    let at = *block_at.entry(key).or_insert_with(|| {
                        blocks.push(Vec::new());
                        (blocks.len() - 1) as u32
                    });
                    blocks[at as usize].push(i as u32);
                    blocks_of[i].push(at);
                }
            }
        }
        drop((keys, block_at, df));

        // Quantities: same kind, unit and rate, by value; and series of a named speaker.
        let mut group_at: FxHashMap<(ClaimKind, Option<Name>, Option<Name>), usize> =
            FxHashMap::default();
        let mut groups: Vec<Vec<(f64, f64, u32)>> = Vec::new();
        let mut series_at: FxHashMap<(ClaimKind, Option<Name>, Name), usize> = FxHashMap::default();
        let mut series: Vec<Vec<u32>> = Vec::new();
        for (i, n) in nodes.iter().enumerate() {
            let Some(q) = &n.quantity else { continue };
            if let Some((l, h)) = compare::reading(q) {
                let g = *group_at.entry((n.kind, n.unit, n.per)).or_insert_with(|| {
                    groups.push(Vec::new());
                    groups.len() - 1
                });
                groups[g].push((l, h, i as u32));
            }
            if let Some(sp) = &n.speaker {
                let k = *series_at.entry((n.kind, n.unit, *sp)).or_insert_with(|| {
                    series.push(Vec::new());
                    series.len() - 1
                });
                series[k].push(i as u32);
            }
        }
        let mut group_of = vec![None; nodes.len()];
        for (g, members) in groups.iter_mut().enumerate() {
            members.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.2.cmp(&b.2)));
            for (x, m) in members.iter().enumerate() {
                group_of[m.2 as usize] = Some((g as u32, x as u32));
            }
        }
        let mut series_of = vec![None; nodes.len()];
        for (k, members) in series.iter().enumerate() {
            for (x, &m) in members.iter().enumerate() {
                series_of[m as usize] = Some((k as u32, x as u32));
            }
        }
        Blocking {
            blocks,
            blocks_of,
            groups,
            group_of,
            series,
            series_of,
        }
    }

    /// The candidate partners `j > i` of node `i`, ascending and unique: in each block
    /// (and series) the next [`WINDOW`] members; in its quantity group every node
    /// within [`WINDOW`] places of it, on either side, whose value could agree or be
    /// near — looking from the lower-valued node of the two, as the pair was defined.
    fn partners(&self, i: u32, out: &mut Vec<u32>) {
        out.clear();
        let window = |members: &[u32], x: usize, out: &mut Vec<u32>| {
            let reach = (x + 1 + WINDOW).min(members.len());
            out.extend(members[x + 1..reach].iter().copied().filter(|&j| j > i));
        };
        for &b in &self.blocks_of[i as usize] {
            let members = &self.blocks[b as usize];
            let x = members.binary_search(&i).expect("member of its block");
            window(members, x, out);
        }
        if let Some((k, x)) = self.series_of[i as usize] {
            window(&self.series[k as usize], x as usize, out);
        }
        if let Some((g, x)) = self.group_of[i as usize] {
            let members = &self.groups[g as usize];
            let x = x as usize;
            let (lo_x, hi_x, _) = members[x];
            // Forward: the nodes after it that its own window reaches.
            let reach = hi_x * compare::NEAR_RATIO;
            for &(lo_j, _, j) in members[x + 1..].iter().take(WINDOW) {
                if lo_j > reach {
                    break;
                }
                if j > i {
                    out.push(j);
                }
            }
            // Backward: the nodes before it whose window reaches it (values are sorted,
            // so a window reaches every node up to the first one beyond its reach).
            for &(_, hi_y, y) in &members[x.saturating_sub(WINDOW)..x] {
                // "Not beyond its reach", NaN included, exactly as the forward loop
                // breaks only on `lo > reach`.
                let beyond = lo_x.partial_cmp(&(hi_y * compare::NEAR_RATIO))
                    == Some(std::cmp::Ordering::Greater);
                if y > i && !beyond {
                    out.push(y);
                }
            }
        }
        out.sort_unstable();
        out.dedup();
    }
}

/// Candidate pairs (i < j), sorted and unique.
pub fn candidates(nodes: &[Node], concepts: &Concepts) -> Vec<(u32, u32)> {
    let blocking = Blocking::build(nodes, concepts);
    let mut pairs = Vec::new();
    let mut partners = Vec::new();
    for i in 0..nodes.len() as u32 {
        blocking.partners(i, &mut partners);
        pairs.extend(partners.iter().map(|&j| (i, j)));
    }
    pairs
}

/// The links among the candidate pairs: the same links in the same order as
/// `links(nodes, &candidates(nodes, concepts), concepts)`, but computed node by node, so
/// the candidate pairs (hundreds per node, most of them never links) are never all held
/// in memory or sorted at once.
///
/// Most proposed pairs are not links (at 40,000 reports: 12.8 M pairs compared, 1.3 M
/// links), and fetching a partner's node and concept list, from anywhere in memory, is
/// the cost of a comparison. So each pair is first bounded from a small entry per
/// partner, its concepts summarised as 64 bits (`Probe`, `Buckets`): a pair the bound
/// rules out cannot be a link (83% of the pairs at 40,000 reports), and only the rest
/// are compared in full.
pub fn candidate_links(nodes: &[Node], concepts: &Concepts) -> Vec<Link> {
    let blocking = Blocking::build(nodes, concepts);
    let frame = frames(nodes);
    let own = Own::all(nodes, concepts);
    let probes: Vec<Probe> = nodes
        .par_iter()
        .zip(&frame)
        .zip(&own)
        .map(|((n, &frame), own)| Probe::of(n, frame, own))
        .collect();
    (0..nodes.len() as u32)
        .into_par_iter()
        .map_init(
            || (Vec::new(), Buckets::default()),
            |(partners, buckets), a| {
                blocking.partners(a, partners);
                if partners.is_empty() {
                    return Vec::new();
                }
                let pa = &probes[a as usize];
                let na = (&nodes[a as usize], own[a as usize]);
                buckets.fill(na.0, concepts);
                partners
                    .iter()
                    .filter(|&&b| buckets.may_link(pa, &probes[b as usize]))
                    .filter_map(|&b| {
                        let nb = (&nodes[b as usize], own[b as usize]);
                        link_own(na, nb, concepts).map(|sim| Link { a, b, sim })
                    })
                    .collect::<Vec<Link>>()
            },
        )
        .flatten_iter()
        .collect()
}

/// What [`Buckets::may_link`] reads of a node, side by side for all nodes: a pair it
/// rules out is decided from one such entry per partner, without reading the partner's
/// [`Node`] (three cache lines, at a random place) or its concept list.
#[derive(Debug, Clone, Copy)]
struct Probe {
    /// Its [`bucket_mask`].
    mask: u64,
    /// Its concepts' total weight (`Own::weight`).
    weight: f64,
    /// Its value's [`compare::reading`], for a quantity.
    reading: Option<(f64, f64)>,
    story: u32,
    /// Its kind, unit and rate as an id ([`frames`]): nodes of two frames are never
    /// compared.
    frame: u32,
    speaker: Option<Name>,
    quantity: bool,
}

impl Probe {
    fn of(node: &Node, frame: u32, own: &Own) -> Probe {
        Probe {
            mask: bucket_mask(&node.concepts),
            weight: own.weight,
            reading: node.quantity.as_ref().and_then(compare::reading),
            story: node.story,
            frame,
            speaker: node.speaker,
            quantity: node.quantity.is_some(),
        }
    }
}

/// The bucket (0–63) a concept falls in for [`Buckets`]: a multiplicative hash of its
/// id, so that a node's concepts, interned near each other, spread over the word.
#[inline]
fn bucket_of(concept: u32) -> u32 {
    concept.wrapping_mul(0x9E37_79B1) >> 26
}

/// The buckets a node's concepts fall in, one bit each.
fn bucket_mask(concepts: &[u32]) -> u64 {
    concepts.iter().fold(0, |mask, &c| mask | 1 << bucket_of(c))
}

/// One node's concepts summed by bucket: their weight and how many are predicates and
/// how many actors (entities and theatres), as [`compare::overlap`] counts them.
///
/// A concept the node shares with a partner falls in a bucket the partner's
/// [`bucket_mask`] has too, so summing the buckets the two masks share bounds from
/// above what the pair shares — its weight and both counts — without reading the
/// partner's concept list. [`Buckets::may_link`] puts that bound through the pair's
/// score.
struct Buckets {
    /// The node's [`bucket_mask`].
    mask: u64,
    weight: [f64; 64],
    preds: [u32; 64],
    actors: [u32; 64],
}

impl Default for Buckets {
    fn default() -> Buckets {
        Buckets {
            mask: 0,
            weight: [0.0; 64],
            preds: [0; 64],
            actors: [0; 64],
        }
    }
}

/// How much [`Buckets::may_link`] raises its bound on the shared weight, so that
/// rounding cannot make it smaller than the shared weight summed in concept order: both
/// are sums of at most a node's concepts' weights (never negative), whose relative
/// rounding error is below a few hundred times 2⁻⁵³ — far below this.
const BUCKET_MARGIN: f64 = 1e-6;

impl Buckets {
    fn fill(&mut self, node: &Node, concepts: &Concepts) {
        *self = Buckets::default();
        self.mask = bucket_mask(&node.concepts);
        for &c in &node.concepts {
            let b = bucket_of(c) as usize;
            self.weight[b] += concepts.weight[c as usize];
            match concepts.class[c as usize] {
                b'p' => self.preds[b] += 1,
                b'e' | b't' => self.actors[b] += 1,
                _ => {}
            }
        }
    }

    /// False only when the pair cannot be a link: [`link_own`] would return `None` (or
    /// the two are of different frames, never compared).
    ///
    /// The bound is [`score_own`] with what the pair shares replaced by its bucket
    /// bound: [`compare::context_of`] never falls as the shared weight grows (in
    /// floating point too: each of its steps is monotone), the value is taken
    /// undiminished, and the frame's bonus is given unless the counts rule it out. The
    /// bound is held to the same floor as the score: [`CROSS_STORY`] across stories, the
    /// kind's link floor within one.
    fn may_link(&self, a: &Probe, b: &Probe) -> bool {
        if a.frame != b.frame {
            return false;
        }
        let (mut weight, mut preds, mut actors) = (0.0, 0, 0);
        let mut shared = self.mask & b.mask;
        while shared != 0 {
            let i = shared.trailing_zeros() as usize;
            shared &= shared - 1;
            weight += self.weight[i];
            preds += self.preds[i];
            actors += self.actors[i];
        }
        let weight = (weight * (1.0 + BUCKET_MARGIN)).min(a.weight).min(b.weight);
        let ctx = compare::context_of(weight, a.weight, b.weight);
        let bound = if a.quantity && b.quantity {
            let v = compare::value_of_readings(a.reading, b.reading);
            0.5 * v.weight()
                + 0.5 * ctx
                + frame_bonus(preds >= 1 && actors >= 2)
                + speaker_bonus(a.speaker, b.speaker, v)
        } else {
            ctx
        };
        let floor = link_floor(a.quantity);
        let floor = if a.story != b.story {
            floor.max(CROSS_STORY)
        } else {
            floor
        };
        // A NaN bound rules nothing out.
        bound.partial_cmp(&floor) != Some(std::cmp::Ordering::Less)
    }
}

/// Kind, unit and rate of each node as an interned id.
fn frames(nodes: &[Node]) -> Vec<u32> {
    let mut frames: FxHashMap<(ClaimKind, Option<Name>, Option<Name>), u32> = FxHashMap::default();
    nodes
        .iter()
        .map(|n| {
            let next = frames.len() as u32;
            *frames.entry((n.kind, n.unit, n.per)).or_insert(next)
        })
        .collect()
}

/// Links: candidate pairs that pass their comparison, in a deterministic order.
pub fn links(nodes: &[Node], pairs: &[(u32, u32)], concepts: &Concepts) -> Vec<Link> {
    // Kind, unit and rate interned once per node: comparing the strings for every pair
    // was a fifth of the comparison's time.
    let frame = frames(nodes);
    let own = Own::all(nodes, concepts);
    pairs
        .par_iter()
        .filter_map(|&(a, b)| {
            if frame[a as usize] != frame[b as usize] {
                return None;
            }
            let na = (&nodes[a as usize], own[a as usize]);
            let nb = (&nodes[b as usize], own[b as usize]);
            link_own(na, nb, concepts).map(|sim| Link { a, b, sim })
        })
        .collect()
}

/// A cluster's centre: the mean of its members' weighted concept vectors, kept to the
/// [`CENTROID_SIZE`] heaviest concepts so that large clusters stay cheap to compare.
#[derive(Debug, Clone, Default)]
struct Centroid {
    /// (concept, summed weight over member nodes), sorted by concept.
    sums: Vec<(u32, f64)>,
    nodes: f64,
}

/// How many concepts a centroid keeps.
pub const CENTROID_SIZE: usize = 64;
/// A member farther than this from its cluster's centroid is evicted to stand alone.
pub const MEMBER_THRESHOLD: f64 = 0.3;

impl Centroid {
    fn of(node: &Node, weight: &[f64]) -> Centroid {
        Centroid {
            sums: node
                .concepts
                .iter()
                .map(|&c| (c, weight[c as usize]))
                .collect(),
            nodes: 1.0,
        }
    }

    fn merge(&self, other: &Centroid) -> Centroid {
        let sums = crate::sparse::sum_heaviest(&self.sums[..], &other.sums[..], CENTROID_SIZE);
        Centroid {
            sums,
            nodes: self.nodes + other.nodes,
        }
    }

    /// The same measure as [`compare::context`], on mean vectors.
    fn similarity(&self, other: &Centroid) -> f64 {
        let (a, b) = (&self.sums, &other.sums);
        let (na, nb) = (self.nodes, other.nodes);
        let (mut i, mut j) = (0, 0);
        let (mut shared, mut union, mut wa, mut wb) = (0.0, 0.0, 0.0, 0.0);
        while i < a.len() || j < b.len() {
            if j >= b.len() || (i < a.len() && a[i].0 < b[j].0) {
                let x = a[i].1 / na;
                union += x;
                wa += x;
                i += 1;
            } else if i >= a.len() || b[j].0 < a[i].0 {
                let y = b[j].1 / nb;
                union += y;
                wb += y;
                j += 1;
            } else {
                let (x, y) = (a[i].1 / na, b[j].1 / nb);
                shared += x.min(y);
                union += x.max(y);
                wa += x;
                wb += y;
                i += 1;
                j += 1;
            }
        }
        let smaller = wa.min(wb);
        if union <= 0.0 || smaller <= 0.0 {
            return 0.0;
        }
        0.5 * (shared / union + shared / smaller)
    }
}

/// Centroid agglomeration for event claims. Links are taken from most to least similar;
/// the two clusters a link joins merge only if their centroids are at least
/// `threshold` alike. Then every member farther than [`MEMBER_THRESHOLD`] from its
/// cluster's centroid stands alone again. Returns, per node, a representative node of
/// its cluster (the member closest to the centroid). The links are left sorted in the
/// order they were taken.
pub fn agglomerate(nodes: &[Node], links: &mut [Link], weight: &[f64], threshold: f64) -> Vec<u32> {
    let n = nodes.len();
    let mut parent: Vec<u32> = (0..n as u32).collect();
    // A root's centroid, made when the root first takes part in a merge: `None` for a
    // root is its one node's (most nodes never merge, and a centroid for every node
    // in both passes was hundreds of megabytes on a large corpus). `None` for a node
    // that is no root means nothing.
    let mut centroid: Vec<Option<Centroid>> = vec![None; n];
    fn find(p: &mut [u32], mut x: u32) -> u32 {
        while p[x as usize] != x {
            p[x as usize] = p[p[x as usize] as usize];
            x = p[x as usize];
        }
        x
    }
    // Sorted in place, by value: sorting references to them read a link through a
    // pointer for each comparison, scattered once the sort had moved them. No two links
    // join the same pair, so the order is total and an unstable sort gives the one order.
    links.par_sort_unstable_by(|x, y| y.sim.total_cmp(&x.sim).then((x.a, x.b).cmp(&(y.a, y.b))));
    let links: &[Link] = links;
    for l in links {
        let (ra, rb) = (find(&mut parent, l.a), find(&mut parent, l.b));
        if ra == rb {
            continue;
        }
        for r in [ra, rb] {
            if centroid[r as usize].is_none() {
                centroid[r as usize] = Some(Centroid::of(&nodes[r as usize], weight));
            }
        }
        let (ca, cb) = (
            centroid[ra as usize].as_ref().expect("made above"),
            centroid[rb as usize].as_ref().expect("made above"),
        );
        if ca.similarity(cb) < threshold {
            continue;
        }
        let merged = ca.merge(cb);
        let (keep, gone) = if ra < rb { (ra, rb) } else { (rb, ra) };
        parent[gone as usize] = keep;
        centroid[gone as usize] = None;
        centroid[keep as usize] = Some(merged);
    }
    // A node left alone (its links were all proposed before its neighbours' clusters
    // took shape) joins the linked cluster whose final centroid it is closest to.
    let mut roots: Vec<u32> = (0..n as u32).map(|x| find(&mut parent, x)).collect();
    // The merged clusters' centroids (a root without one is a node alone).
    let merged = |r: u32| centroid[r as usize].as_ref().filter(|c| c.nodes > 1.0);
    // Each node's linked neighbours, in link order: flat arrays, not a vector a node.
    let mut start = vec![0usize; n + 1];
    for l in links {
        start[l.a as usize + 1] += 1;
        start[l.b as usize + 1] += 1;
    }
    for x in 0..n {
        start[x + 1] += start[x];
    }
    let mut adj = vec![0u32; start[n]];
    let mut fill = start.clone();
    for l in links {
        adj[fill[l.a as usize]] = l.b;
        fill[l.a as usize] += 1;
        adj[fill[l.b as usize]] = l.a;
        fill[l.b as usize] += 1;
    }
    drop(fill);
    // Every node is weighed on its own against fixed centroids: in parallel.
    let moves: Vec<(usize, u32)> = (0..n)
        .into_par_iter()
        .filter(|&x| merged(roots[x]).is_none())
        .filter_map(|x| {
            let own = Centroid::of(&nodes[x], weight);
            let mut best: Option<(f64, u32)> = None;
            for &y in &adj[start[x]..start[x + 1]] {
                let r = roots[y as usize];
                let Some(c) = merged(r) else {
                    continue;
                };
                let s = own.similarity(c);
                if s >= MEMBER_THRESHOLD
                    && best.is_none_or(|(bs, br)| s > bs || (s == bs && r < br))
                {
                    best = Some((s, r));
                }
            }
            best.map(|(_, r)| (x, r))
        })
        .collect();
    drop((adj, start));
    for (x, r) in moves {
        roots[x] = r;
    }
    // Evict members far from their centroid; pick each cluster's representative.
    let near: Vec<Option<f64>> = (0..n)
        .into_par_iter()
        .map(|x| merged(roots[x]).map(|c| Centroid::of(&nodes[x], weight).similarity(c)))
        .collect();
    let mut best: FxHashMap<u32, (f64, u32)> = FxHashMap::default();
    let mut out = vec![0u32; n];
    for x in 0..n {
        let r = roots[x];
        let Some(s) = near[x] else {
            out[x] = x as u32;
            continue;
        };
        if s < MEMBER_THRESHOLD {
            out[x] = x as u32;
            continue;
        }
        out[x] = r;
        let e = best.entry(r).or_insert((f64::NEG_INFINITY, x as u32));
        if s > e.0 || (s == e.0 && (x as u32) < e.1) {
            *e = (s, x as u32);
        }
    }
    for x in 0..n {
        if let Some(&(_, rep)) = best.get(&out[x]) {
            if out[x] != x as u32 || roots[x] == out[x] {
                out[x] = rep;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claim::Names;

    /// Random nodes from a small world of concepts (every class, weights from zero up,
    /// some tiny), values near and far, a few speakers: the pairs a corpus proposes.
    fn world(seed: u64) -> (Vec<Node>, Concepts) {
        let mut state = seed;
        let mut next = move |m: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % m
        };
        let mut concepts = Concepts::default();
        for c in 0..60 {
            let class = [b'e', b't', b'p', b'w', b'u', b'k'][c % 6];
            concepts.class.push(class);
            concepts.weight.push(match next(4) {
                0 => 0.0,
                1 => 1e-300,
                _ => next(1000) as f64 / 317.0,
            });
            concepts.key.push(class != b'w');
        }
        let names = Names::default();
        let speakers = [names.get("Baku"), names.get("Ankara")];
        let nodes = (0..300)
            .map(|_| {
                let mut cs: Vec<u32> = (0..1 + next(14)).map(|_| next(60) as u32).collect();
                cs.sort_unstable();
                cs.dedup();
                let quantity = (next(3) > 0).then(|| {
                    let low = [10.0, 12.0, 100.0, 1000.0, 1500.0][next(5) as usize];
                    Value {
                        low: Some(low),
                        high: (next(2) == 0).then_some(low * 1.2),
                        approx: false,
                        unit: None,
                        per: None,
                    }
                });
                Node {
                    kind: if quantity.is_some() {
                        ClaimKind::Count
                    } else {
                        ClaimKind::Event
                    },
                    unit: None,
                    per: None,
                    quantity,
                    speaker: (next(3) == 0).then(|| speakers[next(2) as usize]),
                    concepts: cs,
                    mentions: vec![0],
                    story: next(3) as u32,
                }
            })
            .collect();
        (nodes, concepts)
    }

    #[test]
    fn a_pairs_bound_is_never_below_its_score() {
        let mut ruled_out = 0;
        for seed in 1..=4u64 {
            let (nodes, concepts) = world(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
            let own = Own::all(&nodes, &concepts);
            for (a, na) in nodes.iter().enumerate() {
                for (b, nb) in nodes.iter().enumerate() {
                    if na.kind != nb.kind {
                        continue;
                    }
                    let (x, y) = ((na, own[a]), (nb, own[b]));
                    let bound = score_bound(x, y);
                    let score = score_own(x, y, &concepts);
                    assert!(bound >= score, "{bound} < {score}: {na:?} {nb:?}");
                    ruled_out += usize::from(bound < CROSS_STORY);
                }
            }
        }
        // The bound does rule pairs out (else the test would hold for any constant 1).
        assert!(ruled_out > 1000, "{ruled_out}");
    }

    /// The event blocks as their definition states them, one node after the other: a
    /// block per rare concept (seen in 2 to MAX_BLOCK event nodes; a node's RARE_KEYS
    /// rarest) and per pair of a node's STRONG_KEYS rarest strong concepts; rarest by
    /// how many event nodes have it, ties by id; blocks numbered as first met.
    fn event_blocks_one_by_one(nodes: &[Node], concepts: &Concepts) -> Vec<Vec<u32>> {
        let mut df: std::collections::HashMap<u32, u32> = Default::default();
        for n in nodes.iter().filter(|n| n.kind == ClaimKind::Event) {
            for &c in &n.concepts {
                if concepts.class[c as usize] != b'k' {
                    *df.entry(c).or_default() += 1;
                }
            }
        }
        let df = |c: u32| df.get(&c).copied().unwrap_or(0);
        let mut numbered: std::collections::HashMap<(u32, u32), usize> = Default::default();
        let mut blocks: Vec<Vec<u32>> = Vec::new();
        for (i, n) in nodes.iter().enumerate() {
            if n.kind != ClaimKind::Event {
                continue;
            }
            let mut rare: Vec<u32> = n.concepts.clone();
            rare.retain(|&c| {
                concepts.class[c as usize] != b'k' && df(c) > 1 && df(c) as usize <= MAX_BLOCK
            });
            rare.sort_by_key(|&c| (df(c), c));
            let mut strong: Vec<u32> = n.concepts.clone();
            strong.retain(|&c| concepts.key[c as usize]);
            strong.sort_by_key(|&c| (df(c), c));
            let mut keys: Vec<(u32, u32)> = rare
                .iter()
                .take(RARE_KEYS)
                .map(|&c| (c, u32::MAX))
                .collect();
            let strong = &strong[..strong.len().min(STRONG_KEYS)];
            for (x, &a) in strong.iter().enumerate() {
                for &b in &strong[x + 1..] {
                    keys.push((a.min(b), a.max(b)));
                }
            }
            for key in keys {
                let b = *numbered.entry(key).or_insert_with(|| {
                    blocks.push(Vec::new());
                    blocks.len() - 1
                });
                blocks[b].push(i as u32);
            }
        }
        blocks
    }

    #[test]
    fn blocks_are_the_same_whatever_the_batches_of_nodes() {
        for seed in 1..=4u64 {
            let seed = seed.wrapping_mul(0x2545_f491_4f6c_dd1d);
            let (mut nodes, mut concepts) = world(seed);
            // Six worlds' nodes over the same concepts, so that concept 0 (an entity),
            // given to every event node, is in more than MAX_BLOCK of them (no block of
            // its own); and a concept of its own for every tenth node (seen once: none
            // either).
            for s in 1..=5 {
                nodes.extend(world(seed ^ s).0);
            }
            for (k, n) in nodes.iter_mut().enumerate() {
                if n.kind == ClaimKind::Event && n.concepts.first() != Some(&0) {
                    n.concepts.insert(0, 0);
                }
                if k % 10 == 0 {
                    n.concepts.push(concepts.class.len() as u32);
                    concepts.class.push(b'e');
                    concepts.weight.push(1.0);
                    concepts.key.push(false);
                }
            }
            let events = nodes.iter().filter(|n| n.kind == ClaimKind::Event).count();
            assert!(events > MAX_BLOCK, "{events}");
            let whole = Blocking::build(&nodes, &concepts);
            assert_eq!(whole.blocks, event_blocks_one_by_one(&nodes, &concepts));
            assert!(whole.blocks.len() > 100, "{}", whole.blocks.len());
            // Each node is in the blocks that list it, and only those.
            for (i, of) in whole.blocks_of.iter().enumerate() {
                let listing: Vec<u32> = (0..whole.blocks.len() as u32)
                    .filter(|&b| whole.blocks[b as usize].contains(&(i as u32)))
                    .collect();
                let mut of = of.clone();
                of.sort_unstable();
                assert_eq!(of, listing);
            }
            for batch in [1, 7, 64, 1000] {
                assert_eq!(Blocking::build_in(&nodes, &concepts, batch), whole);
            }
        }
    }

    #[test]
    fn the_buckets_rule_out_only_pairs_that_are_not_links() {
        let (mut ruled_out, mut beyond_totals, mut links) = (0, 0, 0);
        for seed in 1..=6u64 {
            let (nodes, concepts) = world(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
            let own = Own::all(&nodes, &concepts);
            let frame = frames(&nodes);
            let probe = |i: usize| Probe::of(&nodes[i], frame[i], &own[i]);
            let mut buckets = Buckets::default();
            for (a, na) in nodes.iter().enumerate() {
                buckets.fill(na, &concepts);
                for (b, nb) in nodes.iter().enumerate() {
                    if na.kind != nb.kind {
                        assert!(!buckets.may_link(&probe(a), &probe(b)));
                        continue;
                    }
                    let (x, y) = ((na, own[a]), (nb, own[b]));
                    let link = link_own(x, y, &concepts);
                    links += usize::from(link.is_some());
                    if !buckets.may_link(&probe(a), &probe(b)) {
                        assert_eq!(link, None, "ruled out a link: {na:?} {nb:?}");
                        ruled_out += 1;
                        let cross = na.story != nb.story;
                        beyond_totals += usize::from(!cross || score_bound(x, y) >= CROSS_STORY);
                    }
                }
            }
        }
        // Pairs are ruled out, links are not all ruled out, and the buckets rule out
        // pairs the totals alone ([`score_bound`]) would have let through.
        assert!(ruled_out > 10_000, "{ruled_out}");
        assert!(links > 1000, "{links}");
        assert!(beyond_totals > 5000, "{beyond_totals}");
    }
}
