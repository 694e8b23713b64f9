//! `--baseline OLD_DIR`: what changed since an earlier run, as `changes.csv`.
//!
//! Cluster ids are derived from a cluster's core mention, so a new report that becomes a
//! cluster's core, or a new label, can change an id although the claim is the same. The
//! comparison therefore matches clusters **by content**, reading only the baseline's
//! clusters.csv and evidence.csv (through [`Outputs`], as the new run's are):
//!
//! 1. **Block**: only clusters with the same `kind`, `unit` and `per` are compared.
//! 2. **Compare** three sets per cluster: its *mentions* (claims.csv's `report_id` +
//!    `sentence`; evidence.csv's `report_id` + `quote` for a baseline kept without
//!    claims.csv), its *origins* (`stance` + `origin`) and its *label words* (lower-cased
//!    words of three or more letters).
//! 3. **Accept** a pair when at least half the mentions of the smaller cluster are in the
//!    other (the same reports saying the same sentence), or — for drops that share no
//!    reports with the baseline — when both the origins and the label words overlap by at
//!    least half (Jaccard ≥ 0.5).
//! 4. **Pair** each new cluster with its most similar accepted old cluster: rank =
//!    0.5·J(mentions) + 0.3·J(origins) + 0.2·J(label words), ties by the smaller old id.
//!
//! A new cluster with no accepted old cluster is `new`; an old cluster accepted by no new
//! one is `gone`. A paired cluster gives a `verdict` row when the verdicts differ and a
//! `value` row when the values differ (value and unit as in [`value_text`], with
//! "(conflicting values)" appended when `value_conflict` is true, so a conflict appearing
//! is a `value` change); it can give both. Pairing is many to one on purpose: when a new
//! drop makes the matcher split a cluster or merge two, every part is compared with the
//! cluster its mentions came from, so regrouping alone is never reported as claims
//! appearing or vanishing. Score changes alone are not changes: every new supporting
//! report moves the score, and CI would never be quiet.
//!
//! Rows are sorted by change (`new`, `verdict`, `value`, `gone`), then cluster id.
//!
//! Not done here: following single mentions, or naming a split or merge as such (only
//! the verdict and value changes of its parts are reported).

use std::collections::{HashMap, HashSet};

use xxhash_rust::xxh3::xxh3_64;

use crate::explain::{value_text, ClusterRow, Outputs};
use crate::output::{text, Table};

pub const CHANGES_HEADER: &[&str] = &[
    "change",
    "cluster_id",
    "label",
    "old_verdict",
    "new_verdict",
    "old_value",
    "new_value",
];

/// What happened to one cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    New,
    Verdict,
    Value,
    Gone,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::New => "new",
            Change::Verdict => "verdict",
            Change::Value => "value",
            Change::Gone => "gone",
        }
    }
}

/// One row of changes.csv.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeRow {
    pub change: Change,
    pub cluster_id: String,
    pub label: String,
    pub old_verdict: String,
    pub new_verdict: String,
    pub old_value: String,
    pub new_value: String,
}

/// A cluster reduced to what the comparison looks at.
struct Profile<'a> {
    row: &'a ClusterRow,
    block: (&'a str, &'a str, &'a str),
    mentions: HashSet<u64>,
    origins: HashSet<u64>,
    /// Label words, hashed.
    words: HashSet<u64>,
}

/// `by_claims`: mentions are claims.csv rows (report and sentence); otherwise
/// evidence.csv rows (report and quote), which a regrouping can change: the quote of a
/// report that has several mentions in a cluster is one of them.
fn profiles(o: &Outputs, by_claims: bool) -> Vec<Profile<'_>> {
    let mut at: HashMap<&str, usize> = HashMap::new();
    let mut v: Vec<Profile> = o
        .clusters
        .iter()
        .enumerate()
        .map(|(i, c)| {
            at.insert(c.cluster_id.as_str(), i);
            Profile {
                row: c,
                block: (c.kind.as_str(), c.unit.as_str(), c.per.as_str()),
                mentions: HashSet::new(),
                origins: HashSet::new(),
                words: words(&c.label),
            }
        })
        .collect();
    for e in &o.evidence {
        if let Some(&i) = at.get(e.cluster_id.as_str()) {
            if !by_claims {
                v[i].mentions.insert(key2(&e.report_id, &e.quote));
            }
            v[i].origins.insert(key2(&e.stance, &e.origin));
        }
    }
    if by_claims {
        for c in &o.claims {
            if let Some(&i) = at.get(c.cluster_id.as_str()) {
                v[i].mentions.insert(key2(&c.report_id, &c.sentence));
            }
        }
    }
    v
}

