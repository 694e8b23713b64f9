//! # corro-match: from mentions to corroborated (or denied) claims
//!
//! The matcher runs the named stages of record linkage, each inspectable:
//!
//! 1. **copy families** ([`copies`]): reports that are one text syndicated;
//!    **stories** ([`story`]): reports grouped by the vocabulary they share;
//! 2. **blocking** and **comparison** ([`cluster`], [`compare`]): which mention pairs are
//!    compared, and how alike each is — context, value, speaker;
//! 3. **clustering** ([`cluster::agglomerate`]): mentions of one claim, every member close to
//!    its cluster's core;
//! 4. **origins** ([`origin`]) and **scoring** ([`score`]): independent origins for and
//!    against, a score in [-1, 1], a verdict, and the evidence rows that explain both.
//!
//! ```
//! use corro_match::{analyse, Claim, MentionFacts, Names, ReportFacts, Verdict, Vocabulary};
//! use corro_claims::{testing, Extractor};
//! let lex = testing::lexicons();
//! let ex = Extractor::new(&lex);
//! let mut reports = vec![
//!     ReportFacts { id: "a".into(), outlet: Some("Reuters".into()), ..Default::default() },
//!     ReportFacts { id: "b".into(), outlet: Some("AFP".into()), ..Default::default() },
//! ];
//! let mut mentions = Vec::new();
//! for (r, s) in ["Omer Celik said Turkey sent Syrian fighters to Azerbaijan.",
//!                "Baku denied that Turkey sent Syrian fighters to Azerbaijan."].iter().enumerate() {
//!     for m in ex.extract_sentence(s) { mentions.push((r as u32, m)); }
//! }
//! let (vocab, ids) = Vocabulary::of_mentions(mentions.iter().map(|m| &m.1));
//! let names = Names::default();
//! let claims: Vec<Claim> = mentions.iter().map(|(_, m)| Claim::of(m, &names)).collect();
//! let names = names.finish();
//! let mut facts: Vec<MentionFacts> = mentions.iter().zip(&claims).zip(&ids)
//!     .map(|(((r, _), c), ids)| MentionFacts { report: *r, mention: c, concepts: ids })
//!     .collect();
//! let a = analyse(&mut reports, &mut facts[..], &vocab, &names);
//! assert_eq!(a.clusters.len(), 1);
//! assert_eq!(a.clusters[0].verdict, Verdict::Contested);
//! ```
//!
//! The crate is pure: no files, no formats, no threads of its own beyond rayon's pool.

pub mod claim;
pub mod cluster;
pub mod compare;
pub mod copies;
pub mod origin;
pub mod score;
mod sparse;
pub mod story;
#[cfg(test)]
mod testing;
pub mod vocab;

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

use corro_claims::{ClaimKind, SpeakerKind};
use jiff::civil::Date;

pub use claim::{Claim, Name, NameTable, Names, Source, Value};
pub use copies::Signature;
pub use score::{Cluster, Evidence, Verdict};
pub use vocab::Vocabulary;

/// What the matcher needs to know about a report (its text is not needed).
#[derive(Debug, Clone, Default)]
pub struct ReportFacts {
    pub id: String,
    pub outlet: Option<String>,
    pub relayed_via: Vec<String>,
    pub published: Option<Date>,
    /// MinHash of the body, for copy families; `None` for reports not analysed. Boxed
    /// (a quarter of a kilobyte) so that a report without one, or whose one [`analyse`]
    /// has released, costs a pointer.
    pub signature: Option<Box<Signature>>,
    /// Sentence 0 is the report's headline (preferred as a cluster's label).
    pub headline: bool,
}

/// A mention and the report (index into the reports slice) it is in: the simplest
/// [`Mentions`], for small corpora and tests.
#[derive(Debug, Clone, Copy)]
pub struct MentionFacts<'a> {
    pub report: u32,
    pub mention: &'a Claim,
    /// The mention's concepts as [`Vocabulary`] ids, sorted and unique (the run interns
    /// a mention's concept strings as it reads).
    pub concepts: &'a [u32],
}

/// The corpus's mentions as the matcher reads them, by index: the report each is in,
/// its [`Claim`] and its concepts ([`Vocabulary`] ids, sorted and unique).
///
/// Read in place: the caller keeps its mentions for its outputs, and even a list of
/// references to them ([`MentionFacts`], 32 bytes a mention) was a few hundred megabytes
/// of a large run's peak.
pub trait Mentions: Sync {
    fn len(&self) -> usize;
    fn report(&self, i: usize) -> u32;
    fn claim(&self, i: usize) -> &Claim;

    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Calls `visit(i, concepts of i)` for every mention in order. The matcher reads
    /// concepts no other way, so an implementation may keep them out of memory and read
    /// them from where they are a window at a time. (The run does, from disk: a few
    /// concepts a mention, they were as large as the mentions' rows, and every stage
    /// that read them held them beside its own structures.)
    fn visit_concepts(&self, visit: &mut dyn FnMut(usize, &[u32]));

    /// The matcher reads nothing of the mentions but their number ([`Mentions::len`])
    /// until [`Mentions::bring_back`]: an implementation may move them out of memory
    /// meanwhile. (The run writes its rows to disk: the stages that read none — copy
    /// families, stories, and blocking, comparison and agglomeration, which read the
    /// nodes' own copies — were a large run's peaks with every mention in memory beside
    /// their own structures.) [`Mentions::aside`] stays usable.
    fn set_aside(&mut self) {}

    /// Brings the mentions back before they are read again. (The matcher may end with
    /// them set aside.)
    fn bring_back(&mut self) {}

