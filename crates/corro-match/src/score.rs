//! Scoring: independent origins for and against a claim, a score, a verdict, and the
//! evidence rows that explain them.
//!
//! **Origins.** Each mention's origin comes from [`crate::origin`]. Within one report,
//! mentions in the outlet's own voice are folded into the first origin the same report
//! attributes the claim to (the headline restates the story's source). Each origin
//! then takes one stance: that of its latest non-discussing mention (by publication
//! date, then position), or `discusses` if it only discusses.
//!
//! **Weights.** A supporting or denying origin weighs 1.0, or 0.75 if it is an
//! anonymous source; a discussing origin weighs 0.25 and counts toward neither side.
//! An origin counts once, in the first report that carries it; its other reports are
//! evidence rows with weight 0 and a note saying where it was counted.
//!
//! **Score.** `(S − D) / (S + D + U + 1)` where S, D and U are the summed weights of
//! supporting, denying and discussing origins. The `+ 1` keeps a lone source from
//! scoring 1: one named source scores 0.5, two score 0.67, three 0.75.
//!
//! **Verdict** (from origin counts, per the contract): `corroborated` ≥ 2 supporting and
//! none denying; `single-source` 1 and none denying; `contested` both sides; `denied`
//! denials only; `unverified` only discussed.
//!
//! **Values.** The cluster's value is the one the most supporting origins give.
//! `value_conflict` is true when two *different* supporting origins give values that do
//! not overlap. One origin giving a growing figure over time (a monitor's 1,200 → 1,450 →
//! 2,580) is a running series, not a conflict; the explanation lists it as a series.

use std::borrow::Cow;
use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;

use corro_claims::{ClaimKind, SpeakerKind, Stance};
use jiff::civil::Date;
use xxhash_rust::xxh3::xxh3_64;

use crate::compare;
use crate::{origin, Aside, Mentions, ReportFacts};

pub const W_NAMED: f64 = 1.0;
pub const W_ANONYMOUS: f64 = 0.75;
pub const W_DISCUSSES: f64 = 0.25;

/// The contract's verdicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Verdict {
    Corroborated,
    SingleSource,
    Contested,
    Denied,
    Unverified,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Corroborated => "corroborated",
            Verdict::SingleSource => "single-source",
            Verdict::Contested => "contested",
            Verdict::Denied => "denied",
            Verdict::Unverified => "unverified",
        }
    }

    pub const ALL: [Verdict; 5] = [
        Verdict::Corroborated,
        Verdict::SingleSource,
        Verdict::Contested,
        Verdict::Denied,
        Verdict::Unverified,
    ];
}

/// A value as an interval; `None` is an open side.
pub type Interval = (Option<f64>, Option<f64>);

/// One independent origin in a cluster, while it is scored.
#[derive(Debug, Clone, PartialEq)]
struct OriginTally {
    key: String,
    stance: Stance,
    weight: f64,
    /// The report where it is counted (index into reports).
    counted_in: u32,
    /// The mention that decided its stance.
    mention: u32,
    /// Every report that carries it.
    reports: Vec<u32>,
    /// Distinct values it gave, in time order (for series and conflicts).
    values: Vec<Interval>,
}

/// One evidence row: an origin as carried by one report.
///
/// Rows are about one per mention, millions on a large corpus, and kept until the
/// tables are written: the origin is an index into its cluster's [`Cluster::origins`]
/// and the note is what it says, not its text (see [`Evidence::note`]) — 32 bytes, where
/// a shared key and a note string per row were three times that.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evidence {
    pub report: u32,
    /// The origin: an index into the cluster's [`Cluster::origins`].
    pub origin: u32,
    /// The mention quoted.
    pub mention: u32,
    /// The report where the origin is counted: this row's own, or an earlier one.
    pub counted_in: u32,
    /// The first report of this row's copy family (its own unless it is a copy).
    pub family_root: u32,
    pub stance: Stance,
    /// The quoted mention is in the outlet's own voice, restating the source the report
    /// gives for the claim elsewhere.
    pub restating: bool,
    /// What this row adds to the score's weights (0 when counted in another report).
    pub weight: f64,
}

impl Evidence {
    /// evidence.csv's `note`, given how to name a report (by index) and how much of its
    /// text a copy shares with its family's first report ([`crate::copies::shares`]):
    /// "counted", or where the origin was counted instead, and whether the row restates
    /// its report's source or is a copy of another report, and how much text they share.
    pub fn note<'a>(
        &self,
        report_id: impl Fn(u32) -> &'a str,
        copy_share: impl Fn(u32) -> Option<crate::copies::Share>,
    ) -> Cow<'static, str> {
        let mut note: Cow<'static, str> = if self.counted_in == self.report {
            Cow::Borrowed("counted")
        } else {
            Cow::Owned(format!(
                "same origin, counted in {}",
                report_id(self.counted_in)
            ))
        };
        if self.restating {
            note.to_mut()
                .push_str("; outlet's own voice restating its source");
        }
        if self.family_root != self.report {
            let of = report_id(self.family_root);
            note.to_mut().push_str(&match copy_share(self.report) {
                Some(s) if s.of_first => format!("; copy of {of}, ~{}% shared text", s.percent),
                // Joined through other copies: not a copy of `of` itself.
                Some(s) => format!(
                    "; copy of {of} through other copies, ~{}% shared text",
                    s.percent
                ),
                None => format!("; copy of {of}"),
            });
        }
        note
    }
}