fn key2(a: &str, b: &str) -> u64 {
    let mut s = Vec::with_capacity(a.len() + b.len() + 1);
    s.extend_from_slice(a.as_bytes());
    s.push(0x1f);
    s.extend_from_slice(b.as_bytes());
    xxh3_64(&s)
}

fn words(label: &str) -> HashSet<u64> {
    label
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        // Tagged, so a word never meets an origin key in the candidate index.
        .map(|w| key2("word", &w.to_lowercase()))
        .collect()
}

fn inter<T: std::hash::Hash + Eq>(a: &HashSet<T>, b: &HashSet<T>) -> usize {
    let (s, l) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    s.iter().filter(|x| l.contains(x)).count()
}

fn jaccard<T: std::hash::Hash + Eq>(a: &HashSet<T>, b: &HashSet<T>) -> f64 {
    let i = inter(a, b);
    let u = a.len() + b.len() - i;
    if u == 0 {
        0.0
    } else {
        i as f64 / u as f64
    }
}

/// The rank of a pair, or `None` when it is not accepted as the same claim.
fn similarity(a: &Profile, b: &Profile) -> Option<f64> {
    if a.block != b.block {
        return None;
    }
    let shared = inter(&a.mentions, &b.mentions);
    let smaller = a.mentions.len().min(b.mentions.len());
    let jo = jaccard(&a.origins, &b.origins);
    let jl = jaccard(&a.words, &b.words);
    let by_mentions = smaller > 0 && 2 * shared >= smaller;
    let by_content = jo >= 0.5 && jl >= 0.5;
    (by_mentions || by_content)
        .then(|| 0.5 * jaccard(&a.mentions, &b.mentions) + 0.3 * jo + 0.2 * jl)
}

/// How many of a new cluster's rarest origin and label-word keys propose partners (its
/// mentions always do). The rarest are the telling ones — a minister's name, a place —
/// and bounding them keeps the comparison linear: an outlet quoted in thousands of
/// clusters would otherwise pair each new cluster with all of them.
const RARE_KEYS: usize = 4;

/// Candidate pairs (old index, new index) within the same block: those sharing a
/// mention, or one of the new cluster's rarest origin or label-word keys.
fn candidates(old: &[Profile], new: &[Profile]) -> Vec<(usize, usize)> {
    let block_hash = |p: &Profile| key2(p.block.0, &format!("{}\u{1f}{}", p.block.1, p.block.2));
    let mut by_mention: HashMap<u64, Vec<usize>> = HashMap::new();
    let mut by_content: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, p) in old.iter().enumerate() {
        let b = block_hash(p);
        for &m in &p.mentions {
            by_mention.entry(m ^ b).or_default().push(i);
        }
        for &k in p.origins.iter().chain(&p.words) {
            by_content.entry(k ^ b).or_default().push(i);
        }
    }
    let mut pairs = Vec::new();
    for (j, p) in new.iter().enumerate() {
        let b = block_hash(p);
        let mut found: Vec<usize> = p
            .mentions
            .iter()
            .filter_map(|&m| by_mention.get(&(m ^ b)))
            .flatten()
            .copied()
            .collect();
        let mut keys: Vec<(usize, u64)> = p
            .origins
            .iter()
            .chain(&p.words)
            .filter_map(|&k| by_content.get(&(k ^ b)).map(|l| (l.len(), k ^ b)))
            .collect();
        keys.sort_unstable();
        for (_, k) in keys.into_iter().take(RARE_KEYS) {
            found.extend(&by_content[&k]);
        }
        found.sort_unstable();
        found.dedup();
        pairs.extend(found.into_iter().map(|i| (i, j)));
    }
    pairs
}

fn shown_value(c: &ClusterRow) -> String {
    let v = value_text(&c.value_low, &c.value_high, &c.unit, &c.per);
    if c.value_conflict == "true" {
        format!("{v} (conflicting values)").trim_start().to_string()
    } else {
        v
    }
}