    /// Where the matcher may set aside what a stage has made and will read once, later,
    /// in order (the story stage's sorted runs of links); `None` keeps everything in
    /// memory.
    fn aside(&self) -> Option<&dyn Aside> {
        None
    }
}

/// Storage the matcher sets bytes aside in (the run: its spill file on disk).
///
/// A failed [`Aside::put`] costs nothing: the matcher keeps those bytes in memory. A
/// failed [`Aside::read`] loses them: the matcher carries on as if they had ended, so
/// an implementation must remember the failure and not trust (nor write) the results.
pub trait Aside: Sync {
    /// Appends `bytes`, returning where they start.
    fn put(&self, bytes: &[u8]) -> std::io::Result<u64>;
    /// Fills `buf` with the bytes put at `at` (or from within them).
    fn read(&self, at: u64, buf: &mut [u8]) -> std::io::Result<()>;
}

impl Mentions for [MentionFacts<'_>] {
    fn len(&self) -> usize {
        <[MentionFacts]>::len(self)
    }
    fn report(&self, i: usize) -> u32 {
        self[i].report
    }
    fn claim(&self, i: usize) -> &Claim {
        self[i].mention
    }
    fn visit_concepts(&self, visit: &mut dyn FnMut(usize, &[u32])) {
        for (i, m) in self.iter().enumerate() {
            visit(i, m.concepts);
        }
    }
}

/// Everything the matcher found.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// Per report: the index of the first report of its copy family (itself if alone).
    pub copy_family: Vec<usize>,
    /// Per report: how much of its text a copy shares with its family's first report
    /// (see [`copies::shares`]); `None` for a family's first report.
    pub copy_share: Vec<Option<copies::Share>>,
    /// Per mention: index into `clusters`.
    pub cluster: Vec<u32>,
    /// Per mention: its place among its cluster's `mentions` (see [`Analysis::origin`]).
    pub member: Vec<u32>,
    /// Clusters, sorted by id.
    pub clusters: Vec<Cluster>,
    /// Seconds spent in each stage, in order (for `summary.json`'s timings).
    pub timings: Vec<(&'static str, f64)>,
}

impl Analysis {
    /// Mention `m`'s origin key (kept once, by its cluster: a copy per mention was
    /// hundreds of megabytes on a large corpus).
    pub fn origin(&self, m: usize) -> &str {
        let c = &self.clusters[self.cluster[m] as usize];
        &c.origins[c.mention_origin[self.member[m] as usize] as usize]
    }
}

/// What makes two mentions one node: kind, unit, rate, value, named speaker, story,
/// whether it is a lead event, and — for all but lead events — its own concepts.
struct Form<'a> {
    kind: ClaimKind,
    unit: Option<Name>,
    per: Option<Name>,
    /// The value's bounds as bits (`u64::MAX`: open; zeros: no value).
    value: [u64; 2],
    speaker: Option<Name>,
    lead: bool,
    concepts: &'a [u32],
    story: u32,
}

/// A value's bounds as compared for a form.
fn value_bits(q: Option<&Value>) -> [u64; 2] {
    q.map_or([0, 0], |q| {
        [
            q.low.map_or(u64::MAX, f64::to_bits),
            q.high.map_or(u64::MAX, f64::to_bits),
        ]
    })
}

impl Form<'_> {
    /// The concepts that tell forms apart: none for a lead event.
    fn distinct_concepts(&self) -> &[u32] {
        if self.lead {
            &[]
        } else {
            self.concepts
        }
    }

    fn hash(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = rustc_hash::FxHasher::default();
        (self.kind, self.unit, self.per, self.value, self.speaker).hash(&mut h);
        (self.distinct_concepts(), self.story, self.lead).hash(&mut h);
        h.finish()
    }

    /// Whether `node` (made from a form with lead flag `lead`) is of this form.
    fn is_of(&self, node: &cluster::Node, lead: bool) -> bool {
        self.kind == node.kind
            && self.unit == node.unit
            && self.per == node.per
            && self.value == value_bits(node.quantity.as_ref())
            && self.speaker == node.speaker
            && self.story == node.story
            && self.lead == lead
            && (lead || self.concepts == node.concepts.as_slice())
    }
}

/// The nodes by form: each form's hash leads to the nodes of that hash (a chain, nearly
/// always of one), each compared with the form in place.
#[derive(Default)]
struct Forms {
    /// Per hash, its latest node.
    last: HashMap<u64, u32>,
    /// Per node, the node of the same hash before it (`u32::MAX`: none) and whether it
    /// is a lead event's.
    earlier: Vec<(u32, bool)>,
}

impl Forms {
    /// The node of `form`, whose hash is `hash`.
    fn node_of(&self, form: &Form, hash: u64, nodes: &[cluster::Node]) -> Option<u32> {
        let mut at = *self.last.get(&hash)?;
        loop {
            let (earlier, lead) = self.earlier[at as usize];
            if form.is_of(&nodes[at as usize], lead) {
                return Some(at);
            }
            if earlier == u32::MAX {
                return None;
            }
            at = earlier;
        }
    }

    /// Records node `id` (the next node) as of `form`, whose hash is `hash`.
    fn insert(&mut self, form: &Form, hash: u64, id: u32) {
        debug_assert_eq!(id as usize, self.earlier.len());
        let before = self.last.insert(hash, id).unwrap_or(u32::MAX);
        self.earlier.push((before, form.lead));
    }
}