impl Evidence {
    /// Bytes of one row set aside ([`set_evidence_aside`]): the five indices, the stance,
    /// the flag and the weight's bits, little-endian.
    pub const BYTES: usize = 30;

    fn put(&self, out: &mut Vec<u8>) {
        for x in [
            self.report,
            self.origin,
            self.mention,
            self.counted_in,
            self.family_root,
        ] {
            out.extend_from_slice(&x.to_le_bytes());
        }
        out.push(match self.stance {
            Stance::Supports => 0,
            Stance::Denies => 1,
            Stance::Discusses => 2,
        });
        out.push(self.restating as u8);
        out.extend_from_slice(&self.weight.to_bits().to_le_bytes());
    }

    /// A row as [`Evidence::put`] wrote it; `None` for bytes it cannot have written.
    fn get(b: &[u8]) -> Option<Evidence> {
        let b: &[u8; Self::BYTES] = b.try_into().ok()?;
        let u = |k: usize| u32::from_le_bytes([b[k], b[k + 1], b[k + 2], b[k + 3]]);
        Some(Evidence {
            report: u(0),
            origin: u(4),
            mention: u(8),
            counted_in: u(12),
            family_root: u(16),
            stance: match b[20] {
                0 => Stance::Supports,
                1 => Stance::Denies,
                2 => Stance::Discusses,
                _ => return None,
            },
            restating: match b[21] {
                0 => false,
                1 => true,
                _ => return None,
            },
            weight: f64::from_bits(u64::from_le_bytes(b[22..30].try_into().ok()?)),
        })
    }
}

/// Where a cluster's evidence rows are once set aside ([`set_evidence_aside`]), and how
/// many; its explanation follows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EvidenceAt {
    pub at: u64,
    pub n: u32,
    /// Bytes of the explanation, after the rows.
    pub explained: u32,
}

/// Sets the evidence rows and the explanations of `clusters` aside in one piece, each
/// cluster keeping where its own are. About one row per mention, kept from scoring
/// until evidence.csv is written, they were a large run's biggest part after the
/// mentions themselves (160k reports: 2.3 million rows, 73 MB); the explanations, read
/// once for clusters.csv, were a quarter of what the clusters held. When `aside` cannot
/// take them they stay in memory.
pub fn set_evidence_aside(clusters: &mut [Cluster], aside: &dyn Aside) {
    let size = |c: &Cluster| c.evidence.len() * Evidence::BYTES + c.explanation.len();
    let total: usize = clusters.iter().map(size).sum();
    if total == 0 {
        return;
    }
    let mut buf = Vec::with_capacity(total);
    for c in clusters.iter() {
        for e in &c.evidence {
            e.put(&mut buf);
        }
        buf.extend_from_slice(c.explanation.as_bytes());
    }
    let Ok(mut at) = aside.put(&buf) else {
        return;
    };
    for c in clusters.iter_mut() {
        let size = size(c);
        if size > 0 {
            // A cluster's rows number at most its mentions (fewer than 2^32); its
            // explanation is a few hundred bytes.
            c.evidence_at = Some(EvidenceAt {
                at,
                n: c.evidence.len() as u32,
                explained: c.explanation.len() as u32,
            });
            at += size as u64;
            c.evidence = Vec::new();
            c.explanation = String::new();
        }
    }
}

/// A cluster of mentions of one claim.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    pub id: String,
    pub kind: ClaimKind,
    /// The core mention: the form every member was linked to.
    pub core: u32,
    /// The mention whose sentence labels the cluster: a supporting headline if there is
    /// one (headlines state claims plainly), else the core.
    pub label: u32,
    /// Member mentions, ascending.
    pub mentions: Vec<u32>,
    /// Its origins' keys (after own-voice folding), each once, in the order of their
    /// first member.
    pub origins: Vec<Box<str>>,
    /// Per member (same order): its origin, an index into `origins` — four bytes a
    /// mention, where a shared key string per mention was a large share of a big run's
    /// memory.
    pub mention_origin: Vec<u32>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub unit: Option<Arc<str>>,
    pub per: Option<Arc<str>>,
    pub reports: usize,
    pub outlets: usize,
    // The origin tallies themselves are not kept: what they decided is in the counts,
    // the evidence rows and the explanation, and kept they held a key string and a
    // report list for every origin of every cluster until the tables were written.
    pub supporting: usize,
    pub denying: usize,
    pub discussing: usize,
    pub first_seen: Option<Date>,
    pub first_outlet: Option<String>,
    pub last_seen: Option<Date>,
    pub score: f64,
    pub verdict: Verdict,
    pub value_conflict: bool,
    pub explanation: String,
    /// One row per (report, origin); empty once set aside ([`Cluster::evidence_rows`]
    /// reads them wherever they are).
    pub evidence: Vec<Evidence>,
    /// Where the rows are when set aside ([`set_evidence_aside`]).
    pub evidence_at: Option<EvidenceAt>,
}