/// Compares a run with its baseline.
pub fn compare(old: &Outputs, new: &Outputs) -> Vec<ChangeRow> {
    // Both sides must name mentions the same way; a baseline kept without claims.csv
    // falls back to evidence rows.
    let by_claims = !old.claims.is_empty() && !new.claims.is_empty();
    let po = profiles(old, by_claims);
    let pn = profiles(new, by_claims);
    // Each new cluster's most similar acceptable old cluster (ties: the smaller old id).
    let mut best: Vec<Option<(f64, usize)>> = vec![None; pn.len()];
    let mut old_found = vec![false; po.len()];
    for (i, j) in candidates(&po, &pn) {
        let Some(sim) = similarity(&po[i], &pn[j]) else {
            continue;
        };
        old_found[i] = true;
        let better = match best[j] {
            None => true,
            Some((s, k)) => sim > s || (sim == s && po[i].row.cluster_id < po[k].row.cluster_id),
        };
        if better {
            best[j] = Some((sim, i));
        }
    }

    let mut rows = Vec::new();
    let row =
        |change, c: &ClusterRow, old: Option<&ClusterRow>, new: Option<&ClusterRow>| ChangeRow {
            change,
            cluster_id: c.cluster_id.clone(),
            label: c.label.clone(),
            old_verdict: old.map(|o| o.verdict.clone()).unwrap_or_default(),
            new_verdict: new.map(|n| n.verdict.clone()).unwrap_or_default(),
            old_value: old.map(shown_value).unwrap_or_default(),
            new_value: new.map(shown_value).unwrap_or_default(),
        };
    for (j, n) in pn.iter().enumerate() {
        let n = n.row;
        match best[j] {
            None => rows.push(row(Change::New, n, None, Some(n))),
            Some((_, i)) => {
                let o = po[i].row;
                if o.verdict != n.verdict {
                    rows.push(row(Change::Verdict, n, Some(o), Some(n)));
                }
                if shown_value(o) != shown_value(n) {
                    rows.push(row(Change::Value, n, Some(o), Some(n)));
                }
            }
        }
    }
    for (i, o) in po.iter().enumerate() {
        if !old_found[i] {
            rows.push(row(Change::Gone, o.row, Some(o.row), None));
        }
    }
    rows.sort_by(|a, b| (a.change, &a.cluster_id).cmp(&(b.change, &b.cluster_id)));
    rows
}

pub fn changes_csv(rows: &[ChangeRow]) -> Vec<u8> {
    let mut t = Table::new(CHANGES_HEADER);
    for r in rows {
        t.row([
            r.change.as_str().to_string(),
            text(&r.cluster_id),
            text(&r.label),
            text(&r.old_verdict),
            text(&r.new_verdict),
            text(&r.old_value),
            text(&r.new_value),
        ]);
    }
    t.into_bytes()
}