/// Runs every stage over a corpus. The reports' signatures are released once the copy
/// families are found: nothing after needs them, and at half a kilobyte a report (a
/// quarter now) they were a tenth of a large run's memory.
pub fn analyse<M: Mentions + ?Sized>(
    reports: &mut [ReportFacts],
    mentions: &mut M,
    vocab: &Vocabulary,
    names: &NameTable,
) -> Analysis {
    let mut timings = Vec::new();
    let mut t = std::time::Instant::now();
    let mut lap = |name: &'static str| {
        timings.push((name, t.elapsed().as_secs_f64()));
        t = std::time::Instant::now();
    };
    // Copy families, named by their earliest report.
    let mut order: Vec<usize> = (0..reports.len()).collect();
    order.sort_by(|&a, &b| {
        let ka = (
            reports[a].published.is_none(),
            reports[a].published,
            &reports[a].id,
        );
        let kb = (
            reports[b].published.is_none(),
            reports[b].published,
            &reports[b].id,
        );
        ka.cmp(&kb)
    });
    // Copy families read the signatures alone, and nothing reads the families before
    // scoring: they are found beside the rarity stage, whose passes over the mentions
    // run on one thread, as does the families' union of each band's buckets — one after
    // the other, each left a core idle. The signatures are the families', freed when
    // they are found. (Beside the story stage as well, they would be held through its
    // peak: 100 MB at 1 GB of input.)
    mentions.set_aside();
    let signatures: Vec<Option<Box<Signature>>> =
        reports.iter_mut().map(|r| r.signature.take()).collect();
    let reports: &[ReportFacts] = reports;
    let families = move || {
        let t = std::time::Instant::now();
        let sigs: Vec<Option<&Signature>> = signatures.iter().map(|s| s.as_deref()).collect();
        let family = copies::families(&sigs, &order);
        let shares = copies::shares(&sigs, &family);
        (family, shares, t.elapsed().as_secs_f64())
    };
    let found = std::sync::OnceLock::new();
    let (table, story_terms, claim_forms) = if rayon::current_num_threads() > 1 {
        // In place: the rarity stage borrows the mentions mutably (they need not be
        // `Send`) and runs on this thread; the families run on the pool.
        rayon::in_place_scope(|scope| {
            let found = &found;
            scope.spawn(move |_| {
                let _ = found.set(families());
            });
            rarity(reports, mentions, vocab)
        })
    } else {
        // One thread: one stage after the other, as asked.
        let _ = found.set(families());
        rarity(reports, mentions, vocab)
    };
    let (copy_family, copy_share, copies_secs) =
        found.into_inner().expect("the copy families are found");
    lap("match_rarity");
    // Stories: reports grouped by their vocabulary. The profiles are made from a copy
    // of the leads' vocabularies alone, with every other concept set aside: made beside
    // all the concepts, they were a large run's peak.
    let vocabularies = story_terms.vocabularies(&*mentions);
    mentions.set_aside();
    let profiles = story::profiles_of(reports.len(), story_terms.terms, |r, out| {
        story_terms.counts_in(&vocabularies, r, out)
    });
    drop((story_terms, vocabularies));
    let story = story::stories(&profiles, story::THRESHOLD, mentions.aside());
    drop(profiles);
    lap("match_stories");

    // One node per distinct form (see `nodes_of`).
    mentions.bring_back();
    let (nodes, node_of) = nodes_of(&*mentions, &claim_forms, &story);
    drop(claim_forms);
    // Until scoring, only the nodes are read.
    mentions.set_aside();
    lap("match_forms");
    // Blocking and comparison run together, node by node (see candidate_links).
    let links = cluster::candidate_links(&nodes, &table);
    lap("match_block_compare");
    // Events and quantities are agglomerated separately: quantity links already passed
    // the value comparison. The links are split in place, quantities first (pushed into
    // two vectors, they were held twice at this stage's peak); the order within each
    // part does not matter, as each is sorted into the one order of its agglomeration.
    let mut links = links;
    let quantities = partition_in_place(&mut links, |l| nodes[l.a as usize].quantity.is_some());
    let (quantity_links, event_links) = links.split_at_mut(quantities);
    // The two are independent: agglomerated side by side.
    let (star, agg) = rayon::join(
        || {
            cluster::agglomerate(
                &nodes,
                quantity_links,
                &table.weight,
                compare::EVENT_THRESHOLD,
            )
        },
        || cluster::agglomerate(&nodes, event_links, &table.weight, compare::EVENT_THRESHOLD),
    );
    let core: Vec<u32> = (0..nodes.len())
        .map(|i| {
            if nodes[i].quantity.is_some() {
                star[i]
            } else {
                agg[i]
            }
        })
        .collect();
    // Each node's first mention (a cluster's core mention is its core node's), then the
    // nodes and links are gone before scoring builds every cluster's origins and
    // evidence: they overlapped at the run's peak.
    let first_mention: Vec<u32> = nodes.iter().map(|n| n.mentions[0]).collect();
    drop((star, agg, links, nodes));

    lap("match_cluster");
    // Gather mentions per core.
    let mut members: HashMap<u32, Vec<u32>> = HashMap::default();
    for (i, &n) in node_of.iter().enumerate() {
        members.entry(core[n as usize]).or_default().push(i as u32);
    }
    let mut cores: Vec<u32> = members.keys().copied().collect();
    cores.sort_unstable();
    // Each cluster's id from its core mention, the last reading of the concepts: the
    // core mentions' are copied as the mentions are visited in order (brought back
    // whole for this, all of them were a large run's peak at this stage).
    let mut wanted: Vec<(u32, u32)> = cores
        .iter()
        .enumerate()
        .map(|(k, &c)| (first_mention[c as usize], k as u32))
        .collect();
    wanted.sort_unstable();
    mentions.bring_back();
    let mut core_concepts: Vec<u32> = Vec::new();
    let mut core_range = vec![0u32..0u32; cores.len()];
    let mut next = wanted.iter().peekable();
    mentions.visit_concepts(&mut |i, concepts| {
        while let Some(&(_, k)) = next.next_if(|(m, _)| *m as usize == i) {
            let start = core_concepts.len() as u32;
            core_concepts.extend_from_slice(concepts);
            core_range[k as usize] = start..core_concepts.len() as u32;
        }
    });
    drop(wanted);
    let hashes: Vec<String> = cores
        .par_iter()
        .zip(&core_range)
        .map(|(&c, r)| {
            let m = first_mention[c as usize] as usize;
            let concepts = &core_concepts[r.start as usize..r.end as usize];
            score::content_hash(mentions.claim(m), concepts, vocab, names)
        })
        .collect();
    drop((core_concepts, core_range));
    // Each cluster is scored on its own: in parallel, each batch written into its
    // place in core order. Where the run can set things aside, each batch's evidence
    // rows go there at once (they are read again only to be written). (Collected from
    // the batches, the clusters were held twice as the batches were joined: the slots
    // are filled in place, and unwrapped in place — an `Option<Cluster>` is the size
    // of a `Cluster`, so the vector is reused.)
    let mut slots: Vec<Option<Cluster>> = Vec::with_capacity(cores.len());
    slots.resize_with(cores.len(), || None);
    slots
        .par_chunks_mut(EVIDENCE_BATCH)
        .zip(cores.par_chunks(EVIDENCE_BATCH))
        .for_each(|(slots, batch)| {
            let mut built: Vec<Cluster> = batch
                .iter()
                .map(|c| {
                    score::build(
                        first_mention[*c as usize],
                        &members[c],
                        reports,
                        mentions,
                        &copy_family,
                        names,
                    )
                })
                .collect();
            if let Some(aside) = mentions.aside() {
                score::set_evidence_aside(&mut built, aside);
            }
            for (slot, c) in slots.iter_mut().zip(built) {
                *slot = Some(c);
            }
        });
    let mut clusters: Vec<Cluster> = slots
        .into_iter()
        .map(|c| c.expect("every core's cluster is built"))
        .collect();
    drop(members);
    score::assign_ids(&mut clusters, hashes);
    // Ids are unique (clashing hashes get suffixes): an unstable sort gives the one
    // order, without the stable sort's buffer of half the clusters.
    clusters.par_sort_unstable_by(|a, b| a.id.cmp(&b.id));
    // The mentions are read no more: set aside (the run's tables read them from there).
    mentions.set_aside();
    lap("match_score");

    let mut cluster = vec![0u32; mentions.len()];
    let mut member = vec![0u32; mentions.len()];
    for (ci, c) in clusters.iter().enumerate() {
        for (k, &m) in c.mentions.iter().enumerate() {
            cluster[m as usize] = ci as u32;
            member[m as usize] = k as u32;
        }
    }
    // The families' own time, inside `match_rarity`'s.
    timings.push(("match_copies", copies_secs));
    Analysis {
        copy_family,
        copy_share,
        cluster,
        member,
        clusters,
        timings,
    }
}