impl Cluster {
    /// The cluster's evidence rows: its own, or read back from `aside` where
    /// [`set_evidence_aside`] put them.
    pub fn evidence_rows(&self, aside: &dyn Aside) -> std::io::Result<Cow<'_, [Evidence]>> {
        let Some(EvidenceAt { at, n, .. }) = self.evidence_at else {
            return Ok(Cow::Borrowed(&self.evidence));
        };
        let mut buf = vec![0u8; n as usize * Evidence::BYTES];
        aside.read(at, &mut buf)?;
        buf.chunks_exact(Evidence::BYTES)
            .map(|b| {
                Evidence::get(b).ok_or_else(|| {
                    std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!("cluster {}: an evidence row set aside is damaged", self.id),
                    )
                })
            })
            .collect::<std::io::Result<Vec<_>>>()
            .map(Cow::Owned)
    }

    /// The cluster's explanation: its own, or read back from `aside` where
    /// [`set_evidence_aside`] put it.
    pub fn read_explanation(&self, aside: &dyn Aside) -> std::io::Result<Cow<'_, str>> {
        let Some(EvidenceAt { at, n, explained }) = self.evidence_at else {
            return Ok(Cow::Borrowed(&self.explanation));
        };
        let mut buf = vec![0u8; explained as usize];
        aside.read(at + n as u64 * Evidence::BYTES as u64, &mut buf)?;
        String::from_utf8(buf).map(Cow::Owned).map_err(|_| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("cluster {}: its explanation set aside is damaged", self.id),
            )
        })
    }
}

fn weight_of(stance: Stance, anonymous: bool) -> f64 {
    match stance {
        Stance::Discusses => W_DISCUSSES,
        _ if anonymous => W_ANONYMOUS,
        _ => W_NAMED,
    }
}