/// `new_contested`: a claim that is contested now and was not in the baseline.
pub fn new_contested(rows: &[ChangeRow]) -> bool {
    rows.iter().any(|r| {
        matches!(r.change, Change::New | Change::Verdict)
            && r.new_verdict == "contested"
            && r.old_verdict != "contested"
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLUSTERS: &str = "cluster_id,label,kind,value_low,value_high,unit,per,mentions,reports,outlets,origins_supporting,origins_denying,origins_discussing,first_seen,first_outlet,last_seen,score,verdict,value_conflict,explanation\n";
    const EVIDENCE: &str = "cluster_id,report_id,outlet,origin,stance,weight,quote,note\n";

    /// One cluster of a made-up run, with its evidence rows (report, origin, stance, quote).
    #[derive(Clone)]
    struct Spec {
        id: String,
        label: &'static str,
        kind: &'static str,
        value: String,
        unit: &'static str,
        verdict: &'static str,
        conflict: bool,
        evidence: Vec<[&'static str; 4]>,
    }

    fn outputs(specs: &[Spec]) -> Outputs {
        let mut c = CLUSTERS.to_string();
        let mut e = EVIDENCE.to_string();
        for s in specs {
            c.push_str(&format!(
                "{},\"{}\",{},{v},{v},{},,1,1,1,1,0,0,,,,0.5,{},{},x\n",
                s.id,
                s.label,
                s.kind,
                s.unit,
                s.verdict,
                s.conflict,
                v = s.value
            ));
            for [r, origin, stance, quote] in &s.evidence {
                e.push_str(&format!(
                    "{},{r},Outlet,{origin},{stance},1,\"{quote}\",counted\n",
                    s.id
                ));
            }
        }
        Outputs::from_bytes(c.as_bytes(), e.as_bytes(), b"", b"").unwrap()
    }

    /// The same, with a claims.csv: one mention per evidence row, in sentence 0.
    fn outputs_with_claims(specs: &[Spec]) -> Outputs {
        let mut o = outputs(specs);
        let mut claims = String::from(
            "claim_id,report_id,sentence,start,end,text,kind,stance,attributed_to,via,value_low,value_high,approx,unit,per,cluster_id,origin\n",
        );
        for s in specs {
            for [r, origin, stance, quote] in &s.evidence {
                claims.push_str(&format!(
                    "{r}#1,{r},0,0,1,\"{quote}\",{},{stance},,,,,,,,{},{origin}\n",
                    s.kind, s.id
                ));
            }
        }
        o.claims = crate::explain::parse(claims.as_bytes(), "claims.csv").unwrap();
        o
    }

    /// "Turkey sent 800 fighters", supported by two origins; `denied` adds a denial.
    fn fighters(id: &str, value: &str, verdict: &'static str, denied: bool) -> Spec {
        let mut evidence = vec![
            [
                "a.txt",
                "Omer Celik",
                "supports",
                "Turkey sent 800 fighters to Azerbaijan.",
            ],
            [
                "b.txt",
                "SOHR",
                "supports",
                "SOHR said 800 fighters were sent.",
            ],
        ];
        if denied {
            evidence.push([
                "c.txt",
                "Azerbaijan (government)",
                "denies",
                "Baku denied it.",
            ]);
        }
        Spec {
            id: id.into(),
            label: "Turkey sent 800 fighters to Azerbaijan",
            kind: "count",
            value: value.into(),
            unit: "fighter",
            verdict,
            conflict: false,
            evidence,
        }
    }

    fn event(id: &str) -> Spec {
        Spec {
            id: id.into(),
            label: "Russia deployed troops to Libya",
            kind: "event",
            value: String::new(),
            unit: "",
            verdict: "single-source",
            conflict: false,
            evidence: vec![[
                "d.txt",
                "Reuters",
                "supports",
                "Russia deployed troops to Libya.",
            ]],
        }
    }

    fn kinds(rows: &[ChangeRow]) -> Vec<(&str, &str)> {
        rows.iter()
            .map(|r| (r.change.as_str(), r.cluster_id.as_str()))
            .collect()
    }

    #[test]
    fn a_run_against_itself_has_no_changes() {
        let o = outputs(&[fighters("c1", "800", "corroborated", false), event("c2")]);
        assert_eq!(compare(&o, &o), vec![]);
    }

    #[test]
    fn ids_do_not_matter_content_does() {
        let old = outputs(&[fighters("c1", "800", "corroborated", false), event("c2")]);
        let new = outputs(&[fighters("c9", "800", "corroborated", false), event("c8")]);
        assert_eq!(compare(&old, &new), vec![]);
    }

    #[test]
    fn a_new_denial_is_a_verdict_change_of_the_same_cluster() {
        let old = outputs(&[fighters("c1", "800", "corroborated", false)]);
        let new = outputs(&[fighters("c7", "800", "contested", true)]);
        let rows = compare(&old, &new);
        assert_eq!(kinds(&rows), [("verdict", "c7")]);
        assert_eq!(rows[0].old_verdict, "corroborated");
        assert_eq!(rows[0].new_verdict, "contested");
        assert!(new_contested(&rows));
    }

    #[test]
    fn a_changed_value_and_verdict_give_two_rows() {
        let old = outputs(&[fighters("c1", "800", "corroborated", false)]);
        let new = outputs(&[fighters("c1", "900", "contested", true)]);
        let rows = compare(&old, &new);
        assert_eq!(kinds(&rows), [("verdict", "c1"), ("value", "c1")]);
        assert_eq!(rows[1].old_value, "800 fighter");
        assert_eq!(rows[1].new_value, "900 fighter");
    }

    #[test]
    fn a_conflict_appearing_is_a_value_change() {
        let old = outputs(&[fighters("c1", "800", "corroborated", false)]);
        let mut spec = fighters("c1", "800", "corroborated", false);
        spec.conflict = true;
        let rows = compare(&old, &outputs(&[spec]));
        assert_eq!(kinds(&rows), [("value", "c1")]);
        assert_eq!(rows[0].new_value, "800 fighter (conflicting values)");
    }

    #[test]
    fn different_units_never_match() {
        let old = outputs(&[fighters("c1", "800", "corroborated", false)]);
        let mut spec = fighters("c1", "800", "corroborated", false);
        spec.unit = "death";
        let rows = compare(&old, &outputs(&[spec]));
        assert_eq!(kinds(&rows), [("new", "c1"), ("gone", "c1")]);
    }

    #[test]
    fn new_and_gone_claims_sorted_new_first() {
        let old = outputs(&[fighters("c1", "800", "corroborated", false)]);
        let new = outputs(&[event("c2")]);
        let rows = compare(&old, &new);
        assert_eq!(kinds(&rows), [("new", "c2"), ("gone", "c1")]);
        assert_eq!(rows[0].new_verdict, "single-source");
        assert_eq!(rows[1].old_value, "800 fighter");
        assert!(!new_contested(&rows));
    }

    #[test]
    fn a_drop_sharing_no_reports_matches_by_origins_and_label() {
        let old = outputs(&[event("c2")]);
        let mut spec = event("c5");
        spec.evidence = vec![[
            "z.txt",
            "Reuters",
            "supports",
            "Moscow sent troops to Libya, Reuters said.",
        ]];
        assert_eq!(compare(&old, &outputs(&[spec])), vec![]);
    }

    #[test]
    fn a_split_cluster_is_neither_new_nor_gone() {
        let old = outputs(&[fighters("c1", "800", "corroborated", false)]);
        let mut big = fighters("c2", "800", "corroborated", false);
        let mut small = fighters("c3", "800", "single-source", false);
        small.evidence = vec![big.evidence.pop().unwrap()];
        big.verdict = "single-source";
        let rows = compare(&old, &outputs(&[big, small]));
        // Both parts compared with the cluster they came from: verdicts only.
        assert_eq!(kinds(&rows), [("verdict", "c2"), ("verdict", "c3")]);
    }

    #[test]
    fn merged_clusters_are_not_gone() {
        let mut a = fighters("c1", "800", "corroborated", false);
        let mut b = fighters("c2", "800", "single-source", false);
        b.evidence = vec![a.evidence.pop().unwrap()];
        a.verdict = "single-source";
        let merged = fighters("c9", "800", "corroborated", false);
        let rows = compare(&outputs(&[a, b]), &outputs(&[merged]));
        assert_eq!(kinds(&rows), [("verdict", "c9")]);
        assert_eq!(rows[0].old_verdict, "single-source");
    }

    #[test]
    fn mentions_are_followed_through_claims_when_quotes_and_labels_change() {
        let old = fighters("c1", "800", "corroborated", false);
        let mut new = fighters("c7", "800", "corroborated", false);
        new.label = "Ankara's mercenaries reached the front, lawmakers allege";
        for row in &mut new.evidence {
            row[3] = "another sentence of the same report";
        }
        let rows = compare(
            &outputs_with_claims(std::slice::from_ref(&old)),
            &outputs_with_claims(std::slice::from_ref(&new)),
        );
        assert_eq!(rows, vec![], "same reports, same sentences: same claim");
        // Without claims.csv nothing ties them: a different claim.
        let rows = compare(&outputs(&[old]), &outputs(&[new]));
        assert_eq!(kinds(&rows), [("new", "c7"), ("gone", "c1")]);
    }

    #[test]
    fn the_csv_has_the_contract_columns() {
        let rows = compare(&outputs(&[]), &outputs(&[event("c2")]));
        let csv = String::from_utf8(changes_csv(&rows)).unwrap();
        assert_eq!(
            csv,
            "change,cluster_id,label,old_verdict,new_verdict,old_value,new_value\n\
             new,c2,Russia deployed troops to Libya,,single-source,,\n"
        );
    }
}