/// The concepts' weights scaled by their rarity, the reports' vocabulary terms for the
/// story stage, and each lead's concepts without its vocabulary.
fn rarity<M: Mentions + ?Sized>(
    reports: &[ReportFacts],
    mentions: &mut M,
    vocab: &Vocabulary,
) -> (cluster::Concepts, StoryTerms, ClaimForms) {
    // Per concept: weight, class, whether it drives blocking (entities, units, theatres
    // and predicates) and whether it is a report-vocabulary term. Looked up by name once
    // per concept, in parallel: a large corpus has millions.
    let looked_up: Vec<(f64, u8, bool, bool)> = (0..vocab.len() as u32)
        .into_par_iter()
        .map(|c| {
            let c = vocab.name(c);
            (
                compare::concept_weight(c),
                compare::concept_class(c),
                ["e:", "u:", "t:", "p:"].iter().any(|p| c.starts_with(p)),
                c.starts_with("r:"),
            )
        })
        .collect();
    let mut table = cluster::Concepts::default();
    let mut report_term = Vec::with_capacity(looked_up.len());
    for (weight, class, key, report) in looked_up {
        table.weight.push(weight);
        table.class.push(class);
        table.key.push(key);
        report_term.push(report);
    }
    mentions.bring_back();
    let (story_terms, claim_forms) = report_terms(reports.len(), &*mentions, vocab, &report_term);
    // Rarity: a concept found in many reports says little about which claim a mention
    // makes. Weights are scaled by a smoothed inverse document frequency; the smoothing
    // (`BACKGROUND` imaginary reports that lack every concept) keeps a tiny corpus, where
    // everything is "frequent", from being flattened.
    let n_reports = reports.len() as f64 + compare::BACKGROUND;
    let mut df = vec![0u32; table.weight.len()];
    let mut last_report = vec![u32::MAX; table.weight.len()];
    let mut own = OwnConcepts::of(&claim_forms);
    mentions.visit_concepts(&mut |i, concepts| {
        let report = mentions.report(i);
        for &c in own.next(i, concepts) {
            if last_report[c as usize] != report {
                last_report[c as usize] = report;
                df[c as usize] += 1;
            }
        }
    });
    for (c, w) in table.weight.iter_mut().enumerate() {
        *w *= compare::rarity(df[c] as f64, n_reports);
    }
    (table, story_terms, claim_forms)
}