/// Builds one cluster from its members.
pub fn build<M: Mentions + ?Sized>(
    core: u32,
    members: &[u32],
    reports: &[ReportFacts],
    mentions: &M,
    family: &[usize],
    names: &crate::NameTable,
) -> Cluster {
    let mut members = members.to_vec();
    members.sort_unstable();
    let m = |i: u32| -> &crate::Claim { mentions.claim(i as usize) };
    let rep = |i: u32| -> u32 { mentions.report(i as usize) };
    let date_of = |r: u32| reports[r as usize].published;

    // Origins, with own voice folded into the report's first attributed origin. Keys
    // are numbered by first member; `raw` is each member's key before folding.
    //
    // An origin is one whatever the case it is written in ("Ottawa Police", "Ottawa
    // police"): keys are compared lower-cased, and each is shown in the form most of its
    // members give (the first such form in byte order on a tie), so that the name does
    // not depend on which report comes first.
    let mut key_at: HashMap<String, u32> = HashMap::default();
    // Each key's written forms and how many members give each: almost always one form.
    let mut forms: Vec<Vec<(String, u32)>> = Vec::new();
    let raw: Vec<u32> = members
        .iter()
        .map(|&i| {
            let key = origin::of(m(i), &reports[family[rep(i) as usize]], names);
            let x = *key_at.entry(key.to_lowercase()).or_insert_with(|| {
                forms.push(Vec::new());
                (forms.len() - 1) as u32
            });
            let f = &mut forms[x as usize];
            match f.iter_mut().find(|(k, _)| *k == key) {
                Some((_, n)) => *n += 1,
                None => f.push((key, 1)),
            }
            x
        })
        .collect();
    drop(key_at);
    let mut keys: Vec<Box<str>> = forms
        .into_iter()
        .map(|f| {
            f.into_iter()
                .max_by(|(a, na), (b, nb)| na.cmp(nb).then_with(|| b.cmp(a)))
                .map(|(k, _)| k.into_boxed_str())
                .unwrap_or_default()
        })
        .collect();
    // A person named by surname alone ("Kirby said") is the one person of the cluster
    // whose full name ends in it ("John Kirby"), when there is exactly one.
    let surnamed = surname_folds(&keys, members.iter().zip(&raw).map(|(&i, &x)| (m(i), x)));
    let raw: Vec<u32> = raw
        .iter()
        .map(|&x| surnamed[x as usize].unwrap_or(x))
        .collect();
    let read_as: Vec<String> = surnamed
        .iter()
        .enumerate()
        .filter_map(|(x, y)| Some(format!("{} read as {}", keys[x], keys[(*y)? as usize])))
        .collect();
    let mut first_attributed: HashMap<u32, u32> = HashMap::default();
    for (k, &i) in members.iter().enumerate() {
        if !origin::is_own_voice(m(i)) {
            first_attributed.entry(rep(i)).or_insert(raw[k]);
        }
    }
    let folded: Vec<u32> = members
        .iter()
        .enumerate()
        .map(|(k, &i)| {
            if origin::is_own_voice(m(i)) {
                first_attributed.get(&rep(i)).copied().unwrap_or(raw[k])
            } else {
                raw[k]
            }
        })
        .collect();
    // The cluster keeps only the keys that remain after folding, renumbered by first
    // member.
    let mut renumber = vec![u32::MAX; keys.len()];
    let mut kept: Vec<Box<str>> = Vec::new();
    let mention_origin: Vec<u32> = folded
        .iter()
        .map(|&x| {
            if renumber[x as usize] == u32::MAX {
                renumber[x as usize] = kept.len() as u32;
                kept.push(std::mem::take(&mut keys[x as usize]));
            }
            renumber[x as usize]
        })
        .collect();
    // Whether a member's origin was folded (its raw key is not the one it counts under):
    // only an own-voice mention is, restating its report's source.
    let restates = |k: usize| raw[k] != folded[k];
    let keys = kept;
    let key_of = |k: usize| -> &str { &keys[mention_origin[k] as usize] };

    // An origin is anonymous when the mentions that name it name an anonymous source.
    let anonymous_origin: rustc_hash::FxHashSet<&str> = members
        .iter()
        .enumerate()
        .filter(|&(_, &i)| {
            m(i).source
                .as_ref()
                .is_some_and(|s| s.kind == SpeakerKind::Anonymous)
        })
        .map(|(k, _)| key_of(k))
        .collect();

    // Tally origins in first-seen order (date, then mention position).
    let mut by_time: Vec<usize> = (0..members.len()).collect();
    by_time.sort_by_key(|&k| {
        (
            date_of(rep(members[k])).is_none(),
            date_of(rep(members[k])),
            members[k],
        )
    });
    let mut origins: Vec<OriginTally> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::default();
    // (origin, report) pairs already listed: `reports.contains` was quadratic for an
    // origin carried by thousands of reports.
    let mut carried: rustc_hash::FxHashSet<(usize, u32)> = rustc_hash::FxHashSet::default();
    for &k in &by_time {
        let i = members[k];
        let key = key_of(k);
        let anonymous = anonymous_origin.contains(key);
        let o = match index.get(key) {
            Some(&o) => o,
            None => {
                index.insert(key, origins.len());
                origins.push(OriginTally {
                    key: key.to_string(),
                    stance: m(i).stance,
                    weight: weight_of(m(i).stance, anonymous),
                    counted_in: rep(i),
                    mention: i,
                    reports: Vec::new(),
                    values: Vec::new(),
                });
                origins.len() - 1
            }
        };
        let t = &mut origins[o];
        if carried.insert((o, rep(i))) {
            t.reports.push(rep(i));
        }
        // The latest non-discussing mention decides the origin's stance.
        if m(i).stance != Stance::Discusses {
            if t.stance == Stance::Discusses || t.stance != m(i).stance {
                t.stance = m(i).stance;
                t.mention = i;
                t.weight = weight_of(m(i).stance, anonymous);
            }
            if let Some(q) = m(i).value() {
                if m(i).stance == Stance::Supports && !t.values.contains(&(q.low, q.high)) {
                    t.values.push((q.low, q.high));
                }
            }
        }
    }
    origins.sort_by(|a, b| (a.stance, &a.key).cmp(&(b.stance, &b.key)));

    let count = |s: Stance| origins.iter().filter(|o| o.stance == s).count();
    let sum = |s: Stance| {
        origins
            .iter()
            .filter(|o| o.stance == s)
            .map(|o| o.weight)
            .sum::<f64>()
    };
    let (supporting, denying, discussing) = (
        count(Stance::Supports),
        count(Stance::Denies),
        count(Stance::Discusses),
    );
    let (ws, wd, wu) = (
        sum(Stance::Supports),
        sum(Stance::Denies),
        sum(Stance::Discusses),
    );
    let score = (ws - wd) / (ws + wd + wu + 1.0);
    let verdict = match (supporting, denying) {
        (0, 0) => Verdict::Unverified,
        (0, _) => Verdict::Denied,
        (_, d) if d > 0 => Verdict::Contested,
        (1, _) => Verdict::SingleSource,
        _ => Verdict::Corroborated,
    };

    // Values: the one most supporting origins give; conflicts between origins only.
    let core_q = m(core).value();
    let mut value = core_q.as_ref().map(|q| (q.low, q.high));
    let mut value_conflict = false;
    let mut series = Vec::new();
    if core_q.is_some() {
        let mut votes: Vec<(Interval, usize)> = Vec::new();
        for o in origins.iter().filter(|o| o.stance == Stance::Supports) {
            if let Some(&v) = o.values.last() {
                match votes.iter_mut().find(|(x, _)| *x == v) {
                    Some((_, n)) => *n += 1,
                    None => votes.push((v, 1)),
                }
            }
            if o.values.len() > 1 {
                series.push(format!(
                    "series from {}: {}",
                    o.key,
                    o.values
                        .iter()
                        .map(|&(l, h)| show_value(l, h))
                        .collect::<Vec<_>>()
                        .join(" → ")
                ));
            }
        }
        if let Some(best) = votes.iter().max_by(|a, b| {
            a.1.cmp(&b.1).then(
                b.0 .0
                    .partial_cmp(&a.0 .0)
                    .unwrap_or(std::cmp::Ordering::Equal),
            )
        }) {
            if best.1 > 1 || value.is_none() {
                value = Some(best.0);
            }
        }
        let finals: Vec<_> = origins
            .iter()
            .filter(|o| o.stance == Stance::Supports)
            .filter_map(|o| o.values.last().copied())
            .collect();
        value_conflict = !all_agree(&finals);
    }

    // Dates and reach.
    let mut reps: Vec<u32> = members.iter().map(|&i| rep(i)).collect();
    reps.sort_unstable();
    reps.dedup();
    let first = reps.iter().copied().min_by(|&a, &b| {
        let key = |r: u32| (date_of(r).is_none(), date_of(r), &reports[r as usize].id);
        key(a).cmp(&key(b))
    });
    let first_seen = reps.iter().filter_map(|&r| date_of(r)).min();
    let last_seen = reps.iter().filter_map(|&r| date_of(r)).max();
    let first_outlet = first.and_then(|r| reports[r as usize].outlet.clone());
    let mut outlets: Vec<&str> = reps
        .iter()
        .filter_map(|&r| reports[r as usize].outlet.as_deref())
        .collect();
    outlets.sort_unstable();
    outlets.dedup();

    // Evidence: one row per (report, origin), in order of first mention. Each row's
    // mentions are gathered in one pass (searching all members per row was quadratic in
    // the cluster's size).
    let origin_at: HashMap<&str, usize> = origins
        .iter()
        .enumerate()
        .map(|(x, o)| (o.key.as_str(), x))
        .collect();
    let mut row_of: HashMap<(u32, u32), usize> = HashMap::default();
    let mut rows: Vec<(usize, Vec<u32>)> = Vec::new();
    for (k, &i) in members.iter().enumerate() {
        let slot = *row_of
            .entry((rep(i), mention_origin[k]))
            .or_insert_with(|| {
                rows.push((k, Vec::new()));
                rows.len() - 1
            });
        rows[slot].1.push(i);
    }
    let mut evidence: Vec<Evidence> = Vec::with_capacity(rows.len());
    for (k, row) in rows {
        let i = members[k];
        let r = rep(i);
        let o = &origins[origin_at[key_of(k)]];
        let counted = o.counted_in == r;
        // Quote the mention that shows this origin's stance in this report.
        let quote = row
            .iter()
            .copied()
            .find(|&ii| m(ii).stance == o.stance)
            .unwrap_or(i);
        evidence.push(Evidence {
            report: r,
            origin: mention_origin[k],
            mention: quote,
            counted_in: o.counted_in,
            family_root: family[r as usize] as u32,
            stance: if counted { o.stance } else { m(quote).stance },
            restating: restates(k),
            weight: if counted { o.weight } else { 0.0 },
        });
    }

    let list = |s: Stance| -> String {
        origins
            .iter()
            .filter(|o| o.stance == s)
            .map(|o| o.key.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut parts = Vec::new();
    if supporting > 0 {
        parts.push(format!(
            "{supporting} supporting ({})",
            list(Stance::Supports)
        ));
    }
    if denying > 0 {
        parts.push(format!("{denying} denying ({})", list(Stance::Denies)));
    }
    if discussing > 0 {
        parts.push(format!(
            "{discussing} discussing ({})",
            list(Stance::Discusses)
        ));
    }
    let families: std::collections::BTreeSet<usize> =
        reps.iter().map(|&r| family[r as usize]).collect();
    let mut merged = format!(
        "{} in {}",
        counted(members.len(), "mention", "mentions"),
        counted(reps.len(), "report", "reports")
    );
    if families.len() < reps.len() {
        merged.push_str(&format!(
            " ({})",
            counted(families.len(), "copy family", "copy families")
        ));
    }
    parts.push(merged);
    // Which surnames were read as which full names (see `surname_folds`).
    parts.extend(read_as);
    parts.extend(series);
    if value_conflict {
        parts.push("supporting origins give incompatible values".into());
    }
    parts.push(format!(
        "score ({} - {}) / ({} + {} + {} + 1) = {:.2}",
        fmt(ws),
        fmt(wd),
        fmt(ws),
        fmt(wd),
        fmt(wu),
        score
    ));
    let explanation = parts.join("; ");

    let (low, high) = value.unwrap_or((None, None));
    let label = members
        .iter()
        .copied()
        .filter(|&i| {
            m(i).sentence == 0
                && reports[rep(i) as usize].headline
                && m(i).stance == Stance::Supports
        })
        .min_by_key(|&i| (date_of(rep(i)).is_none(), date_of(rep(i)), i))
        .unwrap_or(core);
    Cluster {
        id: String::new(),
        kind: m(core).kind,
        core,
        label,
        mentions: members.clone(),
        origins: keys,
        mention_origin,
        low,
        high,
        unit: core_q
            .as_ref()
            .and_then(|q| q.unit)
            .map(|u| names.shared(u)),
        per: core_q.as_ref().and_then(|q| q.per).map(|p| names.shared(p)),
        reports: reps.len(),
        outlets: outlets.len(),
        supporting,
        denying,
        discussing,
        first_seen,
        first_outlet,
        last_seen,
        score,
        verdict,
        value_conflict,
        explanation,
        evidence,
        evidence_at: None,
    }
}

/// True when every two of the values agree (their readings overlap, as
/// [`compare::value`] decides). Intervals overlap pairwise exactly when each one's low
/// end is at most every *other* high end, so the smallest two high ends decide, in one
/// pass instead of comparing every pair.
fn all_agree(values: &[(Option<f64>, Option<f64>)]) -> bool {
    if values.len() < 2 {
        return true;
    }
    let mut readings = Vec::with_capacity(values.len());
    for &(l, h) in values {
        match compare::interval(l, h) {
            Some((lo, hi)) if !lo.is_nan() && !hi.is_nan() => readings.push((lo, hi)),
            // No reading, or NaN: compare::value calls such a pair far.
            _ => return false,
        }
    }
    // The smallest high end and its index, and the second smallest.
    let (mut h1, mut at1, mut h2) = (f64::INFINITY, usize::MAX, f64::INFINITY);
    for (x, &(_, h)) in readings.iter().enumerate() {
        if h < h1 {
            (h2, h1, at1) = (h1, h, x);
        } else if h < h2 {
            h2 = h;
        }
    }
    readings
        .iter()
        .enumerate()
        .all(|(x, &(l, _))| l <= if x == at1 { h2 } else { h1 })
}

/// For each origin key of a cluster (numbered as `keys`), the key it folds into: a
/// person named by one word ("Kirby") folds into the cluster's one person whose name of
/// two or more words ends in that word ("John Kirby", compared ignoring case). With two
/// such people ("Jeh Johnson", "Dorian Johnson") the surname stays its own origin: which
/// one spoke is not known. `members` gives each member's claim and key.
fn surname_folds<'c>(
    keys: &[Box<str>],
    members: impl Iterator<Item = (&'c crate::Claim, u32)>,
) -> Vec<Option<u32>> {
    // Keys whose every mention names a person.
    let mut person = vec![true; keys.len()];
    for (c, x) in members {
        let is_person = c
            .source
            .as_ref()
            .is_some_and(|s| s.kind == SpeakerKind::Person);
        person[x as usize] &= is_person;
    }
    let mut by_surname: HashMap<String, Vec<u32>> = HashMap::default();
    for (x, k) in keys.iter().enumerate() {
        if person[x] {
            if let Some((_, last)) = k.rsplit_once(' ') {
                by_surname
                    .entry(last.to_lowercase())
                    .or_default()
                    .push(x as u32);
            }
        }
    }
    keys.iter()
        .enumerate()
        .map(|(x, k)| {
            if !person[x] || k.contains(' ') || by_surname.is_empty() {
                return None;
            }
            match by_surname.get(&k.to_lowercase()).map(Vec::as_slice) {
                Some(&[y]) => Some(y),
                _ => None,
            }
        })
        .collect()
}

/// "1 mention", "4 mentions": the explanation is read as a sentence, so a count agrees
/// with its noun.
fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn fmt(x: f64) -> String {
    // `+ 0.0` turns -0 into 0.
    let s = format!("{:.2}", x + 0.0);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn show_value(l: Option<f64>, h: Option<f64>) -> String {
    match (l, h) {
        (Some(l), Some(h)) if l == h => fmt(l),
        (Some(l), Some(h)) => format!("{}-{}", fmt(l), fmt(h)),
        (Some(l), None) => format!(">{}", fmt(l)),
        (None, Some(h)) => format!("<{}", fmt(h)),
        (None, None) => "?".into(),
    }
}

/// The content hash a cluster's id is made of, from its core mention alone (its claim's
/// kind, unit, rate and value, and its `concepts`), so an id survives unrelated changes
/// to the corpus.
/// Taken before the clusters are built: the mentions' concepts are needed for nothing
/// else by then, and are gone again before the clusters take their memory.
pub fn content_hash(
    claim: &crate::Claim,
    concepts: &[u32],
    vocab: &crate::Vocabulary,
    names: &crate::NameTable,
) -> String {
    let q = claim.value();
    // The core's concept names in the order the extractor wrote them (sorted).
    let mut concepts: Vec<&str> = concepts.iter().map(|&c| vocab.name(c)).collect();
    concepts.sort_unstable();
    let key = format!(
        "{}|{:?}|{:?}|{:?}|{:?}|{}",
        claim.kind.as_str(),
        q.and_then(|q| q.unit).map(|u| names.get(u)),
        q.and_then(|q| q.per).map(|p| names.get(p)),
        q.map(|q| q.low),
        q.map(|q| q.high),
        concepts.join(" ")
    );
    format!("c{:012x}", xxh3_64(key.as_bytes()) >> 16)
}

/// Gives clusters their ids: the [`content_hash`] of each (`hashes`, in the clusters'
/// order), with `-2`, `-3`… on the later cores of clashing hashes.
pub fn assign_ids(clusters: &mut [Cluster], hashes: Vec<String>) {
    let mut seen: HashMap<&str, usize> = HashMap::default();
    let mut order: Vec<usize> = (0..clusters.len()).collect();
    order.sort_by_key(|&c| clusters[c].core);
    let mut ids = vec![String::new(); clusters.len()];
    for c in order {
        let n = seen.entry(hashes[c].as_str()).or_insert(0);
        *n += 1;
        ids[c] = if *n == 1 {
            hashes[c].clone()
        } else {
            format!("{}-{n}", hashes[c])
        };
    }
    for (cl, id) in clusters.iter_mut().zip(ids) {
        cl.id = id;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compare::ValueLevel;

    use crate::testing::Shelf;

    fn cluster(id: &str, evidence: Vec<Evidence>) -> Cluster {
        Cluster {
            id: id.into(),
            kind: ClaimKind::Event,
            core: 0,
            label: 0,
            mentions: Vec::new(),
            origins: Vec::new(),
            mention_origin: Vec::new(),
            low: None,
            high: None,
            unit: None,
            per: None,
            reports: 0,
            outlets: 0,
            supporting: 0,
            denying: 0,
            discussing: 0,
            first_seen: None,
            first_outlet: None,
            last_seen: None,
            score: 0.0,
            verdict: Verdict::ALL[0],
            value_conflict: false,
            explanation: String::new(),
            evidence,
            evidence_at: None,
        }
    }

    #[test]
    fn a_count_in_the_explanation_agrees_with_its_noun() {
        for (n, want) in [
            (0, "0 mentions"),
            (1, "1 mention"),
            (2, "2 mentions"),
            (11, "11 mentions"),
        ] {
            assert_eq!(counted(n, "mention", "mentions"), want);
        }
        assert_eq!(counted(1, "copy family", "copy families"), "1 copy family");
    }

    #[test]
    fn a_cluster_slot_is_the_size_of_a_cluster() {
        // Scoring fills `Option<Cluster>` slots and unwraps them in place: the vector is
        // reused only while the two are laid out alike.
        use std::mem::{align_of, size_of};
        assert_eq!(size_of::<Option<Cluster>>(), size_of::<Cluster>());
        assert_eq!(align_of::<Option<Cluster>>(), align_of::<Cluster>());
    }

    #[test]
    fn evidence_set_aside_comes_back_bit_for_bit_and_stays_when_it_cannot_be_written() {
        let row = |k: u32, stance, restating, weight| Evidence {
            report: k,
            origin: k / 2,
            mention: u32::MAX - k,
            counted_in: k.saturating_sub(1),
            family_root: 7,
            stance,
            restating,
            weight,
        };
        let rows = [
            row(0, Stance::Supports, false, 1.0),
            row(1, Stance::Denies, true, 0.0),
            row(2, Stance::Discusses, false, -0.0),
            row(3, Stance::Supports, true, f64::MIN_POSITIVE),
            row(4, Stance::Denies, false, 0.1 + 0.2),
        ];
        // Clusters with rows, one with none between them.
        let explained = |mut c: Cluster, why: &str| {
            c.explanation = why.to_string();
            c
        };
        let fresh = || {
            vec![
                explained(cluster("a", rows[..2].to_vec()), "2 origins support"),
                cluster("b", Vec::new()),
                explained(cluster("c", rows[2..].to_vec()), "réfuté; contested"),
                explained(cluster("d", Vec::new()), "no rows, an explanation"),
            ]
        };
        let shelf = Shelf::default();
        let mut clusters = fresh();
        set_evidence_aside(&mut clusters, &shelf);
        assert!(clusters
            .iter()
            .all(|c| c.evidence.is_empty() && c.explanation.is_empty()));
        assert!(clusters[1].evidence_at.is_none());
        for (c, want) in clusters.iter().zip(fresh()) {
            assert_eq!(c.read_explanation(&shelf).unwrap(), want.explanation);
            let got = c.evidence_rows(&shelf).unwrap();
            assert_eq!(got.len(), want.evidence.len());
            for (g, w) in got.iter().zip(&want.evidence) {
                // PartialEq on f64 would take -0.0 for 0.0: compare the bits too.
                assert_eq!(g, w);
                assert_eq!(g.weight.to_bits(), w.weight.to_bits());
            }
        }
        // A shelf that cannot be written: the rows stay where they were.
        let full = Shelf {
            fail_put: true,
            ..Default::default()
        };
        let mut kept = fresh();
        set_evidence_aside(&mut kept, &full);
        assert_eq!(kept, fresh());
        assert_eq!(kept[0].evidence_rows(&full).unwrap().len(), 2);
        // A damaged row (a stance byte no row has) or a short read is an error.
        shelf.bytes.lock().unwrap()[3 + 20] = 9;
        assert!(clusters[0].evidence_rows(&shelf).is_err());
        assert!(clusters[2].evidence_rows(&Shelf::default()).is_err());
        assert!(clusters[2].read_explanation(&Shelf::default()).is_err());
        // An explanation cut in the middle of a character is damaged.
        let mut cut = clusters[2].clone();
        if let Some(at) = cut.evidence_at.as_mut() {
            at.explained = 2;
        }
        assert!(cut.read_explanation(&shelf).is_err());
    }

    #[test]
    fn an_evidence_note_says_where_the_origin_counted_and_what_the_row_is() {
        let row = |report, counted_in, family_root, restating| Evidence {
            report,
            origin: 0,
            mention: 0,
            counted_in,
            family_root,
            stance: Stance::Supports,
            restating,
            weight: 0.0,
        };
        let cases = [
            (row(1, 1, 1, false), "counted"),
            (row(1, 0, 1, false), "same origin, counted in r0"),
            (
                row(1, 1, 1, true),
                "counted; outlet's own voice restating its source",
            ),
            (row(2, 2, 0, false), "counted; copy of r0, ~93% shared text"),
            (
                row(2, 1, 0, true),
                "same origin, counted in r1; outlet's own voice restating its source; copy of r0, ~93% shared text",
            ),
            // Joined through another copy: the share with the first report is below the
            // threshold.
            (
                row(3, 3, 0, false),
                "counted; copy of r0 through other copies, ~55% shared text",
            ),
            // Either side of the threshold, the same rounded percent: the estimate
            // decides, not the rounding.
            (row(4, 4, 0, false), "counted; copy of r0, ~70% shared text"),
            (
                row(6, 6, 0, false),
                "counted; copy of r0 through other copies, ~70% shared text",
            ),
            // No estimate (no signature): the copy alone.
            (row(5, 5, 0, false), "counted; copy of r0"),
        ];
        let ids = ["r0", "r1", "r2", "r3", "r4", "r5", "r6"];
        let s = |percent, of_first| Some(crate::copies::Share { percent, of_first });
        let shares = [
            None,
            None,
            s(93, true),
            s(55, false),
            s(70, true),
            None,
            s(70, false),
        ];
        let share = |r: u32| shares[r as usize];
        for (e, want) in cases {
            assert_eq!(e.note(|r| ids[r as usize], share), want, "{e:?}");
        }
        assert_eq!(std::mem::size_of::<Evidence>(), 32);
    }

    /// The pairwise definition `all_agree` replaces.
    fn all_agree_pairwise(v: &[(Option<f64>, Option<f64>)]) -> bool {
        let q = |(l, h): (Option<f64>, Option<f64>)| crate::Value {
            low: l,
            high: h,
            approx: false,
            unit: None,
            per: None,
        };
        (0..v.len()).all(|x| {
            (x + 1..v.len()).all(|y| compare::value(&q(v[x]), &q(v[y])) == ValueLevel::Agree)
        })
    }

    #[test]
    fn all_agree_is_the_pairwise_check() {
        let vals: [Option<f64>; 8] = [
            Some(-300.0),
            Some(-10.0),
            Some(0.0),
            Some(100.0),
            Some(150.0),
            Some(200.0),
            Some(1000.0),
            None,
        ];
        // Every list of up to three values drawn from the table, bounds in any order.
        let mut seed = 7u64;
        for _ in 0..20_000 {
            let mut pick = || {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                vals[(seed >> 33) as usize % vals.len()]
            };
            let n = 1 + (pick().map_or(0, |x| x.abs() as usize) % 4);
            let v: Vec<_> = (0..n).map(|_| (pick(), pick())).collect();
            assert_eq!(all_agree(&v), all_agree_pairwise(&v), "{v:?}");
        }
    }
}