/// A mention's form, and its value.
fn form_of<'a, M: Mentions + ?Sized>(
    mentions: &'a M,
    story: &[u32],
    i: usize,
    own: &'a [u32],
) -> (Form<'a>, Option<Value>) {
    let claim = mentions.claim(i);
    let q = claim.value();
    let speaker = q
        .and(claim.source.as_ref())
        .filter(|s| s.kind != SpeakerKind::Anonymous)
        .map(|s| s.name);
    let form = Form {
        kind: claim.kind,
        unit: q.and_then(|q| q.unit),
        per: q.and_then(|q| q.per),
        value: value_bits(q.as_ref()),
        speaker,
        // A report's lead states its main claim, and reports of one story share it:
        // the lead event mentions of a story are one node, whatever their wording.
        lead: claim.sentence == 0 && claim.kind == ClaimKind::Event,
        concepts: own,
        story: story[mentions.report(i) as usize],
    };
    (form, q)
}

/// Mentions put into nodes at a time: their own concepts copied into one buffer, a
/// few megabytes.
const FORMS_BATCH: usize = 1 << 16;

/// The nodes of the forms whose hash falls to one shard, numbered in the shard.
#[derive(Default)]
struct Shard {
    forms: Forms,
    nodes: Vec<cluster::Node>,
    /// Each node's first mention.
    first: Vec<u32>,
    /// The batch's mentions this shard placed: (place in the batch, node).
    placed: Vec<(u32, u32)>,
}

/// One node per distinct form, and each mention's node: nodes numbered in the order of
/// their first mentions, each listing its mentions in order.
///
/// The forms are found by their hash, each node's form compared in place (see
/// `Forms`): keys holding a copy of each form's concepts were a third copy of them, at
/// the peak of a large run. The mentions' concepts are read in order, as they lie set
/// aside, a batch at a time; a batch's forms are hashed on all threads, then placed by
/// shards on all threads — a shard takes the forms whose hash falls to it, in mention
/// order, so it finds and makes its nodes as one pass over every mention would (equal
/// forms hash alike) — and the shards' nodes are numbered at the end by their first
/// mentions, the order one pass makes them in. (In one pass, this stage kept one core
/// busy and the other idle.)
fn nodes_of<M: Mentions + ?Sized>(
    mentions: &M,
    claim_forms: &ClaimForms,
    story: &[u32],
) -> (Vec<cluster::Node>, Vec<u32>) {
    nodes_of_in(mentions, claim_forms, story, FORMS_BATCH)
}

/// [`nodes_of`], `batch` mentions at a time (tests make it small).
fn nodes_of_in<M: Mentions + ?Sized>(
    mentions: &M,
    claim_forms: &ClaimForms,
    story: &[u32],
    batch_size: usize,
) -> (Vec<cluster::Node>, Vec<u32>) {
    let batch_size = batch_size.max(1);
    // A shard per thread, at most 256 (a mention's shard is a byte).
    let count = rayon::current_num_threads().clamp(1, 256);
    let mut shards: Vec<Shard> = (0..count).map(|_| Shard::default()).collect();
    let mut local_of = vec![0u32; mentions.len()];
    let mut shard_of = vec![0u8; mentions.len()];
    // The batch: its mentions, each one's own concepts (a range of `concepts`).
    let mut batch: Vec<(u32, u32, u32)> = Vec::with_capacity(batch_size);
    let mut concepts: Vec<u32> = Vec::new();
    let mut place = |batch: &mut Vec<(u32, u32, u32)>, concepts: &mut Vec<u32>| {
        let own = |k: usize| {
            let (_, from, to) = batch[k];
            &concepts[from as usize..to as usize]
        };
        let hashes: Vec<u64> = (0..batch.len())
            .into_par_iter()
            .map(|k| {
                form_of(mentions, story, batch[k].0 as usize, own(k))
                    .0
                    .hash()
            })
            .collect();
        shards.par_iter_mut().enumerate().for_each(|(s, shard)| {
            shard.placed.clear();
            for (k, &hash) in hashes.iter().enumerate() {
                if hash % count as u64 != s as u64 {
                    continue;
                }
                let i = batch[k].0;
                let (form, q) = form_of(mentions, story, i as usize, own(k));
                let Shard {
                    forms,
                    nodes,
                    first,
                    placed,
                } = shard;
                let id = forms.node_of(&form, hash, nodes).unwrap_or_else(|| {
                    nodes.push(cluster::Node {
                        kind: form.kind,
                        unit: form.unit,
                        per: form.per,
                        quantity: q,
                        speaker: form.speaker,
                        concepts: form.concepts.to_vec(),
                        mentions: Vec::new(),
                        story: form.story,
                    });
                    first.push(i);
                    let id = (nodes.len() - 1) as u32;
                    forms.insert(&form, hash, id);
                    id
                });
                nodes[id as usize].mentions.push(i);
                placed.push((k as u32, id));
            }
        });
        for (s, shard) in shards.iter().enumerate() {
            for &(k, id) in &shard.placed {
                let i = batch[k as usize].0 as usize;
                (local_of[i], shard_of[i]) = (id, s as u8);
            }
        }
        batch.clear();
        concepts.clear();
    };
    let mut own_concepts = OwnConcepts::of(claim_forms);
    mentions.visit_concepts(&mut |i, all| {
        let own = own_concepts.next(i, all);
        let from = concepts.len() as u32;
        concepts.extend_from_slice(own);
        batch.push((i as u32, from, concepts.len() as u32));
        if batch.len() == batch_size {
            place(&mut batch, &mut concepts);
        }
    });
    place(&mut batch, &mut concepts);
    // Every node by its first mention (each mention is one node's: no two are equal);
    // a shard's nodes come in that order already, so the nodes are taken from the
    // shards' lists in turn.
    let mut order: Vec<(u32, u8)> = shards
        .iter()
        .enumerate()
        .flat_map(|(s, shard)| shard.first.iter().map(move |&f| (f, s as u8)))
        .collect();
    order.par_sort_unstable();
    let mut number: Vec<Vec<u32>> = shards
        .iter()
        .map(|s| Vec::with_capacity(s.nodes.len()))
        .collect();
    let mut lists: Vec<std::vec::IntoIter<cluster::Node>> =
        shards.into_iter().map(|s| s.nodes.into_iter()).collect();
    let mut nodes = Vec::with_capacity(order.len());
    for (g, &(_, s)) in order.iter().enumerate() {
        number[s as usize].push(g as u32);
        nodes.extend(lists[s as usize].next());
    }
    drop(order);
    for (local, &s) in local_of.iter_mut().zip(&shard_of) {
        *local = number[s as usize][*local as usize];
    }
    (nodes, local_of)
}

/// Clusters scored, and their evidence set aside, at a time (one write of some tens of
/// KB).
const EVIDENCE_BATCH: usize = 256;

/// Moves the items for which `first` holds before the others (in no particular order);
/// returns how many they are.
fn partition_in_place<T>(items: &mut [T], first: impl Fn(&T) -> bool) -> usize {
    let mut split = 0;
    for i in 0..items.len() {
        if first(&items[i]) {
            items.swap(split, i);
            split += 1;
        }
    }
    split
}

/// Each mention's own concepts, taken in mention order: a lead's without its report's
/// vocabulary (kept aside in `forms`), any other's as read. Computed as each mention is
/// visited, not listed: a slice per mention was 16 bytes a mention through the story
/// stage, a large run's peak.
struct OwnConcepts<'a> {
    leads: std::iter::Peekable<std::slice::Iter<'a, (u32, std::ops::Range<u32>)>>,
    forms: &'a ClaimForms,
}

impl<'a> OwnConcepts<'a> {
    fn of(forms: &'a ClaimForms) -> Self {
        OwnConcepts {
            leads: forms.mentions.iter().peekable(),
            forms,
        }
    }

    /// Mention `i`'s own concepts, given those it carries; mentions must come in order.
    fn next<'s>(&mut self, i: usize, concepts: &'s [u32]) -> &'s [u32]
    where
        'a: 's,
    {
        match self.leads.next_if(|(m, _)| *m as usize == i) {
            Some((_, r)) => &self.forms.concepts[r.start as usize..r.end as usize],
            None => concepts,
        }
    }
}

/// The report vocabularies as the story stage reads them (see [`report_terms`]): which
/// mention carries each report's vocabulary, and per concept its term and count. Each
/// report's (term, count) pairs are read from its lead's concepts when its profile is
/// made, not held for all reports: as a list per report they were, with the profiles
/// made from them, a large run's peak.
struct StoryTerms {
    /// Per report, the mention that carries its vocabulary (`u32::MAX`: none).
    lead: Vec<u32>,
    /// Per concept, its story term (`u32::MAX`: none) and the count it carries.
    term: Vec<u32>,
    count: Vec<u32>,
    /// Number of terms.
    terms: usize,
}

/// Every report's vocabulary as concept ids (those with a story term, in its lead's
/// concept order): report `r`'s are `ids[start[r]..start[r + 1]]`.
struct Vocabularies {
    start: Vec<u32>,
    ids: Vec<u32>,
}

impl StoryTerms {
    /// A copy of every report's vocabulary from its lead's concepts, so that the
    /// profiles can be made with the concepts set aside (about two fifths of them).
    fn vocabularies<M: Mentions + ?Sized>(&self, mentions: &M) -> Vocabularies {
        let has_term = |c: &&u32| self.term[**c as usize] != u32::MAX;
        // The leads, in mention order as the concepts are visited (a report's mentions
        // follow one another, reports in order): counted, then copied at their size.
        let mut leads: Vec<(u32, u32)> = self
            .lead
            .iter()
            .enumerate()
            .filter(|&(_, &m)| m != u32::MAX)
            .map(|(r, &m)| (m, r as u32))
            .collect();
        leads.sort_unstable();
        let mut v = Vocabularies {
            start: vec![0; self.lead.len() + 1],
            ids: Vec::new(),
        };
        let visit_leads = |each: &mut dyn FnMut(u32, &[u32])| {
            let mut next = leads.iter().peekable();
            mentions.visit_concepts(&mut |i, concepts| {
                while let Some(&(_, r)) = next.next_if(|(m, _)| *m as usize == i) {
                    each(r, concepts);
                }
            });
        };
        // Per report its count (at `start[r + 1]`, summed into starts below).
        visit_leads(&mut |r, concepts| {
            v.start[r as usize + 1] = concepts.iter().filter(has_term).count() as u32;
        });
        for r in 0..self.lead.len() {
            v.start[r + 1] += v.start[r];
        }
        v.ids = vec![0; v.start[self.lead.len()] as usize];
        visit_leads(&mut |r, concepts| {
            let at = v.start[r as usize] as usize;
            for (slot, &c) in v.ids[at..].iter_mut().zip(concepts.iter().filter(has_term)) {
                *slot = c;
            }
        });
        v
    }

    /// Report `r`'s (term, count) pairs, each term once (a report's vocabulary names each
    /// concept once), in its lead's concept order.
    fn counts_in(&self, v: &Vocabularies, r: usize, out: &mut Vec<(u32, u32)>) {
        let ids = &v.ids[v.start[r] as usize..v.start[r + 1] as usize];
        out.extend(
            ids.iter()
                .map(|&c| (self.term[c as usize], self.count[c as usize])),
        );
    }
}

/// The concepts of the mentions that carried story terms (the leads), without them: a
/// few hundred thousand on a large corpus, so kept sparse — a vector with a slot per
/// mention, nearly all empty, was a few percent of a 1 GB run's peak memory.
#[derive(Default)]
struct ClaimForms {
    /// (mention, range in `concepts`), by mention.
    mentions: Vec<(u32, std::ops::Range<u32>)>,
    concepts: Vec<u32>,
}

/// The report vocabulary each lead carries (`r:N:concept`), for the story stage: which
/// mention carries each report's and each such concept's term and count; and, per
/// mention that carries such concepts, its concepts without them (they are kept out of
/// the claim's form).
///
/// Each such concept is parsed once, not once per report. Terms are numbered by first
/// appearance, reading mentions in order and a mention's terms by name (as the extractor
/// wrote them): a profile's term order, and with it every sum over a profile, does not
/// depend on how the vocabulary was built.
fn report_terms<M: Mentions + ?Sized>(
    reports: usize,
    mentions: &M,
    vocab: &Vocabulary,
    report_term: &[bool],
) -> (StoryTerms, ClaimForms) {
    let mut by_name: Vec<u32> = (0..vocab.len() as u32)
        .filter(|&c| report_term[c as usize])
        .collect();
    by_name.par_sort_unstable_by_key(|&c| vocab.name(c));
    let mut rank = vec![0u32; vocab.len()];
    let mut term_key = vec![u32::MAX; vocab.len()];
    let mut term_count = vec![0u32; vocab.len()];
    let mut keys: HashMap<&str, u32> = HashMap::default();
    for (k, &c) in by_name.iter().enumerate() {
        rank[c as usize] = k as u32;
        let parsed = vocab
            .name(c)
            .strip_prefix("r:")
            .and_then(|x| x.split_once(':'));
        if let Some((n, term)) = parsed {
            let next = keys.len() as u32;
            term_key[c as usize] = *keys.entry(term).or_insert(next);
            term_count[c as usize] = n.parse().unwrap_or(1);
        }
    }
    drop(by_name);
    let mut term_of_key = vec![u32::MAX; keys.len()];
    drop(keys);
    let mut terms = 0u32;
    let mut lead = vec![u32::MAX; reports];
    let mut forms = ClaimForms::default();
    let mut lead_terms: Vec<u32> = Vec::new();
    mentions.visit_concepts(&mut |i, concepts| {
        if !concepts.iter().any(|&c| report_term[c as usize]) {
            return;
        }
        let r = mentions.report(i) as usize;
        // A report's first mention with a term that parses carries its vocabulary.
        if lead[r] == u32::MAX {
            lead_terms.clear();
            lead_terms.extend(concepts.iter().filter(|&&c| report_term[c as usize]));
            lead_terms.sort_unstable_by_key(|&c| rank[c as usize]);
            for &c in &lead_terms {
                let key = term_key[c as usize];
                if key == u32::MAX {
                    continue;
                }
                let t = &mut term_of_key[key as usize];
                if *t == u32::MAX {
                    *t = terms;
                    terms += 1;
                }
                lead[r] = i as u32;
            }
        }
        let start = forms.concepts.len() as u32;
        forms.concepts.extend(
            concepts
                .iter()
                .copied()
                .filter(|&c| !report_term[c as usize]),
        );
        forms
            .mentions
            .push((i as u32, start..forms.concepts.len() as u32));
    });
    drop(rank);
    // Concept → term, through its key (the same term in two counts is one term).
    let term: Vec<u32> = term_key
        .iter()
        .map(|&k| {
            if k == u32::MAX {
                u32::MAX
            } else {
                term_of_key[k as usize]
            }
        })
        .collect();
    let story = StoryTerms {
        lead,
        term,
        count: term_count,
        terms: terms as usize,
    };
    (story, forms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partition_in_place_puts_what_comes_first_first_and_loses_nothing() {
        let cases: &[&[u32]] = &[
            &[],
            &[1],
            &[2],
            &[1, 2, 3, 4, 5, 6],
            &[2, 4, 1, 3],
            &[5, 5, 2],
        ];
        for &case in cases {
            let mut v = case.to_vec();
            let k = partition_in_place(&mut v, |x| x % 2 == 1);
            assert_eq!(k, case.iter().filter(|x| *x % 2 == 1).count(), "{case:?}");
            assert!(v[..k].iter().all(|x| x % 2 == 1), "{case:?} -> {v:?}");
            assert!(v[k..].iter().all(|x| x % 2 == 0), "{case:?} -> {v:?}");
            let (mut a, mut b) = (v.clone(), case.to_vec());
            a.sort_unstable();
            b.sort_unstable();
            assert_eq!(a, b, "{case:?}");
        }
    }

    /// Mentions of a few forms, many repeated, in a few stories; some leads.
    fn many_forms() -> (Vec<Claim>, Vec<Vec<u32>>, Vec<u32>, Vec<u32>) {
        let names = Names::default();
        let (mut claims, mut concepts, mut reports) = (Vec::new(), Vec::new(), Vec::new());
        for i in 0..400u32 {
            let kind = [ClaimKind::Event, ClaimKind::Count][(i % 5 == 0) as usize];
            let mention = corro_claims::Mention {
                sentence: (i % 3) as usize,
                kind,
                stance: corro_claims::Stance::Supports,
                cue: None,
                speaker: None,
                via: Vec::new(),
                quantity: None,
                concepts: Vec::new(),
            };
            claims.push(Claim::of(&mention, &names));
            concepts.push(vec![i % 3, 3 + (i / 3) % 2]);
            reports.push(i / 8);
        }
        let story = (0..50).map(|r| r % 3).collect();
        (claims, concepts, reports, story)
    }

    #[test]
    fn nodes_are_found_in_shards_and_batches_as_one_pass_finds_them() {
        let (claims, concepts, reports, story) = many_forms();
        let facts: Vec<MentionFacts> = claims
            .iter()
            .zip(&concepts)
            .zip(&reports)
            .map(|((c, ids), &r)| MentionFacts {
                report: r,
                mention: c,
                concepts: ids,
            })
            .collect();
        // One pass: a node per distinct form, numbered as first met.
        type Key = (ClaimKind, [u64; 2], bool, Vec<u32>, u32);
        let mut first_met: HashMap<Key, u32> = HashMap::default();
        let mut want_nodes: Vec<Vec<u32>> = Vec::new();
        let mut want_of = Vec::new();
        for (i, m) in facts.iter().enumerate() {
            let (form, _) = form_of(&facts[..], &story, i, m.concepts);
            let key = (
                form.kind,
                form.value,
                form.lead,
                form.distinct_concepts().to_vec(),
                form.story,
            );
            let next = want_nodes.len() as u32;
            let id = *first_met.entry(key).or_insert(next);
            if id == next {
                want_nodes.push(Vec::new());
            }
            want_nodes[id as usize].push(i as u32);
            want_of.push(id);
        }
        // Forms repeat, leads of a story are one node, and there are many nodes.
        assert!(
            want_nodes.len() > 20 && want_nodes.len() < 100,
            "{}",
            want_nodes.len()
        );
        for threads in [1, 2, 3] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            for batch in [1, 7, 64, FORMS_BATCH] {
                let (nodes, node_of) =
                    pool.install(|| nodes_of_in(&facts[..], &ClaimForms::default(), &story, batch));
                let got: Vec<Vec<u32>> = nodes.iter().map(|n| n.mentions.clone()).collect();
                assert_eq!(got, want_nodes, "{threads} threads, batches of {batch}");
                assert_eq!(node_of, want_of, "{threads} threads, batches of {batch}");
                for n in &nodes {
                    let m = n.mentions[0] as usize;
                    assert_eq!(n.story, story[reports[m] as usize]);
                    assert_eq!(n.concepts, concepts[m]);
                }
            }
        }
    }

    /// A form of a quantity claim and the node it makes.
    fn form(concepts: &[u32]) -> Form<'_> {
        Form {
            kind: ClaimKind::Count,
            unit: None,
            per: None,
            value: value_bits(Some(&Value {
                low: Some(1000.0),
                high: Some(1000.0),
                approx: true,
                unit: None,
                per: None,
            })),
            speaker: None,
            lead: false,
            concepts,
            story: 0,
        }
    }

    fn node(f: &Form) -> cluster::Node {
        cluster::Node {
            kind: f.kind,
            unit: f.unit,
            per: f.per,
            quantity: (f.value != [0, 0]).then(|| Value {
                low: Some(f64::from_bits(f.value[0])),
                high: Some(f64::from_bits(f.value[1])),
                approx: true,
                unit: None,
                per: None,
            }),
            speaker: f.speaker,
            concepts: f.concepts.to_vec(),
            mentions: Vec::new(),
            story: f.story,
        }
    }

    #[test]
    fn a_form_finds_its_node_and_any_difference_is_another_node() {
        let (c, other) = ([3, 7, 9], [3, 7]);
        let mut nodes = Vec::new();
        let mut forms = Forms::default();
        let mut add = |f: &Form, nodes: &mut Vec<cluster::Node>| {
            let h = f.hash();
            assert_eq!(forms.node_of(f, h, nodes), None, "new: {:?}", f.concepts);
            nodes.push(node(f));
            forms.insert(f, h, (nodes.len() - 1) as u32);
            forms.node_of(f, h, nodes)
        };
        let base = form(&c);
        assert_eq!(add(&base, &mut nodes), Some(0));
        // Each field on its own makes a new form.
        let variants = [
            Form {
                concepts: &other,
                ..form(&c)
            },
            Form {
                story: 1,
                ..form(&c)
            },
            Form {
                value: value_bits(None),
                ..form(&c)
            },
            Form {
                kind: ClaimKind::Event,
                value: value_bits(None),
                ..form(&c)
            },
            Form {
                lead: true,
                ..form(&c)
            },
        ];
        for (k, v) in variants.iter().enumerate() {
            assert_eq!(add(v, &mut nodes), Some(k as u32 + 1));
        }
        // The same form again is its node.
        assert_eq!(forms.node_of(&base, base.hash(), &nodes), Some(0));
        // Lead events of one story are one node whatever their concepts.
        let lead_other = Form {
            lead: true,
            ..form(&other)
        };
        assert_eq!(
            forms.node_of(&lead_other, lead_other.hash(), &nodes),
            Some(5)
        );
    }

    #[test]
    fn forms_of_one_hash_are_told_apart_in_place() {
        // Two forms forced onto one hash: the chain keeps both.
        let (a, b) = ([1, 2], [1, 3]);
        let (fa, fb) = (form(&a), form(&b));
        let nodes = vec![node(&fa), node(&fb)];
        let mut forms = Forms::default();
        forms.insert(&fa, 42, 0);
        forms.insert(&fb, 42, 1);
        assert_eq!(forms.node_of(&fa, 42, &nodes), Some(0));
        assert_eq!(forms.node_of(&fb, 42, &nodes), Some(1));
        assert_eq!(forms.node_of(&form(&[9]), 42, &nodes), None);
    }
}
